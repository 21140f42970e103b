"""What the dashboard shows beside the queue, decided here so that every dashboard agrees and
the rules are tested once: the question suggested for the screen next and each theme's coverage.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderator.core.clock import Clock
from moderator.core.events import theme_keys
from moderator.core.questions import (
    ANSWERED,
    APPROVED,
    LIVE,
    MERGED,
    moderator_view,
)
from moderator.models import Event, Question

ONLINE = "online"


def suggested_next(session: Session, event: Event) -> Question | None:
    """The approved question to put on screen next: the first of "up next", else the starred
    before the others, then the most voted, then the oldest. The room and online take turns:
    after a question from the room (or the floor), the best online one when there is one, and
    back."""
    last_via = session.scalar(
        select(Question.via)
        .where(Question.event_id == event.id, Question.live_ms.is_not(None))
        .order_by(Question.live_ms.desc(), Question.id.desc())
        .limit(1)
    )
    best = (
        select(Question)
        .where(Question.event_id == event.id, Question.status == APPROVED)
        .order_by(
            Question.queue_position.is_(None),
            Question.queue_position,
            Question.starred.desc(),
            Question.votes.desc(),
            Question.id,
        )
        .limit(1)
    )
    if last_via is not None:
        turn = Question.via != ONLINE if last_via == ONLINE else Question.via == ONLINE
        preferred = session.scalar(best.where(turn))
        if preferred is not None:
            return preferred
    return session.scalar(best)


def theme_coverage(session: Session, event: Event) -> list[dict[str, Any]]:
    """Per theme, in the event's order: questions submitted (merged ones are counted in the
    question they joined), published (approved, on screen or answered), answered, waiting
    (approved, not yet on screen), votes, and ``neglected``: questions wait but none was answered
    and the panel is discussing another theme."""
    totals = {
        key: {"submitted": 0, "published": 0, "answered": 0, "waiting": 0, "votes": 0}
        for key in theme_keys(event)
    }
    rows = session.execute(
        select(Question.theme, Question.status, func.count(), func.sum(Question.votes))
        .where(Question.event_id == event.id, Question.status != MERGED)
        .group_by(Question.theme, Question.status)
    )
    for theme, status, count, vote_sum in rows:
        mine = totals.get(theme)
        if mine is None:  # a theme no longer in the event file
            continue
        mine["submitted"] += count
        mine["votes"] += int(vote_sum or 0)
        if status in (APPROVED, LIVE, ANSWERED):
            mine["published"] += count
        if status == ANSWERED:
            mine["answered"] += count
        elif status == APPROVED:
            mine["waiting"] += count
    return [
        {
            "theme": key,
            **mine,
            "current": key == event.current_theme,
            "neglected": key != event.current_theme
            and mine["waiting"] > 0
            and mine["answered"] == 0,
        }
        for key, mine in totals.items()
    ]


def overview(session: Session, event: Event, *, clock: Clock) -> dict[str, Any]:
    """The dashboard's overview message: the suggested question (its moderator view, or None),
    the coverage table, and ``computed_ms`` (a dashboard keeps the newest it received)."""
    suggested = suggested_next(session, event)
    return {
        "suggested": moderator_view(suggested) if suggested is not None else None,
        "coverage": theme_coverage(session, event),
        "computed_ms": clock(),
    }
