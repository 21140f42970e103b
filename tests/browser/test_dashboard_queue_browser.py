"""The dashboard with 10,000 pending questions, in Chromium: each click's effect appears, the
page holds a bounded number of cards, the counts are exact, and an update elsewhere leaves the
moderator's open menu, typed text and focus where they were. How fast: bench/dashboard_queue.py
(no test asserts a duration)."""

import pytest

from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.queue import fill_pending
from tests.fixtures.server import moderator_api

# Playwright's wait_for_function evaluates its string with eval, which the page's policy
# forbids; tests/browser/test_csp.py checks the policy.
LAPTOP = {"viewport": {"width": 1440, "height": 900}, "bypass_csp": True}
PENDING = 10_000
SHOWN = 25  # PAGE_SIZE in static/js/moderate.js

pytestmark = pytest.mark.browser


def count(column):
    return f"document.querySelector('[data-count={column}]').textContent"


def cards(column):
    return f"document.querySelectorAll('ol[data-status={column}] li.question')"


def card_state(desk, question_id: int) -> list:
    """Whether the question's card is the node marked earlier, its menu open, the text in its
    edit box, and whether that box has the focus."""
    return desk.evaluate(
        """(id) => {
            const row = document.querySelector(`li[data-id="${id}"]`);
            const box = document.getElementById(`edit-${id}`);
            return [row.marked === true, row.querySelector('details.more').open,
                    box.value, document.activeElement === box];
        }""",
        question_id,
    )


def test_ten_thousand_pending_questions_stay_bounded_exact_and_clickable(browser, live_server):
    ids = fill_pending(f"sqlite:///{live_server.instance / 'moderator.db'}", EVENT, PENDING)
    context = browser.new_context(**LAPTOP)
    try:
        desk = context.new_page()
        desk.goto(f"{live_server.url}/moderate/{EVENT}?token={TOKEN}")
        desk.wait_for_function(
            f"{count('pending')} === '{PENDING}' && {cards('pending')}.length > 0", timeout=30_000
        )
        assert desk.evaluate(f"{cards('pending')}.length") == SHOWN
        assert desk.evaluate("document.querySelectorAll('li.question').length") <= 6 * SHOWN
        assert "Showing 25 of 10000" in desk.locator("[data-more=pending]").text_content()

        # Approve the first question five times: each one leaves "incoming" for "approved",
        # the next one moves up, the counts follow exactly and the column stays at 25 cards.
        for k in range(1, 6):
            desk.locator("ol[data-status=pending] li.question").first.locator(
                "button.act-approve"
            ).click()
            desk.wait_for_function(
                f"{count('pending')} === '{PENDING - k}' && {count('approved')} === '{k}'"
                f" && {cards('pending')}[0].dataset.id === '{ids[k]}'"
                f" && !!document.querySelector("
                f"'ol[data-status=approved] li[data-id=\"{ids[k - 1]}\"]')",
                timeout=10_000,
            )
            assert desk.evaluate(f"{cards('pending')}.length") == SHOWN
        assert desk.evaluate("document.querySelectorAll('li.question').length") <= 6 * SHOWN

        # The moderator opens a card's menu further down and types; another moderator approves
        # the top question meanwhile. The card is the same node, still open, text and focus kept.
        row = desk.locator(f"li.question[data-id='{ids[20]}']")
        row.locator("details.more summary").click()
        row.locator(f"#edit-{ids[20]}").fill("A shorter wording, not saved yet")
        row.locator(f"#edit-{ids[20]}").focus()
        desk.evaluate(f"document.querySelector('li[data-id=\"{ids[20]}\"]').marked = true")
        moderator_api(live_server, "POST", f"/questions/{ids[5]}/approve")
        desk.wait_for_function(f"{count('pending')} === '{PENDING - 6}'", timeout=10_000)
        assert card_state(desk, ids[20]) == [True, True, "A shorter wording, not saved yet", True]

        # Now that very question changes (starred elsewhere): its card is rebuilt, and the new
        # card keeps the open menu, the unsaved text and the focus.
        moderator_api(live_server, "POST", f"/questions/{ids[20]}/star")
        desk.wait_for_function(
            f"document.querySelector('li[data-id=\"{ids[20]}\"]').classList.contains('starred')"
        )
        assert card_state(desk, ids[20]) == [False, True, "A shorter wording, not saved yet", True]

        # "Show more" adds the next 25; the search finds one question among 9,994.
        desk.locator("[data-more=pending] button.show-more").click()
        desk.wait_for_function(f"{cards('pending')}.length === {2 * SHOWN}")
        desk.fill("#search", "Pending question 7777:")
        desk.wait_for_function(f"{count('pending')} === '1' && {cards('pending')}.length === 1")
        assert desk.locator("ol[data-status=pending] li.question").get_attribute("data-id") == str(
            ids[7776]
        )
        desk.fill("#search", "")
        desk.wait_for_function(f"{count('pending')} === '{PENDING - 6}'")

        # From the keyboard: select the top card, "a" approves it and the selection moves down
        # to the next one, so a second "a" approves that.
        desk.locator("ol[data-status=pending] li.question").first.locator("p.text").click()
        for k in (7, 8):
            desk.keyboard.press("a")
            desk.wait_for_function(
                f"{count('pending')} === '{PENDING - k}' && {count('approved')} === '{k}'"
            )
        approved = desk.evaluate(
            "[...document.querySelectorAll('ol[data-status=approved] li.question')]"
            ".map(li => Number(li.dataset.id))"
        )
        assert set(approved) == set(ids[:8])
    finally:
        context.close()
