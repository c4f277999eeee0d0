"""Finite differences: diff, ediff1d and gradient, as slices of the array subtracted.

``gradient`` takes central differences inside and one-sided ones at the two ends (NumPy's
``edge_order=1``; JAX implements no other), with a scalar spacing or the coordinates of
the samples along each axis.
"""

from __future__ import annotations

import operator
from typing import Any, Sequence

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import shape as shape_ops
from . import ufuncs
from ._util import array_operand, as_operand, broadcast_to_shape, normalize_axis, promote_inexact
from .manipulation import concatenate, ravel
from .shaping import slice_along_axis


def _difference(x: Any, axis: int) -> Any:
    """``x[1:] - x[:-1]`` along ``axis`` (``!=`` for booleans, as in NumPy)."""
    n = aval_of(x).shape[axis]
    later = slice_along_axis(x, min(1, n), n, axis)
    earlier = slice_along_axis(x, 0, max(n - 1, 0), axis)
    if aval_of(x).dtype == dtypes.bool_:
        return ufuncs.not_equal(later, earlier)
    return ufuncs.subtract(later, earlier)


def _edge_values(value: Any, x: Any, axis: int) -> Any:
    """``prepend``/``append``: a scalar is broadcast to one slice of ``x`` along ``axis``."""
    value = array_operand(value, "diff")
    if aval_of(value).ndim == 0:
        shape = list(aval_of(x).shape)
        shape[axis] = 1
        value = broadcast_to_shape(value, tuple(shape))
    return value


def diff(a: Any, n: int = 1, axis: int = -1, prepend: Any = None, append: Any = None) -> Any:
    """The ``n``-th discrete difference along ``axis`` (after putting ``prepend`` before and
    ``append`` after the array along it)."""
    x = array_operand(a, "diff")
    nd = aval_of(x).ndim
    if nd == 0:
        raise ValueError(f"diff requires input that is at least one dimensional; got {x}")
    n = operator.index(n)
    if n < 0:
        raise ValueError(f"order must be non-negative but got {n}")
    if n == 0:
        return x
    axis = normalize_axis(axis, nd)
    parts = [_edge_values(prepend, x, axis)] if prepend is not None else []
    parts.append(x)
    parts += [_edge_values(append, x, axis)] if append is not None else []
    x = concatenate(parts, axis) if len(parts) > 1 else x
    for _ in range(n):
        x = _difference(x, axis)
    return x


def ediff1d(ary: Any, to_end: Any = None, to_begin: Any = None) -> Any:
    """The differences of consecutive elements of the flattened array, with ``to_begin``
    and ``to_end`` (in the array's dtype) around them."""
    x = ravel(array_operand(ary, "ediff1d"))
    dtype = aval_of(x).dtype
    parts = [_difference(x, 0)]
    if to_begin is not None:
        parts.insert(0, ravel(array_operand(to_begin, "ediff1d").astype(dtype)))
    if to_end is not None:
        parts.append(ravel(array_operand(to_end, "ediff1d").astype(dtype)))
    return concatenate(parts, 0) if len(parts) > 1 else parts[0]


def _gradient_along(f: Any, h: Any, axis: int) -> Any:
    """Central differences inside, one-sided differences at both ends, along ``axis``."""
    n = aval_of(f).shape[axis]
    at = lambda x, start, stop: slice_along_axis(x, start, stop, axis)  # noqa: E731
    first = ufuncs.subtract(at(f, 1, 2), at(f, 0, 1))
    last = ufuncs.subtract(at(f, n - 1, n), at(f, n - 2, n - 1))
    if aval_of(h).ndim == 0:
        central = ufuncs.subtract(at(f, 2, n), at(f, 0, n - 2))
        inner = ufuncs.divide(ufuncs.multiply(central, 0.5), h)
        return concatenate([ufuncs.divide(first, h), inner, ufuncs.divide(last, h)], axis)
    if aval_of(h).ndim != 1:
        raise ValueError("Spacing arrays must be 1D arrays or scalars.")
    if aval_of(h).shape[0] != n:
        raise ValueError("Spacing arrays must have the same length as the dimension along "
                         "which the gradient is calculated.")
    shape = [1] * aval_of(f).ndim
    shape[axis] = n
    h = shape_ops.reshape(h, tuple(shape))
    first = ufuncs.divide(first, ufuncs.subtract(at(h, 1, 2), at(h, 0, 1)))
    last = ufuncs.divide(last, ufuncs.subtract(at(h, n - 1, n), at(h, n - 2, n - 1)))
    # second-order weights for unevenly spaced samples (dx1 before, dx2 after each point)
    dx1 = ufuncs.subtract(at(h, 1, n - 1), at(h, 0, n - 2))
    dx2 = ufuncs.subtract(at(h, 2, n), at(h, 1, n - 1))
    span = ufuncs.add(dx1, dx2)
    w_before = ufuncs.divide(ufuncs.negative(dx2), ufuncs.multiply(dx1, span))
    w_here = ufuncs.divide(ufuncs.subtract(dx2, dx1), ufuncs.multiply(dx1, dx2))
    w_after = ufuncs.divide(dx1, ufuncs.multiply(dx2, span))
    inner = ufuncs.add(ufuncs.add(ufuncs.multiply(w_before, at(f, 0, n - 2)),
                                  ufuncs.multiply(w_here, at(f, 1, n - 1))),
                       ufuncs.multiply(w_after, at(f, 2, n)))
    return concatenate([first, inner, last], axis)


def gradient(f: Any, *varargs: Any, axis: int | Sequence[int] | None = None,
             edge_order: int | None = None) -> Any:
    """The numerical gradient of sampled values ``f`` along each axis (one array for one
    axis, a list for several); ``varargs`` gives one spacing for all axes or one per axis
    (a scalar step or the sample coordinates)."""
    if edge_order is not None:
        raise NotImplementedError("The 'edge_order' argument to jnp.gradient is not supported.")
    f, *spacing = promote_inexact(array_operand(f, "gradient"),
                                  *(as_operand(h, "gradient") for h in varargs))
    f = array_operand(f, "gradient")
    nd = aval_of(f).ndim
    if axis is None:
        axes = tuple(range(nd))
    else:
        axes = tuple(normalize_axis(a, nd) for a in (axis if isinstance(axis, (tuple, list))
                                                     else (axis,)))
    if not axes:
        return []
    if min(aval_of(f).shape[a] for a in axes) < 2:
        raise ValueError("Shape of array too small to calculate a numerical gradient, at "
                         "least 2 elements are required.")
    if not spacing:
        spacing = [1.0] * len(axes)
    elif len(spacing) == 1:
        spacing = spacing * len(axes)
    elif len(spacing) != len(axes):
        raise TypeError(f"Invalid number of spacing arguments {len(spacing)} for axis={axis}")
    grads = [_gradient_along(f, array_operand(h, "gradient"), a) for a, h in zip(axes, spacing)]
    return grads[0] if len(axes) == 1 else grads
