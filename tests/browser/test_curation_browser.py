"""Two attendees vote while a moderator curates, in Chromium; every screen follows."""

import pytest
import requests

from tests.fixtures.constants import EVENT, OTHER_THEME, THEME, TOKEN
from tests.fixtures.helpers import room_link, wait_until

# Playwright's wait_for_function evaluates its string with eval, which the pages' policy
# forbids; these tests drive the pages, tests/browser/test_csp.py checks the policy.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "bypass_csp": True,
}
LAPTOP = {"viewport": {"width": 1600, "height": 1000}, "bypass_csp": True}

pytestmark = pytest.mark.browser


def seed(base, n, text, theme=THEME, via="online"):
    reply = requests.post(
        f"{base}/api/events/{EVENT}/questions",
        timeout=5,
        json={
            "text": text,
            "theme": theme,
            "via": via,
            # "room" counts only with the room pass the room screen shows.
            **({"room_pass": room_link(base).split("pass=")[1]} if via == "room" else {}),
            "client_id": f"seed-client-{n:03d}",
            "client_msg_id": f"seed-message-{n:03d}",
        },
    )
    return reply.json()["question"]["id"]


def moderate(base, qid, action, **body):
    return requests.post(
        f"{base}/api/events/{EVENT}/questions/{qid}/{action}",
        json=body or None,
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    )


def test_two_attendees_vote_while_the_moderator_curates(browser, live_server, artifacts):
    base = live_server.url
    visa = seed(base, 1, "How do you handle visa delays for exchange placements?", OTHER_THEME)
    funds = seed(base, 2, "Who funds personnel exchanges in triangular cooperation?", via="room")
    for qid in (visa, funds):
        moderate(base, qid, "approve")
    room_ctx, online_ctx = browser.new_context(**PHONE), browser.new_context(**PHONE)
    desk_ctx = browser.new_context(**LAPTOP)
    try:
        in_room, online = room_ctx.new_page(), online_ctx.new_page()
        in_room.goto(room_link(base))
        online.goto(f"{base}/e/{EVENT}")
        desk = desk_ctx.new_page()
        desk.goto(f"{base}/moderate/{EVENT}?token={TOKEN}")
        for page in (in_room, online):
            page.wait_for_selector("#public li.question >> nth=1")

        # Both attendees upvote the visa question; every screen shows 2, split by origin.
        for page in (in_room, online):
            page.locator("#public li.question", has_text="visa delays").get_by_role(
                "button"
            ).click()
        for page in (in_room, online):
            page.wait_for_function(
                "[...document.querySelectorAll('#public li.question')].some("
                "li => li.textContent.includes('visa') && li.querySelector('.vote .number')"
                ".textContent === '2')"
            )
        desk.wait_for_function("document.body.textContent.includes('▲ 2 (room 1 · online 1)')")
        # A second vote from the same phone is taken back, not counted twice.
        in_room.locator("#public li.question", has_text="visa delays").get_by_role("button").click()
        online.wait_for_function(
            "[...document.querySelectorAll('#public .vote .number')]"
            ".some(n => n.textContent === '1')"
        )

        # The online attendee starts typing a duplicate: the existing question is offered.
        online.fill("#text", "What about visa delays for the exchange placements?")
        online.wait_for_selector("#similar:not([hidden]) li.question")
        assert "visa delays" in online.locator("#similar").text_content()
        online.click(f"label[for=theme-{OTHER_THEME}]")
        online.click("#send")
        online.wait_for_selector("#mine li.question")

        # The moderator sees it flagged as similar and merges it with one click.
        flagged = desk.locator("ol[data-status=pending] li.question", has_text="What about visa")
        flagged.wait_for()
        assert "Similar to" in flagged.text_content()
        flagged.get_by_role("button", name=f"Merge into #{visa}").click()
        online.wait_for_selector("#mine .status-merged")
        assert "visa delays for exchange placements" in online.locator("#mine").text_content()

        # Up next: both into the list, reordered from the keyboard.
        for qid in (visa, funds):
            desk.locator(f"li.question[data-id='{qid}'] button.act-queue").first.click()
        desk.wait_for_selector("ol[data-status=upnext] li.question >> nth=1")
        first_id = desk.locator("ol[data-status=upnext] li.question").first.get_attribute("data-id")
        desk.locator("ol[data-status=upnext] li.question >> nth=1").locator("p.text").click()
        desk.keyboard.press("Alt+ArrowUp")
        desk.wait_for_function(
            f"document.querySelector('ol[data-status=upnext] li.question')"
            f".dataset.id !== '{first_id}'"
        )

        # The current theme and a floor question.
        desk.select_option("#current-theme", OTHER_THEME)
        wait_until(
            lambda: (
                requests.get(f"{base}/api/events/{EVENT}", timeout=5).json()["current_theme"]
                == OTHER_THEME
            ),
            message="current theme saved",
        )
        desk.click("text=Log a question from the floor")
        desk.fill("#floor-text", "Delegate asks about gender balance in placements")
        desk.click("#floor-form button[type=submit]")
        desk.wait_for_selector("li.question .origin-floor")

        desk.screenshot(path=artifacts / "moderator-curation.png", full_page=True)
        in_room.screenshot(path=artifacts / "attendee-list.png", full_page=True)
        rows = requests.get(
            f"{base}/api/events/{EVENT}/export.json",
            timeout=5,
            headers={"Authorization": f"Bearer {TOKEN}"},
        ).json()["questions"]
        by_text = {q["text"]: q for q in rows}
        assert by_text["How do you handle visa delays for exchange placements?"]["votes"] == 1
        assert {q["via"] for q in rows} == {"online", "room", "floor"}
    finally:
        for context in (room_ctx, online_ctx, desk_ctx):
            context.close()
