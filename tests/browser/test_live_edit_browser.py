"""An organiser edits the event during the session: an attendee typing a question sees the new
theme appear and the renamed one change, in place, without losing a letter or the focus; the
dashboard's agenda shows the lengthened segment."""

from __future__ import annotations

import pytest
import requests

from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess

pytestmark = pytest.mark.browser
ADMIN = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ServerProcess(tmp_path_factory.mktemp("live-edit") / "instance").start()
    yield process
    process.stop()


def test_an_edit_reaches_an_attendee_who_is_typing_and_the_dashboard(browser, server):
    attendee = browser.new_page(viewport={"width": 390, "height": 844})
    attendee.goto(f"{server.url}/e/{EVENT}")
    attendee.wait_for_selector("#connection[data-state=online]")
    dashboard = browser.new_page(viewport={"width": 1440, "height": 900})
    dashboard.goto(f"{server.url}/moderate/{EVENT}?token={TOKEN}")
    dashboard.wait_for_selector("#connection[data-state=online]")
    dashboard.locator("#segments li").first.wait_for()
    first_length = dashboard.locator("#segments li .seg-length").first.inner_text()

    attendee.click("#text")
    attendee.keyboard.type("How will the new fund be governed")
    current = requests.get(f"{server.url}/api/events/{EVENT}", headers=ADMIN, timeout=5).json()
    form = current["file"]
    first_theme = form["themes"][0]
    renamed = "Financing, renamed during the session"
    if isinstance(first_theme["title"], dict):
        first_theme["title"][current["language"]] = renamed
    else:
        first_theme["title"] = renamed
    form["themes"].insert(1, {"key": "youth", "title": "Youth and the next generation"})
    form["segments"][0]["minutes"] += 5
    response = requests.put(
        f"{server.url}/api/events/{EVENT}",
        json={**form, "version": current["version"]},
        headers=ADMIN,
        timeout=5,
    )
    assert response.status_code == 200, response.text

    attendee.wait_for_selector("#theme-youth", timeout=5000)
    wait_until(
        lambda: renamed in attendee.locator(f"label[for=theme-{first_theme['key']}]").inner_text(),
        timeout=5,
        message="the renamed theme",
    )
    assert attendee.input_value("#text") == "How will the new fund be governed"
    assert attendee.evaluate("document.activeElement.id") == "text"
    attendee.keyboard.type("?")
    assert attendee.input_value("#text").endswith("governed?")
    options = attendee.locator("#theme-filter option").all_inner_texts()
    assert any("Youth and the next generation" in option for option in options)

    wait_until(
        lambda: dashboard.locator("#segments li .seg-length").first.inner_text() != first_length,
        timeout=5,
        message="the lengthened segment on the dashboard",
    )
    attendee.close()
    dashboard.close()
