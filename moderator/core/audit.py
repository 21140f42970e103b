"""The audit trail: every action of the administrator, a moderator or a timekeeper, with who (the
label of the access they used), what and when. Askers' personal data never goes in it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator.core.access import Credential
from moderator.models import AuditEntry, Event

# Fields of a command that are an asker's personal data or a secret: never recorded.
_LEFT_OUT = frozenset({"name", "affiliation", "token", "screen_token", "client_id"})
_TEXT_MAX = 120
_ITEMS_MAX = 20


def record(
    session: Session,
    event: Event,
    credential: Credential,
    action: str,
    detail: dict[str, Any],
    *,
    now: int,
) -> AuditEntry:
    """Add one entry (committed by the caller's ``session.commit()``)."""
    entry = AuditEntry(
        event_id=event.id,
        at_ms=now,
        who=credential.label[:80],
        role=credential.role,
        action=action[:40],
        detail=shorten(detail),
    )
    session.add(entry)
    return entry


def shorten(detail: dict[str, Any]) -> dict[str, Any]:
    """What of a command the trail keeps: short values, no personal data, no secrets."""
    return {
        key: _short(value)
        for key, value in detail.items()
        if key not in _LEFT_OUT and value is not None
    }


def _short(value: Any) -> Any:
    if isinstance(value, str):
        return value if len(value) <= _TEXT_MAX else value[: _TEXT_MAX - 1] + "…"
    if isinstance(value, list | tuple):
        return [_short(item) for item in value[:_ITEMS_MAX]]
    if isinstance(value, dict):
        return {"keys": len(value)}
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)[:_TEXT_MAX]


def recent(session: Session, event: Event, *, limit: int = 50) -> list[AuditEntry]:
    """The event's newest entries, newest first."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.event_id == event.id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )


def entry_view(entry: AuditEntry) -> dict[str, Any]:
    """One entry as the dashboard and the exports show it."""
    return {
        "id": entry.id,
        "at_ms": entry.at_ms,
        "who": entry.who,
        "role": entry.role,
        "action": entry.action,
        "detail": entry.detail,
    }
