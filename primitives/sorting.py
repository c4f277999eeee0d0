"""sort: a stable sort of several operands along one dimension, ordered by the first.

``sort(keys, *values, dimension)`` returns ``keys`` sorted along ``dimension`` (stably,
NumPy's order: NaNs last) and each of ``values`` permuted the same way, as
``lax.sort(..., num_keys=1, is_stable=True)`` does. ``random.permutation`` shuffles
with it. A permutation is linear in the values: their tangents are sorted alongside
(the transpose, an unpermutation, is not implemented: reverse mode through a sort
raises).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.primitive import NOT_LINEAR, Primitive, Zero
from ..core.trace import aval_of
from .combinators import batch_size, shape_error
from .structural import bdim_to


def _sort_impl(keys, *values, dimension):
    order = np.argsort(keys, axis=dimension, kind="stable")
    return [np.take_along_axis(np.asarray(x), order, axis=dimension) for x in (keys, *values)]


def _sort_shape(*avals, dimension):
    if not avals:
        raise shape_error("sort", "needs at least one operand", avals)
    shape = avals[0].shape
    if any(a.shape != shape for a in avals):
        raise shape_error("sort", "operands must have one shape", avals)
    if not 0 <= dimension < len(shape):
        raise shape_error("sort", f"dimension {dimension} out of range", avals)
    return list(avals)


def _sort_jvp(primals, tangents, outs, *, dimension):
    # each output is a fixed permutation of its operand: its tangent, permuted the same way
    keys = primals[0]
    return [Zero(aval_of(out)) if type(t) is Zero else
            sort_p.bind(keys, t, dimension=dimension)[1] for t, out in zip(tangents, outs)]


def _sort_batch(args, dims, *, dimension):
    size = batch_size(args, dims)
    moved = [bdim_to(x, d, 0, size) for x, d in zip(args, dims)]
    return sort_p.bind(*moved, dimension=dimension + 1), [0] * len(args)


sort_p = Primitive(
    "sort",
    impl=_sort_impl,
    abstract_eval=_sort_shape,
    jvp=_sort_jvp,
    transpose=NOT_LINEAR,
    batch=_sort_batch,
)


def sort_by(keys: Any, x: Any, dimension: int) -> Any:
    """``x`` reordered along ``dimension`` as a stable sort of ``keys`` orders it."""
    return sort_p.bind(keys, x, dimension=int(dimension))[1]

