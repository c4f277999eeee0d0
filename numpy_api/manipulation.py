"""Shape manipulation and selection: reshape, ravel, transpose, swapaxes, moveaxis,
squeeze, expand_dims, concatenate, stack, hstack, vstack, broadcast_to, where (with one
argument: ``nonzero``).
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import comparison as cmp
from ..primitives import shape as shape_ops
from ..primitives.structural import transpose as transpose_op
from . import ufuncs
from .index_routines import nonzero
from ._util import (
    array_operand,
    as_operand,
    broadcast_shapes,
    broadcast_to_shape,
    normalize_axes,
    normalize_axis,
    promote,
)


def reshape(a: Any, newshape: Any = None, order: str = "C", *, shape: Any = None) -> Any:
    """``a`` with a new shape of the same size; one entry may be -1."""
    target = shape if shape is not None else newshape
    if target is None:
        raise TypeError("reshape needs a shape")
    _check_order(order)
    x = array_operand(a, "reshape")
    size = aval_of(x).size
    target = (target,) if isinstance(target, (int, np.integer)) else tuple(int(s) for s in target)
    if target.count(-1) > 1:
        raise TypeError(f"can only specify one unknown axis size with a -1 value, got {target}")
    if -1 in target:
        known = math.prod([s for s in target if s != -1])
        if known == 0 or size % known:
            raise TypeError(f"cannot reshape array of shape {aval_of(x).shape} (size {size}) "
                            f"into shape {target}")
        target = tuple(size // known if s == -1 else s for s in target)
    if math.prod(target) != size:
        raise TypeError(f"cannot reshape array of shape {aval_of(x).shape} (size {size}) "
                        f"into shape {target}")
    if order == "F":  # Fortran order is C order of the reversed axes
        reversed_x = transpose_op(x, tuple(reversed(range(aval_of(x).ndim))))
        flipped = shape_ops.reshape(reversed_x, target[::-1])
        return transpose_op(flipped, tuple(reversed(range(len(target)))))
    return shape_ops.reshape(x, target)


def _check_order(order: str) -> None:
    if order == "A":
        raise NotImplementedError("np.reshape order=A is not implemented.")
    if order not in ("C", "F"):
        raise ValueError(f"Unexpected value for 'order' argument: {order}.")


def ravel(a: Any, order: str = "C") -> Any:
    """The elements of ``a`` as a 1-d array, in C (row-major) or F (column-major) order."""
    return reshape(array_operand(a, "ravel"), (-1,), order)


def transpose(a: Any, axes: Sequence[int] | None = None) -> Any:
    """Permute the axes (reverse them when ``axes`` is None)."""
    x = array_operand(a, "transpose")
    ndim = aval_of(x).ndim
    perm = tuple(reversed(range(ndim))) if axes is None else tuple(
        normalize_axis(i, ndim) for i in axes)
    if sorted(perm) != list(range(ndim)):  # a TypeError, as in JAX
        raise TypeError(f"transpose permutation isn't a permutation of operand dimensions, got "
                        f"permutation {tuple(axes)} for operand shape {aval_of(x).shape}.")
    return transpose_op(x, perm)


def swapaxes(a: Any, axis1: int, axis2: int) -> Any:
    """Exchange two axes of ``a``."""
    x = array_operand(a, "swapaxes")
    ndim = aval_of(x).ndim
    perm = list(range(ndim))
    i, j = normalize_axis(axis1, ndim), normalize_axis(axis2, ndim)
    perm[i], perm[j] = perm[j], perm[i]
    return transpose_op(x, perm)


def moveaxis(a: Any, source: Any, destination: Any) -> Any:
    """Move axes ``source`` of ``a`` to ``destination``, keeping the others in order."""
    x = array_operand(a, "moveaxis")
    ndim = aval_of(x).ndim
    src = normalize_axes(source, ndim)
    dst = normalize_axes(destination, ndim)
    if len(src) != len(dst):
        raise ValueError("moveaxis: source and destination must have the same number of axes")
    perm = [i for i in range(ndim) if i not in src]
    for d, s in sorted(zip(dst, src)):
        perm.insert(d, s)
    return transpose_op(x, perm)


def squeeze(a: Any, axis: Any = None) -> Any:
    """Remove axes of size 1 (all of them when ``axis`` is None)."""
    x = array_operand(a, "squeeze")
    shape = aval_of(x).shape
    if axis is None:
        axes = tuple(i for i, s in enumerate(shape) if s == 1)
    else:
        axes = normalize_axes(axis, len(shape))
        bad = [i for i in axes if shape[i] != 1]
        if bad:
            raise ValueError(f"cannot select an axis to squeeze out which has size not equal "
                             f"to one, got shape={shape} and dimensions={axes}")
    return shape_ops.squeeze(x, axes) if axes else x


def expand_dims(a: Any, axis: Any) -> Any:
    """Insert size-1 axes at the positions ``axis`` (counted in the result)."""
    x = array_operand(a, "expand_dims")
    ndim = aval_of(x).ndim + (len(axis) if isinstance(axis, (tuple, list)) else 1)
    return shape_ops.expand_dims(x, normalize_axes(axis, ndim))


def concatenate(arrays: Sequence[Any], axis: int | None = 0) -> Any:
    """Join arrays along an existing axis (flattening them first when ``axis`` is None)."""
    if not isinstance(arrays, (list, tuple)) or not arrays:
        raise ValueError("concatenate needs a non-empty sequence of arrays")
    xs = [array_operand(a, "concatenate", k) for k, a in enumerate(arrays)]
    if axis is None:
        xs, axis = [ravel(x) for x in xs], 0
    xs = promote(*xs)
    ndim = aval_of(xs[0]).ndim
    if ndim == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    if len(xs) == 1:
        return xs[0]
    return shape_ops.concatenate(xs, normalize_axis(axis, ndim))


def stack(arrays: Sequence[Any], axis: int = 0) -> Any:
    """Join arrays of one shape along a new axis."""
    if not isinstance(arrays, (list, tuple)) or not arrays:
        raise ValueError("Need at least one array to stack.")
    xs = [array_operand(a, "stack", k) for k, a in enumerate(arrays)]
    shapes = {aval_of(x).shape for x in xs}
    if len(shapes) > 1:
        raise ValueError(f"All input arrays must have the same shape, got {sorted(shapes)}")
    axis = normalize_axis(axis, aval_of(xs[0]).ndim + 1)
    xs = [shape_ops.expand_dims(x, (axis,)) for x in promote(*xs)]
    return xs[0] if len(xs) == 1 else shape_ops.concatenate(xs, axis)


def hstack(arrays: Sequence[Any]) -> Any:
    """Concatenate along the second axis (along the first for 1-d arrays)."""
    xs = [array_operand(a, "hstack", k) for k, a in enumerate(arrays)]
    xs = [reshape(x, (1,)) if aval_of(x).ndim == 0 else x for x in xs]
    return concatenate(xs, 0 if aval_of(xs[0]).ndim == 1 else 1)


def vstack(arrays: Sequence[Any]) -> Any:
    """Concatenate along the first axis, after making 0-d and 1-d arrays rows."""
    xs = [array_operand(a, "vstack", k) for k, a in enumerate(arrays)]
    xs = [reshape(x, (1, -1)) if aval_of(x).ndim < 2 else x for x in xs]
    return concatenate(xs, 0)


def broadcast_to(a: Any, shape: Any) -> Any:
    """``a`` broadcast to ``shape`` with NumPy's rules."""
    x = array_operand(a, "broadcast_to")
    shape = (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(s) for s in shape)
    x_shape = aval_of(x).shape
    if len(x_shape) > len(shape) or broadcast_shapes(x_shape, shape) != shape:
        raise ValueError(f"cannot broadcast an array of shape {x_shape} to shape {shape}")
    return broadcast_to_shape(x, shape)


def where(condition: Any, x: Any = None, y: Any = None, *, size: int | None = None,
          fill_value: Any = None) -> Any:
    """Elementwise ``x`` where ``condition`` holds, else ``y`` (both are evaluated); with
    ``condition`` alone, ``jnp.nonzero(condition, size=size, fill_value=fill_value)``."""
    if x is None and y is None:
        return nonzero(as_operand(condition, "where"), size=size, fill_value=fill_value)
    if size is not None or fill_value is not None:
        raise ValueError("size and fill_value arguments cannot be used in three-term where "
                         "function.")
    condition = as_operand(condition, "where")
    if aval_of(condition).dtype != dtypes.bool_:
        condition = ufuncs.not_equal(condition, 0)
    x, y = promote(as_operand(x, "where", 1), as_operand(y, "where", 2))
    x, y = (array_operand(v, "where") for v in (x, y))
    shape = broadcast_shapes(*(aval_of(v).shape for v in (condition, x, y)), name="where")
    condition, x, y = (broadcast_to_shape(v, shape) for v in (condition, x, y))
    return cmp.select_n(condition, y, x)


def shape(a: Any) -> tuple[int, ...]:
    """The shape of ``a`` (a tuple of ints, known while tracing); a list or tuple is measured
    as NumPy does, with JAX's DeprecationWarning."""
    return _shape_of(a, "shape")


def _shape_of(a: Any, name: str) -> tuple[int, ...]:
    if isinstance(a, (list, tuple)):
        warnings.warn(f"{name} requires ndarray or scalar arguments, got {type(a)} at position "
                      "0. In a future JAX release this will be an error.", DeprecationWarning,
                      stacklevel=3)
        return np.shape(a)
    return aval_of(as_operand(a, name)).shape


def ndim(a: Any) -> int:
    """The number of axes of ``a``."""
    return len(_shape_of(a, "ndim"))


def size(a: Any) -> int:
    """The number of elements of ``a``."""
    return math.prod(_shape_of(a, "size"))
