"""Hosted events: installed from event files, looked up by code, settings changed by moderators."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from moderator.core.clock import Clock
from moderator.core.errors import N_, NP_, Conflict, InvalidInput, NotFound, Translator
from moderator.core.event_file import (
    EventDefinition,
    EventFileError,
    EventProblem,
    assign_segment_ids,
    parse_event,
    parse_toml,
    to_form,
)
from moderator.core.languages import localized
from moderator.models import Event, Question, Timer


def install_events(
    session: Session, definitions: Iterable[EventDefinition], *, clock: Clock
) -> None:
    """Store each definition under its code (``--event FILE`` seeds the database), updating the
    agenda of events already stored as long as nobody has edited them in the workspace since
    (after that, the database is the event, and the file only seeded it).

    Settings changed at run time (pre-moderation) are kept across restarts; the file only gives
    the initial value. Several processes may start at once on an empty database: the one whose
    insert loses the race reads the winner's row and carries on.
    """
    definitions = list(definitions)
    try:
        _install(session, definitions, now=clock())
    except IntegrityError:
        session.rollback()
        _install(session, definitions, now=clock())


def _install(session: Session, definitions: list[EventDefinition], *, now: int) -> None:
    for definition in definitions:
        event = session.scalar(select(Event).where(Event.code == definition.code))
        if event is not None and event.version > 1:
            # Edited in the workspace since it was seeded: the database is the event now.
            continue
        definition = assign_segment_ids(
            definition, None if event is None else with_segment_ids(event.spec)
        )
        stored = definition.to_dict()
        if event is None:
            session.add(
                Event(
                    code=definition.code,
                    title=definition.title,
                    definition=stored,
                    premoderation=definition.premoderation,
                    word_filter=list(definition.word_filter),
                    created_ms=now,
                    updated_ms=now,
                )
            )
        elif event.definition != stored or event.title != definition.title:
            event.title = definition.title
            event.definition = stored
            event.updated_ms = now
    session.commit()


def get_event(session: Session, code: object) -> Event:
    """The event with this code, or ``NotFound``."""
    if not isinstance(code, str):
        raise InvalidInput(N_("The event code must be text."), "invalid_event")
    # The definition (agenda, themes, panelists) is loaded only where it is read.
    event = session.scalar(select(Event).where(Event.code == code).options(defer(Event.definition)))
    if event is None:
        raise NotFound(
            N_("There is no event with the code {event}."), "unknown_event", event=repr(code)
        )
    return event


def list_events(session: Session) -> list[Event]:
    """Every hosted event, oldest first."""
    return list(session.scalars(select(Event).order_by(Event.id)))


WORD_FILTER_MAX = 200


class Unchanged(enum.Enum):
    """The type of ``UNCHANGED``: a setting not given, as opposed to one given as None."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED
SETTINGS = ("premoderation", "current_theme", "word_filter")


def update_settings(
    session: Session,
    event: Event,
    *,
    clock: Clock,
    premoderation: bool | None = None,
    current_theme: str | None | Unchanged = UNCHANGED,
    word_filter: list[str] | None = None,
) -> Event:
    """Change the event's live settings; what is not given stays as it is.

    ``premoderation``: whether questions wait for approval. ``current_theme``: a theme key, or
    None for none. ``word_filter``: words or phrases that send a question to review even when
    pre-moderation is off (replaces the list; blank entries are dropped, spaces collapsed).
    """
    if current_theme is not UNCHANGED and current_theme is not None:
        keys = theme_keys(event)
        if current_theme not in keys:
            raise InvalidInput(
                N_("Unknown theme {theme}; choose one of: {options}."),
                "unknown_theme",
                theme=repr(current_theme),
                options=", ".join(keys),
            )
    words = None if word_filter is None else _clean_word_filter(word_filter)
    if premoderation is not None and premoderation != event.premoderation:
        event.premoderation = premoderation
        # Part of the event file too: an editor holding the old value must not overwrite it.
        event.version += 1
    if current_theme is not UNCHANGED:
        event.current_theme = current_theme
    if words is not None and words != list(event.word_filter or []):
        event.word_filter = words
        event.version += 1
    event.updated_ms = clock()
    session.commit()
    return event


def _clean_word_filter(words: list[str]) -> list[str]:
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise InvalidInput(N_("word_filter must be a list of words."), "invalid_word_filter")
    cleaned = sorted({" ".join(w.split()) for w in words if w.strip()}, key=str.casefold)
    if len(cleaned) > WORD_FILTER_MAX or any(len(w) > 60 for w in cleaned):
        raise InvalidInput(
            NP_(
                "word_filter takes at most {n} entry of 60 characters.",
                "word_filter takes at most {n} entries of 60 characters.",
            ),
            "invalid_word_filter",
            n=WORD_FILTER_MAX,
        )
    return cleaned


def settings_view(event: Event) -> dict[str, Any]:
    """The live settings, as moderators see them."""
    return {
        "premoderation": event.premoderation,
        "current_theme": event.current_theme,
        "word_filter": list(event.word_filter or []),
    }


def event_view(event: Event) -> dict[str, Any]:
    """What anyone may know about the event: agenda, themes with guiding questions, panelists;
    its texts in its own ``language``, with their translations (``*_translations``)."""
    data = event.spec.to_dict()
    return {
        "code": event.code,
        "title": event.title,
        **{
            key: data[key]
            for key in (
                "language",
                "title_translations",
                "subtitle",
                "subtitle_translations",
                "date",
                "start",
                "timezone",
                "format",
                "venue",
                "organisers",
                "themes",
                "segments",
            )
        },
        # Names and roles only: a group declared for the speaking-time balance (gender,
        # region) is for the event's staff (``core/speaking.py``), not for the public.
        "moderator": None if data["moderator"] is None else _public_person(data["moderator"]),
        "panelists": [_public_person(p) for p in data["panelists"]],
        "premoderation": event.premoderation,
        "current_theme": event.current_theme,
    }


def _public_person(person: dict[str, Any]) -> dict[str, Any]:
    return {"name": person["name"], "role": person["role"]}


def localized_view(view: dict[str, Any], lang: str) -> dict[str, Any]:
    """``event_view`` as a page in ``lang`` shows it: the title, subtitle, segment and theme
    titles and guiding questions in ``lang`` where the event file gives them, else in the event's
    language, each with the language it is in (``title_lang``, ``subtitle_lang``; a guiding
    question is ``{"text", "lang"}``), so that the page can mark text not in its own language.
    The translations themselves are left out."""
    default = view["language"]

    def pick(item: dict[str, Any], key: str) -> dict[str, str]:
        text, text_lang = localized(item[key], item[f"{key}_translations"], lang, default)
        return {key: text, f"{key}_lang": text_lang}

    def theme(item: dict[str, Any]) -> dict[str, Any]:
        translations = item["question_translations"] or [{}] * len(item["questions"])
        questions = [
            dict(zip(("text", "lang"), localized(text, others, lang, default), strict=True))
            for text, others in zip(item["questions"], translations, strict=True)
        ]
        return {**_untranslated(item), **pick(item, "title"), "questions": questions}

    return {
        **_untranslated(view),
        **pick(view, "title"),
        **pick(view, "subtitle"),
        "themes": [theme(t) for t in view["themes"]],
        "segments": [{**_untranslated(s), **pick(s, "title")} for s in view["segments"]],
    }


def _untranslated(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if not key.endswith("_translations")}


def theme_keys(event: Event) -> tuple[str, ...]:
    """The keys a question of this event may be tagged with."""
    return tuple(theme.key for theme in event.spec.themes)


@dataclass(frozen=True)
class EventSnapshot:
    """The event's settings as read at one moment: what every submission checks."""

    id: int
    code: str
    premoderation: bool
    word_filter: tuple[str, ...]
    theme_keys: tuple[str, ...]
    # The language the event's texts are written in: a page's language when nothing else says.
    language: str


def snapshot_of(event: Event) -> EventSnapshot:
    """What a submission needs to know of the event, as it is now."""
    return EventSnapshot(
        id=event.id,
        code=event.code,
        premoderation=event.premoderation,
        word_filter=tuple(event.word_filter or ()),
        theme_keys=theme_keys(event),
        language=event.spec.language,
    )


class Snapshots:
    """What a submission needs to know about its event, re-read from the database at most once
    a second: a burst of submissions does not reload the event each time. A setting changed on
    this process applies at once (``forget``); one changed on another process within a second.
    """

    def __init__(self, ttl_ms: int = 1000):
        self.ttl_ms = ttl_ms
        self._copies: dict[str, tuple[int, EventSnapshot]] = {}

    def get(self, session: Session, code: object, *, clock: Clock) -> EventSnapshot:
        """The event's current settings, from a copy at most ``ttl_ms`` old."""
        now = clock()
        cached = self._copies.get(code) if isinstance(code, str) else None
        if cached is not None and now - cached[0] < self.ttl_ms:
            return cached[1]
        event = get_event(session, code)
        copy = snapshot_of(event)
        self._copies[event.code] = (now, copy)
        return copy

    def peek(self, code: str, *, now: int) -> EventSnapshot | None:
        """The copy of the event's settings if one is fresh enough, without the database."""
        cached = self._copies.get(code)
        if cached is not None and now - cached[0] < self.ttl_ms:
            return cached[1]
        return None

    def forget(self, code: str) -> None:
        """Drop the copy of an event whose settings just changed here."""
        self._copies.pop(code, None)


# --- The organiser's workspace: events created, edited, archived and deleted ---------------------


def with_segment_ids(definition: EventDefinition) -> EventDefinition:
    """``definition`` with every segment's id (stored events seeded before ids existed get
    ``s1``..``sN`` in order, the same every time they are read)."""
    if all(segment.id for segment in definition.segments):
        return definition
    return assign_segment_ids(definition, None)


def definition_from_form(form: object, *, source: str = "") -> EventDefinition:
    """Check the JSON form of an event file (what its TOML parses to) with the file's own rules;
    a problem is refused naming its place (``field``), e.g. ``segments[2].minutes``."""
    if not isinstance(form, dict):
        raise InvalidInput(N_("Send the event as a JSON object."), "invalid_body")
    try:
        return parse_event(form, source=source)
    except EventProblem as problem:
        raise _refusal(problem) from None


def definition_from_toml(text: str) -> EventDefinition:
    """Check an event file sent as TOML (an upload, or ``PUT`` with ``application/toml``)."""
    try:
        return parse_toml(text)
    except EventProblem as problem:
        raise _refusal(problem) from None
    except EventFileError as exc:
        raise InvalidInput(
            N_("This is not a valid event file: {problem}"), "invalid_event_file", problem=str(exc)
        ) from None


class EventProblemRefused(InvalidInput):
    """A problem of an event's content, in the asker's language after its place (a program
    identifier, like ``segments[2].minutes``, also given as ``field``)."""

    def __init__(self, *, problem: EventProblem) -> None:
        # The template is the parser's own (marked there), checked where it is raised.
        self.place = problem.place
        super().__init__(problem.template, "invalid_event", **problem.params)
        self.with_details(field=problem.place)

    def render(self, translator: Translator) -> str:
        problem = super().render(translator)
        return f"{self.place}: {problem}" if self.place else problem


def _refusal(problem: EventProblem) -> InvalidInput:
    return EventProblemRefused(problem=problem)


def current_definition(event: Event) -> EventDefinition:
    """The event as its file would say it now: the stored agenda with the live settings the
    moderators change during the session (pre-moderation, the word filter)."""
    return replace(
        with_segment_ids(event.spec),
        premoderation=event.premoderation,
        word_filter=tuple(event.word_filter or ()),
    )


def file_form(event: Event) -> dict[str, Any]:
    """The JSON form of the event's file, as the editor loads it and ``PUT`` takes it back."""
    return to_form(current_definition(event))


def create_event(session: Session, definition: EventDefinition, *, clock: Clock) -> Event:
    """Store a new event; ``event_exists`` when its code is taken."""
    definition = assign_segment_ids(definition, None)
    taken = session.scalar(select(Event.id).where(Event.code == definition.code))
    if taken is not None:
        raise _code_taken(definition.code)
    now = clock()
    event = Event(
        code=definition.code,
        title=definition.title,
        definition=definition.to_dict(),
        premoderation=definition.premoderation,
        word_filter=list(definition.word_filter),
        created_ms=now,
        updated_ms=now,
        version=1,
    )
    session.add(event)
    try:
        session.commit()
    except IntegrityError:  # created by someone else at the same moment
        session.rollback()
        raise _code_taken(definition.code) from None
    return event


def _code_taken(code: str) -> Conflict:
    return Conflict(
        N_("There is already an event with the code {event}; choose another."),
        "event_exists",
        event=repr(code),
    )


def update_event(
    session: Session,
    event: Event,
    definition: EventDefinition,
    *,
    version: int,
    clock: Clock,
) -> tuple[Event, Timer | None]:
    """Replace the event's definition, if ``version`` is the one stored (else ``stale_version``,
    with the current one): the agenda, themes, texts and the settings the file holds. The
    timer follows its segment wherever it moved (``timer.follow_agenda``); the running segment
    cannot be removed. Returns the event and its timer, if it has one."""
    from moderator.core import timer as timers  # the timer reads events: imported here

    if definition.code != event.code:
        raise InvalidInput(
            N_("The code of an event cannot change; duplicate it under the new code instead."),
            "code_changed",
        ).with_details(field="code")
    old = with_segment_ids(event.spec)
    definition = assign_segment_ids(definition, old)
    row = session.get(Timer, event.id)
    if row is not None:
        timers.follow_agenda(row, old, definition, now=clock())
    keys = {theme.key for theme in definition.themes}
    now = clock()
    result = session.execute(
        update(Event)
        .where(Event.id == event.id, Event.version == version)
        .values(
            title=definition.title,
            definition=definition.to_dict(),
            premoderation=definition.premoderation,
            word_filter=list(definition.word_filter),
            current_theme=event.current_theme if event.current_theme in keys else None,
            version=Event.version + 1,
            updated_ms=now,
        )
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        session.rollback()
        current = session.scalar(select(Event.version).where(Event.id == event.id))
        raise Conflict(
            N_(
                "Someone else saved this event since you opened it (version {current}); load "
                "their version, then make your change again."
            ),
            "stale_version",
            current=current,
        ).with_details(version=current)
    timers.commit_clock(session)  # the clock changed since it was read: a conflict
    session.refresh(event)
    if row is not None:
        session.refresh(row)
    return event, row


def delete_event(session: Session, event: Event) -> None:
    """Delete the event with its questions, votes, timer, screens, invitations and trail."""
    session.delete(event)
    session.commit()


def set_archived(session: Session, event: Event, archived: bool, *, clock: Clock) -> Event:
    """Archive the event (out of the lists of upcoming and past events) or bring it back."""
    if archived and event.archived_ms is None:
        event.archived_ms = clock()
    elif not archived:
        event.archived_ms = None
    session.commit()
    return event


def status_of(event: Event, timer: Timer | None, *, now: int) -> str:
    """``archived``; ``live`` while its clock runs (or is paused on its day); else ``upcoming``
    or ``past`` by its date in its own time zone (an event without a date is upcoming)."""
    if event.archived_ms is not None:
        return "archived"
    spec = event.spec
    today = datetime.fromtimestamp(now / 1000, ZoneInfo(spec.timezone)).date()
    day = date.fromisoformat(spec.date) if spec.date else None
    # A clock left paused after the session is not a live event days later.
    state = timer.state if timer is not None else "idle"
    if state == "running" or (state == "paused" and day in (None, today)):
        return "live"
    if day is None:
        return "upcoming"
    return "past" if day < today else "upcoming"


def workspace_list(session: Session, *, now: int) -> list[dict[str, Any]]:
    """Every event as the administrator's list shows it, soonest first within each status."""
    counts = dict(
        session.execute(select(Question.event_id, func.count()).group_by(Question.event_id)).all()
    )
    timers = {t.event_id: t for t in session.scalars(select(Timer))}
    rows = []
    for event in list_events(session):
        spec = event.spec
        rows.append(
            {
                "code": event.code,
                "title": event.title,
                "date": spec.date,
                "start": spec.start,
                "timezone": spec.timezone,
                "language": spec.language,
                "status": status_of(event, timers.get(event.id), now=now),
                "version": event.version,
                "questions": counts.get(event.id, 0),
            }
        )
    rows.sort(key=lambda r: (r["date"] or "9999", r["start"] or "", r["code"]))
    return rows
