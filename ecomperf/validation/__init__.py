"""Cross-document validation: ``DEFAULT_RULES``, one module per code group.

Each rule is a small function that yields problems; one crashing rule becomes a reported problem (EP900)
rather than a traceback, so every other rule still reports. Codes: EP2xx references
(:mod:`~ecomperf.validation.references`), EP3xx scorecards (:mod:`~ecomperf.validation.scorecards`),
EP3xx sections and raters (:mod:`~ecomperf.validation.sections`), EP4xx organisation
(:mod:`~ecomperf.validation.organisation`), locales (:mod:`~ecomperf.validation.locales`) and EP5xx target
plans (:mod:`~ecomperf.validation.plans`).
Add a rule by writing a function ``rule(fw) -> Iterable[Problem]`` decorated with :func:`rule` and listing
it in ``DEFAULT_RULES``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ecomperf.model.index import FrameworkIndex
from ecomperf.problems import Problem
from ecomperf.validation.base import Rule, rule
from ecomperf.validation.locales import missing_locales
from ecomperf.validation.organisation import (
    duties_held_twice,
    forbidden_duties_held,
    smart_kpis,
    unowned_module_kpis,
)
from ecomperf.validation.plans import PLAN_RULES
from ecomperf.validation.references import (
    duplicate_inner_ids,
    event_references,
    formula_references,
    reporting_cycles,
    unknown_duty_references,
    unknown_grades_and_dimensions,
    unknown_levels_and_contexts,
    unknown_metrics,
    unknown_modules,
    unknown_positions,
    unknown_stages,
)
from ecomperf.validation.scorecards import (
    distribution_shares,
    event_weights,
    kpi_listed_twice,
    method_parameters,
    overlapping_events,
    stage_weights,
    target_directions,
    veto_and_direction,
)
from ecomperf.validation.sections import (
    rated_scoring,
    section_references,
    section_weights,
    weighted_section_events,
)

__all__ = ["DEFAULT_RULES", "Rule", "rule", "validate"]

DEFAULT_RULES: tuple[Rule, ...] = (
    unknown_metrics,
    unknown_modules,
    unknown_positions,
    unknown_stages,
    unknown_levels_and_contexts,
    formula_references,
    reporting_cycles,
    duplicate_inner_ids,
    unknown_duty_references,
    unknown_grades_and_dimensions,
    event_references,
    stage_weights,
    target_directions,
    kpi_listed_twice,
    veto_and_direction,
    event_weights,
    method_parameters,
    overlapping_events,
    distribution_shares,
    section_references,
    section_weights,
    weighted_section_events,
    rated_scoring,
    forbidden_duties_held,
    unowned_module_kpis,
    duties_held_twice,
    smart_kpis,
    missing_locales,
    *PLAN_RULES,
)
"""Every rule ``ecomperf.load`` runs, in order."""


def validate(fw: FrameworkIndex, rules: Iterable[Rule] | None = None) -> list[Problem]:
    """Run every rule (``DEFAULT_RULES`` unless given) and return all problems found."""
    found: list[Problem] = []
    for check in DEFAULT_RULES if rules is None else rules:
        found.extend(check(fw))
    return found
