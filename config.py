"""Settings for the moderation dashboard.

Every setting can be overridden by an environment variable of the same name. The defaults run the
built-in demo event on a laptop with nothing else installed: SQLite in the instance folder, one
eventlet process, no message queue.
"""

import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name}={value!r}: expected a whole number") from None


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str]:
    value = os.environ.get(name, "")
    return [
        item.strip()
        for item in value.split(os.pathsep if name.endswith("FILES") else ",")
        if item.strip()
    ]


class Config:
    # Where the SQLite database, the generated moderator token and the secret key live.
    INSTANCE_PATH = os.environ.get("INSTANCE_PATH") or None

    # Signs the moderator's session cookie. Generated once into the instance folder when unset;
    # set it explicitly when several processes serve the same event.
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    # The moderator's token. Generated once into the instance folder when unset.
    MODERATOR_TOKEN = os.environ.get("MODERATOR_TOKEN") or None

    # None means SQLite (WAL mode) in the instance folder; postgresql://... for production.
    DATABASE_URL = os.environ.get("DATABASE_URL") or None

    # Event files (TOML) to host, separated by os.pathsep; empty means the built-in demo.
    EVENT_FILES = _env_list("EVENT_FILES")

    HOST = os.environ.get("HOST", "127.0.0.1")
    PORT = _env_int("PORT", 5000)
    # Base of the links printed at start-up and encoded in the room's QR code, e.g.
    # https://qa.example.org. Derived from HOST and PORT when unset.
    PUBLIC_URL = os.environ.get("PUBLIC_URL") or None

    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # The Redis channel the processes of one installation share (change it to run two apart).
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "moderator")
    # Extra origins allowed to open a Socket.IO connection; the page's own origin always is.
    SOCKETIO_CORS_ORIGINS = _env_list("SOCKETIO_CORS_ORIGINS")
    # eventlet.wsgi refuses connections past max_size (1,024 by default); one per attendee.
    MAX_CONNECTIONS = _env_int("MAX_CONNECTIONS", 20000)
    # Connections waiting to be accepted when many arrive at once (the kernel caps it at
    # net.core.somaxconn).
    LISTEN_BACKLOG = _env_int("LISTEN_BACKLOG", 2048)
    # Read and write buffer of each connection, in bytes (eventlet's defaults: 8 and 16 KB).
    CONNECTION_BUFFER_BYTES = _env_int("CONNECTION_BUFFER_BYTES", 2048)
    # Connections one network address may hold open at once; more are closed as soon as they
    # are accepted. A room's phones behind one NAT share an address: keep it well above the
    # room's size. Behind a reverse proxy every connection is the proxy's: set it in the proxy
    # instead (docs/deploy.md) and raise this one.
    CONNECTIONS_PER_ADDRESS = _env_int("CONNECTIONS_PER_ADDRESS", 2000)
    # Seconds a connection has to send its request line and headers, counted from the moment it
    # is accepted or from its previous response (keep-alive); silent or slow ones are closed.
    HANDSHAKE_TIMEOUT_S = _env_int("HANDSHAKE_TIMEOUT_S", 10)
    # Seconds any single read or write on an HTTP connection may wait (a slow phone's upload).
    # An open Socket.IO connection is kept alive by its pings instead (every
    # SOCKETIO_PING_INTERVAL_S; closed when a reply takes more than SOCKETIO_PING_TIMEOUT_S).
    SOCKET_TIMEOUT_S = _env_int("SOCKET_TIMEOUT_S", 30)
    SOCKETIO_PING_INTERVAL_S = _env_int("SOCKETIO_PING_INTERVAL_S", 25)
    SOCKETIO_PING_TIMEOUT_S = _env_int("SOCKETIO_PING_TIMEOUT_S", 20)
    # When the process runs out of file descriptors, it stops accepting for this long (in ms),
    # then tries again; open connections carry on.
    ACCEPT_PAUSE_MS = _env_int("ACCEPT_PAUSE_MS", 250)

    # Largest HTTP body accepted, in bytes; larger bodies get 413.
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 64 * 1024)
    # Largest Socket.IO message, however many websocket frames it comes in (a long-polling
    # request's body, likewise); the connection that sends a larger one is closed.
    SOCKETIO_MAX_MESSAGE_BYTES = _env_int("SOCKETIO_MAX_MESSAGE_BYTES", 1024 * 1024)
    # Messages one attendee or screen connection may send: SOCKET_MESSAGE_BURST at once, refilled
    # at SOCKET_MESSAGES_PER_S. Past that each is refused (``rate_limited``, with
    # ``retry_after`` in seconds); a connection SOCKET_MESSAGE_BURST messages past what it was
    # allowed (refused ones count) is closed. Moderators' connections (logged in) are not
    # counted; 0 turns the pace off.
    SOCKET_MESSAGES_PER_S = _env_int("SOCKET_MESSAGES_PER_S", 20)
    SOCKET_MESSAGE_BURST = _env_int("SOCKET_MESSAGE_BURST", 60)

    # Vote counts go out at most this often per event, however fast votes arrive. 0 sends one
    # message per vote: only for measuring what coalescing saves (bench/vote_storm.py).
    VOTE_BROADCAST_INTERVAL_MS = _env_int("VOTE_BROADCAST_INTERVAL_MS", 250)

    QUESTION_MAX_LENGTH = _env_int("QUESTION_MAX_LENGTH", 300)
    NAME_MAX_LENGTH = _env_int("NAME_MAX_LENGTH", 80)
    # Questions one attendee may send per minute (shared by every process: counted in the DB).
    QUESTIONS_PER_MINUTE = _env_int("QUESTIONS_PER_MINUTE", 5)
    AFFILIATION_MAX_LENGTH = _env_int("AFFILIATION_MAX_LENGTH", 120)

    # New attendee identities one network address may start per window (shared by every
    # process: counted in the database). A conference room puts hundreds of phones behind one
    # address: the default lets a room of 1,000 join within the window.
    ATTENDEES_PER_ADDRESS = _env_int("ATTENDEES_PER_ADDRESS", 1000)
    ATTENDEE_WINDOW_S = _env_int("ATTENDEE_WINDOW_S", 600)
    # Reverse proxies in front of the server whose X-Forwarded-For is believed (0: none, the
    # socket's address is the client's; 1: one nginx in front, as in docs/deploy.md).
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)

    # The room pass in the room screen's QR code rotates every ROOM_PASS_SECONDS (a pass is
    # accepted in its window and the next); a phone that showed one is counted "in the room"
    # for ROOM_COOKIE_SECONDS (docs/security.md).
    ROOM_PASS_SECONDS = _env_int("ROOM_PASS_SECONDS", 300)
    ROOM_COOKIE_SECONDS = _env_int("ROOM_COOKIE_SECONDS", 4 * 3600)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Send the session cookie over https only. On by default when PUBLIC_URL is https (the app
    # behind TLS); set SESSION_COOKIE_SECURE=0 or 1 to decide otherwise (docs/security.md).
    SESSION_COOKIE_SECURE = _env_bool(
        "SESSION_COOKIE_SECURE", (PUBLIC_URL or "").lower().startswith("https://")
    )
    SESSION_COOKIE_NAME = "moderator_session"

    BABEL_DEFAULT_LOCALE = "en"

    TESTING = False
