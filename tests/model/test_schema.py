"""The editor schema (``ecomperf schema``) checked with a real JSON Schema validator.

The rule: the schema accepts every document that ``validate`` accepts, and refuses what JSON Schema can
express (types, enums, patterns, ranges). Each bundled YAML file is split into its documents and each
document is checked on its own, as an editor does.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from ecomperf.loading.yaml_source import parse_yaml
from ecomperf.model import KINDS, SHORTHAND_METHODS, BandsScoring, InterpolateScoring, RangeScoring
from ecomperf.model.schema import document_schema
from ecomperf.model.scoring_spec import LinearScoring, ThresholdScoring, VetoScoring
from tests.conftest import REPO

VALIDATOR = jsonschema.Draft202012Validator(document_schema())
BUNDLED = sorted(
    path
    for root in ("frameworks", "examples/mini-framework", "examples/peers")
    for path in (REPO / root).rglob("*.yaml")
)
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$")


def _documents(path: Path) -> list[dict[str, Any]]:
    parsed, problems = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    assert not problems
    return [document.data for document in parsed]


def _yaml(text: str) -> dict[str, Any]:
    parsed, problems = parse_yaml(textwrap.dedent(text), "<test>")
    assert not problems and len(parsed) == 1
    data: dict[str, Any] = parsed[0].data
    return data


def _model_accepts(document: dict[str, Any]) -> bool:
    try:
        KINDS[document["kind"]].model_validate(document)
    except ValidationError:
        return False
    return True


def _schema_errors(document: dict[str, Any]) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(document)]


def _leaf_paths(document: dict[str, Any]) -> set[str]:
    """The JSON paths of the innermost errors (under ``oneOf``/``anyOf``), as an editor underlines them."""
    paths: set[str] = set()
    pending = list(VALIDATOR.iter_errors(document))
    while pending:
        error = pending.pop()
        if error.context:
            pending.extend(error.context)
        else:
            paths.add(error.json_path)
    return paths


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(document_schema())


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(REPO)))
def test_every_bundled_document_passes_the_schema(path: Path) -> None:
    for document in _documents(path):
        assert _schema_errors(document) == [], f"{path.name}: {document.get('kind')} {document.get('id')}"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(REPO)))
def test_every_bundled_file_names_the_schema_in_its_first_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{path.name}: first line must be the yaml-language-server modeline"
    assert (path.parent / match["path"]).resolve() == REPO / "schema" / "ecomperf-v1.json"


POSITION = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: store_manager
    name: {zh: 店长, en: Store manager}
    scorecard:
      stages:
        startup:
    """

# KPI entries that validate accepts and that editors used to flag (shorthand methods, target spellings).
GOOD_KPIS = [
    '{kpi: violations, weight: 0, target: "== 0", scoring: veto}',
    '{kpi: gmv, weight: 30, target: ">= 2000万", scoring: threshold}',
    '{kpi: gmv, weight: 30, target: ">= 2000万", scoring: linear}',
    '{kpi: gmv, weight: "30", target: "≥ 1.2亿"}',
    '{kpi: gmv, weight: 30, target: "  >=  15k  "}',
    '{kpi: cac, weight: 30, target: "<= 24h"}',
    '{kpi: cac, weight: 30, target: "= 0"}',
    '{kpi: cac, weight: 30, target: "≤ 1,000"}',
    '{kpi: cac, weight: 30, target: "> 1e3"}',
    '{kpi: margin, weight: 30, target: "90%..95%"}',
    '{kpi: margin, weight: 30, target: "90% .. 95%"}',
    '{kpi: margin, weight: 30, target: {op: "≥", value: "35%"}}',
    '{kpi: margin, weight: 30, target: {op: " >= ", value: 0.35}}',
    '{kpi: margin, weight: 30, target: {min: 0.9, max: "95%"}}',
    '{kpi: margin, weight: 30, target: ">= 40%", scoring: {method: veto, effect: zero_total}}',
    '{kpi: margin, weight: 30, target: ">= 40%", scoring: {method: bands, bands: [{min_achievement: 1, score: 100},'
    " {min_achievement: 0, score: 0}]}}",
    '{kpi: margin, weight: 30, target: ">= 40%", variants: [{when: {category: [apparel, fmcg]}, target: ">= 45%"}]}',
]


@pytest.mark.parametrize("entry", GOOD_KPIS)
def test_what_validate_accepts_the_schema_accepts(entry: str) -> None:
    document = _yaml(POSITION + f"          - {entry}\n")
    assert _model_accepts(document)
    assert _schema_errors(document) == []


# (KPI entry, the field an editor underlines) that both validate and the schema refuse.
KPI = "$.scorecard.stages.startup[0]"
BAD_KPIS = [
    ('{kpi: gmv, weight: 30, target: "about 200万"}', f"{KPI}.target"),
    ('{kpi: gmv, weight: 30, target: ">= 40 percent"}', f"{KPI}.target"),
    ('{kpi: gmv, weight: 30, target: "40%"}', f"{KPI}.target"),  # no operator
    ('{kpi: gmv, weight: 30, target: ">= 1..2"}', f"{KPI}.target"),
    ("{kpi: gmv, weight: 30, target: 40}", f"{KPI}.target"),
    ('{kpi: gmv, weight: 30, target: {op: "=>", value: 1}}', f"{KPI}.target.op"),
    ('{kpi: gmv, weight: 30, target: {op: ">=", value: "1 yuan"}}', f"{KPI}.target.value"),
    ('{kpi: gmv, weight: 30, target: {op: ">=", value: 1, note: x}}', f"{KPI}.target"),
    ('{kpi: gmv, weight: -5, target: ">= 1"}', f"{KPI}.weight"),
    ('{kpi: gmv, weight: "-5", target: ">= 1"}', f"{KPI}.weight"),
    ('{kpi: gmv, weight: true, target: ">= 1"}', f"{KPI}.weight"),
    ('{kpi: gmv, weight: 30, target: ">= 1", scoring: bands}', f"{KPI}.scoring"),  # bands need a table
    ('{kpi: gmv, weight: 30, target: ">= 1", scoring: zero}', f"{KPI}.scoring"),
    ('{kpi: gmv, weight: 30, target: ">= 1", scoring: {method: veto, effect: halve}}', f"{KPI}.scoring.effect"),
    ('{kpi: gmv, weight: 30, target: ">= 1", cycle: fortnightly}', f"{KPI}.cycle"),
    ('{kpi: GMV, weight: 30, target: ">= 1"}', f"{KPI}.kpi"),
    ('{kpi: gmv, weight: 30, target: ">= 1", wieght: 3}', KPI),
    ('{kpi: gmv, weight: 30, target: ">= 1", variants: [{when: {Category: apparel}, target: ">= 2"}]}',
     f"{KPI}.variants[0].when"),
]


@pytest.mark.parametrize(("entry", "field"), BAD_KPIS)
def test_what_the_schema_can_express_it_refuses_as_validate_does(entry: str, field: str) -> None:
    document = _yaml(POSITION + f"          - {entry}\n")
    assert not _model_accepts(document)
    assert field in _leaf_paths(document)


BAD_DOCUMENTS = [
    # a stage key that is not an id: patternProperties alone would let it through
    POSITION.replace("startup:", "Startup:") + '          - {kpi: gmv, weight: 100, target: ">= 1"}\n',
    # a blank name, an unknown locale code, a framework id with capitals, a duty reference without a dot
    'apiVersion: ecomperf/v1\nkind: Metric\nid: gmv\nname: "  "\nunit: currency\n',
    "apiVersion: ecomperf/v1\nkind: Metric\nid: gmv\nname: {Chinese: 成交额}\nunit: currency\n",
    "apiVersion: ecomperf/v1\nkind: Metric\nid: gmv\nname: GMV\nunit: yuan\n",
    "apiVersion: ecomperf/v1\nkind: Metric\nid: gmv\nname: GMV\nunit: currency\ndirection: up\n",
    "apiVersion: ecomperf/v2\nkind: Metric\nid: gmv\nname: GMV\nunit: currency\n",
    "apiVersion: ecomperf/v1\nkind: Module\nid: ops\nname: Ops\nforbidden: [{duty: expansion}]\n",
    "apiVersion: ecomperf/v1\nkind: Framework\nid: Shop\nname: Shop\nstages: [{id: s, name: S}]\n"
    "grades: [{id: A, min: 0, bonus: 1}]\n",
    "apiVersion: ecomperf/v1\nkind: Framework\nid: shop\nname: Shop\nstages: [{id: s, name: S}]\n"
    "grades: [{id: A, min: 0, bonus: -1}]\n",
    "apiVersion: ecomperf/v1\nkind: Framework\nid: shop\nname: Shop\nstages: []\ngrades: [{id: A, min: 0, bonus: 1}]\n",
]


@pytest.mark.parametrize("text", BAD_DOCUMENTS)
def test_bad_documents_are_refused_by_both(text: str) -> None:
    document = _yaml(text)
    assert not _model_accepts(document)
    assert _schema_errors(document)


def test_the_shorthand_methods_are_exactly_those_without_parameters() -> None:
    # a method can be named alone when every field of its model has a default
    methods = (LinearScoring, ThresholdScoring, BandsScoring, InterpolateScoring, RangeScoring, VetoScoring)
    parameterless = {
        model.model_fields["method"].default
        for model in methods
        if not any(field.is_required() for field in model.model_fields.values())
    }
    assert set(SHORTHAND_METHODS) == parameterless == {"linear", "threshold", "veto"}
