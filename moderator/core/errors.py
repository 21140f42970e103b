"""Errors the core raises for bad input or impossible actions; adapters turn them into replies."""


class DomainError(Exception):
    """An action was refused. ``code`` is stable for programs, ``message`` is for people."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def as_dict(self) -> dict[str, dict[str, str]]:
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


class Unavailable(DomainError):
    """The server could not do it now (a dependency is down, or it is overloaded); nothing was
    changed and the same request may be sent again."""

    status = 503
    code = "unavailable"
