"""Headers on every response, templates without inline script or style, and cookie-authenticated
writes (API, login, logout) refused when another site's page sends them."""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from tests.fixtures.constants import EVENT, ROOT, TOKEN
from tests.fixtures.helpers import submission

BASE = f"/api/events/{EVENT}"
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws://localhost wss://localhost; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
EVIL = "http://evil.example"
PAGES = ["/", f"/e/{EVENT}", f"/r/{EVENT}", f"/e/{EVENT}/stage", f"/moderate/{EVENT}"]
OTHER_RESPONSES = [
    "/api/events",
    f"{BASE}",
    f"{BASE}/questions",
    f"{BASE}/timer",
    "/api/health",
    "/api/nothing-here",  # a JSON 404
    "/nothing-here",  # an HTML 404
    "/static/css/app.css",
    "/static/js/attendee.js",
]


def assert_default_headers(response):
    assert response.headers["Content-Security-Policy"] == POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", PAGES + OTHER_RESPONSES)
def test_every_page_and_api_reply_carries_the_headers(client, path):
    assert_default_headers(client.get(path))


def test_the_dashboard_and_api_writes_carry_them_too(moderator_client, client, bearer):
    assert_default_headers(moderator_client.get(f"/moderate/{EVENT}"))
    assert_default_headers(client.post(f"{BASE}/questions", json=submission()))
    assert_default_headers(client.post(f"{BASE}/questions/1/approve", headers=bearer))


@pytest.mark.parametrize(
    "path", [f"/e/{EVENT}/screen", f"/e/{EVENT}/screen?preview=1", f"/e/{EVENT}/stage?preview=1"]
)
def test_only_the_screen_and_stage_previews_may_be_framed_and_only_by_the_app_itself(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert policy == POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_dashboard_frames_the_room_screen_it_previews(moderator_client):
    page = moderator_client.get(f"/moderate/{EVENT}").get_data(as_text=True)
    assert re.search(rf'<iframe src="/e/{EVENT}/screen\?preview=1"', page)
    assert re.search(rf'<iframe id="stage-preview" src="/e/{EVENT}/stage\?preview=1"', page)


def test_a_forged_host_header_does_not_reach_the_policy(client):
    policy = client.get("/", headers={"Host": "x; script-src *"}).headers["Content-Security-Policy"]
    assert "script-src *" not in policy
    assert "connect-src 'self';" in policy


def test_public_url_host_is_a_websocket_source_too(app, client):
    app.config["PUBLIC_URL"] = "https://qa.example.org"
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "connect-src 'self' ws://localhost wss://localhost ws://qa.example.org " in policy


class InlineCode(HTMLParser):
    """Executable inline script, event handler attributes and style attributes in a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, _value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=...>")
        if tag == "script":
            self._in_script = "src" not in names and names.get("type") != "application/json"
        if tag == "a" and (names.get("href") or "").lower().startswith("javascript:"):
            self.found.append("<a href=javascript:...>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_inline_code_check_finds_what_it_looks_for():
    page = '<script>alert(1)</script><b onclick="x()" style="color:red">'
    assert len(inline_code(page)) == 3
    assert inline_code('<script type="application/json" id="d">{"a": 1}</script>') == []


@pytest.mark.parametrize("path", PAGES + [f"/e/{EVENT}/screen"])
def test_no_page_holds_inline_script_or_style_attributes(client, path):
    assert inline_code(client.get(path).get_data(as_text=True)) == []


def test_no_inline_script_on_the_dashboard(moderator_client):
    page = moderator_client.get(f"/moderate/{EVENT}").get_data(as_text=True)
    assert 'id="premoderation"' in page  # the dashboard, not the login form
    assert inline_code(page) == []


# --- Cross-site requests -----------------------------------------------------------------------


def csrf_of(browser) -> str:
    with browser.session_transaction() as session:
        return session["csrf"]


def pending_question(client) -> int:
    return client.post(f"{BASE}/questions", json=submission()).get_json()["question"]["id"]


def status_of(client, bearer, qid) -> str:
    questions = client.get(f"{BASE}/questions", headers=bearer).get_json()["questions"]
    return next(q["status"] for q in questions if q["id"] == qid)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": EVIL},
        {"Origin": "null"},
        {"Origin": "http://localhost.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain, or another port of the host
    ],
)
def test_a_cross_site_cookie_authenticated_write_is_refused(moderator_client, bearer, headers):
    qid = pending_question(moderator_client)
    response = moderator_client.post(
        f"{BASE}/questions/{qid}/approve",
        headers={"X-CSRF-Token": csrf_of(moderator_client), **headers},
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "cross_site"
    assert set(response.get_json()["error"]) == {"code", "message"}
    assert status_of(moderator_client, bearer, qid) == "pending"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "http://localhost"}, {"Sec-Fetch-Site": "same-origin"}],
)
def test_a_same_origin_cookie_authenticated_write_is_accepted(moderator_client, bearer, headers):
    qid = pending_question(moderator_client)
    response = moderator_client.post(
        f"{BASE}/questions/{qid}/approve",
        headers={"X-CSRF-Token": csrf_of(moderator_client), **headers},
    )
    assert response.status_code == 200
    assert status_of(moderator_client, bearer, qid) == "approved"


def test_a_bearer_token_write_needs_no_origin(client, bearer):
    qid = pending_question(client)
    response = client.post(f"{BASE}/questions/{qid}/approve", headers=bearer)
    assert response.status_code == 200
    assert status_of(client, bearer, qid) == "approved"


def test_reading_with_the_cookie_is_not_affected(moderator_client):
    response = moderator_client.get(f"{BASE}/export.json", headers={"Origin": EVIL})
    assert response.status_code == 200


def test_an_attendee_write_from_a_browser_with_a_moderator_cookie_still_works(moderator_client):
    # Another site's page cannot act as a moderator, but the attendee's own action (no
    # moderator right needed) is not the cross-site check's to refuse.
    response = moderator_client.post(
        f"{BASE}/questions", json=submission(2), headers={"Origin": EVIL}
    )
    assert response.status_code == 201


def test_a_cross_site_logout_is_refused(moderator_client):
    csrf = csrf_of(moderator_client)
    refused = moderator_client.post("/logout", data={"csrf": csrf}, headers={"Origin": EVIL})
    assert refused.status_code == 403
    assert refused.mimetype == "text/html"
    assert moderator_client.get(f"/moderate/{EVENT}").status_code == 200  # still logged in
    own = moderator_client.post(
        "/logout", data={"csrf": csrf}, headers={"Origin": "http://localhost"}
    )
    assert own.status_code == 302
    assert moderator_client.get(f"/moderate/{EVENT}").status_code == 401


def test_a_cross_site_login_is_refused(client):
    client.get(f"/moderate/{EVENT}")
    csrf = csrf_of(client)
    form = {"token": TOKEN, "csrf": csrf, "next": f"/moderate/{EVENT}"}
    refused = client.post("/login", data=form, headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    assert client.get(f"/moderate/{EVENT}").status_code == 401
    assert (
        client.post("/login", data=form, headers={"Origin": "http://localhost"}).status_code == 302
    )
    assert client.get(f"/moderate/{EVENT}").status_code == 200


# --- Cookies ----------------------------------------------------------------------------------


def secure_default(**env: str) -> str:
    """``Config.SESSION_COOKIE_SECURE`` as a fresh process reads it from ``env``."""
    clean = {
        k: v for k, v in os.environ.items() if k not in ("PUBLIC_URL", "SESSION_COOKIE_SECURE")
    }
    return subprocess.run(
        [sys.executable, "-c", "import config; print(config.Config.SESSION_COOKIE_SECURE)"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_the_session_cookie_is_secure_by_default_behind_https():
    assert secure_default() == "False"
    assert secure_default(PUBLIC_URL="http://192.168.1.20:5000") == "False"
    assert secure_default(PUBLIC_URL="https://qa.example.org") == "True"
    assert secure_default(PUBLIC_URL="https://qa.example.org", SESSION_COOKIE_SECURE="0") == "False"
    assert secure_default(SESSION_COOKIE_SECURE="1") == "True"


def test_a_secure_setting_marks_the_cookie_secure(config_class):
    from moderator import runtime
    from moderator.app import create_app

    class SecureConfig(config_class):
        SESSION_COOKIE_SECURE = True

    app = create_app(SecureConfig)
    try:
        response = app.test_client().get(f"/moderate/{EVENT}?token={TOKEN}")
        cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        runtime.of(app).close()


# On a versioned script or stylesheet these mean nothing (a browser applies neither a policy nor
# a frame rule from a subresource's headers, and a module's imports follow the page's referrer
# policy): they are left off, to spare a phone's first load (docs/security.md, "Light on a weak
# network"). Everything else keeps them, the unversioned addresses above included.
PAGE_ONLY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy")


def versioned(app, name):
    return f"/static/v/{app.config['STATIC_VERSION']}/{name}"


@pytest.mark.parametrize("name", ["js/attendee.js", "css/app.css"])
def test_versioned_scripts_and_styles_carry_only_nosniff(app, client, name):
    response = client.get(versioned(app, name), headers={"Accept-Encoding": "gzip"})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert not [header for header in PAGE_ONLY_HEADERS if header in response.headers]


def test_anything_else_on_a_versioned_address_keeps_the_page_headers(app, client):
    """A file that could be opened as a document (here a JSON source map) keeps them all."""
    name = "vendor/socket.io-client-4.8.4/socket.io.esm.min.js.map"
    response = client.get(versioned(app, name))
    assert response.status_code == 200
    assert all(header in response.headers for header in PAGE_ONLY_HEADERS)


def test_the_page_loading_them_keeps_its_headers(client):
    response = client.get(f"/e/{EVENT}")
    assert all(header in response.headers for header in PAGE_ONLY_HEADERS)
