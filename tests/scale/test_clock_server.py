"""The agenda clock on a real server: it survives kill -9 exactly and auto-advances by itself."""

import requests

from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def timer_url(server):
    return f"{server.url}/api/events/{EVENT}/timer"


def drive(server, **data):
    response = requests.post(timer_url(server), json=data, headers=AUTH, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def read(server):
    return requests.get(timer_url(server), timeout=5).json()


def test_a_running_segment_resumes_exactly_after_kill_9(tmp_path):
    server = ServerProcess(tmp_path / "instance").start()
    try:
        drive(server, action="goto", index=2)
        drive(server, action="start")
        drive(server, action="adjust", seconds=-95)
        before = read(server)
        server.kill()
        server.start()
        after = read(server)
        # What it would have been without the restart, from the server's own clock readings.
        expected = before["remaining_ms"] - (after["server_now_ms"] - before["server_now_ms"])
        assert abs(after["remaining_ms"] - expected) <= 100
        assert (after["segment_index"], after["state"], after["added_ms"]) == (
            2,
            "running",
            -95_000,
        )
    finally:
        server.stop()


def test_auto_advance_starts_the_next_segment_at_zero(live_server):
    drive(live_server, action="auto_advance", enabled=True)
    drive(live_server, action="goto", index=1)  # the discussion, 15 min
    drive(live_server, action="adjust", seconds=-(900 - 2))
    started = drive(live_server, action="start")
    state = wait_until(
        lambda: (s := read(live_server))["segment_index"] == 2 and s,
        timeout=10,
        message="auto-advance to the closing",
    )
    assert state["state"] == "running"
    # The closing started when the discussion reached zero, not whenever the server noticed.
    actual = state["schedule"][2]["actual_start_ms"]
    assert abs(actual - (started["server_now_ms"] + started["remaining_ms"])) <= 100


def test_auto_advance_survives_a_restart(tmp_path):
    server = ServerProcess(tmp_path / "instance").start()
    try:
        drive(server, action="auto_advance", enabled=True)
        drive(server, action="adjust", seconds=-(600 - 3))
        drive(server, action="start")
        server.kill()
        server.start()
        wait_until(
            lambda: read(server)["segment_index"] == 1,
            timeout=10,
            message="auto-advance after the restart",
        )
    finally:
        server.stop()
