"""The dashboard as each invited role sees it, in a real browser: the screens' helper pairs a room
screen through the dashboard's form and sees the clock and the agenda but never the questions; a
timekeeper's clock keys work and a question's keys do nothing. Revoking the invitation sends the
open dashboard back to the login form."""

from __future__ import annotations

import pytest

from tests.fixtures.axe import axe_violations, described
from tests.fixtures.constants import EVENT, SEGMENTS
from tests.fixtures.helpers import submission, wait_until
from tests.fixtures.server import ServerProcess, moderator_api

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ServerProcess(tmp_path_factory.mktemp("roles") / "instance").start()
    yield process
    process.stop()


def _open_with(browser, server, role: str, label: str):
    invitation = moderator_api(server, "POST", "/invitations", role=role, label=label)
    # bypass_csp: axe-core is injected as a script of its own (tests/fixtures/axe.py).
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # The link as given, on the address the test reaches the server at.
    page.goto(f"{server.url}/moderate/{EVENT}?token={invitation['token']}")
    page.wait_for_selector("#connection[data-state=online]")
    return page, invitation


def test_the_screens_helper_pairs_a_screen_and_never_sees_a_question(browser, server):
    moderator_api(server, "POST", "/questions", **submission(1, text="Visible to moderators only?"))
    page, _ = _open_with(browser, server, "screens", "Volunteer at the door")
    wait_until(
        lambda: page.locator("#segments li").count() == len(SEGMENTS),
        timeout=10,
        message="the agenda",
    )
    assert page.locator("#clock-countdown").inner_text() != "--:--"
    assert (
        page.locator(".columns").is_hidden()
        and page.locator("#clock-controls, .clock-controls").is_hidden()
    )
    assert "Visible to moderators only?" not in page.content()
    assert page.locator("#segments button").first.is_disabled()

    screen = page.context.new_page()
    screen.goto(f"{server.url}/e/{EVENT}/screen")
    code = wait_until(
        lambda: screen.evaluate("document.getElementById('pairing-code').textContent"),
        timeout=10,
        message="a pairing code",
    )
    page.fill("#pair-code", code)
    page.fill("#pair-label", "Left TV")
    page.click("#pair-form button[type=submit]")
    wait_until(
        lambda: "Left TV" in page.locator("#screens").inner_text(),
        timeout=10,
        message="the paired screen listed",
    )
    wait_until(
        lambda: screen.evaluate("document.getElementById('pairing').hidden"),
        timeout=10,
        message="the screen paired",
    )
    assert axe_violations(page) == [], described(axe_violations(page))
    page.context.close()


def test_a_timekeeper_runs_the_clock_by_keyboard_and_a_questions_keys_do_nothing(browser, server):
    moderator_api(server, "POST", "/questions", **submission(2, text="Waiting for review?"))
    page, invitation = _open_with(browser, server, "timekeeper", "Back of room")
    card = page.locator("li.question", has_text="Waiting for review?")
    card.wait_for()
    assert card.locator("button").count() == 0  # no approve, dismiss, star, more
    card.click()
    page.keyboard.press("a")  # approve, for a moderator
    page.locator("#clock-panel").press("Space")
    page.click("#clock-confirm-yes")
    wait_until(
        lambda: moderator_api(server, "GET", "/timer")["state"] == "running",
        timeout=5,
        message="the clock running",
    )
    states = [q["status"] for q in moderator_api(server, "GET", "/questions")["questions"]]
    assert "approved" not in states

    moderator_api(server, "DELETE", f"/invitations/{invitation['id']}")
    page.wait_for_selector("input#token", timeout=5000)  # the login form, after the reload
    moderator_api(server, "POST", "/timer", action="reset")
    page.context.close()
