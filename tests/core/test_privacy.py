"""Askers' names and affiliations are erased after the event, on an injected clock: the
questions, their votes and the counts stay; an event that does not ask for it keeps them."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from moderator.core import events, privacy, questions, votes
from moderator.core.clock import FakeClock
from moderator.core.votes import Ballot
from moderator.models import Question, Vote
from tests.fixtures.constants import EVENT, THEME
from tests.fixtures.core import curate, floor, submit
from tests.fixtures.helpers import wait_until

DAYS = 30


def ms(*moment: int) -> int:
    """A UTC moment in ms since the epoch."""
    return int(datetime(*moment, tzinfo=UTC).timestamp()) * 1000  # type: ignore[misc]


# tests/data/panel.toml: 2030-03-14 in Africa/Nairobi (UTC+3, no daylight saving). The day ends
# at 21:00 UTC; thirty days later is 2030-04-13 21:00 UTC.
PANEL_DUE_MS = ms(2030, 4, 13, 21)


def with_erasure(definition, days: int | None = DAYS, **changes):
    return dataclasses.replace(definition, erase_names_after_days=days, **changes)


@pytest.fixture
def erasing(session, panel_definition, clock):
    """The test event, set to erase its askers' names thirty days after its date."""
    events.install_events(session, [with_erasure(panel_definition)], clock=clock)
    return events.get_event(session, EVENT)


def fill(session, event, clock) -> None:
    """Questions in every state, some with a name or an affiliation, with votes by origin."""
    named, _ = submit(session, event, clock, 1, name="Ann Asker", affiliation="Clinic A")
    only_name, _ = submit(session, event, clock, 2, name="Bo")
    only_affiliation, _ = submit(session, event, clock, 3, affiliation="Ministry B")
    anonymous, _ = submit(session, event, clock, 4)
    pending, _ = submit(session, event, clock, 5, name="Still Pending")
    dismissed, _ = submit(session, event, clock, 6, name="Dee")
    floor(
        session,
        event,
        clock,
        text="From the floor?",
        theme=THEME,
        client_msg_id="floor-msg-0001",
        name="Floor Speaker",
        affiliation="Row 3",
    )
    for question in (named, only_name, only_affiliation, anonymous, dismissed):
        curate(session, event, clock, question, "approve")
    curate(session, event, clock, named, "live")
    curate(session, event, clock, only_name, "queue")
    curate(session, event, clock, dismissed, "dismiss")
    for n, (question, via) in enumerate(
        [(named, "room"), (named, "online"), (only_affiliation, "online"), (anonymous, "room")]
    ):
        votes.vote(session, event.id, Ballot(question.id, f"voter-{n:04d}", via), clock=clock)


def state(session, event) -> dict:
    """Everything about the event's questions that erasing names must leave as it is."""
    session.expire_all()
    rows = questions.all_questions(session, event)
    return {
        "questions": [
            (
                q.id,
                q.text,
                q.theme,
                q.via,
                q.status,
                q.votes,
                q.client_id,
                q.queue_position,
                q.version,
                q.votes_revision,
                q.created_ms,
                q.updated_ms,
            )
            for q in rows
        ],
        "columns": questions.column_counts(session, event),
        "counts": votes.counts(session, [q.id for q in rows]),
        "by_origin": votes.split_by_origin(session, event),
        "votes": sorted(
            (v.question_id, v.client_id, v.via, v.created_ms) for v in session.scalars(select(Vote))
        ),
    }


def names(session, event) -> list[tuple[str | None, str | None]]:
    session.expire_all()
    return [(q.name, q.affiliation) for q in questions.all_questions(session, event)]


# --- When the names are due to go -----------------------------------------------------------


def test_names_are_due_at_the_end_of_the_event_day_plus_the_days_set(panel_definition):
    assert privacy.erasure_due_ms(with_erasure(panel_definition)) == PANEL_DUE_MS
    assert privacy.erasure_due_ms(with_erasure(panel_definition, 0)) == ms(2030, 3, 14, 21)


@pytest.mark.parametrize(
    "changes",
    [{"days": None}, {"date": ""}, {"days": None, "date": ""}],
    ids=["no setting", "no date", "neither"],
)
def test_without_a_date_or_the_setting_names_are_never_due(panel_definition, changes):
    days = changes.pop("days", DAYS)
    assert privacy.erasure_due_ms(with_erasure(panel_definition, days, **changes)) is None


def test_the_same_date_ends_earlier_in_auckland_than_in_new_york(panel_definition):
    # 2030-03-15 00:00 is 11:00 UTC the day before in Auckland (NZDT, +13) and 04:00 UTC in
    # New York (EDT since 10 March, -4).
    auckland = with_erasure(panel_definition, 0, timezone="Pacific/Auckland")
    new_york = with_erasure(panel_definition, 0, timezone="America/New_York")
    assert privacy.erasure_due_ms(auckland) == ms(2030, 3, 14, 11)
    assert privacy.erasure_due_ms(new_york) == ms(2030, 3, 15, 4)


def test_days_are_counted_on_the_calendar_of_the_event_across_a_clock_change(panel_definition):
    # New York moves its clocks back on 3 November 2030: 2 Nov + 1 + 2 days is still midnight
    # there, 05:00 UTC (EST) rather than the 04:00 UTC of 72 hours after midnight EDT.
    definition = with_erasure(panel_definition, 2, timezone="America/New_York", date="2030-11-02")
    assert privacy.erasure_due_ms(definition) == ms(2030, 11, 5, 5)


# --- The sweep ------------------------------------------------------------------------------


def test_before_the_moment_nothing_changes(session, erasing, clock):
    fill(session, erasing, clock)
    before, named = state(session, erasing), names(session, erasing)
    clock.now_ms = PANEL_DUE_MS - 1
    assert privacy.erase_due(session, clock=clock) == []
    assert names(session, erasing) == named
    assert state(session, erasing) == before
    assert erasing.names_erased_ms is None


def test_after_it_names_go_and_questions_votes_and_counts_stay(session, erasing, clock):
    fill(session, erasing, clock)
    before = state(session, erasing)
    assert sum(1 for pair in names(session, erasing) if pair != (None, None)) == 6
    clock.now_ms = PANEL_DUE_MS
    assert privacy.erase_due(session, clock=clock) == [EVENT]
    assert names(session, erasing) == [(None, None)] * 7
    assert state(session, erasing) == before
    session.refresh(erasing)
    assert erasing.names_erased_ms == PANEL_DUE_MS


def test_erasing_twice_changes_nothing_more(session, erasing, clock):
    fill(session, erasing, clock)
    clock.now_ms = PANEL_DUE_MS + 1000
    assert privacy.erase_due(session, clock=clock) == [EVENT]
    after = state(session, erasing)
    clock.advance(3_600_000)
    assert privacy.erase_due(session, clock=clock) == []
    assert privacy.erase_names(session, erasing, clock=clock) == 0
    assert state(session, erasing) == after
    assert names(session, erasing) == [(None, None)] * 7


def test_a_name_given_after_the_erasure_goes_at_the_next_sweep(session, erasing, clock):
    fill(session, erasing, clock)
    clock.now_ms = PANEL_DUE_MS
    privacy.erase_due(session, clock=clock)
    late, _ = submit(session, erasing, clock, 9, name="Late Comer")
    clock.advance(600_000)
    assert privacy.erase_due(session, clock=clock) == [EVENT]
    session.refresh(late)
    assert (late.name, late.affiliation) == (None, None)


@pytest.mark.parametrize(
    "changes", [{"days": None}, {"date": ""}], ids=["without the setting", "without a date"]
)
def test_an_event_that_does_not_ask_keeps_its_names(session, panel_definition, clock, changes):
    days = changes.pop("days", DAYS)
    definition = with_erasure(panel_definition, days, **changes)
    events.install_events(session, [definition], clock=clock)
    event = events.get_event(session, EVENT)
    fill(session, event, clock)
    named = names(session, event)
    clock.now_ms = ms(2100, 1, 1)
    assert privacy.erase_due(session, clock=clock) == []
    assert names(session, event) == named


def test_events_in_different_time_zones_become_due_at_their_own_midnight(
    session, panel_definition, clock
):
    definitions = [
        with_erasure(panel_definition, 0, code=code, timezone=zone)
        for code, zone in (("akl", "Pacific/Auckland"), ("nyc", "America/New_York"))
    ]
    events.install_events(session, definitions, clock=clock)
    auckland, new_york = (events.get_event(session, code) for code in ("akl", "nyc"))
    for event in (auckland, new_york):
        submit(session, event, clock, 1, name="Kim", affiliation="Harbour Clinic")
    clock.now_ms = ms(2030, 3, 14, 11) - 1
    assert privacy.erase_due(session, clock=clock) == []
    clock.now_ms = ms(2030, 3, 14, 11)
    assert privacy.erase_due(session, clock=clock) == ["akl"]
    assert names(session, auckland) == [(None, None)]
    assert names(session, new_york) == [("Kim", "Harbour Clinic")]
    clock.now_ms = ms(2030, 3, 15, 4)
    assert privacy.erase_due(session, clock=clock) == ["nyc"]
    assert names(session, new_york) == [(None, None)]


def test_a_moderator_change_read_before_the_erasure_still_applies(
    database, session, erasing, clock
):
    # The erasure leaves the optimistic lock's version alone: a moderator acting on a copy read
    # just before it is not refused, and does not write the name back.
    question, _ = submit(session, erasing, clock, 1, name="Ann Asker", affiliation="Clinic A")
    assert question.name == "Ann Asker"  # loaded in this session, with the name
    with database.session() as other:
        assert privacy.erase_names(other, events.get_event(other, EVENT), clock=clock) == 1
    curate(session, erasing, clock, question, "approve")
    with database.session() as fresh:
        stored = fresh.get(Question, question.id)
        assert stored is not None
        assert (stored.status, stored.name, stored.affiliation) == ("approved", None, None)


def test_on_postgresql_too(postgres_url, panel_definition, clock):
    from moderator.db import Database

    database = Database(postgres_url)
    try:
        with database.session() as s:
            events.install_events(s, [with_erasure(panel_definition)], clock=clock)
            event = events.get_event(s, EVENT)
            fill(s, event, clock)
            before = state(s, event)
            clock.now_ms = PANEL_DUE_MS
            assert privacy.erase_due(s, clock=clock) == [EVENT]
            assert names(s, event) == [(None, None)] * 7
            assert state(s, event) == before
    finally:
        database.dispose()


# --- The background worker ------------------------------------------------------------------


@pytest.fixture
def app_event(app, panel_definition):
    """The app's test event, set to erase names after thirty days, with named questions, on a
    fake clock that stands just before the moment."""
    from moderator import runtime

    clock = FakeClock(PANEL_DUE_MS - 1)
    runtime.of(app).clock = clock
    with runtime.database(app).session() as s:
        events.install_events(s, [with_erasure(panel_definition)], clock=clock)
        fill(s, events.get_event(s, EVENT), clock)
    return clock


def app_names(app) -> list[tuple[str | None, str | None]]:
    from moderator import runtime

    with runtime.database(app).session() as s:
        return names(s, events.get_event(s, EVENT))


def test_the_worker_step_erases_a_due_event(app, app_event):
    from moderator import runtime

    sweep = runtime.of(app).privacy_sweep
    before = app_names(app)
    sweep.step()
    assert app_names(app) == before
    app_event.advance(1)
    with runtime.database(app).session() as s:
        published = runtime.public_questions(app).get(
            s, events.get_event(s, EVENT), clock=app_event
        )
    assert any(view["name"] for view in published.views)
    sweep.step()
    assert app_names(app) == [(None, None)] * 7
    # This process's copy of the published questions is read again, without the names.
    with runtime.database(app).session() as s:
        published = runtime.public_questions(app).get(
            s, events.get_event(s, EVENT), clock=app_event
        )
    assert {(v["name"], v["affiliation"]) for v in published.views} == {(None, None)}


@pytest.mark.parametrize(("every_s", "runs"), [(42, True), (0, False)])
def test_the_worker_starts_with_the_app_unless_switched_off(config_class, every_s, runs):
    from moderator import runtime
    from moderator.app import create_app

    config_class.PRIVACY_SWEEP_S = every_s
    app = create_app(config_class)
    try:
        sweep = runtime.of(app).privacy_sweep
        assert sweep.interval == every_s
        wait_until(lambda: sweep.running == runs, message=f"running is {runs}")
    finally:
        runtime.of(app).close()


def test_a_sweep_that_finds_the_database_down_is_retried(app, app_event, monkeypatch):
    from moderator import runtime
    from moderator.tasks import PrivacySweep

    database = runtime.database(app)
    real_session = database.session
    attempts = []

    def session_once_down():
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("SELECT", {}, ConnectionRefusedError("database down"))
        return real_session()

    monkeypatch.setattr(database, "session", session_once_down)
    app_event.advance(1)
    sweep = PrivacySweep(app)
    sweep.interval = 0.01
    sweep.wake()

    def erased() -> bool:
        with real_session() as s:
            return names(s, events.get_event(s, EVENT)) == [(None, None)] * 7

    try:
        wait_until(erased, message="names erased on the second attempt")
    finally:
        sweep.stop()
    assert sweep.restarts == 1 and sweep.last_error == "OperationalError"
