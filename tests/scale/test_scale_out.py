"""Two server processes on one PostgreSQL database and one Redis message queue are one system:
an attendee on one and a moderator on the other see each other's actions, and the clock, votes,
rate limits and the live question are the same everywhere."""

import uuid

import pytest
import requests

from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import Listener, submission, wait_until
from tests.fixtures.server import ServerProcess

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def two_processes(tmp_path, postgres_url, redis_url):
    env = {
        "DATABASE_URL": postgres_url,
        "SOCKETIO_MESSAGE_QUEUE": redis_url,
        "SOCKETIO_CHANNEL": f"test-{uuid.uuid4().hex[:8]}",
        "QUESTIONS_PER_MINUTE": "3",
    }
    # Started together on an empty database: they must agree on who migrates it.
    servers = [ServerProcess(tmp_path / f"instance-{name}", env).launch() for name in "ab"]
    try:
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()


def attendee(server, client_id, via="online"):
    return Listener(server.url, {"event": EVENT, "client_id": client_id, "via": via})


def test_an_attendee_on_one_process_and_a_moderator_on_the_other(two_processes):
    a, b = two_processes
    asker, watcher = attendee(a, "asker-on-a-01"), attendee(b, "watcher-on-b-1", "room")
    moderator = Listener(b.url, {"event": EVENT, "token": TOKEN}, namespace="/mod")
    votes_seen = []
    watcher.client.on("votes", votes_seen.append)
    try:
        body = submission(1, text="Asked on process A")
        body.pop("client_id")
        qid = asker.call("submit", body)["question"]["id"]
        arrived, _ = moderator.next("question", where=lambda q: q["id"] == qid)
        assert arrived["text"] == "Asked on process A"

        moderator.call("act", {"id": qid, "action": "approve"})
        mine, _ = asker.next("my_question", where=lambda q: q["status"] == "approved")
        assert mine["id"] == qid
        public, _ = watcher.next("question", where=lambda q: q["id"] == qid)
        assert public["status"] == "approved"

        # Votes cast on B reach the attendee on A, and the other way round.
        assert watcher.call("vote", {"id": qid})["question"]["votes"] == 1
        assert asker.call("vote", {"id": qid})["question"]["votes"] == 2
        wait_until(
            lambda: votes_seen and votes_seen[-1]["counts"][str(qid)] == 2,
            message="the final count on B",
        )

        # The live question, put on screen through A, is the one B shows.
        requests.post(f"{a.url}/api/events/{EVENT}/questions/{qid}/live", headers=AUTH, timeout=5)
        on_b = requests.get(f"{b.url}/api/events/{EVENT}/questions", timeout=5).json()["questions"]
        assert [q["id"] for q in on_b if q["status"] == "live"] == [qid]
    finally:
        for client in (asker, watcher, moderator):
            client.close()


def test_the_clock_is_the_same_on_both_processes(two_processes):
    a, b = two_processes
    screen = Listener(a.url, {"event": EVENT, "role": "screen"})
    timers = []
    screen.client.on("timer", timers.append)
    try:
        started = requests.post(
            f"{b.url}/api/events/{EVENT}/timer", json={"action": "start"}, headers=AUTH, timeout=5
        ).json()
        wait_until(
            lambda: timers and timers[-1]["state"] == "running",
            message="the screen on A hears B's start",
        )
        on_a = requests.get(f"{a.url}/api/events/{EVENT}/timer", timeout=5).json()
        assert (on_a["state"], on_a["started_ms"]) == ("running", started["started_ms"])
        requests.post(
            f"{a.url}/api/events/{EVENT}/timer",
            json={"action": "adjust", "seconds": 60},
            headers=AUTH,
            timeout=5,
        )
        assert requests.get(f"{b.url}/api/events/{EVENT}/timer", timeout=5).json()["added_ms"] == (
            60_000
        )
    finally:
        screen.close()


def test_the_rate_limit_counts_across_processes(two_processes):
    a, b = two_processes
    url = f"/api/events/{EVENT}/questions"
    statuses = [
        requests.post(
            f"{server.url}{url}", timeout=5, json=submission(n, client_id="busy-attendee")
        ).status_code
        for n, server in enumerate([a, b, a, b])
    ]
    assert statuses == [201, 201, 201, 429]
