from datetime import date

import pytest

from parcours.meal.periods import Period, PeriodError, parse_period, trend


@pytest.mark.parametrize(
    ("text", "start", "end", "kind", "code"),
    [
        ("2026-10", date(2026, 10, 1), date(2026, 10, 31), "month", "2026-10"),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "month", "2026-02"),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "quarter", "2026-Q4"),
        ("2026q1", date(2026, 1, 1), date(2026, 3, 31), "quarter", "2026-Q1"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "year", "2026"),
        (
            "2026-10-01..2026-12-31",
            date(2026, 10, 1),
            date(2026, 12, 31),
            "range",
            "2026-10-01..2026-12-31",
        ),
    ],
)
def test_parse(text, start, end, kind, code):
    period = parse_period(text)
    assert (period.start, period.end, period.kind, period.code) == (start, end, kind, code)
    assert period.label


@pytest.mark.parametrize(
    "text",
    [
        "",
        "October",
        "2026-13",
        "2026-Q5",
        "2026-10-31..2026-10-01",
        "2026-02-30..2026-03-01",
        "1900-01-01..2026-01-01",
        None,
    ],
)
def test_unknown_formats_are_refused_with_a_message(text):
    with pytest.raises(PeriodError) as error:
        parse_period(text)
    assert str(error.value)


def test_previous_and_trend():
    assert parse_period("2026-01").previous().code == "2025-12"
    assert parse_period("2026-Q1").previous(2).code == "2025-Q3"
    assert parse_period("2026").previous(3).code == "2023"
    week = parse_period("2026-10-08..2026-10-14")
    assert week.previous().code == "2026-10-01..2026-10-07"
    months = trend(parse_period("2026-10"), 12)
    assert [p.code for p in months][:2] == ["2025-11", "2025-12"] and months[-1].code == "2026-10"


def test_external_codes():
    assert parse_period("2026-10").dhis2 == "202610"
    assert parse_period("2026-Q4").dhis2 == "2026Q4"
    assert parse_period("2026").dhis2 == "2026"
    assert parse_period("2026-10-01..2026-10-10").dhis2 is None
    assert parse_period("2026-10").iso_interval == "2026-10-01/P1M"
    assert parse_period("2026-Q4").iso_interval == "2026-10-01/P3M"
    assert parse_period("2026-10-01..2026-10-10").iso_interval == "2026-10-01/P10D"


def test_bounds_are_midnight_in_paris():
    start, end = Period.month(2026, 10).bounds()
    assert start.isoformat() == "2026-10-01T00:00:00+02:00"
    assert end.isoformat() == "2026-11-01T00:00:00+01:00"
