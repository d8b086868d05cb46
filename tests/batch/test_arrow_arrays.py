"""Arrow arrays to and from numpy through their buffers give what pyarrow's own conversions give."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from ecomperf.batch.arrow_arrays import (
    HASHED_BYTES,
    NULL_TEXT,
    bools,
    floats,
    from_numpy,
    numbers,
    text_hashes,
    text_lengths,
    text_lists,
    text_scalar,
    texts,
    valid,
)

_FLOATS = st.lists(st.one_of(st.none(), st.floats(allow_nan=False)), max_size=40)


@given(_FLOATS, st.integers(0, 5))
def test_floats_round_trip_through_the_buffers(values: list[float | None], start: int) -> None:
    array = floats(values).slice(start)
    assert array.equals(pa.array(values[start:], pa.float64()))
    expected = [math.nan if value is None else value for value in values[start:]]
    np.testing.assert_array_equal(numbers(array), np.asarray(expected, dtype=np.float64))
    assert valid(array).tolist() == [value is not None for value in values[start:]]


@given(st.lists(st.one_of(st.none(), st.text()), max_size=30), st.integers(0, 5))
def test_texts_are_pyarrows_strings(values: list[str | None], start: int) -> None:
    array = texts(values)
    assert array.equals(pa.array(values, pa.string()))
    assert text_lengths(array.slice(start)).tolist() == [len((v or "").encode()) for v in values[start:]]


@given(st.lists(st.one_of(st.none(), st.booleans()), max_size=40), st.integers(0, 9))
def test_booleans_false_where_null(values: list[bool | None], start: int) -> None:
    array = pa.array(values, pa.bool_()).slice(start)
    assert bools(array).tolist() == [bool(value) for value in values[start:]]


def test_from_numpy_keeps_integers_and_masks() -> None:
    # [3, 4, 5] with the middle one masked: int64 [3, null, 5]; booleans pack to bits
    array = from_numpy(np.arange(3, 6), mask=np.array([False, True, False]))
    assert array.type == pa.int64() and array.to_pylist() == [3, None, 5]
    assert numbers(from_numpy(np.arange(3, 6))).tolist() == [3, 4, 5]
    assert from_numpy(np.array([True, False, True])).to_pylist() == [True, False, True]


def test_lists_and_scalars() -> None:
    assert text_lists([["a", "b"], None, []]).to_pylist() == [["a", "b"], None, []]
    assert text_scalar("x").as_py() == "x"
    assert NULL_TEXT.as_py() is None and NULL_TEXT.type == pa.string()


@given(st.lists(st.one_of(st.none(), st.text(alphabet="ab\0é", max_size=6)), max_size=30), st.integers(0, 5))
def test_equal_texts_hash_alike_and_these_unequal_ones_do_not(values: list[str | None], start: int) -> None:
    # short texts over 4 characters: a 64-bit polynomial hash of bytes and length separates them all
    hashes = text_hashes(pa.array(values, pa.string()).slice(start))
    assert hashes is not None
    cells = [value or "" for value in values[start:]]
    for one, first in zip(hashes.tolist(), cells, strict=True):
        for other, second in zip(hashes.tolist(), cells, strict=True):
            assert (one == other) == (first == second)


def test_a_text_longer_than_the_limit_is_not_hashed() -> None:
    assert text_hashes(pa.array(["x" * (HASHED_BYTES + 1), "y"])) is None
    assert text_hashes(pa.array(["x" * HASHED_BYTES])) is not None
