"""Logging out ends the login everywhere: every other dashboard of it is disconnected and its
messages refused, while other logins and tools with the token carry on."""

from __future__ import annotations

import time

from moderator import runtime
from moderator.extensions import socketio


def _wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _logged_in(app):
    browser = app.test_client()
    code = app.config["EVENT_CODES"][0]
    token = app.config["MODERATOR_TOKEN"]
    assert browser.get(f"/moderate/{code}?token={token}").status_code == 302
    return browser


def _dashboard(app, browser):
    code = app.config["EVENT_CODES"][0]
    sock = socketio.test_client(
        app, namespace="/mod", auth={"event": code}, flask_test_client=browser
    )
    assert sock.is_connected("/mod")
    return sock


def test_logging_out_disconnects_every_dashboard_of_that_login_within_a_second(app):
    browser = _logged_in(app)
    first, second = _dashboard(app, browser), _dashboard(app, browser)
    other_login = _dashboard(app, _logged_in(app))
    assert first.emit("sync", {}, callback=True, namespace="/mod")["questions"] == []

    with browser.session_transaction() as session:
        csrf = session["csrf"]
    started = time.monotonic()
    assert browser.post("/logout", data={"csrf": csrf}).status_code == 302

    assert _wait_until(
        lambda: not first.is_connected("/mod") and not second.is_connected("/mod"), timeout=1.0
    ), f"still connected after {time.monotonic() - started:.2f}s"
    # Another login is not affected.
    assert other_login.is_connected("/mod")
    assert "questions" in other_login.emit("sync", {}, callback=True, namespace="/mod")


def test_a_dashboard_of_an_ended_login_is_refused_on_its_next_message(app):
    """Even a socket the server could not reach (on another process) is refused at once."""
    browser = _logged_in(app)
    dashboard = _dashboard(app, browser)
    with browser.session_transaction() as session:
        login_id = session["login"]
    # As if the dashboard were on another process: this one does not know it.
    runtime.of(app).login_watch.sockets.clear()
    with browser.session_transaction() as session:
        csrf = session["csrf"]
    browser.post("/logout", data={"csrf": csrf})
    assert login_id
    assert dashboard.is_connected("/mod")  # nobody disconnected it ...
    reply = dashboard.emit("settings", {"premoderation": False}, callback=True, namespace="/mod")
    assert reply["error"]["code"] == "unauthorized"  # ... but it can no longer act
    sync = dashboard.emit("sync", {}, callback=True, namespace="/mod")
    assert sync["error"]["code"] == "unauthorized"
    # And logging in again on a new dashboard works.
    assert "questions" in _dashboard(app, _logged_in(app)).emit(
        "sync", {}, callback=True, namespace="/mod"
    )
