"""When the event is, as the pages show it: the date and start time formatted by Babel in the
page's language and in the EVENT's zone, the zone named with its offset on the event's date
("8:15 New York (UTC-4)"), and the instant carried for the browser to add the viewer's own time
(tests/browser/test_dates_browser.py)."""

import re
from datetime import UTC, date, datetime

import pytest
from babel import Locale
from babel.dates import get_timezone_location
from flask_babel import force_locale

from moderator.web.dates import event_time
from moderator.web.messages import attendee_messages, moderator_messages
from tests.fixtures.constants import EVENT

LANGUAGES = ["en", "fr", "ar", "zh", "ru", "es"]
# tests/data/panel.toml: 2030-03-14 at 14:00 in Africa/Nairobi (UTC+3 all year).
START = datetime(2030, 3, 14, 11, 0, tzinfo=UTC)
THURSDAY = 3  # Babel counts weekdays from Monday = 0


def page_in(app, path: str, lang: str) -> str:
    """The page at ``path`` as a browser asking for ``lang`` (``?lang=``) gets it: the one place
    these tests choose a language."""
    response = app.test_client().get(path, query_string={"lang": lang})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def event_time_element(html: str) -> tuple[dict[str, str], str]:
    """The attributes and the text of the page's first event time."""
    found = re.search(r"<time class=\"event-time\"([^>]*)>(.*?)</time>", html, re.S)
    assert found, "the page shows no event time"
    attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', found.group(1)))
    return attributes, re.sub(r"<[^>]+>", "", found.group(2))


def in_locale(app, lang: str, *args: str, **kwargs):
    with app.test_request_context("/"), force_locale(lang):
        return event_time(*args, **kwargs)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_attendee_header_shows_the_start_in_the_language_and_the_events_zone(app, lang):
    attributes, text = event_time_element(page_in(app, f"/e/{EVENT}", lang))
    locale = Locale.parse(lang)
    # The date in words of the language: its weekday, the day and the year.
    assert locale.days["format"]["wide"][THURSDAY] in text
    assert "14" in text and "2030" in text
    # The time as the language writes it: 24-hour clocks read 14:00, the others 2:00 with the
    # language's own "PM".
    if "H" in locale.time_formats["short"].pattern:
        assert re.search(r"(?<![\d:])14:00", text), text
    else:
        assert re.search(r"(?<![\d:])2:00", text), text
        assert locale.day_periods["format"]["abbreviated"]["pm"] in text
    # The zone named as a person names it, in the language, with its offset: never the IANA name.
    city = get_timezone_location("Africa/Nairobi", locale=locale, return_city=True)
    offset = (locale.zone_formats["gmt_utc"] % "+3").strip()
    assert f"{city}" in text and offset in text, text
    assert "Africa/Nairobi" not in text
    # The browser gets the instant and the zone, to add the viewer's own time.
    assert attributes["data-epoch-ms"] == str(int(START.timestamp() * 1000))
    assert attributes["data-zone"] == "Africa/Nairobi"
    assert attributes["datetime"] == "2030-03-14T14:00+03:00"


def test_the_languages_really_differ(app):
    """The header is not English in every language: the city and the weekday are translated."""
    texts = {lang: event_time_element(page_in(app, f"/e/{EVENT}", lang))[1] for lang in LANGUAGES}
    assert "Thursday" in texts["en"]
    assert all("Thursday" not in texts[lang] for lang in LANGUAGES if lang != "en")
    assert "Найроби" in texts["ru"] and "内罗毕" in texts["zh"] and "نيروبي" in texts["ar"]


@pytest.mark.parametrize(
    ("lang", "time", "zone"),
    [
        ("fr", "08:15", "New York (UTC-4)"),
        ("es", "8:15", "Nueva York (UTC-4)"),
        ("ru", "08:15", "Нью-Йорк (UTC-4)"),
        ("zh", "08:15", "纽约（UTC-4）"),  # the language's own brackets
    ],
)
def test_the_demo_events_start_reads_as_the_issue_asks(app, lang, time, zone):
    when = in_locale(app, lang, "2025-05-28", "08:15", "America/New_York")
    assert (when.time, when.zone) == (time, zone)


def test_the_offset_is_the_one_on_the_events_date(app):
    winter = in_locale(app, "en", "2025-01-15", "08:15", "America/New_York")
    summer = in_locale(app, "en", "2025-07-15", "08:15", "America/New_York")
    assert winter.zone == "New York (UTC-5)" and summer.zone == "New York (UTC-4)"


@pytest.mark.parametrize(
    ("timezone", "zone"),
    [
        ("UTC", "UTC"),
        ("Etc/GMT+5", "UTC-5"),  # POSIX signs: five hours behind
        ("Asia/Kolkata", "Kolkata (UTC+5:30)"),
        ("Asia/Kathmandu", "Kathmandu (UTC+5:45)"),
    ],
)
def test_zones_are_named_by_their_place_and_offset(app, timezone, zone):
    assert in_locale(app, "en", "2025-05-28", "08:15", timezone).zone == zone


def test_an_event_without_a_start_shows_its_date_and_no_instant(app):
    when = in_locale(app, "fr", "2030-03-14", "", "Africa/Nairobi")
    assert when.date == "jeudi 14 mars 2030" and when.time == ""
    assert when.epoch_ms is None and when.iso == "2030-03-14"


def test_an_event_without_a_date_still_names_its_zone(app):
    when = in_locale(app, "en", "", "", "America/New_York", today=date(2025, 12, 1))
    assert (when.date, when.time, when.zone) == ("", "", "New York (UTC-5)")


def test_the_page_shows_no_time_for_an_undated_event_and_no_instant_without_a_start(app):
    with app.test_request_context("/"):
        shown = app.jinja_env.get_template("_event_time.html").module.event_time
        assert str(shown(event_time("", "", "Africa/Nairobi"))).strip() == ""
        day_only = str(shown(event_time("2030-03-14", "", "Africa/Nairobi")))
    assert 'datetime="2030-03-14"' in day_only and "data-epoch-ms" not in day_only


def test_the_index_lists_each_event_with_its_date_and_time(app):
    _attributes, text = event_time_element(page_in(app, "/", "fr"))
    assert text.startswith("jeudi 14 mars 2030 · 14:00")
    assert "local-time.js" in page_in(app, "/", "fr")


def test_the_dashboard_names_the_events_zone(moderator_client):
    html = moderator_client.get(f"/moderate/{EVENT}").get_data(as_text=True)
    assert 'data-zone-name="Nairobi (UTC+3)"' in html
    assert "Question times in Nairobi (UTC+3)." in html
    assert "time zone, Nairobi (UTC+3). Choosing a segment" in html
    attributes, _text = event_time_element(html)
    assert attributes["data-zone"] == "Africa/Nairobi"


def test_no_script_string_counts_minutes_or_seconds_itself(app):
    """Durations reach the sentences already formatted by the browser, plural and unit
    included: no message writes "{n} min" or "{n} s" in English."""
    with app.test_request_context("/"):
        strings = {**attendee_messages(), **moderator_messages()}
    for key, value in strings.items():
        for text in [value] if isinstance(value, str) else value.values():  # counted strings
            assert not re.search(r"\{n\}\s*(min|s|sec|seconds?|minutes?)\b", text), key
    assert "{duration}" in strings["late"] and "{duration}" in strings["sending_again"]
    assert "{time}" in strings["your_time"]
