"""Questions: submitted by attendees, curated by moderators, voted on by everyone.

States: pending (awaiting review) -> approved (public) -> live (on screen, at most one per event)
-> answered; pending, approved or live -> dismissed (restorable). Every write commits before it
returns, so whatever an adapter acknowledges is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderator.core.clock import Clock
from moderator.core.errors import Conflict, InvalidInput, NotFound
from moderator.models import Event, Question, Vote

PENDING, APPROVED, LIVE, ANSWERED, DISMISSED = (
    "pending",
    "approved",
    "live",
    "answered",
    "dismissed",
)
STATUSES = (PENDING, APPROVED, LIVE, ANSWERED, DISMISSED)
PUBLIC_STATUSES = frozenset({APPROVED, LIVE, ANSWERED})
ATTENDEE_ORIGINS = ("online", "room")
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# Control characters other than tab and newline are dropped: they have no place in a question and
# PostgreSQL refuses NUL outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Limits:
    """How long the fields of a submission may be, in characters."""

    text: int = 300
    name: int = 80
    affiliation: int = 120


@dataclass(frozen=True)
class Change:
    """A question after an action, and whether attendees could see it before."""

    question: Question
    was_public: bool


def _clean(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _field(data: dict, key: str, *, required: bool, limit: int, label: str) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise InvalidInput(f"{label} is missing.", f"missing_{key}")
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{label} must be text.", f"invalid_{key}")
    value = _clean(value)
    if not value:
        if required:
            raise InvalidInput(f"{label} is empty.", f"empty_{key}")
        return None
    if len(value) > limit:
        raise InvalidInput(
            f"{label} is {len(value)} characters long; the limit is {limit}.", f"{key}_too_long"
        )
    return value


def check_client_id(value: object, key: str = "client_id") -> str:
    """A client-generated identifier: 8 to 64 letters, digits, - or _."""
    if value is None:
        raise InvalidInput(f"{key} is missing.", f"missing_{key}")
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise InvalidInput(f"{key} must be 8 to 64 letters, digits, - or _.", f"invalid_{key}")
    return value


def submit(
    session: Session,
    event: Event,
    data: object,
    clock: Clock,
    limits: Limits,
    theme_keys: tuple[str, ...],
) -> tuple[Question, bool]:
    """Store an attendee's question; return it and whether it is new.

    The same ``client_msg_id`` sent again (a resend after a reconnect) returns the stored question
    instead of a copy.
    """
    if not isinstance(data, dict):
        raise InvalidInput("Send the question as a JSON object.", "invalid_body")
    client_id = check_client_id(data.get("client_id"))
    client_msg_id = check_client_id(data.get("client_msg_id"), "client_msg_id")

    existing = _by_client_msg_id(session, event, client_msg_id)
    if existing is not None:
        return _resent(existing, client_id), False

    text = _field(data, "text", required=True, limit=limits.text, label="The question")
    theme = data.get("theme")
    if theme is None:
        raise InvalidInput("Choose a theme for the question.", "missing_theme")
    if not isinstance(theme, str) or theme not in theme_keys:
        raise InvalidInput(
            f"Unknown theme {theme!r}; choose one of: {', '.join(theme_keys)}.", "unknown_theme"
        )
    via = data.get("via", "online")
    if via not in ATTENDEE_ORIGINS:
        raise InvalidInput("via must be 'online' or 'room'.", "invalid_via")
    name = _field(data, "name", required=False, limit=limits.name, label="The name")
    affiliation = _field(
        data, "affiliation", required=False, limit=limits.affiliation, label="The affiliation"
    )

    now = clock()
    status = PENDING if event.premoderation else APPROVED
    question = Question(
        event_id=event.id,
        client_id=client_id,
        client_msg_id=client_msg_id,
        text=text,
        theme=theme,
        via=via,
        name=name,
        affiliation=affiliation,
        status=status,
        created_ms=now,
        updated_ms=now,
        approved_ms=None if status == PENDING else now,
    )
    session.add(question)
    try:
        session.commit()
    except IntegrityError:
        # The same message arrived twice at once; the other copy won, return it.
        session.rollback()
        existing = _by_client_msg_id(session, event, client_msg_id)
        if existing is None:
            raise
        return _resent(existing, client_id), False
    return question, True


def _by_client_msg_id(session: Session, event: Event, client_msg_id: str) -> Question | None:
    return session.scalar(
        select(Question).where(
            Question.event_id == event.id, Question.client_msg_id == client_msg_id
        )
    )


def _resent(question: Question, client_id: str) -> Question:
    if question.client_id != client_id:
        raise Conflict(
            "This client_msg_id was already used by someone else; generate a new one.",
            "client_msg_id_taken",
        )
    return question


def get_question(session: Session, event: Event, question_id: object) -> Question:
    """The event's question with this id, or ``NotFound``."""
    if isinstance(question_id, str) and question_id.isdigit():
        question_id = int(question_id)
    if not isinstance(question_id, int) or isinstance(question_id, bool):
        raise InvalidInput("The question id must be a whole number.", "invalid_id")
    question = session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        raise NotFound(f"There is no question {question_id} in this event.", "unknown_question")
    return question


# action -> (statuses it applies to, status it leads to; None means computed)
_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "approve": (frozenset({PENDING, DISMISSED}), APPROVED),
    "dismiss": (frozenset({PENDING, APPROVED, LIVE}), DISMISSED),
    "restore": (frozenset({DISMISSED, ANSWERED}), None),
    "live": (frozenset({PENDING, APPROVED, ANSWERED}), LIVE),
    "unlive": (frozenset({LIVE}), APPROVED),
    "answered": (frozenset({APPROVED, LIVE}), ANSWERED),
}
ACTIONS = (*_TRANSITIONS, "star", "unstar")

_REFUSALS = {
    PENDING: "is still awaiting review",
    APPROVED: "is already approved",
    LIVE: "is on screen",
    ANSWERED: "is already answered",
    DISMISSED: "is dismissed; restore it first",
}


def apply_action(
    session: Session, event: Event, question_id: object, action: object, clock: Clock
) -> list[Change]:
    """Carry out a moderator's action on a question; return every question it changed.

    Putting a question live takes the previous live one off screen (back to approved).
    """
    if action not in ACTIONS:
        raise InvalidInput(
            f"Unknown action {action!r}; use one of: {', '.join(ACTIONS)}.", "unknown_action"
        )
    question = get_question(session, event, question_id)
    now = clock()
    if action in ("star", "unstar"):
        was_public = question.status in PUBLIC_STATUSES
        question.starred = action == "star"
        question.updated_ms = now
        session.commit()
        return [Change(question, was_public)]

    allowed, target = _TRANSITIONS[action]
    if question.status not in allowed:
        raise Conflict(f"Question {question.id} {_REFUSALS[question.status]}.", "wrong_status")
    changes: list[Change] = []
    if action == "live":
        current = session.scalar(
            select(Question).where(Question.event_id == event.id, Question.status == LIVE)
        )
        if current is not None:
            current.status = APPROVED
            current.updated_ms = now
            changes.append(Change(current, True))
            session.flush()
    if target is None:  # restore
        target = (
            (question.status_before_dismiss or PENDING)
            if question.status == DISMISSED
            else APPROVED
        )
    changes.append(Change(question, question.status in PUBLIC_STATUSES))
    if target == DISMISSED:
        question.status_before_dismiss = APPROVED if question.status == LIVE else question.status
    question.status = target
    question.updated_ms = now
    if target == APPROVED and question.approved_ms is None:
        question.approved_ms = now
    elif target == LIVE:
        question.live_ms = now
        question.approved_ms = question.approved_ms or now
    elif target == ANSWERED:
        question.answered_ms = now
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "Another question was put on screen at the same moment; try again.", "live_taken"
        ) from None
    return changes


def vote(
    session: Session, event: Event, question_id: object, client_id: object, clock: Clock
) -> Question:
    """Record one attendee's upvote; each attendee votes once per question."""
    client_id = check_client_id(client_id)
    question = get_question(session, event, question_id)
    if question.status not in PUBLIC_STATUSES:
        raise Conflict("Only published questions can be voted on.", "not_votable")
    try:
        session.execute(
            insert(Vote).values(question_id=question.id, client_id=client_id, created_ms=clock())
        )
        session.execute(
            update(Question).where(Question.id == question.id).values(votes=Question.votes + 1)
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("You have already voted for this question.", "already_voted") from None
    session.refresh(question)
    return question


def unvote(session: Session, event: Event, question_id: object, client_id: object) -> Question:
    """Take back an attendee's upvote."""
    client_id = check_client_id(client_id)
    question = get_question(session, event, question_id)
    removed = session.execute(
        delete(Vote).where(Vote.question_id == question.id, Vote.client_id == client_id)
    ).rowcount
    if not removed:
        session.rollback()
        raise Conflict("You have not voted for this question.", "not_voted")
    session.execute(
        update(Question).where(Question.id == question.id).values(votes=Question.votes - 1)
    )
    session.commit()
    session.refresh(question)
    return question


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


def questions_of(session: Session, event: Event, client_id: object) -> list[Question]:
    """The questions one attendee sent, whatever their status."""
    client_id = check_client_id(client_id)
    return list(
        session.scalars(
            select(Question)
            .where(Question.event_id == event.id, Question.client_id == client_id)
            .order_by(Question.id)
        )
    )


def voted_by(session: Session, event: Event, client_id: str) -> list[int]:
    """Ids of the event's questions this attendee has upvoted."""
    return list(
        session.scalars(
            select(Vote.question_id)
            .join(Question)
            .where(Question.event_id == event.id, Vote.client_id == client_id)
        )
    )


def public_view(question: Question) -> dict:
    """The question as attendees and room screens see it."""
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
    }


def owner_view(question: Question) -> dict:
    """The question as its author sees it in "My questions", with its client_msg_id."""
    return {**public_view(question), "client_msg_id": question.client_msg_id}


def moderator_view(question: Question) -> dict:
    """Everything a moderator needs about a question (never the author's client id)."""
    return {
        **public_view(question),
        "starred": question.starred,
        "updated_ms": question.updated_ms,
        "approved_ms": question.approved_ms,
        "live_ms": question.live_ms,
        "answered_ms": question.answered_ms,
    }
