"""``jaxlite.scipy.special``: SciPy's special functions, as ``jax.scipy.special`` has them.

The transcendental ones are primitives (``primitives/special_functions.py``), the rest
compose them. Where JAX gives a function its own derivative rule (``logit``, ``xlogy``,
``xlog1py``, ``entr``, ``log_ndtr``, ``ndtri``) so that it stays finite at the edges,
this module does the same with ``custom_jvp``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...core import dtypes
from ...core.trace import aval_of
from ...primitives import elementwise as ew
from ...primitives import special_functions as sf
from ...primitives.custom_rules import custom_jvp
from ...primitives.special import erf_inv
from .. import creation, manipulation, reductions, ufuncs
from .._util import as_operand, broadcast_arrays, promote_inexact
from ..gamma_functions import quiet
from ..softmax import log_softmax, logsumexp, softmax


def _float_args(name: str, *args: Any) -> list[Any]:
    """The operands promoted to one inexact dtype and broadcast to one shape."""
    args = promote_inexact(*(as_operand(a, name) for a in args))
    if any(aval_of(a).dtype.kind == "c" for a in args):
        raise ValueError(f"{name} does not support complex-valued inputs.")
    return broadcast_arrays(*args, name=name) if len(args) > 1 else args


# ---------------------------------------------------------------- error functions


def erf(x: Any) -> Any:
    """The error function ``2/sqrt(pi) integral_0^x exp(-t^2) dt``."""
    return sf.erf(*_float_args("erf", x))


def erfc(x: Any) -> Any:
    """The complementary error function ``1 - erf(x)``."""
    return sf.erfc(*_float_args("erfc", x))


def erfinv(x: Any) -> Any:
    """The inverse of ``erf`` on (-1, 1) (+-inf at +-1)."""
    return erf_inv(*_float_args("erfinv", x))


def ndtr(x: Any) -> Any:
    """The standard normal CDF, from erf near 0 and erfc in the tails."""
    (x,) = _float_args("ndtr", x)
    return _ndtr(x)


def _ndtr(x: Any) -> Any:
    half_sqrt2 = 0.5 * math.sqrt(2)
    w = ufuncs.multiply(x, half_sqrt2)
    z = ufuncs.abs(w)
    tail = manipulation.where(ufuncs.greater(w, 0), ufuncs.subtract(2.0, sf.erfc(z)), sf.erfc(z))
    y = manipulation.where(ufuncs.less(z, half_sqrt2), ufuncs.add(1.0, sf.erf(w)), tail)
    return ufuncs.multiply(0.5, y)


_LOG_NDTR_BOUNDS = {np.dtype(np.float64): (-20.0, 8.0), np.dtype(np.float32): (-10.0, 5.0)}
_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


def _check_log_ndtr_dtype(name: str, x: Any) -> np.dtype:
    dtype = aval_of(x).dtype
    if dtype not in _LOG_NDTR_BOUNDS:
        raise TypeError(f"x.dtype={dtype} is not supported.")
    return dtype


@quiet
def log_ndtr(x: Any, series_order: int = 3) -> Any:
    """``log(ndtr(x))``, accurate in both tails: ``-ndtr(-x)`` (by log1p) far right, the
    asymptotic series ``-x^2/2 - log(-x) - log(2 pi)/2 + log(1 + sum ...)`` far left.

    Its derivative is ``exp(norm.logpdf(x) - log_ndtr(x))``, finite everywhere."""
    if not isinstance(series_order, int) or isinstance(series_order, bool):
        raise TypeError("series_order must be a Python integer.")
    if series_order < 0:
        raise ValueError("series_order must be non-negative.")
    if series_order > 30:
        raise ValueError("series_order must be <= 30.")
    (x,) = _float_args("log_ndtr", x)
    _check_log_ndtr_dtype("log_ndtr", x)
    return _log_ndtr(x, series_order)


def _log_ndtr_value(x: Any, series_order: int) -> Any:
    lower, upper = _LOG_NDTR_BOUNDS[aval_of(x).dtype]
    right = ufuncs.greater(x, upper)
    ndtr_value = _ndtr(manipulation.where(right, ufuncs.negative(x), ufuncs.maximum(x, lower)))
    middle = manipulation.where(ufuncs.greater(x, lower), ufuncs.log(ndtr_value),
                                _log_ndtr_lower(ufuncs.minimum(x, lower), series_order))
    return manipulation.where(right, ufuncs.log1p(ufuncs.negative(ndtr_value)), middle)


def _log_ndtr_jvp(series_order, primals, tangents):
    (x,), (t,) = primals, tangents
    y = _log_ndtr(x, series_order)
    return y, ufuncs.multiply(t, ufuncs.exp(ufuncs.subtract(_norm_logpdf(x), y)))


_log_ndtr = custom_jvp(_log_ndtr_value, nondiff_argnums=(1,))
_log_ndtr.defjvp(_log_ndtr_jvp)


def _norm_logpdf(x: Any) -> Any:
    return ufuncs.subtract(ufuncs.multiply(-0.5, ufuncs.square(x)), _LOG_SQRT_2PI)


def _log_ndtr_lower(x: Any, series_order: int) -> Any:
    """The asymptotic series of log(ndtr(x)) for x << -1."""
    x2 = ufuncs.square(x)
    log_scale = ufuncs.subtract(ufuncs.subtract(ufuncs.multiply(-0.5, x2),
                                                ufuncs.log(ufuncs.negative(x))), _LOG_SQRT_2PI)
    total, power, double_factorial = ufuncs.multiply(x, 0.0), x2, 1.0
    for n in range(1, series_order + 1):
        double_factorial *= 2 * n - 1
        term = ufuncs.divide(double_factorial, power)
        total = ufuncs.add(total, term) if n % 2 == 0 else ufuncs.subtract(total, term)
        power = ufuncs.multiply(power, x2)
    return ufuncs.add(log_scale, ufuncs.log1p(total))


@quiet
def ndtri(p: Any) -> Any:
    """The inverse of ``ndtr``: the x with ``ndtr(x) = p`` (-inf at 0, inf at 1, nan outside).

    Computed from Abramowitz and Stegun's 26.2.23 starting value by Newton steps on
    ``log_ndtr(x) = log(p)``; its derivative is ``sqrt(2 pi) exp(x^2 / 2)``."""
    (p,) = _float_args("ndtri", p)
    _check_log_ndtr_dtype("ndtri", p)
    return _ndtri(p)


@custom_jvp
@quiet
def _ndtri(p: Any) -> Any:
    tail = ufuncs.minimum(p, ufuncs.subtract(1.0, p))  # the smaller tail, in (0, 1/2]
    safe = manipulation.where(ufuncs.greater(tail, 0), tail, 0.25)
    t = ufuncs.sqrt(ufuncs.multiply(-2.0, ufuncs.log(safe)))
    numerator = ufuncs.add(2.515517, ufuncs.multiply(t, ufuncs.add(0.802853,
                                                                   ufuncs.multiply(0.010328, t))))
    denominator = ufuncs.add(1.0, ufuncs.multiply(t, ufuncs.add(1.432788, ufuncs.multiply(
        t, ufuncs.add(0.189269, ufuncs.multiply(0.001308, t))))))
    x = ufuncs.subtract(ufuncs.divide(numerator, denominator), t)  # within 4.5e-4
    log_target = ufuncs.log(safe)
    for _ in range(4):  # Newton on log ndtr: quadratic convergence, from both sides
        y = _log_ndtr(x, 3)
        x = ufuncs.subtract(x, ufuncs.multiply(ufuncs.subtract(y, log_target),
                                               ufuncs.exp(ufuncs.subtract(y, _norm_logpdf(x)))))
    x = manipulation.where(ufuncs.greater(p, 0.5), ufuncs.negative(x), x)
    x = manipulation.where(ufuncs.equal(p, 0), -np.inf, manipulation.where(
        ufuncs.equal(p, 1), np.inf, x))
    outside = ufuncs.logical_or(ufuncs.less(p, 0), ufuncs.greater(p, 1))
    return manipulation.where(ufuncs.logical_or(outside, ufuncs.isnan(p)), np.nan, x)


@_ndtri.defjvp
def _ndtri_jvp(primals, tangents):
    (p,), (t,) = primals, tangents
    x = _ndtri(p)
    slope = ufuncs.exp(ufuncs.add(_LOG_SQRT_2PI, ufuncs.multiply(0.5, ufuncs.square(x))))
    return x, ufuncs.multiply(t, slope)


# ---------------------------------------------------------------- logistic


def expit(x: Any) -> Any:
    """The logistic sigmoid ``1 / (1 + exp(-x))``."""
    (x,) = _float_args("expit", x)
    return ew.logistic_p.bind1(x)


@custom_jvp
@quiet
def logit(x: Any) -> Any:
    """``log(x / (1 - x))``, the inverse of ``expit``; its derivative is ``1 / (x (1 - x))``."""
    (x,) = _float_args("logit", x)
    return ufuncs.log(ufuncs.divide(x, ufuncs.subtract(1, x)))


@logit.defjvp
def _logit_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    (x,) = _float_args("logit", x)
    return logit(x), ufuncs.divide(t, ufuncs.multiply(x, ufuncs.subtract(1, x)))


# ---------------------------------------------------------------- x log y


@custom_jvp
@quiet
def xlogy(x: Any, y: Any) -> Any:
    """``x * log(y)``, 0 where ``x == 0`` (unless y is nan); its derivative is
    ``log(y) dx + x / y dy``."""
    x, y = _float_args("xlogy", x, y)
    keep = ufuncs.logical_or(ufuncs.not_equal(x, 0), ufuncs.isnan(y))
    return manipulation.where(keep, ufuncs.multiply(x, ufuncs.log(y)), 0)


@xlogy.defjvp
def _xlogy_jvp(primals, tangents):
    x, y = _float_args("xlogy", *primals)
    tx, ty = tangents
    out = xlogy(x, y)
    slope = ufuncs.add(ufuncs.multiply(tx, ufuncs.log(y)), ufuncs.divide(ufuncs.multiply(ty, x), y))
    return out, slope.astype(aval_of(out).dtype)


@custom_jvp
@quiet
def xlog1py(x: Any, y: Any) -> Any:
    """``x * log1p(y)``, 0 where ``x == 0`` (unless y is nan); its derivative is
    ``log1p(y) dx + x / (1 + y) dy``."""
    x, y = _float_args("xlog1py", x, y)
    keep = ufuncs.logical_or(ufuncs.not_equal(x, 0), ufuncs.isnan(y))
    return manipulation.where(keep, ufuncs.multiply(x, ufuncs.log1p(y)), 0)


@xlog1py.defjvp
def _xlog1py_jvp(primals, tangents):
    x, y = _float_args("xlog1py", *primals)
    tx, ty = tangents
    out = xlog1py(x, y)
    slope = ufuncs.add(ufuncs.multiply(tx, ufuncs.log1p(y)),
                       ufuncs.divide(ufuncs.multiply(ty, x), ufuncs.add(1, y)))
    return out, slope.astype(aval_of(out).dtype)


@custom_jvp
@quiet
def _xlogx(x: Any) -> Any:
    return xlogy(x, x)


@_xlogx.defjvp
def _xlogx_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return _xlogx(x), ufuncs.multiply(t, ufuncs.add(ufuncs.log(x), 1))


@quiet
def entr(x: Any) -> Any:
    """``-x log x`` for x > 0, 0 at 0, -inf below."""
    (x,) = _float_args("entr", x)
    return manipulation.where(ufuncs.less(x, 0), -np.inf, ufuncs.negative(_xlogx(x)))


# ---------------------------------------------------------------- gamma and friends


def gammaln(x: Any) -> Any:
    """``log |Gamma(x)|``."""
    return sf.lgamma(*_float_args("gammaln", x))


@quiet
def gammasgn(x: Any) -> Any:
    """The sign of Gamma(x): nan at the poles and nan, -1 where negative (and at -0.0)."""
    (x,) = _float_args("gammasgn", x)
    floor_x = ufuncs.floor(x)
    negative = ufuncs.less(x, 0)
    nan = ufuncs.logical_or(ufuncs.logical_and(negative, ufuncs.equal(x, floor_x)),
                            ufuncs.isnan(x))
    odd = ufuncs.not_equal(ufuncs.remainder(floor_x, 2), 0)
    minus = ufuncs.logical_or(ufuncs.logical_and(negative, odd),
                              ufuncs.logical_and(ufuncs.equal(x, 0), ufuncs.signbit(x)))
    return manipulation.where(nan, np.nan, manipulation.where(minus, -1.0, creation.ones_like(x)))


@quiet
def gamma(x: Any) -> Any:
    """The gamma function, ``gammasgn(x) exp(gammaln(x))``."""
    (x,) = _float_args("gamma", x)
    return ufuncs.multiply(gammasgn(x), ufuncs.exp(sf.lgamma(x)))


def digamma(x: Any) -> Any:
    """The digamma function ``d gammaln(x) / dx`` (nan at 0, -1, -2, ...)."""
    return sf.digamma(*_float_args("digamma", x))


def polygamma(n: Any, x: Any) -> Any:
    """The ``n``-th derivative of digamma; ``n`` must be of integer dtype."""
    n = as_operand(n, "polygamma")
    if not dtypes.is_integer(aval_of(n).dtype):
        raise ValueError(f"Argument `n` to polygamma must be of integer type. Got dtype "
                         f"{aval_of(n).dtype}.")
    return sf.polygamma(*_float_args("polygamma", n, x))


def betaln(a: Any, b: Any) -> Any:
    """``log |B(a, b)|``, from gammaln."""
    a, b = _float_args("betaln", a, b)
    return ufuncs.subtract(ufuncs.add(sf.lgamma(a), sf.lgamma(b)), sf.lgamma(ufuncs.add(a, b)))


@quiet
def beta(a: Any, b: Any) -> Any:
    """The beta function ``Gamma(a) Gamma(b) / Gamma(a + b)``."""
    a, b = _float_args("beta", a, b)
    sign = ufuncs.multiply(ufuncs.multiply(gammasgn(a), gammasgn(b)), gammasgn(ufuncs.add(a, b)))
    return ufuncs.multiply(sign, ufuncs.exp(betaln(a, b)))


def betainc(a: Any, b: Any, x: Any) -> Any:
    """The regularized incomplete beta function (differentiable in ``x`` only, as in JAX)."""
    return sf.betainc(*_float_args("betainc", a, b, x))


def gammainc(a: Any, x: Any) -> Any:
    """The regularized lower incomplete gamma function ``P(a, x)``."""
    return sf.igamma(*_float_args("gammainc", a, x))


def gammaincc(a: Any, x: Any) -> Any:
    """The regularized upper incomplete gamma function ``Q(a, x) = 1 - P(a, x)``."""
    return sf.igammac(*_float_args("gammaincc", a, x))


def zeta(x: Any, q: Any = None) -> Any:
    """Hurwitz's zeta function ``sum_k (k + q)^-x`` (differentiable in ``q``)."""
    if q is None:
        raise NotImplementedError("Riemann zeta function not implemented; pass q != None to "
                                  "compute the Hurwitz Zeta function.")
    return sf.zeta(*_float_args("zeta", x, q))


def multigammaln(a: Any, d: int) -> Any:
    """``log`` of the multivariate gamma function of dimension ``d`` (a concrete int)."""
    d = int(d)
    (a,) = _float_args("multigammaln", a)
    constant = 0.25 * d * (d - 1) * math.log(math.pi)
    halves = creation.arange(d, dtype=aval_of(a).dtype) / 2
    terms = sf.lgamma(ufuncs.subtract(manipulation.expand_dims(a, -1), halves))
    return ufuncs.add(reductions.sum(terms, -1), constant)


@quiet
def factorial(n: Any, exact: bool = False) -> Any:
    """``n!`` as ``exp(gammaln(n + 1))``, 0 for negative ``n`` (``exact=True`` is not
    supported, as in JAX)."""
    if exact:
        raise NotImplementedError("factorial with exact=True")
    (n,) = _float_args("factorial", n)
    return manipulation.where(ufuncs.less(n, 0), 0, ufuncs.exp(sf.lgamma(ufuncs.add(n, 1))))


# ---------------------------------------------------------------- Bessel functions


def i0e(x: Any) -> Any:
    """``exp(-|x|) I0(x)``."""
    return sf.bessel_i0e(*_float_args("i0e", x))


@quiet
def i0(x: Any) -> Any:
    """The modified Bessel function of the first kind of order 0."""
    (x,) = _float_args("i0", x)
    return ufuncs.multiply(ufuncs.exp(ufuncs.abs(x)), sf.bessel_i0e(x))


def i1e(x: Any) -> Any:
    """``exp(-|x|) I1(x)``."""
    return sf.bessel_i1e(*_float_args("i1e", x))


@quiet
def i1(x: Any) -> Any:
    """The modified Bessel function of the first kind of order 1."""
    (x,) = _float_args("i1", x)
    return ufuncs.multiply(ufuncs.exp(ufuncs.abs(x)), sf.bessel_i1e(x))


__all__ = [
    "beta", "betainc", "betaln", "digamma", "entr", "erf", "erfc", "erfinv", "expit",
    "factorial", "gamma", "gammainc", "gammaincc", "gammaln", "gammasgn", "i0", "i0e", "i1",
    "i1e", "log_ndtr", "log_softmax", "logit", "logsumexp", "multigammaln", "ndtr", "ndtri",
    "polygamma", "softmax", "xlog1py", "xlogy", "zeta",
]
