"""The last step of every inverse: the exact floating-point boundary where a monotone test turns true.

A closed form such as ``x = s · t / 100`` lands within a few units in the last place of the true
answer, and scores are rounded to :data:`ecomperf.scoring.methods.PRECISION` decimals, which moves the
boundary a little further. :func:`lowest_true` starts at the closed form and walks the float lattice
(doubling its step, then halving it) until it holds the two neighbouring floats between which the
test changes; each step runs the forward scorer, so the answer agrees with it exactly. Started at a
good guess it needs a few dozen evaluations; it never needs more than about 130.

:func:`bracket` is the search used when there is no closed form at all (a formula with ``min``,
``max``, ``round`` …): from a starting value it tries changes of 1%, 2%, 4% … of it (or of 1 when it
is 0) upwards and downwards alternately, takes the first value that passes, and finishes with
:func:`lowest_true` or :func:`highest_true` between that value and the last one that failed.

Example:
    >>> lowest_true(lambda x: x * 3 >= 1, 0.3)  # the smallest float whose triple reaches 1
    0.3333333333333333
"""

from __future__ import annotations

import math
import struct
import sys
from collections.abc import Callable
from typing import Final

__all__ = ["bracket", "highest_true", "lowest_true", "step_down", "step_up"]

Test = Callable[[float], bool]

_GROWTHS: Final = 64  # 1% · 2**63 of any finite start exceeds every float


def _ordinal(x: float) -> int:
    """Floats in order as integers: adjacent floats differ by 1, -0.0 and 0.0 are both 0."""
    bits: int = struct.unpack("<q", struct.pack("<d", x))[0]
    return bits if bits >= 0 else -(bits & 0x7FFFFFFFFFFFFFFF)


_MAX: Final = _ordinal(sys.float_info.max)


def _float(ordinal: int) -> float:
    value: float = struct.unpack("<d", struct.pack("<q", abs(ordinal)))[0]
    return value if ordinal >= 0 else -value


def step_up(x: float) -> float:
    """The next float above ``x``."""
    return math.nextafter(x, math.inf)


def step_down(x: float) -> float:
    """The next float below ``x``."""
    return math.nextafter(x, -math.inf)


def lowest_true(test: Test, start: float) -> float | None:
    """The smallest float ``x`` near ``start`` with ``test(x)``, for a test that is false below and true above.

    Returns:
        The boundary float (``test`` holds there and not at the float just below it), the lowest finite
        float when the test holds everywhere below ``start``, or ``None`` when it holds nowhere above.
    """
    position = _ordinal(start)
    if test(start):
        high, step = position, 1
        while True:
            low = max(high - step, -_MAX)
            if not test(_float(low)):
                break
            if low == -_MAX:
                return _float(low)
            high, step = low, step * 2
    else:
        low, step = position, 1
        while True:
            high = min(low + step, _MAX)
            if test(_float(high)):
                break
            if high == _MAX:
                return None
            low, step = high, step * 2
    while high - low > 1:
        middle = (low + high) // 2
        if test(_float(middle)):
            high = middle
        else:
            low = middle
    return _float(high)


def highest_true(test: Test, start: float) -> float | None:
    """The largest float ``x`` near ``start`` with ``test(x)``, for a test that is true below and false above."""
    found = lowest_true(lambda x: test(-x), -start)
    return None if found is None else -found


def bracket(test: Test, start: float) -> tuple[float, bool] | None:
    """Search outwards from ``start`` for the nearest value where ``test`` turns true, with no closed form.

    Returns:
        ``(boundary, upwards)``: the boundary float and whether it lies above ``start`` (``test`` is then
        false just below it; when below ``start``, false just above it); ``None`` when no change of up to
        2⁶³ times the first step makes ``test`` true.
    """
    unit = abs(start) * 0.01 or 0.01
    for growth in range(_GROWTHS):
        change = unit * 2.0**growth
        up, down = start + change, start - change
        if math.isfinite(up) and test(up):
            found = lowest_true(test, up)
            return (up if found is None else found), True
        if math.isfinite(down) and test(down):
            found = highest_true(test, down)
            return (down if found is None else found), False
    return None
