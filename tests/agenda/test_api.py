"""API: list, book, change with version (409 if stale); same rules as the pages."""

from datetime import timedelta

from django.utils import timezone

from parcours.agenda.models import Appointment, Status
from parcours.audit.models import AccessLog

URL = "/api/v1/appointments"


def _body(world, person, **fields):
    return {
        "person": person.pk,
        "discipline": "medical",
        "site": world.calais_day_centre.pk,
        "clinician": world.doctor.pk,
        "starts_at": (timezone.now() + timedelta(days=1)).isoformat(),
        "reason": "Wound dressing",
        **fields,
    }


def test_list_gives_reception_the_slot_without_the_reason(world, api_as, early_today):
    response = api_as(world.reception).get(URL)
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["person_name"] == "Amanuel TESFAY" or "Amanuel" in row["person_name"]
    assert "reason" not in row
    doctor = api_as(world.doctor).get(URL).json()["results"][0]
    assert doctor["reason"] == "Wound dressing"


def test_list_is_empty_for_other_projects_and_logged(world, api_as, early_today):
    assert api_as(world.dunkerque_doctor).get(URL).json() == {"count": 0, "results": []}
    since = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    api_as(world.reception).get(URL, {"site": world.calais_day_centre.pk})
    rows = AccessLog.objects.filter(id__gt=since)
    assert [(r.person_id, r.what, r.channel) for r in rows] == [
        (early_today.person_id, "agenda", "api")
    ]


def test_list_rejects_an_endless_period(world, api_as):
    today = timezone.localdate()
    response = api_as(world.doctor).get(
        URL, {"date_from": today.isoformat(), "date_to": (today + timedelta(days=400)).isoformat()}
    )
    assert response.status_code == 422


def test_create_then_a_double_booking_warns(world, api_as, person):
    api = api_as(world.doctor)
    first = api.post(URL, _body(world, person))
    assert first.status_code == 201, first.json()
    assert first.json()["warnings"] == []
    second = api.post(URL, _body(world, person, reason="Other"))
    assert second.status_code == 201
    assert len(second.json()["warnings"]) == 1


def test_create_in_the_past_is_a_field_error(world, api_as, person):
    past = (timezone.now() - timedelta(days=3)).isoformat()
    response = api_as(world.doctor).post(URL, _body(world, person, starts_at=past))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "starts_at"] and "in the past" in error["msg"]
    assert not Appointment.objects.exists()


def test_create_for_an_unseen_person_or_site_is_a_field_error(world, api_as, make_person, person):
    elsewhere = make_person(project=world.dunkerque, actor=world.referent)
    api = api_as(world.doctor)
    assert api.post(URL, _body(world, elsewhere)).status_code == 422
    response = api.post(URL, _body(world, person, site=world.dunkerque_camp.pk))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "site"]


def test_reception_may_not_book_a_medical_appointment(world, api_as, person):
    assert api_as(world.reception).post(URL, _body(world, person)).status_code == 403


def test_patch_with_a_stale_version_is_409(world, api_as, book):
    appointment = book(timezone.now() + timedelta(days=1))
    api = api_as(world.doctor)
    ok = api.patch(f"{URL}/{appointment.pk}", {"version": 1, "duration_minutes": 45})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api.patch(f"{URL}/{appointment.pk}", {"version": 1, "reason": "x"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2


def test_reception_marks_the_arrival_but_not_the_reason(world, api_as, early_today):
    api = api_as(world.reception)
    url = f"{URL}/{early_today.pk}"
    assert api.patch(url, {"version": 1, "reason": "Nothing"}).status_code == 403
    response = api.patch(url, {"version": 1, "status": "arrived"})
    assert response.status_code == 200
    assert response.json()["status"] == "arrived" and "reason" not in response.json()
    assert api.patch(url, {"version": 2, "status": "seen"}).status_code == 422


def test_patch_of_another_projects_appointment_is_404(world, api_as, early_today):
    response = api_as(world.dunkerque_doctor).patch(
        f"{URL}/{early_today.pk}", {"version": 1, "status": "cancelled"}
    )
    assert response.status_code == 404
    early_today.refresh_from_db()
    assert early_today.status == Status.PLANNED


def test_patch_of_a_huge_id_is_not_a_500(world, api_as):
    response = api_as(world.doctor).patch(f"{URL}/{10**30}", {"version": 1})
    assert response.status_code in (404, 422)


def test_reception_cannot_test_a_guess_of_the_reason(world, api_as, early_today):
    """The right guess and a wrong one get the same refusal: no oracle."""
    api = api_as(world.reception)
    url = f"{URL}/{early_today.pk}"
    right = api.patch(url, {"version": 1, "reason": "Wound dressing"})
    wrong = api.patch(url, {"version": 1, "reason": "Nothing"})
    assert right.status_code == wrong.status_code == 403
    assert right.json() == wrong.json()


def test_days_out_of_any_calendar_are_field_errors(world, api_as):
    response = api_as(world.doctor).get(URL, {"date_from": "9999-12-30"})
    assert response.status_code == 422
