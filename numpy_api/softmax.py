"""``logsumexp``, ``softmax`` and ``log_softmax``, shared by ``jaxlite.nn`` and
``jaxlite.scipy.special`` (JAX exports the same functions from both).

Each shifts by the maximum under ``stop_gradient`` (0 where the maximum is infinite), so
inputs of magnitude 1e4 give finite values and gradients, and entries of ``-inf`` get
zero weight and zero gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.trace import aval_of
from ..primitives import elementwise as ew
from . import manipulation, reductions, ufuncs
from ._util import as_operand, broadcast_arrays, normalize_axes, promote_inexact


def _masked(x: Any, where: Any, fill: float) -> Any:
    return x if where is None else manipulation.where(where, x, fill)


def _shift(x: Any, axes: tuple[int, ...], where: Any) -> Any:
    """The maximum over ``axes`` (kept as unit axes), 0 where it is not finite, constant."""
    top = reductions.max(_masked(x, where, -np.inf), axes, keepdims=True)
    return ew.stop_gradient(manipulation.where(ufuncs.isfinite(top), top, 0))


def logsumexp(a: Any, axis: Any = None, b: Any = None, keepdims: bool = False,
              return_sign: bool = False, where: Any = None) -> Any:
    """``log(sum(b * exp(a)))`` over ``axis``, computed without overflow.

    Args:
      a: the exponents. b: optional weights, broadcast against ``a`` (entries with ``b == 0``
        do not count). keepdims: keep the reduced axes. where: which elements count.
      return_sign: also return the sign of the sum; then the log is of its absolute value.

    Returns:
      The log of the sum (nan where a weighted sum is negative, unless ``return_sign``),
      and with ``return_sign`` the sign.
    """
    if b is None:
        (a,) = promote_inexact(as_operand(a, "logsumexp"))
    else:
        a, b = broadcast_arrays(*promote_inexact(as_operand(a, "logsumexp"),
                                                 as_operand(b, "logsumexp")))
        a = manipulation.where(ufuncs.not_equal(b, 0), a, -np.inf)
    a = _masked(a, where, -np.inf)
    axes = normalize_axes(axis, aval_of(a).ndim)
    top = _shift(a, axes, None)
    terms = ufuncs.exp(ufuncs.subtract(a, top))
    if b is not None:
        terms = ufuncs.multiply(terms, b)
    total = reductions.sum(terms, axes, keepdims=keepdims)
    sign = ufuncs.sign(total)
    top = top if keepdims else manipulation.squeeze(top, axes)
    out = ufuncs.add(ufuncs.log(ufuncs.abs(total)), top)
    if return_sign:
        return out, sign
    if b is not None:
        out = manipulation.where(ufuncs.less(sign, 0), np.nan, out)
    return out


def softmax(x: Any, axis: Any = -1, where: Any = None) -> Any:
    """``exp(x) / sum(exp(x))`` along ``axis`` (0 where ``where`` is False)."""
    (x,) = promote_inexact(as_operand(x, "softmax"))
    axes = normalize_axes(axis, aval_of(x).ndim)
    unnormalized = ufuncs.exp(ufuncs.subtract(_masked(x, where, -np.inf), _shift(x, axes, where)))
    out = ufuncs.divide(unnormalized, reductions.sum(unnormalized, axes, keepdims=True))
    return _masked(out, where, 0)


def log_softmax(x: Any, axis: Any = -1, where: Any = None) -> Any:
    """``x - logsumexp(x)`` along ``axis`` (``-inf`` where ``where`` is False)."""
    (x,) = promote_inexact(as_operand(x, "log_softmax"))
    axes = normalize_axes(axis, aval_of(x).ndim)
    shifted = ufuncs.subtract(_masked(x, where, -np.inf), _shift(x, axes, where))
    total = reductions.sum(ufuncs.exp(shifted), axes, keepdims=True)
    return _masked(ufuncs.subtract(shifted, ufuncs.log(total)), where, -np.inf)
