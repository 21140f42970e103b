"""The event's JSON form and its TOML export: the form is what the file parses to, the same rules
check both, every problem names its place, and an event goes out and comes back exactly."""

from __future__ import annotations

import copy
import json
from datetime import date, time
from typing import Any

import pytest

from moderator.core.event_file import (
    EventFileError,
    EventProblem,
    load_event_file,
    parse_event,
    parse_toml,
)

MINIMAL = {"code": "demo", "title": "A panel", "segments": [{"title": "Talk", "minutes": 5}]}


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
            changed("themes", [{"key": f"k{i}", "title": "T"} for i in range(21)]),
            "themes",
            "more than 20",
        ),
        (changed("themes", 0, "questions", ["Q?"] * 31), "themes[0].questions", "more than 30"),
        (
            changed("themes", 1, "questions", {"en": ["Q?"] * 31, "fr": ["Q ?"] * 31}),
            "themes[1].questions.en",
            "more than 30",
        ),
        (changed("panelists", [{"name": "P"}] * 51), "panelists", "more than 50"),
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
    parse_event(GOOD)


@pytest.mark.parametrize(
    "form",
    [
        changed("title", "A\tpanel"),
        changed("segments", 0, "notes", "one\ntwo\r\nthree"),
        changed("title", "x" * 300),
        changed("segments", [{"title": "T", "minutes": 1}] * 100),
        changed("erase_names_after_days", 3650),
    ],
    ids=["tab", "lines in notes", "longest title", "most segments", "longest retention"],
)
def test_what_the_rules_allow_is_accepted(form):
    parse_event(form)


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
    assert parse_toml('\ufeffcode = "demo"\ntitle = "A"\n[[segments]]\ntitle = "T"\nminutes = 1\n')


def test_a_file_with_a_problem_is_reported_with_the_file(tmp_path):
    path = tmp_path / "event.toml"
    path.write_text('code = "demo"\ntitle = "A\\u0000"\n', encoding="utf-8")
    with pytest.raises(EventFileError, match=f"{path}: title: {CONTROL}"):
        load_event_file(path)
