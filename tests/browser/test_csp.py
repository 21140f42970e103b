"""Every page under its Content-Security-Policy in Chromium: no violation reported (console or
``securitypolicyviolation``), the Socket.IO connection up over a websocket, and the pages still
work: a question sent from the attendee page reaches the dashboard, whose room screen preview
(framed by the dashboard itself) runs; the login and logout forms post from the app's own pages
and pass the cross-site check."""

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.constants import EVENT, THEME, TOKEN
from tests.fixtures.helpers import wait_until

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1440, "height": 900}}

# Runs in every frame before the page's own scripts; Playwright's init scripts are not subject
# to the page's policy.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watched:
    """A browser context whose pages record CSP violations, console errors and websockets."""

    def __init__(self, browser):
        self.context = browser.new_context(**LAPTOP)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.console: list[str] = []
        self.errors: list[str] = []
        self.websockets: list[str] = []

    def page(self):
        page = self.context.new_page()
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("websocket", lambda ws: self.websockets.append(ws.url))
        return page

    def violations(self, page) -> list[str]:
        """What every frame of ``page`` reported, and the console's CSP messages."""
        found = [v for frame in page.frames for v in frame.evaluate("window.__csp || []")]
        found += [m for m in self.console if "Content Security Policy" in m]
        return found

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser):
    session = Watched(browser)
    yield session
    session.close()


def online(page):
    # Attached, not visible: the room screen hides its connection badge.
    page.wait_for_selector("#connection[data-state=online]", state="attached", timeout=10000)


@pytest.mark.parametrize(
    "path, connects",
    [
        ("/", False),
        (f"/e/{EVENT}", True),
        (f"/r/{EVENT}", True),
        (f"/e/{EVENT}/screen", True),
        (f"/e/{EVENT}/stage", True),
        (f"/moderate/{EVENT}", False),  # the login form
    ],
)
def test_a_page_loads_under_the_policy_without_a_violation(watched, live_server, path, connects):
    page = watched.page()
    response = page.goto(live_server.url + path)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    if connects:
        online(page)
        assert any(
            "/socket.io/" in url and "transport=websocket" in url for url in watched.websockets
        )
    else:
        page.wait_for_load_state("load")
    assert watched.violations(page) == []
    assert watched.errors == []


def test_the_dashboard_and_its_screen_preview_run_under_the_policy(watched, live_server):
    page = watched.page()
    page.goto(f"{live_server.url}/moderate/{EVENT}?token={TOKEN}")
    online(page)
    preview = page.frame_locator(".preview-frame iframe")
    preview.locator("#connection[data-state=online]").wait_for(state="attached", timeout=10000)
    # The countdown appears once the timer state has arrived (after the connection is up).
    expect(preview.locator("#countdown")).to_have_text(re.compile(r"^\s*-?\d+:\d\d\s*$"))
    # The stage monitor preview runs too, and shows the draft being typed.
    stage_preview = page.frame_locator("#stage-preview")
    online_badge = stage_preview.locator("#connection[data-state=online]")
    online_badge.wait_for(state="attached", timeout=10000)
    page.locator("#message-text").press_sequentially("Two minutes")
    expect(stage_preview.locator("#message")).to_have_text("Two minutes")
    # The preview is scaled by a CSS variable set from script (allowed: no style attribute).
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.preview-frame')).getPropertyValue("
        "'--preview-scale')"
    ).strip() not in ("", "1")
    assert watched.violations(page) == []
    assert watched.errors == []


def test_a_question_from_the_attendee_page_reaches_the_dashboard(watched, live_server):
    dashboard = watched.page()
    dashboard.goto(f"{live_server.url}/moderate/{EVENT}?token={TOKEN}")
    online(dashboard)
    phone = watched.page()
    phone.goto(f"{live_server.url}/e/{EVENT}")
    online(phone)
    phone.click(f"label[for=theme-{THEME}]")
    phone.fill("#text", "Does the policy let this question through?")
    phone.click("#send")
    phone.wait_for_selector("#mine .status-pending")
    card = dashboard.locator("ol[data-status=pending] li.question").first
    card.wait_for(timeout=5000)
    assert card.locator(".text").text_content() == "Does the policy let this question through?"
    card.get_by_role("button", name="Approve").click()
    phone.wait_for_selector("#mine .status-approved")
    for page in (dashboard, phone):
        assert watched.violations(page) == []
    assert watched.errors == []


def test_the_login_and_logout_forms_pass_the_cross_site_check(watched, live_server):
    page = watched.page()
    page.goto(f"{live_server.url}/moderate/{EVENT}")
    page.fill("#token", TOKEN)
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/login")) as login:
        page.click("button[type=submit]")
    assert login.value.headers.get("origin") == live_server.url  # the browser says where from
    online(page)  # logged in: the dashboard
    with page.expect_response(lambda r: r.url.endswith("/logout")) as logout:
        page.get_by_role("button", name="Log out").click()
    assert logout.value.status == 302 and logout.value.request.headers.get("origin")
    # Checked from another tab of the same browser: this one is still moving (the redirect to
    # the index races the dashboard's own reload when its connection hears of the logout).
    again = watched.page()
    again.goto(f"{live_server.url}/moderate/{EVENT}")
    assert again.locator("#token").count() == 1  # logged out: the login form again
    assert watched.violations(page) == [] and watched.violations(again) == []


# A second policy, from a <meta> put first in <head> before any script runs: the page must obey
# both, so the websocket opens only if this one's connect-src admits it too.
EXTRA_POLICY = """
new MutationObserver((_, observer) => {
  if (!document.head) return;
  const meta = document.createElement("meta");
  meta.httpEquiv = "Content-Security-Policy";
  meta.content = POLICY;
  document.head.prepend(meta);
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });
"""


@pytest.mark.parametrize(
    "policy, admitted", [("connect-src 'self'", True), ("connect-src 'none'", False)]
)
def test_connect_src_self_alone_covers_the_websocket_in_chromium(
    browser, live_server, policy, admitted
):
    """Why the header's explicit ws://host is only for Safari before 16: in Chromium 'self'
    alone admits the page's own websocket (CSP Level 3); 'none' is the control."""
    watched = Watched(browser)
    try:
        watched.context.add_init_script(EXTRA_POLICY.replace("POLICY", repr(policy)))
        page = watched.page()
        page.goto(f"{live_server.url}/e/{EVENT}")
        assert page.evaluate("document.head.firstElementChild.content") == policy
        if admitted:
            online(page)
            assert any("transport=websocket" in url for url in watched.websockets)
            assert watched.violations(page) == []
        else:
            # Not wait_for_function: Playwright runs its string through eval, which the policy
            # forbids.
            wait_until(
                lambda: page.evaluate("window.__csp.some((v) => v.startsWith('connect-src'))"),
                message="the refused websocket reported",
            )
            assert page.evaluate("document.getElementById('connection').dataset.state") != "online"
    finally:
        watched.close()


def test_the_watch_sees_a_violation(watched, live_server):
    """The check above can fail: an inline script is refused and reported."""
    page = watched.page()
    page.goto(f"{live_server.url}/")
    with pytest.raises(Exception):  # noqa: B017 - Playwright's error for a refused script
        page.add_script_tag(content="window.__ran = true")
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in watched.violations(page))
