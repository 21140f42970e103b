"""Who receives what: the one place that turns a change into Socket.IO messages.

Rooms, per event:
- ``<code>:public`` on ``/``: attendees and room screens; approved, live and answered questions.
- ``<code>:client:<client_id>`` on ``/``: one attendee's own questions, whatever their status.
- ``<code>:screens`` on ``/``: room screens and stage monitors; the timer and the display.
- ``<code>:screen:<screen_id>`` on ``/``: one screen's page, told when it is paired (with its
  secret token) or unpaired.
- ``<code>:moderators`` on ``/mod``: moderators; every question with every detail, the timer,
  the display and the list of screens.
- ``login:<id>`` on ``/mod``: the dashboards of one moderator login, told when it ends.

Attendee pages are not in the screens room: thousands of phones need no timer messages.

Actions return typed announcements; ``announce`` sends each, built once per change and never
per recipient. Vote counts are not sent here per vote: the app's vote relay
(``moderator/tasks.py``) coalesces them and calls ``send_votes``. With a message queue configured,
``socketio.emit`` reaches the rooms on every server process.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask

from moderator import runtime
from moderator.core.questions import (
    PUBLIC_STATUSES,
    Change,
    moderator_view,
    owner_view,
    public_view,
)
from moderator.core.votes import Tally
from moderator.extensions import socketio

ATTENDEE_NAMESPACE = "/"
MODERATOR_NAMESPACE = "/mod"


def public_room(code: str) -> str:
    return f"{code}:public"


def client_room(code: str, client_id: str) -> str:
    return f"{code}:client:{client_id}"


def moderators_room(code: str) -> str:
    return f"{code}:moderators"


def screens_room(code: str) -> str:
    return f"{code}:screens"


def screen_room(code: str, screen_id: str) -> str:
    return f"{code}:screen:{screen_id}"


def login_room(login_id: str) -> str:
    return f"login:{login_id}"


# --- What actions announce -----------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionsChanged:
    """Questions after an action (a new one, or every one an action changed)."""

    changes: tuple[Change, ...]


@dataclass(frozen=True)
class VotesChanged:
    """A question's vote count changed; the vote relay sends counts a few times a second."""

    question_id: int


@dataclass(frozen=True)
class SettingsChanged:
    """The event's live settings, as moderators see them, and the current theme."""

    settings: dict[str, Any]


@dataclass(frozen=True)
class TimerChanged:
    """The timer's new state (the view every screen renders from)."""

    view: dict[str, Any]


@dataclass(frozen=True)
class DisplayChanged:
    """Blackout, the message to the speakers and the last flash."""

    view: dict[str, Any]


@dataclass(frozen=True)
class ScreensChanged:
    """The list of screens, with their offsets and last contact."""

    screens: list[dict[str, Any]]


@dataclass(frozen=True)
class ScreenPaired:
    """A moderator paired a screen: its page gets its name and its secret token, once."""

    screen_id: str
    label: str
    token: str


@dataclass(frozen=True)
class ScreenUnpaired:
    """A moderator removed a screen: its page shows a pairing code again."""

    screen_id: str


Announcement = (
    QuestionsChanged
    | VotesChanged
    | SettingsChanged
    | TimerChanged
    | DisplayChanged
    | ScreensChanged
    | ScreenPaired
    | ScreenUnpaired
)


def announce(app: Flask, code: str, items: Iterable[Announcement]) -> None:
    """Send what an action changed to whoever may see it."""
    for item in items:
        if isinstance(item, QuestionsChanged):
            question_changes(code, item.changes)
        elif isinstance(item, VotesChanged):
            runtime.vote_relay(app).changed(code, item.question_id)
        elif isinstance(item, SettingsChanged):
            _to_moderators(code, "settings", item.settings)
            socketio.emit(
                "current_theme",
                {"current_theme": item.settings["current_theme"]},
                to=public_room(code),
                namespace=ATTENDEE_NAMESPACE,
            )
        elif isinstance(item, TimerChanged):
            # Screens count down by themselves until the next change.
            _to_screens_and_moderators(code, "timer", item.view)
            runtime.timer_tasks(app).schedule_auto_advance(code, item.view)
        elif isinstance(item, DisplayChanged):
            _to_screens_and_moderators(code, "display", item.view)
        elif isinstance(item, ScreenPaired):
            socketio.emit(
                "paired",
                {"screen_id": item.screen_id, "label": item.label, "screen_token": item.token},
                to=screen_room(code, item.screen_id),
                namespace=ATTENDEE_NAMESPACE,
            )
        elif isinstance(item, ScreenUnpaired):
            socketio.emit(
                "unpaired",
                {"screen_id": item.screen_id},
                to=screen_room(code, item.screen_id),
                namespace=ATTENDEE_NAMESPACE,
            )
        else:
            _to_moderators(code, "screens", item.screens)


def question_changes(code: str, changes: Iterable[Change]) -> None:
    """Send the changed questions to moderators, to the public those that are (or were) public,
    and to each author theirs. One action that changes two questions (a new one on screen, the
    previous one back in the queue) is one message per recipient, not two."""
    changes = list(changes)
    _emit_each(
        [moderator_view(c.question) for c in changes], moderators_room(code), MODERATOR_NAMESPACE
    )
    _emit_each(
        [public_view(c.question) for c in changes if c.question.status in PUBLIC_STATUSES],
        public_room(code),
        ATTENDEE_NAMESPACE,
    )
    for change in changes:
        question = change.question
        if change.was_public and question.status not in PUBLIC_STATUSES:
            socketio.emit(
                "question_removed",
                # Its version: a late message from before it was withdrawn does not bring it back.
                {"id": question.id, "version": public_view(question)["version"]},
                to=public_room(code),
                namespace=ATTENDEE_NAMESPACE,
            )
        socketio.emit(
            "my_question",
            owner_view(question),
            to=client_room(code, question.client_id),
            namespace=ATTENDEE_NAMESPACE,
        )


def send_votes(code: str, tallies: dict[int, Tally], split: dict[int, dict[str, int]]) -> None:
    """Vote counts to attendees, with each question's public version (a page keeps a count only
    if it is newer than what it shows); with the split by origin to moderators."""
    public = {
        "counts": {qid: tally.votes for qid, tally in tallies.items()},
        "versions": {qid: tally.version for qid, tally in tallies.items()},
    }
    socketio.emit("votes", public, to=public_room(code), namespace=ATTENDEE_NAMESPACE)
    _to_moderators(code, "votes", {**public, "split": split})


def logged_out(login_id: str) -> None:
    """Tell the dashboards of a login that ended (they are also disconnected, see
    ``moderator/sockets/moderation.py``)."""
    socketio.emit("logged_out", {}, to=login_room(login_id), namespace=MODERATOR_NAMESPACE)


def _emit_each(payloads: list[dict[str, Any]], room: str, namespace: str) -> None:
    if len(payloads) == 1:
        socketio.emit("question", payloads[0], to=room, namespace=namespace)
    elif payloads:
        socketio.emit("questions", payloads, to=room, namespace=namespace)


def _to_moderators(code: str, message: str, payload: object) -> None:
    socketio.emit(message, payload, to=moderators_room(code), namespace=MODERATOR_NAMESPACE)


def _to_screens_and_moderators(code: str, message: str, payload: object) -> None:
    socketio.emit(message, payload, to=screens_room(code), namespace=ATTENDEE_NAMESPACE)
    _to_moderators(code, message, payload)
