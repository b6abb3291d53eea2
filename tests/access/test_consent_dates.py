"""A consent is never dated in the future nor before the person's first
record; a correction further back needs a reason, and is audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours.access import services
from parcours.access.models import Consent
from parcours.audit.models import AuditEvent
from tests.access.test_views import consents_url

REASON = "Paper form signed at the first visit, entered late"
TEAM = {"kind": "team_sharing", "category": "medical", "status": "given", "method": "written"}


@pytest.fixture
def person(make_person):
    return make_person()


def test_a_consent_dated_1970_is_refused(world, person):
    with pytest.raises(ValidationError) as error:
        services.consent_record(
            actor=world.doctor,
            person=person,
            decided_at=timezone.now().replace(year=1970),
            **TEAM,
        )
    assert list(error.value.message_dict) == ["decided_at", "backdate_reason"]
    assert not Consent.objects.exists()


def test_in_the_future_is_refused_even_with_a_reason(world, person):
    with pytest.raises(ValidationError) as error:
        services.consent_record(
            actor=world.doctor,
            person=person,
            decided_at=timezone.now() + timedelta(days=1),
            backdate_reason=REASON,
            **TEAM,
        )
    assert list(error.value.message_dict) == ["decided_at"]


def test_from_the_first_record_on_no_reason_is_needed(world, person):
    consent = services.consent_record(
        actor=world.doctor, person=person, decided_at=person.created_at, **TEAM
    )
    event = AuditEvent.objects.get(event="consent.record")
    assert consent.decided_at == person.created_at and "backdated" not in event.extra


def test_the_first_encounter_counts_as_the_first_record(world, person):
    from parcours.care.services import encounter_record

    encounter_record(
        actor=world.doctor,
        discipline="medical",
        site=world.calais_day_centre,
        person=person,
        data={"occurred_at": timezone.now() - timedelta(days=10)},
    )
    consent = services.consent_record(
        actor=world.doctor, person=person, decided_at=timezone.now() - timedelta(days=9), **TEAM
    )
    assert consent.pk


def test_a_correction_further_back_with_a_reason_is_audited(world, person, login):
    earlier = timezone.localtime() - timedelta(days=40)
    client = login(world.doctor)
    form = {
        "subject": "team_sharing:medical",
        "status": "given",
        "method": "written",
        "decided_at": earlier.strftime("%Y-%m-%dT%H:%M"),
    }
    page = client.post(consents_url(person), form).content.decode()
    assert "before the person" in page and not Consent.objects.exists()
    response = client.post(consents_url(person), {**form, "backdate_reason": REASON})
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.decided_at.date() == earlier.date()
    event = AuditEvent.objects.get(event="consent.record")
    assert event.extra["backdate_reason"] == REASON and event.extra["backdated"]


def test_the_api_says_which_field_and_accepts_a_reason(world, person, api_as):
    url = f"/api/v1/persons/{person.pk}/consents"
    body = {**TEAM, "decided_at": "1970-01-01T10:00:00+01:00"}
    response = api_as(world.doctor).post(url, body)
    assert response.status_code == 422
    assert "decided_at" in str(response.json())
    response = api_as(world.doctor).post(url, {**body, "backdate_reason": REASON})
    assert response.status_code == 201, response.json()
