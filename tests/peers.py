"""The peers' own test cases as ecomperf frameworks: ``examples/peers/`` (shown by the "Coming from another
tool" page, which runs them at docs build time).

Frappe HRMS (``hrms/hr/doctype/appraisal/test_appraisal.py``): goals (KRAs) scored 0-5 at weights 30/70,
self-appraisal and feedback rating two criteria 0-1 at weights 70/30; the final score is the mean of the
goal, self and feedback scores, out of 5. OKR (okr-tracker): a key result's progress is
``(value - start) / (target - start)``, counted between 0% and 100%; the objective's progress is the
weighted mean.
"""

from __future__ import annotations

from pathlib import Path

import ecomperf
from ecomperf.framework import Framework
from tests.conftest import REPO

PEERS = REPO / "examples" / "peers"
FRAPPE = PEERS / "frappe-appraisal.yaml"
OKR = PEERS / "okr-objective.yaml"
ORANGEHRM = PEERS / "orangehrm-kpis.yaml"

FRAPPE_ACTUALS = {
    "kra_quality": 5, "kra_development": 3,
    "problem_solving@self": 0.8, "excellence@self": 0.7,
    "problem_solving@feedback": 0.8, "excellence@feedback": 0.7,
}
"""``setup_appraisal_cycle`` of Frappe's test: goals 5 and 3, self and feedback ratings 0.8 and 0.7."""


def variant(root: Path, source: Path, *replacements: tuple[str, str]) -> Framework:
    """``source`` with each ``(old, new)`` replaced (each must occur), written under ``root`` and loaded."""
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    root.mkdir(parents=True, exist_ok=True)
    path = root / source.name
    path.write_text(text, encoding="utf-8")
    return ecomperf.load(path)


def okr_actuals(*progress: tuple[float, float, float]) -> dict[str, float]:
    """``(start, target, value)`` of each key result as the actuals of the OKR card."""
    actuals: dict[str, float] = {}
    for number, (start, target, value) in enumerate(progress, start=1):
        actuals |= {f"kr{number}_start": start, f"kr{number}_target": target, f"kr{number}_value": value}
    return actuals
