from datetime import date

import pytest

from parcours.access.scope import visible_persons
from parcours.people.names import name_keys
from parcours.people.search import PersonFilters, likely_duplicates, search

SPELLINGS = ["Mohamed", "Mohammed", "Muhammad", "Mouhamed", "محمد", "MOHAMED ", "Mohaméd"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_mohamed_has_the_same_key(spelling):
    assert "mhmd" in name_keys(spelling)


def test_names_in_geez_and_latin_meet():
    assert name_keys("ኣማኑኤል") == name_keys("Amanuel")
    assert name_keys("Abd Allah") & name_keys("Abdallah")


@pytest.mark.parametrize("query", SPELLINGS)
def test_search_finds_the_person_whatever_the_spelling_or_script(world, make_person, query):
    latin = make_person(given_name="Muhammad", family_name="Osman")
    arabic = make_person(given_name="محمد", family_name="عثمان")
    make_person(given_name="Tesfay", family_name="Gebre")
    results, truncated = search(visible_persons(world.reception), query)
    assert {p.pk for p in results} == {latin.pk, arabic.pk}
    assert not truncated


def test_a_common_name_alone_is_cut_exact_word_first_and_says_so(world, make_person, monkeypatch):
    """One word matching more name keys than KEY_ROWS: the exact word's keys
    are read first, the longer names after, and the search says it was cut."""
    from parcours.people import search as search_module

    exact = [make_person(given_name="Mohamed", family_name=f"Omer{i}") for i in range(3)]
    make_person(given_name="Mohamedou", family_name="Diallo")
    monkeypatch.setattr(search_module, "KEY_ROWS", 3)
    results, truncated = search(visible_persons(world.reception), "mohamed")
    assert {p.pk for p in results} == {p.pk for p in exact}
    assert truncated
    monkeypatch.setattr(search_module, "KEY_ROWS", 100)
    results, truncated = search(visible_persons(world.reception), "mohamed")
    assert len(results) == 4
    assert not truncated


def test_search_by_family_name_and_given_name_together(world, make_person):
    wanted = make_person(given_name="Youssouf", family_name="Traoré")
    make_person(given_name="Youssouf", family_name="Diallo")
    results, _ = search(visible_persons(world.reception), "yusuf traore")
    assert [p.pk for p in results] == [wanted.pk]


def test_search_by_person_code_with_or_without_dash(world, make_person):
    make_person()
    second = make_person(given_name="Senait")
    for query in ("CAL-00002", "cal00002", "cal-2"):
        results, _ = search(visible_persons(world.reception), query)
        assert [p.pk for p in results] == [second.pk]


def test_search_never_returns_persons_of_other_projects(world, make_person):
    make_person(given_name="Mohamed", project=world.dunkerque, actor=world.referent)
    results, _ = search(visible_persons(world.reception), "Mohamed")
    assert list(results) == []


def test_filters_by_age_group_sex_flag_and_active_list(world, make_person):
    today = date(2026, 11, 22)
    minor = make_person(
        given_name="Aisha", sex="female", birth_date=date(2010, 5, 1), flags=["unaccompanied_minor"]
    )
    make_person(given_name="Ali", sex="male", birth_date=date(1990, 1, 1))
    visible = visible_persons(world.reception)
    assert list(PersonFilters(age_group="15-17").apply(world.reception, visible, today)) == [minor]
    assert list(PersonFilters(sex="female").apply(world.reception, visible, today)) == [minor]
    assert list(
        PersonFilters(flag="unaccompanied_minor").apply(world.reception, visible, today)
    ) == [minor]
    assert PersonFilters(active=False).apply(world.reception, visible, today).count() == 0


def test_likely_duplicates_rank_same_birth_date_and_nationality_first(world, make_person):
    same = make_person(
        given_name="Mohammed", family_name="Abdallah", birth_date=date(2008, 3, 1), nationality="SD"
    )
    make_person(
        given_name="Mohamed", family_name="Abdallah", birth_date=date(1980, 3, 1), nationality="TD"
    )
    candidates = likely_duplicates(
        visible_persons(world.reception),
        given_name="Muhammad",
        family_name="Abdullah",
        birth_date=date(2008, 3, 1),
        nationality="SD",
    )
    assert candidates[0].person == same
    assert {"birth_date", "nationality"} <= set(candidates[0].reasons)
