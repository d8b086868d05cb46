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


def seconds(call: Callable[[], object], number: int, repeat: int = 9) -> tuple[float, float]:
    """Median and best over ``repeat`` runs of the time of one call, in seconds.

    ``timeit`` calls ``call`` directly, so the figures include one Python call of overhead (~25 ns).
    """
    runs = timeit.repeat(call, number=number, repeat=repeat)
    return statistics.median(runs) / number, min(runs) / number


def main() -> None:
    formula = Formula.parse(TEXT)
    scalar = {"revenue": 21_500_000.0, "cost": 15_000_000.0}

    def by_hand(values: dict[str, float]) -> float:
        return (values["revenue"] - values["cost"]) / values["revenue"]

    evaluate = formula.evaluate
    parse = seconds(lambda: Formula.parse(TEXT), number=2_000)
    scalar_time = seconds(lambda: evaluate(scalar), number=200_000)
    floor = seconds(lambda: by_hand(scalar), number=200_000)
    print(f"formula: {TEXT}  (median / best of 9 runs)")
    print(f"parse + compile:        {parse[0] * 1e6:8.2f} / {parse[1] * 1e6:.2f} us")
    print(f"evaluate (scalar):      {scalar_time[0] * 1e6:8.3f} / {scalar_time[1] * 1e6:.3f} us per evaluation")
    print(f"hand-written function:  {floor[0] * 1e6:8.3f} / {floor[1] * 1e6:.3f} us per evaluation")

    rng = np.random.default_rng(2026)
    revenue = rng.uniform(0.0, 1e6, SIZE)
    revenue[::100] = 0.0  # 1% undefined rows, as when a shop had no sales
    arrays = {"revenue": revenue, "cost": rng.uniform(0.0, 1e6, SIZE)}
    vector, _ = seconds(lambda: formula.evaluate_array(arrays), number=20)
    per_element = vector / SIZE * 1e9
    print(f"evaluate_array ({SIZE:,} rows, median): {vector * 1e3:.3f} ms = {per_element:.2f} ns per element")


if __name__ == "__main__":
    main()
