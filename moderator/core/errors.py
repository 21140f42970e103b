"""Errors the core raises for bad input or impossible actions; adapters turn them into replies."""

from typing import Any


class DomainError(Exception):
    """An action was refused. ``code`` is stable for programs, ``message`` is for people."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """The ``{"error": {"code", "message"}}`` body of HTTP replies and acknowledgements."""
        return {"error": {"code": self.code, "message": self.message}}


class InvalidInput(DomainError):
    status = 400
    code = "invalid"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class TooMany(DomainError):
    status = 429
    code = "rate_limited"


class RateLimited(TooMany):
    """Too many of something in the current window: the same request may go again in
    ``retry_after`` seconds (HTTP's ``Retry-After``; the pages wait that long, then resend)."""

    def __init__(self, message: str, *, retry_after: int, code: str | None = None):
        super().__init__(message, code)
        self.retry_after = retry_after

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """The refusal's body, with ``retry_after`` (seconds) beside its code and message."""
        body = super().as_dict()
        body["error"]["retry_after"] = self.retry_after
        return body


class Unavailable(DomainError):
    """The server could not do it now (a dependency is down, or it is overloaded); nothing was
    changed and the same request may be sent again."""

    status = 503
    code = "unavailable"
