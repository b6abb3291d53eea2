"""Deadlines in aware datetimes: 72 h is 72 real hours across a clock change;
days are calendar days at the same wall-clock time (Europe/Paris)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from parcours.cases import clock
from parcours.cases.definitions import Deadline, DefinitionError, parse, pathways

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _paris(settings):
    settings.TIME_ZONE = "Europe/Paris"
    with timezone.override(PARIS), translation.override("en"):
        yield


def test_pep_72_hours_across_the_october_change():
    # Saturday 24 October 2026, 12:00 summer time; clocks go back on Sunday 25.
    incident = paris(2026, 10, 24, 12, 0)
    due = clock.due_at(Deadline("event", "hours", 72), incident)
    # 72 real hours later is 11:00 winter time on Tuesday 27 (not 12:00).
    assert due == paris(2026, 10, 27, 11, 0)
    assert timezone.localtime(due).hour == 11
    assert (due - incident.astimezone(UTC)).total_seconds() == 72 * 3600
    # On Sunday 25 at 12:00 (winter time), 25 real hours have passed: 47 h left.
    assert clock.describe(due, paris(2026, 10, 25, 12, 0)) == "47 h left"


def test_pep_72_hours_across_the_march_change():
    # Saturday 28 March 2026, 12:00 winter time; clocks go forward on Sunday 29.
    incident = paris(2026, 3, 28, 12, 0)
    due = clock.due_at(Deadline("event", "hours", 72), incident)
    assert due == paris(2026, 3, 31, 13, 0)
    assert clock.describe(due, paris(2026, 3, 29, 12, 0)) == "49 h left"


def test_calendar_days_keep_the_wall_clock_time_across_the_change():
    start = paris(2026, 10, 20, 10, 0)
    due = clock.due_at(Deadline("start", "days", 7), start)
    assert due == paris(2026, 10, 27, 10, 0)
    assert (
        due - start.astimezone(UTC)
    ).total_seconds() == 7 * 24 * 3600 + 3600  # one hour longer that week


def test_emergency_contraception_120_hours_and_overdue_wording():
    incident = paris(2026, 10, 23, 22, 0)
    due = clock.due_at(Deadline("event", "hours", 120), incident)
    assert due == paris(2026, 10, 28, 21, 0)
    assert clock.describe(due, paris(2026, 10, 28, 23, 0)) == "2 h overdue"
    assert clock.describe(due, paris(2026, 10, 24, 21, 0)) == "4 days left"


def test_a_naive_anchor_is_refused():
    with pytest.raises(ValueError):
        clock.due_at(Deadline("event", "hours", 72), datetime(2026, 10, 24, 12))


def test_the_declared_pathways_load():
    defs = pathways()
    assert set(defs) == {"sv_survivor", "safe_abortion"}
    sv = defs["sv_survivor"]
    assert sv.category == "sv_incident"
    assert sv.step("pep").deadline == Deadline("event", "hours", 72)
    assert sv.step("emergency_contraception").deadline == Deadline("event", "hours", 120)
    abortion = defs["safe_abortion"]
    assert abortion.step("abortion").deadline == Deadline("gestation", "weeks", 16)
    assert abortion.step("follow_up").deadline.after_step == "abortion"


def test_a_bad_definition_is_refused():
    with pytest.raises(DefinitionError):
        parse({"x": {"label": "X", "category": "medical", "steps": [
            {"key": "a", "label": "A", "discipline": "medical", "deadline": {"from": "nowhere", "hours": 1}}
        ]}})  # fmt: skip
    with pytest.raises(DefinitionError):
        parse({"x": {"label": "X", "category": "medical", "steps": [
            {"key": "a", "label": "A", "discipline": "plumbing"}
        ]}})  # fmt: skip
