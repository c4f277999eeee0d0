"""Special functions as primitives, as in ``jax.lax``: erf, erfc, lgamma, digamma,
polygamma, zeta, igamma, igammac, igamma_grad_a, regularized_incomplete_beta (``betainc``),
bessel_i0e and bessel_i1e.

Their impls are the NumPy kernels of ``special_kernels.py``, computed in float64 and
rounded once to the operands' dtype. Their jvp rules are JAX's (the literature's
derivatives), written with primitives so that they differentiate again:

* d erf(x) = 2/sqrt(pi) exp(-x^2) dx, d erfc(x) = -d erf(x);
* d lgamma(x) = digamma(x) dx, d digamma(x) = polygamma(1, x) dx,
  d polygamma(m, x) = polygamma(m + 1, x) dx (no derivative in the integer order ``m``);
* d zeta(s, q) = -s zeta(s + 1, q) dq (none in ``s``: JAX's needs a series of its own);
* d igamma(a, x) = igamma_grad_a(a, x) da + exp(-x + (a - 1) log x - lgamma(a)) dx, and
  igammac's is its negative; d igamma_grad_a(a, x) / dx = that same density times
  ``log x - digamma(a)`` (its derivative in ``a`` is not implemented, as in JAX);
* d betainc(a, b, x) = x^(a-1) (1-x)^(b-1) / B(a, b) dx (none in ``a`` or ``b``, as in JAX);
* d i0e(x) = (i1e(x) - sign(x) i0e(x)) dx, d i1e(x) = (i0e(x) - i1e(x) (sign(x) + 1/x)) dx
  (1/2 at 0).
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ..core.primitive import NOT_LINEAR, Primitive, Zero
from ..core.trace import aval_of
from . import special_kernels as kernels
from .combinators import FLOAT, nary_shape_rule, unary_shape_rule, vectorized_batch
from .comparison import gt, select_n
from .elementwise import (
    abs_p,
    add,
    add_tangents,
    div,
    exp,
    full_like,
    log,
    log1p_p,
    mul,
    neg,
    scalar_like,
    sign_p,
    sub,
)
from .structural import broadcast_batch


def _in_float64(kernel: Callable[..., np.ndarray]) -> Callable[..., list]:
    """The impl computing ``kernel`` in float64 and rounding once to the operands' dtype."""

    def impl(*operands):
        dtype = np.result_type(*operands)
        wide = [np.asarray(v, np.float64) for v in operands]
        return [np.asarray(kernel(*wide), dtype)]

    return impl


def _unary(name: str, kernel: Callable, derivative: Callable) -> Primitive:
    """A one-operand special function; ``derivative(x, y)`` is dy/dx, with ``y`` its value."""

    def jvp(primals, tangents, outs):
        (t,), (y,) = tangents, outs
        if type(t) is Zero:
            return [Zero(aval_of(y))]
        return [mul(t, derivative(primals[0], y))]

    prim = Primitive(name, impl=_in_float64(kernel), abstract_eval=unary_shape_rule(name, FLOAT),
                     jvp=jvp, transpose=NOT_LINEAR, batch=vectorized_batch(lambda: prim))
    return prim


def _nary(name: str, kernel: Callable, partials: Callable) -> Primitive:
    """An n-operand special function; ``partials(operands, y)`` gives, per operand, a
    function of nothing returning dy/d(operand), so only the needed ones are built."""

    def jvp(primals, tangents, outs):
        (y,) = outs
        slopes = partials(primals, y)
        terms = [None if type(t) is Zero else mul(t, slope())
                 for t, slope in zip(tangents, slopes, strict=True)]
        return [add_tangents(terms, y)]

    prim = Primitive(name, impl=_in_float64(kernel), abstract_eval=nary_shape_rule(name, FLOAT),
                     jvp=jvp, transpose=NOT_LINEAR, batch=broadcast_batch(lambda: prim))
    return prim


def _not_differentiable(message: str, error: type = NotImplementedError) -> Callable:
    def raise_error():
        raise error(message)

    return raise_error


def _sign(x: Any) -> Any:
    return sign_p.bind1(x)


# ---------------------------------------------------------------- erf, erfc
# d erf(x) = 2/sqrt(pi) exp(-x^2) dx


def _erf_slope(x: Any, y: Any) -> Any:
    return mul(scalar_like(2 / math.sqrt(math.pi), x), exp(neg(mul(x, x))))


erf_p = _unary("erf", kernels.erf, _erf_slope)
erfc_p = _unary("erfc", kernels.erfc, lambda x, y: neg(_erf_slope(x, y)))

# ---------------------------------------------------------------- lgamma, digamma, polygamma
# d lgamma = digamma dx; d digamma = polygamma(1, x) dx; d polygamma(m, x) = polygamma(m+1, x) dx

lgamma_p = _unary("lgamma", kernels.lgamma, lambda x, y: digamma(x))
digamma_p = _unary("digamma", kernels.digamma,
                   lambda x, y: polygamma(scalar_like(1, x), x))
polygamma_p = _nary("polygamma", kernels.polygamma, lambda ops, y: (
    _not_differentiable("polygamma gradient with respect to m is not supported", ValueError),
    lambda: polygamma(add(ops[0], scalar_like(1, ops[0])), ops[1])))

# ---------------------------------------------------------------- zeta
# d zeta(s, q) = -s zeta(s + 1, q) dq

zeta_p = _nary("zeta", kernels.zeta, lambda ops, y: (
    _not_differentiable("jvp rule for primitive 'zeta' is not implemented with respect to "
                        "its first operand (the exponent)"),
    lambda: neg(mul(ops[0], zeta(add(ops[0], scalar_like(1, ops[0])), ops[1])))))

# ---------------------------------------------------------------- incomplete gamma
# d igamma(a, x) = igamma_grad_a(a, x) da + x^(a-1) exp(-x) / Gamma(a) dx


def _gamma_density(a: Any, x: Any) -> Any:
    """x^(a-1) exp(-x) / Gamma(a): d igamma(a, x) / dx."""
    return exp(sub(sub(mul(sub(a, scalar_like(1, a)), log(x)), x), lgamma(a)))


igamma_p = _nary("igamma", kernels.igamma, lambda ops, y: (
    lambda: igamma_grad_a(*ops), lambda: _gamma_density(*ops)))
igammac_p = _nary("igammac", kernels.igammac, lambda ops, y: (
    lambda: neg(igamma_grad_a(*ops)), lambda: neg(_gamma_density(*ops))))
# d/dx of dP/da = d/da of dP/dx = the density times (log x - digamma(a))
igamma_grad_a_p = _nary("igamma_grad_a", kernels.igamma_grad_a, lambda ops, y: (
    _not_differentiable("jvp rule for primitive 'igamma_grad_a' is not implemented with "
                        "respect to a (the second derivative of igamma in a)"),
    lambda: mul(_gamma_density(*ops), sub(log(ops[1]), digamma(ops[0])))))

# ---------------------------------------------------------------- regularized incomplete beta
# d betainc(a, b, x) = x^(a-1) (1-x)^(b-1) / B(a, b) dx


def _beta_density(a: Any, b: Any, x: Any) -> Any:
    log_beta = sub(add(lgamma(a), lgamma(b)), lgamma(add(a, b)))
    one = scalar_like(1, x)
    return exp(sub(add(mul(sub(b, one), log1p_p.bind1(neg(x))), mul(sub(a, one), log(x))),
                   log_beta))


_BETAINC_AB = _not_differentiable("Betainc gradient with respect to a and b not supported.",
                                  ValueError)
regularized_incomplete_beta_p = _nary(
    "regularized_incomplete_beta", kernels.betainc,
    lambda ops, y: (_BETAINC_AB, _BETAINC_AB, lambda: _beta_density(*ops)))

# ---------------------------------------------------------------- bessel_i0e, bessel_i1e
# d i0e(x) = (i1e(x) - sign(x) i0e(x)) dx; d i1e(x) = (i0e(x) - i1e(x) (sign(x) + 1/x)) dx


def _i1e_slope(x: Any, y: Any) -> Any:
    # at |x| <= eps the limit 1/2 (1/x would overflow); x is replaced there so that no
    # branch divides by zero
    eps = float(np.finfo(aval_of(x).dtype).eps)
    not_tiny = gt(abs_p.bind1(x), scalar_like(eps, x))
    safe_x = select_n(not_tiny, full_like(eps, x), x)
    slope = sub(bessel_i0e(safe_x), mul(y, add(_sign(safe_x), div(scalar_like(1, x), safe_x))))
    return select_n(not_tiny, full_like(0.5, x), slope)


bessel_i0e_p = _unary("bessel_i0e", kernels.i0e,
                      lambda x, y: sub(bessel_i1e(x), mul(_sign(x), y)))
bessel_i1e_p = _unary("bessel_i1e", kernels.i1e, _i1e_slope)


# ---------------------------------------------------------------- the functions


def erf(x: Any) -> Any:
    """The error function, elementwise."""
    return erf_p.bind1(x)


def erfc(x: Any) -> Any:
    """``1 - erf(x)``, accurate where erf(x) is close to 1."""
    return erfc_p.bind1(x)


def lgamma(x: Any) -> Any:
    """``log |Gamma(x)|``."""
    return lgamma_p.bind1(x)


def digamma(x: Any) -> Any:
    """``d lgamma(x) / dx`` (nan at the poles 0, -1, -2, ...)."""
    return digamma_p.bind1(x)


def polygamma(m: Any, x: Any) -> Any:
    """The ``m``-th derivative of digamma (``m`` a float holding an integer)."""
    return polygamma_p.bind1(m, x)


def zeta(s: Any, q: Any) -> Any:
    """Hurwitz's zeta function ``sum_k (q + k)^-s``."""
    return zeta_p.bind1(s, q)


def igamma(a: Any, x: Any) -> Any:
    """The regularized lower incomplete gamma function ``P(a, x)``."""
    return igamma_p.bind1(a, x)


def igammac(a: Any, x: Any) -> Any:
    """The regularized upper incomplete gamma function ``Q(a, x) = 1 - P(a, x)``."""
    return igammac_p.bind1(a, x)


def igamma_grad_a(a: Any, x: Any) -> Any:
    """``d P(a, x) / da``."""
    return igamma_grad_a_p.bind1(a, x)


def betainc(a: Any, b: Any, x: Any) -> Any:
    """The regularized incomplete beta function ``I_x(a, b)``."""
    return regularized_incomplete_beta_p.bind1(a, b, x)


def bessel_i0e(x: Any) -> Any:
    """``exp(-|x|) I0(x)``, the exponentially scaled modified Bessel function of order 0."""
    return bessel_i0e_p.bind1(x)


def bessel_i1e(x: Any) -> Any:
    """``exp(-|x|) I1(x)``, the exponentially scaled modified Bessel function of order 1."""
    return bessel_i1e_p.bind1(x)
