"""Elementwise arithmetic: neg add sub mul div rem max min, powers, exp/log, trigonometry
and its inverses, hyperbolic functions and their inverses, cbrt, atan2.

Operands of n-ary ops share one dtype and one shape, except that a scalar operand
broadcasts (this is how literals such as ``3.0:f32[]`` appear). Each jvp rule is
written with these same primitives, so derivatives of any order come for free.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import numpy as np

from ..core.avals import shaped_array
from ..core.cache import bounded_cache, cache_put
from ..core.ir import Literal
from ..core.primitive import NOT_LINEAR, Lowering, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from .combinators import (
    FLOAT,
    INEXACT,
    INTEGER,
    NUMBER,
    REAL,
    is_kind,
    linear_jvp,
    nary_shape_rule,
    shape_error,
    ufunc_impl,
    ufunc_lowering,
    unary_shape_rule,
    vectorized_batch,
)
from .comparison import and_p, eq, ge, gt, lt, select_n
from .complex_parts import conj, real
from .structural import (
    add_transpose,
    broadcast_batch,
    broadcast_in_dim,
    convert_element_type,
    unbroadcast,
)


def scalar_like(value: float, x: Any) -> Literal:
    """The literal ``value`` with the dtype and weak type of ``x``."""
    aval = aval_of(x)
    key = (value, aval.dtype, aval.weak_type)
    literal = _scalar_literals.get(key)
    if literal is None:
        literal = Literal(np.asarray(value, aval.dtype)[()],
                          shaped_array((), aval.dtype, aval.weak_type))
        if value != 0:  # (-0.0 == 0.0: zeros are not kept)
            cache_put(_scalar_literals, key, literal)
    return literal


_scalar_literals: dict[tuple, Literal] = bounded_cache(f"{__name__}._scalar_literals",
                                                       4096)


def add_tangents(terms: Sequence[Any], out: Any) -> Any:
    """The sum of the tangent terms that are not None; a symbolic Zero like ``out`` if none."""
    if len(terms) == 2:  # (the binary ops' case, without building a list)
        a, b = terms
        if a is None:
            return b if b is not None else Zero(aval_of(out))
        return a if b is None else add(a, b)
    present = [t for t in terms if t is not None]
    return functools.reduce(add, present) if present else Zero(aval_of(out))


def _unary(name: str, np_fn: Callable, kind: str, derivative: Callable | None) -> Primitive:
    """A one-operand elementwise op; ``derivative(x, y)`` is dy/dx, or None if it is zero."""

    def jvp(primals, tangents, outs):
        (t,) = tangents
        if type(t) is Zero or derivative is None:
            return [Zero(aval_of(outs[0]))]
        return [mul(t, derivative(primals[0], outs[0]))]

    is_ufunc = isinstance(np_fn, np.ufunc)
    impl = ufunc_impl(np_fn) if is_ufunc else (lambda x: [np_fn(x)])
    prim = Primitive(name, impl=impl, abstract_eval=unary_shape_rule(name, kind),
                     jvp=jvp, transpose=NOT_LINEAR, batch=vectorized_batch(lambda: prim),
                     lower=ufunc_lowering(np_fn) if is_ufunc else None)
    return prim


def _logistic(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)); for real x as exp(-log(1 + exp(-x))), which cannot overflow."""
    if x.dtype.kind == "c":
        return np.reciprocal(np.exp(-x) + 1)
    return np.exp(-np.logaddexp(0, -x))


# d sin x = cos x dx, and so on; y is the primal output
sin_p = _unary("sin", np.sin, INEXACT, lambda x, y: cos(x))
cos_p = _unary("cos", np.cos, INEXACT, lambda x, y: neg(sin(x)))
tan_p = _unary("tan", np.tan, INEXACT, lambda x, y: add(scalar_like(1, y), mul(y, y)))
tanh_p = _unary("tanh", np.tanh, INEXACT, lambda x, y: sub(scalar_like(1, y), mul(y, y)))
exp_p = _unary("exp", np.exp, INEXACT, lambda x, y: y)
expm1_p = _unary("expm1", np.expm1, INEXACT, lambda x, y: add(y, scalar_like(1, y)))
log_p = _unary("log", np.log, INEXACT, lambda x, y: div(scalar_like(1, x), x))
log1p_p = _unary("log1p", np.log1p, INEXACT, lambda x, y: div(scalar_like(1, x), add(x, scalar_like(1, x))))
sqrt_p = _unary("sqrt", np.sqrt, INEXACT, lambda x, y: div(scalar_like(0.5, y), y))
rsqrt_p = _unary("rsqrt", lambda x: 1 / np.sqrt(x), INEXACT,
                 lambda x, y: mul(scalar_like(-0.5, y), div(y, x)))
logistic_p = _unary("logistic", lambda x: _logistic(np.asarray(x)), INEXACT,
                    lambda x, y: mul(y, sub(scalar_like(1, y), y)))
asin_p = _unary("asin", np.arcsin, INEXACT,
                lambda x, y: rsqrt(sub(scalar_like(1, x), mul(x, x))))
acos_p = _unary("acos", np.arccos, INEXACT,
                lambda x, y: neg(rsqrt(sub(scalar_like(1, x), mul(x, x)))))
atan_p = _unary("atan", np.arctan, INEXACT,
                lambda x, y: div(scalar_like(1, x), add(scalar_like(1, x), mul(x, x))))
sinh_p = _unary("sinh", np.sinh, INEXACT, lambda x, y: cosh_p.bind1(x))
cosh_p = _unary("cosh", np.cosh, INEXACT, lambda x, y: sinh_p.bind1(x))
asinh_p = _unary("asinh", np.arcsinh, INEXACT,
                 lambda x, y: rsqrt(add(mul(x, x), scalar_like(1, x))))
acosh_p = _unary("acosh", np.arccosh, INEXACT,  # 1 / sqrt((x - 1)(x + 1)), exact near 1
                 lambda x, y: rsqrt(mul(sub(x, scalar_like(1, x)), add(x, scalar_like(1, x)))))
atanh_p = _unary("atanh", np.arctanh, INEXACT,
                 lambda x, y: div(scalar_like(1, x), sub(scalar_like(1, x), mul(x, x))))
cbrt_p = _unary("cbrt", np.cbrt, FLOAT,  # d x^(1/3) = 1 / (3 y^2) dx
                lambda x, y: div(scalar_like(1 / 3, y), mul(y, y)))
sign_p = _unary("sign", lambda x: np.where(x == 0, x, np.sign(x)), NUMBER, None)  # keeps -0.0
floor_p = _unary("floor", np.floor, FLOAT, None)
ceil_p = _unary("ceil", np.ceil, FLOAT, None)
round_p = _unary("round", np.round, FLOAT, None)  # half to even, like jnp.round
stop_gradient_p = _unary("stop_gradient", lambda x: x, NUMBER, None)
stop_gradient_p.lower = lambda in_avals, out_avals: Lowering("{0}")  # the operand itself


# ---------------------------------------------------------------- abs
# d|x| = sign(x) dx, taking the derivative at 0 to be 1 as JAX does; |z| of a complex z is
# real, and its derivative is JAX's: Re(conj(z) dz) / |z|

_abs_number_shape = unary_shape_rule("abs")


def _abs_shape(x):
    if x.dtype.kind == "c":
        return [shaped_array(x.shape, np.finfo(x.dtype).dtype, x.weak_type)]
    return _abs_number_shape(x)


def _abs_jvp(primals, tangents, outs):
    (x,), (t,) = primals, tangents
    if type(t) is Zero:
        return [Zero(aval_of(outs[0]))]
    if aval_of(x).dtype.kind == "c":  # d|z| = Re(conj(z) dz) / |z|, taken as 0 at z = 0
        y = outs[0]
        nonzero_abs = select_n(eq(y, scalar_like(0, y)), y, full_like(1, y))
        direction = div(conj(x), convert_element_type(nonzero_abs, aval_of(x).dtype))
        return [real(mul(t, direction))]
    return [select_n(ge(x, scalar_like(0, x)), neg(t), t)]


abs_p = Primitive("abs", impl=ufunc_impl(np.abs), abstract_eval=_abs_shape, jvp=_abs_jvp,
                  transpose=NOT_LINEAR, batch=vectorized_batch(lambda: abs_p),
                  lower=ufunc_lowering(np.abs))


# ---------------------------------------------------------------- neg
# d(-x) = -dx; linear

neg_p = Primitive("neg", impl=ufunc_impl(np.negative), abstract_eval=unary_shape_rule("neg"),
                  jvp=linear_jvp(lambda: neg_p), transpose=lambda cts, x: [neg(cts[0])],
                  batch=vectorized_batch(lambda: neg_p), lower=ufunc_lowering(np.negative, "-{0}"))


# ---------------------------------------------------------------- add, sub
# d(x + y) = dx + dy; d(x - y) = dx - dy; both linear


def _add_jvp(primals, tangents, outs):
    tx, ty = tangents
    if type(tx) is Zero:
        return [Zero(aval_of(outs[0])) if type(ty) is Zero else _broadcast_like(ty, outs[0])]
    return [_broadcast_like(tx, outs[0]) if type(ty) is Zero else add(tx, ty)]


def _sub_jvp(primals, tangents, outs):
    tx, ty = tangents
    if type(tx) is Zero:
        return [Zero(aval_of(outs[0])) if type(ty) is Zero else _broadcast_like(neg(ty), outs[0])]
    return [_broadcast_like(tx, outs[0]) if type(ty) is Zero else sub(tx, ty)]


def _broadcast_like(t: Any, out: Any) -> Any:
    """A tangent of a scalar operand, broadcast to the output's shape."""
    shape = aval_of(out).shape
    return t if aval_of(t).shape == shape else broadcast_in_dim(t, shape, ())


def full_like(value: float, x: Any) -> Any:
    """An array shaped like ``x`` filled with ``value`` (a literal when ``x`` is a scalar)."""
    literal = scalar_like(value, x)
    shape = aval_of(x).shape
    return literal if shape == () else broadcast_in_dim(literal, shape, ())


def _sub_transpose(cts, x, y):
    (ct,) = cts
    return [unbroadcast(ct, x.aval) if type(x) is UndefPrimal else None,
            unbroadcast(neg(ct), y.aval) if type(y) is UndefPrimal else None]


add_p = Primitive("add", impl=ufunc_impl(np.add), abstract_eval=nary_shape_rule("add"),
                  jvp=_add_jvp, transpose=add_transpose, batch=broadcast_batch(lambda: add_p),
                  lower=ufunc_lowering(np.add, "{0} + {1}"))
sub_p = Primitive("sub", impl=ufunc_impl(np.subtract),
                  abstract_eval=nary_shape_rule("sub"), jvp=_sub_jvp, transpose=_sub_transpose,
                  batch=broadcast_batch(lambda: sub_p),
                  lower=ufunc_lowering(np.subtract, "{0} - {1}"))


# ---------------------------------------------------------------- mul
# d(x y) = dx y + x dy; linear in either operand when the other is fixed


def _mul_jvp(primals, tangents, outs):
    (x, y), (tx, ty) = primals, tangents
    return [add_tangents([mul(tx, y) if type(tx) is not Zero else None,
                          mul(x, ty) if type(ty) is not Zero else None], outs[0])]


def _mul_transpose(cts, x, y):
    (ct,) = cts
    if type(x) is UndefPrimal and type(y) is UndefPrimal:
        raise NotImplementedError("transpose of mul of two linear operands: it is not linear")
    if type(x) is UndefPrimal:
        return [unbroadcast(mul(ct, y), x.aval), None]
    return [None, unbroadcast(mul(x, ct), y.aval)]


mul_p = Primitive("mul", impl=ufunc_impl(np.multiply),
                  abstract_eval=nary_shape_rule("mul"), jvp=_mul_jvp, transpose=_mul_transpose,
                  batch=broadcast_batch(lambda: mul_p),
                  lower=ufunc_lowering(np.multiply, "{0} * {1}"))


# ---------------------------------------------------------------- div
# d(x / y) = dx / y - dy x / y^2 = (dx - dy out) / y; linear in x


_true_divide = ufunc_impl(np.divide)


def _div_impl(x, y):
    if x.dtype.kind in "iu":  # integer division rounds toward zero, as in C
        quotient = np.floor_divide(x, y)
        fix = (np.remainder(x, y) != 0) & ((np.asarray(x) < 0) != (np.asarray(y) < 0))
        return [quotient + fix.astype(quotient.dtype)]
    return _true_divide(x, y)


_true_divide_lowering = ufunc_lowering(np.divide, "{0} / {1}")


def _div_lower(in_avals, out_avals):
    return None if in_avals[0].dtype.kind in "iu" else _true_divide_lowering(in_avals, out_avals)


def _div_jvp(primals, tangents, outs):
    (_, y), (tx, ty), (out,) = primals, tangents, outs
    return [add_tangents([div(tx, y) if type(tx) is not Zero else None,
                          neg(div(mul(ty, out), y)) if type(ty) is not Zero else None], out)]


def _div_transpose(cts, x, y):
    (ct,) = cts
    if type(y) is UndefPrimal:
        raise NotImplementedError("transpose of div with respect to its divisor: it is not linear")
    return [unbroadcast(div(ct, y), x.aval), None]


div_p = Primitive("div", impl=_div_impl, abstract_eval=nary_shape_rule("div"), jvp=_div_jvp,
                  transpose=_div_transpose,
                  batch=broadcast_batch(lambda: div_p), lower=_div_lower)


# ---------------------------------------------------------------- max, min
# the tangent follows the larger (smaller) operand; at ties each side gets half


def _balanced_eq(x: Any, out: Any, y: Any) -> Any:
    """1 where x alone attains out, 0.5 where x and y both do, 0 elsewhere."""
    one, zero, two = full_like(1, out), full_like(0, out), full_like(2, out)
    return div(select_n(eq(x, out), zero, one), select_n(eq(y, out), one, two))


def _max_min_jvp(primals, tangents, outs):
    (x, y), (tx, ty), (out,) = primals, tangents, outs
    return [add_tangents([mul(tx, _balanced_eq(x, out, y)) if type(tx) is not Zero else None,
                          mul(ty, _balanced_eq(y, out, x)) if type(ty) is not Zero else None], out)]


max_p = Primitive("max", impl=ufunc_impl(np.maximum),
                  abstract_eval=nary_shape_rule("max"), jvp=_max_min_jvp, transpose=NOT_LINEAR,
                  batch=broadcast_batch(lambda: max_p), lower=ufunc_lowering(np.maximum))
min_p = Primitive("min", impl=ufunc_impl(np.minimum),
                  abstract_eval=nary_shape_rule("min"), jvp=_max_min_jvp, transpose=NOT_LINEAR,
                  batch=broadcast_batch(lambda: min_p), lower=ufunc_lowering(np.minimum))


# ---------------------------------------------------------------- clamp
# clamp(lo, x, hi) = min(max(x, lo), hi), lo and hi scalars or of x's shape; the tangent is
# dx where lo < x < hi, d lo where x < lo < hi and d hi where hi < x (as JAX splits it)

_clamp_operands_shape = nary_shape_rule("clamp")


def _clamp_shape(lo, x, hi):
    for name, bound in (("min", lo), ("max", hi)):
        if bound.shape and bound.shape != x.shape:
            raise shape_error("clamp", f"requires {name}.shape == operand.shape or "
                              f"{name}.shape == ()", [lo, x, hi])
    return _clamp_operands_shape(lo, x, hi)


def _clamp_jvp(primals, tangents, outs):
    (lo, x, hi), (t_lo, t_x, t_hi), (out,) = primals, tangents, outs

    def where(t, taken):
        return None if type(t) is Zero else select_n(taken, full_like(0, out),
                                                     _broadcast_like(t, out))

    return [add_tangents([where(t_x, and_p.bind1(gt(x, lo), lt(x, hi))),
                          where(t_lo, and_p.bind1(gt(lo, x), lt(lo, hi))),
                          where(t_hi, lt(hi, x))], out)]


clamp_p = Primitive("clamp", impl=lambda lo, x, hi: [np.minimum(np.maximum(x, lo), hi)],
                    abstract_eval=_clamp_shape, jvp=_clamp_jvp, transpose=NOT_LINEAR,
                    batch=broadcast_batch(lambda: clamp_p),
                    lower=lambda in_avals, out_avals: _CLAMP)
_CLAMP = Lowering("np.minimum(np.maximum({1}, {0}), {2})", fresh=True)


# ---------------------------------------------------------------- integer_pow
# d x^n = n x^(n-1) dx


_integer_pow_number_shape = unary_shape_rule("integer_pow")


def _integer_pow_shape(x, *, y):
    if y < 0 and is_kind(INTEGER, x.dtype):
        raise shape_error("integer_pow", f"integers cannot be raised to negative powers, got "
                          f"y={y}", [x])
    return _integer_pow_number_shape(x)


def _integer_pow_jvp(primals, tangents, outs, *, y):
    (x,), (t,) = primals, tangents
    if type(t) is Zero or y == 0:
        return [Zero(aval_of(outs[0]))]
    power = x if y == 2 else integer_pow(x, y - 1)  # (x^1 is x, as JAX writes it)
    derivative = scalar_like(y, x) if y == 1 else mul(scalar_like(y, x), power)
    return [mul(t, derivative)]


def _integer_pow_impl(x, *, y):
    """XLA's product: square-and-multiply, a reciprocal for negative ``y`` (``np.power``
    calls the C library's pow, which rounds some products differently)."""
    x = np.asarray(x)
    if y == 2:
        return [np.square(x)]
    if y == 0:
        return [np.ones_like(x)]
    product, n = None, abs(y)
    while n:
        if n & 1:
            product = x if product is None else np.multiply(product, x)
        n >>= 1
        if n:
            x = np.square(x)
    if y > 0:
        return [product]
    # (XLA's complex 1/z: NumPy's complex reciprocal gives nan + nanj at 0, not inf + nanj)
    return [np.divide(np.ones((), product.dtype), product) if product.dtype.kind == "c"
            else np.reciprocal(product)]


integer_pow_p = Primitive("integer_pow", impl=_integer_pow_impl,
                          abstract_eval=_integer_pow_shape, jvp=_integer_pow_jvp,
                          transpose=NOT_LINEAR, batch=vectorized_batch(lambda: integer_pow_p),
                          lower=lambda in_avals, out_avals, *, y: (
                              Lowering(ufunc=np.square) if y == 2 else None))


# ---------------------------------------------------------------- pow
# d x^y = y x^(y-1) dx + log(x) x^y dy, with 0^0 treated so that d/dx x^1 = 1 and d/dy 0^y = 0


def _pow_jvp(primals, tangents, outs):
    (x, y), (tx, ty), (out,) = primals, tangents, outs
    term_x = term_y = None
    if type(tx) is not Zero:
        d_dx = mul(y, pow(x, sub(y, scalar_like(1, y))))
        term_x = mul(tx, select_n(eq(y, scalar_like(0, y)), d_dx, full_like(0, out)))
    if type(ty) is not Zero:
        safe_x = select_n(eq(x, scalar_like(0, x)), x, full_like(1, x))
        term_y = mul(ty, mul(log(safe_x), out))
    return [add_tangents([term_x, term_y], out)]


pow_p = Primitive("pow", impl=lambda x, y: [np.power(x, y)],
                  abstract_eval=nary_shape_rule("pow", INEXACT),
                  jvp=_pow_jvp, transpose=NOT_LINEAR,
                  batch=broadcast_batch(lambda: pow_p), lower=ufunc_lowering(np.power))


# ---------------------------------------------------------------- atan2
# d atan2(x, y) = (y dx - x dy) / (x^2 + y^2)


def _atan2_jvp(primals, tangents, outs):
    (x, y), (tx, ty), (out,) = primals, tangents, outs
    if type(tx) is Zero and type(ty) is Zero:
        return [Zero(aval_of(out))]
    r2 = add(mul(x, x), mul(y, y))
    return [add_tangents([mul(tx, div(y, r2)) if type(tx) is not Zero else None,
                          mul(ty, neg(div(x, r2))) if type(ty) is not Zero else None], out)]


atan2_p = Primitive("atan2", impl=ufunc_impl(np.arctan2),
                    abstract_eval=nary_shape_rule("atan2", FLOAT), jvp=_atan2_jvp,
                    transpose=NOT_LINEAR, batch=broadcast_batch(lambda: atan2_p),
                    lower=ufunc_lowering(np.arctan2))


# ---------------------------------------------------------------- rem
# rem(x, y) = x - y trunc(x / y), the sign of x (C's fmod); d rem = dx - trunc(x / y) dy


def _rem_jvp(primals, tangents, outs):
    (x, y), (tx, ty), (out,) = primals, tangents, outs
    term_y = None
    if type(ty) is not Zero:
        quotient = div(x, y)
        truncated = mul(sign_p.bind1(quotient), floor_p.bind1(abs_p.bind1(quotient)))
        term_y = neg(mul(ty, truncated))
    return [add_tangents([_broadcast_like(tx, out) if type(tx) is not Zero else None, term_y],
                         out)]


rem_p = Primitive("rem", impl=ufunc_impl(np.fmod), abstract_eval=nary_shape_rule("rem", REAL),
                  jvp=_rem_jvp, transpose=NOT_LINEAR, batch=broadcast_batch(lambda: rem_p),
                  lower=ufunc_lowering(np.fmod))


# ---------------------------------------------------------------- lax-level functions


def neg(x: Any) -> Any:
    return neg_p.bind1(x)


def add(x: Any, y: Any) -> Any:
    return add_p.bind1(x, y)


def sub(x: Any, y: Any) -> Any:
    return sub_p.bind1(x, y)


def mul(x: Any, y: Any) -> Any:
    return mul_p.bind1(x, y)


def div(x: Any, y: Any) -> Any:
    return div_p.bind1(x, y)


def maximum(x: Any, y: Any) -> Any:
    return max_p.bind1(x, y)


def minimum(x: Any, y: Any) -> Any:
    return min_p.bind1(x, y)


def clamp(lo: Any, x: Any, hi: Any) -> Any:
    """``x`` limited to ``[lo, hi]`` elementwise: ``min(max(x, lo), hi)``."""
    return clamp_p.bind1(lo, x, hi)


def integer_pow(x: Any, y: int) -> Any:
    return integer_pow_p.bind1(x, y=int(y))


def pow(x: Any, y: Any) -> Any:  # noqa: A001 - lax's name
    return pow_p.bind1(x, y)


def sin(x: Any) -> Any:
    return sin_p.bind1(x)


def cos(x: Any) -> Any:
    return cos_p.bind1(x)


def log(x: Any) -> Any:
    return log_p.bind1(x)


def exp(x: Any) -> Any:
    return exp_p.bind1(x)


def rsqrt(x: Any) -> Any:
    return rsqrt_p.bind1(x)


def stop_gradient(x: Any) -> Any:
    return stop_gradient_p.bind1(x)
