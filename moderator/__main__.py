"""Entry point: ``python -m moderator [--host H] [--port P] [--event FILE ...]``.

The only place that monkey-patches: eventlet must patch the standard library before Flask,
SQLAlchemy, psycopg2 or Redis are imported, so this happens first.
"""

import os

if os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet") == "eventlet":
    import warnings

    with warnings.catch_warnings():
        # The client chose eventlet knowing it is in maintenance mode; say it once in the docs,
        # not at every start.
        warnings.simplefilter("ignore")
        import eventlet

    eventlet.monkey_patch()
    # psycopg2 waits on the database through eventlet's hub instead of blocking the process.
    from eventlet.support import psycopg2_patcher

    psycopg2_patcher.make_psycopg_green()

import argparse  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

from config import Config  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; each option has an environment variable of the same purpose."""
    parser = argparse.ArgumentParser(
        prog="python -m moderator", description="Live moderation dashboard for hybrid panels."
    )
    parser.add_argument("--host", default=Config.HOST, help="address to listen on (HOST)")
    parser.add_argument("--port", type=int, default=Config.PORT, help="port (PORT)")
    parser.add_argument(
        "--event",
        action="append",
        metavar="FILE",
        dest="events",
        help="event file (TOML) to host; repeat for several (EVENT_FILES). "
        "Default: the built-in demo event",
    )
    return parser.parse_args(argv)


def _base_url(host: str, port: int) -> str:
    if Config.PUBLIC_URL:
        return Config.PUBLIC_URL.rstrip("/")
    if host in ("0.0.0.0", "::", ""):
        # Reachable from other devices: show this machine's name rather than a wildcard.
        host = socket.gethostbyname(socket.gethostname())
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def main(argv: list[str] | None = None) -> int:
    """Start the server and print where each page is."""
    args = parse_args(argv)
    from moderator.app import create_app
    from moderator.core.event_file import EventFileError
    from moderator.extensions import socketio

    try:
        app = create_app(Config, event_files=args.events or Config.EVENT_FILES or None)
    except EventFileError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    base = _base_url(args.host, args.port)
    token = app.config["MODERATOR_TOKEN"]
    lines = [f"Moderation dashboard on {base}  (database: {_describe(app.config['DATABASE_URL'])})"]
    for code in app.config["EVENT_CODES"]:
        lines += [
            f"  event {code}",
            f"    attendees online : {base}/e/{code}",
            f"    room screen      : {base}/e/{code}/screen  (pair it from the dashboard: its "
            "QR code then carries the room pass)",
            f"    stage monitor    : {base}/e/{code}/stage",
            f"    moderator        : {base}/moderate/{code}?token={token}",
        ]
    lines.append(f"  moderator token  : {token}")
    print("\n".join(lines), flush=True)
    _raise_file_limit(app.config["MAX_CONNECTIONS"] + 256)
    if app.config["SOCKETIO_ASYNC_MODE"] != "eventlet":
        socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=True)
        return 0
    from moderator import serving

    serving.serve(app, args.host, args.port)
    return 0


def _raise_file_limit(wanted: int) -> None:
    """Each attendee holds a socket, i.e. a file descriptor; lift the soft limit toward what
    MAX_CONNECTIONS needs (laptops often start at 256 or 1,024)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def _describe(url: str) -> str:
    return url.split("@")[-1] if "://" in url else url


if __name__ == "__main__":
    sys.exit(main())
