"""Socket.IO handlers: attendees and screens on ``/``, moderators on ``/mod``.

Importing this package registers the handlers on the shared ``socketio`` object.
"""

from __future__ import annotations

import logging
from functools import wraps

from moderator.core.errors import DomainError, InvalidInput

log = logging.getLogger(__name__)


def acknowledged(handler):
    """Turn a handler's result or refusal into its acknowledgement, so no message goes unanswered
    and bad input never drops the connection."""

    @wraps(handler)
    def wrapper(data=None, *rest):
        if rest:
            return InvalidInput("Send one JSON object per message.", "invalid_body").as_dict()
        try:
            return handler({} if data is None else data)
        except DomainError as exc:
            return exc.as_dict()
        except Exception:
            log.exception("unexpected error in Socket.IO handler %s", handler.__name__)
            return {
                "error": {
                    "code": "internal",
                    "message": "The server failed to handle this message.",
                }
            }

    return wrapper


def require_object(data: object) -> dict:
    """The message body as a dict, or a clear refusal."""
    if not isinstance(data, dict):
        raise InvalidInput("Send a JSON object.", "invalid_body")
    return data


from moderator.sockets import attendee, moderation, screens  # noqa: E402,F401
