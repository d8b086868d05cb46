"""A change against the previous period in words: what the trend and team reports print.

>>> from ecomperf.render.labels import labels_for
>>> from ecomperf.scoring.trends import PeriodChange
>>> change_texts(PeriodChange("2026-10", "2026-09", 80.0, "C", 12.5, 1, "B"), labels_for("zh"))
('+12.5', 'C → B · 升 1 级', 'good', 'good')
"""

from __future__ import annotations

from collections.abc import Mapping

from ecomperf.scoring.trends import PeriodChange

__all__ = ["change_texts"]


def change_texts(change: PeriodChange, labels: Mapping[str, str]) -> tuple[str, str, str, str]:
    """``(total change, grade change, total tone, grade tone)`` of a change as a report prints them.

    A tone is ``good`` for a higher total or a better grade, ``poor`` for lower or worse, ``fair`` otherwise.

    >>> from ecomperf.render.labels import labels_for
    >>> change_texts(PeriodChange("2026-10", "2026-09", 80.0, "C", 12.5, 1, "B"), labels_for("en"))
    ('+12.5', 'C → B · up 1', 'good', 'good')
    >>> change_texts(PeriodChange("2026-10", "2026-09"), labels_for("en"))
    ('no card for 2026-09', '—', 'fair', 'fair')
    """
    if not change.known or change.total_change is None:
        missing = labels["previous_missing"].format(period=change.previous_period) if change.previous_period else "—"
        return missing, "—", "fair", "fair"
    total = f"{change.total_change:+.1f}"
    steps = change.grade_steps
    if steps is None or steps == 0:
        grade = labels["grade_same"] if steps == 0 else "—"
    else:
        word = labels["grade_up"] if steps > 0 else labels["grade_down"]
        grade = f"{change.previous_grade} → {change.grade} · {word.format(steps=abs(steps))}"
    total_tone = "good" if change.total_change > 0 else "poor" if change.total_change < 0 else "fair"
    grade_tone = "good" if steps and steps > 0 else "poor" if steps and steps < 0 else "fair"
    return total, grade, total_tone, grade_tone
