"""A Calais person with appointments; times relative to the local day."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from parcours.agenda import services


def local(day, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def person(make_person):
    return make_person(given_name="Amanuel", family_name="Tesfay")


@pytest.fixture
def book(world, person):
    """book(starts_at, **extra) → a medical appointment with the doctor, booked
    as if it were just before ``starts_at`` (so that a time already past today
    can be booked)."""

    def _book(starts_at, *, actor=None, discipline="medical", reason="Wound dressing", **extra):
        extra.setdefault("clinician", world.doctor)
        return services.appointment_create(
            actor=actor or world.doctor,
            person=extra.pop("person", person),
            discipline=discipline,
            site=extra.pop("site", world.calais_day_centre),
            data={
                "starts_at": starts_at,
                "duration_minutes": extra.pop("duration_minutes", 30),
                "reason": reason,
            },
            now=starts_at - timedelta(minutes=1),
            **extra,
        )

    return _book


@pytest.fixture
def early_today(book, today):
    """Today at 00:01: arrivals and absences may be marked now."""
    return book(local(today, 0, 1))
