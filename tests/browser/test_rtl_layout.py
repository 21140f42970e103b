"""Right to left: the attendee page, the moderator's dashboard and the room screen in Arabic, on a
phone (360 px wide) and a projector (1920x1080), and the same in left to right as the control.
No page is wider than its window; the dashboard's room screen preview fills its box and shows the
room screen; the toast is centred; the coloured edges of the current theme, the current segment
and a starred question are on the inline start (the right in Arabic); the room screen's overtime
reads "+0:01", sign in front, in both directions."""

from __future__ import annotations

import io

import pytest

from tests.fixtures.constants import EVENT, OTHER_THEME, THEME, TOKEN
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess, moderator_api, pair_screen

pytestmark = pytest.mark.browser

SIZES = {"phone": (360, 740), "projector": (1920, 1080)}
DIRECTIONS = ["rtl", "ltr"]
PAGES = {
    "attendee": f"/e/{EVENT}",
    "dashboard": f"/moderate/{EVENT}?token={TOKEN}",
    "room screen": f"/e/{EVENT}/screen",
}
ACCENT = (0x00, 0x5A, 0x9C)  # --accent: the current theme's and the current segment's edge
STAR = (0xD8, 0x9B, 0x00)  # a starred question's edge


def open_page(browser, url: str, direction: str, size: str):
    """A new browser context at ``size`` showing ``url`` in Arabic (``rtl``, as ``?lang=ar``
    asks) or in English (``ltr``)."""
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(with_lang(url, "ar" if direction == "rtl" else "en"))
    assert page.evaluate("getComputedStyle(document.body).direction") == direction
    return page


def with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ServerProcess(tmp_path_factory.mktemp("rtl") / "instance").start()
    yield process
    process.stop()


api = moderator_api


@pytest.fixture(scope="module")
def questions(server):
    """Published questions: an Arabic one mixing Latin words and digits, on screen; one in the
    theme now discussed; one starred in another theme."""
    texts = [
        ("كيف نضمن تمويل برنامج Exchange 2030 بعد السنة الأولى؟", "أمينة", THEME),
        ("How do alumni networks stay alive after the exchange?", "Li", THEME),
        ("Which countries host the most exchanges?", None, OTHER_THEME),
    ]
    ids = []
    for n, (text, name, theme) in enumerate(texts):
        body = {"text": text, "theme": theme, "name": name, "client_msg_id": f"rtl-{n:04d}"}
        ids.append(api(server, "POST", "/floor", **body)["question"]["id"])
    api(server, "POST", f"/questions/{ids[0]}/live")
    api(server, "POST", f"/questions/{ids[2]}/star")
    api(server, "PATCH", "", current_theme=THEME)
    return ids


def ready(page, name: str, server) -> None:
    """Wait until ``page`` shows what it is for, with the questions in it."""
    if name == "attendee":
        page.wait_for_selector("#public li.question")
    elif name == "dashboard":
        page.wait_for_selector("#connection[data-state=online]")
        page.wait_for_selector("ol[data-status=approved] li.question.starred")
    else:
        pair_screen(server, page, "rtl test")
        page.wait_for_selector("#live .live-text")
        # A paired screen replaces its QR code with one carrying the room pass.
        page.wait_for_selector("#qr[data-url] svg")


@pytest.fixture
def opened(browser, server, questions):
    """Opens a page by name, ready; closes every context it opened."""
    pages = []

    def open_named(name: str, direction: str, size: str):
        page = open_page(browser, f"{server.url}{PAGES[name]}", direction, size)
        pages.append(page)
        ready(page, name, server)
        return page

    yield open_named
    for page in pages:
        page.context.close()


def inside(box: dict, width: float, height: float) -> bool:
    return (
        box["x"] >= -1
        and box["y"] >= -1
        and box["x"] + box["width"] <= width + 1
        and box["y"] + box["height"] <= height + 1
    )


def pixels(locator):
    """The element's pixels, as Pillow sees them in a screenshot of it."""
    from PIL import Image  # Pillow comes with matplotlib, in requirements.txt

    return Image.open(io.BytesIO(locator.screenshot())).convert("RGB")


def near(colour: tuple[int, ...], wanted: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, wanted, strict=True))


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_no_page_is_wider_than_its_window(opened, name, size, direction):
    page = opened(name, direction, size)
    scroll, client = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert scroll <= client, f"{name} is {scroll} px wide in a {client} px window"


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("size", SIZES)
def test_the_room_screen_keeps_its_clock_and_qr_code_in_view(opened, size, direction):
    page = opened("room screen", direction, size)
    width, height = SIZES[size]
    for selector in ("#countdown", "#qr svg", "#live .live-text"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["width"] > 0, selector
        assert inside(box, width, height), f"{selector} at {box}"


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("size", SIZES)
def test_the_dashboard_preview_shows_the_room_screen_in_its_box(opened, size, direction):
    page = opened("dashboard", direction, size)
    preview = page.frame(url=lambda url: "/screen?preview=1" in url)
    assert preview is not None
    wait_until(
        lambda: preview.evaluate(
            "/\\d:\\d\\d/.test(document.getElementById('countdown').textContent)"
        ),
        timeout=10,
        message="the preview showing the countdown",
    )
    box = page.locator(".preview-frame")
    box.scroll_into_view_if_needed()
    frame_box = box.bounding_box()
    # The iframe's box after its scale transform: the room screen, shrunk to the preview's box.
    shown = page.locator(".preview-frame iframe").evaluate(
        "(frame) => { const r = frame.getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; }"
    )
    width, height = SIZES[size]
    assert frame_box is not None and frame_box["width"] > 100
    assert inside(frame_box, width, height)
    for key in ("x", "y", "width", "height"):
        assert abs(shown[key] - frame_box[key]) <= 2, (shown, frame_box)
    # Rendered, not a blank box: the countdown's light digits are in the picture.
    image = pixels(box)
    light = sum(image.convert("L").histogram()[201:])
    assert light > image.width * image.height * 0.01, f"{light} light pixels in the preview"


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("size", SIZES)
def test_the_toast_is_centred(opened, size, direction):
    page = opened("dashboard", direction, size)
    page.fill("#pair-code", "000000")
    page.fill("#pair-label", "nowhere")
    page.locator("#pair-form button[type=submit]").click()
    toast = page.locator("#toast")
    toast.wait_for(state="visible")
    box = toast.bounding_box()
    centre = page.evaluate("document.documentElement.clientWidth / 2")
    assert box is not None
    assert abs(box["x"] + box["width"] / 2 - centre) <= 2, (box, centre)
    assert box["x"] >= 0 and box["x"] + box["width"] <= centre * 2


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_the_coloured_edges_are_on_the_inline_start(opened, direction):
    page = opened("dashboard", direction, "projector")
    edges = {
        "current theme's card": (".question.current-theme:not(.starred)", ACCENT),
        "starred card": (".question.starred:not(.current-theme)", STAR),
        "current theme's coverage row": ("#coverage tr.current-theme", ACCENT),
        "current segment": ('#segments [aria-current="step"]', ACCENT),
    }
    for what, (selector, colour) in edges.items():
        element = page.locator(selector).first
        element.scroll_into_view_if_needed()
        image = pixels(element)
        middle = image.height // 2
        left, right = image.getpixel((2, middle)), image.getpixel((image.width - 3, middle))
        start, end = (right, left) if direction == "rtl" else (left, right)
        assert near(start, colour), f"{what}: {start} on the inline start, not {colour}"
        assert not near(end, colour), f"{what}: {end} on the inline end too"


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_the_room_screen_shows_overtime_with_its_sign_in_front(opened, server, direction):
    page = opened("room screen", direction, "projector")
    api(server, "POST", "/timer", action="goto", index=0)
    api(server, "POST", "/timer", action="start")
    try:
        # The first segment's ten minutes taken away: counting up at once.
        api(server, "POST", "/timer", action="adjust", seconds=-10 * 60)
        wait_until(
            lambda: page.evaluate("document.getElementById('countdown').textContent")[:1] == "+",
            timeout=10,
            message="the room screen in overtime",
        )
        # Where the first and the last character are drawn: "+" left of the digits.
        first, last = page.evaluate(
            """() => { const text = document.getElementById("countdown").firstChild;
                       const at = (i) => { const range = document.createRange();
                         range.setStart(text, i); range.setEnd(text, i + 1);
                         return range.getBoundingClientRect().x; };
                       return [at(0), at(text.length - 1)]; }"""
        )
        assert first < last
    finally:
        api(server, "POST", "/timer", action="reset")
