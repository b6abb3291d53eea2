"""Case management: who opens cases, the plan's tasks and their alerts,
conferences whose contributions keep their category, closure, caseload."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.cases import casework
from parcours.cases.alerts import home_alerts
from parcours.cases.models import Case, Task, TaskReminder


@pytest.fixture
def person(make_person):
    return make_person(given_name="Yonas")


@pytest.fixture
def case(world, person):
    return casework.case_open(
        actor=world.social_worker,
        person=person,
        project=world.calais,
        worker=world.social_worker,
        risk_level="high",
        needs=["housing", "health_coverage"],
        summary="Sleeps outside with a chronic condition",
    )


def today():
    return timezone.localdate()


def test_case_managers_open_cases_and_others_may_not(world, person):
    for user in (world.coordinator, world.referent):
        opened = casework.case_open(
            actor=user,
            person=person,
            project=world.calais,
            worker=world.social_worker,
            risk_level="moderate",
            needs=["food"],
        )
        casework.case_close(
            actor=user, case=opened, reason="goals_met", note="", version=opened.version
        )
    for user in (world.doctor, world.psychologist, world.reception, world.outreach, world.meal):
        with pytest.raises(PermissionDenied):
            casework.case_open(
                actor=user,
                person=person,
                project=world.calais,
                worker=world.social_worker,
                risk_level="low",
                needs=["food"],
            )


def test_bad_input_is_refused_with_field_errors(world, person):
    with pytest.raises(ValidationError) as error:
        casework.case_open(
            actor=world.social_worker,
            person=person,
            project=world.calais,
            worker=world.reception,  # not someone who works on cases
            risk_level="apocalyptic",
            needs=[],
        )
    assert set(error.value.message_dict) == {"worker", "risk_level", "needs"}
    assert not Case.objects.exists()


def test_a_task_due_before_the_case_was_opened_is_refused(world, case, login):
    with pytest.raises(ValidationError) as error:
        casework.task_create(
            actor=world.social_worker,
            case=case,
            title="Call the 115",
            owner=world.social_worker,
            due_on=today() - timedelta(days=1),
        )
    assert "before the case was opened" in str(error.value.message_dict["due_on"])
    response = login(world.social_worker).post(
        reverse("cases:task_add", args=[case.pk]),
        {"title": "Call the 115", "owner": world.social_worker.pk,
         "due_on": (today() - timedelta(days=3)).isoformat()},
        follow=True,
    )  # fmt: skip
    assert b"cannot be due before the case was opened" in response.content
    assert not Task.objects.exists()


def _overdue_task(world, case, owner):
    task = casework.task_create(
        actor=world.social_worker, case=case, title="AME application", owner=owner, due_on=today()
    )
    Task.objects.filter(pk=task.pk).update(due_on=today() - timedelta(days=2))
    task.refresh_from_db()
    return task


def test_task_alerts_reach_only_their_owner(world, case, login):
    task = _overdue_task(world, case, world.psychologist)
    assert [t.pk for t in home_alerts(world.psychologist)["tasks"]] == [task.pk]
    for user in (world.social_worker, world.coordinator, world.doctor, world.referent):
        assert home_alerts(user)["tasks"] == [], user
    assert b"AME application" in login(world.psychologist).get(reverse("home")).content
    assert b"AME application" not in login(world.social_worker).get(reverse("home")).content


def test_the_owner_sees_the_case_and_updates_the_status_only(world, case, login, api_as):
    task = _overdue_task(world, case, world.psychologist)
    assert login(world.psychologist).get(reverse("cases:case", args=[case.pk])).status_code == 200
    assert login(world.doctor).get(reverse("cases:case", args=[case.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        casework.task_update(
            actor=world.psychologist,
            task=task,
            data={"due_on": today() + timedelta(days=9)},
            version=task.version,
        )
    updated = casework.task_update(
        actor=world.psychologist, task=task, data={"status": "done"}, version=task.version
    )
    assert updated.status == "done" and updated.completed_at is not None
    # Stale: the page says so, the API answers 409, nothing written.
    response = api_as(world.psychologist).patch(
        f"/api/v1/tasks/{task.pk}", {"version": task.version, "status": "open"}
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == updated.version
    assert Task.objects.get(pk=task.pk).status == "done"
    assert home_alerts(world.psychologist)["tasks"] == []


def test_a_stale_case_edit_is_refused_on_the_page(world, case, login):
    client = login(world.social_worker)
    data = {"version": case.version, "worker": world.social_worker.pk, "risk_level": "low",
            "need_1": "housing", "summary": ""}  # fmt: skip
    assert client.post(reverse("cases:case_edit", args=[case.pk]), data).status_code == 302
    again = client.post(reverse("cases:case_edit", args=[case.pk]), data, follow=True)
    assert b"Someone else changed this case" in again.content
    case.refresh_from_db()
    assert case.risk_level == "low" and case.version == 2


def test_conference_actions_create_tasks_and_contributions_keep_their_category(
    world, case, login, consent
):
    conference = casework.conference_record(
        actor=world.social_worker,
        case=case,
        held_on=today(),
        participants=[world.social_worker, world.psychologist, world.doctor],
        decisions="Apply for a shelter place for vulnerable persons",
        actions=[("Write the medical certificate for the shelter", world.doctor, today())],
        contribution=("social", "No shelter place since October"),
    )
    assert Task.objects.get(conference=conference).owner == world.doctor
    casework.contribute(
        actor=world.psychologist,
        conference=conference,
        category="mental_health",
        text="Severe sleep disorder, suicidal ideas last week",
    )
    with pytest.raises(ValidationError):  # not the psychologist's discipline
        casework.contribute(
            actor=world.psychologist, conference=conference, category="medical", text="BP high"
        )
    secret = b"suicidal ideas"
    assert secret in login(world.psychologist).get(reverse("cases:case", args=[case.pk])).content
    # The social worker reads her own category; the coordinator and the doctor
    # read neither category in full (team notes need the person's consent).
    hidden = {world.social_worker: b"1 contribution is not", world.coordinator: b"2 contributions",
              world.doctor: b"2 contributions"}  # fmt: skip
    for user, told in hidden.items():
        page = login(user).get(reverse("cases:case", args=[case.pk]))
        assert page.status_code == 200, user
        assert secret not in page.content, user
        assert (b"No shelter place" in page.content) == (user == world.social_worker), user
        assert told in page.content, user
    # With the person's consent to team sharing of mental health, the
    # contribution reaches the team like a team note.
    consent(case.person, "mental_health", actor=world.psychologist)
    assert secret in login(world.social_worker).get(reverse("cases:case", args=[case.pk])).content
    assert AuditEvent.objects.filter(event="case.contribution").count() == 2


def test_a_coordinator_is_not_offered_an_empty_contribution_form(world, case, login):
    """A coordinator records no care category of the person: as a participant
    they get a note, not a category list with nothing in it; the conference
    form they fill has no contribution field, and recording it works."""
    coordinator = login(world.coordinator)
    form = coordinator.get(reverse("cases:conference_new", args=[case.pk]))
    assert form.status_code == 200
    assert b'name="contribution"' not in form.content
    assert b'name="decisions"' in form.content
    recorded = coordinator.post(
        reverse("cases:conference_new", args=[case.pk]),
        {
            "held_on": today().isoformat(),
            "participants": [world.coordinator.pk, world.social_worker.pk],
            "decisions": "Ask the 115 for a place",
            "actions": "",
        },
    )
    assert recorded.status_code == 302
    conference = case.conferences.get()
    page = coordinator.get(reverse("cases:case", args=[case.pk])).content.decode()
    contribute = reverse("cases:contribute", args=[conference.pk])
    assert contribute not in page and 'name="category"' not in page
    # The social worker, a participant with a category, gets the form.
    assert (
        contribute
        in login(world.social_worker).get(reverse("cases:case", args=[case.pk])).content.decode()
    )


def test_a_conference_with_a_bad_action_saves_nothing(world, case):
    with pytest.raises(ValidationError):
        casework.conference_record(
            actor=world.social_worker,
            case=case,
            held_on=today(),
            participants=[world.social_worker],
            decisions="x",
            actions=[("Too early", world.social_worker, today() - timedelta(days=5))],
        )
    assert not case.conferences.exists() and not Task.objects.exists()


def test_closing_needs_a_reason(world, case, login):
    client = login(world.coordinator)
    client.post(
        reverse("cases:case_close", args=[case.pk]), {"version": case.version, "reason": "nope"}
    )
    case.refresh_from_db()
    assert case.status == "open"
    client.post(
        reverse("cases:case_close", args=[case.pk]),
        {"version": case.version, "reason": "transferred", "note": "To the PADA"},
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_reason == "transferred"
    with pytest.raises(ValidationError):
        casework.goal_add(actor=world.coordinator, case=case, text="Too late")


def test_caseload_for_supervisors(world, case, login):
    _overdue_task(world, case, world.social_worker)
    page = login(world.coordinator).get(reverse("cases:caseload", args=[world.calais.pk]))
    assert page.status_code == 200
    assert b"Yonas" in page.content and b"1 task overdue" in page.content
    for user in (world.social_worker, world.doctor, world.dunkerque_doctor, world.meal):
        assert login(user).get(reverse("cases:caseload", args=[world.calais.pk])).status_code == 404


def test_api_cases_and_tasks(world, person, api_as):
    api = api_as(world.social_worker)
    created = api.post(
        f"/api/v1/persons/{person.pk}/cases",
        {"project": world.calais.pk, "worker": world.social_worker.pk, "risk_level": "high",
         "needs": ["housing"]},
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    case_id = created.json()["id"]
    early = api.post(
        f"/api/v1/cases/{case_id}/tasks",
        {"title": "x", "owner": world.social_worker.pk,
         "due_on": (today() - timedelta(days=1)).isoformat()},
    )  # fmt: skip
    assert early.status_code == 422
    assert early.json()["detail"][0]["loc"] == ["body", "due_on"]
    task = api.post(
        f"/api/v1/cases/{case_id}/tasks",
        {"title": "Domiciliation", "owner": world.psychologist.pk, "due_on": today().isoformat()},
    )
    assert task.status_code == 201
    assert api_as(world.psychologist).get("/api/v1/tasks").json()["count"] == 1
    assert api.get("/api/v1/tasks").json()["count"] == 0  # not hers
    assert api.get("/api/v1/tasks", {"mine": 0}).json()["count"] == 1
    stale = api.patch(f"/api/v1/cases/{case_id}", {"version": 5, "risk_level": "low"})
    assert stale.status_code == 409
    ok = api.patch(f"/api/v1/cases/{case_id}", {"version": 1, "risk_level": "low"})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert api_as(world.doctor).get("/api/v1/cases").json()["count"] == 0
    assert api_as(world.psychologist).get("/api/v1/cases").json()["count"] == 1
    refused = api_as(world.doctor).post(
        f"/api/v1/persons/{person.pk}/cases",
        {
            "project": world.calais.pk,
            "worker": world.doctor.pk,
            "risk_level": "low",
            "needs": ["food"],
        },
    )
    assert refused.status_code == 403


def test_remind_sends_each_overdue_task_once(world, case, settings):
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.psychologist.email = "psy@example.org"
    world.psychologist.save()
    _overdue_task(world, case, world.psychologist)
    casework.task_create(  # not overdue: no reminder
        actor=world.social_worker,
        case=case,
        title="Later",
        owner=world.psychologist,
        due_on=today(),
    )
    call_command("remind")
    call_command("remind")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["psy@example.org"]
    assert "Yonas" not in mail.outbox[0].body  # never a name in an e-mail
    assert TaskReminder.objects.count() == 1


def test_remind_without_an_email_host_sends_nothing(world, case, settings):
    settings.EMAIL_HOST = ""
    with pytest.raises(CommandError):
        call_command("remind")
