"""The invented population looks like each project's caseload (no database needed)."""

import unicodedata
from collections import Counter
from datetime import date
from random import Random

import pytest

from parcours.demo.population import draft_age, drafts, plan

TODAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def persons():
    return drafts(plan(Random(1), 1500, TODAY))


def _script(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    return unicodedata.name(letters[0]).split()[0] if letters else ""


def test_the_plan_has_the_number_asked_with_about_twenty_near_duplicates(persons):
    assert len(persons) == 1500
    assert sum(1 for p in persons if p.duplicate_of) == 20


def test_about_one_in_seven_has_left_the_active_list(persons):
    share = sum(1 for p in persons if p.exit) / len(persons)
    assert 0.10 < share < 0.20
    assert all(p.exit[0] <= TODAY for p in persons if p.exit)


def test_paris_sees_mostly_girls_and_marseille_mostly_boys_in_minority_appeal(persons):
    def appeals(project):
        return Counter(
            p.data["sex"] for p in persons if p.project == project and "minority_appeal" in p.data
        )

    assert appeals("IDF")["female"] > appeals("IDF")["male"]
    assert appeals("MRS")["male"] > 5 * appeals("MRS")["female"]
    for p in persons:
        if p.data.get("assessed_age") and not p.duplicate_of:
            assert 15 <= draft_age(p, TODAY) <= 17 and 18 <= p.data["assessed_age"] <= 20


def test_dunkerque_sees_mostly_women_and_girls(persons):
    sexes = Counter(p.data["sex"] for p in persons if p.project == "DUN" and not p.duplicate_of)
    assert sexes["female"] > sexes["male"]


@pytest.mark.parametrize(
    "country, script", [("SD", "ARABIC"), ("AF", "ARABIC"), ("ER", "ETHIOPIC"), ("ET", "ETHIOPIC")]
)
def test_names_in_the_original_script_match_the_nationality(persons, country, script):
    originals = [p.data["name_original"] for p in persons if p.data["nationality"] == country]
    written = [name for name in originals if name]
    assert written and all(_script(name) == script for name in written)


def test_unaccompanied_minors_are_flagged(persons):
    for p in persons:
        if p.relation == "" and draft_age(p, TODAY) < 18:
            assert "unaccompanied_minor" in p.data["flags"]
