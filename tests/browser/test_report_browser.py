"""The session report in a real browser: a moderator opens the report of a played session and
sees every chart and table; axe-core finds nothing at 1280 and 360 px, in English and Arabic;
printed (print media, an A4 page's width) no chart is cut off, each stays whole on a page, and
the navigation and buttons are gone. With UPDATE_SCREENSHOTS=1 the screenshots go to
docs/screenshots/report-*.png."""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import expect

from config import Config
from moderator.core.clock import FakeClock, system_clock
from tests.fixtures.axe import axe_violations, described
from tests.fixtures.constants import EVENT, PANEL_FILE, ROOT, TOKEN
from tests.fixtures.report import run_session
from tests.fixtures.server import ServerProcess

pytestmark = pytest.mark.browser

# The committed screenshots are taken again with UPDATE_SCREENSHOTS=1; otherwise they go to
# test-artifacts/, so a test run leaves the repository as it was.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1"
    else ROOT / "test-artifacts"
)
CHARTS = 5  # agenda, themes, speakers, questions over time, votes over time
# Agenda, themes by status and by origin, the two themes' guiding questions, speakers,
# activity (no speaker has a group here).
TABLES = 7
A4_WIDTH = 794  # 210 mm at 96 px per inch


@pytest.fixture(scope="module")
def server(tmp_path_factory, template_database):
    """A server on a database where the scripted session was played on a fake clock that ends
    now: real durations (minutes, not the milliseconds a test would take)."""
    from moderator import runtime
    from moderator.app import create_app

    folder = tmp_path_factory.mktemp("report")
    database = folder / "report.db"
    shutil.copyfile(template_database, database)

    class PlayConfig(Config):
        TESTING = True
        INSTANCE_PATH = str(folder / "play")
        DATABASE_URL = f"sqlite:///{database}"
        SOCKETIO_ASYNC_MODE = "threading"
        SOCKETIO_MESSAGE_QUEUE = None
        MODERATOR_TOKEN = TOKEN
        SECRET_KEY = "test-secret"
        EVENT_FILES: list[str] = [str(PANEL_FILE)]

    app = create_app(PlayConfig)
    clock = FakeClock(system_clock() - 20 * 60_000)
    runtime.of(app).clock = clock
    client = app.test_client()

    def call(method, path, body):
        response = client.open(
            f"/api/events/{EVENT}{path}",
            method=method,
            json=body,
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code < 300, (path, response.get_json())
        return response.get_json()

    run_session(call, clock.advance)
    runtime.of(app).close()
    process = ServerProcess(
        folder / "instance", env={"DATABASE_URL": f"sqlite:///{database}"}
    ).start()
    yield process
    process.stop()


def _report(browser, server, *, width: int, lang: str = "en"):
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/moderate/{EVENT}?token={TOKEN}")
    page.goto(f"{server.url}/e/{EVENT}/report?lang={lang}")
    expect(page.locator("svg.chart")).to_have_count(CHARTS)
    return page


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_moderator_sees_every_chart_and_table_and_axe_finds_nothing(browser, server):
    page = _report(browser, server, width=1280)
    for svg in page.locator("svg.chart").all():
        box = svg.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 50
    expect(page.locator("table")).to_have_count(TABLES)
    assert page.locator("table caption").count() == TABLES
    expect(page.locator("#agenda-table tbody tr")).to_have_count(3)
    expect(page.locator("#print-report")).to_be_visible()
    expect(page.locator("#download-markdown")).to_have_attribute(
        "href", f"/api/events/{EVENT}/report.md?lang=en"
    )
    violations = axe_violations(page)
    assert violations == [], described(violations)
    assert _overflow(page) <= 0
    page.screenshot(path=str(SCREENSHOTS / "report-screen.png"), full_page=True)
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_phone_shows_the_report_without_overflow(browser, server, lang):
    page = _report(browser, server, width=360, lang=lang)
    assert _overflow(page) <= 0
    for svg in page.locator("svg.chart").all():
        box = svg.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    violations = axe_violations(page)
    assert violations == [], described(violations)
    if lang == "ar":
        assert page.evaluate("document.documentElement.dir") == "rtl"
        page.screenshot(path=str(SCREENSHOTS / "report-arabic-phone.png"), full_page=True)
    page.context.close()


def test_printed_no_chart_is_cut_and_the_controls_are_gone(browser, server):
    page = _report(browser, server, width=A4_WIDTH)
    page.emulate_media(media="print")
    width = page.evaluate("document.documentElement.clientWidth")
    assert _overflow(page) <= 0
    for svg in page.locator("svg.chart").all():
        box = svg.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    breaks = page.evaluate(
        "[...document.querySelectorAll('figure')].map((f) => getComputedStyle(f).breakInside)"
    )
    assert breaks and set(breaks) == {"avoid"}, breaks
    rows = page.evaluate(
        "[...document.querySelectorAll('tbody tr')].map((r) => getComputedStyle(r).breakInside)"
    )
    assert set(rows) == {"avoid"}, rows
    for hidden in ("#print-report", ".report-tools", ".report-contents", ".languages"):
        expect(page.locator(hidden)).to_be_hidden()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    page.screenshot(path=str(SCREENSHOTS / "report-print.png"), full_page=True)
    page.context.close()
