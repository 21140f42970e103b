"""The session report's charts, drawn here as inline SVG: no library, no network, no script, so
the page prints and works offline, and a chart is only ever as wide as its page.

Each function takes numbers and labels already in the reader's language and returns SVG markup
with every text escaped. A chart has a ``viewBox`` and no fixed size (CSS gives it the page's
width), ``role="img"`` and a ``<title>`` that says what it shows; the exact numbers are in the
table beside it, where truncated labels are whole. Colours come from classes the stylesheet
gives CSS variables to (the presentation attributes are a fallback); each series also has its
own pattern and a legend, so no colour is the only way to tell them apart. With ``rtl`` a chart
is mirrored: labels on the right, bars growing to the left, time running right to left.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Narrow enough that a phone still reads the text (about 11 px on a 360 px screen) while a
# wide screen shows the chart no wider than the stylesheet lets it (about 19 px).
WIDTH = 420
FONT = 14
# Rough advance of one narrow character at FONT, in viewBox units; a wide one (Chinese) is two.
CHAR = 7.6
LABEL_UNITS = 52  # the longest label drawn, in narrow characters
VALUE_SPACE = 120  # room kept after the longest bar for its value
BAR = 14
# The fallback colours (the stylesheet's variables override them); AA against white.
COLOURS = ("#005a9c", "#8a4f00", "#1b6e35", "#6d28d9", "#b3261e")
PATTERNS = ("solid", "hatch", "dots", "cross", "back-hatch")


@dataclass(frozen=True)
class Series:
    """One named row of values (a legend entry): one value per category."""

    name: str
    values: Sequence[float]


def units(text: str) -> float:
    """How many narrow characters ``text`` is as wide as (East Asian wide ones count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, limit: float = LABEL_UNITS) -> str:
    """``text`` cut to ``limit`` narrow characters, with an ellipsis when something was cut."""
    if units(text) <= limit:
        return text
    kept, used = [], 0.0
    for char in text:
        width = units(char)
        if used + width > limit - 1:
            break
        kept.append(char)
        used += width
    return "".join(kept).rstrip() + "…"


def _num(value: float) -> str:
    """A coordinate, short and stable (no '1e-05', no '-0')."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Canvas:
    """SVG elements placed in logical coordinates: ``x`` from the start side of the reading
    direction, mirrored for right-to-left."""

    def __init__(self, chart_id: str, *, rtl: bool) -> None:
        self.id = chart_id
        self.rtl = rtl
        self.parts: list[str] = []

    def x(self, x: float, width: float = 0) -> float:
        return WIDTH - x - width if self.rtl else x

    def rect(self, x: float, y: float, w: float, h: float, css: str, fill: str) -> None:
        w = max(0.0, w)
        self.parts.append(
            f'<rect x="{_num(self.x(x, w))}" y="{_num(y)}" width="{_num(w)}" height="{_num(h)}"'
            f' class="{css}" fill="{fill}"/>'
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, css: str) -> None:
        self.parts.append(
            f'<line x1="{_num(self.x(x1))}" y1="{_num(y1)}" x2="{_num(self.x(x2))}"'
            f' y2="{_num(y2)}" class="{css}" stroke="#1b2330"/>'
        )

    def text(
        self,
        x: float,
        y: float,
        content: str,
        css: str,
        *,
        anchor: str = "start",
        full: str | None = None,
        numeric: bool = False,
    ) -> None:
        """Text whose ``anchor`` is logical (start: the side the reading begins on). Numbers
        are always laid out left to right, so '+2:30' keeps its sign in front."""
        if numeric:
            physical = {"start": "end", "end": "start"}.get(anchor, anchor) if self.rtl else anchor
            attrs = f'text-anchor="{physical}" direction="ltr"'
        else:
            attrs = f'text-anchor="{anchor}" direction="{"rtl" if self.rtl else "ltr"}"'
        tip = f"<title>{escape(full)}</title>" if full and full != content else ""
        self.parts.append(
            f'<text x="{_num(self.x(x))}" y="{_num(y)}" class="{css}" {attrs}'
            f' font-size="{FONT}" fill="#1b2330">{tip}{escape(content)}</text>'
        )

    def fill(self, series: int) -> str:
        return f"url(#{self.id}-p{series % len(PATTERNS)})"

    def legend(self, y: float, names: Sequence[str], *, first: int = 0) -> float:
        """Swatches and names on one line or more from ``y``; the y after them."""
        x = 0.0
        for k, name in enumerate(names):
            shown = fit(name, 24)
            width = 22 + units(shown) * CHAR + 18
            if x > 0 and x + width > WIDTH:
                x, y = 0.0, y + FONT + 8
            self.rect(x, y, 16, 14, f"swatch s{(first + k) % len(COLOURS)}", self.fill(first + k))
            self.text(x + 22, y + 12, shown, "legend", full=name)
            x += width
        return y + FONT + 12

    def defs(self) -> str:
        """One pattern per series: a colour and a texture, so print in grey still tells them
        apart."""
        out = []
        for k, kind in enumerate(PATTERNS):
            colour = COLOURS[k % len(COLOURS)]
            base = f'<rect width="8" height="8" class="fill s{k}" fill="{colour}"/>'
            mark = {
                "solid": "",
                "hatch": '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#fff"'
                ' stroke-width="1.6"/>',
                "dots": '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
                "cross": '<path d="M0,4 h8 M4,0 v8" stroke="#fff" stroke-width="1.4"/>',
                "back-hatch": '<path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" stroke="#fff"'
                ' stroke-width="1.6"/>',
            }[kind]
            out.append(
                f'<pattern id="{self.id}-p{k}" width="8" height="8"'
                f' patternUnits="userSpaceOnUse">{base}{mark}</pattern>'
            )
        over = (
            f'<pattern id="{self.id}-over" width="8" height="8" patternUnits="userSpaceOnUse">'
            '<rect width="8" height="8" class="fill over" fill="#b3261e"/>'
            '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#fff" stroke-width="1.6"/>'
            "</pattern>"
        )
        return f"<defs>{''.join(out)}{over}</defs>"

    def svg(self, title: str, height: float, kind: str) -> Markup:
        return Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" id="{self.id}"'
            f' viewBox="0 0 {WIDTH} {_num(height)}" width="100%" role="img"'
            f' aria-labelledby="{self.id}-title" preserveAspectRatio="xMidYMin meet">'
            f'<title id="{self.id}-title">{escape(title)}</title>{self.defs()}'
            f"{''.join(self.parts)}</svg>"
        )


def _scale(values: Sequence[float], room: float) -> Callable[[float], float]:
    """Value to length: the largest fills ``room``; any non-zero value gets at least a sliver,
    so a small one next to a huge one still shows."""
    top = max((v for v in values if math.isfinite(v)), default=0)
    if top <= 0:
        return lambda _v: 0.0
    return lambda v: 0.0 if not v or v <= 0 else max(1.5, room * min(v, top) / top)


def horizontal_bars(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    value_text: Callable[[float], str],
    *,
    markers: Sequence[float | None] | None = None,
    marker_name: str = "",
    rtl: bool = False,
) -> Markup:
    """Horizontal bars: for each label (written above its bars, full width), one bar per series,
    its value written after it; ``markers`` adds a tick per label (a target) named in the
    legend as ``marker_name``."""
    canvas = _Canvas(chart_id, rtl=rtl)
    names = [s.name for s in series]
    y = canvas.legend(4, names) if len(series) > 1 else 4.0
    if markers is not None and any(m is not None for m in markers):
        canvas.line(6, y + 2, 6, y + 16, "marker")
        canvas.text(18, y + 14, marker_name, "legend")
        y += FONT + 12
    room = WIDTH - VALUE_SPACE
    every = [v for s in series for v in s.values] + [m for m in markers or () if m is not None]
    length = _scale(every, room)
    for row, label in enumerate(labels):
        y += FONT + 4
        canvas.text(0, y, fit(label), "label", full=label)
        y += 6
        top = y
        marker = markers[row] if markers is not None and row < len(markers) else None
        at = None if marker is None else length(marker)
        for k, s in enumerate(series):
            value = s.values[row] if row < len(s.values) else 0
            w = length(value)
            canvas.rect(0, y, w, BAR, f"bar s{k % len(COLOURS)}", canvas.fill(k))
            # The value after the bar, and after the marker when that is further: never under it.
            after = max(w, at + 2 if at is not None else 0)
            canvas.text(after + 6, y + BAR - 2, value_text(value), "value", numeric=True)
            y += BAR + 3
        if at is not None:
            canvas.line(at, top - 3, at, y, "marker")
        y += 8
    return canvas.svg(title, y + 4, "bars")


def agenda(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    planned_ms: Sequence[int],
    actual_ms: Sequence[int | None],
    *,
    planned_name: str,
    actual_name: str,
    over_name: str,
    value_text: Callable[[int], str],
    not_run: str,
    rtl: bool = False,
) -> Markup:
    """The agenda planned against actual: per segment a planned bar and an actual one, the
    time beyond the plan in a hatched red, the plan's end marked across the actual bar."""
    canvas = _Canvas(chart_id, rtl=rtl)
    y = canvas.legend(4, [planned_name, actual_name])
    canvas.rect(0, y, 16, 14, "swatch over", f"url(#{chart_id}-over)")
    canvas.text(22, y + 12, over_name, "legend")
    y += FONT + 12
    length = _scale([*planned_ms, *(a or 0 for a in actual_ms)], WIDTH - VALUE_SPACE)
    for row, label in enumerate(labels):
        planned = planned_ms[row]
        actual = actual_ms[row] if row < len(actual_ms) else None
        y += FONT + 4
        canvas.text(0, y, fit(label), "label", full=label)
        y += 6
        top = y
        w = length(planned)
        canvas.rect(0, y, w, BAR, "bar s0", canvas.fill(0))
        canvas.text(w + 6, y + BAR - 2, value_text(planned), "value", numeric=True)
        y += BAR + 3
        if actual is None:
            canvas.text(0, y + BAR - 2, not_run, "value muted")
        else:
            inside = length(min(actual, planned))
            canvas.rect(0, y, inside, BAR, "bar s1", canvas.fill(1))
            if actual > planned:
                canvas.rect(
                    inside, y, length(actual) - inside, BAR, "bar over", f"url(#{chart_id}-over)"
                )
            drift = actual - planned
            note = value_text(actual)
            if drift:
                note += f" ({'+' if drift > 0 else '−'}{value_text(abs(drift))})"
            canvas.text(length(actual) + 6, y + BAR - 2, note, "value", numeric=True)
            canvas.line(w, top - 2, w, y + BAR + 2, "marker")
        y += BAR + 11
    return canvas.svg(title, y + 4, "agenda")


def columns(
    chart_id: str,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    rtl: bool = False,
) -> Markup:
    """Stacked columns over time (one per bucket, the series stacked with their patterns), a
    few of the ``x_labels`` written under them and the scale's top on the side."""
    canvas = _Canvas(chart_id, rtl=rtl)
    y = canvas.legend(4, [s.name for s in series])
    count = max(len(x_labels), 1)
    totals = [sum(s.values[k] for s in series if k < len(s.values)) for k in range(count)]
    top = _nice(max(totals, default=0))
    axis = 44  # room for the scale's numbers
    plot_top, plot_height = y + 8, 140.0
    base = plot_top + plot_height
    step = (WIDTH - axis - 4) / count
    gap = min(2.0, step * 0.2)
    for tick in (0, top // 2, top) if top else (0,):
        ty = base - plot_height * (tick / top if top else 0)
        canvas.line(axis, ty, WIDTH, ty, "grid")
        canvas.text(axis - 6, ty + 5, str(tick), "value", anchor="end", numeric=True)
    for k in range(count):
        at = base
        for n, s in enumerate(series):
            value = s.values[k] if k < len(s.values) else 0
            h = plot_height * value / top if top else 0
            if h:
                canvas.rect(axis + k * step + gap / 2, at - h, step - gap, h, "bar", canvas.fill(n))
            at -= h
    every = max(1, math.ceil(count / 6))
    for k in range(0, len(x_labels), every):
        canvas.line(axis + (k + 0.5) * step, base, axis + (k + 0.5) * step, base + 4, "axis")
        canvas.text(axis + (k + 0.5) * step, base + 20, x_labels[k], "tick", anchor="middle")
    canvas.line(axis, base, WIDTH, base, "axis")
    return canvas.svg(title, base + 30, "columns")


def _nice(value: float) -> int:
    """A round top for a scale at least ``value``: 1, 2, 5, 10, 20, 50... (even, for halves)."""
    if value <= 0:
        return 0
    if value <= 2:
        return 2
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= value:
            return int(factor * magnitude) if factor * magnitude >= 2 else 2
    return int(10 * magnitude)
