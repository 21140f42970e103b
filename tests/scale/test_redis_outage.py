"""Redis, the message queue between two server processes, goes away for a while (a
``redis-server`` of the test's own, killed and started again on the same port): each process
keeps serving its own clients and says so in its health report, and when Redis returns the
clients of the other process catch up from the database within 5 s, pages without a reload."""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import Listener, submission, wait_until
from tests.fixtures.server import ServerProcess
from tests.scale.test_outage import screen_matches_server

pytestmark = [pytest.mark.heavy, pytest.mark.browser]

AUTH = {"Authorization": f"Bearer {TOKEN}"}
# How long Redis stays away (the outage lasted 15 s).
OUTAGE_S = 12
# After Redis returns, the other process's clients show what changed within this (issue 9).
CATCH_UP_S = 5
ASKED_DURING = "Asked on process A while Redis was away"
DISMISSED_DURING = "Approved before the outage, dismissed during it"


def health(server) -> tuple[int, dict]:
    response = requests.get(f"{server.url}/api/health", timeout=5)
    return response.status_code, response.json()


def queue_state(server) -> str:
    return health(server)[1]["message_queue"].get("state", "")


def submit(asker: Listener, n: int, text: str) -> int:
    body = submission(n, text=text)
    body.pop("client_id")  # the server's identity is the one that counts
    reply = asker.call("submit", body)
    assert "error" not in reply, reply
    return reply["question"]["id"]


@pytest.fixture
def two_processes(tmp_path, postgres_url, own_redis):
    env = {
        "DATABASE_URL": postgres_url,
        "SOCKETIO_MESSAGE_QUEUE": own_redis.url,
        "SOCKETIO_CHANNEL": f"test-{uuid.uuid4().hex[:8]}",
    }
    servers = [ServerProcess(tmp_path / f"instance-{name}", env).launch() for name in "ab"]
    try:
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_each_process_serves_its_own_clients_during_a_redis_outage_and_all_catch_up_after(
    two_processes, own_redis, browser
):
    a, b = two_processes
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    listeners: list[Listener] = []
    try:
        asker = Listener(a.url, {"event": EVENT, "client_id": "asker-on-a-01"})
        moderator_a = Listener(a.url, {"event": EVENT, "token": TOKEN}, namespace="/mod")
        moderator_b = Listener(b.url, {"event": EVENT, "token": TOKEN}, namespace="/mod")
        watcher_b = Listener(b.url, {"event": EVENT, "client_id": "watcher-on-b-1"})
        listeners = [asker, moderator_a, moderator_b, watcher_b]
        hints: list[float] = []
        watcher_b.client.on("resync", lambda data: hints.append(time.monotonic()))
        attendee_b = context.new_page()
        attendee_b.goto(f"{b.url}/e/{EVENT}")
        screen_b = context.new_page()
        screen_b.goto(f"{b.url}/e/{EVENT}/screen")
        dashboard_b = context.new_page()
        dashboard_b.goto(f"{b.url}/moderate/{EVENT}?token={TOKEN}")
        pages = (attendee_b, screen_b, dashboard_b)
        for page in pages:
            page.wait_for_selector("#connection[data-state=online]", state="attached")
            # Gone if the page is ever loaded again: catching up must happen without a reload.
            page.evaluate("window.loadedOnce = true")

        # The queue works: a question asked and approved on A reaches B.
        before = submit(asker, 1, DISMISSED_DURING)
        moderator_b.next("question", where=lambda q: q["id"] == before)
        assert "error" not in moderator_a.call("act", {"id": before, "action": "approve"})
        attendee_b.wait_for_function(
            f"document.getElementById('public').textContent.includes({DISMISSED_DURING!r})",
            timeout=5000,
        )
        assert health(a)[1]["message_queue"]["state"] == "reachable"

        own_redis.kill()
        cut = time.monotonic()
        for server in (a, b):
            wait_until(
                lambda server=server: queue_state(server) == "unreachable",
                timeout=10,
                message=f"the health of {server.url} saying the queue is unreachable",
            )
        status, report = health(a)
        assert status == 200  # the process still serves its own clients
        assert report["status"] == "degraded"
        assert report["message_queue"]["ok"] is False
        assert report["message_queue"]["unreachable_since"]

        # Process A keeps serving its own clients: acknowledged at once, delivered directly.
        during = submit(asker, 2, ASKED_DURING)
        moderator_a.next("question", where=lambda q: q["id"] == during)
        approved = moderator_a.call("act", {"id": during, "action": "approve"})
        assert "error" not in approved, approved
        # Gone from the public list: only the page's own resync can tell it (what is resent to
        # every page at once adds and updates questions, never removes one).
        dismissed = moderator_a.call("act", {"id": before, "action": "dismiss"})
        assert "error" not in dismissed, dismissed
        asker.next("my_question", where=lambda q: q["id"] == during and q["status"] == "approved")
        started = requests.post(
            f"{a.url}/api/events/{EVENT}/timer", json={"action": "start"}, headers=AUTH, timeout=5
        )
        assert started.status_code == 200, started.text
        # Nothing of it could reach process B's clients meanwhile.
        assert not hints

        # The outage lasts its course (a duration, not a condition to wait for).
        time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - cut)))
        own_redis.start()
        back = time.monotonic()

        def left() -> float:
            return max(0.1, CATCH_UP_S - (time.monotonic() - back))

        # B tells its clients to fetch their state again; the database has A's changes.
        wait_until(lambda: hints, timeout=left(), message="the resync hint on B")
        synced = watcher_b.call("sync", {}, timeout=left())
        on_b = {q["id"]: q["status"] for q in synced["questions"]}
        assert on_b.get(during) == "approved", on_b
        watcher_caught_up = time.monotonic() - back
        # The pages on B do it by themselves.
        attendee_b.wait_for_function(
            f"document.getElementById('public').textContent.includes({ASKED_DURING!r})",
            timeout=left() * 1000,
        )
        page_caught_up = time.monotonic() - back
        attendee_b.wait_for_function(
            f"!document.getElementById('public').textContent.includes({DISMISSED_DURING!r})",
            timeout=left() * 1000,
        )
        page_resynced = time.monotonic() - back
        dashboard_b.wait_for_function(
            f"document.querySelector('.qlist[data-status=approved]').textContent.includes({ASKED_DURING!r})",
            timeout=left() * 1000,
        )
        dashboard_caught_up = time.monotonic() - back
        wait_until(
            lambda: screen_matches_server(b, screen_b),
            timeout=left(),
            message="the room screen on B showing the clock started on A",
        )
        screen_caught_up = time.monotonic() - back
        print(
            f"\nafter Redis returned: resync hint on B {hints[0] - back:.2f} s, "
            f"client synced {watcher_caught_up:.2f} s, attendee page {page_caught_up:.2f} s "
            f"(its own resync {page_resynced:.2f} s), "
            f"dashboard {dashboard_caught_up:.2f} s, room screen {screen_caught_up:.2f} s"
        )

        # New events flow across again.
        after = submit(asker, 3, "Asked on process A after the outage")
        moderator_b.next("question", where=lambda q: q["id"] == after)
        for server in (a, b):
            status, report = health(server)
            assert (status, report["status"], report["message_queue"]["state"]) == (
                200,
                "ok",
                "reachable",
            )
        for page in pages:
            assert page.evaluate("window.loadedOnce === true")
            assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    finally:
        for listener in listeners:
            listener.close()
        context.close()
