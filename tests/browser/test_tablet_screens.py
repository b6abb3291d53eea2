"""In a real browser, at both tablet sizes (1024×768 and 768×1024), in French and
in English (the user's own ``language``): a site's day agenda as reception and as
the doctor, the side-by-side merge page up to a confirmed merge, and the record
of a person whose name is written in Ge'ez script.

Screenshots are kept under var/screenshots (a CI artefact) for a human look:
tablet-agenda-<role>-<lang>-<size>.png, tablet-merge-<lang>-<size>.png,
tablet-merge-confirm-en.png, tablet-merged-record-en.png and
tablet-geez-record-<lang>-<size>.png.

One live server for the module; the language is switched in the database
between loads and the viewport is resized on a loaded page, so that each
screen is loaded once per language."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from parcours.accounts.models import User
from parcours.agenda import services as agenda
from parcours.people.models import Person
from parcours.people.services import person_create
from tests.personas import PASSWORD, build_world

pytestmark = pytest.mark.browser

TABLETS = [(1024, 768), (768, 1024)]
LANGUAGES = ["fr", "en"]
GEEZ = "ተኽለ ገብረመድህን"
ARABIC = "محمد علي"
# Medical reasons: reception must never read them, the doctor must.
REASONS = ("Résultat sérologie VIH", "Suivi tuberculose, crachats")
# A long note with long words: a narrow column would break it letter by letter.
NOTES = (
    "Through the day-centre reception on Tuesday afternoons; otherwise ask his cousin "
    "Berhane at the Marck distribution (WhatsApp only)"
)


def tr(language: str, text: str) -> str:
    """``text`` as the interface shows it in ``language``."""
    with translation.override(language):
        return gettext(text)


def size_name(width: int, height: int) -> str:
    return f"{width}x{height}"


def sign_in(page, user) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:not(.lang-switch) button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def speak(user, language: str) -> None:
    """The user's interface language, read again by the middleware on each request."""
    User.objects.filter(pk=user.pk).update(language=language)


def load(page, url: str, language: str, viewport: tuple[int, int]) -> None:
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == language
    page.evaluate("document.fonts.ready.then(() => true)")


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth > window.innerWidth")


# What reaches past the right edge of the screen and is not clipped by a frame
# that scrolls (an absolutely positioned element may escape its frame).
_STICKING_OUT = """() => {
  const escapes = e => ['absolute', 'fixed'].includes(getComputedStyle(e).position);
  const framed = e => {
    for (let a = e.parentElement; a; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    return false;
  };
  const past = [...document.body.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
    .filter(e => escapes(e) || !framed(e));
  const outermost = past.filter(e => escapes(e) || !past.includes(e.parentElement));
  return outermost.map(e => {
    const box = e.getBoundingClientRect();
    const name = e.tagName.toLowerCase() + (e.className ? '.' + e.className : '');
    const where = escapes(e) ? `position ${getComputedStyle(e).position}, ` : '';
    const text = (e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `${name} (${where}${Math.round(box.left)}–${Math.round(box.right)} px) “${text}”`;
  });
}"""

# Frames (.table-wrap) whose content is wider than they are, with the header
# cells that are cut off or hidden.
_FRAMES = """() => [...document.querySelectorAll('.table-wrap')]
  .filter(w => w.scrollWidth > w.clientWidth + 1)
  .map(w => {
    const right = w.getBoundingClientRect().left + w.clientLeft + w.clientWidth;
    const outside = cell => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      return range.getBoundingClientRect().right > right + 1;
    };
    const names = els => [...new Set(els.filter(outside)
      .map(e => e.textContent.trim().replace(/\\s+/g, ' ')))];
    const cut = names([...w.querySelectorAll('thead th')]);
    const controls = names([...w.querySelectorAll('tbody button, tbody a')]);
    return `a table ${w.scrollWidth} px wide in a ${w.clientWidth} px frame, ` +
           `headers out of sight: ${cut.join(', ') || 'none'}; ` +
           `buttons and links out of sight: ${controls.join(', ') || 'none'}`;
  })"""


def layout_faults(page, where: str) -> list[str]:
    """Sideways scrolling of the page, or of a table inside its frame."""
    faults = []
    if scrolls_sideways(page):
        width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        found = "; ".join(page.evaluate(_STICKING_OUT)) or "nothing found"
        faults.append(
            f"{where}: the page scrolls sideways ({width[0]} px in {width[1]} px): {found}"
        )
    faults += [f"{where}: {frame}" for frame in page.evaluate(_FRAMES)]
    return faults


# Lines an element's text takes (client rects of its contents grouped by top)
# and its length: one letter per line shows as about one character a line.
_LINES = """els => els.map(e => {
  const range = document.createRange();
  range.selectNodeContents(e);
  const tops = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0)
    .map(r => r.top).sort((a, b) => a - b);
  let lines = 0, last = -Infinity;
  for (const top of tops) { if (top > last + 8) { lines += 1; last = top; } }
  const text = e.innerText.trim();
  return {text: text.slice(0, 40), chars: [...text].length, lines: lines,
          width: Math.round(e.getBoundingClientRect().width)};
})"""


def letter_by_letter(locator) -> list[dict]:
    """Elements whose text is broken into lines of fewer than 5 characters."""
    measured = locator.evaluate_all(_LINES)
    return [m for m in measured if m["chars"] >= 8 and m["chars"] / max(m["lines"], 1) < 5]


@pytest.fixture
def tablet_people(transactional_db):
    world = build_world()
    coordinator = world.coordinator

    def register(**data):
        return person_create(actor=coordinator, project=world.calais, data=data)

    tekle = register(
        given_name="Tekle",
        family_name="Gebremedhin",
        name_original=GEEZ,
        sex="male",
        birth_date=date(2001, 3, 12),
        birth_date_precision="declared",
        nationality="ER",
        languages=["ti", "am"],
        interpreter_needed=True,
        phone="+33 7 57 56 51 41",
        contact_notes=NOTES,
    )
    mohammed = register(
        given_name="Mohammed",
        family_name="Ali",
        name_original=ARABIC,
        sex="male",
        birth_date=date(1999, 1, 1),
        birth_date_precision="declared",
        nationality="SD",
        languages=["ar"],
        phone="+33 6 12 34 56 78",
    )
    return {"world": world, "tekle": tekle, "mohammed": mohammed}


def test_day_agenda_on_a_tablet_reception_sees_slots_the_doctor_the_reasons(
    page, tablet_people, screenshots
):
    world, tekle, mohammed = (tablet_people[k] for k in ("world", "tekle", "mohammed"))
    site = world.calais_day_centre
    day = timezone.localdate() + timedelta(days=1)
    slots = [(tekle, time(9, 30), 30, REASONS[0]), (mohammed, time(14, 0), 45, REASONS[1])]
    for person, start, minutes, reason in slots:
        agenda.appointment_create(
            actor=world.doctor,
            person=person,
            discipline="medical",
            site=site,
            clinician=world.doctor,
            data={
                "starts_at": timezone.make_aware(datetime.combine(day, start)),
                "duration_minutes": minutes,
                "reason": reason,
            },
        )
    url = f"/agenda/site/{site.pk}/?day={day.isoformat()}"
    expected_rows = [
        (tekle.display_name, "09:30–10:00", REASONS[0]),
        (mohammed.display_name, "14:00–14:45", REASONS[1]),
    ]

    faults = []
    for role in ("reception", "doctor"):
        user = getattr(world, role)
        sign_in(page, user)
        for language in LANGUAGES:
            speak(user, language)
            load(page, url, language, TABLETS[0])
            for width, height in TABLETS:
                size = size_name(width, height)
                where = f"agenda as {role}, {language}, {size}"
                page.set_viewport_size({"width": width, "height": height})
                headings = [
                    t.strip() for t in page.locator(".agenda-day thead th").all_text_contents()
                ]
                assert tr(language, "Time") in headings, f"{where}: {headings}"
                assert tr(language, "Reason") in headings, f"{where}: {headings}"
                rows = page.locator(".agenda-day tbody tr")
                assert rows.count() == 2, f"{where}: {rows.count()} rows"
                for n, (name, hours, reason) in enumerate(expected_rows):
                    row = rows.nth(n)
                    assert row.locator("td.time").inner_text().strip() == hours, where
                    expect(row.get_by_role("link", name=name)).to_be_visible()
                    reason_cell = row.locator("td").nth(5).inner_text().strip()
                    if role == "reception":
                        assert reason_cell == tr(language, "not shown"), f"{where}: {reason_cell}"
                    else:
                        assert reason_cell == reason, f"{where}: {reason_cell}"
                text, html = page.locator("body").inner_text(), page.content()
                for reason in REASONS:
                    if role == "reception":
                        assert reason not in text, f"{where}: the reason “{reason}” is shown"
                        assert reason not in html, f"{where}: the reason “{reason}” is in the HTML"
                    else:
                        assert reason in text, f"{where}: the reason “{reason}” is missing"
                # The whole table on screen: the page does not scroll sideways,
                # nor the table inside its frame (the last column holds the
                # buttons reception uses). Checked after every screenshot is taken.
                faults += layout_faults(page, where)
                page.screenshot(
                    path=str(screenshots / f"tablet-agenda-{role}-{language}-{size}.png")
                )

    assert faults == [], "\n".join(faults)
    assert page.problems == []


def test_merge_page_on_a_tablet_side_by_side_then_merged(page, tablet_people, screenshots):
    world, keep = tablet_people["world"], tablet_people["mohammed"]
    coordinator = world.coordinator
    duplicate = person_create(
        actor=coordinator,
        project=world.calais,
        data={
            "given_name": "Mohamed",
            "family_name": "Aly",
            "name_original": ARABIC,
            "sex": "male",
            "birth_date": date(1999, 1, 1),
            "birth_date_precision": "exact",
            "nationality": "SD",
            "languages": ["ar", "en"],
            "aliases": ["Hamoudi"],
            "contact_notes": "Jungle, near the Lidl",
        },
    )
    url = f"/people/merge/{keep.pk}/{duplicate.pk}/"
    sign_in(page, coordinator)

    faults = []
    for language in LANGUAGES:
        speak(coordinator, language)
        load(page, url, language, TABLETS[0])
        expect(page.locator("h1")).to_have_text(tr(language, "Compare and merge"))
        for width, height in TABLETS:
            size = size_name(width, height)
            where = f"merge page, {language}, {size}"
            page.set_viewport_size({"width": width, "height": height})
            # Both records, one column each, side by side and wholly on screen.
            heads = page.locator("table.compare thead th")
            assert heads.count() == 3, where
            kept, merged = heads.nth(1), heads.nth(2)
            expect(kept).to_contain_text(tr(language, "Kept record"))
            expect(kept).to_contain_text(keep.display_name)
            expect(merged).to_contain_text(tr(language, "Duplicate, merged into it"))
            expect(merged).to_contain_text(duplicate.display_name)
            left, right = kept.bounding_box(), merged.bounding_box()
            assert abs(left["y"] - right["y"]) <= 2, f"{where}: the columns are not side by side"
            assert right["x"] >= left["x"] + left["width"] - 1, f"{where}: columns overlap"
            assert right["x"] + right["width"] <= width + 1, (
                f"{where}: the duplicate's column ends at {right['x'] + right['width']:.0f} px"
            )
            # A choice where the records differ, the kept record's value chosen by default.
            for field, kept_value, other_value in (
                ("given_name", "Mohammed", "Mohamed"),
                ("family_name", "Ali", "Aly"),
                ("birth_date", "01/01/1999", "01/01/1999"),
            ):
                radios = page.locator(f"input[type=radio][name={field}]")
                assert radios.count() == 2, f"{where}: no choice for {field}"
                mine = page.locator(f"input[name={field}][value=keep]")
                theirs = page.locator(f"input[name={field}][value=duplicate]")
                expect(mine).to_be_checked()
                expect(theirs).not_to_be_checked()
                assert kept_value in mine.locator("xpath=..").inner_text(), where
                assert other_value in theirs.locator("xpath=..").inner_text(), where
            assert "Hamoudi" in page.locator("table.compare").inner_text(), where
            faults += layout_faults(page, where)
            page.screenshot(path=str(screenshots / f"tablet-merge-{language}-{size}.png"))

    # In English, portrait: take the exact date of birth from the duplicate, review, merge.
    page.locator("input[name=birth_date][value=duplicate]").check()
    page.get_by_role("button", name=tr("en", "Review the merge")).click()
    expect(page.locator("h1")).to_have_text(tr("en", "Confirm the merge"))
    new_names = page.locator("dl.facts dt", has_text=tr("en", "New other names"))
    aliases = new_names.locator("xpath=following-sibling::dd[1]").inner_text()
    assert duplicate.display_name in aliases and "Hamoudi" in aliases, aliases
    faults += layout_faults(page, "merge confirmation, en, 768x1024")
    page.screenshot(path=str(screenshots / "tablet-merge-confirm-en.png"))
    page.get_by_role("button", name=tr("en", "Merge these records")).click()
    page.wait_for_url(f"**/people/{keep.pk}/")
    expect(page.locator(".messages, [role=alert], .alert").first).to_be_visible()
    page.screenshot(path=str(screenshots / "tablet-merged-record-en.png"))

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == keep.pk
    kept_aliases = set(keep.aliases.values_list("name", flat=True))
    assert {duplicate.display_name, "Hamoudi"} <= kept_aliases, kept_aliases
    assert keep.birth_date_precision == "exact"  # the choice made on the page
    assert keep.display_name == "Mohammed ALI"  # the defaults: the kept record's names
    assert keep.languages == ["ar", "en"]
    other_names = page.locator("section[aria-labelledby=identity] dl.facts").inner_text()
    assert "Hamoudi" in other_names and duplicate.display_name in other_names
    assert Person.objects.filter(pk=duplicate.pk, merged_into=keep).exists()
    assert faults == [], "\n".join(faults)
    assert page.problems == []


def test_geez_name_on_the_record_on_a_tablet(page, tablet_people, screenshots):
    world, person = tablet_people["world"], tablet_people["tekle"]
    coordinator = world.coordinator
    fonts = []
    page.on(
        "response",
        lambda r: fonts.append((r.url, r.status)) if r.url.endswith(".woff2") else None,
    )
    sign_in(page, coordinator)

    faults = []
    for language in ["en", "fr"]:
        speak(coordinator, language)
        load(page, f"/people/{person.pk}/", language, TABLETS[0])
        for width, height in TABLETS:
            size = size_name(width, height)
            where = f"Ge'ez record, {language}, {size}"
            page.set_viewport_size({"width": width, "height": height})
            # The header: the name in Latin letters and in Ge'ez script.
            header = page.locator("h1").first
            expect(header).to_contain_text(person.display_name)
            expect(header).to_contain_text(GEEZ)
            original = header.locator("bdi")
            assert original.inner_text().strip() == GEEZ, where
            # Drawn with the Noto Sans Ethiopic the app serves, in the header's weight.
            family, weight = original.evaluate(
                "e => [getComputedStyle(e).fontFamily, getComputedStyle(e).fontWeight]"
            )
            assert family.split(",")[0].strip().strip('"') == "Noto Sans Ethiopic", family
            loaded = page.evaluate(
                "document.fonts.ready.then(() => [...document.fonts]"
                ".filter(f => f.status === 'loaded').map(f => [f.family, f.weight]))"
            )
            ethiopic = {w for f, w in loaded if f.strip('"') == "Noto Sans Ethiopic"}
            assert weight in ethiopic, f"{where}: Ethiopic faces loaded {ethiopic}, h1 is {weight}"
            assert page.evaluate(
                f"document.fonts.check('{weight} 20px \"Noto Sans Ethiopic\"', '{GEEZ}')"
            ), where
            assert not letter_by_letter(original), f"{where}: {letter_by_letter(original)}"
            # The contact card: columns wide enough, phone on one line, the long
            # note in lines of words, not a letter a line.
            contact = page.locator("section[aria-labelledby=contact] dl.facts")
            expect(contact).to_contain_text("+33 7 57 56 51 41")
            widths = contact.locator("dt, dd").evaluate_all(
                "els => els.map(e => e.getBoundingClientRect().width)"
            )
            assert min(widths) >= 90, f"{where}: a contact column is {min(widths):.0f} px wide"
            phone = contact.locator('a[href^="tel:"]')
            assert phone.evaluate("a => a.getClientRects().length") == 1, f"{where}: phone broken"
            broken = letter_by_letter(contact.locator("dt, dd"))
            assert not broken, f"{where}: contact card wrapped letter by letter: {broken}"
            identity = page.locator("section[aria-labelledby=identity] dl.facts")
            expect(identity).to_contain_text(GEEZ)
            broken = letter_by_letter(identity.locator("dt, dd"))
            assert not broken, f"{where}: identity card wrapped letter by letter: {broken}"
            faults += layout_faults(page, where)
            page.screenshot(path=str(screenshots / f"tablet-geez-record-{language}-{size}.png"))

    served = [(url, status) for url, status in fonts if "noto-sans-ethiopic-ethiopic-" in url]
    assert served and all(status in (200, 304) for _, status in served), (
        f"the app's Noto Sans Ethiopic was not fetched: {fonts}"
    )
    assert faults == [], "\n".join(faults)
    assert page.problems == []
