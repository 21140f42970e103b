"""Socket.IO handlers, through Flask-SocketIO's test client."""

import pytest

from tests.fixtures.constants import EVENT, THEME, TOKEN
from tests.fixtures.helpers import received, submission, wait_until


def send(sock, n=1, **overrides):
    body = submission(n, **overrides)
    body.pop("client_id")
    return sock.emit("submit", body, callback=True)


def test_a_submitted_question_is_acknowledged_and_reaches_the_moderators(
    attendee_socket, moderator_socket
):
    attendee = attendee_socket("attendee-0001")
    moderator_socket.get_received("/mod")
    ack = send(attendee, text="What about alumni networks?")
    assert ack["created"] is True
    assert ack["question"]["status"] == "pending"
    [question] = received(moderator_socket, "question", "/mod")
    assert (question["id"], question["text"]) == (
        ack["question"]["id"],
        "What about alumni networks?",
    )


def test_a_resend_is_acknowledged_with_the_same_question(attendee_socket, moderator_socket):
    attendee = attendee_socket()
    first = send(attendee)
    moderator_socket.get_received("/mod")
    second = send(attendee)
    assert second["created"] is False
    assert second["question"]["id"] == first["question"]["id"]
    assert received(moderator_socket, "question", "/mod") == []


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"text": "", "theme": THEME, "client_msg_id": "message-0001"}, "empty_text"),
        ({"text": "x" * 5000, "theme": THEME, "client_msg_id": "message-0001"}, "text_too_long"),
        ({"text": "Hi?", "theme": "nope", "client_msg_id": "message-0001"}, "unknown_theme"),
        ({"text": "Hi?", "theme": THEME}, "missing_client_msg_id"),
        ("just a string", "invalid_body"),
        ([1, 2, 3], "invalid_body"),
        (None, "missing_client_msg_id"),
    ],
)
def test_bad_submissions_get_an_error_ack_and_the_socket_stays(
    attendee_socket, moderator_socket, payload, code
):
    attendee = attendee_socket()
    moderator_socket.get_received("/mod")
    ack = attendee.emit("submit", payload, callback=True)
    assert ack["error"]["code"] == code
    assert ack["error"]["message"]
    assert attendee.is_connected()
    assert received(moderator_socket, "question", "/mod") == []
    assert moderator_socket.emit("sync", {}, callback=True, namespace="/mod")["questions"] == []
    assert send(attendee)["created"] is True  # the same connection still works


def test_a_screen_without_client_id_cannot_submit(attendee_socket):
    screen = attendee_socket(client_id=None)
    ack = send(screen)
    assert ack["error"]["code"] == "missing_client_id"


def test_an_unknown_event_or_bad_client_id_is_refused_at_connect(attendee_socket):
    assert not attendee_socket(event="nope").is_connected()
    assert not attendee_socket(client_id="no").is_connected()


def test_attendees_cannot_reach_the_moderator_namespace(app, client):
    from moderator.extensions import socketio

    intruder = socketio.test_client(
        app, namespace="/mod", auth={"event": EVENT}, flask_test_client=client
    )
    assert not intruder.is_connected("/mod")
    wrong = socketio.test_client(app, namespace="/mod", auth={"event": EVENT, "token": "x"})
    assert not wrong.is_connected("/mod")


def test_a_tool_can_connect_to_the_moderator_namespace_with_the_token(app):
    from moderator.extensions import socketio

    tool = socketio.test_client(app, namespace="/mod", auth={"event": EVENT, "token": TOKEN})
    assert tool.is_connected("/mod")
    assert "questions" in tool.emit("sync", {}, callback=True, namespace="/mod")


def test_moderator_actions_reach_the_author_and_the_public(attendee_socket, moderator_socket):
    author = attendee_socket("attendee-0001")
    other = attendee_socket("attendee-0002")
    qid = send(author)["question"]["id"]
    for sock in (author, other):
        sock.get_received()

    ack = moderator_socket.emit(
        "act", {"id": qid, "action": "approve"}, callback=True, namespace="/mod"
    )
    assert ack["question"]["status"] == "approved"
    [mine] = received(author, "my_question")
    assert (mine["id"], mine["status"]) == (qid, "approved")
    [public] = received(other, "question")
    assert (public["id"], public["status"]) == (qid, "approved")
    assert "client_msg_id" not in public

    moderator_socket.emit("act", {"id": qid, "action": "dismiss"}, callback=True, namespace="/mod")
    [removed] = received(other, "question_removed")
    assert removed["id"] == qid and removed["version"] > public["version"]


def test_pending_questions_are_not_sent_to_other_attendees(attendee_socket):
    author = attendee_socket("attendee-0001")
    other = attendee_socket("attendee-0002")
    send(author)
    assert received(other, "question") == []
    assert received(other, "my_question") == []


def test_putting_a_question_live_takes_the_previous_one_off(attendee_socket, moderator_socket):
    attendee = attendee_socket()
    a = send(attendee, 1)["question"]["id"]
    b = send(attendee, 2)["question"]["id"]
    for qid in (a, b):
        moderator_socket.emit("act", {"id": qid, "action": "live"}, callback=True, namespace="/mod")
    questions = moderator_socket.emit("sync", {}, callback=True, namespace="/mod")["questions"]
    assert {q["id"]: q["status"] for q in questions} == {a: "approved", b: "live"}


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"id": 999, "action": "approve"}, "unknown_question"),
        ({"id": "abc", "action": "approve"}, "invalid_id"),
        ({"action": "approve"}, "missing_id"),
        ({"id": 1, "action": "obliterate"}, "unknown_action"),
        ("approve 1", "invalid_body"),
    ],
)
def test_bad_moderator_messages_get_an_error_ack(attendee_socket, moderator_socket, payload, code):
    send(attendee_socket())
    ack = moderator_socket.emit("act", payload, callback=True, namespace="/mod")
    assert ack["error"]["code"] == code
    assert moderator_socket.is_connected("/mod")


def test_premoderation_switch_over_the_socket(attendee_socket, moderator_socket):
    ack = moderator_socket.emit(
        "settings", {"premoderation": False}, callback=True, namespace="/mod"
    )
    assert ack["premoderation"] is False
    assert send(attendee_socket())["question"]["status"] == "approved"
    ack = moderator_socket.emit(
        "settings", {"premoderation": "off"}, callback=True, namespace="/mod"
    )
    assert ack["error"]["code"] == "invalid_premoderation"


def test_sync_gives_an_attendee_the_event_their_questions_and_the_public_ones(
    attendee_socket, moderator_socket
):
    attendee = attendee_socket("attendee-0001")
    mine = send(attendee, 1)["question"]["id"]
    other = send(attendee_socket("attendee-0002"), 2)["question"]["id"]
    moderator_socket.emit(
        "act", {"id": other, "action": "approve"}, callback=True, namespace="/mod"
    )
    reply = attendee.emit("sync", {}, callback=True)
    assert reply["event"]["code"] == EVENT
    assert [q["id"] for q in reply["mine"]] == [mine]
    assert [q["id"] for q in reply["questions"]] == [other]


def test_votes_over_the_socket_reach_everyone(attendee_socket, moderator_socket):
    voter = attendee_socket("attendee-0001")
    watcher = attendee_socket("attendee-0002")
    qid = send(voter)["question"]["id"]
    moderator_socket.emit("act", {"id": qid, "action": "approve"}, callback=True, namespace="/mod")
    watcher.get_received()
    assert voter.emit("vote", {"id": qid}, callback=True)["question"]["votes"] == 1
    assert voter.emit("vote", {"id": qid}, callback=True)["error"]["code"] == "already_voted"
    # Counts are coalesced: they arrive shortly after, in a batch.
    update = wait_until(lambda: received(watcher, "votes"), message="a vote count update")
    assert [u["counts"] for u in update] == [{str(qid): 1}]  # JSON object keys are strings
    assert voter.emit("vote", {"id": qid, "undo": True}, callback=True)["question"]["votes"] == 0


def test_every_message_about_a_question_carries_a_newer_version(attendee_socket, moderator_socket):
    """Curation steps and votes each leave a greater version, in the broadcasts, the vote
    acknowledgements, the coalesced counts and the sync alike, so a page can drop a late one."""
    voter = attendee_socket("attendee-0001")
    watcher = attendee_socket("attendee-0002")
    qid = send(voter)["question"]["id"]
    seen: list[int] = []
    moderator_socket.emit("act", {"id": qid, "action": "approve"}, callback=True, namespace="/mod")
    approved = wait_until(lambda: received(watcher, "question"), message="the approval")
    seen.append(approved[-1]["version"])
    seen.append(voter.emit("vote", {"id": qid}, callback=True)["question"]["version"])
    counted = wait_until(lambda: received(watcher, "votes"), message="the vote count")
    assert counted[-1]["versions"] == {str(qid): seen[-1]}
    seen.append(voter.emit("vote", {"id": qid, "undo": True}, callback=True)["question"]["version"])
    moderator_socket.emit("act", {"id": qid, "action": "live"}, callback=True, namespace="/mod")
    live = wait_until(lambda: received(watcher, "question"), message="the question on screen")
    seen.append(live[-1]["version"])
    [synced] = watcher.emit("sync", {}, callback=True)["questions"]
    seen.append(synced["version"])
    assert seen == sorted(seen) and len(set(seen[:-1])) == len(seen) - 1, seen
    assert (synced["votes"], synced["version"]) == (0, seen[-2])
