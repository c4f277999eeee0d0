"""The threefry2x32 counter-based hash, JAX's default pseudo-random generator.

``threefry2x32(k1, k2, x1, x2) -> (y1, y2)``: for each element, the Threefry-2x32 block
cipher with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
SC 2011) keyed by ``(k1, k2)`` encrypts the counter pair ``(x1, x2)``. All four operands
are uint32 (scalars broadcast); arithmetic wraps modulo 2**32. Everything random in
``jaxlite.random`` is built from this one primitive and ordinary integer ops, so keys
and streams are JAX's bit for bit.

The outputs are integers: the jvp is zero, it is not linear, and it batches elementwise.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.avals import shaped_array
from ..core.primitive import NOT_LINEAR, NOT_MAPPED, Primitive
from ..core.trace import aval_of
from .combinators import batch_size, broadcast_operand_shapes, shape_error, zero_jvp
from .structural import bdim_to, broadcast_in_dim

_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
_PARITY = np.uint32(0x1BD11BDA)
_BLOCK = 1 << 16  # elements hashed at a time: the working set stays in cache
# each group of four rounds as (r, 32 - r) shift counts, made once
_SHIFTS = [[(np.uint32(r), np.uint32(32 - r)) for r in _ROTATIONS[i % 2]] for i in range(5)]


def _schedule(k1: Any, k2: Any) -> list:
    """The words injected after each group of four rounds (the key schedule rotates by one
    word each time, and the second word counts the groups)."""
    ks = (k1, k2, np.bitwise_xor(np.bitwise_xor(k1, k2), _PARITY))
    return [(ks[(i + 1) % 3], np.add(ks[(i + 2) % 3], np.uint32(i + 1), dtype=np.uint32))
            for i in range(5)]


def _hash_block(k1: Any, k2: Any, schedule: list, x1: np.ndarray, x2: np.ndarray,
                out1: np.ndarray, out2: np.ndarray, tmp: np.ndarray) -> None:
    """20 rounds on one block, in place in ``out1``/``out2`` (``tmp``: scratch)."""
    np.add(x1, k1, out=out1)
    np.add(x2, k2, out=out2)
    for shifts, (inject1, inject2) in zip(_SHIFTS, schedule, strict=True):
        for left, right in shifts:  # x1 += x2; x2 = rotl(x2, r) ^ x1
            np.add(out1, out2, out=out1)
            np.right_shift(out2, right, out=tmp)
            np.left_shift(out2, left, out=out2)
            np.bitwise_or(out2, tmp, out=out2)
            np.bitwise_xor(out2, out1, out=out2)
        np.add(out1, inject1, out=out1)
        np.add(out2, inject2, out=out2)


def _threefry_impl(k1, k2, x1, x2) -> list:
    shape = np.broadcast_shapes(*(np.shape(a) for a in (k1, k2, x1, x2)))
    k1, k2, x1, x2 = (np.broadcast_to(np.asarray(a, np.uint32), shape).reshape(-1)
                      for a in (k1, k2, x1, x2))
    n = x1.size
    out1, out2 = np.empty(n, np.uint32), np.empty(n, np.uint32)
    tmp = np.empty(min(n, _BLOCK), np.uint32)
    one_key = n and k1.strides == (0,) and k2.strides == (0,)  # the usual case
    schedule = _schedule(k1[0], k2[0]) if one_key else None
    for start in range(0, n, _BLOCK):
        s = slice(start, start + _BLOCK)
        if one_key:
            keys = k1[0], k2[0], schedule
        else:
            keys = k1[s], k2[s], _schedule(k1[s], k2[s])
        _hash_block(*keys, x1[s], x2[s], out1[s], out2[s], tmp[: out1[s].size])
    return [out1.reshape(shape), out2.reshape(shape)]


def _threefry_shape(*avals):
    if len(avals) != 4:
        raise shape_error("threefry2x32", "takes four operands (k1, k2, x1, x2)", avals)
    if any(a.dtype != dtypes.uint32 for a in avals):
        raise shape_error("threefry2x32", "needs uint32 operands", avals)
    shape = broadcast_operand_shapes("threefry2x32", avals)
    out = shaped_array(shape, dtypes.uint32, False)
    return [out, out]


def _threefry_batch(args, dims):
    # elementwise: every operand gets the batch axis at 0 and the full shape
    size = batch_size(args, dims)
    shape = broadcast_operand_shapes("threefry2x32",
                                     [_unbatched_aval(x, d) for x, d in zip(args, dims)])
    full = (size,) + shape
    moved = []
    for x, d in zip(args, dims):
        ndim = aval_of(x).ndim
        if d is not NOT_MAPPED:
            x = bdim_to(x, d, 0, size)
            if ndim == 1 and shape != ():  # a per-example scalar
                x = broadcast_in_dim(x, full, (0,))
        elif ndim:  # the same array for every example
            x = broadcast_in_dim(x, full, tuple(range(1, ndim + 1)))
        moved.append(x)
    return threefry2x32_p.bind(*moved), [0, 0]


def _unbatched_aval(x: Any, d: int | None):
    aval = aval_of(x)
    if d is NOT_MAPPED:
        return aval
    return shaped_array(aval.shape[:d] + aval.shape[d + 1:], aval.dtype, aval.weak_type)


threefry2x32_p = Primitive(
    "threefry2x32",
    impl=_threefry_impl,
    abstract_eval=_threefry_shape,
    jvp=zero_jvp,
    transpose=NOT_LINEAR,
    batch=_threefry_batch,
)


def threefry2x32(k1: Any, k2: Any, x1: Any, x2: Any) -> list:
    """The two uint32 hash words of counters ``(x1, x2)`` under key ``(k1, k2)``."""
    return threefry2x32_p.bind(k1, k2, x1, x2)
