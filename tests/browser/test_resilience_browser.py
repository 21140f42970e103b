"""What the attendee page holds when the server cannot take it: a refusal of the question itself
gives the text back, a vote clicked while the server is away stays pending and is sent when it
returns; the dashboard comes back by itself after the server restarts."""

import pytest
import requests

from tests.fixtures.constants import EVENT, THEME, TOKEN
from tests.fixtures.helpers import submission, wait_until
from tests.fixtures.server import ServerProcess

pytestmark = pytest.mark.browser
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def open_page(browser, server, path):
    # wait_for_function evaluates strings, which the pages' CSP forbids (tests/browser/test_csp.py
    # checks the pages under the policy).
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.goto(server.url + path)
    page.wait_for_selector("#connection[data-state=online]", state="attached")
    return context, page


def test_a_refused_question_goes_back_into_the_form(browser, live_server):
    context, page = open_page(browser, live_server, f"/e/{EVENT}")
    try:
        # A theme the event does not have: the server refuses the question itself.
        page.evaluate(f"document.getElementById('theme-{THEME}').value = 'no-such-theme'")
        page.click(f"label[for=theme-{THEME}]")
        page.fill("#text", "A question with a theme that is not there")
        page.click("#send")
        page.wait_for_function("document.getElementById('form-status').dataset.kind === 'error'")
        assert "no-such-theme" in page.text_content("#form-status")
        assert page.input_value("#text") == "A question with a theme that is not there"
        assert page.evaluate(f"localStorage.getItem('moderator:{EVENT}:outbox')") == "[]"
        assert page.locator("#mine .status-sending").count() == 0
    finally:
        context.close()


def test_a_vote_clicked_while_the_server_is_away_is_sent_when_it_returns(browser, tmp_path):
    server = ServerProcess(tmp_path / "instance").start()
    url = f"{server.url}/api/events/{EVENT}/questions"
    qid = requests.post(url, json=submission(1), timeout=5).json()["question"]["id"]
    requests.post(f"{url}/{qid}/approve", headers=AUTH, timeout=5).raise_for_status()
    context, page = open_page(browser, server, f"/e/{EVENT}")
    try:
        page.wait_for_selector("#public button.vote")
        server.kill()
        page.wait_for_selector("#connection[data-state=offline]")
        page.click("#public button.vote")
        page.wait_for_selector("#public button.vote[aria-busy=true][aria-pressed=true]")
        server.start()
        page.wait_for_selector(
            "#public button.vote:not([aria-busy])[aria-pressed=true]", timeout=20_000
        )
        [question] = requests.get(url, headers=AUTH, timeout=5).json()["questions"]
        assert question["votes"] == 1
    finally:
        context.close()
        server.stop()


def test_the_dashboard_and_stage_monitor_resync_after_a_restart(browser, tmp_path):
    server = ServerProcess(tmp_path / "instance").start()
    dashboard_context, dashboard = open_page(browser, server, f"/moderate/{EVENT}?token={TOKEN}")
    stage_context, stage = open_page(browser, server, f"/e/{EVENT}/stage")
    try:
        for page in (dashboard, stage):
            page.evaluate("window.loadedOnce = true")
        server.kill()
        stage.wait_for_selector("#connection[data-state=offline]", state="attached")
        server.start()
        # Changed as the server comes back, before or after the pages are: shown either way.
        requests.post(
            f"{server.url}/api/events/{EVENT}/display",
            json={"action": "message", "text": "Two minutes"},
            headers=AUTH,
            timeout=5,
        ).raise_for_status()
        requests.post(
            f"{server.url}/api/events/{EVENT}/questions", json=submission(1), timeout=5
        ).raise_for_status()
        stage.wait_for_function(
            "document.getElementById('message').textContent === 'Two minutes'", timeout=15_000
        )
        wait_until(
            lambda: dashboard.locator("li.question").count() >= 1,
            timeout=15,
            message="the question on the dashboard",
        )
        for page in (dashboard, stage):
            assert page.evaluate("window.loadedOnce === true")
    finally:
        dashboard_context.close()
        stage_context.close()
        server.stop()
