"""Rate limits over Socket.IO: new connections per person and per address are refused at
connect, and a message past a limit gets an error acknowledgement that says when to retry."""

from __future__ import annotations

import logging

import pytest

from moderator import runtime
from moderator.core.clock import FakeClock
from moderator.core.errors import RateLimited
from moderator.extensions import socketio
from moderator.sockets.attendee import refusal
from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import browser_at, pair_screen, submission

BASE = f"/api/events/{EVENT}"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
# 30 s into a minute's window: a refusal asks to wait the 30 s left.
START_MS = 60_000 * 29_140_575 + 30_000


@pytest.fixture
def config_class(config_class):
    class Limited(config_class):
        NEW_CONNECTIONS_PER_PERSON = 2
        NEW_CONNECTIONS_PER_ADDRESS = 4
        VOTES_PER_PERSON = 2
        SCREEN_REPORTS_PER_SCREEN = 2

    return Limited


@pytest.fixture
def clock(app):
    fake = FakeClock(START_MS)
    runtime.of(app).clock = fake
    return fake


def connect(app, browser, **auth):
    return socketio.test_client(app, auth={"event": EVENT, **auth}, flask_test_client=browser)


def test_one_address_opening_connections_is_refused_past_its_figure(app, clock, caplog):
    caplog.set_level(logging.INFO, logger="moderator.refusals")
    # Cookie-less clients inventing a new label each time: only the address counts them.
    socks = [
        connect(app, browser_at(app, "127.0.0.30"), client_id=f"label-{n:04d}") for n in range(6)
    ]
    assert [s.is_connected() for s in socks] == [True] * 4 + [False] * 2
    refusals = [r.getMessage() for r in caplog.records if "rate_limited" in r.getMessage()]
    assert (
        refusals
        == ["transport=socket namespace=/ message=connect code=rate_limited status=429"] * 2
    )
    assert connect(app, browser_at(app, "127.0.0.31"), client_id="elsewhere").is_connected()
    clock.advance(30_000)  # the next window
    assert connect(app, browser_at(app, "127.0.0.30"), client_id="label-0099").is_connected()


def test_one_browser_reconnecting_is_refused_past_its_own_figure(app, clock):
    browser = browser_at(app, "127.0.0.32")
    browser.get(f"/e/{EVENT}")  # its identity cookie
    assert [connect(app, browser).is_connected() for _ in range(3)] == [True, True, False]
    neighbour = browser_at(app, "127.0.0.32")
    neighbour.get(f"/e/{EVENT}")
    assert connect(app, neighbour).is_connected()


def test_a_connection_refused_for_its_rate_says_when_to_retry():
    refused = refusal(RateLimited("Too many connection attempts.", retry_after=12), "connect")
    assert refused.error_args == {
        "message": "Too many connection attempts.",
        "data": {
            "code": "rate_limited",
            "message": "Too many connection attempts.",
            "retry_after": 12,
        },
    }


def test_a_vote_past_the_limit_gets_an_error_acknowledgement_with_retry_after(app, clock):
    asker = browser_at(app, "127.0.0.33")
    qid = asker.post(f"{BASE}/questions", json=submission(1)).get_json()["question"]["id"]
    assert asker.post(f"{BASE}/questions/{qid}/approve", headers=BEARER).status_code == 200
    browser = browser_at(app, "127.0.0.34")
    browser.get(f"/e/{EVENT}")
    sock = connect(app, browser)
    assert sock.emit("vote", {"id": qid}, callback=True)["question"]["votes"] == 1
    assert sock.emit("vote", {"id": qid, "undo": True}, callback=True)["question"]["votes"] == 0
    ack = sock.emit("vote", {"id": qid}, callback=True)
    assert ack["error"]["code"] == "rate_limited"
    assert ack["error"]["retry_after"] == 30
    assert "30 s" in ack["error"]["message"]
    # Nothing was stored, and the connection is still open for the rest.
    assert sock.emit("sync", {}, callback=True)["voted"] == []
    assert sock.is_connected()


def test_a_paired_screen_reporting_too_often_is_refused(app, clock):
    sock, _screen_id, token = pair_screen(app)
    report = {"offset_ms": 3.0, "rtt_ms": 8.0, "screen_token": token}
    acks = [sock.emit("screen_report", report, callback=True) for _ in range(3)]
    assert acks[:2] == [{"ok": True}] * 2
    assert acks[2]["error"]["code"] == "rate_limited" and acks[2]["error"]["retry_after"] == 30


def test_dashboard_connections_count_against_the_address_too(app, clock, moderator_client, caplog):
    caplog.set_level(logging.INFO, logger="moderator.refusals")
    moderator_client.environ_base["REMOTE_ADDR"] = "127.0.0.35"
    socks = [
        socketio.test_client(
            app, namespace="/mod", auth={"event": EVENT}, flask_test_client=moderator_client
        )
        for _ in range(5)
    ]
    assert [s.is_connected("/mod") for s in socks] == [True] * 4 + [False]
    assert "transport=socket namespace=/mod message=connect code=rate_limited" in caplog.text
