"""The application factory."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config

# Registers the Socket.IO handlers on ``socketio`` before any init_app, so that every application
# built by the factory (one per test) gets them.
from moderator import fanout, identity, locale, message_queue, sockets  # noqa: F401
from moderator.ballot_box import BallotBox
from moderator.core.clock import system_clock
from moderator.core.errors import N_, NP_
from moderator.core.event_file import DEMO_EVENT_FILE, EventFileError, load_event_file
from moderator.core.events import Snapshots, install_events
from moderator.core.public import PublicQuestions
from moderator.core.questions import Limits
from moderator.db import Database
from moderator.extensions import babel, socketio
from moderator.faults import fault_reply, translated
from moderator.health import log_http_refusal
from moderator.identity import Identities
from moderator.limits import Limiter, rules_from
from moderator.message_queue import MessageQueue
from moderator.runtime import KEY, Runtime
from moderator.sockets import wire
from moderator.tasks import Latecomers, LoginWatch, PrivacySweep, TimerTasks, VoteRelay
from moderator.throttle import ConnectionThrottle

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class: type[Config] = Config, event_files: list[str] | None = None) -> Flask:
    """Build the application: settings, database, events, pages, API and Socket.IO handlers.

    Raises ``EventFileError`` when an event file is malformed, naming the file and the place.
    """
    app = Flask(
        "moderator",
        instance_path=config_class.INSTANCE_PATH or str(ROOT / "instance"),
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_object(config_class)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or _instance_secret(app, "secret_key")
    # One token under both names: ADMIN_TOKEN is read first, MODERATOR_TOKEN (its old name)
    # keeps working; the file keeps its old name so an upgrade keeps the token.
    token = (
        app.config.get("ADMIN_TOKEN")
        or app.config.get("MODERATOR_TOKEN")
        or _instance_secret(app, "moderator_token")
    )
    app.config["ADMIN_TOKEN"] = app.config["MODERATOR_TOKEN"] = token
    app.config["DATABASE_URL"] = (
        app.config["DATABASE_URL"] or f"sqlite:///{Path(app.instance_path) / 'moderator.db'}"
    )

    files = event_files if event_files is not None else app.config["EVENT_FILES"]
    definitions = [load_event_file(path) for path in (files or [DEMO_EVENT_FILE])]
    codes = [d.code for d in definitions]
    for code in {c for c in codes if codes.count(c) > 1}:
        clash = [d.source for d in definitions if d.code == code]
        raise EventFileError(f"{', '.join(clash)}: code: {code!r} is used by more than one event")
    app.config["EVENT_CODES"] = codes

    database = Database(app.config["DATABASE_URL"])
    app.extensions[KEY] = Runtime(
        database=database,
        clock=system_clock,
        limits=Limits(
            text=app.config["QUESTION_MAX_LENGTH"],
            name=app.config["NAME_MAX_LENGTH"],
            affiliation=app.config["AFFILIATION_MAX_LENGTH"],
            per_minute=app.config["QUESTIONS_PER_MINUTE"],
        ),
        snapshots=Snapshots(),
        ballot_box=BallotBox(app),
        vote_relay=VoteRelay(app),
        timer_tasks=TimerTasks(app),
        login_watch=LoginWatch(app),
        identities=Identities(),
        limiter=Limiter(
            rules_from(app.config),
            secret=app.config["SECRET_KEY"],
            redis_url=app.config["RATE_LIMIT_REDIS_URL"],
            prefix=app.config["SOCKETIO_CHANNEL"],
        ),
        public_questions=PublicQuestions(),
        throttle=ConnectionThrottle(
            app.config["SOCKET_MESSAGE_BURST"], app.config["SOCKET_MESSAGES_PER_S"]
        ),
        latecomers=Latecomers(app),
        privacy_sweep=PrivacySweep(app),
    )
    identity.init_app(app)
    with database.session() as session:
        install_events(session, definitions, clock=system_clock)

    babel.init_app(app, locale_selector=locale.select)
    locale.init_app(app)
    queue = _message_queue(app)
    # Flask-SocketIO keeps the options of the previous init_app (one per test): the manager of an
    # application with a message queue must not serve the next application.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        **({"client_manager": queue} if queue is not None else {}),
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        cors_allowed_origins=_origin_check(app.config["SOCKETIO_CORS_ORIGINS"]),
        max_http_buffer_size=app.config["SOCKETIO_MAX_MESSAGE_BYTES"],
        ping_interval=app.config["SOCKETIO_PING_INTERVAL_S"],
        ping_timeout=app.config["SOCKETIO_PING_TIMEOUT_S"],
        json=wire,
    )
    if app.config["TRUSTED_PROXIES"] > 0:
        # Outside the Socket.IO middleware, so that a connection's address (its limits, its
        # identity) is the client's too, not the proxy's.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    if queue is not None:
        # Listen from the start, not from the first connection (python-socketio's way): the
        # health report tells from the start whether messages flow between the processes.
        socketio.server.manager_initialized = True
        queue.initialize()
    app.extensions[KEY].latecomers.attach(socketio.server)
    if app.config["SOCKETIO_ASYNC_MODE"] == "eventlet":
        from moderator.serving import bound_websocket_messages

        bound_websocket_messages(socketio)

    from moderator.api import bp as api_bp
    from moderator.web import bp as web_bp
    from moderator.web import delivery, security

    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(web_bp)
    security.init_app(app)
    delivery.init_app(app)
    _register_error_pages(app)
    app.extensions[KEY].timer_tasks.resume()
    app.extensions[KEY].privacy_sweep.wake()
    return app


def _message_queue(app: Flask) -> MessageQueue | None:
    """The Redis client manager that keeps serving this process's clients while Redis is away
    and has them resync when it returns; None without a queue, or for a queue other than Redis
    (Flask-SocketIO then picks its own manager)."""
    url = app.config["SOCKETIO_MESSAGE_QUEUE"]
    if not message_queue.handles(url):
        return None
    queue = MessageQueue(
        url,
        channel=app.config["SOCKETIO_CHANNEL"],
        on_return=lambda: fanout.catch_up(app, app.config["MESSAGE_QUEUE_RESYNC_SPREAD_MS"]),
        retry_min_s=app.config["MESSAGE_QUEUE_RETRY_MIN_MS"] / 1000,
        retry_max_s=app.config["MESSAGE_QUEUE_RETRY_MAX_MS"] / 1000,
        timeout_s=app.config["MESSAGE_QUEUE_TIMEOUT_MS"] / 1000,
    )
    app.extensions[KEY].message_queue = queue
    return queue


def _origin_check(extra: list[str]) -> Callable[[str | None, dict[str, Any]], bool] | None:
    """The page's own origin, plus any listed; never "*" (a page elsewhere must not be able to
    open a socket with an attendee's browser)."""
    if not extra:
        return None  # engine.io's own same-origin check
    if "*" in extra:
        raise ValueError("SOCKETIO_CORS_ORIGINS must list origins, not '*'")
    allowed = {origin.rstrip("/") for origin in extra}

    def check(origin: str | None, environ: dict[str, Any]) -> bool:
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        return origin is None or origin == own or origin in allowed

    return check


def _instance_secret(app: Flask, name: str) -> str:
    """A random secret kept in the instance folder, created on first run (safe if several
    processes start at once: the first to create the file wins, the others read it)."""
    path = Path(app.instance_path) / name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            value = path.read_text().strip()
            if value:
                return value
            time.sleep(0.01)
        raise RuntimeError(f"{path} is empty; delete it to generate a new one") from None
    value = secrets.token_urlsafe(24)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def _register_error_pages(app: Flask) -> None:
    """JSON errors under /api/, so tools never get an HTML page or a bare 500; every refusal
    (4xx, or a noted DomainError) logged once on ``moderator.refusals``."""
    app.after_request(log_http_refusal)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        if not request.path.startswith("/api/"):
            return exc
        code = (exc.name or "error").lower().replace(" ", "_")
        if exc.code == 404:
            message = translated(N_("There is nothing at this address."))
        elif exc.code == 405:
            message = translated(N_("{method} is not allowed here."), method=request.method)
        elif exc.code == 413:
            message = translated(
                NP_(
                    "The request body is larger than {n} byte.",
                    "The request body is larger than {n} bytes.",
                ),
                n=app.config["MAX_CONTENT_LENGTH"],
            )
        else:  # werkzeug's own English description: the rarer statuses
            message = exc.description or exc.name
        return jsonify({"error": {"code": code, "message": message}}), exc.code or 500

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> ResponseReturnValue:
        status, body = fault_reply(exc, f"{request.method} {request.path}")
        if request.path.startswith("/api/"):
            return jsonify(body), status
        return body["error"]["message"], status
