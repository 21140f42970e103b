"""The timer: the agenda countdown, one per event, derived from timestamps, never ticked.

The stored state says when the current run started, how long the segment ran before that and how
much time was added; everything a screen shows (remaining time, overtime, colours, schedule drift)
is computed from it and the clock's ``now``. So a restart, even ``kill -9``, resumes exactly, and
nothing needs to be written or broadcast every second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from moderator.core.clock import Clock
from moderator.core.errors import N_, Conflict, InvalidInput
from moderator.core.event_file import EventDefinition, Segment
from moderator.models import Event, Timer

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


@dataclass(frozen=True)
class TimerCommand:
    """One moderator command: ``action`` is one of ``ACTIONS``; ``seconds`` is what ``adjust``
    adds (negative removes), ``index`` the segment ``goto`` loads, ``enabled`` what
    ``auto_advance`` sets. ``apply`` checks that the action has what it needs."""

    action: str
    seconds: float | None = None
    index: int | None = None
    enabled: bool | None = None


def get_timer(session: Session, event: Event, *, clock: Clock) -> Timer:
    """The event's timer, created idle on the first segment if it has none yet."""
    segments = event.spec.segments
    timer = session.get(Timer, event.id)
    if timer is None:
        timer = Timer(
            event_id=event.id,
            segment_index=0,
            state=IDLE,
            elapsed_ms=0,
            added_ms=0,
            auto_advance=event.spec.auto_advance,
            actual_starts=[None] * len(segments),
            updated_ms=clock(),
        )
        session.add(timer)
        try:
            session.commit()
        except IntegrityError:  # another process created it at the same moment: use theirs
            session.rollback()
            existing = session.get(Timer, event.id)
            assert existing is not None
            timer = existing
    elif timer.segment_index >= len(segments):
        # The event file lost segments since the timer was last used.
        _load_segment(timer, len(segments) - 1, running=False, now=clock())
        commit_clock(session)
    return timer


def elapsed_at(timer: Timer, *, now: int) -> int:
    """Milliseconds the current segment has run, at ``now``."""
    running = now - timer.started_ms if timer.state == RUNNING and timer.started_ms else 0
    return timer.elapsed_ms + running


def duration_of(timer: Timer, event: Event) -> int:
    """The current segment's length in milliseconds, with the time added or removed."""
    return event.spec.segments[timer.segment_index].duration_s * 1000 + timer.added_ms


def remaining_at(timer: Timer, event: Event, *, now: int) -> int:
    """Milliseconds left in the current segment at ``now``; negative is overtime."""
    return duration_of(timer, event) - elapsed_at(timer, now=now)


def phase_of(segment: Segment, *, remaining_ms: int) -> str:
    """normal, warning, danger or overtime, by the segment's thresholds."""
    if remaining_ms < 0:
        return "overtime"
    if remaining_ms <= segment.danger_s * 1000:
        return "danger"
    if remaining_ms <= segment.warning_s * 1000:
        return "warning"
    return "normal"


def apply(session: Session, event: Event, command: TimerCommand, *, clock: Clock) -> Timer:
    """Carry out a moderator's command on the event's timer; return the timer."""
    action = command.action
    if action not in ACTIONS:
        raise _unknown_action(action)
    timer = get_timer(session, event, clock=clock)
    now = clock()
    segments = event.spec.segments
    count = len(segments)
    if action == "start":
        if timer.state == RUNNING:
            raise Conflict(N_("The clock is already running."), "already_running")
        _run(timer, now, fresh=timer.state == IDLE)
    elif action == "pause":
        if timer.state != RUNNING:
            raise Conflict(N_("The clock is not running."), "not_running")
        timer.elapsed_ms = elapsed_at(timer, now=now)
        timer.started_ms = None
        timer.state = PAUSED
    elif action == "resume":
        if timer.state != PAUSED:
            raise Conflict(N_("The clock is not paused."), "not_paused")
        _run(timer, now, fresh=False)
    elif action == "adjust":
        seconds = command.seconds
        if seconds is None:
            raise InvalidInput(N_("seconds must be a number."), "invalid_seconds")
        if not math.isfinite(seconds):
            raise InvalidInput(N_("seconds must be a finite number."), "invalid_seconds")
        if abs(seconds) > MAX_ADJUST_S:
            raise InvalidInput(N_("Adjust by at most 24 hours at a time."), "adjust_too_large")
        added = timer.added_ms + round(seconds * 1000)
        if segments[timer.segment_index].duration_s * 1000 + added < 0:
            raise InvalidInput(
                N_("That would remove more time than the segment has."), "adjust_too_large"
            )
        if abs(added) > 2 * MAX_ADJUST_S * 1000:
            raise InvalidInput(
                N_("A segment cannot be stretched beyond 48 hours."), "adjust_too_large"
            )
        timer.added_ms = added
    elif action == "reset":
        _load_segment(timer, timer.segment_index, running=False, now=now)
    elif action == "auto_advance":
        if command.enabled is None:
            raise InvalidInput(N_("enabled must be true or false."), "invalid_enabled")
        timer.auto_advance = command.enabled
    else:
        if action == "next":
            index = timer.segment_index + 1
            if index >= count:
                raise Conflict(N_("This is the last segment."), "no_next_segment")
        elif action == "previous":
            index = timer.segment_index - 1
            if index < 0:
                raise Conflict(N_("This is the first segment."), "no_previous_segment")
        else:
            if command.index is None:
                raise InvalidInput(N_("index must be a whole number."), "invalid_index")
            index = command.index
            if not 0 <= index < count:
                raise InvalidInput(
                    N_("There is no segment {index}; segments are numbered 0 to {last}."),
                    "index_out_of_range",
                    index=index,
                    last=count - 1,
                )
        _bank_run(timer, event, now=now)
        _load_segment(timer, index, running=timer.state == RUNNING, now=now)
    timer.updated_ms = now
    commit_clock(session)
    return timer


def advance_if_due(session: Session, event: Event, *, version: int, clock: Clock) -> bool:
    """Auto-advance: start the next segment if the countdown of state ``version`` reached zero.

    Several processes may try at once; the first wins and the others find a newer version.
    """
    timer = get_timer(session, event, clock=clock)
    now = clock()
    if (
        timer.version != version
        or not timer.auto_advance
        or timer.state != RUNNING
        or timer.segment_index + 1 >= len(event.spec.segments)
        or remaining_at(timer, event, now=now) > 0
    ):
        return False
    # The next segment starts when this one reached zero, not when the task woke up.
    zero_at = now + remaining_at(timer, event, now=now)
    _bank_run(timer, event, now=zero_at)
    _load_segment(timer, timer.segment_index + 1, running=True, now=zero_at)
    timer.updated_ms = now
    try:
        commit_clock(session)
    except Conflict:
        return False
    return True


def _unknown_action(action: object) -> InvalidInput:
    return InvalidInput(
        N_("Unknown clock action {action}; use one of: {options}."),
        "unknown_action",
        action=repr(action),
        options=", ".join(ACTIONS),
    )


def follow_agenda(timer: Timer, old: EventDefinition, new: EventDefinition, *, now: int) -> None:
    """Keep the timer on its segment through a live edit of the agenda (segments added,
    removed, reordered or changed, matched by id): same segment, same elapsed and added time,
    so a new length changes the remaining time by exactly the difference. Removing the running
    segment is refused; removing a paused or idle one loads the segment now in its place."""
    old_ids = [segment.id for segment in old.segments]
    new_ids = [segment.id for segment in new.segments]
    starts = list(timer.actual_starts or [])
    started = {sid: starts[i] if i < len(starts) else None for i, sid in enumerate(old_ids)}
    timer.actual_starts = [started.get(sid) for sid in new_ids]
    current = old_ids[timer.segment_index] if timer.segment_index < len(old_ids) else None
    if current in new_ids:
        timer.segment_index = new_ids.index(current)
        return
    if timer.state == RUNNING:
        raise Conflict(
            N_(
                "The segment on the clock cannot be removed while it runs: pause the clock or go "
                "to another segment first."
            ),
            "segment_running",
        )
    _load_segment(timer, min(timer.segment_index, len(new_ids) - 1), running=False, now=now)


def _segment_key(event: Event, index: int) -> str:
    return event.spec.segments[index].id or f"#{index}"


def _bank_run(timer: Timer, event: Event, *, now: int) -> None:
    """Add the time the current segment ran to its total, as the clock leaves it (a reset is a
    do-over and banks nothing)."""
    ran = elapsed_at(timer, now=now)
    if ran <= 0:
        return
    key = _segment_key(event, timer.segment_index)
    runs = dict(timer.segment_run_ms or {})
    runs[key] = runs.get(key, 0) + ran
    timer.segment_run_ms = runs


def segment_actuals(event: Event, timer: Timer, *, now: int) -> list[dict[str, Any]]:
    """Each segment planned against actual: its planned length, how long its countdown ran
    (pauses excluded; the current segment up to ``now``), and when it last started. Segments
    that never ran have ``actual_ms`` None."""
    runs = timer.segment_run_ms or {}
    result = []
    for index, segment in enumerate(event.spec.segments):
        ran = runs.get(_segment_key(event, index))
        if index == timer.segment_index and timer.state != IDLE:
            ran = (ran or 0) + elapsed_at(timer, now=now)
        starts = timer.actual_starts or []
        result.append(
            {
                "id": segment.id,
                "title": segment.title,
                "titles": dict(segment.title_translations),
                "planned_ms": segment.duration_s * 1000,
                "actual_ms": ran,
                "actual_start_ms": starts[index] if index < len(starts) else None,
                "drift_ms": None if ran is None else ran - segment.duration_s * 1000,
            }
        )
    return result


def _run(timer: Timer, now: int, *, fresh: bool) -> None:
    timer.state = RUNNING
    timer.started_ms = now
    if fresh:
        timer.elapsed_ms = 0
        starts = list(timer.actual_starts or [])
        starts += [None] * (timer.segment_index + 1 - len(starts))
        starts[timer.segment_index] = now
        timer.actual_starts = starts
        if timer.session_started_ms is None:
            timer.session_started_ms = now


def _load_segment(timer: Timer, index: int, *, running: bool, now: int) -> None:
    timer.segment_index = index
    timer.elapsed_ms = 0
    timer.added_ms = 0
    timer.started_ms = None
    timer.state = IDLE
    if running:
        _run(timer, now, fresh=True)


def commit_clock(session: Session) -> None:
    """Commit a change of the clock; another one written meanwhile is a conflict, not a 500."""
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        # People call the countdown "the clock"; the code says timer.
        raise Conflict(
            N_("Someone else changed the clock at the same moment; yours was not applied."),
            "clock_changed",
        ) from None


def _published_start_ms(event: Event) -> int | None:
    spec = event.spec
    if not spec.date or not spec.start:
        return None
    moment = datetime.combine(
        date.fromisoformat(spec.date), time.fromisoformat(spec.start), ZoneInfo(spec.timezone)
    )
    return int(moment.timestamp() * 1000)


def plan_anchor_ms(event: Event, timer: Timer, *, now: int) -> int:
    """When the first segment is planned to start.

    On the event's own date, the published start; on any other day (a rehearsal, the demo), the
    schedule is shifted to begin when the session was first started, or now if it has not been.
    """
    spec = event.spec
    published = _published_start_ms(event)
    reference = timer.session_started_ms or now
    if published is not None:
        day = datetime.fromtimestamp(reference / 1000, ZoneInfo(spec.timezone)).date()
        if day.isoformat() == spec.date:
            return published
    # A rehearsal that began at a later segment: as if the earlier ones had run to plan.
    starts = timer.actual_starts or []
    first = starts.index(timer.session_started_ms) if timer.session_started_ms in starts else 0
    return reference - sum(s.duration_s * 1000 for s in spec.segments[:first])


def timer_view(event: Event, timer: Timer, *, now: int) -> dict[str, Any]:
    """Everything a screen needs to render the countdown locally, plus the schedule and its
    drift.

    One message serves every screen whatever its language: each segment ``title`` is in the
    event's ``language``, and ``titles`` holds the translations the event file gives, by language
    code, for each page to pick its own."""
    spec = event.spec
    segments = spec.segments
    index = timer.segment_index
    segment = segments[index]
    duration = duration_of(timer, event)
    remaining = duration - elapsed_at(timer, now=now)

    anchor = plan_anchor_ms(event, timer, now=now)
    schedule, planned = [], anchor
    for k, seg in enumerate(segments):
        length = seg.duration_s * 1000
        schedule.append(
            {
                "title": seg.title,
                "titles": dict(seg.title_translations),
                "duration_ms": length,
                "planned_start_ms": planned,
                "planned_end_ms": planned + length,
                "actual_start_ms": timer.actual_starts[k] if k < len(timer.actual_starts) else None,
            }
        )
        planned += length
    planned_end = planned
    current_end = now + (duration if timer.state == IDLE else max(remaining, 0))
    projected_end = current_end + sum(s.duration_s * 1000 for s in segments[index + 1 :])
    following = segments[index + 1] if index + 1 < len(segments) else None
    return {
        "segment_index": index,
        "segment_count": len(segments),
        "state": timer.state,
        "remaining_ms": remaining,
        "duration_ms": duration,
        "elapsed_ms": duration - remaining,
        "server_now_ms": now,
        # What a screen needs to count down by itself between messages:
        "started_ms": timer.started_ms,
        "elapsed_before_ms": timer.elapsed_ms,
        "added_ms": timer.added_ms,
        "phase": phase_of(segment, remaining_ms=remaining),
        "segment": {
            "title": segment.title,
            "titles": dict(segment.title_translations),
            "speakers": list(segment.speakers),
            "notes": segment.notes,
            "warning_ms": segment.warning_s * 1000,
            "danger_ms": segment.danger_s * 1000,
        },
        "next": None
        if following is None
        else {
            "title": following.title,
            "titles": dict(following.title_translations),
            "duration_ms": following.duration_s * 1000,
            "speakers": list(following.speakers),
        },
        "auto_advance": timer.auto_advance,
        "schedule": schedule,
        "planned_end_ms": planned_end,
        "projected_end_ms": projected_end,
        # Positive: the session is projected to end late by this much.
        "drift_ms": projected_end - planned_end,
        "timezone": spec.timezone,
        "language": spec.language,
        "version": timer.version,
    }
