"""What adapters read from the running application: the clock and the length limits."""

from flask import current_app

from moderator.core.clock import Clock
from moderator.core.events import Snapshots
from moderator.core.questions import Limits


def clock() -> Clock:
    """The application's clock (tests may replace it with a fake)."""
    return current_app.extensions["moderator.clock"]


def limits() -> Limits:
    """The configured length limits of a submission."""
    return current_app.extensions["moderator.limits"]


def snapshots() -> Snapshots:
    """The per-process copies of each event's settings that submissions read."""
    return current_app.extensions["moderator.snapshots"]
