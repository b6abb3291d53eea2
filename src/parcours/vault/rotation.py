"""Re-encrypt values under the current key, in small committed batches.

Progress lives in the data itself: a value is done when its ciphertext
starts with ``enc2:<current id>:``. Older ``enc1:`` values (bound to their
column only) are rewritten as ``enc2:`` (bound to their row as well), under
whatever key they were. An interrupted run loses at most the batch in
flight, and the next run only sees what is left.

Also used by the data migrations that convert ``enc1:`` values (with the
historical models: only ``_base_manager``, ``values_list`` and ``update``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction

from parcours.lib import crypto
from parcours.lib.fields import ROW_KEY, EncryptedJSONField, EncryptedTextField, row_of


@dataclass
class FieldReport:
    label: str
    rotated: int = 0
    # Rows edited by someone else between our read and our write: their new
    # value is already under the current key, so ours is dropped.
    changed_meanwhile: int = 0
    failed: list[tuple[object, str]] = field(default_factory=list)


def encrypted_fields(
    model_label: str | None = None,
) -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every (model, field) holding encrypted values; LookupError for an unknown label."""
    candidates = [apps.get_model(model_label)] if model_label else apps.get_models()
    found = []
    for model in candidates:
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.local_concrete_fields:
            if isinstance(model_field, EncryptedTextField):
                found.append((model, model_field))
    return found


def field_label(model: type[models.Model], model_field: EncryptedTextField) -> str:
    return f"{model._meta.label}.{model_field.name}"


def not_current(model, model_field, *, using: str) -> models.QuerySet:
    """Rows whose value is set and not encrypted under the current key."""
    name = model_field.name
    return (
        model._base_manager.using(using)
        .exclude(**{f"{name}__isnull": True})
        .exclude(**{name: ""})
        .exclude(**{f"{name}__ciphertext__startswith": crypto.current_prefix()})
    )


def count_by_key(model, model_field, *, using: str) -> dict[str, int]:
    """Values not in the current format under the current key, per old key id
    (``enc1 <id>`` for the old, row-less format; 'other' = unknown key or not encrypted)."""
    remaining = not_current(model, model_field, using=using)
    total = remaining.count()
    counts: dict[str, int] = {}
    ring = crypto.get_key_ring()
    for key_id in ring.keys:
        for version in crypto.PREFIXES:
            if key_id == ring.current_id and version == crypto.PREFIX:
                continue
            label = key_id if version == crypto.PREFIX else f"{version} {key_id}"
            counts[label] = remaining.filter(
                **{f"{model_field.name}__ciphertext__startswith": f"{version}:{key_id}:"}
            ).count()
    other = total - sum(counts.values())
    if other:
        counts["other"] = other
    return {key_id: n for key_id, n in counts.items() if n}


def rotate_field(
    model,
    model_field: EncryptedTextField,
    *,
    using: str,
    batch_size: int = 500,
    progress: Callable[[FieldReport], None] | None = None,
    report: FieldReport | None = None,
) -> FieldReport:
    """Re-encrypt one field; ``report`` (filled batch by batch) survives an interruption."""
    report = report or FieldReport(label=field_label(model, model_field))
    remaining = not_current(model, model_field, using=using).order_by("pk")
    raw = f"{model_field.name}__ciphertext"
    last_pk = None
    while True:
        page = remaining if last_pk is None else remaining.filter(pk__gt=last_pk)
        rows = list(page.values_list("pk", ROW_KEY, raw)[:batch_size])
        if not rows:
            return report
        _rotate_batch(model, model_field, rows, using=using, report=report)
        last_pk = rows[-1][0]
        if progress:
            progress(report)


def _rotate_batch(model, model_field, rows, *, using: str, report: FieldReport) -> None:
    manager = model._base_manager.using(using)
    raw = f"{model_field.name}__ciphertext"
    rotated = changed = 0
    failed = []
    with transaction.atomic(using=using):
        for pk, row_key, token in rows:
            try:
                # enc1 is always read here, whatever PARCOURS_ENCRYPTION_READ_ENC1 says:
                # this is the path that converts it.
                plaintext = crypto.decrypt(
                    token, context=model_field.context, row=row_of(row_key), allow_enc1=True
                )
            except crypto.DecryptionError as exc:
                failed.append((pk, str(exc)))
                continue
            changes = {}
            if row_key is None:
                # An enc1 value on a row that never had a row key.
                row_key = changes[ROW_KEY] = uuid.uuid4()
            changes[model_field.name] = model_field.seal(plaintext, row_key)
            # Compare-and-set: a row saved by a user since we read it keeps
            # the user's value (already under the current key).
            if manager.filter(pk=pk, **{raw: token}).update(**changes):
                rotated += 1
            else:
                changed += 1
    # Counted only once the batch is committed.
    report.rotated += rotated
    report.changed_meanwhile += changed
    report.failed.extend(failed)


def migrate_values(app_label: str, model_name: str, *, plaintext: tuple[str, ...] = ()):
    """A data migration's function: every encrypted field of the (historical)
    model rewritten as ``enc2:`` under the current key. ``plaintext`` names
    fields that were plain text columns until this migration: their values
    are encrypted. Values that cannot be decrypted are left as they are (they
    were unreadable already) and reported; ``rotate_key --check`` lists them."""

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        using = schema_editor.connection.alias
        for model_field in model._meta.local_concrete_fields:
            if not isinstance(model_field, EncryptedTextField):
                continue
            if model_field.name in plaintext:
                _encrypt_plaintext(model, model_field, using=using)
            report = rotate_field(model, model_field, using=using)
            for pk, reason in report.failed[:20]:
                print(f"  {report.label} pk={pk} left as it is: {reason}")  # noqa: T201

    return forward


def _encrypt_plaintext(model, model_field, *, using: str, batch_size: int = 500) -> None:
    raw = f"{model_field.name}__ciphertext"
    is_json = isinstance(model_field, EncryptedJSONField)
    rows = (
        model._base_manager.using(using)
        .exclude(**{f"{model_field.name}__isnull": True})
        .exclude(**{model_field.name: ""})
        .exclude(**{f"{raw}__startswith": f"{crypto.PREFIX}:"})
        .exclude(**{f"{raw}__startswith": f"{crypto.LEGACY_PREFIX}:"})
        .order_by("pk")
    )
    last_pk = None
    while True:
        page = rows if last_pk is None else rows.filter(pk__gt=last_pk)
        batch = list(page.values_list("pk", ROW_KEY, raw)[:batch_size])
        if not batch:
            return
        with transaction.atomic(using=using):
            for pk, row_key, text in batch:
                changes = {}
                if is_json and json.loads(text) in ([], {}):
                    # An empty list is stored as "" like an empty note.
                    model._base_manager.using(using).filter(pk=pk).update(**{model_field.name: ""})
                    continue
                if row_key is None:
                    row_key = changes[ROW_KEY] = uuid.uuid4()
                changes[model_field.name] = model_field.seal(text, row_key)
                model._base_manager.using(using).filter(pk=pk).update(**changes)
        last_pk = batch[-1][0]
