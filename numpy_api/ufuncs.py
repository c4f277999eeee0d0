"""Elementwise functions with NumPy's names, broadcasting and JAX's dtype promotion."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.array import Array
from ..core.primitive import Primitive
from ..core.trace import ARRAY_TYPES, aval_of
from ..primitives.combinators import FLOAT, INEXACT, is_kind
from ..primitives import comparison as cmp
from ..primitives import elementwise as ew
from ._util import (
    array_operand,
    as_operand,
    broadcast_arrays,
    promote,
    promote_inexact,
    promote_types,
)


def _binary_operands(name: str, x: Any, y: Any, inexact: bool = False) -> list[Any]:
    x, y = as_operand(x, name), as_operand(y, name)
    x, y = promote_inexact(x, y) if inexact else promote(x, y)
    return broadcast_arrays(x, y, name=name)


_GENERAL, _AS_THEY_ARE, _BROADCAST_ONLY = 0, 1, 2


def _float_operands(x: Any, y: Any) -> int:
    """The common cases, which need no promotion: two arrays of one floating dtype and weak
    type (bound as they are when their shapes match, else only broadcast), or a
    default-float array and a Python float (a float literal takes the default float dtype)."""
    kind_x, kind_y = type(x), type(y)
    if kind_x in ARRAY_TYPES:
        if kind_y in ARRAY_TYPES:
            x_aval, y_aval = x.aval, y.aval
            if x_aval is y_aval:
                return _AS_THEY_ARE if is_kind(FLOAT, x_aval.dtype) else _GENERAL
            if x_aval.dtype is y_aval.dtype and x_aval.weak_type == y_aval.weak_type \
                    and is_kind(FLOAT, x_aval.dtype):
                return _BROADCAST_ONLY
            return _GENERAL
        return _AS_THEY_ARE if kind_y is float and x.aval.dtype is dtypes.default_float() \
            else _GENERAL
    return _AS_THEY_ARE if kind_x is float and kind_y in ARRAY_TYPES and \
        y.aval.dtype is dtypes.default_float() else _GENERAL


def _binary(name: str, prim: Primitive, inexact: bool = False,
            bool_prim: Primitive | None = None) -> Callable[[Any, Any], Any]:
    """A jnp binary function; on booleans it binds ``bool_prim`` (``add`` is ``or``, as in JAX)."""

    def fn(x: Any, y: Any) -> Any:
        case = _float_operands(x, y)
        if case == _AS_THEY_ARE:
            return prim.bind1(x, y)
        if case == _BROADCAST_ONLY:
            return prim.bind1(*broadcast_arrays(x, y, name=name))
        x, y = _binary_operands(name, x, y, inexact)
        if bool_prim is not None and aval_of(x).dtype == dtypes.bool_:
            return bool_prim.bind1(x, y)
        return prim.bind1(x, y)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{prim.name}`` of ``x`` and ``y``, broadcast and promoted as in NumPy."
    return fn


def _unary(name: str, prim: Primitive, inexact: bool = True) -> Callable[[Any], Any]:
    def fn(x: Any) -> Any:
        if type(x) in ARRAY_TYPES and is_kind(INEXACT, x.aval.dtype):
            return prim.bind1(x)
        x = as_operand(x, name)
        (x,) = promote_inexact(x) if inexact else (x,)
        return prim.bind1(x)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{prim.name}`` of ``x``."
    return fn


add = _binary("add", ew.add_p, bool_prim=cmp.or_p)
subtract = _binary("subtract", ew.sub_p)
multiply = _binary("multiply", ew.mul_p, bool_prim=cmp.and_p)
divide = true_divide = _binary("divide", ew.div_p, inexact=True)
maximum = _binary("maximum", ew.max_p, bool_prim=cmp.or_p)
minimum = _binary("minimum", ew.min_p, bool_prim=cmp.and_p)
equal = _binary("equal", cmp.eq_p)
not_equal = _binary("not_equal", cmp.ne_p)
less = _binary("less", cmp.lt_p)
less_equal = _binary("less_equal", cmp.le_p)
greater = _binary("greater", cmp.gt_p)
greater_equal = _binary("greater_equal", cmp.ge_p)
bitwise_and = _binary("bitwise_and", cmp.and_p)
bitwise_or = _binary("bitwise_or", cmp.or_p)
bitwise_xor = _binary("bitwise_xor", cmp.xor_p)


def _as_bool(x: Any, name: str) -> Any:
    x = as_operand(x, name)
    return x if aval_of(x).dtype == dtypes.bool_ else not_equal(x, 0)


def _logical(name: str, prim: Primitive) -> Callable[[Any, Any], Any]:
    def fn(x: Any, y: Any) -> Any:
        x, y = _as_bool(x, name), _as_bool(y, name)
        return prim.bind1(*broadcast_arrays(x, y, name=name))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise truth-value ``{prim.name}`` of ``x`` and ``y`` (nonzero is true)."
    return fn


logical_and = _logical("logical_and", cmp.and_p)
logical_or = _logical("logical_or", cmp.or_p)
logical_xor = _logical("logical_xor", cmp.xor_p)

sin = _unary("sin", ew.sin_p)
cos = _unary("cos", ew.cos_p)
tan = _unary("tan", ew.tan_p)
tanh = _unary("tanh", ew.tanh_p)
exp = _unary("exp", ew.exp_p)
expm1 = _unary("expm1", ew.expm1_p)
log = _unary("log", ew.log_p)
log1p = _unary("log1p", ew.log1p_p)
sqrt = _unary("sqrt", ew.sqrt_p)
_floor = _unary("floor", ew.floor_p)
_ceil = _unary("ceil", ew.ceil_p)


def floor(x: Any) -> Any:
    """Round down; integers and bools are returned unchanged, as in JAX."""
    x = array_operand(x, "floor")
    return _floor(x) if dtypes.is_inexact(aval_of(x).dtype) else x


def ceil(x: Any) -> Any:
    """Round up; integers and bools are returned unchanged, as in JAX."""
    x = array_operand(x, "ceil")
    return _ceil(x) if dtypes.is_inexact(aval_of(x).dtype) else x


negative = _unary("negative", ew.neg_p, inexact=False)
sign = _unary("sign", ew.sign_p, inexact=False)
abs = absolute = _unary("abs", ew.abs_p, inexact=False)  # noqa: A001 - NumPy's name


def logical_not(x: Any) -> Any:
    """Elementwise truth-value not of ``x`` (nonzero is true)."""
    x = as_operand(x, "logical_not")
    if aval_of(x).dtype != dtypes.bool_:
        x = not_equal(x, 0)
    return cmp.not_p.bind1(x)


def invert(x: Any) -> Any:
    """Bitwise not (logical not for booleans)."""
    return cmp.not_p.bind1(as_operand(x, "invert"))


bitwise_not = invert


def positive(x: Any) -> Any:
    """``x`` itself, as an array (``+x``)."""
    return array_operand(x, "positive")


def round(x: Any, decimals: int = 0) -> Any:  # noqa: A001 - NumPy's name
    """Round half to even, to ``decimals`` decimal places."""
    x = as_operand(x, "round")
    if dtypes.is_integer(aval_of(x).dtype) and decimals >= 0:
        return x
    (x,) = promote_inexact(x)
    if decimals == 0:
        return ew.round_p.bind1(x)
    factor = ew.scalar_like(10.0 ** decimals, x)
    return ew.div(ew.round_p.bind1(ew.mul(x, factor)), factor)


around = round


def square(x: Any) -> Any:
    """``x * x``, as ``integer_pow`` so integers stay integers."""
    return ew.integer_pow(as_operand(x, "square"), 2)


def reciprocal(x: Any) -> Any:
    """``1 / x``; integers are promoted to the default float."""
    (x,) = promote_inexact(as_operand(x, "reciprocal"))
    return ew.integer_pow(x, -1)


def rsqrt(x: Any) -> Any:
    """``1 / sqrt(x)``; integers are promoted to the default float."""
    (x,) = promote_inexact(as_operand(x, "rsqrt"))
    return ew.rsqrt_p.bind1(x)


def log2(x: Any) -> Any:
    """Base-2 logarithm, ``log(x) / log(2)``."""
    (x,) = promote_inexact(as_operand(x, "log2"))
    return ew.div(ew.log(x), ew.scalar_like(np.log(2), x))


def log10(x: Any) -> Any:
    """Base-10 logarithm, ``log(x) / log(10)``."""
    (x,) = promote_inexact(as_operand(x, "log10"))
    return ew.div(ew.log(x), ew.scalar_like(np.log(10), x))


def exp2(x: Any) -> Any:
    """``2 ** x``, as ``exp(x * log(2))``."""
    (x,) = promote_inexact(as_operand(x, "exp2"))
    return ew.exp(ew.mul(x, ew.scalar_like(np.log(2), x)))


def sinh(x: Any) -> Any:
    """Hyperbolic sine ``(exp(x) - exp(-x)) / 2``."""
    (x,) = promote_inexact(as_operand(x, "sinh"))
    return ew.mul(ew.sub(ew.exp(x), ew.exp(ew.neg(x))), ew.scalar_like(0.5, x))


def cosh(x: Any) -> Any:
    """Hyperbolic cosine ``(exp(x) + exp(-x)) / 2``."""
    (x,) = promote_inexact(as_operand(x, "cosh"))
    return ew.mul(ew.add(ew.exp(x), ew.exp(ew.neg(x))), ew.scalar_like(0.5, x))


def _concrete_integer(y: Any) -> int | None:
    """The value of an integer exponent known before tracing, else None."""
    if type(y) is int:
        return y
    if isinstance(y, (np.integer,)) or (type(y) is Array and y.ndim == 0
                                        and dtypes.is_integer(y.dtype)):
        return int(y)
    return None


def power(x: Any, y: Any) -> Any:
    """``x ** y``; an integer exponent known in advance becomes ``integer_pow``."""
    exponent = _concrete_integer(y)
    x = as_operand(x, "power")
    if exponent is not None and exponent < 0 and dtypes.is_integer(aval_of(x).dtype):
        raise TypeError(f"Integers cannot be raised to negative powers, got "
                        f"power({aval_of(x)}, {exponent})")
    if exponent is not None:
        x = array_operand(x, "power")  # keeps a Python scalar's weak type, as in JAX
        if type(y) is not int:  # a strongly typed exponent takes part in promotion
            (x, _) = promote(x, y)
        return ew.integer_pow(x, exponent)
    x, y = _binary_operands("power", x, y)
    if dtypes.is_integer(aval_of(x).dtype):
        return _integer_power(x, y)
    return ew.pow_p.bind1(x, y)


def _integer_power(x: Any, y: Any) -> Any:
    """``x ** y`` for integer arrays by binary exponentiation, as JAX does it: six squarings
    (more would overflow for any ``|x| > 1``), and 0 for negative ``y``."""
    acc = cmp.select_n(less(y, 0), ew.full_like(1, x), ew.full_like(0, x))
    for _ in range(6):
        odd = not_equal(cmp.and_p.bind1(y, ew.full_like(1, y)), 0)  # bitwise on integers
        acc = cmp.select_n(odd, acc, ew.mul(acc, x))
        x, y = ew.mul(x, x), floor_divide(y, 2)
    return acc


def float_power(x: Any, y: Any) -> Any:
    """``x ** y`` with both promoted to an inexact dtype first (integers included)."""
    return ew.pow_p.bind1(*_binary_operands("float_power", x, y, inexact=True))


def floor_divide(x: Any, y: Any) -> Any:
    """Division rounded towards minus infinity."""
    x, y = _binary_operands("floor_divide", x, y)
    if dtypes.is_inexact(promote_types_of(x, y)):
        return ew.floor_p.bind1(ew.div(x, y))
    quotient = ew.div(x, y)  # rounds towards zero: step down where the signs differ
    rest = subtract(x, multiply(quotient, y))
    adjust = logical_and(not_equal(rest, 0), not_equal(less(rest, 0), less(y, 0)))
    return cmp.select_n(adjust, quotient, subtract(quotient, 1))


def promote_types_of(x: Any, y: Any) -> np.dtype:
    """The dtype ``x`` and ``y`` promote to."""
    return promote_types(x, y)[0]


def remainder(x: Any, y: Any) -> Any:
    """``x - floor_divide(x, y) * y``, with the sign of ``y`` as in NumPy."""
    x, y = _binary_operands("remainder", x, y)
    return subtract(x, multiply(floor_divide(x, y), y))


mod = remainder


def clip(a: Any, a_min: Any = None, a_max: Any = None) -> Any:
    """Limit values to ``[a_min, a_max]`` (either may be None)."""
    out = as_operand(a, "clip")
    if a_min is not None:
        out = maximum(a_min, out)
    if a_max is not None:
        out = minimum(a_max, out)
    return out


def isnan(x: Any) -> Any:
    """Elementwise whether ``x`` is NaN (``x != x``)."""
    x = as_operand(x, "isnan")
    return not_equal(x, x)


def isfinite(x: Any) -> Any:
    """Elementwise whether ``x`` is neither infinite nor NaN (always true for integers)."""
    x = as_operand(x, "isfinite")
    if not dtypes.is_inexact(aval_of(x).dtype):
        return equal(x, x)
    return less(abs(x), np.inf)
