"""Turning model values into the words and numbers people read: targets, weights, cycles, scoring methods.

Numbers keep their units (``35%``, ``2000万``, ``24h``); operators print as ``≥``/``≤``.

>>> from ecomperf.targets import parse_target
>>> target_text(parse_target(">= 35%"), "percent"), weight_text(40.0)
('≥ 35%', '40%')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ecomperf.model import (
    BandsScoring,
    FrameworkSpec,
    InterpolateScoring,
    KpiEntry,
    LinearScoring,
    Metric,
    RangeScoring,
    ScoringMethod,
    TargetVariant,
    ThresholdScoring,
    localize,
)
from ecomperf.render.l10n import quantity_text
from ecomperf.scoring.methods import default_method
from ecomperf.targets import Target, format_quantity

__all__ = [
    "cycle_text",
    "kpi_scoring_text",
    "kpi_target_clauses",
    "scoring_text",
    "target_text",
    "variant_condition_text",
    "weight_text",
]

_OPERATORS = {">=": "≥", "<=": "≤", "==": "=", ">": ">", "<": "<"}


def _amount(value: float, unit: str | None, locale: str | None) -> str:
    return format_quantity(value, unit) if locale is None else quantity_text(value, unit, locale)


def target_text(target: Target, unit: str | None, locale: str | None = None) -> str:
    """A target in the metric's unit: ``≥ 35%``, ``≤ 24h``, ``= 0``, ``90%–95%``.

    With ``locale``, large amounts are written for that locale (``≥ 20M`` in English, ``≥ 2000万`` in Chinese);
    without, in the YAML shorthand (``≥ 2000万``).
    """
    if target.op == "range":
        assert target.low is not None and target.high is not None
        return f"{_amount(target.low, unit, locale)}–{_amount(target.high, unit, locale)}"
    assert target.value is not None
    return f"{_OPERATORS[target.op]} {_amount(target.value, unit, locale)}"


def weight_text(weight: float) -> str:
    """A weight in points of 100, shown as a share: ``40%``."""
    return f"{format_quantity(weight)}%"


def cycle_text(cycle: str, labels: Mapping[str, str]) -> str:
    """The localised name of a review cycle (``monthly`` -> ``月度``)."""
    return labels.get(f"cycle_{cycle}", cycle)


def variant_condition_text(variant: TargetVariant, spec: FrameworkSpec, locale: str) -> str:
    """The ``when`` of a target variant by the names of its context values: ``3C数码`` or ``Apparel/FMCG``."""
    parts: list[str] = []
    for dimension_id, wanted in variant.when.items():
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        parts.append("/".join(_context_value_name(spec, dimension_id, value, locale) for value in values))
    separator = ", " if locale != "zh" else "、"
    return separator.join(parts)


def _context_value_name(spec: FrameworkSpec, dimension_id: str, value_id: str, locale: str) -> str:
    dimension = spec.contexts.get(dimension_id)
    if dimension is None:
        return value_id
    for value in dimension.values:
        if value.id == value_id and value.name is not None:
            return localize(value.name, locale, spec.default_locale)
    return value_id


def kpi_target_clauses(
    entry: KpiEntry, metric: Metric | None, spec: FrameworkSpec, locale: str, labels: Mapping[str, str]
) -> tuple[str, ...]:
    """The default target followed by each variant: ``("≥ 4", "3C数码：≥ 6")``."""
    unit = metric.unit if metric is not None else None
    clauses = [target_text(entry.target, unit, locale)] if entry.target is not None else []
    clauses.extend(
        f"{variant_condition_text(variant, spec, locale)}{labels['colon']}{target_text(variant.target, unit, locale)}"
        for variant in entry.variants
    )
    return tuple(clauses) or ("—",)


def kpi_scoring_text(
    entry: KpiEntry,
    metric: Metric | None,
    labels: Mapping[str, str],
    veto_caps_grade_at: str | None,
    locale: str | None = None,
) -> str:
    """How a KPI is scored: its declared method, else the engine's default for the metric's direction."""
    unit = metric.unit if metric is not None else None
    direction = metric.direction if metric is not None else "higher"
    method = entry.scoring if entry.scoring is not None else default_method(direction)
    return scoring_text(method, unit, labels, veto_caps_grade_at, locale)


def scoring_text(
    method: ScoringMethod,
    unit: str | None,
    labels: Mapping[str, str],
    veto_caps_grade_at: str | None,
    locale: str | None = None,
) -> str:
    """How a KPI is scored, in words, with the parameters that differ from the defaults.

    >>> from ecomperf.render.labels import labels_for
    >>> scoring_text(ThresholdScoring(), None, labels_for("en"), None)
    'Threshold (met = 100, else 0)'
    """
    if isinstance(method, LinearScoring):
        if (method.floor, method.cap) == (0, 120):
            return labels["scoring_linear"]
        return labels["scoring_linear_bounds"].format(
            floor=format_quantity(method.floor), cap=format_quantity(method.cap)
        )
    if isinstance(method, ThresholdScoring):
        return labels["scoring_threshold"]
    if isinstance(method, BandsScoring):
        return labels["scoring_bands"].format(bands=_bands_text(method, labels))
    if isinstance(method, InterpolateScoring):
        fields = {"threshold": _amount(method.threshold, unit, locale), "cap": format_quantity(method.cap)}
        if method.stretch is None:
            return labels["scoring_interpolate_no_stretch"].format(**fields)
        return labels["scoring_interpolate"].format(stretch=_amount(method.stretch, unit, locale), **fields)
    if isinstance(method, RangeScoring):
        return labels["scoring_range"].format(tolerance=_amount(method.tolerance, unit, locale))
    if method.effect == "zero_total":
        return labels["scoring_veto_zero"]
    if veto_caps_grade_at:
        return labels["scoring_veto_cap"].format(grade=veto_caps_grade_at)
    return labels["scoring_veto"]


def _bands_text(method: BandsScoring, labels: Mapping[str, str]) -> str:
    bands: Sequence[str] = [
        labels["scoring_band"].format(
            achievement=format_quantity(band.min_achievement, "percent"), score=format_quantity(band.score)
        )
        for band in method.bands
    ]
    return labels["clause_sep"].join(bands)
