"""``jnp.linalg``'s norms: vector norms over one axis, matrix norms over two (the 2-norm and
the nuclear norm from singular values), with JAX's conventions at zero (``max`` with an
initial 0, so ties with it split the gradient; the 2-norm's gradient at 0 is NaN).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.trace import aval_of
from ..primitives import complex_parts
from ..primitives import elementwise as ew
from ..primitives.linalg_decompositions import svd_p
from ..primitives.structural import convert_element_type
from . import manipulation, reductions, ufuncs
from ._util import array_operand, normalize_axis, promote_inexact


def _inexact(name: str, x: Any) -> Any:
    return promote_inexact(array_operand(x, f"jnp.linalg.{name}"))[0]


def _sum_of_squares_root(x: Any, axis: Any, keepdims: bool) -> Any:
    squares = complex_parts.real(ew.mul(x, complex_parts.conj(x))) \
        if aval_of(x).dtype.kind == "c" else ew.mul(x, x)  # |x|^2
    return ufuncs.sqrt(reductions.sum(squares, axis=axis, keepdims=keepdims))


def _at_least_zero(x: Any) -> Any:
    """``max(x, 0)``: a maximum whose initial value is 0 (as JAX's norms take it)."""
    return ew.maximum(ew.scalar_like(0, x), x)


def vector_norm(x: Any, /, *, axis: Any = None, keepdims: bool = False,
                ord: Any = 2) -> Any:  # noqa: A002 - NumPy's name
    """Vector norms over ``axis`` (all axes if None): ``ord`` 2 (None), 1, inf, -inf, 0 (the
    number of nonzeros) or any other number p: ``sum(|x|^p)^(1/p)``."""
    x = _inexact("vector_norm", x)
    if ord is None or (not isinstance(ord, str) and ord == 2):
        return _sum_of_squares_root(x, axis, keepdims)
    if isinstance(ord, str):
        raise ValueError(f"Invalid order '{ord}' for vector norm.")
    if ord == np.inf:
        return _at_least_zero(reductions.max(ufuncs.abs(x), axis=axis, keepdims=keepdims))
    if ord == -np.inf:
        return reductions.min(ufuncs.abs(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        nonzero = convert_element_type(ufuncs.not_equal(x, 0), aval_of(x).dtype)
        return reductions.sum(nonzero, axis=axis, keepdims=keepdims)
    if ord == 1:
        return reductions.sum(ufuncs.abs(x), axis=axis, keepdims=keepdims)
    abs_x = ufuncs.abs(x)
    total = reductions.sum(ew.pow(abs_x, ew.scalar_like(float(ord), abs_x)), axis=axis,
                           keepdims=keepdims)
    return ew.pow(total, ew.scalar_like(1.0 / float(ord), total))


def _matrix_norm(x: Any, ord: Any, axes: tuple[int, int], keepdims: bool) -> Any:  # noqa: A002
    row, col = axes
    if ord is None or ord in ("f", "fro"):
        return _sum_of_squares_root(x, axes, keepdims)
    if isinstance(ord, str) and ord != "nuc" or not isinstance(ord, str) and ord not in (
            1, -1, 2, -2, np.inf, -np.inf):
        raise ValueError(f"Invalid order '{ord}' for matrix norm.")
    if ord in (1, -1, np.inf, -np.inf):  # the largest (smallest) column or row sum
        summed, kept = (row, col) if ord in (1, -1) else (col, row)
        if not keepdims and kept > summed:
            kept -= 1
        sums = reductions.sum(ufuncs.abs(x), axis=summed, keepdims=keepdims)
        if ord > 0:
            return _at_least_zero(reductions.max(sums, axis=kept, keepdims=keepdims))
        return reductions.min(sums, axis=kept, keepdims=keepdims)
    s = svd_p.bind1(manipulation.moveaxis(x, axes, (-2, -1)), full_matrices=False,
                    compute_uv=False)
    if ord == 2:
        y = _at_least_zero(reductions.max(s, axis=-1))
    elif ord == -2:
        y = reductions.min(s, axis=-1)
    else:
        y = reductions.sum(s, axis=-1)
    return manipulation.expand_dims(y, axes) if keepdims else y


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A002
    """Vector norms (one axis), matrix norms (two axes: ord None/'fro', 'nuc', 1, -1, 2, -2,
    inf, -inf), or with ``ord=None, axis=None`` the 2-norm of the flattened array."""
    x = _inexact("norm", x)
    nd = len(aval_of(x).shape)
    if axis is None:
        if ord is None:
            return _sum_of_squares_root(x, None, keepdims)
        axes = tuple(range(nd))
    elif isinstance(axis, (tuple, list)):
        axes = tuple(normalize_axis(a, nd) for a in axis)
        if len(set(axes)) != len(axes):
            raise ValueError(f"duplicate value in 'axis': {tuple(axis)}")
    else:
        axes = (normalize_axis(axis, nd),)
    if len(axes) == 1:
        return vector_norm(x, ord=2 if ord is None else ord, axis=axes, keepdims=keepdims)
    if len(axes) == 2:
        return _matrix_norm(x, ord, axes, keepdims)
    raise ValueError(f"Improper number of axes for norm: axis={axes}. Pass one axis to compute "
                     "a vector-norm, or two axes to compute a matrix-norm.")


def matrix_norm(x: Any, /, *, keepdims: bool = False, ord: Any = "fro") -> Any:  # noqa: A002
    """The matrix norm over the last two axes."""
    return norm(x, ord=ord, keepdims=keepdims, axis=(-2, -1))
