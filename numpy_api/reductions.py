"""Reductions with NumPy's signatures: sum, mean, max, min, prod, argmax, argmin, any,
all, var, std. ``axis=None`` reduces everything; ``keepdims`` keeps size-1 axes. Also the
running sum, cumsum (``axis=None``: of the flattened array).
"""

from __future__ import annotations

import math
import builtins
from typing import Any

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import elementwise as ew
from ..primitives import reductions as red
from ..primitives.cumulative import cumsum as _lax_cumsum
from ..primitives import shape as shape_ops
from ..primitives.structural import convert_element_type, reduce_sum
from . import ufuncs
from ._util import array_operand, normalize_axes, normalize_axis


def _keep(out: Any, axes: tuple[int, ...], keepdims: bool) -> Any:
    return shape_ops.expand_dims(out, axes) if keepdims and axes else out


def _sum_dtype(dtype: np.dtype) -> np.dtype:
    """Booleans and narrower integers are summed in the default (unsigned) integer type, as in JAX."""
    if dtype == dtypes.bool_:
        return dtypes.default_int()
    if dtypes.is_integer(dtype):
        default = dtypes.default_uint() if dtype.kind == "u" else dtypes.default_int()
        return default if dtype.itemsize < default.itemsize else dtype
    return dtype


def _convert(x: Any, dtype: np.dtype) -> Any:
    """``x`` in ``dtype``, strongly typed: reductions drop the weak type, as in JAX."""
    aval = aval_of(x)
    return x if aval.dtype == dtype and not aval.weak_type else convert_element_type(x, dtype)


def sum(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Sum of elements over the given axes."""
    x = array_operand(a, "sum")
    x = _convert(x, dtypes.canonicalize(dtype) if dtype else _sum_dtype(aval_of(x).dtype))
    axes = normalize_axes(axis, aval_of(x).ndim)
    return _keep(reduce_sum(x, axes) if axes else x, axes, keepdims)


def mean(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Any:
    """Arithmetic mean over the given axes (integers are averaged as floats)."""
    x = array_operand(a, "mean")
    target = dtypes.to_inexact(dtypes.canonicalize(dtype) if dtype else aval_of(x).dtype)
    x = _convert(x, target)
    axes = normalize_axes(axis, aval_of(x).ndim)
    count = math.prod([aval_of(x).shape[i] for i in axes])
    total = reduce_sum(x, axes) if axes else x
    return _keep(ew.div(total, ew.scalar_like(count, total)), axes, keepdims)


def _chooser(name: str, reducer):
    def fn(a: Any, axis: Any = None, keepdims: bool = False) -> Any:
        x = array_operand(a, name)
        x = _convert(x, aval_of(x).dtype)
        axes = normalize_axes(axis, aval_of(x).ndim)
        if builtins.any(aval_of(x).shape[i] == 0 for i in axes):
            raise ValueError(f"zero-size array to reduction operation {name} which has no identity")
        return _keep(reducer(x, axes) if axes else x, axes, keepdims)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"The {name}imum over the given axes; ties share the gradient evenly."
    return fn


max = amax = _chooser("max", red.reduce_max)  # noqa: A001
min = amin = _chooser("min", red.reduce_min)  # noqa: A001


def prod(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Any:
    """Product of elements over the given axes."""
    x = array_operand(a, "prod")
    x = _convert(x, dtypes.canonicalize(dtype) if dtype else _sum_dtype(aval_of(x).dtype))
    axes = normalize_axes(axis, aval_of(x).ndim)
    return _keep(red.reduce_prod(x, axes) if axes else x, axes, keepdims)


def _arg_chooser(name: str, reducer):
    def fn(a: Any, axis: int | None = None, keepdims: bool = False) -> Any:
        x = array_operand(a, name)
        if axis is None:
            if aval_of(x).size == 0:
                raise ValueError(f"attempt to get {name} of an empty sequence")
            x, axis = shape_ops.reshape(x, (aval_of(x).size,)), 0
            out = reducer(x, 0, dtypes.default_int())
            return shape_ops.reshape(out, (1,) * len(aval_of(a).shape)) if keepdims else out
        axis = normalize_axis(axis, aval_of(x).ndim)
        if aval_of(x).shape[axis] == 0:
            raise ValueError(f"attempt to get {name} of an empty sequence")
        return _keep(reducer(x, axis, dtypes.default_int()), (axis,), keepdims)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Index of the first {name[3:]}imum along ``axis`` (of the flattened array if None)."
    return fn


argmax = _arg_chooser("argmax", red.argmax)
argmin = _arg_chooser("argmin", red.argmin)


def any(a: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Whether any element is true (nonzero) over the given axes."""
    x = ufuncs.not_equal(array_operand(a, "any"), 0)
    axes = normalize_axes(axis, aval_of(x).ndim)
    return _keep(red.reduce_max(x, axes) if axes else x, axes, keepdims)


def all(a: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Whether every element is true (nonzero) over the given axes."""
    x = ufuncs.not_equal(array_operand(a, "all"), 0)
    axes = normalize_axes(axis, aval_of(x).ndim)
    return _keep(red.reduce_min(x, axes) if axes else x, axes, keepdims)


def var(a: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
    """Variance over the given axes, with ``ddof`` delta degrees of freedom."""
    x = array_operand(a, "var")
    centered = ufuncs.subtract(x, mean(x, axis, keepdims=True))
    axes = normalize_axes(axis, aval_of(x).ndim)
    count = math.prod([aval_of(x).shape[i] for i in axes])
    total = sum(ufuncs.multiply(centered, centered), axis, keepdims=keepdims)
    return ufuncs.divide(total, float(count - ddof))


def std(a: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
    """Standard deviation over the given axes."""
    return ufuncs.sqrt(var(a, axis, ddof, keepdims))


def cumsum(a: Any, axis: int | None = None, dtype: Any = None) -> Any:
    """The running sum along ``axis`` (of the flattened array when None); booleans are
    summed as the default integer type, other dtypes keep theirs, as in JAX."""
    x = array_operand(a, "cumsum")
    if axis is None or aval_of(x).ndim == 0:
        x, axis = shape_ops.reshape(x, (aval_of(x).size,)), 0 if axis is None else axis
    axis = normalize_axis(axis, aval_of(x).ndim)
    if dtype is not None and dtypes.canonicalize(dtype) == dtypes.bool_:
        total = _lax_cumsum(_convert(ufuncs.not_equal(x, 0), dtypes.default_int()), axis)
        return convert_element_type(total, dtypes.bool_)
    target = dtypes.canonicalize(dtype) if dtype is not None else aval_of(x).dtype
    if target == dtypes.bool_:
        target = dtypes.default_int()
    return _lax_cumsum(_convert(x, target), axis)
