"""The timer (the agenda countdown) on its own: timestamps, a fake clock, no Flask.

The test event's agenda (tests/data/panel.toml): Welcome 10 min, Discussion 15 min, Closing
5 min (warning at 60 s), from 14:00 on 2030-03-14 in Nairobi.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from moderator.core import events, screens, timer
from moderator.core.clock import FakeClock
from moderator.core.errors import Conflict, Forbidden, InvalidInput
from tests.fixtures.constants import EVENT, FRENCH, SEGMENTS

MIN = 60_000
NAIROBI = ZoneInfo("Africa/Nairobi")


def at(day: str, hhmm: str) -> int:
    return int(datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=NAIROBI).timestamp() * 1000)


@pytest.fixture
def clock():
    # A rehearsal day, not the event's date.
    return FakeClock(at("2030-03-07", "15:00"))


def command(session, event, clock, action, **params):
    return timer.apply(session, event, timer.TimerCommand(action, **params), clock=clock)


def view(session, event, clock):
    return timer.timer_view(event, timer.get_timer(session, event, clock=clock), now=clock())


def test_a_new_timer_waits_on_the_first_segment(session, event, clock):
    state = view(session, event, clock)
    assert (state["segment_index"], state["state"]) == (0, "idle")
    assert state["remaining_ms"] == state["duration_ms"] == 10 * MIN
    assert state["segment"]["title"] == SEGMENTS[0]
    assert state["next"]["title"] == SEGMENTS[1]


def test_every_screen_gets_the_segment_titles_in_every_language_the_file_gives(
    session, event, clock
):
    state = view(session, event, clock)
    assert state["language"] == "en"
    assert state["segment"]["titles"] == {"fr": FRENCH["segment"]}
    assert state["next"]["titles"] == {}  # not translated: each page shows "title"
    assert [s["titles"] for s in state["schedule"]] == [{"fr": FRENCH["segment"]}, {}, {}]


def test_running_counts_down_from_timestamps(session, event, clock):
    command(session, event, clock, "start")
    clock.advance(90_500)
    state = view(session, event, clock)
    assert state["state"] == "running"
    assert state["remaining_ms"] == 10 * MIN - 90_500
    assert state["started_ms"] == clock.now_ms - 90_500


def test_pause_freezes_and_resume_continues(session, event, clock):
    command(session, event, clock, "start")
    clock.advance(60_000)
    command(session, event, clock, "pause")
    clock.advance(5 * MIN)
    assert view(session, event, clock)["remaining_ms"] == 9 * MIN
    command(session, event, clock, "resume")
    clock.advance(30_000)
    assert view(session, event, clock)["remaining_ms"] == 9 * MIN - 30_000


def test_start_on_a_paused_timer_resumes_it(session, event, clock):
    command(session, event, clock, "start")
    clock.advance(MIN)
    command(session, event, clock, "pause")
    command(session, event, clock, "start")
    clock.advance(MIN)
    assert view(session, event, clock)["remaining_ms"] == 8 * MIN


@pytest.mark.parametrize("seconds", [60, -60, 0.5, -299])
def test_adjust_adds_or_removes_time_in_any_state(session, event, clock, seconds):
    command(session, event, clock, "adjust", seconds=seconds)
    assert view(session, event, clock)["remaining_ms"] == 10 * MIN + round(seconds * 1000)
    command(session, event, clock, "start")
    clock.advance(1000)
    command(session, event, clock, "adjust", seconds=seconds)
    assert (
        view(session, event, clock)["remaining_ms"] == 10 * MIN + 2 * round(seconds * 1000) - 1000
    )


def test_overtime_counts_up_as_negative_remaining(session, event, clock):
    command(session, event, clock, "start")
    clock.advance(10 * MIN + 75_000)
    state = view(session, event, clock)
    assert state["remaining_ms"] == -75_000
    assert state["phase"] == "overtime"


@pytest.mark.parametrize(
    ("left_ms", "phase"),
    [
        (10 * MIN, "normal"),
        (120_001, "normal"),
        (120_000, "warning"),
        (1, "warning"),
        (0, "danger"),
        (-1, "overtime"),
    ],
)
def test_warning_and_danger_thresholds(session, event, clock, left_ms, phase):
    command(session, event, clock, "start")
    clock.advance(10 * MIN - left_ms)
    state = view(session, event, clock)
    assert state["remaining_ms"] == left_ms
    assert state["phase"] == phase


def test_thresholds_come_from_the_event_file(session, event, clock):
    command(session, event, clock, "goto", index=2)  # Closing: warning = 60
    assert view(session, event, clock)["segment"]["warning_ms"] == 60_000
    assert timer.phase_of(event.spec.segments[2], remaining_ms=61_000) == "normal"
    assert timer.phase_of(event.spec.segments[2], remaining_ms=60_000) == "warning"


def test_reset_returns_the_segment_to_its_full_length(session, event, clock):
    command(session, event, clock, "start")
    command(session, event, clock, "adjust", seconds=120)
    clock.advance(MIN)
    command(session, event, clock, "reset")
    state = view(session, event, clock)
    assert (state["state"], state["remaining_ms"]) == ("idle", 10 * MIN)


def test_next_while_running_starts_the_next_segment(session, event, clock):
    command(session, event, clock, "start")
    clock.advance(11 * MIN)
    command(session, event, clock, "next")
    state = view(session, event, clock)
    assert (state["segment_index"], state["state"], state["remaining_ms"]) == (
        1,
        "running",
        15 * MIN,
    )
    assert state["schedule"][1]["actual_start_ms"] == clock.now_ms


def test_next_while_idle_loads_it_without_starting(session, event, clock):
    command(session, event, clock, "next")
    command(session, event, clock, "previous")
    command(session, event, clock, "goto", index=2)
    state = view(session, event, clock)
    assert (state["segment_index"], state["state"], state["remaining_ms"]) == (2, "idle", 5 * MIN)


Command = timer.TimerCommand


@pytest.mark.parametrize(
    ("params", "error", "code"),
    [
        (Command("explode"), InvalidInput, "unknown_action"),
        (Command("goto", index=5), InvalidInput, "index_out_of_range"),
        (Command("goto", index=-1), InvalidInput, "index_out_of_range"),
        (Command("goto"), InvalidInput, "invalid_index"),
        (Command("adjust"), InvalidInput, "invalid_seconds"),
        (Command("adjust", seconds=float("nan")), InvalidInput, "invalid_seconds"),
        (Command("adjust", seconds=float("-inf")), InvalidInput, "invalid_seconds"),
        (Command("adjust", seconds=86401), InvalidInput, "adjust_too_large"),
        (Command("adjust", seconds=-601), InvalidInput, "adjust_too_large"),
        (Command("pause"), Conflict, "not_running"),
        (Command("resume"), Conflict, "not_paused"),
        (Command("previous"), Conflict, "no_previous_segment"),
        (Command("auto_advance"), InvalidInput, "invalid_enabled"),
        (Command("goto", index=3), InvalidInput, "index_out_of_range"),
        (Command("dance"), InvalidInput, "unknown_action"),
    ],
)
def test_bad_commands_leave_the_timer_unchanged(session, event, clock, params, error, code):
    before = view(session, event, clock)
    with pytest.raises(error) as caught:
        timer.apply(session, event, params, clock=clock)
    assert caught.value.code == code
    session.expire_all()
    assert view(session, event, clock) == before


def test_next_on_the_last_segment_and_start_while_running_are_refused(session, event, clock):
    command(session, event, clock, "goto", index=2)
    with pytest.raises(Conflict, match="last segment"):
        command(session, event, clock, "next")
    command(session, event, clock, "start")
    with pytest.raises(Conflict, match="already running"):
        command(session, event, clock, "start")


def test_the_state_survives_a_new_session_exactly(database, event, clock):
    with database.session() as s:
        e = events.get_event(s, EVENT)
        command(s, e, clock, "start")
        clock.advance(123_456)
        expected = view(s, e, clock)["remaining_ms"]
    # A restart: nothing in memory, only what was stored.
    with database.session() as s:
        e = events.get_event(s, EVENT)
        assert view(s, e, clock)["remaining_ms"] == expected
        clock.advance(1000)
        assert view(s, e, clock)["remaining_ms"] == expected - 1000


def test_two_moderators_at_once_one_wins(database, clock):
    with database.session() as a, database.session() as b:
        event_a, event_b = events.get_event(a, EVENT), events.get_event(b, EVENT)
        # Both moderators' requests have read the timer before either writes.
        row_a, row_b = (
            timer.get_timer(a, event_a, clock=clock),
            timer.get_timer(b, event_b, clock=clock),
        )
        assert row_a.version == row_b.version
        command(a, event_a, clock, "start")
        with pytest.raises(Conflict, match="same moment"):
            command(b, event_b, clock, "adjust", seconds=60)


def test_auto_advance_starts_the_next_segment_at_zero(session, event, clock):
    command(session, event, clock, "auto_advance", enabled=True)
    row = command(session, event, clock, "start")
    version = row.version
    clock.advance(9 * MIN)
    assert not timer.advance_if_due(session, event, version=version, clock=clock)  # not yet
    clock.advance(MIN + 250)  # the wake-up came 250 ms late
    assert timer.advance_if_due(session, event, version=version, clock=clock)
    state = view(session, event, clock)
    assert (state["segment_index"], state["state"]) == (1, "running")
    # The next segment started when the first reached zero, not when the task woke up.
    assert state["remaining_ms"] == 15 * MIN - 250
    assert not timer.advance_if_due(
        session, event, version=version, clock=clock
    )  # a second process: too late


def test_without_auto_advance_the_timer_runs_into_overtime(session, event, clock):
    row = command(session, event, clock, "start")
    clock.advance(11 * MIN)
    assert not timer.advance_if_due(session, event, version=row.version, clock=clock)
    assert view(session, event, clock)["segment_index"] == 0


def test_schedule_on_the_event_day_uses_the_published_times(session, event):
    clock = FakeClock(at("2030-03-14", "14:05"))  # five minutes late
    command(session, event, clock, "start")
    state = view(session, event, clock)
    assert state["schedule"][0]["planned_start_ms"] == at("2030-03-14", "14:00")
    assert state["schedule"][2]["planned_start_ms"] == at("2030-03-14", "14:25")
    assert state["planned_end_ms"] == at("2030-03-14", "14:30")
    assert state["drift_ms"] == 5 * MIN
    assert state["projected_end_ms"] == at("2030-03-14", "14:35")


def test_drift_on_a_rehearsal_day_counts_from_the_first_start(session, event, clock):
    start = clock.now_ms
    command(session, event, clock, "start")
    clock.advance(12 * MIN)  # two minutes over the opening
    state = view(session, event, clock)
    assert state["schedule"][0]["planned_start_ms"] == start
    assert state["drift_ms"] == 2 * MIN
    command(session, event, clock, "next")
    clock.advance(10 * MIN)  # five minutes faster than planned into the context segment
    command(session, event, clock, "next")
    state = view(session, event, clock)
    assert state["drift_ms"] == 2 * MIN - 5 * MIN
    assert state["schedule"][2]["actual_start_ms"] == clock.now_ms


def test_a_paused_timer_pushes_the_projected_end(session, event, clock):
    command(session, event, clock, "start")
    command(session, event, clock, "pause")
    clock.advance(3 * MIN)
    assert view(session, event, clock)["drift_ms"] == 3 * MIN


def test_display_messages_flash_and_blackout(session, event, clock):
    display = screens.apply_display(
        session, event, action="message", text=" 2  minutes ", clock=clock
    )
    assert (display.message, display.message_ms) == ("2 minutes", clock.now_ms)
    screens.apply_display(session, event, action="flash", clock=clock)
    screens.apply_display(session, event, action="blackout", on=True, clock=clock)
    view_ = screens.display_view(display)
    assert view_ == {
        "blackout": True,
        "message": "2 minutes",
        "message_ms": clock.now_ms,
        "flash_ms": clock.now_ms,
        "speaker_time": False,
    }
    # The stage monitors' speaker time is its own switch: blackout leaves it alone.
    screens.apply_display(session, event, action="speaker_time", on=True, clock=clock)
    assert screens.display_view(display) == {**view_, "speaker_time": True}
    screens.apply_display(session, event, action="clear", clock=clock)
    assert display.message is None


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"action": "message", "text": ""}, "empty_text"),
        ({"action": "message", "text": "x" * 201}, "text_too_long"),
        ({"action": "blackout"}, "invalid_on"),
        ({"action": "speaker_time"}, "invalid_on"),
        ({"action": "dance"}, "unknown_action"),
    ],
)
def test_bad_display_commands_are_refused(session, event, clock, data, code):
    with pytest.raises(InvalidInput) as caught:
        screens.apply_display(session, event, **data, clock=clock)
    assert caught.value.code == code
    display = screens.get_display(session, event, clock=clock)
    assert screens.display_view(display)["message"] is None


def test_paired_screens_report_their_offset_and_are_kept_when_they_leave(session, event, clock):
    waiting = screens.waiting_screen(session, event, kind="screen", clock=clock)
    assert screens.list_screens(session, event) == []
    assert waiting.pairing_code is not None
    screen, token = screens.pair_screen(
        session, event, code=waiting.pairing_code, label=" Left  TV ", clock=clock
    )
    report = {"screen_id": screen.screen_id, "token": token, "offset_ms": -120000.5}
    screens.report_screen(session, event, **report, rtt_ms=12.25, clock=clock)
    clock.advance(5000)
    screens.screen_gone(session, event, screen.screen_id, clock=clock)
    [listed] = [screens.screen_view(s) for s in screens.list_screens(session, event)]
    assert listed == {
        "screen_id": screen.screen_id,
        "kind": "screen",
        "label": "Left TV",
        "offset_ms": -120000.5,
        "rtt_ms": 12.25,
        "connected": False,
        "last_seen_ms": clock.now_ms,
    }
    with pytest.raises(Forbidden):
        screens.report_screen(
            session, event, **{**report, "token": "wrong"}, rtt_ms=None, clock=clock
        )
    with pytest.raises(InvalidInput):
        screens.report_screen(
            session, event, **{**report, "offset_ms": 1e13}, rtt_ms=None, clock=clock
        )


def test_a_rehearsal_started_at_a_later_segment_plans_the_earlier_ones_as_run(
    session, event, clock
):
    command(session, event, clock, "goto", index=2)  # straight to the closing
    command(session, event, clock, "start")
    state = view(session, event, clock)
    assert state["schedule"][2]["planned_start_ms"] == clock.now_ms
    assert state["drift_ms"] == 0
