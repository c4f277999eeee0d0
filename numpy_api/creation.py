"""Array creation: array, asarray, zeros, ones, full, *_like, arange, linspace, eye, and
the scalar types (``jnp.float32(3)`` is an Array, ``jnp.float32`` is also a dtype).
"""

from __future__ import annotations

import operator
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.array import Array
from ..core.avals import is_python_scalar
from ..core.errors import ConcretizationError
from ..core.trace import ARRAY_TYPES, NO_VALUE, aval_of, canonicalize_numpy, concrete_value, trace_of
from ..primitives import shape as shape_ops
from ..primitives.structural import broadcast_in_dim, convert_element_type
from . import manipulation, ufuncs
from ._util import as_operand, convert_to, normalize_axis


def _dtype_or_none(dtype: Any) -> np.dtype | None:
    return None if dtype is None else dtypes.canonicalize(dtype)


def _shape(shape: Any) -> tuple[int, ...]:
    """A shape of concrete integers; a traced size raises ConcretizationError (via __index__)."""
    if not isinstance(shape, (tuple, list)):
        shape = (shape,)
    try:
        shape = tuple(operator.index(s) for s in shape)
    except ConcretizationError as err:
        raise type(err)(f"Shapes must be 1D sequences of concrete values of integer type, got "
                        f"{shape}. {err}") from None
    if any(s < 0 for s in shape):
        raise ValueError(f"negative dimensions are not allowed, got shape {shape}")
    return shape


def _contains_tracer(x: Any) -> bool:
    if isinstance(x, (list, tuple)):
        return any(_contains_tracer(v) for v in x)
    return type(x) in ARRAY_TYPES


def array(object: Any, dtype: Any = None, copy: bool = True) -> Any:  # noqa: A002 - NumPy's name
    """An array from an array, a scalar, or a nested list of them.

    As in JAX, a Python scalar (or a weakly typed array) gives a weakly typed array
    unless ``dtype`` is given; lists give strongly typed arrays.
    """
    dtype = _dtype_or_none(dtype)
    if isinstance(object, (list, tuple)) and _contains_tracer(object):
        out = manipulation.stack([array(v) for v in object])
        if aval_of(out).weak_type:  # a list gives a strongly typed array
            out = convert_element_type(out, aval_of(out).dtype)
    elif type(object) in ARRAY_TYPES:
        out = object
    elif is_python_scalar(object):  # concrete values are converted now, in NumPy
        aval = aval_of(object)
        out = Array(np.asarray(object, dtype or aval.dtype), dtype is None and aval.weak_type)
    else:
        value = np.asarray(object)
        if value.dtype.kind in "USVO":
            raise TypeError(f"cannot make a jaxlite array from {object!r}")
        if value.dtype.kind == "f" and _all_python_scalars(object):
            value = value.astype(dtypes.default_float())
        out = Array(np.array(canonicalize_numpy(value) if dtype is None else value, dtype))
    if dtype is not None and (aval_of(out).dtype != dtype or aval_of(out).weak_type):
        out = convert_element_type(out, dtype)
    return out


def _all_python_scalars(x: Any) -> bool:
    if isinstance(x, (list, tuple)):
        return all(_all_python_scalars(v) for v in x)
    return is_python_scalar(x)


def asarray(a: Any, dtype: Any = None) -> Any:
    """Like ``array``, without a copy when ``a`` already is an array of that dtype."""
    if type(a) in ARRAY_TYPES and (dtype is None or
                                                    aval_of(a).dtype == dtypes.canonicalize(dtype)):
        return a
    return array(a, dtype)


def full(shape: Any, fill_value: Any, dtype: Any = None) -> Any:
    """An array of ``shape`` filled with ``fill_value``; weakly typed if the fill is and
    ``dtype`` is not given, as in JAX."""
    fill = as_operand(fill_value, "full")
    weak = dtype is None and aval_of(fill).weak_type
    return _full(_shape(shape), fill, _dtype_or_none(dtype) or aval_of(fill).dtype, weak)


def _full(shape: tuple[int, ...], fill: Any, dtype: np.dtype, weak: bool) -> Any:
    fill = convert_to(fill, dtype, weak)
    ndim = aval_of(fill).ndim
    return broadcast_in_dim(fill, shape, tuple(range(len(shape) - ndim, len(shape))))


def zeros(shape: Any, dtype: Any = None) -> Any:
    """An array of ``shape`` filled with 0, of ``dtype`` (default float)."""
    return full(shape, 0, dtype or dtypes.default_float())


def ones(shape: Any, dtype: Any = None) -> Any:
    """An array of ``shape`` filled with 1, of ``dtype`` (default float)."""
    return full(shape, 1, dtype or dtypes.default_float())


def empty(shape: Any, dtype: Any = None) -> Any:
    """Like ``zeros``: jaxlite arrays are immutable, so uninitialised memory is never needed."""
    return zeros(shape, dtype)


def full_like(a: Any, fill_value: Any, dtype: Any = None, shape: Any = None) -> Any:
    """An array like ``a`` (its shape, dtype and weak type unless given) filled with the value."""
    return _full_like(a, fill_value, dtype, shape, "full_like")


def _full_like(a: Any, fill_value: Any, dtype: Any, shape: Any, name: str) -> Any:
    a_aval = aval_of(as_operand(a, name))
    weak = dtype is None and a_aval.weak_type
    return _full(a_aval.shape if shape is None else _shape(shape),
                 as_operand(fill_value, name, 1), _dtype_or_none(dtype) or a_aval.dtype, weak)


def zeros_like(a: Any, dtype: Any = None, shape: Any = None) -> Any:
    """An array like ``a`` (its shape and dtype unless given) filled with 0."""
    return _full_like(a, 0, dtype, shape, "zeros_like")


def ones_like(a: Any, dtype: Any = None, shape: Any = None) -> Any:
    """An array like ``a`` (its shape and dtype unless given) filled with 1."""
    return _full_like(a, 1, dtype, shape, "ones_like")


def empty_like(a: Any, dtype: Any = None, shape: Any = None) -> Any:
    """Like ``zeros_like``: immutable arrays never need uninitialised memory."""
    return _full_like(a, 0, dtype, shape, "ones_like")  # (JAX's name in its errors)


def _concrete_bound(bound: Any) -> Any:
    """A bound of ``arange`` as a NumPy value; a tracer without a concrete value raises."""
    if trace_of(bound) is None:
        return bound
    value = concrete_value(bound)
    if value is NO_VALUE:
        raise ConcretizationError(
            f"jnp.arange needs concrete bounds, but got {bound!r}; pass the bound as a Python "
            "number or a static argument")
    return value


def arange(start: Any, stop: Any = None, step: Any = None, dtype: Any = None) -> Any:
    """Evenly spaced values; the bounds must be concrete (as in JAX)."""
    start, stop, step = (_concrete_bound(v) for v in (start, stop, step))
    values = [v for v in (start, stop, step) if v is not None]
    if dtype is None:
        is_float = any(np.asarray(v).dtype.kind == "f" for v in values)
        dtype = dtypes.default_float() if is_float else dtypes.default_int()
    dtype = dtypes.canonicalize(dtype)
    if stop is None and step is None:
        n = int(np.ceil(float(start)))
        return shape_ops.iota(dtype, (max(n, 0),), 0)
    return Array(np.arange(*(np.asarray(v).item() for v in values), dtype=dtype))


def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True,
             retstep: bool = False, dtype: Any = None, axis: int = 0) -> Any:
    """``num`` evenly spaced samples from ``start`` to ``stop`` (traced bounds allowed).

    Array bounds give one ramp per element, stacked along ``axis`` of the result. As in
    JAX: sample ``i`` is ``start * (1 - i/div) + stop * (i/div)`` in the bounds' dtype, and
    the endpoint is ``stop`` itself; the same operations run eagerly and under a trace.
    """
    num = int(num)
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    start, stop = as_operand(start), as_operand(stop)
    if dtype is None:
        dtype = dtypes.to_inexact(dtypes.result_type(
            *[(aval_of(v).dtype, aval_of(v).weak_type) for v in (start, stop)])[0])
    else:
        dtype = dtypes.canonicalize(dtype)
    computation = dtypes.to_inexact(dtype)
    start, stop = array(start, computation), array(stop, computation)
    bounds = list(np.broadcast_shapes(aval_of(start).shape, aval_of(stop).shape))
    start = manipulation.broadcast_to(start, bounds)
    stop = manipulation.broadcast_to(stop, bounds)
    axis = normalize_axis(axis, len(bounds) + 1)
    bounds.insert(axis, 1)
    div = (num - 1) if endpoint else num
    if num > 1:
        delta = ufuncs.divide(ufuncs.subtract(stop, start), array(div, computation))
        iota_shape = [1] * len(bounds)
        iota_shape[axis] = div
        step = ufuncs.divide(manipulation.reshape(arange(div, dtype=computation), iota_shape),
                             array(div, computation))
        out = ufuncs.add(ufuncs.multiply(manipulation.reshape(start, bounds),
                                         ufuncs.subtract(1, step)),
                         ufuncs.multiply(manipulation.reshape(stop, bounds), step))
        if endpoint:
            out = manipulation.concatenate([out, manipulation.expand_dims(stop, axis)], axis)
    elif num == 1:
        delta = (full((), np.nan, computation) if endpoint
                 else ufuncs.subtract(stop, start))
        out = manipulation.reshape(start, bounds)
    else:
        delta = full((), np.nan, computation)
        bounds[axis] = 0
        out = zeros(bounds, computation)
    if dtypes.is_integer(dtype):
        out = ufuncs.floor(out)
    out = array(out, dtype)
    return (out, delta) if retstep else out


def eye(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> Array:  # noqa: N803
    """An ``N x M`` array with ones on the ``k``-th diagonal and zeros elsewhere."""
    dtype = _dtype_or_none(dtype) or dtypes.default_float()
    return Array(np.eye(int(N), None if M is None else int(M), int(k), dtype=dtype))


def identity(n: int, dtype: Any = None) -> Array:
    """The ``n x n`` identity matrix."""
    return eye(n, dtype=dtype)


class ScalarType:
    """``jnp.float32`` and friends: a dtype, and a constructor of 0-d arrays."""

    def __init__(self, np_type: type) -> None:
        self.dtype = np.dtype(np_type)
        self.__name__ = self.dtype.name

    def __call__(self, x: Any) -> Any:
        return array(x, self.dtype)

    def __repr__(self) -> str:
        return f"jaxlite.numpy.{self.dtype.name}"

    def __eq__(self, other: Any) -> bool:
        try:
            return self.dtype == np.dtype(other)
        except TypeError:
            return False

    def __hash__(self) -> int:
        return hash(self.dtype)


def scalar_types(names: Sequence[str]) -> dict[str, ScalarType]:
    return {name: ScalarType(getattr(np, name)) for name in names}
