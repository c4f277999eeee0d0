"""cumsum: the running sum along one axis, summed in the order XLA's CPU backend sums.

``cumsum[axis reverse] x``: ``out[..., i, ...] = x[..., 0, ...] + ... + x[..., i, ...]``
along ``axis`` (from the end when ``reverse``), as ``lax.cumsum`` prints and computes.

JAX lowers it to a windowed sum that XLA's CPU backend rewrites into a two-level scan:
the axis is cut into blocks of 16 (the last one padded with zeros), each block is summed
left to right, the blocks' totals are scanned the same way (recursively), and each block
then adds the total of the blocks before it. The impl sums in exactly that order, so its
float results are JAX's bit for bit (``random.choice`` with ``p`` depends on it); with
``reverse``, it is that scan of the reversed axis (XLA sums each reversed window in
another order: the bits may differ from JAX's there). Integers wrap as NumPy's do.

It is linear: its transpose is the running sum in the other direction; it batches by
moving its axis past the batch axis.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.avals import shaped_array
from ..core.primitive import Primitive
from .combinators import NUMBER, check_dtype, linear_jvp, shape_error

_BLOCK = 16  # XLA's block length for the rewritten windowed sum


def _scan_last_axis(x: np.ndarray) -> np.ndarray:
    """The running sum along the last axis, by blocks of 16 as XLA's CPU backend sums."""
    n = x.shape[-1]
    if n <= _BLOCK:
        return np.cumsum(x, axis=-1, dtype=x.dtype)
    blocks = -(-n // _BLOCK)
    padded = np.zeros(x.shape[:-1] + (blocks * _BLOCK,), x.dtype)
    padded[..., :n] = x
    inner = np.cumsum(padded.reshape(x.shape[:-1] + (blocks, _BLOCK)), axis=-1, dtype=x.dtype)
    before = _scan_last_axis(inner[..., -1])  # running totals of the blocks
    inner[..., 1:, :] += before[..., :-1, None]
    return inner.reshape(padded.shape)[..., :n]


def _cumsum_impl(x, *, axis, reverse):
    x = np.moveaxis(np.asarray(x), axis, -1)
    if reverse:
        return [np.moveaxis(_scan_last_axis(x[..., ::-1])[..., ::-1], -1, axis)]
    return [np.ascontiguousarray(np.moveaxis(_scan_last_axis(x), -1, axis))]


def _cumsum_shape(x, *, axis, reverse):
    check_dtype("cumsum", NUMBER, [x])
    if not 0 <= axis < x.ndim:
        raise shape_error("cumsum", f"axis {axis} is out of bounds", [x])
    return [shaped_array(x.shape, x.dtype, x.weak_type)]


def _cumsum_transpose(cts, x, *, axis, reverse):
    # sum_i ct_i * cumsum(x)_i = sum_j x_j * (the running sum of ct from the other end)_j
    (ct,) = cts
    return [cumsum_p.bind1(ct, axis=axis, reverse=not reverse)]


def _cumsum_batch(args, dims, *, axis, reverse):
    (x,), (d,) = args, dims
    return [cumsum_p.bind1(x, axis=axis + (d <= axis), reverse=reverse)], [d]


cumsum_p = Primitive(
    "cumsum",
    impl=_cumsum_impl,
    abstract_eval=_cumsum_shape,
    jvp=linear_jvp(lambda: cumsum_p),
    transpose=_cumsum_transpose,
    batch=_cumsum_batch,
)


def cumsum(x: Any, axis: int = 0, reverse: bool = False) -> Any:
    """The running sum of ``x`` along ``axis`` (``lax.cumsum``)."""
    return cumsum_p.bind1(x, axis=int(axis), reverse=bool(reverse))
