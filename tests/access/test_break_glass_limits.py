"""Break-glass stays inside the user's mission, is throttled per day (then a
reviewer approves each further opening), and every opening is reviewed."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from parcours.access import services
from parcours.access.models import BreakGlass
from parcours.audit.models import AuditEvent
from parcours.people.models import Enrolment, Person

REASON = "Unconscious at the Dunkerque camp, needs history"


@pytest.fixture
def person(make_person):
    return make_person()


@pytest.fixture
def libyan_person(world):
    person = Person.objects.create(given_name="Yonas", family_name="Kidane")
    Enrolment.objects.create(person=person, project=world.tripoli, code="TRI-000001")
    return person


def test_a_person_of_another_mission_is_refused_with_whom_to_ask(world, libyan_person, login):
    with pytest.raises(PermissionDenied, match="another mission"):
        services.break_glass_open(actor=world.dunkerque_doctor, person=libyan_person, reason=REASON)
    page = login(world.dunkerque_doctor).post(
        "/access/break-glass/", {"code": "TRI-000001", "reason": REASON}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "another mission (Libya)" in text and "ask the coordinator of that mission" in text
    assert not BreakGlass.objects.exists()
    assert login(world.dunkerque_doctor).get(f"/people/{libyan_person.pk}/").status_code == 404


def test_the_own_mission_is_open_whatever_the_project(world, person):
    opening = services.break_glass_open(actor=world.dunkerque_doctor, person=person, reason=REASON)
    assert opening.is_open and not opening.needs_approval


def test_past_the_daily_limit_an_opening_waits_for_approval(world, make_person, login, settings):
    settings.PARCOURS_BREAK_GLASS_DAILY_LIMIT = 2
    people = [make_person(given_name=f"Person{i}") for i in range(3)]
    client = login(world.dunkerque_doctor)
    for p in people[:2]:
        response = client.post("/access/break-glass/", {"person": p.pk, "reason": REASON})
        assert response["Location"] == f"/people/{p.pk}/"
    response = client.post("/access/break-glass/", {"person": people[2].pk, "reason": REASON})
    assert response["Location"] == "/access/break-glass/"
    request = BreakGlass.objects.get(person=people[2])
    assert request.needs_approval and request.is_pending and not request.is_open
    assert client.get(f"/people/{people[2].pk}/").status_code == 404
    page = client.get("/access/break-glass/").content.decode()
    assert "Requests waiting for approval" in page and "Person2" not in page
    assert AuditEvent.objects.filter(event="break_glass.request").count() == 1

    # The coordinator approves it: the record opens, for the usual hours from now.
    review = login(world.coordinator)
    page = review.get("/access/break-glass/review/").content.decode()
    assert "waiting for approval" in page and "Approve the opening" in page
    assert review.post(f"/access/break-glass/{request.pk}/approve/").status_code == 302
    request.refresh_from_db()
    assert request.approved_by == world.coordinator and request.is_open
    assert request.reviewed_at is None  # approved, still to be reviewed
    assert client.get(f"/people/{people[2].pk}/").status_code == 200
    assert AuditEvent.objects.filter(event="break_glass.approve", actor=world.coordinator).exists()
    response = review.post(f"/access/break-glass/{request.pk}/approve/", follow=True)
    assert "no longer waiting for approval" in response.content.decode()


def test_openings_older_than_a_day_do_not_count(world, make_person, settings):
    settings.PARCOURS_BREAK_GLASS_DAILY_LIMIT = 1
    first, second = make_person(given_name="First"), make_person(given_name="Second")
    services.break_glass_open(actor=world.dunkerque_doctor, person=first, reason=REASON)
    BreakGlass.objects.update(opened_at=timezone.now() - timedelta(hours=25))
    opening = services.break_glass_open(actor=world.dunkerque_doctor, person=second, reason=REASON)
    assert not opening.needs_approval


def test_a_declined_request_never_opens(world, make_person, login, settings):
    settings.PARCOURS_BREAK_GLASS_DAILY_LIMIT = 0
    person = make_person()
    request = services.break_glass_open(actor=world.dunkerque_doctor, person=person, reason=REASON)
    assert request.is_pending
    client = login(world.referent)
    client.post(f"/access/break-glass/{request.pk}/review/", {"note": "Not an emergency"})
    request.refresh_from_db()
    assert request.reviewed_by == world.referent and not request.is_pending
    assert not request.is_open
    event = AuditEvent.objects.get(event="break_glass.review")
    assert event.extra["declined"] is True
    assert login(world.dunkerque_doctor).get(f"/people/{person.pk}/").status_code == 404
    client = login(world.referent)
    response = client.post(f"/access/break-glass/{request.pk}/approve/", follow=True)
    assert "no longer waiting" in response.content.decode()
    assert "declined" in client.get("/access/break-glass/review/").content.decode()


def test_nobody_approves_their_own_request_and_outsiders_get_404(
    world, make_person, login, settings
):
    settings.PARCOURS_BREAK_GLASS_DAILY_LIMIT = 0
    person = make_person(project=world.dunkerque, actor=world.referent)
    request = services.break_glass_open(actor=world.referent, person=person, reason=REASON)
    with pytest.raises(PermissionDenied):
        services.break_glass_approve(actor=world.referent, opening=request)
    for name in ("doctor", "dunkerque_doctor", "reception", "admin"):
        url = f"/access/break-glass/{request.pk}/approve/"
        assert login(world.users[name]).post(url).status_code == 404, name
    request.refresh_from_db()
    assert request.is_pending
