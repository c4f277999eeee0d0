"""Reductions with NumPy's signatures: sum, mean, max, min, prod, argmax, argmin, any,
all, var, std, ptp, count_nonzero, average, the nan-ignoring ones, and the cumulative ones.
``axis=None`` reduces everything; ``keepdims`` keeps size-1 axes; ``where=`` (a mask
broadcast against the operand) keeps only the elements where it holds, as in JAX.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import complex_parts, cumulative
from ..primitives import elementwise as ew
from ..primitives import reductions as red
from ..primitives import comparison as cmp
from ..primitives import shape as shape_ops
from ..primitives.structural import convert_element_type, reduce_sum
from . import creation, ufuncs
from ._util import (array_operand, as_operand, broadcast_to_shape, convert_to, normalize_axes,
                    normalize_axis)


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


def _no_out(name: str, out: Any) -> None:
    if out is not None:
        raise NotImplementedError(f"The 'out' argument to jnp.{name} is not supported.")


def _masked(x: Any, where: Any, fill: Any, name: str) -> Any:
    """``x`` with ``fill`` wherever the mask ``where`` (if any) is false."""
    if where is None:
        return x
    mask = broadcast_to_shape(_as_mask(where, name), aval_of(x).shape)
    return cmp.select_n(mask, ew.full_like(fill, x), x)


def _as_mask(where: Any, name: str) -> Any:
    mask = as_operand(where, name)
    if aval_of(mask).dtype != dtypes.bool_:
        raise ValueError(f"jnp.{name}: where must be None or a boolean array; got "
                         f"where.dtype={aval_of(mask).dtype!r}.")
    return mask


def _with_initial(name: str, out: Any, initial: Any, combine) -> Any:
    """``out`` combined with the scalar ``initial`` (converted to ``out``'s dtype)."""
    if initial is None:
        return out
    init = as_operand(initial, name)
    if aval_of(init).shape != ():
        raise ValueError(f"initial value must be a scalar. Got array of shape "
                         f"{aval_of(init).shape}")
    return combine(out, convert_to(init, aval_of(out).dtype, False))


def sum(a: Any, axis: Any = None, dtype: Any = None, out: None = None,  # noqa: A001
        keepdims: bool = False, initial: Any = None, where: Any = None,
        promote_integers: bool = True) -> Any:
    """Sum of elements over the given axes (of those where ``where`` holds), plus ``initial``."""
    _no_out("sum", out)
    x = array_operand(a, "sum")
    kept = aval_of(x).dtype if promote_integers or aval_of(x).dtype == dtypes.bool_ else None
    x = _convert(x, dtypes.canonicalize(dtype) if dtype else
                 _sum_dtype(kept) if kept is not None else aval_of(x).dtype)
    x = _masked(x, where, 0, "sum")
    axes = normalize_axes(axis, aval_of(x).ndim)
    total = _keep(reduce_sum(x, axes) if axes else x, axes, keepdims)
    return _with_initial("sum", total, initial, ufuncs.add)


def mean(a: Any, axis: Any = None, dtype: Any = None, out: None = None, keepdims: bool = False,
         *, where: Any = None) -> Any:
    """Arithmetic mean over the given axes (integers are averaged as floats)."""
    _no_out("mean", out)
    x = array_operand(a, "mean")
    target = dtypes.to_inexact(dtypes.canonicalize(dtype) if dtype else aval_of(x).dtype)
    x = _convert(x, target)
    if where is not None:
        count = sum(broadcast_to_shape(_as_mask(where, "mean"), aval_of(x).shape), axis,
                    dtype=target, keepdims=keepdims)
        return ufuncs.divide(sum(x, axis, keepdims=keepdims, where=where), count)
    axes = normalize_axes(axis, aval_of(x).ndim)
    count = math.prod([aval_of(x).shape[i] for i in axes])
    total = reduce_sum(x, axes) if axes else x
    return _keep(ew.div(total, ew.scalar_like(count, total)), axes, keepdims)


_mean = mean  # (var and std have a parameter named mean)


def _extreme(dtype: np.dtype, highest: bool) -> Any:
    """The identity of min (``highest``) or max over ``dtype``."""
    if dtype == dtypes.bool_:
        return highest
    if dtypes.is_integer(dtype):
        info = np.iinfo(dtype)
        return int(info.max if highest else info.min)
    return np.inf if highest else -np.inf


def _chooser(name: str, reducer, combine, highest_first: bool):
    def fn(a: Any, axis: Any = None, out: None = None, keepdims: bool = False,
           initial: Any = None, where: Any = None) -> Any:
        _no_out(name, out)
        x = array_operand(a, name)
        x = _convert(x, aval_of(x).dtype)
        axes = normalize_axes(axis, aval_of(x).ndim)
        if where is not None:
            if initial is None:
                raise ValueError(f"reduction operation {name} does not have an identity, so to "
                                 "use a where mask one has to specify 'initial'")
            x = _masked(x, where, _extreme(aval_of(x).dtype, highest_first), name)
        if builtins.any(aval_of(x).shape[i] == 0 for i in axes):
            if initial is None:
                raise ValueError(f"zero-size array to reduction operation {name} which has no "
                                 "identity")
            x = creation.full_like(x, _extreme(aval_of(x).dtype, highest_first),
                                   shape=tuple(1 if i in axes else n
                                               for i, n in enumerate(aval_of(x).shape)))
        chosen = _keep(reducer(x, axes) if axes else x, axes, keepdims)
        return _with_initial(name, chosen, initial, combine)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"The {name}imum over the given axes (of the elements where ``where`` holds, "
                  "and ``initial``); ties share the gradient evenly.")
    return fn


max = amax = _chooser("max", red.reduce_max, ufuncs.maximum, False)  # noqa: A001
min = amin = _chooser("min", red.reduce_min, ufuncs.minimum, True)  # noqa: A001


def prod(a: Any, axis: Any = None, dtype: Any = None, out: None = None, keepdims: bool = False,
         initial: Any = None, where: Any = None, promote_integers: bool = True) -> Any:
    """Product of elements over the given axes (of those where ``where`` holds), times
    ``initial``."""
    _no_out("prod", out)
    x = array_operand(a, "prod")
    kept = aval_of(x).dtype if promote_integers or aval_of(x).dtype == dtypes.bool_ else None
    x = _convert(x, dtypes.canonicalize(dtype) if dtype else
                 _sum_dtype(kept) if kept is not None else aval_of(x).dtype)
    x = _masked(x, where, 1, "prod")
    axes = normalize_axes(axis, aval_of(x).ndim)
    product = _keep(red.reduce_prod(x, axes) if axes else x, axes, keepdims)
    return _with_initial("prod", product, initial, ufuncs.multiply)


def _arg_chooser(name: str, reducer):
    def fn(a: Any, axis: int | None = None, out: None = None, keepdims: bool = False) -> Any:
        _no_out(name, out)
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


def _logical(name: str, reducer, fill: bool):
    def fn(a: Any, axis: Any = None, out: None = None, keepdims: bool = False, *,
           where: Any = None) -> Any:
        _no_out(name, out)
        x = _masked(ufuncs.not_equal(array_operand(a, name), 0), where, fill, name)
        axes = normalize_axes(axis, aval_of(x).ndim)
        return _keep(reducer(x, axes) if axes else x, axes, keepdims)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"Whether {name} elements are true (nonzero) over the given axes, among "
                  "those where ``where`` holds.")
    return fn


any = _logical("any", red.reduce_max, False)  # noqa: A001
all = _logical("all", red.reduce_min, True)  # noqa: A001


def _var_dtypes(x_dtype: np.dtype, dtype: Any) -> tuple[np.dtype, np.dtype]:
    """The dtype var computes in (float16 widened to float32, as in JAX) and returns."""
    if dtype is not None:
        result = dtypes.canonicalize(dtype)
    else:
        result = dtypes.to_inexact(x_dtype)
    compute = np.dtype(np.float32) if result == np.float16 else result
    if result.kind == "c":  # (a complex variance is real: |x - mean|^2, as in NumPy)
        compute, result = x_dtype, np.dtype(np.float32 if result == np.complex64 else np.float64)
    return compute, result


def var(a: Any, axis: Any = None, dtype: Any = None, out: None = None, ddof: int = 0,
        keepdims: bool = False, *, where: Any = None, mean: Any = None,
        correction: int | float | None = None) -> Any:
    """Variance over the given axes (of the elements where ``where`` holds) around ``mean``
    (by default the mean), divided by the count less ``ddof`` (or ``correction``)."""
    _no_out("var", out)
    if correction is not None:
        if ddof != 0:
            raise ValueError("ddof and correction can't be provided simultaneously.")
        ddof = correction
    x = array_operand(a, "var")
    compute, result = _var_dtypes(aval_of(x).dtype, dtype)
    x = _convert(x, compute)
    center = _mean(x, axis, keepdims=True, where=where) if mean is None else mean
    centered = ufuncs.subtract(x, center)
    if aval_of(centered).dtype.kind == "c":  # |c|^2 = re^2 + im^2: a real variance
        re, im = complex_parts.real(centered), complex_parts.imag(centered)
        squared = ufuncs.add(ufuncs.multiply(re, re), ufuncs.multiply(im, im))
    else:
        squared = ufuncs.multiply(centered, centered)
    total = sum(squared, axis, keepdims=keepdims, where=where)
    if where is None:  # (no degrees of freedom left: NaN, as in JAX)
        count = math.prod([aval_of(x).shape[i] for i in normalize_axes(axis, aval_of(x).ndim)])
        dof = float(count - ddof)
        variance = ufuncs.divide(total, dof) if dof > 0 else creation.full_like(total, np.nan)
    else:
        mask = broadcast_to_shape(_as_mask(where, "var"), aval_of(x).shape)
        dof = ufuncs.subtract(sum(mask, axis, dtype=compute, keepdims=keepdims), ddof)
        variance = cmp.select_n(ufuncs.greater(dof, 0), ew.full_like(np.nan, total),
                                ufuncs.divide(total, dof))
    return _convert(variance, result)


def std(a: Any, axis: Any = None, dtype: Any = None, out: None = None, ddof: int = 0,
        keepdims: bool = False, *, where: Any = None, mean: Any = None,
        correction: int | float | None = None) -> Any:
    """Standard deviation over the given axes: the square root of ``var``."""
    _no_out("std", out)
    x = array_operand(a, "std")
    compute, result = _var_dtypes(aval_of(x).dtype, dtype)
    variance = var(x, axis, compute, None, ddof, keepdims, where=where, mean=mean,
                   correction=correction)
    return _convert(ufuncs.sqrt(variance), result)


def ptp(a: Any, axis: Any = None, out: None = None, keepdims: bool = False) -> Any:
    """Peak to peak: ``max - min`` over the given axes."""
    _no_out("ptp", out)
    x = array_operand(a, "ptp")
    return ufuncs.subtract(max(x, axis, keepdims=keepdims), min(x, axis, keepdims=keepdims))


def count_nonzero(a: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """How many elements are nonzero over the given axes (in the default integer type)."""
    nonzero = ufuncs.not_equal(array_operand(a, "count_nonzero"), 0)
    return sum(nonzero, axis, dtype=dtypes.default_int(), keepdims=keepdims)


def _without_nans(a: Any, name: str, fill: float) -> Any:
    x = array_operand(a, name)
    return cmp.select_n(ufuncs.isnan(x), x, ew.full_like(fill, x)) \
        if dtypes.is_inexact(aval_of(x).dtype) else x


def nansum(a: Any, axis: Any = None, dtype: Any = None, out: None = None,
           keepdims: bool = False, initial: Any = None, where: Any = None) -> Any:
    """``sum`` counting NaNs as zero."""
    _no_out("nansum", out)
    return sum(_without_nans(a, "nansum", 0), axis, dtype, None, keepdims, initial, where)


def nanmean(a: Any, axis: Any = None, dtype: Any = None, out: None = None,
            keepdims: bool = False, where: Any = None) -> Any:
    """``mean`` of the elements that are not NaN (NaN where there are none)."""
    _no_out("nanmean", out)
    x = array_operand(a, "nanmean")
    if not dtypes.is_inexact(aval_of(x).dtype):
        return mean(x, axis, dtype, None, keepdims, where=where)
    count = sum(ufuncs.logical_not(ufuncs.isnan(x)), axis, dtype=aval_of(x).dtype,
                keepdims=keepdims, where=where)
    return ufuncs.divide(nansum(x, axis, dtype, None, keepdims, where=where), count)


def _nan_chooser(name: str, chooser, fill: float):
    def fn(a: Any, axis: Any = None, out: None = None, keepdims: bool = False,
           initial: Any = None, where: Any = None) -> Any:
        _no_out(name, out)
        x = array_operand(a, name)
        if not dtypes.is_inexact(aval_of(x).dtype):
            return chooser(x, axis, None, keepdims, initial, where)
        out = chooser(_without_nans(x, name, fill), axis, None, keepdims, initial, where)
        if initial is not None:  # (initial stands in where all are NaN)
            return out
        all_nan = all(ufuncs.isnan(x), axis, None, keepdims, where=where)
        return cmp.select_n(all_nan, out, ew.full_like(np.nan, out))  # NaN where all are NaN

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"``{chooser.__name__}`` ignoring NaNs (NaN where all are NaN)."
    return fn


nanmax = _nan_chooser("nanmax", max, -np.inf)
nanmin = _nan_chooser("nanmin", min, np.inf)


def average(a: Any, axis: Any = None, weights: Any = None, returned: bool = False,
            keepdims: bool = False) -> Any:
    """The mean, or the ``weights``-weighted mean, over the given axes; with ``returned``
    also the sum of the weights (broadcast like the result)."""
    x = array_operand(a, "average")
    if weights is None:
        out = mean(x, axis, keepdims=keepdims)
        if not returned:
            return out
        count = math.prod([aval_of(x).shape[i] for i in normalize_axes(axis, aval_of(x).ndim)])
        return out, creation.full_like(out, count)
    w = array_operand(weights, "average")
    x_shape, w_shape = aval_of(x).shape, aval_of(w).shape
    if w_shape != x_shape:
        if axis is None or not isinstance(axis, int) or len(w_shape) != 1:
            raise ValueError("average: weights must have the shape of a, or be 1-D along an "
                             f"integer axis; got shapes {x_shape} and {w_shape}")
        axis = normalize_axis(axis, len(x_shape))
        if w_shape[0] != x_shape[axis]:
            raise ValueError(f"average: {w_shape[0]} weights for an axis of length "
                             f"{x_shape[axis]}")
        w = shape_ops.reshape(w, tuple(n if i == axis else 1 for i, n in enumerate(x_shape)))
    x, w = ufuncs._binary_operands("average", x, w, inexact=True)
    total = sum(w, axis, keepdims=keepdims)
    out = ufuncs.divide(sum(ufuncs.multiply(x, w), axis, keepdims=keepdims), total)
    return (out, total) if returned else out


def _cumulative(name: str, bind):
    def fn(a: Any, axis: int | None = None, dtype: Any = None, out: None = None) -> Any:
        _no_out(name, out)
        x = array_operand(a, name)
        if axis is None:
            x, axis = shape_ops.reshape(x, (aval_of(x).size,)), 0
        axis = normalize_axis(axis, aval_of(x).ndim)
        # (JAX promotes only booleans here: narrow integers keep their dtype, unlike sum's)
        target = dtypes.canonicalize(dtype) if dtype else aval_of(x).dtype
        x = _convert(x, dtypes.default_int() if target == dtypes.bool_ else target)
        return bind(x, axis)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Running {name[3:]} along ``axis`` (of the flattened array if None)."
    return fn


cumsum = _cumulative("cumsum", cumulative.cumsum)
cumprod = _cumulative("cumprod", cumulative.cumprod)
cumulative_sum = cumsum
cumulative_prod = cumprod


def isclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Any:
    """Elementwise ``|a - b| <= atol + rtol |b|``; infinities are close only to themselves,
    NaNs to NaNs only with ``equal_nan``."""
    a, b = ufuncs._binary_operands("isclose", a, b)
    if not dtypes.is_inexact(aval_of(a).dtype):
        return ufuncs.equal(a, b)
    tolerance = ufuncs.add(atol, ufuncs.multiply(rtol, ufuncs.abs(b)))
    close = ufuncs.less_equal(ufuncs.abs(ufuncs.subtract(a, b)), tolerance)
    either_inf = ufuncs.logical_or(ufuncs.isinf(a), ufuncs.isinf(b))
    close = cmp.select_n(either_inf, close, ufuncs.equal(a, b))
    if equal_nan:
        close = ufuncs.logical_or(close, ufuncs.logical_and(ufuncs.isnan(a), ufuncs.isnan(b)))
    return close


def allclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> Any:
    """Whether ``isclose`` holds everywhere."""
    a, b = as_operand(a, "allclose"), as_operand(b, "allclose", 1)
    return all(isclose(a, b, rtol, atol, equal_nan))


def array_equal(a1: Any, a2: Any, equal_nan: bool = False) -> Any:
    """Whether ``a1`` and ``a2`` have one shape and equal elements (False for other shapes)."""
    a1, a2 = creation.asarray(a1), creation.asarray(a2)  # (JAX takes lists here)
    if aval_of(a1).shape != aval_of(a2).shape:
        return creation.asarray(False)
    equal = ufuncs.equal(a1, a2)
    if equal_nan:
        equal = ufuncs.logical_or(equal, ufuncs.logical_and(ufuncs.isnan(a1), ufuncs.isnan(a2)))
    return all(equal)


def array_equiv(a1: Any, a2: Any) -> Any:
    """Whether ``a1`` and ``a2`` broadcast to one shape and are equal there."""
    a1, a2 = array_operand(a1, "array_equiv"), array_operand(a2, "array_equiv")
    try:
        return all(ufuncs.equal(a1, a2))
    except ValueError:  # shapes that do not broadcast
        return creation.asarray(False)
