"""Background work owned by the application: each service runs one task per process while it
has work, restarts it if it dies, and logs what killed it.

- ``VoteRelay``: coalesces vote counts (a few messages a second per event, however fast votes
  arrive; read from the database when sent, so the last message is exact), and with them the
  dashboard's overview (suggested next question, theme coverage) after any change.
- ``TimerTasks``: wakes up when a running segment reaches zero, to auto-advance.
- ``LoginWatch``: disconnects this process's dashboards whose login ended on another process.
- ``Latecomers``: closes Engine.IO connections that never join a Socket.IO namespace.
- ``PrivacySweep``: erases askers' names and affiliations where an event's erasure is due.
- ``BallotBox`` (``moderator/ballot_box.py``) is a ``Worker`` too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select

from moderator import fanout, runtime
from moderator.core import events, overview, privacy, timer, votes
from moderator.extensions import socketio
from moderator.models import Invitation, Login

log = logging.getLogger(__name__)
RESTART_DELAY_S = 0.5
ADVANCE_ATTEMPTS = 30


class Worker:
    """A loop that runs while ``has_work()``, one ``step()`` at a time, every ``interval``
    seconds; ``wake()`` starts it when idle. An exception is logged and the loop restarted."""

    name = "worker"
    interval = 0.0

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.running = False
        self.stopped = False
        # For the health endpoint: how often the loop died, and the type of the last exception.
        self.restarts = 0
        self.last_error: str | None = None

    def stop(self) -> None:
        """Let the loop end after its current step (the application is shutting down)."""
        self.stopped = True

    def has_work(self) -> bool:
        raise NotImplementedError

    def step(self) -> None:
        raise NotImplementedError

    def wake(self) -> None:
        """Start the loop unless it is running."""
        with self.lock:
            if self.running:
                return
            self.running = True
        socketio.start_background_task(self._run)

    def _pause(self, seconds: float) -> None:
        # In slices of at most a second: a long interval must not keep a stopped loop (and its
        # application) alive until it ends.
        deadline = time.monotonic() + seconds
        while not self.stopped and (left := deadline - time.monotonic()) > 0:
            socketio.sleep(min(left, 1.0))

    def _run(self) -> None:
        try:
            while True:
                if self.interval:
                    self._pause(self.interval)
                with self.lock:
                    if self.stopped or not self.has_work():
                        self.running = False
                        return
                self.step()
        except Exception as exc:
            log.exception("%s died; restarting it", self.name)
            with self.lock:
                self.running = False
                self.restarts += 1
                self.last_error = type(exc).__name__
            socketio.sleep(RESTART_DELAY_S)
            if not self.stopped:
                self.wake()


class VoteRelay(Worker):
    """Sends each event's changed vote counts, and the moderators' overview of an event whose
    questions, votes or current theme changed, at most once per interval."""

    name = "vote relay"

    def __init__(self, app: Flask) -> None:
        super().__init__(app)
        self.interval = app.config["VOTE_BROADCAST_INTERVAL_MS"] / 1000
        self.dirty: dict[str, set[int]] = {}

    def changed(self, code: str, question_id: int) -> None:
        """Note that a question's count changed; it goes out with the next batch. An interval
        of 0 sends one message per vote (kept only to measure what coalescing saves)."""
        if self.interval <= 0:
            self._send({code: {question_id}})
            return
        with self.lock:
            self.dirty.setdefault(code, set()).add(question_id)
        self.wake()

    def overview_changed(self, code: str) -> None:
        """Note that the event's overview may have changed (a question or the current theme);
        it is recomputed and sent with the next batch."""
        if self.interval <= 0:
            self._send({code: set()})
            return
        with self.lock:
            self.dirty.setdefault(code, set())
        self.wake()

    def has_work(self) -> bool:
        return bool(self.dirty)

    def step(self) -> None:
        with self.lock:
            batch, self.dirty = self.dirty, {}
        try:
            self._send(batch)
        except Exception:
            # Keep the counts to send: the next round reads them again.
            with self.lock:
                for code, ids in batch.items():
                    self.dirty.setdefault(code, set()).update(ids)
            raise

    def _send(self, batch: dict[str, set[int]]) -> None:
        clock = runtime.clock(self.app)
        with runtime.database(self.app).session() as session:
            for code, ids in batch.items():
                event = events.get_event(session, code)
                if ids:
                    counts = votes.counts(session, ids)
                    fanout.send_votes(code, counts, votes.split_by_origin(session, event, ids))
                    runtime.public_questions(self.app).votes_changed(code, counts)
                fanout.send_overview(code, overview.overview(session, event, clock=clock))


class TimerTasks:
    """Auto-advance: a sleeping task per scheduled zero, not a ticking loop. Each process that
    saw the change schedules one; the core's versioned write lets exactly one advance."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def schedule_auto_advance(self, code: str, view: dict[str, Any]) -> None:
        """If this timer state will auto-advance, wake up when it reaches zero."""
        if view["state"] != timer.RUNNING or not view["auto_advance"] or view["next"] is None:
            return
        socketio.start_background_task(
            self._advance_when_due, code, view["version"], max(view["remaining_ms"], 0)
        )

    def resume(self) -> None:
        """At start-up: schedule the auto-advance of timers that ran before a restart."""
        clock = runtime.clock(self.app)
        with runtime.database(self.app).session() as session:
            for event in events.list_events(session):
                row = timer.get_timer(session, event, clock=clock)
                self.schedule_auto_advance(event.code, timer.timer_view(event, row, now=clock()))

    def _advance_when_due(self, code: str, version: int, delay_ms: int) -> None:
        socketio.sleep(delay_ms / 1000)
        for attempt in range(1, ADVANCE_ATTEMPTS + 1):
            try:
                self._advance(code, version)
                return
            except Exception:
                # A database that went away comes back; give it a minute, then leave the
                # segment to the moderator (any later timer change schedules a new wake-up).
                log.exception("auto-advance of %s failed (attempt %d)", code, attempt)
                socketio.sleep(RESTART_DELAY_S * 4)

    def _advance(self, code: str, version: int) -> None:
        clock = runtime.clock(self.app)
        with runtime.database(self.app).session() as session:
            event = events.get_event(session, code)
            while True:
                session.expire_all()
                row = timer.get_timer(session, event, clock=clock)
                left = timer.remaining_at(row, event, now=clock())
                if row.version != version or left <= 0:
                    break
                socketio.sleep(left / 1000)  # woke up early
            if timer.advance_if_due(session, event, version=version, clock=clock):
                fanout.announce(
                    self.app, code, [fanout.TimerChanged(timer.timer_view(event, row, now=clock()))]
                )


class LoginWatch(Worker):
    """This process's dashboards by login and by invitation. Logging out, or revoking an
    invitation, disconnects the dashboards on the process that handled it at once; this loop
    catches those on other processes within ``interval``."""

    name = "login watch"
    interval = 1.0

    def __init__(self, app: Flask) -> None:
        super().__init__(app)
        # sid -> (login id, invitation id): either may be None (a tool's token has no login;
        # the administrator's has no invitation).
        self.sockets: dict[str, tuple[str | None, str | None]] = {}

    def watch(self, sid: str, login_id: str | None, invitation_id: str | None = None) -> None:
        if login_id is None and invitation_id is None:
            return
        with self.lock:
            self.sockets[sid] = (login_id, invitation_id)
        self.wake()

    def forget(self, sid: str) -> None:
        with self.lock:
            self.sockets.pop(sid, None)

    def ended(self, login_id: str) -> None:
        """Disconnect this process's dashboards of a login that just ended."""
        self._close(lambda login, _invitation: login == login_id)

    def revoked(self, invitation_id: str) -> None:
        """Disconnect this process's dashboards opened with a revoked invitation."""
        self._close(lambda _login, invitation: invitation == invitation_id)

    def _close(self, which: Callable[[str | None, str | None], bool]) -> None:
        with self.lock:
            sids = [sid for sid, (login, inv) in self.sockets.items() if which(login, inv)]
        for sid in sids:
            self.forget(sid)
            socketio.server.disconnect(sid, namespace=fanout.MODERATOR_NAMESPACE)

    def has_work(self) -> bool:
        return bool(self.sockets)

    def step(self) -> None:
        with self.lock:
            watched = list(self.sockets.values())
        logins = {login for login, _ in watched if login is not None}
        invited = {invitation for _, invitation in watched if invitation is not None}
        with runtime.database(self.app).session() as session:
            live_logins = set(
                session.scalars(
                    select(Login.id).where(Login.id.in_(logins), Login.revoked_ms.is_(None))
                )
            )
            live_invitations = set(
                session.scalars(
                    select(Invitation.id).where(
                        Invitation.id.in_(invited), Invitation.revoked_ms.is_(None)
                    )
                )
            )
        self._close(
            lambda login, invitation: (
                (login is not None and login not in live_logins)
                or (invitation is not None and invitation not in live_invitations)
            )
        )


class Latecomers(Worker):
    """Engine.IO connections that have not joined a Socket.IO namespace yet. A page joins at
    once; one that has not within ``HANDSHAKE_TIMEOUT_S`` is closed (a flood of connections
    that open the transport and then say nothing would otherwise be pinged for hours)."""

    name = "latecomers"
    interval = 1.0

    def __init__(self, app: Flask) -> None:
        super().__init__(app)
        self.timeout_s = float(app.config["HANDSHAKE_TIMEOUT_S"])
        self.pending: dict[str, float] = {}  # engine.io sid -> when it connected (monotonic)
        self.closed = 0
        self.server: Any = None

    def attach(self, server: Any) -> None:
        """Watch the connections of this Socket.IO server (the application's)."""
        self.server = server
        joined = server.eio.handlers["connect"]

        def connected(eio_sid: str, environ: dict[str, Any], *args: Any) -> Any:
            with self.lock:
                self.pending[eio_sid] = time.monotonic()
            self.wake()
            return joined(eio_sid, environ, *args)

        server.eio.on("connect", connected)

    def has_work(self) -> bool:
        return bool(self.pending)

    def step(self) -> None:
        server, now = self.server, time.monotonic()
        with self.lock:
            pending = list(self.pending.items())
        late = []
        for eio_sid, since in pending:
            gone = eio_sid not in server.environ
            joined = not gone and any(
                server.manager.sid_from_eio_sid(eio_sid, namespace) is not None
                for namespace in (fanout.ATTENDEE_NAMESPACE, fanout.MODERATOR_NAMESPACE)
            )
            if gone or joined or now - since > self.timeout_s:
                with self.lock:
                    self.pending.pop(eio_sid, None)
                if not (gone or joined):
                    late.append(eio_sid)
        for eio_sid in late:
            self.closed += 1
            server.eio.disconnect(eio_sid)


class PrivacySweep(Worker):
    """Erases askers' names and affiliations where an event's erasure is due
    (``moderator/core/privacy.py``), every ``PRIVACY_SWEEP_S`` seconds from start-up; 0 turns it
    off. Every process runs it; the erasure is one UPDATE, so two at once erase once. A sweep
    that fails (the database is away) is logged and the next one tries again."""

    name = "privacy sweep"

    def __init__(self, app: Flask) -> None:
        super().__init__(app)
        self.interval = float(app.config["PRIVACY_SWEEP_S"])

    def has_work(self) -> bool:
        return self.interval > 0

    def step(self) -> None:
        with runtime.database(self.app).session() as session:
            codes = privacy.erase_due(session, clock=runtime.clock(self.app))
        for code in codes:
            # This process's copy of the published questions would show the names for a moment.
            runtime.public_questions(self.app).forget(code)
            log.info("erased askers' names and affiliations in event %s (due)", code)
