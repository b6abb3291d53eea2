"""Paging a long ordered list by key (keyset), not by OFFSET.

A page starts after (or ends before) one row of the list, named by its id:
the database walks its index from that row, so a page deep in a list of
100,000 costs what the first one does. The cursor is an id, never a value:
a name in a URL would end up in browser history and server logs.
"""

from dataclasses import dataclass

from django.db import connection


@dataclass
class KeysetPage:
    object_list: list
    count: int
    has_previous: bool
    has_next: bool
    previous_before: int | None  # ?before=<id> gives the previous page
    next_after: int | None  # ?after=<id> gives the next page


def _row_value(queryset, fields, op: str, values) -> object:
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    columns = ", ".join(
        f"{table}.{connection.ops.quote_name(queryset.model._meta.get_field(f).column)}"
        for f in fields
    )
    marks = ", ".join(["%s"] * len(values))
    # Raw SQL gets the values as the database stores them (dates with their
    # time zone handling, decimals…), as the ORM would prepare them.
    values = [
        queryset.model._meta.get_field(f).get_db_prep_value(v, connection, prepared=False)
        for f, v in zip(fields, values, strict=True)
    ]
    # A row-value comparison, which SQLite (3.15+) and PostgreSQL serve from
    # the index on the same columns.
    return queryset.extra(where=[f"({columns}) {op} ({marks})"], params=list(values))  # noqa: S610


def keyset_page(
    queryset,
    fields: tuple[str, ...],
    *,
    size: int,
    count: int,
    after: int | None = None,
    before: int | None = None,
) -> KeysetPage:
    """One page of ``queryset`` ordered by ``fields`` (the last one unique,
    e.g. the id; all ascending, or all descending with "-"). ``after`` and
    ``before`` name a row of the same queryset; one that is not in it (gone,
    or never the user's) gives the first page."""
    descending = fields[0].startswith("-")
    names = tuple(f.lstrip("-") for f in fields)
    forward, backward = ("<", ">") if descending else (">", "<")
    reverse = tuple(f"-{n}" for n in names) if not descending else names
    ordered = queryset.order_by(*fields)
    anchor = None
    cursor = after if after is not None else before
    if cursor is not None:
        anchor = queryset.filter(pk=cursor).values_list(*names).first()
    if anchor is not None and before is not None:
        rows = list(_row_value(queryset, names, backward, anchor).order_by(*reverse)[: size + 1])
        has_previous = len(rows) > size
        rows = list(reversed(rows[:size]))
        has_next = True
    else:
        start = ordered if anchor is None else _row_value(ordered, names, forward, anchor)
        rows = list(start[: size + 1])
        has_next = len(rows) > size
        rows = rows[:size]
        has_previous = anchor is not None
    return KeysetPage(
        object_list=rows,
        count=count,
        has_previous=has_previous and bool(rows),
        has_next=has_next and bool(rows),
        previous_before=rows[0].pk if rows and has_previous else None,
        next_after=rows[-1].pk if rows and has_next else None,
    )
