"""What monitoring reads: the health report (``GET /api/health``) and the refusal log.

The report says whether this process reaches its database and message queue, how many
connections it holds and how its background workers fare; it holds no personal data and needs
no login. The refusal log (logger ``moderator.refusals``, INFO) has one line of ``key=value``
pairs per refused request or message: the transport, the route's rule or the message's name
(never the concrete URL, which carries ids), the refusal's code and status; never a client id,
an address or any text a person wrote.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from flask import Flask, Response, g, request
from sqlalchemy import text
from werkzeug.http import HTTP_STATUS_CODES

from moderator import fanout, runtime
from moderator.core.errors import DomainError
from moderator.extensions import socketio
from moderator.serving import GUARD_KEY

refusal_log = logging.getLogger("moderator.refusals")
MESSAGE_QUEUE_TIMEOUT_S = 0.5


# --- The health report ----------------------------------------------------------------------


def report(app: Flask) -> tuple[int, dict[str, Any]]:
    """The HTTP status (503 when the database does not answer, else 200) and the report.

    ``status`` is "degraded" when the database or a configured message queue does not answer:
    without the queue this process still serves its own clients, so the status code stays 200.
    """
    database = _database(app)
    queue = _message_queue(app)
    healthy = database["ok"] and queue["ok"] is not False
    return 200 if database["ok"] else 503, {
        "status": "ok" if healthy else "degraded",
        "database": database,
        "message_queue": queue,
        "connections": connections(app),
        "listener": listener(app),
        "tasks": tasks(app),
    }


def listener(app: Flask) -> dict[str, Any] | None:
    """The listening socket's guard (``moderator/serving.py``), when this process serves
    through it (``python -m moderator``; not a test client): what it holds and refused."""
    guard = app.extensions.get(GUARD_KEY)
    return None if guard is None else dict(guard.report())


def _database(app: Flask) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with runtime.database(app).session() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "does not answer"; the type says which
        return {"ok": False, "latency_ms": None, "error": type(exc).__name__}
    return {"ok": True, "latency_ms": _ms_since(started)}


def _message_queue(app: Flask) -> dict[str, Any]:
    """Whether Redis answers a ping now and, from this process's client manager, whether its
    messages flow: ``state`` "reachable", "unreachable" (with ``unreachable_since``) or
    "connecting" (before its first subscription, not a fault), and how many messages it could
    not publish."""
    url = app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if not url:
        return {"configured": False, "ok": None}
    if not str(url).startswith(("redis://", "rediss://", "unix://")):
        return {"configured": True, "ok": None}  # a queue this report cannot ping
    import redis

    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=MESSAGE_QUEUE_TIMEOUT_S,
        socket_timeout=MESSAGE_QUEUE_TIMEOUT_S,
    )
    started = time.perf_counter()
    ping: dict[str, Any]
    try:
        client.ping()
        ping = {"ok": True, "latency_ms": _ms_since(started)}
    except redis.RedisError as exc:
        ping = {"ok": False, "latency_ms": None, "error": type(exc).__name__}
    finally:
        client.close()
    manager = runtime.of(app).message_queue
    if manager is None:
        return {"configured": True, **ping}
    status = manager.status()
    if not ping["ok"]:
        status["state"] = "unreachable"  # the listener may not have noticed yet
    return {"configured": True, **ping, "ok": status["state"] != "unreachable", **status}


def connections(app: Flask) -> dict[str, int]:
    """This process's connected Socket.IO clients: attendee pages and screens (both on ``/``,
    screens also in their event's screens room) and dashboards (``/mod``)."""
    manager = getattr(socketio.server, "manager", None)
    if manager is None:
        return {"attendees": 0, "screens": 0, "moderators": 0}

    def count(namespace: str, room: str | None) -> int:
        return len(manager.rooms.get(namespace, {}).get(room, ()))

    def connected(namespace: str) -> int:
        # Everyone in the namespace, less those whose connect handler has not admitted them yet.
        waiting = len(manager.pending_connect.get(namespace, ()))
        return max(count(namespace, None) - waiting, 0)

    public = connected(fanout.ATTENDEE_NAMESPACE)
    # Every room of screens, whichever events exist now (they are created at run time).
    screens = sum(
        len(members)
        for room, members in manager.rooms.get(fanout.ATTENDEE_NAMESPACE, {}).items()
        if isinstance(room, str) and room.endswith(":screens")
    )
    return {
        "attendees": max(public - screens, 0),
        "screens": min(screens, public),
        "moderators": connected(fanout.MODERATOR_NAMESPACE),
    }


def tasks(app: Flask) -> dict[str, dict[str, Any]]:
    """Each background worker: whether its loop is running now (it runs only while it has
    work, so idle is normal), how often it died and was restarted, and the type of the last
    exception that killed it."""
    state = runtime.of(app)
    workers = {
        "ballot_box": state.ballot_box,
        "vote_relay": state.vote_relay,
        "login_watch": state.login_watch,
    }
    return {
        key: {"running": w.running, "restarts": w.restarts, "last_error": w.last_error}
        for key, w in workers.items()
    }


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


# --- The refusal log ------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9_/<>:.\-]")


def log_refusal(transport: str, code: str, status: int, **where: str) -> None:
    """Write the one line of a refusal: ``transport=... <where>... code=... status=...``."""
    if not refusal_log.isEnabledFor(logging.INFO):
        return
    pairs = {"transport": transport, **where, "code": code, "status": str(status)}
    refusal_log.info(" ".join(f"{key}={_value(value)}" for key, value in pairs.items()))


def _value(value: str) -> str:
    return _UNSAFE.sub("_", value)[:120] or "-"


def log_socket_refusal(error: DomainError, handler_name: str) -> None:
    """Log the refusal of the Socket.IO message being handled (by its name and namespace)."""
    event = getattr(request, "event", None)
    message = event.get("message") if isinstance(event, dict) else None
    namespace = getattr(request, "namespace", None)
    log_refusal(
        "socket",
        error.code,
        error.status,
        namespace=str(namespace or "-"),
        message=str(message or handler_name),
    )


def note_http_refusal(code: str) -> None:
    """Name the refusal of this HTTP request (its DomainError's code); it is logged once, with
    the status, when the response goes out."""
    g.refusal_code = code


def log_http_refusal(response: Response) -> Response:
    """After each HTTP request: log it if it was refused (a noted refusal, or any 4xx)."""
    code = g.pop("refusal_code", None)
    status = response.status_code
    if code is None and not 400 <= status < 500:
        return response
    if code is None:
        code = HTTP_STATUS_CODES.get(status, "error").lower().replace(" ", "_")
    rule = request.url_rule.rule if request.url_rule is not None else "-"
    log_refusal("http", code, status, method=request.method, path=rule)
    return response
