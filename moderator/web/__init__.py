"""The pages: attendee, moderator dashboard, room screen, login, and the organiser's workspace."""

from flask import Blueprint

bp = Blueprint("web", __name__)

from moderator.web import routes, workspace  # noqa: E402,F401
