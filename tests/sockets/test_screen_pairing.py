"""Screens are paired before they count: an unpaired page is never listed and never reports;
a moderator pairs it with the code it shows, names it, renames and removes it."""

from sqlalchemy import select

from moderator import runtime
from moderator.core import screens
from moderator.extensions import socketio
from moderator.models import Screen
from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import pair_screen, received

BEARER = {"Authorization": f"Bearer {TOKEN}"}
API = f"/api/events/{EVENT}/screens"


def waiting(app, role="screen"):
    sock = socketio.test_client(app, auth={"event": EVENT, "role": role, "pair": True})
    state = sock.emit("pairing", {}, callback=True)
    assert state["paired"] is False
    assert len(state["code"]) == screens.PAIRING_CODE_LENGTH
    assert set(state["code"]) <= set(screens.PAIRING_ALPHABET)
    return sock, state


def rows(app):
    with runtime.database(app).session() as session:
        return [
            (s.screen_id, s.paired, s.label, s.offset_ms, s.token_hash)
            for s in session.scalars(select(Screen).order_by(Screen.id))
        ]


def listed(app):
    return app.test_client().get(API, headers=BEARER).get_json()


def pair(app, code, label="Left TV"):
    return app.test_client().post(
        f"{API}/pair", json={"code": code, "label": label}, headers=BEARER
    )


def test_an_unpaired_screen_is_not_listed_and_cannot_report(app, moderator_socket):
    sock, _state = waiting(app)
    assert listed(app) == []
    assert moderator_socket.emit("sync", {}, callback=True, namespace="/mod")["screens"] == []
    before = rows(app)
    ack = sock.emit("screen_report", {"offset_ms": 5.0, "rtt_ms": 3.0}, callback=True)
    assert ack["error"]["code"] == "not_paired"
    ack = sock.emit("screen_report", {"offset_ms": 5.0, "screen_token": "guess"}, callback=True)
    assert ack["error"]["code"] == "not_paired"
    assert rows(app) == before
    assert listed(app) == []


def test_pairing_lists_it_with_the_moderators_name_and_its_reports_count(app, moderator_socket):
    sock, state = waiting(app, role="stage")
    moderator_socket.get_received("/mod")
    ack = moderator_socket.emit(
        "screens",
        {"action": "pair", "code": state["code"].lower(), "label": "  Stage  left "},
        callback=True,
        namespace="/mod",
    )
    assert ack["screen"]["label"] == "Stage left" and ack["screen"]["kind"] == "stage"
    assert "screen_token" not in str(ack)  # the moderator never sees the token
    [paired] = received(sock, "paired")
    assert paired["label"] == "Stage left" and paired["screen_id"] == state["screen_id"]
    [screens_list] = received(moderator_socket, "screens", "/mod")
    assert [s["label"] for s in screens_list] == ["Stage left"]
    assert sock.emit("pairing", {}, callback=True)["paired"] is True
    token = paired["screen_token"]
    ack = sock.emit("screen_report", {"offset_ms": 7.5, "screen_token": token}, callback=True)
    assert ack == {"ok": True}
    assert [(s["label"], s["offset_ms"]) for s in listed(app)] == [("Stage left", 7.5)]


def test_a_wrong_expired_or_reused_code_is_refused(app, clock):
    runtime.of(app).clock = clock
    sock, state = waiting(app)
    other, other_state = waiting(app)
    assert pair(app, "ZZZZZZ").get_json()["error"]["code"] == "unknown_pairing_code"
    assert pair(app, "").status_code == 404
    assert pair(app, state["code"]).status_code == 200
    reused = pair(app, state["code"], "Again")
    assert (reused.status_code, reused.get_json()["error"]["code"]) == (
        404,
        "unknown_pairing_code",
    )
    clock.advance(screens.PAIRING_CODE_MS + 1)
    assert pair(app, other_state["code"]).get_json()["error"]["code"] == "unknown_pairing_code"
    renewed = other.emit("pairing", {}, callback=True)
    assert renewed["code"] != other_state["code"]
    assert pair(app, renewed["code"], "Right TV").status_code == 200
    assert [s["label"] for s in listed(app)] == ["Left TV", "Right TV"]


def test_knowing_a_screen_id_is_not_enough_to_report_as_it(app):
    _sock, screen_id, _token = pair_screen(app)
    before = rows(app)
    # Over HTTP with the id and a wrong or no token.
    client = app.test_client()
    for body in (
        {"screen_id": screen_id, "kind": "screen", "offset_ms": 1.0},
        {"screen_id": screen_id, "kind": "screen", "offset_ms": 1.0, "screen_token": "x" * 43},
    ):
        response = client.post(f"{API}/report", json=body)
        assert (response.status_code, response.get_json()["error"]["code"]) == (403, "not_paired")
    # Over Socket.IO, claiming the id at connect: the server issues its own.
    impostor = socketio.test_client(
        app, auth={"event": EVENT, "role": "screen", "screen_id": screen_id}
    )
    assert impostor.emit("pairing", {}, callback=True)["screen_id"] != screen_id
    ack = impostor.emit("screen_report", {"offset_ms": 1.0}, callback=True)
    assert ack["error"]["code"] == "not_paired"
    impostor.disconnect()
    assert rows(app) == before


def test_rename_and_remove(app):
    sock, screen_id, token = pair_screen(app)
    client = app.test_client()
    response = client.post(
        f"{API}/rename", json={"screen_id": screen_id, "label": "Back wall"}, headers=BEARER
    )
    assert response.get_json()["screen"]["label"] == "Back wall"
    assert [s["label"] for s in listed(app)] == ["Back wall"]
    unknown = client.post(
        f"{API}/rename", json={"screen_id": "nope-nope", "label": "x"}, headers=BEARER
    )
    assert unknown.get_json()["error"]["code"] == "unknown_screen"
    assert client.post(f"{API}/remove", json={"screen_id": screen_id}).status_code == 401
    sock.get_received()
    response = client.post(f"{API}/remove", json={"screen_id": screen_id}, headers=BEARER)
    assert response.status_code == 200
    assert listed(app) == []
    assert received(sock, "unpaired") == [{"screen_id": screen_id}]
    state = sock.emit("pairing", {}, callback=True)
    assert state["paired"] is False and state["code"]
    ack = sock.emit("screen_report", {"offset_ms": 1.0, "screen_token": token}, callback=True)
    assert ack["error"]["code"] == "not_paired"
    # Its old token no longer pairs it at connect.
    again = socketio.test_client(
        app, auth={"event": EVENT, "role": "screen", "screen_token": token}
    )
    assert again.emit("pairing", {}, callback=True)["paired"] is False


def test_pairing_survives_the_screens_reconnect(app, moderator_socket):
    sock, screen_id, token = pair_screen(app)
    sock.disconnect()
    assert [s["connected"] for s in listed(app)] == [False]
    back = socketio.test_client(app, auth={"event": EVENT, "role": "screen", "screen_token": token})
    state = back.emit("pairing", {}, callback=True)
    assert state == {"paired": True, "screen_id": screen_id, "label": "Left TV"}
    assert [s["connected"] for s in listed(app)] == [True]
    ack = back.emit("screen_report", {"offset_ms": 2.0, "screen_token": token}, callback=True)
    assert ack == {"ok": True}


def test_a_waiting_page_that_leaves_is_forgotten(app):
    sock, _state = waiting(app)
    assert len(rows(app)) == 1
    sock.disconnect()
    assert rows(app) == []


def test_a_preview_gets_no_code(app):
    preview = socketio.test_client(app, auth={"event": EVENT, "role": "screen"})
    assert preview.emit("pairing", {}, callback=True)["error"]["code"] == "not_a_screen"
    assert rows(app) == []
