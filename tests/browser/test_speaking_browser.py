"""Who has the floor, in a real browser: the moderator gives it by key, the pressed button and
the balance follow and count up while someone speaks, the server's totals match the page, a
second dashboard follows live; a timekeeper may switch, a screens' helper sees no panel; the
stage monitor shows the speaker's time only once the switch is on; a question is linked to a
guiding question and stays linked."""

from __future__ import annotations

import math
import re

import pytest
import requests

from tests.fixtures.axe import axe_violations, described
from tests.fixtures.constants import EVENT, THEME, TOKEN
from tests.fixtures.helpers import submission, wait_until
from tests.fixtures.server import ServerProcess, moderator_api, pair_screen

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1280, "height": 900}}
# tests/data/panel.toml: the moderator, the two panelists, then the audience in the room and
# online; keys 1 to 5 in that order, 0 for nobody.
MODERATOR, FIRST, SECOND = "moderator", "panelist-one", "panelist-two"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ServerProcess(tmp_path_factory.mktemp("speaking") / "instance").start()
    yield process
    process.stop()


@pytest.fixture(autouse=True)
def nobody_speaks(server):
    yield
    moderator_api(server, "POST", "/speaker", speaker=None)
    moderator_api(server, "POST", "/display", action="speaker_time", on=False)


def open_dashboard(browser, server, url_token: str = TOKEN, lang: str = "", **options):
    context = browser.new_context(**{**LAPTOP, **options}, bypass_csp=True)
    page = context.new_page()
    query = f"token={url_token}" + (f"&lang={lang}" if lang else "")
    page.goto(f"{server.url}/moderate/{EVENT}?{query}")
    page.wait_for_selector("#connection[data-state=online]")
    page.wait_for_selector("#speaker-buttons button")
    return page


def pressed(page) -> str | None:
    """The speaker whose button is pressed ("" for nobody), or None if none is."""
    return page.evaluate(
        "document.querySelector('#speaker-buttons [aria-pressed=true]')?.dataset.speaker ?? null"
    )


def seconds(text: str) -> int:
    """The seconds of the first "m:ss" or "h:mm:ss" in ``text``."""
    match = re.search(r"(?:(\d+):)?(\d+):(\d\d)", text)
    assert match, text
    h, m, s = match.groups()
    return int(h or 0) * 3600 + int(m) * 60 + int(s)


def row_text(page, speaker: str) -> str:
    return page.locator(f"#balance-rows li[data-speaker='{speaker}'] .balance-figures").inner_text()


def test_keys_give_the_floor_and_the_balance_counts_up(browser, server):
    page = open_dashboard(browser, server)
    other = open_dashboard(browser, server)
    assert pressed(page) == ""  # nobody, at first
    page.locator("#speaking-panel").focus()
    page.keyboard.press("1")
    wait_until(lambda: pressed(page) == MODERATOR, timeout=5, message="the moderator pressed")
    wait_until(
        lambda: moderator_api(server, "GET", "/speaker")["current"]["speaker"] == MODERATOR,
        timeout=5,
        message="the server's floor to the moderator",
    )
    wait_until(lambda: pressed(other) == MODERATOR, timeout=5, message="the other dashboard")

    page.keyboard.press("2")
    wait_until(lambda: pressed(page) == FIRST, timeout=5, message="the first panelist pressed")
    wait_until(lambda: pressed(other) == FIRST, timeout=5, message="followed live")
    # While they speak, their row and their button count up (no sleep: two readings, the
    # second awaited with a deadline).
    bar = page.locator(f"#balance-rows li[data-speaker='{FIRST}'] .balance-fill")
    first = seconds(row_text(page, FIRST))
    wait_until(
        lambda: seconds(row_text(page, FIRST)) >= first + 2, timeout=6, message="the count up"
    )
    assert seconds(page.locator(f"[data-speaker='{FIRST}'] .speaker-count").inner_text()) >= 2
    assert bar.evaluate("node => node.getBoundingClientRect().width") > 0
    assert page.evaluate("document.activeElement.id") == "speaking-panel"  # focus stays

    page.keyboard.press("0")
    wait_until(lambda: pressed(page) == "", timeout=5, message="nobody pressed")
    wait_until(lambda: pressed(other) == "", timeout=5, message="nobody, on the other one")
    view = moderator_api(server, "GET", "/speaker")
    assert view["current"] is None
    # Stopped: the page shows the server's totals, to the second.
    for speaker in (MODERATOR, FIRST):
        shown = seconds(row_text(page, speaker))
        assert shown == view["totals"][speaker] // 1000, (speaker, shown, view["totals"])
    share = next(s for s in view["speakers"] if s["id"] == FIRST)["share"]
    # The page rounds the server's share (one decimal) to a whole percent; a share such as 96.5
    # may show as 96 or 97 (the browser rounds half away from zero, on a binary float).
    shown_share = int(re.search(r"(\d+)%", row_text(page, FIRST))[1])
    assert math.floor(share) <= shown_share <= math.ceil(share), (share, row_text(page, FIRST))
    # The panelist's gap to their target (an equal split of the panel: 50 %).
    gap = page.locator(f"#balance-rows li[data-speaker='{FIRST}'] .balance-gap").inner_text()
    assert "vs 50% target" in gap, gap
    page.context.close()
    other.context.close()


def test_the_panel_is_clean_for_axe_and_fits_a_phone_and_arabic(browser, server, artifacts):
    moderator_api(server, "POST", "/speaker", speaker=SECOND)
    page = open_dashboard(browser, server)
    page.locator("#speaking-record summary").click()
    page.locator("#speaking-intervals li.interval").first.wait_for()
    assert axe_violations(page) == [], described(axe_violations(page))
    page.locator("#speaking-panel").screenshot(path=artifacts / "speaking-panel-1280.png")
    page.context.close()

    for lang, width in (("ar", 1280), ("en", 360), ("ar", 360)):
        page = open_dashboard(browser, server, lang=lang, viewport={"width": width, "height": 800})
        page.locator("#speaking-record summary").click()
        page.locator("#speaking-intervals li.interval").first.wait_for()
        # Nothing wider than the window.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if lang == "ar":
            # Right to left: the first speaker's button is at the right.
            buttons = page.locator("#speaker-buttons button")
            first = buttons.nth(0).bounding_box()
            second = buttons.nth(1).bounding_box()
            assert first["x"] > second["x"] or first["y"] < second["y"]
            direction = "getComputedStyle(document.getElementById('speaker-buttons')).direction"
            assert page.evaluate(direction) == "rtl"
        assert axe_violations(page) == [], described(axe_violations(page))
        page.locator("#speaking-panel").screenshot(
            path=artifacts / f"speaking-panel-{lang}-{width}.png"
        )
        page.context.close()


def test_a_correction_is_saved_and_a_refusal_keeps_the_typed_times(browser, server):
    moderator_api(server, "POST", "/speaker", speaker=FIRST)
    moderator_api(server, "POST", "/speaker", speaker=SECOND)
    page = open_dashboard(browser, server)
    page.locator("#speaking-record summary").click()
    view = moderator_api(server, "GET", "/speaker")
    closed = next(i for i in reversed(view["intervals"]) if i["ended_ms"] is not None)
    row = page.locator(f"#interval-{closed['id']}-speaker").locator("xpath=ancestor::li[1]")
    # Its end before its start: refused, and the typed time stays.
    start = page.locator(f"#interval-{closed['id']}-start").input_value()
    page.locator(f"#interval-{closed['id']}-end").fill("00:00:01" if start > "00:00:01" else "")
    row.get_by_role("button").click()
    error = row.locator(".field-error")
    error.wait_for()
    assert error.inner_text()
    assert page.locator(f"#interval-{closed['id']}-end").input_value() == "00:00:01"
    # Another speaker for it: saved.
    page.locator(f"#interval-{closed['id']}-end").fill(
        page.evaluate(
            "(ms) => new Intl.DateTimeFormat('en-GB', {timeZone: document.getElementById('app')"
            ".dataset.timezone, hour: '2-digit', minute: '2-digit', second: '2-digit',"
            " hourCycle: 'h23'}).format(ms)",
            closed["ended_ms"],
        )
    )
    page.locator(f"#interval-{closed['id']}-speaker").select_option("audience-room")
    row.get_by_role("button").click()

    def speaker_now():
        intervals = moderator_api(server, "GET", "/speaker")["intervals"]
        return next(i for i in intervals if i["id"] == closed["id"])["speaker"]

    wait_until(lambda: speaker_now() == "audience-room", timeout=5, message="corrected")
    wait_until(lambda: error.is_hidden(), timeout=5, message="the error gone")
    page.context.close()


def test_a_timekeeper_switches_and_a_screens_helper_has_no_panel(browser, server):
    for role, label in (("timekeeper", "Back of room"), ("screens", "Door")):
        invitation = moderator_api(server, "POST", "/invitations", role=role, label=label)
        context = browser.new_context(**LAPTOP)
        page = context.new_page()
        page.goto(f"{server.url}/moderate/{EVENT}?token={invitation['token']}")
        page.wait_for_selector("#connection[data-state=online]")
        if role == "timekeeper":
            page.wait_for_selector("#speaker-buttons button")
            page.locator(f"#speaker-buttons [data-speaker='{SECOND}']").click()
            wait_until(
                lambda: (
                    (moderator_api(server, "GET", "/speaker")["current"] or {}).get("speaker")
                    == SECOND
                ),
                timeout=5,
                message="the timekeeper's switch",
            )
        else:
            page.wait_for_selector("#segments li")
            assert page.locator("#speaking-panel").is_hidden()
            assert page.locator("#speaker-buttons button").count() == 0
            page.keyboard.press("2")  # no floor to give: nothing changes
            assert (moderator_api(server, "GET", "/speaker")["current"] or {}).get(
                "speaker"
            ) == SECOND
        context.close()


# A panelist's name at the event file's limit, with spaces (as a real one would wrap).
LONG_NAME = ("Dr. Maria-Fernanda Oyelaran-Kuliešiūtė von Hülshörster-Mizukami " * 4)[:199] + "Z"


@pytest.fixture(scope="module")
def long_name_server(tmp_path_factory):
    """A server whose event has a third panelist with a 200-character name."""
    process = ServerProcess(tmp_path_factory.mktemp("speaking-stage") / "instance").start()
    file = requests.get(
        f"{process.url}/api/events/{EVENT}/event.toml",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    )
    text = file.text + f'\n[[panelists]]\nname = "{LONG_NAME}"\n'
    requests.put(
        f"{process.url}/api/events/{EVENT}?version={file.headers['ETag'].strip(chr(34))}",
        data=text.encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/toml"},
        timeout=5,
    ).raise_for_status()
    yield process
    process.stop()


def test_the_stage_monitor_shows_the_speakers_time_once_switched_on(
    browser, long_name_server, artifacts
):
    server = long_name_server
    stage = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    stage.goto(f"{server.url}/e/{EVENT}/stage")
    pair_screen(server, stage, "Podium")
    moderator_api(server, "POST", "/speaker", speaker=FIRST)
    line = stage.locator("#stage-speaker")
    wait_until(lambda: stage.evaluate("window.serverTime.synced"), timeout=10, message="synced")
    before = stage.locator("#countdown").bounding_box()
    # Off by default: nothing, even with someone speaking.
    assert line.is_hidden()

    page = open_dashboard(browser, server)
    page.locator("#speaker-time-on").check()
    line.wait_for(state="visible", timeout=5000)
    assert stage.locator("#stage-speaker-name").inner_text() == "Panelist One"
    first = seconds(stage.locator("#stage-speaker-times").inner_text())
    wait_until(
        lambda: seconds(stage.locator("#stage-speaker-times").inner_text()) > first,
        timeout=5,
        message="this turn counting up",
    )
    assert "total" in line.inner_text()

    # A 200-character name: one line cut with an ellipsis; the countdown keeps its size.
    long_id = next(
        s["id"]
        for s in moderator_api(server, "GET", "/speaker")["speakers"]
        if s["name"] == LONG_NAME
    )
    moderator_api(server, "POST", "/speaker", speaker=long_id)
    for width, height in ((1280, 720), (1920, 1080)):
        stage.set_viewport_size({"width": width, "height": height})
        wait_until(
            lambda: stage.locator("#stage-speaker-name").inner_text() == LONG_NAME,
            timeout=5,
            message="the long name",
        )
        countdown = stage.locator("#countdown").bounding_box()
        speaker = line.bounding_box()
        assert speaker["height"] < height * 0.08, speaker
        assert countdown["height"] > height * 0.3, countdown
        assert countdown["y"] + countdown["height"] <= speaker["y"] + 1  # above it, not under
        times = stage.locator("#stage-speaker-times").bounding_box()
        assert times["x"] + times["width"] <= width  # the times are never cut
        stage.screenshot(path=artifacts / f"stage-speaker-{width}x{height}.png")
    stage.set_viewport_size({"width": 1280, "height": 720})
    assert stage.locator("#countdown").bounding_box()["height"] >= before["height"] * 0.8
    page.locator("#speaker-time-on").uncheck()
    line.wait_for(state="hidden", timeout=5000)
    moderator_api(server, "POST", "/speaker", speaker=None)
    stage.context.close()
    page.context.close()


def test_a_question_linked_to_a_guiding_question_stays_linked(browser, server):
    reply = moderator_api(server, "POST", "/questions", **submission(41, text="Who pays later?"))
    qid = reply["question"]["id"]
    moderator_api(server, "POST", f"/questions/{qid}/approve")
    page = open_dashboard(browser, server)
    select = page.locator(f"#guide-{qid}")
    select.select_option("1")
    card = page.locator(f"li.question[data-id='{qid}']").first
    wait_until(lambda: card.locator(".guide").count() == 1, timeout=5, message="the link shown")
    assert "guiding question 2" in card.locator(".guide").inner_text()
    page.reload()
    page.wait_for_selector(f"#guide-{qid}")
    assert page.locator(f"#guide-{qid}").input_value() == "1"
    report = requests.get(
        f"{server.url}/api/events/{EVENT}/report.json",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    ).json()
    theme = next(t for t in report["themes"] if t["key"] == THEME)
    assert theme["guiding_questions"][1]["linked"] == 1
    page.context.close()
