"""What every action shares: who is asking (``Actor``), what they may do (``Right``), the
typed command decoded from JSON, and the result with the changes to announce.

An action is one function ``handler(context, actor, command) -> Result``. The transports
(``moderator/api``, ``moderator/sockets``) only build the actor, pick the action and encode the
result; ``perform`` checks the right, decodes the command, runs the handler and hands what
changed to the fan-out, the same way for both.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import math
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator import fanout, runtime
from moderator.core import audit
from moderator.core.access import STAFF_RIGHTS, Credential, Right
from moderator.core.clock import Clock
from moderator.core.errors import N_, NP_, DomainError, Forbidden, InvalidInput, Unauthorized
from moderator.core.events import EventSnapshot
from moderator.core.questions import Limits
from moderator.fanout import Announcement
from moderator.models import Event


class Unset(enum.Enum):
    """A command field the JSON did not mention (as opposed to ``null``)."""

    UNSET = "unset"


UNSET = Unset.UNSET


@dataclass(frozen=True)
class ScreenIdentity:
    """A room screen or stage monitor as it introduced itself."""

    screen_id: str
    kind: str
    label: str | None


@dataclass(frozen=True)
class Actor:
    """Who is asking, as established by the transport for this request or message."""

    # The organiser's access the request or connection carries, if any (``core/access.py``).
    credential: Credential | None = None
    client_id: str | None = None
    via: str = "online"
    screen: ScreenIdentity | None = None
    # An organiser's credential that was sent but does not hold (a wrong or revoked token, a
    # session write without its CSRF token): the refusal an organiser's action gives instead.
    credential_problem: DomainError | None = None
    # Why no attendee identity could be had (too many new ones from this address).
    identity_problem: DomainError | None = None
    # The network address the request or connection came from (``identity.address()``,
    # trusted-proxy aware); rate limits count per address as well as per person.
    address: str | None = None

    def has(self, right: Right, code: str | None) -> bool:
        """Whether this actor holds ``right`` on the event ``code``."""
        if right is Right.ANYONE:
            return True
        if right in STAFF_RIGHTS:
            return self.credential is not None and self.credential.allows(right, code)
        if right is Right.ATTENDEE:
            return self.client_id is not None
        return self.screen is not None

    def refusal(self, right: Right, code: str | None) -> DomainError:
        """Why this actor may not do what needs ``right`` on ``code``."""
        if right in STAFF_RIGHTS:
            if self.credential is not None:
                return self.credential.refusal(right, code)
            if self.credential_problem is not None:
                return self.credential_problem
            return REFUSALS[Right.MODERATOR]()
        if right is Right.ATTENDEE and self.identity_problem is not None:
            return self.identity_problem
        return REFUSALS[right]()


ANONYMOUS = Actor()


@dataclass
class Result:
    """What an action replies (the same body on HTTP and Socket.IO), its HTTP status, and the
    changes the fan-out announces once the action has committed."""

    reply: dict[str, Any]
    status: int = 200
    announce: list[Announcement] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What a handler works with: the event's code, the application's database, clock and
    limits."""

    app: Flask
    code: str

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A database session, closed at the end of the block."""
        with runtime.database(self.app).session() as session:
            yield session

    def snapshot(self) -> EventSnapshot:
        """The event's settings as submissions and votes read them: a per-process copy at
        most a second old (no database work at all while it is fresh)."""
        snapshots = runtime.snapshots(self.app)
        fresh = snapshots.peek(self.code, now=self.clock())
        if fresh is not None:
            return fresh
        with self.session() as session:
            return snapshots.get(session, self.code, clock=self.clock)

    @property
    def clock(self) -> Clock:
        return runtime.clock(self.app)

    @property
    def limits(self) -> Limits:
        return runtime.limits(self.app)


Handler = Callable[[Context, Actor, Any], Result]


@dataclass(frozen=True)
class Action:
    """One thing a person can do, and how each transport addresses it.

    ``http`` is the method and the Flask rule (under ``/api``); ``message`` the Socket.IO message
    (None for the workspace's actions, which only the HTTP API offers). ``command`` is a
    dataclass the JSON is decoded into, or ``dict`` for an action that checks the whole body
    itself (an event file's JSON form).
    Several actions may share a rule or a message; ``selector`` (a field and its value, taken
    from the URL or the body) then says which one is meant, and the one without a selector is
    the default.
    """

    name: str
    command: type
    right: Right
    handler: Handler
    http: tuple[str, str]
    message: str | None
    selector: tuple[str, object] | None = None
    # The rate limit it counts against (a rule of ``moderator/limits.py``), if any.
    limit: str | None = None


REFUSALS: dict[Right, Callable[[], DomainError]] = {
    Right.MODERATOR: lambda: Unauthorized(
        N_("Moderator login required: log in, or send 'Authorization: Bearer <token>'."),
        "unauthorized",
    ),
    Right.ATTENDEE: lambda: Unauthorized(
        N_(
            "Open the event's attendee page first (it gives this browser its identity), or send "
            "a client_id."
        ),
        "missing_client_id",
    ),
    Right.SCREEN: lambda: Forbidden(
        N_("Only a room screen or stage monitor reports its clock."), "not_a_screen"
    ),
}


def choose(actions: list[Action], data: dict[str, Any]) -> Action:
    """The action of a shared rule or message that ``data`` selects."""
    if len(actions) == 1:
        return actions[0]
    for action in actions:
        if action.selector is not None and data.get(action.selector[0]) == action.selector[1]:
            return action
    defaults = [a for a in actions if a.selector is None]
    if defaults:
        return defaults[0]
    key = actions[0].selector[0] if actions[0].selector else "action"
    options = ", ".join(str(a.selector[1]) for a in actions if a.selector)
    template = _UNKNOWN_SELECTOR.get(key, N_("Unknown {key} {value}; use one of: {options}."))
    raise InvalidInput(
        template, f"unknown_{key}", key=key, value=repr(data.get(key))[:40], options=options
    )


# Whole sentences per selecting field, so that each can be translated; a field not listed is
# named as the program identifier it is.
_UNKNOWN_SELECTOR = {"action": N_("Unknown action {value}; use one of: {options}.")}


def perform(action: Action, actor: Actor, code: str, data: object) -> Result:
    """Run ``action`` for ``actor`` on the event ``code`` with the JSON ``data``: check the
    right, decode the command, carry it out, announce what changed. Raises ``DomainError``."""
    if not actor.has(action.right, code or None):
        raise actor.refusal(action.right, code or None)
    app = runtime.current_app_object()
    if action.limit is not None:
        # Counted before anything is decoded or read: a flood of malformed messages costs
        # its sender the same budget as well-formed ones.
        runtime.limiter(app).hit(
            action.limit, identity=_who(actor), address=actor.address, clock=runtime.clock(app)
        )
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidInput(N_("Send a JSON object."), "invalid_body")
    command = decode(action.command, data)
    result = action.handler(Context(app, code), actor, command)
    fanout.announce(app, code, result.announce)
    if actor.credential is not None and action.http[0] != "GET":
        _record(app, actor.credential, action, code or result.reply.get("code"), data)
    return result


def _record(
    app: Flask, credential: Credential, action: Action, code: object, data: dict[str, Any]
) -> None:
    """Add the action to the event's audit trail (``core/audit.py``). The action is done
    whatever happens here: a trail that cannot be written is logged, not a refusal."""
    if action.command is dict:  # an event file: the trail says which version, not its text
        data = {key: data[key] for key in ("version", "duplicate", "code") if key in data}
    try:
        with runtime.database(app).session() as session:
            event = session.scalar(select(Event).where(Event.code == code))
            if event is None:  # deleted by this very action
                return
            audit.record(session, event, credential, action.name, data, now=runtime.clock(app)())
            session.commit()
    except Exception:
        app.logger.exception("could not add %s to the audit trail of %r", action.name, code)


def _who(actor: Actor) -> str | None:
    """The person a rate limit counts: the attendee identity the server issued, or the
    screen; none for an anonymous actor (then only the address counts)."""
    if actor.client_id is not None:
        return f"attendee:{actor.client_id}"
    if actor.screen is not None:
        return f"screen:{actor.screen.screen_id}"
    return None


# --- Commands from JSON --------------------------------------------------------------------------


def decode(command_type: type, data: dict[str, Any]) -> Any:
    """Build a command dataclass from a JSON object, checking each field against its type.

    Missing required fields give ``missing_<field>``, wrong types ``invalid_<field>``; fields
    the command does not know are ignored unless the command sets ``STRICT = True``. What the
    values mean (lengths, ranges, states) is the core's to check.
    """
    if command_type is dict:
        return data
    fields = _fields_of(command_type)
    if getattr(command_type, "STRICT", False):
        unknown = sorted(set(data) - {name for name, _hint, _required in fields})
        if unknown:
            raise InvalidInput(
                NP_("Unknown field: {fields}.", "Unknown fields: {fields}."),
                getattr(command_type, "UNKNOWN", ""),
                n=len(unknown),
                fields=", ".join(unknown),
            )
    values: dict[str, Any] = {}
    for name, hint, required in fields:
        if name not in data:
            if required:
                raise InvalidInput(N_("{name} is missing."), f"missing_{name}", name=name)
            continue
        values[name] = _check(name, data[name], hint)
    return command_type(**values)


@functools.cache
def _fields_of(command_type: type) -> tuple[tuple[str, Any, bool], ...]:
    """Each field's name, type and whether it is required, worked out once per command type
    (resolving the annotations costs more than decoding a message)."""
    hints = typing.get_type_hints(command_type)
    return tuple(
        (
            item.name,
            hints[item.name],
            item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING,
        )
        for item in dataclasses.fields(command_type)
        if item.init
    )


# What a field of each type must be: a whole sentence per type, so that each can be
# translated (``name`` is the JSON key, a program identifier).
_MUST_BE: dict[tuple[Any, ...], str] = {
    (int,): N_("{name} must be a whole number."),
    (float,): N_("{name} must be a number."),
    (str,): N_("{name} must be text."),
    (bool,): N_("{name} must be true or false."),
    (list[int],): N_("{name} must be a list of whole numbers."),
    (list[str],): N_("{name} must be a list of texts."),
}


def _check(name: str, value: Any, hint: Any) -> Any:
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if value is None:
        if type(None) in options:
            return None
        raise InvalidInput(N_("{name} is missing."), f"missing_{name}", name=name)
    for option in options:
        accepted = _accept(value, option)
        if accepted is not _REFUSED:
            return accepted
    wanted = tuple(o for o in options if o not in (type(None), Unset))
    template = _MUST_BE.get(wanted, N_("{name} has the wrong type."))
    raise InvalidInput(template, f"invalid_{name}", name=name)


_REFUSED = object()


def _accept(value: Any, option: Any) -> Any:
    if option is bool:
        return value if isinstance(value, bool) else _REFUSED
    if option is int:
        return value if isinstance(value, int) and not isinstance(value, bool) else _REFUSED
    if option is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _REFUSED
        try:
            number = float(value)
        except OverflowError:  # an integer beyond any float
            return _REFUSED
        return number if math.isfinite(number) else _REFUSED
    if option is str:
        return value if isinstance(value, str) else _REFUSED
    if typing.get_origin(option) is list:
        [inner] = typing.get_args(option)
        if not isinstance(value, list):
            return _REFUSED
        items = [_accept(item, inner) for item in value]
        return _REFUSED if any(item is _REFUSED for item in items) else items
    return _REFUSED


__all__ = [
    "ANONYMOUS",
    "UNSET",
    "Action",
    "Actor",
    "Credential",
    "Context",
    "DomainError",
    "Result",
    "Right",
    "ScreenIdentity",
    "choose",
    "decode",
    "perform",
]
