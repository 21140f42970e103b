"""Every page passes axe-core (vendored, pinned) at WCAG 2.2 AA with 0 violations, colour
contrast included: the attendee page online and in the room with its lists filled, the room
screen in every clock state (idle, running, warning, overtime, paused in overtime), the stage
monitor with a message, the login page, the index and the dashboard with a question's panel
open and a draft message its stage monitor preview warns about."""

from __future__ import annotations

import pytest

from tests.fixtures.axe import axe_violations, described
from tests.fixtures.constants import EVENT, OTHER_THEME, THEME, TOKEN
from tests.fixtures.helpers import room_link, wait_until
from tests.fixtures.server import ServerProcess, moderator_api, pair_screen

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
LAPTOP = {"viewport": {"width": 1440, "height": 900}}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ServerProcess(tmp_path_factory.mktemp("a11y") / "instance").start()
    yield process
    process.stop()


api = moderator_api


@pytest.fixture(scope="module")
def questions(server):
    """Questions in every public state, and one pending: an Arabic one mixing Latin and digits,
    a long unbroken address, one on screen and one answered."""
    texts = [
        ("كيف نضمن تمويل برنامج Exchange 2030 بعد السنة الأولى؟", "Amina", THEME),
        ("How do alumni networks stay alive after the exchange?", None, OTHER_THEME),
        ("Where is https://example.org/" + "a-long-path" * 8 + " kept?", "Li", THEME),
        ("Which countries host the most exchanges?", None, "general"),
    ]
    ids = []
    for n, (text, name, theme) in enumerate(texts):
        ids.append(
            api(
                server,
                "POST",
                "/floor",
                text=text,
                theme=theme,
                name=name,
                client_msg_id=f"a11y-{n:04d}",
            )["question"]["id"]
        )
    api(server, "POST", f"/questions/{ids[1]}/live")
    api(server, "POST", f"/questions/{ids[3]}/answered")
    return ids


def page_of(browser, server, path: str, viewport=PHONE):
    context = browser.new_context(bypass_csp=True, **viewport)
    page = context.new_page()
    page.goto(path if path.startswith("http") else server.url + path)
    return context, page


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{described(violations)}"


@pytest.mark.parametrize("where", ["online", "room"])
def test_the_attendee_page_with_its_lists_open(browser, server, questions, where):
    if where == "room":
        room = paired(browser, server, "screen")
        link = room_link(server.url)
        room.context.close()
    else:
        link = f"{server.url}/e/{EVENT}"
    context, page = page_of(browser, server, link)
    try:
        page.wait_for_selector("#connection[data-state=online]")
        page.wait_for_selector("#public li.question >> nth=2")
        # A chosen theme shows its guiding questions; a question that looks like a published
        # one opens the "already asked?" list; a question of one's own is in "My questions".
        page.click(f"label[for=theme-{THEME}]")
        page.fill("#text", "How do alumni networks stay alive after the exchange ends?")
        page.wait_for_selector("#similar:not([hidden]) li.question")
        page.fill("#name", "Amina")
        page.click("#send")
        page.wait_for_selector("#mine li.question .status-pending")
        page.fill("#text", "x" * 310)  # the counter over the limit
        assert_accessible(page, f"attendee page ({where})")
    finally:
        context.close()


class Screen:
    def __init__(self, context, page):
        self.context, self.page = context, page


def paired(browser, server, role: str) -> Screen:
    """A room screen or stage monitor paired through the API, showing the countdown."""
    context, page = page_of(browser, server, f"/e/{EVENT}/{role}", PROJECTOR)
    pair_screen(server, page, f"a11y {role}")
    return Screen(context, page)


@pytest.fixture(scope="module")
def room(browser, server, questions):
    screen = paired(browser, server, "screen")
    yield screen
    screen.context.close()


def set_clock(server, state: str) -> None:
    """The timer in ``state``, from the first segment not started."""
    api(server, "POST", "/timer", action="goto", index=0)
    api(server, "POST", "/timer", action="reset")
    if state == "idle":
        return
    api(server, "POST", "/timer", action="start")
    if state == "warning":  # 10 minutes, amber from 2 minutes left
        api(server, "POST", "/timer", action="adjust", seconds=-(10 * 60 - 90))
    elif state in ("overtime", "paused"):  # no length left: counting up at once
        api(server, "POST", "/timer", action="adjust", seconds=-10 * 60)
    if state == "paused":
        api(server, "POST", "/timer", action="pause")


@pytest.mark.parametrize(
    ("state", "phase"),
    [
        ("idle", "normal"),
        ("running", "normal"),
        ("warning", "warning"),
        ("overtime", "overtime"),
        ("paused", "overtime"),
    ],
)
def test_the_room_screen_in_every_clock_state(server, room, state, phase):
    set_clock(server, state)
    shown = "idle" if state == "idle" else ("paused" if state == "paused" else "running")
    wait_until(
        lambda: (
            room.page.evaluate(
                "(({ state, phase }) => [state, phase])(document.getElementById('app').dataset)"
            )
            == [shown, phase]
        ),
        message=f"the room screen {state}",
    )
    room.page.wait_for_selector("#live .live-text")
    if state == "overtime":
        # The blink, held at its dimmest: the contrast that matters is the lowest one.
        blinks = room.page.evaluate(
            "document.getAnimations().map((a) => { a.pause(); a.currentTime = 500;"
            " return a.animationName; })"
        )
        assert blinks == ["pulse"]
    try:
        assert_accessible(room.page, f"room screen, {state}")
    finally:
        set_clock(server, "idle")


def test_the_stage_monitor_with_a_message(browser, server):
    stage = paired(browser, server, "stage")
    try:
        api(server, "POST", "/timer", action="start")
        api(server, "POST", "/display", action="message", text="Two minutes left: please wrap up.")
        stage.page.wait_for_selector("#message:not([hidden])")
        assert_accessible(stage.page, "stage monitor with a message")
    finally:
        api(server, "POST", "/display", action="clear")
        set_clock(server, "idle")
        stage.context.close()


@pytest.mark.parametrize("path", ["/", f"/moderate/{EVENT}"], ids=["index", "login"])
def test_the_index_and_the_login_page(browser, server, path):
    context, page = page_of(browser, server, path, LAPTOP)
    try:
        page.wait_for_load_state("load")
        assert_accessible(page, path)
    finally:
        context.close()


def test_the_dashboard_with_a_question_panel_open(browser, server, questions):
    context, page = page_of(browser, server, f"/moderate/{EVENT}?token={TOKEN}", LAPTOP)
    try:
        page.wait_for_selector("#connection[data-state=online]")
        summary = page.locator("li.question details.more summary").first
        summary.wait_for()
        summary.click()
        page.wait_for_selector("li.question details.more[open]")
        # A draft the stage monitor would cut: its preview and the warning line are shown too.
        page.fill("#message-text", "W" * 200)
        page.wait_for_selector("#stage-preview-warning:not([hidden])")
        assert_accessible(page, "dashboard with a question's panel open")
    finally:
        context.close()
