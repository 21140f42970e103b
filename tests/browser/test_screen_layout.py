"""Screens that keep the clock: on the stage monitor and the room screen, at full HD and 720p,
the countdown keeps at least half the height it has without a message (the moderator's message
on the stage, the question on screen in the room), whatever its length, under the demo's longest
segment title and speakers; long texts shrink or end with an ellipsis, a long unbroken address
wraps, and nothing leaves the viewport: not the countdown, not the QR code."""

from __future__ import annotations

import functools
import json

import pytest

from moderator.core.event_file import DEMO_EVENT_FILE, load_event_file
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess, moderator_api, pair_screen

pytestmark = pytest.mark.browser

CODE = "longest"
VIEWPORTS = [(1920, 1080), (1280, 720)]
LENGTHS = [0, 50, 100, 150, 200]
WORDS = (
    "Please wrap up now: the next panel starts in two minutes and the floor microphone "
    "questions come after that, so keep your answer short and to the point. "
)


def text_of(length: int) -> str:
    """Words (not one long run), exactly ``length`` characters, no trailing space."""
    text = (WORDS * (length // len(WORDS) + 1))[:length]
    return text[:-1] + "." if text.endswith(" ") else text


def longest_demo_event() -> str:
    """An event whose first segment has the demo's longest title (in any of its languages) and
    longest speaker list, followed by its second-longest title (shown as "Next")."""
    demo = load_event_file(DEMO_EVENT_FILE)
    titles = sorted(
        (title for s in demo.segments for title in (s.title, *s.title_translations.values())),
        key=len,
        reverse=True,
    )
    speakers = max((s.speakers for s in demo.segments), key=lambda names: len(", ".join(names)))
    quote = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731 - TOML basic strings
    return "\n".join(
        [
            f'code = "{CODE}"',
            f"title = {quote(demo.title)}",
            "[[segments]]",
            f"title = {quote(titles[0])}",
            "minutes = 50",
            f"speakers = [{', '.join(quote(name) for name in speakers)}]",
            "[[segments]]",
            f"title = {quote(titles[1])}",
            "minutes = 10",
        ]
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screens")
    event_file = folder / "longest.toml"
    event_file.write_text(longest_demo_event())
    process = ServerProcess(folder / "instance", env={"EVENT_FILES": str(event_file)}).start()
    yield process
    process.stop()


api = functools.partial(moderator_api, event=CODE)


# What the page looks like, measured in the page: the countdown's height, and every element that
# leaves the viewport, overflows its own box sideways, or overlaps the countdown.
MEASURE = """() => {
  const vw = innerWidth, vh = innerHeight, problems = [];
  const clock = document.getElementById("countdown").getBoundingClientRect();
  const inside = (r) => r.left >= -1 && r.top >= -1 && r.right <= vw + 1 && r.bottom <= vh + 1;
  const overlaps = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
    && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  for (const node of document.querySelectorAll("#app *")) {
    const r = node.getBoundingClientRect();
    if (!r.width || !r.height || node.closest("[hidden], .pairing, .blackout")) continue;
    const name = node.id || node.className?.baseVal || node.className || node.tagName;
    if (!inside(r)) problems.push(`${name} leaves the viewport: ${JSON.stringify(r)}`);
    if (node.scrollWidth > node.clientWidth + 1 && getComputedStyle(node).overflowX === "visible")
      problems.push(`${name} overflows sideways: ${node.scrollWidth} > ${node.clientWidth}`);
    const text = ["stage-message", "live-text", "who", "room-next", "segment-title", "speakers",
      "join", "reach-note", "qr"].some((c) => node.classList?.contains(c));
    if (text && overlaps(r, clock)) problems.push(`${name} overlaps the countdown`);
  }
  if (document.documentElement.scrollWidth > vw) problems.push("the page scrolls sideways");
  if (document.documentElement.scrollHeight > vh) problems.push("the page scrolls down");
  return { height: clock.height, problems };
}"""


def open_screen(browser, server, path: str, size: tuple[int, int], label: str):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{server.url}/e/{CODE}/{path}")
    pair_screen(server, page, label, event=CODE)
    return context, page


def measured(page) -> dict:
    return page.evaluate(MEASURE)


@pytest.fixture(scope="module")
def clock_running(server):
    api(server, "POST", "/timer", action="start")
    yield
    api(server, "POST", "/timer", action="pause")


@pytest.mark.parametrize("size", VIEWPORTS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_stage_monitor_keeps_the_clock_whatever_the_message(
    browser, server, size, clock_running
):
    context, page = open_screen(browser, server, "stage", size, f"Stage {size[0]}")
    try:
        api(server, "POST", "/display", action="clear")
        wait_until(lambda: page.evaluate("document.getElementById('message').hidden"))
        bare = measured(page)
        assert bare["problems"] == []
        assert bare["height"] > size[1] * 0.3  # the clock fills the screen without a message
        # Words of every length up to the limit, and the limit as one unbroken run of wide
        # letters (no space to break at).
        for message in [text_of(n) for n in LENGTHS[1:]] + ["W" * 200]:
            length = len(message)
            api(server, "POST", "/display", action="message", text=message)
            wait_until(
                lambda m=message: (
                    page.evaluate("document.getElementById('message').textContent") == m
                ),
                message=f"the {length}-character message shown",
            )
            seen = measured(page)
            assert seen["problems"] == [], (length, seen["problems"])
            assert seen["height"] >= 0.5 * bare["height"], (length, seen["height"], bare)
            # The message itself is not cut to nothing: at least two lines' worth is visible.
            shown = page.evaluate(
                "(() => { const m = document.getElementById('message');"
                " return m.clientHeight / parseFloat(getComputedStyle(m).fontSize); })()"
            )
            assert shown >= 2, (length, shown)
    finally:
        api(server, "POST", "/display", action="clear")
        context.close()


def put_on_screen(server, text: str, name: str | None = None) -> int:
    floor = api(
        server,
        "POST",
        "/floor",
        text=text,
        theme="general",
        name=name,
        client_msg_id=f"layout-{len(text)}-{hash(text) & 0xFFFF}",
    )
    question_id = floor["question"]["id"]
    api(server, "POST", f"/questions/{question_id}/live")
    return question_id


LONG_ADDRESS = "https://example.org/" + "a-very-long-path-without-any-break" * 6


@pytest.mark.parametrize("size", VIEWPORTS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_room_screen_keeps_the_clock_and_the_qr_code_whatever_the_question(
    browser, server, size, clock_running
):
    context, page = open_screen(browser, server, "screen", size, f"Room {size[0]}")
    try:
        bare = measured(page)
        assert bare["problems"] == []
        questions = [text_of(n) for n in LENGTHS[1:]] + [
            text_of(300),  # the longest an attendee may send
            f"Where is the report? {LONG_ADDRESS}",
            "Pneumonoultramicroscopicsilicovolcanoconiosis" * 6,
        ]
        for text in questions:
            question_id = put_on_screen(server, text, name=("Delegate " + "of a country " * 6)[:80])
            wait_until(
                lambda t=text: (
                    page.evaluate("document.querySelector('#live .live-text')?.textContent") == t
                ),
                message="the question on screen",
            )
            seen = measured(page)
            assert seen["problems"] == [], (text[:40], seen["problems"])
            assert seen["height"] >= 0.5 * bare["height"], (len(text), seen["height"], bare)
            api(server, "POST", f"/questions/{question_id}/unlive")
    finally:
        context.close()


def test_the_check_sees_an_overflow(browser, server):
    """The measurement can fail: a box wider than the screen is reported."""
    context, page = open_screen(browser, server, "stage", (1280, 720), "Control")
    try:
        page.evaluate(
            "(() => { const m = document.getElementById('message'); m.hidden = false;"
            " m.textContent = 'x'.repeat(400); m.style.whiteSpace = 'nowrap';"
            " m.style.display = 'block'; m.style.overflow = 'visible';"
            " m.style.maxInlineSize = 'none'; m.style.inlineSize = '3000px'; })()"
        )
        assert any("message" in problem for problem in measured(page)["problems"])
    finally:
        context.close()
