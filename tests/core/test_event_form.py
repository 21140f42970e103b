"""The event's JSON form and its TOML export: the form is what the file parses to, the same rules
check both, every problem names its place, and an event goes out and comes back exactly."""

from __future__ import annotations

import copy
import json
import tomllib
from datetime import date, time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderator.core.event_file import (
    CODE_PATTERN,
    DEMO_EVENT_FILE,
    THEME_KEY_PATTERN,
    EventDefinition,
    EventFileError,
    EventProblem,
    Segment,
    assign_segment_ids,
    dump_toml,
    export_toml,
    load_event_file,
    parse_event,
    parse_toml,
    to_form,
)
from moderator.core.languages import LANGUAGES
from tests.fixtures.constants import PANEL_FILE

PROPERTIES = settings(
    max_examples=150,
    deadline=None,  # no assertion on speed
    database=None,  # no .hypothesis/ folder in the repository or in CI
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- Files that exist -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [DEMO_EVENT_FILE, PANEL_FILE], ids=["demo", "panel"])
def test_an_event_file_exports_and_reads_back_exactly(path):
    definition = load_event_file(path)
    text = export_toml(definition)
    again = parse_toml(text)
    assert again == definition
    assert export_toml(again) == text  # byte for byte
    assert parse_event(to_form(definition)) == definition


def test_the_form_is_plain_json_in_the_order_of_the_file():
    form = to_form(load_event_file(DEMO_EVENT_FILE))
    assert json.loads(json.dumps(form)) == form
    assert list(form) == [
        "code",
        "language",
        "title",
        "subtitle",
        "date",
        "start",
        "timezone",
        "format",
        "venue",
        "organisers",
        "premoderation",
        "auto_advance",
        "moderator",
        "panelists",
        "segments",
        "themes",
    ]
    # A translated text: the event's language first, then the others in a fixed order.
    assert list(form["title"]) == ["en", "ar", "zh", "fr", "ru", "es"]
    assert list(form["themes"][0]["questions"]) == ["en", "ar", "zh", "fr", "ru", "es"]
    # The automatic theme is the parser's to add, not the form's.
    assert [t["key"] for t in form["themes"]] == ["ssc", "challenges", "sustainability", "scaling"]


def test_the_export_is_laid_out_for_people():
    text = export_toml(load_event_file(PANEL_FILE))
    headers = [line for line in text.splitlines() if line.startswith("[")]
    assert (
        headers
        == ["[moderator]"] + ["[[panelists]]"] * 2 + ["[[segments]]"] * 3 + ["[[themes]]"] * 2
    )
    assert 'title.fr = "Panel d\'essai sur les services partagés"' in text.splitlines()
    assert text.endswith(
        'questions = ["How do clinics cover for staff who are away on placement?"]\n'
    )


MINIMAL = {"code": "demo", "title": "A panel", "segments": [{"title": "Talk", "minutes": 5}]}


def test_defaults_are_left_out_and_the_settings_written():
    form = to_form(parse_event(MINIMAL))
    assert form == {
        "code": "demo",
        "language": "en",
        "title": "A panel",
        "timezone": "UTC",
        "premoderation": True,
        "auto_advance": False,
        "segments": [{"title": "Talk", "minutes": 5}],
    }


@pytest.mark.parametrize(
    ("length", "written"),
    [
        ({"minutes": 5}, {"minutes": 5}),
        ({"minutes": 1.5}, {"seconds": 90}),
        ({"seconds": 120}, {"minutes": 2}),
        ({"seconds": 61}, {"seconds": 61}),
    ],
)
def test_a_length_is_written_in_minutes_when_whole(length, written):
    definition = parse_event({**MINIMAL, "segments": [{"title": "Talk", **length}]})
    segment_form = to_form(definition)["segments"][0]
    assert {k: v for k, v in segment_form.items() if k in ("minutes", "seconds")} == written


def test_a_changed_general_theme_is_kept_and_the_automatic_one_is_not():
    automatic = parse_event(MINIMAL)
    assert automatic.themes[-1].key == "general"
    assert "themes" not in to_form(automatic)
    changed = parse_event({**MINIMAL, "themes": [{"key": "general", "title": "Anything else"}]})
    assert to_form(changed)["themes"] == [{"key": "general", "title": "Anything else"}]
    assert parse_event(to_form(changed)) == changed


def test_questions_translated_unevenly_are_written_one_by_one():
    form = {
        **MINIMAL,
        "language": "fr",
        "title": "Un panel",
        "themes": [
            {
                "key": "a",
                "title": "A",
                "questions": ["Quoi ?", {"es": "¿Por qué?", "fr": "Pourquoi ?"}],
            }
        ],
    }
    definition = parse_event(form)
    assert to_form(definition)["themes"][0]["questions"] == [
        "Quoi ?",
        {"fr": "Pourquoi ?", "es": "¿Por qué?"},
    ]
    assert parse_event(to_form(definition)) == definition


def test_segment_ids_and_the_retention_setting_are_read_and_written():
    form = {
        **MINIMAL,
        "erase_names_after_days": 30,
        "segments": [
            {"id": "intro", "title": "Talk", "minutes": 5},
            {"title": "Q&A", "minutes": 5},
        ],
    }
    definition = parse_event(form)
    assert definition.erase_names_after_days == 30
    assert [s.id for s in definition.segments] == ["intro", ""]
    written = to_form(definition)
    assert written["erase_names_after_days"] == 30
    assert written["segments"][0]["id"] == "intro" and "id" not in written["segments"][1]
    assert parse_event({**form, "erase_names_after_days": None}).erase_names_after_days is None
    # A browser form sends an empty id for a segment the server has not named yet.
    assert parse_event({**MINIMAL, "segments": [{"id": "", "title": "T", "minutes": 1}]}) == (
        parse_event(MINIMAL | {"segments": [{"title": "T", "minutes": 1}]})
    )


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ({"date": "20250528"}, ("2025-05-28", "")),
        ({"date": date(2025, 5, 28), "start": time(8, 15)}, ("2025-05-28", "08:15")),
        ({"start": "08:15:00"}, ("", "08:15")),
        ({"start": "08:15:30"}, ("", "08:15:30")),
    ],
)
def test_dates_and_times_are_stored_in_one_spelling(given, stored):
    definition = parse_event({**MINIMAL, **given})
    assert (definition.date, definition.start) == stored


@pytest.mark.parametrize(
    "notes",
    [
        'ends in a quote"',
        'three """ quotes',
        '""""',
        "a backslash \\ and \\n written",
        "ends in a backslash\\",
        "two\nlines",
        'line\nends in a quote"\n',
        "\ttabbed\nfirst",
        "عربي\n中文",
    ],
)
def test_notes_are_written_so_that_they_read_back_exactly(notes):
    definition = parse_event(
        {**MINIMAL, "segments": [{"title": "T", "minutes": 1, "notes": notes}]}
    )
    text = export_toml(definition)
    assert parse_toml(text) == definition
    assert parse_toml(text).segments[0].notes == notes.strip()


def test_a_panelists_group_and_target_share_are_read_and_written():
    form = {
        **MINIMAL,
        "moderator": {"name": "Chair", "group": "women"},
        "panelists": [
            {"name": "Amina", "role": "Minister", "group": "Africa", "target_share": 40},
            {"name": "Li", "group": "Asia"},
            {"name": "Ana"},
        ],
    }
    definition = parse_event(form)
    assert definition.moderator is not None and definition.moderator.group == "women"
    assert [(p.group, p.target_share) for p in definition.panelists] == [
        ("Africa", 40),
        ("Asia", None),
        ("", None),
    ]
    # Left out when not given, in the form and in the file.
    assert to_form(definition)["panelists"] == form["panelists"]
    text = export_toml(definition)
    assert 'group = "Africa"\ntarget_share = 40\n' in text
    assert text.count("target_share") == 1
    assert parse_toml(text) == definition


# --- Random events --------------------------------------------------------------------------------

ODD = ['"', "\\", "'", "\t", "#", "=", ".", "[", "]", "{", "}", '"""', "'''", "\\n", "\u200f"]
SAMPLES = ["أسئلة عامة", "一般性问题", "Общие вопросы", "coopération Sud-Sud", 'say "hi"\\']
CHARACTERS = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    st.sampled_from(ODD + SAMPLES),
)
LINES = st.lists(CHARACTERS, min_size=1, max_size=12).map("".join).filter(lambda s: s.strip())
NOTES = (
    st.lists(st.one_of(CHARACTERS, st.sampled_from(["\n", "\r\n", "\n\n"])), min_size=1)
    .map("".join)
    .filter(lambda s: s.strip())
)
KEYS = st.from_regex(THEME_KEY_PATTERN, fullmatch=True)


@st.composite
def translatable(draw: st.DrawFn, language: str) -> str | dict[str, str]:
    own = draw(LINES)
    others = draw(
        st.lists(st.sampled_from([c for c in LANGUAGES if c != language]), unique=True, max_size=3)
    )
    if not others and draw(st.booleans()):
        return own
    table = {language: own} | {code: draw(LINES) for code in others}
    return {code: table[code] for code in draw(st.permutations(list(table)))}


@st.composite
def questions(draw: st.DrawFn, language: str) -> Any:
    count = draw(st.integers(1, 4))
    if draw(st.booleans()):
        return [draw(st.one_of(LINES, translatable(language))) for _ in range(count)]
    others = draw(
        st.lists(st.sampled_from([c for c in LANGUAGES if c != language]), unique=True, max_size=3)
    )
    lists = {code: [draw(LINES) for _ in range(count)] for code in [language, *others]}
    return {code: lists[code] for code in draw(st.permutations(list(lists)))}


@st.composite
def segments(draw: st.DrawFn, language: str) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 5))
    ids = draw(st.lists(KEYS, unique=True, min_size=count, max_size=count))
    tables = []
    for index in range(count):
        table: dict[str, Any] = {"title": draw(translatable(language))}
        if draw(st.booleans()):
            table["id"] = ids[index]
        table |= draw(
            st.one_of(
                st.integers(1, 24 * 60).map(lambda n: {"minutes": n}),
                st.integers(1, 24 * 4).map(lambda n: {"minutes": n / 4}),
                st.integers(1, 24 * 3600).map(lambda n: {"seconds": n}),
            )
        )
        if draw(st.booleans()):
            warning = draw(st.integers(0, 3600))
            table |= {"warning": warning, "danger": draw(st.integers(0, warning))}
        if draw(st.booleans()):
            table["speakers"] = draw(st.lists(LINES, max_size=3))
        if draw(st.booleans()):
            table["notes"] = draw(NOTES)
        tables.append(table)
    return tables


@st.composite
def themes(draw: st.DrawFn, language: str) -> list[dict[str, Any]]:
    keys = draw(st.lists(st.one_of(KEYS, st.just("general")), unique=True, max_size=4))
    tables = []
    for key in keys:
        table: dict[str, Any] = {"key": key, "title": draw(translatable(language))}
        if draw(st.booleans()):
            table["label"] = draw(LINES.filter(lambda s: len(s.strip()) <= 20))
        if draw(st.booleans()):
            table["questions"] = draw(questions(language))
        tables.append(table)
    return tables


GROUPS = LINES.filter(lambda s: len(s.strip()) <= 60)


def _person(name: str, role: str, group: str, target: int | None) -> dict[str, Any]:
    person: dict[str, Any] = {"name": name}
    optional = {"role": role, "group": group, "target_share": target}
    return person | {key: value for key, value in optional.items() if value not in ("", None)}


# The moderator has no target; panelists' targets come in at most 33 each so that three (the
# most drawn) stay within the 100 they may add up to.
MODERATOR = st.builds(
    _person, LINES, st.one_of(st.just(""), LINES), st.one_of(st.just(""), GROUPS), st.none()
)
PEOPLE = st.builds(
    _person,
    LINES,
    st.one_of(st.just(""), LINES),
    st.one_of(st.just(""), GROUPS),
    st.one_of(st.none(), st.integers(0, 33)),
)


@st.composite
def forms(draw: st.DrawFn) -> dict[str, Any]:
    language = draw(st.sampled_from(LANGUAGES))
    form: dict[str, Any] = {
        "code": draw(st.from_regex(CODE_PATTERN, fullmatch=True)),
        "language": language,
        "title": draw(translatable(language)),
    }
    optional = {
        "subtitle": translatable(language),
        "date": st.one_of(st.dates(), st.dates().map(date.isoformat)),
        "start": st.one_of(st.times(), st.times().map(lambda t: t.strftime("%H:%M"))),
        "timezone": st.sampled_from(["UTC", "Asia/Shanghai", "America/New_York", "Africa/Cairo"]),
        "format": LINES,
        "venue": LINES,
        "organisers": st.lists(LINES, max_size=3),
        "premoderation": st.booleans(),
        "auto_advance": st.booleans(),
        "erase_names_after_days": st.integers(1, 3650),
        "word_filter": st.lists(LINES, max_size=3),
        "moderator": MODERATOR,
        "panelists": st.lists(PEOPLE, max_size=3),
        "themes": themes(language),
    }
    for key, values in optional.items():
        if draw(st.booleans()):
            form[key] = draw(values)
    form["segments"] = draw(segments(language))
    return form


@PROPERTIES
@given(forms())
def test_random_events_go_out_and_come_back_exactly(raw):
    definition = parse_event(raw)
    form = to_form(definition)
    assert json.loads(json.dumps(form)) == form
    assert parse_event(form) == definition
    text = export_toml(definition)
    assert tomllib.loads(text) == form
    assert parse_toml(text) == definition
    assert export_toml(parse_toml(text)) == text


@PROPERTIES
@given(
    st.dictionaries(
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=5),
        st.text(st.characters(codec="utf-8")),
        max_size=4,
    )
)
def test_any_text_is_written_as_toml_that_reads_back_as_the_same_text(table):
    # Texts the parser refuses (control characters, line breaks in a title) are still written
    # correctly: the writer never relies on the parser having cleaned them.
    form = {"title": table, "notes": "\n".join(table.values()), "moderator": table}
    form["segments"] = [{"t": t} for t in table.values()] or [{"t": ""}]
    assert tomllib.loads(dump_toml(form)) == form


# --- Problems and their places --------------------------------------------------------------------

GOOD: dict[str, Any] = {
    "code": "demo",
    "title": "A panel",
    "moderator": {"name": "Chair", "role": "Moderator"},
    "panelists": [{"name": "One"}, {"name": "Two"}],
    "word_filter": ["x", "y", "z"],
    "segments": [
        {"title": "Talk", "minutes": 5},
        {"title": "Debate", "minutes": 5},
        {"title": "End", "minutes": 5},
    ],
    "themes": [
        {"key": "a", "title": "A", "questions": ["One?", "Two?"]},
        {"key": "b", "title": "B", "questions": {"en": ["One?", "Two?"], "fr": ["Un ?", "Deux ?"]}},
    ],
}


def changed(*path_and_value: Any) -> dict[str, Any]:
    """GOOD with the value at a path (keys and indexes) set; the value ``...`` removes it."""
    *path, value = path_and_value
    form = copy.deepcopy(GOOD)
    target = form
    for step in path[:-1]:
        target = target[step]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return form


CONTROL = "must not contain control characters"
ONE_LINE = "must be a single line"


@pytest.mark.parametrize(
    ("form", "place", "problem"),
    [
        # Control characters, wherever a text is.
        (changed("title", "A\x00panel"), "title", CONTROL),
        (changed("title", json.loads('"A \\ud800 panel"')), "title", CONTROL),
        (changed("title", {"en": "A", "fr": "B\x7f"}), "title.fr", CONTROL),
        (changed("subtitle", "\x1b[31mred"), "subtitle", CONTROL),
        (changed("venue", "Room\x85"), "venue", CONTROL),
        (changed("segments", 1, "title", "Debate\x0b"), "segments[1].title", CONTROL),
        (changed("segments", 2, "notes", "one\rtwo"), "segments[2].notes", CONTROL),
        (changed("segments", 0, "speakers", ["A", "B\x08"]), "segments[0].speakers[1]", CONTROL),
        (changed("themes", 0, "questions", 1, "Two\x00?"), "themes[0].questions[1]", CONTROL),
        (
            changed("themes", 0, "questions", 1, {"en": "Two?", "fr": "\x01"}),
            "themes[0].questions[1].fr",
            CONTROL,
        ),
        (
            changed("themes", 1, "questions", "fr", 1, "\udfff"),
            "themes[1].questions.fr[1]",
            CONTROL,
        ),
        (changed("themes", 1, "label", "i\x1f"), "themes[1].label", CONTROL),
        (changed("word_filter", 2, "z\x00"), "word_filter[2]", CONTROL),
        (changed("panelists", 1, "role", "\x07"), "panelists[1].role", CONTROL),
        (changed("moderator", "name", "Chair\x00"), "moderator.name", CONTROL),
        # Single lines.
        (changed("title", "A\npanel"), "title", ONE_LINE),
        (changed("code", "de\nmo"), "code", ONE_LINE),
        (changed("panelists", 1, "name", "Two\nLines"), "panelists[1].name", ONE_LINE),
        (changed("themes", 0, "title", "A\u2028B"), "themes[0].title", ONE_LINE),
        (changed("themes", 0, "questions", 0, "One\n?"), "themes[0].questions[0]", ONE_LINE),
        # Lengths.
        (changed("title", "x" * 301), "title", "at most 300 characters"),
        (changed("subtitle", "x" * 501), "subtitle", "at most 500 characters"),
        (changed("segments", 2, "title", "x" * 201), "segments[2].title", "at most 200"),
        (changed("segments", 0, "notes", "x" * 2001), "segments[0].notes", "at most 2000"),
        (changed("moderator", "name", "x" * 201), "moderator.name", "at most 200"),
        (changed("themes", 0, "questions", 1, "x" * 501), "themes[0].questions[1]", "at most 500"),
        (changed("segments", [{"title": "T", "minutes": 1}] * 101), "segments", "more than 100"),
        (
            changed("themes", [{"key": f"k{i}", "title": "T"} for i in range(101)]),
            "themes",
            "more than 100",
        ),
        (changed("themes", 0, "questions", ["Q?"] * 31), "themes[0].questions", "more than 30"),
        (
            changed("themes", 1, "questions", {"en": ["Q?"] * 31, "fr": ["Q ?"] * 31}),
            "themes[1].questions.en",
            "more than 30",
        ),
        (changed("panelists", [{"name": "P"}] * 101), "panelists", "more than 100"),
        # Segment ids and the retention setting.
        (changed("segments", 0, "id", "Intro"), "segments[0].id", "lowercase"),
        (
            changed("segments", [{"id": "a", "title": "T", "minutes": 1}] * 3),
            "segments[1].id",
            "'a' is used by another segment",
        ),
        (changed("erase_names_after_days", 0), "erase_names_after_days", "from 1 to 3650"),
        (changed("erase_names_after_days", 3651), "erase_names_after_days", "from 1 to 3650"),
        (changed("erase_names_after_days", 1.5), "erase_names_after_days", "whole number"),
        (changed("erase_names_after_days", True), "erase_names_after_days", "whole number"),
        (changed("erase_names_after_days", "30"), "erase_names_after_days", "whole number"),
        # Numbers that cannot be a length.
        (changed("segments", 1, "minutes", float("nan")), "segments[1].minutes", "more than zero"),
        (changed("segments", 1, "minutes", float("inf")), "segments[1].minutes", "more than zero"),
        (changed("segments", 1, "minutes", 1e308), "segments[1].minutes", "more than zero"),
        (changed("segments", 1, "minutes", 10**400), "segments[1].minutes", "more than zero"),
        (changed("segments", 1, "minutes", 0.001), "segments[1].minutes", "more than zero"),
        (changed("segments", 2, "warning", 10**6), "segments[2].warning", "seconds left"),
        # Shapes a JSON form can have and a file cannot.
        (changed("segments", 1, "not a table"), "segments[1]", "[[segments]] table"),
        (changed("segments", 1, "title", None), "segments[1].title", "not NoneType"),
        (changed("title", {"en": "A", "\x00bad": "B"}), "title", "unknown language"),
        (changed("title", {"en": "A", "x" * 10_000: "B"}), "title", "unknown language"),
        (changed("moderator", ["Chair"]), "moderator", "table with name and role"),
        # A panelist's group and target share of the panelists' speaking time.
        (changed("panelists", 1, "target_share", 101), "panelists[1].target_share", "0 to 100"),
        (changed("panelists", 0, "target_share", -1), "panelists[0].target_share", "0 to 100"),
        (changed("panelists", 0, "target_share", 12.5), "panelists[0].target_share", "whole"),
        (changed("panelists", 0, "target_share", "50"), "panelists[0].target_share", "whole"),
        (changed("panelists", 0, "target_share", True), "panelists[0].target_share", "whole"),
        (changed("panelists", 1, "group", "x" * 61), "panelists[1].group", "at most 60"),
        (changed("panelists", 1, "group", "wo\nmen"), "panelists[1].group", ONE_LINE),
        (changed("panelists", 0, "group", "\x00"), "panelists[0].group", CONTROL),
        (changed("panelists", 0, "group", 7), "panelists[0].group", "text in quotes"),
        (
            changed("panelists", [{"name": "A", "target_share": 60}, {"name": "B"}] * 2),
            "panelists[2].target_share",
            "brings the panelists' targets to 120%, over 100%",
        ),
        (
            changed("moderator", "target_share", 20),
            "moderator.target_share",
            "only panelists have a target",
        ),
        (changed("moderator", "group", "x" * 61), "moderator.group", "at most 60"),
        (changed("organisers", "Norec"), "organisers", "list of texts"),
        # Dates and times.
        (changed("date", "2025-13-01"), "date", "date like"),
        (changed("date", 20250528), "date", "date like"),
        (changed("start", "25:00"), "start", "time like"),
        (changed("start", "08:15+02:00"), "start", "time like"),
    ],
)
def test_every_problem_names_its_place(form, place, problem):
    with pytest.raises(EventProblem) as caught:
        parse_event(form)
    assert caught.value.place == place
    assert problem in caught.value.message
    assert str(caught.value) == f"{place}: {caught.value.message}"


def test_the_good_form_used_above_is_good():
    # Else every case above could fail for the wrong reason.
    definition = parse_event(GOOD)
    assert parse_event(to_form(definition)) == definition


@pytest.mark.parametrize(
    "form",
    [
        changed("title", "A\tpanel"),
        changed("segments", 0, "notes", "one\ntwo\r\nthree"),
        changed("title", "x" * 300),
        changed("segments", [{"title": "T", "minutes": 1}] * 100),
        changed("erase_names_after_days", 3650),
        changed(
            "panelists", [{"name": "A", "target_share": 60}, {"name": "B", "target_share": 40}]
        ),
        changed("panelists", 0, "target_share", 0),
        changed("panelists", 0, "group", "x" * 60),
        changed("moderator", "group", "women"),
    ],
    ids=[
        "tab",
        "lines in notes",
        "longest title",
        "most segments",
        "longest retention",
        "targets of exactly 100",
        "a target of 0",
        "longest group",
        "the moderator's group",
    ],
)
def test_what_the_rules_allow_is_accepted(form):
    definition = parse_event(form)
    assert parse_event(to_form(definition)) == definition


def test_a_problem_carries_its_message_as_a_template_to_translate():
    with pytest.raises(EventProblem) as caught:
        parse_event(changed("title", "x" * 301))
    problem = caught.value
    assert problem.template == (
        "must be at most {n} character long",
        "must be at most {n} characters long",
    )
    assert problem.params == {"n": 300}
    assert problem.message == "must be at most 300 characters long"


def test_a_form_that_is_not_a_table_is_a_problem():
    with pytest.raises(EventProblem) as caught:
        parse_event(["code", "demo"])  # type: ignore[arg-type]
    assert caught.value.place == ""


def test_toml_text_syntax_and_content_are_reported_apart():
    with pytest.raises(EventFileError) as caught:
        parse_toml('code = "demo"\ntitle = \n', source="upload.toml")
    assert caught.value.line == 2
    assert "upload.toml: not valid TOML" in str(caught.value)
    with pytest.raises(EventProblem) as content:
        parse_toml('code = "demo"\ntitle = "A"\n[[segments]]\ntitle = "T"\nminutes = 0\n')
    assert content.value.place == "segments[0].minutes"
    # A byte order mark, as some editors write, is not a mistake.
    assert parse_toml("\ufeff" + export_toml(parse_event(GOOD))) == parse_event(GOOD)


def test_a_file_with_a_problem_is_reported_with_the_file(tmp_path):
    path = tmp_path / "event.toml"
    path.write_text('code = "demo"\ntitle = "A\\u0000"\n', encoding="utf-8")
    with pytest.raises(EventFileError, match=f"{path}: title: {CONTROL}"):
        load_event_file(path)


# --- Segment ids ----------------------------------------------------------------------------------


def event(*segments: Segment | str) -> EventDefinition:
    """An event with these segments (a title alone: a segment without an id)."""
    return EventDefinition(
        code="demo",
        title="A panel",
        themes=(),
        segments=tuple(
            s if isinstance(s, Segment) else Segment(title=s, duration_s=60) for s in segments
        ),
    )


def ids(definition: EventDefinition) -> list[str]:
    return [s.id for s in definition.segments]


def named(title: str, segment_id: str) -> Segment:
    return Segment(title=title, duration_s=60, id=segment_id)


def test_a_new_event_numbers_its_segments_in_order():
    assert ids(assign_segment_ids(event("A", "B", "C"), None)) == ["s1", "s2", "s3"]


def test_ids_already_given_are_kept_and_fresh_ones_are_above_them():
    new = event("A", named("B", "s7"), "C", named("D", "intro"))
    assert ids(assign_segment_ids(new, None)) == ["s8", "s7", "s9", "intro"]


def test_a_segment_keeps_the_id_of_the_earlier_segment_with_its_title():
    previous = event(named("Welcome", "s1"), named("Talk", "s2"), named("Closing", "s3"))
    new = event("Talk", "Welcome", "Break", "Closing")
    assert ids(assign_segment_ids(new, previous)) == ["s2", "s1", "s4", "s3"]


def test_segments_with_the_same_title_take_the_earlier_ids_in_order():
    previous = event(named("Talk", "s1"), named("Talk", "s2"))
    assert ids(assign_segment_ids(event("Talk", "Talk", "Talk"), previous)) == ["s1", "s2", "s3"]


def test_an_id_another_segment_has_is_not_taken_by_title():
    previous = event(named("Talk", "s1"))
    new = event("Talk", named("Renamed", "s1"))
    assert ids(assign_segment_ids(new, previous)) == ["s2", "s1"]


def test_an_id_of_a_removed_segment_is_never_given_again():
    previous = event(named("A", "s1"), named("Gone", "s5"))
    assert ids(assign_segment_ids(event("A", "New", "Newer"), previous)) == ["s1", "s6", "s7"]
    # Numbers too long to count are still ids in use: the next one steps over them.
    previous = event(named("A", "s999999999"), named("B", "s1000000000"))
    assert ids(assign_segment_ids(event("C"), previous)) == ["s1000000001"]


def test_assigned_ids_are_valid_in_the_form():
    new = assign_segment_ids(parse_event(GOOD), None)
    assert parse_event(to_form(new)) == new
    assert all(THEME_KEY_PATTERN.fullmatch(s.id) for s in new.segments)
    assert ids(parse_event(GOOD)) == ["", "", ""]  # the input is left as it was
