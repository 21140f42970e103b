"""Who has the floor, in the core: the speakers an event offers, switching, correcting an
interval afterwards, and the balance (shares, targets, groups), on a fake clock."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy.exc import IntegrityError

from moderator.core import speaking
from moderator.core.errors import Conflict, InvalidInput, NotFound
from moderator.core.event_file import Person, Segment
from moderator.models import SpeakingInterval

MIN = 60_000


def test_speakers_are_the_moderator_panelists_agenda_speakers_and_the_audience(panel_definition):
    definition = dataclasses.replace(
        panel_definition,
        segments=(
            *panel_definition.segments,
            Segment(
                "Keynote",
                600,
                speakers=("Dr. Keynote, Chief Economist", "Panelist One, again", "محمد علي"),
            ),
        ),
    )
    speakers = speaking.speakers_of(definition)
    assert [(s.id, s.kind) for s in speakers] == [
        ("moderator", "moderator"),
        ("panelist-one", "panelist"),
        ("panelist-two", "panelist"),
        ("audience-room", "audience"),
        ("audience-online", "audience"),
        ("dr-keynote", "speaker"),
        ("محمد-علي", "speaker"),
    ]
    assert speakers[5].role == "Chief Economist"
    # Named like a fixed id, or twice over: still one id each.
    clash = dataclasses.replace(
        panel_definition,
        segments=panel_definition.segments[:1],
        panelists=(Person("Moderator"), Person("A. B."), Person("A B")),
    )
    assert [s.id for s in speaking.speakers_of(clash)][:4] == [
        "moderator",
        "person-moderator",
        "a-b",
        "a-b-2",
    ]


def test_switching_closes_the_open_interval_at_the_same_instant(session, event, clock):
    speaking.switch(session, event, "panelist-one", clock=clock)
    clock.advance(2 * MIN)
    speaking.switch(session, event, "panelist-one", clock=clock)  # the same: nothing changes
    clock.advance(MIN)
    speaking.switch(session, event, "audience-room", clock=clock)
    clock.advance(30_000)
    assert speaking.switch(session, event, None, clock=clock) is None
    intervals = speaking.intervals_of(session, event)
    assert [(i.speaker, i.ended_ms - i.started_ms) for i in intervals] == [
        ("panelist-one", 3 * MIN),
        ("audience-room", 30_000),
    ]
    assert intervals[0].ended_ms == intervals[1].started_ms
    assert speaking.open_interval(session, event) is None


def test_two_presses_in_one_millisecond_leave_no_empty_interval(session, event, clock):
    speaking.switch(session, event, "panelist-one", clock=clock)
    speaking.switch(session, event, "panelist-two", clock=clock)
    assert [i.speaker for i in speaking.intervals_of(session, event)] == ["panelist-two"]


def test_an_unknown_speaker_is_refused_and_nothing_changes(session, event, clock):
    speaking.switch(session, event, "panelist-one", clock=clock)
    with pytest.raises(InvalidInput) as refused:
        speaking.switch(session, event, "<script>", clock=clock)
    assert refused.value.code == "unknown_speaker"
    assert speaking.open_interval(session, event).speaker == "panelist-one"


def test_the_database_holds_at_most_one_open_interval_per_event(session, event, clock):
    speaking.switch(session, event, "panelist-one", clock=clock)
    session.add(SpeakingInterval(event_id=event.id, speaker="x", name="x", started_ms=clock()))
    with pytest.raises(IntegrityError):
        session.commit()


@pytest.fixture
def three(session, event, clock):
    """One, two, one again: 10, 5 and 5 minutes, the last still open; the clock at 20."""
    for speaker, minutes in (("panelist-one", 10), ("panelist-two", 5), ("panelist-one", 5)):
        speaking.switch(session, event, speaker, clock=clock)
        clock.advance(minutes * MIN)
    return speaking.intervals_of(session, event)


def test_moving_a_shared_boundary_moves_it_for_both_neighbours(session, event, clock, three):
    first, second, third = three
    start = first.started_ms
    speaking.correct(session, event, second.id, started_ms=start + 8 * MIN, clock=clock)
    speaking.correct(session, event, second.id, ended_ms=start + 16 * MIN, clock=clock)
    got = [(i.started_ms - start, i.ended_ms and i.ended_ms - start) for i in three]
    assert got == [(0, 8 * MIN), (8 * MIN, 16 * MIN), (16 * MIN, None)]
    totals = speaking.totals(speaking.intervals_of(session, event), now=clock())
    assert totals == {"panelist-one": 12 * MIN, "panelist-two": 8 * MIN}
    assert second.corrected_ms == clock() and first.corrected_ms is None


def test_the_speaker_of_an_interval_can_be_corrected(session, event, clock, three):
    speaking.correct(session, event, three[1].id, speaker="audience-online", clock=clock)
    assert (three[1].speaker, three[1].name) == ("audience-online", "Audience, online")


# Moments as minutes after the first interval's start (the three run 0-10, 10-15, 15-now, and
# now is 20); None stands for a moment of 1970.
@pytest.mark.parametrize(
    ("interval", "change", "refusal"),
    [
        (1, {"started_ms": -1}, Conflict),  # swallows the first interval
        (0, {"ended_ms": 16}, Conflict),  # reaches past the second into the third
        (1, {"started_ms": 16}, InvalidInput),  # after its own end
        (2, {"ended_ms": 30}, InvalidInput),  # in the future
        (1, {"started_ms": None}, InvalidInput),  # 1970: a moment in seconds, or a typo
        (1, {"speaker": "nobody"}, InvalidInput),
    ],
)
def test_a_correction_that_would_lose_or_double_time_is_refused(
    session, event, clock, three, interval, change, refusal
):
    start = three[0].started_ms
    body = {
        key: value if key == "speaker" else 0 if value is None else start + value * MIN
        for key, value in change.items()
    }
    before = [(i.speaker, i.started_ms, i.ended_ms) for i in speaking.intervals_of(session, event)]
    with pytest.raises(refusal):
        speaking.correct(session, event, three[interval].id, clock=clock, **body)
    session.expire_all()
    after = [(i.speaker, i.started_ms, i.ended_ms) for i in speaking.intervals_of(session, event)]
    assert after == before


def test_an_interval_of_another_event_is_not_found(session, event, clock, three):
    with pytest.raises(NotFound):
        speaking.correct(session, event, three[-1].id + 1000, speaker="panelist-two", clock=clock)


def test_the_balance_splits_what_targets_leave_equally_and_counts_groups():
    speakers = [
        speaking.Speaker("m", "M", "moderator", group="women"),
        speaking.Speaker("a", "A", "panelist", group="women", target_share=40),
        speaking.Speaker("b", "B", "panelist", group="men"),
        speaking.Speaker("c", "C", "panelist", group="men"),
        speaking.Speaker("r", "Room", "audience"),
    ]
    result = speaking.balance(speakers, {"m": 10, "a": 30, "b": 30, "c": 40, "r": 10, "gone": 5})
    rows = {r["id"]: r for r in result["speakers"]}
    assert (result["total_ms"], result["panel_total_ms"]) == (125, 100)
    assert [(rows[p]["panel_share"], rows[p]["target"], rows[p]["gap"]) for p in "abc"] == [
        (30.0, 40.0, -10.0),
        (30.0, 30.0, 0.0),
        (40.0, 30.0, 10.0),
    ]
    assert rows["r"]["share"] == 8.0 and rows["r"]["gap"] is None
    # Someone no longer listed keeps their time.
    assert rows["gone"]["total_ms"] == 5
    assert {g["group"]: g["share"] for g in result["groups"]} == {"women": 36.4, "men": 63.6}


def test_nobody_has_spoken_yet_gives_no_shares():
    result = speaking.balance([speaking.Speaker("a", "A", "panelist")], {})
    [row] = result["speakers"]
    assert (row["share"], row["panel_share"], row["gap"]) == (None, None, None)
    assert row["target"] == 100.0
