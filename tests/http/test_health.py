"""``GET /api/health`` for monitoring, and the refusal log (``moderator.refusals``): one line per
refused request or message, by kind, without personal data."""

import logging

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import submission, wait_until

WORKERS = {"ballot_box", "vote_relay", "login_watch"}
SECRET_TEXT = "my phone number is 555-0199"
CLIENT_ID = "attendee-secret-4242"


def test_health_answers_without_login(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert isinstance(body["database"]["latency_ms"], int | float)
    assert body["message_queue"] == {"configured": False, "ok": None}
    assert body["connections"] == {"attendees": 0, "screens": 0, "moderators": 0}
    assert set(body["tasks"]) == WORKERS
    for worker in body["tasks"].values():
        assert worker == {"running": False, "restarts": 0, "last_error": None}
    assert response.headers["Cache-Control"] == "no-store"


def test_health_counts_this_process_connections_and_names_no_one(app, client, moderator_socket):
    from moderator.extensions import socketio

    attendees = [
        socketio.test_client(app, auth={"event": EVENT, "client_id": f"{CLIENT_ID}-{n}"})
        for n in range(2)
    ]
    screen = socketio.test_client(
        app, auth={"event": EVENT, "role": "screen", "screen_id": "screen-0001", "label": "Left"}
    )
    try:
        body = client.get("/api/health").get_json()
        assert body["connections"] == {"attendees": 2, "screens": 1, "moderators": 1}
        assert CLIENT_ID not in str(body) and "Left" not in str(body)
        attendees[0].disconnect()
        body = client.get("/api/health").get_json()
        assert body["connections"] == {"attendees": 1, "screens": 1, "moderators": 1}
    finally:
        for sock in [*attendees, screen]:
            if sock.is_connected():
                sock.disconnect()


def test_health_is_degraded_with_503_when_the_database_does_not_answer(app, client):
    from moderator import runtime

    database = runtime.of(app).database
    database.dispose()
    # A PostgreSQL server that is not there: the connection is refused at once.
    database.engine = create_engine(
        "postgresql+psycopg2://postgres@127.0.0.1:9/gone", connect_args={"connect_timeout": 2}
    )
    database._sessions = sessionmaker(database.engine)
    response = client.get("/api/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["database"] == {"ok": False, "latency_ms": None, "error": "OperationalError"}
    assert set(body["tasks"]) == WORKERS
    assert "connections" in body and "message_queue" in body


def test_health_pings_the_message_queue(app, client, redis_url):
    app.config["SOCKETIO_MESSAGE_QUEUE"] = redis_url
    body = client.get("/api/health").get_json()
    assert body["message_queue"]["configured"] is True
    assert body["message_queue"]["ok"] is True
    assert body["status"] == "ok"


def test_an_unreachable_message_queue_is_degraded_but_the_process_still_serves(app, client):
    app.config["SOCKETIO_MESSAGE_QUEUE"] = "redis://127.0.0.1:9/0"
    response = client.get("/api/health")
    assert response.status_code == 200  # this process still serves its own clients
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["message_queue"]["ok"] is False
    assert body["message_queue"]["error"] == "ConnectionError"


def test_a_worker_that_died_shows_its_restarts_and_the_type_of_its_error(app, client, monkeypatch):
    from moderator import runtime

    relay = runtime.of(app).vote_relay
    work = iter([True])  # one round of work, then idle again
    monkeypatch.setattr(relay, "has_work", lambda: next(work, False))

    def step():
        raise RuntimeError(SECRET_TEXT)

    monkeypatch.setattr(relay, "step", step)
    relay.wake()
    wait_until(lambda: relay.restarts == 1, message="the relay's restart")
    wait_until(lambda: not relay.running, message="the relay idle again after its restart")
    body = client.get("/api/health").get_json()
    assert body["tasks"]["vote_relay"] == {
        "running": False,
        "restarts": 1,
        "last_error": "RuntimeError",
    }
    assert SECRET_TEXT not in str(body)


# --- The refusal log ---------------------------------------------------------------------------


@pytest.fixture
def refusals(caplog):
    caplog.set_level(logging.INFO, logger="moderator.refusals")

    def lines():
        return [r.getMessage() for r in caplog.records if r.name == "moderator.refusals"]

    return lines


def fields(line: str) -> dict[str, str]:
    pairs = [pair.split("=", 1) for pair in line.split(" ")]
    assert all(len(pair) == 2 for pair in pairs), line
    return dict(pairs)


def test_an_http_refusal_is_one_line_by_kind_without_personal_data(client, refusals):
    response = client.post(
        f"/api/events/{EVENT}/questions",
        json=submission(1, text=SECRET_TEXT * 20, client_id=CLIENT_ID),
    )
    assert response.status_code == 400
    code = response.get_json()["error"]["code"]
    [line] = refusals()
    assert fields(line) == {
        "transport": "http",
        "method": "POST",
        "path": "/api/events/<code>/questions",
        "code": code,
        "status": "400",
    }
    assert CLIENT_ID not in line and "555" not in line and EVENT not in line


def test_a_socket_refusal_is_one_line_by_kind_without_personal_data(attendee_socket, refusals):
    sock = attendee_socket(CLIENT_ID)
    body = submission(1, text=SECRET_TEXT * 20)
    body.pop("client_id")
    ack = sock.emit("submit", body, callback=True)
    code = ack["error"]["code"]
    [line] = refusals()
    assert fields(line) == {
        "transport": "socket",
        "namespace": "/",
        "message": "submit",
        "code": code,
        "status": "400",
    }
    assert CLIENT_ID not in line and "555" not in line


def test_page_refusals_name_the_route_not_the_url(client, refusals):
    assert client.get("/e/no-such-event-4242").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    assert client.get(f"/moderate/{EVENT}?token=wrong-guess").status_code == 403
    assert [fields(line) for line in refusals()] == [
        {"transport": "http", "method": "GET", "path": "/e/<code>", "code": "not_found",
         "status": "404"},
        {"transport": "http", "method": "GET", "path": "-", "code": "not_found", "status": "404"},
        {"transport": "http", "method": "GET", "path": "/moderate/<code>", "code": "wrong_token",
         "status": "403"},
    ]  # fmt: skip
    assert "4242" not in str(refusals()) and "wrong-guess" not in str(refusals())


def test_accepted_requests_and_messages_are_not_logged(client, attendee_socket, refusals):
    assert client.get(f"/moderate/{EVENT}?token={TOKEN}").status_code == 302
    assert client.post(f"/api/events/{EVENT}/questions", json=submission(1)).status_code == 201
    body = submission(2)
    body.pop("client_id")
    assert "error" not in attendee_socket().emit("submit", body, callback=True)
    assert refusals() == []
