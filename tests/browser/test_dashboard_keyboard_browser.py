"""The dashboard keeps what the moderator is doing, in Chromium: an open edit box, typed text and
focus survive votes and new questions from others; after an action the focus moves to the next
card (never to <body>), where a stray Space does not touch the room's clock; and the whole
round (approve, on screen, answered, start the clock) works with Tab, Enter and Space only."""

import pytest
import requests

from tests.fixtures.constants import EVENT, THEME, TOKEN
from tests.fixtures.helpers import wait_until

# Playwright's wait_for_function evaluates its string with eval, which the page's policy
# forbids; tests/browser/test_csp.py checks the policy.
LAPTOP = {"viewport": {"width": 1440, "height": 900}, "bypass_csp": True}
MODERATOR = {"Authorization": f"Bearer {TOKEN}"}
TAB_LIMIT = 200  # Tab presses to reach any control of the page

pytestmark = pytest.mark.browser


def ask(server, n: int, text: str | None = None) -> int:
    reply = requests.post(
        f"{server.url}/api/events/{EVENT}/questions",
        timeout=10,
        json={
            "text": text or f"Keyboard question {n}?",
            "theme": THEME,
            "via": "online",
            "client_id": f"asker-{n:04d}",
            "client_msg_id": f"asker-msg-{n:04d}",
        },
    )
    assert reply.status_code == 201, reply.text
    return reply.json()["question"]["id"]


def moderate(server, qid: int, action: str) -> None:
    reply = requests.post(
        f"{server.url}/api/events/{EVENT}/questions/{qid}/{action}", headers=MODERATOR, timeout=10
    )
    assert reply.status_code == 200, reply.text


def timer_state(server) -> str:
    return requests.get(f"{server.url}/api/events/{EVENT}/timer", timeout=10).json()["state"]


def status_of(server, qid: int) -> str:
    listing = requests.get(
        f"{server.url}/api/events/{EVENT}/questions", headers=MODERATOR, timeout=10
    ).json()["questions"]
    return next(q["status"] for q in listing if q["id"] == qid)


def focused(page) -> dict:
    return page.evaluate(
        """(() => {
            const node = document.activeElement;
            return {tag: node.tagName, id: node.id, text: (node.textContent || '').trim(),
                    card: node.closest('li[data-id]')?.dataset.id ?? null,
                    list: node.closest('[data-status], #live')?.dataset?.status
                          ?? node.closest('#live')?.id ?? null};
        })()"""
    )


def open_dashboard(browser, server):
    context = browser.new_context(**LAPTOP)
    page = context.new_page()
    page.goto(f"{server.url}/moderate/{EVENT}?token={TOKEN}")
    page.wait_for_selector("#connection[data-state=online]", state="attached")
    return context, page


def tab_to(page, predicate, what: str) -> dict:
    """Press Tab (only Tab) until the focused element is the one wanted."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        now = focused(page)
        if predicate(now):
            return now
    raise AssertionError(f"{what}: not reached in {TAB_LIMIT} Tab presses")


def test_an_open_edit_box_keeps_its_text_and_focus_through_votes_and_new_questions(
    browser, live_server
):
    qid = ask(live_server, 1)
    moderate(live_server, qid, "approve")
    context, desk = open_dashboard(browser, live_server)
    try:
        card = desk.locator(f"ol[data-status=approved] li[data-id='{qid}']")
        card.wait_for()
        card.locator("details.more summary").click()
        box = desk.locator(f"#edit-{qid}")
        box.fill("A better wording, typed and not saved")
        box.focus()
        desk.evaluate(
            f"""(() => {{
                const box = document.getElementById('edit-{qid}');
                box.setSelectionRange(2, 8);
                box.closest('li').marked = true;
            }})()"""
        )
        for voter in range(20):
            vote = requests.post(
                f"{live_server.url}/api/events/{EVENT}/questions/{qid}/vote",
                json={"client_id": f"voter-{voter:04d}", "via": "online"},
                timeout=10,
            )
            assert vote.status_code == 200, vote.text
        for n in (2, 3, 4):
            ask(live_server, n)
        desk.wait_for_function(
            f"""document.querySelector('li[data-id="{qid}"] .votes').textContent.includes('20')
                && document.querySelector('[data-count=pending]').textContent === '3'""",
            timeout=10_000,
        )
        # The same card, patched in place: still open, the text typed, the focus and the
        # selection where they were.
        assert desk.evaluate(
            f"""(() => {{
                const box = document.getElementById('edit-{qid}');
                const card = box.closest('li');
                return [card.marked === true, card.querySelector('details.more').open, box.value,
                        document.activeElement === box, box.selectionStart, box.selectionEnd];
            }})()"""
        ) == [True, True, "A better wording, typed and not saved", True, 2, 8]
        # Screen readers hear the new questions once, together.
        desk.wait_for_function(
            "document.getElementById('announcer').textContent === '3 new questions.'",
            timeout=10_000,
        )
    finally:
        context.close()


def test_after_approving_from_the_keyboard_the_focus_is_on_the_next_card_and_space_is_harmless(
    browser, live_server
):
    ids = [ask(live_server, n) for n in (1, 2, 3)]
    context, desk = open_dashboard(browser, live_server)
    try:
        desk.wait_for_selector(f"ol[data-status=pending] li[data-id='{ids[2]}']")
        # Enter on the first card's "Approve": the focus lands on the next card.
        desk.locator(f"li[data-id='{ids[0]}'] button.act-approve").focus()
        desk.keyboard.press("Enter")
        desk.wait_for_function(
            f"document.activeElement.matches('ol[data-status=pending] li[data-id=\"{ids[1]}\"]')",
            timeout=10_000,
        )
        # "a" there approves it, and the focus moves on again.
        desk.keyboard.press("a")
        desk.wait_for_function(
            f"document.activeElement.matches('ol[data-status=pending] li[data-id=\"{ids[2]}\"]')",
            timeout=10_000,
        )
        wait_until(lambda: status_of(live_server, ids[1]) == "approved", message="approved by 'a'")
        # A Space on a card neither starts the clock nor asks to.
        desk.keyboard.press(" ")
        assert desk.locator("#clock-confirm").is_hidden()
        desk.keyboard.press("a")  # ... while the next key still works, after the Space
        wait_until(lambda: status_of(live_server, ids[2]) == "approved", message="third approval")
        assert timer_state(live_server) == "idle"
        assert desk.locator("#clock-confirm").is_hidden()
        assert focused(desk)["tag"] != "BODY"
    finally:
        context.close()


def test_a_moderator_runs_a_question_and_the_clock_with_tab_enter_and_space_only(
    browser, live_server
):
    qid = ask(live_server, 1)
    context, desk = open_dashboard(browser, live_server)
    try:
        desk.wait_for_selector(f"ol[data-status=pending] li[data-id='{qid}']")
        # The skip link is the first stop, and leads straight to the incoming questions.
        desk.keyboard.press("Tab")
        assert focused(desk)["text"] == "Skip to the incoming questions"
        desk.keyboard.press("Enter")
        desk.keyboard.press("Tab")
        now = focused(desk)
        assert (now["card"], now["text"]) == (str(qid), "Approve")  # the first button: Approve
        desk.keyboard.press("Enter")
        wait_until(lambda: status_of(live_server, qid) == "approved", message="approved")
        # The page, not only the server, has it in "Approved" before the next Tab.
        desk.wait_for_selector(f"ol[data-status=approved] li[data-id='{qid}']")
        tab_to(
            desk,
            lambda f: f["card"] == str(qid) and f["text"] == "Put on screen",
            "Put on screen",
        )
        desk.keyboard.press("Space")
        wait_until(lambda: status_of(live_server, qid) == "live", message="on screen")
        # The question on screen took the focus along: its "Mark answered" is a few Tabs away.
        desk.wait_for_function(f"document.activeElement.matches('#live li[data-id=\"{qid}\"]')")
        tab_to(desk, lambda f: f["card"] == str(qid) and f["text"] == "Mark answered", "answered")
        desk.keyboard.press("Enter")
        wait_until(lambda: status_of(live_server, qid) == "answered", message="answered")
        assert focused(desk)["tag"] != "BODY"
        tab_to(desk, lambda f: f["id"] == "clock-toggle", "the clock's Start button")
        desk.keyboard.press("Space")
        wait_until(lambda: timer_state(live_server) == "running", message="the clock started")
    finally:
        context.close()


@pytest.mark.parametrize("size", [(1366, 768), (1440, 900)])
def test_the_incoming_queue_is_in_view_and_the_clock_stays_there(browser, live_server, size):
    qid = ask(live_server, 1, "A question long enough to wrap on two lines in a narrow column?")
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    desk = context.new_page()
    try:
        desk.goto(f"{live_server.url}/moderate/{EVENT}?token={TOKEN}")
        card = desk.locator(f"ol[data-status=pending] li[data-id='{qid}']")
        card.wait_for()
        # Without scrolling: the heading and the first card's "Approve".
        approve = card.locator("button.act-approve").bounding_box()
        assert approve is not None
        assert approve["y"] + approve["height"] <= height
        assert desk.evaluate("document.documentElement.scrollWidth") <= width
        # Scrolled down to the screens: the countdown is still at the top of the window.
        desk.locator("#screens").scroll_into_view_if_needed()
        assert desk.evaluate("window.scrollY") > 0
        clock = desk.locator("#clock-countdown").bounding_box()
        assert clock is not None
        assert clock["y"] >= 0 and clock["y"] + clock["height"] <= 200
    finally:
        context.close()


def timer_index(server) -> int:
    return requests.get(f"{server.url}/api/events/{EVENT}/timer", timeout=10).json()[
        "segment_index"
    ]


def test_the_clock_asks_before_the_room_sees_a_change_and_shortcuts_can_be_turned_off(
    browser, live_server
):
    ask(live_server, 1)
    context, desk = open_dashboard(browser, live_server)
    try:
        desk.wait_for_selector("#segments li:nth-child(2) button")
        confirm = desk.locator("#clock-confirm")
        # "]" asks; Escape answers no, and the focus comes back where it was.
        desk.evaluate("document.activeElement.blur()")
        desk.keyboard.press("]")
        confirm.wait_for()
        assert focused(desk)["id"] == "clock-confirm-yes"
        desk.keyboard.press("Escape")
        confirm.wait_for(state="hidden")
        assert focused(desk)["id"] == "clock-panel"  # not on "Start", nor on <body>
        assert timer_index(live_server) == 0
        # A segment of the agenda asks too, naming it; "Yes" moves the room's clock.
        desk.locator("#segments li:nth-child(2) button").click()
        confirm.wait_for()
        assert "Discussion" in desk.locator("#clock-confirm-text").text_content()
        assert timer_index(live_server) == 0
        desk.locator("#clock-confirm-yes").click()
        wait_until(lambda: timer_index(live_server) == 1, message="the jump, once confirmed")
        # Typed into a field, the keys are text, never shortcuts.
        desk.locator("#search").focus()
        desk.keyboard.type("[ ]")
        assert confirm.is_hidden()
        # Switched off, no key does anything; the choice outlives a reload.
        desk.locator("#shortcuts-on").uncheck()
        desk.evaluate("document.activeElement.blur()")
        desk.keyboard.press("[")
        desk.keyboard.press("j")
        assert confirm.is_hidden()
        assert desk.locator("li.question.selected").count() == 0
        desk.reload()
        desk.wait_for_selector("ol[data-status=pending] li.question")
        assert not desk.locator("#shortcuts-on").is_checked()
        desk.keyboard.press("]")
        assert confirm.is_hidden()
        assert timer_index(live_server) == 1
    finally:
        context.close()


def test_a_screen_that_left_is_folded_away_from_the_screens_table(browser, live_server):
    context, desk = open_dashboard(browser, live_server)
    screen_context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        screen = screen_context.new_page()
        screen.goto(f"{live_server.url}/e/{EVENT}/screen")
        for _attempt in range(3):  # a screen that reconnected meanwhile shows a new code
            wait_until(lambda: len(screen.locator("#pairing-code").text_content() or "") == 6)
            desk.fill("#pair-code", screen.locator("#pairing-code").text_content() or "")
            desk.fill("#pair-label", "Back wall")
            desk.click("#pair-form button[type=submit]")
            try:
                wait_until(lambda: not screen.locator("#pairing").is_visible(), timeout=5)
                break
            except AssertionError:
                continue
        desk.wait_for_function(
            "document.querySelector('#screens th')?.textContent.startsWith('Back wall')"
        )
        screen_context.close()
        # Gone from the table, listed under a closed "Screens that left (1)".
        desk.wait_for_function(
            "!document.querySelector('#screens th')"
            " && document.getElementById('screens-left-summary').textContent"
            " === 'Screens that left (1)'",
            timeout=15_000,
        )
        assert not desk.locator("#screens-left-box").get_attribute("open")
        assert "Back wall" in desk.locator("#screens-left").text_content()
    finally:
        context.close()
