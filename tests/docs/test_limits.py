"""The input-limits page states the limits the code enforces (so that neither drifts from the other)."""

from __future__ import annotations

from dataclasses import fields

from ecomperf.formula import MAX_LENGTH, MAX_NODES
from ecomperf.loading.yaml_source import MAX_DEPTH, MAX_EXPANDED_CHARS, MAX_EXPANDED_VALUES, MAX_FILE_BYTES
from ecomperf.render.budget import DEFAULT_BUDGET
from tests.conftest import REPO

PAGE = (REPO / "docs" / "reference" / "limits.md").read_text(encoding="utf-8")


def test_the_page_states_every_yaml_limit() -> None:
    assert f"| {MAX_FILE_BYTES // 1024 // 1024} MiB |" in PAGE
    assert f"| {MAX_DEPTH} levels" in PAGE
    assert f"| {MAX_EXPANDED_VALUES:,} per document |" in PAGE
    assert f"| {MAX_EXPANDED_CHARS:,} characters" in PAGE
    assert f"| {MAX_LENGTH} characters, {MAX_NODES} parts |" in PAGE


def test_the_page_states_every_template_budget() -> None:
    stated = {
        "max_seconds": f"| {DEFAULT_BUDGET.max_seconds:g} seconds |",
        "max_iterations": f"together | {DEFAULT_BUDGET.max_iterations:,} |",
        "max_range": f"`range()` | {DEFAULT_BUDGET.max_range:,} |",
        "max_value": f"macro arguments | {DEFAULT_BUDGET.max_value:,} |",
        "max_built": f"| {DEFAULT_BUDGET.max_built:,} characters |",
        "max_output": f"Output of one render | {DEFAULT_BUDGET.max_output:,} characters |",
        "max_power_bits": f"| {DEFAULT_BUDGET.max_power_bits:,} bits",
    }
    assert set(stated) == {field.name for field in fields(DEFAULT_BUDGET)}
    assert [name for name, text in stated.items() if text not in PAGE] == []


def test_the_page_is_in_the_navigation() -> None:
    assert "Input limits: reference/limits.md" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
