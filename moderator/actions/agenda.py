"""The agenda timer, the screens' display, the event's live settings and the screens' reports."""

from __future__ import annotations

from dataclasses import dataclass

from moderator import runtime
from moderator.actions.base import UNSET, Action, Actor, Context, Handler, Result, Right, Unset
from moderator.core import events, screens, timer
from moderator.fanout import DisplayChanged, ScreensChanged, SettingsChanged, TimerChanged


@dataclass(frozen=True)
class TimerArgs:
    seconds: float | None = None
    index: int | None = None
    enabled: bool | None = None


@dataclass(frozen=True)
class DisplayArgs:
    text: str | None = None
    on: bool | None = None


@dataclass(frozen=True)
class Settings:
    STRICT = True
    UNKNOWN = "unknown_setting"

    premoderation: bool | Unset = UNSET
    current_theme: str | None | Unset = UNSET
    word_filter: list[str] | Unset = UNSET


@dataclass(frozen=True)
class ScreenReport:
    offset_ms: float | None = None
    rtt_ms: float | None = None
    # The secret the screen was given when a moderator paired it.
    screen_token: str | None = None


def _timer_command(name: str) -> Handler:
    def handler(context: Context, actor: Actor, command: TimerArgs) -> Result:
        core_command = timer.TimerCommand(
            action=name, seconds=command.seconds, index=command.index, enabled=command.enabled
        )
        with context.session() as session:
            event = events.get_event(session, context.code)
            row = timer.apply(session, event, core_command, clock=context.clock)
            view = timer.timer_view(event, row, now=context.clock())
        return Result(view, announce=[TimerChanged(view)])

    handler.__doc__ = f"Timer: {name}."
    return handler


def _display_command(name: str) -> Handler:
    def handler(context: Context, actor: Actor, command: DisplayArgs) -> Result:
        with context.session() as session:
            event = events.get_event(session, context.code)
            display = screens.apply_display(
                session, event, action=name, text=command.text, on=command.on, clock=context.clock
            )
            view = screens.display_view(display)
        return Result(view, announce=[DisplayChanged(view)])

    handler.__doc__ = f"Screens: {name}."
    return handler


def settings(context: Context, actor: Actor, command: Settings) -> Result:
    """Change live settings: pre-moderation, the current theme, the word filter."""
    given = {k: v for k, v in vars(command).items() if v is not UNSET}
    with context.session() as session:
        event = events.get_event(session, context.code)
        events.update_settings(session, event, clock=context.clock, **given)
        view = events.settings_view(event)
        reply = {**events.event_view(event), **view}
    # This process's submissions see the change at once; others within a second.
    runtime.snapshots(context.app).forget(context.code)
    return Result(reply, announce=[SettingsChanged(view)])


def screen_report(context: Context, actor: Actor, command: ScreenReport) -> Result:
    """A paired screen's measured clock offset and round trip (with its token); an unpaired
    screen is refused ``not_paired``."""
    assert actor.screen is not None
    with context.session() as session:
        event = events.get_event(session, context.code)
        screens.report_screen(
            session,
            event,
            screen_id=actor.screen.screen_id,
            token=command.screen_token,
            offset_ms=command.offset_ms,
            rtt_ms=command.rtt_ms,
            clock=context.clock,
        )
        listed = screens.screen_views(session, event)
    return Result({"ok": True}, announce=[ScreensChanged(listed)])


ACTIONS = [
    *(
        Action(
            name=f"timer.{name}",
            command=TimerArgs,
            right=Right.CLOCK,
            handler=_timer_command(name),
            http=("POST", "/events/<code>/timer"),
            message="timer",
            selector=("action", name),
        )
        for name in timer.ACTIONS
    ),
    *(
        Action(
            name=f"display.{name}",
            command=DisplayArgs,
            right=Right.CLOCK,
            handler=_display_command(name),
            http=("POST", "/events/<code>/display"),
            message="display",
            selector=("action", name),
        )
        for name in screens.DISPLAY_ACTIONS
    ),
    Action(
        name="settings",
        command=Settings,
        right=Right.MODERATOR,
        handler=settings,
        http=("PATCH", "/events/<code>"),
        message="settings",
    ),
    Action(
        name="screen_report",
        command=ScreenReport,
        right=Right.SCREEN,
        handler=screen_report,
        http=("POST", "/events/<code>/screens/report"),
        message="screen_report",
        limit="screen_report",
    ),
]
