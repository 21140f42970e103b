"""What an audit of every page in the six languages found, kept from coming back: the language
list opens inside the window wherever its button sits (the dashboard's is near the inline end),
the event's zone keeps its offset on its line, and the people's texts the dashboard quotes (an
edited question's original, the question a new one resembles, the message to the speakers) read
in their own direction on a page in another. Checked on geometry and computed styles, so DejaVu
alone (CI) tells as well as the Noto fonts."""

from __future__ import annotations

import pytest

from moderator.core.languages import LANGUAGES
from tests.fixtures.constants import EVENT, THEME, TOKEN
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess, moderator_api

pytestmark = pytest.mark.browser

SIZES = {"phone": (360, 740), "laptop": (1440, 900)}
PAGES = {"attendee": f"/e/{EVENT}", "dashboard": f"/moderate/{EVENT}?token={TOKEN}"}

api = moderator_api


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ServerProcess(tmp_path_factory.mktemp("six-languages") / "instance").start()
    yield process
    process.stop()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_the_language_list_opens_inside_the_window(browser, server, name, language, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(f"{server.url}{PAGES[name]}&lang={language}".replace(f"{EVENT}&", f"{EVENT}?"))
        page.wait_for_selector("#connection[data-state=online]")
        page.click("details.languages summary")
        page.locator("details.languages ul").wait_for(state="visible")

        def measured():
            return page.evaluate(
                """() => {
                  const list = document.querySelector('details.languages ul')
                    .getBoundingClientRect();
                  const root = document.scrollingElement;
                  return {left: list.left, right: list.right, width: root.clientWidth,
                          scrollWidth: root.scrollWidth};
                }"""
            )

        def inside(box):
            return (
                box["left"] >= 0
                and box["right"] <= box["width"]
                and box["scrollWidth"] <= box["width"]
            )

        # The list is placed once it has opened (its "toggle" event comes a moment after).
        wait_until(lambda: inside(measured()), timeout=5, message=f"the list inside: {measured()}")
    finally:
        context.close()


def test_quoted_texts_on_the_dashboard_read_in_their_own_direction(browser, server):
    """On an Arabic dashboard, English texts quoted inside Arabic sentences run left to right
    (their question mark stays at their end), and an Arabic one on an English dashboard runs
    right to left."""
    english = "How do alumni networks stay alive after the exchange programme ends?"
    first = api(server, "POST", "/floor", text=english, theme=THEME, client_msg_id="six-0001")
    api(server, "POST", f"/questions/{first['question']['id']}/edit", text=english + " (edited)")
    # From an attendee, so that it is compared with the open questions.
    api(
        server,
        "POST",
        "/questions",
        text="How do alumni networks stay alive after the exchange programme ends, then?",
        theme=THEME,
        via="room",
        client_id="six-languages-client",
        client_msg_id="six-0002",
    )
    api(server, "POST", "/display", action="message", text="Please wrap up")
    # Playwright's wait_for_function evaluates a string, which the pages' CSP forbids.
    context = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{server.url}/moderate/{EVENT}?token={TOKEN}&lang=ar")
        page.wait_for_selector(".question .similar-text")
        page.wait_for_selector(".question details.original p", state="attached")
        quoted = [".question .similar-text", ".question details.original p", "#current-message"]
        directions = {
            selector: page.locator(selector).evaluate("(node) => getComputedStyle(node).direction")
            for selector in quoted
        }
        assert directions == {
            ".question .similar-text": "ltr",
            ".question details.original p": "ltr",
            "#current-message": "ltr",
        }
        api(server, "POST", "/display", action="message", text="دقيقتان")
        page.goto(f"{server.url}/moderate/{EVENT}?lang=en")
        page.wait_for_function(
            "document.getElementById('current-message').textContent === 'دقيقتان'"
        )
        assert (
            page.evaluate("getComputedStyle(document.getElementById('current-message')).direction")
            == "rtl"
        )
    finally:
        context.close()
        api(server, "POST", "/display", action="clear")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_event_zone_and_its_offset_stay_on_one_line_on_a_phone(browser, server, language):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/?lang={language}")
        zone = page.locator(".event-time .zone").first
        # One line: a rectangle per direction run (Arabic, then "-4"), all at the same height.
        lines = zone.evaluate(
            "(node) => new Set([...node.getClientRects()].map((r) => r.top)).size"
        )
        assert lines == 1, zone.text_content()
    finally:
        context.close()
