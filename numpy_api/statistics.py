"""Order statistics: quantile, percentile, median and their NaN-ignoring versions, as JAX
computes them (so the floats agree bit for bit).

The reduced axes are moved last (several are flattened into one) and sorted; each quantile
``q`` sits at the fractional position ``q (n - 1)`` (``n`` counts the non-NaN elements in
the nan-versions, whose NaNs sort last); ``method`` says how the two elements around it
combine: ``linear`` weights them, ``lower``/``higher`` take one, ``midpoint`` averages them,
``nearest`` takes the closer (the lower at one half). ``inverted_cdf`` takes the first element
whose cumulative weight reaches ``q`` times the total. Without ``nan``, a slice holding a NaN
gives NaN. The elements are gathered from the sorted operand, so gradients reach them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import comparison as cmp
from ..primitives import elementwise as ew
from ..primitives import reductions as red
from ..primitives import shape as shape_ops
from ..primitives import sorting as sorting_ops
from ..primitives.cumulative import cumsum
from ..primitives.structural import (
    broadcast_in_dim,
    convert_element_type,
    moveaxis,
    reduce_sum,
    transpose,
)
from . import ufuncs
from ._util import array_operand, normalize_axis

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf")


def quantile(a: Any, q: Any, axis: Any = None, out: None = None, overwrite_input: bool = False,
             method: str = "linear", keepdims: bool = False, *, weights: Any = None) -> Any:
    """The ``q``-th quantiles (``q`` in [0, 1], a scalar or 1-d) over ``axis``."""
    _no_out("quantile", out, overwrite_input)
    return _quantile(a, q, axis, method, keepdims, False, weights)


def nanquantile(a: Any, q: Any, axis: Any = None, out: None = None,
                overwrite_input: bool = False, method: str = "linear", keepdims: bool = False,
                *, weights: Any = None) -> Any:
    """``quantile`` of the elements that are not NaN."""
    _no_out("nanquantile", out, overwrite_input)
    return _quantile(a, q, axis, method, keepdims, True, weights)


def percentile(a: Any, q: Any, axis: Any = None, out: None = None,
               overwrite_input: bool = False, method: str = "linear", keepdims: bool = False,
               *, weights: Any = None) -> Any:
    """The ``q``-th percentiles (``q`` in [0, 100]) over ``axis``."""
    _no_out("percentile", out, overwrite_input)
    return _quantile(a, ufuncs.divide(_inexact_q(q), 100), axis, method, keepdims, False,
                     weights)


def nanpercentile(a: Any, q: Any, axis: Any = None, out: None = None,
                  overwrite_input: bool = False, method: str = "linear", keepdims: bool = False,
                  *, weights: Any = None) -> Any:
    """``percentile`` of the elements that are not NaN."""
    _no_out("nanpercentile", out, overwrite_input)
    return _quantile(a, ufuncs.divide(_inexact_q(q), 100), axis, method, keepdims, True,
                     weights)


def median(a: Any, axis: Any = None, out: None = None, overwrite_input: bool = False,
           keepdims: bool = False) -> Any:
    """The median over ``axis`` (the midpoint of the middle two for an even count)."""
    _no_out("median", out, overwrite_input)
    return _quantile(a, 0.5, axis, "midpoint", keepdims, False, None)


def nanmedian(a: Any, axis: Any = None, out: None = None, overwrite_input: bool = False,
              keepdims: bool = False) -> Any:
    """The median of the elements that are not NaN."""
    _no_out("nanmedian", out, overwrite_input)
    return _quantile(a, 0.5, axis, "midpoint", keepdims, True, None)


def _no_out(name: str, out: Any, overwrite_input: bool) -> None:
    if overwrite_input or out is not None:
        raise ValueError(f"jax.numpy.{name} does not support overwrite_input=True or "
                         "out != None")


def _inexact_q(q: Any) -> Any:
    q = array_operand(q, "quantile")
    dtype = aval_of(q).dtype
    return q if dtypes.is_inexact(dtype) else convert_element_type(q, dtypes.to_inexact(dtype))


def _reduced_last(x: Any, axis: Any, keepdims: bool) -> tuple[Any, int | None, tuple | None]:
    """``x`` with the reduced axes flattened into its last one; the int axis to keep as size
    1 (``keepdims``), or the whole shape to restore."""
    shape = aval_of(x).shape
    if axis is None:
        return shape_ops.reshape(x, (math.prod(shape),)), None, (1,) * len(shape)
    if isinstance(axis, (tuple, list)):
        axes = tuple(normalize_axis(d, len(shape)) for d in axis)
        if len(set(axes)) != len(axes):
            raise ValueError("repeated axis")
        kept = [d for d in range(len(shape)) if d not in axes]
        moved = shape_ops.reshape(transpose(x, tuple(kept) + axes),
                                  tuple(shape[d] for d in kept)
                                  + (math.prod(shape[d] for d in axes),))
        return moved, None, tuple(1 if d in axes else s for d, s in enumerate(shape))
    axis = normalize_axis(axis, len(shape))
    return moveaxis(x, axis, -1), axis, None


def _quantile(a: Any, q: Any, axis: Any, method: str, keepdims: bool, squash_nans: bool,
              weights: Any) -> Any:
    if method not in _METHODS:
        raise ValueError("method can only be 'linear', 'lower', 'higher', 'midpoint', "
                         "'nearest' or 'inverted_cdf'")
    x = array_operand(a, "quantile")
    out_dtype = dtypes.to_inexact(aval_of(x).dtype)
    if out_dtype.kind == "c":
        raise ValueError("quantile does not support complex input, as the operation is "
                         "poorly defined.")
    x = convert_element_type(x, out_dtype)
    q = _inexact_q(q)
    if aval_of(q).ndim > 1:
        raise ValueError(f"q must be have rank <= 1, got shape {aval_of(q).shape}")
    if weights is not None:
        weights = _weights(weights, x, axis, method)
        weights, _, _ = _reduced_last(weights, axis, keepdims)
    x, kept_axis, restored = _reduced_last(x, axis, keepdims)
    rest, n = aval_of(x).shape[:-1], aval_of(x).shape[-1]
    nq = aval_of(q).size
    q_grid = broadcast_in_dim(shape_ops.reshape(q, (nq,)), rest + (nq,), (len(rest),))
    nan = ufuncs.isnan(x)
    if not squash_nans:  # a slice with a NaN is all NaN
        any_nan = red.reduce_max(nan, (len(rest),))
        x = cmp.select_n(broadcast_in_dim(any_nan, rest + (n,), tuple(range(len(rest)))), x,
                         shape_ops.full(rest + (n,), np.nan, out_dtype))
    if weights is None:
        ordered = sorting_ops.sort([x], len(rest))[0]
    else:
        ordered, weights = sorting_ops.sort([x, weights], len(rest))
    if method == "inverted_cdf":
        result = _inverted_cdf(ordered, weights, q_grid, squash_nans)
    else:
        result = _interpolated(ordered, q_grid, method, squash_nans)
    result = moveaxis(result, len(rest), 0)
    if aval_of(q).ndim == 0:
        result = shape_ops.reshape(result, rest)
    if keepdims and kept_axis is not None:
        result = shape_ops.expand_dims(result, (kept_axis + aval_of(q).ndim,))
    elif keepdims:
        result = shape_ops.reshape(result, aval_of(q).shape + restored)
    return convert_element_type(result, out_dtype)


def _weights(weights: Any, x: Any, axis: Any, method: str) -> Any:
    """The weights, in ``x``'s dtype and shape (given for the reduced axes, or whole)."""
    if method != "inverted_cdf":
        raise NotImplementedError(f"{method} doesn't support weights. Only method "
                                  "'inverted_cdf' supports weights.")
    w = array_operand(weights, "quantile")
    if aval_of(w).dtype.kind == "c":
        raise ValueError("Weights cannot be complex types.")
    w = convert_element_type(w, aval_of(x).dtype)
    shape = aval_of(x).shape
    if aval_of(w).shape == shape:
        return w
    if axis is None:
        raise ValueError("Weights shape must match 'a' shape when axis is None.")
    axes = tuple(normalize_axis(d, len(shape))
                 for d in (axis if isinstance(axis, (tuple, list)) else (axis,)))
    if aval_of(w).shape != tuple(shape[d] for d in axes):
        raise ValueError(f"Weights shape {aval_of(w).shape} must match reduction axes "
                         f"{tuple(shape[d] for d in axes)}")
    return broadcast_in_dim(w, shape, axes)


def _count_valid(ordered: Any, dtype: np.dtype) -> Any:
    """How many elements of each slice (along the last axis) are not NaN, in ``dtype``."""
    valid = ufuncs.logical_not(ufuncs.isnan(ordered))
    return reduce_sum(convert_element_type(valid, dtype), (aval_of(ordered).ndim - 1,))


def _interpolated(ordered: Any, q: Any, method: str, squash_nans: bool) -> Any:
    """The quantiles ``q`` (shape (*rest, nq)) of the sorted last axis of ``ordered``."""
    shape, q_dtype = aval_of(ordered).shape, aval_of(q).dtype
    rest, n = shape[:-1], shape[-1]
    one = np.asarray(1, q_dtype)
    if squash_nans:
        count = broadcast_in_dim(_count_valid(ordered, q_dtype), aval_of(q).shape,
                                 tuple(range(len(rest))))
        last = ew.sub(count, one)
    else:
        last = np.asarray(n - 1, q_dtype)
    position = ew.mul(q, last)
    low, high = ufuncs.floor(position), ufuncs.ceil(position)
    high_weight = ew.sub(position, low)
    low_weight = ew.sub(one, high_weight)
    zero = np.asarray(0, q_dtype)
    low_value, high_value = (
        sorting_ops.take_along(ordered, convert_element_type(
            ew.maximum(zero, ew.minimum(i, last)), np.int32), len(rest)) for i in (low, high))
    if method == "linear":
        return ew.add(ew.mul(convert_element_type(low_value, q_dtype), low_weight),
                      ew.mul(convert_element_type(high_value, q_dtype), high_weight))
    if method == "lower":
        return low_value
    if method == "higher":
        return high_value
    if method == "nearest":
        return cmp.select_n(cmp.le(high_weight, np.asarray(0.5, q_dtype)), high_value, low_value)
    half = np.asarray(0.5, aval_of(low_value).dtype)  # midpoint
    return ew.mul(ew.add(low_value, high_value), half)


def _inverted_cdf(ordered: Any, weights: Any, q: Any, squash_nans: bool) -> Any:
    """The first sorted element whose cumulative weight reaches ``q`` times the total; NaN
    where a weight is negative or NaN (or, without ``squash_nans``, a NaN is present)."""
    shape, q_dtype = aval_of(ordered).shape, aval_of(q).dtype
    rest, n, nq = shape[:-1], shape[-1], aval_of(q).shape[-1]
    axis = len(rest)
    if weights is None:
        weights = shape_ops.full(shape, 1.0, aval_of(ordered).dtype)
    zeros = shape_ops.full(shape, 0, aval_of(weights).dtype)
    bad = ufuncs.logical_or(cmp.lt(weights, zeros), ufuncs.isnan(weights))
    nan = ufuncs.isnan(ordered)
    clean = cmp.select_n(ufuncs.logical_or(bad, nan), weights, zeros)
    cumulative = cumsum(clean, axis)
    total = shape_ops.reshape(shape_ops.slice(cumulative, (0,) * axis + (n - 1,), shape), rest)
    target = ew.mul(convert_element_type(q, aval_of(total).dtype),
                    broadcast_in_dim(total, rest + (nq,), tuple(range(axis))))
    grid = rest + (nq, n)
    below = cmp.lt(broadcast_in_dim(cumulative, grid, tuple(range(axis)) + (axis + 1,)),
                   broadcast_in_dim(target, grid, tuple(range(axis + 1))))
    index_dtype = dtypes.default_int()
    index = reduce_sum(convert_element_type(below, index_dtype), (axis + 1,))
    if squash_nans:
        valid = _count_valid(ordered, q_dtype)
    else:
        valid = shape_ops.full(rest, n, q_dtype)
    last = broadcast_in_dim(convert_element_type(ew.sub(valid, np.asarray(1, q_dtype)),
                                                 index_dtype), rest + (nq,), tuple(range(axis)))
    index = ew.maximum(np.asarray(0, index_dtype), ew.minimum(index, last))
    result = sorting_ops.take_along(ordered, convert_element_type(index, np.int32), axis)
    any_bad = red.reduce_max(bad, (axis,))
    if squash_nans:
        force_nan = ufuncs.logical_or(any_bad, cmp.eq(valid, np.asarray(0, q_dtype)))
    else:
        force_nan = ufuncs.logical_or(any_bad, red.reduce_max(nan, (axis,)))
    force_nan = broadcast_in_dim(force_nan, rest + (nq,), tuple(range(axis)))
    return cmp.select_n(force_nan, result, shape_ops.full(rest + (nq,), np.nan,
                                                          aval_of(result).dtype))
