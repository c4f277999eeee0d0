"""``jaxlite.lax``: the primitives as functions, with no promotion or broadcasting.

As in JAX, operands must already agree in dtype and shape; Python scalars take the
dtype of the other operand.
"""

from __future__ import annotations

from typing import Any

from ..core import dtypes
from ..core.trace import aval_of
from ..core.tree_util import tree_map

from . import lax_linalg as linalg  # noqa: F401 - jaxlite.lax.linalg
from .gamma_functions import random_gamma_grad
from .lax_cumulative import cumlogsumexp, cummax, cummin, cumprod, cumsum
from .lax_conv import (
    ConvDimensionNumbers,
    conv,
    conv_dimension_numbers,
    conv_general_dilated,
    conv_general_shape_tuple,
    conv_shape_tuple,
    conv_transpose,
    conv_transpose_shape_tuple,
    conv_with_general_padding,
    padtype_to_pads,
)
from .lax_elementwise import (
    abs,  # noqa: A004 - lax's name
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    broadcast,
    cbrt,
    ceil,
    collapse,
    cosh,
    exp2,
    expm1,
    floor,
    full,
    full_like,
    is_finite,
    log1p,
    reciprocal,
    reduce,
    rem,
    round,  # noqa: A004 - lax's name
    select,
    shift_left,
    shift_right_arithmetic,
    shift_right_logical,
    sign,
    sinh,
    sqrt,
    square,
    tan,
    tanh,
)
from .lax_products import batch_matmul, dot, dot_general
from .lax_slicing import (
    dynamic_index_in_dim,
    dynamic_slice,
    dynamic_slice_in_dim,
    dynamic_update_index_in_dim,
    dynamic_update_slice,
    dynamic_update_slice_in_dim,
    index_in_dim,
    slice_in_dim,
)
from .lax_windows import reduce_window, reduce_window_shape_tuple
from .loops import fori_loop, map, scan, while_loop  # noqa: A004 - lax's name
from .sorting import lax_sort as sort, sort_key_val, top_k
from ..primitives.comparison import eq, ge, gt, le, lt, ne, select_n
from ..primitives.complex_parts import complex, conj, imag, real  # noqa: A004 - lax's names
from ..primitives.cond import cond, switch
from ..primitives.elementwise import (
    add,
    clamp,
    cos,
    div,
    exp,
    integer_pow,
    log,
    maximum as max,  # noqa: A004 - lax's name
    minimum as min,  # noqa: A004
    mul,
    neg,
    pow,
    sin,
    sub,
)
from ..primitives.index_kernels import (
    GatherDimensionNumbers,
    GatherScatterMode,
    ScatterDimensionNumbers,
)
from ..primitives.indexing import (
    gather,
    scatter,
    scatter_add,
    scatter_max,
    scatter_min,
    scatter_mul,
)
from ..primitives.elementwise import logistic_p, rsqrt_p
from ..primitives.fft import FftType, fft
from ..primitives.elementwise import stop_gradient as _stop_gradient
from ..primitives.precision import Precision
from ..primitives.reductions import argmax, argmin, reduce_max, reduce_min, reduce_prod
from ..primitives.special import erf_inv
from ..primitives.special_functions import (
    bessel_i0e,
    bessel_i1e,
    betainc,
    digamma,
    erf,
    erfc,
    igamma,
    igamma_grad_a,
    igammac,
    lgamma,
    polygamma,
    zeta,
)
from ..primitives.shape import concatenate, expand_dims, iota, pad, reshape, rev, slice, squeeze
from ..primitives.structural import (
    broadcast_in_dim,
    convert_element_type,
    reduce_sum,
    transpose,
)


def rsqrt(x: Any) -> Any:
    """``1 / sqrt(x)``."""
    return rsqrt_p.bind1(x)


def logistic(x: Any) -> Any:
    """``1 / (1 + exp(-x))``."""
    return logistic_p.bind1(x)


def stop_gradient(x: Any) -> Any:
    """``x`` itself, treated as a constant by differentiation (applied to every pytree leaf)."""
    return tree_map(_stop_gradient_leaf, x)


def _stop_gradient_leaf(x: Any) -> Any:
    """One leaf through ``stop_gradient``; integer and boolean leaves have no gradient to stop."""
    if dtypes.is_inexact(aval_of(x).dtype):
        return _stop_gradient(x)
    return x


__all__ = [
    "add", "argmax", "argmin", "broadcast_in_dim", "clamp", "concatenate", "cond",
    "convert_element_type", "cos", "div", "dot_general", "eq", "exp", "expand_dims", "fft",
    "FftType", "fori_loop",
    "ge", "gt", "integer_pow", "iota", "le", "log", "logistic", "lt", "map", "max", "min", "mul",
    "ne", "neg", "pad", "pow", "random_gamma_grad", "reduce_max", "reduce_min", "reduce_prod",
    "reduce_sum", "reshape", "rev", "rsqrt", "scan", "select_n", "sin", "slice", "squeeze", "switch",
    "stop_gradient", "sub", "transpose", "while_loop",
    "gather", "scatter", "scatter_add", "scatter_mul", "scatter_min", "scatter_max",
    "GatherDimensionNumbers", "ScatterDimensionNumbers", "GatherScatterMode",
    "bessel_i0e", "bessel_i1e", "betainc", "digamma", "erf", "erf_inv", "erfc", "igamma",
    "igamma_grad_a", "igammac", "lgamma", "polygamma", "zeta",
    "complex", "conj", "imag", "real",
    "sort", "sort_key_val", "top_k",
    "cumlogsumexp", "cummax", "cummin", "cumprod", "cumsum",
    "ConvDimensionNumbers", "Precision", "conv", "conv_dimension_numbers", "conv_general_dilated",
    "conv_transpose", "conv_with_general_padding", "padtype_to_pads", "reduce_window",
    "dynamic_index_in_dim", "dynamic_slice", "dynamic_slice_in_dim", "dynamic_update_index_in_dim",
    "dynamic_update_slice", "dynamic_update_slice_in_dim", "index_in_dim", "slice_in_dim",
    "batch_matmul", "dot", "conv_general_shape_tuple", "conv_shape_tuple",
    "conv_transpose_shape_tuple", "reduce_window_shape_tuple",
    "abs", "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "bitwise_and", "bitwise_not",
    "bitwise_or", "bitwise_xor", "broadcast", "cbrt", "ceil", "collapse", "cosh", "exp2", "expm1",
    "floor", "full", "full_like", "is_finite", "log1p", "reciprocal", "reduce", "rem", "round",
    "select", "shift_left", "shift_right_arithmetic", "shift_right_logical", "sign", "sinh",
    "sqrt", "square", "tan", "tanh",
]
