"""The server's own replies to people (no address, wrong method, a fault) are translated, and a
broken translation gives the English text, never a 500."""

import pytest

from moderator import faults
from tests.fixtures.constants import EVENT


def test_the_http_errors_say_what_went_wrong_in_english_by_default(client):
    assert client.get("/api/nothing-here").get_json()["error"] == {
        "code": "not_found",
        "message": "There is nothing at this address.",
    }
    refused = client.delete(f"/api/events/{EVENT}").get_json()["error"]
    assert refused["message"] == "DELETE is not allowed here."


def test_the_messages_go_through_the_translation(client, monkeypatch):
    def french(message, **params):
        catalogue = {"%(method)s is not allowed here.": "%(method)s n'est pas permis ici."}
        return catalogue.get(message, message) % params if params else message

    monkeypatch.setattr(faults, "gettext", french)
    refused = client.delete(f"/api/events/{EVENT}").get_json()["error"]
    assert refused["message"] == "DELETE n'est pas permis ici."


@pytest.mark.parametrize("broken", ["%(méthode)s n'est pas permis ici.", "%(method n'est pas"])
def test_a_translation_that_loses_its_field_falls_back_to_english(app, monkeypatch, broken):
    def translate(message, **params):
        return broken % params

    monkeypatch.setattr(faults, "gettext", translate)
    with app.test_request_context("/api/x", method="DELETE"):
        assert faults.translated("%(method)s is not allowed here.", method="DELETE") == (
            "DELETE is not allowed here."
        )


def test_a_count_takes_the_plural_in_english(app):
    body = "The request body is larger than %(num)d byte."
    bodies = "The request body is larger than %(num)d bytes."
    with app.test_request_context("/api/x"):
        assert faults.translated(body, bodies, num=1) == "The request body is larger than 1 byte."
        assert faults.translated(body, bodies, num=5) == "The request body is larger than 5 bytes."
