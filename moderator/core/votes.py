"""Upvotes: one per attendee per published question, with the voter's origin (room or online)
so that the moderator can see what each half of the audience wants."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderator.core.clock import Clock
from moderator.core.errors import Conflict, InvalidInput
from moderator.core.questions import (
    ANSWERED,
    ATTENDEE_ORIGINS,
    MERGED,
    PUBLIC_STATUSES,
    check_client_id,
    get_question,
)
from moderator.models import Event, Question, Vote


def vote(
    session: Session,
    event: Event,
    question_id: object,
    client_id: object,
    via: object,
    clock: Clock,
) -> Question:
    """Record one attendee's upvote; a second one, or one on an unpublished question, is
    refused with the reason."""
    client_id = check_client_id(client_id)
    if via not in ATTENDEE_ORIGINS:
        raise InvalidInput("via must be 'online' or 'room'.", "invalid_via")
    question = get_question(session, event, question_id)
    if question.status == MERGED:
        raise Conflict(
            f"This question was merged into question {question.merged_into_id}; vote for that one.",
            "merged",
        )
    if question.status not in PUBLIC_STATUSES or question.status == ANSWERED:
        reason = "has been answered" if question.status == ANSWERED else "is not published"
        raise Conflict(f"This question {reason}; it cannot be voted on.", "not_votable")
    try:
        session.execute(
            insert(Vote).values(
                question_id=question.id, client_id=client_id, via=via, created_ms=clock()
            )
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


def voted_by(session: Session, event: Event, client_id: str) -> list[int]:
    """Ids of the event's questions this attendee has upvoted."""
    return list(
        session.scalars(
            select(Vote.question_id)
            .join(Question)
            .where(Question.event_id == event.id, Vote.client_id == client_id)
        )
    )


def counts(session: Session, question_ids: Iterable[int]) -> dict[int, int]:
    """The current vote count of each question, in one query."""
    ids = list(question_ids)
    if not ids:
        return {}
    rows = session.execute(select(Question.id, Question.votes).where(Question.id.in_(ids)))
    return dict(rows.all())


def split_by_origin(
    session: Session, event: Event, question_ids: Iterable[int] | None = None
) -> dict[int, dict[str, int]]:
    """Votes per question from the room and from online: ``{id: {"room": n, "online": n}}``."""
    query = (
        select(Vote.question_id, Vote.via, func.count())
        .join(Question)
        .where(Question.event_id == event.id)
        .group_by(Vote.question_id, Vote.via)
    )
    if question_ids is not None:
        query = query.where(Vote.question_id.in_(list(question_ids)))
    split: dict[int, dict[str, int]] = {}
    for question_id, via, count in session.execute(query):
        split.setdefault(question_id, {"room": 0, "online": 0})[via] = count
    return split
