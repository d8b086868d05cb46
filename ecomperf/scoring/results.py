"""The result of scoring: :class:`ScoreCard` with one :class:`KpiScore` row per KPI (JSON-serialisable)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ecomperf._upward import upward
from ecomperf.scoring.missing import MissingPolicy
from ecomperf.scoring.raters import Rating
from ecomperf.sentences import EngineText
from ecomperf.targets import Target

__all__ = ["DroppedKpi", "KpiScore", "MissingPolicy", "Rating", "ScoreCard", "SectionScore"]


class KpiScore(BaseModel):
    """One KPI row of a scorecard, with everything needed to explain its score.

    Attributes:
        kpi: metric id; ``name`` its localised name.
        actual: the value scored (``None`` when missing under the ``zero`` policy).
        computed: the actual was computed from the metric's formula inputs.
        target: the target as resolved (event override or context variant applied).
        variant: the ``when`` condition of the target variant used, if any.
        achievement: actual / target for higher, target / actual for lower (``None`` where undefined).
        score: the KPI score in points (100 = target met exactly under linear scoring).
        weight: the KPI's weight on the card as scored (after events).
        weighted_score: the KPI's contribution to the total, ``weight * score / Σ weights``.
        method: the scoring method used; ``veto_breached`` whether a veto KPI was breached.
        cycle, period: the KPI's review cycle and the period its actual covers.
        notes: explanations (variant chosen, cap applied, computed from formula, missing …), each a
            :class:`~ecomperf.sentences.Sentence` (its English text) that documents write in their locale.
        section: the scorecard section the KPI belongs to (``None`` on cards without sections).
        ratings: each rater's rating, for a metric with raters (anonymous raters numbered, never named);
            ``actual`` is then the combined rating.
    """

    model_config = ConfigDict(frozen=True)

    kpi: str
    name: str | dict[str, str]
    unit: str
    actual: float | None
    computed: bool = False
    target: Target | None
    variant: dict[str, str | list[str]] | None = None
    achievement: float | None
    score: float
    weight: float
    weighted_score: float
    method: str
    veto_breached: bool = False
    cycle: str
    period: str
    notes: list[EngineText] = []
    section: str | None = None
    ratings: list[Rating] = []


class SectionScore(BaseModel):
    """One section of a scored card and its subtotal.

    Attributes:
        section: the section id; ``name`` its localised name (``None`` when the section declares none).
        weight: the points of 100 its KPIs carry on the card as scored (the sum of their weights).
        subtotal: the weighted mean of its KPIs' scores, ``Σ wᵢ·sᵢ / Σ wᵢ`` over the section's KPIs.
        shown: the subtotal on the display scale (``rules.display_scale``), when the framework has one.
        kpis: the KPI ids of the section, in card order.
    """

    model_config = ConfigDict(frozen=True)

    section: str
    name: str | dict[str, str] | None = None
    weight: float
    subtotal: float
    shown: float | None = None
    kpis: list[str] = []


class DroppedKpi(BaseModel):
    """A KPI left off the total, with the reason.

    Attributes:
        kpi: the metric id.
        weight: the weight it would have carried.
        reason: ``not applicable``, ``missing``, ``undefined`` (a formula divided by zero) or
            ``removed by event`` (an event set its weight to 0).
        detail: the explanation (which input was missing, which months, which event …).
    """

    model_config = ConfigDict(frozen=True)

    kpi: str
    weight: float
    reason: str
    detail: EngineText | None = None


class ScoreCard(BaseModel):
    """A scored card for one position (and employee) in one period.

    ``total`` is ``Σ wᵢ·sᵢ / Σ wᵢ`` over the KPIs kept; ``grade`` and ``bonus`` come from the framework's
    grade table, capped when a veto KPI was breached.

    Attributes:
        uncapped_total: the weighted total before a ``zero_total`` veto set ``total`` to 0 (equal to
            ``total`` otherwise).
        uncapped_grade: the grade ``uncapped_total`` earns, before any veto.
        grade_scale: the framework's grade ids, highest first, so that cards can be compared
            ("at or below C") without the framework at hand.
        dropped: KPIs left off the total (n/a, missing or undefined under ``renormalize``, removed by an event).
        veto_breaches: ids of veto KPIs whose target was not met.
        framework_version: the ``version`` of the framework that scored the card, when it declares one.
        fingerprint: the framework's content fingerprint (:attr:`ecomperf.Framework.fingerprint`), so that a
            card always says which documents produced it; ``None`` on cards saved before it existed.
        sections: the card's sections with their subtotals, in declared order (empty without sections).
        shown_total: the total on the framework's display scale (``rules.display_scale``, e.g. 3.767 of 5);
            ``display_scale`` is that scale's maximum. Grades stay on points.
    """

    model_config = ConfigDict(frozen=True)

    framework: str
    employee: str | None = None
    position: str
    position_name: str | dict[str, str]
    stage: str
    stage_name: str | dict[str, str] | None = None
    period: str
    events: list[str] = []
    context: dict[str, str] = {}
    kpis: list[KpiScore]
    dropped: list[DroppedKpi] = []
    missing_policy: MissingPolicy = "error"
    total: float
    uncapped_grade: str
    grade: str
    bonus: float
    veto_breaches: list[str] = []
    warnings: list[EngineText] = []
    uncapped_total: float | None = None
    grade_scale: list[str] = []
    framework_version: str | None = None
    fingerprint: str | None = None
    sections: list[SectionScore] = []
    shown_total: float | None = None
    display_scale: float | None = None

    def to_html(self, *, locale: str | None = None) -> str:
        """A self-contained HTML report of this card (chart of KPI scores, grade badge, veto, warnings).

        Rendered by :func:`ecomperf.render.report.scorecard_html`, reached through :mod:`ecomperf._upward`.
        """
        html: str = upward("scorecard_html")(self, locale=locale)
        return html
