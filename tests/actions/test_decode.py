"""JSON to typed commands: each field checked against its type before the core sees it, with
``missing_<field>`` and ``invalid_<field>`` codes; the action chosen by its selector."""

from __future__ import annotations

import pytest

from moderator.actions import REGISTRY, choose
from moderator.actions.agenda import Settings, TimerArgs
from moderator.actions.base import UNSET, decode
from moderator.actions.questions import Floor, Merge, Reorder, Submit
from moderator.core.errors import InvalidInput


@pytest.mark.parametrize(
    ("command", "data", "code"),
    [
        (Submit, {"text": "Hi?", "theme": "x"}, "missing_client_msg_id"),
        (Submit, {"client_msg_id": "m-000001", "text": 42, "theme": "x"}, "invalid_text"),
        (Submit, {"client_msg_id": "m-000001", "text": None, "theme": "x"}, "missing_text"),
        (Submit, {"client_msg_id": "m-000001", "text": "Hi", "theme": ["x"]}, "invalid_theme"),
        (Submit, {"client_msg_id": 12345678, "text": "Hi", "theme": "x"}, "invalid_client_msg_id"),
        (
            Submit,
            {"client_msg_id": "m-000001", "text": "Hi", "theme": "x", "affiliation": 7},
            "invalid_affiliation",
        ),
        (
            Floor,
            {"client_msg_id": "m-1", "text": "Hi", "theme": "x", "answered": 1},
            "invalid_answered",
        ),
        (Merge, {"id": 1}, "missing_into"),
        (Merge, {"id": 1, "into": None}, "missing_into"),
        (Merge, {"id": True, "into": 2}, "invalid_id"),
        (Reorder, {"order": "a,b"}, "invalid_order"),
        (Reorder, {"order": ["1", "2"]}, "invalid_order"),
        (TimerArgs, {"index": "2"}, "invalid_index"),
        (TimerArgs, {"seconds": "60"}, "invalid_seconds"),
        (TimerArgs, {"seconds": True}, "invalid_seconds"),
        (TimerArgs, {"seconds": 10**400}, "invalid_seconds"),
        (TimerArgs, {"enabled": "yes"}, "invalid_enabled"),
        (Settings, {"premoderation": "no"}, "invalid_premoderation"),
        (Settings, {"colour": "red"}, "unknown_setting"),
        (Settings, {"word_filter": ["ok", 3]}, "invalid_word_filter"),
    ],
)
def test_a_field_of_the_wrong_type_is_refused_by_name(command, data, code):
    with pytest.raises(InvalidInput) as caught:
        decode(command, data)
    assert caught.value.code == code
    assert caught.value.message


def test_a_well_typed_body_becomes_the_command():
    assert decode(Merge, {"id": 3, "into": 4, "action": "merge"}) == Merge(id=3, into=4)
    assert decode(TimerArgs, {"seconds": 90}) == TimerArgs(seconds=90.0)
    assert decode(Settings, {"current_theme": None}) == Settings(current_theme=None)
    assert decode(Settings, {}).current_theme is UNSET


def test_the_selector_picks_the_action_and_an_unknown_one_is_named():
    timer_actions = [a for a in REGISTRY.values() if a.message == "timer"]
    assert choose(timer_actions, {"action": "pause"}).name == "timer.pause"
    with pytest.raises(InvalidInput) as caught:
        choose(timer_actions, {"action": None})
    assert caught.value.code == "unknown_action"
    votes = [a for a in REGISTRY.values() if a.message == "vote"]
    assert choose(votes, {"id": 1}).name == "vote"
    assert choose(votes, {"id": 1, "undo": True}).name == "unvote"
