"""The HTTP API that tools and bridges rely on, and its refusals."""

import csv
import io

import pytest

from tests.fixtures.constants import EVENT, SEGMENTS, THEMES, TITLE, TOKEN
from tests.fixtures.helpers import submission

BASE = f"/api/events/{EVENT}"


def post_question(client, n=1, **overrides):
    return client.post(f"{BASE}/questions", json=submission(n, **overrides))


def all_questions(client, bearer):
    return client.get(f"{BASE}/questions", headers=bearer).get_json()["questions"]


def test_events_are_listed_for_the_administrator_only(client, bearer):
    listed = client.get("/api/events", headers=bearer).get_json()["events"]
    assert [(e["code"], e["title"]) for e in listed] == [(EVENT, TITLE)]
    # The list of every event (upcoming ones included) is not for the public.
    assert client.get("/api/events").status_code == 401


def test_an_event_has_its_themes_and_segments(client):
    event = client.get(BASE).get_json()
    assert [t["key"] for t in event["themes"]] == THEMES
    assert event["themes"][1]["questions"] == [
        "How do clinics cover for staff who are away on placement?"
    ]
    assert [s["duration_s"] for s in event["segments"]] == [600, 900, 300]
    assert event["segments"][0]["title"] == SEGMENTS[0]


def test_submitting_twice_with_one_message_id_stores_one_question(client, bearer):
    first = post_question(client)
    assert first.status_code == 201
    question = first.get_json()["question"]
    assert question["status"] == "pending" and isinstance(question["id"], int)
    again = post_question(client)
    assert again.status_code == 200
    assert again.get_json()["question"]["id"] == question["id"]
    assert len(all_questions(client, bearer)) == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"text": ""}, "empty_text"),
        ({"text": "    "}, "empty_text"),
        ({"text": "x" * 301}, "text_too_long"),
        ({"text": 3.14}, "invalid_text"),
        ({"theme": "weather"}, "unknown_theme"),
        ({"via": "pigeon"}, "invalid_via"),
        ({"client_id": None}, "missing_client_id"),
        ({"client_msg_id": 12345678}, "invalid_client_msg_id"),
        ({"name": ["a"]}, "invalid_name"),
    ],
)
def test_bad_submissions_get_a_clear_400_and_store_nothing(client, bearer, overrides, code):
    response = post_question(client, **overrides)
    # No attendee identity is a missing right (401), the rest bad input (400).
    assert response.status_code == (401 if code == "missing_client_id" else 400)
    error = response.get_json()["error"]
    assert error["code"] == code
    assert len(error["message"]) > 10
    assert all_questions(client, bearer) == []


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("not json at all", {"Content-Type": "application/json"}),
        ('{"text": "hi"', {"Content-Type": "application/json"}),
        ('["a", "list"]', {"Content-Type": "application/json"}),
        ('{"text": "hello"}', {"Content-Type": "text/plain"}),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(client, bearer, body, headers):
    response = client.post(f"{BASE}/questions", data=body, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_body"
    assert all_questions(client, bearer) == []


def test_an_oversized_body_gets_413_in_json(client, bearer):
    response = post_question(client, text="x" * 100_000)
    assert response.status_code == 413
    assert "larger than" in response.get_json()["error"]["message"]
    assert all_questions(client, bearer) == []


def test_unknown_event_question_and_address_get_json_404(client, bearer):
    assert client.get("/api/events/nope").get_json()["error"]["code"] == "unknown_event"
    response = client.post(f"{BASE}/questions/999/approve", headers=bearer)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_question"
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and "error" in response.get_json()
    response = client.patch("/api/events")
    assert response.status_code == 405 and "error" in response.get_json()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong-token"}, 403),
        ({"Authorization": f"Basic {TOKEN}"}, 401),
        ({"Authorization": "Bearer "}, 401),
    ],
)
def test_moderator_actions_need_the_token(client, bearer, headers, status):
    qid = post_question(client).get_json()["question"]["id"]
    for action in ("approve", "live", "dismiss", "star"):
        response = client.post(f"{BASE}/questions/{qid}/{action}", headers=headers)
        assert response.status_code == status
        assert response.get_json()["error"]["message"]
    assert client.patch(BASE, json={"premoderation": False}, headers=headers).status_code == status
    assert client.get(f"{BASE}/export.csv", headers=headers).status_code == status
    assert client.get(f"{BASE}/export.json", headers=headers).status_code == status
    [question] = all_questions(client, bearer)
    assert (question["status"], question["starred"]) == ("pending", False)


def test_attendees_see_only_published_questions(client, bearer):
    first = post_question(client, 1).get_json()["question"]["id"]
    post_question(client, 2)
    assert client.get(f"{BASE}/questions").get_json()["questions"] == []
    client.post(f"{BASE}/questions/{first}/approve", headers=bearer)
    public = client.get(f"{BASE}/questions").get_json()["questions"]
    assert [q["id"] for q in public] == [first]
    assert {"id", "text", "theme", "via", "status", "votes"} <= set(public[0])
    assert len(all_questions(client, bearer)) == 2


def test_an_attendee_can_list_their_own_questions(client):
    post_question(client, 1, client_id="attendee-0001")
    post_question(client, 2, client_id="attendee-0002")
    body = client.get(f"{BASE}/questions?client_id=attendee-0001").get_json()
    assert [q["client_msg_id"] for q in body["mine"]] == ["message-0001"]
    assert client.get(f"{BASE}/questions?client_id=x").status_code == 400


def test_the_moderation_flow_over_http(client, bearer):
    qid = post_question(client).get_json()["question"]["id"]
    for action, status in [
        ("approve", "approved"),
        ("live", "live"),
        ("answered", "answered"),
        ("restore", "approved"),
        ("dismiss", "dismissed"),
        ("restore", "approved"),
    ]:
        response = client.post(f"{BASE}/questions/{qid}/{action}", headers=bearer)
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["question"]["status"] == status


def test_a_refused_action_is_a_409_with_a_reason(client, bearer):
    qid = post_question(client).get_json()["question"]["id"]
    response = client.post(f"{BASE}/questions/{qid}/answered", headers=bearer)
    assert response.status_code == 409
    assert response.get_json()["error"]["message"] == f"Question {qid} is still awaiting review."
    response = client.post(f"{BASE}/questions/{qid}/explode", headers=bearer)
    assert response.status_code == 400
    assert "Unknown action" in response.get_json()["error"]["message"]


def test_premoderation_can_be_switched_off(client, bearer):
    response = client.patch(BASE, json={"premoderation": False}, headers=bearer)
    assert response.get_json()["premoderation"] is False
    assert post_question(client).get_json()["question"]["status"] == "approved"
    assert client.patch(BASE, json={"premoderation": "no"}, headers=bearer).status_code == 400
    assert client.patch(BASE, json={"colour": "red"}, headers=bearer).status_code == 400
    assert client.patch(BASE, json=["premoderation"], headers=bearer).status_code == 400
    assert client.get(BASE).get_json()["premoderation"] is False


def test_votes_over_http(client, bearer):
    qid = post_question(client).get_json()["question"]["id"]
    url = f"{BASE}/questions/{qid}/vote"
    assert client.post(url, json={"client_id": "voter-0001"}).status_code == 409
    client.post(f"{BASE}/questions/{qid}/approve", headers=bearer)
    assert client.post(url, json={"client_id": "voter-0001"}).get_json()["question"]["votes"] == 1
    assert client.post(url, json={"client_id": "voter-0001"}).status_code == 409
    assert client.post(url, json={}).status_code == 401  # no attendee identity
    assert client.delete(url, json={"client_id": "voter-0001"}).get_json()["question"]["votes"] == 0


def test_html_is_stored_and_returned_as_text(client, bearer):
    text = '<img src=x onerror="alert(1)"> <b>bold</b>'
    post_question(client, text=text, name="<script>x</script>")
    [question] = all_questions(client, bearer)
    assert question["text"] == text
    assert question["name"] == "<script>x</script>"


def test_export_has_every_question_at_any_time(client, bearer):
    post_question(client, 1, text='=HYPERLINK("http://evil")')
    qid = post_question(client, 2, text="Second, with a comma").get_json()["question"]["id"]
    client.post(f"{BASE}/questions/{qid}/approve", headers=bearer)
    response = client.get(f"{BASE}/export.csv", headers=bearer)
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["status"], r["text"]) for r in rows] == [
        ("pending", '\'=HYPERLINK("http://evil")'),
        ("approved", "Second, with a comma"),
    ]
    exported = client.get(f"{BASE}/export.json", headers=bearer).get_json()
    assert [q["status"] for q in exported["questions"]] == ["pending", "approved"]
    assert exported["event"]["code"] == EVENT


def test_a_logged_in_browser_needs_the_csrf_header_to_act(moderator_client):
    qid = post_question(moderator_client).get_json()["question"]["id"]
    url = f"{BASE}/questions/{qid}/approve"
    refused = moderator_client.post(url)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "csrf"
    with moderator_client.session_transaction() as session:
        csrf = session["csrf"]
    assert moderator_client.post(url, headers={"X-CSRF-Token": csrf}).status_code == 200
    # Reading needs no CSRF token.
    assert moderator_client.get(f"{BASE}/export.json").status_code == 200
