"""Moderator connections on ``/mod``: refused at connect unless the browser is logged in or the
client sends the token; every message is checked again (``sockets/actions.py``), and logging
out disconnects every dashboard of that login (``LoginWatch`` in ``moderator/tasks.py``)."""

from __future__ import annotations

from typing import Any

from flask import current_app, session
from flask_socketio import join_room

from moderator import fanout, identity, runtime
from moderator.auth import has_moderator_session, token_matches
from moderator.core import events, overview, questions, screens, votes
from moderator.core.errors import N_, Unauthorized
from moderator.extensions import socketio
from moderator.sockets import Reply, acknowledged, require_object, socket_id
from moderator.sockets.actions import moderator_actor
from moderator.sockets.attendee import refusal
from moderator.sockets.screens import screen_state

NS = fanout.MODERATOR_NAMESPACE


@socketio.on("connect", namespace=NS)
def connect(auth: Any = None) -> None:
    """Admit a moderator to the event's moderators room. ``auth``: ``{"event": code}`` plus
    ``"token"`` for tools without the browser's session cookie."""
    auth = auth if isinstance(auth, dict) else {}
    token = auth.get("token")
    by_token = token is not None and token_matches(token)
    try:
        # New connections per address (no person yet), before the login is read.
        runtime.limiter().hit(
            "connect", identity=None, address=identity.address(), clock=runtime.clock()
        )
        # Checking a login reads the database: its outage is "unavailable", not "unauthorized"
        # (which makes the dashboard show the login form).
        if not (by_token or has_moderator_session()):
            raise Unauthorized(N_("Moderator login required."), "unauthorized")
        with runtime.database().session() as s:
            event = events.get_event(s, auth.get("event"))
    except Exception as exc:
        raise refusal(exc, "Socket.IO connect on /mod", NS) from None
    session["mod_event"] = event.code
    if by_token:
        session["mod_token"] = token
    join_room(fanout.moderators_room(event.code))
    login_id = session.get("login")
    if not by_token and isinstance(login_id, str):
        join_room(fanout.login_room(login_id))
        runtime.of().login_watch.watch(socket_id(), login_id)


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
    if not moderator_actor().moderator:
        raise Unauthorized(N_("Moderator login required."), "unauthorized")
    data = require_object(data)
    limit = int(current_app.config["SYNC_PAGE_SIZE"])
    with runtime.database().session() as s:
        event = events.get_event(s, session.get("mod_event"))
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
            **reply,
            "counts": questions.column_counts(s, event),
            "overview": overview.overview(s, event, clock=runtime.clock()),
            "settings": events.settings_view(event),
            "screens": screens.screen_views(s, event),
            **screen_state(event.code),
        }
