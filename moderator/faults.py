"""Server faults (not refusals): logged with a traceback and a request id, answered with a
503 when a dependency is down (the same request may be sent again) and a 500 otherwise."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from flask_babel import gettext, ngettext
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger("moderator.faults")


def translated(message: str, plural: str | None = None, **params: Any) -> str:
    """``message`` (``%(name)s`` fields; with ``plural``, counted by ``params["num"]``) in the
    asker's language, or in English when translating fails: a fault may come from what choosing
    the language needs, and a translation that lost a field must not turn a reply into a 500."""
    try:
        if plural is not None:
            fields = {k: v for k, v in params.items() if k != "num"}
            return str(ngettext(message, plural, params["num"], **fields))
        return str(gettext(message, **params))
    except Exception:
        if plural is not None and params.get("num") != 1:
            message = plural
        return message % params if params else message


def _unavailable(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError | PoolTimeout):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    try:
        import redis

        return isinstance(exc, redis.ConnectionError | redis.TimeoutError)
    except ImportError:  # pragma: no cover - redis is a dependency
        return False


def fault_reply(exc: BaseException, where: str) -> tuple[int, dict[str, Any]]:
    """Log ``exc`` (raised while handling ``where``) and build the reply: status and
    ``{"error": {"code", "message", "request_id"}}``."""
    request_id = secrets.token_hex(6)
    log.error("request %s failed in %s", request_id, where, exc_info=exc)
    if _unavailable(exc):
        return 503, {
            "error": {
                "code": "unavailable",
                "message": translated(
                    "The server cannot reach its database right now; nothing was changed. "
                    "Please try again in a moment."
                ),
                "request_id": request_id,
            }
        }
    return 500, {
        "error": {
            "code": "internal",
            "message": translated(
                "The server failed to handle this request; nothing was changed. "
                "Quote %(request_id)s when reporting it.",
                request_id=request_id,
            ),
            "request_id": request_id,
        }
    }
