"""Messages for room screens, stage monitors and the dashboard's timer panel: time samples for
the browser's server-time estimate, and the timer and display state on request."""

from __future__ import annotations

from typing import Any

from flask import session

from moderator import fanout, runtime
from moderator.core import events, screens, speaking, timer
from moderator.extensions import socketio
from moderator.sockets import Reply, acknowledged, paced

NAMESPACES = (fanout.ATTENDEE_NAMESPACE, fanout.MODERATOR_NAMESPACE)


def server_time(_data: Any = None) -> Reply:
    """One sample for the NTP-style offset estimate: the server's clock, with no database work
    so that the round trip measures the network and not a query. Paced like every message."""
    return paced("time") or {"server_ms": runtime.clock()()}


for _namespace in NAMESPACES:
    socketio.on("time", namespace=_namespace)(server_time)


def screen_state(code: str) -> Reply:
    """The timer and the display of an event, as one reply."""
    clock = runtime.clock()
    with runtime.database().session() as s:
        event = events.get_event(s, code)
        row = timer.get_timer(s, event, clock=clock)
        display = screens.get_display(s, event, clock=clock)
        return {
            "timer": timer.timer_view(event, row, now=clock()),
            "display": screens.display_view(display),
            "speaker": speaking.stage_view(s, event, now=clock()),
        }


@socketio.on("screen_state", namespace=fanout.ATTENDEE_NAMESPACE)
@acknowledged
def screen_state_message(_data: Any) -> Reply:
    """The timer and display state, asked for at connect and as a slow keepalive."""
    return screen_state(session["event"])
