from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.access import services as access_services
from parcours.care import services as care_services


@pytest.fixture
def record(world):
    """record(actor, person, discipline, details=..., **data) → an Encounter at the Calais day centre."""

    def _record(actor, person, discipline, details=None, site=None, **data):
        data.setdefault("occurred_at", timezone.now() - timedelta(minutes=30))
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


@pytest.fixture
def survivor(world, make_person, record):
    """A woman whose incident the doctor recorded (so the doctor is in her
    care team), 30 hours before the care."""
    person = make_person(given_name="Hawa", sex="female")
    incident = record(
        world.doctor,
        person,
        "sv_incident",
        details={"gbv_type": "rape", "hours_to_care": 30},
    )
    person.incident = incident
    return person


@pytest.fixture(autouse=True)
def _english():
    """Service messages outside a request read in English (the personas' language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
