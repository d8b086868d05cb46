"""Planning: what-if (the actual each KPI needs for a grade), sensitivity, and the target calendar.

* :func:`whatif` (:mod:`ecomperf.planning.whatif`): for each KPI of an employee's card, the actual that
  reaches a grade with the others held, or why none does (cap, veto, weight); for formula KPIs, the
  input that moves; the cheapest single move; each KPI's sensitivity.
* :mod:`ecomperf.planning.inverse`: the exact inverse of every scoring method.
* :func:`year_calendar` (:mod:`ecomperf.planning.calendar`): the target plans of a year per position
  and month, as ``ecomperf plan`` prints them; :mod:`ecomperf.planning.export` writes them.

Target plans themselves are documents (``kind: TargetPlan``, :mod:`ecomperf.model.plan`); their
arithmetic is :mod:`ecomperf.scoring.decompose`, and scoring takes their targets through
:mod:`ecomperf.scoring.plan_targets`.
"""

from ecomperf.planning.calendar import PlanView, year_calendar
from ecomperf.planning.inverse import Needed, best_score, needed_for_score
from ecomperf.planning.sensitivity import Sensitivity
from ecomperf.planning.solve import InputNeed
from ecomperf.planning.whatif import KpiNeed, WhatIf, whatif

__all__ = [
    "InputNeed",
    "KpiNeed",
    "Needed",
    "PlanView",
    "Sensitivity",
    "WhatIf",
    "best_score",
    "needed_for_score",
    "whatif",
    "year_calendar",
]
