"""Re-score one card with some actuals moved and the others held: the forward model every planning answer is checked on.

A :class:`Probe` scores the card once as given (:attr:`Probe.base`), then freezes every KPI at the
value it was scored on: a formula KPI computed from its inputs is pinned at the computed value, so
moving ``gmv`` does not also move ``gmv_growth_rate``. :meth:`Probe.score` moves some values and scores
again with :func:`ecomperf.scoring.card.score_card`, the engine itself, so no planning answer relies on a
copy of the scoring rules. To move a formula's input instead of the formula, :meth:`Probe.score` takes
``release``: the KPIs to recompute from their inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ecomperf.errors import ScoringError
from ecomperf.model import Grade
from ecomperf.model.index import FrameworkIndex
from ecomperf.problems import Problem
from ecomperf.scoring.actuals import Parsed, parse_values
from ecomperf.scoring.card import score_card
from ecomperf.scoring.missing import MissingPolicy
from ecomperf.scoring.resolve import ResolvedCard, ResolvedKpi
from ecomperf.scoring.results import KpiScore, ScoreCard

__all__ = ["Probe"]


@dataclass
class Probe:
    """One card, its actuals, and the grade wanted.

    Attributes:
        fw: the framework.
        card: the resolved card, targets fitted to the period (see :func:`ecomperf.scoring.plan_targets.fit_targets`).
        actuals: the flat actuals of the card's period (``{metric: value}``).
        grade: the grade wanted.
        missing: the missing-actual policy used for every scoring.
        employee: put on the cards.
    """

    fw: FrameworkIndex
    card: ResolvedCard
    actuals: Mapping[str, object]
    grade: Grade
    missing: MissingPolicy = "error"
    employee: str | None = None
    calls: int = field(default=0, init=False)

    @cached_property
    def base(self) -> ScoreCard:
        """The card scored on the actuals as given."""
        return score_card(self.fw, self.card, self.actuals, missing=self.missing, employee=self.employee)

    @cached_property
    def parsed(self) -> Parsed:
        """The actuals as numbers (raises :class:`ScoringError` for values that are not numbers)."""
        parsed = parse_values(self.fw, self.actuals)
        if parsed.errors:
            problems = [Problem("ES103", text) for text in parsed.errors]
            raise ScoringError("actuals are not all numbers", problems=problems)
        return parsed

    @cached_property
    def frozen(self) -> dict[str, object]:
        """The actuals with every KPI pinned at the value it was scored on."""
        values: dict[str, object] = dict(self.parsed.values)
        values.update(dict.fromkeys(self.parsed.not_applicable, "n/a"))
        values.update({row.kpi: row.actual for row in self.base.kpis if row.actual is not None})
        return values

    @cached_property
    def weights(self) -> float:
        """The weights on the base card's total."""
        return sum(row.weight for row in self.base.kpis)

    def row(self, kpi: str) -> KpiScore:
        """The base card's row of ``kpi``."""
        return next(row for row in self.base.kpis if row.kpi == kpi)

    def entry(self, kpi: str) -> ResolvedKpi:
        """The resolved entry of ``kpi``."""
        return next(entry for entry in self.card.entries if entry.kpi == kpi)

    def score(self, moved: Mapping[str, float], release: Iterable[str] = ()) -> ScoreCard | None:
        """The card with ``moved`` values and the others frozen; ``None`` when it cannot be scored.

        Args:
            moved: metric id -> value.
            release: KPIs to drop from the frozen values, so that they are recomputed from their inputs.
        """
        self.calls += 1
        values = {key: value for key, value in self.frozen.items() if key not in set(release)}
        values.update(moved)
        try:
            return score_card(self.fw, self.card, values, missing=self.missing, employee=self.employee)
        except ScoringError:  # e.g. a formula undefined at the moved value
            return None

    def reaches(self, card: ScoreCard | None) -> bool:
        """Whether ``card`` earns the wanted grade or a better one."""
        if card is None:
            return False
        ids = [grade.id for grade in self.fw.grades]
        return ids.index(card.grade) <= ids.index(self.grade.id)

    def total(self, moved: Mapping[str, float], release: Iterable[str] = ()) -> float | None:
        """The total with ``moved`` values (``None`` when the card cannot be scored)."""
        card = self.score(moved, release)
        return None if card is None else card.total
