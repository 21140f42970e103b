"""The rate limiter on its own: windows, the two halves (person and address), the defaults
against a room of 500 behind one NAT, and counting on in memory when Redis does not answer."""

from __future__ import annotations

import logging

import pytest

from config import Config
from moderator.core.clock import FakeClock
from moderator.core.errors import RateLimited
from moderator.limits import Limiter, Rule, rules_from

START_MS = 60_000 * 29_140_575  # the start of a minute's window
ROOM = "203.0.113.7"


def defaults() -> dict[str, Rule]:
    return rules_from({name: getattr(Config, name) for name in dir(Config) if name.isupper()})


def limiter(**rules: tuple[int, int]) -> Limiter:
    return Limiter(
        {name: Rule(name, person, address, 60) for name, (person, address) in rules.items()},
        secret="test-secret",
    )


def test_a_person_is_refused_past_their_figure_until_the_window_ends():
    clock = FakeClock(START_MS + 12_300)
    votes = limiter(vote=(2, 100))
    for _ in range(2):
        votes.hit("vote", identity="attendee:a", address=ROOM, clock=clock)
    with pytest.raises(RateLimited) as refused:
        votes.hit("vote", identity="attendee:a", address=ROOM, clock=clock)
    assert refused.value.status == 429 and refused.value.code == "rate_limited"
    assert refused.value.retry_after == 48  # 47.7 s rounded up
    assert refused.value.as_dict()["error"]["retry_after"] == 48
    votes.hit("vote", identity="attendee:b", address=ROOM, clock=clock)  # someone else
    clock.advance(47_700)
    votes.hit("vote", identity="attendee:a", address=ROOM, clock=clock)  # the next window


def test_an_address_is_refused_past_its_figure_whoever_asks():
    clock = FakeClock(START_MS)
    votes = limiter(vote=(2, 5))
    for n in range(5):
        votes.hit("vote", identity=f"attendee:{n}", address=ROOM, clock=clock)
    with pytest.raises(RateLimited, match="from your network"):
        votes.hit("vote", identity="attendee:new", address=ROOM, clock=clock)
    with pytest.raises(RateLimited):
        votes.hit("vote", identity=None, address=ROOM, clock=clock)
    votes.hit("vote", identity="attendee:new", address="198.51.100.1", clock=clock)


def test_one_person_past_their_figure_does_not_spend_the_address_budget():
    clock = FakeClock(START_MS)
    votes = limiter(vote=(2, 5))
    for _ in range(50):  # one phone hammering behind the room's address
        try:
            votes.hit("vote", identity="attendee:loud", address=ROOM, clock=clock)
        except RateLimited:
            pass
    # It spent 2 of the room's 5; three others still get through.
    for n in range(3):
        votes.hit("vote", identity=f"attendee:{n}", address=ROOM, clock=clock)
    with pytest.raises(RateLimited, match="from your network"):
        votes.hit("vote", identity="attendee:late", address=ROOM, clock=clock)


def test_a_figure_of_zero_switches_that_half_off():
    clock = FakeClock(START_MS)
    look_ups = limiter(similar=(0, 3))
    for _ in range(3):
        look_ups.hit("similar", identity="attendee:a", address=ROOM, clock=clock)
    with pytest.raises(RateLimited):
        look_ups.hit("similar", identity="attendee:b", address=ROOM, clock=clock)
    unlimited = limiter(similar=(0, 0))
    for _ in range(1000):
        unlimited.hit("similar", identity="attendee:a", address=ROOM, clock=clock)


def test_the_defaults_let_a_room_of_500_behind_one_address_join_and_vote_in_two_minutes():
    """500 phones behind one NAT each connect, look up, send a question and vote on five
    questions (and take one vote back) within two minutes: nobody is refused."""
    clock = FakeClock(START_MS)
    room = Limiter(defaults(), secret="test-secret")
    for n in range(500):
        clock.advance(240)  # 500 people spread over two minutes
        person = f"attendee:phone-{n}"
        for rule in ("connect", "similar", "submit", *["vote"] * 6):
            room.hit(rule, identity=person, address=ROOM, clock=clock)


def test_the_defaults_hold_one_address_rotating_identities_at_its_ceiling():
    clock = FakeClock(START_MS)
    rules = defaults()
    room = Limiter(rules, secret="test-secret")
    ceiling = rules["vote"].per_address
    assert rules["vote"].per_identity < 100 <= 1000 <= ceiling
    for n in range(ceiling):
        room.hit("vote", identity=f"attendee:rotating-{n}", address=ROOM, clock=clock)
    with pytest.raises(RateLimited):
        room.hit("vote", identity="attendee:rotating-new", address=ROOM, clock=clock)


def test_without_redis_each_process_counts_on_and_says_so_once(caplog):
    caplog.set_level(logging.WARNING, logger="moderator.limits")
    clock = FakeClock(START_MS)
    rules = {"vote": Rule("vote", 3, 100, 60)}
    # Nothing listens on port 1: every Redis call fails at once.
    away = Limiter(rules, secret="test-secret", redis_url="redis://127.0.0.1:1/0")
    assert away.shared
    for _ in range(3):
        away.hit("vote", identity="attendee:a", address=ROOM, clock=clock)
    assert not away.shared
    with pytest.raises(RateLimited):  # still limited, counted here
        away.hit("vote", identity="attendee:a", address=ROOM, clock=clock)
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "counted per process" in warnings[0]
    away.close()
