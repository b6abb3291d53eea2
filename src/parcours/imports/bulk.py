"""Plain multi-row INSERTs for the import's bulk writes: the rows the ORM's
bulk_create would write, without building a model instance per row (the
benchmark imports 100,000 persons with their codes, name keys, import rows,
audit rows and report rows). Values are given as the database takes them;
datetimes and JSON go through the field's own preparation."""

import json
from functools import lru_cache

from django.db import connection
from django.utils import timezone

from parcours.audit import services as audit
from parcours.lib.fields import seal_raw_rows


def insert(model, columns: list[str], rows: list[tuple], *, batch: int = 2000) -> None:
    if not rows:
        return
    # Encrypted values are bound to a row key drawn here for each row.
    columns, rows = seal_raw_rows(model, columns, rows, connection)
    qn = connection.ops.quote_name
    fields = {f.column: f for f in model._meta.concrete_fields}
    prepare = [_preparer(fields[c]) for c in columns]
    # Table and column names come from the model (quoted), values are parameters.
    names = ", ".join(qn(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, _prepared(prepare, rows[start : start + batch]))


def _prepared(prepare: list, rows: list[tuple]) -> list:
    """``rows`` with the columns that need it prepared (only those: most
    columns are plain values, and the import writes millions of them)."""
    todo = [(i, p) for i, p in enumerate(prepare) if p]
    if not todo:
        return rows
    width = len(prepare)
    out = []
    for row in rows:
        if len(row) != width:
            raise ValueError(f"{len(row)} values for {width} columns")
        row = list(row)
        for i, p in todo:
            row[i] = p(row[i])
        out.append(row)
    return out


def _preparer(field):
    internal = field.get_internal_type()
    ops = connection.ops
    if internal == "DateTimeField":
        # Rows of one write share their timestamp: adapted once.
        return lru_cache(maxsize=64)(ops.adapt_datetimefield_value)
    if internal == "DateField":
        return ops.adapt_datefield_value
    if internal == "JSONField":
        if connection.vendor == "sqlite":
            # Most rows hold an empty list or dict (languages, previous values).
            def dumps(v):
                if type(v) in (list, dict) and not v:
                    return "[]" if type(v) is list else "{}"
                return json.dumps(v, cls=field.encoder)

            return dumps
        return lambda v: field.get_db_prep_save(v, connection)
    return None


def now():
    return timezone.now()


def insert_returning_ids(
    model, columns: list[str], rows: list[tuple], *, batch: int = 400
) -> list[int]:
    """Multi-row INSERT … RETURNING id (SQLite ≥ 3.35, PostgreSQL): the new
    ids in the order of ``rows``."""
    if not rows:
        return []
    columns, rows = seal_raw_rows(model, columns, rows, connection)
    qn = connection.ops.quote_name
    fields = {f.column: f for f in model._meta.concrete_fields}
    prepare = [_preparer(fields[c]) for c in columns]
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    head = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) VALUES "  # noqa: S608
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = _prepared(prepare, rows[start : start + batch])
            params = [v for row in chunk for v in row]
            cursor.execute(head + ", ".join([one] * len(chunk)) + f" RETURNING {qn('id')}", params)
            ids += [row[0] for row in cursor.fetchall()]
    return ids


IMPORTED_ROW_COLUMNS = [
    "source",
    "entity",
    "source_key",
    "target_type",
    "target_id",
    "fingerprint",
    "version",
    "previous",
    "created_batch_id",
    "updated_batch_id",
]


def audit_events(rows: list[dict]) -> None:
    """Audit rows in bulk, sealed into the hash chain by the audit app
    (audit.services.record_many). ``changes`` and ``extra`` must be
    JSON-native already (``audit._jsonable`` values): the sealed content is
    then exactly what the database gives back."""
    audit.record_many(rows)
