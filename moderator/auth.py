"""Who is an organiser, and with which access (``moderator/core/access.py``): a browser that
logged in with a token, or a tool sending it as a bearer. A token is the administrator's
(``ADMIN_TOKEN``, formerly ``MODERATOR_TOKEN``) or an invitation's, which gives one role on one
event.

The browser's session cookie holds the id of its login, stored in the database, so logging out
or revoking the invitation ends the login everywhere (every dashboard socket is checked on every
message); for the administrator's, also a fingerprint of the token, so changing it logs every
browser out. Cookie-authenticated
writes also need the session's CSRF token and must not come from another site's page (``Origin``,
or ``Sec-Fetch-Site`` without it); a tool's bearer token needs neither.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import current_app, request, session
from sqlalchemy import select, update

from moderator import runtime
from moderator.core.access import ADMIN, ADMIN_LABEL, Credential, Right
from moderator.core.errors import N_, DomainError, Forbidden, Unauthorized
from moderator.core.invitations import token_hash
from moderator.models import Event, Invitation, Login

CSRF_HEADER = "X-CSRF-Token"
P = ParamSpec("P")
R = TypeVar("R")

# A host[:port] as an Origin or a CSP source names it: a name or IPv4 address, or a bracketed
# IPv6 address. Anything else (a forged Host header) is left out.
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?")


def _fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def token_matches(candidate: object) -> bool:
    """Whether ``candidate`` is the administrator's token, compared in constant time."""
    expected = current_app.config["ADMIN_TOKEN"]
    return isinstance(candidate, str) and hmac.compare_digest(candidate.encode(), expected.encode())


def credential_for_token(candidate: object) -> Credential | None:
    """The access a token gives: the administrator's, or an invitation's that is not revoked
    (and whose event still exists); None for anything else."""
    if not isinstance(candidate, str) or not candidate or len(candidate) > 200:
        return None
    if token_matches(candidate):
        return Credential(ADMIN, None, ADMIN_LABEL)
    with runtime.database().session() as db_session:
        found = db_session.execute(
            select(Invitation, Event.code)
            .join(Event, Event.id == Invitation.event_id)
            .where(Invitation.token_hash == token_hash(candidate), Invitation.revoked_ms.is_(None))
        ).first()
    if found is None:
        return None
    invitation, code = found
    return Credential(invitation.role, code, invitation.label, invitation_id=invitation.id)


def log_in(token: object) -> Credential | None:
    """Start a browser session with ``token`` (the administrator's or an invitation's); the
    access it gives, or None when the token gives none."""
    credential = credential_for_token(token)
    if credential is None:
        return None
    login_id = secrets.token_hex(16)
    with runtime.database().session() as db_session:
        db_session.add(
            Login(
                id=login_id,
                created_ms=runtime.clock()(),
                revoked_ms=None,
                invitation_id=credential.invitation_id,
            )
        )
        db_session.commit()
    session.clear()
    if credential.invitation_id is None:
        session["moderator"] = _fingerprint(current_app.config["ADMIN_TOKEN"])
    session["login"] = login_id
    session["csrf"] = secrets.token_urlsafe(24)
    session.permanent = True
    return replace(credential, login_id=login_id)


def log_out() -> str | None:
    """End the browser session and its login; return the login's id, if there was one."""
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


def session_credential() -> Credential | None:
    """The access this browser (or this dashboard socket) logged in with, while it holds: the
    login has not ended, its invitation is not revoked, and (for the administrator's) the token
    has not changed since."""
    login_id = session.get("login")
    if not isinstance(login_id, str):
        return None
    with runtime.database().session() as db_session:
        login = db_session.get(Login, login_id)
        if login is None or login.revoked_ms is not None:
            return None
        if login.invitation_id is None:
            fingerprint = session.get("moderator")
            expected = _fingerprint(current_app.config["ADMIN_TOKEN"])
            if isinstance(fingerprint, str) and hmac.compare_digest(fingerprint, expected):
                return Credential(ADMIN, None, ADMIN_LABEL, login_id=login_id)
            return None
        found = db_session.execute(
            select(Invitation, Event.code)
            .join(Event, Event.id == Invitation.event_id)
            .where(Invitation.id == login.invitation_id, Invitation.revoked_ms.is_(None))
        ).first()
    if found is None:
        return None
    invitation, code = found
    return Credential(
        invitation.role, code, invitation.label, invitation_id=invitation.id, login_id=login_id
    )


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


def check_credential() -> Credential:
    """The organiser's access this request carries: a bearer token, or the session plus (for
    a write) the CSRF token from one of the app's own pages. Raises when there is none, or
    when one was sent that does not hold."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized(N_("Use 'Authorization: Bearer <moderator token>'."))
        credential = credential_for_token(token.strip())
        if credential is None:
            raise Forbidden(N_("That moderator token is wrong."), "wrong_token")
        return credential
    credential = session_credential()
    if credential is not None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return credential
        if cross_site_request():
            raise Forbidden(N_("Another site's page may not act as a moderator."), "cross_site")
        if csrf_valid(request.headers.get(CSRF_HEADER)):
            return credential
        raise Forbidden(
            N_("The {header} header is missing or wrong; reload the page."),
            "csrf",
            header=CSRF_HEADER,
        )
    raise Unauthorized(N_("Moderator login required: send 'Authorization: Bearer <token>'."))


def current_credential() -> Credential | None:
    """The organiser's access this request carries, or None (no exception)."""
    try:
        return check_credential()
    except (Unauthorized, Forbidden):
        return None


def request_credential() -> tuple[Credential | None, DomainError | None]:
    """The organiser's access the request carries, and if one was sent that does not hold, the
    refusal to give should the request need it (it may not: an attendee's action)."""
    try:
        return check_credential(), None
    except Unauthorized as exc:
        return None, exc if request.headers.get("Authorization") else None
    except Forbidden as exc:
        return None, exc


def check_right(right: Right, code: str | None) -> Credential:
    """The request's credential if it gives ``right`` on the event ``code``; raises otherwise."""
    credential = check_credential()
    if not credential.allows(right, code):
        raise credential.refusal(right, code)
    return credential


def has_right(right: Right, code: str | None) -> bool:
    """Whether the request's credential gives ``right`` on ``code`` (no exception)."""
    credential = current_credential()
    return credential is not None and credential.allows(right, code)


def requires(right: Right) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Refuse the view with 401 or 403 unless the caller holds ``right`` on the event of the
    URL's ``code`` (every event, for a view without one)."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            code = kwargs.get("code")
            check_right(right, code if isinstance(code, str) else None)
            return view(*args, **kwargs)

        return wrapper

    return decorate
