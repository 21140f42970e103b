"""The language a page is written in: ``?lang=``, the switcher's cookie, the browser's
Accept-Language, the event's default; and the page's direction that follows."""

import re

import pytest

from tests.fixtures.constants import EVENT


def html_tag(page: str) -> tuple[str, str]:
    tag = re.search(r"<html lang=\"([^\"]+)\" dir=\"([^\"]+)\">", page)
    assert tag, page[:200]
    return tag.group(1), tag.group(2)


@pytest.mark.parametrize(
    ("header", "lang", "direction"),
    [
        ("ar-EG,ar;q=0.9,en;q=0.5", "ar", "rtl"),
        ("zh-CN,zh;q=0.9", "zh", "ltr"),
        ("fr-SN,fr;q=0.9", "fr", "ltr"),
        ("ru-RU,ru;q=0.9", "ru", "ltr"),
        ("es-CL,es;q=0.9", "es", "ltr"),
        ("en-GB,en;q=0.9", "en", "ltr"),
        ("de-DE,pt;q=0.9,fr;q=0.3", "fr", "ltr"),  # the first language it speaks, by quality
        ("zh-Hans-CN", "zh", "ltr"),
    ],
)
def test_the_attendee_page_speaks_the_browser_s_language(client, header, lang, direction):
    page = client.get(f"/e/{EVENT}", headers={"Accept-Language": header})
    assert page.status_code == 200
    assert html_tag(page.get_data(as_text=True)) == (lang, direction)


@pytest.mark.parametrize("lang", ["ar", "zh", "fr", "ru", "es", "en"])
def test_lang_in_the_address_outranks_the_browser(client, lang):
    page = client.get(f"/e/{EVENT}?lang={lang}", headers={"Accept-Language": "ru"})
    assert html_tag(page.get_data(as_text=True)) == (lang, "rtl" if lang == "ar" else "ltr")


def test_a_language_nobody_asked_for_falls_back_to_english(client):
    page = client.get(f"/e/{EVENT}?lang=xx", headers={"Accept-Language": "de, pt"})
    assert html_tag(page.get_data(as_text=True)) == ("en", "ltr")


def test_the_switcher_remembers_the_choice_and_comes_back(client):
    chosen = client.get(f"/lang/ar?next=/e/{EVENT}%3Fsort%3Dvotes")
    assert chosen.status_code == 303
    assert chosen.location == f"/e/{EVENT}?sort=votes"
    cookie = chosen.headers["Set-Cookie"]
    assert cookie.startswith("lang=ar;") and "SameSite=Lax" in cookie
    page = client.get(f"/e/{EVENT}", headers={"Accept-Language": "fr"})
    assert html_tag(page.get_data(as_text=True)) == ("ar", "rtl")  # the cookie beats the header
    page = client.get(f"/e/{EVENT}?lang=es")
    assert html_tag(page.get_data(as_text=True)) == ("es", "ltr")  # the address beats the cookie


def test_the_switcher_is_on_the_attendee_page_and_the_dashboard(client, moderator_client):
    for page in (client.get(f"/e/{EVENT}?lang=fr"), moderator_client.get(f"/moderate/{EVENT}")):
        html = page.get_data(as_text=True)
        for code, name in [("ar", "العربية"), ("zh", "中文"), ("ru", "Русский")]:
            assert f'lang="{code}" hreflang="{code}">{name}</a>' in html
    # Its links come back to the page without the ?lang= that would outrank the choice.
    html = client.get(f"/e/{EVENT}?lang=fr").get_data(as_text=True)
    assert f'href="/lang/zh?next=/e/{EVENT}"' in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_the_switcher_only_returns_to_this_site(client, target):
    chosen = client.get("/lang/fr", query_string={"next": target})
    assert chosen.status_code == 303 and chosen.location == "/"


@pytest.mark.parametrize("language", ["de", "xx", "FR", "fr-FR"])
def test_the_switcher_refuses_languages_it_does_not_have(client, language):
    assert client.get(f"/lang/{language}").status_code == 404


def test_the_room_screen_takes_its_own_language_and_remembers_nothing(client):
    screen = client.get(f"/e/{EVENT}/screen?lang=fr", headers={"Accept-Language": "ar"})
    assert html_tag(screen.get_data(as_text=True)) == ("fr", "ltr")
    assert "Set-Cookie" not in screen.headers or "lang=" not in screen.headers["Set-Cookie"]
    stage = client.get(f"/e/{EVENT}/stage?lang=ru", headers={"Accept-Language": "ar"})
    assert html_tag(stage.get_data(as_text=True)) == ("ru", "ltr")
    page = client.get(f"/e/{EVENT}", headers={"Accept-Language": "ar"})
    assert html_tag(page.get_data(as_text=True)) == ("ar", "rtl")
