"""``lax`` slicing helpers: dynamic slices and updates, and the ``*_in_dim`` conveniences.

Start indices may be Python ints, integer arrays or tracers; negative ones count from the
end (as in JAX), then the primitives clamp them so that the slice fits.
"""

from __future__ import annotations

import operator
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives.comparison import lt, select_n
from ..primitives.dynamic_slice import dynamic_slice_p, dynamic_update_slice_p
from ..primitives.elementwise import add
from ..primitives.shape import expand_dims, reshape, slice


def _start_indices(operand: Any, start_indices: Any) -> list[Any]:
    """One scalar integer index per axis, negative ones moved up by the axis's size."""
    shape = aval_of(operand).shape
    if not isinstance(start_indices, (list, tuple)):
        aval = aval_of(start_indices)
        if len(aval.shape) != 1:
            raise TypeError("start_indices must be a sequence of scalars or a 1-D array, got "
                            f"shape {aval.shape}")
        start_indices = [start_indices[i] for i in range(aval.shape[0])]
    if len(start_indices) != len(shape):
        raise TypeError(f"dynamic slicing needs one start index per operand axis ({len(shape)}),"
                        f" got {len(start_indices)}")
    return [_wrapped(i, n) for i, n in zip(start_indices, shape)]


def _wrapped(index: Any, size: int) -> Any:
    if isinstance(index, (int, np.integer)):
        value = operator.index(index)
        return np.asarray(value + size if value < 0 else value, dtypes.default_int())
    aval = aval_of(index)
    if aval.shape != () or not dtypes.is_integer(aval.dtype):
        raise TypeError(f"start indices must be scalar integers, got {aval.str_short()}")
    if aval.dtype.kind == "u":
        return index
    return select_n(lt(index, np.zeros((), aval.dtype)), index,
                    add(index, np.asarray(size, aval.dtype)))


def dynamic_slice(operand: Any, start_indices: Any, slice_sizes: Sequence[int]) -> Any:
    """``operand[s0:s0+k0, ...]`` at run-time starts ``s``, each clamped so the slice fits.

    >>> dynamic_slice(jnp.arange(5), (3,), (3,))  # Array([2, 3, 4], dtype=int32)
    """
    starts = _start_indices(operand, start_indices)
    return dynamic_slice_p.bind1(operand, *starts,
                                 slice_sizes=tuple(operator.index(k) for k in slice_sizes))


def dynamic_update_slice(operand: Any, update: Any, start_indices: Any) -> Any:
    """``operand`` with ``update`` written at run-time starts, each clamped so it fits."""
    return dynamic_update_slice_p.bind1(operand, update, *_start_indices(operand, start_indices))


def _axis(operand: Any, axis: int) -> int:
    ndim = len(aval_of(operand).shape)
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of bounds for an array of dimension {ndim}")
    return axis % ndim


def dynamic_slice_in_dim(operand: Any, start_index: Any, slice_size: int, axis: int = 0) -> Any:
    """``dynamic_slice`` along one axis (the whole of every other axis)."""
    shape = aval_of(operand).shape
    axis = _axis(operand, axis)
    starts = [0] * len(shape)
    starts[axis] = start_index
    sizes = list(shape)
    sizes[axis] = slice_size
    return dynamic_slice(operand, starts, sizes)


def dynamic_index_in_dim(operand: Any, index: Any, axis: int = 0, keepdims: bool = True) -> Any:
    """The element ``index`` (a run-time value) along ``axis``; the axis stays, of size 1,
    with ``keepdims``."""
    out = dynamic_slice_in_dim(operand, index, 1, axis)
    return out if keepdims else _drop_axis(out, _axis(operand, axis))


def dynamic_update_slice_in_dim(operand: Any, update: Any, start_index: Any, axis: int) -> Any:
    """``dynamic_update_slice`` at ``start_index`` along ``axis`` (0 along the others)."""
    axis = _axis(operand, axis)
    starts = [0] * len(aval_of(operand).shape)
    starts[axis] = start_index
    return dynamic_update_slice(operand, update, starts)


def dynamic_update_index_in_dim(operand: Any, update: Any, index: Any, axis: int) -> Any:
    """``operand`` with position ``index`` along ``axis`` set to ``update`` (which may lack
    that axis)."""
    axis = _axis(operand, axis)
    if len(aval_of(update).shape) == len(aval_of(operand).shape) - 1:
        update = expand_dims(update, (axis,))
    return dynamic_update_slice_in_dim(operand, update, index, axis)


def slice_in_dim(operand: Any, start_index: int | None, limit_index: int | None,
                 stride: int = 1, axis: int = 0) -> Any:
    """``operand[start:limit:stride]`` along ``axis`` (static bounds; negative ones count from
    the end, None means the axis's ends)."""
    shape = aval_of(operand).shape
    axis = _axis(operand, axis)
    size = shape[axis]
    start = 0 if start_index is None else operator.index(start_index)
    limit = size if limit_index is None else operator.index(limit_index)
    start, limit = (start + size if start < 0 else start), (limit + size if limit < 0 else limit)
    starts, limits, strides = [0] * len(shape), list(shape), [1] * len(shape)
    starts[axis], limits[axis], strides[axis] = start, limit, operator.index(stride)
    return slice(operand, starts, limits, strides)


def index_in_dim(operand: Any, index: int, axis: int = 0, keepdims: bool = True) -> Any:
    """The element ``index`` (static; negative counts from the end) along ``axis``."""
    axis = _axis(operand, axis)
    size = aval_of(operand).shape[axis]
    index = operator.index(index)
    wrapped = index + size if index < 0 else index
    if not 0 <= wrapped < size:
        raise IndexError(f"index {index} is out of bounds for axis {axis} with size {size}")
    out = slice_in_dim(operand, wrapped, wrapped + 1, 1, axis)
    return out if keepdims else _drop_axis(out, axis)


def _drop_axis(x: Any, axis: int) -> Any:
    shape = list(aval_of(x).shape)
    del shape[axis]
    return reshape(x, shape)


__all__ = ["dynamic_index_in_dim", "dynamic_slice", "dynamic_slice_in_dim",
           "dynamic_update_index_in_dim", "dynamic_update_slice", "dynamic_update_slice_in_dim",
           "index_in_dim", "slice_in_dim"]
