"""Detect wrong key material before it does damage.

Every key that becomes current gets a VaultProbe row whose canary is a known
text. A canary that no longer decrypts means the key configured under that
id is not the one that encrypted this database (a typo, another site's key
file): new writes would then be unreadable with the real key.
"""

from django.db import DEFAULT_DB_ALIAS, connections, router

from parcours.lib import crypto
from parcours.lib.fields import row_of
from parcours.vault.models import VaultProbe

CANARY_TEXT = "parcours encryption canary"


def _table_ready(using: str) -> bool:
    if not router.allow_migrate_model(using, VaultProbe):
        return False
    return VaultProbe._meta.db_table in connections[using].introspection.table_names()


def verify(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Problems with the configured keys, as sentences; [] when all is well."""
    if not _table_ready(using):
        return []
    context = VaultProbe._meta.get_field("canary").context
    problems: dict[str, str] = {}
    probes = VaultProbe.objects.using(using).exclude(canary="")
    if _has_row_keys(using):
        rows = probes.values_list("row_key", "canary__ciphertext")
    else:
        # `migrate` checks the keys before it adds the row keys: enc1 canaries.
        rows = ((None, token) for token in probes.values_list("canary__ciphertext", flat=True))
    for row_key, token in rows:
        # GCM authentication is the test: a canary that decrypts at all was
        # written with exactly this key material.
        try:
            crypto.decrypt(token, context=context, row=row_of(row_key))
        except crypto.UnknownKeyError:
            key_id = crypto.key_id_of(token)
            problems[key_id] = (
                f"a canary is encrypted under key {key_id!r}, which is not configured: "
                "values under that key cannot be read (put it back in PARCOURS_ENCRYPTION_KEYS)"
            )
        except crypto.DecryptionError:
            key_id = _safe_key_id(token)
            problems[key_id] = (
                f"the key configured as {key_id!r} is not the key that encrypted this "
                "database (its canary does not decrypt)"
            )
    return list(problems.values())


def _has_row_keys(using: str) -> bool:
    with connections[using].cursor() as cursor:
        description = connections[using].introspection.get_table_description(
            cursor, VaultProbe._meta.db_table
        )
    return any(column.name == "row_key" for column in description)


def _safe_key_id(token: str) -> str:
    try:
        return crypto.key_id_of(token)
    except crypto.DecryptionError:
        return "?"


def record(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Record a canary for the current key if it has none; True if created."""
    if not _table_ready(using):
        return False
    current = crypto.current_key_id()
    probes = VaultProbe.objects.using(using)
    if probes.filter(key_id=current).exists():
        return False
    probes.create(key_id=current, canary=CANARY_TEXT)
    return True


def record_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    # A database whose canaries fail is left alone: the system check reports
    # it, and pinning a canary to a wrong key would only hide the mistake.
    if not verify(using):
        record(using)
