"""The pages in Arabic, as a phone set to ar-EG or a ?lang=ar link opens them: right to left,
in Arabic, usable, and axe-core clean (WCAG 2.2 AA, colour contrast included). The layout checks
(nothing wider than 360 px, the dashboard's previews drawn in their boxes, the toast centred, the
coloured edges on the inline start) are in test_rtl_layout.py."""

from __future__ import annotations

import pytest
from babel.support import Translations

from moderator import catalogue
from tests.fixtures.axe import axe_violations, described
from tests.fixtures.constants import EVENT, OTHER_THEME, THEME, TOKEN
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess, moderator_api, pair_screen

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
LAPTOP = {"viewport": {"width": 1440, "height": 900}}
ARABIC = Translations.load(str(catalogue.TRANSLATIONS), ["ar"])

api = moderator_api


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ServerProcess(tmp_path_factory.mktemp("arabic") / "instance").start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def questions(server):
    """Published questions in Arabic and English, one on screen, two votes on the first."""
    texts = [
        ("كيف نضمن تمويل برنامج Exchange 2030 بعد السنة الأولى؟", "أمينة", THEME),
        ("How do alumni networks stay alive after the exchange?", None, OTHER_THEME),
        ("ما دور الجامعات في تبادل الخبرات بين بلدان الجنوب؟", None, THEME),
    ]
    ids = [
        api(
            server,
            "POST",
            "/floor",
            text=text,
            theme=theme,
            name=name,
            client_msg_id=f"arabic-{n:04d}",
        )["question"]["id"]
        for n, (text, name, theme) in enumerate(texts)
    ]
    for voter in ("voter-0001", "voter-0002"):
        api(server, "POST", f"/questions/{ids[0]}/vote", client_id=voter, via="online")
    api(server, "POST", f"/questions/{ids[1]}/live")
    return ids


def opened(browser, server, path: str, size: dict):
    context = browser.new_context(bypass_csp=True, **size)
    page = context.new_page()
    page.goto(server.url + path)
    return page


def assert_arabic_and_accessible(page, what: str) -> None:
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    violations = axe_violations(page)
    assert violations == [], f"{what} in Arabic:\n{described(violations)}"


def test_the_attendee_page_in_arabic(browser, server, questions):
    page = opened(browser, server, f"/e/{EVENT}?lang=ar", PHONE)
    try:
        page.wait_for_selector("#connection[data-state=online]")
        page.wait_for_selector("#public li.question >> nth=2")
        assert page.text_content("#ask-title").strip() == ARABIC.gettext("Ask the panel")
        # Counts in Arabic's forms: two votes take the dual, none the zero form.
        votes = {
            q: page.locator(f"#public li.question[data-key='{q}'] button.vote").text_content()
            for q in (questions[0], questions[2])
        }
        assert ARABIC.ngettext("vote", "votes", 2) in votes[questions[0]]
        assert ARABIC.ngettext("vote", "votes", 0) in votes[questions[2]]
        assert ARABIC.ngettext("vote", "votes", 2) != ARABIC.ngettext("vote", "votes", 0)
        # The lists open, a draft that looks like a published question, one of one's own.
        page.click(f"label[for=theme-{THEME}]")
        page.fill("#text", "ما دور الجامعات في تبادل الخبرات بين بلدان الجنوب اليوم؟")
        page.wait_for_selector("#similar:not([hidden]) li.question")
        page.fill("#name", "أمينة")
        page.click("#send")
        page.wait_for_selector("#mine li.question .status-pending")
        assert_arabic_and_accessible(page, "the attendee page")
        # Too long: the page says so in Arabic, counting in Arabic's plural forms.
        page.fill("#text", "س" * 310)
        page.click("#send")
        limit = int(page.get_attribute("#app", "data-max"))
        over = ARABIC.ngettext(
            "Your question is longer than {n} character.",
            "Your question is longer than {n} characters.",
            limit,
        ).format(n=limit)
        wait_until(lambda: over in (page.text_content("body") or ""), message="the limit in ar")
    finally:
        page.context.close()


def test_the_dashboard_in_arabic(browser, server, questions):
    page = opened(browser, server, f"/moderate/{EVENT}?token={TOKEN}&lang=ar", LAPTOP)
    try:
        page.wait_for_selector("#connection[data-state=online]")
        assert page.url.endswith(f"/moderate/{EVENT}?lang=ar")  # the token gone, the language kept
        summary = page.locator("li.question details.more summary").first
        summary.wait_for()
        summary.click()
        page.wait_for_selector("li.question details.more[open]")
        # A message for the speakers, drawn by the stage monitor's preview as it is typed.
        message = "يُرجى الاختتام خلال دقيقتين، ثم ننتقل إلى أسئلة القاعة"
        page.fill("#message-text", message)
        page.frame(url=lambda url: "/stage?preview=1" in url).wait_for_function(
            f"document.getElementById('message').textContent === {message!r}"
        )
        assert_arabic_and_accessible(page, "the dashboard with a question's panel open")
    finally:
        page.context.close()


def test_the_room_screen_in_arabic(browser, server, questions):
    page = opened(browser, server, f"/e/{EVENT}/screen?lang=ar", PROJECTOR)
    try:
        pair_screen(server, page, "شاشة القاعة")
        page.wait_for_selector("#live .live-text")
        api(server, "POST", "/timer", action="start")
        wait_until(
            lambda: page.evaluate("document.getElementById('app').dataset.state") == "running",
            message="the clock running",
        )
        assert_arabic_and_accessible(page, "the room screen")
    finally:
        page.context.close()
        api(server, "POST", "/timer", action="reset")


def test_the_language_switcher_works_with_the_keyboard_alone(browser, server, questions):
    page = opened(browser, server, f"/e/{EVENT}", PHONE)
    try:
        page.wait_for_selector("#connection[data-state=online]")
        assert page.evaluate("document.documentElement.lang") == "en"
        summary = page.locator("details.languages summary")
        for _ in range(40):  # Tab from the top of the page to the switcher
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement?.closest('details.languages') !== null"):
                break
        assert page.evaluate("document.activeElement") is not None
        assert summary.evaluate("(node) => node === document.activeElement")
        page.keyboard.press("Enter")
        arabic = page.locator("details.languages a[hreflang=ar]")
        arabic.wait_for(state="visible")
        violations = axe_violations(page)  # the open list too: contrast, names
        assert violations == [], described(violations)
        page.keyboard.press("Escape")  # closes, back on its button
        arabic.wait_for(state="hidden")
        assert summary.evaluate("(node) => node === document.activeElement")
        page.keyboard.press("Enter")
        arabic.wait_for(state="visible")
        while not arabic.evaluate("(node) => node === document.activeElement"):
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{server.url}/e/{EVENT}")
        page.wait_for_selector("html[lang=ar][dir=rtl]")
        # Remembered: the next page in this browser is Arabic too, without ?lang=.
        page.goto(f"{server.url}/e/{EVENT}/stage")
        assert page.evaluate("document.documentElement.lang") == "ar"
    finally:
        page.context.close()
