"""``jaxlite.random``'s gamma family: gamma and loggamma (Marsaglia and Tsang's rejection
method, JAX's draws, one key per element), and what JAX builds on them: beta, dirichlet,
generalized_normal and ball.

A gamma sample is a ``custom_jvp`` function of its shape parameter: its derivative holds
the sample's CDF fixed (implicit differentiation, ``lax.random_gamma_grad``), as JAX
defines it. Its samples are drawn by one ``while`` loop over lanes (``vmap`` of each
element's loop, as JAX lowers it), compiled once per shape and dtype by an inner ``jit``.
"""

from __future__ import annotations

import functools
import operator
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..interpreters.jit import jit
from ..interpreters.transforms import vmap
from ..primitives import elementwise as ew
from ..primitives import shape as shape_ops
from ..primitives.custom_rules import custom_jvp
from ..primitives.special import fma
from ..primitives.structural import convert_element_type
from . import creation, manipulation, reductions, ufuncs
from .gamma_functions import quiet, random_gamma_grad
from .loops import while_loop
from .random_basic import (
    check_param_shapes,
    sample_shape,
    exponential,
    normal,
    rademacher,
    uniform_floats,
)
from .random_keys import (
    split,
    static_shape,
    unwrap_key,
    user_dtype,
)


def _gamma_one(data: Any, alpha: Any, log_space: bool) -> Any:
    """One Gamma(alpha) sample (its log with ``log_space``) from one key: Marsaglia and
    Tsang's method with JAX's sequence of draws. Below ``alpha = 1`` it samples
    Gamma(alpha + 1) and boosts by ``u ** (1 / alpha)``."""
    dtype = aval_of(alpha).dtype

    def c(value: float) -> np.ndarray:
        return np.asarray(value, dtype)

    boost_mask = ufuncs.greater_equal(alpha, c(1))
    boosted = manipulation.where(boost_mask, alpha, alpha + c(1))
    d = boosted - c(1 / 3)
    scale = c(1 / 3) / ufuncs.sqrt(d)
    keys = split(data)

    def rejected(state: tuple) -> Any:
        _, x_sq, v, u = state
        squeeze = ufuncs.greater_equal(u, c(1) - c(0.0331) * (x_sq * x_sq))
        bound = x_sq * c(0.5) + d * ((c(1) - v) + ufuncs.log(v))
        return ufuncs.logical_and(squeeze, ufuncs.greater_equal(ufuncs.log(u), bound))

    def positive_v(state: tuple) -> tuple:
        subkeys = split(state[0])
        x = normal(subkeys[1], (), dtype)
        return subkeys[0], x, fma(x, scale, c(1))  # XLA fuses 1 + x * scale

    def draw(state: tuple) -> tuple:
        subkeys = split(state[0], 3)
        _, x, v = while_loop(lambda s: ufuncs.less_equal(s[2], c(0)), positive_v,
                             (subkeys[1], c(0), c(-1)))
        return subkeys[0], x * x, v * v * v, uniform_floats(subkeys[2], (), dtype, 0.0, 1.0)

    v = while_loop(rejected, draw, (keys[0], c(0), c(1), c(2)))[2]
    if log_space:
        log_u = ufuncs.negative(exponential(keys[1], (), dtype))
        skip = ufuncs.logical_or(boost_mask, ufuncs.equal(log_u, c(0)))
        log_boost = manipulation.where(skip, c(0), log_u * (c(1) / alpha))
        return ufuncs.log(d) + ufuncs.log(v) + log_boost
    u = c(1) - uniform_floats(keys[1], (), dtype, 0.0, 1.0)
    boost = manipulation.where(boost_mask, c(1), ew.pow(u, c(1) / alpha))
    return d * v * boost


def _gamma_samples(data: Any, a: Any, log_space: bool) -> Any:
    """Gamma samples of the shape of ``a``: element ``i`` (in C order) from the ``i``-th
    of ``split(key, a.size)``, each by its own rejection loop (run as one loop over lanes)."""
    size = aval_of(a).size
    if size == 0:
        return a
    flat = shape_ops.reshape(a, (size,))
    samples = vmap(lambda k, x: _gamma_one(k, x, log_space))(split(data, size), flat)
    return shape_ops.reshape(samples, aval_of(a).shape)


_gamma_compiled = jit(_gamma_samples, static_argnames=("log_space",))


@functools.partial(custom_jvp, nondiff_argnums=(2,))
def _random_gamma(data: Any, a: Any, log_space: bool) -> Any:
    return _gamma_compiled(data, a, log_space=log_space)


@_random_gamma.defjvp
def _random_gamma_jvp(log_space: bool, primals: tuple, tangents: tuple) -> tuple:
    # implicit differentiation: the sample moves with a so that its CDF stays fixed
    data, a = primals
    sample = _random_gamma(data, a, log_space)
    if not log_space:
        return sample, tangents[1] * random_gamma_grad(a, sample)
    value = ufuncs.exp(sample)  # d log(x) = dx / x, with x kept off zero
    value = manipulation.where(ufuncs.equal(value, 0), np.finfo(aval_of(a).dtype).tiny, value)
    return sample, tangents[1] * random_gamma_grad(a, value) / value


@quiet
def _gamma(name: str, key: Any, a: Any, shape: Any, dtype: Any, log_space: bool) -> Any:
    data, _ = unwrap_key(name, key)
    dtype = user_dtype(name, dtype, dtypes.default_float(), np.floating)
    a = creation.asarray(a)
    shape = sample_shape(name, shape, a)
    a = convert_element_type(a, dtype)
    if aval_of(a).shape != shape:
        a = manipulation.broadcast_to(a, shape)
    return _random_gamma(data, a, log_space)


def gamma(key: Any, a: Any, shape: Sequence[int] | None = None, dtype: Any = None) -> Any:
    """Gamma(a, 1) floats (divide by a rate, or multiply by a scale, for other scales).

    JAX's algorithm and draws (Marsaglia and Tsang's rejection method, each element from
    its own key of ``split(key, size)``): within a few ulps of JAX, not bit for bit. XLA
    computes ``1 / sqrt(d)`` with an approximate reciprocal square root refined by a
    Newton step, and ``u ** (1 / a)`` (for ``a < 1``) with its own ``pow``, each 1 ulp
    off the correctly rounded value jaxlite uses in some elements (float32: about 85% of
    samples are JAX's bits, all of 10**6 checked within 5 eps). An acceptance test within
    an ulp of its bound could be rounded the other way and accept another draw (then the
    sample matches JAX in distribution only); none was seen in those 10**6. Differentiable
    in ``a``: the derivative holds the sample's CDF fixed (``lax.random_gamma_grad``), as
    in JAX.
    """
    return _gamma("gamma", key, a, shape, dtype, log_space=False)


def loggamma(key: Any, a: Any, shape: Sequence[int] | None = None, dtype: Any = None) -> Any:
    """The log of Gamma(a, 1) floats, computed in log space (accurate for small ``a``,
    whose samples underflow); the same draws as ``gamma``, within a few ulps of JAX."""
    return _gamma("loggamma", key, a, shape, dtype, log_space=True)


@quiet
def beta(key: Any, a: Any, b: Any, shape: Sequence[int] | None = None, dtype: Any = None) -> Any:
    """Beta(a, b) floats: ``Ga / (Ga + Gb)`` for log-gamma samples ``log Ga`` and ``log Gb``
    from the two halves of ``split(key)``, as JAX computes it (matches JAX to a few ulps,
    as ``loggamma`` does)."""
    data, _ = unwrap_key("beta", key)
    dtype = user_dtype("beta", dtype, dtypes.default_float(), np.floating)
    a, b = creation.asarray(a), creation.asarray(b)
    shape = sample_shape("beta", shape, a, b)
    keys = split(data)
    a = manipulation.broadcast_to(convert_element_type(a, dtype), shape)
    b = manipulation.broadcast_to(convert_element_type(b, dtype), shape)
    log_a = loggamma(keys[0], a, shape, dtype)
    log_b = loggamma(keys[1], b, shape, dtype)
    log_max = ufuncs.maximum(log_a, log_b)  # Ga / (Ga + Gb) without overflow
    scaled_a, scaled_b = ufuncs.exp(log_a - log_max), ufuncs.exp(log_b - log_max)
    return scaled_a / (scaled_a + scaled_b)


@quiet
def dirichlet(key: Any, alpha: Any, shape: Sequence[int] | None = None, dtype: Any = None) -> Any:
    """Dirichlet(alpha) vectors along the last axis: the softmax of log-gamma samples
    (shape ``shape + alpha.shape[-1:]``), as JAX computes it (a few ulps from JAX)."""
    data, _ = unwrap_key("dirichlet", key)
    dtype = user_dtype("dirichlet", dtype, dtypes.default_float(), np.floating)
    alpha = creation.asarray(alpha)
    if aval_of(alpha).ndim < 1:
        raise ValueError(f"dirichlet requires alpha.ndim >= 1, got alpha.ndim == "
                         f"{aval_of(alpha).ndim}")
    batch = aval_of(alpha).shape[:-1]
    shape = batch if shape is None else static_shape("dirichlet", shape)
    check_param_shapes("dirichlet", shape, np.empty(batch))
    alpha = convert_element_type(alpha, dtype)
    log_samples = loggamma(data, alpha, shape + aval_of(alpha).shape[-1:], dtype)
    peak = reductions.max(log_samples, axis=-1, keepdims=True)
    unnormalized = ufuncs.exp(log_samples - ew.stop_gradient(peak))
    return unnormalized / reductions.sum(unnormalized, axis=-1, keepdims=True)


def generalized_normal(key: Any, p: float, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Floats with density proportional to ``exp(-|x| ** p)``: a random sign times
    ``Gamma(1 / p) ** (1 / p)`` (JAX's construction; within a few ulps, as ``gamma``)."""
    data, _ = unwrap_key("generalized_normal", key)
    dtype = user_dtype("generalized_normal", dtype, dtypes.default_float(), np.floating)
    shape = static_shape("generalized_normal", shape)
    keys = split(data)
    g = gamma(keys[0], 1 / p, shape, dtype)
    r = rademacher(keys[1], shape, dtype)
    return r * g ** (1 / p)


def ball(key: Any, d: int, p: float = 2, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Points uniform in the unit ``p``-norm ball of dimension ``d`` (shape ``shape + (d,)``),
    by Barthe, Guedon, Mendelson and Naor's construction, as JAX: generalized normal
    coordinates over the ``p``-norm of them and an exponential (a few ulps from JAX)."""
    data, _ = unwrap_key("ball", key)
    dtype = user_dtype("ball", dtype, dtypes.default_float(), np.floating)
    shape = static_shape("ball", shape)
    d = operator.index(d)
    keys = split(data)
    g = generalized_normal(keys[0], p, (*shape, d), dtype)
    e = exponential(keys[1], shape, dtype)
    radius = (reductions.sum(ufuncs.abs(g) ** p, axis=-1) + e) ** (1 / p)
    return g / radius[..., None]
