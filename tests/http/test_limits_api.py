"""Rate limits per person and per network address over HTTP: one address rotating identities
cannot exceed its ceiling, one person cannot exceed theirs, another address is unaffected, and
a refusal says when to come back (429, ``Retry-After``, ``retry_after``)."""

from __future__ import annotations

import logging

import pytest

from moderator import runtime
from moderator.core.clock import FakeClock
from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import browser_at, submission

BASE = f"/api/events/{EVENT}"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
# 20 s into a minute's window: a refusal asks to wait the 40 s left.
START_MS = 60_000 * 29_140_575 + 20_000


@pytest.fixture
def config_class(config_class):
    class Limited(config_class):
        ATTENDEES_PER_ADDRESS = 1000
        QUESTIONS_PER_MINUTE = 2
        QUESTIONS_PER_ADDRESS = 6
        VOTES_PER_PERSON = 3
        VOTES_PER_ADDRESS = 10
        SIMILAR_PER_PERSON = 2
        SIMILAR_PER_ADDRESS = 5
        SCREEN_REPORTS_PER_SCREEN = 2
        SCREEN_REPORTS_PER_ADDRESS = 4

    return Limited


@pytest.fixture
def clock(app):
    fake = FakeClock(START_MS)
    runtime.of(app).clock = fake
    return fake


def stored(client) -> list[dict]:
    return client.get(f"{BASE}/export.json", headers=BEARER).get_json()["questions"]


def published_question(app) -> int:
    """A published question, asked from an address of its own."""
    asker = browser_at(app, "127.0.0.99")
    qid = asker.post(f"{BASE}/questions", json=submission(999)).get_json()["question"]["id"]
    assert asker.post(f"{BASE}/questions/{qid}/approve", headers=BEARER).status_code == 200
    return int(qid)


def assert_rate_limited(response, retry_after: int) -> None:
    """A 429 that says when to come back, in the header and in the body, in words too."""
    assert response.status_code == 429
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited"
    assert error["retry_after"] == retry_after
    assert response.headers["Retry-After"] == str(retry_after)
    assert f"{retry_after} s" in error["message"]


def test_one_address_rotating_identities_cannot_exceed_its_question_limit(app, clock):
    attacker = browser_at(app, "127.0.0.20")
    answers = [
        attacker.post(f"{BASE}/questions", json=submission(n, client_id=f"rotating-{n:04d}"))
        for n in range(10)
    ]
    assert [r.status_code for r in answers] == [201] * 6 + [429] * 4
    assert_rate_limited(answers[6], retry_after=40)
    assert len(stored(attacker)) == 6
    # Another address is not affected.
    neighbour = browser_at(app, "127.0.0.21")
    assert neighbour.post(f"{BASE}/questions", json=submission(50)).status_code == 201
    # The next window, the attacker's address may send again.
    clock.advance(40_000)
    again = attacker.post(f"{BASE}/questions", json=submission(60, client_id="rotating-0060"))
    assert again.status_code == 201


def test_one_address_rotating_identities_cannot_exceed_its_vote_limit(app, clock):
    qid = published_question(app)
    attacker = browser_at(app, "127.0.0.22")
    url = f"{BASE}/questions/{qid}/vote"
    answers = [attacker.post(url, json={"client_id": f"voter-{n:04d}"}) for n in range(14)]
    assert [r.status_code for r in answers] == [200] * 10 + [429] * 4
    assert_rate_limited(answers[10], retry_after=40)
    [question] = [q for q in stored(attacker) if q["id"] == qid]
    assert question["votes"] == 10
    neighbour = browser_at(app, "127.0.0.23")
    assert neighbour.post(url, json={"client_id": "neighbour-1"}).status_code == 200


def test_one_person_cannot_exceed_their_own_vote_limit(app, clock):
    qid = published_question(app)
    voter = browser_at(app, "127.0.0.24")
    voter.get(f"/e/{EVENT}")  # the page gives this browser its identity
    url = f"{BASE}/questions/{qid}/vote"
    # Votes and taken-back votes count together: 3 a minute here.
    assert voter.post(url).status_code == 200
    assert voter.delete(url).status_code == 200
    assert voter.post(url).status_code == 200
    clock.advance(5_000)
    assert_rate_limited(voter.delete(url), retry_after=35)
    # Someone else behind the same address still votes.
    other = browser_at(app, "127.0.0.24")
    other.get(f"/e/{EVENT}")
    assert other.post(url).status_code == 200
    [question] = [q for q in stored(voter) if q["id"] == qid]
    assert question["votes"] == 2


def test_the_per_person_question_limit_says_when_to_come_back(app, clock):
    asker = browser_at(app, "127.0.0.25")
    asker.get(f"/e/{EVENT}")
    assert asker.post(f"{BASE}/questions", json=submission(1)).status_code == 201
    clock.advance(15_000)
    assert asker.post(f"{BASE}/questions", json=submission(2)).status_code == 201
    clock.advance(10_000)
    # The first question leaves the last minute 35 s from now.
    assert_rate_limited(asker.post(f"{BASE}/questions", json=submission(3)), retry_after=35)
    assert len(stored(asker)) == 2


def test_similar_look_ups_are_limited_per_address_even_without_an_identity(app, clock):
    anonymous = browser_at(app, "127.0.0.26")
    url = f"{BASE}/similar?text=How%20will%20the%20exchange%20be%20financed"
    answers = [anonymous.get(url) for _ in range(7)]
    assert [r.status_code for r in answers] == [200] * 5 + [429] * 2
    assert_rate_limited(answers[5], retry_after=40)
    assert browser_at(app, "127.0.0.27").get(url).status_code == 200


def test_screen_reports_are_limited_per_address(app, clock):
    # Unpaired screens are refused anyway; the limit is counted before any database work.
    reporter = browser_at(app, "127.0.0.28")
    codes = [
        reporter.post(
            f"{BASE}/screens/report",
            json={"screen_id": f"screen-{n:04d}", "kind": "screen", "offset_ms": 1.0},
        ).get_json()["error"]["code"]
        for n in range(6)
    ]
    assert codes == ["not_paired"] * 4 + ["rate_limited"] * 2


def test_a_refusal_is_logged_by_kind_without_personal_data(app, clock, caplog):
    caplog.set_level(logging.INFO, logger="moderator.refusals")
    anonymous = browser_at(app, "127.0.0.29")
    for _ in range(6):
        anonymous.get(f"{BASE}/similar?text=anything%20at%20all%20here")
    [line] = [r.getMessage() for r in caplog.records if "rate_limited" in r.getMessage()]
    assert line == (
        "transport=http method=GET path=/api/events/<code>/similar code=rate_limited status=429"
    )
    assert "127.0.0.29" not in caplog.text
