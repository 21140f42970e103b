"""Curation and votes through HTTP: what tools rely on; Socket.IO is in tests/sockets/."""

import csv
import io

import pytest

from tests.fixtures.constants import EVENT, OTHER_THEME
from tests.fixtures.helpers import room_pass_of, submission

BASE = f"/api/events/{EVENT}"


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
    assert act(client, bearer, keep, "retag", theme=OTHER_THEME).get_json()["question"][
        "theme"
    ] == (OTHER_THEME)
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
        "theme": OTHER_THEME,
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


def test_a_similar_look_up_longer_than_a_question_is_refused(client, app):
    limit = app.config["QUESTION_MAX_LENGTH"]
    assert client.get(f"{BASE}/similar", query_string={"text": "x" * limit}).status_code == 200
    refused = client.get(f"{BASE}/similar", query_string={"text": "x" * (limit + 1)})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "text_too_long"
    assert client.get(f"{BASE}/similar", query_string={"text": " "}).get_json() == {"similar": []}


def test_votes_by_origin_and_the_full_export(client, bearer):
    qid = approved(client, bearer, 1, text="=cmd|' /C calc'!A0")
    # "room" counts with the room pass the room screen shows (a bare claim would be online).
    in_room = {"client_id": "voter-0001", "via": "room", "room_pass": room_pass_of(client)}
    client.post(f"{BASE}/questions/{qid}/vote", json=in_room)
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
        BASE, json={"current_theme": OTHER_THEME, "word_filter": ["scam"]}, headers=bearer
    ).get_json()
    assert (reply["current_theme"], reply["word_filter"]) == (OTHER_THEME, ["scam"])
    assert client.get(BASE).get_json()["current_theme"] == OTHER_THEME
    assert "word_filter" not in client.get(BASE).get_json()
