"""``ecomperf validate`` and ``ecomperf schema`` as a user runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from ecomperf.cli import app
from ecomperf.model.schema import schema_text
from tests.conftest import BASE_FILES, REPO

runner = CliRunner()


def test_clean_framework_exits_0(framework_dir: Callable[..., Path]) -> None:
    result = runner.invoke(app, ["validate", str(framework_dir())])
    assert result.exit_code == 0
    assert result.output.startswith("OK: 1 framework(s), 4 file(s), no problems.")


def test_errors_print_compiler_style_lines_and_exit_1(framework_dir: Callable[..., Path]) -> None:
    root = framework_dir(
        {"x.yaml": "apiVersion: ecomperf/v1\nkind: Metric\nid: x\nname: X\nunit: count\ndirecton: up\n"}
    )
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{root / 'x.yaml'}:6:1: EP103 unknown field 'directon'; did you mean 'direction'?"
    assert lines[1].startswith("    hint: allowed here: ")
    assert lines[-1] == "Found 1 error(s) and 0 warning(s) in 5 file(s)."


def test_warnings_only_exit_0_unless_strict(framework_dir: Callable[..., Path]) -> None:
    root = framework_dir({"modules.yaml": BASE_FILES["modules.yaml"].replace("kpis: [gmv]", "kpis: [gmv, revenue]")})
    relaxed = runner.invoke(app, ["validate", str(root)])
    strict = runner.invoke(app, ["validate", "--strict", str(root)])
    assert (relaxed.exit_code, strict.exit_code) == (0, 1)
    assert "EP402 warning: module 'product_ops' KPI 'revenue'" in relaxed.output


def test_json_format_for_tooling(framework_dir: Callable[..., Path]) -> None:
    root = framework_dir({"x.yaml": "apiVersion: ecomperf/v1\nkind: Metric\nid: x\nname: X\nunit: kg\n"})
    result = runner.invoke(app, ["validate", "--format", "json", str(root)])
    payload = json.loads(result.output)
    assert result.exit_code == 1
    assert payload["errors"] == 1
    problem = payload["frameworks"][0]["problems"][0]
    assert (problem["code"], problem["line"], problem["column"], problem["severity"]) == ("EP104", 5, 1, "error")


def test_usage_error_exits_2() -> None:
    assert runner.invoke(app, ["validate"]).exit_code == 2
    assert runner.invoke(app, ["validate", "--format", "xml", "x"]).exit_code == 2


def test_several_paths_are_validated_together(framework_dir: Callable[..., Path]) -> None:
    result = runner.invoke(app, ["validate", str(framework_dir()), str(REPO / "examples" / "mini-framework")])
    assert result.exit_code == 0
    assert result.output.startswith("OK: 2 framework(s)")


def test_committed_schema_matches_the_models() -> None:
    committed = (REPO / "schema" / "ecomperf-v1.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run `make schema` and commit schema/ecomperf-v1.json"


def test_schema_command_prints_a_union_over_kinds() -> None:
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.output)
    kinds = {one["$ref"].rsplit("/", 1)[1] for one in schema["oneOf"]}
    assert kinds == {"FrameworkSpec", "Metric", "Module", "Position", "Event", "Workflow", "TargetPlan"}
    assert schema["$defs"]["Metric"]["additionalProperties"] is False


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "ecomperf", "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.startswith("ecomperf ")
