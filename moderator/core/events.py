"""Hosted events: installed from event files, looked up by code, settings changed by moderators."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator.core.clock import Clock
from moderator.core.errors import InvalidInput, NotFound
from moderator.core.event_file import EventDefinition
from moderator.models import Event


def install_events(session: Session, definitions: Iterable[EventDefinition], clock: Clock) -> None:
    """Store each definition under its code, updating the agenda of events already stored.

    Settings changed at run time (pre-moderation) are kept across restarts; the file only gives
    the initial value.
    """
    now = clock()
    for definition in definitions:
        event = session.scalar(select(Event).where(Event.code == definition.code))
        if event is None:
            session.add(
                Event(
                    code=definition.code,
                    title=definition.title,
                    definition=definition.to_dict(),
                    premoderation=definition.premoderation,
                    created_ms=now,
                    updated_ms=now,
                )
            )
        elif event.definition != definition.to_dict() or event.title != definition.title:
            event.title = definition.title
            event.definition = definition.to_dict()
            event.updated_ms = now
    session.commit()


def get_event(session: Session, code: object) -> Event:
    """The event with this code, or ``NotFound``."""
    if not isinstance(code, str):
        raise InvalidInput("The event code must be text.", "invalid_event")
    event = session.scalar(select(Event).where(Event.code == code))
    if event is None:
        raise NotFound(f"There is no event with the code {code!r}.", "unknown_event")
    return event


def list_events(session: Session) -> list[Event]:
    """Every hosted event, oldest first."""
    return list(session.scalars(select(Event).order_by(Event.id)))


def definition_of(event: Event) -> EventDefinition:
    """The event's agenda, themes and panelists."""
    return EventDefinition.from_dict(event.definition)


def set_premoderation(session: Session, event: Event, enabled: object, clock: Clock) -> Event:
    """Switch review-before-publishing on or off for the event."""
    if not isinstance(enabled, bool):
        raise InvalidInput("premoderation must be true or false.", "invalid_premoderation")
    event.premoderation = enabled
    event.updated_ms = clock()
    session.commit()
    return event


def event_view(event: Event) -> dict:
    """What anyone may know about the event: agenda, themes with guiding questions, panelists."""
    data = dict(event.definition)
    return {
        "code": event.code,
        "title": event.title,
        "subtitle": data.get("subtitle", ""),
        "date": data.get("date", ""),
        "start": data.get("start", ""),
        "timezone": data.get("timezone", "UTC"),
        "format": data.get("format", ""),
        "venue": data.get("venue", ""),
        "organisers": data.get("organisers", []),
        "moderator": data.get("moderator"),
        "panelists": data.get("panelists", []),
        "themes": data["themes"],
        "segments": data["segments"],
        "premoderation": event.premoderation,
    }


def theme_keys(event: Event) -> tuple[str, ...]:
    """The keys a question of this event may be tagged with."""
    return tuple(theme["key"] for theme in event.definition["themes"])
