"""Who an attendee is, decided by the server, never by what a client says about itself.

A browser gets its identity with the attendee page: a random id in a signed cookie (HttpOnly),
which its Socket.IO connection carries. A program without cookies may keep sending a
``client_id`` of its own (wave-one API clients): the server then derives the identity from that
label *and the network address* with a keyed hash, so the same program keeps one identity, and
one address inventing labels gets a new identity for each, every one of which counts against the
address's budget of new attendees (``ATTENDEES_PER_ADDRESS`` per ``ATTENDEE_WINDOW_S``). The
label itself is never stored or trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import OrderedDict

from flask import Flask, Response, current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from moderator import runtime
from moderator.core.errors import NP_, DomainError, RateLimited, TooMany
from moderator.models import Attendee
from moderator.web.security import set_private_cookie

COOKIE = "attendee"
COOKIE_MAX_AGE_S = 30 * 24 * 3600
# Identities known to be registered, per process: a repeat visitor costs no database work.
_KNOWN_LIMIT = 100_000


class Identities:
    """The per-process memory of registered identities (owned by the app, see runtime)."""

    def __init__(self) -> None:
        self.known: OrderedDict[str, None] = OrderedDict()

    def remember(self, attendee_id: str) -> None:
        self.known[attendee_id] = None
        self.known.move_to_end(attendee_id)
        while len(self.known) > _KNOWN_LIMIT:
            self.known.popitem(last=False)


def address() -> str:
    """The client's network address (behind a trusted proxy, the one it reports; see
    ``TRUSTED_PROXIES``)."""
    return request.remote_addr or "unknown"


def _key(purpose: str) -> bytes:
    secret = str(current_app.config["SECRET_KEY"])
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()


def _address_hash(value: str) -> str:
    # Stored so limits can count per address; a keyed hash, so the database holds no address.
    return hmac.new(_key("address"), value.encode(), hashlib.sha256).hexdigest()[:32]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt="attendee")


def from_cookie() -> str | None:
    """The identity this browser was given, if its cookie is ours and intact."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return None
    return value if isinstance(value, str) and value.startswith("a") else None


def derived(client_id: str) -> str:
    """The identity of a cookie-less program that calls itself ``client_id`` from this address."""
    digest = hmac.new(_key("derived"), f"{address()}|{client_id}".encode(), hashlib.sha256)
    return "d" + digest.hexdigest()[:31]


def resolve(client_id: str | None) -> tuple[str | None, DomainError | None]:
    """This request's attendee identity, and the refusal to give if one was asked for but
    cannot be had (the address has started too many new identities)."""
    own = from_cookie()
    if own is not None:
        return own, None
    if client_id is None:
        return None, None
    identity = derived(client_id)
    try:
        register(identity)
    except TooMany as refusal:
        return None, refusal
    return identity, None


def peek(client_id: str | None) -> str | None:
    """The identity for reading one's own questions: like ``resolve``, registering nothing."""
    own = from_cookie()
    if own is not None or client_id is None:
        return own
    return derived(client_id)


def mint() -> str:
    """A new identity for this browser, set as its cookie with this response (raises
    ``TooMany`` when the address has started too many)."""
    identity = "a" + secrets.token_hex(16)
    register(identity)
    g.new_attendee = identity
    return identity


def register(identity: str) -> None:
    """Record a new identity against its address's budget; one already known costs nothing."""
    app = runtime.current_app_object()
    known = runtime.of(app).identities
    if identity in known.known:
        return
    clock = runtime.clock(app)
    limit = app.config["ATTENDEES_PER_ADDRESS"]
    window_ms = app.config["ATTENDEE_WINDOW_S"] * 1000
    where = _address_hash(address())
    with runtime.database(app).session() as session:
        if session.get(Attendee, identity) is None:
            now = clock()
            started = session.scalar(
                select(func.count()).where(
                    Attendee.address == where, Attendee.created_ms > now - window_ms
                )
            )
            if started is not None and started >= limit:
                # The budget frees up as the oldest identity of the window leaves it: the page
                # keeps what it holds and sends it again then (``retry_after``).
                oldest = session.scalar(
                    select(func.min(Attendee.created_ms)).where(
                        Attendee.address == where, Attendee.created_ms > now - window_ms
                    )
                )
                wait_ms = (oldest if oldest is not None else now) + window_ms - now
                raise RateLimited(
                    NP_(
                        "Too many new participants from your network in the last {n} minute; "
                        "please try again in a few minutes.",
                        "Too many new participants from your network in the last {n} minutes; "
                        "please try again in a few minutes.",
                    ),
                    retry_after=max(1, -(-wait_ms // 1000)),
                    code="too_many_attendees",
                    n=window_ms // 60_000,
                )
            session.add(Attendee(id=identity, address=where, created_ms=now))
            try:
                session.commit()
            except IntegrityError:  # the same identity registered at the same moment
                session.rollback()
    known.remember(identity)


def set_cookie(response: Response) -> Response:
    """``after_request``: hand a newly minted identity to the browser."""
    identity = g.pop("new_attendee", None)
    if identity is not None:
        set_private_cookie(
            response, COOKIE, _serializer().dumps(identity), max_age=COOKIE_MAX_AGE_S
        )
    return response


def init_app(app: Flask) -> None:
    """Set minted identities as cookies on the way out."""
    app.after_request(set_cookie)
