"""Every action of the registry, for every kind of access: the administrator, an invitation of
the event as moderator, timekeeper or screens, a moderator's invitation to another event, a
revoked invitation, and nobody. Allowed exactly where ``ROLE_RIGHTS`` says, refused elsewhere,
over HTTP and over Socket.IO; a refused call changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from moderator.actions import REGISTRY, Action
from moderator.core.access import ROLE_RIGHTS, STAFF_RIGHTS
from moderator.extensions import socketio
from tests.actions.test_registry import EXAMPLES as QUESTION_EXAMPLES
from tests.actions.test_registry import TOKEN, Http, _fill, _prepare, make_app  # noqa: F401

OTHER = {
    "code": "other-event",
    "title": "Another event",
    "segments": [{"title": "Only segment", "minutes": 5}],
}
NEW_EVENT = {
    "code": "brand-new",
    "title": "A brand new event",
    "segments": [{"title": "Opening", "minutes": 10}],
}

# What the workspace's actions are sent with (the others are in test_registry's EXAMPLES).
EXAMPLES: dict[str, dict[str, Any]] = {
    **{name: data for name, (data, _before) in QUESTION_EXAMPLES.items()},
    "events.list": {},
    "events.create": NEW_EVENT,
    "event.update": {"file": True},  # the event's own form with its version, filled in below
    "event.delete": {},
    "event.archive": {"archived": True},
    "invitation.create": {"role": "timekeeper", "label": "Back of room"},
    "invitation.list": {},
    "invitation.revoke": {"id": "{spare}"},
    "audit.list": {},
    "names.erase": {},
}
# Whose access each kind of caller has; None: no access at all.
CALLERS = ("admin", "moderator", "timekeeper", "screens", "other", "revoked", "nobody")
RIGHTS_REFUSALS = {"unauthorized", "wrong_token", "other_event", "not_your_role"}
STAFF_ACTIONS = sorted(n for n, a in REGISTRY.items() if a.right in STAFF_RIGHTS)


def test_every_action_has_an_example():
    assert set(EXAMPLES) == set(REGISTRY)


def allowed(caller: str, action: Action) -> bool:
    """What ROLE_RIGHTS says: the table under test, read once here."""
    return caller in ROLE_RIGHTS and action.right in ROLE_RIGHTS[caller]


def _invite(http: Http, code: str, role: str, label: str) -> dict[str, Any]:
    response = http.client.post(
        f"/api/events/{code}/invitations",
        json={"role": role, "label": label},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _tokens(http: Http) -> tuple[dict[str, str | None], str]:
    """A token per caller, and the id of a spare invitation for ``invitation.revoke``."""
    admin = {"Authorization": f"Bearer {TOKEN}"}
    response = http.client.post("/api/events", json=OTHER, headers=admin)
    assert response.status_code == 201, response.get_json()
    tokens: dict[str, str | None] = {"admin": TOKEN, "nobody": None}
    for role in ("moderator", "timekeeper", "screens"):
        tokens[role] = _invite(http, http.code, role, f"The {role}")["token"]
    tokens["other"] = _invite(http, OTHER["code"], "moderator", "Elsewhere")["token"]
    revoked = _invite(http, http.code, "moderator", "Gone")
    response = http.client.delete(
        f"/api/events/{http.code}/invitations/{revoked['id']}", headers=admin
    )
    assert response.status_code == 200
    tokens["revoked"] = revoked["token"]
    spare = _invite(http, http.code, "screens", "Spare")["id"]
    return tokens, spare


def _call_http(
    http: Http, action: Action, data: dict[str, Any], token: str | None
) -> tuple[int, Any]:
    body = dict(data)
    if action.selector is not None:
        body[action.selector[0]] = action.selector[1]
    url = "/api" + action.http[1].replace("<code>", http.code)
    for placeholder in ("<int:id>", "<id>"):
        if placeholder in url:
            url = url.replace(placeholder, str(body.pop("id", "")))
    if "<action>" in url:
        url = url.replace("<action>", str(body.pop("action")))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if action.http[0] == "GET":
        response = http.client.get(url, query_string=body, headers=headers)
    else:
        response = http.client.open(url, method=action.http[0], json=body, headers=headers)
    return response.status_code, response.get_json()


def _call_socket(app, http: Http, action: Action, data: dict[str, Any], token: str | None) -> Any:
    """The action's message on a dashboard connection opened with ``token``; the connection's
    refusal when it is not admitted."""
    body = dict(data)
    if action.selector is not None:
        body[action.selector[0]] = action.selector[1]
    auth: dict[str, Any] = {"event": http.code}
    if token is not None:
        auth["token"] = token
    sock = socketio.test_client(app, namespace="/mod", auth=auth)
    if not sock.is_connected("/mod"):
        return {"connect_refused": True}
    try:
        return sock.emit(action.message, body, callback=True, namespace="/mod")
    finally:
        sock.disconnect("/mod")


def _snapshot(http: Http) -> Any:
    admin = {"Authorization": f"Bearer {TOKEN}"}
    exported = http.client.get(f"/api/events/{http.code}/export.json", headers=admin).get_json()
    listed = http.client.get(f"/api/events/{http.code}/invitations", headers=admin).get_json()
    events = http.client.get("/api/events", headers=admin).get_json()
    timer = http.client.get(f"/api/events/{http.code}/timer").get_json()
    timer.pop("server_now_ms", None)
    speaking = http.client.get(f"/api/events/{http.code}/speaker", headers=admin).get_json()
    speaking.pop("server_now_ms", None)
    return exported["questions"], listed, events, exported["event"], timer, speaking


@pytest.mark.parametrize("name", STAFF_ACTIONS)
def test_each_role_may_do_exactly_what_the_table_says(make_app, name):  # noqa: F811
    action = REGISTRY[name]
    app = make_app(f"roles-{name}")
    http, names = _prepare(app)
    tokens, spare = _tokens(http)
    names["spare"] = spare
    data = _fill(EXAMPLES[name], names)
    if name == "event.update":
        current = http.client.get(
            f"/api/events/{http.code}", headers={"Authorization": f"Bearer {TOKEN}"}
        ).get_json()
        data = {**current["file"], "title": "Retitled", "version": current["version"]}

    refused = [c for c in CALLERS if not allowed(c, action)]
    before = _snapshot(http)
    for caller in refused:
        status, reply = _call_http(http, action, data, tokens[caller])
        assert status in (401, 403), (caller, status, reply)
        assert reply["error"]["code"] in RIGHTS_REFUSALS, (caller, reply)
        if action.message is not None:
            over_socket = _call_socket(app, http, action, data, tokens[caller])
            if "connect_refused" not in over_socket:
                assert over_socket["error"]["code"] in RIGHTS_REFUSALS, (caller, over_socket)
            else:  # refused at the door: no access to this event at all
                assert caller in ("other", "revoked", "nobody"), caller
    assert _snapshot(http) == before  # nothing a refused caller sent changed anything

    # The least powerful first: an action that deletes or revokes runs last, as the admin.
    for caller in [
        c for c in ("screens", "timekeeper", "moderator", "admin") if allowed(c, action)
    ]:
        status, reply = _call_http(http, action, data, tokens[caller])
        assert (reply or {}).get("error", {}).get("code") not in RIGHTS_REFUSALS, (caller, reply)
        assert status not in (401, 403), (caller, status, reply)
        if action.message is not None:
            over_socket = _call_socket(app, http, action, data, tokens[caller])
            assert "connect_refused" not in over_socket, caller
            assert over_socket.get("error", {}).get("code") not in RIGHTS_REFUSALS, over_socket
        if name == "event.update":  # the next caller sends the version this one made
            data["version"] = reply["version"]


def test_the_table_gives_each_role_what_the_issue_says():
    """moderator: everything for its event; timekeeper: the clock, messages and who has the
    floor, the queue read-only; screens: pairing. Read from the registry, by action name."""

    def may(role: str) -> set[str]:
        return {n for n, a in REGISTRY.items() if a.right in ROLE_RIGHTS[role]}

    staff = set(STAFF_ACTIONS)
    assert may("admin") == staff
    assert may("moderator") == staff - {
        "events.list",
        "events.create",
        "event.delete",
        "event.archive",
    }
    assert may("timekeeper") == {
        n for n in staff if n.startswith(("timer.", "display.", "speaker."))
    }
    assert may("screens") == {"screen.pair", "screen.rename", "screen.remove"}
