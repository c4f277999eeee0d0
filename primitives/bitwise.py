"""Bit manipulation: shift_left, shift_right_logical, shift_right_arithmetic, gcd,
bitcast_convert_type.

The shifts act on integers elementwise with XLA's semantics: a shift by the bit width or
more gives 0 (NumPy agrees for in-range dtypes: ``np.left_shift(np.uint32(5), 32) == 0``).
``bitcast_convert_type`` reinterprets the bits of each element as another dtype of the
same width (``uint32 -> float32``, as ``ndarray.view`` does). None of them has a
derivative: their outputs are integers, or floats read off integer bits.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.avals import shaped_array
from ..core.primitive import NOT_LINEAR, Lowering, Primitive
from .combinators import (
    INTEGER,
    nary_shape_rule,
    shape_error,
    ufunc_impl,
    vectorized_batch,
    zero_jvp,
)
from .structural import broadcast_batch


def _logical_right_shift(x, y):
    # XLA's shift_right_logical reads a signed operand as unsigned
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind == "i":
        unsigned = np.dtype(f"u{x.dtype.itemsize}")
        return [np.right_shift(x.view(unsigned), y.astype(unsigned)).view(x.dtype)]
    return [np.right_shift(x, y)]


def _shift(name: str, impl, lower) -> Primitive:
    """A binary integer op without a derivative."""
    prim = Primitive(name, impl=impl, abstract_eval=nary_shape_rule(name, INTEGER),
                     jvp=zero_jvp, transpose=NOT_LINEAR, batch=broadcast_batch(lambda: prim),
                     lower=lower)
    return prim


# out = x * 2**y (wrapping); out = x // 2**y with zeros shifted in
shift_left_p = _shift("shift_left", ufunc_impl(np.left_shift),
                      lambda in_avals, out_avals: Lowering(ufunc=np.left_shift))
shift_right_logical_p = _shift(
    "shift_right_logical", _logical_right_shift,
    lambda in_avals, out_avals: (Lowering(ufunc=np.right_shift)
                                 if in_avals[0].dtype.kind == "u" else None))


# out = floor(x / 2**y), the sign bit shifted in (NumPy's right_shift, also beyond the width)
shift_right_arithmetic_p = _shift("shift_right_arithmetic", ufunc_impl(np.right_shift),
                                  lambda in_avals, out_avals: Lowering(ufunc=np.right_shift))
# the greatest common divisor of |x| and |y| (0 for 0, 0): a primitive, as one ufunc call is
# far cheaper than Euclid's algorithm in a while loop (how JAX composes it)
gcd_p = _shift("gcd", ufunc_impl(np.gcd), lambda in_avals, out_avals: Lowering(ufunc=np.gcd))


def shift_left(x: Any, y: Any) -> Any:
    return shift_left_p.bind1(x, y)


def shift_right_logical(x: Any, y: Any) -> Any:
    return shift_right_logical_p.bind1(x, y)


def shift_right_arithmetic(x: Any, y: Any) -> Any:
    return shift_right_arithmetic_p.bind1(x, y)


# ---------------------------------------------------------------- bitcast_convert_type
# out = the bits of x read as new_dtype (same width); no derivative


def _bitcast_shape(x, *, new_dtype):
    if x.dtype.itemsize != new_dtype.itemsize or x.dtype == dtypes.bool_:
        raise shape_error("bitcast_convert_type", f"cannot reinterpret {x.dtype.name} as "
                          f"{new_dtype.name}: the widths differ (only same-width bitcasts "
                          "are supported)", [x])
    return [shaped_array(x.shape, new_dtype, False)]


bitcast_convert_type_p = Primitive(
    "bitcast_convert_type",
    impl=lambda x, *, new_dtype: [np.asarray(x).view(new_dtype)],
    abstract_eval=_bitcast_shape,
    jvp=zero_jvp,
    transpose=NOT_LINEAR,
    batch=vectorized_batch(lambda: bitcast_convert_type_p),
    lower=lambda in_avals, out_avals, *, new_dtype: Lowering(
        "np.asarray({0}).view({dtype})", {"dtype": new_dtype}),
)


def bitcast_convert_type(x: Any, new_dtype: Any) -> Any:
    return bitcast_convert_type_p.bind1(x, new_dtype=np.dtype(new_dtype))
