"""Event files: a malformed file is reported with a message naming the file, the place and the
problem."""

import json

import pytest

from moderator.core import events
from moderator.core.event_file import (
    EventDefinition,
    EventFileError,
    Segment,
    Theme,
    assign_segment_ids,
    load_event_file,
)
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
    assert again.title_translations == {"fr": "Panel d'essai sur les services partagés"}
    assert again.themes[0].question_translations[1] == {
        "fr": "Quels coûts les institutions d'accueil prennent-elles en charge ?"
    }


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
    # Stored with the ids the server gives the segments the file leaves without one.
    assert spec == assign_segment_ids(load_event_file(PANEL_FILE), None)
    assert [s.id for s in spec.segments] == ["s1", "s2", "s3"]
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


def load(tmp_path, text):
    path = tmp_path / "panel.toml"
    path.write_text(text, encoding="utf-8")
    return load_event_file(path)


def test_a_file_without_translations_is_in_english(tmp_path):
    definition = load(tmp_path, GOOD)
    assert definition.language == "en"
    assert definition.title == "A panel" and definition.title_translations == {}
    assert definition.segments[0].title_translations == {}


TRANSLATED = """
code = "demo"
language = "fr"
title.fr = "Un panel"
title.es = "Un panel en español"
subtitle = { fr = "Sous-titre", en = "Subtitle" }
[[segments]]
title.fr = "Exposé"
title.ar = "عرض"
minutes = 5
[[segments]]
title = "Débat"
minutes = 5
[[themes]]
key = "a"
title = "Financement"
questions.fr = ["Qui paie ?", "Combien ?"]
questions.en = ["Who pays?", "How much?"]
questions.zh = ["谁付钱？", "多少？"]
[[themes]]
key = "b"
title = { fr = "Santé", ru = "Здравоохранение" }
questions = ["Quoi ?", { fr = "Pourquoi ?", es = "¿Por qué?" }]
"""


def test_texts_may_be_given_in_several_languages(tmp_path):
    definition = load(tmp_path, TRANSLATED)
    assert definition.language == "fr"
    assert (definition.title, definition.title_translations) == (
        "Un panel",
        {"es": "Un panel en español"},
    )
    assert (definition.subtitle, definition.subtitle_translations) == (
        "Sous-titre",
        {"en": "Subtitle"},
    )
    assert [(s.title, s.title_translations) for s in definition.segments] == [
        ("Exposé", {"ar": "عرض"}),
        ("Débat", {}),
    ]
    first, second, general = definition.themes
    assert first.questions == ("Qui paie ?", "Combien ?")
    # One table per question, languages in a fixed order whatever the file's.
    assert first.question_translations == (
        {"zh": "谁付钱？", "en": "Who pays?"},
        {"zh": "多少？", "en": "How much?"},
    )
    assert list(first.question_translations[0]) == ["zh", "en"]
    assert (second.title, second.title_translations) == ("Santé", {"ru": "Здравоохранение"})
    assert second.questions == ("Quoi ?", "Pourquoi ?")
    assert second.question_translations == ({}, {"es": "¿Por qué?"})
    # The theme every event gets is in the event's language, and in the others.
    assert (general.title, general.title_translations["en"]) == ("Questions générales", "General")


def test_a_translated_definition_reads_back_exactly(tmp_path):
    definition = load(tmp_path, TRANSLATED)
    stored = json.loads(json.dumps(definition.to_dict()))
    assert stored == definition.to_dict()
    assert EventDefinition.from_dict(stored) == definition
    assert isinstance(EventDefinition.from_dict(stored).themes[1].question_translations, tuple)


def test_a_definition_stored_before_translations_reads_as_untranslated():
    stored = {
        "code": "x1",
        "title": "X",
        "themes": [{"key": "a", "title": "A", "label": "", "questions": ["Q?"]}],
        "segments": [{"title": "T", "duration_s": 9}],
    }
    definition = EventDefinition.from_dict(stored)
    assert definition.language == "en" and definition.title_translations == {}
    assert definition.themes == (Theme(key="a", title="A", questions=("Q?",)),)


@pytest.mark.parametrize(
    ("text", "place", "problem"),
    [
        ('language = "de"\n' + GOOD, "language", "unknown language 'de'"),
        ('language = "EN"\n' + GOOD, "language", "use one of: ar, zh, en, fr, ru, es"),
        (
            GOOD.replace('title = "A panel"', 'title.en = "A panel"\ntitle.de = "Ein Panel"'),
            "title.de",
            "unknown language 'de'",
        ),
        (
            GOOD.replace('title = "Talk"', 'title = { en = "Talk", pt = "Palestra" }'),
            "segments[0].title.pt",
            "unknown language",
        ),
        (
            GOOD.replace('title = "A panel"', 'title.fr = "Un panel"'),
            "title",
            "the event's language too: title.en",
        ),
        (
            GOOD.replace('title = "A panel"', 'title.en = "A panel"\ntitle.fr = ""'),
            "title.fr",
            "must not be empty",
        ),
        (
            GOOD + '[[themes]]\nkey = "a"\ntitle = "A"\n'
            'questions.en = ["One?", "Two?"]\nquestions.fr = ["Un ?"]\n',
            "themes[0].questions.fr",
            "has 1 question but questions.en has 2",
        ),
        (
            GOOD + '[[themes]]\nkey = "a"\ntitle = "A"\nquestions.fr = ["Un ?"]\n',
            "themes[0].questions",
            "questions.en = [...]",
        ),
        (
            GOOD + '[[themes]]\nkey = "a"\ntitle = "A"\nquestions = ["One?", { xx = "?" }]\n',
            "themes[0].questions[1].xx",
            "unknown language 'xx'",
        ),
        (
            GOOD + '[[themes]]\nkey = "a"\ntitle = "A"\nquestions = ["One?", { fr = "Un ?" }]\n',
            "themes[0].questions[1]",
            'the event\'s language too: en = "..." in it',
        ),
        (
            GOOD + '[[themes]]\nkey = "a"\ntitle = "A"\nquestions = "One?"\n',
            "themes[0].questions",
            "must be a list",
        ),
    ],
)
def test_bad_translations_are_reported_with_the_place(tmp_path, text, place, problem):
    with pytest.raises(EventFileError) as caught:
        load(tmp_path, text)
    message = str(caught.value)
    assert f": {place}: " in message
    assert problem in message


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
