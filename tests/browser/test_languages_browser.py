"""The event's texts in the page's language, where the scripts put them: the segment titles that
arrive with every clock message, on the room screen and in the dashboard's agenda."""

import pytest

from tests.fixtures.constants import EVENT, FRENCH, SEGMENTS, TOKEN
from tests.fixtures.server import moderator_api

pytestmark = pytest.mark.browser


def french_context(browser):
    return browser.new_context(bypass_csp=True)


def text_and_lang(page, selector: str) -> tuple[str, str | None]:
    node = page.locator(selector)
    return node.text_content(), node.get_attribute("lang")


def test_screens_and_the_agenda_show_segment_titles_in_the_pages_language(browser, live_server):
    base = live_server.url
    room = french_context(browser).new_page()
    room.goto(f"{base}/e/{EVENT}/screen?lang=fr")
    desk = french_context(browser).new_page()
    desk.goto(f"{base}/moderate/{EVENT}?token={TOKEN}")
    desk.goto(f"{base}/moderate/{EVENT}?lang=fr")
    # "next" is written by the script only, from the clock message.
    room.wait_for_function(f"document.getElementById('next').textContent === '{SEGMENTS[1]}'")
    assert text_and_lang(room, "#next") == (SEGMENTS[1], "en")  # no French title: marked
    assert text_and_lang(room, "#segment-title") == (FRENCH["segment"], None)
    desk.wait_for_selector("#segments .seg-name")
    names = desk.locator("#segments .seg-name")
    assert [names.nth(i).text_content() for i in range(3)] == [FRENCH["segment"], *SEGMENTS[1:]]
    assert [names.nth(i).get_attribute("lang") for i in range(3)] == [None, "en", "en"]
    assert text_and_lang(desk, "#clock-segment") == (FRENCH["segment"], None)

    moderator_api(live_server, "POST", "/timer", action="next")
    room.wait_for_function(
        f"document.getElementById('segment-title').textContent === '{SEGMENTS[1]}'"
    )
    assert room.locator("#segment-title").get_attribute("lang") == "en"
    moderator_api(live_server, "POST", "/timer", action="previous")
    room.wait_for_function(
        f"document.getElementById('segment-title').textContent === '{FRENCH['segment']}'"
    )
    assert room.locator("#segment-title").get_attribute("lang") is None
    assert text_and_lang(room, "#next") == (SEGMENTS[1], "en")
