"""The agenda clock over HTTP (Stream Deck, Companion); Socket.IO is in tests/sockets/."""

import pytest

from moderator import runtime
from tests.fixtures.constants import EVENT, SEGMENTS, TOKEN

TIMER = f"/api/events/{EVENT}/timer"


def drive(client, bearer, **data):
    return client.post(TIMER, json=data, headers=bearer)


def test_the_clock_can_be_read_by_anyone(client):
    state = client.get(TIMER).get_json()
    assert {"segment_index", "state", "remaining_ms", "duration_ms", "server_now_ms"} <= set(state)
    assert (state["segment_index"], state["state"], state["remaining_ms"]) == (0, "idle", 600_000)
    assert state["segment"]["title"] == SEGMENTS[0]


@pytest.mark.parametrize(
    ("steps", "index", "state"),
    [
        ([{"action": "start"}], 0, "running"),
        ([{"action": "start"}, {"action": "pause"}], 0, "paused"),
        ([{"action": "start"}, {"action": "pause"}, {"action": "resume"}], 0, "running"),
        ([{"action": "start"}, {"action": "reset"}], 0, "idle"),
        ([{"action": "next"}], 1, "idle"),
        ([{"action": "next"}, {"action": "previous"}], 0, "idle"),
        ([{"action": "goto", "index": 2}], 2, "idle"),
        ([{"action": "start"}, {"action": "goto", "index": 2}], 2, "running"),
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
            f"/api/events/{EVENT}/display", json={"action": "flash"}, headers=headers
        ).status_code
        == status
    )
    assert client.get(TIMER).get_json()["state"] == "idle"
    assert client.get(f"/api/events/{EVENT}/display").get_json()["flash_ms"] is None


def test_display_over_http(client, bearer):
    url = f"/api/events/{EVENT}/display"
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
    runtime.of(app).clock = lambda: 1_234_567
    assert client.get("/api/time").get_json() == {"server_ms": 1_234_567}


def test_the_token_printed_is_the_one_checked(client):
    assert (
        client.post(
            TIMER, json={"action": "start"}, headers={"Authorization": f"Bearer {TOKEN}"}
        ).status_code
        == 200
    )
