"""What belongs to one running application: its database, clock, limits, rate limiter,
per-process event snapshots and lists of published questions, the pace of each connection, and
background services. Kept in ``app.extensions`` so that nothing outlives the app (each test's app
has its own)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from flask import Flask, current_app

from moderator.core.clock import Clock
from moderator.core.events import Snapshots
from moderator.core.public import PublicQuestions
from moderator.core.questions import Limits
from moderator.db import Database
from moderator.throttle import ConnectionThrottle

if TYPE_CHECKING:
    from moderator.ballot_box import BallotBox
    from moderator.identity import Identities
    from moderator.limits import Limiter
    from moderator.message_queue import MessageQueue
    from moderator.tasks import Latecomers, LoginWatch, PrivacySweep, TimerTasks, VoteRelay

KEY = "moderator"


@dataclass
class Runtime:
    database: Database
    clock: Clock
    limits: Limits
    snapshots: Snapshots
    ballot_box: BallotBox
    vote_relay: VoteRelay
    timer_tasks: TimerTasks
    login_watch: LoginWatch
    identities: Identities
    limiter: Limiter
    public_questions: PublicQuestions
    throttle: ConnectionThrottle
    latecomers: Latecomers
    privacy_sweep: PrivacySweep
    # The Redis message queue between processes, when one is configured (``message_queue.py``).
    message_queue: MessageQueue | None = None

    def close(self) -> None:
        """Stop the background loops and close the database's and Redis's connections."""
        for worker in (
            self.ballot_box,
            self.vote_relay,
            self.login_watch,
            self.latecomers,
            self.privacy_sweep,
        ):
            worker.stop()
        self.limiter.close()
        if self.message_queue is not None:
            self.message_queue.stop()
        self.database.dispose()


def current_app_object() -> Flask:
    """The application itself behind Flask's ``current_app`` proxy (for background work)."""
    return cast(Any, current_app)._get_current_object()  # type: ignore[no-any-return]


def of(app: Flask | None = None) -> Runtime:
    """The runtime of ``app`` (default: the current application)."""
    target = app if app is not None else current_app
    runtime: Runtime = target.extensions[KEY]
    return runtime


def database(app: Flask | None = None) -> Database:
    """The application's database."""
    return of(app).database


def clock(app: Flask | None = None) -> Clock:
    """The application's clock (tests may replace it with a fake)."""
    return of(app).clock


def limits(app: Flask | None = None) -> Limits:
    """The configured limits of a submission."""
    return of(app).limits


def limiter(app: Flask | None = None) -> Limiter:
    """The rate limits per person and per address (``moderator/limits.py``)."""
    return of(app).limiter


def snapshots(app: Flask | None = None) -> Snapshots:
    """The per-process copies of each event's settings that submissions read."""
    return of(app).snapshots


def public_questions(app: Flask | None = None) -> PublicQuestions:
    """The per-process copies of each event's published questions (resync, similar)."""
    return of(app).public_questions


def throttle(app: Flask | None = None) -> ConnectionThrottle:
    """The pace of each Socket.IO connection of this process."""
    return of(app).throttle


def ballot_box(app: Flask | None = None) -> BallotBox:
    return of(app).ballot_box


def vote_relay(app: Flask | None = None) -> VoteRelay:
    return of(app).vote_relay


def timer_tasks(app: Flask | None = None) -> TimerTasks:
    return of(app).timer_tasks
