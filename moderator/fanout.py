"""Who receives what: the one place that turns a change into Socket.IO messages.

Rooms, per event:
- ``<code>:public`` on ``/``: attendees and room screens; approved, live and answered questions.
- ``<code>:client:<client_id>`` on ``/``: one attendee's own questions, whatever their status.
- ``<code>:screens`` on ``/``: room screens and stage monitors; the timer, the display and who
  has the floor.
- ``<code>:screen:<screen_id>`` on ``/``: one screen's page, told when it is paired (with its
  secret token) or unpaired.
- ``<code>:moderators`` on ``/mod``: moderators and timekeepers (whose access includes reading
  the queue); every question with every detail, the timer,
  the display, the list of screens, the overview (suggested next question, theme coverage) and
  the speaking-time balance.
- ``<code>:pairing`` on ``/mod``: dashboards opened with a ``screens`` invitation; the list of
  screens, the timer and the display, never the questions.
- ``login:<id>`` on ``/mod``: the dashboards of one login, told when it ends.
- ``invitation:<id>`` on ``/mod``: the dashboards opened with one invitation, told when it is
  revoked.

Attendee pages are not in the screens room: thousands of phones need no timer messages.

Actions return typed announcements; ``announce`` sends each, built once per change and never
per recipient. Vote counts are not sent here per vote: the app's vote relay
(``moderator/tasks.py``) coalesces them and calls ``send_votes``. With a message queue configured,
``socketio.emit`` reaches the rooms on every server process; while the queue is unreachable, only
this process's (``moderator/message_queue.py``), and ``resync_everyone`` makes up for it after.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask

from moderator import runtime
from moderator.core import events, questions, screens, timer, votes
from moderator.core.questions import (
    PUBLIC_STATUSES,
    Change,
    moderator_view,
    owner_view,
    public_view,
)
from moderator.core.votes import Tally
from moderator.extensions import socketio

ATTENDEE_NAMESPACE = "/"
MODERATOR_NAMESPACE = "/mod"


def public_room(code: str) -> str:
    return f"{code}:public"


def client_room(code: str, client_id: str) -> str:
    return f"{code}:client:{client_id}"


def moderators_room(code: str) -> str:
    return f"{code}:moderators"


def screens_room(code: str) -> str:
    return f"{code}:screens"


def screen_room(code: str, screen_id: str) -> str:
    return f"{code}:screen:{screen_id}"


def login_room(login_id: str) -> str:
    return f"login:{login_id}"


def invitation_room(invitation_id: str) -> str:
    return f"invitation:{invitation_id}"


def pairing_room(code: str) -> str:
    return f"{code}:pairing"


# --- What actions announce -----------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionsChanged:
    """Questions after an action (a new one, or every one an action changed)."""

    changes: tuple[Change, ...]


@dataclass(frozen=True)
class VotesChanged:
    """A question's vote count changed; the vote relay sends counts a few times a second."""

    question_id: int


@dataclass(frozen=True)
class SettingsChanged:
    """The event's live settings, as moderators see them, and the current theme."""

    settings: dict[str, Any]


@dataclass(frozen=True)
class TimerChanged:
    """The timer's new state (the view every screen renders from)."""

    view: dict[str, Any]


@dataclass(frozen=True)
class DisplayChanged:
    """Blackout, the message to the speakers and the last flash."""

    view: dict[str, Any]


@dataclass(frozen=True)
class ScreensChanged:
    """The list of screens, with their offsets and last contact."""

    screens: list[dict[str, Any]]


@dataclass(frozen=True)
class ScreenPaired:
    """A moderator paired a screen: its page gets its name and its secret token, once."""

    screen_id: str
    label: str
    token: str


@dataclass(frozen=True)
class ScreenUnpaired:
    """A moderator removed a screen: its page shows a pairing code again."""

    screen_id: str


@dataclass(frozen=True)
class EventChanged:
    """The event's definition was edited (agenda, themes, texts): its public view, to every page."""

    view: dict[str, Any]


@dataclass(frozen=True)
class SpeakingChanged:
    """Who has the floor changed, or an interval was corrected: the whole balance to
    dashboards, only the current speaker to room screens and stage monitors."""

    view: dict[str, Any]
    stage: dict[str, Any]


@dataclass(frozen=True)
class AccessRevoked:
    """An invitation was revoked (or its event deleted): its dashboards are told and closed."""

    invitation_id: str


Announcement = (
    QuestionsChanged
    | VotesChanged
    | SettingsChanged
    | TimerChanged
    | DisplayChanged
    | ScreensChanged
    | ScreenPaired
    | ScreenUnpaired
    | EventChanged
    | SpeakingChanged
    | AccessRevoked
)


def announce(app: Flask, code: str, items: Iterable[Announcement]) -> None:
    """Send what an action changed to whoever may see it."""
    for item in items:
        if isinstance(item, QuestionsChanged):
            # Resyncs and look-ups on this process read the published questions again.
            runtime.public_questions(app).forget(code)
            question_changes(code, item.changes)
            runtime.vote_relay(app).overview_changed(code)
        elif isinstance(item, VotesChanged):
            runtime.vote_relay(app).changed(code, item.question_id)
        elif isinstance(item, SettingsChanged):
            _to_moderators(code, "settings", item.settings)
            runtime.vote_relay(app).overview_changed(code)
            socketio.emit(
                "current_theme",
                {"current_theme": item.settings["current_theme"]},
                to=public_room(code),
                namespace=ATTENDEE_NAMESPACE,
            )
        elif isinstance(item, TimerChanged):
            # Screens count down by themselves until the next change.
            _to_screens_and_moderators(code, "timer", item.view)
            runtime.timer_tasks(app).schedule_auto_advance(code, item.view)
        elif isinstance(item, DisplayChanged):
            _to_screens_and_moderators(code, "display", item.view)
        elif isinstance(item, ScreenPaired):
            socketio.emit(
                "paired",
                {"screen_id": item.screen_id, "label": item.label, "screen_token": item.token},
                to=screen_room(code, item.screen_id),
                namespace=ATTENDEE_NAMESPACE,
            )
        elif isinstance(item, EventChanged):
            for room, namespace in (
                (public_room(code), ATTENDEE_NAMESPACE),
                (screens_room(code), ATTENDEE_NAMESPACE),
                (moderators_room(code), MODERATOR_NAMESPACE),
                (pairing_room(code), MODERATOR_NAMESPACE),
            ):
                socketio.emit("event", item.view, to=room, namespace=namespace)
        elif isinstance(item, SpeakingChanged):
            _to_moderators(code, "speaking", item.view)
            socketio.emit(
                "speaker", item.stage, to=screens_room(code), namespace=ATTENDEE_NAMESPACE
            )
        elif isinstance(item, AccessRevoked):
            socketio.emit(
                "logged_out",
                {},
                to=invitation_room(item.invitation_id),
                namespace=MODERATOR_NAMESPACE,
            )
            # This process's dashboards now; the others' within a second (``LoginWatch``).
            runtime.of(app).login_watch.revoked(item.invitation_id)
        elif isinstance(item, ScreenUnpaired):
            socketio.emit(
                "unpaired",
                {"screen_id": item.screen_id},
                to=screen_room(code, item.screen_id),
                namespace=ATTENDEE_NAMESPACE,
            )
        else:
            _to_moderators(code, "screens", item.screens)
            socketio.emit(
                "screens", item.screens, to=pairing_room(code), namespace=MODERATOR_NAMESPACE
            )


def question_changes(code: str, changes: Iterable[Change]) -> None:
    """Send the changed questions to moderators, to the public those that are (or were) public,
    and to each author theirs. One action that changes two questions (a new one on screen, the
    previous one back in the queue) is one message per recipient, not two."""
    changes = list(changes)
    _emit_each(
        [moderator_view(c.question) for c in changes], moderators_room(code), MODERATOR_NAMESPACE
    )
    _emit_each(
        [public_view(c.question) for c in changes if c.question.status in PUBLIC_STATUSES],
        public_room(code),
        ATTENDEE_NAMESPACE,
    )
    for change in changes:
        question = change.question
        if change.was_public and question.status not in PUBLIC_STATUSES:
            socketio.emit(
                "question_removed",
                # Its version: a late message from before it was withdrawn does not bring it back.
                {"id": question.id, "version": public_view(question)["version"]},
                to=public_room(code),
                namespace=ATTENDEE_NAMESPACE,
            )
        socketio.emit(
            "my_question",
            owner_view(question),
            to=client_room(code, question.client_id),
            namespace=ATTENDEE_NAMESPACE,
        )


def send_votes(code: str, tallies: dict[int, Tally], split: dict[int, dict[str, int]]) -> None:
    """Vote counts to attendees, with each question's public version (a page keeps a count only
    if it is newer than what it shows); with the split by origin to moderators."""
    public = {
        "counts": {qid: tally.votes for qid, tally in tallies.items()},
        "versions": {qid: tally.version for qid, tally in tallies.items()},
    }
    socketio.emit("votes", public, to=public_room(code), namespace=ATTENDEE_NAMESPACE)
    _to_moderators(code, "votes", {**public, "split": split})


def send_overview(code: str, overview: dict[str, Any]) -> None:
    """The suggested next question and the theme coverage (``moderator/core/overview.py``), to
    moderators; sent by the vote relay, coalesced like vote counts."""
    _to_moderators(code, "overview", overview)


def logged_out(login_id: str) -> None:
    """Tell the dashboards of a login that ended (they are also disconnected, see
    ``moderator/sockets/moderation.py``)."""
    socketio.emit("logged_out", {}, to=login_room(login_id), namespace=MODERATOR_NAMESPACE)


def catch_up(app: Flask, spread_ms: int) -> None:
    """After messages between processes were lost (the message queue is back): this process's
    pages get what they show in common at once (``resend_state``), then each its own resync."""
    try:
        resend_state(app)
    finally:
        resync_everyone(spread_ms)


def resend_state(app: Flask) -> None:
    """What the pages of each event show in common, read from the database and sent to this
    process's pages only (every process sends its own): the published questions with their votes
    and the current theme to attendees and screens; the timer and the display to screens and
    moderators; every question, the vote split and the settings to moderators. One message per
    room, however many pages: what is personal (one's own questions and votes) or gone (a
    question no longer public) comes with each page's own resync."""
    clock = runtime.clock(app)
    with runtime.database(app).session() as s:
        for event in events.list_events(s):
            code = event.code
            public = [public_view(q) for q in questions.public_questions(s, event)]
            # A dashboard's own sync comes in pages (``SYNC_PAGE_SIZE``): past one page's worth,
            # the moderators get their questions from it, not in one message here.
            page = app.config["SYNC_PAGE_SIZE"]
            listed = questions.questions_after(s, event, 0, page + 1)
            everything = [moderator_view(q) for q in listed] if len(listed) <= page else []
            settings = events.settings_view(event)
            now = clock()
            timer_now = timer.timer_view(event, timer.get_timer(s, event, clock=clock), now=now)
            display = screens.display_view(screens.get_display(s, event, clock=clock))

            moderators = moderators_room(code)
            if public:
                _here("questions", public, public_room(code), ATTENDEE_NAMESPACE)
            theme = {"current_theme": settings["current_theme"]}
            _here("current_theme", theme, public_room(code), ATTENDEE_NAMESPACE)
            for room, namespace in (
                (screens_room(code), ATTENDEE_NAMESPACE),
                (moderators, MODERATOR_NAMESPACE),
            ):
                _here("timer", timer_now, room, namespace)
                _here("display", display, room, namespace)
            if everything:
                _here("questions", everything, moderators, MODERATOR_NAMESPACE)
                counts = {q["id"]: q["votes"] for q in everything}
                split = votes.split_by_origin(s, event)
                _here("votes", {"counts": counts, "split": split}, moderators, MODERATOR_NAMESPACE)
            _here("settings", settings, moderators, MODERATOR_NAMESPACE)


def _here(message: str, payload: object, room: str, namespace: str) -> None:
    """To this process's members of ``room`` only, not through the message queue."""
    socketio.emit(message, payload, to=room, namespace=namespace, ignore_queue=True)


def resync_everyone(spread_ms: int) -> None:
    """Tell every page connected to this process, and only those, to fetch its state again, each
    at a moment drawn within ``spread_ms``: sent when the message queue between processes is back
    (``moderator/message_queue.py``), since what other processes sent meanwhile was lost. The
    pages run the requests they make after a (re)connection (``everyConnection`` in
    ``static/js/connection.js``); every other process sends its own pages the same."""
    for namespace in (ATTENDEE_NAMESPACE, MODERATOR_NAMESPACE):
        socketio.emit("resync", {"spread_ms": spread_ms}, namespace=namespace, ignore_queue=True)


def _emit_each(payloads: list[dict[str, Any]], room: str, namespace: str) -> None:
    if len(payloads) == 1:
        socketio.emit("question", payloads[0], to=room, namespace=namespace)
    elif payloads:
        socketio.emit("questions", payloads, to=room, namespace=namespace)


def _to_moderators(code: str, message: str, payload: object) -> None:
    socketio.emit(message, payload, to=moderators_room(code), namespace=MODERATOR_NAMESPACE)


def _to_screens_and_moderators(code: str, message: str, payload: object) -> None:
    socketio.emit(message, payload, to=screens_room(code), namespace=ATTENDEE_NAMESPACE)
    _to_moderators(code, message, payload)
    socketio.emit(message, payload, to=pairing_room(code), namespace=MODERATOR_NAMESPACE)
