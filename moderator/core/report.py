"""The session report: what the rapporteur needs for "Wrap up and Way forward", computed from
what is stored (questions, votes, the clock, speaking intervals), never kept separately.

Every count here can be recomputed from the CSV export (``/api/events/<code>/export.csv``): a
question is *received* whatever happened to it, *published* once it was ever shown to attendees
(``approved_ms`` set), and *answered*, *dismissed*, *merged* or *pending* by its status now.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator.core import questions, speaking, timer, votes
from moderator.core.clock import Clock
from moderator.core.event_file import Theme
from moderator.models import Event, Question, Vote

ORIGINS = ("room", "online", "floor")
VOTE_ORIGINS = ("room", "online")
STATUS_COUNTS = ("pending", "answered", "dismissed", "merged")
UNANSWERED = (questions.APPROVED, questions.LIVE)
TOP_UNANSWERED = 5
# Participation is counted per minute; a longer span is counted in wider buckets so that a
# chart never has more than this many bars.
MAX_BUCKETS = 240
BUCKET_MINUTES = (1, 2, 5, 10, 15, 30, 60, 120, 240, 720, 1440)
REPORT_VERSION = 1


def _counts(items: Iterable[Question]) -> dict[str, Any]:
    items = list(items)
    counts = {"received": len(items), "published": sum(q.approved_ms is not None for q in items)}
    for status in STATUS_COUNTS:
        counts[status] = sum(q.status == status for q in items)
    return counts


def _origins(items: Iterable[Question]) -> dict[str, int]:
    items = list(items)
    return {origin: sum(q.via == origin for q in items) for origin in ORIGINS}


def _votes(items: Iterable[Question], split: dict[int, dict[str, int]]) -> dict[str, int]:
    items = list(items)
    return {
        "total": sum(q.votes for q in items),
        **{o: sum(split.get(q.id, {}).get(o, 0) for q in items) for o in VOTE_ORIGINS},
    }


def _theme_part(
    theme: Theme, items: list[Question], split: dict[int, dict[str, int]]
) -> dict[str, Any]:
    unanswered = sorted(
        (q for q in items if q.status in UNANSWERED), key=lambda q: (-q.votes, q.id)
    )[:TOP_UNANSWERED]
    guiding = []
    for index, text in enumerate(theme.questions):
        linked = [q for q in items if q.guiding_question == index]
        guiding.append(
            {
                "index": index,
                "text": text,
                "texts": {
                    lang: texts[index] if index < len(texts) else text
                    for lang, texts in _translated_questions(theme).items()
                },
                "linked": len(linked),
                "answered": sum(q.status == questions.ANSWERED for q in linked),
                "votes": sum(q.votes for q in linked),
            }
        )
    return {
        "key": theme.key,
        "title": theme.title,
        "titles": dict(theme.title_translations),
        "label": theme.label,
        "counts": _counts(items),
        "origins": _origins(items),
        "votes": _votes(items, split),
        "guiding_questions": guiding,
        "unlinked": sum(q.guiding_question is None for q in items),
        "top_unanswered": [
            {"id": q.id, "text": q.text, "votes": q.votes, "via": q.via, "status": q.status}
            for q in unanswered
        ],
    }


def _translated_questions(theme: Theme) -> dict[str, list[str]]:
    """Each guiding question's translations, by language code."""
    result: dict[str, list[str]] = {}
    for index, table in enumerate(theme.question_translations):
        for lang, text in table.items():
            result.setdefault(lang, list(theme.questions))[index] = text
    return result


def _bucket_ms(span_ms: int) -> int:
    for minutes in BUCKET_MINUTES:
        if span_ms <= MAX_BUCKETS * minutes * 60_000:
            return minutes * 60_000
    widest = BUCKET_MINUTES[-1] * 60_000
    return widest * (span_ms // (MAX_BUCKETS * widest) + 1)


def activity(
    asked: list[tuple[int, str]], voted: list[tuple[int, str]], *, start_ms: int | None, end_ms: int
) -> dict[str, Any]:
    """Questions and votes per bucket (a minute, or wider for a long span), by origin, from the
    first moment (the session's start, or earlier activity) to the last."""
    moments = [ms for ms, _via in asked] + [ms for ms, _via in voted]
    if start_ms is None and not moments:
        return {"bucket_ms": 60_000, "start_ms": None, "buckets": []}
    first = min([*moments, *([start_ms] if start_ms is not None else [])])
    last = max([*moments, end_ms, first])
    first -= first % 60_000
    size = _bucket_ms(last - first + 1)
    count = (last - first) // size + 1
    asked_in = [dict.fromkeys(ORIGINS, 0) for _ in range(count)]
    voted_in = [dict.fromkeys(VOTE_ORIGINS, 0) for _ in range(count)]
    for ms, via in asked:
        asked_in[(ms - first) // size][via] += 1
    for ms, via in voted:
        voted_in[(ms - first) // size][via] += 1
    buckets = [
        {"start_ms": first + k * size, "questions": asked_in[k], "votes": voted_in[k]}
        for k in range(count)
    ]
    return {"bucket_ms": size, "start_ms": first, "buckets": buckets}


def build(session: Session, event: Event, *, clock: Clock) -> dict[str, Any]:
    """The whole report as plain data: ``report.json``, the page and the Markdown all read it."""
    now = clock()
    spec = event.spec
    items = questions.all_questions(session, event)
    # The same numbers as the CSV's votes_room and votes_online.
    split = votes.split_by_origin(session, event)
    by_theme: dict[str, list[Question]] = {}
    for q in items:
        by_theme.setdefault(q.theme, []).append(q)
    themes = list(spec.themes)
    known = {t.key for t in themes}
    # Questions of a theme the event no longer has stay counted, under their key.
    themes += [Theme(key=key, title=key) for key in sorted(by_theme) if key not in known]

    row = timer.get_timer(session, event, clock=clock)
    segments = timer.segment_actuals(event, row, now=now)
    view = timer.timer_view(event, row, now=now)
    ran = [s for s in segments if s["actual_ms"] is not None]

    intervals = speaking.intervals_of(session, event)
    balance = speaking.balance(
        speaking.speakers_of(spec),
        speaking.totals(intervals, now=now),
        speaking.names_of(intervals),
    )

    voted = [
        (ms, via)
        for ms, via in session.execute(
            select(Vote.created_ms, Vote.via).join(Question).where(Question.event_id == event.id)
        )
    ]
    running = row.state == timer.RUNNING
    return {
        "report_version": REPORT_VERSION,
        "generated_ms": now,
        "event": {
            "code": event.code,
            "title": spec.title,
            "titles": dict(spec.title_translations),
            "date": spec.date,
            "start": spec.start,
            "timezone": spec.timezone,
            "language": spec.language,
        },
        "agenda": {
            "segments": segments,
            "planned_ms": sum(s["planned_ms"] for s in segments),
            "ran_planned_ms": sum(s["planned_ms"] for s in ran),
            "ran_actual_ms": sum(s["actual_ms"] for s in ran),
            # What the segments that ran took beyond their plan (negative: less).
            "drift_ms": sum(s["drift_ms"] for s in ran),
            # Where the whole session is headed now, as the room screens show it.
            "projected_end_ms": view["projected_end_ms"],
            "planned_end_ms": view["planned_end_ms"],
            "state": row.state,
        },
        "questions": {
            "counts": _counts(items),
            "origins": _origins(items),
            "votes": _votes(items, split),
        },
        "themes": [_theme_part(t, by_theme.get(t.key, []), split) for t in themes],
        "speaking": {
            **balance,
            "intervals": len(intervals),
            "corrected": sum(i.corrected_ms is not None for i in intervals),
        },
        "activity": activity(
            [(q.created_ms, q.via) for q in items],
            voted,
            start_ms=row.session_started_ms,
            # A running session's chart reaches now; a paused or finished one's, the clock's
            # last change (or its last question or vote, if later).
            end_ms=now if running else row.updated_ms,
        ),
    }
