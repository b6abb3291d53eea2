"""The two ways to write to the audit trail, called explicitly by services."""

from collections.abc import Iterable
from typing import Any

from django.db import connection, models, transaction

from parcours.audit import chain
from parcours.audit.events import Event, Read
from parcours.audit.models import AccessLog, AuditEvent, ChainHead


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def record(
    *,
    actor,
    event: Event,
    subject: models.Model,
    project=None,
    changes: dict[str, tuple[Any, Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    event = Event(event)  # a name not in Event raises ValueError here
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        event=event,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        project=project,
        changes={k: [_jsonable(b), _jsonable(a)] for k, (b, a) in (changes or {}).items()},
        extra={k: _jsonable(v) for k, v in (extra or {}).items()},
    )


def record_many(rows: list[dict[str, Any]]) -> None:
    """Many audit rows in one statement per chunk (an import writes tens of
    thousands), sealed into the hash chain exactly as ``AuditEvent.save``
    seals one, without building a model instance per row.

    Each row is a dict of ``chain.AUDIT_EVENT_FIELDS`` (``at`` an aware
    datetime, ``actor_id`` and ``project_id`` ids or None, ``changes`` and
    ``extra`` JSON-native: what the database gives back is what was sealed).
    """
    if not rows:
        return
    names = [*chain.AUDIT_EVENT_FIELDS, "chain_hash"]
    fields = {f.attname: f for f in AuditEvent._meta.concrete_fields}
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(AuditEvent._meta.db_table)} "  # noqa: S608 - names from the model
        f"({', '.join(qn(fields[n].column) for n in names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    prepare = [_saver(fields[n]) for n in names]
    with transaction.atomic():
        head = ChainHead.locked("audit_event")
        last = head.last
        values = []
        # The rows of one call mostly share their time: its canonical text
        # (what chain.content turns a datetime into) worked out once.
        instants: dict = {}
        for row in rows:
            hashed = {n: row[n] for n in chain.AUDIT_EVENT_FIELDS}
            at = hashed["at"]
            if at not in instants:
                instants[at] = chain._canonical(at)
            hashed["at"] = instants[at]
            last = chain.link(last, chain.content(hashed))
            sealed = [*(row[n] for n in chain.AUDIT_EVENT_FIELDS), last]
            values.append([p(v) for p, v in zip(prepare, sealed, strict=True)])
        with connection.cursor() as cursor:
            for start in range(0, len(values), 1000):
                cursor.executemany(sql, values[start : start + 1000])
        head.last = last
        head.save(update_fields=["last"])


def _saver(field):
    """``field.get_db_prep_save`` for one column of ``record_many``: JSON
    straight to the backend's adapter (what the field ends with; values are
    JSON-native), the other columns' values remembered (the rows of one call
    share their time, actor, event, project)."""
    if isinstance(field, models.JSONField):
        adapt, encoder = connection.ops.adapt_json_value, field.encoder
        return lambda value: None if value is None else adapt(value, encoder)
    if type(field) is models.CharField:
        # A str is what CharField.get_prep_value gives back for a str.
        return lambda value: (
            value if type(value) is str else field.get_db_prep_save(value, connection)
        )
    prepared: dict = {}

    def save(value):
        try:
            return prepared[value]
        except KeyError:
            result = prepared[value] = field.get_db_prep_save(value, connection)
            return result

    return save


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (before.get(k), after[k]) for k in after if before.get(k) != after[k]}


def log_access(
    *,
    user,
    persons: Iterable,
    what: Read,
    channel: str,
    purpose: str = "",
    break_glass: bool = False,
) -> None:
    """One access-log row per person read, in one statement."""
    what = Read(what)  # a value not in Read raises ValueError here
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=user,
                person=person,
                what=what,
                channel=channel,
                purpose=purpose[:255],
                break_glass=break_glass,
            )
            for person in persons
        ],
        batch_size=500,
    )


def log_web_read(request, person, what: Read) -> None:
    """The access-log row of a page showing ``person``: purpose from ?purpose=,
    flagged when the record was reached through break-glass."""
    what = Read(what)
    log_access(
        user=request.user,
        persons=[person],
        what=what,
        channel=AccessLog.Channel.WEB,
        purpose=request.GET.get("purpose", ""),
        break_glass=getattr(person, "break_glass", None) is not None,
    )
