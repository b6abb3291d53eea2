"""In a real browser, under the Content-Security-Policy: the pages that run
scripts (htmx search, the encounter form, the service map with its tiles, the
MEAL dashboard's charts, the public feedback page) raise no violation."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from parcours.people.services import person_create
from tests.meal.conftest import local
from tests.meal.fixtures import calais_plan
from tests.network.routes import make_service
from tests.personas import PASSWORD, build_world

pytestmark = pytest.mark.browser

# A 1×1 PNG answered for every map tile: the test machine has no network, and
# what matters is whether the policy lets the browser ask the tile server.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def csp_world(transactional_db):
    world = build_world()
    world.mohammed = person_create(
        actor=world.coordinator,
        project=world.calais,
        data={"given_name": "Mohammed", "family_name": "Ali", "sex": "male"},
    )
    calais_plan(world)
    from parcours.care.models import Encounter

    Encounter.objects.create(
        discipline="medical",
        project=world.calais,
        site=world.calais_day_centre,
        occurred_at=local(date.today()),
        author=world.doctor,
    )
    make_service()
    return world


def sign_in(page, user) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:not(.lang-switch) button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def csp_console(page) -> list[str]:
    return [p for p in page.problems if "Content Security Policy" in p]


def test_key_pages_raise_no_policy_violation(page, csp_world):
    world = csp_world
    page.set_default_timeout(30_000)  # a shared, busy machine
    page.add_init_script(RECORD_VIOLATIONS)
    tiles = []

    def tile(route):
        tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PIXEL)

    page.route("https://tile.openstreetmap.org/**", tile)
    sign_in(page, world.coordinator)

    # htmx: the people search answers as one types.
    page.goto("/people/")
    page.fill("input[name=q]", "Mohamed")
    expect(page.get_by_text("Mohammed").first).to_be_visible()
    assert violations(page) == [] and csp_console(page) == []

    # the service map: Leaflet, its markers and the tiles of the configured server
    page.goto("/referrals/services/map/")
    expect(page.locator("#service-map .leaflet-tile-loaded").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert tiles, "the map asked the tile server for nothing"
    assert violations(page) == [] and csp_console(page) == []

    # the MEAL dashboard's charts (server-drawn SVG, styled from a static file)
    sign_in(page, world.meal)
    page.goto(f"/meal/project/{world.calais.pk}/")
    expect(page.locator("svg.chart").first).to_be_visible()
    fill = page.evaluate("getComputedStyle(document.querySelector('svg.chart rect.bar')).fill")
    assert fill != "rgb(0, 0, 0)", "the chart's stylesheet did not apply"
    assert violations(page) == [] and csp_console(page) == []

    # the encounter form's script (tally total, ICD-10 picker)
    sign_in(page, world.doctor)
    with page.expect_response(re.compile(r"care/encounter_form\.js")) as script:
        page.goto(f"/care/new/medical/?person={world.mohammed.pk}")
    assert script.value.ok
    assert violations(page) == [] and csp_console(page) == []


def test_public_feedback_page_raises_no_policy_violation(page, csp_world):
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto("/f/CAL")
    expect(page.locator("textarea").first).to_be_visible()
    assert violations(page) == [] and csp_console(page) == []
