"""The agenda clock over Socket.IO: screens, stage monitors and moderators."""

from tests.fixtures.constants import EVENT, FRENCH, SEGMENTS
from tests.fixtures.helpers import pair_screen, received


def screen(app, screen_id="screen-left-01", role="screen", label="Left TV"):
    from moderator.extensions import socketio

    auth = {"event": EVENT, "role": role}
    if screen_id:
        auth.update(screen_id=screen_id, label=label)
    return socketio.test_client(app, auth=auth)


def test_screens_and_moderators_hear_clock_changes_and_attendees_do_not(
    app, attendee_socket, moderator_socket
):
    room, stage, phone = screen(app), screen(app, "stage-monitor-1", "stage"), attendee_socket()
    for sock in (room, stage, phone):
        sock.get_received()
    moderator_socket.get_received("/mod")
    ack = moderator_socket.emit("timer", {"action": "start"}, callback=True, namespace="/mod")
    assert ack["state"] == "running"
    for sock in (room, stage):
        [state] = received(sock, "timer")
        assert (state["state"], state["version"]) == ("running", ack["version"])
    assert received(moderator_socket, "timer", "/mod")[0]["state"] == "running"
    assert received(phone, "timer") == []

    moderator_socket.emit(
        "display", {"action": "message", "text": "2 minutes"}, callback=True, namespace="/mod"
    )
    assert received(stage, "display")[0]["message"] == "2 minutes"
    assert received(phone, "display") == []


def test_one_clock_message_carries_the_segment_titles_for_every_language(app, moderator_socket):
    room = screen(app)
    room.get_received()
    moderator_socket.emit("timer", {"action": "next"}, callback=True, namespace="/mod")
    [state] = received(room, "timer")
    assert (state["segment"]["title"], state["segment"]["titles"]) == (SEGMENTS[1], {})
    moderator_socket.emit("timer", {"action": "previous"}, callback=True, namespace="/mod")
    [state] = received(room, "timer")
    assert state["segment"]["title"] == SEGMENTS[0]
    assert state["segment"]["titles"] == {"fr": FRENCH["segment"]}
    assert state["language"] == "en"


def test_a_screen_gets_the_state_and_the_time_on_request(app):
    room = screen(app)
    state = room.emit("screen_state", {}, callback=True)
    assert state["timer"]["segment_index"] == 0 and state["display"]["blackout"] is False
    assert isinstance(room.emit("time", {}, callback=True)["server_ms"], int)


def test_screens_report_their_offset_to_the_moderators(app, moderator_socket):
    room, _screen_id, token = pair_screen(app)
    moderator_socket.get_received("/mod")
    report = {"offset_ms": 300_012.5, "rtt_ms": 3.5, "screen_token": token}
    assert room.emit("screen_report", report, callback=True) == {"ok": True}
    [listed] = received(moderator_socket, "screens", "/mod")
    assert (listed[0]["label"], listed[0]["offset_ms"], listed[0]["connected"]) == (
        "Left TV",
        300_012.5,
        True,
    )
    ack = room.emit("screen_report", {"offset_ms": "far", "screen_token": token}, callback=True)
    assert ack["error"]["code"] == "invalid_offset_ms"
    room.disconnect()
    [listed] = received(moderator_socket, "screens", "/mod")
    assert listed[0]["connected"] is False
    assert (
        moderator_socket.emit("sync", {}, callback=True, namespace="/mod")["screens"][0]["label"]
        == "Left TV"
    )


def test_attendees_and_previews_cannot_report_as_screens(app, attendee_socket):
    assert attendee_socket().emit("screen_report", {}, callback=True)["error"]["code"] == (
        "not_a_screen"
    )
    assert (
        screen(app, screen_id=None).emit("screen_report", {}, callback=True)["error"]["code"]
        == "not_a_screen"
    )


def test_a_bad_role_is_refused_at_connect(app):
    assert not screen(app, role="projector").is_connected()


def test_moderator_sync_includes_the_clock(moderator_socket):
    reply = moderator_socket.emit("sync", {}, callback=True, namespace="/mod")
    assert reply["timer"]["segment"]["title"] == SEGMENTS[0]
    assert reply["display"]["message"] is None


def test_bad_clock_messages_get_an_error_ack(moderator_socket):
    for payload, code in [
        ("start", "invalid_body"),
        ({"action": "goto", "index": 99}, "index_out_of_range"),
    ]:
        ack = moderator_socket.emit("timer", payload, callback=True, namespace="/mod")
        assert ack["error"]["code"] == code
    assert moderator_socket.is_connected("/mod")
