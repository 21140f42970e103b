"""Presence in the room is proven, not claimed: ``via: "room"`` is recorded only with a valid
room pass (the rotating one a paired room screen shows, or a moderator's printed pass for the
day); a claim without one, an expired or a forged pass is recorded online."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from moderator import room_pass, runtime
from moderator.core.clock import FakeClock
from moderator.extensions import socketio
from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import pair_screen, submission

BASE = f"/api/events/{EVENT}"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
WINDOW_MS = 300_000


@pytest.fixture
def clock(app):
    fake = FakeClock()
    runtime.of(app).clock = fake
    return fake


def pass_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["pass"][0]


def current_pass(app) -> str:
    """The rotating pass a paired screen shows now, as the moderator's read gives it."""
    response = app.test_client().get(f"{BASE}/room-pass", headers=BEARER)
    assert response.status_code == 200
    return pass_of(response.get_json()["url"])


def phone(app, token: str | None = None):
    """A browser that opened the attendee page from the room's QR code (with ``token``)."""
    browser = app.test_client()
    if token is None:
        assert browser.get(f"/r/{EVENT}").status_code == 200
    else:
        response = browser.get(f"/r/{EVENT}?pass={token}")
        # The pass is kept in the cookie and dropped from the address bar.
        assert response.status_code == 303 and response.location.endswith(f"/r/{EVENT}")
        assert browser.get(response.location).status_code == 200
    return browser


def ask(browser, n: int) -> dict:
    body = submission(n, via="room")
    del body["client_id"]
    response = browser.post(f"{BASE}/questions", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["question"]


def exported(app) -> dict[int, dict]:
    rows = app.test_client().get(f"{BASE}/export.json", headers=BEARER).get_json()["questions"]
    return {row["id"]: row for row in rows}


def origin_of(app, question: dict) -> str:
    return exported(app)[question["id"]]["via"]


def test_a_claimed_room_without_a_pass_is_recorded_online(app, clock):
    browser = phone(app)  # /r/ without a pass: the page claims "room"
    question = ask(browser, 1)
    assert origin_of(app, question) == "online"
    # A cookie-less program saying via "room" (and a made-up pass) is online too.
    program = app.test_client()
    body = submission(2, via="room", room_pass="w0123456789abcdef")
    response = program.post(f"{BASE}/questions", json=body)
    assert response.status_code == 201
    assert origin_of(app, response.get_json()["question"]) == "online"


def test_a_valid_pass_records_the_room_for_questions_and_votes(app, clock):
    inside, outside = phone(app, current_pass(app)), phone(app)
    asked = ask(inside, 1)
    assert origin_of(app, asked) == "room"
    target = ask(outside, 2)
    assert client_approves(app, target["id"])
    for browser in (inside, outside):
        response = browser.post(f"{BASE}/questions/{target['id']}/vote", json={"via": "room"})
        assert response.status_code == 200, response.get_json()
    row = exported(app)[target["id"]]
    assert (row["votes_room"], row["votes_online"]) == (1, 1)
    # A phone in the room that says "online" stays online: the pass never upgrades a claim.
    body = submission(3, via="online")
    del body["client_id"]
    online = inside.post(f"{BASE}/questions", json=body).get_json()["question"]
    assert origin_of(app, online) == "online"


def client_approves(app, qid: int) -> bool:
    response = app.test_client().post(f"{BASE}/questions/{qid}/approve", headers=BEARER)
    return response.status_code == 200


def test_the_socket_handshake_needs_the_pass_too(app, clock):
    claimed = socketio.test_client(
        app, auth={"event": EVENT, "via": "room"}, flask_test_client=phone(app)
    )
    inside = socketio.test_client(
        app, auth={"event": EVENT, "via": "room"}, flask_test_client=phone(app, current_pass(app))
    )
    program = socketio.test_client(
        app,
        auth={
            "event": EVENT,
            "via": "room",
            "client_id": "program-0001",
            "room_pass": current_pass(app),
        },
    )
    origins = []
    for n, sock in enumerate((claimed, inside, program)):
        body = submission(n, via="room")
        del body["client_id"]
        reply = sock.emit("submit", body, callback=True)
        assert "question" in reply, reply
        origins.append(origin_of(app, reply["question"]))
        sock.disconnect()
    assert origins == ["online", "room", "room"]


def test_a_pass_rotates_and_the_previous_one_still_works(app, clock):
    token = current_pass(app)
    clock.advance(WINDOW_MS)
    assert current_pass(app) != token
    # Scanned just before the rotation: still accepted in the next window.
    assert origin_of(app, ask(phone(app, token), 1)) == "room"
    clock.advance(WINDOW_MS)
    assert origin_of(app, ask(phone(app, token), 2)) == "online"


def test_an_expired_room_cookie_counts_online(app, clock):
    browser = phone(app, current_pass(app))
    assert origin_of(app, ask(browser, 1)) == "room"
    clock.advance(app.config["ROOM_COOKIE_SECONDS"] * 1000 + 1)
    assert origin_of(app, ask(browser, 2)) == "online"


def test_a_forged_pass_or_cookie_counts_online(app, clock):
    token = current_pass(app)
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert origin_of(app, ask(phone(app, forged), 1)) == "online"
    browser = phone(app)
    browser.set_cookie("room", '{"event": "panel", "until": 99999999999999}')
    assert origin_of(app, ask(browser, 2)) == "online"
    # Another event's pass is not this one's.
    with app.test_request_context():
        other = room_pass.rotating("other")[0]
    assert origin_of(app, ask(phone(app, other), 3)) == "online"


def test_the_printed_pass_works_for_its_day_only(app, clock):
    assert app.test_client().get(f"{BASE}/room-pass?printable=1").status_code == 401
    reply = app.test_client().get(f"{BASE}/room-pass?printable=1", headers=BEARER).get_json()
    token = pass_of(reply["url"])
    assert reply["url"].endswith(f"/r/{EVENT}?pass={token}")
    assert reply["valid_until_ms"] > clock()
    clock.advance(3 * 3600 * 1000)  # hours later, many rotations: still good
    assert origin_of(app, ask(phone(app, token), 1)) == "room"
    clock.now_ms = reply["valid_until_ms"]  # the next day
    assert origin_of(app, ask(phone(app, token), 2)) == "online"


def test_only_a_paired_screen_gets_the_link_with_the_pass(app, clock):
    paired, _screen_id, _token = pair_screen(app)
    link = paired.emit("join_link", {}, callback=True)
    assert link["url"].endswith(f"/r/{EVENT}?pass={current_pass(app)}")
    assert link["svg"].startswith("<svg") and link["refresh_ms"] == WINDOW_MS // 2
    assert link["valid_until_ms"] == (clock() // WINDOW_MS + 2) * WINDOW_MS

    waiting = socketio.test_client(app, auth={"event": EVENT, "role": "screen", "pair": True})
    unpaired = waiting.emit("join_link", {}, callback=True)
    assert unpaired["url"].endswith(f"/r/{EVENT}") and "pass" not in unpaired["url"]
    # Nor does the page anyone can open carry one.
    page = app.test_client().get(f"/e/{EVENT}/screen").get_data(as_text=True)
    assert current_pass(app) not in page

    attendee = socketio.test_client(app, auth={"event": EVENT})
    refused = attendee.emit("join_link", {}, callback=True)
    assert refused["error"]["code"] == "not_a_screen"
    for sock in (paired, waiting, attendee):
        sock.disconnect()
