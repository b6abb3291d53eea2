"""Activity forms offer only the sites that run the activity and ask no
follow-up date for a count of people; the home page lists each person due a
follow-up once."""

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


def offered(response) -> set[str]:
    return {label for _pk, label in response.context["form"].fields["site"].choices}


# discipline -> (who records it, the sites offered in Calais)
OFFERED = {
    "outreach": ("outreach", {"Plage de Wimereux"}),
    "day_centre": ("reception", {"Accueil de jour Calais", "Accueil et permanence"}),
    "shelter": ("social_worker", {"Mise à l'abri hivernale", "Hébergement Calais"}),
}


@pytest.mark.parametrize("discipline", OFFERED)
def test_an_activity_form_offers_only_the_sites_that_run_the_activity(
    world, sites, make_person, login, discipline
):
    persona, expected = OFFERED[discipline]
    person = None if discipline != "shelter" else make_person()
    url = f"/care/new/{discipline}/" + (f"?person={person.pk}" if person else "")
    response = login(world.users[persona]).get(url)
    assert response.status_code == 200
    assert offered(response) == expected


def test_clinical_forms_still_offer_every_site_of_the_project(world, sites, make_person, login):
    person = make_person()
    response = login(world.doctor).get(f"/care/new/medical/?person={person.pk}")
    assert "Plage de Wimereux" in offered(response)
    assert "Accueil de jour Calais" in offered(response)
    assert "Plage de Gravelines" not in offered(response)


@pytest.mark.parametrize(
    ("discipline", "persona", "wrong"),
    [
        ("outreach", "outreach", "pantin"),
        ("outreach", "outreach", "clinic"),
        ("outreach", "outreach", "dunkerque_beach"),
        ("day_centre", "reception", "beach"),
    ],
)
def test_a_site_that_does_not_run_the_activity_is_refused(
    world, sites, login, discipline, persona, wrong
):
    response = login(world.users[persona]).post(
        f"/care/new/{discipline}/", post_data(sites[wrong], tally_female_0="2")
    )
    assert response.status_code == 200
    assert "site" in response.context["form"].errors
    assert not m.Encounter.objects.exists()


def test_a_round_is_recorded_at_an_outreach_site(world, sites, login):
    response = login(world.outreach).post(
        "/care/new/outreach/", post_data(sites["beach"], place="Dunes", tally_male_3="4")
    )
    assert response.status_code == 302
    encounter = m.Encounter.objects.get()
    assert encounter.site == sites["beach"] and encounter.tallies.get().count == 4


def test_the_activity_offered_is_the_one_of_the_form(world, sites, login):
    client = login(world.reception)
    response = client.get("/care/new/day_centre/", {"site": sites["pantin"].pk})
    form = response.context["form"]
    day_centre = ActivityType.objects.get(code="day_centre")
    assert [pk for pk, _label in form.fields["activity"].choices] == ["", day_centre.pk]
    assert form.initial["activity"] == day_centre.pk
    legal = ActivityType.objects.get(code="legal_clinic")
    refused = client.post(
        "/care/new/day_centre/", post_data(sites["pantin"], activity=legal.pk, tally_male_0="1")
    )
    assert "activity" in refused.context["form"].errors
    assert not m.Encounter.objects.exists()


def test_without_a_site_running_the_activity_the_page_says_so(world, login):
    # The test world's Calais has only its day centre: no outreach site.
    response = login(world.outreach).get("/care/new/outreach/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    page = response.content.decode()
    assert "None of the sites where you may record this runs the activity" in page
    assert "Outreach round" in page
    posted = login(world.outreach).post(
        "/care/new/outreach/", post_data(world.calais_day_centre, tally_male_0="3")
    )
    assert posted.status_code == 302 and not m.Encounter.objects.exists()


def test_a_shelter_stay_without_a_shelter_site_sends_back_to_the_record(world, make_person, login):
    person = make_person()
    response = login(world.social_worker).get(f"/care/new/shelter/?person={person.pk}", follow=True)
    assert response.redirect_chain == [(f"/people/{person.pk}/", 302)]
    assert "runs the activity “Shelter stay”" in response.content.decode()


def test_the_message_is_in_french_for_a_french_user(world, login):
    world.outreach.language = "fr"
    world.outreach.save()
    page = login(world.outreach).get("/care/new/outreach/", follow=True).content.decode()
    assert "Aucun des sites où vous pouvez enregistrer ceci" in page


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
