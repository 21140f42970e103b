"""The organiser's workspace: events created, edited live, imported, archived and deleted; the
invitations that give people a role on one event; the audit trail; erasing askers' names.

These are HTTP actions only (the workspace pages and tools call them); the rights they need are
in the registry like every other action's, so one table says who may do what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moderator import runtime
from moderator.actions.base import Action, Actor, Context, Result, Right
from moderator.addresses import public_base_url
from moderator.core import audit, events, invitations, privacy, timer
from moderator.core.errors import N_, InvalidInput
from moderator.core.event_file import EventDefinition
from moderator.fanout import AccessRevoked, EventChanged, TimerChanged


@dataclass(frozen=True)
class Nothing:
    """No arguments."""


@dataclass(frozen=True)
class Archive:
    archived: bool


@dataclass(frozen=True)
class Invite:
    role: str
    label: str


@dataclass(frozen=True)
class InvitationId:
    id: str


@dataclass(frozen=True)
class AuditQuery:
    # A query string gives text; a JSON body may give a number.
    limit: int | str = 50


def _definition(data: dict[str, Any]) -> EventDefinition:
    """The event a body gives: an event file as TOML (``{"toml": "..."}``, which an upload with
    ``Content-Type: application/toml`` becomes), or its JSON form."""
    if "toml" in data:
        if not isinstance(data["toml"], str):
            raise InvalidInput(N_("toml must be the text of an event file."), "invalid_toml")
        return events.definition_from_toml(data["toml"])
    form = {key: value for key, value in data.items() if key not in ("version", "code_in_url")}
    return events.definition_from_form(form)


def list_events(context: Context, actor: Actor, command: Nothing) -> Result:
    """Every event with its status (live, upcoming, past, archived), for the administrator."""
    with context.session() as session:
        return Result({"events": events.workspace_list(session, now=context.clock())})


def create_event(context: Context, actor: Actor, command: dict[str, Any]) -> Result:
    """Create an event from its JSON form or its TOML file, or as a copy of another event
    (``{"duplicate": code, "code": new code, "title": new title}``)."""
    with context.session() as session:
        if "duplicate" in command:
            source = events.get_event(session, command["duplicate"])
            form = events.file_form(source)
            extra = set(command) - {"duplicate", "code", "title"}
            if extra:
                raise InvalidInput(
                    N_("A copy takes only duplicate, code and title."), "invalid_duplicate"
                )
            form.update({k: command[k] for k in ("code", "title") if k in command})
            if form["code"] == source.code:
                raise InvalidInput(
                    N_("Give the copy a code of its own."), "code_required"
                ).with_details(field="code")
            definition = events.definition_from_form(form)
        else:
            definition = _definition(command)
        event = events.create_event(session, definition, clock=context.clock)
        return Result(_editor_view(event), status=201)


def _editor_view(event: Any) -> dict[str, Any]:
    return {
        "code": event.code,
        "version": event.version,
        "file": events.file_form(event),
        "event": events.event_view(event),
    }


def update_event(context: Context, actor: Actor, command: dict[str, Any]) -> Result:
    """Replace the event's definition, live: the version read must be the current one (else
    409 ``stale_version``); every dashboard and screen gets the new agenda at once."""
    version = command.get("version")
    if isinstance(version, str) and version.isdigit():
        version = int(version)
    if isinstance(version, bool) or not isinstance(version, int):
        raise InvalidInput(
            N_("version is missing: send the version of the event you read."), "missing_version"
        ).with_details(field="version")
    definition = _definition(command)
    with context.session() as session:
        event = events.get_event(session, context.code)
        event, row = events.update_event(
            session, event, definition, version=version, clock=context.clock
        )
        reply = _editor_view(event)
        announce: list[Any] = [EventChanged(reply["event"])]
        if row is not None:
            announce.append(TimerChanged(timer.timer_view(event, row, now=context.clock())))
    runtime.snapshots(context.app).forget(context.code)
    runtime.public_questions(context.app).forget(context.code)
    return Result(reply, announce=announce)


def delete_event(context: Context, actor: Actor, command: Nothing) -> Result:
    """Delete the event and everything in it (questions, votes, screens, invitations)."""
    with context.session() as session:
        event = events.get_event(session, context.code)
        revoked = [i.id for i in invitations.of_event(session, event)]
        events.delete_event(session, event)
    runtime.snapshots(context.app).forget(context.code)
    runtime.public_questions(context.app).forget(context.code)
    return Result({"ok": True}, announce=[AccessRevoked(i) for i in revoked])


def archive_event(context: Context, actor: Actor, command: Archive) -> Result:
    """Archive an event (or bring it back): it leaves the lists of upcoming and past events."""
    with context.session() as session:
        event = events.get_event(session, context.code)
        events.set_archived(session, event, command.archived, clock=context.clock)
        return Result({"code": event.code, "archived": event.archived_ms is not None})


def invite(context: Context, actor: Actor, command: Invite) -> Result:
    """A new invitation: its link and token, shown this once."""
    assert actor.credential is not None
    with context.session() as session:
        event = events.get_event(session, context.code)
        invitation, token = invitations.create(
            session,
            event,
            role=command.role,
            label=command.label,
            by=actor.credential,
            clock=context.clock,
        )
        view = invitations.invitation_view(invitation)
    url = f"{public_base_url()}/moderate/{context.code}?token={token}"
    return Result({**view, "url": url, "token": token}, status=201)


def list_invitations(context: Context, actor: Actor, command: Nothing) -> Result:
    """The event's invitations (never their tokens), revoked ones included."""
    with context.session() as session:
        event = events.get_event(session, context.code)
        listed = [invitations.invitation_view(i) for i in invitations.of_event(session, event)]
    return Result({"invitations": listed})


def revoke(context: Context, actor: Actor, command: InvitationId) -> Result:
    """Revoke an invitation: its logins end and its open dashboards are disconnected now."""
    with context.session() as session:
        event = events.get_event(session, context.code)
        invitations.revoke(session, event, command.id, clock=context.clock)
    return Result({"ok": True}, announce=[AccessRevoked(command.id)])


def list_audit(context: Context, actor: Actor, command: AuditQuery) -> Result:
    """The event's recent actions by organisers, newest first (``limit``, at most 500)."""
    limit = command.limit
    if isinstance(limit, str):
        limit = int(limit) if limit.isdigit() else -1
    if not 1 <= limit <= 500:
        raise InvalidInput(N_("limit must be a whole number from 1 to 500."), "invalid_limit")
    with context.session() as session:
        event = events.get_event(session, context.code)
        entries = [audit.entry_view(e) for e in audit.recent(session, event, limit=limit)]
    return Result({"entries": entries})


def erase_names(context: Context, actor: Actor, command: Nothing) -> Result:
    """Erase every asker's name and affiliation now (the questions stay)."""
    with context.session() as session:
        event = events.get_event(session, context.code)
        erased = privacy.erase_names(session, event, clock=context.clock)
    runtime.public_questions(context.app).forget(context.code)
    return Result({"erased": erased})


EVENT = "/events/<code>"
ACTIONS = [
    Action("events.list", Nothing, Right.ADMIN, list_events, ("GET", "/events"), None),
    Action("events.create", dict, Right.ADMIN, create_event, ("POST", "/events"), None),
    Action("event.update", dict, Right.MODERATOR, update_event, ("PUT", EVENT), None),
    Action("event.delete", Nothing, Right.ADMIN, delete_event, ("DELETE", EVENT), None),
    Action(
        "event.archive", Archive, Right.ADMIN, archive_event, ("POST", f"{EVENT}/archive"), None
    ),
    Action(
        "invitation.create",
        Invite,
        Right.MODERATOR,
        invite,
        ("POST", f"{EVENT}/invitations"),
        None,
    ),
    Action(
        "invitation.list",
        Nothing,
        Right.MODERATOR,
        list_invitations,
        ("GET", f"{EVENT}/invitations"),
        None,
    ),
    Action(
        "invitation.revoke",
        InvitationId,
        Right.MODERATOR,
        revoke,
        ("DELETE", f"{EVENT}/invitations/<id>"),
        None,
    ),
    Action("audit.list", AuditQuery, Right.MODERATOR, list_audit, ("GET", f"{EVENT}/audit"), None),
    Action(
        "names.erase", Nothing, Right.MODERATOR, erase_names, ("POST", f"{EVENT}/erase-names"), None
    ),
]
