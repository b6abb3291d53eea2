"""The care pages: recording encounters of every discipline, the record page,
the ICD-10 pick-list and the follow-ups on the home page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from parcours.access import services as access_services
from parcours.audit.models import AccessLog
from parcours.care import models as m
from parcours.org.models import ActivityType, Site


def when(delta: timedelta = timedelta(hours=-1)) -> str:
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


def form_data(world, **fields) -> dict:
    data = {"occurred_at": when(), "site": world.calais_day_centre.pk, "interpreter_mode": ""}
    data.update(fields)
    return data


@pytest.fixture
def activity_sites(world) -> dict[str, Site]:
    """Where outreach rounds and shelter stays are recorded: the test world's
    only Calais site is a day centre, which runs neither."""
    sites = {}
    for discipline, name, code in (
        ("outreach", "Maraude Calais", "coastal_outreach"),
        ("shelter", "Mise à l'abri Calais", "emergency_shelter"),
    ):
        sites[discipline] = Site.objects.create(project=world.calais, name=name)
        sites[discipline].activity_types.add(
            ActivityType.objects.create(code=code, name_fr=name, name_en=name)
        )
    return sites


def site_for(world, activity_sites, discipline: str) -> int:
    return activity_sites.get(discipline, world.calais_day_centre).pk


def new_url(discipline: str, person=None) -> str:
    url = f"/care/new/{discipline}/"
    return f"{url}?person={person.pk}" if person is not None else url


# discipline -> (a persona who may record it, a persona who may not)
WHO = {
    "medical": ("doctor", "reception"),
    "mental_health": ("psychologist", "social_worker"),
    "social": ("social_worker", "doctor"),
    "legal_protection": ("lawyer", "psychologist"),
    "sv_incident": ("doctor", "social_worker"),
    "outreach": ("outreach", "doctor"),
    "shelter": ("social_worker", "lawyer"),
    "day_centre": ("reception", "psychologist"),
}


@pytest.mark.parametrize("discipline", WHO)
def test_form_opens_only_for_roles_that_may_record_the_discipline(
    world, make_person, login, activity_sites, discipline
):
    person = make_person()
    allowed, denied = WHO[discipline]
    page = login(world.users[allowed]).get(new_url(discipline, person))
    assert page.status_code == 200
    assert "Amanuel" in page.content.decode()
    assert login(world.users[denied]).get(new_url(discipline, person)).status_code == 404
    assert login(world.admin).get(new_url(discipline, person)).status_code == 404


def test_unknown_discipline_and_invisible_person_are_404(world, make_person, login):
    person = make_person(project=world.dunkerque, actor=world.referent)
    client = login(world.doctor)
    assert client.get("/care/new/surgery/").status_code == 404
    assert client.get(new_url("medical", person)).status_code == 404
    assert client.get("/care/new/medical/?person=nope").status_code == 404


def test_clinical_form_without_a_person_sends_to_the_people_list(world, login):
    response = login(world.doctor).get("/care/new/medical/")
    assert response.status_code == 302 and response["Location"] == "/people/"


# discipline -> (POST fields, check of the saved encounter)
VALID = {
    "medical": (
        {
            "reason": "Diarrhoea for 3 days",
            "morbidity": "diarrhoea",
            "diagnoses": ["A09", "R51"],
            "temperature_c": "38.5",
            "pregnant": "no",
            "pep_given": "",
        },
        lambda e: (
            e.medical.reason == "Diarrhoea for 3 days"
            and str(e.medical.temperature_c) == "38.5"
            and e.medical.pregnant is False
            and e.medical.pep_given is None
            and sorted(e.diagnoses.values_list("icd10", flat=True)) == ["A09", "R51"]
        ),
    ),
    "mental_health": (
        {
            "session_type": "group",
            "symptoms": ["anxiety", "sleep"],
            "cgi_severity": "4",
            "risk_level": "low",
        },
        lambda e: (
            e.mental_health.session_type == "group"
            and e.mental_health.symptoms == ["anxiety", "sleep"]
            and e.mental_health.cgi_severity == 4
            and e.mental_health.risk_level == "low"
        ),
    ),
    "social": (
        {"needs": ["housing"], "actions": ["call_115"], "health_coverage": "ame"},
        lambda e: e.social.needs == ["housing"] and e.social.actions == ["call_115"],
    ),
    "legal_protection": (
        {
            "procedure": "minority_appeal",
            "actions": ["appeal_filed"],
            "violence_types": ["police"],
            "perpetrator_type": "police",
            "violence_date": "2024-03-02",
        },
        lambda e: (
            e.legal.procedure == "minority_appeal"
            and e.legal.violence_types == ["police"]
            and e.legal.violence_date == date(2024, 3, 2)
        ),
    ),
    "sv_incident": (
        {
            "gbv_type": "rape",
            "hours_to_care": "30",
            "narrative": "Near the canal",
            "consent_anonymous_reporting": "on",
        },
        lambda e: (
            e.sv_incident.gbv_type == "rape"
            and e.sv_incident.narrative == "Near the canal"
            and e.sv_incident.consent_anonymous_reporting is True
        ),
    ),
    "outreach": (
        {"place": "Gravelines beach", "services": ["water", "blankets"], "tally_male_3": "5"},
        lambda e: (
            e.activity_details.place == "Gravelines beach"
            and list(e.tallies.values_list("sex", "age_group", "count")) == [("male", "18-24", 5)]
        ),
    ),
    "shelter": (
        {"admitted_on": "2024-01-10", "discharged_on": "2024-01-14", "services": ["shower"]},
        lambda e: e.activity_details.nights == 4,
    ),
    "day_centre": (
        {"services": ["meal", "shower"], "tally_female_0": "2"},
        lambda e: e.activity_details.services == ["meal", "shower"] and e.tallies.get().count == 2,
    ),
}


@pytest.mark.parametrize("discipline", VALID)
def test_valid_post_records_one_encounter_with_its_details(
    world, make_person, login, activity_sites, discipline
):
    allowed, _denied = WHO[discipline]
    fields, check = VALID[discipline]
    anonymous = discipline in ("outreach", "day_centre")
    person = None if anonymous else make_person()
    site = site_for(world, activity_sites, discipline)
    response = login(world.users[allowed]).post(
        new_url(discipline, person), form_data(world, site=site, **fields)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    encounter = m.Encounter.objects.get()
    assert encounter.discipline == discipline and encounter.author == world.users[allowed]
    assert check(encounter)
    if anonymous:
        assert response["Location"] == f"/care/{encounter.pk}/recorded/"
        page = login(world.users[allowed]).get(response["Location"]).content.decode()
        assert "recorded" in page
    else:
        assert response["Location"] == f"/people/{person.pk}/#encounter-{encounter.pk}"


@pytest.mark.parametrize(
    "discipline, fields, field, message",
    [
        ("medical", {"occurred_at": "1999-06-01T10:00"}, "occurred_at", "before the person"),
        ("medical", {"occurred_at": when(timedelta(days=1))}, "occurred_at", "in the future"),
        ("medical", {"gestational_age_weeks": "60"}, "gestational_age_weeks", "between 0 and 45"),
        ("medical", {"hours_since_incident": "-5"}, "hours_since_incident", "between 0 and"),
        ("sv_incident", {"hours_to_care": "-1", "gbv_type": "rape"}, "hours_to_care", "between"),
        ("sv_incident", {}, "gbv_type", "required"),
        ("medical", {"site": "999999"}, "site", "Select a valid choice"),
        ("medical", {"diagnoses": ["XYZ"]}, "diagnoses", "Unknown ICD-10"),
        ("medical", {"interpreter_language": "zz"}, "interpreter_language", "Unknown language"),
        ("outreach", {"linked_persons": "CAL-99999"}, "linked_persons", "CAL-99999"),
    ],
)
def test_bad_input_shows_field_errors_keeps_what_was_typed_and_saves_nothing(
    world, make_person, login, activity_sites, discipline, fields, field, message
):
    person = make_person(birth_date=date(2000, 1, 1))
    fields = {"reason": "Typed before the error", **fields}
    if discipline != "medical":
        fields.pop("reason")
    response = login(world.doctor if discipline != "outreach" else world.outreach).post(
        new_url(discipline, person),
        form_data(world, **{"site": site_for(world, activity_sites, discipline), **fields}),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field]), form.errors
    page = response.content.decode()
    assert "Nothing was saved" in page
    if discipline == "medical":
        assert 'value="Typed before the error"' in page
    assert not m.Encounter.objects.exists()


def test_a_site_of_another_project_is_refused(world, make_person, login):
    person = make_person()
    other = Site.objects.create(project=world.dunkerque, name="Grande-Synthe")
    response = login(world.doctor).post(
        new_url("medical", person), form_data(world, site=other.pk, reason="x")
    )
    assert "site" in response.context["form"].errors
    assert not m.Encounter.objects.exists()


def test_sites_offered_are_those_of_the_users_projects(world, make_person, login):
    person = make_person()
    Site.objects.create(project=world.dunkerque, name="Grande-Synthe")
    page = login(world.doctor).get(new_url("medical", person)).content.decode()
    assert "Accueil de jour Calais" in page and "Grande-Synthe" not in page


def test_first_visit_is_derived_and_shown_on_the_record(world, make_person, login, record, now):
    person = make_person()
    record(world.doctor, person, "medical", occurred_at=now - timedelta(days=3))
    client = login(world.doctor)
    client.post(new_url("medical", person), form_data(world, reason="Again"))
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert page.count("first visit") == 1 and page.count(">follow-up<") == 1


# --- the record page -----------------------------------------------------------


@pytest.fixture
def amanuel(world, make_person, record):
    person = make_person()
    record(
        world.doctor,
        person,
        "medical",
        team_note="Needs rest, no heavy work",
        confidential_note="HIV positive, on ART",
        details={"morbidity": "scabies", "diagnoses": ["B86"]},
    )
    return person


def test_doctor_reads_the_medical_note_in_full(world, amanuel, login):
    page = login(world.doctor).get(f"/people/{amanuel.pk}/").content.decode()
    assert "HIV positive, on ART" in page and "Needs rest, no heavy work" in page
    assert "B86" in page and "Scabies" in page
    assert "New medical consultation" in page and "New social interview" not in page
    log = AccessLog.objects.get(person=amanuel)
    assert (log.what, log.break_glass) == ("record", False)


def test_social_worker_cannot_read_medical_note_without_consent(world, amanuel, login):
    page = login(world.social_worker).get(f"/people/{amanuel.pk}/").content.decode()
    assert "1 medical entry — not shared with your role" in page
    assert "Needs rest" not in page and "HIV" not in page and "B86" not in page
    assert "New social interview" in page and "New medical consultation" not in page


def test_social_worker_reads_only_the_team_note_after_team_sharing_consent(
    world, amanuel, login, consent
):
    consent(amanuel, "medical")
    page = login(world.social_worker).get(f"/people/{amanuel.pk}/").content.decode()
    assert "Needs rest, no heavy work" in page and "shared with consent" in page
    assert "HIV" not in page and "B86" not in page and "not shared with your role" not in page
    consent(amanuel, "medical", status="withdrawn")
    page = login(world.social_worker).get(f"/people/{amanuel.pk}/").content.decode()
    assert "Needs rest" not in page


def test_incident_is_a_restricted_entry_for_a_psychologist_not_assigned(
    world, make_person, login, record
):
    survivor = make_person(given_name="Hawa", sex="female")
    record(
        world.doctor,
        survivor,
        "sv_incident",
        details={"gbv_type": "rape", "narrative": "Attacked near the canal"},
    )
    page = login(world.psychologist).get(f"/people/{survivor.pk}/").content.decode()
    assert "1 restricted entry — only the assigned care team can read it" in page
    assert "Attacked near the canal" not in page and "Rape" not in page
    assert 'id="sec-sv_incident"' not in page
    page = login(world.doctor).get(f"/people/{survivor.pk}/").content.decode()
    assert "Attacked near the canal" in page and "restricted entry" not in page


def test_admin_gets_404_on_the_record(world, amanuel, login):
    assert login(world.admin).get(f"/people/{amanuel.pk}/").status_code == 404


def test_break_glass_opening_is_shown_and_logged(world, amanuel, login):
    access_services.break_glass_open(
        actor=world.dunkerque_doctor, person=amanuel, reason="Unconscious at the camp, history"
    )
    page = login(world.dunkerque_doctor).get(f"/people/{amanuel.pk}/").content.decode()
    assert "break-glass" in page and "Unconscious at the camp, history" in page
    assert "HIV positive" in page
    assert "New medical consultation" not in page  # not their project's person
    assert AccessLog.objects.get(person=amanuel).break_glass is True


def test_consent_links_on_the_record(world, amanuel, login):
    page = login(world.referent).get(f"/people/{amanuel.pk}/").content.decode()
    assert f"/access/persons/{amanuel.pk}/consents/" in page
    assert f"/access/persons/{amanuel.pk}/care-team/" in page
    page = login(world.doctor).get(f"/people/{amanuel.pk}/").content.decode()
    assert f"/access/persons/{amanuel.pk}/care-team/" not in page


# --- editing and follow-ups -------------------------------------------------------


def test_author_edits_an_encounter_and_a_stale_save_keeps_the_typed_values(world, amanuel, login):
    encounter = m.Encounter.objects.get(person=amanuel)
    client = login(world.doctor)
    page = client.get(f"/care/{encounter.pk}/edit/")
    assert page.status_code == 200 and "HIV positive, on ART" in page.content.decode()
    assert AccessLog.objects.get(person=amanuel).what == "encounter"
    fields = form_data(world, version=encounter.version, team_note="Rest for a week")
    fields.pop("site")
    response = client.post(f"/care/{encounter.pk}/edit/", fields)
    assert response.status_code == 302
    encounter.refresh_from_db()
    assert encounter.team_note == "Rest for a week" and encounter.version == 2
    fields.update(version=1, team_note="Typed on a stale page")
    response = client.post(f"/care/{encounter.pk}/edit/", fields)
    page = response.content.decode()
    assert "Someone else changed this encounter" in page and "Typed on a stale page" in page
    encounter.refresh_from_db()
    assert encounter.team_note == "Rest for a week"


def test_only_the_author_or_a_referent_may_edit(world, amanuel, login):
    encounter = m.Encounter.objects.get(person=amanuel)
    for user in (world.social_worker, world.psychologist, world.admin, world.dunkerque_doctor):
        assert login(user).get(f"/care/{encounter.pk}/edit/").status_code == 404, user
    assert login(world.referent).get(f"/care/{encounter.pk}/edit/").status_code == 200


def follow_ups_section(page: str) -> str:
    """The home page's follow-ups card (recent work lists the same persons)."""
    if "My follow-ups due" not in page:
        return ""
    return page.split("My follow-ups due", 1)[1].split("</section>", 1)[0]


def test_follow_ups_due_appear_on_the_home_page_of_their_author_only(
    world, make_person, login, record
):
    today = timezone.localdate()
    soon = make_person(given_name="Soonie")
    late = make_person(given_name="Tardive")
    later = make_person(given_name="Farther")
    record(world.doctor, soon, "medical", follow_up_on=today + timedelta(days=3))
    overdue = record(
        world.doctor,
        late,
        "medical",
        occurred_at=timezone.now() - timedelta(days=10),
        follow_up_on=today - timedelta(days=2),
    )
    record(world.doctor, later, "medical", follow_up_on=today + timedelta(days=30))
    page = login(world.doctor).get("/").content.decode()
    assert "My follow-ups due" in page
    due = follow_ups_section(page)
    assert "Soonie" in due and "Tardive" in due and "Farther" not in due
    assert due.count(">overdue<") == 1
    assert "My follow-ups due" not in login(world.psychologist).get("/").content.decode()
    assert login(world.psychologist).post(f"/care/{overdue.pk}/follow-up-done/").status_code == 404
    response = login(world.doctor).post(f"/care/{overdue.pk}/follow-up-done/", {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Tardive" not in follow_ups_section(login(world.doctor).get("/").content.decode())


# --- ICD-10 ------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["gastroenteritis", "A09"])
def test_icd10_search_finds_a09(world, login, query):
    response = login(world.doctor).post("/care/icd10/", {"q": query})
    assert response.status_code == 200 and 'value="A09"' in response.content.decode()


def test_icd10_search_is_for_those_who_record_medical_encounters(world, login, client):
    assert login(world.reception).post("/care/icd10/", {"q": "A09"}).status_code == 404
    client.logout()
    response = client.post("/care/icd10/", {"q": "A09"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_icd10_words_never_travel_in_the_address(world, login, make_person):
    doctor = login(world.doctor)
    assert doctor.get("/care/icd10/", {"q": "gastroenteritis"}).status_code == 405
    page = doctor.get(new_url("medical", make_person())).content.decode()
    assert 'hx-post="/care/icd10/" hx-params="q"' in page and 'hx-get="/care/icd10/' not in page


# --- activities -------------------------------------------------------------------


@pytest.fixture
def beach(world):
    site = Site.objects.create(project=world.calais, name="Gravelines beach")
    site.activity_types.add(
        ActivityType.objects.create(
            code="coastal_outreach", name_fr="Maraude", name_en="Coastal outreach"
        )
    )
    return site


def test_activities_offered_are_those_of_the_chosen_site(world, beach, login):
    client = login(world.outreach)
    page = client.get("/care/new/outreach/", {"site": beach.pk}).content.decode()
    assert "Coastal outreach" in page and "Day centre" not in page
    day_centre = world.calais_day_centre.activity_types.get()
    response = client.post(
        "/care/new/outreach/", form_data(world, site=beach.pk, activity=day_centre.pk)
    )
    assert "activity" in response.context["form"].errors
    assert not m.Encounter.objects.exists()


def test_outreach_round_links_registered_persons_by_code(world, make_person, beach, login):
    met = make_person()
    code = met.enrolments.get().code
    response = login(world.outreach).post(
        "/care/new/outreach/",
        form_data(world, site=beach.pk, linked_persons=code.lower(), tally_unknown_6="3"),
    )
    assert response.status_code == 302
    encounter = m.Encounter.objects.get()
    assert encounter.person is None and encounter.linked.get().person == met
    assert encounter.tallies.get().age_group == "unknown"


def test_counts_page_and_edit_of_a_round(world, beach, login):
    client = login(world.outreach)
    client.post("/care/new/outreach/", form_data(world, site=beach.pk, tally_female_4="7"))
    encounter = m.Encounter.objects.get()
    page = client.get(f"/care/{encounter.pk}/recorded/").content.decode()
    assert "Gravelines beach" in page and ">7<" in page
    assert login(world.psychologist).get(f"/care/{encounter.pk}/recorded/").status_code == 200
    assert login(world.admin).get(f"/care/{encounter.pk}/recorded/").status_code == 404
    edit = login(world.outreach).get(f"/care/{encounter.pk}/edit/").content.decode()
    assert 'name="tally_female_4" value="7"' in edit


@pytest.mark.parametrize("discipline", VALID)
def test_edit_form_shows_the_saved_values_and_saves_them_back(
    world, make_person, login, activity_sites, discipline
):
    allowed, _denied = WHO[discipline]
    fields, check = VALID[discipline]
    person = None if discipline in ("outreach", "day_centre") else make_person()
    client = login(world.users[allowed])
    site = site_for(world, activity_sites, discipline)
    client.post(new_url(discipline, person), form_data(world, site=site, **fields))
    encounter = m.Encounter.objects.get()
    edit = client.get(f"/care/{encounter.pk}/edit/")
    assert edit.status_code == 200
    form = edit.context["form"]
    resubmit = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False):
            continue
        if value is True:
            value = "on"
        resubmit[name] = value
    resubmit["occurred_at"] = when()
    resubmit["version"] = encounter.version
    response = client.post(f"/care/{encounter.pk}/edit/", resubmit)
    assert response.status_code == 302, response.context["form"].errors
    encounter = m.Encounter.objects.get()
    assert encounter.version == 2 and check(encounter)
