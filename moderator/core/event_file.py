"""Event files: a panel's agenda, guiding themes and panelists, written as TOML by organisers.

``load_event_file`` reads and checks one file and returns an ``EventDefinition``; every mistake is
reported with the file, the place in it and what is wrong, so a typo stops start-up with a message
an organiser can act on.

The same rules check every way an event arrives: a file (``load_event_file``, ``parse_toml``),
and the event's JSON form, which is the dict its file parses to (``parse_event``; ``to_form``
gives it, ``dump_toml`` and ``export_toml`` write it back as a file). A problem is an
``EventProblem`` naming its place (``segments[2].minutes``), so a form can mark the field.

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
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from moderator.core.errors import ENGLISH, N_, NP_, render
from moderator.core.languages import DEFAULT_LANGUAGE, LANGUAGES

DEMO_EVENT_FILE = Path(__file__).resolve().parent.parent / "events" / "ssc-2025.toml"
GENERAL_THEME_KEY = "general"
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")
# Also the pattern of a segment's id.
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
    """An event file cannot be used; the message names the file, the place and the problem.
    ``line`` and ``column`` say where, when the file is not TOML at all."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


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
    # An optional group the organiser declares for the speaking-time balance (gender, region).
    group: str = ""
    # The share of the panel's speaking time this person is meant to have, in percent; None
    # means an equal share of the panelists'.
    target_share: int | None = None

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


# --- Reading --------------------------------------------------------------------------------------


def load_event_file(path: str | Path) -> EventDefinition:
    """Read and check one event file; raise ``EventFileError`` naming the file and the place."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EventFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EventFileError(f"{path}: is not UTF-8 text (byte {exc.start})") from None
    try:
        return parse_toml(text, source=str(path))
    except EventProblem as problem:
        raise EventFileError(f"{path}: {problem}") from None


def parse_toml(text: str, source: str = "") -> EventDefinition:
    """Read an event file's text (an upload, an import): ``EventFileError`` when it is not TOML
    (with the line), ``EventProblem`` when its content is wrong."""
    # Editors on Windows often start a UTF-8 file with a byte order mark, which TOML does not allow.
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's error has no line attribute, only its message: "... (at line 2, column 5)".
        found = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = (int(found[1]), int(found[2])) if found else (None, None)
        raise EventFileError(
            f"{source + ': ' if source else ''}not valid TOML: {exc}", line=line, column=column
        ) from None
    return parse_event(data, source=source)


class EventProblem(Exception):
    """What is wrong in an event's content, and where: ``place`` is the most precise path to it
    (``title``, ``segments[2].minutes``, ``themes[0].questions[1]``), ``message`` says what is
    wrong, in English. ``template`` and ``params`` are that message as a refusal's template
    (``N_``/``NP_``) and fields, so that an adapter can reply in the asker's language."""

    def __init__(self, place: str, template: str | tuple[str, str], **params: Any) -> None:
        self.place = place
        self.template = template
        self.params = params
        super().__init__(f"{place}: {self.message}" if place else self.message)

    @property
    def message(self) -> str:
        """What is wrong, in English, without the place."""
        return render(self.template, self.params, ENGLISH)


# The longest text each field holds, in characters: a form, mistaken or hostile, cannot store
# megabytes, while any real title, name or note fits with room to spare.
LIMITS = {
    "title": 300,
    "subtitle": 500,
    "segment_title": 200,
    "theme_title": 200,
    "name": 200,
    "role": 300,
    "question": 500,
    "notes": 2000,
    "venue": 300,
    "format": 100,
    "label": 80,
    "group": 60,
    "organiser": 200,
    "word": 100,
    "timezone": 64,
    "moment": 40,  # a date or a time written as text
}
# The most entries each list holds; beyond these, a panel is not what this app is for.
MAX_SEGMENTS = 100
# Lists are bounded so that a form cannot hold thousands of rows; the body limit
# (EVENT_FILE_MAX_BYTES) bounds the whole. A conference day has more than a panel's few themes.
MAX_THEMES = 100
MAX_QUESTIONS = 30
MAX_PANELISTS = 100
MAX_ORGANISERS = 100
MAX_SPEAKERS = 20
# The same as the live setting's (``events.WORD_FILTER_MAX``), so a file's list can be saved
# from the dashboard unchanged.
MAX_WORD_FILTER = 200
ERASE_NAMES_DAYS = (1, 3650)
LONGEST_SEGMENT_S = 24 * 3600

# C0 controls but tab and newline, DEL and C1 controls (invisible, and TOML refuses the first
# two groups raw), and lone surrogates (JSON can carry "\ud800"; UTF-8 cannot encode it).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAK = re.compile("[\n\u2028\u2029]")
# A key of a table written as a place (``title.fr``) only when it reads as one: a place is shown
# to people and sent back as a refusal's field, so a hostile key must not become one.
_PLACE_KEY = re.compile(r"[A-Za-z0-9_-]{1,16}")


def is_plain_line(text: str) -> bool:
    """Whether ``text`` is one line of plain text: no control character, no line break, no
    lone surrogate (the rule of the file's one-line fields, for other names people give)."""
    return not (_CONTROL.search(text) or _LINE_BREAK.search(text) or "\t" in text)


def _refuse_repeats(values: list[str], place: str, template: str) -> None:
    """A problem at the second of two equal, non-empty ``values`` (``place`` holds ``{}`` for
    its index)."""
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value and value in seen:
            raise EventProblem(place.format(index), template, value=repr(value))
        seen.add(value)


def _clean(value: str, place: str, limit: int, *, multiline: bool = False) -> str:
    """``value`` stripped, once it is known to be clean text of at most ``limit`` characters and,
    unless ``multiline``, on one line."""
    if multiline:
        value = value.replace("\r\n", "\n")  # a pasted Windows line end is still one line end
    if _CONTROL.search(value):
        raise EventProblem(place, N_("must not contain control characters"))
    value = value.strip()
    if not multiline and _LINE_BREAK.search(value):
        raise EventProblem(place, N_("must be a single line"))
    if len(value) > limit:
        raise EventProblem(
            place,
            NP_("must be at most {n} character long", "must be at most {n} characters long"),
            n=limit,
        )
    return value


def _text(
    data: dict[str, Any],
    key: str,
    place: str,
    *,
    limit: int,
    required: bool = False,
    default: str = "",
    multiline: bool = False,
) -> str:
    where = f"{place}{key}"
    if key not in data:
        if required:
            raise EventProblem(where, N_("is missing"))
        return default
    value = data[key]
    if not isinstance(value, str):
        raise EventProblem(
            where, N_("must be text in quotes, not {kind}"), kind=type(value).__name__
        )
    value = _clean(value, where, limit, multiline=multiline)
    if required and not value:
        raise EventProblem(where, N_("must not be empty"))
    return value


def _texts(data: dict[str, Any], key: str, place: str, *, limit: int, most: int) -> tuple[str, ...]:
    where = f"{place}{key}"
    value = data.get(key, [])
    if not isinstance(value, list):
        raise EventProblem(where, N_('must be a list of texts, e.g. ["...", "..."]'))
    _at_most(value, most, where)
    items = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise EventProblem(f"{where}[{index}]", N_("must be non-empty text"))
        item = _clean(item, f"{where}[{index}]", limit)
        if not item:
            raise EventProblem(f"{where}[{index}]", N_("must be non-empty text"))
        items.append(item)
    return tuple(items)


def _at_most(items: list[Any], most: int, place: str) -> None:
    if len(items) > most:
        raise EventProblem(
            place,
            NP_("must not have more than {n} entry", "must not have more than {n} entries"),
            n=most,
        )


def _key_place(place: str, key: object) -> str:
    """The place of ``key`` in the table at ``place``, or the table's if the key is no name."""
    return f"{place}.{key}" if isinstance(key, str) and _PLACE_KEY.fullmatch(key) else place


def _language(code: object, place: str) -> str:
    if not isinstance(code, str) or code not in LANGUAGES:
        raise EventProblem(
            place,
            N_("unknown language {code}; use one of: {languages}"),
            code=repr(code)[:40],
            languages=", ".join(LANGUAGES),
        )
    return code


def _per_language(
    table: dict[str, Any], place: str, language: str, limit: int
) -> tuple[str, dict[str, str]]:
    """A table of texts by language code: the text in ``language`` (which it must have) and the
    others, in the order of ``LANGUAGES``."""
    texts = {
        _language(code, _key_place(place, code)): _text(
            table, code, f"{place}.", limit=limit, required=True
        )
        for code in table
    }
    if language not in texts:
        name = place.rsplit(".", 1)[-1]
        add = f'{language} = "..." in it' if name.endswith("]") else f'{name}.{language} = "..."'
        raise EventProblem(place, N_("needs the text in the event's language too: {add}"), add=add)
    return texts[language], {
        code: texts[code] for code in LANGUAGES if code in texts and code != language
    }


def _translatable(
    data: dict[str, Any],
    key: str,
    place: str,
    language: str,
    *,
    limit: int,
    required: bool = False,
) -> tuple[str, dict[str, str]]:
    """A text written either plainly, in the event's language (``title = "..."``), or per
    language (``title.en = "..."`` and ``title.fr = "..."``, or ``title = { en = "...", ... }``)."""
    value = data.get(key)
    if isinstance(value, dict):
        return _per_language(value, f"{place}{key}", language, limit)
    return _text(data, key, place, limit=limit, required=required), {}


def _questions(
    data: dict[str, Any], place: str, language: str
) -> tuple[tuple[str, ...], tuple[dict[str, str], ...]]:
    """Guiding questions, as a list (each item a text, or a table of texts by language) or as one
    list per language (``questions.en = [...]``, ``questions.fr = [...]``, in the same order)."""
    where = f"{place}questions"
    limit = LIMITS["question"]
    value = data.get("questions", [])
    if isinstance(value, dict):
        lists = {
            _language(code, _key_place(where, code)): _texts(
                value, code, f"{where}.", limit=limit, most=MAX_QUESTIONS
            )
            for code in value
        }
        if language not in lists:
            raise EventProblem(
                where,
                N_("needs the list in the event's language too: questions.{language} = [...]"),
                language=language,
            )
        own = lists[language]
        for code, items in lists.items():
            if len(items) != len(own):
                raise EventProblem(
                    f"{where}.{code}",
                    NP_(
                        "has {n} question but questions.{language} has {total}: "
                        "give one translation per question, in the same order",
                        "has {n} questions but questions.{language} has {total}: "
                        "give one translation per question, in the same order",
                    ),
                    n=len(items),
                    language=language,
                    total=len(own),
                )
        others = [code for code in LANGUAGES if code in lists and code != language]
        pairs = [(text, {code: lists[code][i] for code in others}) for i, text in enumerate(own)]
    elif isinstance(value, list):
        _at_most(value, MAX_QUESTIONS, where)
        pairs = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                pairs.append(_per_language(item, f"{where}[{index}]", language, limit))
                continue
            text = _clean(item, f"{where}[{index}]", limit) if isinstance(item, str) else ""
            if not text:
                raise EventProblem(
                    f"{where}[{index}]",
                    N_("must be non-empty text, or a table of texts by language"),
                )
            pairs.append((text, {}))
    else:
        raise EventProblem(
            where,
            N_(
                'must be a list of texts, e.g. ["...", "..."], or one list per language, '
                "e.g. questions.en = [...] and questions.fr = [...]"
            ),
        )
    translations = tuple(others for _, others in pairs)
    return tuple(text for text, _ in pairs), translations if any(translations) else ()


def _tables(data: dict[str, Any], key: str, *, required: bool, most: int) -> list[dict[str, Any]]:
    value = data.get(key)
    if value is None:
        if required:
            raise EventProblem(key, N_("is missing: add at least one [[{key}]] table"), key=key)
        return []
    if not isinstance(value, list):
        raise EventProblem(key, N_("must be written as [[{key}]] tables"), key=key)
    if required and not value:
        raise EventProblem(key, N_("needs at least one [[{key}]] table"), key=key)
    _at_most(value, most, key)
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise EventProblem(f"{key}[{index}]", N_("must be a [[{key}]] table"), key=key)
    return value


def _person(data: object, place: str, *, panelist: bool = True) -> Person:
    if not isinstance(data, dict):
        raise EventProblem(place, N_("must be a table with name and role"))
    target = data.get("target_share")
    if target is not None and (
        isinstance(target, bool) or not isinstance(target, int) or not 0 <= target <= 100
    ):
        raise EventProblem(f"{place}.target_share", N_("must be a whole percentage, 0 to 100"))
    if target is not None and not panelist:
        # The balance shares the panelists' time out among them: a moderator's target would be
        # silently ignored, so it is refused where the organiser wrote it.
        raise EventProblem(
            f"{place}.target_share",
            N_("only panelists have a target: it is a share of the panelists' speaking time"),
        )
    return Person(
        name=_text(data, "name", f"{place}.", limit=LIMITS["name"], required=True),
        role=_text(data, "role", f"{place}.", limit=LIMITS["role"]),
        group=_text(data, "group", f"{place}.", limit=LIMITS["group"]),
        target_share=target,
    )


def _refuse_targets_over_100(panelists: tuple[Person, ...]) -> None:
    """The panelists' targets are shares of one whole: refused at the panelist whose target
    takes the sum past 100."""
    total = 0
    for index, person in enumerate(panelists):
        total += person.target_share or 0
        if total > 100:
            raise EventProblem(
                f"panelists[{index}].target_share",
                N_(
                    "brings the panelists' targets to {total}%, over 100%: "
                    "lower this one or another"
                ),
                total=total,
            )


def _segment(data: dict[str, Any], place: str, language: str) -> Segment:
    segment_id = _text(data, "id", f"{place}.", limit=32)
    if segment_id and not THEME_KEY_PATTERN.fullmatch(segment_id):
        raise EventProblem(f"{place}.id", N_("use lowercase letters, digits, - or _ (at most 32)"))
    title, title_translations = _translatable(
        data, "title", f"{place}.", language, limit=LIMITS["segment_title"], required=True
    )
    has_minutes, has_seconds = "minutes" in data, "seconds" in data
    if has_minutes == has_seconds:
        raise EventProblem(place, N_("give the length as either minutes = N or seconds = N"))
    unit = "minutes" if has_minutes else "seconds"
    amount = data[unit]
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        raise EventProblem(f"{place}.{unit}", N_("must be a number"))
    seconds = amount * 60 if has_minutes else amount
    # Compared before rounding: NaN and infinity (TOML and Python's JSON read both) cannot be
    # rounded at all, and NaN compares false; a huge integer cannot even become a float.
    duration_s = round(seconds) if abs(seconds) <= 2 * LONGEST_SEGMENT_S else 0
    if not 1 <= duration_s <= LONGEST_SEGMENT_S:
        raise EventProblem(f"{place}.{unit}", N_("must be more than zero and at most 24 hours"))
    warning_s = _seconds(data, "warning", place, default=_default(Segment, "warning_s"))
    danger_s = _seconds(data, "danger", place, default=_default(Segment, "danger_s"))
    if danger_s > warning_s:
        raise EventProblem(f"{place}.danger", N_("must not be more than warning"))
    return Segment(
        title=title,
        duration_s=duration_s,
        id=segment_id,
        speakers=_texts(data, "speakers", f"{place}.", limit=LIMITS["name"], most=MAX_SPEAKERS),
        notes=_text(data, "notes", f"{place}.", limit=LIMITS["notes"], multiline=True),
        warning_s=warning_s,
        danger_s=danger_s,
        title_translations=title_translations,
    )


def _seconds(data: dict[str, Any], key: str, place: str, default: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= LONGEST_SEGMENT_S:
        raise EventProblem(
            f"{place}.{key}",
            N_("must be a whole number of seconds left, from 0 to {most}"),
            most=LONGEST_SEGMENT_S,
        )
    return value


def _theme(data: dict[str, Any], place: str, language: str) -> Theme:
    key = _text(data, "key", f"{place}.", limit=32, required=True)
    if not THEME_KEY_PATTERN.fullmatch(key):
        raise EventProblem(f"{place}.key", N_("use lowercase letters, digits, - or _ (at most 32)"))
    title, title_translations = _translatable(
        data, "title", f"{place}.", language, limit=LIMITS["theme_title"], required=True
    )
    questions, question_translations = _questions(data, f"{place}.", language)
    return Theme(
        key=key,
        title=title,
        label=_text(data, "label", f"{place}.", limit=LIMITS["label"]),
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


def _day(data: dict[str, Any]) -> str:
    """The event's date as ``YYYY-MM-DD`` (TOML may give a date, a form gives text), or ""."""
    value = data.get("date", "")
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        text = _clean(value, "date", LIMITS["moment"])
        if not text:
            return ""
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise EventProblem("date", N_("must be a date like 2025-05-28"))


def _start(data: dict[str, Any]) -> str:
    """The start time as ``HH:MM`` (``HH:MM:SS`` if it has seconds), or "". The zone is the
    event's ``timezone``, so a time with an offset of its own is refused."""
    value = data.get("start", "")
    moment: time | None = value if isinstance(value, time) else None
    if isinstance(value, str):
        text = _clean(value, "start", LIMITS["moment"])
        if not text:
            return ""
        try:
            moment = time.fromisoformat(text)
        except ValueError:
            moment = None
    if moment is None or moment.tzinfo is not None:
        raise EventProblem("start", N_('must be a time like "08:15"'))
    return moment.isoformat("minutes" if not moment.second and not moment.microsecond else "auto")


def _flag(data: dict[str, Any], key: str) -> bool:
    value = data.get(key, _default(EventDefinition, key))
    if not isinstance(value, bool):
        raise EventProblem(key, N_("must be true or false"))
    return value


def _erase_names_after_days(data: dict[str, Any]) -> int | None:
    # A JSON form may say null for "not set", the definition's own value for it.
    value = data.get("erase_names_after_days")
    if value is None:
        return None
    low, high = ERASE_NAMES_DAYS
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise EventProblem(
            "erase_names_after_days",
            N_("must be a whole number of days, from {low} to {high}"),
            low=low,
            high=high,
        )
    return value


def parse_event(data: dict[str, Any], source: str = "") -> EventDefinition:
    """Check an event's form (a parsed TOML file, or the same as JSON) and build the definition;
    raise ``EventProblem`` at the first mistake, naming its place."""
    if not isinstance(data, dict):
        raise EventProblem("", N_("must be a table"))
    code = _text(data, "code", "", limit=32, required=True)
    if not CODE_PATTERN.fullmatch(code):
        raise EventProblem("code", N_('use 2 to 32 lowercase letters, digits or -, e.g. "ssc25"'))
    language = _language(
        _text(data, "language", "", limit=16, default=_default(EventDefinition, "language")),
        "language",
    )
    title, title_translations = _translatable(
        data, "title", "", language, limit=LIMITS["title"], required=True
    )
    subtitle, subtitle_translations = _translatable(
        data, "subtitle", "", language, limit=LIMITS["subtitle"]
    )
    timezone = _text(
        data,
        "timezone",
        "",
        limit=LIMITS["timezone"],
        default=_default(EventDefinition, "timezone"),
    )
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise EventProblem(
            "timezone",
            N_('unknown time zone {value}, e.g. "America/New_York"'),
            value=repr(timezone),
        ) from None
    day, start = _day(data), _start(data)
    premoderation, auto_advance = _flag(data, "premoderation"), _flag(data, "auto_advance")
    erase_names_after_days = _erase_names_after_days(data)

    segments = tuple(
        _segment(s, f"segments[{i}]", language)
        for i, s in enumerate(_tables(data, "segments", required=True, most=MAX_SEGMENTS))
    )
    _refuse_repeats(
        [s.id for s in segments], "segments[{}].id", N_("{value} is used by another segment")
    )
    themes = [
        _theme(t, f"themes[{i}]", language)
        for i, t in enumerate(_tables(data, "themes", required=False, most=MAX_THEMES))
    ]
    _refuse_repeats(
        [t.key for t in themes], "themes[{}].key", N_("{value} is used by another theme")
    )
    if GENERAL_THEME_KEY not in {theme.key for theme in themes}:
        themes.append(_general_theme(language))

    moderator = data.get("moderator")
    panelists = tuple(
        _person(p, f"panelists[{i}]")
        for i, p in enumerate(_tables(data, "panelists", required=False, most=MAX_PANELISTS))
    )
    _refuse_targets_over_100(panelists)
    return EventDefinition(
        code=code,
        title=title,
        themes=tuple(themes),
        segments=segments,
        subtitle=subtitle,
        date=day,
        start=start,
        timezone=timezone,
        format=_text(data, "format", "", limit=LIMITS["format"]),
        venue=_text(data, "venue", "", limit=LIMITS["venue"]),
        organisers=_texts(data, "organisers", "", limit=LIMITS["organiser"], most=MAX_ORGANISERS),
        moderator=None if moderator is None else _person(moderator, "moderator", panelist=False),
        panelists=panelists,
        premoderation=premoderation,
        auto_advance=auto_advance,
        word_filter=_texts(data, "word_filter", "", limit=LIMITS["word"], most=MAX_WORD_FILTER),
        erase_names_after_days=erase_names_after_days,
        language=language,
        title_translations=title_translations,
        subtitle_translations=subtitle_translations,
        source=source,
    )


# --- The form: what a file holds, as JSON ---------------------------------------------------------


def to_form(definition: EventDefinition) -> dict[str, Any]:
    """The event as the dict its file parses to (JSON-ready), such that ``parse_event`` gives
    ``definition`` back; keys in the file's order, defaults left out.

    The event's settings (language, time zone, pre-moderation, auto-advance) are always written,
    so that a reader of the form or the file sees them without knowing the defaults.
    """
    d, language = definition, definition.language
    form: dict[str, Any] = {
        "code": d.code,
        "language": language,
        "title": _translated(d.title, d.title_translations, language),
    }
    if d.subtitle or d.subtitle_translations:
        form["subtitle"] = _translated(d.subtitle, d.subtitle_translations, language)
    optional: dict[str, Any] = {"date": d.date, "start": d.start}
    form |= {key: value for key, value in optional.items() if value}
    form["timezone"] = d.timezone
    optional = {"format": d.format, "venue": d.venue, "organisers": list(d.organisers)}
    form |= {key: value for key, value in optional.items() if value}
    form["premoderation"] = d.premoderation
    form["auto_advance"] = d.auto_advance
    if d.erase_names_after_days is not None:
        form["erase_names_after_days"] = d.erase_names_after_days
    if d.word_filter:
        form["word_filter"] = list(d.word_filter)
    if d.moderator is not None:
        form["moderator"] = _person_form(d.moderator)
    if d.panelists:
        form["panelists"] = [_person_form(p) for p in d.panelists]
    form["segments"] = [_segment_form(s, language) for s in d.segments]
    themes = list(d.themes)
    # The parser adds the automatic theme last when the file has none: leave it to add again.
    if themes and themes[-1] == _general_theme(language):
        themes.pop()
    if themes:
        form["themes"] = [_theme_form(t, language) for t in themes]
    return form


def _in_order(translations: dict[str, str]) -> list[str]:
    """The languages of ``translations`` in the order of ``LANGUAGES``, whatever the dict's."""
    return [c for c in LANGUAGES if c in translations] + [
        c for c in translations if c not in LANGUAGES
    ]


def _translated(text: str, translations: dict[str, str], language: str) -> str | dict[str, str]:
    if not translations:
        return text
    return {language: text} | {code: translations[code] for code in _in_order(translations)}


def _person_form(person: Person) -> dict[str, Any]:
    form: dict[str, Any] = {"name": person.name}
    if person.role:
        form["role"] = person.role
    if person.group:
        form["group"] = person.group
    if person.target_share is not None:
        form["target_share"] = person.target_share
    return form


def _segment_form(segment: Segment, language: str) -> dict[str, Any]:
    form: dict[str, Any] = {"id": segment.id} if segment.id else {}
    form["title"] = _translated(segment.title, segment.title_translations, language)
    if segment.duration_s % 60 == 0:
        form["minutes"] = segment.duration_s // 60
    else:
        form["seconds"] = segment.duration_s
    if segment.warning_s != _default(Segment, "warning_s"):
        form["warning"] = segment.warning_s
    if segment.danger_s != _default(Segment, "danger_s"):
        form["danger"] = segment.danger_s
    if segment.speakers:
        form["speakers"] = list(segment.speakers)
    if segment.notes:
        form["notes"] = segment.notes
    return form


def _theme_form(theme: Theme, language: str) -> dict[str, Any]:
    form: dict[str, Any] = {"key": theme.key}
    if theme.label:
        form["label"] = theme.label
    form["title"] = _translated(theme.title, theme.title_translations, language)
    if theme.questions:
        form["questions"] = _questions_form(theme, language)
    return form


def _questions_form(theme: Theme, language: str) -> list[Any] | dict[str, list[str]]:
    """One list per language when every question is in the same languages (the easiest to
    read and to translate), else one item per question, a table where it is translated."""
    tables = theme.question_translations
    if not any(tables):
        return list(theme.questions)
    if all(table.keys() == tables[0].keys() for table in tables):
        return {language: list(theme.questions)} | {
            code: [table[code] for table in tables] for code in _in_order(tables[0])
        }
    return [
        _translated(text, table, language)
        for text, table in zip(theme.questions, tables, strict=True)
    ]


# --- The file: the form written as TOML -----------------------------------------------------------


def export_toml(definition: EventDefinition) -> str:
    """The event as an event file's text, which ``parse_toml`` reads back as ``definition``."""
    return dump_toml(to_form(definition))


# Top-level tables written as [name] sections; other tables are a text in several languages (or
# questions by language), written as dotted keys (title.en = "...") the way organisers write them.
_SECTIONS = ("moderator",)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}
# An array goes on one line when that line stays this short; else one item per line.
_LINE = 100


def dump_toml(form: dict[str, Any]) -> str:
    """``form`` (as ``to_form`` gives it) as an event file for people: the top-level keys, then
    ``[moderator]``, ``[[panelists]]``, ``[[segments]]`` and ``[[themes]]``; UTF-8 text as is,
    quotes, backslashes and control characters escaped, notes with line breaks on several lines.
    """
    lines: list[str] = []
    sections: list[tuple[str, dict[str, Any]]] = []
    for key, value in form.items():
        if key in _SECTIONS and isinstance(value, dict):
            sections.append((f"[{_key(key)}]", value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            sections.extend((f"[[{_key(key)}]]", item) for item in value)
        else:
            lines.extend(_pairs(_key(key), value))
    for header, table in sections:
        lines.extend(["", header])
        for key, value in table.items():
            lines.extend(_pairs(_key(key), value))
    return "\n".join(lines) + "\n"


def _pairs(key: str, value: Any) -> list[str]:
    """``key = value`` lines; a table's entries as dotted keys under ``key``."""
    if isinstance(value, dict) and value:
        return [line for k, v in value.items() for line in _pairs(f"{key}.{_key(k)}", v)]
    if isinstance(value, str) and "\n" in value:
        return [f"{key} = {_multiline(value)}"]
    if isinstance(value, list) and value:
        inline = _value(value)
        if len(key) + 3 + len(inline) <= _LINE and not any(isinstance(v, dict) for v in value):
            return [f"{key} = {inline}"]
        return [f"{key} = [", *(f"  {_value(item)}," for item in value), "]"]
    return [f"{key} = {_value(value)}"]


def _value(value: Any) -> str:
    """A value on one line: inside arrays and inline tables, and for short values."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return f'"{_escaped(value, keep="")}"'
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"an event form holds no {type(value).__name__}")


def _multiline(text: str) -> str:
    """A text with line breaks as a multi-line string, its lines as written. A quote is escaped
    where another follows it or it ends the text, so no three meet and none touches the end."""
    body = re.sub(r'"(?=")|"$', r'\\"', _escaped(text, keep='\n"'))
    # The line break right after the opening quotes is not part of the text (TOML trims it).
    return f'"""\n{body}"""'


def _escaped(text: str, keep: str) -> str:
    """``text`` for inside TOML quotes: quote, backslash and control characters escaped (TOML
    forbids most raw; the rest would be invisible), but those in ``keep``; the rest as is."""
    out = []
    for char in text:
        if char in keep:
            out.append(char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _CONTROL.match(char):
            if "\ud800" <= char <= "\udfff":
                raise ValueError("a lone surrogate cannot be written as TOML (nor as UTF-8)")
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else f'"{_escaped(key, keep="")}"'


# --- Segment ids ----------------------------------------------------------------------------------

_NUMBERED_ID = re.compile(r"s([0-9]{1,9})")


def assign_segment_ids(new: EventDefinition, previous: EventDefinition | None) -> EventDefinition:
    """``new`` with an id on every segment: those given are kept; a segment without one takes
    the id of the first segment of ``previous`` with the same title that no other segment of
    ``new`` has, else a fresh ``s<N>`` above every number used in either, so that an id never
    names two different segments of one event."""
    earlier = previous.segments if previous is not None else ()
    taken = {s.id for s in new.segments if s.id}
    known = taken | {s.id for s in earlier if s.id}
    numbers = [int(m[1]) for m in map(_NUMBERED_ID.fullmatch, known) if m]
    next_number = max(numbers, default=0) + 1
    segments = []
    for segment in new.segments:
        if not segment.id:
            match = next(
                (s.id for s in earlier if s.id and s.title == segment.title and s.id not in taken),
                None,
            )
            if match is None:
                # Numbers past nine digits are not counted (one hostile id must not push every
                # later id past the pattern's 32 characters), so step over any id in use.
                while f"s{next_number}" in known:
                    next_number += 1
                match = f"s{next_number}"
                next_number += 1
            taken.add(match)
            known.add(match)
            segment = replace(segment, id=match)
        segments.append(segment)
    return replace(new, segments=tuple(segments))
