"""Who sees what on the data-quality page: counts for the MEAL officer, the
findings of their own discipline for a clinician, nothing for the others."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from parcours.audit.models import AccessLog
from parcours.care.models import Encounter


@pytest.fixture
def findings(world, make_person, record, on):
    """Last month: a person without nationality, a medical consultation
    without morbidity and a mental-health session entered late."""
    person = make_person(given_name="Yonas", family_name="Tekle", sex="male")
    medical = record(world.doctor, "medical", on(3), person)
    session = record(world.psychologist, "mental_health", on(4), person)
    Encounter.objects.filter(pk=medical.pk).update(created_at=on(3))
    Encounter.objects.filter(pk=session.pk).update(created_at=on(4) + timedelta(days=20))
    return {"person": person, "medical": medical, "session": session}


def page(client, user, world, month, **params):
    client.force_login(user)
    return client.get(
        reverse("quality:project", args=[world.calais.pk]), {"month": month.code, **params}
    )


def test_meal_officer_gets_counts_never_names_nor_links(client, world, findings, month):
    response = page(client, world.meal, world, month)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-check="medical_morbidity"' in body
    assert 'data-check="late_entry"' in body
    assert "Tekle" not in body and "Yonas" not in body
    assert f"/people/{findings['person'].pk}/" not in body
    assert "&check=" not in body  # no link to a list
    listed = page(client, world.meal, world, month, check="medical_morbidity").content.decode()
    assert "Tekle" not in listed and "These records are listed only to who may open them" in listed


def test_clinician_sees_the_findings_of_their_discipline_only(client, world, findings, month):
    doctor = page(client, world.doctor, world, month, check="medical_morbidity").content.decode()
    assert "TEKLE" in doctor
    assert reverse("care:edit", args=[findings["medical"].pk]) in doctor
    # The late mental-health session is neither listed nor counted for the doctor.
    late = page(client, world.doctor, world, month, check="late_entry").content.decode()
    assert "TEKLE" not in late
    assert reverse("care:edit", args=[findings["session"].pk]) not in late
    # The psychologist sees that one, and no medical check.
    psy = page(client, world.psychologist, world, month, check="late_entry").content.decode()
    assert "TEKLE" in psy
    assert 'data-check="medical_morbidity"' not in psy
    assert (
        page(client, world.psychologist, world, month, check="medical_morbidity").status_code == 404
    )


def test_listing_a_finding_logs_the_read_of_the_person(client, world, findings, month):
    page(client, world.doctor, world, month, check="person_nationality")
    assert AccessLog.objects.filter(user=world.doctor, person=findings["person"]).exists()


@pytest.mark.parametrize(
    "persona",
    ["reception", "outreach", "advocacy", "safeguarding", "dunkerque_doctor", "nobody", "admin"],
)
def test_others_get_nothing(client, world, findings, month, persona):
    assert page(client, world.users[persona], world, month).status_code == 404


def test_bad_month_gets_a_message(client, world, findings):
    client.force_login(world.meal)
    url = reverse("quality:project", args=[world.calais.pk])
    response = client.get(url, {"month": "2026-13"})
    assert response.status_code == 200
    assert "Give the month as YYYY-MM" in response.content.decode()
    response = client.get(url, {"month": "2199-01"})
    assert "still to come" in response.content.decode()
    assert client.get(url, {"check": "no_such_check"}).status_code == 404


def test_command_prints_the_summary_without_names(world, findings, month, capsys):
    call_command("dataquality", "--project", "CAL", "--month", month.code)
    out = capsys.readouterr().out
    assert "CAL" in out and "late_entry" in out and "medical_morbidity" in out
    assert "Tekle" not in out and "TEKLE" not in out


def test_sexual_violence_findings_for_referents_counted_for_meal_only_when_consented(
    client, world, make_person, record, on, month
):
    survivor = make_person(given_name="Hawa", family_name="Ali", sex="female")
    details = {
        "gbv_type": "rape",
        "incident_date": (on(15) - timedelta(days=6)).date(),
        "hours_to_care": 24,
    }
    record(world.referent, "sv_incident", on(15), survivor, details=details)
    referent = page(client, world.referent, world, month, check="sv_hours_to_care")
    assert "ALI" in referent.content.decode()  # the referent sees it, to correct
    meal = page(client, world.meal, world, month).content.decode()
    row = meal.split('data-check="sv_hours_to_care"')[1].split("</tr>")[0]
    assert '<td class="dq-found">0</td>' in row  # not consented: not counted
    doctor = page(client, world.doctor, world, month).content.decode()
    assert 'data-check="sv_hours_to_care"' not in doctor
    assert 'data-check="pep_after_72h"' not in doctor
    record(
        world.referent,
        "sv_incident",
        on(16),
        survivor,
        details={**details, "consent_anonymous_reporting": True},
    )
    meal = page(client, world.meal, world, month).content.decode()
    row = meal.split('data-check="sv_hours_to_care"')[1].split("</tr>")[0]
    assert '<td class="dq-found">1</td>' in row
    assert "Hawa" not in meal
