"""Geometry of the inline SVG charts in HTML reports; templates only draw what is computed here.

Six charts: horizontal bars of KPI scores with reference lines (target 100 and the score cap), vertical
bars of how many people earned each grade, the same bars side by side for several series (the grade mix
before and after a framework change), a small line of one employee's totals over time on shaded grade
bands, stacked columns of a team's grade mix per period, and a tornado of what 1% of each KPI's actual
is worth on the total. Sizes are in SVG user units (CSS pixels).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "Bar",
    "BarChart",
    "Column",
    "ColumnChart",
    "ColumnGroup",
    "GradeBand",
    "GroupedColumnChart",
    "MixChart",
    "MixColumn",
    "MixSegment",
    "Reference",
    "Tick",
    "TornadoBar",
    "TornadoChart",
    "TrendChart",
    "TrendPoint",
    "column_chart",
    "grade_colours",
    "grouped_column_chart",
    "mix_chart",
    "score_bar_chart",
    "tornado_chart",
    "trend_chart",
]

_ROW = 28.0
_BAR = 18.0
_TOP = 26.0
_BOTTOM = 26.0
_RIGHT = 56.0
_WIDTH = 720.0
_MAX_LABEL = 240.0


@dataclass(frozen=True)
class Tick:
    """An axis tick at ``x`` (or ``y``) with its label."""

    position: float
    label: str


@dataclass(frozen=True)
class Reference:
    """A vertical reference line at ``x`` with a caption; ``kind`` is ``target`` or ``cap``."""

    x: float
    label: str
    kind: str


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: ``label`` left of the plot, the bar from ``x`` with ``width``, ``value`` at its end.

    ``tone`` is ``good``, ``fair``, ``poor`` or ``veto``; ``title`` is the full text shown on hover.
    """

    label: str
    title: str
    y: float
    text_y: float
    width: float
    value: str
    value_x: float
    tone: str


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: the plot starts at ``plot_x`` and is ``plot_width`` wide."""

    width: float
    height: float
    plot_x: float
    plot_width: float
    plot_top: float
    plot_bottom: float
    bar_height: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class Column:
    """One vertical column: ``label`` under it, ``value`` above it."""

    label: str
    x: float
    y: float
    width: float
    height: float
    value: str
    tone: str


@dataclass(frozen=True)
class ColumnChart:
    """A vertical column chart with its baseline at ``baseline``."""

    width: float
    height: float
    plot_x: float
    plot_width: float
    baseline: float
    plot_top: float
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]


def text_width(text: str, size: float = 13.0) -> float:
    """An estimate of the rendered width of ``text``: CJK characters are square, Latin ones about half."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.56 for ch in text)


def _fit(text: str, width: float) -> str:
    if text_width(text) <= width:
        return text
    while text and text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _tone(score: float, veto: bool) -> str:
    if veto:
        return "veto"
    if score >= 100:
        return "good"
    if score >= 70:
        return "fair"
    return "poor"


def _step(top: float) -> float:
    for step in (10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0):
        if top / step <= 8:
            return step
    return float(10 ** math.ceil(math.log10(top / 8)))


def score_bar_chart(
    rows: Sequence[tuple[str, float, bool]],
    *,
    cap: float,
    target_label: str,
    cap_label: str,
    veto_label: str = "veto",
    value_format: str = "{:.1f}",
) -> BarChart:
    """Bars for ``(label, score, veto_breached)`` rows on an axis from 0 past ``cap`` and the top score.

    >>> chart = score_bar_chart([("GMV", 110.0, False)], cap=120, target_label="100", cap_label="120")
    >>> [r.kind for r in chart.references], chart.bars[0].tone
    (['target', 'cap'], 'good')
    """
    label_width = min(_MAX_LABEL, max((text_width(label) for label, _, _ in rows), default=40.0) + 12)
    plot_x = label_width
    plot_width = _WIDTH - plot_x - _RIGHT
    top_score = max([cap, 100.0, *(score for _, score, _ in rows)])
    step = _step(top_score)
    axis_max = math.ceil(top_score / step) * step
    scale = plot_width / axis_max
    bars = tuple(
        Bar(
            label=_fit(label, label_width - 12),
            title=f"{label}: {value_format.format(score)}",
            y=_TOP + i * _ROW + (_ROW - _BAR) / 2,
            text_y=_TOP + i * _ROW + _ROW / 2 + 4.5,
            width=max(0.0, score) * scale,
            value=value_format.format(score) + (f" · {veto_label}" if veto else ""),
            value_x=plot_x + max(0.0, score) * scale + 4,
            tone=_tone(score, veto),
        )
        for i, (label, score, veto) in enumerate(rows)
    )
    plot_bottom = _TOP + max(1, len(rows)) * _ROW
    ticks = tuple(
        Tick(plot_x + value * scale, f"{value:g}")
        for value in (step * k for k in range(int(axis_max / step) + 1))
    )
    references = [Reference(plot_x + 100 * scale, target_label, "target")]
    if cap != 100:
        references.append(Reference(plot_x + cap * scale, cap_label, "cap"))
    return BarChart(
        width=_WIDTH,
        height=plot_bottom + _BOTTOM,
        plot_x=plot_x,
        plot_width=plot_width,
        plot_top=_TOP,
        plot_bottom=plot_bottom,
        bar_height=_BAR,
        bars=bars,
        ticks=ticks,
        references=tuple(references),
    )


def column_chart(
    counts: Sequence[tuple[str, int, str]], *, total: int = 0, width: float = 560.0, height: float = 220.0
) -> ColumnChart:
    """Columns for ``(label, count, tone)``; the axis runs from 0 to the largest count (at least 1).

    With ``total`` each value also shows its share of it (``2 · 67%``).

    >>> chart = column_chart([("A", 2, "good"), ("B", 1, "fair")], total=3)
    >>> [c.value for c in chart.columns], chart.columns[0].height > chart.columns[1].height
    (['2 · 67%', '1 · 33%'], True)
    """
    plot_x, top, bottom = 36.0, 20.0, 28.0
    plot_width = width - plot_x - 8
    baseline = height - bottom
    top_count = max([1, *(count for _, count, _ in counts)])
    scale, ticks = _count_axis(top_count, baseline, top)
    slot = plot_width / max(1, len(counts))
    column_width = min(64.0, slot * 0.6)
    columns = tuple(
        Column(
            label=label,
            x=plot_x + i * slot + (slot - column_width) / 2,
            y=baseline - count * scale,
            width=column_width,
            height=count * scale,
            value=f"{count} · {round(100 * count / total)}%" if total else str(count),
            tone=tone,
        )
        for i, (label, count, tone) in enumerate(counts)
    )
    return ColumnChart(width, height, plot_x, plot_width, baseline, top, columns, ticks)


# --- trends ---------------------------------------------------------------------------------------

_RAMP = ("#2f855a", "#68a357", "#d69e2e", "#dd6b20", "#c53030")


def grade_colours(grades: Sequence[str]) -> dict[str, str]:
    """A colour per grade, spread from green (best, first) to red (worst, last).

    >>> grade_colours(["A", "B", "C"])
    {'A': '#2f855a', 'B': '#d69e2e', 'C': '#c53030'}
    """
    if len(grades) == 1:
        return {grades[0]: _RAMP[0]}
    last = len(_RAMP) - 1
    return {grade: _RAMP[round(i * last / (len(grades) - 1))] for i, grade in enumerate(grades)}


@dataclass(frozen=True)
class GradeBand:
    """A horizontal band of the trend chart: totals from ``low`` earn ``grade``; drawn from ``y`` down."""

    grade: str
    low: float
    y: float
    height: float
    colour: str
    label_y: float


@dataclass(frozen=True)
class TrendPoint:
    """One period of a trend line; ``title`` is the text shown on hover (period, total, grade)."""

    x: float
    y: float
    period: str
    title: str
    colour: str


@dataclass(frozen=True)
class TrendChart:
    """One employee's totals over consecutive periods; ``lines`` are SVG polyline point lists, one per run
    of periods without a gap."""

    width: float
    height: float
    plot_x: float
    plot_width: float
    plot_top: float
    plot_bottom: float
    bands: tuple[GradeBand, ...]
    lines: tuple[str, ...]
    points: tuple[TrendPoint, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]


def trend_chart(
    series: Sequence[tuple[str, float | None, str | None]],
    bands: Sequence[tuple[str, float]],
    *,
    width: float = 460.0,
    height: float = 160.0,
) -> TrendChart:
    """A line of ``(period, total or None for a gap, grade)`` over grade bands ``(grade, min)`` highest first.

    The axis runs from 0 to the largest of 120, the highest band minimum and the highest total, in steps
    of 20 (or more); periods are evenly spaced and a missing one breaks the line.

    >>> chart = trend_chart([("2026-09", 80.0, "C"), ("2026-10", None, None), ("2026-11", 95.0, "B")],
    ...                     [("A", 100), ("B", 85), ("C", 70), ("D", 0)])
    >>> len(chart.lines), len(chart.points), [band.grade for band in chart.bands]
    (0, 2, ['A', 'B', 'C', 'D'])
    """
    plot_x, right, top, bottom = 34.0, 22.0, 10.0, 24.0
    plot_width = width - plot_x - right
    plot_bottom = height - bottom
    values = [value for _, value, _ in series if value is not None]
    highest = max([120.0, *values, *(low for _, low in bands)])
    step = max(20.0, _step(highest))
    axis_max = math.ceil(highest / step) * step

    def y_of(value: float) -> float:
        return plot_bottom - max(0.0, min(value, axis_max)) / axis_max * (plot_bottom - top)

    colours = grade_colours([grade for grade, _ in bands]) if bands else {}
    drawn: list[GradeBand] = []
    upper = axis_max
    for grade, low in bands:
        if low >= upper:
            continue
        y_top, y_low = y_of(upper), y_of(max(low, 0.0))
        drawn.append(GradeBand(grade, low, y_top, y_low - y_top, colours[grade], (y_top + y_low) / 2 + 4))
        upper = low
    count = len(series)
    spacing = plot_width / (count - 1) if count > 1 else 0.0

    def x_of(index: int) -> float:
        return plot_x + index * spacing if count > 1 else plot_x + plot_width / 2

    points: list[TrendPoint] = []
    lines: list[str] = []
    run: list[str] = []
    for index, (period, value, earned) in enumerate(series):
        if value is None:
            if len(run) > 1:
                lines.append(" ".join(run))
            run = []
            continue
        x, y = x_of(index), y_of(value)
        run.append(f"{x:.1f},{y:.1f}")
        points.append(TrendPoint(x, y, period, f"{period}: {value:.1f} {earned or ''}".strip(),
                                 colours.get(earned or "", "#1f3a5f")))
    if len(run) > 1:
        lines.append(" ".join(run))
    every = max(1, math.ceil(count / 6))
    x_ticks = tuple(Tick(x_of(i), period) for i, (period, _, _) in enumerate(series) if i % every == 0
                    or i == count - 1)
    y_ticks = tuple(Tick(y_of(value), f"{value:g}") for value in
                    (step * k for k in range(int(axis_max / step) + 1)))
    return TrendChart(width, height, plot_x, plot_width, top, plot_bottom, tuple(drawn), tuple(lines),
                      tuple(points), x_ticks, y_ticks)


@dataclass(frozen=True)
class MixSegment:
    """One grade's part of a period's column: ``count`` people, drawn from ``y`` with ``height``."""

    grade: str
    count: int
    y: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class MixColumn:
    """One period of the grade-mix chart: its segments, best grade on top."""

    period: str
    x: float
    width: float
    size: int
    segments: tuple[MixSegment, ...]


@dataclass(frozen=True)
class MixChart:
    """Columns of 100% height per period, split by grade share, with a legend of the grades."""

    width: float
    height: float
    plot_x: float
    plot_width: float
    plot_top: float
    baseline: float
    columns: tuple[MixColumn, ...]
    legend: tuple[tuple[str, str, float], ...]


def mix_chart(
    mixes: Sequence[tuple[str, Sequence[tuple[str, int]]]], grades: Sequence[str], *, width: float = 620.0,
    height: float = 220.0,
) -> MixChart:
    """Stacked columns of ``(period, [(grade, count), …])``, each column the period's people as 100%.

    >>> chart = mix_chart([("2026-10", [("A", 1), ("B", 3)])], ["A", "B"])
    >>> [(s.grade, round(s.height)) for s in chart.columns[0].segments]
    [('A', 38), ('B', 114)]
    """
    plot_x, top, bottom, legend_height = 8.0, 24.0, 26.0, 18.0
    plot_width = width - 2 * plot_x
    baseline = height - bottom - legend_height
    colours = grade_colours(list(grades))
    slot = plot_width / max(1, len(mixes))
    column_width = min(56.0, slot * 0.62)
    columns = []
    for index, (period, counts) in enumerate(mixes):
        size = sum(count for _, count in counts)
        y = top
        segments = []
        for grade, count in counts:
            if not count:
                continue
            part = (baseline - top) * count / size
            share = round(100 * count / size)
            segments.append(MixSegment(grade, count, y, part, colours.get(grade, "#718096"),
                                       f"{period} {grade}: {count} ({share}%)"))
            y += part
        columns.append(MixColumn(period, plot_x + index * slot + (slot - column_width) / 2, column_width, size,
                                 tuple(segments)))
    legend = tuple((grade, colours[grade], plot_x + i * 48.0) for i, grade in enumerate(grades))
    return MixChart(width, height, plot_x, plot_width, top, baseline, tuple(columns), legend)


def _count_axis(top_count: int, baseline: float, top: float) -> tuple[float, tuple[Tick, ...]]:
    """Units per count, and whole-number ticks, for an axis from 0 at ``baseline`` to ``top_count`` at ``top``."""
    scale = (baseline - top) / top_count
    step = max(1, math.ceil(top_count / 5))
    return scale, tuple(Tick(baseline - value * scale, str(value)) for value in range(0, top_count + 1, step))


@dataclass(frozen=True)
class ColumnGroup:
    """The label under one group of side-by-side columns, centred at ``x``."""

    label: str
    x: float


@dataclass(frozen=True)
class GroupedColumnChart:
    """Vertical columns side by side, one per series in each group; ``series`` names them for the legend.

    Each column's ``tone`` is ``series-0``, ``series-1`` …, and its ``label`` the name of its series.
    """

    width: float
    height: float
    plot_x: float
    plot_width: float
    baseline: float
    plot_top: float
    columns: tuple[Column, ...]
    groups: tuple[ColumnGroup, ...]
    ticks: tuple[Tick, ...]
    series: tuple[str, ...]


def grouped_column_chart(
    groups: Sequence[tuple[str, Sequence[int]]],
    *,
    series: Sequence[str],
    width: float = 560.0,
    height: float = 240.0,
) -> GroupedColumnChart:
    """Side-by-side columns for ``(group label, counts per series)``, one axis from 0 to the largest count.

    >>> chart = grouped_column_chart([("A", [1, 3]), ("B", [2, 0])], series=["before", "after"])
    >>> [(c.label, c.value) for c in chart.columns], [g.label for g in chart.groups]
    ([('before', '1'), ('after', '3'), ('before', '2'), ('after', '0')], ['A', 'B'])
    """
    plot_x, top, bottom = 36.0, 24.0, 28.0
    plot_width = width - plot_x - 8
    baseline = height - bottom
    top_count = max([1, *(count for _, counts in groups for count in counts)])
    scale, ticks = _count_axis(top_count, baseline, top)
    slot = plot_width / max(1, len(groups))
    per_group = max(1, len(series))
    column_width = min(40.0, slot * 0.8 / per_group)
    columns: list[Column] = []
    centres: list[ColumnGroup] = []
    for i, (label, counts) in enumerate(groups):
        left = plot_x + i * slot + (slot - column_width * per_group) / 2
        centres.append(ColumnGroup(label, plot_x + i * slot + slot / 2))
        for k, count in enumerate(counts):
            columns.append(Column(
                label=series[k] if k < len(series) else "",
                x=left + k * column_width,
                y=baseline - count * scale,
                width=column_width,
                height=count * scale,
                value=str(count),
                tone=f"series-{k}",
            ))
    return GroupedColumnChart(width, height, plot_x, plot_width, baseline, top, tuple(columns), tuple(centres), ticks,
                              tuple(series))


@dataclass(frozen=True)
class TornadoBar:
    """One row of a tornado chart: the loss for a worse actual to the left of the centre line, the gain for a
    better one to the right, each with its value at the bar's end."""

    label: str
    title: str
    y: float
    text_y: float
    left_x: float
    left_width: float
    left_value: str
    left_value_x: float
    right_width: float
    right_value: str
    right_value_x: float


@dataclass(frozen=True)
class TornadoChart:
    """A tornado chart: bars from the centre line at ``center``, widest first."""

    width: float
    height: float
    plot_x: float
    plot_width: float
    center: float
    plot_top: float
    plot_bottom: float
    bar_height: float
    bars: tuple[TornadoBar, ...]
    worse_label: str
    better_label: str


def tornado_chart(
    rows: Sequence[tuple[str, float, float]],
    *,
    worse_label: str,
    better_label: str,
    value_format: str = "{:+.2f}",
) -> TornadoChart:
    """A tornado of ``(label, change for worse, change for better)`` rows, the largest swing at the top.

    The worse change (0 or negative) is drawn left of the centre, the better one right of it, on one
    scale: the largest absolute change fills half the plot.

    >>> chart = tornado_chart([("GMV", -0.3, 0.3), ("Margin", -0.1, 0.2)], worse_label="-1%", better_label="+1%")
    >>> [bar.label for bar in chart.bars], chart.bars[0].right_width > chart.bars[1].right_width
    (['GMV', 'Margin'], True)
    """
    ordered = sorted(rows, key=lambda row: -max(abs(row[1]), abs(row[2])))
    label_width = min(_MAX_LABEL, max((text_width(label) for label, _, _ in rows), default=40.0) + 12)
    plot_x = label_width
    plot_width = _WIDTH - plot_x - 8
    center = plot_x + plot_width / 2
    half = plot_width / 2 - _RIGHT
    largest = max([abs(value) for _, down, up in ordered for value in (down, up)] + [0.0])
    scale = half / largest if largest > 0 else 0.0
    bars = []
    for i, (label, down, up) in enumerate(ordered):
        left = abs(min(0.0, down)) * scale
        right = max(0.0, up) * scale
        bars.append(
            TornadoBar(
                label=_fit(label, label_width - 12),
                title=f"{label}: {value_format.format(down)} / {value_format.format(up)}",
                y=_TOP + i * _ROW + (_ROW - _BAR) / 2,
                text_y=_TOP + i * _ROW + _ROW / 2 + 4.5,
                left_x=center - left,
                left_width=left,
                left_value=value_format.format(down),
                left_value_x=center - left - 4,
                right_width=right,
                right_value=value_format.format(up),
                right_value_x=center + right + 4,
            )
        )
    plot_bottom = _TOP + max(1, len(ordered)) * _ROW
    return TornadoChart(
        width=_WIDTH,
        height=plot_bottom + _BOTTOM,
        plot_x=plot_x,
        plot_width=plot_width,
        center=center,
        plot_top=_TOP,
        plot_bottom=plot_bottom,
        bar_height=_BAR,
        bars=tuple(bars),
        worse_label=worse_label,
        better_label=better_label,
    )
