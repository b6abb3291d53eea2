import uuid

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import isolate_apps

from parcours.lib import crypto
from parcours.lib.fields import EncryptedTextField, RowKeyField, Sealed

pytestmark = pytest.mark.django_db


def _raw(vault, pk):
    table = connection.ops.quote_name(vault._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT canary FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_value_round_trips_through_the_database(vault):
    note = f"Elle décrit des violences à la frontière — {uuid.uuid4()}"
    probe = vault.objects.create(key_id="a", canary=note)
    assert vault.objects.get(pk=probe.pk).canary == note
    # values_list has no row to decrypt with: the value stays sealed, and
    # cannot be shown by mistake.
    sealed = vault.objects.values_list("canary", flat=True).get(pk=probe.pk)
    assert isinstance(sealed, Sealed)
    with pytest.raises(TypeError, match="through model instances"):
        str(sealed)


def test_raw_column_holds_ciphertext_bound_to_the_current_key(vault):
    marker = uuid.uuid4().hex
    probe = vault.objects.create(key_id="a", canary=f"note {marker}")
    raw = _raw(vault, probe.pk)
    assert raw.startswith("enc2:t-old:")
    assert marker not in raw
    assert vault.objects.values_list("canary__ciphertext", flat=True).get(pk=probe.pk) == raw


def test_empty_note_stays_empty_and_queryable(vault):
    empty = vault.objects.create(key_id="empty", canary="")
    full = vault.objects.create(key_id="full", canary="something")
    assert _raw(vault, empty.pk) == ""
    assert list(vault.objects.filter(canary="").values_list("pk", flat=True)) == [empty.pk]
    assert list(vault.objects.exclude(canary="").values_list("pk", flat=True)) == [full.pk]
    assert vault.objects.filter(canary__isnull=False).count() == 2
    field = vault._meta.get_field("canary")
    assert field.get_prep_value(None) is None


@pytest.mark.parametrize(
    "lookup", ["icontains", "contains", "startswith", "iexact", "in", "gt", "regex", "lower"]
)
def test_searching_an_encrypted_field_is_refused_clearly(vault, lookup):
    value = ["x"] if lookup == "in" else "x"
    with pytest.raises(FieldError, match="vault.VaultProbe.canary is encrypted"):
        vault.objects.filter(**{f"canary__{lookup}": value}).count()


def test_equality_with_a_plaintext_is_refused_rather_than_never_matching(vault):
    vault.objects.create(key_id="a", canary="x")
    with pytest.raises(FieldError, match="can only be compared with '' or None"):
        vault.objects.filter(canary="x").exists()


def test_ciphertext_copied_from_another_column_does_not_decrypt(vault):
    probe = vault.objects.create(key_id="a", canary="placeholder")
    # Same row key, other column: only the column differs.
    foreign = crypto.encrypt(
        "a note about someone else",
        context="care.encounter.confidential_note",
        row=probe.row_key.hex,
    )
    table = connection.ops.quote_name(vault._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET canary = %s WHERE id = %s", [foreign, probe.pk])  # noqa: S608
    with pytest.raises(crypto.DecryptionError, match="vault.vaultprobe.canary"):
        _ = vault.objects.get(pk=probe.pk).canary


def test_value_read_with_wrong_key_raises_instead_of_showing_garbage(vault, keys):
    from tests.crypto.conftest import OLD_MISTYPED

    probe = vault.objects.create(key_id="a", canary="secret")
    keys.use(OLD_MISTYPED)
    with pytest.raises(crypto.DecryptionError):
        _ = vault.objects.get(pk=probe.pk).canary


def test_field_deconstructs_without_context_and_migrations_are_in_sync(vault):
    name, path, args, kwargs = vault._meta.get_field("canary").deconstruct()
    assert (name, path, args, kwargs) == (
        "canary",
        "parcours.lib.fields.EncryptedTextField",
        [],
        {},
    )
    # Exits non-zero if the model and its migration disagree.
    call_command("makemigrations", "vault", "--check", "--dry-run", verbosity=0)


@isolate_apps("parcours.vault")
def test_context_is_model_and_field_unless_pinned_after_a_rename():
    class Note(models.Model):
        body = EncryptedTextField(blank=True)
        renamed = EncryptedTextField(context="vault.oldnote.text")

        class Meta:
            app_label = "vault"

    body, renamed = Note._meta.get_field("body"), Note._meta.get_field("renamed")
    assert body.context == "vault.note.body"
    assert renamed.context == "vault.oldnote.text"
    assert renamed.deconstruct()[3] == {"context": "vault.oldnote.text"}


@isolate_apps("parcours.vault")
def test_unique_encrypted_field_fails_the_system_check():
    class Bad(models.Model):
        secret = EncryptedTextField(unique=True)
        row_key = RowKeyField()

        class Meta:
            app_label = "vault"

    assert [e.id for e in Bad._meta.get_field("secret").check()] == ["vault.E010"]


@isolate_apps("parcours.vault")
def test_encrypted_field_without_a_row_key_fails_the_system_check():
    class Rowless(models.Model):
        secret = EncryptedTextField()

        class Meta:
            app_label = "vault"

    assert [e.id for e in Rowless._meta.get_field("secret").check()] == ["vault.E011"]
