"""Attendee identity is the server's: a signed cookie from the attendee page, never what a
client says about itself; new identities are limited per network address."""

from __future__ import annotations

import pytest

from moderator import runtime
from moderator.core.clock import FakeClock
from moderator.extensions import socketio
from tests.fixtures.constants import EVENT, THEME, TOKEN
from tests.fixtures.helpers import browser_at, submission

BASE = f"/api/events/{EVENT}"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def config_class(config_class):
    class Limited(config_class):
        ATTENDEES_PER_ADDRESS = 5
        QUESTIONS_PER_MINUTE = 3

    return Limited


@pytest.fixture
def clock(app):
    """The app's clock, moved by the test."""
    fake = FakeClock()
    runtime.of(app).clock = fake
    return fake


def stored(client) -> list[dict]:
    return client.get(f"{BASE}/export.json", headers=BEARER).get_json()["questions"]


def approve(client, qid: int) -> None:
    assert client.post(f"{BASE}/questions/{qid}/approve", headers=BEARER).status_code == 200


def test_the_attendee_page_issues_a_signed_identity_cookie(app):
    browser = browser_at(app, "127.0.0.10")
    response = browser.get(f"/e/{EVENT}")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("attendee=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # A second visit keeps it.
    assert "Set-Cookie" not in browser.get(f"/e/{EVENT}").headers


def test_with_the_cookie_the_client_id_in_the_body_is_ignored(app):
    browser = browser_at(app, "127.0.0.11")
    browser.get(f"/e/{EVENT}")
    for n, claimed in enumerate(["someone-elses-id", "yet-another-id1", "and-a-third-one"]):
        response = browser.post(f"{BASE}/questions", json=submission(n, client_id=claimed))
        assert response.status_code == 201
    # One person: the per-person limit (3 a minute here) counts all three.
    refused = browser.post(f"{BASE}/questions", json=submission(9, client_id="a-fourth-one1"))
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "rate_limited"
    mine = browser.get(f"{BASE}/questions").get_json()
    assert "mine" in mine and len(mine["mine"]) == 3


def test_a_forged_cookie_is_not_an_identity(app):
    browser = browser_at(app, "127.0.0.12")
    browser.set_cookie("attendee", "a" + "0" * 32)
    response = browser.post(f"{BASE}/questions", json=submission(1, client_id=None))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "missing_client_id"
    assert stored(browser) == []


def test_one_address_rotating_client_ids_cannot_exceed_its_budget(app):
    attacker = browser_at(app, "127.0.0.13")
    answers = [
        attacker.post(f"{BASE}/questions", json=submission(n, client_id=f"rotating-{n:04d}"))
        for n in range(8)
    ]
    assert [r.status_code for r in answers] == [201] * 5 + [429] * 3
    assert {r.get_json()["error"]["code"] for r in answers[5:]} == {"too_many_attendees"}
    assert len(stored(attacker)) == 5
    # Opening the page to get fresh cookies does not help either.
    fresh = browser_at(app, "127.0.0.13")
    assert "Set-Cookie" not in fresh.get(f"/e/{EVENT}").headers
    # Another address is not affected, and the attacker's existing identities still work.
    neighbour = browser_at(app, "127.0.0.14")
    assert neighbour.post(f"{BASE}/questions", json=submission(50)).status_code == 201
    again = attacker.post(f"{BASE}/questions", json=submission(60, client_id="rotating-0000"))
    assert again.status_code == 201


def test_a_vote_counts_once_whatever_the_client_claims(app):
    asker = browser_at(app, "127.0.0.15")
    qid = asker.post(f"{BASE}/questions", json=submission(1)).get_json()["question"]["id"]
    approve(asker, qid)
    voter = browser_at(app, "127.0.0.16")
    voter.get(f"/e/{EVENT}")
    url = f"{BASE}/questions/{qid}/vote"
    assert voter.post(url, json={"client_id": "voter-claims-1"}).status_code == 200
    again = voter.post(url, json={"client_id": "voter-claims-2", "via": "room"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_voted"
    # Over Socket.IO, with the same browser and another claimed id, and twice at once.
    sock = socketio.test_client(
        app, auth={"event": EVENT, "client_id": "voter-claims-3"}, flask_test_client=voter
    )
    acks = [sock.emit("vote", {"id": qid}, callback=True) for _ in range(2)]
    assert {a["error"]["code"] for a in acks} == {"already_voted"}
    sock.disconnect()
    [question] = [q for q in stored(asker) if q["id"] == qid]
    assert question["votes"] == 1


def test_a_socket_without_cookie_from_a_busy_address_can_watch_but_not_send(app):
    crowd = browser_at(app, "127.0.0.17")
    for n in range(5):
        assert crowd.post(f"{BASE}/questions", json=submission(n, client_id=f"crowd-{n:04d}"))
    late = socketio.test_client(
        app, auth={"event": EVENT, "client_id": "late-comer-1"}, flask_test_client=crowd
    )
    assert late.is_connected()
    assert "questions" in late.emit("sync", {}, callback=True)
    ack = late.emit(
        "submit", {"text": "Hello?", "theme": THEME, "client_msg_id": "late-msg-1"}, callback=True
    )
    assert ack["error"]["code"] == "too_many_attendees"
    late.disconnect()


def test_a_refused_newcomer_is_told_when_to_retry_and_gets_in_then(app, clock):
    crowd = browser_at(app, "127.0.0.18")
    for n in range(5):
        assert crowd.post(f"{BASE}/questions", json=submission(n, client_id=f"crowd-{n:04d}"))
    clock.advance(60_000)
    late = socketio.test_client(
        app, auth={"event": EVENT, "client_id": "late-comer-2"}, flask_test_client=crowd
    )
    body = {"text": "Hello?", "theme": THEME, "client_msg_id": "late-msg-2"}
    ack = late.emit("submit", body, callback=True)
    # The oldest of the five leaves the window in (window - 60 s): the page waits that long.
    window_s = app.config["ATTENDEE_WINDOW_S"]
    assert ack["error"]["code"] == "too_many_attendees"
    assert ack["error"]["retry_after"] == window_s - 60
    over_http = crowd.post(f"{BASE}/questions", json={**body, "client_id": "late-comer-3"})
    assert over_http.status_code == 429
    assert over_http.headers["Retry-After"] == str(window_s - 60)
    # Asking again before then changes nothing; once the budget frees up, the same connection
    # gets its identity and the question it held is stored.
    assert late.emit("submit", body, callback=True)["error"]["code"] == "too_many_attendees"
    clock.advance((window_s - 60) * 1000)
    ack = late.emit("submit", body, callback=True)
    assert "error" not in ack, ack
    assert [q["text"] for q in stored(crowd)].count("Hello?") == 1
    late.disconnect()
