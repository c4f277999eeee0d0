"""The rest of ``lax``'s elementwise names, and ``select``, ``full``, ``broadcast``,
``collapse`` and ``reduce``: thin bindings of existing primitives, no promotion.

As in ``lax``, operands must already agree in dtype and shape (Python scalars excepted).
"""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import bitwise, comparison
from ..primitives import elementwise as ew
from ..primitives.reductions import reduce_max, reduce_min, reduce_prod
from ..primitives.shape import reshape
from ..primitives.structural import broadcast_in_dim, convert_element_type, reduce_sum


def _unary(prim, name: str, doc: str) -> Callable[[Any], Any]:
    def apply(x: Any) -> Any:
        return prim.bind1(x)

    apply.__name__ = apply.__qualname__ = name
    apply.__doc__ = doc
    return apply


abs = _unary(ew.abs_p, "abs", "``|x|`` elementwise.")
acos = _unary(ew.acos_p, "acos", "Inverse cosine.")
acosh = _unary(ew.acosh_p, "acosh", "Inverse hyperbolic cosine.")
asin = _unary(ew.asin_p, "asin", "Inverse sine.")
asinh = _unary(ew.asinh_p, "asinh", "Inverse hyperbolic sine.")
atan = _unary(ew.atan_p, "atan", "Inverse tangent.")
atanh = _unary(ew.atanh_p, "atanh", "Inverse hyperbolic tangent.")
cbrt = _unary(ew.cbrt_p, "cbrt", "Cube root.")
ceil = _unary(ew.ceil_p, "ceil", "Round up to an integer value.")
cosh = _unary(ew.cosh_p, "cosh", "Hyperbolic cosine.")
expm1 = _unary(ew.expm1_p, "expm1", "``exp(x) - 1``, exact near 0.")
floor = _unary(ew.floor_p, "floor", "Round down to an integer value.")
log1p = _unary(ew.log1p_p, "log1p", "``log(1 + x)``, exact near 0.")
sign = _unary(ew.sign_p, "sign", "-1, 0 or 1 by the sign of ``x``.")
sinh = _unary(ew.sinh_p, "sinh", "Hyperbolic sine.")
sqrt = _unary(ew.sqrt_p, "sqrt", "Square root.")
tan = _unary(ew.tan_p, "tan", "Tangent.")
tanh = _unary(ew.tanh_p, "tanh", "Hyperbolic tangent.")
bitwise_not = _unary(comparison.not_p, "bitwise_not", "Bitwise (or logical) not.")


def _binary(prim, name: str, doc: str) -> Callable[[Any, Any], Any]:
    def apply(x: Any, y: Any) -> Any:
        return prim.bind1(*_like(x, y))

    apply.__name__ = apply.__qualname__ = name
    apply.__doc__ = doc
    return apply


def _like(x: Any, y: Any) -> tuple[Any, Any]:
    """Python scalars take the other operand's dtype (as ``lax`` does)."""
    if isinstance(x, (int, float, bool)) and not isinstance(y, (int, float, bool)):
        x = np.asarray(x, aval_of(y).dtype)
    elif isinstance(y, (int, float, bool)) and not isinstance(x, (int, float, bool)):
        y = np.asarray(y, aval_of(x).dtype)
    return x, y


atan2 = _binary(ew.atan2_p, "atan2", "The angle of ``(x, y)`` as ``atan2(x, y)`` computes it.")
rem = _binary(ew.rem_p, "rem", "The remainder of ``x / y``, with the sign of ``x`` (C's fmod).")
bitwise_and = _binary(comparison.and_p, "bitwise_and", "Bitwise (or logical) and.")
bitwise_or = _binary(comparison.or_p, "bitwise_or", "Bitwise (or logical) or.")
bitwise_xor = _binary(comparison.xor_p, "bitwise_xor", "Bitwise (or logical) exclusive or.")
shift_left = bitwise.shift_left
shift_right_logical = bitwise.shift_right_logical
shift_right_arithmetic = bitwise.shift_right_arithmetic


def square(x: Any) -> Any:
    """``x * x``."""
    return ew.integer_pow(x, 2)


def reciprocal(x: Any) -> Any:
    """``1 / x``."""
    return ew.div(np.ones((), aval_of(x).dtype), x)


def exp2(x: Any) -> Any:
    """``2 ** x``."""
    return ew.pow(np.asarray(2, aval_of(x).dtype), x)


def is_finite(x: Any) -> Any:
    """Whether each element is neither infinite nor NaN."""
    return comparison.lt(ew.abs_p.bind1(x), np.asarray(np.inf, aval_of(x).dtype))


def round(x: Any, rounding_method: int = 0) -> Any:
    """Round to the nearest integer value: halves away from zero (``rounding_method`` 0, as
    ``lax.RoundingMethod.AWAY_FROM_ZERO``) or to even (1)."""
    if int(rounding_method) == 1:
        return ew.round_p.bind1(x)
    magnitude = ew.abs_p.bind1(x)
    whole = ew.floor_p.bind1(magnitude)
    dtype = aval_of(x).dtype
    up = comparison.ge(ew.sub(magnitude, whole), np.asarray(0.5, dtype))
    rounded = comparison.select_n(up, whole, ew.add(whole, np.ones((), dtype)))
    return ew.mul(ew.sign_p.bind1(x), rounded)


def select(pred: Any, on_true: Any, on_false: Any) -> Any:
    """``on_true`` where ``pred``, else ``on_false``."""
    return comparison.select_n(pred, on_false, on_true)


def full(shape: Sequence[int], fill_value: Any, dtype: Any = None) -> Any:
    """An array of ``shape`` filled with ``fill_value``."""
    dtype = dtypes.canonicalize(dtype) if dtype is not None else aval_of(fill_value).dtype
    value = convert_element_type(fill_value, dtype)
    return broadcast_in_dim(value, tuple(int(n) for n in shape), ())


def full_like(x: Any, fill_value: Any, dtype: Any = None, shape: Any = None) -> Any:
    """An array like ``x`` (or of ``shape``) filled with ``fill_value``."""
    aval = aval_of(x)
    return full(aval.shape if shape is None else shape, fill_value,
                aval.dtype if dtype is None else dtype)


def broadcast(operand: Any, sizes: Sequence[int]) -> Any:
    """``operand`` with new leading axes of ``sizes``."""
    shape = aval_of(operand).shape
    sizes = tuple(int(n) for n in sizes)
    return broadcast_in_dim(operand, sizes + shape, tuple(range(len(sizes), len(sizes) +
                                                                len(shape))))


def collapse(operand: Any, start_dimension: int, stop_dimension: int | None = None) -> Any:
    """``operand`` with axes ``start_dimension:stop_dimension`` merged into one."""
    shape = aval_of(operand).shape
    stop = len(shape) if stop_dimension is None else stop_dimension
    merged = math.prod(shape[start_dimension:stop])
    return reshape(operand, (*shape[:start_dimension], merged, *shape[stop:]))


_REDUCERS = {ew.add: reduce_sum, ew.mul: reduce_prod, ew.maximum: reduce_max,
             ew.minimum: reduce_min}


def reduce(operands: Any, init_values: Any, computation: Callable,
           dimensions: Sequence[int]) -> Any:
    """Reduce ``operands`` over ``dimensions`` with ``computation`` (``lax.add``, ``lax.mul``,
    ``lax.max`` or ``lax.min``), starting from ``init_values``.

    Raises:
        NotImplementedError: another computation (jaxlite has no generic reduction).
    """
    if isinstance(operands, (tuple, list)):
        if len(operands) != 1:
            raise NotImplementedError("lax.reduce of several operands is not implemented")
        return type(operands)([reduce(operands[0], init_values[0], computation, dimensions)])
    reducer = _REDUCERS.get(computation)
    if reducer is None:
        raise NotImplementedError(
            f"lax.reduce with computation {getattr(computation, '__name__', computation)!r} is "
            "not implemented: jaxlite reduces with lax.add, lax.mul, lax.max or lax.min")
    axes = tuple(sorted(int(d) % len(aval_of(operands).shape) for d in dimensions))
    out = reducer(operands, axes)
    if _is_identity(computation, init_values):
        return out
    return computation(*_like(out, init_values))


def _is_identity(computation: Callable, init_value: Any) -> bool:
    """Whether ``init_value`` is known (concretely) to be ``computation``'s identity."""
    try:
        init = np.asarray(init_value)
    except TypeError:  # a traced init value
        return False
    identity = {ew.add: 0, ew.mul: 1, ew.maximum: -np.inf, ew.minimum: np.inf}[computation]
    if dtypes.is_integer(init.dtype) and computation in (ew.maximum, ew.minimum):
        info = np.iinfo(init.dtype)
        identity = info.min if computation is ew.maximum else info.max
    return init.shape == () and bool(init == identity)

__all__ = ["abs", "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "bitwise_and",
           "bitwise_not", "bitwise_or", "bitwise_xor", "broadcast", "cbrt", "ceil", "collapse",
           "cosh", "exp2", "expm1", "floor", "full", "full_like", "is_finite", "log1p",
           "reciprocal", "reduce", "rem", "round", "select", "shift_left",
           "shift_right_arithmetic", "shift_right_logical", "sign", "sinh", "sqrt", "square",
           "tan", "tanh"]
