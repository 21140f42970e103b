"""Who is a moderator: a browser that logged in with the token, or a tool sending it as a bearer.

The browser's session cookie holds a fingerprint of the token, so changing MODERATOR_TOKEN logs
every browser out, and the id of its login, stored in the database, so logging out ends the
login everywhere (every dashboard socket is checked on every message). Cookie-authenticated
writes also need the session's CSRF token and must not come from another site's page (``Origin``,
or ``Sec-Fetch-Site`` without it); a tool's bearer token needs neither.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import current_app, request, session
from sqlalchemy import update

from moderator import runtime
from moderator.core.errors import N_, DomainError, Forbidden, Unauthorized
from moderator.models import Login

CSRF_HEADER = "X-CSRF-Token"
P = ParamSpec("P")
R = TypeVar("R")

# A host[:port] as an Origin or a CSP source names it: a name or IPv4 address, or a bracketed
# IPv6 address. Anything else (a forged Host header) is left out.
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?")


def _fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def token_matches(candidate: object) -> bool:
    """Whether ``candidate`` is the moderator token, compared in constant time."""
    expected = current_app.config["MODERATOR_TOKEN"]
    return isinstance(candidate, str) and hmac.compare_digest(candidate.encode(), expected.encode())


def log_in(token: object) -> bool:
    """Start a moderator session if ``token`` is right."""
    if not token_matches(token):
        return False
    login_id = secrets.token_hex(16)
    with runtime.database().session() as db_session:
        db_session.add(Login(id=login_id, created_ms=runtime.clock()(), revoked_ms=None))
        db_session.commit()
    session.clear()
    session["moderator"] = _fingerprint(current_app.config["MODERATOR_TOKEN"])
    session["login"] = login_id
    session["csrf"] = secrets.token_urlsafe(24)
    session.permanent = True
    return True


def log_out() -> str | None:
    """End the moderator session and its login; return the login's id, if there was one."""
    login_id = session.get("login")
    session.clear()
    if not isinstance(login_id, str):
        return None
    with runtime.database().session() as db_session:
        db_session.execute(
            update(Login)
            .where(Login.id == login_id, Login.revoked_ms.is_(None))
            .values(revoked_ms=runtime.clock()())
        )
        db_session.commit()
    return login_id


def has_moderator_session() -> bool:
    """Whether this browser (or this dashboard socket) is logged in as a moderator: the token
    has not changed since, and the login has not ended."""
    fingerprint = session.get("moderator")
    login_id = session.get("login")
    if not (
        isinstance(fingerprint, str)
        and isinstance(login_id, str)
        and hmac.compare_digest(fingerprint, _fingerprint(current_app.config["MODERATOR_TOKEN"]))
    ):
        return False
    with runtime.database().session() as db_session:
        login = db_session.get(Login, login_id)
        return login is not None and login.revoked_ms is None


def csrf_token() -> str:
    """The session's CSRF token, created on first use (forms embed it)."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = session["csrf"] = secrets.token_urlsafe(24)
    return token


def csrf_valid(candidate: object) -> bool:
    """Whether ``candidate`` is this session's CSRF token."""
    expected = session.get("csrf")
    return (
        isinstance(candidate, str)
        and isinstance(expected, str)
        and hmac.compare_digest(candidate, expected)
    )


def own_hosts() -> list[str]:
    """The ``host[:port]`` the app is reached at: this request's Host and PUBLIC_URL's (they
    differ behind a proxy that rewrites Host). Its pages' origins; its sockets' hosts."""
    hosts = [request.host]
    public = current_app.config.get("PUBLIC_URL")
    if public:
        hosts.append(urlsplit(public).netloc)
    unique: list[str] = []
    for host in hosts:
        if host and _HOST.fullmatch(host) and host.lower() not in unique:
            unique.append(host.lower())
    return unique


def cross_site_request() -> bool:
    """Whether the browser says this request was sent by another site's page: its ``Origin``
    names another host, or (without ``Origin``) ``Sec-Fetch-Site`` is not same-origin. A
    request carrying neither (a tool, an old browser) is not called cross-site: the session
    cookie's SameSite and the CSRF token still protect it."""
    origin = request.headers.get("Origin")
    if origin is not None:
        return not _own_origin(origin)
    fetch_site = request.headers.get("Sec-Fetch-Site")
    return fetch_site is not None and fetch_site not in ("same-origin", "none")


def _own_origin(origin: str) -> bool:
    if origin == "null":  # sandboxed frames, privacy-sensitive redirects: not ours
        return False
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    # The host, not the scheme: behind a TLS proxy the app sees http while the page is https.
    return parts.netloc.lower() in own_hosts()


def check_moderator() -> None:
    """Raise unless the request comes from a moderator: bearer token, or session plus (for a
    write) CSRF token from one of the app's own pages."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized(N_("Use 'Authorization: Bearer <moderator token>'."))
        if not token_matches(token.strip()):
            raise Forbidden(N_("That moderator token is wrong."), "wrong_token")
        return
    if has_moderator_session():
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if cross_site_request():
            raise Forbidden(N_("Another site's page may not act as a moderator."), "cross_site")
        if csrf_valid(request.headers.get(CSRF_HEADER)):
            return
        raise Forbidden(
            N_("The {header} header is missing or wrong; reload the page."),
            "csrf",
            header=CSRF_HEADER,
        )
    raise Unauthorized(N_("Moderator login required: send 'Authorization: Bearer <token>'."))


def is_moderator() -> bool:
    """Whether the request comes from a moderator (no exception)."""
    try:
        check_moderator()
    except (Unauthorized, Forbidden):
        return False
    return True


def moderator_credential() -> tuple[bool, DomainError | None]:
    """Whether the request carries a moderator's credential, and if one was sent that does not
    hold, the refusal to give should the request need it (it may not: an attendee's action)."""
    try:
        check_moderator()
    except Unauthorized as exc:
        return False, exc if request.headers.get("Authorization") else None
    except Forbidden as exc:
        return False, exc
    return True, None


def moderator_required(view: Callable[P, R]) -> Callable[P, R]:
    """Refuse the view with 401 or 403 unless a moderator calls it."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        check_moderator()
        return view(*args, **kwargs)

    return wrapper
