"""The Redis message queue between processes, as one process lives it (``message_queue.py``):
while it is unreachable the process serves its own clients and says so; when it is back, every
page of the process is told to fetch its state again. The outage under two real processes is in
``tests/scale/test_redis_outage.py``."""

import uuid

import pytest

from tests.fixtures.constants import EVENT
from tests.fixtures.helpers import pair_screen, received, submission, wait_until

# Nothing listens there: connecting is refused at once.
GONE = "redis://127.0.0.1:9/0"


@pytest.fixture
def queue_url():
    return GONE


@pytest.fixture
def config_class(config_class, queue_url):
    class WithQueue(config_class):
        SOCKETIO_MESSAGE_QUEUE = queue_url
        SOCKETIO_CHANNEL = f"test-{uuid.uuid4().hex[:8]}"
        MESSAGE_QUEUE_RETRY_MAX_MS = 200

    return WithQueue


def queue_of(app):
    from moderator import runtime

    return runtime.of(app).message_queue


@pytest.fixture
def hints(monkeypatch):
    """The resync hints the process sends its pages (each one's spread), recorded instead: the
    Socket.IO test client refuses a message queue; ``TestTheHint`` checks what pages get."""
    from moderator import fanout

    sent: list[int] = []
    monkeypatch.setattr(fanout, "resync_everyone", sent.append)
    return sent


def test_an_unreachable_queue_is_reported_with_since_when_and_the_process_still_serves(
    app, client, bearer, hints
):
    queue = queue_of(app)
    wait_until(lambda: queue.status()["state"] == "unreachable", message="the outage")
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "degraded"
    report = body["message_queue"]
    assert (report["ok"], report["state"], report["error"]) == (
        False,
        "unreachable",
        "ConnectionError",
    )
    assert report["unreachable_since"].endswith("+00:00")
    assert report["outages"] == 1

    # Requests keep working; what they announce is not published meanwhile, and never raises.
    response = client.post(f"/api/events/{EVENT}/questions", json=submission(1))
    assert response.status_code == 201, response.get_json()
    assert queue.status()["unpublished"] >= 1
    assert queue.status()["outages"] == 1  # one outage, however many messages
    assert hints == []  # nothing to catch up on while it is away


class TestWhenTheQueueReturns:
    @pytest.fixture
    def queue_url(self, redis_url):
        return redis_url

    def test_the_process_tells_its_pages_to_resync(self, app, client, hints):
        queue = queue_of(app)
        wait_until(lambda: queue.status()["state"] == "reachable", message="the subscription")
        assert client.get("/api/health").get_json()["status"] == "ok"

        # A publish that failed: the queue counts as unreachable until the listener has
        # subscribed again, then the process's pages fetch their state again.
        queue.lost(ConnectionError("publish failed"))
        assert client.get("/api/health").get_json()["message_queue"]["state"] == "unreachable"
        wait_until(lambda: hints, message="the resync hint")
        assert hints == [2000]
        report = client.get("/api/health").get_json()
        assert (report["status"], report["message_queue"]["state"]) == ("ok", "reachable")
        assert report["message_queue"]["unreachable_since"] is None
        assert report["message_queue"]["outages"] == 1

    def test_a_queue_that_stays_up_sends_no_resync(self, app, client, hints):
        queue = queue_of(app)
        wait_until(lambda: queue.status()["state"] == "reachable", message="the subscription")
        response = client.post(f"/api/events/{EVENT}/questions", json=submission(1))
        assert response.status_code == 201
        assert (hints, queue.status()["outages"], queue.status()["unpublished"]) == ([], 0, 0)


class TestTheHint:
    @pytest.fixture
    def queue_url(self):
        return None

    def test_reaches_every_page_of_the_process(self, app, attendee_socket, moderator_socket):
        from moderator import fanout

        attendee = attendee_socket("attendee-0001")
        screen = attendee_socket(None)
        for sock in (attendee, screen):
            sock.get_received("/")
        moderator_socket.get_received("/mod")
        fanout.resync_everyone(1500)
        assert received(attendee, "resync") == [{"spread_ms": 1500}]
        assert received(screen, "resync") == [{"spread_ms": 1500}]
        assert received(moderator_socket, "resync", "/mod") == [{"spread_ms": 1500}]

    def test_the_state_in_common_is_sent_again_to_every_room_of_the_process(
        self, app, client, bearer, attendee_socket, moderator_socket
    ):
        from moderator import fanout

        asked = client.post(f"/api/events/{EVENT}/questions", json=submission(1)).get_json()
        qid = asked["question"]["id"]
        approved = client.post(f"/api/events/{EVENT}/questions/{qid}/approve", headers=bearer)
        assert approved.status_code == 200
        attendee = attendee_socket("attendee-0001")
        screen, _screen_id, _token = pair_screen(app)
        for sock in (attendee, screen):
            sock.get_received("/")
        moderator_socket.get_received("/mod")

        fanout.resend_state(app)
        got = messages(attendee, "/")
        [public] = got["questions"]
        assert [(q["id"], q["status"]) for q in public] == [(qid, "approved")]
        assert "current_theme" in got
        assert "timer" not in got  # attendees get no timer messages
        got = messages(screen, "/")
        [timer] = got["timer"]
        assert timer["state"] == "idle"
        assert "display" in got
        got = messages(moderator_socket, "/mod")
        assert {"questions", "votes", "settings", "timer", "display"} <= set(got)
        [everything] = got["questions"]
        assert qid in [q["id"] for q in everything]

    def test_past_a_page_of_questions_moderators_get_them_from_their_own_paged_sync(
        self, app, client, moderator_socket
    ):
        from moderator import fanout

        app.config["SYNC_PAGE_SIZE"] = 2
        for n in range(3):
            assert (
                client.post(f"/api/events/{EVENT}/questions", json=submission(n)).status_code == 201
            )
        moderator_socket.get_received("/mod")
        fanout.resend_state(app)
        got = messages(moderator_socket, "/mod")
        assert {"settings", "timer", "display"} <= set(got)
        assert "questions" not in got and "votes" not in got


def messages(sock, namespace):
    """What ``sock`` received since last asked: payloads by message name."""
    got: dict[str, list] = {}
    for message in sock.get_received(namespace):
        got.setdefault(message["name"], []).append(message["args"][0])
    return got
