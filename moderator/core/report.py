"""The session report: what the rapporteur needs for "Wrap up and Way forward", computed from
what is stored (questions, votes, the clock, speaking intervals), never kept separately.

Every count here can be recomputed from the CSV export (``/api/events/<code>/export.csv``): a
question is *received* whatever happened to it, *published* once it was ever shown to attendees
(``approved_ms`` set), and *answered*, *dismissed*, *merged* or *pending* by its status now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from moderator.core import questions, speaking, timer
from moderator.core.clock import Clock
from moderator.core.event_file import Theme
from moderator.models import Event, Question, Timer, Vote

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


class QuestionRow(NamedTuple):
    """What the report reads of a question (``_QUESTION_ROWS``)."""

    id: int
    text: str
    theme: str
    via: str
    status: str
    votes: int
    approved_ms: int | None
    created_ms: int
    guiding_question: int | None


def _tally(items: Iterable[QuestionRow], vote_origins: dict[str, int]) -> dict[str, Any]:
    """Counts by status, by origin, and votes, in one pass over the questions."""
    counts = dict.fromkeys(("received", "published", *STATUS_COUNTS), 0)
    origins = dict.fromkeys(ORIGINS, 0)
    votes = {"total": 0, **{o: vote_origins.get(o, 0) for o in VOTE_ORIGINS}}
    for q in items:
        counts["received"] += 1
        if q.approved_ms is not None:
            counts["published"] += 1
        if q.status in counts:
            counts[q.status] += 1
        if q.via in origins:
            origins[q.via] += 1
        votes["total"] += q.votes
    return {"counts": counts, "origins": origins, "votes": votes}


def _theme_part(
    theme: Theme, items: list[QuestionRow], vote_origins: dict[str, int]
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
        **_tally(items, vote_origins),
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


@dataclass(frozen=True)
class Buckets:
    """How participation is counted: buckets of ``size_ms`` from ``first_ms``, ``count`` of them."""

    first_ms: int
    size_ms: int
    count: int

    def index(self, ms: int) -> int:
        return (ms - self.first_ms) // self.size_ms


def buckets_for(moments: Iterable[int], *, start_ms: int | None, end_ms: int) -> Buckets | None:
    """The buckets from the first moment (the session's start, or earlier activity) to the
    last (``end_ms``, or later activity); None when there is nothing to count."""
    moments = list(moments)
    if start_ms is None and not moments:
        return None
    first = min([*moments, *([start_ms] if start_ms is not None else [])])
    last = max([*moments, end_ms, first])
    first -= first % 60_000
    size = _bucket_ms(last - first + 1)
    return Buckets(first, size, (last - first) // size + 1)


def activity(
    buckets: Buckets | None,
    asked: Iterable[tuple[int, str]],
    voted: Iterable[tuple[int, str, int]],
) -> dict[str, Any]:
    """Questions (their moments and origins) and votes (already counted per bucket index and
    origin) per bucket."""
    if buckets is None:
        return {"bucket_ms": 60_000, "start_ms": None, "buckets": []}
    asked_in = [dict.fromkeys(ORIGINS, 0) for _ in range(buckets.count)]
    voted_in = [dict.fromkeys(VOTE_ORIGINS, 0) for _ in range(buckets.count)]
    for ms, via in asked:
        asked_in[buckets.index(ms)][via] += 1
    for index, via, n in voted:
        voted_in[index][via] += n
    return {
        "bucket_ms": buckets.size_ms,
        "start_ms": buckets.first_ms,
        "buckets": [
            {
                "start_ms": buckets.first_ms + k * buckets.size_ms,
                "questions": asked_in[k],
                "votes": voted_in[k],
            }
            for k in range(buckets.count)
        ],
    }


_QUESTION_ROWS = (
    select(
        Question.id,
        Question.text,
        Question.theme,
        Question.via,
        Question.status,
        Question.votes,
        Question.approved_ms,
        Question.created_ms,
        Question.guiding_question,
    )
    .where(Question.event_id == bindparam("event_id"))
    .order_by(Question.id)
)


def _activity(
    items: list[QuestionRow], per_minute: list[tuple[int, str, int]], row: Timer, *, now: int
) -> dict[str, Any]:
    """Questions and votes per bucket, from the questions and the votes per minute."""
    moments = [q.created_ms for q in items] + [ms for ms, _via, _n in per_minute]
    # A running session's chart reaches now; a paused or finished one's, the clock's last
    # change (or its last question or vote, if later).
    end = now if row.state == timer.RUNNING else row.updated_ms
    buckets = buckets_for(moments, start_ms=row.session_started_ms, end_ms=end)
    voted = [] if buckets is None else [(buckets.index(ms), via, n) for ms, via, n in per_minute]
    return activity(buckets, ((q.created_ms, q.via) for q in items), voted)


def build(session: Session, event: Event, *, clock: Clock) -> dict[str, Any]:
    """The whole report as plain data: ``report.json``, the page and the Markdown all read it."""
    now = clock()
    spec = event.spec
    # Plain rows of the columns the report reads, not ORM objects: a tenth of the time on an
    # event of 10,000 questions (bench/report.py), time the server process serves nobody else.
    items = [QuestionRow._make(r) for r in session.execute(_QUESTION_ROWS, {"event_id": event.id})]
    # Votes by theme, minute and origin, counted by the database in one pass over them: a few
    # hundred rows where there may be hundreds of thousands of votes. Their sums by origin are
    # the CSV's votes_room and votes_online.
    minute = Vote.created_ms // 60_000
    vote_rows = session.execute(
        select(Question.theme, minute, Vote.via, func.count())
        .join(Question)
        .where(Question.event_id == event.id)
        .group_by(Question.theme, minute, Vote.via)
    ).all()
    theme_votes: dict[str, dict[str, int]] = {}
    all_votes: dict[str, int] = {}
    per_minute: dict[tuple[int, str], int] = {}
    for theme_key, at_minute, via, n in vote_rows:
        into = theme_votes.setdefault(theme_key, {})
        into[via] = into.get(via, 0) + n
        all_votes[via] = all_votes.get(via, 0) + n
        key = (int(at_minute) * 60_000, via)
        per_minute[key] = per_minute.get(key, 0) + n
    by_theme: dict[str, list[QuestionRow]] = {}
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
        "questions": _tally(items, all_votes),
        "themes": [
            _theme_part(t, by_theme.get(t.key, []), theme_votes.get(t.key, {})) for t in themes
        ],
        "speaking": {
            **balance,
            "intervals": len(intervals),
            "corrected": sum(i.corrected_ms is not None for i in intervals),
        },
        "activity": _activity(
            items, [(ms, via, n) for (ms, via), n in per_minute.items()], row, now=now
        ),
    }
