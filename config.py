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
    # The administrator's token: every event, creating events, inviting people. Generated once
    # into the instance folder when unset. MODERATOR_TOKEN is its former name, still read.
    ADMIN_TOKEN = os.environ.get("ADMIN_TOKEN") or None
    MODERATOR_TOKEN = os.environ.get("MODERATOR_TOKEN") or None

    # None means SQLite (WAL mode) in the instance folder; postgresql://... for production.
    DATABASE_URL = os.environ.get("DATABASE_URL") or None

    # Event files (TOML) to host, separated by os.pathsep; empty means the built-in demo.
    EVENT_FILES = _env_list("EVENT_FILES")

    # 127.0.0.1: this computer only (the room's phones cannot reach it). ROOM=1 (or --room)
    # listens on every interface and puts this computer's network address in the links and the
    # room screen's QR code (unless PUBLIC_URL is set).
    HOST = os.environ.get("HOST", "127.0.0.1")
    ROOM = _env_bool("ROOM", False)
    PORT = _env_int("PORT", 5000)
    # Base of the links printed at start-up and encoded in the room's QR code, e.g.
    # https://qa.example.org. Derived from HOST and PORT when unset.
    PUBLIC_URL = os.environ.get("PUBLIC_URL") or None

    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # The Redis channel the processes of one installation share (change it to run two apart).
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "moderator")
    # While a Redis message queue is unreachable, this process tries to reach it again after
    # MESSAGE_QUEUE_RETRY_MIN_MS, doubling up to MESSAGE_QUEUE_RETRY_MAX_MS, so it is back within
    # that of Redis's return (python-socketio's own: 1 s doubling to 60 s).
    MESSAGE_QUEUE_RETRY_MIN_MS = _env_int("MESSAGE_QUEUE_RETRY_MIN_MS", 100)
    MESSAGE_QUEUE_RETRY_MAX_MS = _env_int("MESSAGE_QUEUE_RETRY_MAX_MS", 1000)
    # How long connecting to Redis, or a command on it, may take before it counts as unreachable.
    MESSAGE_QUEUE_TIMEOUT_MS = _env_int("MESSAGE_QUEUE_TIMEOUT_MS", 3000)
    # When the queue is back, every page connected to this process fetches its state again (what
    # other processes sent meanwhile was lost), each at a moment drawn within this many ms, so
    # that a full room does not ask at the same instant.
    MESSAGE_QUEUE_RESYNC_SPREAD_MS = _env_int("MESSAGE_QUEUE_RESYNC_SPREAD_MS", 2000)
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

    # Text responses (pages, scripts, styles, JSON) of at least COMPRESS_MIN_BYTES are sent
    # gzip-compressed to browsers that accept it, at zlib level COMPRESS_LEVEL (1 fastest, 9
    # smallest); static files are compressed once and kept in memory.
    COMPRESS_MIN_BYTES = _env_int("COMPRESS_MIN_BYTES", 512)
    COMPRESS_LEVEL = _env_int("COMPRESS_LEVEL", 6)
    # The app's own scripts and stylesheets go out under their versioned address without their
    # comment lines and indentation (moderator/web/strip.py), stripped once; 0 sends them as
    # they are on disk (for a developer reading them in the browser's tools). The unversioned
    # address /static/<file> always sends the file as it is on disk.
    STATIC_STRIP = _env_bool("STATIC_STRIP", True)

    # Largest HTTP body accepted, in bytes; larger bodies get 413.
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 64 * 1024)
    # Largest event file (TOML or its JSON form) the workspace takes: a hundred segments with
    # their titles in six languages pass the parser's own limits yet exceed the above.
    EVENT_FILE_MAX_BYTES = _env_int("EVENT_FILE_MAX_BYTES", 1024 * 1024)
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

    # How often, in seconds, each process looks for events whose askers' names and affiliations
    # are due to be erased (``erase_names_after_days`` in the event file, docs/privacy.md); the
    # first look is this long after start-up. 0 turns the erasure by the server off.
    PRIVACY_SWEEP_S = _env_int("PRIVACY_SWEEP_S", 600)

    # Questions per page of the dashboard's sync: a dashboard (re)connecting to 10,000
    # questions reads them in pages of this many, each a bounded read and message.
    SYNC_PAGE_SIZE = _env_int("SYNC_PAGE_SIZE", 500)

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
    # Rate limits (docs/security.md, "Limits"): how many of each thing one person (the
    # server-issued attendee identity, or the screen) and one network address may do per
    # RATE_LIMIT_WINDOW_S. The address figures are generous because a conference room puts
    # hundreds of phones behind one NAT: the defaults let a room of 500 behind one address
    # join and vote within two minutes. 0 switches a figure off. Shared by every process
    # through Redis when there is one (RATE_LIMIT_REDIS_URL); otherwise each process counts
    # its own.
    RATE_LIMIT_WINDOW_S = _env_int("RATE_LIMIT_WINDOW_S", 60)
    NEW_CONNECTIONS_PER_PERSON = _env_int("NEW_CONNECTIONS_PER_PERSON", 30)
    NEW_CONNECTIONS_PER_ADDRESS = _env_int("NEW_CONNECTIONS_PER_ADDRESS", 3000)
    # Questions per person: QUESTIONS_PER_MINUTE above (counted in the database).
    QUESTIONS_PER_ADDRESS = _env_int("QUESTIONS_PER_ADDRESS", 1000)
    # Votes and taken-back votes together.
    VOTES_PER_PERSON = _env_int("VOTES_PER_PERSON", 60)
    VOTES_PER_ADDRESS = _env_int("VOTES_PER_ADDRESS", 6000)
    # "Already asked?" look-ups while a question is typed.
    SIMILAR_PER_PERSON = _env_int("SIMILAR_PER_PERSON", 30)
    SIMILAR_PER_ADDRESS = _env_int("SIMILAR_PER_ADDRESS", 3000)
    # A paired room screen or stage monitor reports its clock about twice a minute.
    SCREEN_REPORTS_PER_SCREEN = _env_int("SCREEN_REPORTS_PER_SCREEN", 30)
    SCREEN_REPORTS_PER_ADDRESS = _env_int("SCREEN_REPORTS_PER_ADDRESS", 600)
    # Where the rate-limit counters are shared: by default the Socket.IO message queue's Redis.
    RATE_LIMIT_REDIS_URL = os.environ.get("RATE_LIMIT_REDIS_URL") or SOCKETIO_MESSAGE_QUEUE

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
