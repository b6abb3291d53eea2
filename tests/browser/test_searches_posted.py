"""In a real browser, what one types to search never goes into an address:
the ICD-10 pick list of a consultation and the people search post it, and
no request the page makes carries it in its URL."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from parcours.people.services import person_create
from tests.browser.test_csp import sign_in
from tests.personas import build_world


@pytest.fixture
def searched_world(transactional_db):
    world = build_world()
    world.selam = person_create(
        actor=world.coordinator,
        project=world.calais,
        data={"given_name": "Selam", "family_name": "Tesfay", "birth_date": date(1996, 3, 1)},
    )
    return world


def _requests(page) -> list:
    seen = []
    page.on("request", lambda request: seen.append((request.method, request.url)))
    return seen


def test_the_icd10_pick_list_posts_the_typed_words(page, searched_world):
    world = searched_world
    sign_in(page, world.doctor)
    page.goto(f"/care/new/medical/?person={world.selam.pk}")
    seen = _requests(page)
    page.fill("#icd10-q", "gastroenteritis")
    expect(page.locator('#icd10-results input[value="A09"]')).to_be_visible()
    picks = [(method, url) for method, url in seen if "/care/icd10/" in url]
    assert picks and all(method == "POST" for method, _url in picks)
    assert not [url for _method, url in seen if "gastro" in url]
    # Ticking a result adds it to the consultation's diagnoses.
    page.locator('#icd10-results input[value="A09"]').check()
    expect(page.locator('#icd10-chosen input[value="A09"]')).to_be_checked()
    assert page.problems == []


def test_the_people_search_keeps_the_name_out_of_every_address(page, searched_world):
    world = searched_world
    sign_in(page, world.reception)
    page.goto("/people/")
    seen = _requests(page)
    page.fill("input[name=q]", "Selam")
    expect(page.get_by_text("Tesfay").first).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/people/\?s="))
    assert seen and not [url for _method, url in seen if "Selam" in url]
    assert "Selam" not in page.url
