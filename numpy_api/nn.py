"""``jaxlite.nn``: activation functions and friends, as in ``jax.nn``."""

from __future__ import annotations

from typing import Any

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import elementwise as ew
from ..primitives.elementwise import stop_gradient
from . import creation, manipulation, reductions, ufuncs
from ._util import array_operand, as_operand, convert_to, promote_inexact


def sigmoid(x: Any) -> Any:
    """The logistic function ``1 / (1 + exp(-x))``."""
    (x,) = promote_inexact(as_operand(x, "sigmoid"))
    return ew.logistic_p.bind1(x)


def relu(x: Any) -> Any:
    """``max(x, 0)``; its derivative at 0 is 0, as in JAX."""
    x = as_operand(x, "relu")
    return ufuncs.where(ufuncs.greater(x, 0), x, ufuncs.multiply(x, 0))


def softplus(x: Any) -> Any:
    """``log(1 + exp(x))``, computed stably."""
    x = as_operand(x, "softplus")
    return ufuncs.add(ufuncs.maximum(x, 0.0), ufuncs.log1p(ufuncs.exp(ufuncs.negative(ufuncs.abs(x)))))


def silu(x: Any) -> Any:
    """Sigmoid linear unit ``x * sigmoid(x)`` (also called swish)."""
    return ufuncs.multiply(x, sigmoid(x))


swish = silu


# Numerical Recipes' Chebyshev fit of erfc (``erfcc``): relative error below 1.2e-7 for all
# x >= 0, i.e. float32 accuracy. c0 is the constant term, the rest a polynomial in t.
_ERFC_C0 = -1.26551223
_ERFC_POLY = (1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398,
              1.48851587, -0.82215223, 0.17087277)


def _erfc(x: Any) -> Any:
    """``1 - erf(x)`` from exp and arithmetic, differentiable (jaxlite has no erf primitive):
    ``erfc(z) ~ t exp(-z^2 + c0 + t poly(t))`` with ``t = 1 / (1 + z/2)`` for ``z = |x|``,
    and ``erfc(-z) = 2 - erfc(z)``. Float32-accurate, so not float64-accurate."""
    z = ufuncs.abs(x)
    t = ufuncs.divide(1.0, ufuncs.add(1.0, ufuncs.multiply(0.5, z)))
    poly = _ERFC_POLY[-1]
    for c in reversed(_ERFC_POLY[:-1]):  # Horner's rule
        poly = ufuncs.add(c, ufuncs.multiply(t, poly))
    exponent = ufuncs.add(ufuncs.subtract(_ERFC_C0, ufuncs.square(z)), ufuncs.multiply(t, poly))
    tail = ufuncs.multiply(t, ufuncs.exp(exponent))
    return manipulation.where(ufuncs.greater_equal(x, 0), tail, ufuncs.subtract(2.0, tail))


def gelu(x: Any, approximate: bool = True) -> Any:
    """Gaussian error linear unit ``x * Phi(x)``, with ``Phi`` the standard normal CDF.

    Args:
      x: input array (integers are promoted to the default float).
      approximate: use the tanh approximation (JAX's default); if False, the exact
        ``0.5 * x * erfc(-x / sqrt(2))``, computed to float32 accuracy (~1e-7 relative).

    Returns:
      A strongly typed array of ``x``'s inexact dtype, as in JAX.
    """
    (x,) = promote_inexact(array_operand(x, "gelu"))
    x = convert_to(x, aval_of(x).dtype, False)  # JAX's gelu result is never weakly typed
    if not approximate:
        cdf = ufuncs.multiply(0.5, _erfc(ufuncs.multiply(-0.7071067811865476, x)))
        return ufuncs.multiply(x, cdf)
    inner = ufuncs.multiply(0.7978845608028654, ufuncs.add(x, ufuncs.multiply(0.044715, x ** 3)))
    return ufuncs.multiply(ufuncs.multiply(0.5, x), ufuncs.add(1.0, ufuncs.tanh(inner)))


def logsumexp(a: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """``log(sum(exp(a)))`` over the given axes, without overflow; all ``-inf`` gives ``-inf``."""
    (x,) = promote_inexact(as_operand(a, "logsumexp"))
    top = reductions.max(x, axis, keepdims=True)
    top = stop_gradient(manipulation.where(ufuncs.isfinite(top), top, 0))  # shift by 0 if inf
    total = reductions.sum(ufuncs.exp(ufuncs.subtract(x, top)), axis, keepdims=keepdims)
    return ufuncs.add(ufuncs.log(total), top if keepdims else manipulation.squeeze(top, axis))


def log_softmax(x: Any, axis: int = -1) -> Any:
    """``x - logsumexp(x)`` along ``axis``."""
    (x,) = promote_inexact(as_operand(x, "log_softmax"))
    return ufuncs.subtract(x, logsumexp(x, axis, keepdims=True))


def softmax(x: Any, axis: int = -1) -> Any:
    """``exp(x) / sum(exp(x))`` along ``axis``."""
    (x,) = promote_inexact(as_operand(x, "softmax"))
    unnormalized = ufuncs.exp(ufuncs.subtract(x, stop_gradient(reductions.max(x, axis, keepdims=True))))
    return ufuncs.divide(unnormalized, reductions.sum(unnormalized, axis, keepdims=True))


def one_hot(x: Any, num_classes: int, dtype: Any = None) -> Any:
    """``x[..., None] == arange(num_classes)``, as floats."""
    x = as_operand(x, "one_hot")
    hot = ufuncs.equal(manipulation.expand_dims(x, -1), creation.arange(num_classes))
    return creation.array(hot, dtype or dtypes.default_float())
