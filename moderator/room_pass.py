"""Presence in the room, proven by a pass rather than claimed.

A room pass is a short token derived with HMAC from the app's ``SECRET_KEY`` and the event code:

- the **rotating** pass (``w…``) also covers a time window of ``ROOM_PASS_SECONDS``; it is valid
  in its window and the next one (a QR code scanned just before a rotation still works). Only a
  paired room screen is given it (the ``join_link`` message), in the QR code it shows;
- the **printed** pass (``d…``) covers a date in the event's time zone and is valid that whole
  day; a moderator issues it (``GET /api/events/<code>/room-pass?printable=1``).

Opening ``/r/<code>?pass=<token>`` with a valid pass sets a signed, HttpOnly ``room`` cookie
valid ``ROOM_COOKIE_SECONDS``; the page's requests and Socket.IO connection carry it. A cookie-less
program may send the pass itself as ``room_pass``. The origin ``room`` is recorded only for a
client that says ``via: "room"`` *and* holds a valid cookie or pass; anything else is ``online``.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from moderator import runtime
from moderator.core import events
from moderator.web.security import set_private_cookie

COOKIE = "room"
ROOM, ONLINE = "room", "online"
_TOKEN_LENGTH = 16  # hex digits after the kind letter: 64 bits


def _digest(message: str) -> str:
    secret = str(current_app.config["SECRET_KEY"])
    key = hmac.new(secret.encode(), b"room-pass", hashlib.sha256).digest()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()[:_TOKEN_LENGTH]


def _window_ms() -> int:
    return max(1, int(current_app.config["ROOM_PASS_SECONDS"])) * 1000


def rotating(code: str, now_ms: int | None = None) -> tuple[str, int]:
    """The current rotating pass of the event and when the window after it ends (the last
    moment the pass is accepted), in ms."""
    now = runtime.clock()() if now_ms is None else now_ms
    window = now // _window_ms()
    return "w" + _digest(f"{code}|w|{window}"), (window + 2) * _window_ms()


def _day(timezone: str, now_ms: int) -> datetime:
    return datetime.fromtimestamp(now_ms / 1000, ZoneInfo(timezone))


def printed(code: str, timezone: str, now_ms: int | None = None) -> tuple[str, int]:
    """The printed pass for today (in the event's time zone) and the end of that day, in ms."""
    now = runtime.clock()() if now_ms is None else now_ms
    day = _day(timezone, now).date()
    end = datetime.combine(day + timedelta(days=1), time(), ZoneInfo(timezone))
    return "d" + _digest(f"{code}|d|{day.isoformat()}"), int(end.timestamp() * 1000)


def valid(code: str, timezone: str, token: object) -> bool:
    """Whether ``token`` is a room pass of this event now: the rotating one of this window or
    the previous one, or the printed one of today."""
    if not isinstance(token, str) or len(token) != _TOKEN_LENGTH + 1:
        return False
    now = runtime.clock()()
    candidates = (
        rotating(code, now)[0],
        rotating(code, now - _window_ms())[0],
        printed(code, timezone, now)[0],
    )
    return any(hmac.compare_digest(token, c) for c in candidates)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt="room")


def give_cookie(response: Response, code: str) -> Response:
    """Set the room cookie of this event on ``response`` (the caller checked the pass)."""
    seconds = int(current_app.config["ROOM_COOKIE_SECONDS"])
    until = runtime.clock()() + seconds * 1000
    set_private_cookie(
        response, COOKIE, _serializer().dumps({"event": code, "until": until}), max_age=seconds
    )
    return response


def _cookie_holds(code: str) -> bool:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return False
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return False
    return (
        isinstance(value, dict)
        and value.get("event") == code
        and isinstance(value.get("until"), int)
        and value["until"] > runtime.clock()()
    )


def _timezone(code: str) -> str:
    with runtime.database().session() as session:
        return events.get_event(session, code).spec.timezone


def origin(code: str, claimed: object, token: object = None) -> str:
    """The origin to record for this request: ``room`` only when the client says so and holds
    a valid room cookie or pass (``token``); otherwise ``online``, whatever the claim. (A claim
    that is neither origin is for the caller to refuse.)"""
    if claimed != ROOM:
        return ONLINE
    if _cookie_holds(code):
        return ROOM
    if token is not None and valid(code, _timezone(code), token):
        return ROOM
    return ONLINE
