"""The cyclic garbage collector paused while ecomperf builds many objects that make no cycles.

Loading a framework (YAML nodes, values, models, source maps) and scoring a batch are such blocks: scoring
100,000 rows with ``detail=True`` keeps 100,000 cards of a dozen objects each. None of them is in a
reference cycle, so Python's cyclic collector frees nothing among them (its statistics say so), yet every
full collection walks all of them again: a third of a load, a quarter to a third of a batch. Reference
counting still frees everything that is dropped; a cycle made meanwhile waits for the collector to be back
on, at the end of the block.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_collection"]


@contextmanager
def paused_collection(*, keep: bool = False, promote: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, and restore it as it was (even on error).

    With ``promote``, what the block built goes straight to the oldest generation when it ends, where only
    full collections walk it, as they walk every long-lived object. Otherwise the first young collection
    after the block walks all of it at once: at 10× the benchmark framework, 300,000 objects and a tenth of
    the load. The move is :func:`gc.freeze` then :func:`gc.unfreeze`, two list splices, so nothing stays
    frozen. The block first collects the young generation, so that no garbage of the caller's is moved
    with it; and it moves nothing if the collector was off already, if the program has frozen objects
    itself (``gc.unfreeze`` would thaw them) or if it runs without the GIL (where a freeze visits the
    whole heap).

    With ``keep``, every object alive when the block ends is also frozen: no later collection walks it
    again, the one at interpreter exit included. Only for what lives as long as the process, such as the
    modules and model classes a command imports; a frozen cycle is never freed.

    >>> with paused_collection():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    promote = promote and enabled and not keep and _generational() and gc.get_freeze_count() == 0
    if promote:
        gc.collect(0)
    gc.disable()
    try:
        yield
    finally:
        if keep or promote:
            gc.freeze()
        if promote:
            gc.unfreeze()
        if enabled:
            gc.enable()


def _generational() -> bool:
    """Whether this interpreter's collector is the generational one (not that of a build without the GIL)."""
    gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return gil_enabled is None or bool(gil_enabled())
