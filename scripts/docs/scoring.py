"""Worked examples and charts of the scoring pages, computed by the real scoring engine.

Inputs come from ``docs/scoring/examples.yaml``. For each scoring method the page shows the KPI entry,
a table of worked examples and a chart. The *score* column is what :func:`ecomperf.scoring.methods.score_value`
returns; the *calculation* column writes the method's formula out with the same numbers, computed here
independently, so a reader can follow it by hand. ``tests/docs/test_scoring_examples.py`` checks that
the two always agree, which keeps the formulas on the page true to the engine.

Scorecards, roll-ups, improvement-plan flags and the distribution report are computed the same way,
on ``examples/mini-framework``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml
from pydantic import TypeAdapter

from scripts.docs import svg
from scripts.docs._common import DOCS, EXAMPLES, fence

EXAMPLES_FILE = DOCS / "scoring" / "examples.yaml"
"""The inputs of every worked example."""

FRAMEWORK = EXAMPLES / "mini-framework"
"""The framework the scorecard examples use."""

CHART_FOLDER = "scoring/charts"
"""Where the generated SVG charts go in the site."""


@cache
def examples() -> dict[str, Any]:
    """The parsed ``examples.yaml``."""
    data: dict[str, Any] = yaml.safe_load(EXAMPLES_FILE.read_text(encoding="utf-8"))
    return data


@cache
def framework() -> Any:
    """``examples/mini-framework``, loaded."""
    import ecomperf

    return ecomperf.load(FRAMEWORK)


# --- one method ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Worked:
    """One worked example: the engine's result and the hand calculation."""

    actual: float
    score: float
    achievement: float | None
    breached: bool
    note: str | None
    calculation: str
    by_hand: float


@dataclass(frozen=True)
class MethodExample:
    """A method's example KPI: entry, target, direction and unit."""

    name: str
    title: str
    kpi: str
    unit: str
    direction: str
    target_text: str
    scoring_spec: Any
    actuals: tuple[float, ...]
    chart: tuple[float, float]

    @property
    def method(self) -> Any:
        """The parsed scoring method."""
        from ecomperf.model import ScoringMethod

        return TypeAdapter(ScoringMethod).validate_python(self.scoring_spec)

    @property
    def target(self) -> Any:
        """The parsed target."""
        from ecomperf.targets import parse_target

        return parse_target(self.target_text)

    def show(self, value: float) -> str:
        """``value`` in the metric's unit (``22%``, ``24h``)."""
        from ecomperf.targets import format_quantity

        return format_quantity(value, self.unit)


def method_example(name: str) -> MethodExample:
    """The example of method ``name`` from ``examples.yaml``."""
    data = examples()["methods"][name]
    return MethodExample(
        name=name,
        title=data["title"],
        kpi=data["kpi"],
        unit=data["unit"],
        direction=data["direction"],
        target_text=data["target"],
        scoring_spec=data["scoring"],
        actuals=tuple(float(x) for x in data["actuals"]),
        chart=(float(data["chart"][0]), float(data["chart"][1])),
    )


def work(example: MethodExample, actual: float) -> Worked:
    """Score ``actual`` with the engine and by hand."""
    from ecomperf.scoring.methods import score_value

    result = score_value(example.method, actual, example.target, example.direction)  # type: ignore[arg-type]
    calculation, by_hand = by_hand_calculation(example, actual)
    return Worked(actual, result.score, result.achievement, result.breached, result.note, calculation, by_hand)


def by_hand_calculation(example: MethodExample, x: float) -> tuple[str, float]:
    """The method's formula written out for ``x``, and its value, computed without the engine."""
    method, target, show = example.method, example.target, example.show
    kind = method.method
    if kind == "linear":
        t = target.reference
        lower = example.direction in ("lower", "zero")
        raw = 100 * t / x if lower else 100 * x / t
        text = f"100 × {show(t)} ÷ {show(x)}" if lower else f"100 × {show(x)} ÷ {show(t)}"
        text += f" = {_num(raw)}"
        value = min(max(raw, method.floor), method.cap)
        if raw > method.cap:
            text += f", capped at {_num(method.cap)}"
        elif raw < method.floor:
            text += f", raised to the floor {_num(method.floor)}"
        return text, value
    if kind == "threshold":
        met = target.is_met(x)
        return f"{show(x)} {target.op} {show(target.reference)}: {'met' if met else 'not met'}", 100.0 if met else 0.0
    if kind == "bands":
        achievement = x / target.reference
        band = next(b for b in method.bands if achievement >= b.min_achievement)
        return (
            f"achievement {show(x)} ÷ {show(target.reference)} = {_pct(achievement)}, "
            f"band from {_pct(band.min_achievement)}",
            float(band.score),
        )
    if kind == "interpolate":
        t, threshold, stretch = target.reference, method.threshold, method.stretch
        progress = (x - threshold) / (t - threshold)
        if progress <= 0:
            return f"{show(x)} is at or below the threshold {show(threshold)}", 0.0
        if progress < 1:
            return (
                f"100 × ({show(x)} − {show(threshold)}) ÷ ({show(t)} − {show(threshold)}) = {_num(100 * progress)}",
                100 * progress,
            )
        beyond = (x - t) / (stretch - t)
        if beyond >= 1:
            return f"{show(x)} is at or beyond the stretch {show(stretch)}: the cap", float(method.cap)
        value = 100 + (method.cap - 100) * beyond
        return (
            f"100 + ({_num(method.cap)} − 100) × ({show(x)} − {show(t)}) ÷ ({show(stretch)} − {show(t)}) "
            f"= {_num(value)}",
            value,
        )
    if kind == "range":
        low, high = target.low, target.high
        if low <= x <= high:
            return f"{show(x)} is inside {show(low)}..{show(high)}", 100.0
        distance = low - x if x < low else x - high
        value = max(100 - (100 - method.floor) * distance / method.tolerance, method.floor)
        return (
            f"{_num(distance)} outside; 100 − {_num(100 - method.floor)} × {_num(distance)} ÷ "
            f"{show(method.tolerance)} = {_num(value)}",
            value,
        )
    if kind == "veto":
        met = target.is_met(x)
        return (f"{show(x)} {target.op} {show(target.reference)}: " + ("met" if met else "breached")), (
            100.0 if met else 0.0
        )
    raise ValueError(f"no hand calculation for method {kind!r}")


def _num(value: float) -> str:
    return f"{round(value, 2):g}"


def _pct(value: float) -> str:
    return f"{round(value * 100, 2):g}%"


def render_method(name: str) -> str:
    """The KPI entry, worked examples and chart of one method."""
    example = method_example(name)
    entry = {"kpi": example.kpi, "weight": 40, "target": example.target_text, "scoring": example.scoring_spec}
    parts = [fence(_entry_yaml(entry), "yaml", title=f"a scorecard entry ({example.direction} is better)")]
    rows = [
        "| Actual | Achievement | Calculation | Score (ecomperf) |",
        "|--:|--:|---|--:|",
    ]
    for actual in example.actuals:
        worked = work(example, actual)
        achievement = "–" if worked.achievement is None else _pct(worked.achievement)
        score = f"**{_num(worked.score)}**" + (" (veto breached)" if worked.breached else "")
        rows.append(f"| {example.show(actual)} | {achievement} | {worked.calculation} | {score} |")
    parts.append("\n".join(rows) + "\n")
    alt = f"{example.title}: score against actual, target {example.target_text}"
    parts.append(f"![{alt}](charts/{name}.svg){{ .chart }}\n")
    return "\n".join(parts)


def _entry_yaml(entry: Mapping[str, Any]) -> str:
    """A scorecard entry as a YAML list item, one key per line (nested values in flow style)."""
    lines = []
    for key, value in entry.items():
        if isinstance(value, str) and any(ch in value for ch in "<>=.%"):
            text = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, Mapping) and "bands" in value:
            bands = "\n".join(f"      - {_flow(band)}" for band in value["bands"])
            rest = {k: v for k, v in value.items() if k != "bands"}
            lines.append(
                f"{key}:\n" + "".join(f"    {k}: {_flow(v)}\n" for k, v in rest.items()) + f"    bands:\n{bands}"
            )
            continue
        else:
            text = _flow(value)
        lines.append(f"{key}: {text}")
    return "- " + "\n  ".join(lines)


def _flow(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False)
    return text.strip().removesuffix("...").strip()


def chart(name: str) -> str:
    """The SVG chart of method ``name``: the engine's score over the chart range, worked examples marked."""
    from ecomperf.scoring.methods import score_value

    example = method_example(name)
    method, target = example.method, example.target

    def score(x: float) -> float:
        return score_value(method, x, target, example.direction).score  # type: ignore[arg-type]

    low, high = example.chart
    ranged = target.op == "range"
    guides = [(target.low, "min"), (target.high, "max")] if ranged else [(target.reference, "target")]
    if method.method == "interpolate":
        guides.append((method.threshold, "threshold"))
        if method.stretch is not None:
            guides.append((method.stretch, "stretch"))
    samples = svg.sample(score, low, high) if method.method != "veto" else _veto_samples(score, low, high)
    figure = svg.Chart(
        x_range=(low, high),
        x_label=f"actual {example.kpi} ({example.unit})",
        y_label="score",
        format_x=example.show,
        lines=svg.split_jumps(samples),
        guides=[(x, label) for x, label in guides if low <= x <= high],
        points=[(x, score(x)) for x in example.actuals if low <= x <= high],
        title=f"{example.title}: score against actual",
    )
    return figure.render()


def _veto_samples(score: Any, low: float, high: float) -> list[tuple[float, float]]:
    """Veto KPIs are counts: score each whole number, drawn as steps."""
    points = []
    for whole in range(int(low), int(high) + 1):
        points += [(float(whole), score(float(whole))), (min(whole + 0.999, high), score(float(whole)))]
    return points


def charts() -> dict[str, str]:
    """Every chart, by its path in the site."""
    return {f"{CHART_FOLDER}/{name}.svg": chart(name) for name in examples()["methods"]}


def render_methods_table() -> str:
    """The overview table: each method, its default use and a one-line rule, with its example's first score."""
    rows = ["| Method | Example | Score |", "|---|---|--:|"]
    for name in examples()["methods"]:
        example = method_example(name)
        worked = work(example, example.actuals[0])
        rows.append(
            f"| [{example.title}](methods.md#{name}) | `{example.kpi}` {example.target_text}, "
            f"actual {example.show(example.actuals[0])} | {_num(worked.score)} |"
        )
    return "\n".join(rows) + "\n"


# --- scorecards -------------------------------------------------------------------------------------------


def card_call(name: str) -> str:
    """The Python call that scores example card ``name``."""
    data = examples()["cards"][name]
    arguments = [repr(data["position"]), f"stage={data['stage']!r}", f"period={data['period']!r}"]
    if "context" in data:
        arguments.append(f"context={data['context']!r}")
    if "missing" in data:
        arguments.append(f"missing={data['missing']!r}")
    actuals = ",\n             ".join(f"{k!r}: {v!r}" for k, v in data["actuals"].items())
    return (
        f'fw = ecomperf.load("examples/{FRAMEWORK.name}")\n'
        f"card = fw.score({', '.join(arguments)},\n"
        f"                actuals={{{actuals}}})"
    )


def score_card(name: str) -> Any:
    """Score example card ``name`` (raises what the engine raises)."""
    data = examples()["cards"][name]
    return framework().score(
        data["position"],
        stage=data["stage"],
        period=data["period"],
        actuals=data["actuals"],
        context=data.get("context"),
        missing=data.get("missing", "error"),
    )


def weighted_sum_text(card: Any) -> str:
    """``(60 × 115 + 40 × 105) ÷ 100 = 111``: the total written out from the card's own rows."""
    weighted = [row for row in card.kpis if row.weight]
    weights = sum(row.weight for row in weighted)
    terms = " + ".join(f"{_num(row.weight)} × {_num(row.score)}" for row in weighted)
    return f"({terms}) ÷ {_num(weights)} = {_num(sum(r.weight * r.score for r in weighted) / weights)}"


def render_card(name: str) -> str:
    """The call, then the card the engine produced (or the error it raised)."""
    import ecomperf
    from ecomperf.targets import format_quantity

    parts = [fence("import ecomperf\n\n" + card_call(name), "python")]
    try:
        card = score_card(name)
    except ecomperf.ScoringError as exc:
        return "\n".join([*parts, fence(f"ecomperf.ScoringError: {exc}", "text", title="raises")])
    fw = framework()
    rows = [
        "| KPI | Actual | Target | Method | Score | Weight | Weighted |",
        "|---|--:|---|---|--:|--:|--:|",
    ]
    for row in card.kpis:
        actual = "–" if row.actual is None else format_quantity(row.actual, row.unit)
        if row.computed:
            actual += " (computed)"
        target = "–" if row.target is None else row.target.display(row.unit)
        flag = " (breached)" if row.veto_breached else ""
        rows.append(
            f"| {row.kpi} | {actual} | {target} | {row.method}{flag} | {_num(row.score)} | {_num(row.weight)} "
            f"| {_num(row.weighted_score)} |"
        )
    for dropped in card.dropped:
        rows.append(f"| ~~{dropped.kpi}~~ | {dropped.reason} | | | | ~~{_num(dropped.weight)}~~ | |")
    parts.append("\n".join(rows) + "\n")
    summary = [
        f"**Total** {weighted_sum_text(card)} · **grade** {card.grade} · **bonus coefficient** {card.bonus:g}",
    ]
    if card.events:
        summary.append(f"**Events applied** {', '.join(card.events)}")
    if card.grade != card.uncapped_grade:
        summary.append(f"**Uncapped grade** {card.uncapped_grade}")
    parts.append(" · ".join(summary) + "\n")
    notes = [f"- `{row.kpi}`: {'; '.join(row.notes)}" for row in card.kpis if row.notes]
    notes += [f"- `{d.kpi}` dropped: {d.detail}" for d in card.dropped if d.detail]
    notes += [f"- warning: {warning}" for warning in card.warnings]
    if notes:
        parts.append("Notes on the card:\n\n" + "\n".join(notes) + "\n")
    del fw
    return "\n".join(parts)


# --- roll-ups, improvement plans, distribution ----------------------------------------------------------


def rollup_result(name: str) -> dict[str, float]:
    """The engine's roll-up of example ``name``."""
    data = examples()["rollups"][name]
    return dict(framework().rollup(data["months"], data["to"]))


def render_rollup(name: str) -> str:
    """Months side by side with the rolled-up period and how each metric was combined."""
    from ecomperf.targets import format_quantity

    data = examples()["rollups"][name]
    fw = framework()
    months = list(data["months"])
    result = rollup_result(name)
    code = (
        f'fw = ecomperf.load("examples/{FRAMEWORK.name}")\n'
        f"q4 = fw.rollup({{{', '.join(repr(m) + ': {...}' for m in months)}}}, {data['to']!r})"
    )
    header = "| Metric | " + " | ".join(months) + f" | **{data['to']}** | How |"
    rows = [header, "|---|" + "--:|" * (len(months) + 1) + "---|"]
    names = list(dict.fromkeys([*(k for m in months for k in data["months"][m]), *result]))
    for metric_id in names:
        metric = fw.metrics[metric_id]
        cells = [
            format_quantity(data["months"][m][metric_id], metric.unit) if metric_id in data["months"][m] else "–"
            for m in months
        ]
        total = format_quantity(result[metric_id], metric.unit) if metric_id in result else "–"
        how = metric.aggregation
        if how == "recompute":
            how = f"recomputed: `{metric.formula}`"
        rows.append(f"| {metric_id} | " + " | ".join(cells) + f" | **{total}** | {how} |")
    return fence("import ecomperf\n\n" + code, "python") + "\n" + "\n".join(rows) + "\n"


def pip_cards(name: str) -> list[Any]:
    """The cards of the improvement-plan example, one per employee and month."""
    data = examples()["pips"][name]
    fw = framework()
    metric = fw.positions[data["position"]].scorecard.stages[data["stage"]][0].kpi
    return [
        fw.score(data["position"], stage=data["stage"], period=period, actuals={metric: hours}, employee=employee)
        for employee, history in data["hours"].items()
        for period, hours in history.items()
    ]


def render_pip(name: str) -> str:
    """Grades per employee and month, then the flags :func:`ecomperf.pip_flags` raises."""
    import ecomperf

    fw = framework()
    cards = pip_cards(name)
    periods = sorted({card.period for card in cards})
    employees = list(dict.fromkeys(card.employee for card in cards))
    grid = {(card.employee, card.period): card for card in cards}
    rows = ["| Employee | " + " | ".join(periods) + " |", "|---|" + "---|" * len(periods)]
    for employee in employees:
        cells = [f"{grid[employee, p].grade} ({_num(grid[employee, p].total)})" for p in periods]
        rows.append(f"| {employee} | " + " | ".join(cells) + " |")
    flags = ecomperf.pip_flags(cards, fw.rules.pip)
    rule = fw.rules.pip
    out = [
        f"Rule in `framework.yaml`: `pip: {{consecutive: {rule.consecutive}, cycle: {rule.cycle}, "
        f"below_grade: {rule.below_grade}}}`\n",
        "\n".join(rows) + "\n",
        fence("flags = ecomperf.pip_flags(cards, fw.rules.pip)", "python"),
    ]
    flag_rows = ["| Employee | Periods | Grades | Ongoing | Message |", "|---|---|---|---|---|"]
    for flag in flags:
        flag_rows.append(
            f"| {flag.employee} | {', '.join(flag.periods)} | {', '.join(flag.grades)} | "
            f"{'yes' if flag.ongoing else 'no'} | {flag.message} |"
        )
    out.append("\n".join(flag_rows) + "\n")
    return "\n".join(out)


def distribution_cards(name: str) -> list[Any]:
    """The cards of the distribution example."""
    data = examples()["distributions"][name]
    fw = framework()
    metric = fw.positions[data["position"]].scorecard.stages[data["stage"]][0].kpi
    return [
        fw.score(
            data["position"],
            stage=data["stage"],
            period=data["period"],
            actuals={metric: hours},
            employee=f"agent_{number:02d}",
        )
        for number, hours in enumerate(data["hours"], start=1)
    ]


def distribution(name: str) -> Any:
    """The engine's distribution report of example ``name``."""
    import ecomperf
    from ecomperf.model import Distribution

    data = examples()["distributions"][name]
    return ecomperf.distribution_report(
        distribution_cards(name), Distribution.model_validate(data["distribution"]), framework().grades
    )


def render_distribution(name: str) -> str:
    """The declared shares, then expected against actual counts per grade."""
    data = examples()["distributions"][name]
    report = distribution(name)
    group = report.groups[0]
    declared = _flow(data["distribution"])
    out = [
        fence(f"rules:\n  distribution: {declared}", "yaml", title="framework.yaml"),
        fence("report = ecomperf.distribution_report(cards, fw.rules.distribution, fw.grades)", "python"),
        f"Group `{group.group}`: {group.size} cards" + (" (too small to judge)" if group.too_small else "") + "\n",
    ]
    rows = [
        "| Grade | Expected share | Expected people | Actual people | Actual share | Status |",
        "|---|--:|--:|--:|--:|---|",
    ]
    for row in group.rows:
        rows.append(
            f"| {row.grade} | {_pct(row.expected_share)} | {_num(row.expected_count)} | {row.actual_count} | "
            f"{_pct(row.actual_share)} | {row.status} |"
        )
    out.append("\n".join(rows) + "\n")
    return "\n".join(out)
