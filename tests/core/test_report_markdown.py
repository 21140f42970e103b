"""The report as Markdown (moderator/core/report_markdown.py): a pure function of the report and
a translator; people's text escaped so it stays one literal line; durations as m:ss or h:mm:ss."""

from __future__ import annotations

import pytest

from moderator.core import report_markdown
from moderator.core.errors import ENGLISH
from moderator.core.report import activity, buckets_for


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("| a | b |", "\\| a \\| b \\|"),
        ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"),
        ("# Heading", "\\# Heading"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("+ not a list", "\\+ not a list"),
        ("**bold** _it_ `code` ~~gone~~", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~gone\\~\\~"),
        ("[link](javascript:x)", "\\[link\\](javascript:x)"),
        ("&lt; entity", "\\&lt; entity"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines\r\n\n| x |", "two lines \\| x \\|"),
        ("bidi \u202eoverride", "bidi override"),
        ("نص عربي؟ 中文？", "نص عربي؟ 中文？"),
    ],
)
def test_people_text_is_escaped_to_one_literal_line(text, escaped):
    assert report_markdown.escape(text) == escaped


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "0:00"),
        (59_999, "0:59"),
        (600_000, "10:00"),
        (3_600_000, "1:00:00"),
        (3_725_000, "1:02:05"),
        (-90_000, "\u22121:30"),
        (None, ""),
    ],
)
def test_durations(ms, text):
    assert report_markdown.duration(ms) == text


def test_signed_differences_and_gaps():
    assert report_markdown.signed(120_000) == "+2:00"
    assert report_markdown.signed(-30_000) == "\u22120:30"
    assert report_markdown.signed(0) == "0:00"
    assert report_markdown.gap(12.5) == "+12.5" and report_markdown.gap(-3.0) == "\u22123"
    assert report_markdown.gap(0.0) == "0" and report_markdown.gap(None) == ""


def _report() -> dict:
    start = 1_900_000_020_000
    return {
        "generated_ms": start + 600_000,
        "event": {
            "code": "x",
            "title": "A | panel",
            "titles": {"fr": "Un panel"},
            "date": "",
            "start": "",
            "timezone": "UTC",
            "language": "en",
        },
        "agenda": {
            "segments": [
                {
                    "id": "s1",
                    "title": "Talk",
                    "titles": {},
                    "planned_ms": 300_000,
                    "actual_ms": 330_000,
                    "actual_start_ms": start,
                    "drift_ms": 30_000,
                }
            ],
            "planned_ms": 300_000,
            "ran_planned_ms": 300_000,
            "ran_actual_ms": 330_000,
            "drift_ms": 30_000,
            "projected_end_ms": None,
            "planned_end_ms": None,
            "state": "paused",
        },
        "questions": {
            "counts": {
                "received": 1,
                "published": 1,
                "pending": 0,
                "answered": 0,
                "dismissed": 0,
                "merged": 0,
            },
            "origins": {"room": 1, "online": 0, "floor": 0},
            "votes": {"total": 2, "room": 2, "online": 0},
        },
        "themes": [
            {
                "key": "t",
                "title": "T",
                "titles": {},
                "label": "",
                "counts": {
                    "received": 1,
                    "published": 1,
                    "pending": 0,
                    "answered": 0,
                    "dismissed": 0,
                    "merged": 0,
                },
                "origins": {"room": 1, "online": 0, "floor": 0},
                "votes": {"total": 2, "room": 2, "online": 0},
                "guiding_questions": [],
                "unlinked": 1,
                "top_unanswered": [
                    {
                        "id": 1,
                        "text": "1. # <b>|x|</b>",
                        "votes": 2,
                        "via": "room",
                        "status": "approved",
                    }
                ],
            },
            {
                "key": "empty",
                "title": "Nobody asked",
                "titles": {},
                "label": "",
                "counts": {
                    "received": 0,
                    "published": 0,
                    "pending": 0,
                    "answered": 0,
                    "dismissed": 0,
                    "merged": 0,
                },
                "origins": {"room": 0, "online": 0, "floor": 0},
                "votes": {"total": 0, "room": 0, "online": 0},
                "guiding_questions": [],
                "unlinked": 0,
                "top_unanswered": [],
            },
        ],
        "speaking": {
            "total_ms": 0,
            "panel_total_ms": 0,
            "speakers": [],
            "groups": [],
            "intervals": 0,
            "corrected": 0,
        },
        "activity": activity(
            buckets_for([start + 61_000, start + 63_000], start_ms=start, end_ms=0),
            [(start + 61_000, "room")],
            [(1, "room", 2)],
        ),
    }


def test_the_document_is_deterministic_and_its_lines_are_its_own():
    text = report_markdown.render(_report(), ENGLISH)
    assert text == report_markdown.render(_report(), ENGLISH)
    assert text.startswith("# Session report: A \\| panel\n")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "| Talk | 5:00 | 5:30 | +0:30 |" in text
    assert "1. 1\\. \\# \\<b\\>\\|x\\|\\</b\\> (2 votes, In the room)" in text
    assert "Nobody asked" not in text  # a theme with nothing to say gets no section
    assert "The busiest minute: 17:48–17:49 (questions: 1, votes: 2)." in text
    assert "<b>" not in text


def test_the_event_texts_follow_the_language_asked():
    assert report_markdown.render(_report(), ENGLISH, "fr").startswith("# Session report: Un panel")
