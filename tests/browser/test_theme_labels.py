"""A theme's label ("i.", "ii.") reads before its title, in the title's direction: on an Arabic
page an Arabic title puts it on the right, a title still in English on the left; in the
attendee's form and on the room screen, whose theme texts take their direction from their own
letters. A Latin label must not turn an Arabic title left to right."""

from __future__ import annotations

import pytest

from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess, moderator_api, pair_screen

pytestmark = pytest.mark.browser

CODE = "labels"
EVENT_FILE = """
code = "labels"
language = "en"
title = "Labels"
[[segments]]
title = "Talk"
minutes = 5
[[themes]]
key = "ssc"
label = "i"
title.en = "South-South Cooperation"
title.ar = "التعاون فيما بين بلدان الجنوب"
[[themes]]
key = "health"
label = "ii"
title = "Health Workforce"
"""
# The theme's key, and the side of its title its label is on in an Arabic page.
THEMES = [("ssc", "right"), ("health", "left")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("labels")
    event_file = folder / "labels.toml"
    event_file.write_text(EVENT_FILE, encoding="utf-8")
    process = ServerProcess(folder / "instance", env={"EVENT_FILES": str(event_file)}).start()
    yield process
    process.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    yield context.new_page()
    context.close()


# The side of ``box`` (a theme's title, longer than its label) its label is on.
LABEL_SIDE = """(box) => {
  const label = box.querySelector(".theme-label").getBoundingClientRect();
  const text = box.getBoundingClientRect();
  return label.left + label.right > text.left + text.right ? "right" : "left";
}"""


@pytest.mark.parametrize(("theme", "side"), THEMES)
def test_the_attendee_form_puts_a_label_before_its_title(server, page, theme, side):
    page.goto(f"{server.url}/e/{CODE}?lang=ar")
    title = page.locator(f"label[for=theme-{theme}] .theme-title")
    assert title.evaluate(LABEL_SIDE) == side


@pytest.mark.parametrize(("theme", "side"), THEMES)
def test_the_room_screen_puts_a_label_before_its_title(server, page, theme, side):
    question = moderator_api(
        server,
        "POST",
        "/floor",
        event=CODE,
        text="كيف نضمن استمرار التبادل؟",
        theme=theme,
        client_msg_id=f"labels-{theme}",
    )["question"]["id"]
    moderator_api(server, "POST", f"/questions/{question}/live", event=CODE)
    try:
        page.goto(f"{server.url}/e/{CODE}/screen?lang=ar")
        pair_screen(server, page, f"Labels {theme}", event=CODE)
        tag = page.locator("#live .theme-tag")
        wait_until(lambda: tag.count(), message="the question's theme on screen")
        assert tag.evaluate(LABEL_SIDE) == side
    finally:
        moderator_api(server, "POST", f"/questions/{question}/unlive", event=CODE)
