"""Refusals from the core become ``{"error": {"code", "message"}}`` with their HTTP status."""

from flask import jsonify
from flask.typing import ResponseReturnValue

from moderator.api import bp
from moderator.core.errors import DomainError
from moderator.health import note_http_refusal


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError) -> ResponseReturnValue:
    """Reply with the refusal's status and human message (and log it: ``moderator.health``)."""
    note_http_refusal(exc.code)
    return jsonify(exc.as_dict()), exc.status
