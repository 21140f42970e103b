"""The organiser's workspace over the API: events created, edited live, exported and imported,
versioned; invitations by role; a revoked invitation's dashboards closed at once."""

from __future__ import annotations

import json
import threading
import time

import pytest

from moderator.core import events
from moderator.core.event_file import load_event_file
from moderator.extensions import socketio
from tests.fixtures.constants import EVENT, PANEL_FILE, TOKEN
from tests.fixtures.helpers import pair_screen, received, wait_until

ADMIN = {"Authorization": f"Bearer {TOKEN}"}
NEW = {
    "code": "side-event-7",
    "title": "Financing the Goals",
    "date": "2031-05-06",
    "start": "13:15",
    "timezone": "Europe/Zurich",
    "segments": [
        {"title": "Opening", "minutes": 5},
        {"title": "Panel", "minutes": 40, "speakers": ["A. Speaker", "B. Speaker"]},
        {"title": "Questions", "minutes": 15},
    ],
    "themes": [{"key": "money", "title": "Where the money comes from", "questions": ["Who pays?"]}],
}


def _get(client, code=EVENT):
    response = client.get(f"/api/events/{code}", headers=ADMIN)
    assert response.status_code == 200
    return response.get_json()


def _put(client, form, version, code=EVENT, headers=ADMIN):
    return client.put(f"/api/events/{code}", json={**form, "version": version}, headers=headers)


def _invite(client, role, label="Someone", code=EVENT):
    response = client.post(
        f"/api/events/{code}/invitations", json={"role": role, "label": label}, headers=ADMIN
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_an_event_created_from_its_form_is_listed_and_reads_back_as_sent(client):
    response = client.post("/api/events", json=NEW, headers=ADMIN)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["version"] == 1
    assert [s["title"] for s in created["event"]["segments"]] == ["Opening", "Panel", "Questions"]
    assert [s["id"] for s in created["file"]["segments"]] == ["s1", "s2", "s3"]
    listed = {e["code"]: e for e in client.get("/api/events", headers=ADMIN).get_json()["events"]}
    assert listed["side-event-7"]["status"] == "upcoming"
    assert listed["side-event-7"]["title"] == "Financing the Goals"
    # The attendee page of the new event exists at once, without a restart.
    assert client.get("/e/side-event-7").status_code == 200
    assert client.post("/api/events", json=NEW, headers=ADMIN).status_code == 409


def test_a_problem_is_refused_naming_its_field_and_nothing_is_stored(client):
    bad = {**NEW, "segments": [{"title": "Opening", "minutes": 0}]}
    response = client.post("/api/events", json=bad, headers=ADMIN)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_event" and error["field"] == "segments[0].minutes"
    assert "segments[0].minutes" in error["message"]
    codes = [e["code"] for e in client.get("/api/events", headers=ADMIN).get_json()["events"]]
    assert "side-event-7" not in codes


def test_lengthening_the_running_segment_by_five_minutes_reaches_every_screen_within_a_second(
    app, client, moderator_socket
):
    screens = [pair_screen(app)[0], pair_screen(app, role="stage", label="Stage")[0]]
    start = client.post(f"/api/events/{EVENT}/timer", json={"action": "start"}, headers=ADMIN)
    before = start.get_json()
    for sock in screens:
        sock.get_received()
    moderator_socket.get_received("/mod")
    current = _get(client)
    form = current["file"]
    form["segments"][0]["minutes"] += 5

    response = _put(client, form, current["version"])
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == current["version"] + 1

    for sock, namespace in [(s, "/") for s in screens] + [(moderator_socket, "/mod")]:
        assert wait_until(lambda s=sock, n=namespace: _timer_messages(s, n), timeout=1.0)
        [after] = _timer_messages(sock, namespace)
        # Remaining time at one instant: it grew by exactly 300 s, and the clock kept running.
        grown = (
            after["remaining_ms"]
            + (after["server_now_ms"] - before["server_now_ms"])
            - before["remaining_ms"]
        )
        assert grown == 300_000
        assert after["state"] == "running" and after["segment_index"] == 0


def _timer_messages(sock, namespace):
    found = sock.__dict__.setdefault("_timers", [])
    found.extend(received(sock, "timer", namespace))
    return found


def test_reordering_keeps_the_clock_on_its_segment_and_removing_it_while_it_runs_is_refused(
    client,
):
    client.post(f"/api/events/{EVENT}/timer", json={"action": "next"}, headers=ADMIN)
    client.post(f"/api/events/{EVENT}/timer", json={"action": "start"}, headers=ADMIN)
    current = _get(client)
    form = current["file"]
    running = form["segments"][1]
    form["segments"] = [running] + [s for s in form["segments"] if s is not running]
    response = _put(client, form, current["version"])
    assert response.status_code == 200, response.get_json()
    timer = client.get(f"/api/events/{EVENT}/timer").get_json()
    assert (timer["segment_index"], timer["state"]) == (0, "running")
    assert timer["segment"]["title"] == running["title"]

    current = _get(client)
    form = current["file"]
    form["segments"] = form["segments"][1:]
    response = _put(client, form, current["version"])
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "segment_running"
    assert _get(client)["version"] == current["version"]  # nothing stored


def test_two_editors_racing_get_one_success_and_one_conflict(app, client):
    current = _get(client)
    results: list[int] = []
    barrier = threading.Barrier(2)

    def edit(title):
        form = {**current["file"], "title": title}
        own = app.test_client()
        barrier.wait()
        results.append(_put(own, form, current["version"]).status_code)

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("First edit", "Second edit")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(results) == [200, 409]
    stored = _get(client)
    assert stored["version"] == current["version"] + 1
    assert stored["title"] in ("First edit", "Second edit")


def test_a_stale_version_is_refused_with_the_current_one(client):
    current = _get(client)
    assert _put(client, {**current["file"], "title": "One"}, current["version"]).status_code == 200
    response = _put(client, {**current["file"], "title": "Two"}, current["version"])
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert (error["code"], error["version"]) == ("stale_version", current["version"] + 1)
    assert _get(client)["title"] == "One"
    missing = client.put(f"/api/events/{EVENT}", json=current["file"], headers=ADMIN)
    assert missing.status_code == 400
    assert missing.get_json()["error"]["code"] == "missing_version"


def test_a_settings_change_on_the_dashboard_makes_an_open_editor_stale(client):
    """Pre-moderation is in the file too: an editor holding the old value must not win."""
    current = _get(client)
    response = client.patch(f"/api/events/{EVENT}", json={"premoderation": False}, headers=ADMIN)
    assert response.status_code == 200
    assert _put(client, current["file"], current["version"]).status_code == 409
    assert _get(client)["file"].get("premoderation", True) is False


def test_export_then_import_gives_the_identical_event(client):
    exported = client.get(f"/api/events/{EVENT}/event.toml", headers=ADMIN)
    assert exported.status_code == 200
    assert exported.mimetype == "application/toml"
    text = exported.get_data(as_text=True)
    form_before = _get(client)["file"]
    assert client.delete(f"/api/events/{EVENT}", headers=ADMIN).status_code == 200
    assert client.get(f"/api/events/{EVENT}").status_code == 404

    imported = client.post(
        "/api/events", data=text.encode(), headers={**ADMIN, "Content-Type": "application/toml"}
    )
    assert imported.status_code == 201, imported.get_json()
    assert imported.get_json()["file"] == form_before
    again = client.get(f"/api/events/{EVENT}/event.toml", headers=ADMIN).get_data(as_text=True)
    assert again == text


def test_a_toml_put_takes_the_version_in_the_query_string(client):
    current = _get(client)
    text = client.get(f"/api/events/{EVENT}/event.toml", headers=ADMIN).get_data(as_text=True)
    edited = text.replace("Test Panel on Shared Services", "Renamed Panel", 1)
    response = client.put(
        f"/api/events/{EVENT}?version={current['version']}",
        data=edited.encode(),
        headers={**ADMIN, "Content-Type": "application/toml"},
    )
    assert response.status_code == 200, response.get_json()
    assert _get(client)["title"] == "Renamed Panel"
    broken = client.put(
        f"/api/events/{EVENT}?version={current['version'] + 1}",
        data=b"code = [unclosed",
        headers={**ADMIN, "Content-Type": "application/toml"},
    )
    assert broken.status_code == 400
    assert broken.get_json()["error"]["code"] == "invalid_event_file"


def test_a_duplicate_is_a_new_event_with_the_same_agenda(client):
    response = client.post(
        "/api/events",
        json={"duplicate": EVENT, "code": "panel-copy", "title": "The copy"},
        headers=ADMIN,
    )
    assert response.status_code == 201, response.get_json()
    original, copy = _get(client)["file"], _get(client, "panel-copy")["file"]
    assert copy["title"] == "The copy" and copy["code"] == "panel-copy"
    assert copy["segments"] == original["segments"]
    refused = client.post(
        "/api/events", json={"duplicate": EVENT, "code": EVENT}, headers=ADMIN
    ).get_json()
    assert refused["error"]["code"] == "code_required"


def test_the_event_file_only_seeds_an_event_that_was_edited_since(app, client):
    current = _get(client)
    assert (
        _put(client, {**current["file"], "title": "Edited live"}, current["version"]).status_code
        == 200
    )
    from moderator import runtime
    from moderator.core.clock import system_clock

    with runtime.database(app).session() as session:
        events.install_events(session, [load_event_file(PANEL_FILE)], clock=system_clock)
    assert _get(client)["title"] == "Edited live"


def _wait_closed(sock, namespace="/mod", timeout=1.0):
    deadline = time.monotonic() + timeout
    while sock.is_connected(namespace):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_revoking_an_invitation_closes_its_open_dashboards_within_a_second(app, client):
    invitation = _invite(client, "timekeeper", "Back of room")
    by_token = socketio.test_client(
        app, namespace="/mod", auth={"event": EVENT, "token": invitation["token"]}
    )
    browser = app.test_client()
    assert browser.get(f"/moderate/{EVENT}?token={invitation['token']}").status_code == 302
    by_login = socketio.test_client(
        app, namespace="/mod", auth={"event": EVENT}, flask_test_client=browser
    )
    other = _invite(client, "timekeeper", "Front desk")
    unaffected = socketio.test_client(
        app, namespace="/mod", auth={"event": EVENT, "token": other["token"]}
    )
    assert all(s.is_connected("/mod") for s in (by_token, by_login, unaffected))
    sync = by_token.emit("sync", {}, callback=True, namespace="/mod")
    assert sync["access"]["role"] == "timekeeper"

    started = time.monotonic()
    response = client.delete(f"/api/events/{EVENT}/invitations/{invitation['id']}", headers=ADMIN)
    assert response.status_code == 200
    assert _wait_closed(by_token) and _wait_closed(by_login), time.monotonic() - started
    assert unaffected.is_connected("/mod")
    # The link and the login hold no more.
    assert browser.get(f"/moderate/{EVENT}").status_code == 401
    refused = client.post(
        f"/api/events/{EVENT}/timer",
        json={"action": "start"},
        headers={"Authorization": f"Bearer {invitation['token']}"},
    )
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "wrong_token"
    listed = client.get(f"/api/events/{EVENT}/invitations", headers=ADMIN).get_json()
    [entry] = [i for i in listed["invitations"] if i["id"] == invitation["id"]]
    assert entry["revoked_ms"] is not None and "token" not in entry


def test_a_screens_invitation_pairs_a_screen_of_its_event_and_nothing_of_another(app, client):
    assert client.post("/api/events", json=NEW, headers=ADMIN).status_code == 201
    helper = {"Authorization": f"Bearer {_invite(client, 'screens', 'Volunteer')['token']}"}

    own = socketio.test_client(app, auth={"event": EVENT, "role": "screen", "pair": True})
    own_code = own.emit("pairing", {}, callback=True)["code"]
    response = client.post(
        f"/api/events/{EVENT}/screens/pair",
        json={"code": own_code, "label": "Left TV"},
        headers=helper,
    )
    assert response.status_code == 200, response.get_json()
    [paired] = received(own, "paired")
    assert paired["label"] == "Left TV"

    theirs = socketio.test_client(app, auth={"event": NEW["code"], "role": "screen", "pair": True})
    their_code = theirs.emit("pairing", {}, callback=True)["code"]
    for path, body in [
        ("screens/pair", {"code": their_code, "label": "Hijacked"}),
        ("screens/remove", {"screen_id": paired["screen_id"]}),
    ]:
        response = client.post(f"/api/events/{NEW['code']}/{path}", json=body, headers=helper)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "other_event"
    assert received(theirs, "paired") == []
    # Nor can it touch the queue or the clock of its own event.
    for path, body in [("timer", {"action": "start"}), ("settings", None)]:
        if body is None:
            response = client.patch(
                f"/api/events/{EVENT}", json={"premoderation": False}, headers=helper
            )
        else:
            response = client.post(f"/api/events/{EVENT}/{path}", json=body, headers=helper)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "not_your_role"
    listed = client.get(f"/api/events/{EVENT}/screens", headers=helper).get_json()
    assert [s["label"] for s in listed] == ["Left TV"]


def test_the_audit_trail_records_who_did_what_and_never_an_askers_name(app, client):
    keeper = {"Authorization": f"Bearer {_invite(client, 'timekeeper', 'Back of room')['token']}"}
    client.post(f"/api/events/{EVENT}/timer", json={"action": "start"}, headers=keeper)
    client.post(
        f"/api/events/{EVENT}/floor",
        json={
            "client_msg_id": "floor-question-1",
            "text": "From the floor?",
            "theme": "general",
            "name": "Jane Private",
            "affiliation": "Secret Org",
        },
        headers=ADMIN,
    )
    entries = client.get(f"/api/events/{EVENT}/audit", headers=ADMIN).get_json()["entries"]
    actions = [(e["who"], e["role"], e["action"]) for e in entries]
    assert ("Back of room", "timekeeper", "timer.start") in actions
    assert ("administrator", "admin", "floor") in actions
    assert ("administrator", "admin", "invitation.create") in actions
    assert "Jane Private" not in str(entries) and "Secret Org" not in str(entries)
    exported = client.get(f"/api/events/{EVENT}/export.json", headers=ADMIN).get_json()
    assert [e["action"] for e in exported["audit"]][-1] == "floor"
    # Reading is not an action: the trail has no entry for the reads above.
    assert not any(e["action"] in ("audit.list", "invitation.list") for e in entries)
    assert client.get(f"/api/events/{EVENT}/audit", headers=keeper).status_code == 403


@pytest.mark.parametrize("role", ["timekeeper", "screens"])
def test_a_dashboard_shows_each_role_only_its_controls(app, client, role):
    browser = app.test_client()
    token = _invite(client, role)["token"]
    assert browser.get(f"/moderate/{EVENT}?token={token}").status_code == 302
    page = browser.get(f"/moderate/{EVENT}").get_data(as_text=True)
    assert f'data-role="{role}"' in page
    assert ("Export CSV" in page) is False
    sock = socketio.test_client(
        app, namespace="/mod", auth={"event": EVENT}, flask_test_client=browser
    )
    sync = sock.emit("sync", {}, callback=True, namespace="/mod")
    assert sync["access"]["role"] == role
    # A timekeeper reads the queue; the screens' helper does not get the questions at all.
    assert ("counts" in sync) is (role == "timekeeper")
    other = client.post("/api/events", json=NEW, headers=ADMIN)
    assert other.status_code == 201
    assert browser.get(f"/moderate/{NEW['code']}").status_code == 403


def test_an_events_moderator_is_told_the_event_list_is_the_administrators(client):
    moderator = {"Authorization": f"Bearer {_invite(client, 'moderator', 'Chair')['token']}"}
    response = client.get("/api/events", headers=moderator)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "not_your_role"


def test_a_clock_left_paused_after_the_session_is_not_live_days_later(app):
    from moderator import runtime
    from moderator.core import timer

    with runtime.database(app).session() as session:
        event = events.get_event(session, EVENT)
        row = timer.get_timer(session, event, clock=lambda: 0)
        row.state = "paused"
        # The panel's date is 2030-03-14 in Nairobi (UTC+3).
        two_days_after = 1_899_882_000_000  # 2030-03-16, noon in Nairobi
        assert events.status_of(event, row, now=two_days_after) == "past"
        that_day = 1_899_709_200_000  # 2030-03-14, noon in Nairobi
        assert events.status_of(event, row, now=that_day) == "live"
        row.state = "running"
        assert events.status_of(event, row, now=two_days_after) == "live"


def test_a_large_event_file_is_taken_though_it_is_larger_than_other_bodies(client):
    """A hundred segments titled in six languages: within the parser's limits, above the 64 KB
    that any other request may send."""
    languages = ("en", "fr", "es", "ru", "ar", "zh")
    segments = [
        {
            "title": {lang: f"{lang} segment {i:03d} " + "x" * 170 for lang in languages},
            "minutes": 1,
        }
        for i in range(100)
    ]
    form = {"code": "big-event", "title": "A long day", "segments": segments}
    body = json.dumps(form).encode()
    assert len(body) > 64 * 1024
    response = client.post(
        "/api/events", data=body, headers={**ADMIN, "Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.get_json()
    assert len(response.get_json()["file"]["segments"]) == 100
    too_big = client.post(
        f"/api/events/{EVENT}/questions", data=body, headers={"Content-Type": "application/json"}
    )
    assert too_big.status_code == 413
