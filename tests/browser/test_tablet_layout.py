"""In a real browser, on a tablet, in French: the people list keeps its filters in
a compact bar, names in Ge'ez script render with the font the app serves, and
the contact card and the access log fit at 768 px.

Screenshots are kept under var/screenshots for a human look."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from parcours.audit.models import AccessLog
from parcours.people.services import person_create
from tests.personas import PASSWORD, build_world

pytestmark = pytest.mark.browser

TABLETS = [(1024, 768), (768, 1024)]
GEEZ = "ኣማኑኤል ተስፋይ"
ARABIC = "محمد علي"


@pytest.fixture
def tablet_world(transactional_db):
    world = build_world()
    coordinator = world.coordinator
    coordinator.language = "fr"
    coordinator.save()

    def register(**data):
        return person_create(actor=coordinator, project=world.calais, data=data)

    amanuel = register(
        given_name="Amanuel",
        family_name="Tesfay",
        name_original=GEEZ,
        sex="male",
        birth_date=date(1998, 7, 4),
        birth_date_precision="declared",
        nationality="ER",
        languages=["ti", "am"],
        phone="+33 7 57 56 51 41",
        contact_notes="Par l'intermédiaire de l'accueil de jour, le mardi après-midi",
    )
    register(given_name="Mohammed", family_name="Ali", name_original=ARABIC, sex="male")
    for n in range(12):
        register(given_name=f"Personne{n}", family_name="Test", sex="female")
    AccessLog.objects.bulk_create(
        [
            AccessLog(person=amanuel, user=world.reception, what="identity-summary", channel="web")
            for _ in range(60)
        ]
    )
    return {"user": coordinator, "person": amanuel}


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:not(.lang-switch) button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def fits_width(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_people_list_and_record_on_a_tablet_in_french(page, tablet_world, screenshots):
    user, person = tablet_world["user"], tablet_world["person"]
    fonts = []
    page.on("response", lambda r: fonts.append(r.url) if r.url.endswith(".woff2") else None)
    sign_in(page, user)

    for width, height in TABLETS:
        size = f"{width}x{height}"
        page.set_viewport_size({"width": width, "height": height})

        # The people list: filters in one compact bar, results below on most of the screen.
        page.goto("/people/")
        assert page.locator("html").get_attribute("lang") == "fr"
        expect(page.locator("#results")).to_contain_text(GEEZ)
        page.evaluate("document.fonts.ready")
        filters = box(page, "form.filters")
        assert filters["height"] <= 180, f"{size}: the filters take {filters['height']:.0f} px"
        selects = page.locator("form.filters select")
        assert selects.count() >= 5
        tops = {round(selects.nth(i).bounding_box()["y"]) for i in range(selects.count())}
        assert len(tops) == 1, f"{size}: the filters wrap on {len(tops)} rows"
        results_top = box(page, "#results table")["y"]
        assert results_top < 0.5 * height, f"{size}: results start at {results_top:.0f} px"
        assert box(page, "header.topbar")["height"] <= 100, f"{size}: the menu is too tall"
        assert fits_width(page), f"{size}: the list scrolls sideways"

        # The Ge'ez name is drawn with the Noto Sans Ethiopic served by the app.
        loaded = page.evaluate(
            "document.fonts.ready.then(() => [...document.fonts]"
            ".filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.weight))"
        )
        assert any("Noto Sans Ethiopic" in face for face in loaded), loaded
        page.screenshot(path=str(screenshots / f"tablet-people-fr-{size}.png"))

        # The record page: the contact card keeps words whole and the phone on one line.
        page.goto(f"/people/{person.pk}/")
        expect(page.locator("h1").first).to_contain_text(GEEZ)
        contact = page.locator("section[aria-labelledby=contact] dl.facts")
        widths = contact.locator("dt, dd").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().width)"
        )
        assert min(widths) >= 90, f"{size}: a contact column is {min(widths):.0f} px wide"
        phone = contact.locator('a[href^="tel:"]')
        assert phone.evaluate("a => a.getClientRects().length") == 1, "phone number broken"
        assert fits_width(page), f"{size}: the record page scrolls sideways"
        identity = page.locator("section[aria-labelledby=identity]").inner_text()
        assert "04/07/1998" in identity
        assert "Tigrinya" in identity or "tigrigna" in identity.lower()
        page.screenshot(path=str(screenshots / f"tablet-record-fr-{size}.png"))

        # The access log: 50 rows a page, actions in words, dates dd/mm/yyyy.
        page.goto(f"/people/{person.pk}/access-log/")
        rows = page.locator("table.access-log tbody tr")
        assert rows.count() == 50
        table = page.locator("table.access-log").inner_text()
        assert "a vu la personne dans une liste ou une recherche" in table
        assert "identity-summary" not in table
        assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", table)
        # Paged by key, newest first: the first page offers the older entries.
        expect(page.locator("nav.pager")).to_contain_text("Plus anciens")
        assert fits_width(page), f"{size}: the access log scrolls sideways"
        page.screenshot(path=str(screenshots / f"tablet-access-log-fr-{size}.png"))

    assert any(url.endswith("noto-sans-ethiopic-ethiopic-400-normal.woff2") for url in fonts) or (
        page.evaluate("document.fonts.check('16px \"Noto Sans Ethiopic\"', 'ኣ')")
    )
    assert page.problems == []
