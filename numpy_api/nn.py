"""``jaxlite.nn``: activation functions and friends, as in ``jax.nn``."""

from __future__ import annotations

from typing import Any

from ..core import dtypes
from ..primitives import elementwise as ew
from ..primitives.elementwise import stop_gradient
from . import creation, manipulation, reductions, ufuncs
from ._util import as_operand, promote_inexact


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
    return ufuncs.multiply(x, sigmoid(x))


swish = silu


def gelu(x: Any, approximate: bool = True) -> Any:
    """Gaussian error linear unit (the tanh approximation)."""
    (x,) = promote_inexact(as_operand(x, "gelu"))
    inner = ufuncs.multiply(0.7978845608028654, ufuncs.add(x, ufuncs.multiply(0.044715, x ** 3)))
    return ufuncs.multiply(ufuncs.multiply(0.5, x), ufuncs.add(1.0, ufuncs.tanh(inner)))


def logsumexp(a: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """``log(sum(exp(a)))`` over the given axes, without overflow."""
    (x,) = promote_inexact(as_operand(a, "logsumexp"))
    top = stop_gradient(reductions.max(x, axis, keepdims=True))
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
