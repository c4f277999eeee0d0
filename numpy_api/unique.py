"""``unique``: the distinct elements (or slices along an axis) of an array, in sorted order.

One algorithm serves concrete and traced arrays: the rows (the elements, or the slices
along ``axis``, flattened) are sorted lexicographically by a stable sort that carries their
positions; a row starts a new value where it differs from the one before it; a second
stable sort by "does not start a value" brings the starts to the front. The number of
distinct values decides the result's shape, so it must be known: computed from a concrete
array, or given as ``size=`` under ``jit``/``vmap`` (the result is then cut or padded with
``fill_value``, by default the smallest value). Values are gathered from the operand, so
their gradient reaches each value's first occurrence, as in JAX.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.errors import ConcretizationError
from ..core.trace import NO_VALUE, aval_of, concrete_value
from ..primitives import comparison as cmp
from ..primitives import elementwise as ew
from ..primitives import shape as shape_ops
from ..primitives import sorting as sorting_ops
from ..primitives.cumulative import cumsum
from ..primitives.structural import broadcast_in_dim, convert_element_type, reduce_sum, transpose
from . import ufuncs
from ._util import array_operand, normalize_axis
from .reductions import any as any_of


def unique(ar: Any, return_index: bool = False, return_inverse: bool = False,
           return_counts: bool = False, axis: int | None = None, *, equal_nan: bool = True,
           size: int | None = None, fill_value: Any = None, sorted: bool = True) -> Any:
    """The sorted distinct elements of ``ar`` (slices along ``axis`` if given); optionally the
    index of each one's first occurrence, the inverse map and the counts (int32, or int64
    with x64). Under transforms pass ``size`` (and ``fill_value``)."""
    x = array_operand(ar, "unique")
    original_shape = aval_of(x).shape
    flat = axis is None
    if flat:
        x, axis = shape_ops.reshape(x, (aval_of(x).size,)), 0
    else:
        axis = normalize_axis(axis, aval_of(x).ndim)
    rows = _rows(x, axis)  # (n, m): one row per element or slice
    n = aval_of(rows).shape[0]
    if size is None:
        size = _concrete_count(rows, equal_nan)
    elif n == 0 and size > 0 and fill_value is None:
        raise ValueError("jnp.unique: for zero-sized input with nonzero size argument, "
                         "fill_value must be specified")
    values, index, inverse, counts = _unique_rows(rows, int(size), equal_nan, fill_value)
    values = _unrows(values, aval_of(x).shape, axis)
    if flat and return_inverse:  # (shaped like the operand, as in JAX)
        inverse = shape_ops.reshape(inverse, original_shape)
    extras = [out for out, wanted in ((index, return_index), (inverse, return_inverse),
                                      (counts, return_counts)) if wanted]
    return (values, *extras) if extras else values


def _rows(x: Any, axis: int) -> Any:
    """``x`` with ``axis`` first and the other axes flattened into one: shape (n, m)."""
    shape = aval_of(x).shape
    perm = (axis,) + tuple(d for d in range(len(shape)) if d != axis)
    rest = math.prod(shape[:axis] + shape[axis + 1:])
    return shape_ops.reshape(transpose(x, perm), (shape[axis], rest))


def _unrows(rows: Any, shape: tuple[int, ...], axis: int) -> Any:
    """The inverse of ``_rows`` for ``k`` rows: shape ``shape`` with ``k`` along ``axis``."""
    k = aval_of(rows).shape[0]
    moved = (k,) + shape[:axis] + shape[axis + 1:]
    out = shape_ops.reshape(rows, moved)
    perm = tuple(range(1, axis + 1)) + (0,) + tuple(range(axis + 1, len(shape)))
    return transpose(out, perm)


def _concrete_count(rows: Any, equal_nan: bool) -> int:
    """How many distinct rows a concrete ``rows`` has (else JAX's error about ``size``)."""
    value = concrete_value(rows)
    if value is NO_VALUE:
        raise ConcretizationError(
            "Abstract tracer value encountered where concrete value is expected: the number "
            "of distinct elements in jnp.unique() is not known while tracing. To make "
            "jnp.unique() compatible with JIT and other transforms, you can specify a "
            "concrete value for the size argument, which will determine the output size.")
    value = np.asarray(value)
    if value.shape[0] == 0:
        return 0
    order = np.lexsort(value.T[::-1])
    ordered = value[order]
    differs = ordered[1:] != ordered[:-1]
    if equal_nan and ordered.dtype.kind in "fc":
        differs &= ~(np.isnan(ordered[1:]) & np.isnan(ordered[:-1]))
    return 1 + int(np.count_nonzero(differs.any(axis=1)))


def _starts_of_values(ordered: Any, equal_nan: bool) -> Any:
    """Whether each sorted row differs from the one before it (the first always does)."""
    n, m = aval_of(ordered).shape
    later = shape_ops.slice(ordered, (1, 0), (n, m))
    earlier = shape_ops.slice(ordered, (0, 0), (n - 1, m))
    differs = cmp.ne(later, earlier)
    if equal_nan and dtypes.is_inexact(aval_of(ordered).dtype):
        both_nan = ufuncs.logical_and(ufuncs.isnan(later), ufuncs.isnan(earlier))
        differs = ufuncs.logical_and(differs, ufuncs.logical_not(both_nan))
    differs = any_of(differs, axis=1)
    return shape_ops.concatenate([shape_ops.full((1,), True, np.bool_), differs], 0)


def _fit(x: Any, size: int, fill: Any) -> Any:
    """The first ``size`` entries of ``x`` along axis 0, padded with ``fill`` (a scalar or a
    row) if ``x`` is shorter."""
    shape = aval_of(x).shape
    if size <= shape[0]:
        return shape_ops.slice(x, (0,) * len(shape), (size,) + shape[1:])
    pad = broadcast_in_dim(fill, (size - shape[0],) + shape[1:],
                           tuple(range(len(shape) - aval_of(fill).ndim, len(shape))))
    return shape_ops.concatenate([x, pad], 0)


def _unique_rows(rows: Any, size: int, equal_nan: bool, fill_value: Any) -> tuple:
    """Values, first indices, inverse and counts of the distinct rows, ``size`` of them."""
    n, m = aval_of(rows).shape
    index_dtype = dtypes.default_int()
    dtype = aval_of(rows).dtype
    if n == 0 or size == 0:
        default = 0 if fill_value is None else fill_value
        values = _fit(shape_ops.slice(rows, (0, 0), (0, m)), size, np.asarray(default, dtype))
        empty = shape_ops.full((size,), 0, index_dtype)
        return values, empty, shape_ops.full((n,), 0, index_dtype), empty
    positions = shape_ops.iota(index_dtype, (n,), 0)
    columns = [shape_ops.reshape(shape_ops.slice(rows, (0, j), (n, j + 1)), (n,))
               for j in range(m)]
    perm = sorting_ops.sort([*columns, positions], 0, num_keys=m)[-1] if m else positions
    ordered = sorting_ops.take_along(rows, broadcast_in_dim(perm, (n, m), (0,)), 0)
    starts = _starts_of_values(ordered, equal_nan)
    as_index = convert_element_type(starts, index_dtype)
    group = ew.sub(cumsum(as_index, 0), np.asarray(1, index_dtype))
    count = reduce_sum(as_index, (0,))
    # the sorted positions of the starts, in order (then those of the other rows)
    start_at_all = sorting_ops.sort_by(cmp.not_p.bind1(starts), positions, 0)
    start_at = _fit(start_at_all, size, np.asarray(0, index_dtype))
    kept = cmp.lt(shape_ops.iota(index_dtype, (size,), 0), count)
    if fill_value is None:  # the smallest value
        fill = broadcast_in_dim(shape_ops.reshape(shape_ops.slice(ordered, (0, 0), (1, m)),
                                                  (m,)), (size, m), (1,))
    else:
        fill = shape_ops.full((size, m), np.asarray(fill_value).item(), dtype)
    rows_at = sorting_ops.take_along(ordered, broadcast_in_dim(start_at, (size, m), (0,)), 0)
    values = cmp.select_n(broadcast_in_dim(kept, (size, m), (0,)), fill, rows_at)
    first_of_smallest = broadcast_in_dim(shape_ops.slice(perm, (0,), (1,)), (size,), (0,))
    index = cmp.select_n(kept, first_of_smallest, sorting_ops.take_along(perm, start_at, 0))
    inverse = sorting_ops.sort_by(perm, group, 0)
    return values, index, inverse, _counts(start_at_all, count, n, size)


def _counts(start_at: Any, count: Any, n: int, size: int) -> Any:
    """How many rows each value has: the distance from its first sorted position to the
    next value's (to ``n`` for the last); zero for the padding."""
    dtype = aval_of(start_at).dtype
    is_start = cmp.lt(shape_ops.iota(dtype, (n,), 0), count)
    bounds = cmp.select_n(is_start, shape_ops.full((n,), n, dtype), start_at)
    following = shape_ops.concatenate(
        [shape_ops.slice(bounds, (1,), (n,)), shape_ops.full((1,), n, dtype)], 0)
    return _fit(ew.sub(following, bounds), size, np.asarray(0, dtype))
