"""One connection's pace and the shared copy of the published questions: a fast client is
refused (and then closed), never the others; a burst of resyncs costs one read."""

import pytest

from moderator import runtime
from moderator.throttle import ConnectionThrottle, TokenBucket
from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import submission


class FakeSeconds:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_bucket_allows_its_burst_then_says_how_long_to_wait():
    bucket = TokenBucket(burst=3, per_second=2, now=0.0)
    assert [bucket.take(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    # Refused, and the refused message is owed too: two tokens to wait for, at two a second.
    assert bucket.take(0.0) == pytest.approx(1.0)
    assert bucket.take(1.0) == 0.0  # waited as told: allowed
    assert bucket.take(1.0) > 0


def test_a_connection_that_keeps_sending_while_refused_is_to_be_closed():
    clock = FakeSeconds()
    throttle = ConnectionThrottle(burst=2, per_second=1, clock=clock)
    assert throttle.check("a").allowed and throttle.check("a").allowed
    verdicts = [throttle.check("a") for _ in range(3)]
    assert [v.allowed for v in verdicts] == [False, False, False]
    assert [v.first for v in verdicts] == [True, False, False]
    assert [v.keeps_going for v in verdicts] == [False, True, True]
    assert verdicts[0].retry_after == 2.0
    assert throttle.check("b").allowed  # another connection has its own bucket
    clock.now += 3
    assert throttle.check("a").allowed


def test_a_client_a_little_over_the_pace_ignoring_retry_after_is_closed_in_the_end():
    # Refills between its messages never catch up with what it owes: nothing more gets
    # through until it slows down, and it is closed however it spaces its messages.
    clock = FakeSeconds()
    throttle = ConnectionThrottle(burst=4, per_second=10, clock=clock)
    verdicts = []
    for _ in range(200):
        verdicts.append(throttle.check("a"))
        clock.now += 0.06  # 16.7 messages a second against a pace of 10
    first_refusal = next(i for i, v in enumerate(verdicts) if not v.allowed)
    assert not any(v.allowed for v in verdicts[first_refusal:])
    assert any(v.keeps_going for v in verdicts)
    throttle.forget("a")
    throttle.forget("b")
    assert len(throttle) == 0


@pytest.fixture
def slow_clock(app):
    clock = FakeSeconds()
    throttle = runtime.throttle(app)
    throttle.clock, throttle.burst, throttle.per_second = clock, 3, 1
    return clock


def test_a_fast_attendee_is_refused_with_retry_after_and_others_are_answered(
    app, attendee_socket, moderator_socket, slow_clock
):
    fast = attendee_socket("attendee-0001")
    other = attendee_socket("attendee-0002")
    acks = [fast.emit("sync", {}, callback=True) for _ in range(4)]
    assert all("questions" in ack for ack in acks[:3])
    assert acks[3]["error"]["code"] == "rate_limited"
    assert acks[3]["error"]["retry_after"] == 2.0
    assert "2 s" in acks[3]["error"]["message"]
    assert "questions" in other.emit("sync", {}, callback=True)
    for _ in range(5):  # a moderator's connection is not paced
        assert "error" not in moderator_socket.emit("sync", {}, callback=True, namespace="/mod")
    slow_clock.now += 2
    assert "questions" in fast.emit("sync", {}, callback=True)


def test_an_attendee_that_ignores_the_refusals_is_disconnected(app, attendee_socket, slow_clock):
    fast = attendee_socket("attendee-0001")
    other = attendee_socket("attendee-0002")
    assert "questions" in other.emit("sync", {}, callback=True)
    for _ in range(3 + 2):
        fast.emit("sync", {}, callback=True)
    assert fast.is_connected()
    fast.emit("sync", {}, callback=True)  # the third refusal: a burst more than allowed
    assert not fast.is_connected()
    assert other.is_connected()
    assert len(runtime.throttle(app)) == 1  # the closed one's bucket is forgotten


def _approved(client, bearer, n):
    body = submission(n)
    created = client.post(f"/api/events/{EVENT}/questions", json=body).get_json()
    qid = created["question"]["id"]
    assert (
        client.post(f"/api/events/{EVENT}/questions/{qid}/approve", headers=bearer).status_code
        == 200
    )
    return qid


def test_a_burst_of_resyncs_reads_the_published_questions_once(app, client, attendee_socket):
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    attendee = attendee_socket("attendee-0001")
    published = runtime.public_questions(app)
    attendee.emit("sync", {}, callback=True)
    reads = published.reads
    for _ in range(5):
        attendee.emit("sync", {}, callback=True)
        client.get(f"/api/events/{EVENT}/questions")
    assert published.reads == reads
    qid = _approved(client, bearer, 1)  # a change on this process is seen at once
    ack = attendee.emit("sync", {}, callback=True)
    assert qid in [q["id"] for q in ack["questions"]]
    assert published.reads == reads + 1


def test_similar_questions_come_from_the_shared_copy(app, client, attendee_socket):
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    qid = _approved(client, bearer, 1)
    attendee = attendee_socket("attendee-0009")
    published = runtime.public_questions(app)
    ack = attendee.emit("similar", {"text": "Question number 1 again?"}, callback=True)
    assert [q["id"] for q in ack["similar"]] == [qid]
    reads = published.reads
    for _ in range(5):
        attendee.emit("similar", {"text": "Question number 1 again?"}, callback=True)
    assert published.reads == reads
