"""The dashboard's live preview of the stage monitor: while the moderator types a message to the
speakers, a framed stage monitor (``/e/<code>/stage?preview=1``) shows the draft as the real one
will (same page, stylesheet and size steps), labelled "not sent yet", with a warning when the
stage monitor at 1920x1080 would cut it with an ellipsis. Nothing reaches the real stage monitor
until Send; the focus stays in the field; a message from another origin changes nothing."""

from __future__ import annotations

import pytest

from tests.fixtures.constants import EVENT, TOKEN
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess, moderator_api, pair_screen

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1440, "height": 900}}
FULL_HD = {"viewport": {"width": 1920, "height": 1080}}
WORDS = (
    "Please wrap up now: the next panel starts in two minutes and the floor microphone "
    "questions come after that, so keep your answer short and to the point. "
)
# Wide letters, no space: five lines at the longest size step, where the stage monitor keeps four.
TOO_LONG = "W" * 200
OTHER_ORIGIN = "http://other-origin.test"


def text_of(length: int) -> str:
    """Words (not one long run), exactly ``length`` characters, no space at either end."""
    text = (WORDS * (length // len(WORDS) + 1))[:length]
    return text[:-1] + "." if text.endswith(" ") else text


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ServerProcess(tmp_path_factory.mktemp("stage-preview") / "instance").start()
    yield process
    process.stop()


api = moderator_api


def open_dashboard(browser, server, **options):
    context = browser.new_context(**LAPTOP, **options)
    page = context.new_page()
    page.goto(f"{server.url}/moderate/{EVENT}?token={TOKEN}")
    page.wait_for_selector("#connection[data-state=online]")
    return page


@pytest.fixture
def dashboard(browser, server):
    page = open_dashboard(browser, server)
    yield page
    page.context.close()
    api(server, "POST", "/display", action="clear")


@pytest.fixture
def framing_dashboard(browser, server):
    """A dashboard whose policy lets the test frame a page from another origin in it."""
    page = open_dashboard(browser, server, bypass_csp=True)
    yield page
    page.context.close()


@pytest.fixture
def stage(browser, server):
    """A real stage monitor, paired through the API, at full HD."""
    context = browser.new_context(**FULL_HD)
    page = context.new_page()
    page.goto(f"{server.url}/e/{EVENT}/stage")
    pair_screen(server, page, "stage preview test")
    yield page
    context.close()


def preview_frame(page):
    return page.frame_locator("#stage-preview")


def preview_state(page) -> dict:
    """What the preview frame's message shows, read in the frame itself."""
    frame = page.frame(url=lambda url: "/stage?preview=1" in url)
    assert frame is not None
    return frame.evaluate(
        """() => {
          const m = document.getElementById("message");
          return {text: m.textContent, hidden: m.hidden, dir: m.getAttribute("dir"),
                  size: m.dataset.size};
        }"""
    )


def wait_for_draft(page, text: str) -> dict:
    return wait_until(
        lambda: (state := preview_state(page))["text"] == text and state,
        timeout=10,
        message=f"the preview showing the {len(text)}-character draft",
    )


def type_draft(page, text: str) -> None:
    field = page.locator("#message-text")
    field.fill("")
    field.press_sequentially(text)


@pytest.mark.parametrize(
    "length, size", [(0, None), (100, "m"), (200, "xl")], ids=["0", "100", "200"]
)
def test_typing_updates_the_preview_verbatim_and_keeps_the_focus(dashboard, length, size):
    label = dashboard.locator(".stage-preview-label")
    assert label.is_visible() and label.text_content() == "Preview: not sent yet"
    # Something else first, so that the empty draft is a change the preview has to make.
    type_draft(dashboard, "A first draft")
    wait_for_draft(dashboard, "A first draft")
    text = text_of(length)
    type_draft(dashboard, text)
    state = wait_for_draft(dashboard, text)
    assert state["hidden"] is (length == 0)
    assert state["dir"] == "auto"
    if size:
        assert state["size"] == size
    assert dashboard.evaluate("document.activeElement.id") == "message-text"
    assert dashboard.locator("#stage-preview-warning").is_hidden()


def test_nothing_reaches_the_stage_monitor_until_send(dashboard, stage, server):
    text = text_of(120)
    type_draft(dashboard, text)
    wait_for_draft(dashboard, text)
    # The draft is in the preview; the real stage monitor and the server still have no message.
    assert stage.evaluate("document.getElementById('message').hidden") is True
    assert stage.locator("#message").text_content() == ""
    assert api(server, "GET", "/display")["message"] is None
    dashboard.locator("#message-form button[type=submit]").click()
    stage.wait_for_selector("#message:not([hidden])")
    assert stage.locator("#message").text_content() == text
    # Sent: the field is empty again (once the server has acknowledged it, which may come after
    # the stage monitor has the message), and so is the preview.
    wait_until(
        lambda: dashboard.locator("#message-text").input_value() == "",
        message="the message field emptied after sending",
    )
    wait_for_draft(dashboard, "")


def test_the_clamp_warning_shows_when_the_stage_monitor_would_cut_the_message(dashboard, stage):
    warning = dashboard.locator("#stage-preview-warning")
    type_draft(dashboard, text_of(200))
    wait_for_draft(dashboard, text_of(200))
    assert warning.is_hidden()
    type_draft(dashboard, TOO_LONG)
    wait_for_draft(dashboard, TOO_LONG)
    warning.wait_for(state="visible", timeout=5000)
    assert "ellipsis" in warning.text_content()
    # The real stage monitor at 1920x1080 does cut it once sent: the warning told the truth.
    dashboard.locator("#message-form button[type=submit]").click()
    stage.wait_for_selector("#message:not([hidden])")
    assert stage.evaluate(
        "(m => m.scrollHeight > m.clientHeight + 1)(document.getElementById('message'))"
    )
    wait_for_draft(dashboard, "")
    warning.wait_for(state="hidden", timeout=5000)


def test_the_preview_ignores_a_draft_from_another_origin(framing_dashboard):
    dashboard = framing_dashboard
    type_draft(dashboard, "Our own draft")
    wait_for_draft(dashboard, "Our own draft")
    preview = dashboard.frame(url=lambda url: "/stage?preview=1" in url)
    # Record what reaches the preview frame (to know the other origin's message did arrive) and
    # every text its message box shows.
    preview.evaluate(
        """() => {
          window.__seen = [];
          addEventListener("message", (e) => window.__seen.push([e.origin, e.data && e.data.text]));
          const box = document.getElementById("message");
          window.__shown = [];
          new MutationObserver(() => window.__shown.push(box.textContent))
            .observe(box, {childList: true, characterData: true, subtree: true});
        }"""
    )
    dashboard.context.route(
        f"{OTHER_ORIGIN}/**",
        lambda route: route.fulfill(content_type="text/html", body="<p>another site</p>"),
    )
    dashboard.evaluate(
        f"""() => new Promise((done) => {{
          const other = document.createElement("iframe");
          other.src = "{OTHER_ORIGIN}/page";
          other.onload = done;
          document.body.append(other);
        }})"""
    )
    other = dashboard.frame(url=f"{OTHER_ORIGIN}/page")
    # It reaches the preview through the dashboard's frames, as a page it framed could.
    other.evaluate(
        """() => { for (let i = 0; i < parent.frames.length; i++) {
          parent.frames[i].postMessage({type: "stage-preview-draft", text: "Injected"}, "*"); } }"""
    )
    wait_until(
        lambda: [OTHER_ORIGIN, "Injected"] in preview.evaluate("window.__seen"),
        timeout=5,
        message="the other origin's message delivered to the preview",
    )
    # Then a draft from the dashboard itself, which comes after it: shown, the other never was.
    type_draft(dashboard, "Still our own")
    wait_for_draft(dashboard, "Still our own")
    assert "Injected" not in preview.evaluate("window.__shown")
    assert preview_state(dashboard)["text"] == "Still our own"
