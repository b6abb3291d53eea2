from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from parcours.access import services as access_services
from parcours.care import services as care_services


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def record(world, now):
    """record(actor, person, discipline, **data) → an Encounter at the Calais day centre."""

    def _record(actor, person, discipline, details=None, site=None, **data):
        data.setdefault("occurred_at", now - timedelta(hours=1))
        return care_services.encounter_record(
            actor=actor,
            discipline=discipline,
            site=site or world.calais_day_centre,
            person=person,
            data=data,
            details=details or {},
        )

    return _record


@pytest.fixture
def consent(world):
    def _consent(person, category, status="given", actor=None):
        return access_services.consent_record(
            actor=actor or world.doctor,
            person=person,
            kind="team_sharing",
            category=category,
            status=status,
            method="oral_interpreter",
            language="ti",
        )

    return _consent


def at(year, month, day, hour=10):
    return timezone.make_aware(datetime(year, month, day, hour))
