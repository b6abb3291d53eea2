"""POST and GET /api/v1/persons/{id}/consents: the consent registry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.access.models import Consent, ConsentKind
from parcours.access.records import current_consents, team_sharing_given
from parcours.audit.models import AccessLog, AuditEvent
from tests.access.test_views import registered_a_week_ago


def _url(person) -> str:
    return f"/api/v1/persons/{person.pk}/consents"


def _locs(response) -> set[tuple]:
    return {tuple(error["loc"]) for error in response.json()["detail"]}


TEAM_SHARING = {"kind": "team_sharing", "category": "medical", "status": "given"}


def test_doctor_records_team_sharing_with_the_minimal_body(world, make_person, api_as):
    person = make_person()
    response = api_as(world.doctor).post(_url(person), TEAM_SHARING)
    assert response.status_code == 201, response.json()
    body = response.json()
    consent = Consent.objects.get()
    assert body["id"] == consent.pk
    assert (body["kind"], body["category"], body["status"]) == ("team_sharing", "medical", "given")
    assert body["method"] == "oral"  # the documented default
    assert body["recorded_by"] == "doctor" and body["project"] == world.calais.pk
    assert consent.recorded_by == world.doctor
    assert AuditEvent.objects.filter(event="consent.record", subject_id=str(person.pk)).exists()


def test_method_language_note_and_date_are_recorded(world, make_person, api_as):
    person = make_person()
    registered_a_week_ago(person)
    decided = (timezone.now() - timedelta(days=3)).replace(microsecond=0)
    response = api_as(world.psychologist).post(
        _url(person),
        {
            "kind": "team_sharing",
            "category": "mental_health",
            "status": "refused",
            "method": "oral_interpreter",
            "language": "TI",
            "note": "Wants to think about it",
            "decided_at": decided.isoformat(),
        },
    )
    assert response.status_code == 201, response.json()
    consent = Consent.objects.get()
    assert (consent.method, consent.language, consent.note) == (
        "oral_interpreter",
        "ti",
        "Wants to think about it",
    )
    assert consent.decided_at == decided


@pytest.mark.parametrize("kind", [k for k in ConsentKind.values if k != "team_sharing"])
def test_every_other_kind_is_recorded_without_a_category(world, make_person, api_as, kind):
    person = make_person()
    response = api_as(world.coordinator).post(
        _url(person), {"kind": kind, "status": "given", "scope": "PASS Calais"}
    )
    assert response.status_code == 201, response.json()
    assert Consent.objects.get().kind == kind


def test_team_sharing_of_a_category_by_another_discipline_is_403(world, make_person, api_as):
    person = make_person()
    response = api_as(world.social_worker).post(_url(person), TEAM_SHARING)
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role may not record this consent."
    outreach = api_as(world.outreach).post(_url(person), {"kind": "photos", "status": "given"})
    assert outreach.status_code == 403
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(event="consent.record").exists()


def test_a_person_out_of_scope_is_404(world, make_person, api_as):
    person = make_person()
    for persona in ("dunkerque_doctor", "meal", "admin", "nobody"):
        api = api_as(world.users[persona])
        assert api.post(_url(person), TEAM_SHARING).status_code == 404, persona
        assert api.get(_url(person)).status_code == 404, persona
    assert not Consent.objects.exists()
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**TEAM_SHARING, "kind": "marriage"}, "kind"),
        ({**TEAM_SHARING, "category": "sv_incident"}, "category"),
        ({**TEAM_SHARING, "category": "cooking"}, "category"),
        ({**TEAM_SHARING, "status": "maybe"}, "status"),
        ({**TEAM_SHARING, "method": "telepathy"}, "method"),
        ({"kind": "team_sharing", "status": "given"}, "category"),
        ({"kind": "photos", "category": "medical", "status": "given"}, "category"),
        ({**TEAM_SHARING, "language": "zz"}, "language"),
        ({**TEAM_SHARING, "decided_at": "2999-01-01T10:00:00+01:00"}, "decided_at"),
        ({**TEAM_SHARING, "decided_at": "last week"}, "decided_at"),
        ({**TEAM_SHARING, "note": "x" * 256}, "note"),
        ({"category": "medical", "status": "given"}, "kind"),
        ({**TEAM_SHARING, "signed": True}, "signed"),
    ],
)
def test_bad_values_are_field_errors_and_nothing_is_written(
    world, make_person, api_as, body, field
):
    response = api_as(world.doctor).post(_url(make_person()), body)
    assert response.status_code == 422, response.json()
    assert ("body", field) in _locs(response)
    assert not Consent.objects.exists()


def test_the_registry_lists_decisions_in_force_and_their_history(world, make_person, api_as):
    person = make_person()
    registered_a_week_ago(person)
    doctor = api_as(world.doctor)
    earlier = (timezone.now() - timedelta(days=6)).isoformat()
    doctor.post(_url(person), {**TEAM_SHARING, "decided_at": earlier})
    doctor.post(_url(person), {**TEAM_SHARING, "status": "withdrawn"})
    doctor.post(_url(person), {"kind": "photos", "status": "refused"})
    response = doctor.get(_url(person), {"purpose": "check before photo"})
    assert response.status_code == 200
    body = response.json()
    assert [(c["kind"], c["status"]) for c in body["in_force"]] == [
        ("photos", "refused"),
        ("team_sharing", "withdrawn"),
    ]
    assert [c["status"] for c in body["history"]] == ["refused", "withdrawn", "given"]
    # Reception records photo consents, but is not told that a medical file exists.
    body = api_as(world.reception).get(_url(person)).json()
    assert [(c["kind"], c["status"]) for c in body["in_force"]] == [("photos", "refused")]
    assert [c["status"] for c in body["history"]] == ["refused"]
    log = AccessLog.objects.order_by("id").first()
    assert (log.user, log.person, log.what, log.channel, log.purpose) == (
        world.doctor,
        person,
        "consents",
        "api",
        "check before photo",
    )


def test_a_withdrawal_through_the_api_applies_to_the_service_at_once(world, make_person, api_as):
    person = make_person()
    doctor = api_as(world.doctor)
    doctor.post(_url(person), TEAM_SHARING)
    assert team_sharing_given(current_consents(person)) == {"medical"}
    doctor.post(_url(person), {**TEAM_SHARING, "status": "withdrawn"})
    assert team_sharing_given(current_consents(person)) == set()
