"""The server's own replies to people (no address, wrong method, a fault) are translated, and a
broken translation gives the English text, never a 500."""

import pytest

from moderator import faults
from moderator.core import errors
from moderator.core.errors import N_, NP_
from tests.fixtures.constants import EVENT


def test_the_http_errors_say_what_went_wrong_in_english_by_default(client):
    assert client.get("/api/nothing-here").get_json()["error"] == {
        "code": "not_found",
        "message": "There is nothing at this address.",
    }
    refused = client.delete(f"/api/events/{EVENT}/timer").get_json()["error"]
    assert refused["message"] == "DELETE is not allowed here."


class Catalogue(errors.English):
    """A translator with the given texts for some messages, English for the rest."""

    def __init__(self, texts: dict[str, str]):
        self.texts = texts

    def gettext(self, message: str) -> str:
        return self.texts.get(message, message)


def test_the_messages_go_through_the_translation(client, monkeypatch):
    french = Catalogue({"{method} is not allowed here.": "{method} n'est pas permis ici."})
    monkeypatch.setattr(errors, "current_translator", lambda: french)
    refused = client.delete(f"/api/events/{EVENT}/timer").get_json()["error"]
    assert refused["message"] == "DELETE n'est pas permis ici."


@pytest.mark.parametrize("broken", ["{méthode} n'est pas permis ici.", "{method n'est pas"])
def test_a_translation_that_loses_its_field_falls_back_to_english(app, monkeypatch, broken):
    translator = Catalogue({"{method} is not allowed here.": broken})
    monkeypatch.setattr(errors, "current_translator", lambda: translator)
    with app.test_request_context("/api/x", method="DELETE"):
        assert faults.translated(N_("{method} is not allowed here."), method="DELETE") == (
            "DELETE is not allowed here."
        )


def test_a_translator_that_fails_gives_english(app, monkeypatch):
    def unavailable():
        raise RuntimeError("choosing the language needs the database")

    monkeypatch.setattr(errors, "current_translator", unavailable)
    assert faults.translated(N_("There is nothing at this address.")) == (
        "There is nothing at this address."
    )


def test_a_count_takes_the_plural_in_english(app):
    body = NP_(
        "The request body is larger than {n} byte.", "The request body is larger than {n} bytes."
    )
    with app.test_request_context("/api/x"):
        assert faults.translated(body, n=1) == "The request body is larger than 1 byte."
        assert faults.translated(body, n=5) == "The request body is larger than 5 bytes."


def test_the_http_errors_come_in_the_asker_s_language(client):
    from babel.support import Translations

    from moderator import catalogue

    french = Translations.load(str(catalogue.TRANSLATIONS), ["fr"])
    reply = client.get("/api/nothing-here", headers={"Accept-Language": "fr"}).get_json()
    assert reply["error"]["message"] == french.gettext("There is nothing at this address.")
    assert reply["error"]["message"] != "There is nothing at this address."
