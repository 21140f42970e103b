"""The moderator's sync with a large queue: pages of SYNC_PAGE_SIZE questions, each a bounded
read and message, that together hold every question exactly once, with exact column counts."""

import pytest

from tests.fixtures.constants import EVENT
from tests.fixtures.queue import fill_pending


def sync_all(sock):
    """The first reply and every question the pages brought, following ``next``."""
    first = sock.emit("sync", {}, callback=True, namespace="/mod")
    questions, pages, reply = list(first["questions"]), 1, first
    while reply["next"] is not None:
        reply = sock.emit("sync", {"after": reply["next"]}, callback=True, namespace="/mod")
        assert set(reply) == {"questions", "vote_split", "next"}  # a page repeats nothing else
        questions += reply["questions"]
        pages += 1
    return first, questions, pages


def test_the_sync_comes_in_pages_that_hold_every_question_once(
    app, database_file, moderator_socket
):
    app.config["SYNC_PAGE_SIZE"] = 40
    ids = fill_pending(f"sqlite:///{database_file}", EVENT, 100)
    first, questions, pages = sync_all(moderator_socket)
    assert len(first["questions"]) == 40
    assert pages == 3
    assert [q["id"] for q in questions] == ids
    assert first["counts"]["pending"] == 100


def test_the_counts_are_exact_per_column(app, database_file, moderator_socket):
    app.config["SYNC_PAGE_SIZE"] = 10
    ids = fill_pending(f"sqlite:///{database_file}", EVENT, 30)
    for qid in ids[:3]:
        reply = moderator_socket.emit(
            "act", {"id": qid, "action": "approve"}, callback=True, namespace="/mod"
        )
        assert "error" not in reply
    moderator_socket.emit("act", {"id": ids[0], "action": "queue"}, callback=True, namespace="/mod")
    moderator_socket.emit(
        "act", {"id": ids[3], "action": "dismiss"}, callback=True, namespace="/mod"
    )
    first, questions, _pages = sync_all(moderator_socket)
    assert first["counts"] == {
        "pending": 26,
        "upnext": 1,
        "approved": 2,
        "live": 0,
        "answered": 0,
        "dismissed": 1,
        "merged": 0,
    }
    assert len(questions) == 30


def test_a_queue_that_fills_one_page_exactly_ends_with_an_empty_page(
    app, database_file, moderator_socket
):
    app.config["SYNC_PAGE_SIZE"] = 5
    fill_pending(f"sqlite:///{database_file}", EVENT, 5)
    first = moderator_socket.emit("sync", {}, callback=True, namespace="/mod")
    assert first["next"] is not None
    last = moderator_socket.emit("sync", {"after": first["next"]}, callback=True, namespace="/mod")
    assert last == {"questions": [], "vote_split": {}, "next": None}


@pytest.mark.parametrize("after", [-1, "12", 1.5, True, None, 2**63, [3]])
def test_a_bad_page_cursor_is_refused_with_a_message(moderator_socket, after):
    reply = moderator_socket.emit("sync", {"after": after}, callback=True, namespace="/mod")
    assert reply["error"]["code"] == "invalid"
    assert "after" in reply["error"]["message"]
    assert moderator_socket.is_connected("/mod")


def test_a_sync_that_is_not_an_object_is_refused(moderator_socket):
    reply = moderator_socket.emit("sync", "everything", callback=True, namespace="/mod")
    assert reply["error"]["code"] == "invalid_body"
