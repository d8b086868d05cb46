"""Frameworks for the batch tests: the bundled mini framework, and one KPI per scoring method.

``methods_fw`` carries every scoring method and direction on one card (with a formula metric, a
context variant, an event and both veto effects), so that random rows exercise all of them at once.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import ecomperf
from ecomperf.framework import Framework

METHODS_FRAMEWORK = {
    "framework.yaml": """\
        apiVersion: ecomperf/v1
        kind: Framework
        id: batch-test
        name: {zh: 批量测试, en: Batch test}
        locales: [zh, en]
        stages:
          - {id: startup, name: {zh: 初创期, en: Startup}}
          - {id: mature, name: {zh: 成熟期, en: Mature}}
        contexts:
          category: [apparel, electronics_3c]
        grades:
          - {id: S, min: 110, bonus: 1.5}
          - {id: A, min: 100, bonus: 1.2}
          - {id: B, min: 85, bonus: 1.0}
          - {id: C, min: 70, bonus: 0.6}
          - {id: D, min: 0, bonus: 0}
        rules:
          veto_caps_grade_at: C
          pip: {consecutive: 2, cycle: monthly, below_grade: C}
          distribution: {shares: {S: 10%, A: 20%, B: 50%, C: 15%, D: 5%}, min_group: 2}
        """,
    "metrics.yaml": "\n---\n".join(
        f"""\
        apiVersion: ecomperf/v1
        kind: Metric
        id: {metric}
        name: {{zh: {metric}, en: {metric}}}
        unit: {unit}
        direction: {direction}
        cycle: monthly
        source: {{zh: 后台, en: Back office}}{formula}
        """
        for metric, unit, direction, formula in [
            ("revenue", "currency", "higher", ""),
            ("cost", "currency", "higher", ""),
            ("margin", "percent", "higher", "\n        formula: (revenue - cost) / revenue"),
            ("hours", "hours", "lower", ""),
            ("share", "percent", "range", ""),
            ("conversion", "percent", "higher", ""),
            ("growth", "percent", "higher", ""),
            ("refund_days", "days", "lower", ""),
            ("violations", "count", "zero", ""),
            ("complaints", "count", "zero", ""),
        ]
    ),
    "positions.yaml": """\
        apiVersion: ecomperf/v1
        kind: Position
        id: seller
        name: {zh: 销售, en: Seller}
        department: {zh: 销售部, en: Sales}
        scorecard:
          stages:
            startup:
              - {kpi: revenue, weight: 20, target: ">= 100万"}
              - {kpi: margin, weight: 15, target: ">= 30%", scoring: {method: linear, floor: 20, cap: 150}}
              - {kpi: hours, weight: 15, target: "<= 24h"}
              - {kpi: share, weight: 10, target: "20%..30%", scoring: {method: range, tolerance: 10%}}
              - kpi: conversion
                weight: 10
                target: ">= 5%"
                scoring:
                  method: bands
                  bands:
                    - {min_achievement: 1.2, score: 120}
                    - {min_achievement: 1.0, score: 100}
                    - {min_achievement: 0.8, score: 60}
                    - {min_achievement: 0, score: 0}
              - {kpi: growth, weight: 15, target: ">= 20%",
                 scoring: {method: interpolate, threshold: 5%, stretch: 40%, cap: 130}}
              - {kpi: refund_days, weight: 15, target: "<= 7d", scoring: threshold}
              - {kpi: violations, weight: 0, target: "== 0", scoring: veto}
              - {kpi: complaints, weight: 0, target: "<= 2", scoring: {method: veto, effect: zero_total}}
            mature:
              - kpi: revenue
                weight: 60
                target: ">= 200万"
                variants:
                  - {when: {category: electronics_3c}, target: ">= 300万"}
              - {kpi: hours, weight: 40, target: "<= 12h",
                 scoring: {method: interpolate, threshold: 48, stretch: 6, cap: 120}}
              - {kpi: violations, weight: 0, target: "== 0", scoring: veto}
        """,
    "events.yaml": """\
        apiVersion: ecomperf/v1
        kind: Event
        id: double_11
        name: {zh: 双11, en: Double 11}
        periods: ["*-11"]
        overrides:
          - position: seller
            stages: [mature]
            weights: {revenue: 80, hours: 20}
            targets: {revenue: ">= 500万"}
        """,
}


def write_methods_framework(root: Path) -> Path:
    """Write the one-KPI-per-method framework into ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in METHODS_FRAMEWORK.items():
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def methods_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the one-KPI-per-method framework."""
    return write_methods_framework(tmp_path_factory.mktemp("methods-fw"))


@pytest.fixture(scope="session")
def methods_fw(methods_dir: Path) -> Framework:
    """The one-KPI-per-method framework, loaded."""
    return ecomperf.load(methods_dir)
