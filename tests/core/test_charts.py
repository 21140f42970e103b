"""The report's SVG charts (moderator/web/charts.py): well-formed, text escaped, scaled by their
viewBox, sensible with no data and with one value far larger than the others, mirrored for
right to left."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from moderator.web import charts
from moderator.web.charts import Series

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '</svg><script>alert("x")</script>&amp; <b>'


def parse(markup) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def bars(root: ET.Element, css: str = "bar") -> list[ET.Element]:
    """The bars (not the legend's swatches) that have the class ``css``."""
    return [
        r for r in root.iter(f"{SVG}rect") if {"bar", css} <= set((r.get("class") or "").split())
    ]


def width_of(root: ET.Element) -> float:
    return float(root.get("viewBox", "").split()[2])


def bar_chart(labels, values, **kw):
    return charts.horizontal_bars(
        "c", "A title", labels, [Series("Count", values)], lambda v: str(int(v)), **kw
    )


def agenda_chart(labels, planned, actual, **kw):
    return charts.agenda(
        "a",
        "Agenda",
        labels,
        planned,
        actual,
        planned_name="Planned",
        actual_name="Actual",
        over_name="Over",
        value_text=lambda ms: f"{ms // 60_000}:00",
        not_run="not run",
        **kw,
    )


def every_chart(label: str, value: float = 3):
    yield bar_chart([label, "Other"], [value, 1])
    yield agenda_chart([label, "Other"], [600_000, 300_000], [int(value) * 60_000, None])
    yield charts.columns("t", label, ["14:00", "14:01"], [Series(label, [value, 0])])


@pytest.mark.parametrize("chart", list(every_chart("Title")), ids=["bars", "agenda", "columns"])
def test_every_chart_is_well_formed_scales_and_says_what_it_shows(chart):
    root = parse(chart)
    assert root.get("viewBox", "").startswith("0 0 ")
    assert root.get("width") == "100%" and root.get("height") is None
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text
    assert root.get("aria-labelledby") == title.get("id")


@pytest.mark.parametrize("chart", list(every_chart(HOSTILE)), ids=["bars", "agenda", "columns"])
def test_text_is_escaped_never_markup(chart):
    root = parse(chart)  # a raw </svg> would have ended the document early
    assert root.find(f".//{SVG}script") is None and root.find(f".//{SVG}b") is None
    assert "<script>" not in str(chart)
    every = "".join(root.itertext())
    assert "</svg><script>" in every or "</svg><scr" in every


def test_the_chart_title_is_escaped_too():
    root = parse(charts.horizontal_bars("c", HOSTILE, ["a"], [Series("n", [1])], str))
    assert "<script>" in root.find(f"{SVG}title").text


@pytest.mark.parametrize(
    "chart",
    [
        bar_chart([], []),
        bar_chart(["a", "b"], [0, 0]),
        agenda_chart([], [], []),
        agenda_chart(["a"], [0], [None]),
        charts.columns("t", "Nothing", [], [Series("x", [])]),
        charts.columns("t", "Zeros", ["14:00", "14:01"], [Series("x", [0, 0])]),
    ],
    ids=["no-bars", "zero-bars", "no-segments", "zero-segment", "no-columns", "zero-columns"],
)
def test_no_data_draws_an_empty_chart_not_an_error(chart):
    root = parse(chart)
    for rect in bars(root):
        assert float(rect.get("width")) == 0 or float(rect.get("height")) == 0


def test_one_huge_value_fills_the_width_and_the_small_ones_still_show():
    root = parse(bar_chart(["huge", "small", "none"], [10**12, 1, 0]))
    widths = [float(r.get("width")) for r in bars(root)]
    huge, small, none = widths
    assert 0 < huge <= width_of(root) - charts.VALUE_SPACE
    assert 0 < small < 5 and none == 0
    for rect in root.iter(f"{SVG}rect"):
        assert float(rect.get("x", 0)) + float(rect.get("width", 0)) <= width_of(root)
    assert "1000000000000" in texts(root)


def test_huge_columns_stay_inside_the_chart():
    root = parse(charts.columns("t", "T", ["a", "b"], [Series("x", [10**9, 1])]))
    height = float(root.get("viewBox").split()[3])
    for rect in bars(root):
        assert (
            float(rect.get("y")) >= 0 and float(rect.get("y")) + float(rect.get("height")) <= height
        )


def test_overtime_is_drawn_beyond_the_plan_and_a_segment_not_run_says_so():
    root = parse(agenda_chart(["Late", "Skipped"], [600_000, 600_000], [900_000, None]))
    [over] = bars(root, "over")
    planned, actual = bars(root)[0], bars(root)[1]
    assert float(over.get("x")) == pytest.approx(float(planned.get("width")))
    assert float(actual.get("width")) == pytest.approx(float(planned.get("width")))
    assert "not run" in texts(root)
    assert any("+5:00" in t for t in texts(root))


def test_long_labels_are_cut_with_the_full_text_kept_as_a_tooltip():
    long = "A very long theme title " * 10
    root = parse(bar_chart([long], [1]))
    label = next(t for t in root.iter(f"{SVG}text") if t.get("class") == "label")
    shown = "".join(label.itertext())
    assert shown.endswith("…") and charts.units(label.find(f"{SVG}title").tail or "") <= 60
    assert label.find(f"{SVG}title").text == long


def test_wide_characters_count_double_when_cutting():
    assert charts.units("会议") == 4
    assert charts.fit("会" * 40, 20) == "会" * 9 + "…"
    assert charts.fit("short") == "short"


def test_right_to_left_mirrors_the_bars_and_sets_the_text_direction():
    ltr = parse(bar_chart(["عنوان المحور"], [5]))
    rtl = parse(bar_chart(["عنوان المحور"], [5], rtl=True))
    [ltr_bar], [rtl_bar] = bars(ltr), bars(rtl)
    assert float(ltr_bar.get("x")) == 0
    assert float(rtl_bar.get("x")) + float(rtl_bar.get("width")) == pytest.approx(width_of(rtl))
    label = next(t for t in rtl.iter(f"{SVG}text") if t.get("class") == "label")
    assert label.get("direction") == "rtl" and float(label.get("x")) == width_of(rtl)
    value = next(t for t in rtl.iter(f"{SVG}text") if t.get("class") == "value")
    assert value.get("direction") == "ltr"


def test_each_series_has_its_own_pattern_and_a_legend_entry():
    root = parse(
        charts.horizontal_bars(
            "g", "T", ["a"], [Series("One", [1]), Series("Two", [2])], lambda v: str(v)
        )
    )
    fills = {r.get("fill") for r in bars(root)}
    assert len(fills) == 2 and all(f.startswith("url(#g-p") for f in fills)
    assert {"One", "Two"} <= set(texts(root))


def test_a_target_marker_is_drawn_where_the_target_is():
    root = parse(bar_chart(["a", "b"], [100, 50], markers=[None, 100], marker_name="Target"))
    markers = [line for line in root.iter(f"{SVG}line") if line.get("class") == "marker"]
    # One in the legend, one on the second row, at the first row's full length.
    assert len(markers) == 2
    assert float(markers[1].get("x1")) == pytest.approx(float(bars(root)[0].get("width")))
    assert "Target" in texts(root)
