"""``ecomperf.diff`` reports changes to target plans, which move targets as much as a scorecard edit does."""

from __future__ import annotations

from pathlib import Path

import ecomperf
from tests.changes.edits import BUNDLED, bundled_copy


def test_a_changed_share_and_remainder_are_two_plan_changes(tmp_path: Path) -> None:
    root = bundled_copy(tmp_path)
    plans = root / "plans.yaml"
    plans.write_text(plans.read_text(encoding="utf-8").replace("share: 30%", "share: 35%")
                     .replace("unassigned: 50%", "unassigned: 45%"), encoding="utf-8")
    result = ecomperf.diff(ecomperf.load(BUNDLED), ecomperf.load(root))
    assert [(c.kind, c.id, c.field, c.old, c.new) for c in result] == [
        ("plan", "gmv_2026", "shares.selected_product_gmv.share", 0.3, 0.35),
        ("plan", "gmv_2026", "unassigned", 0.5, 0.45),
    ]
    assert [group for group, _ in result.by_group()] == ["plans"]


def test_a_removed_plan_is_reported_with_its_name(tmp_path: Path) -> None:
    root = bundled_copy(tmp_path)
    (root / "plans.yaml").unlink()
    result = ecomperf.diff(ecomperf.load(BUNDLED), ecomperf.load(root))
    assert [(c.kind, c.id, c.action) for c in result] == [
        ("plan", "gmv_2026", "removed"), ("plan", "store_gmv_2026_q1", "removed")]
