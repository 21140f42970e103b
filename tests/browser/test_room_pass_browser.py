"""The rotating room pass as a room sees it, in Chromium: a paired room screen's QR code carries
the pass, changes by itself when the window rolls over (no reload), and the phones that opened
the old link or the new one count "in the room" while the pass is valid; the old link, once
expired, counts online.

The server runs with a short ``ROOM_PASS_SECONDS`` so that a rotation happens within the test.
The link is read from the screen (``#qr[data-url]``) and the code drawn beside it is checked to
encode exactly that link.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import requests
import segno

from tests.fixtures.constants import EVENT, THEME, TOKEN
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess

pytestmark = pytest.mark.browser

# Long enough for a phone to open a link after the screen shows it (a pass is accepted in its
# window and the next: after a rotation the old link still works for at least half a window,
# the screen asking every half window), short enough for the test.
WINDOW_S = 12
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def server(tmp_path):
    process = ServerProcess(tmp_path / "instance", env={"ROOM_PASS_SECONDS": str(WINDOW_S)})
    yield process.start()
    process.stop()


def shown_link(screen) -> str:
    """The link the room screen's QR code encodes, checked against the code drawn."""
    url, drawn = screen.evaluate(
        "() => [document.getElementById('qr').dataset.url,"
        " document.querySelector('#qr svg path').getAttribute('d')]"
    )
    expected = segno.make(url, error="m").svg_inline(scale=8, dark="#000", light="#fff")
    assert re.search(r' d="([^"]+)"', expected)[1] == drawn, "the QR code is not of the link"
    return url


def asks_from(browser, base: str, link: str, text: str) -> None:
    """A phone that opens ``link`` and sends ``text`` from the page it lands on."""
    context = browser.new_context()
    try:
        phone = context.new_page()
        phone.goto(link.replace(urlsplit(link).netloc, urlsplit(base).netloc, 1))
        assert urlsplit(phone.url).path == f"/r/{EVENT}" and "pass=" not in phone.url
        phone.wait_for_selector("#connection[data-state=online]", timeout=10000)
        phone.click(f"label[for=theme-{THEME}]")
        phone.fill("#text", text)
        phone.click("#send")
        phone.wait_for_selector("#mine .status-pending", timeout=10000)
    finally:
        context.close()


def origin_of(base: str, text: str) -> str:
    questions = requests.get(
        f"{base}/api/events/{EVENT}/questions", headers=BEARER, timeout=5
    ).json()["questions"]
    [question] = [q for q in questions if q["text"] == text]
    return question["via"]


def gives_room_cookie(base: str, link: str) -> bool:
    response = requests.get(
        base + link[link.index(f"/r/{EVENT}") :], allow_redirects=False, timeout=5
    )
    assert response.status_code == 303
    return "room=" in response.headers.get("Set-Cookie", "")


def test_the_room_screen_qr_code_rotates_and_both_links_count_in_the_room(browser, server):
    base = server.url
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        screen = context.new_page()
        screen.goto(f"{base}/e/{EVENT}/screen")
        screen.wait_for_selector("#connection[data-state=online]", state="attached", timeout=10000)
        # Unpaired: the code shows the public address, without a pass.
        screen.wait_for_selector("#qr[data-url]", state="attached", timeout=10000)
        assert "pass=" not in shown_link(screen)
        code = wait_until(
            lambda: screen.evaluate("document.getElementById('pairing-code').textContent"),
            message="a pairing code",
        )
        paired = requests.post(
            f"{base}/api/events/{EVENT}/screens/pair",
            json={"code": code, "label": "Back wall"},
            headers=BEARER,
            timeout=5,
        )
        assert paired.status_code == 200, paired.text

        screen.wait_for_selector("#qr[data-url*='pass=']", state="attached", timeout=10000)
        old = shown_link(screen)
        screen.evaluate("window.__sameDocument = true")
        new = wait_until(
            lambda: (link := shown_link(screen)) != old and link,
            timeout=2 * WINDOW_S,
            interval=0.2,
            message="the QR code to change",
        )
        assert screen.evaluate("window.__sameDocument === true"), "the screen was reloaded"
        assert "pass=" in new

        # Both valid now: the old pass is in its second window.
        asks_from(browser, base, old, "Asked from the old code?")
        asks_from(browser, base, new, "Asked from the new code?")
        assert origin_of(base, "Asked from the old code?") == "room"
        assert origin_of(base, "Asked from the new code?") == "room"

        # Once its second window is over, the old link gives no room cookie: online.
        wait_until(
            lambda: not gives_room_cookie(base, old),
            timeout=2 * WINDOW_S,
            interval=0.5,
            message="the old pass to expire",
        )
        asks_from(browser, base, old, "Asked from an expired code?")
        assert origin_of(base, "Asked from an expired code?") == "online"
        assert gives_room_cookie(base, shown_link(screen))  # what the screen shows still works
    finally:
        context.close()
