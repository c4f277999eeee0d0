"""sort and top_k: orderings along one dimension, differentiated through their permutation.

``sort(*operands, dimension, is_stable, num_keys)`` sorts every operand along
``dimension`` by the first ``num_keys`` of them, compared lexicographically (first key
primary), as ``lax.sort`` does: NaNs last, -0.0 equal to 0.0, ties kept in their order (the
sort is always stable, which ``is_stable=False`` permits). ``top_k(x, k, axis)`` returns the
``k`` largest elements along ``axis`` and their int32 positions, NaNs largest and ties by
position. Both outputs are fixed permutations (selections) of their operands: the tangents
are gathered with the same positions, so reverse mode transposes the gather into a
scatter-add, and the rules stay differentiable to any order.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.avals import shaped_array
from ..core.primitive import NOT_LINEAR, Primitive, Zero
from ..core.trace import aval_of
from .combinators import batch_size, shape_error, zero_jvp
from .index_kernels import GatherDimensionNumbers, GatherScatterMode
from .indexing import gather
from .shape import expand_dims, iota
from .structural import bdim_to


def take_along(x: Any, positions: Any, dimension: int) -> Any:
    """``x`` read at ``positions`` (in bounds) along ``dimension``, the other axes paired one
    to one: NumPy's ``take_along_axis`` as one gather (linear in ``x``)."""
    rank = aval_of(x).ndim
    others = tuple(d for d in range(rank) if d != dimension)
    dnums = GatherDimensionNumbers((), (dimension,), (dimension,), others, others)
    return gather(x, expand_dims(positions, (rank,)), dnums, (1,) * rank,
                  mode=GatherScatterMode.PROMISE_IN_BOUNDS)


def _positions(shape: tuple[int, ...], dimension: int) -> Any:
    """The position of each element along ``dimension`` (int32, as JAX's sort uses)."""
    return iota(np.int32, shape, dimension)


# ---------------------------------------------------------------- sort
# each output is operand[perm] for one permutation perm: d out = dx[perm]


def _sorting_order(keys: list[np.ndarray], dimension: int) -> np.ndarray:
    """Positions that sort ``keys`` lexicographically (first key primary), stably."""
    if len(keys) == 1:
        return np.argsort(keys[0], axis=dimension, kind="stable")
    return np.lexsort(keys[::-1], axis=dimension)


def _sort_impl(*operands, dimension, is_stable, num_keys):
    operands = [np.asarray(x) for x in operands]
    if len(operands) == 1:  # (equal elements are indistinguishable but for -0.0 and 0.0,
        return [np.sort(operands[0], axis=dimension, kind="stable")]  # which stay in order)
    order = _sorting_order(operands[:num_keys], dimension)
    return [np.take_along_axis(x, order, axis=dimension) for x in operands]


def _sort_shape(*avals, dimension, is_stable, num_keys):
    if not avals:
        raise shape_error("sort", "needs at least one operand", avals)
    shape = avals[0].shape
    if any(a.shape != shape for a in avals):
        raise shape_error("sort", "operands must have one shape", avals)
    if not 0 <= dimension < len(shape):
        raise shape_error("sort", f"dimension {dimension} out of range", avals)
    if not 1 <= num_keys <= len(avals):
        raise shape_error("sort", f"num_keys={num_keys} must be between 1 and the number of "
                          f"operands ({len(avals)})", avals)
    return list(avals)


def _sort_linearize(primals, tangents, *, dimension, is_stable, num_keys):
    # one sort carries the positions along with the operands: the outputs, and the
    # permutation that moves each tangent
    positions = _positions(aval_of(primals[0]).shape, dimension)
    *outs, perm = sort_p.bind(*primals, positions, dimension=dimension, is_stable=is_stable,
                              num_keys=num_keys)
    return outs, [Zero(aval_of(out)) if type(t) is Zero else take_along(t, perm, dimension)
                  for t, out in zip(tangents, outs, strict=True)]


def _sort_jvp(primals, tangents, outs, *, dimension, is_stable, num_keys):
    if all(type(t) is Zero for t in tangents):
        return [Zero(aval_of(out)) for out in outs]
    return _sort_linearize(primals, tangents, dimension=dimension, is_stable=is_stable,
                           num_keys=num_keys)[1]


def _sort_batch(args, dims, *, dimension, is_stable, num_keys):
    size = batch_size(args, dims)
    moved = [bdim_to(x, d, 0, size) for x, d in zip(args, dims, strict=True)]
    return (sort_p.bind(*moved, dimension=dimension + 1, is_stable=is_stable, num_keys=num_keys),
            [0] * len(args))


sort_p = Primitive(
    "sort",
    impl=_sort_impl,
    abstract_eval=_sort_shape,
    jvp=_sort_jvp,
    linearize=_sort_linearize,
    transpose=NOT_LINEAR,
    batch=_sort_batch,
)


# ---------------------------------------------------------------- top_k
# values = x[positions]: d values = dx[positions]; the positions are piecewise constant


def _descending_order(x: np.ndarray, axis: int) -> np.ndarray:
    """Positions that sort ``x`` in descending order along ``axis``, NaNs first and ties
    by position: the stable ascending order of the reversed axis, reversed."""
    ascending = np.argsort(np.flip(x, axis), axis=axis, kind="stable")
    return (x.shape[axis] - 1 - np.flip(ascending, axis)).astype(np.int32)


def _top_k_impl(x, *, k, axis):
    x = np.asarray(x)
    positions = np.take(_descending_order(x, axis), np.arange(k), axis=axis)
    return [np.take_along_axis(x, positions, axis=axis), positions]


def _top_k_shape(x, *, k, axis):
    if not 0 <= axis < x.ndim:
        raise shape_error("top_k", f"axis {axis} out of range for {x.ndim} dimensions", [x])
    if not 0 <= k <= x.shape[axis]:
        raise shape_error("top_k", f"k={k} must be between 0 and the axis length "
                          f"{x.shape[axis]}", [x])
    shape = x.shape[:axis] + (k,) + x.shape[axis + 1:]
    return [shaped_array(shape, x.dtype, x.weak_type), shaped_array(shape, dtypes.int32, False)]


def _top_k_jvp(primals, tangents, outs, *, k, axis):
    (t,), (values, positions) = tangents, outs
    value_tangent = Zero(aval_of(values)) if type(t) is Zero else take_along(t, positions, axis)
    return [value_tangent, zero_jvp(primals, tangents, [positions])[0]]


def _top_k_batch(args, dims, *, k, axis):
    (x,), (d,) = args, dims
    return top_k_p.bind(x, k=k, axis=axis + (d <= axis)), [d, d]


top_k_p = Primitive(
    "top_k",
    impl=_top_k_impl,
    abstract_eval=_top_k_shape,
    jvp=_top_k_jvp,
    transpose=NOT_LINEAR,
    batch=_top_k_batch,
)


def sort(operands: list[Any], dimension: int, is_stable: bool = True,
         num_keys: int = 1) -> list[Any]:
    """Every operand sorted along ``dimension`` by the first ``num_keys`` (``lax.sort``)."""
    return sort_p.bind(*operands, dimension=int(dimension), is_stable=bool(is_stable),
                       num_keys=int(num_keys))


def sort_by(keys: Any, x: Any, dimension: int) -> Any:
    """``x`` reordered along ``dimension`` as a stable sort of ``keys`` orders it."""
    return sort([keys, x], dimension)[1]


def top_k(x: Any, k: int, axis: int) -> list[Any]:
    """The ``k`` largest elements along ``axis`` (non-negative) and their int32 positions."""
    return top_k_p.bind(x, k=int(k), axis=int(axis))
