"""Every registered action, called through HTTP and through Socket.IO, with and without the
rights it needs: the same reply, the same refusal, on both transports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from moderator import runtime
from moderator.actions import REGISTRY, Action, Right
from moderator.app import create_app
from moderator.core.access import STAFF_RIGHTS
from moderator.core.clock import FakeClock
from moderator.extensions import socketio

TOKEN = "registry-token"
ATTENDEE = "attendee-registry-1"

# What each action is sent with, and what must be true first: (action, data) steps run over
# HTTP by a moderator (or the attendee, for attendee actions) before the call under test.
# ``{q1}``..``{q6}`` are the questions of the common scenario below.
EXAMPLES: dict[str, tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]] = {
    "submit": ({"client_msg_id": "new-message-1", "text": "A new question?", "theme": "{t}"}, []),
    "vote": ({"id": "{q1}"}, []),
    "unvote": ({"id": "{q2}"}, []),
    "similar": ({"text": "Question number 1"}, []),
    "question.approve": ({"id": "{q3}"}, []),
    "question.dismiss": ({"id": "{q1}"}, []),
    "question.restore": ({"id": "{q4}"}, []),
    "question.live": ({"id": "{q2}"}, []),
    "question.unlive": ({"id": "{q6}"}, []),
    "question.answered": ({"id": "{q1}"}, []),
    "question.star": ({"id": "{q1}"}, []),
    "question.unstar": ({"id": "{q1}"}, [("question.star", {"id": "{q1}"})]),
    "question.edit": ({"id": "{q1}", "text": "Reworded question?"}, []),
    "question.retag": ({"id": "{q1}", "theme": "{t2}"}, []),
    "question.guide": ({"id": "{q1}", "guiding_question": 1}, []),
    "question.queue": ({"id": "{q2}"}, []),
    "question.unqueue": ({"id": "{q1}"}, []),
    "question.merge": ({"id": "{q3}", "into": "{q2}"}, []),
    "reorder": ({"order": ["{q2}", "{q1}"]}, [("question.queue", {"id": "{q2}"})]),
    "floor": ({"client_msg_id": "floor-message-1", "text": "From the floor?", "theme": "{t}"}, []),
    "settings": ({"premoderation": False, "current_theme": "{t2}"}, []),
    "timer.start": ({}, []),
    "timer.pause": ({}, [("timer.start", {})]),
    "timer.resume": ({}, [("timer.start", {}), ("timer.pause", {})]),
    "timer.adjust": ({"seconds": 90}, []),
    "timer.reset": ({}, [("timer.start", {})]),
    "timer.next": ({}, []),
    "timer.previous": ({}, [("timer.next", {})]),
    "timer.goto": ({"index": 1}, []),
    "timer.auto_advance": ({"enabled": True}, []),
    "display.message": ({"text": "Two minutes"}, []),
    "display.clear": ({}, [("display.message", {"text": "Two minutes"})]),
    "display.flash": ({}, []),
    "display.blackout": ({"on": True}, []),
    "display.speaker_time": ({"on": True}, []),
    "speaker.set": ({"speaker": "mr-daniel-roduner"}, []),
    # Each app has a fresh database: the first interval is number 1.
    "speaker.correct": (
        {"id": 1, "speaker": "audience-room"},
        [("speaker.set", {"speaker": "moderator"})],
    ),
    "screen_report": ({"offset_ms": 12.5, "rtt_ms": 40, "screen_token": "{screen_token}"}, []),
    "screen.pair": ({"code": "{pairing_code}", "label": "Right TV"}, []),
    "screen.rename": ({"screen_id": "{screen_id}", "label": "Stage left"}, []),
    "screen.remove": ({"screen_id": "{screen_id}"}, []),
}


# The workspace's actions are HTTP only (no message): tests/actions/test_roles.py has them.
BOTH_WAYS = {name for name, action in REGISTRY.items() if action.message is not None}


def test_every_registered_action_has_an_example():
    assert set(EXAMPLES) == BOTH_WAYS


@pytest.fixture
def make_app(tmp_path):
    """Applications on fresh databases, each with the same fake clock start."""
    apps = []

    def make(name: str):
        class Config:
            TESTING = True
            INSTANCE_PATH = str(tmp_path / name)
            DATABASE_URL = f"sqlite:///{tmp_path / name}.db"
            SOCKETIO_ASYNC_MODE = "threading"
            MODERATOR_TOKEN = TOKEN
            SECRET_KEY = "registry-secret"
            QUESTIONS_PER_MINUTE = 100

        from config import Config as Base

        app = create_app(type("RegistryConfig", (Config, Base), {}))
        runtime.of(app).clock = FakeClock()
        apps.append(app)
        return app

    yield make
    while WAITING:
        WAITING.pop().disconnect()
    for app in apps:
        runtime.of(app).close()


def _fill(value: Any, names: dict[str, Any]) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\{\w+\}", value):
        return names[value[1:-1]]
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    return value


class Http:
    """Calls actions the way a tool does: the action's own method and rule under /api."""

    def __init__(self, app, code: str):
        self.client = app.test_client()
        self.code = code
        # The paired screen of the scenario: {"screen_id", "kind"} (its token is in the data).
        self.screen: dict[str, str] = {}

    def call(self, action: Action, data: dict[str, Any], *, rights: bool) -> tuple[int, Any]:
        body = dict(data)
        if action.selector is not None and action.selector[0] != "undo":
            body[action.selector[0]] = action.selector[1]
        url = "/api" + action.http[1].replace("<code>", self.code)
        url = url.replace("<int:id>", str(body.pop("id", 0)))
        if "<action>" in url:
            url = url.replace("<action>", str(body.pop("action")))
        headers = {}
        if rights and action.right in STAFF_RIGHTS:
            headers["Authorization"] = f"Bearer {TOKEN}"
        if rights and action.right is Right.ATTENDEE:
            body["client_id"] = ATTENDEE
        if rights and action.right is Right.SCREEN:
            body.update(self.screen)
        method = action.http[0]
        if method == "GET":
            response = self.client.get(url, query_string=body, headers=headers)
        else:
            response = self.client.open(url, method=method, json=body, headers=headers)
        return response.status_code, response.get_json()


class Sockets:
    """Calls actions the way the pages do: the action's message on a connection that has (or
    lacks) the right."""

    def __init__(self, app, code: str, browser, screen_token: str = ""):
        self.app = app
        self.code = code
        self.screen_token = screen_token
        # The same client as the HTTP calls: the same address, hence the same attendee.
        self.browser = browser

    @contextmanager
    def connection(self, action: Action, *, rights: bool) -> Iterator[tuple[Any, str]]:
        if rights and action.right in STAFF_RIGHTS:
            auth, namespace = {"event": self.code, "token": TOKEN}, "/mod"
        elif rights and action.right is Right.ATTENDEE:
            auth, namespace = {"event": self.code, "client_id": ATTENDEE}, "/"
        elif rights and action.right is Right.SCREEN:
            auth = {"event": self.code, "role": "screen", "screen_token": self.screen_token}
            namespace = "/"
        else:  # a bare connection: no attendee identity, no screen, not a moderator
            auth, namespace = {"event": self.code}, "/"
        sock = socketio.test_client(
            self.app, namespace=namespace, auth=auth, flask_test_client=self.browser
        )
        assert sock.is_connected(namespace)
        try:
            yield sock, namespace
        finally:
            sock.disconnect(namespace)

    def call(self, action: Action, data: dict[str, Any], *, rights: bool) -> Any:
        body = dict(data)
        if action.selector is not None:
            body[action.selector[0]] = action.selector[1]
        with self.connection(action, rights=rights) as (sock, namespace):
            return sock.emit(action.message, body, callback=True, namespace=namespace)


def _scenario(http: Http, theme: str) -> dict[str, int]:
    """Six questions from one attendee: q1 approved and up next, q2 approved with the
    attendee's vote, q3 pending, q4 dismissed, q5 answered, q6 on screen."""
    ids = {}
    for n in range(1, 7):
        status, reply = http.call(
            REGISTRY["submit"],
            {"client_msg_id": f"scenario-{n:04d}", "text": f"Question number {n}?", "theme": theme},
            rights=True,
        )
        assert status == 201, reply
        ids[f"q{n}"] = reply["question"]["id"]
    steps = [
        ("question.approve", "q1"),
        ("question.queue", "q1"),
        ("question.approve", "q2"),
        ("vote", "q2"),
        ("question.dismiss", "q4"),
        ("question.approve", "q5"),
        ("question.answered", "q5"),
        ("question.live", "q6"),
    ]
    for name, question in steps:
        status, reply = http.call(REGISTRY[name], {"id": ids[question]}, rights=True)
        assert status == 200, (name, reply)
    return ids


def _prepare(app) -> tuple[Http, dict[str, Any]]:
    code = app.config["EVENT_CODES"][0]
    http = Http(app, code)
    themes = [t["key"] for t in http.client.get(f"/api/events/{code}").get_json()["themes"]]
    names: dict[str, Any] = {"t": themes[0], "t2": themes[1]}
    names.update(_scenario(http, themes[0]))
    names.update(_screens(app, http))
    return http, names


def _screens(app, http: Http) -> dict[str, Any]:
    """A paired screen (disconnected since), and a screen waiting with its pairing code (its
    connection stays open, or its code would be forgotten)."""
    paired = socketio.test_client(app, auth={"event": http.code, "role": "screen", "pair": True})
    code = paired.emit("pairing", {}, callback=True)["code"]
    status, reply = http.call(
        REGISTRY["screen.pair"], {"code": code, "label": "Left TV"}, rights=True
    )
    assert status == 200, reply
    [message] = [m["args"][0] for m in paired.get_received() if m["name"] == "paired"]
    paired.disconnect()
    http.screen = {"screen_id": message["screen_id"], "kind": "screen"}
    waiting = socketio.test_client(app, auth={"event": http.code, "role": "screen", "pair": True})
    WAITING.append(waiting)
    return {
        "screen_id": message["screen_id"],
        "screen_token": message["screen_token"],
        "pairing_code": waiting.emit("pairing", {}, callback=True)["code"],
    }


# Connections that must stay open for the whole test.
WAITING: list[Any] = []


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_same_action_gives_the_same_reply_on_both_transports(make_app, name):
    action = REGISTRY[name]
    data, before = EXAMPLES[name]
    replies = []
    for transport in ("http", "socket"):
        app = make_app(f"{name}-{transport}")
        http, names = _prepare(app)
        for step, step_data in before:
            status, reply = http.call(REGISTRY[step], _fill(step_data, names), rights=True)
            assert status < 300, (step, reply)
        if transport == "http":
            status, reply = http.call(action, _fill(data, names), rights=True)
            assert status < 300, reply
        else:
            reply = Sockets(app, http.code, http.client, names["screen_token"]).call(
                action, _fill(data, names), rights=True
            )
        assert "error" not in reply, reply
        if isinstance(reply.get("screen"), dict):  # ids the server issued differ per app
            reply["screen"].pop("screen_id")
        replies.append(reply)
    assert replies[0] == replies[1]


NEEDS_A_RIGHT = sorted(n for n in BOTH_WAYS if REGISTRY[n].right is not Right.ANYONE)


@pytest.mark.parametrize("name", NEEDS_A_RIGHT)
def test_without_the_right_both_transports_give_the_same_refusal(make_app, name):
    action = REGISTRY[name]
    data, _before = EXAMPLES[name]
    app = make_app(name)
    http, names = _prepare(app)
    before = http.client.get(
        f"/api/events/{http.code}/export.json", headers={"Authorization": f"Bearer {TOKEN}"}
    ).get_json()["questions"]
    status, over_http = http.call(action, _fill(data, names), rights=False)
    over_socket = Sockets(app, http.code, http.client, names["screen_token"]).call(
        action, _fill(data, names), rights=False
    )
    assert status in (401, 403)
    assert over_http == over_socket
    assert over_http["error"]["code"] in {"unauthorized", "missing_client_id", "not_a_screen"}
    after = http.client.get(
        f"/api/events/{http.code}/export.json", headers={"Authorization": f"Bearer {TOKEN}"}
    ).get_json()["questions"]
    assert after == before  # nothing changed
