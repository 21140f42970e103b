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
import sys  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

from config import Config  # noqa: E402
from moderator.addresses import is_loopback, lan_address, listens_everywhere  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; each option has an environment variable of the same purpose."""
    parser = argparse.ArgumentParser(
        prog="python -m moderator", description="Live moderation dashboard for hybrid panels."
    )
    parser.add_argument("--host", default=Config.HOST, help="address to listen on (HOST)")
    parser.add_argument(
        "--room",
        action="store_true",
        default=Config.ROOM,
        help="for the room: listen on every interface, links and QR code on this computer's "
        "network address (ROOM=1; PUBLIC_URL still wins)",
    )
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
    if listens_everywhere(host):
        # Reachable from other devices: the address phones on this network can use (a guess;
        # PUBLIC_URL says otherwise), rather than a wildcard.
        host = lan_address()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _reach_notes(host: str, base: str) -> list[str]:
    """What the printout says when phones in the room could not open the links."""
    public_host = urlsplit(Config.PUBLIC_URL or "").hostname
    if is_loopback(host) and public_host and not is_loopback(public_host):
        return [f"  Listening on {host} only, reached through {base} (a reverse proxy)."]
    if is_loopback(host):
        return [
            f"  Listening on {host} only: phones in the room cannot open these links or the QR",
            "  code. For the room: python -m moderator --room (or HOST=0.0.0.0, ROOM=1).",
        ]
    if listens_everywhere(host) and not Config.PUBLIC_URL:
        return [f"  Listening on every interface; {base} is a guess (set PUBLIC_URL if wrong)."]
    return []


def main(argv: list[str] | None = None) -> int:
    """Start the server and print where each page is."""
    args = parse_args(argv)
    if args.room:
        args.host = "0.0.0.0"
    from moderator.app import create_app
    from moderator.core.event_file import EventFileError
    from moderator.extensions import socketio

    try:
        app = create_app(Config, event_files=args.events or Config.EVENT_FILES or None)
    except EventFileError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    base = _base_url(args.host, args.port)
    if listens_everywhere(args.host) and not app.config["PUBLIC_URL"]:
        # The room screen's QR code uses this address too, whichever address it was opened at.
        app.config["PUBLIC_URL"] = base
    token = app.config["ADMIN_TOKEN"]
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
    lines.append(f"  workspace        : {base}/admin  (events, agendas, invitations)")
    lines.append(f"  admin token      : {token}")
    lines += _reach_notes(args.host, base)
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
