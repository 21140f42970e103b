"""Askers' personal data after the event: the names and affiliations attendees gave with their
questions are erased a set number of days after the event (``erase_names_after_days`` in the
event file), or at once when an organiser asks. The questions themselves stay: their texts,
statuses, votes and counts, so the export and the event's record remain whole.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from moderator.core.clock import Clock
from moderator.core.event_file import EventDefinition
from moderator.core.events import list_events
from moderator.models import Event, Question

log = logging.getLogger(__name__)

_NAMED = or_(Question.name.is_not(None), Question.affiliation.is_not(None))


def erasure_due_ms(spec: EventDefinition) -> int | None:
    """When the event's askers' names are due to go, in ms since the epoch: midnight at the end
    of the event's date in its time zone, plus ``erase_names_after_days`` calendar days there.
    None when the event has no date or no such setting."""
    days = spec.erase_names_after_days
    if not spec.date or days is None:
        return None
    # Never before the event's day is over, whatever a malformed definition says.
    after = date.fromisoformat(spec.date) + timedelta(days=1 + max(days, 0))
    midnight = datetime.combine(after, time(), ZoneInfo(spec.timezone))
    return int(midnight.timestamp()) * 1000


def has_names(session: Session, event: Event) -> bool:
    """Whether any question of the event still carries a name or an affiliation."""
    return bool(session.scalar(select(exists().where(Question.event_id == event.id, _NAMED))))


def erase_names(session: Session, event: Event, *, clock: Clock) -> int:
    """Remove the name and affiliation of every question of the event, note when, and commit;
    return how many questions had one. Nothing else of a question changes."""
    # One plain UPDATE, as votes are written: ``version`` (the optimistic lock) stays, so a
    # moderator's change in flight on one of these questions is not refused because of it, and
    # its columns leave the name alone. The public version stays too: pages drop only messages
    # older than what they show, so an erased copy at the same version replaces a named one.
    erased = session.execute(
        update(Question)
        .where(Question.event_id == event.id, _NAMED)
        .values(name=None, affiliation=None)
        .returning(Question.id)
    ).all()
    event.names_erased_ms = clock()
    session.commit()
    return len(erased)


def erase_due(session: Session, *, clock: Clock) -> list[str]:
    """Erase the askers' names of every event whose erasure is due and that still holds some;
    return those events' codes. An event whose definition cannot be read is skipped (and
    logged), so that it does not keep the others' names."""
    now = clock()
    erased = []
    for event in list_events(session):
        try:
            due = erasure_due_ms(event.spec)
        except (ValueError, KeyError):  # a bad date, or a time zone this system lacks
            log.exception("cannot tell when the names of event %s are due to go", event.code)
            continue
        if due is None or now < due or not has_names(session, event):
            continue
        if erase_names(session, event, clock=clock):
            erased.append(event.code)
    return erased
