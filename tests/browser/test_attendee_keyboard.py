"""The attendee page as people use it: with the keyboard only (Tab, Enter and Space), while the
rest of the room votes and asks (focus, typed text and the cards themselves stay where they
are), and on a 360 px phone with Arabic text and the offline notice (nothing wider than the
screen)."""

from __future__ import annotations

import pytest
import requests

from tests.fixtures.constants import EVENT, THEME
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess, moderator_api

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
ARABIC = "كيف نضمن تمويل برنامج Exchange 2030 بعد السنة الأولى؟ وما دور الشركاء الـ 12؟"


@pytest.fixture
def server(tmp_path):
    process = ServerProcess(tmp_path / "instance").start()
    yield process
    process.stop()


api = moderator_api


def published(server, text: str, name: str | None = None) -> int:
    """An approved question (asked at the floor microphone, so approved at once)."""
    key = f"kb-{abs(hash(text)) % 10**8:08d}"
    reply = api(server, "POST", "/floor", text=text, theme=THEME, name=name, client_msg_id=key)
    return reply["question"]["id"]


def vote_from_elsewhere(server, question_id: int, voter: int) -> None:
    """Another attendee's vote, over HTTP."""
    response = requests.post(
        f"{server.url}/api/events/{EVENT}/questions/{question_id}/vote",
        json={"client_id": f"other-voter-{voter:04d}", "via": "online"},
        timeout=5,
    )
    assert response.status_code < 300, response.text


def open_phone(browser, server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/e/{EVENT}")
    page.wait_for_selector("#connection[data-state=online]")
    return context, page


FOCUSED = """() => {
  const a = document.activeElement;
  if (!a) return "";
  return `${a.id || a.className || a.tagName}|${a.closest("li.question")?.dataset.key ?? ""}`;
}"""


def tab_to(page, matches: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches the CSS selector ``matches``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s)", matches):
            return
    raise AssertionError(f"{matches} not reached with Tab (focus on {page.evaluate(FOCUSED)})")


def test_an_attendee_asks_and_votes_with_the_keyboard_only(browser, server):
    target = published(server, "Which exchanges worked best in 2024?")
    context, page = open_phone(browser, server)
    try:
        page.wait_for_selector(f"#public li[data-key='{target}'] button.vote")
        # The theme: its radio button, chosen with Space.
        tab_to(page, f"#theme-{THEME}")
        page.keyboard.press("Space")
        assert page.is_checked(f"#theme-{THEME}")
        tab_to(page, "#text")
        page.keyboard.type("How are the exchanges funded after the pilot year?")
        tab_to(page, "#send")
        page.keyboard.press("Enter")
        page.wait_for_selector("#mine li.question .status-pending")
        assert page.input_value("#text") == ""
        # A vote with Space, taken back with Enter; focus stays on the button throughout.
        button = f"#public li[data-key='{target}'] button.vote"
        tab_to(page, button)
        page.keyboard.press("Space")
        page.wait_for_selector(f"{button}[aria-pressed=true]:not(.pending)")
        assert page.evaluate("(s) => document.activeElement.matches(s)", button)
        page.keyboard.press("Enter")
        page.wait_for_selector(f"{button}[aria-pressed=false]:not(.pending)")
        assert page.evaluate("(s) => document.activeElement.matches(s)", button)
        stored = api(server, "GET", "/questions")["questions"]
        assert {q["id"]: q["votes"] for q in stored}[target] == 0
        assert any(q["text"].startswith("How are the exchanges funded") for q in stored)
    finally:
        context.close()


def test_a_voting_attendee_keeps_focus_and_typed_text_while_others_vote(browser, server):
    ids = [published(server, f"Question {n} about the exchange programme?") for n in range(5)]
    context, page = open_phone(browser, server)
    try:
        page.wait_for_selector("#public li.question >> nth=4")
        # Half a question typed, then a vote with the keyboard on the last card.
        page.fill("#text", "Half a question, not sent yet")
        mine = ids[0]  # the oldest: last under "most votes" while all are at 0
        button = f"#public li[data-key='{mine}'] button.vote"
        page.focus(button)
        page.keyboard.press("Space")
        page.wait_for_selector(f"{button}[aria-pressed=true]:not(.pending)")
        # The card being voted on is where the reader left it on the screen.
        page.locator(button).scroll_into_view_if_needed()
        where = page.locator(button).evaluate("(b) => b.getBoundingClientRect().top")
        # Each card remembers it was seen: a card made again would not.
        page.evaluate(
            "document.querySelectorAll('#public li.question').forEach((c) => { c.seen = true; })"
        )
        # The room votes (20 votes, reordering the list) and asks (3 new questions).
        for voter in range(20):
            vote_from_elsewhere(server, ids[1 + voter % 4], voter)
        for n in range(3):
            published(server, f"A new question {n} from the floor?")
        wait_until(
            lambda: (
                page.evaluate(
                    "[...document.querySelectorAll('#public button.vote .number')]"
                    ".reduce((sum, n) => sum + Number(n.textContent), 0)"
                )
                == 21
                and page.locator("#public li.question").count() == 8
            ),
            timeout=10,
            message="every vote and question shown",
        )
        assert page.evaluate("(s) => document.activeElement.matches(s)", button), page.evaluate(
            FOCUSED
        )
        assert page.input_value("#text") == "Half a question, not sent yet"
        moved = page.locator(button).evaluate("(b) => b.getBoundingClientRect().top")
        assert abs(moved - where) <= 2, (where, moved)
        assert page.evaluate(
            "(ids) => ids.every((id) =>"
            " document.querySelector(`#public li[data-key='${id}']`).seen)",
            ids,
        )
        # And the order did change under it: the voted questions went up.
        first = page.locator("#public li.question").first.get_attribute("data-key")
        assert int(first) in ids[1:]
        # Typing keeps its place too while updates arrive.
        page.focus("#text")
        page.evaluate("document.getElementById('text').setSelectionRange(5, 5)")
        vote_from_elsewhere(server, ids[2], 99)
        wait_until(
            lambda: (
                page.evaluate(
                    "[...document.querySelectorAll('#public button.vote .number')]"
                    ".reduce((sum, n) => sum + Number(n.textContent), 0)"
                )
                == 22
            ),
            message="the last vote shown",
        )
        assert page.evaluate(
            "document.activeElement.id === 'text'"
            " && document.getElementById('text').selectionStart === 5"
        )
    finally:
        context.close()


WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def test_the_phone_page_with_arabic_text_and_offline_stays_360_px_wide(browser, server, artifacts):
    arabic = published(server, ARABIC, name="أمينة (Dakar)")
    api(server, "POST", f"/questions/{arabic}/live")
    published(server, "Where is https://example.org/" + "a-long-path" * 8 + " kept?")
    context, page = open_phone(browser, server)
    try:
        card = page.locator(f"#public li[data-key='{arabic}']")
        card.wait_for()
        assert card.locator(".text").get_attribute("dir") == "auto"
        assert card.locator(".author").get_attribute("dir") == "auto"
        # Arabic first letter: the paragraph runs right to left, the Latin words inside keep
        # their own order.
        assert card.locator(".text").evaluate("(n) => getComputedStyle(n).direction") == "rtl"
        assert page.evaluate(WIDTH) <= 360
        assert page.locator(".topbar .zone").text_content() == "Nairobi (UTC+3)"
        page.screenshot(path=artifacts / "attendee-360-arabic.png", full_page=True)
        server.kill()
        page.wait_for_selector("#connection[data-state=offline]", timeout=15_000)
        assert page.evaluate(WIDTH) <= 360
        page.screenshot(path=artifacts / "attendee-360-offline.png")
    finally:
        context.close()


def test_the_attendee_hears_their_own_question_move_on_and_not_each_keystroke(browser, server):
    context, page = open_phone(browser, server)
    try:
        assert page.get_attribute("#counter", "aria-live") is None
        assert page.get_attribute("#announce", "aria-live") == "polite"
        page.click(f"label[for=theme-{THEME}]")
        page.fill("#text", "x" * 301)
        wait_until(lambda: "300" in page.text_content("#announce"), message="the limit said")
        page.fill("#text", "What did the pilot year teach the organisers?")
        assert page.text_content("#announce") == ""
        page.click("#send")
        page.wait_for_selector("#mine li.question .status-pending")
        assert page.text_content("#announce") == ""  # sending is said by the form, not here
        [mine] = [
            q for q in api(server, "GET", "/questions")["questions"] if q["status"] == "pending"
        ]
        for action, status in (("approve", "Approved"), ("live", "On screen now")):
            api(server, "POST", f"/questions/{mine['id']}/{action}")
            wait_until(
                lambda s=status: s in page.text_content("#announce"),
                message=f"{status} announced",
            )
        assert "What did the pilot year" in page.text_content("#announce")
    finally:
        context.close()
