"""What every jnp function does before binding: check, promote dtypes, broadcast shapes.

These are NumPy's conveniences done JAX's way: Python scalars are weakly typed,
promotion follows ``core.dtypes.result_type``, and broadcasting is made explicit with
``broadcast_in_dim`` so printed jaxprs show it. Python scalars stay scalars (they
become literals), since elementwise primitives broadcast scalars themselves.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.array import Array
from ..core.avals import is_python_scalar
from ..core.cache import bounded_cache, cache_put
from ..core.trace import ARRAY_TYPES, aval_of, canonicalize_numpy, trace_of
from ..primitives.structural import broadcast_in_dim, convert_element_type


def as_operand(x: Any, name: str = "argument", position: int = 0) -> Any:
    """``x`` as something bind accepts: tracers, Arrays and Python scalars pass, NumPy arrays
    become Arrays; lists are refused, as JAX refuses them, naming the function and where ``x``
    stands among its array arguments."""
    if type(x) in ARRAY_TYPES or is_python_scalar(x):
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        if x.dtype == object or x.dtype.kind in "USV":
            raise TypeError(f"{name}: arrays of dtype {x.dtype} are not valid jaxlite arrays")
        return Array(canonicalize_numpy(x))
    if isinstance(x, (list, tuple)):
        raise TypeError(f"{name} requires ndarray or scalar arguments, got {type(x)} at "
                        f"position {position}.")
    raise TypeError(
        f"{name}: value {x!r} of type {type(x).__name__} is not a valid jaxlite array; "
        "pass an array or a scalar"
    )


def array_operand(x: Any, name: str, position: int = 0) -> Any:
    """``x`` as an array operand; a Python scalar becomes a weakly typed 0-d Array, so
    functions that need a shape (or return their input) get one without losing the weak type."""
    x = as_operand(x, name, position)
    if is_python_scalar(x):
        aval = aval_of(x)
        return Array(np.asarray(x, aval.dtype), aval.weak_type)
    return x


def promote_types(*args: Any) -> tuple[np.dtype, bool]:
    """The dtype and weak type JAX gives the result of combining ``args``."""
    return dtypes.result_type(*[(a.dtype, a.weak_type) for a in map(aval_of, args)])


def convert_to(x: Any, dtype: np.dtype, weak: bool) -> Any:
    """``x`` with the given dtype: Python scalars stay literals, arrays are converted."""
    if is_python_scalar(x):
        if weak and dtypes.python_scalar_dtype(x) == dtype:
            return x
        if weak:
            kind = dtype.kind
            return complex(x) if kind == "c" else float(x) if kind == "f" else int(x)
        return np.asarray(x).astype(dtype)[()]  # out-of-range integers wrap, as in JAX
    aval = aval_of(x)
    if aval.dtype == dtype and aval.weak_type == weak:
        return x
    return convert_element_type(x, dtype, weak)


def promote(*args: Any) -> list[Any]:
    """Convert every argument to their common dtype."""
    dtype, weak = promote_types(*args)
    return [convert_to(a, dtype, weak) for a in args]


def promote_inexact(*args: Any) -> list[Any]:
    """Like ``promote``, but integers and bools become the default float (as ``jnp.sin`` does)."""
    dtype, weak = promote_types(*args)
    dtype = dtypes.to_inexact(dtype)
    return [convert_to(a, dtype, weak) for a in args]


def broadcast_shapes(*shapes: tuple[int, ...], name: str = "broadcast") -> tuple[int, ...]:
    """NumPy's broadcasting of shapes, with JAX's error message."""
    out = _broadcast_shapes.get(shapes)
    if out is None:
        out = cache_put(_broadcast_shapes, shapes, _broadcast_shapes_uncached(shapes, name))
    return out


_broadcast_shapes: dict[tuple, tuple[int, ...]] = bounded_cache(
    f"{__name__}._broadcast_shapes", 4096)


def _broadcast_shapes_uncached(shapes: tuple, name: str) -> tuple[int, ...]:
    ndim = max((len(s) for s in shapes), default=0)
    out = []
    for axis in range(ndim):
        sizes = {s[axis - ndim + len(s)] for s in shapes if axis - ndim + len(s) >= 0}
        sizes.discard(1)
        if len(sizes) > 1:
            raise ValueError(f"{name}: incompatible shapes for broadcasting: "
                             f"{', '.join(map(str, shapes))}")
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


def broadcast_to_shape(x: Any, shape: tuple[int, ...]) -> Any:
    """``x`` broadcast to ``shape`` with NumPy's rules (trailing axes aligned)."""
    x_shape = aval_of(x).shape
    if x_shape == shape:
        return x
    lead = len(shape) - len(x_shape)
    return broadcast_in_dim(x, shape, tuple(range(lead, len(shape))))


def _is_scalar_constant(x: Any) -> bool:
    """Python and NumPy scalars and 0-d Arrays: they become literals, which elementwise
    primitives broadcast."""
    if trace_of(x) is not None:
        return False
    if type(x) is Array:
        return x.aval.shape == ()
    return is_python_scalar(x) or isinstance(x, np.generic)


def broadcast_arrays(*args: Any, name: str = "broadcast") -> list[Any]:
    """Broadcast array operands to one shape; Python and NumPy scalars stay scalars."""
    scalars = [_is_scalar_constant(a) for a in args]
    shapes = [aval_of(a).shape for a, scalar in zip(args, scalars) if not scalar]
    if len(set(shapes)) <= 1:
        return list(args)
    shape = broadcast_shapes(*shapes, name=name)
    return [a if scalar else broadcast_to_shape(a, shape) for a, scalar in zip(args, scalars)]


def normalize_axis(axis: int, ndim: int, name: str = "axis") -> int:
    """A non-negative axis index, or JAX's ValueError; a 0-d array has no axes at all."""
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name} {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


def normalize_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """``axis=None`` means every axis; an int or a tuple of ints, normalised and checked."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (tuple, list)):
        axes = tuple(normalize_axis(a, ndim) for a in axis)
        if len(set(axes)) != len(axes):
            raise ValueError(f"repeated axis in {axis}")
        return axes
    return (normalize_axis(axis, ndim),)
