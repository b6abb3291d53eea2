"""Vulnerability flags under the policy, page and API side by side.

A flag carries the secret of its category (FLAG_CATEGORIES): a user sees it
only where they see that category in full for the person. For sexual
violence that is the assigned care team and the medical referents, never a
break-glass opening. The list filter offers a flag only to who sees its
category somewhere; the history never shows a hidden flag; editing leaves
the flags the editor cannot see as they are.
"""

import html
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from parcours.access import services as access_services
from parcours.access.policy import FLAG_CATEGORIES
from parcours.access.terms import Category
from parcours.accounts.models import Membership
from parcours.care import services as care_services
from parcours.people import services as people_services
from parcours.people.models import Flag, PersonFlag
from tests.personas import CALAIS_ROLES, make_user

I = Category.IDENTITY  # noqa: E741
M = Category.MEDICAL
L = Category.LEGAL_PROTECTION
SV = Category.SV_INCIDENT

ALL_FLAGS = list(Flag.values)
PERSONAS = [*CALAIS_ROLES, "referent", "dunkerque_doctor", "nobody"]

# Categories of a Calais person that each persona sees in full, nobody being
# assigned to the person's care (written by hand from docs/access.md).
SEES = {
    "coordinator": {I},
    "doctor": {I, M},
    "psychologist": {I},
    "social_worker": {I},
    "lawyer": {I, L},
    "outreach": {I},
    "reception": {I},
    "referent": {I, M, SV},
}
# Who does not reach a Calais person at all (404 on the page and the API).
UNREACHABLE = {
    "admin",
    "meal",
    "safeguarding",
    "advocacy",
    "logistics",
    "dunkerque_doctor",
    "nobody",
}
# Categories each persona sees in full somewhere: the list filters offered.
# Medical, mental-health and legal staff see sexual violence only where they
# are assigned; nobody is assigned here.
SEES_SOMEWHERE = {**SEES, "dunkerque_doctor": {I, M}}
# Who may open the people list at all (identity view in some project).
LIST_READERS = set(SEES_SOMEWHERE)


def flags_of(categories) -> set[str]:
    return {f for f, c in FLAG_CATEGORIES.items() if c in categories}


@pytest.fixture
def flagged(make_person):
    """A Calais person carrying every vulnerability flag."""
    return make_person(given_name="Saba", family_name="Kidane", flags=ALL_FLAGS)


def label_tag(flag: str, language: str = "en") -> str:
    with translation.override(language):
        return f'<span class="tag flag">{html.escape(str(Flag(flag).label))}</span>'


def filter_options(page: str) -> set[str]:
    select = re.search(r'<select name="flag"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the people list has a flag filter"
    return set(re.findall(r'<option value="([^"]*)"', select.group(1))) - {""}


def flag_checkboxes(page: str) -> set[str]:
    return set(re.findall(r'name="flags" value="([a-z_]+)"', page))


def stored_flags(person) -> set[str]:
    return set(PersonFlag.objects.filter(person=person).values_list("flag", flat=True))


# ------------------------------------------------------------- the mapping


def test_every_flag_has_a_category():
    assert set(FLAG_CATEGORIES) == set(Flag.values)


# ------------------------------------------------------- person page and API


@pytest.mark.parametrize("flag", ALL_FLAGS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_person_page_shows_a_flag_only_to_who_sees_its_category(
    world, flagged, login, persona, flag
):
    response = login(world.users[persona]).get(reverse("dossier:person", args=[flagged.pk]))
    if persona in UNREACHABLE:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    shown = label_tag(flag) in response.content.decode()
    assert shown == (FLAG_CATEGORIES[flag] in SEES[persona]), (persona, flag)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_person_lists_exactly_the_allowed_flags(world, flagged, api_as, persona):
    response = api_as(world.users[persona]).get(f"/api/v1/persons/{flagged.pk}")
    if persona in UNREACHABLE:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    codes = {f["code"] for f in response.json()["flags"]}
    assert codes == flags_of(SEES[persona]), persona


def test_flags_in_the_users_language(world, flagged, login):
    world.reception.language = "fr"
    world.reception.save()
    page = login(world.reception).get(reverse("dossier:person", args=[flagged.pk]))
    page = page.content.decode()
    assert label_tag("single_woman", "fr") != label_tag("single_woman", "en")
    assert label_tag("single_woman", "fr") in page
    assert label_tag("pregnant", "fr") not in page
    assert label_tag("pregnant", "en") not in page


@pytest.mark.parametrize("persona", ["doctor", "psychologist", "lawyer"])
def test_assigned_care_team_sees_the_sexual_violence_flag(world, flagged, login, api_as, persona):
    user = world.users[persona]
    url = reverse("dossier:person", args=[flagged.pk])
    assert label_tag("sv_survivor") not in login(user).get(url).content.decode()
    access_services.care_assign(
        actor=world.referent, person=flagged, user=user, project=world.calais
    )
    assert label_tag("sv_survivor") in login(user).get(url).content.decode()
    codes = {f["code"] for f in api_as(user).get(f"/api/v1/persons/{flagged.pk}").json()["flags"]}
    assert codes == flags_of(SEES[persona] | {SV})


def test_recording_an_incident_puts_the_recorder_in_the_care_team(world, flagged, api_as):
    care_services.encounter_record(
        actor=world.psychologist,
        discipline="sv_incident",
        site=world.calais_day_centre,
        person=flagged,
        data={"occurred_at": timezone.now() - timedelta(hours=1)},
        details={"gbv_type": "rape"},
    )
    codes = {
        f["code"]
        for f in api_as(world.psychologist).get(f"/api/v1/persons/{flagged.pk}").json()["flags"]
    }
    assert "sv_survivor" in codes


@pytest.mark.parametrize(
    ("role", "opened"),
    [("medical", {I, M}), ("legal_protection", {I, L}), ("mental_health", {I})],
)
def test_break_glass_opens_its_categories_never_sexual_violence(
    world, flagged, login, api_as, role, opened
):
    outsider = make_user(f"paris_{role}")
    Membership.objects.create(user=outsider, project=world.paris, role=role)
    access_services.break_glass_open(
        actor=outsider, person=flagged, reason="Found unconscious at the Paris day centre"
    )
    page = login(outsider).get(reverse("dossier:person", args=[flagged.pk])).content.decode()
    for flag in ALL_FLAGS:
        assert (label_tag(flag) in page) == (FLAG_CATEGORIES[flag] in opened), flag
    codes = {
        f["code"] for f in api_as(outsider).get(f"/api/v1/persons/{flagged.pk}").json()["flags"]
    }
    assert codes == flags_of(opened)
    assert "sv_survivor" not in codes


# ------------------------------------------------------------- list filter


@pytest.mark.parametrize("flag", ALL_FLAGS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_list_filter_offered_only_to_who_sees_the_category_somewhere(
    world, flagged, login, api_as, persona, flag
):
    user = world.users[persona]
    offered = FLAG_CATEGORIES[flag] in SEES_SOMEWHERE.get(persona, set())
    page = login(user).get(reverse("people:list"))
    if persona not in LIST_READERS:
        assert page.status_code == 404
    else:
        assert page.status_code == 200
        assert (flag in filter_options(page.content.decode())) == offered, (persona, flag)
    response = api_as(user).get("/api/v1/persons", {"flag": flag})
    if offered:
        assert response.status_code == 200, (persona, flag)
    else:
        assert response.status_code == 422, (persona, flag)
        assert [e["loc"] for e in response.json()["detail"]] == [["query", "flag"]]


def test_sexual_violence_filter_offered_once_assigned_and_finds_only_assigned(
    world, make_person, login, api_as
):
    mine = make_person(given_name="Hiwet", flags=["sv_survivor"])
    other = make_person(given_name="Selam", flags=["sv_survivor"])
    access_services.care_assign(
        actor=world.referent, person=mine, user=world.doctor, project=world.calais
    )
    page = login(world.doctor).get(reverse("people:list")).content.decode()
    assert "sv_survivor" in filter_options(page)
    body = api_as(world.doctor).get("/api/v1/persons", {"flag": "sv_survivor"}).json()
    assert [r["id"] for r in body["results"]] == [mine.pk]
    page = login(world.doctor).get(reverse("people:list"), {"flag": "sv_survivor"})
    assert "Hiwet" in page.content.decode() and "Selam" not in page.content.decode()
    # The referent sees both.
    body = api_as(world.referent).get("/api/v1/persons", {"flag": "sv_survivor"}).json()
    assert {r["id"] for r in body["results"]} == {mine.pk, other.pk}


def test_offered_filter_narrows_page_and_api_alike(world, make_person, login, api_as):
    make_person(given_name="Meron", flags=["pregnant"])
    make_person(given_name="Yonas")
    page = login(world.doctor).get(reverse("people:list"), {"flag": "pregnant"}).content.decode()
    assert "Meron" in page and "Yonas" not in page
    body = api_as(world.doctor).get("/api/v1/persons", {"flag": "pregnant"}).json()
    assert [r["given_name"] for r in body["results"]] == ["Meron"]


def test_crafted_page_query_on_a_hidden_flag_filters_nothing(world, make_person, login):
    make_person(given_name="Meron", flags=["pregnant"])
    make_person(given_name="Yonas")
    response = login(world.reception).get(reverse("people:list"), {"flag": "pregnant"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "pregnant" not in filter_options(page)
    # The refused filter is ignored as a whole: both shown, so nothing told.
    assert "Meron" in page and "Yonas" in page


# ----------------------------------------------------------------- history


def _update(actor, person, flags):
    person.refresh_from_db()
    return people_services.person_update(
        actor=actor, person_id=person.pk, version=person.version, data={"flags": flags}
    )


@pytest.fixture
def flag_history(world, make_person):
    person = make_person(given_name="Luwam")
    _update(world.doctor, person, ["single_woman", "pregnant"])
    _update(world.lawyer, person, ["single_woman", "torture"])
    _update(world.referent, person, ["single_woman", "pregnant", "sv_survivor"])
    return person


@pytest.mark.parametrize("persona", ["reception", "outreach", "coordinator"])
def test_history_never_shows_a_hidden_flag(world, flag_history, login, persona):
    assert stored_flags(flag_history) == {"single_woman", "pregnant", "torture", "sv_survivor"}
    response = login(world.users[persona]).get(reverse("people:history", args=[flag_history.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Single woman" in page
    for hidden in ("pregnant", "torture", "sv_survivor"):
        assert html.escape(str(Flag(hidden).label)) not in page, (persona, hidden)


def test_history_shows_the_flags_of_the_readers_categories(world, flag_history, login):
    page = login(world.doctor).get(reverse("people:history", args=[flag_history.pk]))
    page = page.content.decode()
    assert "Pregnant" in page
    assert html.escape(str(Flag.TORTURE.label)) not in page
    assert html.escape(str(Flag.SV_SURVIVOR.label)) not in page


# ----------------------------------------------------------------- editing


@pytest.mark.parametrize(
    ("persona", "categories"),
    [("reception", {I}), ("coordinator", {I}), ("doctor", {I, M}), ("lawyer", {I, L})],
)
def test_edit_form_offers_only_the_editors_flags(world, flagged, login, persona, categories):
    page = login(world.users[persona]).get(reverse("people:edit", args=[flagged.pk]))
    assert page.status_code == 200
    assert flag_checkboxes(page.content.decode()) == flags_of(categories)


def test_reception_cannot_set_a_medical_flag_through_the_api(world, make_person, api_as):
    person = make_person()
    response = api_as(world.reception).patch(
        f"/api/v1/persons/{person.pk}", {"version": person.version, "flags": ["pregnant"]}
    )
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "flags"]]
    before = person.version
    person.refresh_from_db()
    assert person.version == before
    assert stored_flags(person) == set()


def test_reception_cannot_set_a_medical_flag_through_the_form(world, make_person, login):
    person = make_person()

    def post(flags):
        person.refresh_from_db()
        return login(world.reception).post(
            reverse("people:edit", args=[person.pk]),
            {
                "given_name": person.given_name,
                "family_name": person.family_name,
                "sex": person.sex,
                "birth_date_precision": person.birth_date_precision,
                "flags": flags,
                "version": person.version,
            },
        )

    assert post(["pregnant"]).status_code == 200  # the form again, with its error
    assert stored_flags(person) == set()
    assert post(["single_woman"]).status_code == 302
    assert stored_flags(person) == {"single_woman"}


def test_reception_editing_identity_flags_keeps_the_ones_it_cannot_see(world, flagged, api_as):
    response = api_as(world.reception).patch(
        f"/api/v1/persons/{flagged.pk}", {"version": flagged.version, "flags": ["single_woman"]}
    )
    assert response.status_code == 200
    assert {f["code"] for f in response.json()["flags"]} == {"single_woman"}
    hidden = flags_of({M, L, SV})
    assert stored_flags(flagged) == hidden | {"single_woman"}


def test_doctor_may_set_pregnant_coordinator_may_not(world, make_person, api_as):
    person = make_person()
    response = api_as(world.coordinator).patch(
        f"/api/v1/persons/{person.pk}", {"version": person.version, "flags": ["pregnant"]}
    )
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "flags"]]
    with pytest.raises(ValidationError) as refused:
        _update(world.coordinator, person, ["pregnant"])
    assert "flags" in refused.value.message_dict
    assert stored_flags(person) == set()
    response = api_as(world.doctor).patch(
        f"/api/v1/persons/{person.pk}", {"version": person.version, "flags": ["pregnant"]}
    )
    assert response.status_code == 200
    assert stored_flags(person) == {"pregnant"}


def test_registration_refuses_a_flag_of_another_category(world):
    with pytest.raises(ValidationError) as refused:
        people_services.person_create(
            actor=world.reception,
            project=world.calais,
            data={"given_name": "Aster", "flags": ["pregnant"]},
        )
    assert "flags" in refused.value.message_dict
