"""Pages and the moderator's login."""

import html
import re

from tests.fixtures.constants import EVENT, FRENCH, OTHER_THEME_TITLE, TITLE, TOKEN


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_attendee_pages_record_where_the_question_comes_from(client):
    online = client.get(f"/e/{EVENT}").get_data(as_text=True)
    room = client.get(f"/r/{EVENT}").get_data(as_text=True)
    assert 'data-via="online"' in online
    assert 'data-via="room"' in room
    assert "Health Workforce" in online  # a theme of the event, and its guiding question
    assert "How do clinics cover for staff who are away on placement?" in online
    assert client.get("/e/unknown").status_code == 404


def theme_title(page: str, title: str) -> str | None:
    """The ``lang`` of the attendee form's theme ``title`` (with its label, which reads in the
    title's direction), None when it has none; the title must be there."""
    found = re.search(
        r'<span class="theme-title"(?: lang="(\w+)")? dir="auto">'
        r'(?:<bdi class="theme-label">[^<]*</bdi> )?' + re.escape(title) + "</span>",
        page,
    )
    assert found, title
    return found.group(1)


def test_a_french_page_shows_the_event_in_french_and_marks_what_is_still_english(client):
    page = html.unescape(client.get(f"/e/{EVENT}?lang=fr").get_data(as_text=True))
    assert f'<h1 dir="auto">{FRENCH["title"]}</h1>' in page
    assert theme_title(page, FRENCH["theme"]) is None  # in the page's language: no lang
    assert f'<span dir="auto">{FRENCH["question"]}</span>' in page
    assert theme_title(page, OTHER_THEME_TITLE) == "en"
    assert "Funding the Services" not in page  # the theme's English title, in script data too


def test_a_page_in_a_language_the_event_lacks_shows_its_texts_marked_english(client):
    page = html.unescape(client.get(f"/e/{EVENT}?lang=ru").get_data(as_text=True))
    assert f'<h1 lang="en" dir="auto">{TITLE}</h1>' in page
    assert theme_title(page, "Funding the Services") == "en"
    assert theme_title(page, OTHER_THEME_TITLE) == "en"
    assert FRENCH["theme"] not in page


def test_the_room_screen_and_the_dashboard_show_the_events_texts_in_the_pages_language(
    client, moderator_client
):
    screen = html.unescape(client.get(f"/e/{EVENT}/screen?lang=fr").get_data(as_text=True))
    assert f'dir="auto">{FRENCH["segment"]}</p>' in screen
    dashboard = html.unescape(
        moderator_client.get(f"/moderate/{EVENT}?lang=fr").get_data(as_text=True)
    )
    assert f'<option value="health" lang="en">ii. {OTHER_THEME_TITLE}</option>' in dashboard
    assert f'<option value="finance">i. {FRENCH["theme"]}</option>' in dashboard
    index = html.unescape(client.get("/?lang=fr").get_data(as_text=True))
    assert f'<strong dir="auto">{FRENCH["title"]}</strong>' in index


def test_the_moderator_page_asks_for_login_until_given_the_token(client):
    page = client.get(f"/moderate/{EVENT}")
    assert page.status_code == 401
    assert 'name="token"' in page.get_data(as_text=True)
    assert client.get(f"/moderate/{EVENT}?token=wrong").status_code == 403
    response = client.get(f"/moderate/{EVENT}?token={TOKEN}")
    assert response.status_code == 302 and response.location == f"/moderate/{EVENT}"
    assert client.get(f"/moderate/{EVENT}").status_code == 200


def test_the_session_cookie_is_httponly_and_samesite(client):
    response = client.get(f"/moderate/{EVENT}?token={TOKEN}")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_form_checks_csrf_and_token_and_redirects_locally(client):
    form = client.get(f"/moderate/{EVENT}").get_data(as_text=True)
    csrf = csrf_of(form)
    assert (
        client.post("/login", data={"token": TOKEN, "next": f"/moderate/{EVENT}"}).status_code
        == 400
    )
    assert client.post("/login", data={"token": "nope", "csrf": csrf}).status_code == 403
    response = client.post(
        "/login", data={"token": TOKEN, "csrf": csrf, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.location == "/"
    assert client.get(f"/moderate/{EVENT}").status_code == 200


def test_logout_needs_the_form_token(moderator_client):
    page = moderator_client.get(f"/moderate/{EVENT}").get_data(as_text=True)
    moderator_client.post("/logout", data={})
    assert moderator_client.get(f"/moderate/{EVENT}").status_code == 200
    moderator_client.post("/logout", data={"csrf": csrf_of(page)})
    assert moderator_client.get(f"/moderate/{EVENT}").status_code == 401


def test_the_room_screen_shows_a_qr_code_to_join_from_the_room(client):
    page = client.get(f"/e/{EVENT}/screen").get_data(as_text=True)
    assert "<svg" in page
    assert f"http://localhost/r/{EVENT}" in page


def test_every_page_loads_the_vendored_socket_io_client(client):
    script = client.get("/static/js/connection.js").get_data(as_text=True)
    path = re.search(r'from "\.\./(vendor/[^"]+)"', script).group(1)
    vendored = client.get(f"/static/{path}")
    assert vendored.status_code == 200
    assert b"Socket.IO v4.8.4" in vendored.data
