"""Blood pressure: refused when the systolic does not exceed the diastolic, or
when either is outside physiological limits; the same on the page and in the
API, in the user's language."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.care import models as m


def page_data(world, **details) -> dict:
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "occurred_at": when,
        "site": world.calais_day_centre.pk,
        "interpreter_mode": "",
        "reason": "Headache",
    }
    data.update({name: str(value) for name, value in details.items()})
    return data


def api_body(world, **details) -> dict:
    return {
        "discipline": "medical",
        "occurred_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "site": world.calais_day_centre.pk,
        "details": details,
    }


def api_errors(response) -> dict[tuple, str]:
    return {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}


# (systolic, diastolic) -> the field in error and part of its message
REFUSED = [
    ((120, 120), "diastolic_mmhg", "lower than the systolic"),
    ((80, 120), "diastolic_mmhg", "lower than the systolic"),
    ((40, 30), "systolic_mmhg", "between 50 and 260"),
    ((270, 90), "systolic_mmhg", "between 50 and 260"),
    ((120, 25), "diastolic_mmhg", "between 30 and 160"),
    ((200, 170), "diastolic_mmhg", "between 30 and 160"),
]


@pytest.mark.parametrize(("pressure", "field", "message"), REFUSED)
def test_page_refuses_an_impossible_blood_pressure(
    world, make_person, login, pressure, field, message
):
    person = make_person()
    systolic, diastolic = pressure
    response = login(world.doctor).post(
        f"/care/new/medical/?person={person.pk}",
        page_data(world, systolic_mmhg=systolic, diastolic_mmhg=diastolic),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not m.Encounter.objects.exists()


@pytest.mark.parametrize(("pressure", "field", "message"), REFUSED)
def test_api_refuses_an_impossible_blood_pressure(
    world, make_person, api_as, pressure, field, message
):
    person = make_person()
    systolic, diastolic = pressure
    response = api_as(world.doctor).post(
        f"/api/v1/persons/{person.pk}/encounters",
        api_body(world, systolic_mmhg=systolic, diastolic_mmhg=diastolic),
    )
    assert response.status_code == 422, response.json()
    errors = api_errors(response)
    assert message in errors[("body", "details", field)], errors
    assert not m.Encounter.objects.exists()


@pytest.mark.parametrize("pressure", [(120, 80), (51, 50), (260, 160), (60, 30)])
def test_plausible_blood_pressures_are_recorded(world, make_person, login, api_as, pressure):
    person = make_person()
    systolic, diastolic = pressure
    response = login(world.doctor).post(
        f"/care/new/medical/?person={person.pk}",
        page_data(world, systolic_mmhg=systolic, diastolic_mmhg=diastolic),
    )
    assert response.status_code == 302, response.context["form"].errors
    api = api_as(world.doctor).post(
        f"/api/v1/persons/{person.pk}/encounters",
        api_body(world, systolic_mmhg=systolic, diastolic_mmhg=diastolic),
    )
    assert api.status_code == 201, api.json()
    assert list(m.MedicalDetails.objects.values_list("systolic_mmhg", "diastolic_mmhg")) == [
        pressure,
        pressure,
    ]


def test_one_pressure_alone_is_checked_only_for_its_range(world, make_person, api_as):
    person = make_person()
    api = api_as(world.doctor)
    url = f"/api/v1/persons/{person.pk}/encounters"
    assert api.post(url, api_body(world, diastolic_mmhg=90)).status_code == 201
    assert api.post(url, api_body(world, systolic_mmhg=130)).status_code == 201


def test_the_message_is_in_the_users_language(world, make_person, login, api_as):
    world.doctor.language = "fr"
    world.doctor.save()
    person = make_person()
    response = login(world.doctor).post(
        f"/care/new/medical/?person={person.pk}",
        page_data(world, systolic_mmhg=80, diastolic_mmhg=120),
    )
    page_message = " ".join(response.context["form"].errors["diastolic_mmhg"])
    assert "La pression diastolique doit être inférieure à la systolique" in page_message
    api = api_as(world.doctor).post(
        f"/api/v1/persons/{person.pk}/encounters",
        api_body(world, systolic_mmhg=80, diastolic_mmhg=120),
    )
    assert (
        "La pression diastolique doit être inférieure à la systolique"
        in (api_errors(api)[("body", "details", "diastolic_mmhg")])
    )
