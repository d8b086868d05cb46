"""Fixtures of the render tests: the bundled frameworks, the mini example, and a framework with hostile text."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import ecomperf
from ecomperf.framework import Framework
from tests.conftest import REPO, write_framework

HOSTILE_POSITIONS = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: manager
    name: {zh: 店长, en: Manager}
    department: {zh: 运营部, en: Operations}
    level: mid
    purpose: {zh: "目的 {{ 7*7 }} <script>alert(1)</script>", en: "Purpose {{ 7*7 }} <script>alert(1)</script>"}
    modules: [product_ops]
    responsibilities:
      - id: template_text
        text: {zh: "职责 {{ 7*7 }} 与 {% if true %}x{% endif %}", en: "Duty {{ 7*7 }} and {% if true %}x{% endif %}"}
      - id: table_breaker
        text:
          zh: "第一行 | 竖线\\n第二行 <b>粗体</b>"
          en: "first line | pipe\\nsecond line <b>bold</b>"
    qualifications: [{zh: "资格 <img src=x onerror=alert(1)>", en: "Qualification <img src=x onerror=alert(1)>"}]
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
    name: {zh: "渠道主管 | 一组", en: "Channel lead | team 1"}
    reports_to: manager
    modules: [channel_ops]
    scorecard:
      stages:
        startup:
          - {kpi: cac, weight: 100, target: "<= 40"}
          - {kpi: violations, weight: 0, target: "== 0", scoring: veto}
    """


def _load(path: Path) -> Framework:
    return ecomperf.load(path)


@pytest.fixture(scope="session")
def ecommerce_ops() -> Framework:
    """The bundled domestic e-commerce framework."""
    return _load(REPO / "frameworks" / "ecommerce-ops")


@pytest.fixture(scope="session")
def cross_border() -> Framework:
    """The bundled cross-border framework."""
    return _load(REPO / "frameworks" / "cross-border")


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    """The shared test framework whose texts hold template syntax, HTML and Markdown table breakers."""
    root = tmp_path_factory.mktemp("hostile") / "fw"
    write_framework(root, {"positions.yaml": textwrap.dedent(HOSTILE_POSITIONS)})
    return _load(root)


SECTIONED_POSITIONS = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: manager
    name: {zh: 店长, en: Manager}
    level: mid
    modules: [product_ops]
    scorecard:
      sections:
        - {id: results, name: {zh: 业绩, en: Results}, weight: 70}
        - {id: behaviour, name: {zh: 行为, en: Behaviour}, weight: 30}
      stages:
        startup:
          - {kpi: gmv, section: results, weight: 60, target: ">= 100万"}
          - {kpi: cac, section: behaviour, weight: 100, target: "<= 40"}
          - {kpi: margin, section: results, weight: 40, target: ">= 40%"}
          - {kpi: violations, weight: 0, target: "== 0", scoring: veto}
        mature:
          - {kpi: gmv, section: results, weight: 100, target: ">= 200万"}
          - {kpi: cac, section: behaviour, weight: 100, target: "<= 40"}
    ---
    apiVersion: ecomperf/v1
    kind: Position
    id: channel_lead
    name: {zh: 渠道主管, en: Channel lead}
    reports_to: manager
    modules: [channel_ops]
    scorecard:
      sections:
        - {id: growth, name: {zh: 增长, en: Growth}}
        - {id: cost}
      stages:
        startup:
          - {kpi: gmv, section: growth, weight: 30, target: ">= 50万"}
          - {kpi: cac, section: cost, weight: 70, target: "<= 40"}
          - {kpi: violations, section: cost, weight: 0, target: "== 0", scoring: veto}
    """


@pytest.fixture(scope="session")
def sectioned(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    """A framework whose manager has weighted sections (results 70, behaviour 30) and whose channel lead has
    sections that only group the card."""
    root = tmp_path_factory.mktemp("sectioned") / "fw"
    write_framework(root, {"positions.yaml": textwrap.dedent(SECTIONED_POSITIONS)})
    return _load(root)
