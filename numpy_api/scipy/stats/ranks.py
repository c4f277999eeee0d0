"""``mode`` and ``rankdata``, as ``jax.scipy.stats`` has them. Both compare every pair
of elements along the axis (quadratic in its length, and free of sorting), which suits
the short axes they are used on."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ....core import dtypes
from ... import creation, manipulation, reductions, ufuncs
from ..._util import array_operand, as_operand, normalize_axis
from ._common import where


class ModeResult(NamedTuple):
    mode: Any
    count: Any


def _check_nan_policy(name: str, nan_policy: str) -> None:
    if nan_policy not in ("propagate", "omit", "raise"):
        raise ValueError(f"Illegal nan_policy value {nan_policy!r}; expected one of "
                         "{'propagate', 'omit', 'raise'}")
    if nan_policy != "propagate":
        raise NotImplementedError(f"Logic for `nan_policy` of {nan_policy} is not implemented "
                                  f"in {name}")


def _pairs(x: Any) -> tuple[Any, Any]:
    """``x`` (its axis last) as ``[..., i, None]`` and ``[..., None, j]``."""
    return manipulation.expand_dims(x, -1), manipulation.expand_dims(x, -2)


def mode(a: Any, axis: int | None = 0, nan_policy: str = "propagate",
         keepdims: bool = False) -> ModeResult:
    """The most frequent value along ``axis`` (the smallest of those tied) and its count."""
    _check_nan_policy("mode", nan_policy)
    x = array_operand(as_operand(a, "mode"), "mode")
    if x.ndim == 0:
        x = x.reshape(1)
    if axis is None:
        x, axis, kept_shape = x.reshape(-1), 0, (1,) * x.ndim
    else:
        axis = normalize_axis(axis, x.ndim)
        kept_shape = tuple(1 if i == axis else s for i, s in enumerate(x.shape))
    x = manipulation.moveaxis(x, axis, -1)
    row, column = _pairs(x)
    counts = reductions.sum(ufuncs.equal(row, column), axis=-1)
    best = reductions.max(counts, axis=-1, keepdims=True)
    dtype = x.dtype
    largest = np.inf if dtypes.is_inexact(dtype) else np.iinfo(dtype).max
    value = reductions.min(where(ufuncs.equal(counts, best), x, largest), axis=-1)
    best = manipulation.squeeze(best, -1)
    if keepdims:
        value, best = value.reshape(kept_shape), best.reshape(kept_shape)
    return ModeResult(value, best)


_METHODS = ("average", "min", "max", "dense", "ordinal")


def rankdata(a: Any, method: str = "average", *, axis: int | None = None,
             nan_policy: str = "propagate") -> Any:
    """Ranks from 1 of the data (flattened, or along ``axis``), ties resolved by ``method``;
    all nan where a slice holds a nan."""
    _check_nan_policy("rankdata", nan_policy)
    if method not in _METHODS:
        raise ValueError(f"unknown method '{method}'")
    x = array_operand(as_operand(a, "rankdata"), "rankdata")
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis = normalize_axis(axis, x.ndim)
    out_dtype = dtypes.default_float()
    x = manipulation.moveaxis(x, axis, -1)
    row, column = _pairs(x)
    below = reductions.sum(ufuncs.less(column, row), axis=-1, dtype=out_dtype)
    ties = ufuncs.equal(column, row)
    equal = reductions.sum(ties, axis=-1, dtype=out_dtype)
    if method == "average":
        ranks = below + (equal + 1) / 2
    elif method == "min":
        ranks = below + 1
    elif method == "max":
        ranks = below + equal
    elif method == "ordinal":
        n = x.shape[-1]
        earlier = creation.arange(n)[None, :] < creation.arange(n)[:, None]  # j < i
        ranks = below + reductions.sum(ufuncs.logical_and(ties, earlier), axis=-1,
                                       dtype=out_dtype) + 1
    else:  # dense: 1 + the number of distinct values below
        weights = 1 / manipulation.expand_dims(equal, -2)
        ranks = ufuncs.round(reductions.sum(where(ufuncs.less(column, row), weights, 0),
                                            axis=-1)) + 1
    has_nan = reductions.any(ufuncs.isnan(x), axis=-1, keepdims=True) if dtypes.is_inexact(
        x.dtype) else False
    ranks = where(has_nan, np.nan, ranks).astype(out_dtype)
    return manipulation.moveaxis(ranks, -1, axis)
