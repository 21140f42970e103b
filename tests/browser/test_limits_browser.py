"""Past a rate limit the attendee page waits and sends again instead of dropping anything: a
question refused ``rate_limited`` stays in the outbox (localStorage) with "Sending again in N s"
and is stored after the wait; a vote likewise. Limits and window are small for the test."""

from __future__ import annotations

import json
import time

import pytest
import requests

from tests.fixtures.constants import EVENT, THEME, TOKEN
from tests.fixtures.helpers import submission, wait_until
from tests.fixtures.server import ServerProcess

pytestmark = pytest.mark.browser
AUTH = {"Authorization": f"Bearer {TOKEN}"}
WINDOW_S = 4


@pytest.fixture
def limited_server(tmp_path):
    server = ServerProcess(
        tmp_path / "instance",
        {
            "RATE_LIMIT_WINDOW_S": str(WINDOW_S),
            "QUESTIONS_PER_ADDRESS": "1",
            "VOTES_PER_PERSON": "1",
        },
    ).start()
    yield server
    server.stop()


def open_page(browser, server):
    # bypass_csp: wait_for_function evaluates strings, which the page's policy forbids.
    context = browser.new_context(viewport={"width": 420, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server.url}/e/{EVENT}")
    page.wait_for_selector("#connection[data-state=online]", state="attached")
    return context, page


def early_in_a_window() -> None:
    """Wait for the start of a limit window (the server's and this machine's clock are one),
    so that two sends in a row fall in the same window."""
    wait_until(
        lambda: time.time() % WINDOW_S < 1.0, timeout=WINDOW_S + 1, message="a window's start"
    )


def outbox(page) -> list[dict]:
    return json.loads(page.evaluate(f"localStorage.getItem('moderator:{EVENT}:outbox')") or "[]")


def ask(page, text: str) -> None:
    page.click(f"label[for=theme-{THEME}]")
    page.fill("#text", text)
    page.click("#send")


def test_a_question_refused_for_its_rate_stays_in_the_outbox_and_is_stored_after_the_wait(
    browser, limited_server
):
    context, page = open_page(browser, limited_server)
    try:
        early_in_a_window()
        ask(page, "The first question of this address")
        page.wait_for_function("document.getElementById('form-status').dataset.kind === 'ok'")
        ask(page, "The second question, past the address's limit")
        page.wait_for_function("document.getElementById('form-status').dataset.kind === 'wait'")
        assert page.text_content("#form-status").startswith("Sending again in ")
        assert [e["text"] for e in outbox(page)] == [
            "The second question, past the address's limit"
        ]
        assert page.locator("#mine [data-outbox=waiting]").count() == 1
        # After the wait it goes again by itself and is stored, once.
        page.wait_for_function(
            f"localStorage.getItem('moderator:{EVENT}:outbox') === '[]'",
            timeout=(WINDOW_S + 10) * 1000,
        )
        stored = requests.get(
            f"{limited_server.url}/api/events/{EVENT}/questions", headers=AUTH, timeout=5
        ).json()["questions"]
        assert sorted(q["text"] for q in stored) == [
            "The first question of this address",
            "The second question, past the address's limit",
        ]
    finally:
        context.close()


def test_a_vote_refused_for_its_rate_stays_pending_and_is_sent_after_the_wait(
    browser, limited_server
):
    url = f"{limited_server.url}/api/events/{EVENT}/questions"
    qid = requests.post(url, json=submission(1), timeout=5).json()["question"]["id"]
    requests.post(f"{url}/{qid}/approve", headers=AUTH, timeout=5).raise_for_status()
    context, page = open_page(browser, limited_server)
    try:
        page.wait_for_selector("#public button.vote")
        early_in_a_window()
        page.click("#public button.vote")
        page.wait_for_selector("#public button.vote:not([aria-busy])[aria-pressed=true]")
        page.click("#public button.vote")  # taken back: one vote a window here
        page.wait_for_function("document.getElementById('form-status').dataset.kind === 'wait'")
        page.wait_for_selector("#public button.vote[aria-busy=true][aria-pressed=false]")
        page.wait_for_selector(
            "#public button.vote:not([aria-busy])[aria-pressed=false]",
            timeout=(WINDOW_S + 10) * 1000,
        )
        [question] = requests.get(url, headers=AUTH, timeout=5).json()["questions"]
        assert question["votes"] == 0
    finally:
        context.close()
