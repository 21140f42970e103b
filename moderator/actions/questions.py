"""Questions: what attendees send and vote on, and what moderators do with them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from moderator import runtime
from moderator.actions.base import Action, Actor, Context, Handler, Result, Right
from moderator.core import events, questions, votes
from moderator.core.questions import Change, Submission
from moderator.fanout import Announcement, QuestionsChanged, VotesChanged
from moderator.models import Event

QUESTION = "/events/<code>/questions/<int:id>/<action>"


@dataclass(frozen=True)
class Submit:
    client_msg_id: str
    text: str
    theme: str
    name: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True)
class QuestionId:
    id: int


@dataclass(frozen=True)
class Edit:
    id: int
    text: str


@dataclass(frozen=True)
class Retag:
    id: int
    theme: str


@dataclass(frozen=True)
class Guide:
    id: int
    # An index into the question's theme's guiding questions; null unlinks.
    guiding_question: int | None = None


@dataclass(frozen=True)
class Merge:
    id: int
    into: int


@dataclass(frozen=True)
class Reorder:
    order: list[int]


@dataclass(frozen=True)
class Floor:
    client_msg_id: str
    text: str
    theme: str
    name: str | None = None
    affiliation: str | None = None
    answered: bool = False


@dataclass(frozen=True)
class Similar:
    text: str


def submit(context: Context, actor: Actor, command: Submit) -> Result:
    """Store an attendee's question, then acknowledge with it (201 when new; 200 with the stored
    question when the same client_msg_id was seen before)."""
    assert actor.client_id is not None
    submission = Submission(
        client_id=actor.client_id,
        client_msg_id=command.client_msg_id,
        text=command.text,
        theme=command.theme,
        via=actor.via,
        name=command.name,
        affiliation=command.affiliation,
    )
    event = context.snapshot()
    with context.session() as session:
        question, created = questions.submit(
            session, event, submission, limits=context.limits, clock=context.clock
        )
        reply = {"question": questions.owner_view(question), "created": created}
    announce: list[Announcement] = (
        [QuestionsChanged((Change(question, was_public=False),))] if created else []
    )
    return Result(reply, 201 if created else 200, announce)


def vote(context: Context, actor: Actor, command: QuestionId) -> Result:
    """Upvote a published question, once per attendee; stored (in the next batch of votes)
    before it is acknowledged."""
    assert actor.client_id is not None
    event = context.snapshot()
    # No database session is open while the vote waits for its batch.
    ballot = votes.Ballot(command.id, actor.client_id, actor.via)
    tally = runtime.ballot_box(context.app).cast(event.id, ballot)
    return _counted(tally)


def unvote(context: Context, actor: Actor, command: QuestionId) -> Result:
    """Take one's upvote back."""
    assert actor.client_id is not None
    with context.session() as session:
        event = events.get_event(session, context.code)
        tally = votes.unvote(session, event, command.id, client_id=actor.client_id)
    return _counted(tally)


def _counted(tally: votes.Tally) -> Result:
    """A vote's acknowledgement: the count it left, with the version that orders it."""
    question = {"id": tally.question_id, "votes": tally.votes, "version": tally.version}
    return Result({"question": question}, announce=[VotesChanged(tally.question_id)])


def similar(context: Context, actor: Actor, command: Similar) -> Result:
    """Published questions like the one being typed, to upvote instead of asking again."""
    text = questions.check_draft(command.text, limits=context.limits)
    with context.session() as session:
        event = events.get_event(session, context.code)
        published = runtime.public_questions(context.app).get(session, event, clock=context.clock)
    return Result({"similar": published.similar(text)})


def _curated(context: Context, run: Callable[[Session, Event], list[Change]]) -> Result:
    with context.session() as session:
        event = events.get_event(session, context.code)
        changes = run(session, event)
        reply = {"question": questions.moderator_view(changes[-1].question)}
    return Result(reply, announce=[QuestionsChanged(tuple(changes))])


def _transition(name: str) -> Handler:
    def handler(context: Context, actor: Actor, command: QuestionId) -> Result:
        return _curated(
            context,
            lambda session, event: questions.change_status(
                session, event, command.id, action=name, clock=context.clock
            ),
        )

    handler.__doc__ = f"Moderator: {name} a question."
    return handler


def _star(starred: bool) -> Handler:
    def handler(context: Context, actor: Actor, command: QuestionId) -> Result:
        return _curated(
            context,
            lambda session, event: questions.set_starred(
                session, event, command.id, starred=starred, clock=context.clock
            ),
        )

    return handler


def edit(context: Context, actor: Actor, command: Edit) -> Result:
    """Correct a question's wording; the original is kept."""
    return _curated(
        context,
        lambda session, event: questions.edit_text(
            session,
            event,
            command.id,
            text=command.text,
            limits=context.limits,
            clock=context.clock,
        ),
    )


def retag(context: Context, actor: Actor, command: Retag) -> Result:
    """Move a question to another theme."""
    return _curated(
        context,
        lambda session, event: questions.retag(
            session,
            event,
            command.id,
            theme=command.theme,
            theme_keys=events.theme_keys(event),
            clock=context.clock,
        ),
    )


def guide(context: Context, actor: Actor, command: Guide) -> Result:
    """Link a question to one of its theme's guiding questions, or unlink it."""
    return _curated(
        context,
        lambda session, event: questions.link_guiding(
            session, event, command.id, index=command.guiding_question, clock=context.clock
        ),
    )


def queue(context: Context, actor: Actor, command: QuestionId) -> Result:
    """Add an approved question to the end of "up next"."""
    return _curated(
        context,
        lambda session, event: questions.queue(session, event, command.id, clock=context.clock),
    )


def unqueue(context: Context, actor: Actor, command: QuestionId) -> Result:
    """Take a question out of "up next"."""
    return _curated(
        context,
        lambda session, event: questions.unqueue(session, event, command.id, clock=context.clock),
    )


def merge(context: Context, actor: Actor, command: Merge) -> Result:
    """Fold a duplicate into another question, votes combined."""
    return _curated(
        context,
        lambda session, event: questions.merge(
            session, event, command.id, into=command.into, clock=context.clock
        ),
    )


def reorder(context: Context, actor: Actor, command: Reorder) -> Result:
    """Reorder "up next": exactly the ids now in it, or the moderator is told it changed."""
    with context.session() as session:
        event = events.get_event(session, context.code)
        changes = questions.reorder_queue(session, event, order=command.order, clock=context.clock)
    return Result({"order": command.order}, announce=[QuestionsChanged(tuple(changes))])


def floor(context: Context, actor: Actor, command: Floor) -> Result:
    """Log a question asked at the room's microphone (origin ``floor``)."""
    submission = Submission(
        client_id="",
        client_msg_id=command.client_msg_id,
        text=command.text,
        theme=command.theme,
        via=questions.FLOOR,
        name=command.name,
        affiliation=command.affiliation,
    )
    event = context.snapshot()
    with context.session() as session:
        question, created = questions.log_floor_question(
            session,
            event,
            submission,
            answered=command.answered,
            limits=context.limits,
            clock=context.clock,
        )
        reply = {"question": questions.moderator_view(question), "created": created}
    announce: list[Announcement] = (
        [QuestionsChanged((Change(question, was_public=False),))] if created else []
    )
    return Result(reply, 201 if created else 200, announce)


def _question_action(name: str, command: type, handler: Handler) -> Action:
    return Action(
        name=f"question.{name}",
        command=command,
        right=Right.MODERATOR,
        handler=handler,
        http=("POST", QUESTION),
        message="act",
        selector=("action", name),
    )


ACTIONS = [
    Action(
        name="submit",
        command=Submit,
        right=Right.ATTENDEE,
        handler=submit,
        http=("POST", "/events/<code>/questions"),
        message="submit",
        limit="submit",
    ),
    Action(
        name="vote",
        command=QuestionId,
        right=Right.ATTENDEE,
        handler=vote,
        http=("POST", "/events/<code>/questions/<int:id>/vote"),
        message="vote",
        limit="vote",
    ),
    Action(
        name="unvote",
        command=QuestionId,
        right=Right.ATTENDEE,
        handler=unvote,
        http=("DELETE", "/events/<code>/questions/<int:id>/vote"),
        message="vote",
        selector=("undo", True),
        limit="vote",
    ),
    Action(
        name="similar",
        command=Similar,
        right=Right.ANYONE,
        handler=similar,
        http=("GET", "/events/<code>/similar"),
        message="similar",
        limit="similar",
    ),
    *(_question_action(name, QuestionId, _transition(name)) for name in questions.TRANSITIONS),
    _question_action("star", QuestionId, _star(True)),
    _question_action("unstar", QuestionId, _star(False)),
    _question_action("edit", Edit, edit),
    _question_action("retag", Retag, retag),
    _question_action("guide", Guide, guide),
    _question_action("queue", QuestionId, queue),
    _question_action("unqueue", QuestionId, unqueue),
    _question_action("merge", Merge, merge),
    Action(
        name="reorder",
        command=Reorder,
        right=Right.MODERATOR,
        handler=reorder,
        http=("POST", "/events/<code>/queue"),
        message="reorder",
    ),
    Action(
        name="floor",
        command=Floor,
        right=Right.MODERATOR,
        handler=floor,
        http=("POST", "/events/<code>/floor"),
        message="floor",
    ),
]
