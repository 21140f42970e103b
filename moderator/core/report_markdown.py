"""The session report (``report.build``) as Markdown, for the rapporteur to paste into a summary:
the agenda planned against actual, each theme with its guiding questions and its top unanswered
questions word for word, speaking time, and participation.

Pure: the same report and language always give the same text, byte for byte. Every text that
came from a person (questions, titles, names) is escaped, so a question cannot add a table row,
a heading, a link or HTML to the document. The wording is written once, in English, marked with
``N_`` for the catalogue and translated by the ``translator`` given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from moderator.core.errors import N_, NP_, Translator
from moderator.core.errors import render as render_template
from moderator.core.languages import localized
from moderator.core.speaking import FIXED_NAMES

ORIGIN_NAMES = {
    "room": N_("In the room"),
    "online": N_("Online"),
    "floor": N_("From the floor"),
}
STATUS_NAMES = {
    "received": N_("Received"),
    "published": N_("Published"),
    "answered": N_("Answered"),
    "dismissed": N_("Dismissed"),
    "merged": N_("Merged"),
    "pending": N_("Pending"),
}
MINUS = "\u2212"

# Markdown's punctuation anywhere in a line (CommonMark escapes every one of these), and what
# only counts at the start of a line: a list's or a quote's marker, a numbered item.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# The phrases used inside f-strings, marked here: Babel's extractor does not look inside them.
TEXTS = {
    "Session report: {title}": N_("Session report: {title}"),
    "Agenda: planned against actual": N_("Agenda: planned against actual"),
    "Questions": N_("Questions"),
    "By origin": N_("By origin"),
    "Votes": N_("Votes"),
    "Theme: {title}": N_("Theme: {title}"),
    "Guiding questions": N_("Guiding questions"),
    "Top unanswered questions": N_("Top unanswered questions"),
    "Speaking time": N_("Speaking time"),
    "By group": N_("By group"),
    "Participation": N_("Participation"),
}


def escape(text: object) -> str:
    """``text`` as literal Markdown on one line: special characters backslash-escaped, line
    breaks and runs of spaces made one space, control characters and bidi overrides dropped."""
    flat = _SPACE.sub(" ", _CONTROL.sub("", str(text))).strip()
    escaped = _SPECIAL.sub(r"\\\1", flat)
    # "1." or "-" opening a line would start a list: the marker's punctuation is escaped.
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], escaped)


def duration(ms: int | float | None) -> str:
    """A length of time as m:ss, or h:mm:ss from an hour (whole seconds, rounded down)."""
    if ms is None:
        return ""
    seconds = int(abs(ms) // 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    return (MINUS if ms < 0 and seconds + minutes + hours else "") + text


def signed(ms: int | None) -> str:
    """A difference of time: '+2:00', '−0:30', '0:00'."""
    if ms is None:
        return ""
    return ("+" if ms >= 1000 else "") + duration(ms)


def percent(value: float | None) -> str:
    """A share in percent ('12.5 %' is written '12.5%'); empty when there is none."""
    if value is None:
        return ""
    return f"{value:g}%"


def gap(points: float | None) -> str:
    """A difference in percentage points: '+12.5', '−3', '0'."""
    if points is None:
        return ""
    sign = "+" if points > 0 else MINUS if points < 0 else ""
    return f"{sign}{abs(points):g}"


def clock_time(ms: int | None, timezone: str, *, seconds: bool = False) -> str:
    """The moment ``ms`` as HH:MM in the event's zone (UTC for a zone the system lacks)."""
    if ms is None:
        return ""
    try:
        zone: Any = ZoneInfo(timezone)
    except (ValueError, ZoneInfoNotFoundError):
        zone = UTC
    moment = datetime.fromtimestamp(ms / 1000, zone)
    return moment.strftime("%H:%M:%S" if seconds else "%H:%M")


def date_time(ms: int, timezone: str) -> str:
    """The moment ``ms`` as 'YYYY-MM-DD HH:MM' in the event's zone."""
    try:
        zone: Any = ZoneInfo(timezone)
    except (ValueError, ZoneInfoNotFoundError):
        zone = UTC
    return datetime.fromtimestamp(ms / 1000, zone).strftime("%Y-%m-%d %H:%M")


def in_language(text: str, translations: Mapping[str, str], lang: str, default: str) -> str:
    """A title or guiding question in ``lang`` where the event gives it, else as written."""
    return localized(text, translations, lang, default)[0]


def speaker_name(row: Mapping[str, Any], translator: Translator) -> str:
    """A speaker's name; the moderator (when the event names nobody) and the audience are
    named in the reader's language."""
    fixed = FIXED_NAMES.get(str(row.get("id")))
    if fixed is not None and row.get("name") == fixed:
        return translator.gettext(fixed)
    return str(row.get("name", ""))


def busiest(activity: Mapping[str, Any]) -> dict[str, Any] | None:
    """The bucket with the most questions and votes together (the earliest of equals), or None
    when nothing was asked or voted."""
    best = None
    best_total = 0
    for bucket in activity.get("buckets", []):
        total = sum(bucket["questions"].values()) + sum(bucket["votes"].values())
        if total > best_total:
            best, best_total = bucket, total
    return best


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int = 1) -> list[str]:
    align = ["---" if k < numeric_from else "--:" for k in range(len(head))]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines


def render(report: Mapping[str, Any], translator: Translator, lang: str | None = None) -> str:
    """The report as a Markdown document in the language ``translator`` speaks; titles and
    guiding questions in ``lang`` where the event gives them (the event's language by
    default)."""
    _ = translator.gettext
    event = report["event"]
    default = event.get("language") or "en"
    lang = lang or default
    zone = event.get("timezone") or "UTC"

    def t(template: str | tuple[str, str], **params: Any) -> str:
        return render_template(template, params, translator)

    title = in_language(event["title"], event.get("titles", {}), lang, default)
    out = [f"# {escape(t(TEXTS['Session report: {title}'], title=title))}", ""]
    when = " ".join(part for part in (event.get("date"), event.get("start")) if part)
    if when:
        out.append(escape(t(N_("Event: {when} ({zone})"), when=when, zone=zone)) + "  ")
    out += [
        escape(t(N_("Report made at {moment}"), moment=date_time(report["generated_ms"], zone))),
        "",
    ]

    out += _agenda(report["agenda"], translator, lang, default)
    out += _questions(report["questions"], translator)
    for theme in report["themes"]:
        # A theme nobody asked in and with no guiding question has only zeros to say.
        if theme["counts"]["received"] or theme["guiding_questions"]:
            out += _theme(theme, translator, lang, default)
    out += _speaking(report["speaking"], translator)
    out += _participation(report, translator, zone)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _agenda(
    agenda: Mapping[str, Any], translator: Translator, lang: str, default: str
) -> list[str]:
    _ = translator.gettext
    out = [f"## {escape(_(TEXTS['Agenda: planned against actual']))}", ""]
    rows = [
        [
            escape(in_language(s["title"], s.get("titles", {}), lang, default)),
            duration(s["planned_ms"]),
            duration(s["actual_ms"]) if s["actual_ms"] is not None else escape(_("not run")),
            signed(s["drift_ms"]),
        ]
        for s in agenda["segments"]
    ]
    out += _table([_("Segment"), _("Planned"), _("Actual"), _("Difference")], rows)
    out.append("")
    out.append(
        escape(
            render_template(
                N_(
                    "Overall drift of the segments that ran: {drift} ({actual} against "
                    "{planned} planned)."
                ),
                {
                    "drift": signed(agenda["drift_ms"]),
                    "actual": duration(agenda["ran_actual_ms"]),
                    "planned": duration(agenda["ran_planned_ms"]),
                },
                translator,
            )
        )
    )
    out.append("")
    return out


def _counts_line(counts: Mapping[str, int], translator: Translator) -> str:
    return " · ".join(
        f"{escape(translator.gettext(name))}: {counts.get(key, 0)}"
        for key, name in STATUS_NAMES.items()
    )


def _origins_line(origins: Mapping[str, int], translator: Translator) -> str:
    return " · ".join(
        f"{escape(translator.gettext(name))}: {origins.get(key, 0)}"
        for key, name in ORIGIN_NAMES.items()
    )


def _votes_line(votes: Mapping[str, int], translator: Translator) -> str:
    total = votes.get("total", 0)
    parts = [
        f"{escape(translator.gettext(ORIGIN_NAMES[o]))}: {votes.get(o, 0)}"
        for o in ("room", "online")
    ]
    return f"{total} ({' · '.join(parts)})"


def _questions(part: Mapping[str, Any], translator: Translator) -> list[str]:
    _ = translator.gettext
    return [
        f"## {escape(_(TEXTS['Questions']))}",
        "",
        f"- {_counts_line(part['counts'], translator)}",
        f"- {escape(_(TEXTS['By origin']))}: {_origins_line(part['origins'], translator)}",
        f"- {escape(_(TEXTS['Votes']))}: {_votes_line(part['votes'], translator)}",
        "",
    ]


def _theme(theme: Mapping[str, Any], translator: Translator, lang: str, default: str) -> list[str]:
    _ = translator.gettext
    title = in_language(theme["title"], theme.get("titles", {}), lang, default)
    label = f"{theme['label']}. " if theme.get("label") else ""
    heading = render_template(TEXTS["Theme: {title}"], {"title": title}, translator)
    out = [
        f"## {escape(label + heading)}",
        "",
        f"- {_counts_line(theme['counts'], translator)}",
        f"- {escape(_(TEXTS['By origin']))}: {_origins_line(theme['origins'], translator)}",
        f"- {escape(_(TEXTS['Votes']))}: {_votes_line(theme['votes'], translator)}",
        "",
    ]
    if theme["guiding_questions"]:
        out += [f"### {escape(_(TEXTS['Guiding questions']))}", ""]
        for k, guiding in enumerate(theme["guiding_questions"], start=1):
            text = in_language(guiding["text"], guiding.get("texts", {}), lang, default)
            summary = render_template(
                N_("{linked} linked, {answered} answered, {votes} votes"),
                {
                    "linked": guiding["linked"],
                    "answered": guiding["answered"],
                    "votes": guiding["votes"],
                },
                translator,
            )
            out.append(f"{k}. {escape(text)} ({escape(summary)})")
        unlinked = render_template(
            NP_(
                "{n} question linked to no guiding question.",
                "{n} questions linked to no guiding question.",
            ),
            {"n": theme["unlinked"]},
            translator,
        )
        out += ["", escape(unlinked), ""]
    out += [f"### {escape(_(TEXTS['Top unanswered questions']))}", ""]
    if theme["top_unanswered"]:
        for k, question in enumerate(theme["top_unanswered"], start=1):
            votes = render_template(
                NP_("{n} vote", "{n} votes"), {"n": question["votes"]}, translator
            )
            origin = _(ORIGIN_NAMES.get(question["via"], question["via"]))
            out.append(f"{k}. {escape(question['text'])} ({escape(votes)}, {escape(origin)})")
    else:
        out.append(escape(_("None.")))
    out.append("")
    return out


def _speaking(part: Mapping[str, Any], translator: Translator) -> list[str]:
    _ = translator.gettext
    out = [f"## {escape(_(TEXTS['Speaking time']))}", ""]
    rows = [
        [
            escape(speaker_name(row, translator)),
            escape(row.get("group") or ""),
            duration(row["total_ms"]),
            percent(row["share"]),
            percent(row["panel_share"]),
            percent(row["target"]),
            gap(row["gap"]),
        ]
        for row in part["speakers"]
    ]
    out += _table(
        [
            _("Speaker"),
            _("Group"),
            _("Time"),
            _("Share of all"),
            _("Share of the panel"),
            _("Target"),
            _("Gap (points)"),
        ],
        rows,
        numeric_from=2,
    )
    out += ["", escape(_floor_total(part, translator)), ""]
    if part["groups"]:
        out += [f"### {escape(_(TEXTS['By group']))}", ""]
        out += _table(
            [_("Group"), _("Time"), _("Share")],
            [
                [escape(g["group"]), duration(g["total_ms"]), percent(g["share"])]
                for g in part["groups"]
            ],
        )
        out.append("")
    return out


def _floor_total(part: Mapping[str, Any], translator: Translator) -> str:
    """'Floor time in all: 18:00, of which the panelists 16:00.'"""
    return render_template(
        N_("Floor time in all: {total}, of which the panelists {panel}."),
        {"total": duration(part["total_ms"]), "panel": duration(part["panel_total_ms"])},
        translator,
    )


def _participation(report: Mapping[str, Any], translator: Translator, zone: str) -> list[str]:
    _ = translator.gettext
    activity = report["activity"]
    part = report["questions"]
    out = [f"## {escape(_(TEXTS['Participation']))}", ""]
    asked = render_template(
        NP_("{n} question", "{n} questions"), {"n": part["counts"]["received"]}, translator
    )
    out.append(f"- {escape(asked)}: {_origins_line(part['origins'], translator)}")
    out.append(f"- {escape(_(TEXTS['Votes']))}: {_votes_line(part['votes'], translator)}")
    peak = busiest(activity)
    if peak is not None:
        minutes = activity["bucket_ms"] // 60_000
        start = clock_time(peak["start_ms"], zone)
        end = clock_time(peak["start_ms"] + activity["bucket_ms"], zone)
        text = render_template(
            NP_(
                "The busiest minute: {start}–{end} (questions: {questions}, votes: {votes}).",
                "The busiest {n} minutes: {start}–{end} (questions: {questions}, votes: {votes}).",
            ),
            {
                "n": minutes,
                "start": start,
                "end": end,
                "questions": sum(peak["questions"].values()),
                "votes": sum(peak["votes"].values()),
            },
            translator,
        )
        out.append(f"- {escape(text)}")
    out.append("")
    return out
