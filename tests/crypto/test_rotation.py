import io

import pytest
from django.core.management import CommandError, call_command

from parcours.lib import crypto
from parcours.vault import canary, rotation
from parcours.vault.checks import check_encryption_keys
from tests.crypto.conftest import NEW, OLD, OLD_MISTYPED


def _notes(vault, n):
    return {
        vault.objects.create(key_id=f"note-{i}", canary=f"Note n°{i} — ملاحظة {i}").pk: (
            f"Note n°{i} — ملاحظة {i}"
        )
        for i in range(n)
    }


def _key_ids(vault):
    tokens = vault.objects.exclude(canary="").values_list("canary__ciphertext", flat=True)
    return {crypto.key_id_of(token) for token in tokens}


def _rotate(*args):
    out = io.StringIO()
    call_command("rotate_key", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_rotation_reencrypts_every_value_under_the_new_key(vault, keys):
    notes = _notes(vault, 7)
    vault.objects.create(key_id="empty", canary="")
    keys.use(NEW, OLD)
    # Before rotation the old key still reads everything.
    assert {p.pk: p.canary for p in vault.objects.filter(key_id__startswith="note-")} == notes

    output = _rotate("--batch-size", "3")

    assert _key_ids(vault) == {"t-new"}
    assert vault.objects.get(key_id="empty").canary == ""
    keys.use(NEW)  # the old key can go
    assert {p.pk: p.canary for p in vault.objects.filter(key_id__startswith="note-")} == notes
    assert "vault.VaultProbe.canary: 7" in output
    assert "value(s) in" in output


@pytest.mark.django_db
def test_check_fails_while_values_remain_under_an_old_key_and_passes_after(vault, keys):
    _notes(vault, 3)
    keys.use(NEW, OLD)
    with pytest.raises(CommandError, match="3 value"):
        _rotate("--check")
    _rotate()
    assert "can be removed" in _rotate("--check")


@pytest.mark.django_db(transaction=True)
def test_interrupted_rotation_resumes_and_loses_nothing(vault, keys, monkeypatch):
    notes = _notes(vault, 7)
    keys.use(NEW, OLD)
    real_batch = rotation._rotate_batch
    calls = []

    def crash_after_first_batch(*args, **kwargs):
        if calls:
            raise KeyboardInterrupt
        calls.append(1)
        real_batch(*args, **kwargs)

    monkeypatch.setattr(rotation, "_rotate_batch", crash_after_first_batch)
    with pytest.raises(CommandError, match="Interrupted"):
        _rotate("--batch-size", "3", "--model", "vault.VaultProbe")

    tokens = list(vault.objects.order_by("pk").values_list("canary__ciphertext", flat=True))
    under = [crypto.key_id_of(t) for t in tokens]
    # The committed batch stays done (the canary recorded for t-new was already current).
    assert under.count("t-new") == 1 + 3
    assert under.count("t-old") == 4

    monkeypatch.setattr(rotation, "_rotate_batch", real_batch)
    output = _rotate("--batch-size", "3")
    assert "vault.VaultProbe.canary: 4" in output
    keys.use(NEW)
    assert {p.pk: p.canary for p in vault.objects.filter(key_id__startswith="note-")} == notes
    _rotate("--check")


@pytest.mark.django_db
def test_rotation_keeps_a_note_edited_while_it_ran(vault, keys):
    probe = vault.objects.create(key_id="note", canary="first version")
    stale = vault.objects.values_list("canary__ciphertext", flat=True).get(pk=probe.pk)
    keys.use(NEW, OLD)
    probe.canary = "edited by a psychologist during rotation"
    probe.save()

    field = vault._meta.get_field("canary")
    report = rotation.FieldReport(label="vault.VaultProbe.canary")
    rotation._rotate_batch(
        vault, field, [(probe.pk, probe.row_key, stale)], using="default", report=report
    )

    assert (report.rotated, report.changed_meanwhile) == (0, 1)
    assert vault.objects.get(pk=probe.pk).canary == "edited by a psychologist during rotation"


@pytest.mark.django_db
def test_undecryptable_value_is_reported_and_left_alone(vault, keys):
    _notes(vault, 3)
    keys.use(NEW)  # the old key removed before rotation: its values cannot be read
    before = dict(vault.objects.values_list("pk", "canary__ciphertext"))

    field = vault._meta.get_field("canary")
    report = rotation.rotate_field(vault, field, using="default", batch_size=2)

    assert report.rotated == 0
    assert sorted(pk for pk, _ in report.failed) == sorted(before)
    assert all("t-old" in reason for _, reason in report.failed)
    assert dict(vault.objects.values_list("pk", "canary__ciphertext")) == before
    # The command refuses even earlier: the canaries are under the missing key too.
    with pytest.raises(CommandError, match="'t-old', which is not configured"):
        _rotate()


@pytest.mark.django_db
def test_wrong_key_material_is_detected_by_the_canary_before_rotating(vault, keys):
    assert canary.record() is True
    assert canary.record() is False
    assert check_encryption_keys(databases=["default"]) == []
    _notes(vault, 2)
    keys.use(NEW, OLD_MISTYPED)

    errors = check_encryption_keys(databases=["default"])
    assert [e.id for e in errors] == ["vault.E001"]
    assert "'t-old' is not the key that encrypted this database" in errors[0].msg
    with pytest.raises(CommandError, match="Refusing"):
        _rotate()
    with pytest.raises(CommandError, match="Refusing"):
        _rotate("--check")
    # Nothing was written under the mistyped key, not even a canary for t-new.
    keys.use(NEW, OLD)
    assert _key_ids(vault) == {"t-old"}
    assert not vault.objects.filter(key_id="t-new").exists()


@pytest.mark.django_db
def test_unknown_model_is_refused(vault):
    with pytest.raises(CommandError, match="--model"):
        _rotate("--model", "vault.Nope")
    with pytest.raises(CommandError, match="no encrypted field"):
        _rotate("--model", "accounts.User")


def test_genkey_prints_a_usable_key_line():
    out = io.StringIO()
    call_command("genkey", "--id", "2027-a", stdout=out)
    line = out.getvalue().strip()
    assert crypto.KeyRing.from_entries([line]).current_id == "2027-a"
    with pytest.raises(CommandError):
        call_command("genkey", "--id", "no:colons", stdout=io.StringIO())
