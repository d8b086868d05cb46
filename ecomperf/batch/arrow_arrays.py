"""Arrow arrays to and from numpy arrays and short Python lists through their buffers.

pyarrow's own conversions (``pa.array``, ``pa.scalar``, ``Array.to_numpy``, a Python ``str`` passed to a
compute function) first ask its pandas shim whether the value is a pandas object, which imports pandas
when it is installed: about half a second, more than a whole batch takes to score. The columnar path
converts through these functions instead, which read and build the buffers directly and never touch the
shim, so scoring a file does not import pandas (a test in ``tests/test_startup.py`` checks it).

Example:
    >>> numbers(from_numpy(np.array([1.5, 2.0]))).tolist()
    [1.5, 2.0]
    >>> texts(["a", None]).to_pylist()
    ['a', None]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "HASHED_BYTES", "NULL_TEXT", "bools", "floats", "from_numpy", "numbers", "text_hashes", "text_lengths",
    "text_lists", "text_scalar", "texts", "valid",
]

_TYPES: dict[str, pa.DataType] = {"i": pa.int64(), "f": pa.float64()}


def _bits(buffer: pa.Buffer, offset: int, size: int) -> np.ndarray[Any, np.dtype[np.bool_]]:
    packed = np.frombuffer(buffer, dtype=np.uint8)
    return np.unpackbits(packed, bitorder="little", count=offset + size)[offset:].astype(np.bool_)


def valid(array: pa.Array) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Per element, whether it is not null."""
    size = len(array)
    if pa.types.is_null(array.type):
        return np.zeros(size, dtype=np.bool_)
    bitmap = array.buffers()[0]
    if bitmap is None or not array.null_count:
        return np.ones(size, dtype=np.bool_)
    return _bits(bitmap, array.offset, size)


def bools(array: pa.Array) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """A boolean array as numpy booleans, ``False`` where null."""
    size = len(array)
    data = array.buffers()[1]
    if data is None or not size:
        return np.zeros(size, dtype=np.bool_)
    found = _bits(data, array.offset, size)
    return found & valid(array) if array.null_count else found


def numbers(array: pa.Array) -> np.ndarray[Any, Any]:
    """A numeric array as numpy: int64 for integers without nulls, else float64 with NaN where null."""
    if pa.types.is_integer(array.type) and not array.null_count:
        wanted: pa.DataType = pa.int64()
        dtype: Any = np.int64
    else:
        wanted, dtype = pa.float64(), np.float64
    if not array.type.equals(wanted):
        array = pc.cast(array, wanted)
    size = len(array)
    data = array.buffers()[1]
    if data is None or not size:
        return np.zeros(size, dtype=dtype)
    values = np.frombuffer(data, dtype=dtype)[array.offset: array.offset + size]
    if array.null_count:
        return np.where(valid(array), values, np.nan)
    return values


def from_numpy(values: np.ndarray[Any, Any], mask: np.ndarray[Any, np.dtype[np.bool_]] | None = None) -> pa.Array:
    """A numpy array of integers (as int64), floats (as float64) or booleans as an Arrow array; null where
    ``mask`` is true."""
    size = len(values)
    bitmap = None
    if mask is not None and mask.any():
        bitmap = pa.py_buffer(np.packbits(~mask, bitorder="little"))
    if values.dtype.kind == "b":
        return pa.Array.from_buffers(pa.bool_(), size, [bitmap, pa.py_buffer(np.packbits(values, bitorder="little"))])
    kind = _TYPES["i" if values.dtype.kind in "iu" else "f"]
    data = np.ascontiguousarray(values, dtype=np.int64 if kind == pa.int64() else np.float64)
    return pa.Array.from_buffers(kind, size, [bitmap, pa.py_buffer(data)])


def texts(values: Sequence[str | None]) -> pa.Array:
    """A short list of texts (or ``None``) as an Arrow string array."""
    gaps = values.count(None) if isinstance(values, (list, tuple)) else sum(value is None for value in values)
    encoded = [b"" if value is None else value.encode("utf-8") for value in values] if gaps else [
        value.encode("utf-8") for value in values]  # type: ignore[union-attr]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int32, count=len(encoded)), out=offsets[1:])
    bitmap = None
    if gaps:
        missing = np.fromiter((value is None for value in values), dtype=np.bool_, count=len(values))
        bitmap = pa.py_buffer(np.packbits(~missing, bitorder="little"))
    return pa.Array.from_buffers(pa.string(), len(encoded), [bitmap, pa.py_buffer(offsets),
                                                             pa.py_buffer(b"".join(encoded))], null_count=gaps)


def text_scalar(value: str) -> pa.Scalar:
    """A string scalar (what a compute function takes for a constant text)."""
    return texts([value])[0]


def text_lists(values: Sequence[Sequence[str] | None]) -> pa.Array:
    """A list of lists of texts (or ``None``) as an Arrow ``list<string>`` array."""
    flat = [text for value in values if value is not None for text in value]
    offsets = np.zeros(len(values) + 1, dtype=np.int32)
    np.cumsum([0 if value is None else len(value) for value in values], out=offsets[1:])
    missing = np.fromiter((value is None for value in values), dtype=np.bool_, count=len(values))
    bitmap = pa.py_buffer(np.packbits(~missing, bitorder="little")) if missing.any() else None
    return pa.Array.from_buffers(pa.list_(pa.string()), len(values), [bitmap, pa.py_buffer(offsets)],
                                 children=[texts(flat)])


def floats(values: Sequence[float | None]) -> pa.Array:
    """A list of floats (or ``None``) as an Arrow float64 array."""
    data = np.fromiter((math.nan if value is None else value for value in values), dtype=np.float64,
                       count=len(values))
    return from_numpy(data, mask=np.fromiter((value is None for value in values), dtype=np.bool_, count=len(values)))


def text_lengths(array: pa.Array) -> np.ndarray[Any, np.dtype[np.int32]]:
    """Per element of a string array, the bytes of its text (0 where null)."""
    array = array.cast(pa.string())
    offsets = array.buffers()[1]
    if offsets is None or not len(array):
        return np.zeros(len(array), dtype=np.int32)
    found = np.frombuffer(offsets, dtype=np.int32)[array.offset: array.offset + len(array) + 1]
    return np.diff(found)


NULL_TEXT: Final = pa.nulls(1, pa.string())[0]
"""A null string scalar."""


_HASH_BASE: Final = np.uint64(0x100000001B3)
HASHED_BYTES: Final = 64
"""The longest text :func:`text_hashes` hashes (employee ids are far shorter)."""


def text_hashes(array: pa.Array) -> np.ndarray[Any, np.dtype[np.uint64]] | None:
    """Per element of a string array, a 64-bit hash of its bytes and length (equal texts hash alike; a null
    hashes as ``""``), or ``None`` when some text is longer than :data:`HASHED_BYTES`. Unequal texts may
    share a hash: callers compare the texts of the rows whose hashes meet.

    One numpy pass per byte position: ``h = h * B + byte`` for the cells that long, modulo 2**64.
    """
    array = array.cast(pa.string())
    size = len(array)
    if not size:
        return np.zeros(0, dtype=np.uint64)
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[array.offset: array.offset + size + 1]
    starts = offsets[:-1].astype(np.int64)
    lengths = np.diff(offsets)
    longest = int(lengths.max())
    if longest > HASHED_BYTES:
        return None
    hashes = lengths.astype(np.uint64)
    if not longest:
        return hashes
    data = np.frombuffer(buffers[2], dtype=np.uint8)
    last = len(data) - 1
    for place in range(longest):
        byte = data[np.minimum(starts + place, last)].astype(np.uint64)
        hashes = np.where(lengths > place, hashes * _HASH_BASE + byte, hashes)
    return hashes
