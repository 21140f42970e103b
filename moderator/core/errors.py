"""Errors the core raises for bad input or impossible actions; adapters turn them into replies.

A refusal's message is for people, so it is written once, in English, as a template with named
fields (``"There is no question {id} in this event."``) and the values beside it. The core never
translates: the adapter that replies renders the template in the asker's language
(``as_dict(translate)``); ``message`` is the English text, for logs and for programs.
``N_`` and ``NP_`` only mark the templates for the catalogue's extraction (``babel.cfg``).
"""

from collections.abc import Callable
from typing import Any, Protocol, Self


def N_(template: str) -> str:
    """Mark ``template`` for extraction; it is translated where the refusal is rendered."""
    return template


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a template whose wording depends on the count ``n`` (``ngettext``)."""
    return singular, plural


class Translator(Protocol):
    """What renders a template in someone's language: ``gettext`` and ``ngettext``."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


class English:
    """The templates as written (no catalogue)."""

    def gettext(self, message: str) -> str:
        """The English template."""
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """English's two forms."""
        return singular if n == 1 else plural


ENGLISH = English()

# Set by the web layer (``moderator/locale.py``) to a function giving the current request's or
# connection's translator; English where there is none (the core's own tests, scripts).
current_translator: Callable[[], Translator] = lambda: ENGLISH  # noqa: E731


def render(template: str | tuple[str, str], params: dict[str, Any], translator: Translator) -> str:
    """``template`` (or its singular/plural pair, counted by ``params["n"]``) in the language
    ``translator`` speaks, its fields filled; English where the translation lost or mangled a
    field, which must not turn a reply into a 500."""
    if isinstance(template, tuple):
        singular, plural = template
        text = translator.ngettext(singular, plural, int(params["n"]))
    else:
        text = translator.gettext(template)
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return render(template, params, ENGLISH) if translator is not ENGLISH else text


class DomainError(Exception):
    """An action was refused. ``code`` is stable for programs; the message is for people: a
    template (or a singular/plural pair counted by ``params["n"]``) and its fields."""

    status = 400
    code = "bad_request"

    def __init__(
        self, template: str | tuple[str, str], code: str | None = None, **params: Any
    ) -> None:
        self.template = template
        self.params = params
        # Facts for programs beside the code (the field a problem is in, the current version).
        self.details: dict[str, Any] = {}
        super().__init__(self.render(ENGLISH))
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        """The message in English."""
        return self.render(ENGLISH)

    def render(self, translator: Translator) -> str:
        """The message in the language ``translator`` speaks."""
        return render(self.template, self.params, translator)

    def as_dict(self, translator: Translator | None = None) -> dict[str, dict[str, Any]]:
        """The ``{"error": {"code", "message"}}`` body of HTTP replies and acknowledgements, in
        the language of ``translator`` (the current request's when not given)."""
        message = self.render(translator or current_translator())
        return {"error": {"code": self.code, "message": message, **self.details}}

    def with_details(self, **details: Any) -> Self:
        """This refusal, with facts for programs added to its body (``field``, ``version``)."""
        self.details.update(details)
        return self


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

    def __init__(
        self,
        template: str | tuple[str, str],
        *,
        retry_after: int,
        code: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(template, code, **params)
        self.retry_after = retry_after

    def as_dict(self, translator: Translator | None = None) -> dict[str, dict[str, Any]]:
        """The refusal's body, with ``retry_after`` (seconds) beside its code and message."""
        body = super().as_dict(translator)
        body["error"]["retry_after"] = self.retry_after
        return body


class Unavailable(DomainError):
    """The server could not do it now (a dependency is down, or it is overloaded); nothing was
    changed and the same request may be sent again."""

    status = 503
    code = "unavailable"
