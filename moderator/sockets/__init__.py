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

from moderator.core.errors import DomainError, InvalidInput
from moderator.faults import fault_reply
from moderator.health import log_socket_refusal

Reply = dict[str, Any]


def acknowledged(handler: Callable[[Any], Reply]) -> Callable[..., Reply]:
    """Turn a handler's result or refusal into its acknowledgement, so no message goes unanswered
    and bad input never drops the connection."""

    @wraps(handler)
    def wrapper(data: Any = None, *rest: Any) -> Reply:
        try:
            if rest:
                raise InvalidInput("Send one JSON object per message.", "invalid_body")
            return handler({} if data is None else data)
        except DomainError as exc:
            log_socket_refusal(exc, handler.__name__)
            return exc.as_dict()
        except Exception as exc:
            return fault_reply(exc, f"Socket.IO handler {handler.__name__}")[1]

    return wrapper


def socket_id() -> str:
    """The Socket.IO id of the connection whose message is being handled."""
    return str(cast(Any, request).sid)


def require_object(data: object) -> dict[str, Any]:
    """The message body as a dict, or a clear refusal."""
    if not isinstance(data, dict):
        raise InvalidInput("Send a JSON object.", "invalid_body")
    return data


from moderator.sockets import actions, attendee, moderation, screens  # noqa: E402,F401
