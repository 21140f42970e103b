"""A refusal comes back in the asker's language, over HTTP and over Socket.IO: the core raises
the English template with its fields, the reply renders it in the language of the request or of
the connection's page."""

from __future__ import annotations

import pytest
from babel.support import Translations

from moderator import catalogue
from moderator.core.errors import ENGLISH, DomainError
from moderator.core.questions import Limits, check_text
from tests.fixtures.constants import EVENT
from tests.fixtures.helpers import submission

TOO_LONG = "x" * 301


def expected_refusal(language: str) -> str:
    """The core's own refusal of a 301-character question, rendered from the catalogue."""
    with pytest.raises(DomainError) as refused:
        check_text(TOO_LONG, limits=Limits(text=300, name=80, affiliation=120, per_minute=5))
    if language == "en":
        return refused.value.render(ENGLISH)
    return refused.value.render(Translations.load(str(catalogue.TRANSLATIONS), [language]))


@pytest.mark.parametrize("language", ["ar", "zh", "fr", "ru", "es", "en"])
def test_a_refusal_over_http_is_in_the_browser_s_language(client, language):
    body = submission(1, text=TOO_LONG)
    reply = client.post(
        f"/api/events/{EVENT}/questions", json=body, headers={"Accept-Language": language}
    )
    assert reply.status_code == 400
    error = reply.get_json()["error"]
    assert error["code"] == "text_too_long"
    assert error["message"] == expected_refusal(language)
    if language != "en":
        assert error["message"] != expected_refusal("en")
    assert "301" in error["message"] and "300" in error["message"]


def test_lang_in_the_address_outranks_the_header_for_the_api(client):
    reply = client.post(
        f"/api/events/{EVENT}/questions?lang=ru",
        json=submission(1, text=TOO_LONG),
        headers={"Accept-Language": "fr"},
    )
    assert reply.get_json()["error"]["message"] == expected_refusal("ru")


@pytest.mark.parametrize("language", ["ar", "fr", "zh"])
def test_a_refusal_over_socketio_is_in_the_page_s_language(app, language):
    from moderator.extensions import socketio

    sock = socketio.test_client(
        app,
        auth={"event": EVENT, "client_id": "attendee-0001"},
        query_string=f"lang={language}",
        headers={"Accept-Language": "en"},
    )
    body = submission(1, text=TOO_LONG)
    body.pop("client_id")
    ack = sock.emit("submit", body, callback=True)
    assert ack["error"]["code"] == "text_too_long"
    assert ack["error"]["message"] == expected_refusal(language)
    assert ack["error"]["message"] != expected_refusal("en")
    assert sock.is_connected()  # a refusal, not a disconnection
    sock.disconnect()


def test_each_connection_keeps_its_own_language(app):
    from moderator.extensions import socketio

    socks = {
        language: socketio.test_client(
            app,
            auth={"event": EVENT, "client_id": f"attendee-000{k}"},
            query_string=f"lang={language}",
        )
        for k, language in enumerate(["ar", "es", "en"], start=1)
    }
    for language, sock in socks.items():
        body = submission(1, text=TOO_LONG)
        body.pop("client_id")
        assert sock.emit("submit", body, callback=True)["error"]["message"] == expected_refusal(
            language
        )
        sock.disconnect()
