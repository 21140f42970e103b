"""Who receives what: the one place that turns a change into Socket.IO messages.

Rooms, per event:
- ``<code>:public`` on ``/``: attendees and room screens; approved, live and answered questions.
- ``<code>:client:<client_id>`` on ``/``: one attendee's own questions, whatever their status.
- ``<code>:screens`` on ``/``: room screens and stage monitors; the clock and the display.
- ``<code>:moderators`` on ``/mod``: moderators; every question with every detail, the clock,
  the display and the list of screens.

Attendee pages are not in the screens room: thousands of phones need no clock messages.

Each payload is built once per change, never per recipient. Vote counts are coalesced
(``VoteRelay``): a few messages a second per event whatever the vote rate. With a message queue
configured, ``socketio.emit`` reaches the rooms on every server process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from flask import current_app

from moderator.core import events, votes
from moderator.core.questions import (
    PUBLIC_STATUSES,
    Change,
    moderator_view,
    owner_view,
    public_view,
)
from moderator.extensions import db, socketio
from moderator.models import Event, Question

log = logging.getLogger(__name__)
ATTENDEE_NAMESPACE = "/"
MODERATOR_NAMESPACE = "/mod"


def public_room(code: str) -> str:
    return f"{code}:public"


def client_room(code: str, client_id: str) -> str:
    return f"{code}:client:{client_id}"


def moderators_room(code: str) -> str:
    return f"{code}:moderators"


def question_submitted(code: str, question: Question) -> None:
    """Announce a new question: to moderators always, to everyone if published straight away."""
    question_changes(code, [Change(question, was_public=False)])


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
                {"id": question.id},
                to=public_room(code),
                namespace=ATTENDEE_NAMESPACE,
            )
        socketio.emit(
            "my_question",
            owner_view(question),
            to=client_room(code, question.client_id),
            namespace=ATTENDEE_NAMESPACE,
        )


def _emit_each(payloads: list[dict], room: str, namespace: str) -> None:
    if len(payloads) == 1:
        socketio.emit("question", payloads[0], to=room, namespace=namespace)
    elif payloads:
        socketio.emit("questions", payloads, to=room, namespace=namespace)


class VoteRelay:
    """Coalesces vote counts: however fast votes arrive, each event's counts go out at most once
    per interval, read from the database at that moment, so the last message is exact.

    An interval of 0 sends one message per vote (kept only to measure what coalescing saves).
    """

    def __init__(self) -> None:
        self.dirty: dict[str, set[int]] = {}
        self.lock = threading.Lock()
        self.running = False

    def changed(self, code: str, question_id: int) -> None:
        """Note that a question's count changed; it goes out with the next batch."""
        app = current_app._get_current_object()
        if app.config["VOTE_BROADCAST_INTERVAL_MS"] <= 0:
            self._send(app, {code: {question_id}})
            return
        with self.lock:
            self.dirty.setdefault(code, set()).add(question_id)
            if self.running:
                return
            self.running = True
        socketio.start_background_task(self._loop, app)

    def _loop(self, app) -> None:
        interval = app.config["VOTE_BROADCAST_INTERVAL_MS"] / 1000
        while True:
            socketio.sleep(interval)
            with self.lock:
                batch, self.dirty = self.dirty, {}
                if not batch:
                    self.running = False
                    return
            try:
                self._send(app, batch)
            except Exception:  # the next batch tries again; a background task has no caller
                log.exception("sending vote counts failed")

    def _send(self, app, batch: dict[str, set[int]]) -> None:
        with app.app_context(), db.session() as session:
            for code, ids in batch.items():
                counts = votes.counts(session, ids)
                event = events.get_event(session, code)
                split = votes.split_by_origin(session, event, ids)
                public = {"counts": counts}
                socketio.emit("votes", public, to=public_room(code), namespace=ATTENDEE_NAMESPACE)
                socketio.emit(
                    "votes",
                    {**public, "split": split},
                    to=moderators_room(code),
                    namespace=MODERATOR_NAMESPACE,
                )


vote_relay = VoteRelay()


def settings_changed(code: str, event: Event) -> None:
    """Send the event's settings to moderators, and the current theme to attendees; this
    process's submissions see them at once."""
    current_app.extensions["moderator.snapshots"].forget(code)
    socketio.emit(
        "settings",
        events.settings_view(event),
        to=moderators_room(code),
        namespace=MODERATOR_NAMESPACE,
    )
    socketio.emit(
        "current_theme",
        {"current_theme": event.current_theme},
        to=public_room(code),
        namespace=ATTENDEE_NAMESPACE,
    )


def screens_room(code: str) -> str:
    return f"{code}:screens"


def timer_changed(code: str, view: dict) -> None:
    """Send the new clock state to the room screens, stage monitors and moderators; they count
    down by themselves until the next change."""
    socketio.emit("timer", view, to=screens_room(code), namespace=ATTENDEE_NAMESPACE)
    socketio.emit("timer", view, to=moderators_room(code), namespace=MODERATOR_NAMESPACE)


def display_changed(code: str, view: dict) -> None:
    """Send blackout, the speakers' message and flash to the screens and moderators."""
    socketio.emit("display", view, to=screens_room(code), namespace=ATTENDEE_NAMESPACE)
    socketio.emit("display", view, to=moderators_room(code), namespace=MODERATOR_NAMESPACE)


def screens_changed(code: str, screens: list[dict]) -> None:
    """Send the list of screens, with their offsets and last contact, to moderators."""
    socketio.emit("screens", screens, to=moderators_room(code), namespace=MODERATOR_NAMESPACE)
