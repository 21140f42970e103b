"""Room screens and stage monitors: what they show besides the clock (blackout, messages to the
speakers, flash) and which of them are connected, with their measured clock offset."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderator.core.clock import Clock
from moderator.core.errors import InvalidInput
from moderator.core.questions import check_client_id
from moderator.models import Display, Event, Screen

KINDS = ("screen", "stage")
DISPLAY_ACTIONS = ("message", "clear", "flash", "blackout")
MESSAGE_MAX_LENGTH = 200
LABEL_MAX_LENGTH = 60


def get_display(session: Session, event: Event, *, clock: Clock) -> Display:
    """The event's display settings, created on first use."""
    display = session.get(Display, event.id)
    if display is None:
        display = Display(event_id=event.id, blackout=False, updated_ms=clock())
        session.add(display)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            display = session.get(Display, event.id)
            assert display is not None  # the other writer's row
    return display


def apply_display(
    session: Session,
    event: Event,
    *,
    action: str,
    clock: Clock,
    text: str | None = None,
    on: bool | None = None,
) -> Display:
    """A moderator's command to the screens: ``message`` (with ``text``), ``clear``, ``flash``,
    or ``blackout`` (with ``on``)."""
    if action not in DISPLAY_ACTIONS:
        raise InvalidInput(
            f"Unknown display action {action!r}; use one of: {', '.join(DISPLAY_ACTIONS)}.",
            "unknown_action",
        )
    display = get_display(session, event, clock=clock)
    now = clock()
    if action == "message":
        if text is None or not text.strip():
            raise InvalidInput("Write the message for the speakers.", "empty_text")
        text = " ".join(text.split())
        if len(text) > MESSAGE_MAX_LENGTH:
            raise InvalidInput(
                f"The message is {len(text)} characters long; the limit is {MESSAGE_MAX_LENGTH}.",
                "text_too_long",
            )
        display.message, display.message_ms = text, now
    elif action == "clear":
        display.message, display.message_ms = None, now
    elif action == "flash":
        display.flash_ms = now
    else:
        if on is None:
            raise InvalidInput("on must be true or false.", "invalid_on")
        display.blackout = on
    display.updated_ms = now
    session.commit()
    return display


def display_view(display: Display) -> dict[str, Any]:
    """Blackout, the message to the speakers and when the last flash was asked for."""
    return {
        "blackout": display.blackout,
        "message": display.message,
        "message_ms": display.message_ms,
        "flash_ms": display.flash_ms,
    }


def report_screen(
    session: Session,
    event: Event,
    *,
    screen_id: str,
    kind: str,
    label: str | None,
    offset_ms: float | None,
    rtt_ms: float | None,
    clock: Clock,
) -> Screen:
    """Record a screen's measured clock offset and round trip; the first report registers it."""
    screen_id = check_client_id(screen_id, "screen_id")
    if kind not in KINDS:
        raise InvalidInput("kind must be 'screen' or 'stage'.", "invalid_kind")
    label = " ".join((label or f"{kind} {screen_id[:4]}").split())[:LABEL_MAX_LENGTH]
    measured = {"offset_ms": offset_ms, "rtt_ms": rtt_ms}
    for key, value in measured.items():
        if value is not None and abs(value) > 1e12:
            raise InvalidInput(f"{key} must be a number of milliseconds.", f"invalid_{key}")
    now = clock()
    screen = session.scalar(
        select(Screen).where(Screen.event_id == event.id, Screen.screen_id == screen_id)
    )
    if screen is None:
        screen = Screen(event_id=event.id, screen_id=screen_id, first_seen_ms=now)
        session.add(screen)
    screen.kind, screen.label, screen.connected, screen.last_seen_ms = kind, label, True, now
    if measured["offset_ms"] is not None:
        screen.offset_ms = measured["offset_ms"]
    if measured["rtt_ms"] is not None:
        screen.rtt_ms = measured["rtt_ms"]
    session.commit()
    return screen


def screen_gone(session: Session, event: Event, screen_id: str, *, clock: Clock) -> None:
    """Mark a screen disconnected (it stays listed, so a missing screen stands out)."""
    session.execute(
        update(Screen)
        .where(Screen.event_id == event.id, Screen.screen_id == screen_id)
        .values(connected=False, last_seen_ms=clock())
    )
    session.commit()


def list_screens(session: Session, event: Event) -> list[Screen]:
    """The event's screens, first registered first."""
    return list(
        session.scalars(select(Screen).where(Screen.event_id == event.id).order_by(Screen.id))
    )


def screen_view(screen: Screen) -> dict[str, Any]:
    """What the moderator's list of screens shows."""
    return {
        "screen_id": screen.screen_id,
        "kind": screen.kind,
        "label": screen.label,
        "offset_ms": screen.offset_ms,
        "rtt_ms": screen.rtt_ms,
        "connected": screen.connected,
        "last_seen_ms": screen.last_seen_ms,
    }
