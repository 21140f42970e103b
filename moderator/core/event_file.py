"""Event files: a panel's agenda, guiding themes and panelists, written as TOML by organisers.

``load_event_file`` reads and checks one file and returns an ``EventDefinition``; every mistake is
reported with the file, the place in it and what is wrong, so a typo stops start-up with a message
an organiser can act on.

The dataclasses below are what the core reads (``Event.spec``), and their defaults are the only
statement of each default: the parser and ``from_dict`` fall back to them, never to a copy.

Texts people read (the title and subtitle, segment and theme titles, guiding questions) are written
in the event's ``language`` and may be given in other languages too: each is kept as the text in
the event's language (``title``) beside its translations by language code (``title_translations``),
so that everything reading ``title`` keeps reading one text; ``languages.localized`` picks one.
"""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from dataclasses import MISSING, asdict, dataclass, field, fields
from datetime import date, time
from pathlib import Path
from typing import Any

from moderator.core.languages import DEFAULT_LANGUAGE, LANGUAGES

DEMO_EVENT_FILE = Path(__file__).resolve().parent.parent / "events" / "ssc-2025.toml"
GENERAL_THEME_KEY = "general"
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")
THEME_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
# The theme added to every event that does not define one, in each language.
GENERAL_THEME_TITLES = {
    "ar": "أسئلة عامة",
    "zh": "一般性问题",
    "en": "General",
    "fr": "Questions générales",
    "ru": "Общие вопросы",
    "es": "Preguntas generales",
}


class EventFileError(Exception):
    """An event file cannot be used; the message names the file, the place and the problem."""


@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    label: str = ""
    questions: tuple[str, ...] = ()
    # By language code, in languages other than the event's.
    title_translations: dict[str, str] = field(default_factory=dict)
    # One table per guiding question, in order; empty when none is translated.
    question_translations: tuple[dict[str, str], ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Theme:
        return cls(
            **_known(
                cls,
                data,
                questions=tuple,
                title_translations=dict,
                question_translations=lambda items: tuple(dict(t) for t in items),
            )
        )


@dataclass(frozen=True)
class Segment:
    title: str
    duration_s: int
    # Stable within the event, so that a live edit that reorders or removes segments keeps the
    # running clock on its segment; given by the server when the file leaves it out.
    id: str = ""
    speakers: tuple[str, ...] = ()
    notes: str = ""
    # The countdown turns to the warning colour at warning_s left, to danger at danger_s left.
    warning_s: int = 120
    danger_s: int = 0
    title_translations: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        return cls(**_known(cls, data, speakers=tuple, title_translations=dict))


@dataclass(frozen=True)
class Person:
    name: str
    role: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Person:
        return cls(**_known(cls, data))


@dataclass(frozen=True)
class EventDefinition:
    code: str
    title: str
    themes: tuple[Theme, ...]
    segments: tuple[Segment, ...]
    subtitle: str = ""
    date: str = ""
    start: str = ""
    timezone: str = "UTC"
    format: str = ""
    venue: str = ""
    organisers: tuple[str, ...] = ()
    moderator: Person | None = None
    panelists: tuple[Person, ...] = ()
    premoderation: bool = True
    auto_advance: bool = False
    word_filter: tuple[str, ...] = ()
    # Askers' names and affiliations are erased this many days after the event's date (the
    # questions stay); None keeps them until someone erases them.
    erase_names_after_days: int | None = None
    # The language the texts are written in; the others are in the *_translations.
    language: str = DEFAULT_LANGUAGE
    title_translations: dict[str, str] = field(default_factory=dict)
    subtitle_translations: dict[str, str] = field(default_factory=dict)
    source: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy (lists, not tuples), as stored in the database and served by the API.

        ``EventDefinition.from_dict`` turns it back into an equal definition.
        """
        data = asdict(self, dict_factory=_json_ready)
        data.pop("source")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventDefinition:
        """The definition ``to_dict`` (or the database) holds; absent keys take the defaults."""
        return cls(
            **_known(
                cls,
                data,
                themes=lambda items: tuple(Theme.from_dict(t) for t in items),
                segments=lambda items: tuple(Segment.from_dict(s) for s in items),
                organisers=tuple,
                moderator=lambda person: None if person is None else Person.from_dict(person),
                panelists=lambda items: tuple(Person.from_dict(p) for p in items),
                word_filter=tuple,
                title_translations=dict,
                subtitle_translations=dict,
            )
        )


def _json_ready(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in pairs}


def _known(cls: type, data: dict[str, Any], **convert: Any) -> dict[str, Any]:
    """The fields of ``cls`` present in ``data`` (``source`` is never stored), converted by
    ``convert[name]`` where given; missing ones are left to the dataclass's default."""
    return {
        f.name: convert[f.name](data[f.name]) if f.name in convert else data[f.name]
        for f in fields(cls)
        if f.name in data and f.name != "source"
    }


def _default(cls: type, name: str) -> Any:
    """The default a dataclass states for one field."""
    [default] = [f.default for f in fields(cls) if f.name == name]
    assert default is not MISSING, f"{cls.__name__}.{name} has no default"
    return default


def load_event_file(path: str | Path) -> EventDefinition:
    """Read and check one event file; raise ``EventFileError`` naming the file and the place."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EventFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise EventFileError(f"{path}: is not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise EventFileError(f"{path}: not valid TOML: {exc}") from None
    try:
        return parse_event(data, source=str(path))
    except _Problem as problem:
        raise EventFileError(f"{path}: {problem.place}: {problem.message}") from None


class _Problem(Exception):
    def __init__(self, place: str, message: str):
        super().__init__(f"{place}: {message}")
        self.place = place
        self.message = message


def _text(
    data: dict[str, Any], key: str, place: str, *, required: bool = False, default: str = ""
) -> str:
    if key not in data:
        if required:
            raise _Problem(f"{place}{key}", "is missing")
        return default
    value = data[key]
    if not isinstance(value, str):
        raise _Problem(f"{place}{key}", f"must be text in quotes, not {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise _Problem(f"{place}{key}", "must not be empty")
    return value


def _texts(data: dict[str, Any], key: str, place: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise _Problem(f"{place}{key}", 'must be a list of texts, e.g. ["...", "..."]')
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise _Problem(f"{place}{key}[{index}]", "must be non-empty text")
    return tuple(item.strip() for item in value)


def _language(code: object, place: str) -> str:
    if not isinstance(code, str) or code not in LANGUAGES:
        raise _Problem(place, f"unknown language {code!r}; use one of: {', '.join(LANGUAGES)}")
    return code


def _per_language(table: dict[str, Any], place: str, language: str) -> tuple[str, dict[str, str]]:
    """A table of texts by language code: the text in ``language`` (which it must have) and the
    others, in the order of ``LANGUAGES``."""
    texts = {
        _language(code, f"{place}.{code}"): _text(table, code, f"{place}.", required=True)
        for code in table
    }
    if language not in texts:
        name = place.rsplit(".", 1)[-1]
        add = f'{language} = "..." in it' if name.endswith("]") else f'{name}.{language} = "..."'
        raise _Problem(place, f"needs the text in the event's language too: {add}")
    return texts[language], {
        code: texts[code] for code in LANGUAGES if code in texts and code != language
    }


def _translatable(
    data: dict[str, Any], key: str, place: str, language: str, *, required: bool = False
) -> tuple[str, dict[str, str]]:
    """A text written either plainly, in the event's language (``title = "..."``), or per
    language (``title.en = "..."`` and ``title.fr = "..."``, or ``title = { en = "...", ... }``)."""
    value = data.get(key)
    if isinstance(value, dict):
        return _per_language(value, f"{place}{key}", language)
    return _text(data, key, place, required=required), {}


def _questions(
    data: dict[str, Any], place: str, language: str
) -> tuple[tuple[str, ...], tuple[dict[str, str], ...]]:
    """Guiding questions, as a list (each item a text, or a table of texts by language) or as one
    list per language (``questions.en = [...]``, ``questions.fr = [...]``, in the same order)."""
    where = f"{place}questions"
    value = data.get("questions", [])
    if isinstance(value, dict):
        lists = {
            _language(code, f"{where}.{code}"): _texts(value, code, f"{where}.") for code in value
        }
        if language not in lists:
            raise _Problem(
                where, f"needs the list in the event's language too: questions.{language} = [...]"
            )
        own = lists[language]
        for code, items in lists.items():
            if len(items) != len(own):
                raise _Problem(
                    f"{where}.{code}",
                    f"has {_count(items)} but questions.{language} has {_count(own)}: "
                    "give one translation per question, in the same order",
                )
        others = [code for code in LANGUAGES if code in lists and code != language]
        pairs = [(text, {code: lists[code][i] for code in others}) for i, text in enumerate(own)]
    elif isinstance(value, list):
        pairs = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                pairs.append(_per_language(item, f"{where}[{index}]", language))
            elif isinstance(item, str) and item.strip():
                pairs.append((item.strip(), {}))
            else:
                raise _Problem(
                    f"{where}[{index}]", "must be non-empty text, or a table of texts by language"
                )
    else:
        raise _Problem(
            where,
            'must be a list of texts, e.g. ["...", "..."], or one list per language, '
            "e.g. questions.en = [...] and questions.fr = [...]",
        )
    translations = tuple(others for _, others in pairs)
    return tuple(text for text, _ in pairs), translations if any(translations) else ()


def _count(questions: tuple[str, ...]) -> str:
    return f"{len(questions)} question{'' if len(questions) == 1 else 's'}"


def _tables(data: dict[str, Any], key: str, *, required: bool) -> list[dict[str, Any]]:
    value = data.get(key)
    if value is None:
        if required:
            raise _Problem(key, f"is missing: add at least one [[{key}]] table")
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _Problem(key, f"must be written as [[{key}]] tables")
    if required and not value:
        raise _Problem(key, f"needs at least one [[{key}]] table")
    return value


def _person(data: object, place: str) -> Person:
    if not isinstance(data, dict):
        raise _Problem(place, "must be a table with name and role")
    return Person(
        name=_text(data, "name", f"{place}.", required=True), role=_text(data, "role", f"{place}.")
    )


def _segment(data: dict[str, Any], place: str, language: str) -> Segment:
    title, title_translations = _translatable(data, "title", f"{place}.", language, required=True)
    has_minutes, has_seconds = "minutes" in data, "seconds" in data
    if has_minutes == has_seconds:
        raise _Problem(f"{place}", "give the length as either minutes = N or seconds = N")
    unit = "minutes" if has_minutes else "seconds"
    amount = data[unit]
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        raise _Problem(f"{place}.{unit}", "must be a number")
    duration_s = round(amount * 60) if has_minutes else round(amount)
    if not 1 <= duration_s <= 24 * 3600:
        raise _Problem(f"{place}.{unit}", "must be more than zero and at most 24 hours")
    warning_s = _seconds(data, "warning", place, default=_default(Segment, "warning_s"))
    danger_s = _seconds(data, "danger", place, default=_default(Segment, "danger_s"))
    if danger_s > warning_s:
        raise _Problem(f"{place}.danger", "must not be more than warning")
    return Segment(
        title=title,
        duration_s=duration_s,
        speakers=_texts(data, "speakers", f"{place}."),
        notes=_text(data, "notes", f"{place}."),
        warning_s=warning_s,
        danger_s=danger_s,
        title_translations=title_translations,
    )


def _seconds(data: dict[str, Any], key: str, place: str, default: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 24 * 3600:
        raise _Problem(f"{place}.{key}", "must be a whole number of seconds left, 0 or more")
    return value


def _theme(data: dict[str, Any], place: str, language: str) -> Theme:
    key = _text(data, "key", f"{place}.", required=True)
    if not THEME_KEY_PATTERN.match(key):
        raise _Problem(f"{place}.key", "use lowercase letters, digits, - or _ (at most 32)")
    title, title_translations = _translatable(data, "title", f"{place}.", language, required=True)
    questions, question_translations = _questions(data, f"{place}.", language)
    return Theme(
        key=key,
        title=title,
        label=_text(data, "label", f"{place}."),
        questions=questions,
        title_translations=title_translations,
        question_translations=question_translations,
    )


def _general_theme(language: str) -> Theme:
    titles = GENERAL_THEME_TITLES
    return Theme(
        key=GENERAL_THEME_KEY,
        title=titles[language],
        title_translations={code: titles[code] for code in LANGUAGES if code != language},
    )


def parse_event(data: dict[str, Any], source: str = "") -> EventDefinition:
    """Check an already-parsed TOML document and build the definition (raises ``_Problem``)."""
    code = _text(data, "code", "", required=True)
    if not CODE_PATTERN.match(code):
        raise _Problem("code", 'use 2 to 32 lowercase letters, digits or -, e.g. "ssc25"')
    language = _language(
        _text(data, "language", "", default=_default(EventDefinition, "language")), "language"
    )
    title, title_translations = _translatable(data, "title", "", language, required=True)
    subtitle, subtitle_translations = _translatable(data, "subtitle", "", language)
    timezone = _text(data, "timezone", "", default=_default(EventDefinition, "timezone"))
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _Problem(
            "timezone", f'unknown time zone {timezone!r}, e.g. "America/New_York"'
        ) from None
    day = data.get("date", "")
    if isinstance(day, date):
        day = day.isoformat()
    if day:
        try:
            date.fromisoformat(str(day))
        except ValueError:
            raise _Problem("date", "must be a date like 2025-05-28") from None
    start = data.get("start", "")
    if isinstance(start, time):
        start = start.strftime("%H:%M")
    if start:
        try:
            time.fromisoformat(str(start))
        except ValueError:
            raise _Problem("start", 'must be a time like "08:15"') from None
    premoderation = data.get("premoderation", _default(EventDefinition, "premoderation"))
    if not isinstance(premoderation, bool):
        raise _Problem("premoderation", "must be true or false")
    auto_advance = data.get("auto_advance", _default(EventDefinition, "auto_advance"))
    if not isinstance(auto_advance, bool):
        raise _Problem("auto_advance", "must be true or false")

    segments = tuple(
        _segment(s, f"segments[{i}]", language)
        for i, s in enumerate(_tables(data, "segments", required=True))
    )
    themes = [
        _theme(t, f"themes[{i}]", language)
        for i, t in enumerate(_tables(data, "themes", required=False))
    ]
    seen: set[str] = set()
    for index, theme in enumerate(themes):
        if theme.key in seen:
            raise _Problem(f"themes[{index}].key", f"{theme.key!r} is used by another theme")
        seen.add(theme.key)
    if GENERAL_THEME_KEY not in seen:
        themes.append(_general_theme(language))

    moderator = _person(data["moderator"], "moderator") if "moderator" in data else None
    panelists = tuple(
        _person(p, f"panelists[{i}]")
        for i, p in enumerate(_tables(data, "panelists", required=False))
    )
    return EventDefinition(
        code=code,
        title=title,
        themes=tuple(themes),
        segments=segments,
        subtitle=subtitle,
        date=str(day),
        start=str(start),
        timezone=timezone,
        format=_text(data, "format", ""),
        venue=_text(data, "venue", ""),
        organisers=_texts(data, "organisers", ""),
        moderator=moderator,
        panelists=panelists,
        premoderation=premoderation,
        auto_advance=auto_advance,
        word_filter=_texts(data, "word_filter", ""),
        language=language,
        title_translations=title_translations,
        subtitle_translations=subtitle_translations,
        source=source,
    )
