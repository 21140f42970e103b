"""Questions: submitted by attendees (or logged from the floor), curated by moderators.

States: pending (awaiting review) -> approved (public) -> live (on screen, at most one per event)
-> answered; pending, approved or live -> dismissed (restorable); any open question -> merged
into another. Every write commits before it returns, so whatever an adapter acknowledges is
stored; a write that lost a race with another moderator is refused, never half-applied.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from sqlalchemy import ColumnElement, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.exc import StaleDataError

from moderator.core import similarity, text_match
from moderator.core.clock import Clock
from moderator.core.errors import N_, NP_, Conflict, InvalidInput, NotFound, RateLimited
from moderator.models import Event, Question, Vote

PENDING, APPROVED, LIVE, ANSWERED, DISMISSED, MERGED = (
    "pending",
    "approved",
    "live",
    "answered",
    "dismissed",
    "merged",
)
PUBLIC_STATUSES = frozenset({APPROVED, LIVE, ANSWERED})
ATTENDEE_ORIGINS = ("online", "room")
FLOOR = "floor"
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# Control characters other than tab and newline are dropped: they have no place in a question and
# PostgreSQL refuses NUL outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# How many of its theme's newest questions a new one is compared with for near-duplicates.
SIMILARITY_WINDOW = 60
CLOSED = frozenset({DISMISSED, MERGED})
# Ids are 64-bit integers in the database; a larger number can name no question.
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Limits:
    """How long the fields of a submission may be, in characters, and how many questions one
    attendee may send a minute (counted in the database, so the same on every process). The
    values come from the configuration (``config.py``); there are no defaults here."""

    text: int
    name: int
    affiliation: int
    per_minute: int


@dataclass(frozen=True)
class Change:
    """A question after an action, and whether attendees could see it before."""

    question: Question
    was_public: bool


@dataclass(frozen=True)
class Submission:
    """A question as sent: typed, not yet checked against the limits and the event's themes."""

    client_id: str
    client_msg_id: str
    text: str
    theme: str
    via: str
    name: str | None = None
    affiliation: str | None = None


class EventSettings(Protocol):
    """What a submission reads of its event (the ``Event`` row or a per-process snapshot)."""

    @property
    def id(self) -> int: ...
    @property
    def premoderation(self) -> bool: ...
    @property
    def word_filter(self) -> Iterable[str]: ...
    @property
    def theme_keys(self) -> tuple[str, ...]: ...


def _clean(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


# One whole sentence per field (a translator cannot assemble "The name" + " is missing.").
_MISSING = {
    "text": N_("The question is missing."),
    "name": N_("The name is missing."),
    "affiliation": N_("The affiliation is missing."),
}
_EMPTY = {
    "text": N_("The question is empty."),
    "name": N_("The name is empty."),
    "affiliation": N_("The affiliation is empty."),
}
_TOO_LONG = {
    "text": NP_(
        "The question is {n} character long; the limit is {limit}.",
        "The question is {n} characters long; the limit is {limit}.",
    ),
    "name": NP_(
        "The name is {n} character long; the limit is {limit}.",
        "The name is {n} characters long; the limit is {limit}.",
    ),
    "affiliation": NP_(
        "The affiliation is {n} character long; the limit is {limit}.",
        "The affiliation is {n} characters long; the limit is {limit}.",
    ),
}


def _field(value: str | None, key: str, *, required: bool, limit: int) -> str | None:
    if value is None:
        if required:
            raise InvalidInput(_MISSING[key], f"missing_{key}")
        return None
    value = _clean(value)
    if not value:
        if required:
            raise InvalidInput(_EMPTY[key], f"empty_{key}")
        return None
    if len(value) > limit:
        raise InvalidInput(_TOO_LONG[key], f"{key}_too_long", n=len(value), limit=limit)
    return value


def check_client_id(value: object, key: str = "client_id") -> str:
    """A client-generated identifier: 8 to 64 letters, digits, - or _."""
    if value is None:
        raise InvalidInput(N_("{key} is missing."), f"missing_{key}", key=key)
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise InvalidInput(
            N_("{key} must be 8 to 64 letters, digits, - or _."), f"invalid_{key}", key=key
        )
    return value


def check_text(value: str, *, limits: Limits) -> str:
    """A question's text: trimmed, not empty, within the limit."""
    text = _field(value, "text", required=True, limit=limits.text)
    assert text is not None
    return text


def check_draft(value: str, *, limits: Limits) -> str:
    """A question being typed (to look up similar ones): cleaned, possibly empty, within the
    question's limit."""
    return _field(value, "text", required=False, limit=limits.text) or ""


def check_theme(value: str, *, theme_keys: tuple[str, ...]) -> str:
    """One of the event's theme keys."""
    if value not in theme_keys:
        raise InvalidInput(
            N_("Unknown theme {theme}; choose one of: {options}."),
            "unknown_theme",
            theme=repr(value),
            options=", ".join(theme_keys),
        )
    return value


def _checked(
    submission: Submission,
    *,
    limits: Limits,
    theme_keys: tuple[str, ...],
    origins: tuple[str, ...] = ATTENDEE_ORIGINS,
) -> Submission:
    """The submission with its fields cleaned; raise ``InvalidInput`` naming the first problem."""
    if submission.via not in origins:
        raise InvalidInput(_WRONG_ORIGIN[origins], "invalid_via")
    return Submission(
        client_id=check_client_id(submission.client_id),
        client_msg_id=check_client_id(submission.client_msg_id, "client_msg_id"),
        text=check_text(submission.text, limits=limits),
        theme=check_theme(submission.theme, theme_keys=theme_keys),
        via=submission.via,
        name=_field(submission.name, "name", required=False, limit=limits.name),
        affiliation=_field(
            submission.affiliation, "affiliation", required=False, limit=limits.affiliation
        ),
    )


_WRONG_ORIGIN = {
    ATTENDEE_ORIGINS: N_("via must be 'online' or 'room'."),
    (FLOOR,): N_("via must be 'floor'."),
}


def submit(
    session: Session,
    event: EventSettings,
    submission: Submission,
    *,
    limits: Limits,
    clock: Clock,
) -> tuple[Question, bool]:
    """Store an attendee's question; return it and whether it is new.

    The same ``client_msg_id`` sent again (a resend after a reconnect) returns the stored question
    instead of a copy. With pre-moderation off it is published at once, unless it contains a word
    of the event's word filter.
    """
    # A resend is recognised by the unique (event, client_msg_id) when it is stored again
    # (see _store): no lookup on the common path.
    draft = _checked(submission, limits=limits, theme_keys=event.theme_keys)
    now = clock()
    window = {"event_id": event.id, "client_id": draft.client_id, "since": now - 60_000}
    recent = session.scalar(_SENT_SINCE, window)
    if recent is not None and recent >= limits.per_minute:
        existing = _by_client_msg_id(session, event.id, draft.client_msg_id)
        if existing is not None:  # a resend of one already counted
            return _resent(existing, draft.client_id), False
        # A place frees up when the oldest question of the last minute leaves it.
        oldest = session.scalar(_OLDEST_SINCE, window)
        wait_s = max(1, -(-((oldest if oldest is not None else now) + 60_000 - now) // 1000))
        raise RateLimited(
            NP_(
                "You have sent {n} question in the last minute; please try again in {seconds} s.",
                "You have sent {n} questions in the last minute; please try again in {seconds} s.",
            ),
            retry_after=wait_s,
            n=recent,
            seconds=wait_s,
        )
    flag = text_match.filtered_word(event.word_filter, draft.text)
    status = PENDING if event.premoderation or flag else APPROVED
    return _store(
        session, event.id, draft, status, clock=clock, flag=flag and f"word filter: {flag}"
    )


def log_floor_question(
    session: Session,
    event: EventSettings,
    submission: Submission,
    *,
    answered: bool,
    limits: Limits,
    clock: Clock,
) -> tuple[Question, bool]:
    """A question asked at the room's microphone, logged by a moderator so the record is
    complete; ``answered`` when it was answered on the spot. Its origin is ``floor``."""
    floor = replace(submission, via=FLOOR, client_id=f"floor-{submission.client_msg_id}"[:64])
    existing = _by_client_msg_id(session, event.id, submission.client_msg_id)
    if existing is not None:
        return _resent(existing, floor.client_id), False
    draft = _checked(floor, limits=limits, theme_keys=event.theme_keys, origins=(FLOOR,))
    return _store(session, event.id, draft, ANSWERED if answered else APPROVED, clock=clock)


def _store(
    session: Session,
    event_id: int,
    draft: Submission,
    status: str,
    *,
    clock: Clock,
    flag: str | None = None,
) -> tuple[Question, bool]:
    recent = session.execute(_NEWEST_OF_THEME, {"event_id": event_id, "theme": draft.theme}).all()
    match = similarity.best_match(
        draft.text, [(r.id, r.text) for r in recent if r.status not in CLOSED]
    )
    now = clock()
    values = dict(
        event_id=event_id,
        client_id=draft.client_id,
        client_msg_id=draft.client_msg_id,
        text=draft.text,
        theme=draft.theme,
        via=draft.via,
        name=draft.name,
        affiliation=draft.affiliation,
        status=status,
        flag=flag,
        similar_to_id=match[0] if match else None,
        similarity=match[1] if match else None,
        starred=False,
        votes=0,
        votes_revision=0,
        created_ms=now,
        updated_ms=now,
        approved_ms=None if status == PENDING else now,
        answered_ms=now if status == ANSWERED else None,
        live_ms=None,
        status_before_dismiss=None,
        original_text=None,
        edited_ms=None,
        merged_into_id=None,
        queue_position=None,
        # Every column, so the question made from these values below needs no read-back.
        guiding_question=None,
        version=1,
    )
    try:
        # A plain INSERT built once: a burst of submissions pays for no unit-of-work bookkeeping
        # and no statement construction.
        question_id = session.execute(_INSERT_QUESTION, values).scalar_one()
        session.commit()
    except IntegrityError:
        # The same message arrived twice at once; the other copy won, return it.
        session.rollback()
        existing = _by_client_msg_id(session, event_id, draft.client_msg_id)
        if existing is None:
            raise
        return _resent(existing, draft.client_id), False
    question = Question(id=question_id, **values)
    # Known to be stored as it is: attach it to the session without reading it back.
    make_transient_to_detached(question)
    session.add(question)
    return question, True


# The statements of the submission path, built once (a burst pays only for executing them).
_INSERT_QUESTION = insert(Question).returning(Question.id)
_SENT_SINCE = select(func.count()).where(
    Question.event_id == bindparam("event_id"),
    Question.client_id == bindparam("client_id"),
    Question.created_ms > bindparam("since"),
)
_OLDEST_SINCE = select(func.min(Question.created_ms)).where(
    Question.event_id == bindparam("event_id"),
    Question.client_id == bindparam("client_id"),
    Question.created_ms > bindparam("since"),
)
# The theme's newest questions, straight off the (event_id, theme, id) index: no sort.
_NEWEST_OF_THEME = (
    select(Question.id, Question.text, Question.status)
    .where(Question.event_id == bindparam("event_id"), Question.theme == bindparam("theme"))
    .order_by(Question.id.desc())
    .limit(SIMILARITY_WINDOW)
)


def _by_client_msg_id(session: Session, event_id: int, client_msg_id: str) -> Question | None:
    return session.scalar(
        select(Question).where(
            Question.event_id == event_id, Question.client_msg_id == client_msg_id
        )
    )


def _resent(question: Question, client_id: str) -> Question:
    if question.client_id != client_id:
        raise Conflict(
            N_("This client_msg_id was already used by someone else; generate a new one."),
            "client_msg_id_taken",
        )
    return question


def get_question(session: Session, event: Event, question_id: int) -> Question:
    """The event's question with this id, or ``NotFound``."""
    if not 0 < question_id <= MAX_ID:
        raise unknown_question(question_id)
    question = session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        raise unknown_question(question_id)
    return question


# action -> (statuses it applies to, status it leads to; None means computed)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "approve": (frozenset({PENDING, DISMISSED}), APPROVED),
    "dismiss": (frozenset({PENDING, APPROVED, LIVE}), DISMISSED),
    "restore": (frozenset({DISMISSED, ANSWERED}), None),
    "live": (frozenset({PENDING, APPROVED, ANSWERED}), LIVE),
    "unlive": (frozenset({LIVE}), APPROVED),
    "answered": (frozenset({APPROVED, LIVE}), ANSWERED),
}

# The order of a card's buttons on the dashboard: reviewing comes before projecting, so an
# unreviewed question offers "Approve" first and "Put on screen" never first (one mis-tap must not
# project an unmoderated question).
ACTION_ORDER = ("approve", "restore", "live", "unlive", "queue", "unqueue", "answered", "dismiss")


def allowed_actions(question: Question) -> list[str]:
    """The status and queue changes a moderator may make to ``question`` now, in the dashboard's
    order (its buttons and shortcuts offer these; each action still checks for itself)."""
    if question.status == MERGED:
        return []
    allowed = []
    for action in ACTION_ORDER:
        if action == "queue":
            ok = question.status == APPROVED and question.queue_position is None
        elif action == "unqueue":
            ok = question.status == APPROVED and question.queue_position is not None
        else:
            ok = question.status in TRANSITIONS[action][0]
        if ok:
            allowed.append(action)
    return allowed


def unknown_question(question_id: int) -> NotFound:
    """The refusal for a question id this event does not have."""
    return NotFound(
        N_("There is no question {id} in this event."), "unknown_question", id=question_id
    )


# Why a question cannot take the action asked, by its status: whole sentences, so that each
# can be translated.
_REFUSALS = {
    PENDING: N_("Question {id} is still awaiting review."),
    APPROVED: N_("Question {id} is already approved."),
    LIVE: N_("Question {id} is on screen."),
    ANSWERED: N_("Question {id} is already answered."),
    DISMISSED: N_("Question {id} is dismissed; restore it first."),
    MERGED: N_("Question {id} was merged into another question."),
}
_NOT_QUEUEABLE = {
    PENDING: N_(
        "Only approved questions go in the up-next list; question {id} is still awaiting review."
    ),
    LIVE: N_("Only approved questions go in the up-next list; question {id} is on screen."),
    ANSWERED: N_(
        "Only approved questions go in the up-next list; question {id} is already answered."
    ),
    DISMISSED: N_(
        "Only approved questions go in the up-next list; question {id} is dismissed; "
        "restore it first."
    ),
    MERGED: N_(
        "Only approved questions go in the up-next list; question {id} was merged into "
        "another question."
    ),
}

Curation = Callable[[Question, int], list[Change]]


def _curate(
    session: Session, event: Event, question_id: int, *, clock: Clock, apply: Curation
) -> list[Change]:
    """Load the question, refuse a merged one, ``apply`` the change, commit; return every
    question changed (the one acted on last)."""
    question = get_question(session, event, question_id)
    if question.status == MERGED:
        raise Conflict(_REFUSALS[MERGED], "wrong_status", id=question.id)
    was_public = question.status in PUBLIC_STATUSES
    now = clock()
    changes = apply(question, now)
    question.updated_ms = now
    changes.append(Change(question, was_public))
    _commit(session, question)
    return changes


def change_status(
    session: Session, event: Event, question_id: int, *, action: str, clock: Clock
) -> list[Change]:
    """Move a question between states (one of ``TRANSITIONS``). Putting a question live takes
    the previous live one off screen (back to approved)."""
    if action not in TRANSITIONS:
        raise InvalidInput(
            N_("Unknown action {action}; use one of: {options}."),
            "unknown_action",
            action=repr(action),
            options=", ".join(TRANSITIONS),
        )
    allowed, target = TRANSITIONS[action]

    def apply(question: Question, now: int) -> list[Change]:
        if question.status not in allowed:
            raise Conflict(_REFUSALS[question.status], "wrong_status", id=question.id)
        changes = []
        if action == "live":
            current = session.scalar(
                select(Question).where(Question.event_id == event.id, Question.status == LIVE)
            )
            if current is not None:
                current.status = APPROVED
                current.updated_ms = now
                changes.append(Change(current, True))
                _flush(session, current)
        status = target
        if status is None:  # restore
            status = (
                (question.status_before_dismiss or PENDING)
                if question.status == DISMISSED
                else APPROVED
            )
        if status == DISMISSED:
            question.status_before_dismiss = (
                APPROVED if question.status == LIVE else question.status
            )
        question.status = status
        if status != APPROVED:
            question.queue_position = None  # "up next" holds approved questions only
        if status == APPROVED and question.approved_ms is None:
            question.approved_ms = now
        elif status == LIVE:
            question.live_ms = now
            question.approved_ms = question.approved_ms or now
        elif status == ANSWERED:
            question.answered_ms = now
        return changes

    return _curate(session, event, question_id, clock=clock, apply=apply)


def set_starred(
    session: Session, event: Event, question_id: int, *, starred: bool, clock: Clock
) -> list[Change]:
    """Star a question (a moderator's bookmark) or take the star off."""

    def apply(question: Question, now: int) -> list[Change]:
        question.starred = starred
        return []

    return _curate(session, event, question_id, clock=clock, apply=apply)


def edit_text(
    session: Session, event: Event, question_id: int, *, text: str, limits: Limits, clock: Clock
) -> list[Change]:
    """Correct a question's text; the attendee's original is kept the first time."""
    checked = check_text(text, limits=limits)

    def apply(question: Question, now: int) -> list[Change]:
        if checked != question.text:
            if question.original_text is None:
                question.original_text = question.text
            question.text = checked
            question.edited_ms = now
        return []

    return _curate(session, event, question_id, clock=clock, apply=apply)


def retag(
    session: Session,
    event: Event,
    question_id: int,
    *,
    theme: str,
    theme_keys: tuple[str, ...],
    clock: Clock,
) -> list[Change]:
    """Move a question to another of the event's themes."""
    checked = check_theme(theme, theme_keys=theme_keys)

    def apply(question: Question, now: int) -> list[Change]:
        if checked != question.theme:
            # A guiding question belongs to its theme: the link does not follow the question.
            question.guiding_question = None
        question.theme = checked
        return []

    return _curate(session, event, question_id, clock=clock, apply=apply)


def _no_such_guiding_question(count: int) -> InvalidInput:
    code = "invalid_guiding_question"
    if count == 0:
        return InvalidInput(N_("This question's theme has no guiding questions."), code)
    if count == 1:
        return InvalidInput(
            N_("This question's theme has one guiding question: use 0, or null to unlink."), code
        )
    return InvalidInput(
        N_(
            "Use the index of one of the theme's guiding questions, 0 to {last}, or null to unlink."
        ),
        code,
        last=count - 1,
    )


def link_guiding(
    session: Session, event: Event, question_id: int, *, index: int | None, clock: Clock
) -> list[Change]:
    """Link a question to one of its theme's guiding questions (``index`` into the theme's
    list), or unlink it (None), for the session report."""

    def apply(question: Question, now: int) -> list[Change]:
        if index is not None:
            theme = next((t for t in event.spec.themes if t.key == question.theme), None)
            count = 0 if theme is None else len(theme.questions)
            if not 0 <= index < count:
                raise _no_such_guiding_question(count)
        question.guiding_question = index
        return []

    return _curate(session, event, question_id, clock=clock, apply=apply)


def queue(session: Session, event: Event, question_id: int, *, clock: Clock) -> list[Change]:
    """Put an approved question at the end of the "up next" list."""

    def apply(question: Question, now: int) -> list[Change]:
        if question.status != APPROVED:
            raise Conflict(
                _NOT_QUEUEABLE.get(
                    question.status,
                    N_(
                        "Only approved questions go in the up-next list; question {id} is {status}."
                    ),
                ),
                "wrong_status",
                id=question.id,
                status=question.status,
            )
        if question.queue_position is None:
            last = session.scalar(
                select(func.max(Question.queue_position)).where(Question.event_id == event.id)
            )
            question.queue_position = (last or 0) + 1
        return []

    return _curate(session, event, question_id, clock=clock, apply=apply)


def unqueue(session: Session, event: Event, question_id: int, *, clock: Clock) -> list[Change]:
    """Take a question out of the "up next" list."""

    def apply(question: Question, now: int) -> list[Change]:
        question.queue_position = None
        return []

    return _curate(session, event, question_id, clock=clock, apply=apply)


def merge(
    session: Session, event: Event, question_id: int, *, into: int, clock: Clock
) -> list[Change]:
    """Fold a question into the question ``into``: votes combined (a person who voted for both
    counts once), the asker told where theirs went."""

    def apply(source: Question, now: int) -> list[Change]:
        target = get_question(session, event, into)
        if target.id == source.id:
            raise InvalidInput(N_("A question cannot be merged into itself."), "merge_into_itself")
        if target.status == MERGED:
            raise Conflict(
                N_("Question {id} was itself merged into question {into}; merge into that one."),
                "merge_cycle",
                id=target.id,
                into=target.merged_into_id,
            )
        if target.status == DISMISSED:
            raise Conflict(_REFUSALS[DISMISSED], "wrong_status", id=target.id)
        if source.status == LIVE:
            raise Conflict(
                N_("Question {id} is on screen; take it off screen before merging it."),
                "wrong_status",
                id=source.id,
            )
        target_voters = select(Vote.client_id).where(Vote.question_id == target.id)
        session.execute(
            update(Vote)
            .where(Vote.question_id == source.id, Vote.client_id.not_in(target_voters))
            .values(question_id=target.id)
        )
        session.execute(delete(Vote).where(Vote.question_id == source.id))
        target.votes = (
            session.scalar(select(func.count()).where(Vote.question_id == target.id)) or 0
        )
        source.votes = 0
        source.status = MERGED
        source.merged_into_id = target.id
        source.queue_position = None
        target.updated_ms = now
        return [Change(target, target.status in PUBLIC_STATUSES)]

    return _curate(session, event, question_id, clock=clock, apply=apply)


def reorder_queue(
    session: Session, event: Event, *, order: list[int], clock: Clock
) -> list[Change]:
    """Set the order of the up-next list. ``order`` must hold exactly the ids now in it, so a
    moderator working from a stale list is told instead of silently undoing another's change."""
    queued = list(
        session.scalars(
            select(Question).where(
                Question.event_id == event.id, Question.queue_position.is_not(None)
            )
        )
    )
    if len(order) != len(set(order)) or set(order) != {q.id for q in queued}:
        raise Conflict(
            N_("The up-next list changed meanwhile; it has been reloaded, please reorder again."),
            "stale_order",
        )
    by_id = {q.id: q for q in queued}
    now = clock()
    changes = []
    for position, question_id in enumerate(order, start=1):
        question = by_id[question_id]
        if question.queue_position != position:
            question.queue_position = position
            question.updated_ms = now
            changes.append(Change(question, question.status in PUBLIC_STATUSES))
    _commit(session, *(c.question for c in changes))
    return changes


def _flush(session: Session, *questions: Question) -> None:
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise _changed_meanwhile(questions) from None


def _commit(session: Session, *questions: Question) -> None:
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise _changed_meanwhile(questions) from None
    except IntegrityError as exc:
        session.rollback()
        if not _one_live_violated(exc):
            raise
        raise Conflict(
            N_("Another question was put on screen at the same moment; try again."), "live_taken"
        ) from None


def _one_live_violated(exc: IntegrityError) -> bool:
    """Whether the database refused a second live question (PostgreSQL names the index;
    SQLite names its only column)."""
    message = str(exc.orig)
    return "uq_questions_one_live" in message or message.rstrip().endswith(
        "failed: questions.event_id"
    )


def _changed_meanwhile(questions: tuple[Question, ...]) -> Conflict:
    return Conflict(
        NP_(
            "Another moderator changed question {ids} at the same moment; yours was not "
            "applied. Your screen shows the latest.",
            "Another moderator changed questions {ids} at the same moment; yours was not "
            "applied. Your screen shows the latest.",
        ),
        "question_changed",
        n=len(questions),
        ids=", ".join(str(q.id) for q in questions),
    )


def public_questions(session: Session, event: Event) -> list[Question]:
    """What every attendee may see: approved, live and answered questions, oldest first."""
    return list(
        session.scalars(
            select(Question)
            .where(Question.event_id == event.id, Question.status.in_(PUBLIC_STATUSES))
            .order_by(Question.id)
        )
    )


def all_questions(session: Session, event: Event) -> list[Question]:
    """Every question of the event, for moderators, oldest first."""
    return list(
        session.scalars(select(Question).where(Question.event_id == event.id).order_by(Question.id))
    )


def questions_after(session: Session, event: Event, after: object, limit: int) -> list[Question]:
    """One page of the event's questions for moderators: at most ``limit`` with an id above
    ``after``, oldest first. A dashboard reads a large queue page by page (each a bounded read
    and a bounded message) instead of in one read of every question."""
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= MAX_ID:
        raise InvalidInput(
            N_("after: must be a question id (a whole number, 0 to start)."), "invalid"
        )
    return list(
        session.scalars(
            select(Question)
            .where(Question.event_id == event.id, Question.id > after)
            .order_by(Question.id)
            .limit(max(1, limit))
        )
    )


def column_counts(session: Session, event: Event) -> dict[str, int]:
    """How many of the event's questions are in each of the dashboard's columns, exactly:
    every status, with the approved ones in "up next" counted as ``upnext`` instead."""
    in_queue = Question.queue_position.is_not(None)
    rows = session.execute(
        select(Question.status, in_queue, func.count())
        .where(Question.event_id == event.id)
        .group_by(Question.status, in_queue)
    )
    counts = dict.fromkeys((PENDING, "upnext", APPROVED, LIVE, ANSWERED, DISMISSED, MERGED), 0)
    for status, queued, count in rows:
        column = "upnext" if status == APPROVED and queued else status
        counts[column] = counts.get(column, 0) + count
    return counts


def questions_of(session: Session, event: Event, client_id: str) -> list[Question]:
    """The questions one attendee sent, whatever their status."""
    return list(
        session.scalars(
            select(Question)
            .where(Question.event_id == event.id, Question.client_id == client_id)
            .order_by(Question.id)
        )
    )


def similar_public(
    session: Session, event: Event, text: str, *, limit: int = 3
) -> list[tuple[Question, int]]:
    """Published questions like ``text``, for an attendee to upvote instead of repeating."""
    candidates = public_questions(session, event)
    by_id = {q.id: q for q in candidates if q.status != ANSWERED}
    found = similarity.ranked(text[:1000], ((q.id, q.text) for q in by_id.values()), limit)
    return [(by_id[i], score) for i, score in found]


def public_version() -> ColumnElement[int]:
    """The column expression of a question's public version: greater after every change anyone
    can see (a curation step bumps ``version``, a vote ``votes_revision``), so a page ignores a
    message about a question older than the one it shows."""
    return Question.version + Question.votes_revision


def public_view(question: Question) -> dict[str, Any]:
    """The question as attendees and room screens see it, with its public version."""
    return {
        "id": question.id,
        "text": question.text,
        "theme": question.theme,
        "via": question.via,
        "name": question.name,
        "affiliation": question.affiliation,
        "status": question.status,
        "votes": question.votes,
        "created_ms": question.created_ms,
        "version": question.version + question.votes_revision,
    }


def owner_view(question: Question) -> dict[str, Any]:
    """The question as its author sees it in "My questions", with its client_msg_id and, once
    merged, the question it was merged into."""
    return {
        **public_view(question),
        "client_msg_id": question.client_msg_id,
        "merged_into_id": question.merged_into_id,
    }


def moderator_view(question: Question) -> dict[str, Any]:
    """Everything a moderator needs about a question (never the author's client id)."""
    return {
        **public_view(question),
        "starred": question.starred,
        "original_text": question.original_text,
        "edited_ms": question.edited_ms,
        "merged_into_id": question.merged_into_id,
        "queue_position": question.queue_position,
        "flag": question.flag,
        "similar_to_id": question.similar_to_id,
        "similarity": question.similarity,
        "updated_ms": question.updated_ms,
        "approved_ms": question.approved_ms,
        "live_ms": question.live_ms,
        "answered_ms": question.answered_ms,
        "guiding_question": question.guiding_question,
        "actions": allowed_actions(question),
    }
