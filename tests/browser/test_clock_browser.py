"""The room screen and stage monitor, driven from the moderator dashboard, in Chromium."""

import re

import pytest
import requests

from tests.fixtures.constants import EVENT, OTHER_THEME, SEGMENTS, TOKEN
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess

# Playwright's wait_for_function evaluates its string with eval, which the pages' policy
# forbids; these tests drive the pages, tests/browser/test_csp.py checks the policy.
FULL_HD = {"viewport": {"width": 1920, "height": 1080}, "bypass_csp": True}
SHIFT_MS = 7 * 60_000  # this screen's own clock is seven minutes fast
SHIFTED_CLOCK = f"""
(() => {{
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + {SHIFT_MS};
}})();
"""

pytestmark = pytest.mark.browser


def seconds_shown(text: str) -> int:
    sign = -1 if text.startswith("+") else 1
    parts = [int(p) for p in text.lstrip("+").split(":")]
    value = 0
    for part in parts:
        value = value * 60 + part
    return sign * value


def pair_through_the_dashboard(desk, page, name: str) -> None:
    """Type the code the screen shows into the dashboard's pairing form; the code goes away
    without a reload. A screen that reconnected meanwhile shows a new code: read it again."""
    for _attempt in range(3):
        wait_until(lambda: len(page.locator("#pairing-code").text_content() or "") == 6)
        assert page.locator("#pairing").is_visible()
        desk.fill("#pair-code", page.locator("#pairing-code").text_content() or "")
        desk.fill("#pair-label", name)
        desk.click("#pair-form button[type=submit]")
        try:
            wait_until(lambda: not page.locator("#pairing").is_visible(), timeout=5)
            return
        except AssertionError:
            continue
    raise AssertionError(f"{name} was not paired after three codes")


def test_dashboard_drives_room_screen_and_stage_monitor(browser, live_server, artifacts):
    base = live_server.url
    room_context = browser.new_context(**FULL_HD)
    room_context.add_init_script(SHIFTED_CLOCK)
    room = room_context.new_page()
    room.goto(f"{base}/e/{EVENT}/screen")
    stage_context = browser.new_context(**FULL_HD)
    stage = stage_context.new_page()
    stage.goto(f"{base}/e/{EVENT}/stage")
    desk_context = browser.new_context(viewport={"width": 1600, "height": 1000}, bypass_csp=True)
    desk = desk_context.new_page()
    desk.goto(f"{base}/moderate/{EVENT}?token={TOKEN}")
    try:
        for page in (room, stage, desk):
            page.wait_for_selector("#countdown, #clock-countdown")
            page.wait_for_function("document.querySelector('[role=timer]').textContent === '10:00'")
        # Each shows a pairing code; the dashboard pairs it under a name, and the code goes
        # away without a reload.
        for page, name in ((room, "Back wall"), (stage, "Podium")):
            pair_through_the_dashboard(desk, page, name)
        # The shifted screen measured its offset and reported it; the dashboard lists both.
        wait_until(lambda: room.evaluate("window.serverTime && window.serverTime.synced"))
        assert abs(room.evaluate("window.serverTime.offset") + SHIFT_MS) < 100
        desk.wait_for_function("document.querySelectorAll('#screens tr th').length === 2")
        listing = desk.locator("#screens").text_content()
        assert "Back wall (screen)" in listing and "Podium (stage)" in listing
        # In the page's language: English groups thousands ("-419,987 ms"). The screen's report
        # reaches the dashboard a moment after the screen measured it: waited for.
        offset = re.compile(r"-419,9\d\d ms|-420,00\d ms")
        listing = wait_until(
            lambda: (
                (text := desk.locator("#screens").text_content()) and offset.search(text) and text
            ),
            timeout=5,
            message="the shifted screen's offset on the dashboard",
        )

        desk.click("#clock-toggle")  # start
        room.wait_for_function("document.getElementById('countdown').textContent === '9:59'")
        assert room.locator("#segment-title").text_content() == SEGMENTS[0]
        assert room.locator("#next").text_content() == SEGMENTS[1]
        # The shifted screen shows what the unshifted stage shows.
        stage.wait_for_function(
            "document.getElementById('countdown').textContent.startsWith('9:5')"
        )
        room.screenshot(path=artifacts / "room-normal.png")

        desk.evaluate("document.activeElement.blur()")  # shortcuts never fire on a button
        desk.keyboard.press("+")  # one more minute (no confirmation: "-" undoes it)
        room.wait_for_function(
            "document.getElementById('countdown').textContent.startsWith('10:5')"
        )
        # Down to the warning threshold: 2 minutes left or less.
        desk.get_by_role("button", name="−1 min").click()
        for _ in range(8):
            desk.get_by_role("button", name="−1 min").click()
        room.wait_for_function("document.getElementById('app').dataset.phase === 'warning'")
        assert seconds_shown(room.locator("#countdown").text_content()) <= 120
        room.screenshot(path=artifacts / "room-warning.png")

        desk.click("[data-preset='Please wrap up']")
        stage.wait_for_function(
            "document.getElementById('message').textContent === 'Please wrap up'"
        )
        desk.click("#flash")
        stage.wait_for_selector("#app.flash")
        stage.screenshot(path=artifacts / "stage-message.png")

        # A question on screen.
        question = requests.post(
            f"{base}/api/events/{EVENT}/questions",
            timeout=5,
            json={
                "text": "How can personnel exchanges be sustained after funding ends?",
                "theme": OTHER_THEME,
                "via": "room",
                "name": "Kwame",
                "client_id": "browser-client-01",
                "client_msg_id": "browser-msg-0001",
            },
        ).json()
        requests.post(
            f"{base}/api/events/{EVENT}/questions/{question['question']['id']}/live",
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=5,
        )
        room.wait_for_selector("#live .live-text")
        assert "sustained after funding ends" in room.locator("#live").text_content()
        room.screenshot(path=artifacts / "room-live-question.png")

        # Overtime: remove all but a second, wait for the count to go up.
        remaining = requests.get(f"{base}/api/events/{EVENT}/timer", timeout=5).json()[
            "remaining_ms"
        ]
        requests.post(
            f"{base}/api/events/{EVENT}/timer",
            timeout=5,
            headers={"Authorization": f"Bearer {TOKEN}"},
            json={"action": "adjust", "seconds": -(remaining // 1000 - 1)},
        )
        room.wait_for_function(
            "document.getElementById('countdown').textContent.startsWith('+0:0')", timeout=5000
        )
        assert room.locator("#app").get_attribute("data-phase") == "overtime"
        room.wait_for_function("document.getElementById('countdown').textContent === '+0:01'")
        room.screenshot(path=artifacts / "room-overtime.png")

        desk.evaluate("document.activeElement.blur()")
        desk.keyboard.press("]")  # next segment: asked first, answered with Enter
        desk.wait_for_selector("#clock-confirm:not([hidden])")
        assert desk.evaluate("document.activeElement.id") == "clock-confirm-yes"
        desk.keyboard.press("Enter")
        room.wait_for_function(
            f"document.getElementById('segment-title').textContent === '{SEGMENTS[1]}'"
        )
        stage.wait_for_function(
            f"document.getElementById('segment-title').textContent === '{SEGMENTS[1]}'"
        )

        desk.click("#blackout")
        room.wait_for_selector("#blackout:not([hidden])")
        desk.screenshot(path=artifacts / "moderator-clock.png", full_page=True)
        desk.click("#blackout")
        room.wait_for_selector("#blackout[hidden]", state="attached")

        desk.evaluate("document.activeElement.blur()")  # the checkbox would take the space
        desk.keyboard.press(" ")  # pause, once confirmed
        desk.wait_for_selector("#clock-confirm:not([hidden])")
        desk.keyboard.press(" ")
        stage.wait_for_function("document.getElementById('app').dataset.state === 'paused'")
        frozen = stage.locator("#countdown").text_content()
        stage.wait_for_timeout(1200)  # a paused clock must not move: observe across a second
        assert stage.locator("#countdown").text_content() == frozen
    finally:
        for context in (room_context, stage_context, desk_context):
            context.close()


def test_a_screen_reconnects_by_itself_after_a_server_restart(browser, tmp_path):
    server = ServerProcess(tmp_path / "instance").start()
    context = browser.new_context(**FULL_HD)
    room = context.new_page()
    try:
        room.goto(f"{server.url}/e/{EVENT}/screen")
        room.wait_for_selector("#connection[data-state=online]", state="attached")
        server.kill()
        room.wait_for_selector("#connection[data-state=offline]", state="attached")
        server.start()
        requests.post(
            f"{server.url}/api/events/{EVENT}/timer",
            json={"action": "start"},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=5,
        )
        room.wait_for_selector("#connection[data-state=online]", state="attached", timeout=20000)
        room.wait_for_function(
            "document.getElementById('app').dataset.state === 'running'", timeout=10000
        )
    finally:
        context.close()
        server.stop()
