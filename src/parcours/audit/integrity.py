"""Checking the hash chains, and the one way to remove audit rows (the
retention purges of expired access-log and audit rows).

``verify`` walks a table in id order and recomputes every link from the
stored hash of the row before it, so it names exactly the row that was
altered; a row removed shows as a break at the row after the gap; rows
removed at the end show as a head that no longer matches the last row.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils.translation import gettext as _

from parcours.audit import chain
from parcours.audit.models import AccessLog, AuditEvent, ChainHead

BATCH = 5000
TABLES = {"audit_event": AuditEvent, "access_log": AccessLog}
GATE_OPEN = "INSERT INTO audit_gate (open) VALUES (1)"
GATE_CLOSE = "DELETE FROM audit_gate"


@dataclass(frozen=True)
class Break:
    table: str
    row_id: int | None
    message: str


@dataclass(frozen=True)
class Verification:
    table: str
    rows: int
    head: str
    breaks: tuple[Break, ...]

    @property
    def intact(self) -> bool:
        return not self.breaks


def _rows(model) -> Iterator:
    last_id = 0
    while True:
        batch = list(
            model.objects.filter(id__gt=last_id)
            .order_by("id")
            .only("id", "chain_hash", *model.CHAINED_FIELDS)[:BATCH]
        )
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id


def verify(table: str, *, max_breaks: int = 20) -> Verification:
    model = TABLES[table]
    head = ChainHead.of(table)
    previous = head.anchor
    previous_id = head.purged_through
    breaks: list[Break] = []
    rows = 0
    for row in _rows(model):
        rows += 1
        expected = chain.link(previous, row.chain_content())
        if expected != row.chain_hash and len(breaks) < max_breaks:
            breaks.append(
                Break(
                    table,
                    row.id,
                    _(
                        "row #%(id)s of %(at)s does not match its seal: it was altered, "
                        "or a row between #%(before)s and it was removed"
                    )
                    % {"id": row.id, "at": _when(row.at), "before": previous_id},
                )
            )
        previous, previous_id = row.chain_hash, row.id
    if previous != head.last and not breaks:
        breaks.append(
            Break(
                table,
                None,
                _("the last row (#%(id)s) is not the last one sealed: rows after it were removed")
                % {"id": previous_id},
            )
        )
    return Verification(table, rows, previous, tuple(breaks))


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else "?"


def purge_access_log(before: datetime) -> int:
    """The retention purge of the access log (12 months by default)."""
    return purge("access_log", before)


def purge_audit_events(before: datetime) -> int:
    """The retention purge of the audit trail (6 years by default)."""
    return purge("audit_event", before)


def purge(table: str, before: datetime) -> int:
    """Delete the rows of ``table`` written before ``before``, oldest first, and
    move the verification anchor to the last removed row so that the rest
    still verifies. A prefix cut: the chain is never cut in the middle.
    Returns how many rows went."""
    model = TABLES[table]
    alone = not connection.in_atomic_block
    with transaction.atomic():
        head = ChainHead.locked(table, alone=alone)
        # The oldest rows only, up to the first one still kept: a row written
        # after a kept one waits (clocks are monotonic in practice).
        first_kept = (
            model.objects.filter(at__gte=before).order_by("id").values_list("id", flat=True)
        ).first()
        expired = model.objects.filter(at__lt=before)
        if first_kept is not None:
            expired = expired.filter(id__lt=first_kept)
        expired = expired.order_by("-id").values_list("id", "chain_hash")[:1]
        if not expired:
            return 0
        last_id, last_hash = expired[0]
        with connection.cursor() as cursor:
            cursor.execute(GATE_OPEN)
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE id <= %s",  # noqa: S608 - fixed names
                [last_id],
            )
            removed = cursor.rowcount
            cursor.execute(GATE_CLOSE)
        head.anchor, head.purged_through = last_hash, last_id
        head.purged_rows += removed
        head.save(update_fields=["anchor", "purged_through", "purged_rows"])
    return removed
