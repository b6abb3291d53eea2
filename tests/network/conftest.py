"""A Calais person, a PASS of the directory, the person's consent to be
referred there, and a social encounter of the social worker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.care import services as care_services
from tests.network.routes import ORGANISATION, give_referral_consent, make_service

__all__ = ["ORGANISATION"]


@pytest.fixture
def person(make_person):
    return make_person(given_name="Amanuel", family_name="Tesfay", phone="+33 6 12 34 56 78")


@pytest.fixture
def service(db):
    return make_service()


@pytest.fixture
def consent(world, person):
    return give_referral_consent(world, person)


@pytest.fixture
def medical_note(world, person):
    """A medical encounter whose team note and reason must never leak."""
    return care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": timezone.now() - timedelta(hours=2), "team_note": "Scabies treated"},
        details={"reason": "Itching hands ZX-MEDICAL-SECRET"},
    )


@pytest.fixture
def social_note(world, person):
    return care_services.encounter_record(
        actor=world.social_worker,
        discipline="social",
        site=world.calais_day_centre,
        person=person,
        data={
            "occurred_at": timezone.now() - timedelta(hours=1),
            "team_note": "Looking for a shelter ZX-SOCIAL-NOTE",
        },
        details={"needs": ["housing", "food"], "outcome": "115 called"},
    )
