"""Indexing routines: take, take_along_axis, put_along_axis, nonzero, argwhere, flatnonzero.

``take`` and ``take_along_axis`` are one ``gather`` (out of bounds: NaN or the integer
limits by default, ``mode="fill"``, as in JAX); ``put_along_axis`` one ``scatter``. The
``nonzero`` family has a result whose shape depends on the values: it is computed in NumPy
when the argument is concrete, and needs ``size=`` otherwise (then the positions come from
a stable sort of the mask, padded with ``fill_value``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.array import Array
from ..core.errors import ConcretizationError
from ..core.trace import NO_VALUE, aval_of, concrete_value
from ..primitives import comparison as cmp
from ..primitives import elementwise as ew
from ..primitives import shape as shape_ops
from ..primitives.index_kernels import (
    GatherDimensionNumbers,
    GatherScatterMode,
    ScatterDimensionNumbers,
)
from ..primitives.indexing import gather, scatter_apply
from ..primitives.sorting import sort_by
from ..primitives.structural import convert_element_type, reduce_sum
from . import ufuncs
from ._util import array_operand, as_operand, broadcast_shapes, broadcast_to_shape, normalize_axis
from .indexing import _normalized


def _integer_indices(indices: Any, name: str) -> Any:
    indices = array_operand(indices, name, 1)
    if not dtypes.is_integer(aval_of(indices).dtype):
        raise TypeError(f"{name}: indices must be integers, got {aval_of(indices).dtype.name}")
    return indices


def _flat(a: Any) -> Any:
    return shape_ops.reshape(a, (aval_of(a).size,))


def take(a: Any, indices: Any, axis: int | None = None, out: None = None, mode: str | None = None,
         unique_indices: bool = False, indices_are_sorted: bool = False,
         fill_value: Any = None) -> Any:
    """Elements of ``a`` at ``indices`` along ``axis`` (of the flattened ``a`` if None).

    ``mode``: "fill" (default: out-of-bounds indices read ``fill_value``, by default NaN or
    the integer limits), "clip", or "wrap" (indices taken modulo the axis' length).
    """
    if out is not None:
        raise NotImplementedError("The 'out' argument to jnp.take is not supported.")
    a, indices = array_operand(a, "take"), _integer_indices(indices, "take")
    if axis is None:
        a, axis = _flat(a), 0
    shape = aval_of(a).shape
    axis = normalize_axis(axis, len(shape))
    n, index_shape = shape[axis], aval_of(indices).shape
    if mode is None or mode == "fill":
        gather_mode = GatherScatterMode.FILL_OR_DROP
    elif mode == "raise":
        raise NotImplementedError("The 'raise' mode to jnp.take is not supported.")
    elif mode == "wrap":
        gather_mode = GatherScatterMode.PROMISE_IN_BOUNDS
    elif mode == "clip":
        gather_mode = GatherScatterMode.CLIP
    else:
        raise ValueError(f"Invalid mode '{mode}' for np.take")
    out_shape = shape[:axis] + index_shape + shape[axis + 1:]
    if n == 0 and math.prod(index_shape):
        raise IndexError("Cannot do a non-empty jnp.take() from an empty axis.")
    if math.prod(out_shape) == 0:
        return shape_ops.full(out_shape, 0, aval_of(a).dtype)
    dtype = aval_of(indices).dtype
    if mode == "wrap":
        indices = ufuncs.remainder(indices, np.asarray(n, dtype))
    else:  # (mode="clip" clips negative indices to 0, as NumPy's take does)
        indices = _normalized(indices, n, dtype, wrap=mode != "clip")
    rank = len(index_shape)
    offset_dims = tuple(range(axis)) + tuple(range(axis + rank, len(out_shape)))
    dnums = GatherDimensionNumbers(offset_dims, (axis,), (axis,))
    sizes = tuple(1 if d == axis else s for d, s in enumerate(shape))
    return gather(a, shape_ops.expand_dims(indices, (rank,)), dnums, sizes, mode=gather_mode,
                  fill_value=fill_value, unique_indices=unique_indices,
                  indices_are_sorted=indices_are_sorted)


def _along_axis(arr: Any, indices: Any, axis: int | None, name: str) -> tuple:
    """``arr`` and ``indices`` for the along-axis routines (flattened for ``axis=None``), the
    axis, and the shape the other axes of both broadcast to."""
    arr, indices = array_operand(arr, name), _integer_indices(indices, name)
    if axis is None:
        if aval_of(indices).ndim != 1:
            raise ValueError("when axis=None, `indices` must have a single dimension.")
        arr, axis = _flat(arr), 0
    a_shape, i_shape = aval_of(arr).shape, aval_of(indices).shape
    if len(i_shape) != len(a_shape):
        raise ValueError("indices and arr must have the same number of dimensions; "
                         f"{len(i_shape)} vs. {len(a_shape)}")
    axis = normalize_axis(axis, len(a_shape))
    others = broadcast_shapes(*[s[:axis] + (1,) + s[axis + 1:] for s in (a_shape, i_shape)],
                              name=name)
    return arr, indices, axis, others


def _along_axis_dims(rank: int, axis: int) -> tuple[tuple[int, ...], ...]:
    """(window axes, indexed axis, batching axes) of a gather or scatter along ``axis``, the
    other axes of the operand paired one to one with those of the indices."""
    batching = tuple(d for d in range(rank) if d != axis)
    return (), (axis,), (axis,), batching, batching


def take_along_axis(arr: Any, indices: Any, axis: int | None, mode: Any = None,
                    fill_value: Any = None) -> Any:
    """``out[..., j, ...] = arr[..., indices[..., j, ...], ...]`` along ``axis``; the other
    axes broadcast. Out of bounds: as ``take`` (``mode="fill"`` by default)."""
    arr, indices, axis, others = _along_axis(arr, indices, axis, "take_along_axis")
    a_shape, i_shape = aval_of(arr).shape, aval_of(indices).shape
    out_shape = others[:axis] + (i_shape[axis],) + others[axis + 1:]
    if math.prod(out_shape) == 0:
        return shape_ops.full(out_shape, 0, aval_of(arr).dtype)
    arr = broadcast_to_shape(arr, others[:axis] + (a_shape[axis],) + others[axis + 1:])
    indices = _normalized(broadcast_to_shape(indices, out_shape), a_shape[axis],
                          aval_of(indices).dtype, wrap=True)
    dnums = GatherDimensionNumbers(*_along_axis_dims(len(a_shape), axis))
    return gather(arr, shape_ops.expand_dims(indices, (len(out_shape),)), dnums,
                  (1,) * len(a_shape), mode="fill" if mode is None else mode,
                  fill_value=fill_value)


def put_along_axis(arr: Any, indices: Any, values: Any, axis: int | None, inplace: bool = True,
                   *, mode: Any = None) -> Any:
    """``arr`` with ``values`` written at ``indices`` along ``axis`` (functional: pass
    ``inplace=False``); out-of-bounds indices are dropped by default."""
    if inplace:
        raise ValueError("jax.numpy.put_along_axis cannot modify arrays in-place, because JAX "
                         "arrays are immutable. Pass inplace=False to instead return an "
                         "updated array.")
    original = aval_of(array_operand(arr, "put_along_axis")).shape
    arr, indices, axis, others = _along_axis(arr, indices, axis, "put_along_axis")
    a_shape, i_shape = aval_of(arr).shape, aval_of(indices).shape
    if others[:axis] + others[axis + 1:] != a_shape[:axis] + a_shape[axis + 1:]:
        raise ValueError(f"put_along_axis: indices of shape {i_shape} do not broadcast to the "
                         f"array's shape {a_shape} along the axes other than {axis}")
    shape = a_shape[:axis] + (i_shape[axis],) + a_shape[axis + 1:]
    indices = _normalized(broadcast_to_shape(indices, shape), a_shape[axis],
                          aval_of(indices).dtype, wrap=True)
    values = as_operand(values, "put_along_axis", 2)
    dtype = aval_of(arr).dtype
    if aval_of(values).dtype != dtype or np.ndim(values) == 0:
        values = convert_element_type(values, dtype)
    values = broadcast_to_shape(values, shape)
    if math.prod(shape) == 0:
        return shape_ops.reshape(arr, original)
    dnums = ScatterDimensionNumbers(*_along_axis_dims(len(a_shape), axis))
    out = scatter_apply("scatter", arr, shape_ops.expand_dims(indices, (len(shape),)), values,
                        dnums, mode=mode)
    return shape_ops.reshape(out, original)


# ---------------------------------------------------------------- nonzero and friends


def _fill_values(fill_value: Any, ndim: int) -> tuple:
    if fill_value is None:
        return (0,) * ndim
    fills = tuple(np.ravel(fill_value)) if np.ndim(fill_value) else (fill_value,) * ndim
    if len(fills) != ndim:
        raise ValueError(f"fill_value must be a scalar or a tuple of length {ndim}; got "
                         f"{fill_value}")
    return fills


def nonzero(a: Any, *, size: int | None = None, fill_value: Any = None) -> tuple[Any, ...]:
    """The indices of the nonzero elements of ``a``, one array per axis.

    Under ``jit`` or ``vmap`` the number of nonzeros is unknown: pass ``size``, and the
    result has exactly ``size`` entries, cut or padded with ``fill_value`` (default 0).
    """
    a = array_operand(a, "nonzero")
    shape = aval_of(a).shape
    if not shape:
        raise ValueError("Calling nonzero on 0d arrays is not allowed. Use "
                         "jnp.atleast_1d(scalar).nonzero() instead.")
    fills, dtype = _fill_values(fill_value, len(shape)), dtypes.default_int()
    value = concrete_value(a)
    if value is not NO_VALUE:
        return _concrete_nonzero(np.asarray(value), size, fills, dtype)
    if size is None:
        raise ConcretizationError(
            f"jnp.nonzero of the traced array {a!r}: the number of nonzeros is not known "
            "while tracing. The size argument of jnp.nonzero must be statically specified to "
            "use jnp.nonzero within JAX transformations: pass size=n (and fill_value) for a "
            "result of fixed length.")
    return _traced_nonzero(a, int(size), fills, dtype)


def _concrete_nonzero(value: np.ndarray, size: int | None, fills: tuple,
                      dtype: np.dtype) -> tuple[Array, ...]:
    found = np.nonzero(value)
    if size is not None:
        found = tuple(np.concatenate([f[:size], np.full(max(size - len(f), 0), fill)])
                      for f, fill in zip(found, fills))
    return tuple(Array(np.asarray(f, dtype)) for f in found)


def _traced_nonzero(a: Any, size: int, fills: tuple, dtype: np.dtype) -> tuple[Any, ...]:
    """The first ``size`` positions of nonzeros, from a stable sort that puts them first."""
    shape = aval_of(a).shape
    n = math.prod(shape)
    mask = _flat(a if aval_of(a).dtype == dtypes.bool_ else ufuncs.not_equal(a, 0))
    positions = sort_by(cmp.not_p.bind1(mask), shape_ops.iota(dtype, (n,)), 0)
    count = reduce_sum(convert_element_type(mask, dtype), (0,))
    if size <= n:
        positions = shape_ops.slice(positions, (0,), (size,))
    else:
        positions = shape_ops.pad(positions, np.zeros((), dtype), ((0, size - n, 0),))
    found = cmp.lt(shape_ops.iota(dtype, (size,)), count)
    out, rest = [], positions
    for length, fill in zip(reversed(shape), reversed(fills)):
        length = np.asarray(length, dtype)
        quotient = ew.div(rest, length)
        coordinate = ew.sub(rest, ew.mul(quotient, length))
        out.append(cmp.select_n(found, shape_ops.full((size,), fill, dtype), coordinate))
        rest = quotient
    return tuple(reversed(out))


def flatnonzero(a: Any, *, size: int | None = None, fill_value: Any = None) -> Any:
    """The indices of the nonzero elements of the flattened ``a`` (``size`` as ``nonzero``)."""
    return nonzero(_flat(array_operand(a, "flatnonzero")), size=size, fill_value=fill_value)[0]


def argwhere(a: Any, *, size: int | None = None, fill_value: Any = None) -> Any:
    """The indices of the nonzero elements of ``a``, one row per element
    (``size`` as ``nonzero``)."""
    a = array_operand(a, "argwhere")
    ndim = aval_of(a).ndim
    columns = nonzero(shape_ops.reshape(a, (1,)) if ndim == 0 else a, size=size,
                      fill_value=fill_value)
    rows = shape_ops.concatenate([shape_ops.expand_dims(c, (1,)) for c in columns], 1)
    if ndim == 0:
        return shape_ops.slice(rows, (0, 0), (aval_of(rows).shape[0], 0))
    return rows
