"""Attendee, room-screen and stage-monitor connections on the default namespace."""

from __future__ import annotations

from typing import Any

from flask import current_app, session
from flask_socketio import ConnectionRefusedError, join_room
from sqlalchemy import select

from moderator import fanout, identity, room_pass, runtime
from moderator.addresses import public_base_url
from moderator.core import events, questions, screens, votes
from moderator.core.errors import N_, DomainError, Forbidden, InvalidInput, NotFound
from moderator.extensions import socketio
from moderator.faults import fault_reply
from moderator.health import log_refusal
from moderator.models import Screen
from moderator.sockets import Reply, acknowledged, require_object, socket_id
from moderator.web.routes import qr_svg

NS = fanout.ATTENDEE_NAMESPACE


def refusal(exc: BaseException, where: str, namespace: str = NS) -> ConnectionRefusedError:
    """A connection refused with the reason as ``connect_error``'s data: ``{"code", "message"}``
    (``err.data`` in socket.io-client). A refusal keeps its code; a fault is logged and refused
    as ``unavailable`` (the database cannot be reached: the page tries again) or ``internal``,
    never left unanswered. A rate limit's data also holds ``retry_after`` (seconds)."""
    if isinstance(exc, DomainError):
        log_refusal("socket", exc.code, exc.status, namespace=namespace, message="connect")
        error: dict[str, Any] = exc.as_dict()["error"]
    else:
        error = fault_reply(exc, where)[1]["error"]
    return ConnectionRefusedError(error["message"], error)


@socketio.on("connect", namespace=NS)
def connect(auth: Any = None) -> None:
    """Join the event's public room and, for an attendee, the room of their own questions; a
    room screen or stage monitor also joins the screens room.

    ``auth``: ``{"event": code, "client_id": id, "via": "online"|"room", "room_pass"?}`` for
    attendees (``room`` is recorded only with a valid room pass: the ``room`` cookie the page got
    from ``/r/<code>?pass=…``, or ``room_pass``; otherwise ``online``);
    ``{"event": code, "role": "screen"|"stage", "pair": true, "screen_token": token}`` for
    screens (``screen_id`` instead of ``pair`` is accepted, its value ignored; neither: a
    preview, never listed). A token a moderator's pairing issued makes it that paired screen;
    without one (or with one that no longer holds) it waits with a pairing code (``pairing``).
    """
    try:
        auth = require_object(auth)
        client_id = auth.get("client_id")
        if client_id is not None:
            client_id = questions.check_client_id(client_id)
        role = auth.get("role")
        if role is not None and role not in screens.KINDS:
            raise InvalidInput(N_("role must be 'screen' or 'stage'."), "invalid_role")
        via = auth.get("via", "online")
        if via not in questions.ATTENDEE_ORIGINS:
            raise InvalidInput(N_("via must be 'online' or 'room'."), "invalid_via")
        screen_id = auth.get("screen_id")
        if screen_id is not None:
            screen_id = questions.check_client_id(screen_id, "screen_id")
        token = auth.get("screen_token")
        if token is not None and not isinstance(token, str):
            raise InvalidInput(N_("screen_token must be text."), "invalid_screen_token")
        # New connections per person and per address, before any database work.
        person = identity.peek(client_id)
        runtime.limiter().hit(
            "connect",
            identity=None if person is None else f"attendee:{person}",
            address=identity.address(),
            clock=runtime.clock(),
        )
        # A preview (the dashboard's) says none of these: it shows the countdown, nothing more.
        is_screen = role is not None and (
            auth.get("pair") is True or screen_id is not None or token is not None
        )
        screen: Screen | None = None
        with runtime.database().session() as s:
            event = events.get_event(s, auth.get("event"))
            if is_screen:
                assert isinstance(role, str)
                clock = runtime.clock()
                screen = screens.paired_by_token(
                    s, event, token, kind=role, clock=clock
                ) or screens.waiting_screen(s, event, kind=role, clock=clock)
                screen_id, paired = screen.screen_id, screen.paired
                listed = screens.screen_views(s, event)
        # The server's identity for this browser; the client_id the client sends is only a
        # label for cookie-less programs (see moderator/identity.py).
        attendee, problem = identity.resolve(client_id)
        # "room" only with a valid room pass (its cookie, or ``room_pass``); see room_pass.py.
        via = room_pass.origin(event.code, via, auth.get("room_pass"))
    except Exception as exc:
        raise refusal(exc, "Socket.IO connect on /") from None
    session["event"] = event.code
    session["client_id"] = client_id = attendee
    # The refusal itself, not its text: rendered in the asker's language whenever it is given.
    session["identity_problem"] = problem
    # Kept to ask again once the address's budget frees up (``actions.attendee_actor``).
    session["client_label"] = auth.get("client_id") if problem is not None else None
    if problem is not None:
        session["identity_retry_ms"] = runtime.clock()() + 1000 * getattr(problem, "retry_after", 1)
    session["via"] = via
    join_room(fanout.public_room(event.code))
    if client_id:
        join_room(fanout.client_room(event.code, client_id))
    if role:
        session["role"] = role
        session["screen_id"] = screen_id if screen is not None else None
        join_room(fanout.screens_room(event.code))
    if screen is not None:
        join_room(fanout.screen_room(event.code, screen_id))
        if paired:  # back: listed as connected again
            fanout.announce(
                runtime.current_app_object(), event.code, [fanout.ScreensChanged(listed)]
            )


@socketio.on("pairing", namespace=NS)
@acknowledged
def pairing(_data: Any) -> Reply:
    """A screen page's pairing: ``{"paired": true, "screen_id", "label"}``, or ``{"paired":
    false, "screen_id", "code", "expires_ms"}`` with the code to show (renewed once expired)."""
    screen_id, code = session.get("screen_id"), session.get("event")
    if not screen_id or not isinstance(code, str):
        raise Forbidden(N_("Only a room screen or stage monitor is paired."), "not_a_screen")
    with runtime.database().session() as s:
        event = events.get_event(s, code)
        return screens.pairing_state(s, event, screen_id, clock=runtime.clock())


@socketio.on("join_link", namespace=NS)
@acknowledged
def join_link(_data: Any) -> Reply:
    """The link and QR code (SVG) a room screen shows to join from the room: ``{"url", "svg",
    "valid_until_ms", "refresh_ms"}``. A paired screen's carries the current rotating room
    pass; any other page's has none (an attendee who follows it is counted online)."""
    screen_id, code = session.get("screen_id"), session.get("event")
    if not screen_id or not isinstance(code, str):
        raise Forbidden(N_("Only a room screen shows the link to join."), "not_a_screen")
    with runtime.database().session() as s:
        event = events.get_event(s, code)
        paired = s.scalar(
            select(Screen.paired).where(Screen.event_id == event.id, Screen.screen_id == screen_id)
        )
    url = f"{public_base_url()}/r/{code}"
    refresh_ms = max(1, int(current_app.config["ROOM_PASS_SECONDS"])) * 500
    reply: Reply = {"url": url, "refresh_ms": refresh_ms}
    if paired:
        token, until = room_pass.rotating(code)
        reply.update(url=f"{url}?pass={token}", valid_until_ms=until)
    reply["svg"] = str(qr_svg(reply["url"]))
    return reply


@socketio.on("disconnect", namespace=NS)
def disconnect(*_args: Any) -> None:
    """A paired screen going away stays listed, marked disconnected; an unpaired one is
    forgotten (its code with it)."""
    runtime.throttle().forget(socket_id())
    screen_id, code = session.get("screen_id"), session.get("event")
    if not screen_id or not code:
        return
    with runtime.database().session() as s:
        try:
            event = events.get_event(s, code)
        except NotFound:  # the event was deleted: nothing of it is left to mark
            return
        if not screens.screen_gone(s, event, screen_id, clock=runtime.clock()):
            return
        listed = screens.screen_views(s, event)
    fanout.announce(runtime.current_app_object(), code, [fanout.ScreensChanged(listed)])


@socketio.on("sync", namespace=NS)
@acknowledged
def sync(_data: Any) -> Reply:
    """Everything the attendee page shows: the event, published questions, one's own and votes."""
    with runtime.database().session() as s:
        event = events.get_event(s, session.get("event"))
        published = runtime.public_questions().get(s, event, clock=runtime.clock())
        reply: Reply = {"event": events.event_view(event), "questions": list(published.views)}
        client_id = session.get("client_id")
        if client_id:
            reply["mine"] = [
                questions.owner_view(q) for q in questions.questions_of(s, event, client_id)
            ]
            reply["voted"] = votes.voted_by(s, event, client_id)
        return reply
