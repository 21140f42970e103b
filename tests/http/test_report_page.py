"""The session report page (``/e/<code>/report``) and its Markdown export
(``/api/events/<code>/report.md``): for the event's moderators only; every chart with its
numbers in a table; user text never raw in the SVG or the Markdown."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import escape

from moderator import runtime
from moderator.core.clock import FakeClock
from tests.fixtures.constants import EVENT, FRENCH, TOKEN
from tests.fixtures.report import FLOOR_QUESTION, HOSTILE, TOP_QUESTION, run_session

ADMIN = {"Authorization": f"Bearer {TOKEN}"}
PAGE = f"/e/{EVENT}/report"
MARKDOWN = f"/api/events/{EVENT}/report.md"
CHARTS = [
    "chart-agenda",
    "chart-themes",
    "chart-speakers",
    "chart-questions-time",
    "chart-votes-time",
]
TABLES = ["agenda-table", "themes-table", "origins-table", "speakers-table", "activity-table"]


@pytest.fixture
def session_played(app, client):
    """The scripted session (tests/fixtures/report.py), played on a fake clock."""
    clock = FakeClock(1_900_000_000_000)
    runtime.of(app).clock = clock

    def call(method, path, body):
        response = client.open(
            f"/api/events/{EVENT}{path}", method=method, json=body, headers=ADMIN
        )
        assert response.status_code < 300, (path, response.get_json())
        return response.get_json()

    return run_session(call, clock.advance)


def _invite(client, role):
    response = client.post(
        f"/api/events/{EVENT}/invitations", json={"role": role, "label": "Someone"}, headers=ADMIN
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


def _logged_in(app, token):
    browser = app.test_client()
    assert browser.get(f"/moderate/{EVENT}?token={token}").status_code == 302
    return browser


def _svg(html: str, chart_id: str) -> ET.Element:
    match = re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', html, re.S)
    assert match, f"no chart {chart_id}"
    return ET.fromstring(match.group(0))


def _table(html: str, table_id: str) -> list[list[str]]:
    """The table's rows as lists of cell texts (header cells included), tags stripped."""
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert match, f"no table {table_id}"
    rows = re.findall(r"<tr>(.*?)</tr>", match.group(0), re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def test_anyone_not_logged_in_gets_the_login_form(client):
    response = client.get(PAGE)
    assert response.status_code == 401
    assert 'name="token"' in response.get_data(as_text=True)
    assert client.get(MARKDOWN).status_code == 401


@pytest.mark.parametrize("role", ["timekeeper", "screens"])
def test_an_invitation_without_the_moderator_right_is_refused(app, client, role):
    browser = _logged_in(app, _invite(client, role))
    response = browser.get(PAGE)
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "does not include the session report" in page
    assert "chart-agenda" not in page
    assert browser.get(MARKDOWN).status_code == 403
    assert browser.get(f"/api/events/{EVENT}/report.json").status_code == 403


def test_a_moderator_invitation_and_the_dashboard_link_lead_to_the_report(app, client):
    browser = _logged_in(app, _invite(client, "moderator"))
    assert browser.get(PAGE).status_code == 200
    dashboard = browser.get(f"/moderate/{EVENT}").get_data(as_text=True)
    assert f'href="{PAGE}"' in dashboard
    keeper = _logged_in(app, _invite(client, "timekeeper"))
    assert f'href="{PAGE}"' not in keeper.get(f"/moderate/{EVENT}").get_data(as_text=True)


def test_an_unknown_event_has_no_report(moderator_client):
    assert moderator_client.get("/e/no-such-event/report").status_code == 404
    assert moderator_client.get("/api/events/no-such-event/report.md").status_code == 404


def test_the_page_has_every_chart_and_table_with_the_session_numbers(
    moderator_client, session_played
):
    response = moderator_client.get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for chart_id in CHARTS:
        svg = _svg(html, chart_id)
        assert svg.get("viewBox", "").startswith("0 0 ")
        assert svg.get("role") == "img"
    for table_id in TABLES:
        assert f'id="{table_id}"' in html
    assert html.count("<caption") >= len(TABLES)
    assert 'scope="col"' in html and 'scope="row"' in html

    agenda = _table(html, "agenda-table")
    assert agenda[1] == ["Welcome", "10:00", "13:00", "+3:00"]
    assert agenda[2] == ["Discussion", "15:00", "5:00", "−10:00"]
    assert agenda[3][:3] == ["Closing", "5:00", "not run"]
    assert agenda[-1] == ["Segments that ran", "25:00", "18:00", "−7:00"]

    def theme_row(table_id, title):
        return next(row for row in _table(html, table_id) if row[0].endswith(title))

    # received, published, answered, dismissed, merged, pending
    assert theme_row("themes-table", "Funding the Services")[1:] == ["3", "2", "0", "1", "0", "0"]
    assert theme_row("themes-table", "Health Workforce")[1:4] == ["2", "2", "1"]
    assert theme_row("themes-table", "All themes")[1:] == ["5", "4", "1", "1", "0", "0"]
    # room, online, floor; votes: all, room, online
    assert theme_row("origins-table", "Funding the Services")[1:] == ["0", "3", "0", "4", "0", "4"]
    assert theme_row("origins-table", "Health Workforce")[1:4] == ["0", "1", "1"]

    speakers = {row[0]: row for row in _table(html, "speakers-table")[1:]}
    assert speakers["Panelist One"][2:] == ["10:00", "55.6%", "62.5%", "50%", "+12.5"]
    assert speakers["Panelist Two"][2:] == ["6:00", "33.3%", "37.5%", "50%", "−12.5"]
    assert speakers["Chair Person"][2] == "1:00"
    assert speakers["All speakers"][2] == "18:00"

    activity = _table(html, "activity-table")
    asked = [row for row in activity[2:] if row[4] != "0"]
    assert sum(int(row[4]) for row in asked) == 5
    assert sum(int(row[7]) for row in activity[2:]) == 4

    # The top unanswered questions, word for word, most votes first; the answered one is not.
    assert html.index(TOP_QUESTION) < html.index("| x |")
    assert FLOOR_QUESTION not in html.split('id="speaking"')[0].split("Top unanswered")[-1]
    assert "Who pays for shared services once the pilot money runs out?" in html
    assert "Download Markdown" in html and "Download JSON" in html


def test_the_page_shows_texts_in_the_readers_language(moderator_client, session_played):
    html = moderator_client.get(f"{PAGE}?lang=fr").get_data(as_text=True)
    for text in (FRENCH["theme"], FRENCH["question"], FRENCH["segment"]):
        assert str(escape(text)) in html
    assert '<html lang="fr"' in html
    arabic = moderator_client.get(f"{PAGE}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic
    svg = _svg(arabic, "chart-agenda")
    label = next(
        t for t in svg.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "label"
    )
    assert label.get("direction") == "rtl"


def test_the_markdown_has_the_numbers_and_escapes_the_questions(moderator_client, session_played):
    response = moderator_client.get(f"{MARKDOWN}?lang=en")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert 'filename="panel-report.en.md"' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("# ")
    assert "| Welcome | 10:00 | 13:00 | +3:00 |" in text
    assert "| Panelist One |   | 10:00 | 55.6% | 62.5% | 50% | +12.5 |" in text
    assert f"1. {TOP_QUESTION} (3 votes, Online)" in text
    # The hostile question is one list item, its table bars, tags and emphasis all literal.
    [line] = [line for line in text.splitlines() if "alert(1)" in line]
    assert line.startswith("2. \\| x \\| \\<script\\>alert(1)\\</script\\> \\*\\*bold\\*\\*")
    assert "<script>" not in text and "| x |" not in text
    assert HOSTILE not in text
    # Deterministic: asked twice, the same bytes.
    assert moderator_client.get(f"{MARKDOWN}?lang=en").get_data() == response.get_data()


def test_the_markdown_in_french_has_the_same_structure(moderator_client, session_played):
    english = moderator_client.get(f"{MARKDOWN}?lang=en").get_data(as_text=True)
    response = moderator_client.get(f"{MARKDOWN}?lang=fr")
    assert response.status_code == 200
    assert 'filename="panel-report.fr.md"' in response.headers["Content-Disposition"]
    french = response.get_data(as_text=True)

    def shape(text):
        return [re.sub(r"[^#|\-0-9:.%+−\n]", "", line)[:3] for line in text.splitlines()]

    def markup(text):
        return [re.match(r"#+ |\| |- |\d+\. |", line)[0] for line in text.splitlines()]

    assert markup(french) == markup(english)
    # The headings come from the French catalogue.
    assert french.startswith("# Rapport de séance : ") and "## Temps de parole" in french
    assert len(shape(french)) == len(shape(english))
    # The event's own French texts replace the English ones.
    assert FRENCH["title"] in french and FRENCH["segment"] in french
    assert f"| {FRENCH['segment']} | 10:00 | 13:00 | +3:00 |" in french
    assert "| Welcome |" not in french


def test_the_markdown_defaults_to_the_readers_language(moderator_client, session_played):
    response = moderator_client.get(MARKDOWN, headers={"Accept-Language": "fr-CH, en;q=0.5"})
    assert 'filename="panel-report.fr.md"' in response.headers["Content-Disposition"]


@pytest.mark.parametrize("lang", ["xx", "english", "", "fr-CH", "<b>"])
def test_a_language_the_ui_does_not_have_is_refused_in_words(moderator_client, lang):
    response = moderator_client.get(MARKDOWN, query_string={"lang": lang})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "unknown_language" and "en, fr" not in error["message"][:3]
    assert "ar, zh, en, fr, ru, es" in error["message"]


HOSTILE_NAME = '</svg><script>alert("name")</script><svg>'
HOSTILE_TITLE = '</svg><script>alert("title")</script>&amp;'


def test_a_hostile_theme_title_or_speaker_name_never_gets_into_the_svg_raw(app, client):
    event = {
        "code": "hostile",
        "title": "A <b>bold</b> panel",
        "timezone": "UTC",
        "segments": [{"title": HOSTILE_TITLE, "minutes": 5, "speakers": [HOSTILE_NAME]}],
        "themes": [{"key": "t", "title": HOSTILE_TITLE, "questions": [HOSTILE_TITLE]}],
    }
    assert client.post("/api/events", json=event, headers=ADMIN).status_code == 201
    base = "/api/events/hostile"
    speakers = client.get(f"{base}/speaker", headers=ADMIN).get_json()["speakers"]
    hostile_id = next(s["id"] for s in speakers if s["name"] == HOSTILE_NAME)
    assert (
        client.post(f"{base}/speaker", json={"speaker": hostile_id}, headers=ADMIN).status_code
        == 200
    )
    assert client.post(f"{base}/timer", json={"action": "start"}, headers=ADMIN).status_code == 200
    body = {
        "text": HOSTILE_TITLE,
        "theme": "t",
        "via": "online",
        "client_id": "client-0001",
        "client_msg_id": "message-0001",
    }
    response = client.post(f"{base}/questions", json=body)
    assert response.status_code in (200, 201), response.get_json()

    browser = app.test_client()
    assert browser.get(f"/moderate/hostile?token={TOKEN}").status_code == 302
    html = browser.get("/e/hostile/report").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;/svg&gt;&lt;script&gt;alert(&#34;title&#34;)" in html
    for chart_id in ("chart-agenda", "chart-themes", "chart-speakers"):
        svg = _svg(html, chart_id)  # parses: nothing closed it early
        texts = "".join(svg.itertext())
        assert "<script>" in texts or "</svg>" in texts
    markdown = browser.get(f"{base}/report.md?lang=en").get_data(as_text=True)
    assert "<script>" not in markdown and "</svg>" not in markdown
    assert "\\<script\\>" in markdown


def test_speaking_time_per_group_has_its_chart_and_table(app, client):
    clock = FakeClock(1_900_000_000_000)
    runtime.of(app).clock = clock
    event = {
        "code": "grouped",
        "title": "Grouped panel",
        "timezone": "UTC",
        "segments": [{"title": "Panel", "minutes": 30}],
        "themes": [{"key": "t", "title": "Theme"}],
        "panelists": [
            {"name": "Ana", "group": "Member states", "target_share": 60},
            {"name": "Ben", "group": "Civil society"},
            {"name": "Cleo", "group": "Civil society"},
        ],
    }
    response = client.post("/api/events", json=event, headers=ADMIN)
    assert response.status_code == 201, response.get_json()
    for speaker, minutes in (("ana", 6), ("ben", 3), ("cleo", 1)):
        switched = client.post(
            "/api/events/grouped/speaker", json={"speaker": speaker}, headers=ADMIN
        )
        assert switched.status_code == 200, switched.get_json()
        clock.advance(minutes * 60_000)
    client.post("/api/events/grouped/speaker", json={"speaker": None}, headers=ADMIN)

    browser = app.test_client()
    assert browser.get(f"/moderate/grouped?token={TOKEN}").status_code == 302
    html = browser.get("/e/grouped/report").get_data(as_text=True)
    _svg(html, "chart-groups")
    groups = {row[0]: row[1:] for row in _table(html, "groups-table")[1:]}
    assert groups == {
        "Member states": ["6:00", "60%", "50%"],
        "Civil society": ["4:00", "40%", "50%"],
    }
    speakers = {row[0]: row[1:] for row in _table(html, "speakers-table")[1:]}
    # Ana's own target 60; Ben and Cleo split the 40 left: 20 each.
    assert speakers["Ana"] == ["Member states", "6:00", "60%", "60%", "60%", "0"]
    assert speakers["Ben"][4:] == ["20%", "+10"]
    assert speakers["Cleo"][4:] == ["20%", "−10"]
    markdown = browser.get("/api/events/grouped/report.md").get_data(as_text=True)
    assert "| Member states | 6:00 | 60% |" in markdown
