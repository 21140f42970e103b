"""Times and durations the scripts format, in Chromium: in the PAGE's language (``<html lang>``),
never the browser's own, and in the event's zone; beside the event's start, the viewer's own time
when their clock reads otherwise. The server's side is tests/http/test_event_time.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from babel import Locale

from moderator.web.dates import zone_name
from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess, moderator_api

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1440, "height": 900}}
ZONE = "Africa/Nairobi"  # tests/data/panel.toml: 2030-03-14 14:00 there, 11:00 UTC
START_MS = 1_899_716_400_000
ENGLISH = "en-US"  # Chromium's own language here: what a script that ignored the page would use


def open_in(context, url: str, lang: str):
    """A page of ``context`` at ``url``, in ``lang`` (``?lang=``): the one place these tests
    choose a language."""
    page = context.new_page()
    page.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
    assert page.evaluate("document.documentElement.lang") == lang
    return page


def intl_minutes(page, lang: str, n: int) -> str:
    return page.evaluate(
        "([lang, n]) => new Intl.NumberFormat(lang, "
        "{ style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(n)",
        [lang, n],
    )


def intl_time(page, lang: str, zone: str, at_ms: int, *, with_date: bool = False) -> str:
    return page.evaluate(
        "([lang, zone, at, withDate]) => new Intl.DateTimeFormat(lang, withDate"
        " ? { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }"
        " : { timeStyle: 'short', timeZone: zone }).format(at)",
        [lang, zone, at_ms, with_date],
    )


def your_time(page) -> str:
    """The server's "(… your time)" sentence, from the page's message table."""
    return json.loads(page.text_content("#messages") or "{}")["your_time"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ServerProcess(tmp_path_factory.mktemp("dates") / "instance").start()
    yield process
    process.stop()


@pytest.mark.parametrize("lang", ["fr", "ru", "ar"])
def test_the_dashboards_drift_line_is_in_the_page_language(browser, live_server, artifacts, lang):
    # Started, then two minutes added: the session is projected to end two minutes late.
    moderator_api(live_server, "POST", "/timer", action="start")
    state = moderator_api(live_server, "POST", "/timer", action="adjust", seconds=120)
    assert state["drift_ms"] == 120_000
    context = browser.new_context(**LAPTOP)
    try:
        context.new_page().goto(f"{live_server.url}/moderate/{EVENT}?token={TOKEN}")  # logs in
        page = open_in(context, f"{live_server.url}/moderate/{EVENT}", lang)
        late = intl_minutes(page, lang, 2)  # "2 minutes", "2 минуты", "دقيقتان"
        planned = intl_time(page, lang, ZONE, state["planned_end_ms"])
        # What the line would read had the script formatted in the browser's language.
        assert (late, planned) != (
            intl_minutes(page, ENGLISH, 2),
            intl_time(page, ENGLISH, ZONE, state["planned_end_ms"]),
        )
        wait_until(
            lambda: late in (page.text_content("#clock-drift") or ""),
            message=f"the drift line in {lang}",
        )
        line = page.text_content("#clock-drift") or ""
        assert planned in line, line
        # The zone named as the server names it in that language ("Найроби (UTC+3)").
        named = zone_name(ZoneInfo(ZONE), datetime.now(UTC), Locale.parse(lang))
        assert line.endswith(f" · {named}"), line
        # The agenda's segment lengths too: "10 min", "10 мин", "10 د".
        length = page.evaluate(
            "([lang]) => new Intl.NumberFormat(lang, "
            "{ style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(10)",
            [lang],
        )
        assert page.locator("#segments .seg-length").first.text_content() == length
        page.locator("#clock-panel").screenshot(path=artifacts / f"dashboard-drift-{lang}.png")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("viewer_zone", "lang"), [("America/New_York", "fr"), ("Asia/Tokyo", "en")]
)
def test_an_attendee_elsewhere_sees_their_own_time_beside_the_events(
    browser, server, viewer_zone, lang
):
    context = browser.new_context(**LAPTOP, timezone_id=viewer_zone)
    try:
        page = open_in(context, f"{server.url}/e/{EVENT}", lang)
        mine = page.locator("time.event-time + .local-time")
        mine.wait_for()
        expected = your_time(page).replace("{time}", intl_time(page, lang, viewer_zone, START_MS))
        assert mine.text_content() == expected
        if lang == "fr":
            assert "07:00" in expected  # 14:00 in Nairobi, 24-hour clock: never "7:00 AM"
    finally:
        context.close()


@pytest.mark.parametrize("viewer_zone", [ZONE, "Europe/Moscow"])  # Moscow's clock reads the same
def test_an_attendee_whose_clock_reads_the_events_time_sees_it_once(browser, server, viewer_zone):
    context = browser.new_context(**LAPTOP, timezone_id=viewer_zone)
    try:
        page = open_in(context, f"{server.url}/e/{EVENT}", "en")
        # The page's script has run once the connection shows its state.
        page.wait_for_selector("#connection[data-state]")
        assert page.locator(".local-time").count() == 0
    finally:
        context.close()


def test_the_index_adds_the_date_when_the_viewers_day_differs(browser, server):
    # 14:00 in Nairobi is midnight, the next day, in Auckland.
    context = browser.new_context(**LAPTOP, timezone_id="Pacific/Auckland")
    try:
        page = open_in(context, f"{server.url}/", "es")
        mine = page.locator("time.event-time + .local-time")
        mine.wait_for()
        stamp = intl_time(page, "es", "Pacific/Auckland", START_MS, with_date=True)
        assert mine.text_content() == your_time(page).replace("{time}", stamp)
        assert "15" in stamp and "2030" in stamp
    finally:
        context.close()
