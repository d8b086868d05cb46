"""Fixtures of the history-store tests: a fresh database on SQLite and on PostgreSQL, and a small framework.

The PostgreSQL half runs when ``ECOMPERF_TEST_PG_URL`` names a server (an admin URL such as
``postgresql+psycopg://postgres:secret@127.0.0.1:5432/postgres``; ``scripts/ci/postgres.sh start``
prints one); each test creates its own database there and drops it afterwards.
"""

from __future__ import annotations

import os
import textwrap
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

import ecomperf
from ecomperf.batch.results import BatchResult
from ecomperf.batch.table import Table
from ecomperf.history import History
from ecomperf.history.inputs import scored_inputs

PG_ENV = "ECOMPERF_TEST_PG_URL"

CYCLE_FILES = {
    "framework.yaml": """\
        apiVersion: ecomperf/v1
        kind: Framework
        id: cycle-shop
        name: {zh: 周期测试, en: Cycle test}
        version: "2.1"
        locales: [zh, en]
        stages:
          - {id: launch, name: {zh: 起步期, en: Launch}}
          - {id: scale, name: {zh: 扩张期, en: Scale}}
        grades:
          - {id: A, min: 100, bonus: 1.2}
          - {id: B, min: 85, bonus: 1.0}
          - {id: C, min: 70, bonus: 0.6}
          - {id: D, min: 0, bonus: 0}
        rules:
          veto_caps_grade_at: C
          pip: {consecutive: 3, cycle: monthly, below_grade: C}
          distribution: {shares: {A: 20%, B: 50%, C: 20%, D: 10%}, min_group: 2}
        """,
    "metrics.yaml": """\
        apiVersion: ecomperf/v1
        kind: Metric
        id: orders
        name: {zh: 订单数, en: Orders}
        unit: count
        aggregate: sum
        cycle: monthly
        source: {zh: 后台, en: Back office}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: visitors
        name: {zh: 访客数, en: Visitors}
        unit: count
        aggregate: sum
        cycle: monthly
        source: {zh: 后台, en: Back office}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: conversion_rate
        name: {zh: 转化率, en: Conversion rate}
        unit: percent
        direction: higher
        formula: orders / visitors
        cycle: monthly
        source: {zh: 后台, en: Back office}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: response_hours
        name: {zh: 响应时长, en: Response time}
        unit: hours
        direction: lower
        aggregate: mean
        cycle: monthly
        source: {zh: 后台, en: Back office}
        ---
        apiVersion: ecomperf/v1
        kind: Metric
        id: violations
        name: {zh: 违规次数, en: Violations}
        unit: count
        direction: zero
        aggregate: sum
        cycle: monthly
        source: {zh: 后台, en: Back office}
        """,
    "modules.yaml": """\
        apiVersion: ecomperf/v1
        kind: Module
        id: service
        name: {zh: 客服, en: Service}
        responsibilities:
          - {id: answer, text: {zh: 接待咨询, en: Answer customers}}
        kpis: [conversion_rate, response_hours, violations]
        ---
        apiVersion: ecomperf/v1
        kind: Module
        id: supervision
        name: {zh: 客服管理, en: Supervision}
        responsibilities:
          - {id: coach, text: {zh: 辅导专员, en: Coach the agents}}
        kpis: [response_hours]
        """,
    "positions.yaml": """\
        apiVersion: ecomperf/v1
        kind: Position
        id: agent
        name: {zh: 客服专员, en: Agent}
        modules: [service]
        scorecard:
          cycle: monthly
          stages:
            launch:
              - {kpi: conversion_rate, weight: 60, target: ">= 5%"}
              - {kpi: response_hours, weight: 40, target: "<= 24h"}
              - {kpi: violations, weight: 0, target: "== 0", scoring: veto}
            scale:
              - {kpi: conversion_rate, weight: 100, target: ">= 6%"}
        ---
        apiVersion: ecomperf/v1
        kind: Position
        id: lead
        name: {zh: 客服主管, en: Lead}
        modules: [supervision]
        scorecard:
          cycle: monthly
          stages:
            launch:
              - {kpi: response_hours, weight: 100, target: "<= 12h"}
        """,
}


def write_cycle_framework(root: Path, overrides: Mapping[str, str] | None = None) -> Path:
    """Write the cycle-test framework (with some files replaced) into ``root``."""
    for name, text in {**CYCLE_FILES, **(overrides or {})}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def cycle_dir(tmp_path: Path) -> Path:
    """The cycle-test framework's folder."""
    return write_cycle_framework(tmp_path / "cycle-fw")


@pytest.fixture
def cycle_fw(cycle_dir: Path) -> ecomperf.Framework:
    """The cycle-test framework, loaded."""
    return ecomperf.load(cycle_dir)


def row(employee: str, period: str, orders: Any, visitors: Any, hours: Any, *, position: str = "agent",
        stage: str = "launch", violations: Any = 0) -> dict[str, Any]:
    """One input row of the cycle-test framework."""
    return {"employee": employee, "position": position, "stage": stage, "period": period, "orders": orders,
            "visitors": visitors, "response_hours": hours, "violations": violations}


def scored(fw: ecomperf.Framework, rows: Sequence[Mapping[str, Any]]) -> tuple[BatchResult, Table]:
    """Score rows as ``ecomperf score`` does (every row must score)."""
    table = Table.from_records(rows)
    result = fw.score_many(table, detail=True)
    assert result.errors == []
    return result, table


def record_rows(history: History, fw: ecomperf.Framework, rows: Sequence[Mapping[str, Any]], **options: Any) -> None:
    """Score and record rows with their inputs, as ``score --record`` does."""
    result, table = scored(fw, rows)
    history.record(result.cards, framework=fw, inputs=scored_inputs(fw, result, table), **options)


# --- databases -----------------------------------------------------------------------------------------


def _postgres(admin_url: str) -> Iterator[str]:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"ecomperf_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database: a SQLite file, or a database created on the PostgreSQL test server."""
    if request.param == "sqlite":
        yield str(tmp_path / "history.db")
        return
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(f"PostgreSQL half: set {PG_ENV} to an admin URL (eval \"$(scripts/ci/postgres.sh start)\")")
    yield from _postgres(admin_url)


@pytest.fixture
def history(db_url: str) -> Iterator[History]:
    """A history store on a new database (both backends)."""
    store = History(db_url)
    yield store
    store.close()
