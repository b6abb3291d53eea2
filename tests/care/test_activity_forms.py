"""The tally forms (outreach rounds, day-centre attendance) ask no follow-up
date for a count of people; the home page lists each person due a follow-up
once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parcours.care import models as m
from parcours.care.views import follow_ups_due
from parcours.org.models import ActivityType, Site


def when() -> str:
    return (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def post_data(site, **fields) -> dict:
    return {"occurred_at": when(), "site": site.pk, "interpreter_mode": "", **fields}


def activity_type(code: str, name: str) -> ActivityType:
    return ActivityType.objects.get_or_create(
        code=code, defaults={"name_fr": name, "name_en": name}
    )[0]


def site(project, name: str, *codes: str) -> Site:
    created = Site.objects.create(project=project, name=name)
    created.activity_types.set([activity_type(code, code.replace("_", " ")) for code in codes])
    return created


@pytest.fixture
def sites(world):
    """Calais runs every activity somewhere; Dunkerque's outreach is not Calais's."""
    return {
        "beach": site(world.calais, "Plage de Wimereux", "coastal_outreach"),
        "shelter": site(world.calais, "Mise à l'abri hivernale", "emergency_shelter"),
        "housing": site(world.calais, "Hébergement Calais", "housing"),
        "clinic": site(world.calais, "Clinique mobile des Dunes", "mobile_clinic"),
        "pantin": site(world.calais, "Accueil et permanence", "day_centre", "legal_clinic"),
        "dunkerque_beach": site(world.dunkerque, "Plage de Gravelines", "coastal_outreach"),
    }


# --- no follow-up date for counts ----------------------------------------------------


@pytest.mark.parametrize(
    ("discipline", "persona", "asks"),
    [
        ("outreach", "outreach", False),
        ("day_centre", "reception", False),
        ("shelter", "social_worker", True),
        ("medical", "doctor", True),
        ("social", "social_worker", True),
    ],
)
def test_only_the_tally_forms_ask_no_follow_up_date(
    world, sites, make_person, login, discipline, persona, asks
):
    person = make_person()
    response = login(world.users[persona]).get(f"/care/new/{discipline}/?person={person.pk}")
    assert response.status_code == 200
    assert ("follow_up_on" in response.context["form"].fields) is asks
    assert ('name="follow_up_on"' in response.content.decode()) is asks


def test_a_follow_up_date_posted_with_a_round_is_not_recorded(world, sites, login):
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    client = login(world.outreach)
    response = client.post(
        "/care/new/outreach/", post_data(sites["beach"], tally_male_0="1", follow_up_on=due)
    )
    assert response.status_code == 302
    encounter = m.Encounter.objects.get()
    assert encounter.follow_up_on is None
    edit = client.get(f"/care/{encounter.pk}/edit/")
    assert "follow_up_on" not in edit.context["form"].fields


# --- follow-ups due: each person once --------------------------------------------------


def follow_ups_section(page: str) -> str:
    if "My follow-ups due" not in page:
        return ""
    return page.split("My follow-ups due", 1)[1].split("</section>", 1)[0]


@pytest.fixture
def due_follow_ups(world, make_person, record, now):
    today = timezone.localdate()
    many = make_person(given_name="Selam")
    one = make_person(given_name="Yonas")
    later = record(world.doctor, many, "medical", follow_up_on=today + timedelta(days=3))
    overdue = record(
        world.doctor,
        many,
        "medical",
        occurred_at=now - timedelta(days=10),
        follow_up_on=today - timedelta(days=1),
    )
    record(world.doctor, many, "medical", follow_up_on=today + timedelta(days=5))
    record(world.doctor, one, "medical", follow_up_on=today + timedelta(days=2))
    # Beyond the week: neither listed nor counted.
    record(world.doctor, many, "medical", follow_up_on=today + timedelta(days=30))
    return {"many": many, "one": one, "overdue": overdue, "later": later}


def test_each_person_is_listed_once_earliest_due_first_with_their_count(world, due_follow_ups):
    rows = follow_ups_due(world.doctor)
    assert [(r["person_id"], r["count"]) for r in rows] == [
        (due_follow_ups["many"].pk, 3),
        (due_follow_ups["one"].pk, 1),
    ]
    first = rows[0]
    assert first["id"] == due_follow_ups["overdue"].pk and first["overdue"] is True


def test_the_home_page_shows_each_person_once_with_the_number_of_follow_ups(
    world, due_follow_ups, login
):
    client = login(world.doctor)
    due = follow_ups_section(client.get("/").content.decode())
    assert due.count("Selam") == 1 and due.count("Yonas") == 1
    assert due.index("Selam") < due.index("Yonas")
    assert "3 follow-ups" in due and "1 follow-up" not in due
    assert due.count(">overdue<") == 1
    # "Done" closes the earliest: the person stays, with the next one.
    response = client.post(f"/care/{due_follow_ups['overdue'].pk}/follow-up-done/", {"next": "/"})
    assert response.status_code == 302
    due = follow_ups_section(client.get("/").content.decode())
    assert due.count("Selam") == 1 and "2 follow-ups" in due and ">overdue<" not in due
    assert due.index("Yonas") < due.index("Selam")


def test_the_count_is_in_french_for_a_french_user(world, due_follow_ups, login):
    world.doctor.language = "fr"
    world.doctor.save()
    page = login(world.doctor).get("/").content.decode()
    assert "3 suivis" in page
