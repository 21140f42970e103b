"""Socket.IO handlers: attendees and screens on ``/``, moderators on ``/mod``.

- ``actions.py``: one handler per message of the action registry, on both namespaces (the
  actor's rights decide, so a message sent on the wrong namespace is refused, not ignored).
- ``attendee.py``, ``moderation.py``: connecting, disconnecting and the initial state.
- ``screens.py``: time samples and the timer state for screens.

Importing this package registers the handlers on the shared ``socketio`` object.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from flask import request

from moderator import runtime
from moderator.core.errors import N_, DomainError, InvalidInput, TooMany
from moderator.extensions import socketio
from moderator.fanout import MODERATOR_NAMESPACE
from moderator.faults import fault_reply
from moderator.health import log_socket_refusal

Reply = dict[str, Any]


def acknowledged(handler: Callable[[Any], Reply]) -> Callable[..., Reply]:
    """Turn a handler's result or refusal into its acknowledgement, so no message goes unanswered
    and bad input never drops the connection."""

    @wraps(handler)
    def wrapper(data: Any = None, *rest: Any) -> Reply:
        limited = paced(handler.__name__)
        if limited is not None:
            return limited
        try:
            if rest:
                raise InvalidInput(N_("Send one JSON object per message."), "invalid_body")
            return handler({} if data is None else data)
        except DomainError as exc:
            log_socket_refusal(exc, handler.__name__)
            return exc.as_dict()
        except Exception as exc:
            return fault_reply(exc, f"Socket.IO handler {handler.__name__}")[1]

    return wrapper


def paced(name: str) -> Reply | None:
    """None when this connection may send another message now; otherwise the refusal to
    acknowledge it with (``rate_limited``, ``retry_after`` in seconds), after closing the
    connection if it kept sending while refused. Moderators' connections are not paced."""
    namespace = cast(Any, request).namespace
    if namespace == MODERATOR_NAMESPACE:
        return None
    sid = socket_id()
    verdict = runtime.throttle().check(sid)
    if verdict.allowed:
        return None
    exc = TooMany(
        N_("Too many messages on this connection; wait {seconds} s."),
        "rate_limited",
        seconds=f"{verdict.retry_after:g}",
    )
    if verdict.first or verdict.keeps_going:  # one line per streak, not one per message
        log_socket_refusal(exc, name)
    if verdict.keeps_going:
        # It ignores the refusals: end the whole connection (every namespace), not only this one.
        server = socketio.server
        eio_sid = server.manager.eio_sid_from_sid(sid, namespace)
        server.disconnect(sid, namespace=namespace)
        if eio_sid is not None:  # (None would mean every connection to engine.io)
            server.eio.disconnect(eio_sid)
    return {"error": {**exc.as_dict()["error"], "retry_after": verdict.retry_after}}


def socket_id() -> str:
    """The Socket.IO id of the connection whose message is being handled."""
    return str(cast(Any, request).sid)


def require_object(data: object) -> dict[str, Any]:
    """The message body as a dict, or a clear refusal."""
    if not isinstance(data, dict):
        raise InvalidInput(N_("Send a JSON object."), "invalid_body")
    return data


from moderator.sockets import actions, attendee, moderation, screens  # noqa: E402,F401
