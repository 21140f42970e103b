"""Clock messages for room screens, stage monitors and the moderator's own clock: time samples
for the offset estimate, the clock state on request, and each screen's report."""

from __future__ import annotations

from flask import session

from moderator import fanout
from moderator.core import events, screens, timer
from moderator.core.errors import Forbidden
from moderator.extensions import db, socketio
from moderator.runtime import clock
from moderator.sockets import acknowledged

NAMESPACES = (fanout.ATTENDEE_NAMESPACE, fanout.MODERATOR_NAMESPACE)


def server_time(_data=None):
    """One sample for the NTP-style offset estimate: the server's clock, with no database work
    so that the round trip measures the network and not a query."""
    return {"server_ms": clock()()}


for _namespace in NAMESPACES:
    socketio.on("time", namespace=_namespace)(server_time)


def clock_state(code: str) -> dict:
    """The clock and the display of an event, as one reply."""
    with db.session() as s:
        event = events.get_event(s, code)
        row = timer.get_timer(s, event, clock=clock())
        display = screens.get_display(s, event, clock())
        return {
            "timer": timer.timer_view(event, row, now=clock()()),
            "display": screens.display_view(display),
        }


@socketio.on("clock_sync", namespace=fanout.ATTENDEE_NAMESPACE)
@acknowledged
def clock_sync(_data):
    """The clock and display state, asked for at connect and as a slow keepalive."""
    return clock_state(session.get("event"))


@socketio.on("screen_report", namespace=fanout.ATTENDEE_NAMESPACE)
@acknowledged
def screen_report(data):
    """A screen's measured offset and round trip: ``{"offset_ms", "rtt_ms"}``."""
    if not session.get("screen_id"):
        raise Forbidden("Only a room screen or stage monitor reports its clock.", "not_a_screen")
    code = session.get("event")
    with db.session() as s:
        event = events.get_event(s, code)
        report = {
            "label": session.get("screen_label"),
            **(data if isinstance(data, dict) else {}),
            "screen_id": session["screen_id"],
            "kind": session["role"],
        }
        screens.report_screen(s, event, report, clock())
        fanout.screens_changed(
            code, [screens.screen_view(x) for x in screens.list_screens(s, event)]
        )
    return {"ok": True}


@socketio.on("disconnect", namespace=fanout.ATTENDEE_NAMESPACE)
def disconnect(*_args):
    """A registered screen going away stays listed, marked disconnected."""
    screen_id, code = session.get("screen_id"), session.get("event")
    if not screen_id or not code:
        return
    with db.session() as s:
        event = events.get_event(s, code)
        screens.screen_gone(s, event, screen_id, clock())
        fanout.screens_changed(
            code, [screens.screen_view(x) for x in screens.list_screens(s, event)]
        )
