"""A small framework for scoring tests, written inline so the YAML sits next to the numbers it produces.

``build(positions=..., events=..., extra_metrics=..., framework=...)`` writes the base files below with
the given documents and loads them. The base framework has the grades of DESIGN §2
(S ≥ 110, A ≥ 100, B ≥ 85, C ≥ 70, D ≥ 0), caps the grade at C on a veto breach and declares a pip
rule (3 monthly periods at or below C) and a distribution (10/20/50/15/5 %, groups of 10 or more).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import ecomperf
from ecomperf.framework import Framework

FRAMEWORK = """\
    apiVersion: ecomperf/v1
    kind: Framework
    id: scoring-test
    name: {zh: 评分测试, en: Scoring test}
    locales: [zh, en]
    stages:
      - {id: startup, name: {zh: 初创期, en: Startup}}
      - {id: growth, name: {zh: 成长期, en: Growth}}
      - {id: mature, name: {zh: 成熟期, en: Mature}}
    contexts:
      category: [apparel, electronics_3c, fmcg]
      region: [standard, remote]
    grades:
      - {id: S, min: 110, bonus: 1.5}
      - {id: A, min: 100, bonus: 1.2}
      - {id: B, min: 85, bonus: 1.0}
      - {id: C, min: 70, bonus: 0.6}
      - {id: D, min: 0, bonus: 0}
    rules:
      veto_caps_grade_at: C
      pip: {consecutive: 3, cycle: monthly, below_grade: C}
      distribution: {shares: {S: 10%, A: 20%, B: 50%, C: 15%, D: 5%}, min_group: 10}
    """


def _metric(metric_id: str, unit: str, body: str = "") -> str:
    lines = [
        "apiVersion: ecomperf/v1",
        "kind: Metric",
        f"id: {metric_id}",
        f"name: {{zh: {metric_id}, en: {metric_id}}}",
        f"unit: {unit}",
        "source: {zh: 后台, en: Back office}",
        *[line for line in body.splitlines() if line],
    ]
    return "\n".join(lines)


METRICS = "\n---\n".join(
    [
        _metric("user_growth_rate", "percent", "direction: higher\ncycle: monthly"),
        _metric("gmv", "currency", "direction: higher\ncycle: monthly"),
        _metric("campaign_gmv", "currency", "direction: higher\ncycle: monthly"),
        _metric("repurchase_rate", "percent", "direction: higher\ncycle: monthly"),
        _metric("sales_revenue", "currency", "cycle: monthly"),
        _metric("cost", "currency", "cycle: monthly"),
        _metric(
            "gross_margin",
            "percent",
            "direction: higher\nformula: (sales_revenue - cost) / sales_revenue\ncycle: monthly",
        ),
        _metric("orders", "count", "cycle: monthly"),
        _metric("visitors", "count", "cycle: monthly"),
        _metric("conversion_rate", "percent", "direction: higher\nformula: orders / visitors\ncycle: monthly"),
        _metric("orders_per_visitor_pct", "percent", "direction: higher\nformula: conversion_rate * 100"),
        _metric("inventory_turnover", "times", "direction: higher\ncycle: monthly\naggregate: last"),
        _metric("response_hours", "hours", "direction: lower\ncycle: monthly"),
        _metric("complaint_rate", "percent", "direction: lower\ncycle: monthly"),
        _metric("inventory_days", "days", "direction: range\ncycle: monthly\naggregate: max"),
        _metric("stock_low", "count", "direction: higher\ncycle: monthly\naggregate: min"),
        _metric("violations", "count", "direction: zero\ncycle: monthly"),
        _metric("nps", "score", "direction: higher\ncycle: quarterly\naggregate: mean"),
    ]
)

STORE_MANAGER = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: store_manager
    name: {zh: 店长, en: Store manager}
    scorecard:
      cycle: monthly
      stages:
        startup:
          - {kpi: user_growth_rate, weight: 40, target: ">= 20%"}
          - {kpi: gmv,              weight: 30, target: ">= 2000万"}
          - {kpi: repurchase_rate,  weight: 20, target: ">= 35%"}
          - {kpi: gross_margin,     weight: 10, target: ">= 40%"}
          - {kpi: violations,       weight: 0,  target: "== 0", scoring: veto}
        mature:
          - {kpi: repurchase_rate,  weight: 40, target: ">= 35%"}
          - {kpi: gmv,              weight: 30, target: ">= 2000万"}
          - kpi: inventory_turnover
            weight: 20
            target: ">= 4"
            variants:
              - {when: {category: electronics_3c}, target: ">= 6"}
              - {when: {category: [apparel, fmcg], region: remote}, target: ">= 3"}
          - {kpi: conversion_rate,  weight: 10, target: ">= 3%"}
          - {kpi: violations,       weight: 0,  target: "== 0", scoring: veto}
    """

SERVICE_AGENT = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: service_agent
    name: {zh: 客服专员, en: Service agent}
    scorecard:
      stages:
        startup:
          - {kpi: response_hours, weight: 60, target: "<= 24h"}
          - {kpi: complaint_rate, weight: 40, target: "<= 2%"}
    """

EVENTS = """\
    apiVersion: ecomperf/v1
    kind: Event
    id: double_11
    name: {zh: 双11, en: Double 11}
    periods: ["*-11"]
    overrides:
      - position: store_manager
        stages: [mature]
        weights: {gmv: 20, repurchase_rate: 20}
        targets: {gmv: ">= 3000万"}
        add:
          - {kpi: campaign_gmv, weight: 30, target: ">= 1000万"}
    ---
    apiVersion: ecomperf/v1
    kind: Event
    id: november_push
    name: {zh: 十一月冲刺, en: November push}
    periods: ["2026-11"]
    overrides:
      - position: store_manager
        targets: {gmv: ">= 2500万"}
    ---
    apiVersion: ecomperf/v1
    kind: Event
    id: clearance
    name: {zh: 清仓, en: Clearance}
    periods: ["*-06"]
    overrides:
      - position: store_manager
        stages: [mature]
        weights: {repurchase_rate: 50, conversion_rate: 0}
    """

Build = Callable[..., Framework]


def write(root: Path, files: dict[str, str]) -> Path:
    """Write dedented YAML files into ``root`` and return it."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def build_framework(
    root: Path,
    *,
    positions: str | None = None,
    events: str | None = None,
    extra_metrics: str | None = None,
    framework: str | None = None,
) -> Framework:
    """Load the base framework with the given documents replacing the defaults."""
    files = {
        "framework.yaml": framework or FRAMEWORK,
        "metrics.yaml": METRICS,
        "positions.yaml": positions if positions is not None else STORE_MANAGER + "---\n" + SERVICE_AGENT,
    }
    if events is not None:
        files["events.yaml"] = events
    if extra_metrics is not None:
        files["extra_metrics.yaml"] = extra_metrics
    return ecomperf.load(write(root, files))


@pytest.fixture
def build(tmp_path: Path) -> Build:
    """``build(positions=..., events=..., extra_metrics=..., framework=...)`` -> a loaded Framework."""
    counter = iter(range(1000))

    def make(**documents: str | None) -> Framework:
        return build_framework(tmp_path / f"fw{next(counter)}", **documents)

    return make


@pytest.fixture(scope="session")
def fw(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    """The base framework with its events (shared: frameworks are immutable)."""
    return build_framework(tmp_path_factory.mktemp("base"), events=EVENTS)


@pytest.fixture(scope="session")
def mini() -> Framework:
    """The example framework newcomers start from."""
    return ecomperf.load(Path(__file__).resolve().parents[2] / "examples" / "mini-framework")
