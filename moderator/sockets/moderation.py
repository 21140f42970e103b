"""Moderator connections on ``/mod``: refused at connect unless the browser is logged in or the
client sends the token, and checked again on every message."""

from __future__ import annotations

from flask import session
from flask_socketio import ConnectionRefusedError, join_room

from moderator import agenda, fanout
from moderator.auth import has_moderator_session, token_matches
from moderator.core import events, questions, screens, timer, votes
from moderator.core.errors import DomainError, Forbidden
from moderator.extensions import db, socketio
from moderator.runtime import clock, limits
from moderator.sockets import acknowledged, require_object
from moderator.sockets.screens import clock_state

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
            "vote_split": votes.split_by_origin(s, event),
            "settings": events.settings_view(event),
            "screens": [screens.screen_view(x) for x in screens.list_screens(s, event)],
            **clock_state(event.code),
        }


@socketio.on("act", namespace=NS)
@acknowledged
def act(data):
    """A moderator's action on a question: ``{"id": n, "action": "approve"|"dismiss"|...}``, with
    ``text`` (edit), ``theme`` (retag) or ``into`` (merge)."""
    data = require_object(data)
    code = _event_code()
    with db.session() as s:
        event = events.get_event(s, code)
        changes = questions.apply_action(
            s,
            event,
            data.get("id"),
            data.get("action"),
            clock(),
            data,
            limits(),
            events.theme_keys(event),
        )
        fanout.question_changes(code, changes)
        return {"question": questions.moderator_view(changes[-1].question)}


@socketio.on("reorder", namespace=NS)
@acknowledged
def reorder(data):
    """Reorder the up-next list: ``{"order": [ids]}``, exactly the ids now in it."""
    data = require_object(data)
    code = _event_code()
    with db.session() as s:
        event = events.get_event(s, code)
        fanout.question_changes(code, questions.reorder_queue(s, event, data.get("order"), clock()))
        return {"order": data["order"]}


@socketio.on("floor", namespace=NS)
@acknowledged
def floor(data):
    """Log a question asked at the room's microphone: ``{"text", "theme", "client_msg_id",
    "name"?, "affiliation"?, "answered"?}``."""
    code = _event_code()
    with db.session() as s:
        event = events.get_event(s, code)
        question, created = questions.log_floor_question(
            s, event, data, clock(), limits(), events.theme_keys(event)
        )
        if created:
            fanout.question_submitted(code, question)
        return {"question": questions.moderator_view(question), "created": created}


@socketio.on("settings", namespace=NS)
@acknowledged
def settings(data):
    """Change live settings: ``{"premoderation"?, "current_theme"?, "word_filter"?}``."""
    code = _event_code()
    with db.session() as s:
        event = events.get_event(s, code)
        events.update_settings(s, event, clock=clock(), **events.settings_from_json(data))
        fanout.settings_changed(code, event)
        return events.settings_view(event)


@socketio.on("timer", namespace=NS)
@acknowledged
def timer_command(data):
    """Drive the agenda clock: ``{"action": "start"|"pause"|"resume"|"adjust"|"reset"|"next"|
    "previous"|"goto"|"auto_advance", "seconds": n, "index": n, "enabled": b}``."""
    code = _event_code()
    with db.session() as s:
        event = events.get_event(s, code)
        row = timer.apply(s, event, timer.command_from_json(data), clock=clock())
        return {"timer": agenda.publish(code, event, row)}


@socketio.on("display", namespace=NS)
@acknowledged
def display_command(data):
    """Message the speakers, flash, or black out the room screens: ``{"action": "message",
    "text"}``, ``{"action": "clear"}``, ``{"action": "flash"}``, ``{"action": "blackout",
    "on": b}``."""
    code = _event_code()
    with db.session() as s:
        event = events.get_event(s, code)
        view = screens.display_view(screens.apply_display(s, event, data, clock()))
        fanout.display_changed(code, view)
        return {"display": view}
