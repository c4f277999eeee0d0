"""``jaxlite.scipy.integrate``: the trapezoidal rule, as ``jax.scipy.integrate``."""

from __future__ import annotations

from typing import Any

from ...core.trace import aval_of
from ...primitives.shape import slice as slice_op
from .. import manipulation, reductions, ufuncs
from .._util import array_operand, normalize_axis, promote_inexact

__all__ = ["trapezoid"]


def _halves(y: Any) -> tuple[Any, Any]:
    """``y[..., 1:]`` and ``y[..., :-1]``."""
    shape = aval_of(y).shape
    start = (0,) * len(shape)
    last = shape[-1]
    upper = slice_op(y, start[:-1] + (min(1, last),), shape)
    lower = slice_op(y, start, shape[:-1] + (max(0, last - 1),))
    return upper, lower


def trapezoid(y: Any, x: Any = None, dx: Any = 1.0, axis: int = -1) -> Any:
    """The integral of the samples ``y`` along ``axis`` by the trapezoidal rule, at the
    points ``x`` (1-d, or shaped like ``y``) or at the spacing ``dx``."""
    if x is None:
        (y,) = promote_inexact(array_operand(y, "trapezoid"))
    else:
        y, x = promote_inexact(array_operand(y, "trapezoid"), array_operand(x, "trapezoid"))
    ndim = len(aval_of(y).shape)
    axis = normalize_axis(axis, ndim)
    if x is not None:
        x_ndim = len(aval_of(x).shape)
        if x_ndim != 1:
            x = manipulation.moveaxis(x, normalize_axis(axis - ndim, x_ndim), -1)
        dx = ufuncs.subtract(*_halves(x))
    upper, lower = _halves(manipulation.moveaxis(y, axis, -1))
    total = reductions.sum(ufuncs.multiply(dx, ufuncs.add(upper, lower)), axis=-1)
    return ufuncs.multiply(total, 0.5)
