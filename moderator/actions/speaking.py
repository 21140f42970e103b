"""Who has the floor: switching the speaker, and correcting a speaking interval afterwards."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from moderator.actions.base import UNSET, Action, Actor, Context, Result, Right, Unset
from moderator.core import events, speaking
from moderator.core.errors import N_, InvalidInput
from moderator.fanout import SpeakingChanged
from moderator.models import Event


@dataclass(frozen=True)
class SetSpeaker:
    # A speaker id (``GET /speaker`` lists them), or null: nobody has the floor.
    speaker: str | None | Unset = UNSET


@dataclass(frozen=True)
class CorrectInterval:
    id: int
    speaker: str | None = None
    started_ms: int | None = None
    ended_ms: int | None = None


def _changed(session: Session, event: Event, *, now: int) -> SpeakingChanged:
    """The floor as dashboards and stage monitors see it, read after the change committed."""
    return SpeakingChanged(
        speaking.speaking_view(session, event, now=now),
        speaking.stage_view(session, event, now=now),
    )


def set_speaker(context: Context, actor: Actor, command: SetSpeaker) -> Result:
    """Give the floor to a speaker (or to nobody) from now on."""
    if isinstance(command.speaker, Unset):
        raise InvalidInput(
            N_("Say who has the floor: a speaker id, or null for nobody."), "missing_speaker"
        )
    with context.session() as session:
        event = events.get_event(session, context.code)
        speaking.switch(session, event, command.speaker, clock=context.clock)
        change = _changed(session, event, now=context.clock())
    return Result(change.view, announce=[change])


def correct_interval(context: Context, actor: Actor, command: CorrectInterval) -> Result:
    """Correct one speaking interval: who it was, when it started or ended."""
    with context.session() as session:
        event = events.get_event(session, context.code)
        speaking.correct(
            session,
            event,
            command.id,
            speaker=command.speaker,
            started_ms=command.started_ms,
            ended_ms=command.ended_ms,
            clock=context.clock,
        )
        change = _changed(session, event, now=context.clock())
    return Result(change.view, announce=[change])


ACTIONS = [
    Action(
        name="speaker.set",
        command=SetSpeaker,
        right=Right.CLOCK,
        handler=set_speaker,
        http=("POST", "/events/<code>/speaker"),
        message="speaker",
    ),
    Action(
        name="speaker.correct",
        command=CorrectInterval,
        right=Right.CLOCK,
        handler=correct_interval,
        http=("PATCH", "/events/<code>/speaker/intervals/<int:id>"),
        message="speaker_interval",
    ),
]
