"""Upvotes: one per attendee per published question, with the voter's origin (room or online)
so that the moderator can see what each half of the audience wants."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from moderator.core.clock import Clock
from moderator.core.errors import N_, Conflict, DomainError, InvalidInput
from moderator.core.questions import (
    ANSWERED,
    ATTENDEE_ORIGINS,
    MAX_ID,
    MERGED,
    PUBLIC_STATUSES,
    check_client_id,
    get_question,
    public_version,
    unknown_question,
)
from moderator.models import Event, Question, Vote


class Tally(NamedTuple):
    """A question's vote count after a change, with its public version (which orders it
    against every other message about the question)."""

    question_id: int
    votes: int
    version: int


@dataclass(frozen=True)
class Ballot:
    """One attendee's upvote of one question, as received."""

    question_id: int
    client_id: str
    via: str


def vote(session: Session, event_id: int, ballot: Ballot, *, clock: Clock) -> Tally:
    """Record one attendee's upvote and return the question's new count; a second one, or
    one on an unpublished question, is refused with the reason."""
    [result] = vote_batch(session, event_id, [ballot], clock=clock)
    if isinstance(result, DomainError):
        raise result
    return result


def vote_batch(
    session: Session, event_id: int, ballots: list[Ballot], *, clock: Clock
) -> list[Tally | DomainError]:
    """Record many upvotes in one transaction (a vote storm commits once per batch, not once per
    vote). Each ballot gets the question's count after the batch or the refusal it earned;
    nothing is stored for a refused ballot."""
    results: list[Tally | DomainError | None] = [None] * len(ballots)
    for index, ballot in enumerate(ballots):
        try:
            check_client_id(ballot.client_id)
            if ballot.via not in ATTENDEE_ORIGINS:
                raise InvalidInput(N_("via must be 'online' or 'room'."), "invalid_via")
            if isinstance(ballot.question_id, bool) or not isinstance(ballot.question_id, int):
                raise InvalidInput(N_("The question id must be a whole number."), "invalid_id")
            if not 0 < ballot.question_id <= MAX_ID:
                # Checked here so that no one's value can break the batch of everyone else.
                raise unknown_question(ballot.question_id)
        except DomainError as refusal:
            results[index] = refusal
    wanted = {b.question_id for b, r in zip(ballots, results, strict=True) if r is None}
    rows = {
        row.id: row
        for row in session.execute(
            select(Question.id, Question.event_id, Question.status, Question.merged_into_id).where(
                Question.id.in_(wanted)
            )
        )
    }
    fresh: dict[tuple[int, str], int] = {}  # (question, voter) -> first ballot asking for it
    for index, ballot in enumerate(ballots):
        if results[index] is not None:
            continue
        row = rows.get(ballot.question_id)
        if row is None or row.event_id != event_id:
            results[index] = unknown_question(ballot.question_id)
        elif row.status == MERGED:
            results[index] = Conflict(
                N_("This question was merged into question {into}; vote for that one."),
                "merged",
                into=row.merged_into_id,
            )
        elif row.status not in PUBLIC_STATUSES or row.status == ANSWERED:
            results[index] = Conflict(
                N_("This question has been answered; it cannot be voted on.")
                if row.status == ANSWERED
                else N_("This question is not published; it cannot be voted on."),
                "not_votable",
            )
        elif (ballot.question_id, ballot.client_id) in fresh:
            results[index] = _already()
        else:
            fresh[(ballot.question_id, ballot.client_id)] = index
    stored: set[tuple[int, str]] = set()
    if fresh:
        now = clock()
        dialect = session.get_bind().dialect.name
        dialect_insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            dialect_insert(Vote)
            .on_conflict_do_nothing()
            .returning(Vote.question_id, Vote.client_id)
        )
        stored = {
            (row.question_id, row.client_id)
            for row in session.execute(
                statement,
                [
                    {"question_id": q, "client_id": c, "via": ballots[i].via, "created_ms": now}
                    for (q, c), i in fresh.items()
                ],
            )
        }
    added = Counter(q for q, _c in stored)
    tallies: dict[int, Tally] = {}
    for question_id, count in sorted(added.items()):
        tallies[question_id] = _add_votes(session, question_id, count)
    session.commit()
    for key, index in fresh.items():
        results[index] = tallies[key[0]] if key in stored else _already()
    return [result for result in results if result is not None]


def _already() -> Conflict:
    return Conflict(N_("You have already voted for this question."), "already_voted")


def _add_votes(session: Session, question_id: int, count: int) -> Tally:
    """Change a question's count by ``count`` (negative: taken back), one revision more."""
    row = session.execute(
        update(Question)
        .where(Question.id == question_id)
        .values(votes=Question.votes + count, votes_revision=Question.votes_revision + 1)
        .returning(Question.votes, public_version())
    ).one()
    return Tally(question_id, row[0], row[1])


def unvote(session: Session, event: Event, question_id: int, *, client_id: str) -> Tally:
    """Take back an attendee's upvote; return the question's new count."""
    question = get_question(session, event, question_id)
    removed = session.execute(
        delete(Vote)
        .where(Vote.question_id == question.id, Vote.client_id == client_id)
        .returning(Vote.question_id)
    ).all()
    if not removed:
        session.rollback()
        raise Conflict(N_("You have not voted for this question."), "not_voted")
    tally = _add_votes(session, question.id, -1)
    session.commit()
    return tally


def voted_by(session: Session, event: Event, client_id: str) -> list[int]:
    """Ids of the event's questions this attendee has upvoted."""
    return list(
        session.scalars(
            select(Vote.question_id)
            .join(Question)
            .where(Question.event_id == event.id, Vote.client_id == client_id)
        )
    )


def counts(session: Session, question_ids: Iterable[int]) -> dict[int, Tally]:
    """The current vote count of each question, with its public version, in one query."""
    ids = list(question_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Question.id, Question.votes, public_version()).where(Question.id.in_(ids))
    )
    return {row[0]: Tally(row[0], row[1], row[2]) for row in rows}


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
