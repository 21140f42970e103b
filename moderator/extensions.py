"""Extension objects, created here and bound to the application in ``create_app``. The database
is not one of them: each application owns its own (``moderator/runtime.py``)."""

from flask_babel import Babel
from flask_socketio import SocketIO

socketio = SocketIO()
babel = Babel()
