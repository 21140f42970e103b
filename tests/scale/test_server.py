"""End to end against a real eventlet server in a subprocess, with python-socketio clients."""

import socket

import requests
import socketio

from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import Listener, submission
from tests.fixtures.server import ServerProcess


def attendee(server, client_id="attendee-e2e-1"):
    return Listener(server.url, {"event": EVENT, "client_id": client_id})


def moderator(server):
    return Listener(server.url, {"event": EVENT, "token": TOKEN}, namespace="/mod")


def test_attendee_submits_moderator_approves_attendee_sees_it(live_server):
    asker, mod, other = (
        attendee(live_server),
        moderator(live_server),
        attendee(live_server, "attendee-e2e-2"),
    )
    try:
        body = submission(1, text="How do exchanges build trust?")
        body.pop("client_id")
        ack = asker.call("submit", body)
        qid = ack["question"]["id"]
        # It reaches the moderator by itself, without asking; how fast is bench/'s to measure.
        arrived, _ = mod.next("question", timeout=30, where=lambda q: q["id"] == qid)
        assert arrived["status"] == "pending"

        assert mod.call("act", {"id": qid, "action": "approve"})["question"]["status"] == "approved"
        mine, _ = asker.next("my_question", where=lambda q: q["status"] != "pending")
        assert (mine["id"], mine["status"]) == (qid, "approved")
        public, _ = other.next("question", where=lambda q: q["id"] == qid)
        assert public["text"] == "How do exchanges build trust?"

        mod.call("act", {"id": qid, "action": "live"})
        assert asker.next("my_question", where=lambda q: q["status"] == "live")
    finally:
        for client in (asker, mod, other):
            client.close()


def test_an_acknowledged_question_survives_kill_9(tmp_path):
    # One attendee sends twenty: lift the per-minute limit for this test.
    server = ServerProcess(tmp_path / "instance", {"QUESTIONS_PER_MINUTE": "100"}).start()
    try:
        asker = attendee(server)
        acked = []
        for n in range(1, 21):
            body = submission(n, text=f"Question {n} before the crash")
            body.pop("client_id")
            acked.append(asker.call("submit", body)["question"]["id"])
        server.kill()  # right after the last acknowledgement, no clean shutdown
        asker.client.disconnect()
        server.start()
        stored = requests.get(
            f"{server.url}/api/events/{EVENT}/questions",
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=5,
        ).json()
        assert [q["id"] for q in stored["questions"]] == acked
        # A resend after the restart is recognised, not duplicated.
        again = attendee(server)
        body = submission(20, text="Question 20 before the crash")
        body.pop("client_id")
        ack = again.call("submit", body)
        assert ack["created"] is False and ack["question"]["id"] == acked[-1]
        again.close()
    finally:
        server.stop()


def test_the_1025th_connection_is_served(live_server):
    # eventlet.wsgi stops accepting past max_size (1,024 unless raised); MAX_CONNECTIONS raises it.
    idle = []
    try:
        for _ in range(1100):
            conn = socket.create_connection(("127.0.0.1", live_server.port), timeout=5)
            conn.sendall(b"GET /api/events HTTP/1.1\r\nHost: localhost\r\n")  # headers unfinished
            idle.append(conn)
        response = requests.get(f"{live_server.url}/api/events/{EVENT}", timeout=10)
        assert response.status_code == 200
    finally:
        for conn in idle:
            conn.close()


def test_a_socket_from_another_origin_is_refused(live_server):
    # Origin checking stays on: a page elsewhere cannot open a socket as the attendee's browser.
    # (Polling, because the websocket client library adds an Origin header of its own.)
    intruder = socketio.Client(reconnection=False)
    try:
        intruder.connect(
            live_server.url,
            auth={"event": EVENT, "client_id": "intruder-001"},
            headers={"Origin": "http://evil.example"},
            transports=["polling"],
            wait_timeout=5,
        )
    except socketio.exceptions.ConnectionError:
        pass
    assert not intruder.connected
    same_origin = socketio.Client(reconnection=False)
    same_origin.connect(
        live_server.url,
        auth={"event": EVENT, "client_id": "friendly-001"},
        headers={"Origin": live_server.url},
        transports=["polling"],
        wait_timeout=5,
    )
    assert same_origin.connected
    same_origin.disconnect()
