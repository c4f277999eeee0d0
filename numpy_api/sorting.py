"""Sorting and searching with NumPy's signatures: sort, argsort, lexsort, searchsorted, and the
``lax`` names sort, sort_key_val and top_k.

Everything is one ``sort`` primitive (several operands, ordered lexicographically by the first
``num_keys``): ``argsort`` sorts the positions alongside the keys, descending orders reverse
the axis around a stable sort so that ties keep their order, and ``searchsorted`` ranks the
queries in a stable sort of the queries and the sorted array together. Orders are JAX's:
NaNs last, -0.0 equal to 0.0, indices int32 (the default integer for argsort and lexsort).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import comparison as cmp
from ..primitives import elementwise as ew
from ..primitives import shape as shape_ops
from ..primitives import sorting as sorting_ops
from ..primitives.structural import broadcast_in_dim, convert_element_type, reduce_sum
from . import ufuncs
from ._util import array_operand, normalize_axis, promote
from .index_routines import take


def _no_kind_or_order(name: str, kind: Any, order: Any) -> None:
    if kind is not None:
        raise TypeError(f"'kind' argument to {name} is not supported. Use stable=True or "
                        "stable=False to specify sort stability.")
    if order is not None:
        raise TypeError(f"'order' argument to {name} is not supported.")


def _operand_and_axis(a: Any, axis: int | None, name: str) -> tuple[Any, int]:
    """The operand (flattened for ``axis=None``) and the normalised axis."""
    x = array_operand(a, name)
    if axis is None:
        return shape_ops.reshape(x, (aval_of(x).size,)), 0
    return x, normalize_axis(axis, aval_of(x).ndim)


def _reverse_positions(perm: Any, axis: int) -> Any:
    """Positions along ``axis`` counted from the end: ``n - 1 - perm``, reversed along it."""
    n = aval_of(perm).shape[axis]
    return ew.sub(ew.scalar_like(n - 1, perm), shape_ops.rev(perm, (axis,)))


def sort(a: Any, axis: int | None = -1, *, kind: None = None, order: None = None,
         stable: bool = True, descending: bool = False) -> Any:
    """``a`` sorted along ``axis`` (of the flattened ``a`` if None); NaNs sort last."""
    _no_kind_or_order("sort", kind, order)
    x, axis = _operand_and_axis(a, axis, "sort")
    out = sorting_ops.sort([x], axis, stable)[0]
    return shape_ops.rev(out, (axis,)) if descending else out


def argsort(a: Any, axis: int | None = -1, *, kind: None = None, order: None = None,
            stable: bool = True, descending: bool = False, dtype: Any = None) -> Any:
    """The positions that sort ``a`` along ``axis``; equal elements keep their order, also
    when ``descending``."""
    _no_kind_or_order("argsort", kind, order)
    x, axis = _operand_and_axis(a, axis, "argsort")
    index_dtype = dtypes.canonicalize(dtype) if dtype is not None else dtypes.default_int()
    if descending:
        x = shape_ops.rev(x, (axis,))
    positions = shape_ops.iota(index_dtype, aval_of(x).shape, axis)
    perm = sorting_ops.sort([x, positions], axis, stable)[1]
    return _reverse_positions(perm, axis) if descending else perm


def lexsort(keys: Any, axis: int = -1) -> Any:
    """The positions that sort by several keys along ``axis``, the LAST key primary."""
    if isinstance(keys, (tuple, list)):
        keys = [array_operand(k, "lexsort") for k in keys]
    else:
        stacked = array_operand(keys, "lexsort")
        rows = aval_of(stacked).shape[0] if aval_of(stacked).ndim else 0
        keys = [_row(stacked, i) for i in range(rows)]
    if not keys:
        raise TypeError("need sequence of keys with len > 0 in lexsort")
    shape = aval_of(keys[0]).shape
    if any(aval_of(k).shape != shape for k in keys):
        raise ValueError("all keys need to be the same shape")
    axis = normalize_axis(axis, len(shape))
    positions = shape_ops.iota(dtypes.default_int(), shape, axis)
    return sorting_ops.sort([*keys[::-1], positions], axis, num_keys=len(keys))[-1]


def _row(x: Any, i: int) -> Any:
    """Row ``i`` of ``x`` (its first axis dropped)."""
    shape = aval_of(x).shape
    row = shape_ops.slice(x, (i,) + (0,) * (len(shape) - 1), (i + 1,) + shape[1:])
    return shape_ops.reshape(row, shape[1:])


_SEARCH_METHODS = ["compare_all", "scan", "scan_unrolled", "sort"]


def searchsorted(a: Any, v: Any, side: str = "left", sorter: Any = None, *,
                 method: str = "scan") -> Any:
    """Where the elements of ``v`` would go in the sorted 1-d ``a`` to keep it sorted:
    before equal elements (``side="left"``) or after them (``"right"``); int32."""
    if side not in ("left", "right"):
        raise ValueError(f"invalid argument side={side!r}, expected 'left' or 'right'")
    if method not in _SEARCH_METHODS:
        raise ValueError(f"invalid argument method={method!r}, expected one of "
                         f"{_SEARCH_METHODS}")
    a, v = array_operand(a, "searchsorted"), array_operand(v, "searchsorted")
    if aval_of(a).ndim != 1:
        raise ValueError("a should be 1-dimensional")
    if sorter is not None:
        a = take(a, sorter)
    a, v = promote(a, v)
    shape = aval_of(v).shape
    if aval_of(a).size == 0 or aval_of(v).size == 0:
        return shape_ops.full(shape, 0, np.int32)
    queries = shape_ops.reshape(v, (aval_of(v).size,))
    if method == "compare_all":
        found = _count_before(a, queries, side)
    else:
        found = _rank_among_sorted(a, queries, side)
    return shape_ops.reshape(found, shape)


def sort_less(x: Any, y: Any) -> Any:
    """``x < y`` in the sort's order: NaNs after every number, -0.0 equal to 0.0."""
    less = cmp.lt(x, y)
    if not dtypes.is_float(aval_of(x).dtype):
        return less
    return ufuncs.logical_or(less, ufuncs.logical_and(ufuncs.isnan(y),
                                                      ufuncs.logical_not(ufuncs.isnan(x))))


def _count_before(a: Any, queries: Any, side: str) -> Any:
    """For each query, how many elements of ``a`` sort before it (or not after, ``right``),
    comparing every pair."""
    n, m = aval_of(a).shape[0], aval_of(queries).shape[0]
    grid_a = broadcast_in_dim(a, (m, n), (1,))
    grid_q = broadcast_in_dim(queries, (m, n), (0,))
    before = sort_less(grid_a, grid_q) if side == "left" else \
        ufuncs.logical_not(sort_less(grid_q, grid_a))
    return reduce_sum(convert_element_type(before, np.int32), (1,))


def _ranks(x: Any) -> Any:
    """Each element's position in the stable sort of the 1-d ``x`` (int32)."""
    positions = shape_ops.iota(np.int32, aval_of(x).shape, 0)
    perm = sorting_ops.sort([x, positions], 0)[1]
    return sorting_ops.sort_by(perm, positions, 0)  # the inverse permutation


def _rank_among_sorted(a: Any, queries: Any, side: str) -> Any:
    """A query's rank in a stable sort of the queries and ``a`` together, less its rank
    among the queries, is the number of elements of ``a`` sorted before it: put the queries
    first for ``left`` (ties go after them), last for ``right``."""
    n, m = aval_of(a).shape[0], aval_of(queries).shape[0]
    if side == "left":
        merged = _ranks(shape_ops.concatenate([queries, a], 0))
        in_merged = shape_ops.slice(merged, (0,), (m,))
    else:
        merged = _ranks(shape_ops.concatenate([a, queries], 0))
        in_merged = shape_ops.slice(merged, (n,), (n + m,))
    return ew.sub(in_merged, _ranks(queries))


# ---------------------------------------------------------------- lax


def lax_sort(operand: Any, dimension: int = -1, is_stable: bool = True,
             num_keys: int = 1) -> Any:
    """``lax.sort``: an array, or every array of a sequence, sorted along ``dimension`` by the
    first ``num_keys`` of them (lexicographically)."""
    single = not isinstance(operand, (tuple, list))
    operands = [array_operand(x, "sort") for x in ([operand] if single else operand)]
    if not 1 <= num_keys <= len(operands):
        raise ValueError(f"num_keys={num_keys} must be between 1 and "
                         f"len(operand)={len(operands)}")
    shapes = [aval_of(x).shape for x in operands]
    if len(set(shapes)) > 1:
        raise TypeError(f"Arguments to sort must have equal shapes, got: "
                        f"{' '.join(map(str, shapes))}")
    dimension = normalize_axis(dimension, len(shapes[0]))
    out = sorting_ops.sort(operands, dimension, is_stable, num_keys)
    return out[0] if single else tuple(out)


def sort_key_val(keys: Any, values: Any, dimension: int = -1,
                 is_stable: bool = True) -> tuple[Any, Any]:
    """``lax.sort_key_val``: ``keys`` sorted along ``dimension`` and ``values`` alongside."""
    return lax_sort((keys, values), dimension, is_stable, num_keys=1)


def top_k(operand: Any, k: int, *, axis: int = -1) -> tuple[Any, Any]:
    """``lax.top_k``: the ``k`` largest elements along ``axis``, in descending order (NaNs
    largest, ties by position), and their int32 positions."""
    x = array_operand(operand, "top_k")
    k = int(k)
    axis = normalize_axis(axis, aval_of(x).ndim)
    if k < 0:
        raise ValueError(f"k argument to top_k must be nonnegative, got {k}")
    if k > aval_of(x).shape[axis]:
        raise ValueError(f"k argument to top_k must be no larger than size along axis; got "
                         f"k={k} with shape={list(aval_of(x).shape)} and axis={axis}")
    return tuple(sorting_ops.top_k(x, k, axis))


def sorted_positions(keys: Sequence[Any], axis: int) -> Any:
    """The int32 positions that sort the keys (first primary) along ``axis``."""
    positions = shape_ops.iota(np.int32, aval_of(keys[0]).shape, axis)
    return sorting_ops.sort([*keys, positions], axis, num_keys=len(keys))[-1]
