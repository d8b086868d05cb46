"""The collector pause: off inside the block, restored as it was afterwards, even on error."""

from __future__ import annotations

import gc
import weakref

import pytest

import ecomperf
from ecomperf.collection import paused_collection
from tests.conftest import MINI


def test_the_collector_is_back_on_after_the_block_even_when_it_raises() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_collection():
        assert not gc.isenabled()
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with paused_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the caller's choice, not ours to undo
    finally:
        gc.enable()


def test_keep_freezes_what_the_block_built_out_of_every_later_collection() -> None:
    frozen_before = gc.get_freeze_count()
    try:
        with paused_collection(keep=True):
            built = [[index] for index in range(1_000)]  # 1,001 lists the collector tracks
            assert not gc.isenabled()
        assert gc.isenabled()
        # at least the 1,001 lists are now in the permanent generation, which no collection walks
        assert gc.get_freeze_count() >= frozen_before + 1_001
        assert len(built) == 1_000
    finally:
        gc.unfreeze()  # this test process keeps no frozen objects


def test_without_keep_nothing_is_frozen() -> None:
    frozen_before = gc.get_freeze_count()
    with paused_collection():
        built = [[index] for index in range(1_000)]
    assert gc.get_freeze_count() == frozen_before
    assert len(built) == 1_000


def _in_generation(generation: int, thing: object) -> bool:
    return any(candidate is thing for candidate in gc.get_objects(generation))


def test_promote_moves_what_the_block_built_to_the_oldest_generation_unfrozen() -> None:
    frozen_before = gc.get_freeze_count()
    with paused_collection(promote=True):
        built = [[index] for index in range(1_000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen_before == 0
    assert _in_generation(2, built) and _in_generation(2, built[-1])
    assert gc.get_count()[0] < 1_000  # no young collection is due to walk the 1,001 lists


def test_promote_moves_nothing_of_the_callers_own_garbage() -> None:
    class Node:
        partner: object = None

    freed: list[str] = []
    first, second = Node(), Node()
    first.partner, second.partner = second, first  # a cycle only the collector can free
    watcher = weakref.ref(first, lambda _: freed.append("cycle"))
    del first, second
    with paused_collection(promote=True):
        pass
    assert freed == ["cycle"] and watcher() is None  # collected young, not moved to wait for a full collection


def test_promote_leaves_a_program_that_froze_objects_itself_frozen() -> None:
    own = [[index] for index in range(100)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with paused_collection(promote=True):
            built = [[index] for index in range(1_000)]
        assert gc.get_freeze_count() == frozen  # nothing thawed, nothing added
        assert not _in_generation(2, built)
        assert len(own) == 100
    finally:
        gc.unfreeze()


def test_promote_under_a_collector_the_caller_turned_off_moves_nothing() -> None:
    gc.disable()
    try:
        with paused_collection(promote=True):
            built = [[index] for index in range(1_000)]
        assert not gc.isenabled()
        assert not _in_generation(2, built)
    finally:
        gc.enable()


def test_a_loaded_framework_starts_in_the_oldest_generation() -> None:
    metric = next(iter(ecomperf.load(MINI).metrics.values()))  # a model the load built
    assert _in_generation(2, metric) and not _in_generation(0, metric)
