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
