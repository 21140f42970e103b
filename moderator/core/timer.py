"""The agenda clock: one countdown per segment, derived from timestamps, never ticked.

The stored state says when the current run started, how long the segment ran before that and how
much time was added; everything a screen shows (remaining time, overtime, colours, schedule drift)
is computed from it and the clock's ``now``. So a restart, even ``kill -9``, resumes exactly, and
nothing needs to be written or broadcast every second.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from moderator.core.clock import Clock
from moderator.core.errors import Conflict, InvalidInput
from moderator.models import AgendaClock, Event

IDLE, RUNNING, PAUSED = "idle", "running", "paused"
ACTIONS = (
    "start",
    "pause",
    "resume",
    "adjust",
    "reset",
    "next",
    "previous",
    "goto",
    "auto_advance",
)
MAX_ADJUST_S = 24 * 3600


def segments_of(event: Event) -> list[dict]:
    """The event's segments as stored: title, duration_s, speakers, notes, warning_s, danger_s."""
    return event.definition["segments"]


def get_clock(session: Session, event: Event, clock: Clock) -> AgendaClock:
    """The event's agenda clock, created idle on the first segment if it has none yet."""
    row = session.get(AgendaClock, event.id)
    if row is None:
        row = AgendaClock(
            event_id=event.id,
            segment_index=0,
            state=IDLE,
            elapsed_ms=0,
            added_ms=0,
            auto_advance=bool(event.definition.get("auto_advance", False)),
            actual_starts=[None] * len(segments_of(event)),
            updated_ms=clock(),
        )
        session.add(row)
        session.commit()
    elif row.segment_index >= len(segments_of(event)):
        # The event file lost segments since the clock was last used.
        _load_segment(row, len(segments_of(event)) - 1, False, clock())
        _commit(session)
    return row


def elapsed_at(row: AgendaClock, now: int) -> int:
    """Milliseconds the current segment has run, at ``now``."""
    running = now - row.started_ms if row.state == RUNNING and row.started_ms else 0
    return row.elapsed_ms + running


def duration_of(row: AgendaClock, event: Event) -> int:
    """The current segment's length in milliseconds, with the time added or removed."""
    return segments_of(event)[row.segment_index]["duration_s"] * 1000 + row.added_ms


def remaining_at(row: AgendaClock, event: Event, now: int) -> int:
    """Milliseconds left in the current segment at ``now``; negative is overtime."""
    return duration_of(row, event) - elapsed_at(row, now)


def phase_of(remaining_ms: int, segment: dict) -> str:
    """normal, warning, danger or overtime, by the segment's thresholds."""
    if remaining_ms < 0:
        return "overtime"
    if remaining_ms <= segment.get("danger_s", 0) * 1000:
        return "danger"
    if remaining_ms <= segment.get("warning_s", 120) * 1000:
        return "warning"
    return "normal"


def apply(session: Session, event: Event, data: object, clock: Clock) -> AgendaClock:
    """Carry out a clock command: ``{"action": ..., "seconds": n, "index": n, "enabled": b}``."""
    if not isinstance(data, dict):
        raise InvalidInput("Send the clock command as a JSON object.", "invalid_body")
    action = data.get("action")
    if action not in ACTIONS:
        raise InvalidInput(
            f"Unknown clock action {action!r}; use one of: {', '.join(ACTIONS)}.",
            "unknown_action",
        )
    row = get_clock(session, event, clock)
    now = clock()
    count = len(segments_of(event))
    if action == "start":
        if row.state == RUNNING:
            raise Conflict("The clock is already running.", "already_running")
        _run(row, now, fresh=row.state == IDLE)
    elif action == "pause":
        if row.state != RUNNING:
            raise Conflict("The clock is not running.", "not_running")
        row.elapsed_ms = elapsed_at(row, now)
        row.started_ms = None
        row.state = PAUSED
    elif action == "resume":
        if row.state != PAUSED:
            raise Conflict("The clock is not paused.", "not_paused")
        _run(row, now, fresh=False)
    elif action == "adjust":
        seconds = _number(data.get("seconds"), "seconds")
        if abs(seconds) > MAX_ADJUST_S:
            raise InvalidInput("Adjust by at most 24 hours at a time.", "adjust_too_large")
        added = row.added_ms + round(seconds * 1000)
        if segments_of(event)[row.segment_index]["duration_s"] * 1000 + added < 0:
            raise InvalidInput(
                "That would remove more time than the segment has.", "adjust_too_large"
            )
        if abs(added) > 2 * MAX_ADJUST_S * 1000:
            raise InvalidInput("A segment cannot be stretched beyond 48 hours.", "adjust_too_large")
        row.added_ms = added
    elif action == "reset":
        _load_segment(row, row.segment_index, False, now)
    elif action == "auto_advance":
        enabled = data.get("enabled")
        if not isinstance(enabled, bool):
            raise InvalidInput("enabled must be true or false.", "invalid_enabled")
        row.auto_advance = enabled
    else:
        if action == "next":
            index = row.segment_index + 1
            if index >= count:
                raise Conflict("This is the last segment.", "no_next_segment")
        elif action == "previous":
            index = row.segment_index - 1
            if index < 0:
                raise Conflict("This is the first segment.", "no_previous_segment")
        else:
            index = data.get("index")
            if isinstance(index, bool) or not isinstance(index, int):
                raise InvalidInput("index must be a whole number.", "invalid_index")
            if not 0 <= index < count:
                raise InvalidInput(
                    f"There is no segment {index}; segments are numbered 0 to {count - 1}.",
                    "index_out_of_range",
                )
        _load_segment(row, index, row.state == RUNNING, now)
    row.updated_ms = now
    _commit(session)
    return row


def advance_if_due(session: Session, event: Event, version: int, clock: Clock) -> bool:
    """Auto-advance: start the next segment if the countdown of state ``version`` reached zero.

    Several processes may try at once; the first wins and the others find a newer version.
    """
    row = get_clock(session, event, clock)
    now = clock()
    if (
        row.version != version
        or not row.auto_advance
        or row.state != RUNNING
        or row.segment_index + 1 >= len(segments_of(event))
        or remaining_at(row, event, now) > 0
    ):
        return False
    # The next segment starts when this one reached zero, not when the timer woke up.
    zero_at = now + remaining_at(row, event, now)
    _load_segment(row, row.segment_index + 1, True, zero_at)
    row.updated_ms = now
    try:
        _commit(session)
    except Conflict:
        return False
    return True


def _run(row: AgendaClock, now: int, fresh: bool) -> None:
    row.state = RUNNING
    row.started_ms = now
    if fresh:
        row.elapsed_ms = 0
        starts = list(row.actual_starts or [])
        starts += [None] * (row.segment_index + 1 - len(starts))
        starts[row.segment_index] = now
        row.actual_starts = starts
        if row.session_started_ms is None:
            row.session_started_ms = now


def _load_segment(row: AgendaClock, index: int, running: bool, now: int) -> None:
    row.segment_index = index
    row.elapsed_ms = 0
    row.added_ms = 0
    row.started_ms = None
    row.state = IDLE
    if running:
        _run(row, now, fresh=True)


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput(f"{name} must be a number.", f"invalid_{name}")
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidInput(f"{name} must be a finite number.", f"invalid_{name}")
    return float(value)


def _commit(session: Session) -> None:
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise Conflict(
            "Someone else changed the clock at the same moment; yours was not applied.",
            "clock_changed",
        ) from None


def _published_start_ms(event: Event) -> int | None:
    definition = event.definition
    if not definition.get("date") or not definition.get("start"):
        return None
    tz = ZoneInfo(definition.get("timezone") or "UTC")
    moment = datetime.combine(
        date.fromisoformat(definition["date"]), time.fromisoformat(definition["start"]), tz
    )
    return int(moment.timestamp() * 1000)


def plan_anchor_ms(event: Event, row: AgendaClock, now: int) -> int:
    """When the first segment is planned to start.

    On the event's own date, the published start; on any other day (a rehearsal, the demo), the
    schedule is shifted to begin when the session was first started, or now if it has not been.
    """
    published = _published_start_ms(event)
    reference = row.session_started_ms or now
    if published is not None:
        tz = ZoneInfo(event.definition.get("timezone") or "UTC")
        day = datetime.fromtimestamp(reference / 1000, tz).date()
        if day.isoformat() == event.definition["date"]:
            return published
    # A rehearsal that began at a later segment: as if the earlier ones had run to plan.
    starts = row.actual_starts or []
    first = starts.index(row.session_started_ms) if row.session_started_ms in starts else 0
    return reference - sum(s["duration_s"] * 1000 for s in segments_of(event)[:first])


def timer_view(event: Event, row: AgendaClock, now: int) -> dict:
    """Everything a screen needs to render the clock locally, plus the schedule and its drift."""
    segments = segments_of(event)
    index = row.segment_index
    segment = segments[index]
    duration = duration_of(row, event)
    remaining = duration - elapsed_at(row, now)

    anchor = plan_anchor_ms(event, row, now)
    schedule, planned = [], anchor
    for k, seg in enumerate(segments):
        length = seg["duration_s"] * 1000
        schedule.append(
            {
                "title": seg["title"],
                "duration_ms": length,
                "planned_start_ms": planned,
                "planned_end_ms": planned + length,
                "actual_start_ms": row.actual_starts[k] if k < len(row.actual_starts) else None,
            }
        )
        planned += length
    planned_end = planned
    current_end = now + (duration if row.state == IDLE else max(remaining, 0))
    projected_end = current_end + sum(s["duration_s"] * 1000 for s in segments[index + 1 :])
    following = segments[index + 1] if index + 1 < len(segments) else None
    return {
        "segment_index": index,
        "segment_count": len(segments),
        "state": row.state,
        "remaining_ms": remaining,
        "duration_ms": duration,
        "elapsed_ms": duration - remaining,
        "server_now_ms": now,
        # What a screen needs to count down by itself between messages:
        "started_ms": row.started_ms,
        "elapsed_before_ms": row.elapsed_ms,
        "added_ms": row.added_ms,
        "phase": phase_of(remaining, segment),
        "segment": {
            "title": segment["title"],
            "speakers": segment.get("speakers", []),
            "notes": segment.get("notes", ""),
            "warning_ms": segment.get("warning_s", 120) * 1000,
            "danger_ms": segment.get("danger_s", 0) * 1000,
        },
        "next": None
        if following is None
        else {
            "title": following["title"],
            "duration_ms": following["duration_s"] * 1000,
            "speakers": following.get("speakers", []),
        },
        "auto_advance": row.auto_advance,
        "schedule": schedule,
        "planned_end_ms": planned_end,
        "projected_end_ms": projected_end,
        # Positive: the session is projected to end late by this much.
        "drift_ms": projected_end - planned_end,
        "timezone": event.definition.get("timezone") or "UTC",
        "version": row.version,
    }
