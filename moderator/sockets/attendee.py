"""Attendee and room-screen connections on the default namespace."""

from __future__ import annotations

from flask import session
from flask_socketio import ConnectionRefusedError, join_room

from moderator import fanout
from moderator.ballot_box import ballot_box
from moderator.core import events, questions, screens, votes
from moderator.core.errors import DomainError, InvalidInput
from moderator.extensions import db, socketio
from moderator.runtime import clock, limits, snapshots
from moderator.sockets import acknowledged, require_object

NS = fanout.ATTENDEE_NAMESPACE


@socketio.on("connect", namespace=NS)
def connect(auth=None):
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
        with db.session() as s:
            event = events.get_event(s, auth.get("event"))
    except DomainError as exc:
        raise ConnectionRefusedError(exc.as_dict()["error"]) from None
    session["event"] = event.code
    session["event_id"] = event.id
    session["client_id"] = client_id
    session["via"] = via
    join_room(fanout.public_room(event.code))
    if client_id:
        join_room(fanout.client_room(event.code, client_id))
    if role:
        session["role"] = role
        session["screen_id"] = screen_id
        session["screen_label"] = auth.get("label")
        join_room(fanout.screens_room(event.code))


def _client_id() -> str:
    client_id = session.get("client_id")
    if not client_id:
        raise InvalidInput("Connect with a client_id to send questions or vote.", "no_client_id")
    return client_id


@socketio.on("sync", namespace=NS)
@acknowledged
def sync(_data):
    """Everything the attendee page shows: the event, published questions, one's own and votes."""
    with db.session() as s:
        event = events.get_event(s, session.get("event"))
        reply = {
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


@socketio.on("submit", namespace=NS)
@acknowledged
def submit(data):
    """Store a question, then acknowledge with it: ``{text, theme, via, client_msg_id, name?,
    affiliation?}``. A resend with the same client_msg_id returns the stored question."""
    data = {**require_object(data), "client_id": _client_id()}
    code = session.get("event")
    with db.session() as s:
        event = snapshots().get(s, code, clock=clock())
        question, created = questions.submit(s, event, data, clock(), limits(), event.theme_keys)
        if created:
            fanout.question_submitted(code, question)
        return {"question": questions.owner_view(question), "created": created}


@socketio.on("vote", namespace=NS)
@acknowledged
def vote(data):
    """Upvote a published question: ``{"id": n}``; ``{"id": n, "undo": true}`` takes it back."""
    data = require_object(data)
    code = session.get("event")
    if data.get("undo") is True:
        with db.session() as s:
            qid, count = votes.unvote(s, events.get_event(s, code), data.get("id"), _client_id())
    else:
        ballot = votes.Ballot(data.get("id"), _client_id(), session["via"])
        qid, count = ballot_box.cast(session["event_id"], ballot)
    fanout.vote_relay.changed(code, qid)
    return {"question": {"id": qid, "votes": count}}


@socketio.on("similar", namespace=NS)
@acknowledged
def similar(data):
    """Published questions like the one being typed: ``{"text"}``, to upvote instead."""
    data = require_object(data)
    with db.session() as s:
        event = events.get_event(s, session.get("event"))
        found = questions.similar_public(s, event, data.get("text"))
        return {"similar": [{**questions.public_view(q), "score": score} for q, score in found]}
