"""Event texts in the reader's language: the translation the event file gives, else the text in
the event's own language, always with the language it is actually in."""

import pytest

from moderator.core import events
from moderator.core.languages import localized
from tests.fixtures.constants import FRENCH, OTHER_THEME_TITLE, SEGMENTS, THEME, TITLE

TRANSLATIONS = {"fr": "Bienvenue", "es": "Bienvenida"}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", ("Bienvenue", "fr")),
        ("es", ("Bienvenida", "es")),
        ("en", ("Welcome", "en")),  # the event's own language
        ("ru", ("Welcome", "en")),  # no translation: the event's text, said to be English
    ],
)
def test_a_text_is_shown_in_the_readers_language_or_the_events(lang, expected):
    assert localized("Welcome", TRANSLATIONS, lang, "en") == expected


def test_the_events_own_text_wins_over_a_translation_into_its_language():
    assert localized("Bienvenue", {"en": "Welcome"}, "fr", "fr") == ("Bienvenue", "fr")


def test_an_empty_translation_falls_back():
    assert localized("Welcome", {"fr": ""}, "fr", "en") == ("Welcome", "en")


def test_the_event_says_which_language_it_is_written_in(session, event):
    assert events.event_view(event)["language"] == "en"
    assert events.snapshot_of(event).language == "en"


def test_a_french_page_gets_the_french_texts_and_the_rest_marked_english(event):
    view = events.localized_view(events.event_view(event), "fr")
    assert (view["title"], view["title_lang"]) == (FRENCH["title"], "fr")
    first, second, general = view["themes"]
    assert (first["key"], first["title"], first["title_lang"]) == (THEME, FRENCH["theme"], "fr")
    assert first["questions"][1] == {"text": FRENCH["question"], "lang": "fr"}
    assert (second["title"], second["title_lang"]) == (OTHER_THEME_TITLE, "en")
    assert {q["lang"] for q in second["questions"]} == {"en"}
    assert (general["title"], general["title_lang"]) == ("Questions générales", "fr")
    assert [(s["title"], s["title_lang"]) for s in view["segments"]] == [
        (FRENCH["segment"], "fr"),
        (SEGMENTS[1], "en"),
        (SEGMENTS[2], "en"),
    ]
    assert view["subtitle_lang"] == "en"  # the test event has no subtitle: "" in English


def test_a_page_in_a_language_the_file_lacks_gets_the_events_texts(event):
    view = events.localized_view(events.event_view(event), "ru")
    assert (view["title"], view["title_lang"]) == (TITLE, "en")
    assert {t["title_lang"] for t in view["themes"][:2]} == {"en"}
    assert view["themes"][2]["title"] == "Общие вопросы"  # the theme the app adds knows Russian


def test_a_page_view_carries_no_translations(event):
    view = events.localized_view(events.event_view(event), "fr")
    items = [view, *view["themes"], *view["segments"]]
    assert not [key for item in items for key in item if key.endswith("_translations")]
    assert view["language"] == "en" and view["code"] == event.code
