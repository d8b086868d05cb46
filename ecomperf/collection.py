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
def paused_collection(*, keep: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, and restore it as it was (even on error).

    With ``keep``, every object alive when the block ends is also frozen (:func:`gc.freeze`): no later
    collection walks it again, the one at interpreter exit included. Only for what lives as long as the
    process, such as the modules and model classes a command imports; a frozen cycle is never freed.

    >>> with paused_collection():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if enabled:
            gc.enable()
