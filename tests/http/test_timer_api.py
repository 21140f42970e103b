"""The agenda clock over HTTP (Stream Deck, Companion) and over Socket.IO (screens, moderators)."""

import pytest

from tests.conftest import TOKEN

TIMER = "/api/events/ssc25/timer"


def drive(client, bearer, **data):
    return client.post(TIMER, json=data, headers=bearer)


def test_the_clock_can_be_read_by_anyone(client):
    state = client.get(TIMER).get_json()
    assert {"segment_index", "state", "remaining_ms", "duration_ms", "server_now_ms"} <= set(state)
    assert (state["segment_index"], state["state"], state["remaining_ms"]) == (0, "idle", 600_000)
    assert state["segment"]["title"] == "Opening Remarks"


@pytest.mark.parametrize(
    ("steps", "index", "state"),
    [
        ([{"action": "start"}], 0, "running"),
        ([{"action": "start"}, {"action": "pause"}], 0, "paused"),
        ([{"action": "start"}, {"action": "pause"}, {"action": "resume"}], 0, "running"),
        ([{"action": "start"}, {"action": "reset"}], 0, "idle"),
        ([{"action": "next"}], 1, "idle"),
        ([{"action": "next"}, {"action": "previous"}], 0, "idle"),
        ([{"action": "goto", "index": 3}], 3, "idle"),
        ([{"action": "start"}, {"action": "goto", "index": 4}], 4, "running"),
    ],
)
def test_every_clock_action_over_http(client, bearer, steps, index, state):
    for step in steps:
        response = drive(client, bearer, **step)
        assert response.status_code == 200, response.get_json()
    reply = response.get_json()
    assert (reply["segment_index"], reply["state"]) == (index, state)
    assert client.get(TIMER).get_json()["state"] == state


def test_adjust_changes_the_remaining_time(client, bearer):
    reply = drive(client, bearer, action="adjust", seconds=-60).get_json()
    assert reply["remaining_ms"] == 540_000
    reply = drive(client, bearer, action="adjust", seconds=90.5).get_json()
    assert reply["remaining_ms"] == 630_500


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"action": "warp"}, 400, "unknown_action"),
        ({}, 400, "unknown_action"),
        ({"action": "goto", "index": 9}, 400, "index_out_of_range"),
        ({"action": "goto", "index": 1.5}, 400, "invalid_index"),
        ({"action": "adjust", "seconds": "ten"}, 400, "invalid_seconds"),
        ({"action": "adjust", "seconds": 90_000}, 400, "adjust_too_large"),
        ({"action": "adjust", "seconds": -1e308}, 400, "adjust_too_large"),
        ({"action": "pause"}, 409, "not_running"),
        ({"action": "previous"}, 409, "no_previous_segment"),
    ],
)
def test_bad_clock_commands_are_refused_and_change_nothing(client, bearer, data, status, code):
    before = client.get(TIMER).get_json()
    response = drive(client, bearer, **data)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    after = client.get(TIMER).get_json()
    assert (after["state"], after["segment_index"], after["duration_ms"], after["version"]) == (
        before["state"],
        before["segment_index"],
        before["duration_ms"],
        before["version"],
    )


@pytest.mark.parametrize(
    ("headers", "status"), [({}, 401), ({"Authorization": "Bearer nope"}, 403)]
)
def test_clock_and_display_commands_need_a_moderator(client, headers, status):
    assert client.post(TIMER, json={"action": "start"}, headers=headers).status_code == status
    assert (
        client.post(
            "/api/events/ssc25/display", json={"action": "flash"}, headers=headers
        ).status_code
        == status
    )
    assert client.get(TIMER).get_json()["state"] == "idle"
    assert client.get("/api/events/ssc25/display").get_json()["flash_ms"] is None


def test_display_over_http(client, bearer):
    url = "/api/events/ssc25/display"
    reply = client.post(url, json={"action": "message", "text": "Please wrap up"}, headers=bearer)
    assert reply.get_json()["message"] == "Please wrap up"
    assert (
        client.post(url, json={"action": "blackout", "on": True}, headers=bearer).status_code == 200
    )
    assert client.get(url).get_json()["blackout"] is True
    assert (
        client.post(url, json={"action": "message", "text": " "}, headers=bearer).status_code == 400
    )
    assert client.get(url).get_json()["message"] == "Please wrap up"


def test_server_time_for_tools(client, app):
    app.extensions["moderator.clock"] = lambda: 1_234_567
    assert client.get("/api/time").get_json() == {"server_ms": 1_234_567}


def screen(app, screen_id="screen-left-01", role="screen", label="Left TV"):
    from moderator.extensions import socketio

    auth = {"event": "ssc25", "role": role}
    if screen_id:
        auth.update(screen_id=screen_id, label=label)
    return socketio.test_client(app, auth=auth)


def received(sock, name, namespace="/"):
    return [m["args"][0] for m in sock.get_received(namespace) if m["name"] == name]


def test_screens_and_moderators_hear_clock_changes_and_attendees_do_not(
    app, attendee_socket, moderator_socket
):
    room, stage, phone = screen(app), screen(app, "stage-monitor-1", "stage"), attendee_socket()
    for sock in (room, stage, phone):
        sock.get_received()
    moderator_socket.get_received("/mod")
    ack = moderator_socket.emit("timer", {"action": "start"}, callback=True, namespace="/mod")
    assert ack["timer"]["state"] == "running"
    for sock in (room, stage):
        [state] = received(sock, "timer")
        assert (state["state"], state["version"]) == ("running", ack["timer"]["version"])
    assert received(moderator_socket, "timer", "/mod")[0]["state"] == "running"
    assert received(phone, "timer") == []

    moderator_socket.emit(
        "display", {"action": "message", "text": "2 minutes"}, callback=True, namespace="/mod"
    )
    assert received(stage, "display")[0]["message"] == "2 minutes"
    assert received(phone, "display") == []


def test_a_screen_gets_the_state_and_the_time_on_request(app):
    room = screen(app)
    state = room.emit("clock_sync", {}, callback=True)
    assert state["timer"]["segment_index"] == 0 and state["display"]["blackout"] is False
    assert isinstance(room.emit("time", {}, callback=True)["server_ms"], int)


def test_screens_report_their_offset_to_the_moderators(app, moderator_socket):
    room = screen(app)
    moderator_socket.get_received("/mod")
    assert room.emit("screen_report", {"offset_ms": 300_012.5, "rtt_ms": 3.5}, callback=True) == {
        "ok": True
    }
    [listed] = received(moderator_socket, "screens", "/mod")
    assert (listed[0]["label"], listed[0]["offset_ms"], listed[0]["connected"]) == (
        "Left TV",
        300_012.5,
        True,
    )
    ack = room.emit("screen_report", {"offset_ms": "far"}, callback=True)
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
    assert reply["timer"]["segment"]["title"] == "Opening Remarks"
    assert reply["display"]["message"] is None


def test_bad_clock_messages_get_an_error_ack(moderator_socket):
    for payload, code in [
        ("start", "invalid_body"),
        ({"action": "goto", "index": 99}, "index_out_of_range"),
    ]:
        ack = moderator_socket.emit("timer", payload, callback=True, namespace="/mod")
        assert ack["error"]["code"] == code
    assert moderator_socket.is_connected("/mod")


def test_the_token_printed_is_the_one_checked(client):
    assert (
        client.post(
            TIMER, json={"action": "start"}, headers={"Authorization": f"Bearer {TOKEN}"}
        ).status_code
        == 200
    )
