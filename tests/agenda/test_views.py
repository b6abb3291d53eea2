"""Agenda pages: what each role sees of a site's day, arrivals, the person's
page, the printable week and the clinician's .ics."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from parcours.agenda.models import Appointment, Status
from parcours.audit.models import AccessLog
from parcours.care.models import Encounter
from tests.agenda.conftest import local


def _site_day(client, world, day=None):
    url = reverse("agenda:site", args=[world.calais_day_centre.pk])
    return client.get(url, {"day": (day or timezone.localdate()).isoformat()})


def test_reception_sees_names_and_times_of_its_site_never_a_medical_reason(
    world, login, early_today
):
    response = _site_day(login(world.reception), world)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Amanuel" in page and "00:01" in page
    assert "Wound dressing" not in page
    assert "not shown" in page
    # Reception marks the arrival; it may not record the encounter nor change the reason.
    assert reverse("agenda:status", args=[early_today.pk]) in page
    assert "care/new/" not in page
    assert reverse("agenda:edit", args=[early_today.pk]) not in page


def test_the_doctor_sees_the_reason_and_records_from_the_appointment(world, login, early_today):
    page = _site_day(login(world.doctor), world).content.decode()
    assert "Wound dressing" in page
    assert f"appointment={early_today.pk}" in page


@pytest.mark.parametrize("persona", ["psychologist", "social_worker", "coordinator", "outreach"])
def test_other_disciplines_see_the_slot_not_the_medical_reason(world, login, early_today, persona):
    page = _site_day(login(world.users[persona]), world).content.decode()
    assert "Amanuel" in page
    assert "Wound dressing" not in page


@pytest.mark.parametrize("persona", ["dunkerque_doctor", "meal", "admin", "safeguarding", "nobody"])
def test_who_sees_no_identity_here_gets_404_everywhere(world, login, early_today, persona):
    client = login(world.users[persona])
    urls = [
        reverse("agenda:site", args=[world.calais_day_centre.pk]),
        reverse("agenda:clinician", args=[world.doctor.pk]),
        reverse("agenda:edit", args=[early_today.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    status = reverse("agenda:status", args=[early_today.pk])
    assert client.post(status, {"status": "arrived"}).status_code == 404
    early_today.refresh_from_db()
    assert early_today.status == Status.PLANNED


def test_a_clinician_of_another_project_gets_404_on_the_calais_agenda(world, login):
    client = login(world.dunkerque_doctor)
    assert client.get(reverse("agenda:site", args=[world.calais_day_centre.pk])).status_code == 404
    assert client.get(reverse("agenda:clinician", args=[world.doctor.pk])).status_code == 404
    # Its own site is open to it.
    assert client.get(reverse("agenda:site", args=[world.dunkerque_camp.pk])).status_code == 200


def test_reception_marks_an_arrival_from_the_agenda(world, login, early_today):
    client = login(world.reception)
    response = client.post(
        reverse("agenda:status", args=[early_today.pk]),
        {"status": "arrived", "version": early_today.version},
    )
    assert response.status_code == 302
    early_today.refresh_from_db()
    assert early_today.status == Status.ARRIVED


def test_marking_with_a_stale_version_changes_nothing_and_says_why(world, login, early_today):
    client = login(world.reception)
    url = reverse("agenda:status", args=[early_today.pk])
    client.post(url, {"status": "arrived", "version": 1})
    response = client.post(url, {"status": "missed", "version": 1}, follow=True)
    early_today.refresh_from_db()
    assert early_today.status == Status.ARRIVED
    assert "Someone else changed this appointment" in response.content.decode()


def test_a_past_appointment_still_planned_is_pointed_out(world, login, early_today):
    page = _site_day(login(world.reception), world).content.decode()
    if timezone.now() - early_today.starts_at > timedelta(minutes=15):
        assert "Past and still planned" in page


def test_week_view_is_printable_and_lists_each_day(world, login, book, today):
    book(timezone.now() + timedelta(days=1))
    url = reverse("agenda:site", args=[world.calais_day_centre.pk])
    response = login(world.reception).get(url, {"day": today.isoformat(), "span": "week"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "agenda/agenda.css" in page and "data-print" in page
    assert page.count('class="agenda-day"') == 7


def test_the_agenda_logs_each_person_named(world, login, early_today, make_person, book):
    other = make_person(given_name="Selam")
    book(local(timezone.localdate(), 0, 2), person=other)
    since = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    _site_day(login(world.reception), world)
    rows = AccessLog.objects.filter(id__gt=since)
    assert sorted(r.person_id for r in rows) == sorted([early_today.person_id, other.pk])
    assert {r.what for r in rows} == {"agenda"}


def test_clinician_agenda_lists_only_their_appointments(
    world, login, early_today, make_person, book
):
    book(
        local(timezone.localdate(), 0, 5),
        person=make_person(given_name="Selam"),
        clinician=None,
    )
    page = login(world.reception).get(reverse("agenda:clinician", args=[world.doctor.pk]))
    text = page.content.decode()
    assert "Amanuel" in text and "Selam" not in text


def test_booking_from_the_person_page_with_a_double_booking_warning(world, login, person, book):
    at = timezone.localtime(timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    book(at)
    client = login(world.doctor)
    page = client.get(reverse("dossier:person", args=[person.pk])).content.decode()
    new_url = reverse("agenda:new", args=["medical"])
    assert f"{new_url}?person={person.pk}" in page
    response = client.post(
        f"{new_url}?person={person.pk}",
        {
            "site": world.calais_day_centre.pk,
            "clinician": world.doctor.pk,
            "starts_at": at.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 20,
            "reason": "Blood pressure",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Appointment.objects.count() == 2
    assert "two appointments at the same time" in response.content.decode()


def test_booking_in_the_past_says_so(world, login, person):
    client = login(world.doctor)
    past = timezone.localtime(timezone.now() - timedelta(days=1))
    response = client.post(
        f"{reverse('agenda:new', args=['medical'])}?person={person.pk}",
        {
            "site": world.calais_day_centre.pk,
            "starts_at": past.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 30,
        },
    )
    assert response.status_code == 200
    assert "in the past" in response.content.decode()
    assert not Appointment.objects.exists()


def test_reception_may_not_book_a_medical_appointment(world, login, person):
    url = f"{reverse('agenda:new', args=['medical'])}?person={person.pk}"
    assert login(world.reception).get(url).status_code == 404


def test_recording_the_encounter_from_the_agenda_closes_the_appointment(
    world, login, person, early_today
):
    client = login(world.doctor)
    url = (
        f"{reverse('care:new', args=['medical'])}?person={person.pk}"
        f"&site={world.calais_day_centre.pk}&appointment={early_today.pk}"
    )
    assert client.get(url).status_code == 200
    now = timezone.localtime(timezone.now())
    response = client.post(
        url,
        {
            "site": world.calais_day_centre.pk,
            "occurred_at": now.strftime("%Y-%m-%dT%H:%M"),
            "interpreter_mode": "",
            "reason": "Wound",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    early_today.refresh_from_db()
    assert early_today.status == Status.SEEN
    assert early_today.encounter == Encounter.objects.get(person=person)


def test_missed_appointments_are_counted_on_the_person_page(world, login, person, early_today):
    from parcours.agenda import services

    services.appointment_mark_missed(actor=world.reception, appointment=early_today)
    page = login(world.reception).get(reverse("dossier:person", args=[person.pk]))
    text = page.content.decode()
    assert "1 missed" in text
    assert "Wound dressing" not in text
    doctor_page = login(world.doctor).get(reverse("dossier:person", args=[person.pk]))
    assert "Wound dressing" in doctor_page.content.decode()


def test_ics_holds_initials_and_discipline_only(world, login, early_today, book):
    book(timezone.now() + timedelta(days=2), reason="HIV test result")
    response = login(world.doctor).get(reverse("agenda:ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    assert {str(e["summary"]) for e in events} == {"A. T. · Medical"}
    for forbidden in ("Amanuel", "Tesfay", "Wound", "HIV"):
        assert forbidden not in body


def test_ics_of_someone_else_is_empty(world, login, early_today):
    response = login(world.reception).get(reverse("agenda:ics"))
    assert response.status_code == 200
    assert list(Calendar.from_ical(response.content).walk("VEVENT")) == []


def test_the_menu_offers_the_agenda_to_who_sees_identities(world, login):
    assert reverse("agenda:index") in login(world.reception).get("/").content.decode()
    assert reverse("agenda:index") not in login(world.meal).get("/").content.decode()


def test_the_doctor_changes_the_time_and_reason_from_the_edit_page(world, login, book):
    appointment = book(timezone.now() + timedelta(days=1))
    client = login(world.doctor)
    url = reverse("agenda:edit", args=[appointment.pk])
    assert client.get(url).status_code == 200
    later = timezone.localtime(appointment.starts_at + timedelta(hours=2))
    response = client.post(
        url,
        {
            "version": appointment.version,
            "site": world.calais_day_centre.pk,
            "clinician": world.doctor.pk,
            "starts_at": later.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 45,
            "reason": "Dressing and stitches out",
        },
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.reason == "Dressing and stitches out"
    assert appointment.duration_minutes == 45 and appointment.version == 2
    # A second save from the same (now stale) page keeps the entries and says why.
    response = client.post(
        url,
        {
            "version": 1,
            "site": world.calais_day_centre.pk,
            "starts_at": later.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 30,
            "reason": "Other",
        },
    )
    assert response.status_code == 200
    assert "Someone else changed this appointment" in response.content.decode()


def test_reception_does_not_reach_the_edit_page(world, login, book):
    appointment = book(timezone.now() + timedelta(days=1))
    assert (
        login(world.reception).get(reverse("agenda:edit", args=[appointment.pk])).status_code == 404
    )
