"""Elementwise functions with NumPy's names, broadcasting and JAX's dtype promotion."""

from __future__ import annotations

import operator
from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.array import Array
from ..core.primitive import Primitive
from ..core.trace import ARRAY_TYPES, aval_of
from ..primitives.combinators import FLOAT, INEXACT, is_kind
from ..primitives.structural import convert_element_type
from ..primitives import comparison as cmp
from ..primitives import bitwise, complex_parts
from ..primitives import elementwise as ew
from ..primitives.custom_rules import custom_jvp
from ._util import (
    array_operand,
    as_operand,
    broadcast_arrays,
    promote,
    promote_inexact,
    promote_types,
)


def _binary_operands(name: str, x: Any, y: Any, inexact: bool = False) -> list[Any]:
    x, y = as_operand(x, name), as_operand(y, name, 1)
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
arcsin = _unary("arcsin", ew.asin_p)
arccos = _unary("arccos", ew.acos_p)
arctan = _unary("arctan", ew.atan_p)
sinh = _unary("sinh", ew.sinh_p)
cosh = _unary("cosh", ew.cosh_p)
arcsinh = _unary("arcsinh", ew.asinh_p)
arccosh = _unary("arccosh", ew.acosh_p)
arctanh = _unary("arctanh", ew.atanh_p)
cbrt = _unary("cbrt", ew.cbrt_p)
arctan2 = _binary("arctan2", ew.atan2_p, inexact=True)
gcd = _binary("gcd", bitwise.gcd_p)
left_shift = bitwise_left_shift = _binary("left_shift", bitwise.shift_left_p)
right_shift = bitwise_right_shift = _binary("right_shift", bitwise.shift_right_arithmetic_p)
_fmod = _binary("fmod", ew.rem_p)
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


def round(x: Any, decimals: int = 0, out: None = None) -> Any:  # noqa: A001 - NumPy's name
    """Round half to even, to ``decimals`` decimal places: ``round(x * 10**d) * 10**-d``, the
    product by the reciprocal being what XLA makes of JAX's division (float16 goes through
    float32, as in JAX)."""
    if out is not None:
        raise NotImplementedError("The 'out' argument to jnp.round is not supported.")
    x = as_operand(x, "round")
    decimals = operator.index(decimals)
    dtype = aval_of(x).dtype
    if dtypes.is_integer(dtype) or dtype == dtypes.bool_:
        if decimals < 0:
            raise NotImplementedError("integer np.round not implemented for decimals < 0")
        return x
    (x,) = promote_inexact(x)
    if aval_of(x).dtype.kind == "c":  # the real and imaginary parts each
        return complex_parts.complex(round(complex_parts.real(x), decimals),
                                     round(complex_parts.imag(x), decimals))
    if decimals == 0:
        return ew.round_p.bind1(x)
    dtype = aval_of(x).dtype
    if decimals > np.log10(np.finfo(dtype).max):  # beyond the dtype's precision: nothing to do
        return x
    wide = convert_element_type(x, np.float32) if dtype == np.float16 else x
    factor = np.asarray(10.0 ** decimals, aval_of(wide).dtype)
    scaled = ew.round_p.bind1(ew.mul(wide, ew.scalar_like(float(factor), wide)))
    rounded = ew.mul(scaled, ew.scalar_like(float(np.reciprocal(factor)), wide))
    return convert_element_type(rounded, dtype) if dtype == np.float16 else rounded


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


def clip(arr: Any = None, min: Any = None, max: Any = None, *,  # noqa: A002 - JAX's names
         a: Any = None, a_min: Any = None, a_max: Any = None) -> Any:
    """Limit values to ``[min, max]`` (either may be None); ``a``, ``a_min``, ``a_max`` are
    the older spellings JAX still accepts."""
    out = as_operand(arr if arr is not None else a, "clip")
    low = min if min is not None else a_min
    high = max if max is not None else a_max
    if any(v is not None and aval_of(as_operand(v, "clip")).dtype.kind == "c"
           for v in (out, low, high)):
        raise ValueError("Clip received a complex value either through the input or the "
                         "min/max keywords. Complex values have no ordering and cannot be "
                         "clipped. Please convert to a real value or array by taking the real "
                         "or imaginary components via jax.numpy.real/imag respectively.")
    if low is not None:
        out = maximum(low, out)
    if high is not None:
        out = minimum(high, out)
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


def isinf(x: Any) -> Any:
    """Elementwise whether ``x`` is plus or minus infinity (always false for integers)."""
    x = as_operand(x, "isinf")
    if not dtypes.is_inexact(aval_of(x).dtype):
        return not_equal(x, x)
    return equal(abs(x), np.inf)


def _where(condition: Any, x: Any, y: Any) -> Any:
    """``x`` where ``condition`` holds, else ``y``; operands of one dtype, broadcast here."""
    return cmp.select_n(*broadcast_arrays(condition, y, x, name="where"))


def trunc(x: Any) -> Any:
    """Round towards zero; integers are returned unchanged."""
    x = array_operand(x, "trunc")
    if not dtypes.is_inexact(aval_of(x).dtype):
        return x
    return _where(less(x, 0), _ceil(x), _floor(x))


def rint(x: Any) -> Any:
    """Round half to even; integers are promoted to the default float, as in JAX."""
    (x,) = promote_inexact(as_operand(x, "rint"))
    return ew.round_p.bind1(x)


fix = trunc


def deg2rad(x: Any) -> Any:
    """Degrees to radians, ``x * pi / 180``."""
    (x,) = promote_inexact(as_operand(x, "deg2rad"))
    return ew.mul(x, ew.scalar_like(np.pi / 180, x))


def rad2deg(x: Any) -> Any:
    """Radians to degrees, ``x * 180 / pi``."""
    (x,) = promote_inexact(as_operand(x, "rad2deg"))
    return ew.mul(x, ew.scalar_like(180 / np.pi, x))


radians, degrees = deg2rad, rad2deg


def fmod(x: Any, y: Any) -> Any:
    """C's remainder ``x - trunc(x / y) * y``, with the sign of ``x``; integer division by
    zero gives ``x % 1`` rather than a fault, as in JAX."""
    x, y = _binary_operands("fmod", x, y)
    if dtypes.is_integer(aval_of(y).dtype):
        y = _where(equal(y, 0), ew.full_like(1, y), y)
    return ew.rem_p.bind1(x, y)


def divmod(x: Any, y: Any) -> tuple[Any, Any]:  # noqa: A001 - NumPy's name
    """``(floor_divide(x, y), remainder(x, y))``."""
    x, y = as_operand(x, "divmod"), as_operand(y, "divmod", 1)
    return floor_divide(x, y), remainder(x, y)


def signbit(x: Any) -> Any:
    """Whether the sign bit is set (true for -0.0 and negative NaNs)."""
    x = as_operand(x, "signbit")
    dtype = aval_of(x).dtype
    if not dtypes.is_float(dtype):
        return less(x, 0)
    bits = bitwise.bitcast_convert_type(array_operand(x, "signbit"), f"i{dtype.itemsize}")
    return less(bits, 0)


def copysign(x: Any, y: Any) -> Any:
    """``|x|`` with the sign of ``y``."""
    x, y = _binary_operands("copysign", x, y, inexact=True)
    magnitude = abs(x)
    return _where(signbit(y), ew.neg(magnitude), magnitude)


def hypot(x: Any, y: Any) -> Any:
    """``sqrt(x**2 + y**2)`` without overflow: ``big * sqrt(1 + (small / big)**2)``."""
    x, y = _binary_operands("hypot", x, y, inexact=True)
    x, y = abs(x), abs(y)
    big, small = ew.maximum(x, y), ew.minimum(x, y)
    safe_big = _where(equal(big, 0), ew.full_like(1, big), big)
    ratio = ew.div(small, safe_big)
    out = ew.mul(big, ew.sqrt_p.bind1(ew.add(ew.full_like(1, ratio), ew.mul(ratio, ratio))))
    return _where(equal(big, np.inf), big, out)


def logaddexp(x: Any, y: Any) -> Any:
    """``log(exp(x) + exp(y))`` without overflow. The larger operand is a constant shift
    (``stop_gradient``): ``m + log1p(expm1(x - m) + exp(y - m))`` where x is the larger
    (and symmetrically). Its derivative is JAX's rule: ``exp(x - out) dx + exp(y - out) dy``
    with +inf read as 0 (so 1/2 each at ties, 1 each when both are +inf)."""
    x, y = _binary_operands("logaddexp", x, y, inexact=True)
    x, y = broadcast_arrays(x, y, name="logaddexp")
    return _logaddexp(x, y)


@custom_jvp
def _logaddexp(x: Any, y: Any) -> Any:
    m = ew.stop_gradient(ew.maximum(x, y))
    dx, dy = ew.sub(x, m), ew.sub(y, m)
    x_larger = ew.log1p_p.bind1(ew.add(ew.expm1_p.bind1(dx), ew.exp(dy)))
    y_larger = ew.log1p_p.bind1(ew.add(ew.exp(dx), ew.expm1_p.bind1(dy)))
    out = ew.add(m, _where(greater_equal(x, y), x_larger, y_larger))
    out = _where(isinf(m), m, out)  # (inf - inf is NaN)
    return _where(isnan(ew.sub(x, y)), ew.add(x, y), out)  # both infinite, or a NaN


def _finite_or_zero(x: Any) -> Any:
    """``x`` with +inf replaced by 0 (in the derivative of logaddexp)."""
    return _where(equal(x, np.inf), ew.full_like(0, x), x)


@_logaddexp.defjvp
def _logaddexp_jvp(primals, tangents):
    (x, y), (tx, ty) = primals, tangents
    out = _logaddexp(x, y)
    top = _finite_or_zero(out)
    weight_x = ew.exp(ew.sub(_finite_or_zero(x), top))
    weight_y = ew.exp(ew.sub(_finite_or_zero(y), top))
    return out, ew.add(ew.mul(tx, weight_x), ew.mul(ty, weight_y))


def logaddexp2(x: Any, y: Any) -> Any:
    """``log2(2**x + 2**y)``, as ``logaddexp`` scaled by ``log(2)``."""
    x, y = _binary_operands("logaddexp2", x, y, inexact=True)
    ln2 = ew.scalar_like(np.log(2), x)
    return ew.div(logaddexp(ew.mul(x, ln2), ew.mul(y, ln2)), ln2)


def nan_to_num(x: Any, copy: bool = True, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Any:
    """NaN becomes ``nan``, infinities ``posinf``/``neginf`` (default: the largest finite
    values of the dtype); integers are returned unchanged."""
    x = array_operand(x, "nan_to_num")
    dtype = aval_of(x).dtype
    if not dtypes.is_inexact(dtype):
        return x
    info = np.finfo(dtype)
    high = info.max if posinf is None else posinf
    low = info.min if neginf is None else neginf
    x = _where(isnan(x), ew.full_like(nan, x), x)
    x = _where(equal(x, np.inf), ew.full_like(high, x), x)
    return _where(equal(x, -np.inf), ew.full_like(low, x), x)


def heaviside(x1: Any, x2: Any) -> Any:
    """0 where ``x1 < 0``, ``x2`` where ``x1 == 0``, 1 where ``x1 > 0`` (NaN where x1 is)."""
    x1, x2 = _binary_operands("heaviside", x1, x2, inexact=True)
    zero, one = ew.full_like(0, x1), ew.full_like(1, x1)
    out = _where(less(x1, 0), zero, _where(greater(x1, 0), one, x2))
    return _where(isnan(x1), x1, out)


def sinc(x: Any) -> Any:
    """``sin(pi x) / (pi x)``, 1 at 0. At 0 the division is made safe, so the first
    derivative there is 0 (exact); higher derivatives at exactly 0 are not."""
    (x,) = promote_inexact(as_operand(x, "sinc"))
    at_zero = equal(x, 0)
    safe = ew.mul(_where(at_zero, ew.full_like(1, x), x), ew.scalar_like(np.pi, x))
    return _where(at_zero, ew.full_like(1, x), ew.div(ew.sin(safe), safe))


def lcm(x: Any, y: Any) -> Any:
    """Least common multiple of integers, ``|x // gcd(x, y) * y|`` (0 if either is 0)."""
    x, y = _binary_operands("lcm", x, y)
    divisor = gcd(x, y)
    safe = _where(equal(divisor, 0), ew.full_like(1, divisor), divisor)
    out = abs(multiply(floor_divide(x, safe), y))
    return _where(equal(divisor, 0), ew.full_like(0, out), out)


def exp2(x: Any) -> Any:
    """``2 ** x``, as ``exp(x * log(2))``."""
    (x,) = promote_inexact(as_operand(x, "exp2"))
    return ew.exp(ew.mul(x, ew.scalar_like(np.log(2), x)))
