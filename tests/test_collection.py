"""The collector pause: off inside the block, restored as it was afterwards, even on error."""

from __future__ import annotations

import gc

import pytest

from ecomperf.collection import paused_collection


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
