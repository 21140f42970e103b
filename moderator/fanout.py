"""Who receives what: the one place that turns a change into Socket.IO messages.

Rooms, per event:
- ``<code>:public`` on ``/``: attendees and room screens; approved, live and answered questions.
- ``<code>:client:<client_id>`` on ``/``: one attendee's own questions, whatever their status.
- ``<code>:screens`` on ``/``: room screens and stage monitors; the clock and the display.
- ``<code>:moderators`` on ``/mod``: moderators; every question with every detail, the clock,
  the display and the list of screens.

Attendee pages are not in the screens room: thousands of phones need no clock messages.

Each payload is built once per change, never per recipient. With a message queue configured,
``socketio.emit`` reaches the rooms on every server process.
"""

from __future__ import annotations

from collections.abc import Iterable

from moderator.core.questions import (
    PUBLIC_STATUSES,
    Change,
    moderator_view,
    owner_view,
    public_view,
)
from moderator.extensions import socketio
from moderator.models import Event, Question

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
    """Send each changed question to moderators, to the public if it is (or was) public, and to
    its author."""
    for change in changes:
        question = change.question
        socketio.emit(
            "question",
            moderator_view(question),
            to=moderators_room(code),
            namespace=MODERATOR_NAMESPACE,
        )
        public = public_view(question)
        if question.status in PUBLIC_STATUSES:
            socketio.emit("question", public, to=public_room(code), namespace=ATTENDEE_NAMESPACE)
        elif change.was_public:
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


def votes_changed(code: str, question: Question) -> None:
    """Send a question's new vote count to everyone who can see it."""
    payload = {"id": question.id, "votes": question.votes}
    socketio.emit("votes", payload, to=public_room(code), namespace=ATTENDEE_NAMESPACE)
    socketio.emit("votes", payload, to=moderators_room(code), namespace=MODERATOR_NAMESPACE)


def settings_changed(code: str, event: Event) -> None:
    """Tell moderators that the event's settings (pre-moderation) changed."""
    socketio.emit(
        "settings",
        {"premoderation": event.premoderation},
        to=moderators_room(code),
        namespace=MODERATOR_NAMESPACE,
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
