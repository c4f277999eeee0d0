"""Building blocks on stacks of matrices, written with existing primitives.

The last two axes of every operand are the matrix; the leading axes are batch axes, and
operands combined here share them. Made of primitives (transpose, dot_general, iota,
select_n, reshape, slice, ...), these differentiate, batch and transpose through them;
the decompositions' rules and ``jnp.linalg`` are written with them.

Masks (triangles, the diagonal) select with ``select_n`` rather than multiply by 0/1, so
that infinities and NaNs outside the selected part do not leak into it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from .comparison import eq, ge, select_n
from .complex_parts import conj
from .elementwise import add, div, mul, scalar_like
from .linalg import dot_general
from .shape import iota, reshape, slice
from .structural import broadcast_in_dim, convert_element_type, reduce_sum, transpose, zeros


def shape_of(x: Any) -> tuple[int, ...]:
    return aval_of(x).shape


def mT(x: Any) -> Any:  # (NumPy's and JAX's name for the matrix transpose)
    """The matrix transpose: the last two axes swapped."""
    nd = len(shape_of(x))
    return transpose(x, (*range(nd - 2), nd - 1, nd - 2))


def mH(x: Any) -> Any:  # noqa: N802 - JAX's name
    """The conjugate transpose: ``mT`` of a real stack, conjugated too for a complex one."""
    return conj(mT(x)) if aval_of(x).dtype.kind == "c" else mT(x)


def symmetrize(x: Any) -> Any:
    """``(x + x^H) / 2``: the symmetric (Hermitian, if complex) part of each matrix."""
    return div(add(x, mH(x)), scalar_like(2, x))


def matmul(x: Any, y: Any) -> Any:
    """``x @ y`` for stacks with the same batch axes: (..., m, k) @ (..., k, n)."""
    nd = len(shape_of(x))
    batch = tuple(range(nd - 2))
    return dot_general(x, y, (((nd - 1,), (nd - 2,)), (batch, batch)), aval_of(x).dtype)


def _index_grid(shape: tuple[int, ...], k: int = 0) -> tuple[Any, Any]:
    """Row indices (plus ``k``) and column indices of a stack of matrices of ``shape``."""
    matrix = shape[-2:]
    rows, cols = iota(np.int32, matrix, 0), iota(np.int32, matrix, 1)
    if k:
        rows = add(rows, np.asarray(k, np.int32))
    return rows, cols


def _stacked(mask: Any, shape: tuple[int, ...]) -> Any:
    nd = len(shape)
    return mask if nd == 2 else broadcast_in_dim(mask, shape, (nd - 2, nd - 1))


def lower_mask(shape: tuple[int, ...], k: int = 0) -> Any:
    """True on and below the ``k``-th diagonal (``j <= i + k``), for a stack of ``shape``."""
    rows, cols = _index_grid(shape, k)
    return _stacked(ge(rows, cols), shape)


def diagonal_mask(shape: tuple[int, ...]) -> Any:
    """True on the main diagonal, for a stack of ``shape``."""
    rows, cols = _index_grid(shape)
    return _stacked(eq(rows, cols), shape)


def tril(x: Any, k: int = 0) -> Any:
    """``x`` with the entries above the ``k``-th diagonal zeroed."""
    return select_n(lower_mask(shape_of(x), k), zeros(aval_of(x)), x)


def triu(x: Any, k: int = 0) -> Any:
    """``x`` with the entries below the ``k``-th diagonal zeroed."""
    return select_n(lower_mask(shape_of(x), k - 1), x, zeros(aval_of(x)))


def diagonal(x: Any) -> Any:
    """The main diagonal (..., min(m, n)) of a stack (..., m, n): every ``n + 1``-th entry
    of the flattened matrix (a reshape and a strided slice, both linear)."""
    *batch, m, n = shape_of(x)
    k = min(m, n)
    flat = reshape(x, (*batch, m * n))
    limit = (k - 1) * (n + 1) + 1 if k else 0
    nb = len(batch)
    return slice(flat, (0,) * (nb + 1), (*batch, limit), (1,) * nb + (n + 1,))


def diag_embed(v: Any) -> Any:
    """The stack of diagonal matrices (..., k, k) with the diagonals ``v`` (..., k)."""
    *batch, k = shape_of(v)
    shape = (*batch, k, k)
    nb = len(batch)
    rows = broadcast_in_dim(v, shape, (*range(nb), nb + 1))
    return select_n(diagonal_mask(shape), zeros(aval_of(rows)), rows)


def eye(shape: tuple[int, ...], dtype: Any) -> Any:
    """A stack of identity matrices of ``shape`` (..., m, n) (ones where ``i == j``)."""
    return convert_element_type(diagonal_mask(shape), dtypes.canonicalize(dtype))


def trace(x: Any) -> Any:
    """The sums of the main diagonals of a stack (..., m, n)."""
    return reduce_sum(diagonal(x), (len(shape_of(x)) - 2,))


def scale(x: Any, value: float) -> Any:
    """``x`` times the scalar ``value`` (a literal of ``x``'s dtype)."""
    return mul(x, scalar_like(value, x))


def permutation_matrix(permutation: Any, dtype: Any) -> Any:
    """The stack of permutation matrices ``P`` (..., m, m) of ``permutation`` (..., m):
    ``P[i, j] = 1`` where ``j == permutation[i]``, so that ``(P x)[i] = x[permutation[i]]``."""
    *batch, m = shape_of(permutation)
    shape = (*batch, m, m)
    nb = len(batch)
    targets = broadcast_in_dim(permutation, shape, tuple(range(nb + 1)))
    columns = iota(aval_of(permutation).dtype, shape, nb + 1)
    return convert_element_type(eq(targets, columns), dtypes.canonicalize(dtype))


def take_rows(x: Any, permutation: Any, inverse: bool = False) -> Any:
    """``x[..., permutation, :]`` (or, with ``inverse``, the rows put back where
    ``permutation`` took them from), as a product with the permutation matrix.

    A product rather than a gather: exact on finite values (each entry is one product by
    1 plus zeros), but an infinity in ``x`` makes NaNs in its column.
    """
    p = permutation_matrix(permutation, aval_of(x).dtype)
    return matmul(mT(p) if inverse else p, x)
