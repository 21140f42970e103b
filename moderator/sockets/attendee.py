"""Attendee, room-screen and stage-monitor connections on the default namespace."""

from __future__ import annotations

from typing import Any

from flask import session
from flask_socketio import ConnectionRefusedError, join_room

from moderator import fanout, identity, runtime
from moderator.core import events, questions, screens, votes
from moderator.core.errors import DomainError, InvalidInput
from moderator.extensions import socketio
from moderator.faults import fault_reply
from moderator.sockets import Reply, acknowledged, require_object

NS = fanout.ATTENDEE_NAMESPACE


def refusal(exc: BaseException, where: str) -> ConnectionRefusedError:
    """A connection refused with the reason as ``connect_error``'s data: ``{"code", "message"}``
    (``err.data`` in socket.io-client). A refusal keeps its code; a fault is logged and refused
    as ``unavailable`` (the database cannot be reached: the page tries again) or ``internal``,
    never left unanswered."""
    if isinstance(exc, DomainError):
        error: dict[str, str] = exc.as_dict()["error"]
    else:
        error = fault_reply(exc, where)[1]["error"]
    return ConnectionRefusedError(error["message"], error)


@socketio.on("connect", namespace=NS)
def connect(auth: Any = None) -> None:
    """Join the event's public room and, for an attendee, the room of their own questions; a
    room screen or stage monitor also joins the screens room.

    ``auth``: ``{"event": code, "client_id": id, "via": "online"|"room"}`` for attendees;
    ``{"event": code, "role": "screen"|"stage", "screen_id": id, "label": text}`` for screens
    (no ``screen_id``: a preview, not listed among the screens).
    """
    try:
        auth = require_object(auth)
        client_id = auth.get("client_id")
        if client_id is not None:
            client_id = questions.check_client_id(client_id)
        role = auth.get("role")
        if role is not None and role not in screens.KINDS:
            raise InvalidInput("role must be 'screen' or 'stage'.", "invalid_role")
        via = auth.get("via", "online")
        if via not in questions.ATTENDEE_ORIGINS:
            raise InvalidInput("via must be 'online' or 'room'.", "invalid_via")
        screen_id = auth.get("screen_id")
        if screen_id is not None:
            screen_id = questions.check_client_id(screen_id, "screen_id")
        label = auth.get("label")
        if label is not None and not isinstance(label, str):
            raise InvalidInput("label must be text.", "invalid_label")
        with runtime.database().session() as s:
            event = events.get_event(s, auth.get("event"))
        # The server's identity for this browser; the client_id the client sends is only a
        # label for cookie-less programs (see moderator/identity.py).
        attendee, problem = identity.resolve(client_id)
    except Exception as exc:
        raise refusal(exc, "Socket.IO connect on /") from None
    session["event"] = event.code
    session["client_id"] = client_id = attendee
    session["identity_problem"] = None if problem is None else problem.as_dict()["error"]
    session["via"] = via
    join_room(fanout.public_room(event.code))
    if client_id:
        join_room(fanout.client_room(event.code, client_id))
    if role:
        session["role"] = role
        session["screen_id"] = screen_id
        session["screen_label"] = label
        join_room(fanout.screens_room(event.code))


@socketio.on("disconnect", namespace=NS)
def disconnect(*_args: Any) -> None:
    """A registered screen going away stays listed, marked disconnected."""
    screen_id, code = session.get("screen_id"), session.get("event")
    if not screen_id or not code:
        return
    with runtime.database().session() as s:
        event = events.get_event(s, code)
        screens.screen_gone(s, event, screen_id, clock=runtime.clock())
        listed = [screens.screen_view(x) for x in screens.list_screens(s, event)]
    fanout.announce(runtime.current_app_object(), code, [fanout.ScreensChanged(listed)])


@socketio.on("sync", namespace=NS)
@acknowledged
def sync(_data: Any) -> Reply:
    """Everything the attendee page shows: the event, published questions, one's own and votes."""
    with runtime.database().session() as s:
        event = events.get_event(s, session.get("event"))
        reply: Reply = {
            "event": events.event_view(event),
            "questions": [questions.public_view(q) for q in questions.public_questions(s, event)],
        }
        client_id = session.get("client_id")
        if client_id:
            reply["mine"] = [
                questions.owner_view(q) for q in questions.questions_of(s, event, client_id)
            ]
            reply["voted"] = votes.voted_by(s, event, client_id)
        return reply
