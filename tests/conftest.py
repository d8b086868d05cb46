"""Shared fixtures: build small frameworks inline, as the tests read best with the YAML in front of them."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import ecomperf
from ecomperf.framework import Framework
from ecomperf.loading.documents import LoadResult

pytest_plugins = ["tests.methods_framework"]  # the one-KPI-per-method framework, for batch and CLI tests

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "examples" / "mini-framework"
LIVE_SHOP = REPO / "tests" / "fixtures" / "live-shop"
"""Issue 10's live-streaming shop, written from scratch as a new user would: five positions, one file each."""

BASE_FILES: dict[str, str] = {
    "framework.yaml": """\
        apiVersion: ecomperf/v1
        kind: Framework
        id: test-fw
        name: {zh: 测试, en: Test}
        locales: [zh, en]
        stages:
          - {id: startup, name: {zh: 初创期, en: Startup}}
          - {id: mature, name: {zh: 成熟期, en: Mature}}
        levels:
          - {id: mid, name: {zh: 策略层, en: Strategy}}
        contexts:
          category: [apparel, electronics_3c]
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
        direction: higher
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
        direction: higher
        formula: (revenue - cost) / revenue
        cycle: monthly
        source: {zh: 财务, en: Finance}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: cac
        name: {zh: 获客成本, en: CAC}
        unit: currency
        direction: lower
        cycle: monthly
        source: {zh: 后台, en: Back office}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: violations
        name: {zh: 违规次数, en: Violations}
        unit: count
        direction: zero
        cycle: monthly
        source: {zh: 平台, en: Platform}
        """,
    "modules.yaml": """\
        apiVersion: ecomperf/v1
        kind: Module
        id: product_ops
        name: {zh: 产品运营, en: Product ops}
        responsibilities:
          - {id: selection, text: {zh: 选品, en: Selection}}
        forbidden:
          - {duty: channel_ops.expansion, reason: {zh: 专注, en: Focus}}
        kpis: [gmv]
        ---
        apiVersion: ecomperf/v1
        kind: Module
        id: channel_ops
        name: {zh: 渠道运营, en: Channel ops}
        responsibilities:
          - {id: expansion, text: {zh: 渠道拓展, en: Channel expansion}}
        kpis: [cac]
        """,
    "positions.yaml": """\
        apiVersion: ecomperf/v1
        kind: Position
        id: manager
        name: {zh: 店长, en: Manager}
        level: mid
        modules: [product_ops]
        scorecard:
          stages:
            startup:
              - {kpi: gmv, weight: 60, target: ">= 100万"}
              - {kpi: margin, weight: 40, target: ">= 40%"}
            mature:
              - {kpi: gmv, weight: 100, target: ">= 200万"}
        ---
        apiVersion: ecomperf/v1
        kind: Position
        id: channel_lead
        name: {zh: 渠道主管, en: Channel lead}
        reports_to: manager
        modules: [channel_ops]
        scorecard:
          stages:
            startup:
              - {kpi: cac, weight: 100, target: "<= 40"}
              - {kpi: violations, weight: 0, target: "== 0", scoring: veto}
        """,
}


def write_framework(root: Path, overrides: dict[str, str | None] | None = None) -> Path:
    """Write the base framework with some files replaced (or removed with ``None``) into ``root``."""
    files: dict[str, str | None] = {**BASE_FILES, **(overrides or {})}
    for name, text in files.items():
        if text is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def framework_dir(tmp_path: Path) -> Callable[..., Path]:
    """``framework_dir({"positions.yaml": "..."})`` writes the base framework with overrides and returns its folder."""

    def make(overrides: dict[str, str | None] | None = None) -> Path:
        return write_framework(tmp_path / "fw", overrides)

    return make


@pytest.fixture
def load_problems(framework_dir: Callable[..., Path]) -> Callable[..., LoadResult]:
    """``load_problems({...})`` writes a framework and returns its :class:`LoadResult` (never raises)."""

    def run(overrides: dict[str, str | None] | None = None) -> LoadResult:
        return ecomperf.load_documents(framework_dir(overrides))

    return run


def codes_at(result: LoadResult) -> list[tuple[str, str]]:
    """``[(code, 'file:line:col'), ...]`` with the file reduced to its name relative to the framework."""
    out = []
    for problem in result.problems:
        where = ""
        if problem.span is not None:
            path = Path(problem.span.file)
            rel = path.name if path.parent.name == "fw" else f"{path.parent.name}/{path.name}"
            where = f"{rel}:{problem.span.line}:{problem.span.column}"
        out.append((problem.code, where))
    return out


@pytest.fixture(scope="session")
def mini() -> Framework:
    """``examples/mini-framework``: two positions, a workflow, a target variant and a veto KPI."""
    return ecomperf.load(MINI)


@pytest.fixture(scope="session")
def live_shop() -> Framework:
    """The live-streaming shop (:data:`LIVE_SHOP`), loaded once."""
    return ecomperf.load(LIVE_SHOP)
