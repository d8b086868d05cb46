"""The cyclic garbage collector paused while ecomperf builds many long-lived objects that make no cycles.

Loading a framework (YAML nodes, values, models, source maps) and scoring a batch are such blocks: scoring
100,000 rows with ``detail=True`` keeps 100,000 cards of a dozen objects each. None of them is in a
reference cycle, so Python's cyclic collector frees nothing among them (its statistics say so), yet every
full collection walks all of them again: a third of a load, a quarter to a third of a batch. Reference
counting still frees everything that is dropped; a cycle made meanwhile waits for the collector to be back
on, at the end of the block.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_collection"]


@contextmanager
def paused_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, and restore it as it was (even on error).

    >>> with paused_collection():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
