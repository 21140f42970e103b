"""The registry's actions as Socket.IO messages: each message decodes the body, takes the actor
from the connection (checked again on every message) and acknowledges with the action's reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import session
from flask_socketio import join_room

from moderator import actions, fanout, identity, runtime
from moderator.actions import Action, Actor, ScreenIdentity
from moderator.auth import credential_for_token, session_credential
from moderator.core.access import Credential
from moderator.core.errors import N_, DomainError, Forbidden, InvalidInput
from moderator.extensions import socketio
from moderator.fanout import ATTENDEE_NAMESPACE, MODERATOR_NAMESPACE
from moderator.sockets import Reply, acknowledged, require_object, wire


def attendee_actor() -> Actor:
    """An attendee or screen connection, as it was admitted at connect."""
    screen_id = session.get("screen_id")
    problem = session.get("identity_problem")
    if problem is not None:
        problem = _identity_again()
    return Actor(
        client_id=session.get("client_id"),
        identity_problem=problem,
        via=session.get("via", "online"),
        # The screen id the server issued at connect (paired or waiting); a report must also
        # carry the token pairing gave (``moderator/core/screens.py``).
        screen=ScreenIdentity(screen_id, session["role"], None) if screen_id else None,
        address=identity.address(),
    )


def _identity_again() -> DomainError | None:
    """A connection admitted without an identity (its address had started too many) asks
    again, once the wait it was given is over: the page resends what it holds then. The
    refusal is kept as it was raised, to be rendered in the asker's language each time."""
    problem: DomainError = session["identity_problem"]
    label = session.get("client_label")
    if label is None or runtime.clock()() < session.get("identity_retry_ms", 0):
        return problem
    attendee, refusal = identity.resolve(label)
    if refusal is not None or attendee is None:
        problem = problem if refusal is None else refusal
        session["identity_problem"] = problem
        session["identity_retry_ms"] = runtime.clock()() + 1000 * getattr(problem, "retry_after", 1)
        return problem
    session["client_id"], session["identity_problem"] = attendee, None
    join_room(fanout.client_room(session["event"], attendee))
    return None


def moderator_actor() -> Actor:
    """A dashboard connection, with the access it still has: its token's, or its login's,
    read again on every message (a revoked invitation or an ended login holds no more)."""
    return Actor(credential=dashboard_credential())


def dashboard_credential() -> Credential | None:
    """The access of this dashboard connection now."""
    token = session.get("mod_token")
    return credential_for_token(token) if token is not None else session_credential()


def _handler(message: str, group: list[Action], namespace: str) -> Callable[..., Reply]:
    moderators = namespace == MODERATOR_NAMESPACE

    def handle(data: Any) -> Reply:
        data = require_object(data)
        code = session.get("mod_event" if moderators else "event")
        if not isinstance(code, str):
            raise Forbidden(N_("This connection belongs to no event; reconnect."), "no_event")
        actor = moderator_actor() if moderators else attendee_actor()
        return actions.perform(actions.choose(group, data), actor, code, data).reply

    handle.__name__ = f"{message}_on_{'mod' if moderators else 'public'}"
    handle.__doc__ = f"The {message!r} message: {', '.join(a.name for a in group)}."
    return acknowledged(handle)


def malformed(*_args: Any) -> Reply:
    """A message the packet parser could not read (``moderator/sockets/wire.py``)."""
    return InvalidInput(
        N_("The message is not JSON this server can read."), "invalid_body"
    ).as_dict()


for _namespace in (ATTENDEE_NAMESPACE, MODERATOR_NAMESPACE):
    socketio.on(wire.MALFORMED, namespace=_namespace)(malformed)

for _message, _group in actions.by_message().items():
    for _namespace in (ATTENDEE_NAMESPACE, MODERATOR_NAMESPACE):
        socketio.on(_message, namespace=_namespace)(_handler(_message, _group, _namespace))
