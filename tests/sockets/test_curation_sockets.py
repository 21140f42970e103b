"""Curation and votes over Socket.IO: what the dashboard and attendees' phones rely on."""

import threading

import pytest

from tests.fixtures.constants import THEME
from tests.fixtures.helpers import received, submission, wait_until


@pytest.fixture
def held_vote_counts(app, monkeypatch):
    """Vote counts wait to go out until the test opens the returned gate: the relay's pause
    between batches becomes a step the test takes, so coalescing is checked without timing."""
    from moderator import runtime
    from moderator.extensions import socketio

    # The relay belongs to this test's app; it must not be sending anything yet.
    assert not runtime.vote_relay(app).running
    gate = threading.Event()
    monkeypatch.setattr(socketio, "sleep", lambda seconds=0: gate.wait(timeout=30))
    yield gate
    gate.set()


def test_a_burst_of_votes_reaches_attendees_as_one_exact_update(
    app, attendee_socket, moderator_socket, held_vote_counts
):
    asker = attendee_socket("attendee-asker")
    body = submission(1)
    body.pop("client_id")
    qid = asker.emit("submit", body, callback=True)["question"]["id"]
    moderator_socket.emit("act", {"id": qid, "action": "approve"}, callback=True, namespace="/mod")
    watcher = attendee_socket("attendee-watch")
    watcher.get_received()
    moderator_socket.get_received("/mod")
    voters = [attendee_socket(f"attendee-v{n:04d}") for n in range(40)]
    for voter in voters:
        assert "question" in voter.emit("vote", {"id": qid}, callback=True)
    # Every vote is stored and acknowledged; no count has gone out while the relay waits.
    assert received(watcher, "votes") == []
    held_vote_counts.set()
    updates = wait_until(lambda: received(watcher, "votes"), message="the vote counts")
    # 40 votes, one message, and it is exact.
    assert [u["counts"] for u in updates] == [{str(qid): 40}]
    mod_updates = wait_until(lambda: received(moderator_socket, "votes", "/mod"))
    assert mod_updates[-1]["split"][str(qid)] == {"room": 0, "online": 40}


def test_attendee_socket_asks_for_similar_questions(attendee_socket, moderator_socket):
    asker = attendee_socket("attendee-0001")
    body = submission(1, text="Do alumni networks continue after the programme funding ends?")
    body.pop("client_id")
    qid = asker.emit("submit", body, callback=True)["question"]["id"]
    moderator_socket.emit("act", {"id": qid, "action": "approve"}, callback=True, namespace="/mod")
    reply = attendee_socket("attendee-0002").emit(
        "similar", {"text": "alumni networks after funding ends"}, callback=True
    )
    assert [q["id"] for q in reply["similar"]] == [qid]
    assert asker.emit("similar", {"text": 12}, callback=True)["error"]["code"] == "invalid_text"


def test_moderator_socket_curation(attendee_socket, moderator_socket):
    asker = attendee_socket("attendee-0001")
    ids = []
    for n in (1, 2):
        body = submission(n)
        body.pop("client_id")
        ids.append(asker.emit("submit", body, callback=True)["question"]["id"])
    mod = moderator_socket
    for qid in ids:
        mod.emit("act", {"id": qid, "action": "approve"}, callback=True, namespace="/mod")
        mod.emit("act", {"id": qid, "action": "queue"}, callback=True, namespace="/mod")
    assert mod.emit("reorder", {"order": ids[::-1]}, callback=True, namespace="/mod") == {
        "order": ids[::-1]
    }
    assert (
        mod.emit("reorder", {"order": [ids[0]]}, callback=True, namespace="/mod")["error"]["code"]
        == "stale_order"
    )
    floor = mod.emit(
        "floor",
        {"text": "From the floor", "theme": THEME, "client_msg_id": "floor-sock-0001"},
        callback=True,
        namespace="/mod",
    )
    assert floor["question"]["via"] == "floor"
    settings = mod.emit("settings", {"current_theme": THEME}, callback=True, namespace="/mod")
    assert settings["current_theme"] == THEME
    assert received(asker, "current_theme")[-1] == {"current_theme": THEME}
    reply = mod.emit(
        "act", {"id": ids[0], "action": "merge", "into": ids[1]}, callback=True, namespace="/mod"
    )
    assert reply["question"]["status"] == "merged"
    mine = [m for m in received(asker, "my_question") if m["id"] == ids[0]]
    assert mine[-1]["merged_into_id"] == ids[1]


def test_moderators_get_the_overview_from_the_server_after_each_change(
    attendee_socket, moderator_socket
):
    mod = moderator_socket
    first = mod.emit("sync", {}, callback=True, namespace="/mod")
    assert first["overview"]["suggested"] is None
    assert [row["theme"] for row in first["overview"]["coverage"]][0] == THEME
    asker = attendee_socket("attendee-0001")
    body = submission(1)
    body.pop("client_id")
    qid = asker.emit("submit", body, callback=True)["question"]["id"]
    mod.get_received("/mod")
    reply = mod.emit("act", {"id": qid, "action": "approve"}, callback=True, namespace="/mod")
    assert reply["question"]["actions"] == ["live", "queue", "answered", "dismiss"]

    def suggested():
        views = received(mod, "overview", "/mod")
        return [v for v in views if v["suggested"] and v["suggested"]["id"] == qid]

    latest = wait_until(suggested, message="the overview with the approved question")[-1]
    row = next(r for r in latest["coverage"] if r["theme"] == THEME)
    assert (row["published"], row["waiting"]) == (1, 1)
