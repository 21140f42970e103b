"""Refusals from the core become ``{"error": {"code", "message"}}`` with their HTTP status."""

from flask import jsonify
from flask.typing import ResponseReturnValue

from moderator.api import bp
from moderator.core.errors import DomainError


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError) -> ResponseReturnValue:
    """Reply with the refusal's status and human message."""
    return jsonify(exc.as_dict()), exc.status
