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
from .loops import fori_loop, map, scan, while_loop  # noqa: A004 - lax's name
from ..primitives.comparison import eq, ge, gt, le, lt, ne, select_n
from ..primitives.complex_parts import complex, conj, imag, real  # noqa: A004 - lax's names
from ..primitives.cond import cond, switch
from ..primitives.cumulative import cumprod, cumsum
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
from ..primitives.elementwise import stop_gradient as _stop_gradient
from ..primitives.linalg import dot_general
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
    "convert_element_type", "cos", "div", "dot_general", "eq", "exp", "expand_dims", "fori_loop",
    "ge", "gt", "integer_pow", "iota", "le", "log", "logistic", "lt", "map", "max", "min", "mul",
    "ne", "neg", "pad", "pow", "random_gamma_grad", "reduce_max", "reduce_min", "reduce_prod",
    "reduce_sum", "reshape", "rev", "rsqrt", "scan", "select_n", "sin", "slice", "squeeze", "switch",
    "stop_gradient", "sub", "transpose", "while_loop",
    "gather", "scatter", "scatter_add", "scatter_mul", "scatter_min", "scatter_max",
    "GatherDimensionNumbers", "ScatterDimensionNumbers", "GatherScatterMode",
    "bessel_i0e", "bessel_i1e", "betainc", "digamma", "erf", "erf_inv", "erfc", "igamma",
    "igamma_grad_a", "igammac", "lgamma", "polygamma", "zeta",
    "complex", "conj", "imag", "real",
]
