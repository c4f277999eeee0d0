"""``jaxlite.nn``: activation functions and friends, as in ``jax.nn``.

``relu`` and ``relu6`` carry JAX's derivative rules (0 at the kinks), ``softplus`` is
``logaddexp(x, 0)`` (derivative 1/2 at 0), and ``softmax``, ``log_softmax`` and
``logsumexp`` (shared with ``jaxlite.scipy.special``) are stable for inputs of magnitude
1e4. ``jaxlite.nn.initializers`` is ``nn_initializers.py``.
"""

from __future__ import annotations

import math
from typing import Any


from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import elementwise as ew
from ..primitives import special_functions as sf
from ..primitives.custom_rules import custom_jvp
from . import creation, manipulation, reductions, ufuncs
from . import nn_initializers as initializers  # noqa: F401 - jaxlite.nn.initializers
from ._util import array_operand, as_operand, convert_to, normalize_axis, promote_inexact
from .softmax import log_softmax, logsumexp, softmax


def _operand(x: Any, name: str) -> Any:
    return array_operand(as_operand(x, name), name)


def _select(condition: Any, x: Any, y: Any) -> Any:
    return manipulation.where(condition, x, y)


def identity(x: Any) -> Any:
    """``x`` itself."""
    return _operand(x, "identity")


@custom_jvp
def relu(x: Any) -> Any:
    """``max(x, 0)``; its derivative at 0 is 0, as in JAX."""
    return ufuncs.maximum(_operand(x, "relu"), 0)


@relu.defjvp
def _relu_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return relu(x), _select(ufuncs.greater(x, 0), t, ufuncs.multiply(t, 0))


@custom_jvp
def relu6(x: Any) -> Any:
    """``min(max(x, 0), 6)``; its derivative is 0 at 0 and 6."""
    return ufuncs.minimum(ufuncs.maximum(_operand(x, "relu6"), 0), 6.0)


@relu6.defjvp
def _relu6_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    inside = ufuncs.logical_and(ufuncs.greater(x, 0), ufuncs.less(x, 6))
    return relu6(x), _select(inside, t, ufuncs.multiply(t, 0))


def sigmoid(x: Any) -> Any:
    """The logistic function ``1 / (1 + exp(-x))``."""
    (x,) = promote_inexact(as_operand(x, "sigmoid"))
    return ew.logistic_p.bind1(x)


def log_sigmoid(x: Any) -> Any:
    """``log(sigmoid(x)) = -softplus(-x)``."""
    return ufuncs.negative(softplus(ufuncs.negative(_operand(x, "log_sigmoid"))))


def softplus(x: Any) -> Any:
    """``log(1 + exp(x)) = logaddexp(x, 0)``; its derivative at 0 is 1/2."""
    return ufuncs.logaddexp(_operand(x, "softplus"), 0)


def sparse_plus(x: Any) -> Any:
    """0 below -1, ``x`` above 1, ``(x + 1)^2 / 4`` between."""
    x = _operand(x, "sparse_plus")
    middle = ufuncs.divide(ufuncs.square(ufuncs.add(x, 1.0)), 4)
    return _select(ufuncs.less_equal(x, -1.0), 0.0,
                   _select(ufuncs.greater_equal(x, 1.0), x, middle))


def sparse_sigmoid(x: Any) -> Any:
    """``clip(x + 1, 0, 2) / 2``, the derivative of ``sparse_plus``."""
    return ufuncs.multiply(0.5, ufuncs.clip(ufuncs.add(_operand(x, "sparse_sigmoid"), 1.0),
                                            0.0, 2.0))


def silu(x: Any) -> Any:
    """Sigmoid linear unit ``x * sigmoid(x)`` (also called swish)."""
    x = _operand(x, "silu")
    return ufuncs.multiply(x, sigmoid(x))


swish = silu


def soft_sign(x: Any) -> Any:
    """``x / (|x| + 1)``."""
    x = _operand(x, "soft_sign")
    return ufuncs.divide(x, ufuncs.add(ufuncs.abs(x), 1))


def gelu(x: Any, approximate: bool = True) -> Any:
    """Gaussian error linear unit ``x * Phi(x)``, with ``Phi`` the standard normal CDF.

    Args:
      x: input array (integers are promoted to the default float).
      approximate: use the tanh approximation (JAX's default); if False, the exact
        ``0.5 * x * erfc(-x / sqrt(2))``.

    Returns:
      A strongly typed array of ``x``'s inexact dtype, as in JAX.
    """
    (x,) = promote_inexact(array_operand(x, "gelu"))
    x = convert_to(x, aval_of(x).dtype, False)  # JAX's gelu result is never weakly typed
    if not approximate:
        cdf = ufuncs.multiply(0.5, sf.erfc(ufuncs.multiply(x, -math.sqrt(0.5))))
        return ufuncs.multiply(x, cdf)
    inner = ufuncs.multiply(math.sqrt(2 / math.pi),
                            ufuncs.add(x, ufuncs.multiply(0.044715, x ** 3)))
    return ufuncs.multiply(ufuncs.multiply(0.5, x), ufuncs.add(1.0, ufuncs.tanh(inner)))


def elu(x: Any, alpha: Any = 1.0) -> Any:
    """``x`` above 0, ``alpha * (exp(x) - 1)`` below."""
    x = _operand(x, "elu")
    positive = ufuncs.greater(x, 0)
    return _select(positive, x, ufuncs.multiply(alpha, ufuncs.expm1(_select(positive, 0.0, x))))


def selu(x: Any) -> Any:
    """Scaled ELU with the self-normalizing constants."""
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    return ufuncs.multiply(scale, elu(x, alpha))


def celu(x: Any, alpha: Any = 1.0) -> Any:
    """``max(x, 0) + alpha * expm1(min(x, 0) / alpha)``."""
    x = _operand(x, "celu")
    negative = ufuncs.expm1(ufuncs.divide(ufuncs.minimum(x, 0.0), alpha))
    return ufuncs.add(ufuncs.maximum(x, 0.0), ufuncs.multiply(alpha, negative))


def leaky_relu(x: Any, negative_slope: Any = 1e-2) -> Any:
    """``x`` where ``x >= 0``, ``negative_slope * x`` below."""
    x = _operand(x, "leaky_relu")
    return _select(ufuncs.greater_equal(x, 0), x, ufuncs.multiply(negative_slope, x))


def hard_tanh(x: Any) -> Any:
    """``x`` clipped to [-1, 1]."""
    x = _operand(x, "hard_tanh")
    return _select(ufuncs.greater(x, 1), 1, _select(ufuncs.less(x, -1), -1, x))


def hard_sigmoid(x: Any) -> Any:
    """``relu6(x + 3) / 6``."""
    return ufuncs.divide(relu6(ufuncs.add(_operand(x, "hard_sigmoid"), 3.0)), 6.0)


def hard_silu(x: Any) -> Any:
    """``x * hard_sigmoid(x)`` (also called hard_swish)."""
    x = _operand(x, "hard_silu")
    return ufuncs.multiply(x, hard_sigmoid(x))


hard_swish = hard_silu


def mish(x: Any) -> Any:
    """``x * tanh(softplus(x))``."""
    x = _operand(x, "mish")
    return ufuncs.multiply(x, ufuncs.tanh(softplus(x)))


def squareplus(x: Any, b: Any = 4) -> Any:
    """``(x + sqrt(x^2 + b)) / 2``."""
    x = _operand(x, "squareplus")
    return ufuncs.divide(ufuncs.add(x, ufuncs.sqrt(ufuncs.add(ufuncs.square(x), b))), 2)


def glu(x: Any, axis: int = -1) -> Any:
    """Gated linear unit: the first half of ``x`` along ``axis`` times the sigmoid of the
    second half."""
    x = _operand(x, "glu")
    shape = aval_of(x).shape
    axis = normalize_axis(axis, len(shape))
    if shape[axis] % 2:
        raise ValueError("axis size must be divisible by 2")
    half = shape[axis] // 2
    first = tuple(slice(None, half) if i == axis else slice(None) for i in range(len(shape)))
    second = tuple(slice(half, None) if i == axis else slice(None) for i in range(len(shape)))
    return ufuncs.multiply(x[first], sigmoid(x[second]))


def logmeanexp(x: Any, axis: Any = None, where: Any = None, keepdims: bool = False) -> Any:
    """``log(mean(exp(x)))`` over ``axis``, computed stably."""
    x = _operand(x, "logmeanexp")
    total = logsumexp(x, axis, keepdims=keepdims, where=where)
    ones = creation.ones_like(x, dtype=aval_of(total).dtype)
    count = reductions.sum(ones, axis, keepdims=keepdims, where=where)
    return ufuncs.subtract(total, ufuncs.log(count))


def standardize(x: Any, axis: Any = -1, mean: Any = None, variance: Any = None,
                epsilon: Any = 1e-5, where: Any = None) -> Any:
    """``(x - mean) / sqrt(variance + epsilon)``, with the moments over ``axis`` unless given."""
    x = _operand(x, "standardize")
    if mean is None:
        mean = reductions.mean(x, axis, keepdims=True, where=where)
    if variance is None:
        second = reductions.mean(ufuncs.square(x), axis, keepdims=True, where=where)
        variance = ufuncs.maximum(ufuncs.subtract(second, ufuncs.square(mean)), 0)
    return ufuncs.multiply(ufuncs.subtract(x, mean), ufuncs.rsqrt(ufuncs.add(variance, epsilon)))


def one_hot(x: Any, num_classes: int, *, dtype: Any = None, axis: int = -1) -> Any:
    """``x == arange(num_classes)`` along a new axis ``axis``, in ``dtype`` (default float);
    out-of-range entries give all-zero rows."""
    x = _operand(x, "one_hot")
    num_classes = int(num_classes)
    ndim = aval_of(x).ndim
    axis = normalize_axis(axis, ndim + 1)
    shape = [1] * (ndim + 1)
    shape[axis] = num_classes
    classes = creation.arange(num_classes, dtype=aval_of(x).dtype).reshape(shape)
    hot = ufuncs.equal(manipulation.expand_dims(x, axis), classes)
    return creation.array(hot, dtypes.default_float() if dtype is None else dtype)


__all__ = [
    "celu", "elu", "gelu", "glu", "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh",
    "identity", "initializers", "leaky_relu", "log_sigmoid", "log_softmax", "logmeanexp",
    "logsumexp", "mish", "one_hot", "relu", "relu6", "selu", "sigmoid", "silu", "soft_sign",
    "softmax", "softplus", "sparse_plus", "sparse_sigmoid", "squareplus", "standardize", "swish",
]
