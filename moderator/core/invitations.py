"""Invitations: a link that gives one role (moderator, timekeeper, screens) on one event, made,
labelled and revoked by the administrator or the event's moderator. The token is shown once;
only its hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from moderator.core.access import INVITED_ROLES, Credential
from moderator.core.clock import Clock
from moderator.core.errors import N_, InvalidInput, NotFound
from moderator.core.event_file import is_plain_line
from moderator.models import Event, Invitation, Login

LABEL_MAX = 80
# Per event; enough for every volunteer of a conference, few enough to list on one screen.
INVITATIONS_MAX = 200


def token_hash(token: str) -> str:
    """How a token is stored: its SHA-256, so the database never holds it."""
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    session: Session, event: Event, *, role: str, label: str, by: Credential, clock: Clock
) -> tuple[Invitation, str]:
    """A new invitation and its token (shown once)."""
    if role not in INVITED_ROLES:
        raise InvalidInput(
            N_("role must be one of: {options}."), "invalid_role", options=", ".join(INVITED_ROLES)
        )
    label = " ".join(label.split())
    if not label:
        raise InvalidInput(
            N_("Give the invitation a label, such as 'Back of room'."), "missing_label"
        )
    if len(label) > LABEL_MAX or not is_plain_line(label):
        raise InvalidInput(
            N_("The label must be at most {n} characters of plain text."),
            "invalid_label",
            n=LABEL_MAX,
        )
    count = len(list(session.scalars(select(Invitation.id).where(Invitation.event_id == event.id))))
    if count >= INVITATIONS_MAX:
        raise InvalidInput(
            N_("This event has {n} invitations already; revoke some first."),
            "too_many_invitations",
            n=INVITATIONS_MAX,
        )
    token = secrets.token_urlsafe(24)
    invitation = Invitation(
        id=secrets.token_hex(6),
        event_id=event.id,
        role=role,
        label=label,
        token_hash=token_hash(token),
        created_ms=clock(),
        created_by=by.label[:80],
        revoked_ms=None,
    )
    session.add(invitation)
    session.commit()
    return invitation, token


def of_event(session: Session, event: Event) -> list[Invitation]:
    """The event's invitations, oldest first, revoked ones included."""
    return list(
        session.scalars(
            select(Invitation)
            .where(Invitation.event_id == event.id)
            .order_by(Invitation.created_ms, Invitation.id)
        )
    )


def revoke(session: Session, event: Event, invitation_id: str, *, clock: Clock) -> list[str]:
    """Revoke an invitation of this event (again is fine); the ids of the browser logins that
    used it, which end with it."""
    invitation = session.scalar(
        select(Invitation).where(Invitation.id == invitation_id, Invitation.event_id == event.id)
    )
    if invitation is None:
        raise NotFound(
            N_("This event has no invitation {id}."), "unknown_invitation", id=repr(invitation_id)
        )
    now = clock()
    if invitation.revoked_ms is None:
        invitation.revoked_ms = now
    logins = list(session.scalars(select(Login.id).where(Login.invitation_id == invitation.id)))
    session.execute(
        update(Login)
        .where(Login.invitation_id == invitation.id, Login.revoked_ms.is_(None))
        .values(revoked_ms=now)
    )
    session.commit()
    return logins


def invitation_view(invitation: Invitation) -> dict[str, Any]:
    """An invitation as the access panel lists it (never its token)."""
    return {
        "id": invitation.id,
        "role": invitation.role,
        "label": invitation.label,
        "created_ms": invitation.created_ms,
        "created_by": invitation.created_by,
        "revoked_ms": invitation.revoked_ms,
    }
