"""What the dashboard shows beside the queue comes from the server: the buttons a question
offers, the question suggested for the screen next and each theme's coverage."""

import pytest

from moderator.core import events, overview, questions
from moderator.core.errors import Conflict
from tests.fixtures import core
from tests.fixtures.constants import OTHER_THEME, THEME
from tests.fixtures.core import curate as act


def submit(session, event, clock, n=1, **overrides):
    question, _ = core.submit(session, event, clock, n, **overrides)
    return question


def approved(session, event, clock, n=1, **overrides):
    question = submit(session, event, clock, n, **overrides)
    act(session, event, clock, question, "approve")
    return question


def test_an_unreviewed_question_offers_approve_first_and_never_the_screen_first(
    session, event, clock
):
    question = submit(session, event, clock)
    assert questions.allowed_actions(question) == ["approve", "live", "dismiss"]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (["approve"], ["live", "queue", "answered", "dismiss"]),
        (["approve", "queue"], ["live", "unqueue", "answered", "dismiss"]),
        (["approve", "live"], ["unlive", "answered", "dismiss"]),
        (["approve", "answered"], ["restore", "live"]),
        (["dismiss"], ["approve", "restore"]),
    ],
)
def test_every_offered_action_is_accepted_and_no_other(session, event, clock, steps, expected):
    question = submit(session, event, clock)
    for step in steps:
        act(session, event, clock, question, step)
    assert questions.allowed_actions(question) == expected
    assert questions.moderator_view(question)["actions"] == expected
    # Each action the card offers goes through; each it leaves out is refused.
    for n, action in enumerate(questions.ACTION_ORDER, start=10):
        probe = submit(session, event, clock, n)
        for step in steps:
            act(session, event, clock, probe, step)
        offered = action in questions.allowed_actions(probe)
        before = (probe.status, probe.queue_position)
        try:
            act(session, event, clock, probe, action)
        except Conflict:
            session.rollback()
            assert not offered, action
        else:
            # Queueing a queued question (or the reverse) is accepted as a no-op: not offered.
            assert offered or (probe.status, probe.queue_position) == before, action


def test_a_merged_question_offers_nothing(session, event, clock):
    first = submit(session, event, clock, 1)
    second = submit(session, event, clock, 2)
    act(session, event, clock, second, "merge", into=first.id)
    assert questions.allowed_actions(second) == []


def test_the_suggestion_is_the_first_of_up_next_then_starred_then_most_voted(session, event, clock):
    assert overview.suggested_next(session, event) is None
    plain = approved(session, event, clock, 1)
    assert overview.suggested_next(session, event) is plain
    starred = approved(session, event, clock, 2)
    act(session, event, clock, starred, "star")
    assert overview.suggested_next(session, event) is starred
    queued = approved(session, event, clock, 3)
    act(session, event, clock, queued, "queue")
    assert overview.suggested_next(session, event) is queued
    submit(session, event, clock, 4)  # pending questions are never suggested
    act(session, event, clock, queued, "dismiss")
    assert overview.suggested_next(session, event) is starred


def test_the_room_and_online_take_turns(session, event, clock):
    online = approved(session, event, clock, 1, via="online")
    room = approved(session, event, clock, 2, via="room")
    other_room = approved(session, event, clock, 3, via="room")
    other_online = approved(session, event, clock, 4, via="online")
    act(session, event, clock, online, "star")
    act(session, event, clock, other_online, "star")
    act(session, event, clock, online, "live")
    clock.advance(1000)
    # After an online question the room's turn, though an online one is starred.
    assert overview.suggested_next(session, event) is room
    act(session, event, clock, room, "live")
    clock.advance(1000)
    assert overview.suggested_next(session, event) is online  # back in the queue, starred
    # No question of the wanted origin left: the best of the others.
    act(session, event, clock, online, "dismiss")
    act(session, event, clock, other_online, "dismiss")
    assert overview.suggested_next(session, event) is other_room


def test_coverage_counts_each_theme_and_flags_the_neglected_one(session, event, clock):
    events.update_settings(session, event, current_theme=THEME, clock=clock)
    waiting = approved(session, event, clock, 1, theme=OTHER_THEME)
    answered = approved(session, event, clock, 2)
    act(session, event, clock, answered, "answered")
    submit(session, event, clock, 3)  # pending: submitted, not published
    merged = submit(session, event, clock, 4)
    act(session, event, clock, merged, "merge", into=answered.id)
    session.get(type(waiting), waiting.id).votes = 3
    session.commit()
    table = {row["theme"]: row for row in overview.theme_coverage(session, event)}
    assert tuple(table) == tuple(events.theme_keys(event))
    assert table[THEME] | {} == {
        "theme": THEME,
        "submitted": 2,
        "published": 1,
        "answered": 1,
        "waiting": 0,
        "votes": 0,
        "current": True,
        "neglected": False,
    }
    assert table[OTHER_THEME]["waiting"] == 1
    assert table[OTHER_THEME]["votes"] == 3
    assert table[OTHER_THEME]["neglected"] is True
    events.update_settings(session, event, current_theme=OTHER_THEME, clock=clock)
    table = {row["theme"]: row for row in overview.theme_coverage(session, event)}
    assert table[OTHER_THEME]["neglected"] is False


def test_the_overview_carries_the_suggestion_as_moderators_see_it(session, event, clock):
    question = approved(session, event, clock)
    view = overview.overview(session, event, clock=clock)
    assert view["suggested"] == questions.moderator_view(question)
    assert view["computed_ms"] == clock.now_ms
    assert len(view["coverage"]) == len(events.theme_keys(event))
