"""A copy of the bundled ecommerce-ops framework with four edits, made in a test's tmp_path.

The edits are the ones issue 16 names: one weight moved, one target changed, a duty moved between
modules, and a file split into two. Each edit checks that the text it changes is there, so a change to
the bundled framework fails here with a clear message instead of silently testing something else.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO

BUNDLED = REPO / "frameworks" / "ecommerce-ops"
EXAMPLES = REPO / "examples"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name} no longer holds {old!r} exactly once; update tests/changes/conftest.py"
    path.write_text(text.replace(old, new), encoding="utf-8")


def move_weight(root: Path) -> None:
    """store_manager, growth stage: 5 points from gmv_growth_rate (10 -> 5) to repurchase_rate (30 -> 35)."""
    path = root / "positions" / "store_manager.yaml"
    _replace(path, '- {kpi: gmv_growth_rate, weight: 10, target: ">= 15%"}',
             '- {kpi: gmv_growth_rate, weight: 5, target: ">= 15%"}')
    text = path.read_text(encoding="utf-8")
    growth = text.index("    growth:\n")
    at = text.index("      - kpi: repurchase_rate\n        weight: 30", growth)
    path.write_text(text[:at] + text[at:].replace("weight: 30", "weight: 35", 1), encoding="utf-8")


def change_target(root: Path) -> None:
    """content_ops_specialist, growth stage: content_impressions >= 100万 becomes >= 80万."""
    _replace(root / "positions" / "content_ops_specialist.yaml",
             '- {kpi: content_impressions, weight: 40, target: ">= 100万"}',
             '- {kpi: content_impressions, weight: 40, target: ">= 80万"}')


def move_duty(root: Path) -> None:
    """The duty product_ops.portfolio moves to activity_ops (the end of its responsibilities)."""
    path = root / "modules" / "operations.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("  - id: portfolio\n")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("  - id:") or not lines[i][0].isspace())
    block = lines[start:end]
    del lines[start:end]
    module = lines.index("id: activity_ops\n")
    forbidden = next(i for i in range(module, len(lines)) if lines[i] == "forbidden:\n")
    lines[forbidden:forbidden] = block
    path.write_text("".join(lines), encoding="utf-8")


def split_file(root: Path) -> tuple[Path, Path]:
    """metrics/core.yaml becomes metrics/core.yaml (first half of its documents) and metrics/core-more.yaml."""
    path = root / "metrics" / "core.yaml"
    documents = path.read_text(encoding="utf-8").split("\n---\n")
    assert len(documents) >= 2, "metrics/core.yaml holds a single document; split another file in conftest.py"
    half = len(documents) // 2
    path.write_text("\n---\n".join(documents[:half]) + "\n", encoding="utf-8")
    more = root / "metrics" / "core-more.yaml"
    more.write_text("\n---\n".join(documents[half:]), encoding="utf-8")
    return path, more


def bundled_copy(tmp_path: Path, name: str = "ecommerce-ops") -> Path:
    """A fresh copy of the bundled framework under ``tmp_path``."""
    root = tmp_path / name
    shutil.copytree(BUNDLED, root)
    return root


def make_edited(tmp_path: Path) -> Path:
    """A copy with all four edits, in ``tmp_path/ecommerce-ops-edited``."""
    root = bundled_copy(tmp_path, "ecommerce-ops-edited")
    move_weight(root)
    change_target(root)
    move_duty(root)
    split_file(root)
    return root
