"""The pages: attendee, moderator dashboard, room screen, login."""

from flask import Blueprint

bp = Blueprint("web", __name__)

from moderator.web import routes  # noqa: E402,F401
