"""Event files: a malformed file is reported with a message naming the file, the place and the
problem."""

import pytest

from moderator.core.event_file import EventFileError, load_event_file
from tests.fixtures.constants import MINIMAL_EVENT as GOOD


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
