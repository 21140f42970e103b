"""The organiser's workspace in the browser: the administrator creates an event from an empty
form, finds it in the list, invites a timekeeper whose link opens the dashboard with the clock
and without curation; a refused field is marked and focused with everything typed kept; a save
over someone else's is refused and nothing typed is lost; segments reorder by keyboard; the list
imports, duplicates, archives and deletes; the pages pass axe-core on a phone and a laptop and
stay inside the window right to left."""

from __future__ import annotations

import itertools

import pytest
import requests

from tests.fixtures.axe import axe_violations, described
from tests.fixtures.constants import TOKEN
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
_codes = itertools.count(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ServerProcess(tmp_path_factory.mktemp("workspace") / "instance").start()
    yield process
    process.stop()


def new_code(stem: str = "ws") -> str:
    """An event code no other test of this module uses."""
    return f"{stem}-{next(_codes)}"


def create_event(server, code: str, *, title: str = "Side event on exchanges") -> dict:
    """An event created through the API, with three segments and a theme: its reply."""
    form = {
        "code": code,
        "title": title,
        "date": "2031-05-06",
        "start": "13:15",
        "timezone": "Europe/Zurich",
        "segments": [
            {"title": "Opening", "minutes": 5},
            {"title": "Panel", "minutes": 40, "speakers": ["A. Speaker", "B. Speaker"]},
            {"title": "Questions", "minutes": 15},
        ],
        "themes": [{"key": "money", "title": "Where the money comes from"}],
    }
    response = requests.post(f"{server.url}/api/events", json=form, headers=ADMIN, timeout=5)
    assert response.status_code == 201, response.text
    return response.json()


def stored(server, code: str) -> dict:
    """The event as the API reads it now (with its JSON form and version)."""
    response = requests.get(f"{server.url}/api/events/{code}", headers=ADMIN, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def admin_page(browser, server, viewport=LAPTOP, *, path: str = "/admin"):
    """A page of a new browser context logged in as the administrator, showing ``path``."""
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server.url}{path}")
    # Not logged in yet: the login form, which comes back to the page asked for.
    page.fill("#token", TOKEN)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}{path}")
    return page


def open_editor(page, server, code: str) -> None:
    page.goto(f"{server.url}/admin/events/{code}/edit")
    page.wait_for_selector("#segments li [data-field=title]")
    page.wait_for_function("document.getElementById('title').value !== ''")


def segment_field(page, index: int, name: str):
    return page.locator("#segments > li").nth(index).locator(f"[data-field={name}]")


def said(page) -> str:
    """What the editor's live region said last, without the marks that isolate a title."""
    return page.locator("#moved").text_content().replace("\u2068", "").replace("\u2069", "")


def saved(page, version: int) -> None:
    page.wait_for_function(
        "([text]) => document.getElementById('save-status').textContent.includes(text)",
        arg=[f"version {version}"],
    )


def test_the_administrator_creates_an_event_and_a_timekeepers_link_opens_the_clock(browser, server):
    code = new_code("issue")
    page = admin_page(browser, server, path="/admin/events/new")
    try:
        # An empty form: one empty segment to start from, no theme.
        assert page.input_value("#title") == ""
        assert page.locator("#segments > li").count() == 1
        assert page.locator("#themes > li").count() == 0
        page.fill("#code", code)
        page.fill("#title", "Financing South-South exchanges")
        page.fill("#date", "2031-06-02")
        page.fill("#start", "09:30")
        segment_field(page, 0, "title").fill("Opening")
        segment_field(page, 0, "minutes").fill("10")
        page.click("#add-segment")
        segment_field(page, 1, "title").fill("Panel")
        segment_field(page, 1, "minutes").fill("45")
        segment_field(page, 1, "speakers").fill("Ana Pérez, Kofi Mensah")
        page.click("#add-theme")
        theme = page.locator("#themes > li").first
        theme.locator("[data-field=title]").fill("Money and people")
        assert theme.locator("[data-field=key]").input_value() == "money-and-people"
        theme.locator("[data-field=questions]").fill("Who pays?\nWho hosts?")
        page.click("#save")
        saved(page, 1)
        # The page is now the event's editor: the code is fixed, the access panel is there.
        assert page.url.endswith(f"/admin/events/{code}/edit")
        assert page.locator("#code").get_attribute("readonly") is not None
        assert page.locator("#access").is_visible()

        file = stored(server, code)["file"]
        assert [(s["title"], s["minutes"]) for s in file["segments"]] == [
            ("Opening", 10),
            ("Panel", 45),
        ]
        assert file["segments"][1]["speakers"] == ["Ana Pérez", "Kofi Mensah"]
        assert file["themes"][0]["questions"] == ["Who pays?", "Who hosts?"]

        page.goto(f"{server.url}/admin")
        row = page.locator(f'ul[data-group=upcoming] li[data-code="{code}"]')
        row.wait_for()
        assert row.locator(".event-title").text_content() == "Financing South-South exchanges"
        row.get_by_role("link", name="Edit").click()
        page.wait_for_url(f"{server.url}/admin/events/{code}/edit")
        page.wait_for_function("document.getElementById('title').value !== ''")
        assert page.input_value("#title") == "Financing South-South exchanges"

        page.check("#role-timekeeper")
        page.fill("#invite-label", "Back of room")
        page.get_by_role("button", name="Create a link").click()
        page.wait_for_selector("#new-link:not([hidden])")
        link = page.input_value("#new-link-url")
        assert link.startswith(server.url)
        page.locator("#invitations li", has_text="Back of room").wait_for()
    finally:
        page.context.close()

    # An attendee's question waits for review: the timekeeper sees it, and may not approve it.
    attendee = requests.Session()
    attendee.get(f"{server.url}/e/{code}", timeout=5)
    asked = attendee.post(
        f"{server.url}/api/events/{code}/questions",
        json={
            "text": "Who hosts the exchanges?",
            "theme": "general",
            "client_msg_id": "workspace-q-1",
        },
        headers={"Origin": server.url},
        timeout=5,
    )
    assert asked.status_code == 201 and asked.json()["question"]["status"] == "pending", asked.text

    # Another browser: the timekeeper's link logs in and lands on the event's dashboard.
    timekeeper = browser.new_context(viewport=LAPTOP).new_page()
    try:
        timekeeper.goto(link)
        timekeeper.wait_for_url(f"{server.url}/moderate/{code}")
        timekeeper.wait_for_selector("#connection[data-state=online]")
        card = timekeeper.locator("li.question", has_text="Who hosts the exchanges?")
        card.wait_for()
        timekeeper.click("#clock-toggle")
        wait_until(
            lambda: (
                requests.get(f"{server.url}/api/events/{code}/timer", timeout=5).json()["state"]
                == "running"
            ),
            timeout=5,
            message="the clock running",
        )
        assert card.locator("button").filter(has_text="Approve").count() == 0
        assert timekeeper.get_by_role("button", name="Approve").count() == 0
    finally:
        timekeeper.context.close()


def test_an_invited_moderator_edits_their_event_only_and_without_archive_or_delete(browser, server):
    code = new_code("mod")
    create_event(server, code)
    other = new_code("other")
    create_event(server, other)
    invited = requests.post(
        f"{server.url}/api/events/{code}/invitations",
        json={"role": "moderator", "label": "Co-moderator"},
        headers=ADMIN,
        timeout=5,
    )
    assert invited.status_code == 201, invited.text
    page = browser.new_context(viewport=LAPTOP, bypass_csp=True).new_page()
    try:
        page.goto(invited.json()["url"])
        page.wait_for_url(f"{server.url}/moderate/{code}")
        open_editor(page, server, code)
        assert page.locator("#access").is_visible()
        assert page.locator("#delete, #archive").count() == 0
        assert page.get_by_role("link", name="All events").count() == 0
        page.fill("#venue", "Room 2")
        page.click("#save")
        saved(page, 2)
        # The list of every event, and another event's editor, are not theirs.
        assert page.goto(f"{server.url}/admin").status == 403
        assert page.goto(f"{server.url}/admin/events/{other}/edit").status == 403
        assert page.goto(f"{server.url}/admin/events/new").status == 403
    finally:
        page.context.close()
    anonymous = browser.new_context().new_page()
    try:
        assert anonymous.goto(f"{server.url}/admin/events/{code}/edit").status == 401
        assert anonymous.locator("#token").is_visible()
    finally:
        anonymous.context.close()


def test_erasing_askers_names_asks_first_and_says_how_many(browser, server):
    code = new_code("names")
    create_event(server, code)
    attendee = requests.Session()
    attendee.get(f"{server.url}/e/{code}", timeout=5)
    asked = attendee.post(
        f"{server.url}/api/events/{code}/questions",
        json={
            "text": "Who keeps the alumni network going?",
            "theme": "money",
            "name": "Amina Diallo",
            "client_msg_id": "workspace-names-1",
        },
        headers={"Origin": server.url},
        timeout=5,
    )
    assert asked.status_code == 201, asked.text
    page = admin_page(browser, server)
    try:
        open_editor(page, server, code)
        page.click("#erase-names")
        page.wait_for_selector("#confirm-dialog[open]")
        page.keyboard.press("Escape")  # no: nothing erased
        assert page.evaluate("document.activeElement.id") == "erase-names"
        page.click("#erase-names")
        page.click("#confirm-yes")
        page.wait_for_selector("#erase-status[data-kind=ok]")
        assert page.locator("#erase-status").text_content() == "Names erased from 1 question."
        questions = requests.get(
            f"{server.url}/api/events/{code}/questions", headers=ADMIN, timeout=5
        ).json()["questions"]
        assert [(q["text"], q["name"]) for q in questions] == [
            ("Who keeps the alumni network going?", None)
        ]
    finally:
        page.context.close()


def test_a_refused_field_is_marked_and_focused_and_nothing_typed_is_lost(browser, server):
    code = new_code()
    create_event(server, code)
    page = admin_page(browser, server)
    try:
        open_editor(page, server, code)
        page.fill("#title", "A title typed before the mistake")
        page.fill("#venue", "Conference Room 4")
        segment_field(page, 0, "notes").fill("Welcome by the chair")
        segment_field(page, 2, "minutes").fill("0")
        page.click("#add-theme")
        page.locator("#themes > li").nth(1).locator("[data-field=title]").fill("Visas")
        page.click("#save")

        minutes = segment_field(page, 2, "minutes")
        page.wait_for_selector("#segments [aria-invalid=true]")
        assert minutes.get_attribute("aria-invalid") == "true"
        assert page.evaluate("document.activeElement.id") == minutes.get_attribute("id")
        error_id = minutes.get_attribute("aria-describedby").split()[0]
        message = page.locator(f"#{error_id}")
        assert message.is_visible() and "segments[2].minutes" in message.text_content()
        # Everything typed is still there; nothing was stored.
        assert page.input_value("#title") == "A title typed before the mistake"
        assert page.input_value("#venue") == "Conference Room 4"
        assert segment_field(page, 0, "notes").input_value() == "Welcome by the chair"
        assert minutes.input_value() == "0"
        assert page.locator("#themes > li").nth(1).locator("[data-field=title]").input_value() == (
            "Visas"
        )
        assert stored(server, code)["version"] == 1

        # Put right, it saves, and the mark goes.
        minutes.fill("12")
        page.locator("#themes > li").nth(1).locator("[data-field=key]").fill("visas")
        page.click("#save")
        saved(page, 2)
        assert page.locator("[aria-invalid=true]").count() == 0
        assert stored(server, code)["file"]["segments"][2]["minutes"] == 12
    finally:
        page.context.close()


def test_a_save_over_someone_elses_is_refused_and_keeps_what_was_typed(browser, server):
    code = new_code()
    create_event(server, code)
    first = admin_page(browser, server)
    second = admin_page(browser, server)
    try:
        open_editor(first, server, code)
        open_editor(second, server, code)
        first.fill("#title", "The first person's title")
        first.click("#save")
        saved(first, 2)

        second.fill("#venue", "Typed by the second person")
        segment_field(second, 1, "title").fill("A panel renamed by the second person")
        second.click("#save")
        second.wait_for_selector("#conflict:not([hidden])")
        assert "Someone else saved this event" in second.locator("#conflict").text_content()
        assert second.input_value("#venue") == "Typed by the second person"
        assert segment_field(second, 1, "title").input_value() == (
            "A panel renamed by the second person"
        )
        # Nothing of the second save reached the event.
        now = stored(server, code)
        assert now["version"] == 2
        assert now["file"]["title"] == "The first person's title"
        assert "venue" not in now["file"]

        # Loading their version asks first; then the form shows it.
        second.click("#load-theirs")
        second.wait_for_selector("#confirm-dialog[open]")
        second.click("#confirm-yes")
        second.wait_for_function(
            "document.getElementById('title').value === \"The first person's title\""
        )
        assert second.input_value("#venue") == ""
        assert second.locator("#conflict").is_hidden()
        second.fill("#venue", "Conference Room 4")
        second.click("#save")
        saved(second, 3)
    finally:
        first.context.close()
        second.context.close()


def test_segments_reorder_by_keyboard_with_the_focus_on_the_moved_row(browser, server):
    code = new_code()
    ids = [s["id"] for s in create_event(server, code)["file"]["segments"]]
    page = admin_page(browser, server)
    try:
        open_editor(page, server, code)
        segment_field(page, 0, "title").focus()
        # Tab from the first segment's title to its "Move down" button.
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.dataset.move") == "1":
                break
        row_title = "document.activeElement.closest('li').querySelector('input').value"
        assert page.evaluate(row_title) == "Opening"
        page.keyboard.press("Enter")

        def titles():
            return [segment_field(page, i, "title").input_value() for i in range(3)]

        assert titles() == ["Panel", "Opening", "Questions"]
        # The focus stayed on the moved segment's button; the move was said.
        assert page.evaluate("document.activeElement.dataset.move") == "1"
        assert page.evaluate(row_title) == "Opening"
        assert said(page) == "“Opening” moved to position 2 of 3."
        page.keyboard.press("Space")
        assert titles() == ["Panel", "Questions", "Opening"]
        assert said(page) == "“Opening” moved to position 3 of 3."
        assert page.evaluate("document.activeElement.getAttribute('aria-disabled')") == "true"
        page.keyboard.press("Enter")  # already last: nothing moves
        assert titles() == ["Panel", "Questions", "Opening"]
        assert said(page) == "Already last."

        page.click("#save")
        saved(page, 2)
        segments = stored(server, code)["file"]["segments"]
        # Each segment kept its id: the clock follows a segment, not a position.
        assert [(s["title"], s["id"]) for s in segments] == [
            ("Panel", ids[1]),
            ("Questions", ids[2]),
            ("Opening", ids[0]),
        ]
    finally:
        page.context.close()


def test_the_list_imports_duplicates_archives_and_deletes(browser, server, tmp_path):
    code = new_code("list")
    create_event(server, code, title="An event to copy")
    page = admin_page(browser, server)
    try:
        row = page.locator(f'li[data-code="{code}"]')
        row.wait_for()

        # An event file with a mistake: refused, naming the place in the file.
        bad = tmp_path / "bad.toml"
        bad.write_text(
            'code = "imported"\ntitle = "From a file"\n[[segments]]\ntitle = "Talk"\nminutes = 0\n'
        )
        page.set_input_files("#import-file", str(bad))
        page.click("#import-form button[type=submit]")
        page.wait_for_selector("#import-error:not([hidden])")
        assert "segments[0].minutes" in page.locator("#import-error").text_content()
        assert page.locator("#import-file").get_attribute("aria-invalid") == "true"
        good = tmp_path / "good.toml"
        good.write_text(bad.read_text().replace("minutes = 0", "minutes = 20"))
        page.set_input_files("#import-file", str(good))
        page.click("#import-form button[type=submit]")
        page.locator('li[data-code="imported"]').wait_for()
        assert page.locator("#import-error").is_hidden()

        # Duplicate: a small form asks for the copy's code and title.
        copy = new_code("copy")
        row.get_by_role("button", name="Duplicate").click()
        row.locator("[data-field=code]").fill(copy)
        row.locator("[data-field=title]").fill("The copy")
        row.get_by_role("button", name="Create the copy").click()
        copied = page.locator(f'li[data-code="{copy}"]')
        copied.wait_for()
        assert copied.locator(".event-title").text_content() == "The copy"
        assert [s["title"] for s in stored(server, copy)["file"]["segments"]] == [
            "Opening",
            "Panel",
            "Questions",
        ]

        # Archive moves it to the archived group, and back.
        copied.get_by_role("button", name="Archive").click()
        page.locator(f'ul[data-group=archived] li[data-code="{copy}"]').wait_for()
        copied.get_by_role("button", name="Unarchive").click()
        page.locator(f'ul[data-group=upcoming] li[data-code="{copy}"]').wait_for()

        # Delete asks first, naming the event and its questions.
        copied.get_by_role("button", name="Delete").click()
        page.wait_for_selector("#confirm-dialog[open]")
        question = page.locator("#confirm-text").text_content()
        assert "The copy" in question and copy in question and "questions" in question
        page.click("#confirm-no")
        assert copied.is_visible()
        copied.get_by_role("button", name="Delete").click()
        page.click("#confirm-yes")
        copied.wait_for(state="detached")
        response = requests.get(f"{server.url}/api/events/{copy}", headers=ADMIN, timeout=5)
        assert response.status_code == 404
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["360px", "1280px"])
def test_the_workspace_pages_pass_axe(browser, server, viewport):
    code = new_code("axe")
    create_event(server, code)
    page = admin_page(browser, server, viewport)
    try:
        page.locator(f'li[data-code="{code}"]').wait_for()
        page.locator(f'li[data-code="{code}"]').get_by_role("button", name="Duplicate").click()
        assert_accessible(page, "the events list, a duplicate form open")

        page.goto(f"{server.url}/admin/events/new")
        page.wait_for_selector("#segments li")
        assert_accessible(page, "the new event's form")

        open_editor(page, server, code)
        page.fill("#invite-label", "Back of room")
        page.get_by_role("button", name="Create a link").click()
        page.wait_for_selector("#new-link:not([hidden])")
        page.locator("#invitations li").first.wait_for()
        page.locator("#audit li").first.wait_for()
        segment_field(page, 1, "minutes").fill("0")
        page.click("#save")
        page.wait_for_selector("#segments [aria-invalid=true]")
        assert_accessible(page, "the editor with a fresh link and a refused field")
    finally:
        page.context.close()


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{described(violations)}"


def test_the_editor_in_arabic_is_right_to_left_and_inside_the_window(browser, server):
    code = new_code("ar")
    create_event(server, code, title="تمكين الجنوب العالمي: تبادل الموظفين")
    page = admin_page(browser, server, PHONE)
    try:
        page.goto(f"{server.url}/admin/events/{code}/edit?lang=ar")
        page.wait_for_function("document.getElementById('title').value !== ''")
        page.fill("#invite-label", "مؤخرة القاعة")
        page.locator("#invite-form button[type=submit]").click()
        page.wait_for_selector("#new-link:not([hidden])")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        wider = page.evaluate(
            """(width) => [...document.querySelectorAll('body *')].filter((node) => {
                 const box = node.getBoundingClientRect();
                 // A closed list (the language switcher's) is laid out, but not shown.
                 return box.width > 0 && (box.left < -1 || box.right > width + 1)
                   && node.checkVisibility() && !node.closest('.visually-hidden');
               }).map((node) => node.id || node.className || node.tagName)""",
            PHONE["width"],
        )
        assert wider == []
        for language in ("ar", "en"):  # the file input's line is longest in English
            for path in ("/admin", "/admin/events/new"):
                page.goto(f"{server.url}{path}?lang={language}")
                page.wait_for_load_state("load")
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], (path, language, width)
    finally:
        page.context.close()


def panelist_field(page, index: int, name: str):
    return page.locator("#panelists > li").nth(index).locator(f"[data-field={name}]")


def refusal_of(page, field) -> str:
    """The message a refused ``field`` is marked with (the first note its aria-describedby
    names), once the mark is there."""
    field_id = field.get_attribute("id")
    page.wait_for_selector(f'[id="{field_id}"][aria-invalid=true]')
    note = field.get_attribute("aria-describedby").split()[0]
    return page.locator(f'[id="{note}"]').text_content()


def test_a_panelists_group_and_target_share_are_saved_and_reach_the_speaking_balance(
    browser, server
):
    code = new_code("balance")
    create_event(server, code)
    page = admin_page(browser, server)
    try:
        open_editor(page, server, code)
        page.fill("#moderator-name", "Chair Person")
        page.fill("#moderator-group", "women")
        page.click("#add-panelist")
        panelist_field(page, 0, "name").fill("Amina Diallo")
        panelist_field(page, 0, "group").fill("Africa")
        panelist_field(page, 0, "target_share").fill("101")
        page.click("#add-panelist")
        panelist_field(page, 1, "name").fill("Li Wei")
        panelist_field(page, 1, "group").fill("Asia")
        page.click("#save")

        # 101 is refused on its own field, which takes the focus; nothing was stored.
        target = panelist_field(page, 0, "target_share")
        assert "0 to 100" in refusal_of(page, target)
        assert page.evaluate("document.activeElement.id") == target.get_attribute("id")
        assert panelist_field(page, 1, "group").input_value() == "Asia"
        assert stored(server, code)["version"] == 1

        # Targets that add up to more than 100 are refused at the one that goes over.
        target.fill("60")
        other = panelist_field(page, 1, "target_share")
        other.fill("50")
        page.click("#save")
        assert "110%, over 100%" in refusal_of(page, other)
        assert target.get_attribute("aria-invalid") is None
        assert stored(server, code)["version"] == 1

        other.fill("")
        page.click("#save")
        saved(page, 2)
        assert page.locator("[aria-invalid=true]").count() == 0
        file = stored(server, code)["file"]
        assert file["moderator"] == {"name": "Chair Person", "group": "women"}
        assert file["panelists"] == [
            {"name": "Amina Diallo", "group": "Africa", "target_share": 60},
            {"name": "Li Wei", "group": "Asia"},
        ]

        # Loaded again, the editor shows them.
        open_editor(page, server, code)
        page.wait_for_selector("#panelists > li:nth-child(2)")
        assert page.input_value("#moderator-group") == "women"
        assert panelist_field(page, 0, "group").input_value() == "Africa"
        assert panelist_field(page, 0, "target_share").input_value() == "60"
        assert panelist_field(page, 1, "group").input_value() == "Asia"
        assert panelist_field(page, 1, "target_share").input_value() == ""
        # Each new field says what it is for.
        for name in ("group", "target_share"):
            hint = panelist_field(page, 1, name).get_attribute("aria-describedby")
            assert "speaking" in page.locator(f'[id="{hint}"]').text_content()

        # The speaking-time balance has them: Li Wei's target is what Amina's leaves.
        response = requests.get(f"{server.url}/api/events/{code}/speaker", headers=ADMIN, timeout=5)
        assert response.status_code == 200, response.text
        speakers = {s["name"]: s for s in response.json()["speakers"]}
        assert speakers["Amina Diallo"]["group"] == "Africa"
        assert speakers["Amina Diallo"]["target_share"] == 60
        assert speakers["Li Wei"]["group"] == "Asia"
        assert speakers["Li Wei"]["target_share"] is None
        assert speakers["Li Wei"]["target"] == 40
        assert speakers["Chair Person"]["group"] == "women"
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("viewport", "language"),
    [(PHONE, "ar"), (LAPTOP, "ar"), (PHONE, "en"), (LAPTOP, "en")],
    ids=["360px-ar", "1280px-ar", "360px-en", "1280px-en"],
)
def test_the_people_with_groups_and_targets_fit_the_window_and_pass_axe(
    browser, server, viewport, language
):
    code = new_code("people")
    created = create_event(server, code)
    file = stored(server, code)["file"]
    file["moderator"] = {"name": "رئيسة الجلسة", "group": "نساء"}
    file["panelists"] = [
        {"name": "Amina Diallo", "role": "Minister", "group": "Africa", "target_share": 40},
        {"name": "لي وي", "group": "آسيا"},
    ]
    response = requests.put(
        f"{server.url}/api/events/{code}",
        json={**file, "version": created["version"]},
        headers=ADMIN,
        timeout=5,
    )
    assert response.status_code == 200, response.text
    page = admin_page(browser, server, viewport)
    try:
        page.goto(f"{server.url}/admin/events/{code}/edit?lang={language}")
        page.wait_for_selector("#panelists > li:nth-child(2)")
        assert panelist_field(page, 0, "target_share").input_value() == "40"
        panelist_field(page, 1, "target_share").fill("70")
        page.click("#save")
        refusal_of(page, panelist_field(page, 1, "target_share"))
        width = viewport["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        outside = page.evaluate(
            """(width) => [...document.querySelectorAll('#section-people *')].filter((node) => {
                 const box = node.getBoundingClientRect();
                 return box.width > 0 && (box.left < -1 || box.right > width + 1);
               }).map((node) => node.id || node.className || node.tagName)""",
            width,
        )
        assert outside == []
        assert_accessible(page, f"the people, a target refused ({language}, {width}px)")
    finally:
        page.context.close()
