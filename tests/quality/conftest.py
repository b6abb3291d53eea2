"""Records of last month in Calais, built through the services; impossible
values are then written straight into the tables, as an import or an older
version of the forms could have left them."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from parcours.care import services as care_services
from parcours.quality.months import last_month


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def month():
    return last_month()


@pytest.fixture
def on(month):
    """on(day, hour) → an aware datetime on that day of the month, local time."""

    def _on(day: int, hour: int = 10, minute: int = 0):
        return timezone.make_aware(
            datetime.combine(month.first_day + timedelta(days=day - 1), time(hour, minute))
        )

    return _on


@pytest.fixture
def record(world):
    def _record(actor, discipline, when, person=None, site=None, details=None, **data):
        return care_services.encounter_record(
            actor=actor,
            discipline=discipline,
            site=site or world.calais_day_centre,
            person=person,
            data={"occurred_at": when, **data},
            details=details or {},
        )

    return _record


@pytest.fixture
def complete(make_person):
    """A person with every field the indicators need."""

    def _complete(**fields):
        fields.setdefault("sex", "female")
        fields.setdefault("birth_date", date(1995, 3, 1))
        fields.setdefault("nationality", "ER")
        return make_person(**fields)

    return _complete
