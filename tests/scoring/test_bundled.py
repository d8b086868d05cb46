"""The bundled frameworks score sensibly: a KPI exactly on target never costs points."""

from __future__ import annotations

from pathlib import Path

import pytest

import ecomperf
from ecomperf.scoring.resolve import resolve_card

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = [ROOT / "frameworks" / "ecommerce-ops", ROOT / "frameworks" / "cross-border",
              ROOT / "examples" / "mini-framework"]


@pytest.mark.parametrize("path", FRAMEWORKS, ids=lambda p: p.name)
def test_every_card_on_target_scores_at_least_100(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path.name} is not bundled")
    fw = ecomperf.load(path)
    scored = 0
    for position in fw.positions.values():
        stages = position.scorecard.stages if position.scorecard else {}
        for stage in stages:
            for period in ("2026-10", "2026-11", "2026-06"):  # plain months and the event months
                card = resolve_card(fw, position.id, stage=stage, period=period)
                # every KPI exactly on its target (a range target's midpoint, 0 for zero tolerance)
                actuals = {e.kpi: e.target.reference if e.target else 0.0 for e in card.entries}
                result = fw.score(position.id, stage=stage, period=period, actuals=actuals)
                assert result.total >= 100, (position.id, stage, period, [(k.kpi, k.score) for k in result.kpis])
                assert result.veto_breaches == []
                scored += 1
    assert scored > 0
