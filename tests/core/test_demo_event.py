"""The built-in demo is the reference event: its agenda, themes and guiding questions are the
seed document's, word for word. The only tests that read the demo's wording."""

from moderator.core.event_file import DEMO_EVENT_FILE, load_event_file
from moderator.core.languages import LANGUAGES
from tests.fixtures.constants import ROOT
from tests.fixtures.services import require

# shared/ sits beside the repository folder, in a checkout and in CI's clone alike.
SEED = ROOT.parent / "shared" / "seeds" / "hlc-ssc-2025-personnel-exchange-side-event.txt"


def test_demo_event_has_the_reference_agenda():
    event = load_event_file(DEMO_EVENT_FILE)
    assert event.code == "ssc25"
    assert event.title == "Empowering Global South - Personnel Exchange Cooperation"
    assert (event.date, event.start, event.timezone) == ("2025-05-28", "08:15", "America/New_York")
    assert [(s.title, s.duration_s // 60) for s in event.segments] == [
        ("Opening Remarks", 10),
        ("Setting the Context", 15),
        ("Panel Discussion: Experiences and Lessons Learned in Personnel Exchanges", 50),
        ("Q&A", 10),
        ("Wrap up and Way forward", 5),
    ]
    assert sum(s.duration_s for s in event.segments) == 90 * 60
    assert event.moderator.name == "Ms. Tehetena Woldemariam"
    assert len(event.panelists) == 5


def test_demo_event_has_four_guiding_themes_and_a_general_one():
    event = load_event_file(DEMO_EVENT_FILE)
    assert [(t.label, len(t.questions)) for t in event.themes] == [
        ("i", 3),
        ("ii", 2),
        ("iii", 1),
        ("iv", 2),
        ("", 0),
    ]
    assert event.themes[-1].key == "general"
    assert event.themes[1].title == "Challenges and Solutions"


def test_guiding_questions_are_word_for_word_from_the_seed():
    require(SEED.exists(), f"the seed document is not beside the checkout ({SEED})")
    seed = " ".join(SEED.read_text(encoding="utf-8").split())
    event = load_event_file(DEMO_EVENT_FILE)
    questions = [q for theme in event.themes for q in theme.questions]
    assert len(questions) == 8
    for question in questions:
        assert question in seed
    for theme in event.themes[:4]:
        assert theme.title in seed
    for person in event.panelists:
        assert person.name in seed


def test_demo_event_is_in_the_six_un_languages_and_says_these_are_translations():
    event = load_event_file(DEMO_EVENT_FILE)
    assert event.language == "en"
    others = [lang for lang in LANGUAGES if lang != event.language]
    assert others == ["ar", "zh", "fr", "ru", "es"]
    for lang in others:
        assert lang in event.title_translations and lang in event.subtitle_translations
        assert all(lang in s.title_translations for s in event.segments)
        for theme in event.themes[:4]:
            assert lang in theme.title_translations
            assert len(theme.question_translations) == len(theme.questions)
            assert all(lang in q for q in theme.question_translations)
    header = DEMO_EVENT_FILE.read_text(encoding="utf-8").split("\ncode =")[0]
    said = " ".join(line.lstrip("# ") for line in header.splitlines())
    assert "translations made for this demo, not texts from the organisers" in said
    assert (
        "French (fr), Spanish (es), Arabic (ar), Chinese (zh, Simplified) and Russian (ru)" in said
    )


# How the UN writes "South-South" in each language ("للتعاون" drops the article's alif, so the
# Arabic is matched without it).
SOUTH_SOUTH = {
    "ar": "تعاون فيما بين بلدان الجنوب",
    "zh": "南南合作",
    "fr": "Sud-Sud",
    "ru": "Юг-Юг",
    "es": "Sur-Sur",
}


def test_every_translation_names_south_south_cooperation_as_the_un_does():
    event = load_event_file(DEMO_EVENT_FILE)
    texts = [(event.subtitle, event.subtitle_translations)]
    for theme in event.themes[:4]:
        texts.append((theme.title, theme.title_translations))
        texts.extend(zip(theme.questions, theme.question_translations, strict=True))
    mentions = [
        (english, others)
        for english, others in texts
        if "South-South" in english or "SSC" in english
    ]
    assert len(mentions) == 7
    for english, others in mentions:
        for lang, term in SOUTH_SOUTH.items():
            assert term in others[lang], (english, lang, others[lang])
