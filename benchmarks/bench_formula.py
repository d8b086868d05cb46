"""Time formula evaluation by hand: ``python benchmarks/bench_formula.py`` (not part of the tests).

Prints the median of several ``timeit`` runs for one scalar evaluation of
``(revenue - cost) / revenue`` and the cost per element of the same formula on 100,000-element
arrays, next to a hand-written Python function as the floor.
"""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable

import numpy as np

from ecomperf.formula import Formula

TEXT = "(revenue - cost) / revenue"
SIZE = 100_000


def median_seconds(call: Callable[[], object], number: int, repeat: int = 7) -> float:
    """Median over ``repeat`` runs of the time of one call, in seconds."""
    return statistics.median(timeit.repeat(call, number=number, repeat=repeat)) / number


def main() -> None:
    formula = Formula.parse(TEXT)
    scalar = {"revenue": 21_500_000.0, "cost": 15_000_000.0}

    def by_hand(values: dict[str, float]) -> float:
        return (values["revenue"] - values["cost"]) / values["revenue"]

    parse = median_seconds(lambda: Formula.parse(TEXT), number=2_000)
    evaluate = median_seconds(lambda: formula.evaluate(scalar), number=200_000)
    floor = median_seconds(lambda: by_hand(scalar), number=200_000)
    print(f"formula: {TEXT}")
    print(f"parse + compile:        {parse * 1e6:8.2f} us")
    print(f"evaluate (scalar):      {evaluate * 1e6:8.3f} us per evaluation")
    print(f"hand-written function:  {floor * 1e6:8.3f} us per evaluation")

    rng = np.random.default_rng(2026)
    revenue = rng.uniform(0.0, 1e6, SIZE)
    revenue[::100] = 0.0  # 1% undefined rows, as when a shop had no sales
    arrays = {"revenue": revenue, "cost": rng.uniform(0.0, 1e6, SIZE)}
    vector = median_seconds(lambda: formula.evaluate_array(arrays), number=20)
    print(f"evaluate_array ({SIZE:,}): {vector * 1e3:8.3f} ms = {vector / SIZE * 1e9:.2f} ns per element")


if __name__ == "__main__":
    main()
