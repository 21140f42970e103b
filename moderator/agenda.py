"""Publishing the agenda clock: after every change, tell the screens and, when auto-advance is
on, wake up at zero to start the next segment.

The wake-up is a sleeping task, not a ticking loop. Each process that saw the change schedules
one; the core's versioned write lets exactly one of them advance.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app

from moderator import fanout
from moderator.core import events, timer
from moderator.extensions import db, socketio
from moderator.models import Event, Timer
from moderator.runtime import clock

log = logging.getLogger(__name__)


def publish(code: str, event: Event, row: Timer) -> dict:
    """Broadcast the clock's new state and schedule its auto-advance; return the state."""
    view = timer.timer_view(event, row, now=clock()())
    fanout.timer_changed(code, view)
    schedule_auto_advance(current_app._get_current_object(), code, view)
    return view


def schedule_auto_advance(app: Flask, code: str, view: dict) -> None:
    """If this state will auto-advance, wake up when it reaches zero."""
    if view["state"] != timer.RUNNING or not view["auto_advance"] or view["next"] is None:
        return
    socketio.start_background_task(
        _advance_when_due, app, code, view["version"], max(view["remaining_ms"], 0)
    )


def _advance_when_due(app: Flask, code: str, version: int, delay_ms: int) -> None:
    socketio.sleep(delay_ms / 1000)
    with app.app_context():
        try:
            with db.session() as session:
                event = events.get_event(session, code)
                while True:
                    session.expire_all()
                    row = timer.get_timer(session, event, clock=clock())
                    left = timer.remaining_at(row, event, now=clock()())
                    if row.version != version or left <= 0:
                        break
                    socketio.sleep(left / 1000)  # woke up early
                if timer.advance_if_due(session, event, version=version, clock=clock()):
                    publish(code, event, row)
        except Exception:  # a background task has nobody to report to but the log
            log.exception("auto-advance of %s failed", code)


def resume_schedules(app: Flask) -> None:
    """At start-up: schedule the auto-advance of clocks that were running before a restart."""
    with app.app_context(), db.session() as session:
        for event in events.list_events(session):
            row = timer.get_timer(session, event, clock=clock())
            schedule_auto_advance(app, event.code, timer.timer_view(event, row, now=clock()()))
