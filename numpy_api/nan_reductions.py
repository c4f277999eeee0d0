"""The NaN-ignoring reductions beyond ``nansum``, ``nanmean``, ``nanmax`` and ``nanmin``:
``nanprod``, ``nanvar``, ``nanstd``, ``nanargmax``, ``nanargmin``, ``nancumsum`` and
``nancumprod``, with JAX's signatures. A NaN counts as the operation's identity (0 for sums,
1 for products) or is left out of the count; an all-NaN slice has no arg-extremum (-1).
NaNs are replaced before any arithmetic, so gradients stay finite (zero at the NaNs).
"""

from __future__ import annotations

from typing import Any

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import comparison as cmp
from ..primitives import elementwise as ew
from ..primitives import shape as shape_ops
from . import reductions, ufuncs
from ._util import array_operand, broadcast_to_shape
from .reductions import _no_out


def _without_nans(x: Any, fill: float) -> Any:
    if not dtypes.is_inexact(aval_of(x).dtype):
        return x
    return cmp.select_n(ufuncs.isnan(x), x, ew.full_like(fill, x))


def _not_nan(x: Any, where: Any) -> Any:
    """The mask of the elements that count: not NaN, and where ``where`` holds."""
    valid = ufuncs.logical_not(ufuncs.isnan(x))
    if where is None:
        return valid
    return ufuncs.logical_and(valid, broadcast_to_shape(where, aval_of(x).shape))


def nanprod(a: Any, axis: Any = None, dtype: Any = None, out: None = None,
            keepdims: bool = False, initial: Any = None, where: Any = None) -> Any:
    """``prod`` counting NaNs as one."""
    _no_out("nanprod", out)
    x = _without_nans(array_operand(a, "nanprod"), 1)
    return reductions.prod(x, axis, dtype, out, keepdims, initial, where)


def nanvar(a: Any, axis: Any = None, dtype: Any = None, out: None = None, ddof: int = 0,
           keepdims: bool = False, where: Any = None, mean: Any = None) -> Any:
    """``var`` of the elements that are not NaN (NaN where there are none)."""
    _no_out("nanvar", out)
    x = array_operand(a, "nanvar")
    if not dtypes.is_inexact(aval_of(x).dtype):
        return reductions.var(x, axis, dtype, out, ddof, keepdims, where=where, mean=mean)
    return reductions.var(_without_nans(x, 0), axis, dtype, out, ddof, keepdims,
                          where=_not_nan(x, where), mean=mean)


def nanstd(a: Any, axis: Any = None, dtype: Any = None, out: None = None, ddof: int = 0,
           keepdims: bool = False, where: Any = None, mean: Any = None) -> Any:
    """``std`` of the elements that are not NaN (NaN where there are none)."""
    _no_out("nanstd", out)
    x = array_operand(a, "nanstd")
    if not dtypes.is_inexact(aval_of(x).dtype):
        return reductions.std(x, axis, dtype, out, ddof, keepdims, where=where, mean=mean)
    return reductions.std(_without_nans(x, 0), axis, dtype, out, ddof, keepdims,
                          where=_not_nan(x, where), mean=mean)


def _nan_arg_chooser(name: str, chooser, fill: float):
    def fn(a: Any, axis: int | None = None, out: None = None,
           keepdims: bool | None = None) -> Any:
        _no_out(name, out)
        x = array_operand(a, name)
        if not dtypes.is_inexact(aval_of(x).dtype):
            return chooser(x, axis, None, bool(keepdims))
        index = chooser(_without_nans(x, fill), axis, None, bool(keepdims))
        all_nan = reductions.all(ufuncs.isnan(x), axis, keepdims=bool(keepdims))
        if axis is None and keepdims:
            all_nan = shape_ops.reshape(all_nan, aval_of(index).shape)
        return cmp.select_n(all_nan, index, ew.full_like(-1, index))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"``{chooser.__name__}`` ignoring NaNs (-1 where all are NaN)."
    return fn


nanargmax = _nan_arg_chooser("nanargmax", reductions.argmax, float("-inf"))
nanargmin = _nan_arg_chooser("nanargmin", reductions.argmin, float("inf"))


def nancumsum(a: Any, axis: int | None = None, dtype: Any = None, out: None = None) -> Any:
    """``cumsum`` counting NaNs as zero."""
    _no_out("nancumsum", out)
    return reductions.cumsum(_without_nans(array_operand(a, "nancumsum"), 0), axis, dtype, out)


def nancumprod(a: Any, axis: int | None = None, dtype: Any = None, out: None = None) -> Any:
    """``cumprod`` counting NaNs as one."""
    _no_out("nancumprod", out)
    return reductions.cumprod(_without_nans(array_operand(a, "nancumprod"), 1), axis, dtype,
                              out)
