"""Dates and ages in native SQL, so that a GROUP BY over a million rows does
not call Python once per row (Django's time-zone-aware Extract and Trunc
are Python functions on SQLite).

``LocalDate`` is the calendar date of a datetime column in the project's
time zone (settings.TIME_ZONE): on SQLite, the UTC offsets of the time zone
over the rows' window are known in advance (at most a few changes a year)
and written as a CASE of ``date(column, '+N seconds')``; on PostgreSQL,
``AT TIME ZONE``. Other databases fall back to Django's functions.
"""

from datetime import UTC, datetime, timedelta
from functools import lru_cache

from django.db.models import CharField, DateField, Func, IntegerField
from django.db.models.functions import (
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    TruncDate,
)
from django.utils import timezone

_SQLITE_FORMAT = "%Y-%m-%d %H:%M:%S"


def offset_segments(start: datetime, end: datetime) -> list[tuple[datetime | None, int]]:
    """[(UTC instant until which the offset holds (None: to the end), offset
    in seconds)] of the default time zone over [start, end)."""
    tz = timezone.get_default_timezone()
    # Every dimension and trend of a page asks for the same few windows.
    return list(_segments(start.astimezone(UTC), end.astimezone(UTC), tz))


@lru_cache(maxsize=256)
def _segments(start: datetime, end: datetime, tz) -> tuple:
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    segments: list[tuple[datetime | None, int]] = []
    current = int(start.astimezone(tz).utcoffset().total_seconds())
    moment = start
    step = timedelta(hours=1)
    # Walk by days, then find the hour of each change.
    day = timedelta(days=1)
    while moment < end:
        following = min(moment + day, end)
        offset = int(following.astimezone(tz).utcoffset().total_seconds())
        if offset != current:
            probe = moment
            while int((probe + step).astimezone(tz).utcoffset().total_seconds()) == current:
                probe += step
            change = probe + step
            segments.append((change, current))
            current = offset
        moment = following
    segments.append((None, current))
    return tuple(segments)


@lru_cache(maxsize=256)
def period_starts(window: tuple[datetime, datetime], kind: str) -> list[tuple[str, str]]:
    """[(UTC instant as SQLite stores it, code)] of each local month, quarter
    or year that meets [start, end)."""
    tz = timezone.get_default_timezone()
    first = window[0].astimezone(tz).date()
    year, month = first.year, first.month
    if kind == "quarter":
        month -= (month - 1) % 3
    elif kind == "year":
        month = 1
    step = {"month": 1, "quarter": 3, "year": 12}[kind]
    out = []
    while True:
        start = timezone.make_aware(datetime(year, month, 1), tz)
        if out and start >= window[1]:
            return out
        if kind == "month":
            code = f"{year:04d}-{month:02d}"
        elif kind == "quarter":
            code = f"{year:04d}-Q{(month - 1) // 3 + 1}"
        else:
            code = f"{year:04d}"
        out.append((start.astimezone(UTC).strftime(_SQLITE_FORMAT), code))
        index = year * 12 + month - 1 + step
        year, month = index // 12, index % 12 + 1


class LocalDate(Func):
    """The local calendar date of a datetime column whose rows lie in ``window``."""

    output_field = DateField()

    def __init__(self, expression, window: tuple[datetime, datetime]):
        super().__init__(expression)
        self.window = window

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(TruncDate(self.source_expressions[0]))

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        segments = offset_segments(*self.window)
        if len(segments) == 1:
            return f"date({column}, %s)", [*params, f"{segments[0][1]:+d} seconds"]
        sql, args = ["CASE"], []
        for until, offset in segments[:-1]:
            sql.append(f"WHEN {column} < %s THEN date({column}, %s)")
            args += [*params, until.strftime(_SQLITE_FORMAT), *params, f"{offset:+d} seconds"]
        sql.append(f"ELSE date({column}, %s) END")
        args += [*params, f"{segments[-1][1]:+d} seconds"]
        return " ".join(sql), args

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"(({column}) AT TIME ZONE %s)::date", [
            *params,
            timezone.get_default_timezone_name(),
        ]


class AgeYears(Func):
    """Whole years between a date of birth and a date, in SQL."""

    output_field = IntegerField()

    def __init__(self, birth, on):
        super().__init__(birth, on)

    def as_sql(self, compiler, connection, **extra):
        from django.db.models import Case, Value, When
        from django.db.models.lookups import LessThan

        birth, on = self.source_expressions
        before = Case(
            When(
                LessThan(
                    ExtractMonth(on) * 100 + ExtractDay(on),
                    ExtractMonth(birth) * 100 + ExtractDay(birth),
                ),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
        return compiler.compile(ExtractYear(on) - ExtractYear(birth) - before)

    def as_sqlite(self, compiler, connection, **extra):
        birth, b_params = compiler.compile(self.source_expressions[0])
        on, o_params = compiler.compile(self.source_expressions[1])
        sql = (
            f"(CAST(strftime('%%Y', {on}) AS INTEGER) - CAST(strftime('%%Y', {birth}) AS INTEGER)"
            f" - (strftime('%%m-%%d', {on}) < strftime('%%m-%%d', {birth})))"
        )
        return sql, [*o_params, *b_params, *o_params, *b_params]

    def as_postgresql(self, compiler, connection, **extra):
        birth, b_params = compiler.compile(self.source_expressions[0])
        on, o_params = compiler.compile(self.source_expressions[1])
        return f"CAST(date_part('year', age({on}, {birth})) AS integer)", [*o_params, *b_params]


class LocalPeriodCode(Func):
    """The code of the month (2026-10), quarter (2026-Q4) or year (2026) of
    the local date of a datetime column."""

    output_field = CharField()

    def __init__(self, expression, kind: str, window):
        super().__init__(LocalDate(expression, window))
        self.kind = kind

    def as_sql(self, compiler, connection, **extra):
        from django.db.models import Value
        from django.db.models.functions import Cast, Concat, LPad

        date = self.source_expressions[0]
        year = Cast(ExtractYear(date), CharField())
        if self.kind == "year":
            return compiler.compile(year)
        month = ExtractMonth(date)
        if self.kind == "month":
            expression = Concat(
                year,
                Value("-"),
                LPad(Cast(month, CharField()), 2, Value("0")),
                output_field=CharField(),
            )
        else:
            quarter = (month + 2) / 3
            expression = Concat(
                year, Value("-Q"), Cast(quarter, CharField()), output_field=CharField()
            )
        return compiler.compile(expression)

    def as_sqlite(self, compiler, connection, **extra):
        # The rows lie in the window: comparing the stored UTC text with the
        # UTC instants at which each local period starts is far cheaper per
        # row than working out the local date.
        local = self.source_expressions[0]
        column, col_params = compiler.compile(local.source_expressions[0])
        starts = period_starts(local.window, self.kind)
        if len(starts) == 1:
            # A window of one period (a kept month counted again): its code.
            return "%s", [starts[0][1]]
        sql, params = ["CASE"], []
        for (_start, code), (following, _code) in zip(starts, starts[1:], strict=False):
            sql.append(f"WHEN {column} < %s THEN %s")
            params += [*col_params, following, code]
        sql.append("ELSE %s END")
        params.append(starts[-1][1])
        return " ".join(sql), params

    def _sqlite_from_date(self, compiler, connection):
        date, params = compiler.compile(self.source_expressions[0])
        if self.kind == "year":
            return f"strftime('%%Y', {date})", params
        if self.kind == "month":
            return f"strftime('%%Y-%%m', {date})", params
        return (
            f"(strftime('%%Y', {date}) || '-Q' || "
            f"((CAST(strftime('%%m', {date}) AS INTEGER) + 2) / 3))",
            [*params, *params],
        )

    def as_postgresql(self, compiler, connection, **extra):
        date, params = compiler.compile(self.source_expressions[0])
        pattern = {"year": "YYYY", "month": "YYYY-MM", "quarter": 'YYYY-"Q"Q'}[self.kind]
        return f"to_char({date}, %s)", [*params, pattern]


class AgeBucket(Func):
    """The code of the age group (``buckets``: [(highest age, code)…], then
    ``last`` for older) of a person on a date; ``unknown`` without a date of
    birth. SQLite computes the age once per row: a string indexed by the age
    gives the group (a simple CASE evaluates its operand once)."""

    output_field = CharField()
    MAX_AGE = 130

    def __init__(self, birth, on, buckets, last, unknown):
        super().__init__(birth, on)
        self.buckets, self.last, self.unknown = list(buckets), last, unknown

    def _generic(self):
        from django.db.models import Case, Value, When
        from django.db.models.lookups import IsNull, LessThan

        birth, on = self.source_expressions
        age = AgeYears(birth, on)
        whens = [When(IsNull(birth, True), then=Value(self.unknown))]
        whens += [When(LessThan(age, high + 1), then=Value(code)) for high, code in self.buckets]
        return Case(*whens, default=Value(self.last), output_field=CharField())

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(self._generic())

    def as_sqlite(self, compiler, connection, **extra):
        birth_sql, birth_params = compiler.compile(self.source_expressions[0])
        age_sql, age_params = compiler.compile(AgeYears(*self.source_expressions))
        letters = "abcdefghijklmnopqrstuvwxyz"
        table, low = [], 0
        for i, (high, _code) in enumerate(self.buckets):
            table += [letters[i]] * (high + 1 - low)
            low = high + 1
        table += ["z"] * (self.MAX_AGE + 1 - low)
        whens = " ".join(f"WHEN '{letters[i]}' THEN %s" for i in range(len(self.buckets)))
        sql = (
            f"CASE WHEN {birth_sql} IS NULL THEN %s ELSE "
            f"CASE substr(%s, min(max({age_sql}, 0), {self.MAX_AGE}) + 1, 1) {whens} ELSE %s END END"
        )
        params = [
            *birth_params,
            self.unknown,
            "".join(table),
            *age_params,
            *[code for _high, code in self.buckets],
            self.last,
        ]
        return sql, params
