"""Event files: a malformed file is reported with a message naming the file, the place and the
problem."""

import json

import pytest

from moderator.core import events
from moderator.core.event_file import EventDefinition, EventFileError, Segment, load_event_file
from tests.fixtures.constants import MINIMAL_EVENT as GOOD
from tests.fixtures.constants import PANEL_FILE


def test_the_stored_definition_reads_back_exactly():
    definition = load_event_file(PANEL_FILE)
    stored = json.loads(json.dumps(definition.to_dict()))
    assert stored == definition.to_dict()  # JSON-ready: lists, not tuples
    again = EventDefinition.from_dict(stored)
    assert again == definition
    assert again.to_dict() == stored
    assert isinstance(again.segments[0].speakers, tuple)
    assert isinstance(again.themes[0].questions, tuple)
    assert again.moderator == definition.moderator


def test_keys_absent_from_a_stored_definition_take_the_defaults():
    stored = {
        "code": "x1",
        "title": "X",
        "themes": [],
        "segments": [{"title": "T", "duration_s": 9}],
    }
    definition = EventDefinition.from_dict(stored)
    assert definition == EventDefinition(
        code="x1", title="X", themes=(), segments=(Segment(title="T", duration_s=9),)
    )


def test_the_core_reads_the_definition_typed_and_rebuilds_it_when_replaced(session, event):
    spec = event.spec
    assert spec == load_event_file(PANEL_FILE)
    assert event.spec is spec  # built once
    event.definition = {**event.definition, "timezone": "Europe/Paris"}
    assert event.spec.timezone == "Europe/Paris"
    session.expire(event)  # read again from the database: the stored definition again
    assert event.spec == spec
    assert event.spec is not spec


def test_installing_an_unchanged_file_again_changes_nothing(session, event, clock):
    before = event.updated_ms
    clock.advance(1000)
    events.install_events(session, [load_event_file(PANEL_FILE)], clock=clock)
    assert event.updated_ms == before


@pytest.mark.parametrize(
    ("text", "place", "problem"),
    [
        ("code = 'x'\ntitle = \nvenue = 'y'\n", "not valid TOML", "line 2"),
        ('title = "A panel"\n[[segments]]\ntitle = "Talk"\nminutes = 5\n', "code", "missing"),
        ('code = "Bad Code"\n' + GOOD.split("\n", 2)[2], "code", "lowercase"),
        (GOOD.replace("minutes = 5", "minutes = -5"), "segments[0].minutes", "more than zero"),
        (GOOD.replace("minutes = 5", 'minutes = "five"'), "segments[0].minutes", "number"),
        (GOOD.replace("minutes = 5", ""), "segments[0]", "either minutes"),
        (
            GOOD + '[[themes]]\nkey = "a"\ntitle = "A"\n[[themes]]\nkey = "a"\ntitle = "B"\n',
            "themes[1].key",
            "used by another theme",
        ),
        ('timezone = "Mars/Olympus"\n' + GOOD, "timezone", "unknown time zone"),
        (GOOD + "[[themes]]\ntitle = 'No key'\n", "themes[0].key", "missing"),
        (
            GOOD.replace('code = "demo"', 'code = "demo"\npremoderation = "yes"'),
            "premoderation",
            "true or false",
        ),
    ],
)
def test_malformed_event_file_is_reported_with_file_and_place(tmp_path, text, place, problem):
    path = tmp_path / "panel.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EventFileError) as caught:
        load_event_file(path)
    message = str(caught.value)
    assert str(path) in message
    assert place in message
    assert problem in message


def test_missing_event_file_is_reported(tmp_path):
    with pytest.raises(EventFileError, match="cannot be read"):
        load_event_file(tmp_path / "nowhere.toml")
