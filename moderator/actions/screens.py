"""Pairing room screens and stage monitors: a page counts as a screen (listed, reporting its
clock) only once a moderator has accepted the code it shows, under the name the moderator
gives; renaming and removing them."""

from __future__ import annotations

from dataclasses import dataclass

from moderator.actions.base import Action, Actor, Context, Result, Right
from moderator.core import events, screens
from moderator.fanout import ScreenPaired, ScreensChanged, ScreenUnpaired


@dataclass(frozen=True)
class Pair:
    code: str
    label: str


@dataclass(frozen=True)
class Rename:
    screen_id: str
    label: str


@dataclass(frozen=True)
class Remove:
    screen_id: str


def pair(context: Context, actor: Actor, command: Pair) -> Result:
    """Pair the waiting screen that shows this code, under the name given; the screen is told
    at once (and given its secret token) and starts reporting."""
    with context.session() as session:
        event = events.get_event(session, context.code)
        screen, token = screens.pair_screen(
            session, event, code=command.code, label=command.label, clock=context.clock
        )
        view = screens.screen_view(screen)
        listed = screens.screen_views(session, event)
    return Result(
        {"screen": view},
        announce=[ScreenPaired(view["screen_id"], view["label"], token), ScreensChanged(listed)],
    )


def rename(context: Context, actor: Actor, command: Rename) -> Result:
    """Give a paired screen another name."""
    with context.session() as session:
        event = events.get_event(session, context.code)
        screen = screens.rename_screen(
            session, event, screen_id=command.screen_id, label=command.label
        )
        view = screens.screen_view(screen)
        listed = screens.screen_views(session, event)
    return Result({"screen": view}, announce=[ScreensChanged(listed)])


def remove(context: Context, actor: Actor, command: Remove) -> Result:
    """Unlist and unpair a screen: its token stops working and it shows a pairing code again."""
    with context.session() as session:
        event = events.get_event(session, context.code)
        screens.remove_screen(session, event, screen_id=command.screen_id, clock=context.clock)
        listed = screens.screen_views(session, event)
    return Result(
        {"ok": True},
        announce=[ScreenUnpaired(command.screen_id), ScreensChanged(listed)],
    )


ACTIONS = [
    Action(
        name="screen.pair",
        command=Pair,
        right=Right.PAIRING,
        handler=pair,
        http=("POST", "/events/<code>/screens/pair"),
        message="screens",
        selector=("action", "pair"),
    ),
    Action(
        name="screen.rename",
        command=Rename,
        right=Right.PAIRING,
        handler=rename,
        http=("POST", "/events/<code>/screens/rename"),
        message="screens",
        selector=("action", "rename"),
    ),
    Action(
        name="screen.remove",
        command=Remove,
        right=Right.PAIRING,
        handler=remove,
        http=("POST", "/events/<code>/screens/remove"),
        message="screens",
        selector=("action", "remove"),
    ),
]
