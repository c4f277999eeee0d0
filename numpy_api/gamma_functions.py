"""The gamma function family that ``jaxlite.random``'s gamma and Poisson samplers need,
computed step by step as XLA's CPU backend computes them (JAX 0.10).

* ``lgamma(x)``, ``log |Gamma(x)|``, and ``digamma(x)``, its derivative: Lanczos'
  approximation (g = 7, nine coefficients) at ``x - 1``, with Euler's reflection below
  1/2, as XLA's math library writes them. Composed from jaxlite ops (so they are
  differentiable, batch and compile like any function); NumPy has neither.
* ``random_gamma_grad(a, x)``: the derivative of a Gamma(a, 1) sample ``x`` with respect
  to ``a`` holding its CDF fixed (implicit differentiation: ``-dF/da / dF/dx`` for ``F``
  the regularized lower incomplete gamma function), as ``jax.lax.random_gamma_grad``
  computes it: ``F``'s series below ``x = max(1, a)``, its continued fraction above, each
  a ``while`` loop carrying the derivative with respect to ``a`` alongside, to
  convergence. float16 computes in float32, as JAX does.

These agree with JAX to within a few ulps (they use jaxlite's ``log``, ``exp`` and ``sin``,
which are NumPy's, not XLA's polynomials). Like JAX, they compute every branch and select:
evaluated eagerly they silence NumPy's warnings about the branches' infinities and nans.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable

import numpy as np

from ..core.trace import aval_of
from ..primitives.structural import convert_element_type
from . import creation, manipulation, reductions, ufuncs
from ._util import broadcast_arrays
from .loops import while_loop

_LANCZOS_G = 7.0
_LANCZOS_BASE = 0.99999999999980993227684700473478
_LANCZOS = (676.520368121885098567009190444019, -1259.13921672240287047156078755283,
            771.3234287776530788486528258894, -176.61502916214059906584551354,
            12.507343278686904814458936853, -0.13857109526572011689554707,
            9.984369578019570859563e-6, 1.50563273514931155834e-7)


def quiet(fun: Callable) -> Callable:
    """``fun`` with NumPy's floating-point warnings off (selects discard the values)."""

    @functools.wraps(fun)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with np.errstate(all="ignore"):
            return fun(*args, **kwargs)

    return wrapped


def _const(x: Any, value: float) -> np.ndarray:
    return np.asarray(value, aval_of(x).dtype)


def _lanczos_terms(x: Any) -> tuple[Any, Any, Any, Any, Any]:
    """``z`` (``-x`` where reflecting, else ``x - 1``), the Lanczos sum ``A(z)``, its
    derivative's numerator ``A'(z)``, ``t = z + g + 1/2`` and ``log t`` (by ``log1p``)."""
    reflect = ufuncs.less(x, _const(x, 0.5))
    z = manipulation.where(reflect, ufuncs.negative(x), x - _const(x, 1))
    total, slope = _const(x, _LANCZOS_BASE), _const(x, 0)
    for i, c in enumerate(_LANCZOS):
        shifted = z + _const(x, i) + _const(x, 1)
        total = total + _const(x, c) / shifted
        slope = slope - _const(x, c) / (shifted * shifted)
    t = _const(x, _LANCZOS_G + 0.5) + z
    log_t = _const(x, math.log(_LANCZOS_G + 0.5)) + ufuncs.log1p(z / _const(x, _LANCZOS_G + 0.5))
    return reflect, z, total, slope, (t, log_t)


@quiet
def lgamma(x: Any) -> Any:
    """``log |Gamma(x)|`` for floats, elementwise (+inf at the poles and at +-inf)."""
    reflect, z, total, _, (t, log_t) = _lanczos_terms(x)
    # (z + 1/2) log t - t, written so that it does not overflow for large z
    log_y = (_const(x, (math.log(2) + math.log(math.pi)) / 2)
             + (z + _const(x, 0.5) - t / log_t) * log_t + ufuncs.log(total))
    # reflection: lgamma(x) = log(pi) - lgamma(1 - x) - log|sin(pi x)|, with sin(pi x) from
    # the fractional part of |x| folded into [0, 1/2] (exact zeros at the integers)
    frac = ufuncs.abs(x) - ufuncs.floor(ufuncs.abs(x))
    frac = manipulation.where(ufuncs.greater(frac, _const(x, 0.5)), _const(x, 1) - frac, frac)
    log_sin = ufuncs.log(ufuncs.sin(_const(x, math.pi) * frac))
    reflected = manipulation.where(ufuncs.isfinite(log_sin),
                                   _const(x, math.log(math.pi)) - log_sin - log_y,
                                   ufuncs.negative(log_sin))
    out = manipulation.where(reflect, reflected, log_y)
    infinite = ufuncs.equal(ufuncs.abs(x), _const(x, np.inf))
    return manipulation.where(infinite, _const(x, np.inf), out)


@quiet
def digamma(x: Any) -> Any:
    """``d lgamma(x) / dx`` for floats, elementwise (nan at the poles 0, -1, -2, ...)."""
    reflect, z, total, slope, (t, log_t) = _lanczos_terms(x)
    y = log_t + slope / total - _const(x, _LANCZOS_G) / t
    # reflection: digamma(x) = digamma(1 - x) - pi cot(pi x), x moved into [-1/2, 1/2]
    reduced = x + ufuncs.abs(ufuncs.floor(x + _const(x, 0.5)))
    pi = _const(x, math.pi)
    reflected = y - pi * ufuncs.cos(pi * reduced) / ufuncs.sin(pi * reduced)
    out = manipulation.where(reflect, reflected, y)
    pole = ufuncs.logical_and(ufuncs.less_equal(x, _const(x, 0)),
                              ufuncs.equal(x, ufuncs.floor(x)))
    return manipulation.where(pole, _const(x, np.nan), out)


@quiet
def random_gamma_grad(a: Any, x: Any) -> Any:
    """``dx/da`` for a sample ``x`` of Gamma(a, 1), holding its CDF fixed (JAX's
    ``lax.random_gamma_grad``); 0 at ``x = 0``, nan outside ``a > 0, x >= 0``."""
    a, x = creation.asarray(a), creation.asarray(x)
    dtype = aval_of(a).dtype
    if dtype.itemsize < 4:  # float16 and bfloat16 compute in float32
        f32 = np.dtype(np.float32)
        return convert_element_type(random_gamma_grad(convert_element_type(a, f32),
                                                      convert_element_type(x, f32)), dtype)
    a, x = broadcast_arrays(a, x, name="random_gamma_grad")
    is_nan = ufuncs.logical_or(ufuncs.isnan(a), ufuncs.isnan(x))
    x_is_zero = ufuncs.equal(x, _const(x, 0))
    domain_error = ufuncs.logical_or(ufuncs.less(x, _const(x, 0)),
                                     ufuncs.less_equal(a, _const(a, 0)))
    use_fraction = ufuncs.logical_and(ufuncs.greater(x, _const(x, 1)), ufuncs.greater(x, a))
    log_ax = a * ufuncs.log(x) - x - lgamma(a)
    underflow = ufuncs.less(log_ax, _const(a, -math.log(np.finfo(dtype).max)))
    enabled = ufuncs.logical_not(ufuncs.logical_or(
        ufuncs.logical_or(x_is_zero, domain_error), ufuncs.logical_or(underflow, is_nan)))
    by_fraction = ufuncs.negative(_continued_fraction(
        x, a, ufuncs.logical_and(enabled, use_fraction)))
    by_series = _series(x, a, ufuncs.logical_and(enabled, ufuncs.logical_not(use_fraction)))
    out = manipulation.where(use_fraction, by_fraction, by_series)
    out = manipulation.where(x_is_zero, _const(x, 0), out)
    return manipulation.where(ufuncs.logical_or(domain_error, is_nan), _const(a, np.nan), out)


def _select_where(enabled: Any, new: tuple, old: tuple) -> tuple:
    return tuple(manipulation.where(enabled, n, o) for n, o in zip(new, old))


def _series(x: Any, a: Any, enabled: Any) -> Any:
    """The series of the lower incomplete gamma function, with its derivative in ``a``."""
    eps = _const(x, np.finfo(aval_of(x).dtype).eps)

    def body(state):
        enabled, r, c, ans, x, dc_da, dans_da = state
        r = r + _const(r, 1)
        dc_da = dc_da * (x / r) - (c * x) / (r * r)
        dans_da = dans_da + dc_da
        c = c * (x / r)
        ans = ans + c
        going = ufuncs.logical_and(enabled, ufuncs.greater(ufuncs.abs(dc_da / dans_da), eps))
        return (going, *_select_where(enabled, (r, c, ans, x, dc_da, dans_da), state[1:]))

    ones, zeros = creation.ones_like(a), creation.zeros_like(a)
    state = while_loop(lambda s: reductions.any(s[0]), body,
                       (enabled, a, ones, ones, x, zeros, zeros))
    ans, dans_da = state[3], state[6]
    dlogax_da = ufuncs.log(x) - digamma(a + _const(a, 1))
    return ufuncs.negative(dans_da + ans * dlogax_da) * x / a


def _continued_fraction(x: Any, a: Any, enabled: Any) -> Any:
    """The continued fraction of the upper incomplete gamma function (at most 2000 terms),
    with its derivative in ``a``."""
    eps = _const(x, np.finfo(aval_of(x).dtype).eps)

    def body(state):
        (enabled, ans, t, y, z, c, pkm1, qkm1, pkm2, qkm2,
         dpkm2_da, dqkm2_da, dpkm1_da, dqkm1_da, dans_da) = state
        c = c + _const(c, 1)
        y = y + _const(y, 1)
        z = z + _const(z, 2)
        yc = y * c
        pk = pkm1 * z - pkm2 * yc
        qk = qkm1 * z - qkm2 * yc
        nonzero = ufuncs.not_equal(qk, _const(qk, 0))
        r = pk / qk
        t = manipulation.where(nonzero, ufuncs.abs((ans - r) / r), creation.ones_like(r))
        ans = manipulation.where(nonzero, r, ans)
        dpk_da = dpkm1_da * z - pkm1 - dpkm2_da * yc + pkm2 * c
        dqk_da = dqkm1_da * z - qkm1 - dqkm2_da * yc + qkm2 * c
        dans_da_new = manipulation.where(nonzero, (dpk_da - ans * dqk_da) / qk, dans_da)
        change = manipulation.where(nonzero, ufuncs.abs(dans_da_new - dans_da),
                                    creation.ones_like(dans_da))
        pkm2, pkm1, qkm2, qkm1 = pkm1, pk, qkm1, qk
        dpkm2_da, dqkm2_da, dpkm1_da, dqkm1_da = dpkm1_da, dqkm1_da, dpk_da, dqk_da
        rescale = ufuncs.greater(ufuncs.abs(pk), _const(pk, 1) / eps)
        pkm2, pkm1, qkm2, qkm1, dpkm2_da, dqkm2_da, dpkm1_da, dqkm1_da = (
            manipulation.where(rescale, v * eps, v) for v in
            (pkm2, pkm1, qkm2, qkm1, dpkm2_da, dqkm2_da, dpkm1_da, dqkm1_da))
        going = ufuncs.logical_and(enabled, ufuncs.greater(change, eps))
        new = (ans, t, y, z, c, pkm1, qkm1, pkm2, qkm2,
               dpkm2_da, dqkm2_da, dpkm1_da, dqkm1_da, dans_da_new)
        kept = _select_where(enabled, new, state[1:])
        return (going, *kept[:4], c, *kept[5:])

    def cond(state):
        return ufuncs.logical_and(ufuncs.less(state[5], _const(state[5], 2000)),
                                  reductions.any(state[0]))

    y = _const(a, 1) - a
    z = x + y + _const(x, 1)
    pkm1, qkm1 = x + _const(x, 1), z * x
    ans = pkm1 / qkm1
    zeros = creation.zeros_like(x)
    dqkm1_da = ufuncs.negative(x)
    dans_da = (zeros - ans * dqkm1_da) / qkm1
    state = while_loop(cond, body, (enabled, ans, creation.ones_like(x), y, z, _const(x, 0),
                                    pkm1, qkm1, creation.ones_like(x), x, zeros, zeros, zeros,
                                    dqkm1_da, dans_da))
    ans, dans_da = state[1], state[14]
    dlogax_da = ufuncs.log(x) - digamma(a)
    return ufuncs.negative(dans_da + ans * dlogax_da) * x
