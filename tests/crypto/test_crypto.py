import base64
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from parcours.lib import crypto
from parcours.lib.env import env_str
from tests.crypto.conftest import NEW, OLD, OLD_MISTYPED

NOTE = "Récit confidentiel — شهادة سرية — she was assaulted near the border"
CONTEXT = "care.encounter.confidential_note"


def _tamper(token: str) -> str:
    prefix, _, body = token.rpartition(":")
    blob = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    blob[-1] ^= 0x01
    return f"{prefix}:{base64.urlsafe_b64encode(bytes(blob)).rstrip(b'=').decode()}"


def test_round_trip_keeps_any_text(keys):
    token = crypto.encrypt(NOTE, context=CONTEXT)
    assert crypto.decrypt(token, context=CONTEXT) == NOTE


def test_ciphertext_format_names_the_current_key_and_hides_the_text(keys):
    token = crypto.encrypt(NOTE, context=CONTEXT)
    version, key_id, body = token.split(":")
    assert (version, key_id) == ("enc1", "t-old")
    assert crypto.key_id_of(token) == crypto.current_key_id() == "t-old"
    blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert len(blob) == 12 + len(NOTE.encode()) + 16
    assert "border" not in token


def test_same_text_encrypts_differently_each_time(keys):
    assert crypto.encrypt(NOTE, context=CONTEXT) != crypto.encrypt(NOTE, context=CONTEXT)


def test_wrong_key_material_under_the_same_id_is_refused(keys):
    token = crypto.encrypt(NOTE, context=CONTEXT)
    keys.use(OLD_MISTYPED)
    with pytest.raises(crypto.DecryptionError, match="does not authenticate"):
        crypto.decrypt(token, context=CONTEXT)


def test_unknown_key_id_is_refused(keys):
    token = crypto.encrypt(NOTE, context=CONTEXT)
    keys.use(NEW)
    with pytest.raises(crypto.UnknownKeyError, match="t-old"):
        crypto.decrypt(token, context=CONTEXT)


def test_tampered_ciphertext_is_refused(keys):
    token = crypto.encrypt(NOTE, context=CONTEXT)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(_tamper(token), context=CONTEXT)


def test_ciphertext_moved_to_another_column_is_refused(keys):
    token = crypto.encrypt(NOTE, context=CONTEXT)
    with pytest.raises(crypto.DecryptionError, match="care.incident.narrative"):
        crypto.decrypt(token, context="care.incident.narrative")


@pytest.mark.parametrize(
    "value",
    ["plain text", "", "enc1:", "enc1:t-old", "enc1:t-old:", "enc1:t-old:!!!!", "enc1:t-old:abc"],
)
def test_malformed_values_raise_instead_of_returning_garbage(keys, value):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(value, context=CONTEXT)


def test_new_current_key_encrypts_and_old_key_still_decrypts(keys):
    old_token = crypto.encrypt(NOTE, context=CONTEXT)
    keys.use(NEW, OLD)
    assert crypto.key_id_of(crypto.encrypt(NOTE, context=CONTEXT)) == "t-new"
    assert crypto.decrypt(old_token, context=CONTEXT) == NOTE


def test_generate_key_makes_a_valid_32_byte_entry():
    key_id, key = crypto.parse_key_entry(crypto.generate_key())
    assert len(key) == 32
    assert crypto.KEY_ID_PATTERN.match(key_id)
    with pytest.raises(ValueError):
        crypto.generate_key("bad:id")


@pytest.mark.parametrize(
    "entry",
    ["no-colon", "bad id:" + OLD.split(":")[1], "short:" + "A" * 10, "k:" + "*" * 43],
)
def test_malformed_key_entries_refuse_to_start(entry):
    with pytest.raises(ImproperlyConfigured):
        crypto.KeyRing.from_entries([entry])


def test_duplicate_key_ids_refuse_to_start():
    with pytest.raises(ImproperlyConfigured, match="twice"):
        crypto.KeyRing.from_entries([OLD, OLD_MISTYPED])


# --- the settings helper ----------------------------------------------------------


def test_production_without_keys_refuses_to_start(tmp_path):
    dev_file = tmp_path / "encryption.keys"
    for missing in (None, "", "  \n"):
        with pytest.raises(ImproperlyConfigured, match="required in production"):
            crypto.encryption_keys_setting(missing, production=True, dev_keys_file=dev_file)
    assert not dev_file.exists()


def test_production_ignores_a_development_key_file(tmp_path):
    dev_file = tmp_path / "encryption.keys"
    dev_file.write_text(OLD + "\n")
    with pytest.raises(ImproperlyConfigured):
        crypto.encryption_keys_setting(None, production=True, dev_keys_file=dev_file)


def test_environment_list_first_key_is_current(tmp_path):
    entries = crypto.encryption_keys_setting(
        f"{NEW}, {OLD}", production=True, dev_keys_file=tmp_path / "k"
    )
    assert entries == [NEW, OLD]
    assert crypto.KeyRing.from_entries(entries).current_id == "t-new"


def test_keys_file_one_per_line_through_env_file(tmp_path, monkeypatch):
    key_file = tmp_path / "keys"
    key_file.write_text(f"# rotated 2026-11\n{NEW}\n\n{OLD}\n")
    monkeypatch.setenv("PARCOURS_ENCRYPTION_KEYS_FILE", str(key_file))
    raw = env_str("PARCOURS_ENCRYPTION_KEYS")
    entries = crypto.encryption_keys_setting(raw, production=True, dev_keys_file=tmp_path / "k")
    assert entries == [NEW, OLD]


def test_production_with_a_malformed_key_refuses_to_start(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="bytes"):
        crypto.encryption_keys_setting("k1:AAAA", production=True, dev_keys_file=tmp_path / "k")


def test_development_generates_a_private_key_file_once(tmp_path):
    dev_file = tmp_path / "var" / "encryption.keys"
    first = crypto.encryption_keys_setting(None, production=False, dev_keys_file=dev_file)
    assert stat.S_IMODE(dev_file.stat().st_mode) == 0o600
    second = crypto.encryption_keys_setting(None, production=False, dev_keys_file=dev_file)
    assert first == second and len(first) == 1
    assert crypto.KeyRing.from_entries(first).current_id == first[0].split(":")[0]
    assert [p.name for p in dev_file.parent.iterdir()] == ["encryption.keys"]
