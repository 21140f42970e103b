"""As a person would: headless Chromium on the attendee page at phone size and the moderator
dashboard on a laptop, against a real server."""

import pytest
import requests

from tests.fixtures.constants import EVENT, OTHER_THEME, THEME, TOKEN
from tests.fixtures.helpers import room_link, wait_until
from tests.fixtures.server import ServerProcess

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
LAPTOP = {"viewport": {"width": 1440, "height": 900}}

pytestmark = pytest.mark.browser


def stored_questions(server):
    return requests.get(
        f"{server.url}/api/events/{EVENT}/questions",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    ).json()["questions"]


def open_attendee(browser, server, path=None):
    """A phone that opened ``path``; by default the room's QR code (with its room pass)."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(room_link(server.url) if path is None else server.url + path)
    page.wait_for_selector("#connection[data-state=online]")
    return context, page


def ask(page, text, theme=OTHER_THEME, name=""):
    page.click(f"label[for=theme-{theme}]")
    page.fill("#text", text)
    if name:
        page.fill("#name", name)
    page.click("#send")


def test_a_question_from_a_phone_in_the_room_reaches_the_moderator(browser, live_server, artifacts):
    attendee_context, phone = open_attendee(browser, live_server)
    moderator_context = browser.new_context(**LAPTOP)
    dashboard = moderator_context.new_page()
    dashboard.goto(f"{live_server.url}/moderate/{EVENT}?token={TOKEN}")
    dashboard.wait_for_selector("#connection[data-state=online]")
    try:
        phone.fill("#text", "x" * 301)
        assert phone.locator("#counter").get_attribute("class") == "counter over"
        ask(
            phone,
            "How do alumni networks stay alive after the exchange? <img src=x>",
            name="Amina (Dakar)",
        )
        phone.wait_for_selector("#mine .status-pending")

        card = dashboard.locator("ol[data-status=pending] li.question").first
        card.wait_for(timeout=3000)
        assert card.locator(".text").text_content() == (
            "How do alumni networks stay alive after the exchange? <img src=x>"
        )
        assert card.locator("img").count() == 0
        assert card.locator(".origin").text_content() == "room"
        assert "ii. Health Workforce" in card.locator(".theme-tag").text_content()
        phone.screenshot(path=artifacts / "attendee-phone.png", full_page=True)
        dashboard.screenshot(path=artifacts / "moderator-incoming.png")

        card.get_by_role("button", name="Approve").click()
        phone.wait_for_selector("#mine .status-approved")
        phone.wait_for_selector("#public li.question")
        dashboard.locator("ol[data-status=approved] li.question").first.wait_for()
        dashboard.locator("ol[data-status=approved] li.question").first.get_by_role(
            "button", name="Put on screen"
        ).click()
        phone.wait_for_selector("#mine .status-live")
        dashboard.wait_for_selector("#live li.question")
        dashboard.screenshot(path=artifacts / "moderator-live.png")
        [stored] = stored_questions(live_server)
        assert (stored["via"], stored["theme"], stored["name"]) == (
            "room",
            OTHER_THEME,
            "Amina (Dakar)",
        )
    finally:
        attendee_context.close()
        moderator_context.close()


def test_keyboard_shortcuts_moderate_the_queue(browser, live_server):
    for n in range(3):
        requests.post(
            f"{live_server.url}/api/events/{EVENT}/questions",
            timeout=5,
            json={
                "text": f"Keyboard question {n}",
                "theme": THEME,
                "via": "online",
                "client_id": "keyboard-client",
                "client_msg_id": f"keyboard-msg-{n}",
            },
        )
    context = browser.new_context(**LAPTOP)
    dashboard = context.new_page()
    try:
        dashboard.goto(f"{live_server.url}/moderate/{EVENT}?token={TOKEN}")
        dashboard.wait_for_selector("ol[data-status=pending] li.question >> nth=2")
        dashboard.keyboard.press("j")
        dashboard.keyboard.press("a")
        dashboard.keyboard.press("d")
        wait_until(
            lambda: (
                sorted(q["status"] for q in stored_questions(live_server))
                == ["approved", "dismissed", "pending"]
            ),
            message="two keyboard actions",
        )
        dashboard.wait_for_selector("ol[data-status=dismissed] li.question")
    finally:
        context.close()


def test_a_question_written_offline_survives_a_reload_and_is_sent_once(browser, tmp_path):
    server = ServerProcess(tmp_path / "instance").start()
    context, phone = open_attendee(browser, server)
    try:
        server.kill()
        phone.wait_for_selector("#connection[data-state=offline]")
        ask(phone, "Written while the network was down", theme=THEME)
        phone.wait_for_selector("#mine .status-sending")
        outbox = phone.evaluate(f"localStorage.getItem('moderator:{EVENT}:outbox')")
        assert "Written while the network was down" in outbox
        phone.close()  # the attendee closes the tab before the network is back

        server.start()
        reopened = context.new_page()
        reopened.goto(server.url + f"/r/{EVENT}")
        reopened.wait_for_selector("#mine .status-pending")
        reopened.reload()
        reopened.wait_for_selector("#mine .status-pending")
        wait_until(
            lambda: reopened.evaluate(f"localStorage.getItem('moderator:{EVENT}:outbox')") == "[]",
            message="empty outbox",
        )
        stored = stored_questions(server)
        assert [(q["text"], q["theme"], q["via"]) for q in stored] == [
            ("Written while the network was down", THEME, "room")
        ]
        assert reopened.locator("#mine li.question").count() == 1
    finally:
        context.close()
        server.stop()


def test_a_question_sent_when_the_server_comes_back_is_not_duplicated(browser, tmp_path):
    server = ServerProcess(tmp_path / "instance").start()
    context, phone = open_attendee(browser, server, f"/e/{EVENT}")
    try:
        server.kill()
        phone.wait_for_selector("#connection[data-state=offline]")
        ask(phone, "Sent as soon as the server is back", theme=THEME)
        server.start()
        phone.wait_for_selector("#mine .status-pending", timeout=20000)
        stored = stored_questions(server)
        assert [(q["text"], q["via"]) for q in stored] == [
            ("Sent as soon as the server is back", "online")
        ]
    finally:
        context.close()
        server.stop()
