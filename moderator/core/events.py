"""Hosted events: installed from event files, looked up by code, settings changed by moderators."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from moderator.core.clock import Clock
from moderator.core.errors import N_, NP_, InvalidInput, NotFound
from moderator.core.event_file import EventDefinition
from moderator.core.languages import localized
from moderator.models import Event


def install_events(
    session: Session, definitions: Iterable[EventDefinition], *, clock: Clock
) -> None:
    """Store each definition under its code, updating the agenda of events already stored.

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
    if premoderation is not None:
        event.premoderation = premoderation
    if current_theme is not UNCHANGED:
        event.current_theme = current_theme
    if words is not None:
        event.word_filter = words
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
                "moderator",
                "panelists",
                "themes",
                "segments",
            )
        },
        "premoderation": event.premoderation,
        "current_theme": event.current_theme,
    }


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
