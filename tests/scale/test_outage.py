"""PostgreSQL goes away for a while under a real server (python -m moderator on a database of
its own, refused by PostgreSQL with ALLOW_CONNECTIONS false): every request and message is
answered "unavailable", the pages keep what they hold and come back by themselves, and when the
database returns everything works again without a restart of anything but what was killed."""

from __future__ import annotations

import time

import pytest
import requests

from tests.fixtures.constants import EVENT, THEME, TOKEN
from tests.fixtures.helpers import Listener, submission, wait_until
from tests.fixtures.server import ServerProcess

AUTH = {"Authorization": f"Bearer {TOKEN}"}
OUTBOX = f"localStorage.getItem('moderator:{EVENT}:outbox')"
# How long the database stays away (the outage lasted 20 s).
OUTAGE_S = 16
# After the database's return, the room screen must show the server's clock within this.
BACK_WITHIN_S = 10


def api(server, method, path, **kwargs):
    return requests.request(
        method, f"{server.url}/api/events/{EVENT}{path}", headers=AUTH, timeout=5, **kwargs
    )


def displayed_seconds(text: str) -> int:
    """``"9:59"`` -> 599 (the room screen's countdown, not in overtime)."""
    minutes, seconds = text.strip().split(":")[-2:]
    return int(minutes) * 60 + int(seconds)


def screen_matches_server(server, screen) -> float | None:
    """The difference in seconds between the screen and the server's remaining time, if the
    screen is within 1 s of it (``remaining_ms`` shown as the screen rounds it: whole seconds
    up)."""
    try:
        remaining_ms = api(server, "GET", "/timer").json()["remaining_ms"]
    except (requests.RequestException, ValueError, KeyError):
        return None
    text = screen.text_content("#countdown") or ""
    if ":" not in text or text.startswith(("+", "-")):  # overtime, or "--:--" before any state
        return None
    difference = displayed_seconds(text) - -(-remaining_ms // 1000)
    return abs(difference) + 0.001 if abs(difference) <= 1 else None


def stored_texts(server) -> list[str]:
    return [q["text"] for q in api(server, "GET", "/questions").json()["questions"]]


@pytest.mark.browser
def test_pages_keep_what_they_hold_and_come_back_after_a_database_outage(
    browser, postgres_outage, tmp_path
):
    url, outage = postgres_outage
    server = ServerProcess(tmp_path / "instance", {"DATABASE_URL": url}).start()
    # wait_for_function evaluates strings, which the pages' CSP forbids (tests/browser/test_csp.py
    # checks the pages under the policy).
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    try:
        attendee = context.new_page()
        attendee.goto(f"{server.url}/e/{EVENT}")
        screen = context.new_page()
        screen.goto(f"{server.url}/e/{EVENT}/screen")
        for page in (attendee, screen):
            page.wait_for_selector("#connection[data-state=online]", state="attached")
            # Gone if the page is ever loaded again: recovery must happen without a reload.
            page.evaluate("window.loadedOnce = true")
        assert api(server, "POST", "/timer", json={"action": "start"}).status_code == 200
        wait_until(lambda: screen_matches_server(server, screen), message="the screen's clock")

        outage.begin()
        cut = time.monotonic()
        # Questions sent while the database is away are kept, marked as waiting, not dropped.
        attendee.click(f"label[for=theme-{THEME}]")
        for text in ("First question during the outage", "Second question during the outage"):
            attendee.fill("#text", text)
            attendee.click("#send")
        attendee.wait_for_function(
            "document.querySelectorAll('#mine [data-outbox=waiting]').length === 2",
            timeout=10_000,
        )
        assert "Second question during the outage" in attendee.evaluate(OUTBOX)

        # The screen's connection drops while the server is up: its reconnection is refused
        # ("unavailable"), which socket.io-client alone never retries.
        screen.evaluate("window.serverTime.socket.io.engine.close()")
        screen.wait_for_function(
            "document.getElementById('connection').dataset.state === 'offline'"
            " && /unavailable/i.test(document.getElementById('connection').textContent)",
            timeout=10_000,
        )
        # Then the server dies: every page's connection drops, and its next attempts fail.
        server.kill()
        attendee.wait_for_selector("#connection[data-state=offline]", timeout=10_000)
        # The outage lasts its course (a duration, not a condition to wait for).
        time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - cut)))

        outage.end()
        back = time.monotonic()
        server.start()  # it cannot start while its database is refused
        started = time.monotonic() - back
        # The clock changes now: a screen that did not resync would show the old time.
        assert api(server, "POST", "/timer", json={"action": "adjust", "seconds": 120}).ok
        wait_until(
            lambda: screen_matches_server(server, screen),
            timeout=BACK_WITHIN_S - (time.monotonic() - back),
            message="the room screen showing the server's clock again",
        )
        screen_back = time.monotonic() - back
        print(
            f"\nserver accepting {started:.1f} s and the room screen right again "
            f"{screen_back:.1f} s after the database returned"
        )

        wait_until(
            lambda: (
                sorted(stored_texts(server))
                == ["First question during the outage", "Second question during the outage"]
            ),
            timeout=20,
            message="both questions stored exactly once",
        )
        attendee.wait_for_function(
            "document.querySelectorAll('#mine .status-pending').length === 2"
            " && !document.querySelector('#mine .status-sending')",
            timeout=10_000,
        )
        assert attendee.evaluate(OUTBOX) == "[]"
        print(f"attendee's questions shown as sent {time.monotonic() - back:.1f} s after")
        for page in (attendee, screen):
            assert page.evaluate("window.loadedOnce === true")
            assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
        assert sorted(stored_texts(server)) == [
            "First question during the outage",
            "Second question during the outage",
        ]
    finally:
        context.close()
        server.stop()


def refusal_of(server, auth, namespace="/"):
    """Connect with python-socketio; the ``connect_error`` data, or None if it connected."""
    import socketio

    client = socketio.Client(reconnection=False)
    refused = []
    client.on("connect_error", refused.append, namespace=namespace)
    try:
        client.connect(server.url, auth=auth, namespaces=[namespace], transports=["websocket"])
    except socketio.exceptions.ConnectionError:
        return refused[0] if refused else {"message": "no answer"}
    client.disconnect()
    return None


def test_every_request_and_message_is_unavailable_during_an_outage_and_works_after(
    postgres_outage, tmp_path
):
    url, outage = postgres_outage
    # Vote counts go out 1.5 s after a vote: the count of a vote acknowledged just before the
    # cut is due while the database is away.
    server = ServerProcess(
        tmp_path / "instance", {"DATABASE_URL": url, "VOTE_BROADCAST_INTERVAL_MS": "1500"}
    ).start()
    listeners = []
    try:
        qid = api(server, "POST", "/questions", json=submission(1)).json()["question"]["id"]
        api(server, "POST", f"/questions/{qid}/approve")
        asker = Listener(server.url, {"event": EVENT, "client_id": "asker-00001"})
        watcher = Listener(server.url, {"event": EVENT, "client_id": "watcher-0001"})
        screen = Listener(server.url, {"event": EVENT, "role": "screen"})
        moderator = Listener(server.url, {"event": EVENT, "token": TOKEN}, namespace="/mod")
        listeners = [asker, watcher, screen, moderator]
        counts = []
        watcher.client.on("votes", lambda data: counts.append((time.monotonic(), data)))

        assert asker.call("vote", {"id": qid})["question"]["votes"] == 1
        outage.begin()
        cut = time.monotonic()

        for method, path in [("GET", "/questions"), ("GET", "/timer")]:
            response = api(server, method, path)
            assert (response.status_code, response.json()["error"]["code"]) == (503, "unavailable")
        response = api(server, "POST", "/questions", json=submission(2))
        assert (response.status_code, response.json()["error"]["code"]) == (503, "unavailable")
        assert asker.call("sync", {})["error"]["code"] == "unavailable"
        assert screen.call("screen_state", {})["error"]["code"] == "unavailable"
        assert moderator.call("sync", {})["error"]["code"] == "unavailable"
        assert asker.call("submit", submission(3))["error"]["code"] == "unavailable"
        assert watcher.call("vote", {"id": qid}, timeout=40)["error"]["code"] in (
            "unavailable",
            "vote_failed",
        )
        for auth, namespace in [
            ({"event": EVENT, "client_id": "newcomer-001"}, "/"),
            ({"event": EVENT, "role": "screen", "screen_id": "screen-00001"}, "/"),
            ({"event": EVENT, "token": TOKEN}, "/mod"),
        ]:
            refused = refusal_of(server, auth, namespace)
            assert refused is not None and refused["data"]["code"] == "unavailable", refused

        outage.end()
        back = time.monotonic()
        # The count acknowledged before the cut goes out once the database is back.
        wait_until(
            lambda: any(at > cut and d["counts"].get(str(qid)) == 1 for at, d in counts),
            timeout=15,
            message="the vote count sent again after the outage",
        )
        # Everything works again, on the same process and the same connections.
        wait_until(lambda: api(server, "GET", "/timer").ok, timeout=10, message="HTTP back")
        assert back - cut > 0
        assert "questions" in asker.call("sync", {})
        assert "timer" in screen.call("screen_state", {})
        assert asker.call("submit", submission(3))["created"] is True
        assert watcher.call("vote", {"id": qid})["question"]["votes"] == 2
        assert refusal_of(server, {"event": EVENT, "client_id": "newcomer-001"}) is None
        texts = stored_texts(server)
        assert sorted(texts) == ["Question number 1?", "Question number 3?"]
    finally:
        for listener in listeners:
            listener.close()
        server.stop()
