"""Pathways: start, steps completed from encounters or by hand, clocks, and
the sexual-violence pathway seen only by the care team of the incident."""

import re
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours.access import services as access_services
from parcours.access.records import FULL, record_scope
from parcours.audit.models import AuditEvent
from parcours.cases import pathways
from parcours.cases.alerts import overdue_steps
from parcours.cases.models import Pathway


def start_sv(world, survivor, actor=None, **kw):
    return pathways.pathway_start(
        actor=actor or world.doctor,
        person=survivor,
        kind="sv_survivor",
        project=world.calais,
        event_at=kw.pop("event_at", pathways.incident_time(survivor.incident)),
        source=survivor.incident,
        **kw,
    )


def steps(pathway):
    return {s.key: s for s in pathway.steps.all()}


def test_sv_pathway_clock_runs_from_the_incident(world, survivor):
    pathway = start_sv(world, survivor)
    incident_at = survivor.incident.occurred_at - timedelta(hours=30)
    assert abs((pathway.event_at - incident_at).total_seconds()) < 1
    by_key = steps(pathway)
    assert by_key["pep"].due_at == pathway.event_at + timedelta(hours=72)
    assert by_key["emergency_contraception"].due_at == pathway.event_at + timedelta(hours=120)
    rows = {r["key"]: r for r in pathways.step_rows(pathway)}
    # 30 h since the incident (and half an hour since the care): about 41 h left.
    assert rows["pep"]["left"] in ("41 h left", "42 h left")
    # The incident record itself was the first contact.
    assert rows["first_contact"]["done"] and rows["first_contact"]["auto"]
    assert AuditEvent.objects.filter(event="pathway.start", subject_id=str(pathway.pk)).exists()


def test_a_medical_encounter_with_pep_given_completes_the_pep_step(world, survivor, record):
    pathway = start_sv(world, survivor)
    assert steps(pathway)["pep"].done_at is None
    consultation = record(
        world.doctor,
        survivor,
        "medical",
        details={"sv_care": True, "pep_given": True, "emergency_contraception_given": False},
    )
    by_key = steps(pathway)
    assert by_key["pep"].done_at == consultation.occurred_at
    assert by_key["pep"].encounter_id == consultation.pk
    assert by_key["emergency_contraception"].done_at is None  # not given: stays open
    assert {r["key"]: r for r in pathways.step_rows(pathway)}["pep"]["in_time"] is True
    assert by_key["pep"].done_in_time is True  # what indicators count
    event = (
        AuditEvent.objects.filter(event="pathway.step_done", subject_id=str(pathway.pk))
        .order_by("-id")
        .first()
    )
    assert event.extra["steps"] == ["pep"] and event.extra["from_encounter"] is True


def test_an_edited_encounter_completes_the_step_too(world, survivor, record):
    from parcours.care import services as care_services

    pathway = start_sv(world, survivor)
    consultation = record(world.doctor, survivor, "medical", details={"reason": "Check"})
    assert steps(pathway)["certificate"].done_at is None
    care_services.encounter_update(
        actor=world.doctor,
        encounter_id=consultation.pk,
        version=consultation.version,
        data={},
        details={"reason": "Check", "certificate_issued": True},
    )
    assert steps(pathway)["certificate"].done_at is not None


def test_encounters_recorded_before_the_start_count(world, survivor, record):
    record(world.psychologist, survivor, "mental_health", details={})
    pathway = start_sv(world, survivor)
    assert steps(pathway)["psychological_follow_up"].done_at is not None


def test_a_step_completed_by_hand_needs_a_note_and_the_version(world, survivor):
    pathway = start_sv(world, survivor)
    with pytest.raises(ValidationError):
        pathways.step_complete(
            actor=world.doctor, pathway=pathway, key="tests", note=" ", version=pathway.version
        )
    with pytest.raises(pathways.StalePathway):
        pathways.step_complete(
            actor=world.doctor, pathway=pathway, key="tests", note="Done", version=99
        )
    done = pathways.step_complete(
        actor=world.doctor,
        pathway=pathway,
        key="tests",
        note="HIV, syphilis, hepatitis B, pregnancy test",
        version=pathway.version,
    )
    assert steps(done)["tests"].note.startswith("HIV")
    assert done.version == pathway.version + 1


def test_the_sv_pathway_is_invisible_outside_the_care_team(world, survivor, login, api_as):
    pathway = start_sv(world, survivor)
    # The same function decides for the incident and for the pathway.
    for user in (world.doctor, world.referent):
        assert record_scope(user, survivor).level("sv_incident", world.calais.pk) == FULL
        assert login(user).get(reverse("cases:pathway", args=[pathway.pk])).status_code == 200
    for user in (world.psychologist, world.lawyer, world.social_worker, world.coordinator,
                 world.reception, world.meal, world.dunkerque_doctor):  # fmt: skip
        client = login(user)
        assert client.get(reverse("cases:pathway", args=[pathway.pk])).status_code == 404, user
        page = client.get(reverse("cases:person", args=[survivor.pk]))
        assert page.status_code in (200, 404)
        assert b"Sexual-violence survivor" not in page.content, user
        board = client.get(reverse("cases:pathways", args=[world.calais.pk]))
        assert b"Sexual-violence survivor" not in board.content, user
        response = api_as(user).get(f"/api/v1/persons/{survivor.pk}/pathways")
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            assert response.json()["count"] == 0, user
    assert api_as(world.doctor).get(f"/api/v1/persons/{survivor.pk}/pathways").json()["count"] == 1
    # Assigned to her care, the psychologist sees it, like the incident.
    access_services.care_assign(
        actor=world.referent, person=survivor, user=world.psychologist, project=world.calais
    )
    assert (
        login(world.psychologist).get(reverse("cases:pathway", args=[pathway.pk])).status_code
        == 200
    )


def test_only_the_care_team_starts_an_sv_pathway(world, survivor):
    with pytest.raises(PermissionDenied):
        start_sv(world, survivor, actor=world.psychologist)  # not assigned
    with pytest.raises(PermissionDenied):
        start_sv(world, survivor, actor=world.coordinator)


def test_a_second_open_pathway_of_the_same_kind_is_refused(world, survivor):
    start_sv(world, survivor)
    with pytest.raises(ValidationError):
        start_sv(world, survivor)


def test_a_future_starting_event_is_refused(world, survivor):
    with pytest.raises(ValidationError) as error:
        start_sv(world, survivor, event_at=timezone.now() + timedelta(days=1))
    assert "event_at" in error.value.message_dict


def test_safe_abortion_legal_limit_and_follow_up_after_the_abortion(world, make_person, record):
    woman = make_person(given_name="Aster", sex="female")
    now = timezone.now()
    pathway = pathways.pathway_start(
        actor=world.doctor,
        person=woman,
        kind="safe_abortion",
        project=world.calais,
        event_at=now - timedelta(hours=1),
        gestational_weeks=10,
    )
    by_key = steps(pathway)
    limit = by_key["abortion"].due_at
    # 16 weeks of amenorrhoea (14 of pregnancy) from the start of the pregnancy.
    assert 5 * 7 - 1 <= (limit - now).days <= 6 * 7
    assert by_key["follow_up"].due_at is None  # starts when the abortion is done
    record(world.doctor, woman, "medical", details={"safe_abortion_care": "medical_abortion"})
    by_key = steps(pathway)
    assert by_key["abortion"].done_at is not None
    assert by_key["follow_up"].due_at is not None
    assert by_key["follow_up"].due_at > by_key["abortion"].done_at + timedelta(days=20)


def test_overdue_steps_alert_the_care_team_only(world, survivor, login):
    incident_at = timezone.now() - timedelta(hours=100)
    pathway = start_sv(world, survivor, event_at=incident_at)
    assert [a["labels"] for a in overdue_steps(world.doctor) if a["pathway"] == pathway] == [
        ["PEP"]
    ]
    assert any(a["pathway"] == pathway for a in overdue_steps(world.referent))
    for user in (
        world.psychologist,
        world.coordinator,
        world.social_worker,
        world.dunkerque_doctor,
    ):
        assert overdue_steps(user) == [], user
    home = login(world.doctor).get(reverse("home"))
    assert b"Hawa" in home.content and b"PEP" in home.content
    assert b"cases-alerts" not in login(world.coordinator).get(reverse("home")).content


def test_the_coordinator_sees_open_pathways_without_sv_details(world, survivor, make_person, login):
    start_sv(world, survivor)
    woman = make_person(given_name="Selam", sex="female")
    pathways.pathway_start(
        actor=world.doctor,
        person=woman,
        kind="safe_abortion",
        project=world.calais,
        event_at=timezone.now() - timedelta(hours=1),
        gestational_weeks=8,
    )
    board = login(world.coordinator).get(reverse("cases:pathways", args=[world.calais.pk]))
    assert board.status_code == 200
    assert b"Safe abortion care" in board.content
    assert b"Selam" not in board.content  # medical: counted, never named to a coordinator
    assert b"Sexual-violence survivor" not in board.content and b"Hawa" not in board.content
    doctor_board = login(world.doctor).get(reverse("cases:pathways", args=[world.calais.pk]))
    assert b"Selam" in doctor_board.content and b"Hawa" in doctor_board.content


def test_pages_start_and_complete(world, survivor, login):
    client = login(world.doctor)
    form = client.get(reverse("cases:pathway_start", args=[survivor.pk]))
    assert form.status_code == 200
    response = client.post(
        reverse("cases:pathway_start", args=[survivor.pk]),
        {"kind": "sv_survivor", "project": world.calais.pk, "source": survivor.incident.pk},
    )
    pathway = Pathway.objects.get(person=survivor)
    assert response.status_code == 302
    page = client.get(reverse("cases:pathway", args=[pathway.pk]))
    pep_row = page.content.decode().split('id="step-pep"')[1].split("</tr>")[0]
    assert re.search(r"4[12] h left", pep_row)  # the PEP row: "41 h left"
    done = client.post(
        reverse("cases:step_done", args=[pathway.pk, "legal_information"]),
        {"note": "Informed of the right to file a complaint", "version": pathway.version},
    )
    assert done.status_code == 302
    assert steps(pathway)["legal_information"].note
    stale = client.post(
        reverse("cases:step_done", args=[pathway.pk, "tests"]),
        {"note": "Tests", "version": pathway.version},
    )
    assert stale.status_code == 302
    assert steps(pathway)["tests"].done_at is None


def test_the_start_form_refuses_a_future_time_with_a_message(world, survivor, login):
    client = login(world.doctor)
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("cases:pathway_start", args=[survivor.pk]),
        {"kind": "sv_survivor", "project": world.calais.pk, "event_at": future},
    )
    assert response.status_code == 200
    assert b"cannot be in the future" in response.content
    assert not Pathway.objects.exists()


def test_api_lists_steps_with_deadlines_and_time_left(world, survivor, api_as, record):
    pathway = start_sv(world, survivor)
    record(world.doctor, survivor, "medical", details={"pep_given": True})
    body = api_as(world.referent).get(f"/api/v1/persons/{survivor.pk}/pathways").json()
    assert body["count"] == 1
    result = body["results"][0]
    assert result["id"] == pathway.pk and result["kind"] == "sv_survivor"
    steps_ = {s["key"]: s for s in result["steps"]}
    assert steps_["pep"]["done"] and steps_["pep"]["in_time"] and steps_["pep"]["from_encounter"]
    assert steps_["emergency_contraception"]["time_left"].endswith("left")
    due = datetime.fromisoformat(steps_["emergency_contraception"]["due_at"])
    assert abs((due - (pathway.event_at + timedelta(hours=120))).total_seconds()) < 1
