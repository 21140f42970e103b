"""The bare baseline for bench/fanout.py: a minimal Flask-SocketIO server under eventlet, no
database, no rooms logic beyond one room. A driver's "trigger" is broadcast to every client.

    python bench/baseline_server.py PORT
"""

import eventlet

eventlet.monkey_patch()

import sys  # noqa: E402

from flask import Flask  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode="eventlet")


@socketio.on("connect")
def connect(auth=None):
    """Every client but the driver listens in one room."""
    if not (isinstance(auth, dict) and auth.get("driver")):
        join_room("all")


@socketio.on("trigger")
def trigger(payload):
    """Send the payload, as it came, to every listener."""
    socketio.emit("question", payload, to="all")
    return {"ok": True}


if __name__ == "__main__":
    port = int(sys.argv[1])
    listener = eventlet.listen(("127.0.0.1", port), backlog=2048)
    eventlet.wsgi.server(listener, app, max_size=20000, log_output=False)
