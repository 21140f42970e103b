"""Curation and votes through HTTP and Socket.IO: what tools and the dashboard rely on."""

import csv
import io

import pytest

from tests.conftest import submission, wait_until

BASE = "/api/events/ssc25"


def post(client, n=1, **overrides):
    return client.post(f"{BASE}/questions", json=submission(n, **overrides)).get_json()["question"]


def act(client, bearer, qid, action, **body):
    return client.post(f"{BASE}/questions/{qid}/{action}", json=body or None, headers=bearer)


def approved(client, bearer, n=1, **overrides):
    question = post(client, n, **overrides)
    assert act(client, bearer, question["id"], "approve").status_code == 200
    return question["id"]


def test_edit_retag_and_merge_over_http(client, bearer):
    keep, dupe = approved(client, bearer, 1), approved(client, bearer, 2)
    reply = act(client, bearer, keep, "edit", text="Reworded by the moderator")
    assert reply.get_json()["question"]["original_text"] == "Question number 1?"
    assert act(client, bearer, keep, "retag", theme="scaling").get_json()["question"]["theme"] == (
        "scaling"
    )
    client.post(f"{BASE}/questions/{dupe}/vote", json={"client_id": "voter-0001", "via": "room"})
    merged = act(client, bearer, dupe, "merge", into=keep).get_json()["question"]
    assert (merged["status"], merged["merged_into_id"]) == ("merged", keep)
    mine = client.get(f"{BASE}/questions?client_id=client-0002").get_json()["mine"]
    assert mine[0]["merged_into_id"] == keep


@pytest.mark.parametrize(
    ("action", "body", "status", "code"),
    [
        ("edit", {"text": ""}, 400, "empty_text"),
        ("edit", {"text": "y" * 301}, 400, "text_too_long"),
        ("retag", {"theme": "sport"}, 400, "unknown_theme"),
        ("merge", {"into": "self"}, 400, "merge_into_itself"),
        ("merge", {"into": 4242}, 404, "unknown_question"),
        ("merge", {}, 400, "missing_into"),
    ],
)
def test_bad_curation_is_refused_with_the_state_unchanged(
    client, bearer, action, body, status, code
):
    qid = approved(client, bearer)
    if body.get("into") == "self":
        body = {"into": qid}
    before = client.get(f"{BASE}/questions", headers=bearer).get_json()["questions"]
    response = act(client, bearer, qid, action, **body)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert client.get(f"{BASE}/questions", headers=bearer).get_json()["questions"] == before


def test_up_next_reorder_over_http(client, bearer):
    ids = [approved(client, bearer, n) for n in (1, 2, 3)]
    for qid in ids:
        act(client, bearer, qid, "queue")
    reply = client.post(f"{BASE}/queue", json={"order": ids[::-1]}, headers=bearer)
    assert reply.status_code == 200
    listed = client.get(f"{BASE}/questions", headers=bearer).get_json()["questions"]
    assert sorted(listed, key=lambda q: q["queue_position"])[0]["id"] == ids[-1]
    stale = client.post(f"{BASE}/queue", json={"order": ids[:2]}, headers=bearer)
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale_order"
    assert client.post(f"{BASE}/queue", json={"order": ids}).status_code == 401


def test_floor_questions_over_http(client, bearer):
    body = {
        "text": "Asked at the microphone",
        "theme": "challenges",
        "client_msg_id": "floor-0000001",
        "answered": True,
    }
    first = client.post(f"{BASE}/floor", json=body, headers=bearer)
    assert first.status_code == 201
    assert (first.get_json()["question"]["via"], first.get_json()["question"]["status"]) == (
        "floor",
        "answered",
    )
    assert client.post(f"{BASE}/floor", json=body, headers=bearer).status_code == 200
    assert client.post(f"{BASE}/floor", json=body).status_code == 401
    bad = client.post(
        f"{BASE}/floor", json={**body, "theme": "x", "client_msg_id": "floor-0002x"}, headers=bearer
    )
    assert bad.status_code == 400


def test_similar_questions_for_attendees(client, bearer):
    approved(client, bearer, 1, text="How do you handle visa delays for exchange placements?")
    found = client.get(f"{BASE}/similar", query_string={"text": "visa delays placements"})
    assert [q["text"] for q in found.get_json()["similar"]] == [
        "How do you handle visa delays for exchange placements?"
    ]


def test_votes_by_origin_and_the_full_export(client, bearer):
    qid = approved(client, bearer, 1, text="=cmd|' /C calc'!A0")
    client.post(f"{BASE}/questions/{qid}/vote", json={"client_id": "voter-0001", "via": "room"})
    client.post(f"{BASE}/questions/{qid}/vote", json={"client_id": "voter-0002"})
    assert (
        client.post(
            f"{BASE}/questions/{qid}/vote", json={"client_id": "voter-0003", "via": "mars"}
        ).status_code
        == 400
    )
    act(client, bearer, qid, "edit", text="=cmd|' /C calc'!A0 (reworded)")
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"{BASE}/export.csv", headers=bearer)
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert (rows[0]["votes"], rows[0]["votes_room"], rows[0]["votes_online"]) == ("2", "1", "1")
    assert rows[0]["original_text"].startswith("'=")  # never a formula in a spreadsheet
    exported = client.get(f"{BASE}/export.json", headers=bearer).get_json()["questions"][0]
    assert (exported["votes_room"], exported["original_text"]) == (1, "=cmd|' /C calc'!A0")


def test_settings_over_http(client, bearer):
    reply = client.patch(
        BASE, json={"current_theme": "scaling", "word_filter": ["scam"]}, headers=bearer
    ).get_json()
    assert (reply["current_theme"], reply["word_filter"]) == ("scaling", ["scam"])
    assert client.get(BASE).get_json()["current_theme"] == "scaling"
    assert "word_filter" not in client.get(BASE).get_json()


def received(sock, name, namespace="/"):
    return [m["args"][0] for m in sock.get_received(namespace) if m["name"] == name]


def test_a_burst_of_votes_reaches_attendees_as_a_few_exact_updates(
    app, attendee_socket, moderator_socket
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
    updates = []

    def final_count_arrived():
        updates.extend(received(watcher, "votes"))
        return updates and updates[-1]["counts"][str(qid)] == 40

    wait_until(final_count_arrived, message="the final count")
    # 40 votes, a handful of messages: coalesced, and the last one exact.
    assert len(updates) <= 5
    mod_updates = received(moderator_socket, "votes", "/mod")
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
        {"text": "From the floor", "theme": "ssc", "client_msg_id": "floor-sock-0001"},
        callback=True,
        namespace="/mod",
    )
    assert floor["question"]["via"] == "floor"
    settings = mod.emit("settings", {"current_theme": "ssc"}, callback=True, namespace="/mod")
    assert settings["current_theme"] == "ssc"
    assert received(asker, "current_theme")[-1] == {"current_theme": "ssc"}
    reply = mod.emit(
        "act", {"id": ids[0], "action": "merge", "into": ids[1]}, callback=True, namespace="/mod"
    )
    assert reply["question"]["status"] == "merged"
    mine = [m for m in received(asker, "my_question") if m["id"] == ids[0]]
    assert mine[-1]["merged_into_id"] == ids[1]
