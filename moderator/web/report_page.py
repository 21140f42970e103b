"""What the report page shows, from ``report.build``'s data: the texts in the reader's language,
durations and times written out, and the charts drawn (``moderator/web/charts.py``). The
template only lays it out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from moderator.core import report_markdown as fmt
from moderator.core.languages import localized
from moderator.core.report import ORIGINS, VOTE_ORIGINS
from moderator.web import charts
from moderator.web.charts import Series


class _PageTranslator:
    """The current request's gettext, as the Markdown helpers take it."""

    def gettext(self, message: str) -> str:
        return str(_(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(ngettext(singular, plural, n))


def origin_names() -> dict[str, str]:
    """Each origin named in the page's language."""
    return {key: _(name) for key, name in fmt.ORIGIN_NAMES.items()}


def status_names() -> dict[str, str]:
    """Each count's name in the page's language."""
    return {key: _(name) for key, name in fmt.STATUS_NAMES.items()}


def page_view(report: Mapping[str, Any], lang: str, *, rtl: bool) -> dict[str, Any]:
    """Everything the page shows, in ``lang`` (``rtl``: the charts mirrored)."""
    event = report["event"]
    default = event.get("language") or "en"
    zone = event.get("timezone") or "UTC"

    def text(value: str, translations: Mapping[str, str]) -> tuple[str, str]:
        return localized(value, translations, lang, default)

    return {
        "generated": fmt.date_time(report["generated_ms"], zone),
        "origins": origin_names(),
        "statuses": status_names(),
        "agenda": _agenda(report["agenda"], text, rtl=rtl),
        "themes": _themes(report, text, rtl=rtl),
        "speaking": _speaking(report["speaking"], rtl=rtl),
        "activity": _activity(report["activity"], zone, rtl=rtl),
        "busiest": _busiest(report["activity"], zone),
    }


def _agenda(agenda: Mapping[str, Any], text: Any, *, rtl: bool) -> dict[str, Any]:
    rows = []
    for segment in agenda["segments"]:
        title, title_lang = text(segment["title"], segment.get("titles", {}))
        rows.append(
            {
                "title": title,
                "title_lang": title_lang,
                "planned": fmt.duration(segment["planned_ms"]),
                "actual": fmt.duration(segment["actual_ms"]),
                "ran": segment["actual_ms"] is not None,
                "drift": fmt.signed(segment["drift_ms"]),
                "over": (segment["drift_ms"] or 0) > 0,
            }
        )
    drift = fmt.signed(agenda["drift_ms"])
    title = _("Agenda, planned against actual; overall drift %(drift)s", drift=drift)
    chart = charts.agenda(
        "chart-agenda",
        title,
        [r["title"] for r in rows],
        [s["planned_ms"] for s in agenda["segments"]],
        [s["actual_ms"] for s in agenda["segments"]],
        planned_name=_("Planned"),
        actual_name=_("Actual"),
        over_name=_("Beyond the plan"),
        value_text=fmt.duration,
        not_run=_("not run"),
        rtl=rtl,
    )
    return {
        "rows": rows,
        "chart": chart,
        "drift": drift,
        "ran_planned": fmt.duration(agenda["ran_planned_ms"]),
        "ran_actual": fmt.duration(agenda["ran_actual_ms"]),
        "planned": fmt.duration(agenda["planned_ms"]),
    }


def _themes(report: Mapping[str, Any], text: Any, *, rtl: bool) -> dict[str, Any]:
    themes = []
    for theme in report["themes"]:
        title, title_lang = text(theme["title"], theme.get("titles", {}))
        guiding = []
        for item in theme["guiding_questions"]:
            question, question_lang = text(item["text"], item.get("texts", {}))
            guiding.append({**item, "text": question, "text_lang": question_lang})
        themes.append(
            {
                **theme,
                "title": title,
                "title_lang": title_lang,
                "guiding_questions": guiding,
                # A theme nobody asked in and with no guiding question gets no section.
                "detailed": bool(theme["counts"]["received"] or guiding),
            }
        )
    names = status_names()
    shown = ("received", "published", "answered")
    # The chart leaves out the themes nobody asked in (the table lists them with their zeros).
    drawn = [t for t in themes if t["counts"]["received"]] or themes
    chart = charts.horizontal_bars(
        "chart-themes",
        _("Questions per theme: received, published and answered"),
        [t["title"] for t in drawn],
        [Series(names[key], [t["counts"][key] for t in drawn]) for key in shown],
        lambda v: str(int(v)),
        rtl=rtl,
    )
    return {"rows": themes, "chart": chart, "any": report["questions"]["counts"]["received"] > 0}


def _speaking(part: Mapping[str, Any], *, rtl: bool) -> dict[str, Any]:
    translator = _PageTranslator()
    rows = [
        {
            **row,
            "name": fmt.speaker_name(row, translator),
            "time": fmt.duration(row["total_ms"]),
            "share_text": fmt.percent(row["share"]),
            "panel_share_text": fmt.percent(row["panel_share"]),
            "target_text": fmt.percent(row["target"]),
            "gap_text": fmt.gap(row["gap"]),
        }
        for row in part["speakers"]
    ]
    # A panelist's target as floor time: their target share of the panelists' time.
    targets = [
        None if row["target"] is None else part["panel_total_ms"] * row["target"] / 100
        for row in rows
    ]
    speakers_chart = charts.horizontal_bars(
        "chart-speakers",
        _("Speaking time per speaker, with each panelist's target"),
        [r["name"] for r in rows],
        [Series(_("Speaking time"), [r["total_ms"] for r in rows])],
        lambda v: _share_text(v, part["total_ms"]),
        markers=targets,
        marker_name=_("Target (share of the panelists' time)"),
        rtl=rtl,
    )
    groups = [
        {**g, "time": fmt.duration(g["total_ms"]), "share_text": fmt.percent(g["share"])}
        for g in part["groups"]
    ]
    grouped = sum(g["total_ms"] for g in groups)
    equal = grouped / len(groups) if groups else None
    groups_chart = (
        charts.horizontal_bars(
            "chart-groups",
            _("Speaking time per group, with an equal share marked"),
            [g["group"] for g in groups],
            [Series(_("Speaking time"), [g["total_ms"] for g in groups])],
            lambda v: _share_text(v, grouped),
            markers=[equal] * len(groups),
            marker_name=_("Equal share"),
            rtl=rtl,
        )
        if groups
        else Markup("")
    )
    return {
        "rows": rows,
        "groups": groups,
        "chart": speakers_chart,
        "groups_chart": groups_chart,
        "total": fmt.duration(part["total_ms"]),
        "panel_total": fmt.duration(part["panel_total_ms"]),
        "any": part["total_ms"] > 0,
        "equal_share": fmt.percent(round(100 / len(groups), 1)) if groups else "",
    }


def _share_text(ms: float, whole: int) -> str:
    share = "" if whole <= 0 else f" · {round(100 * ms / whole, 1):g}%"
    return fmt.duration(int(ms)) + share


def _activity(activity: Mapping[str, Any], zone: str, *, rtl: bool) -> dict[str, Any]:
    buckets = activity["buckets"]
    labels = [fmt.clock_time(b["start_ms"], zone) for b in buckets]
    origins = origin_names()
    questions_chart = charts.columns(
        "chart-questions-time",
        _("Questions over time, by origin"),
        labels,
        [Series(origins[o], [b["questions"][o] for b in buckets]) for o in ORIGINS],
        rtl=rtl,
    )
    votes_chart = charts.columns(
        "chart-votes-time",
        _("Votes over time, by origin"),
        labels,
        [Series(origins[o], [b["votes"][o] for b in buckets]) for o in VOTE_ORIGINS],
        rtl=rtl,
    )
    rows = [
        {
            "start": label,
            "end": fmt.clock_time(b["start_ms"] + activity["bucket_ms"], zone),
            "questions": b["questions"],
            "votes": b["votes"],
            "total_questions": sum(b["questions"].values()),
            "total_votes": sum(b["votes"].values()),
        }
        for label, b in zip(labels, buckets, strict=True)
        if any(b["questions"].values()) or any(b["votes"].values())
    ]
    return {
        "rows": rows,
        "questions_chart": questions_chart,
        "votes_chart": votes_chart,
        "minutes": activity["bucket_ms"] // 60_000,
        "any": bool(rows),
        "buckets": len(buckets),
    }


def _busiest(activity: Mapping[str, Any], zone: str) -> str:
    peak = fmt.busiest(activity)
    if peak is None:
        return ""
    return fmt.clock_time(peak["start_ms"], zone)


def markdown(report: Mapping[str, Any], lang: str) -> str:
    """The report as Markdown in the current request's language."""
    return fmt.render(report, _PageTranslator(), lang)
