"""Moderator connections on ``/mod``: refused at connect unless the browser is logged in or the
client sends the token; every message is checked again (``sockets/actions.py``), and logging
out disconnects every dashboard of that login (``LoginWatch`` in ``moderator/tasks.py``)."""

from __future__ import annotations

from typing import Any

from flask import current_app, session
from flask_socketio import join_room

from moderator import fanout, identity, runtime
from moderator.auth import credential_for_token, session_credential
from moderator.core import events, overview, questions, screens, speaking, votes
from moderator.core.access import Right
from moderator.core.errors import N_, Forbidden, Unauthorized
from moderator.extensions import socketio
from moderator.sockets import Reply, acknowledged, require_object, socket_id
from moderator.sockets.actions import dashboard_credential
from moderator.sockets.attendee import refusal
from moderator.sockets.screens import screen_state

NS = fanout.MODERATOR_NAMESPACE


@socketio.on("connect", namespace=NS)
def connect(auth: Any = None) -> None:
    """Admit a moderator to the event's moderators room. ``auth``: ``{"event": code}`` plus
    ``"token"`` for tools without the browser's session cookie."""
    auth = auth if isinstance(auth, dict) else {}
    token = auth.get("token")
    try:
        # New connections per address (no person yet), before the login is read.
        runtime.limiter().hit(
            "connect", identity=None, address=identity.address(), clock=runtime.clock()
        )
        # Checking a login reads the database: its outage is "unavailable", not "unauthorized"
        # (which makes the dashboard show the login form).
        credential = credential_for_token(token) if token is not None else session_credential()
        if credential is None:
            raise Unauthorized(N_("Moderator login required."), "unauthorized")
        with runtime.database().session() as s:
            event = events.get_event(s, auth.get("event"))
        if not credential.covers(event.code):
            raise Forbidden(N_("This access is for another event."), "other_event")
    except Exception as exc:
        raise refusal(exc, "Socket.IO connect on /mod", NS) from None
    session["mod_event"] = event.code
    if token is not None:
        session["mod_token"] = token
    # Who reads the queue gets every question; the screens' helpers only what screens show.
    if credential.allows(Right.QUEUE, event.code):
        join_room(fanout.moderators_room(event.code))
    else:
        join_room(fanout.pairing_room(event.code))
    if credential.login_id is not None:
        join_room(fanout.login_room(credential.login_id))
    if credential.invitation_id is not None:
        join_room(fanout.invitation_room(credential.invitation_id))
    runtime.of().login_watch.watch(socket_id(), credential.login_id, credential.invitation_id)


@socketio.on("disconnect", namespace=NS)
def disconnect(*_args: Any) -> None:
    """Stop watching this dashboard's login."""
    runtime.of().login_watch.forget(socket_id())


@socketio.on("sync", namespace=NS)
@acknowledged
def sync(data: Any) -> Reply:
    """The dashboard's state, with the questions one page at a time (``SYNC_PAGE_SIZE``, oldest
    first), so that 10,000 questions are neither one read nor one message.

    ``{}``: the event, the settings, the timer, the display, the screens, the exact count of
    each column, the overview (suggested next question, theme coverage) and the first page of
    questions. ``{"after": id}``: the next page only. Each
    page carries its questions' vote split and ``next``, the ``after`` of the following page
    (``None`` on the last)."""
    credential = dashboard_credential()
    if credential is None:
        raise Unauthorized(N_("Moderator login required."), "unauthorized")
    data = require_object(data)
    limit = int(current_app.config["SYNC_PAGE_SIZE"])
    with runtime.database().session() as s:
        event = events.get_event(s, session.get("mod_event"))
        if not credential.allows(Right.QUEUE, event.code):
            if not credential.covers(event.code):
                raise credential.refusal(Right.QUEUE, event.code)
            # The screens' helpers: the agenda, the clock and the screens, no questions.
            return {
                "event": events.event_view(event),
                "access": credential.view(event.code),
                "questions": [],
                "vote_split": {},
                "next": None,
                "screens": screens.screen_views(s, event),
                **screen_state(event.code),
            }
        page = questions.questions_after(s, event, data.get("after", 0), limit)
        reply: Reply = {
            "questions": [questions.moderator_view(q) for q in page],
            "vote_split": votes.split_by_origin(s, event, [q.id for q in page]) if page else {},
            "next": page[-1].id if len(page) >= limit else None,
        }
        if "after" in data:
            return reply
        return {
            "event": events.event_view(event),
            "access": credential.view(event.code),
            **reply,
            "counts": questions.column_counts(s, event),
            "overview": overview.overview(s, event, clock=runtime.clock()),
            "settings": events.settings_view(event),
            "screens": screens.screen_views(s, event),
            "speaking": speaking.speaking_view(s, event, now=runtime.clock()()),
            **screen_state(event.code),
        }
