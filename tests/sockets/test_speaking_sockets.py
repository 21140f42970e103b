"""Who has the floor, over Socket.IO: a switch reaches every dashboard with the balance and the
room's screens with the current speaker only; attendees' phones hear nothing of it."""

from moderator import runtime
from moderator.core.clock import FakeClock
from moderator.extensions import socketio
from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import received


def test_a_switch_reaches_dashboards_and_screens_but_not_phones(
    app, client, moderator_socket, attendee_socket
):
    clock = FakeClock()
    runtime.of(app).clock = clock
    stage = socketio.test_client(
        app,
        auth={"event": EVENT, "role": "screen", "screen_id": "stage-monitor-1", "kind": "stage"},
    )
    phone = attendee_socket()
    other = socketio.test_client(app, namespace="/mod", auth={"event": EVENT, "token": TOKEN})
    for sock in (stage, phone):
        sock.get_received()
    for sock in (moderator_socket, other):
        sock.get_received("/mod")

    reply = moderator_socket.emit(
        "speaker", {"speaker": "panelist-two"}, callback=True, namespace="/mod"
    )
    assert reply["current"]["speaker"] == "panelist-two"
    [seen] = received(other, "speaking", "/mod")
    assert seen["current"] == reply["current"]
    [on_stage] = received(stage, "speaker")
    assert on_stage["current"]["name"] == "Panelist Two"
    assert set(on_stage["current"]) == {"speaker", "name", "since_ms", "earlier_ms"}
    assert received(phone, "speaker") == [] and received(phone, "speaking") == []

    clock.advance(90_000)
    moderator_socket.emit("speaker", {"speaker": "panelist-one"}, callback=True, namespace="/mod")
    clock.advance(10_000)
    moderator_socket.emit("speaker", {"speaker": "panelist-two"}, callback=True, namespace="/mod")
    on_stage = received(stage, "speaker")[-1]["current"]
    # Back on the floor: the stage monitor can show this turn and the total before it.
    assert (on_stage["name"], on_stage["earlier_ms"]) == ("Panelist Two", 90_000)
    other.disconnect("/mod")


def test_the_dashboard_sync_and_the_screen_state_carry_who_has_the_floor(app, moderator_socket):
    moderator_socket.emit("speaker", {"speaker": "moderator"}, callback=True, namespace="/mod")
    state = moderator_socket.emit("sync", {}, callback=True, namespace="/mod")
    assert state["speaking"]["current"]["speaker"] == "moderator"
    assert [s["id"] for s in state["speaking"]["speakers"]][:3] == [
        "moderator",
        "panelist-one",
        "panelist-two",
    ]
    room = socketio.test_client(app, auth={"event": EVENT, "role": "screen"})
    screen_state = room.emit("screen_state", {}, callback=True)
    assert screen_state["speaker"]["current"]["speaker"] == "moderator"
    assert screen_state["display"]["speaker_time"] is False


def test_a_refused_switch_says_why_and_leaves_the_floor_as_it_was(moderator_socket):
    moderator_socket.emit("speaker", {"speaker": "panelist-one"}, callback=True, namespace="/mod")
    for body, code in (
        ({"speaker": "panelist-nine"}, "unknown_speaker"),
        ({"speaker": 7}, "invalid_speaker"),
        ({}, "missing_speaker"),
        ("panelist-two", "invalid_body"),
    ):
        reply = moderator_socket.emit("speaker", body, callback=True, namespace="/mod")
        assert reply["error"]["code"] == code, (body, reply)
        assert reply["error"]["message"]
    state = moderator_socket.emit("sync", {}, callback=True, namespace="/mod")
    assert state["speaking"]["current"]["speaker"] == "panelist-one"
    assert len(state["speaking"]["intervals"]) == 1
