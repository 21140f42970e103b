"""Extension objects, created here and bound to the application in ``create_app``."""

from flask_babel import Babel
from flask_socketio import SocketIO

from moderator.db import Database

socketio = SocketIO()
babel = Babel()
db = Database()
