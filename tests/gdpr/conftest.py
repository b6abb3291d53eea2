from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.access import services as access_services
from parcours.care import services as care_services


@pytest.fixture(autouse=True)
def pseudonym_key(settings, tmp_path):
    settings.PARCOURS_PSEUDONYM_KEY_FILE = tmp_path / "pseudonym.key"
    settings.PARCOURS_PSEUDONYM_KEY_FILE.write_text("k" * 64)
    return settings.PARCOURS_PSEUDONYM_KEY_FILE


@pytest.fixture
def followed(world, make_person):
    """A person with a medical consultation, a social encounter shared with
    the team, an outreach round, a consent history and a read in the log."""
    person = make_person(given_name="Amanuel", family_name="Tesfay", phone="+33 6 12 34 56 78")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    access_services.consent_record(
        actor=world.social_worker,
        person=person,
        kind="team_sharing",
        category="social",
        status="given",
        method="oral",
    )
    care_services.encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={
            "occurred_at": an_hour_ago,
            "team_note": "Vu au centre",
            "confidential_note": "Toux chronique, suspicion TB",
        },
    )
    care_services.encounter_record(
        actor=world.social_worker,
        discipline="social",
        site=world.calais_day_centre,
        person=person,
        data={
            "occurred_at": an_hour_ago,
            "team_note": "Demande de domiciliation",
            "confidential_note": "Violence conjugale évoquée",
        },
    )
    care_services.encounter_record(
        actor=world.outreach,
        discipline="outreach",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": an_hour_ago, "team_note": "Rencontré aux dunes"},
    )
    return person


@pytest.fixture(autouse=True)
def _english():
    """Messages asserted in English, the source language (pages follow the user's)."""
    from django.utils import translation

    with translation.override("en"):
        yield
