"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright.

``playwright install`` downloads its own browsers and cannot work here, so the
tests launch the system Chromium. Without it they skip, unless
PARCOURS_REQUIRE_BROWSER=1 (set by .ci/run), in which case they fail: CI must
never go green by silently skipping the only end-to-end check.
"""

import os
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = Path(os.environ.get("PARCOURS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _browser_required() -> bool:
    return os.environ.get("PARCOURS_REQUIRE_BROWSER", "") not in ("", "0", "false", "no")


def _unavailable(reason: str):
    if _browser_required():
        pytest.fail(f"{reason} (PARCOURS_REQUIRE_BROWSER is set, so this is a failure)")
    pytest.skip(reason)


class _OneRequestAtATime(WSGIServer):
    """The live server, answering one request after the other.

    On SQLite the tests' database lives in memory, and the live server's
    threads share its single connection: two requests at once (a late htmx
    listing and the next page) then interleave their savepoints ("no such
    savepoint") or meet a locked table. A real server has one connection per
    worker; answering serially is the faithful equivalent here. Django closes
    each HTTP connection after its answer when the server is not threaded, so
    the browser's keep-alive never holds the server.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        # The live-server thread has already installed the shared connections.
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _live_server_answers_one_request_at_a_time():
    """Set before pytest-django's session-wide ``live_server`` starts (autouse comes first)."""
    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = _OneRequestAtATime
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"{CHROMIUM} is missing: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - playwright is a dev dependency
        _unavailable(f"playwright is not installed: {error}")
    # Playwright's sync API keeps an event loop in this thread; Django would then
    # refuse ORM calls from the test ("async context"). The test thread only
    # prepares data and reads the access log, so lifting the check is safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A fresh tablet-sized page (1024×768, no shared cookies) on the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1024, "height": 768},
        locale="en-US",
    )
    context.set_default_timeout(30_000)  # a shared, busy machine
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"JS error: {error}"))
    page.on(
        "console",
        lambda msg: (
            page.problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            page.problems.append(f"HTTP {response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
