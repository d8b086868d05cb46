"""A small framework with one KPI per scoring method, for the what-if tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import ecomperf

FILES: dict[str, str] = {
    "framework.yaml": """\
        apiVersion: ecomperf/v1
        kind: Framework
        id: plan-fw
        name: {zh: 计划, en: Planning}
        locales: [zh, en]
        stages:
          - {id: startup, name: {zh: 初创期, en: Startup}}
        grades:
          - {id: A, min: 100, bonus: 1.2}
          - {id: B, min: 85, bonus: 1.0}
          - {id: C, min: 70, bonus: 0.6}
          - {id: D, min: 0, bonus: 0}
        rules:
          veto_caps_grade_at: C
        """,
    "metrics.yaml": """\
        apiVersion: ecomperf/v1
        kind: Metric
        id: gmv
        name: {zh: GMV, en: GMV}
        unit: currency
        cycle: monthly
        source: {zh: 后台, en: Back office}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: revenue
        name: {zh: 收入, en: Revenue}
        unit: currency
        cycle: monthly
        source: {zh: 财务, en: Finance}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: cost
        name: {zh: 成本, en: Cost}
        unit: currency
        cycle: monthly
        source: {zh: 财务, en: Finance}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: margin
        name: {zh: 毛利率, en: Margin}
        unit: percent
        formula: (revenue - cost) / revenue
        cycle: monthly
        source: {zh: 财务, en: Finance}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: kept_share
        name: {zh: 留存比例, en: Kept share}
        unit: percent
        formula: max(revenue - cost, 0) / revenue
        cycle: monthly
        source: {zh: 财务, en: Finance}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: guarded_margin
        name: {zh: 保护毛利率, en: Guarded margin}
        unit: percent
        formula: if(revenue > 0, (revenue - cost) / revenue, 0)
        cycle: monthly
        source: {zh: 财务, en: Finance}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: response_hours
        name: {zh: 响应时长, en: Response hours}
        unit: hours
        direction: lower
        cycle: monthly
        source: {zh: 客服系统, en: Service desk}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: rating
        name: {zh: 评分, en: Rating}
        unit: score
        cycle: monthly
        source: {zh: 平台, en: Platform}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: balance
        name: {zh: 库存比, en: Stock balance}
        unit: ratio
        direction: range
        cycle: monthly
        source: {zh: ERP, en: ERP}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: on_time
        name: {zh: 准时率, en: On time}
        unit: percent
        cycle: monthly
        source: {zh: 物流, en: Logistics}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: violations
        name: {zh: 违规, en: Violations}
        unit: count
        direction: zero
        cycle: monthly
        source: {zh: 平台, en: Platform}
        """,
    "positions.yaml": """\
        apiVersion: ecomperf/v1
        kind: Position
        id: seller
        name: {zh: 运营, en: Seller}
        scorecard:
          stages:
            startup:
              - {kpi: gmv, weight: 30, target: ">= 100万"}
              - {kpi: margin, weight: 20, target: ">= 40%"}
              - kpi: response_hours
                weight: 15
                target: "<= 24h"
                scoring: {method: interpolate, threshold: 48h, stretch: 12h}
              - kpi: rating
                weight: 10
                target: ">= 90"
                scoring:
                  method: bands
                  bands: [{min_achievement: 1, score: 100}, {min_achievement: 0.8, score: 60},
                          {min_achievement: 0, score: 0}]
              - {kpi: balance, weight: 10, target: "1.5..2.5", scoring: {method: range, tolerance: 0.5}}
              - {kpi: on_time, weight: 15, target: ">= 95%", scoring: threshold}
              - {kpi: violations, weight: 0, target: "== 0", scoring: veto}
        ---
        apiVersion: ecomperf/v1
        kind: Position
        id: keeper
        name: {zh: 守成, en: Keeper}
        scorecard:
          stages:
            startup:
              - {kpi: kept_share, weight: 50, target: ">= 40%"}
              - {kpi: gmv, weight: 50, target: ">= 100万"}
        ---
        apiVersion: ecomperf/v1
        kind: Position
        id: guard
        name: {zh: 守门, en: Guard}
        scorecard:
          stages:
            startup:
              - {kpi: guarded_margin, weight: 50, target: ">= 40%"}
              - {kpi: gmv, weight: 50, target: ">= 100万"}
        """,
}


def write(root: Path, extra: dict[str, str] | None = None) -> Path:
    """Write the framework (with ``extra`` files) into ``root``."""
    for name, text in {**FILES, **(extra or {})}.items():
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def plan_fw(tmp_path_factory: pytest.TempPathFactory) -> ecomperf.Framework:
    """The framework above, loaded."""
    return ecomperf.load(write(tmp_path_factory.mktemp("plan-fw")))


SELLER = {
    "gmv": 900_000,  # 90 points
    "revenue": 1_000_000,
    "cost": 620_000,  # margin 38%: 95 points
    "response_hours": 30,  # interpolate: p = (30 - 48) / (24 - 48) = 0.75: 75 points
    "rating": 92,  # achievement 1.022: the 100 band
    "balance": 2.0,  # inside 1.5..2.5: 100
    "on_time": 0.96,  # threshold met: 100
    "violations": 0,
}
"""Total (30·90 + 20·95 + 15·75 + 10·100 + 10·100 + 15·100) / 100 = 92.25: grade B."""
