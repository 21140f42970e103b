"""Event files: the built-in demo is the reference event, and a malformed file stops start-up
with a message naming the file, the place and the problem."""

import subprocess
import sys

import pytest

from moderator.core.event_file import DEMO_EVENT_FILE, EventFileError, load_event_file
from tests.conftest import ROOT, require

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


GOOD = """
code = "demo"
title = "A panel"
[[segments]]
title = "Talk"
minutes = 5
"""


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


def test_server_refuses_to_start_on_a_malformed_event_file(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text(GOOD.replace("minutes = 5", "minutes = 0"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "moderator", "--event", str(bad), "--port", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "INSTANCE_PATH": str(tmp_path / "instance")},
    )
    assert result.returncode == 2
    assert f"{bad}: segments[0].minutes: must be more than zero" in result.stderr


def test_two_events_can_be_hosted_at_once(config_class, tmp_path):
    from moderator.app import create_app

    other = tmp_path / "other.toml"
    other.write_text(GOOD, encoding="utf-8")
    app = create_app(config_class, event_files=[str(DEMO_EVENT_FILE), str(other)])
    codes = [e["code"] for e in app.test_client().get("/api/events").get_json()]
    assert codes == ["ssc25", "demo"]


def test_two_files_with_one_code_are_refused(config_class, tmp_path):
    from moderator.app import create_app

    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(GOOD, encoding="utf-8")
    b.write_text(GOOD, encoding="utf-8")
    with pytest.raises(EventFileError, match="used by more than one event"):
        create_app(config_class, event_files=[str(a), str(b)])
