"""The JSON API used by tools (Stream Deck, Companion, Q&A bridges) and acceptance checks."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from moderator.api import errors, routes  # noqa: E402,F401
