"""The daily report page: each reader counts what their role may count in the
project, nobody reads a name, another project's reader gets 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.daily.figures import day_figures
from tests.daily.conftest import NAMES


def page(client, world, day, **params):
    url = reverse("daily:report", args=[world.calais.pk])
    return client.get(url, {"day": day.isoformat(), **params})


def seen(figures) -> dict:
    return {r["discipline"]: (r["persons"], r["encounters"]) for r in figures.seen}


def test_the_figures_of_the_day_come_from_the_records(world, the_day, day):
    figures = day_figures(world.coordinator, world.calais, day)
    # Coordinators aggregate the clinical disciplines (not sexual violence).
    assert seen(figures) == {
        "medical": (2, 3),
        "mental_health": (1, 1),
        "social": (0, 0),
        "legal_protection": (0, 0),
        "outreach": (0, 0),
        "shelter": (1, 1),
        "day_centre": (1, 1),
    }
    assert figures.seen_total == 2
    tallies = {t["discipline"]: t["total"] for t in figures.tallies}
    assert tallies == {"day_centre": 3, "outreach": 5}
    assert figures.shelter == {"nights": 1, "admissions": 1, "discharges": 0}
    assert figures.follow_ups == [{"label": "Medical", "due": 1, "done": 0}]
    [medical] = figures.appointments
    assert (medical["booked"], medical["kept"], medical["missed"], medical["cancelled"]) == (
        2,
        1,
        1,
        1,
    )
    # The persons were registered today, not on the day of the report.
    assert figures.new_persons == 0


def test_new_persons_are_those_registered_in_the_project_that_day(world, the_day):
    figures = day_figures(world.reception, world.calais, timezone.localdate())
    assert (figures.new_persons, figures.first_registrations) == (2, 2)


def test_one_site_counts_only_what_happened_there(world, the_day, day):
    from parcours.org.models import Site

    other = Site.objects.create(project=world.calais, name="Maraude Calais")
    figures = day_figures(world.coordinator, world.calais, day, site=other)
    assert all(r["persons"] == 0 for r in figures.seen)
    assert figures.shelter["nights"] == 0 and figures.appointments == []


def test_reception_and_outreach_count_only_the_activities(world, the_day, day, login):
    for user in (world.reception, world.outreach):
        figures = day_figures(user, world.calais, day)
        assert set(seen(figures)) == {"outreach", "shelter", "day_centre"}, user
        assert figures.follow_ups == []
        body = page(login(user), world, day).content.decode()
        assert 'data-discipline="medical"' not in body
        assert 'data-discipline="mental_health"' not in body
        assert 'data-discipline="day_centre"' in body


def test_a_clinician_counts_their_discipline_and_the_activities(world, the_day, day, login):
    doctor = seen(day_figures(world.doctor, world.calais, day))
    assert doctor["medical"] == (2, 3) and "mental_health" not in doctor
    assert "sv_incident" not in doctor  # seen only when assigned: never counted
    psychologist = seen(day_figures(world.psychologist, world.calais, day))
    assert psychologist["mental_health"] == (1, 1) and "medical" not in psychologist
    body = page(login(world.psychologist), world, day).content.decode()
    assert 'data-discipline="mental_health"' in body and 'data-discipline="medical"' not in body


def test_meal_reads_the_aggregates_and_no_team_note(world, the_day, day, login):
    from parcours.daily.services import daily_report_save

    daily_report_save(
        actor=world.reception,
        project=world.calais,
        site=None,
        day=day,
        data={"incidents": "Police operation at the camp"},
        version=0,
    )
    figures = day_figures(world.meal, world.calais, day)
    assert seen(figures)["medical"] == (2, 3) and "sv_incident" in seen(figures)
    body = page(login(world.meal), world, day).content.decode()
    assert "Police operation" not in body and "Team notes" not in body
    assert "Police operation" in page(login(world.doctor), world, day).content.decode()


@pytest.mark.parametrize(
    "persona",
    ["coordinator", "doctor", "psychologist", "reception", "outreach", "meal", "referent"],
)
def test_no_page_names_a_person(world, the_day, day, login, persona):
    client = login(world.users[persona])
    for response in (
        page(client, world, day),
        page(client, world, day, site=world.calais_day_centre.pk),
        client.get(reverse("daily:list", args=[world.calais.pk])),
        client.get(reverse("daily:index")),
    ):
        assert response.status_code == 200
        body = response.content.decode()
        assert not [name for name in NAMES if name in body], persona


def test_another_projects_reader_gets_404(world, the_day, day, login):
    client = login(world.dunkerque_doctor)
    assert page(client, world, day).status_code == 404
    assert client.get(reverse("daily:list", args=[world.calais.pk])).status_code == 404
    # Their own project's report, without a Calais figure.
    own = day_figures(world.dunkerque_doctor, world.dunkerque, day)
    assert seen(own)["medical"] == (1, 1)
    assert page(login(world.reception), world, day, site=world.dunkerque_camp.pk).status_code == 404


def test_roles_that_count_no_activity_have_no_report(world, login, day):
    for persona in ("admin", "safeguarding", "advocacy", "nobody"):
        client = login(world.users[persona])
        assert client.get(reverse("daily:index")).status_code == 404, persona
        assert page(client, world, day).status_code == 404, persona
        assert reverse("daily:index") not in client.get(reverse("home")).content.decode()


def test_the_menu_offers_the_report_to_its_readers(world, login):
    # The MEAL officer's home is the indicators' dashboard, which offers it.
    client = login(world.meal)
    assert client.get(reverse("home"))["Location"] == reverse("meal:index")
    dashboard = client.get(reverse("meal:dashboard", args=[world.calais.pk]))
    assert reverse("daily:index") in dashboard.content.decode()


def test_a_bad_day_falls_back_to_today_and_a_bad_site_is_404(world, login):
    client = login(world.reception)
    url = reverse("daily:report", args=[world.calais.pk])
    assert client.get(url, {"day": "2026-13-45"}).status_code == 200
    assert client.get(url, {"site": "x"}).status_code == 404
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    body = client.get(url, {"day": tomorrow}).content.decode()
    assert "Save the notes" not in body
