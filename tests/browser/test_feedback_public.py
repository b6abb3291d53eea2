"""The public feedback page in a real browser, on a small phone: Arabic,
Pashto and Dari are laid out right to left (the form's start edge on the
right), Tigrinya left to right, no JavaScript needed, and a submission in
Arabic comes back with its reference. Screenshots under var/screenshots."""

import pytest

from parcours.feedback.models import FeedbackItem
from tests.personas import build_world

pytestmark = pytest.mark.browser

ARABIC = "شكرا على المساعدة، لكن الماء غير كاف في المخيم."


@pytest.fixture
def public_world(transactional_db):
    return build_world()


@pytest.mark.parametrize("language", ["ar", "ps", "prs", "ti"])
def test_public_page_direction_and_layout(
    browser, live_server, public_world, screenshots, language
):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        response = page.goto(f"/f/CAL?lang={language}")
        assert response.status == 200
        page.wait_for_load_state("networkidle")  # the Ethiopic font, where needed
        html = page.locator("html")
        rtl = language in ("ar", "ps", "prs")
        assert html.get_attribute("dir") == ("rtl" if rtl else "ltr")
        assert html.get_attribute("lang") == language
        # Laid out from the right: the heading and the send button start at
        # the right edge of the screen in right-to-left languages.
        heading = page.locator("h1").bounding_box()
        button = page.locator("button[type=submit]").bounding_box()
        width = 360
        if rtl:
            assert heading["x"] + heading["width"] > width - 40
            assert button["x"] + button["width"] > width - 40
            assert button["x"] > 40
        else:
            assert heading["x"] < 40 and button["x"] < 40
        # Nothing wider than the phone: no sideways scrolling.
        for selector in ("nav", "form", "textarea", "button[type=submit]"):
            box = page.locator(selector).first.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, selector
        shot = page.screenshot(
            path=str(screenshots / f"feedback-public-{language}.png"), full_page=True
        )
        assert int.from_bytes(shot[16:20], "big") == width  # no sideways scrolling
    finally:
        context.close()


def test_arabic_submission_without_javascript(browser, live_server, public_world, screenshots):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/f/CAL?lang=ar")
        page.fill("#message", ARABIC)
        page.check("input[name=topic][value=suggestion]")
        page.click("button[type=submit]")
        reference = page.locator("#reference").inner_text().strip()
        item = FeedbackItem.objects.get()
        assert item.reference == reference
        assert item.message == ARABIC and item.language == "ar"
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.screenshot(path=str(screenshots / "feedback-public-ar-thanks.png"), full_page=True)
    finally:
        context.close()
