"""Server faults (not refusals): logged with a traceback and a request id, answered with a
503 when a dependency is down (the same request may be sent again) and a 500 otherwise."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from moderator.core import errors
from moderator.core.errors import N_

log = logging.getLogger("moderator.faults")


def translated(template: str | tuple[str, str], **params: Any) -> str:
    """The server's own message to people (``N_``/``NP_`` template and its fields, as a
    refusal's) in the asker's language, or in English when translating fails: a fault may come
    from what choosing the language needs."""
    try:
        return errors.render(template, params, errors.current_translator())
    except Exception:
        return errors.render(template, params, errors.ENGLISH)


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
                    N_(
                        "The server cannot reach its database right now; nothing was changed. "
                        "Please try again in a moment."
                    )
                ),
                "request_id": request_id,
            }
        }
    return 500, {
        "error": {
            "code": "internal",
            "message": translated(
                N_(
                    "The server failed to handle this request; nothing was changed. "
                    "Quote {request_id} when reporting it."
                ),
                request_id=request_id,
            ),
            "request_id": request_id,
        }
    }
