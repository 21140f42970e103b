"""Refusals from the core become ``{"error": {"code", "message"}}`` with their HTTP status."""

from flask import jsonify
from flask.typing import ResponseReturnValue

from moderator.api import bp
from moderator.core.errors import DomainError, RateLimited
from moderator.health import note_http_refusal


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError) -> ResponseReturnValue:
    """Reply with the refusal's status and human message (and log it: ``moderator.health``);
    a rate limit also says when to come back (``Retry-After``, in seconds)."""
    note_http_refusal(exc.code)
    if isinstance(exc, RateLimited):
        return jsonify(exc.as_dict()), exc.status, {"Retry-After": str(exc.retry_after)}
    return jsonify(exc.as_dict()), exc.status
