"""Golden files: one Markdown job description per bundled framework, compared byte for byte.

After an intended change, regenerate them and review the diff::

    ECOMPERF_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/render/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ecomperf.framework import Framework

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("ECOMPERF_REGENERATE_GOLDEN") == "1"

CASES = [
    # (fixture, position, stage, locale)
    ("ecommerce_ops", "store_manager", None, "zh"),
    ("cross_border", "cb_operations_manager", "mature", "en"),
    ("mini", "store_manager", None, "en"),
]


@pytest.mark.parametrize(("fixture", "position", "stage", "locale"), CASES)
def test_markdown_job_description_matches_golden_file(
    request: pytest.FixtureRequest, fixture: str, position: str, stage: str | None, locale: str
) -> None:
    framework: Framework = request.getfixturevalue(fixture)
    rendered = framework.render_jd(position, stage=stage, locale=locale, format="md")
    golden = GOLDEN / f"{framework.id}.{position}.{stage or 'all'}.{locale}.md"
    if REGENERATE:
        golden.write_text(rendered, encoding="utf-8")
    assert golden.is_file(), f"missing {golden.name}; run with ECOMPERF_REGENERATE_GOLDEN=1"
    assert rendered == golden.read_text(encoding="utf-8")
