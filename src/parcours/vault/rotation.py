"""Re-encrypt values under the current key, in small committed batches.

Progress lives in the data itself: a value is done when its ciphertext
starts with ``enc1:<current id>:``. An interrupted run loses at most the
batch in flight, and the next run only sees what is left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction

from parcours.lib import crypto
from parcours.lib.fields import EncryptedTextField


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
    """Values not under the current key, per old key id ('other' = unknown key or not encrypted)."""
    remaining = not_current(model, model_field, using=using)
    total = remaining.count()
    counts: dict[str, int] = {}
    ring = crypto.get_key_ring()
    for key_id in ring.keys:
        if key_id == ring.current_id:
            continue
        prefix = f"{crypto.PREFIX}:{key_id}:"
        counts[key_id] = remaining.filter(
            **{f"{model_field.name}__ciphertext__startswith": prefix}
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
        rows = list(page.values_list("pk", raw)[:batch_size])
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
        for pk, token in rows:
            try:
                plaintext = crypto.decrypt(token, context=model_field.context)
            except crypto.DecryptionError as exc:
                failed.append((pk, str(exc)))
                continue
            # Compare-and-set: a row saved by a user since we read it keeps
            # the user's value (already under the current key).
            if manager.filter(pk=pk, **{raw: token}).update(**{model_field.name: plaintext}):
                rotated += 1
            else:
                changed += 1
    # Counted only once the batch is committed.
    report.rotated += rotated
    report.changed_meanwhile += changed
    report.failed.extend(failed)
