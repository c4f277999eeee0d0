"""``jaxlite.random``'s count samplers: poisson (Knuth's method below rate 10, Hormann's
transformed rejection above) and binomial (inversion by geometric waiting times, BTRS
rejection), JAX's algorithms with its sequence of draws: each a ``while`` loop drawing the
whole shape per step, every element keeping its own result, compiled once per shape and
dtype by an inner ``jit``.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..interpreters.jit import jit
from ..primitives.special import fma
from ..primitives.structural import convert_element_type
from . import creation, manipulation, reductions, ufuncs
from .gamma_functions import lgamma, quiet
from .loops import while_loop
from .random_basic import sample_shape, take_indices, uniform_floats
from .random_keys import (
    split,
    unwrap_key,
    user_dtype,
)

_F32 = np.dtype(np.float32)


def _any_lane_while(go: Any, i: Any, max_iters: Any) -> Any:
    return ufuncs.logical_and(reductions.any(go), ufuncs.less(i, max_iters))


def _poisson_knuth(data: Any, lam: Any, shape: tuple, dtype: np.dtype, max_iters: Any) -> Any:
    """Knuth's method: count uniforms until their product drops below ``exp(-lam)`` (in
    logs), one draw of the whole shape per step."""

    def body(carry: tuple) -> tuple:
        i, k, key, log_prod = carry
        keys = split(key)
        k = manipulation.where(ufuncs.greater(log_prod, -lam), k + np.asarray(1, dtype), k)
        u = uniform_floats(keys[1], shape, _F32, 0.0, 1.0)
        return i + np.asarray(1, dtype), k, keys[0], log_prod + ufuncs.log(u)

    def cond(carry: tuple) -> Any:
        return _any_lane_while(ufuncs.greater(carry[3], -lam), carry[0], max_iters)

    init = (np.asarray(0, dtype), creation.zeros(shape, dtype), data, creation.zeros(shape, _F32))
    return while_loop(cond, body, init)[1] - np.asarray(1, dtype)


def _rejection_draws(key: Any, shape: tuple, dtype: np.dtype) -> tuple:
    """One step's draws of both rejection samplers: the next key, ``u`` uniform in
    [-1/2, 1/2), ``v`` uniform in [0, 1) (from the other two thirds of ``split(key, 3)``),
    and ``1/2 - |u|``."""
    keys = split(key, 3)
    u = uniform_floats(keys[1], shape, dtype, 0.0, 1.0) - 0.5
    v = uniform_floats(keys[2], shape, dtype, 0.0, 1.0)
    return keys[0], u, v, 0.5 - ufuncs.abs(u)


def _poisson_rejection(data: Any, lam: Any, shape: tuple, dtype: np.dtype, max_iters: Any) -> Any:
    """Hormann's transformed rejection (PTRS), one pair of draws of the whole shape per step,
    for the elements with ``lam >= 10``."""
    log_lam = manipulation.broadcast_to(ufuncs.log(lam), shape)
    b = 0.931 + 2.53 * ufuncs.sqrt(lam)
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2)

    def body(carry: tuple) -> tuple:
        i, k_out, accepted, key = carry
        key, u, v, u_shifted = _rejection_draws(key, shape, _F32)
        k = ufuncs.floor((2 * a / u_shifted + b) * u + lam + 0.43)
        s = ufuncs.log(v * inv_alpha / (a / (u_shifted * u_shifted) + b))
        t = fma(k, log_lam, -lam) - lgamma(k + 1)  # XLA fuses -lam + k * log_lam
        accept1 = ufuncs.logical_and(ufuncs.greater_equal(u_shifted, 0.07),
                                     ufuncs.less_equal(v, v_r))
        reject = ufuncs.logical_or(ufuncs.less(k, 0), ufuncs.logical_and(
            ufuncs.less(u_shifted, 0.013), ufuncs.greater(v, u_shifted)))
        accept = ufuncs.logical_or(accept1, ufuncs.logical_and(
            ufuncs.logical_not(reject), ufuncs.less_equal(s, t)))
        k_out = manipulation.where(accept, k, k_out)
        return i + np.asarray(1, dtype), k_out, ufuncs.logical_or(accepted, accept), key

    def cond(carry: tuple) -> Any:
        return _any_lane_while(ufuncs.logical_not(carry[2]), carry[0], max_iters)

    init = (np.asarray(0, dtype), creation.full(shape, -1.0, _F32),
            creation.zeros(shape, bool), data)
    return while_loop(cond, body, init)[1].astype(dtype)


def _poisson_samples(data: Any, lam: Any, shape: tuple, dtype: np.dtype) -> Any:
    use_knuth = ufuncs.logical_or(ufuncs.isnan(lam), ufuncs.less(lam, 10))
    lam_knuth = manipulation.where(use_knuth, lam, 0.0)
    # (rejection's acceptance rate tends to 89% for large lam: 1e5 stands in where unused)
    lam_rejection = manipulation.where(use_knuth, 1e5, lam)
    max_iters = np.asarray(np.iinfo(dtype).max, dtype)
    result = manipulation.where(use_knuth,
                                _poisson_knuth(data, lam_knuth, shape, dtype, max_iters),
                                _poisson_rejection(data, lam_rejection, shape, dtype, max_iters))
    return manipulation.where(ufuncs.equal(lam, 0), np.asarray(0, dtype), result)


_poisson_compiled = jit(_poisson_samples, static_argnames=("shape", "dtype"))


@quiet
def poisson(key: Any, lam: Any, shape: Sequence[int] | None = None, dtype: Any = None) -> Any:
    """Poisson(lam) integers (default int32; int64 under x64), computed in float32.

    JAX's algorithms and draws: Knuth's product of uniforms below ``lam = 10``, Hormann's
    transformed rejection above; both run on the whole shape with the same key, one
    draw of the whole shape per step, each element keeping its own result. Bit for bit
    JAX's, except where a sum of logs (Knuth) or the rejection test lands within an ulp of
    its bound, which XLA's ``log`` and ``lgamma`` round differently from jaxlite's: the
    count is then off by one (Knuth) or another draw's (rejection). Measured: 2 elements
    in 10**5 for rates above 10, none in 10**6 below."""
    data, _ = unwrap_key("poisson", key)
    dtype = user_dtype("poisson", dtype, dtypes.default_int(), np.integer)
    lam = creation.asarray(lam)
    shape = sample_shape("poisson", shape, lam)
    lam = convert_element_type(manipulation.broadcast_to(lam, shape), _F32)
    return _poisson_compiled(data, lam, shape=shape, dtype=dtype)


_STIRLING_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983,
                  0.02079067210376509, 0.0166446911898211, 0.0138761288230707,
                  0.0118967099458917, 0.0104112652619720, 0.00925546218271273,
                  0.00833056343336287)


def _stirling_tail(k: Any) -> Any:
    """``log k! - (Stirling's approximation of it)``: a table for k <= 9, else the series
    ``1/12 - 1/360 k^-2 + ...`` over k + 1, evaluated (as in JAX) at ``min(k, 9)``."""
    dtype = aval_of(k).dtype
    small = ufuncs.less_equal(k, 9)
    k = ufuncs.clip(k, np.asarray(0, dtype), np.asarray(9, dtype))
    kp1sq = (k + 1) * (k + 1)
    approx = (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)
    table = take_indices(np.asarray(_STIRLING_TAIL, dtype), ufuncs.floor(k).astype(np.int32), 0)
    return manipulation.where(small, table, approx)


def _binomial_inversion(data: Any, count: Any, prob: Any, shape: tuple) -> Any:
    """Counts of successes as the number of geometric waiting times (in logs) that fit in
    ``count`` trials, one draw of the whole shape per step (where ``count * q <= 10``)."""
    dtype = aval_of(prob).dtype
    log1m_prob = ufuncs.log1p(ufuncs.negative(prob))

    def body(carry: tuple) -> tuple:
        i, num_geom, geom_sum, key = carry
        keys = split(key)
        subkey, key = keys[0], keys[1]
        num_geom = manipulation.where(ufuncs.less_equal(geom_sum, count), num_geom + 1, num_geom)
        u = uniform_floats(subkey, shape, dtype, 0.0, 1.0)
        geom_sum = geom_sum + ufuncs.ceil(ufuncs.log(u) / log1m_prob)
        return i + 1, num_geom, geom_sum, key

    def cond(carry: tuple) -> Any:
        return _any_lane_while(ufuncs.less_equal(carry[2], count), carry[0], _MAX_STEPS)

    init = (np.int32(0), creation.zeros(shape, dtype), creation.zeros(shape, dtype), data)
    return while_loop(cond, body, init)[1] - 1


def _btrs(data: Any, count: Any, prob: Any, shape: tuple) -> Any:
    """Hormann's transformed rejection with squeeze (BTRS), one pair of draws of the whole
    shape per step (where ``count * q > 10``)."""
    dtype = aval_of(prob).dtype
    stddev = ufuncs.sqrt(count * prob * (1 - prob))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * prob
    c = count * prob + 0.5
    v_r = 0.92 - 4.2 / b
    r = prob / (1 - prob)
    alpha = (2.83 + 5.1 / b) * stddev
    m = ufuncs.floor((count + 1) * prob)
    log = ufuncs.log

    def body(carry: tuple) -> tuple:
        i, k_out, accepted, key = carry
        key, u, v, us = _rejection_draws(key, shape, dtype)
        accept1 = ufuncs.logical_and(ufuncs.greater_equal(us, 0.07), ufuncs.less_equal(v, v_r))
        k = ufuncs.floor((2 * a / us + b) * u + c)
        reject = ufuncs.logical_or(ufuncs.less(k, 0), ufuncs.greater(k, count))
        v = log(v * alpha / (a / (us * us) + b))
        bound = ((m + 0.5) * log((m + 1) / (r * (count - m + 1)))
                 + (count + 1) * log((count - m + 1) / (count - k + 1))
                 + (k + 0.5) * log(r * (count - k + 1) / (k + 1))
                 + _stirling_tail(m) + _stirling_tail(count - m)
                 - _stirling_tail(k) - _stirling_tail(count - k))
        accept = ufuncs.logical_or(accept1, ufuncs.logical_and(
            ufuncs.logical_not(reject), ufuncs.less_equal(v, bound)))
        k_out = manipulation.where(accept, k, k_out)
        return i + 1, k_out, ufuncs.logical_or(accepted, accept), key

    def cond(carry: tuple) -> Any:
        return _any_lane_while(ufuncs.logical_not(carry[2]), carry[0], _MAX_STEPS)

    init = (np.int32(0), creation.full(shape, -1, dtype), creation.zeros(shape, bool), data)
    return while_loop(cond, body, init)[1]


_MAX_STEPS = np.int32(np.iinfo(np.int32).max)  # (JAX: the float dtype's max; never reached)


def _binomial_samples(data: Any, count: Any, prob: Any, shape: tuple, dtype: np.dtype) -> Any:
    p_lt_half = ufuncs.less(prob, 0.5)
    q = manipulation.where(p_lt_half, prob, 1.0 - prob)
    count_nan_or_neg = ufuncs.logical_or(ufuncs.isnan(count), ufuncs.less(count, 0.0))
    count_inf = ufuncs.equal(ufuncs.abs(count), np.inf)
    q_is_nan, q_below_0 = ufuncs.isnan(q), ufuncs.less(q, 0.0)
    q = manipulation.where(ufuncs.logical_or(q_is_nan, q_below_0), 0.01, q)
    use_inversion = ufuncs.logical_or(count_nan_or_neg, ufuncs.less_equal(count * q, 10.0))
    count = ufuncs.floor(count)  # (a float count, as NumPy's binomial takes it)
    count_inv = manipulation.where(use_inversion, count, 0.0)
    count_btrs = manipulation.where(use_inversion, 1e4, count)
    q_btrs = manipulation.where(use_inversion, 0.5, q)
    samples = manipulation.where(use_inversion,
                                 _binomial_inversion(data, count_inv, q, shape).astype(dtype),
                                 _btrs(data, count_btrs, q_btrs, shape).astype(dtype))
    invalid = ufuncs.logical_or(ufuncs.logical_or(q_below_0, q_is_nan), count_nan_or_neg)
    samples = manipulation.where(invalid, np.asarray(np.nan, dtype), samples)
    samples = manipulation.where(ufuncs.logical_and(count_inf, ufuncs.logical_not(invalid)),
                                 np.asarray(np.inf, dtype), samples)
    direct = ufuncs.logical_or(ufuncs.logical_or(p_lt_half, count_nan_or_neg),
                               ufuncs.logical_or(q_is_nan, count_inf))
    return manipulation.where(direct, samples, count.astype(dtype) - samples)


_binomial_compiled = jit(_binomial_samples, static_argnames=("shape", "dtype"))


@quiet
def binomial(key: Any, n: Any, p: Any, shape: Sequence[int] | None = None,
             dtype: Any = None) -> Any:
    """Binomial(n, p) counts, as floats (nan for invalid ``n`` or ``p``, inf for infinite
    ``n``), computed in ``p``'s float dtype.

    JAX's algorithms and draws: inversion by geometric waiting times where ``n q <= 10``
    (``q = min(p, 1 - p)``), Hormann's BTRS rejection elsewhere; both run on the whole shape
    with the same key, each element keeping its own result. Bit for bit JAX's except
    where a test lands within an ulp of its bound (XLA's ``log`` and fused multiply-adds
    round differently from jaxlite's): then a count differs (none seen in 3 * 10**5)."""
    data, _ = unwrap_key("binomial", key)
    dtype = user_dtype("binomial", dtype, dtypes.default_float(), np.floating)
    n, p = creation.asarray(n), creation.asarray(p)
    shape = sample_shape("binomial", shape, n, p)
    prob_dtype = dtypes.to_inexact(aval_of(p).dtype)
    prob = manipulation.broadcast_to(convert_element_type(p, prob_dtype), shape)
    count = manipulation.broadcast_to(convert_element_type(n, prob_dtype), shape)
    return _binomial_compiled(data, count, prob, shape=shape, dtype=dtype)
