"""The action layer: every thing a person can do, as one function taking a typed command and an
actor, listed in one registry. HTTP views (``moderator/api``) and Socket.IO handlers
(``moderator/sockets``) are built from this registry; rights and validation live here, once.

- ``questions.py``: submit, vote, similar; every moderator action on a question; reorder; floor.
- ``agenda.py``: timer and display commands, live settings, screen reports.
- ``speaking.py``: who has the floor, and corrections of speaking intervals.
- ``screens.py``: pairing, renaming and removing room screens and stage monitors.
- ``workspace.py``: events created, edited live, archived, deleted; invitations; the audit trail;
  erasing askers' names (HTTP only).
- ``base.py``: ``Actor``, ``Right``, ``Action``, ``Result``, the JSON decoder and ``perform``.
"""

from moderator.actions import agenda, questions, screens, speaking, workspace
from moderator.actions.base import (
    ANONYMOUS,
    Action,
    Actor,
    Result,
    Right,
    ScreenIdentity,
    choose,
    perform,
)

REGISTRY: dict[str, Action] = {
    a.name: a
    for a in (
        *questions.ACTIONS,
        *agenda.ACTIONS,
        *speaking.ACTIONS,
        *screens.ACTIONS,
        *workspace.ACTIONS,
    )
}


def by_route() -> dict[tuple[str, str], list[Action]]:
    """The actions grouped by HTTP method and rule, in registry order."""
    routes: dict[tuple[str, str], list[Action]] = {}
    for action in REGISTRY.values():
        routes.setdefault(action.http, []).append(action)
    return routes


def by_message() -> dict[str, list[Action]]:
    """The actions grouped by Socket.IO message, in registry order."""
    messages: dict[str, list[Action]] = {}
    for action in REGISTRY.values():
        if action.message is not None:
            messages.setdefault(action.message, []).append(action)
    return messages


__all__ = [
    "ANONYMOUS",
    "REGISTRY",
    "Action",
    "Actor",
    "Result",
    "Right",
    "ScreenIdentity",
    "by_message",
    "by_route",
    "choose",
    "perform",
]
