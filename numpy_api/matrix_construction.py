"""Diagonals, triangles and grids: diag, diagonal, diagflat, trace, tril, triu, tri,
meshgrid, indices, logspace, geomspace.

A diagonal is read as a strided slice of the flattened matrix (linear, so its transpose is a
pad); matrices are built by selecting (``select_n``) between a broadcast operand and zeros,
so that infinities outside the selected part do not leak into it; grids are ``iota`` and
``broadcast_in_dim``.
"""

from __future__ import annotations

import operator
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import comparison as cmp
from ..primitives import matrices
from ..primitives import shape as shape_ops
from ..primitives.structural import broadcast_in_dim, convert_element_type, zeros
from . import reductions, ufuncs
from ._util import array_operand, convert_to, normalize_axis
from .creation import linspace
from .manipulation import moveaxis, ravel


def diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """The ``offset``-th diagonal of the matrices in the plane ``(axis1, axis2)``; the other
    axes come first and the diagonal last."""
    x = array_operand(a, "diagonal")
    nd = aval_of(x).ndim
    if nd < 2:
        raise ValueError("diagonal requires an array of at least two dimensions.")
    i, j = normalize_axis(axis1, nd), normalize_axis(axis2, nd)
    if i == j:
        raise ValueError("axis1 and axis2 must not be equal")
    x = moveaxis(x, (i, j), (-2, -1))
    *batch, m, n = aval_of(x).shape
    k = operator.index(offset)
    length = max(0, min(m, n - k) if k >= 0 else min(m + k, n))
    start = k if k >= 0 else -k * n
    flat = shape_ops.reshape(x, (*batch, m * n))
    if length == 0:
        start = 0
    limit = start + (length - 1) * (n + 1) + 1 if length else 0
    nb = len(batch)
    return shape_ops.slice(flat, (0,) * nb + (start,), (*batch, limit), (1,) * nb + (n + 1,))


def _diag_matrix(v: Any, k: int) -> Any:
    """The square matrix with ``v`` on its ``k``-th diagonal and zeros elsewhere."""
    n = aval_of(v).shape[0] + abs(k)
    # entry (i, j) of the k-th diagonal holds v[j - k] (k >= 0) or v[j] (k < 0): pad v so
    # that its index is the column, broadcast it along the rows, and keep the diagonal
    padded = shape_ops.pad(v, np.zeros((), aval_of(v).dtype), [(max(k, 0), max(-k, 0), 0)])
    rows = broadcast_in_dim(padded, (n, n), (1,))
    on_diagonal = cmp.eq(shape_ops.iota(np.int32, (n, n), 1),
                         ufuncs.add(shape_ops.iota(np.int32, (n, n), 0), np.int32(k)))
    return cmp.select_n(on_diagonal, zeros(aval_of(rows)), rows)


def diag(v: Any, k: int = 0) -> Any:
    """The ``k``-th diagonal of a 2-d array, or the matrix with the 1-d ``v`` on it."""
    x = array_operand(v, "diag")
    k = operator.index(k)
    if aval_of(x).ndim == 1:
        return _diag_matrix(x, k)
    if aval_of(x).ndim == 2:
        return diagonal(x, k)
    raise ValueError("diag input must be 1d or 2d")


def diagflat(v: Any, k: int = 0) -> Any:
    """The matrix with the flattened ``v`` on its ``k``-th diagonal."""
    return _diag_matrix(ravel(array_operand(v, "diagflat")), operator.index(k))


def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None,
          out: None = None) -> Any:
    """The sum along the ``offset``-th diagonal (integers summed as ``jnp.sum`` does)."""
    if out is not None:
        raise NotImplementedError("The 'out' argument to jnp.trace is not supported.")
    return reductions.sum(diagonal(a, offset, axis1, axis2), axis=-1, dtype=dtype)


def _triangle(m: Any, k: int, name: str, keep_lower: bool) -> Any:
    x = array_operand(m, name)
    if aval_of(x).ndim < 2:
        raise ValueError(f"Argument to jax.numpy.{name} must be at least 2D")
    k = operator.index(k)
    return matrices.tril(x, k) if keep_lower else matrices.triu(x, k)


def tril(m: Any, k: int = 0) -> Any:
    """``m`` with the entries above the ``k``-th diagonal of its last two axes zeroed."""
    return _triangle(m, k, "tril", True)


def triu(m: Any, k: int = 0) -> Any:
    """``m`` with the entries below the ``k``-th diagonal of its last two axes zeroed."""
    return _triangle(m, k, "triu", False)


def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> Any:  # noqa: N803
    """An ``N x M`` array with ones on and below the ``k``-th diagonal, zeros elsewhere."""
    n = operator.index(N)
    m = n if M is None else operator.index(M)
    _check_sizes((n, m), "tri")
    dtype = dtypes.default_float() if dtype is None else dtypes.canonicalize(dtype)
    return convert_element_type(matrices.lower_mask((n, m), operator.index(k)), dtype)


def _check_sizes(shape: tuple[int, ...], name: str) -> None:
    if any(n < 0 for n in shape):
        raise TypeError(f"{name}: shape must have every element be nonnegative, got {shape}.")


def meshgrid(*xi: Any, copy: bool = True, sparse: bool = False,
             indexing: str = "xy") -> list[Any]:
    """Coordinate grids from 1-d coordinate vectors: with ``indexing="xy"`` (the default)
    the first two axes of the result are swapped, as for plotting; ``sparse`` returns
    broadcastable arrays with one non-unit axis each."""
    if not copy:
        raise ValueError("jax.numpy.meshgrid only supports copy=True")
    xs = [array_operand(x, "meshgrid") for x in xi]
    if any(aval_of(x).ndim != 1 for x in xs):
        raise ValueError(f"Arguments to jax.numpy.meshgrid must be 1D, got shapes "
                         f"{[aval_of(x).shape for x in xs]}")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"Valid values for indexing are 'xy' and 'ij', got {indexing}")
    axes = list(range(len(xs)))
    if indexing == "xy" and len(xs) >= 2:
        axes[0], axes[1] = 1, 0
    sizes = [aval_of(x).shape[0] for x in xs]
    full_shape = [1] * len(xs)
    for axis, size in zip(axes, sizes):
        full_shape[axis] = size
    out = []
    for x, axis in zip(xs, axes):
        shape = [1] * len(xs) if sparse else list(full_shape)
        shape[axis] = aval_of(x).shape[0]
        out.append(broadcast_in_dim(x, tuple(shape), (axis,)))
    return out


def indices(dimensions: Sequence[int], dtype: Any = None, sparse: bool = False) -> Any:
    """The index grids of an array of shape ``dimensions``: stacked along a new first axis,
    or (``sparse``) a tuple of broadcastable ranges."""
    dims = tuple(operator.index(d) for d in dimensions)
    _check_sizes(dims, "indices")
    dtype = dtypes.default_int() if dtype is None else dtypes.canonicalize(dtype)
    if sparse:
        return tuple(shape_ops.iota(dtype, tuple(n if i == axis else 1 for i, n in enumerate(dims)),
                                    axis) for axis in range(len(dims)))
    grids = [shape_ops.expand_dims(shape_ops.iota(dtype, dims, axis), (0,))
             for axis in range(len(dims))]
    if not grids:
        return shape_ops.full((0,), 0, dtype)
    return grids[0] if len(grids) == 1 else shape_ops.concatenate(grids, 0)


def _space_dtype(start: Any, stop: Any, dtype: Any) -> tuple[np.dtype, np.dtype]:
    """The result dtype and the (inexact) dtype the samples are computed in."""
    if dtype is None:
        dtype = dtypes.to_inexact(dtypes.result_type(
            *[(aval_of(v).dtype, aval_of(v).weak_type) for v in (start, stop)])[0])
    else:
        dtype = dtypes.canonicalize(dtype)
    return dtype, dtypes.to_inexact(dtype)


def logspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, base: Any = 10.0,
             dtype: Any = None, axis: int = 0) -> Any:
    """``base ** linspace(start, stop, num)``: samples evenly spaced on a log scale."""
    start, stop = array_operand(start, "logspace"), array_operand(stop, "logspace")
    dtype, computation = _space_dtype(start, stop, dtype)
    samples = linspace(start.astype(computation), stop.astype(computation), num,
                       endpoint=endpoint, axis=axis)
    return convert_to(ufuncs.power(base, samples), dtype, False)


def geomspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype: Any = None,
              axis: int = 0) -> Any:
    """``num`` samples from ``start`` to ``stop`` in geometric progression (both of one sign;
    a zero bound gives NaNs, as in JAX)."""
    start, stop = array_operand(start, "geomspace"), array_operand(stop, "geomspace")
    dtype, computation = _space_dtype(start, stop, dtype)
    start, stop = start.astype(computation), stop.astype(computation)
    sign = ufuncs.sign(start)
    exponents = (ufuncs.log10(ufuncs.divide(start, sign)), ufuncs.log10(ufuncs.divide(stop, sign)))
    out = ufuncs.multiply(sign, logspace(*exponents, num, endpoint=endpoint, base=10.0,
                                         dtype=computation, axis=0))
    out = moveaxis(out, 0, normalize_axis(axis, aval_of(out).ndim))
    return convert_to(out, dtype, False)
