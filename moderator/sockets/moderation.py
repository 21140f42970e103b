"""Moderator connections on ``/mod``: refused at connect unless the browser is logged in or the
client sends the token, and checked again on every message."""

from __future__ import annotations

from flask import session
from flask_socketio import ConnectionRefusedError, join_room

from moderator import fanout
from moderator.auth import has_moderator_session, token_matches
from moderator.core import events, questions
from moderator.core.errors import DomainError, Forbidden
from moderator.extensions import db, socketio
from moderator.runtime import clock
from moderator.sockets import acknowledged, require_object

NS = fanout.MODERATOR_NAMESPACE


@socketio.on("connect", namespace=NS)
def connect(auth=None):
    """Admit a moderator to the event's moderators room. ``auth``: ``{"event": code}`` plus
    ``"token"`` for tools without the browser's session cookie."""
    auth = auth if isinstance(auth, dict) else {}
    if not (has_moderator_session() or token_matches(auth.get("token"))):
        raise ConnectionRefusedError(
            {"code": "unauthorized", "message": "Moderator login required."}
        )
    try:
        with db.session() as s:
            event = events.get_event(s, auth.get("event"))
    except DomainError as exc:
        raise ConnectionRefusedError(exc.as_dict()["error"]) from None
    session["mod_event"] = event.code
    join_room(fanout.moderators_room(event.code))


def _event_code() -> str:
    code = session.get("mod_event")
    if not code:
        raise Forbidden("This connection is not a moderator's.")
    return code


@socketio.on("sync", namespace=NS)
@acknowledged
def sync(_data):
    """The event and every question, with all details."""
    with db.session() as s:
        event = events.get_event(s, _event_code())
        return {
            "event": events.event_view(event),
            "questions": [questions.moderator_view(q) for q in questions.all_questions(s, event)],
        }


@socketio.on("act", namespace=NS)
@acknowledged
def act(data):
    """A moderator's action on a question: ``{"id": n, "action": "approve"|"dismiss"|...}``."""
    data = require_object(data)
    code = _event_code()
    with db.session() as s:
        event = events.get_event(s, code)
        changes = questions.apply_action(s, event, data.get("id"), data.get("action"), clock())
        fanout.question_changes(code, changes)
        return {"question": questions.moderator_view(changes[-1].question)}


@socketio.on("settings", namespace=NS)
@acknowledged
def settings(data):
    """Change the event's settings: ``{"premoderation": true|false}``."""
    data = require_object(data)
    code = _event_code()
    with db.session() as s:
        event = events.get_event(s, code)
        events.set_premoderation(s, event, data.get("premoderation"), clock())
        fanout.settings_changed(code, event)
        return {"premoderation": event.premoderation}
