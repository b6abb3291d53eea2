"""End to end, in a real browser: reception finds a person by the Arabic spelling
of the name and opens the record, which is logged and offers no audit view."""

import re
import warnings
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from parcours.accounts.models import Membership
from parcours.audit.models import AccessLog
from parcours.people.services import person_create
from tests.personas import PASSWORD, build_world, make_user

pytestmark = pytest.mark.browser

LOCALE = Path(__file__).resolve().parents[2] / "src" / "parcours" / "locale"


def _fr(text: str) -> str:
    """``text`` as the French interface shows it (itself while nothing is translated)."""
    with translation.override("fr"):
        return gettext(text)


def _en(text: str) -> str:
    with translation.override("en"):
        return gettext(text)


def _french_is_compiled() -> bool:
    return (LOCALE / "fr" / "LC_MESSAGES" / "django.mo").is_file()


@pytest.fixture
def reception_world(transactional_db):
    world = build_world()
    user = make_user("demo-accueil", first_name="Demo", last_name="Accueil", language="fr")
    Membership.objects.create(user=user, project=world.calais, role="reception")

    def register(actor, project, **data):
        return person_create(actor=actor, project=project, data=data)

    coordinator, calais = world.coordinator, world.calais
    register(coordinator, calais, given_name="Amanuel", family_name="Tesfay", sex="male")
    register(
        coordinator, calais, given_name="Ahmed", family_name="Hassan", name_original="أحمد حسن"
    )
    mohammed = register(
        coordinator,
        calais,
        given_name="Mohammed",
        family_name="Ali",
        name_original="محمد علي",
        sex="male",
        birth_date=date(1999, 1, 1),
        birth_date_precision="declared",
        nationality="SD",
        languages=["ar", "en"],
        interpreter_needed=True,
        aliases=["Mohamed Aly"],
    )
    # Another Mohammed on Calais: the search must list both, and the click pick the right one.
    register(
        coordinator, calais, given_name="Mohamed", family_name="Saïd", name_original="محمد سعيد"
    )
    # A Mohammed on Dunkerque only: reception in Calais must never see him.
    register(
        world.dunkerque_doctor,
        world.dunkerque,
        given_name="Mohammad",
        family_name="Khan",
        name_original="محمد خان",
    )
    return {"user": user, "person": mohammed, "code": mohammed.enrolments.get().code}


def _history_restore(response) -> bool:
    return response.request.headers.get("hx-history-restore-request") == "true"


def _no_horizontal_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


_SPILLING_OUT_OF_CARDS = """() => [...document.querySelectorAll('.card *')]
  .filter(e => e.getBoundingClientRect().right > e.closest('.card').getBoundingClientRect().right + 1)
  .map(e => `${e.tagName.toLowerCase()} “${e.innerText.trim().slice(0, 30)}”`)"""


def _warn_if_content_spills_out_of_cards(page, viewport: str) -> None:
    """A warning, not a failure (yet): the layout is another module's to fix."""
    spilling = page.evaluate(_SPILLING_OUT_OF_CARDS)
    if spilling:
        warnings.warn(
            f"record page at {viewport}: content spills out of its card: {', '.join(spilling)}",
            stacklevel=2,
        )


def test_reception_finds_a_person_by_arabic_name_and_opens_the_record(
    page, reception_world, screenshots
):
    user, person, code = (reception_world[k] for k in ("user", "person", "code"))
    assert re.fullmatch(r"CAL-\d{5}", code)

    # Sign-in page: French by default, whatever the browser's own language is.
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "fr"
    sign_in_fr = _fr("Sign in")
    if _french_is_compiled():
        assert sign_in_fr != "Sign in", "French catalogue compiled but 'Sign in' not translated"
    submit = page.locator("form:not(.lang-switch) button[type=submit]")
    assert submit.inner_text().strip() == sign_in_fr

    # Switch to English and back to French with the buttons above the form.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert submit.inner_text().strip() == _en("Sign in")
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"

    page.screenshot(path=str(screenshots / "login-fr.png"))

    # Sign in as the reception agent.
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    submit.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    assert page.locator(".account").inner_text().strip().startswith("demo-accueil")

    # Search by the name in Arabic script; the list updates as one types (htmx).
    page.goto("/people/")
    results = page.locator("#results")
    expect(results).to_contain_text("TESFAY")  # everyone is listed before a search
    page.evaluate("window.__sameDocument = true")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.request.headers.get("hx-request") == "true"
    ) as htmx_response:
        page.locator("input[name=q]").press_sequentially("محمد", delay=40)
    assert htmx_response.value.ok
    expect(results).not_to_contain_text("TESFAY")
    expect(results.get_by_role("link", name="Mohammed ALI")).to_be_visible()
    expect(results.get_by_role("link", name="Mohamed SAÏD")).to_be_visible()
    # The address keeps a token for the search, never the searched name.
    expect(page).to_have_url(re.compile(r"/people/\?s=[\w-]+$"))
    assert page.evaluate("window.__sameDocument === true"), "typing reloaded the whole page"
    assert "KHAN" not in results.inner_text(), "a Dunkerque person leaked to Calais reception"
    page.screenshot(path=str(screenshots / "reception-search.png"))

    # Enter works too, with one request only (the field's "change" on Enter
    # does not send a second one), then Back and Forward, with a Latin spelling.
    page.goto("/people/")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator("input[name=q]").fill("mohamed")  # htmx answers as one types…
    expect(page).to_have_url(re.compile(r"/people/\?s=[\w-]+$"))
    first_search = page.url
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator("input[name=q]").press("Enter")  # …and Enter posts the form itself
    expect(page).not_to_have_url(first_search)  # a new history entry…
    expect(page).to_have_url(re.compile(r"/people/\?s=[\w-]+$"))  # …holding only a token
    # The field's "change" on Enter must not send a second request: give it
    # twice the typing delay to show up.
    page.wait_for_timeout(600)
    assert len(posts) == 1, f"Enter sent {len(posts)} requests"
    # Back and Forward: htmx asks the server for the page again (it keeps no
    # copy in the browser). Each step waits for that answer: a page does not
    # "load" again on a history step, so no load state would tell.
    with page.expect_response(_history_restore):
        page.go_back()  # the previous search…
    with page.expect_response(_history_restore):
        page.go_forward()  # …and forward to this one
    expect(page.locator("input[name=q]")).to_have_value("mohamed")
    expect(results).not_to_contain_text("TESFAY")
    expect(results.get_by_role("link", name="Mohammed ALI")).to_be_visible()
    # A filter list answers on its own "change": men only leaves Mohammed Ali.
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.select_option("select[name=sex]", "male")
    expect(results.get_by_role("link", name="Mohamed SAÏD")).to_have_count(0)
    expect(results.get_by_role("link", name="Mohammed ALI")).to_be_visible()

    # Being listed in search results is a read, logged as an identity summary.
    listed = AccessLog.objects.filter(user=user, person=person)
    assert set(listed.values_list("what", flat=True)) == {"identity-summary"}
    listed_before = listed.count()
    # Open the record.
    page.locator("#results").get_by_role("link", name="Mohammed ALI").click()
    page.wait_for_url(f"**/people/{person.pk}/")
    body = page.locator("main").inner_text()
    assert code in body
    assert "محمد علي" in body
    assert page.locator("h2#identity").inner_text().strip() == _fr("Identity")
    assert page.locator("h1").first.inner_text().startswith("Mohammed ALI")
    # Reception may not see who accessed the record: no link, by address or by name.
    assert page.locator(f'a[href$="/people/{person.pk}/access-log/"]').count() == 0
    assert page.get_by_role("link", name=_fr("Who accessed this record")).count() == 0
    # …and reading it left a trace.
    entry = (
        AccessLog.objects.filter(user=user, person=person).exclude(what="identity-summary").get()
    )
    # Nothing else than listings and that one read (a late htmx listing may
    # still add an identity summary: the count of those is not fixed).
    kinds = AccessLog.objects.filter(user=user, person=person).values_list("what", flat=True)
    assert set(kinds) == {"identity-summary", "record"}
    assert len(kinds) >= listed_before + 1
    assert entry.channel == AccessLog.Channel.WEB
    assert entry.what == "record"

    # Screenshots for a human look: landscape then portrait tablet.
    page.screenshot(path=str(screenshots / "reception-record.png"))
    page.screenshot(path=str(screenshots / "reception-record-full.png"), full_page=True)
    landscape_fits = _no_horizontal_overflow(page)
    _warn_if_content_spills_out_of_cards(page, "1024×768")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.screenshot(path=str(screenshots / "reception-record-portrait.png"))
    portrait_fits = _no_horizontal_overflow(page)
    _warn_if_content_spills_out_of_cards(page, "768×1024")
    assert landscape_fits, "the record page scrolls sideways at 1024×768"
    assert portrait_fits, "the record page scrolls sideways at 768×1024"

    assert page.problems == []
