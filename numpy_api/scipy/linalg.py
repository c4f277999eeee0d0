"""``jaxlite.scipy.linalg``: SciPy's linear algebra on jaxlite arrays, as ``jax.scipy.linalg``.

Built on ``jnp.linalg`` and the decomposition primitives (``primitives/
linalg_decompositions``) and matrix functions (``primitives/matrix_functions``): ``expm``
differentiates to any order through its Fréchet derivative; ``schur`` and ``sqrtm`` are
not differentiable, as in JAX. SciPy's ``overwrite_*`` and ``check_finite`` arguments are
accepted and ignored. Integer inputs compute in the default float dtype.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

import numpy as np

from ...core.trace import aval_of
from ...primitives import elementwise as ew
from ...primitives import matrices as mat
from ...primitives import matrix_functions as mf
from ...primitives.custom_rules import SymbolicZero, custom_jvp
from ...primitives.linalg_decompositions import cholesky_p, lu_p, lu_solve as _lu_solve
from ...primitives.linalg_decompositions import triangular_solve
from ...primitives.lu_pivots import lu_pivots_to_permutation
from ...primitives.shape import concatenate, pad, reshape
from ...primitives.shape import slice as slice_op
from ...primitives.structural import convert_element_type
from .. import linalg as jnp_linalg
from .._util import array_operand, broadcast_shapes, broadcast_to_shape, promote, promote_inexact

__all__ = [
    "block_diag", "cho_factor", "cho_solve", "cholesky", "det", "eigh", "expm", "expm_frechet",
    "inv", "lu", "lu_factor", "lu_solve", "schur", "solve", "solve_triangular", "sqrtm",
]


def _inexact(name: str, *arrays: Any) -> list[Any]:
    return promote_inexact(*[array_operand(a, f"jax.scipy.linalg.{name}") for a in arrays])


def _shape(x: Any) -> tuple[int, ...]:
    return aval_of(x).shape


def _square(name: str, x: Any) -> int:
    shape = _shape(x)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ValueError(f"jax.scipy.linalg.{name}: expected a (batched) square matrix, got "
                         f"shape {shape}")
    return shape[-1]


def _right_hand_side(name: str, a: Any, b: Any) -> tuple[Any, Any, bool]:
    """``a`` (..., n, n) and ``b`` as a stack (..., n, k) with the same batch axes, and
    whether ``b`` was a vector (or, as JAX still allows with a warning, a stack of them)."""
    a_shape, b_shape = _shape(a), _shape(b)
    n = _square(name, a)
    vector = len(b_shape) == 1
    if not vector and len(a_shape) == len(b_shape) + 1 and a_shape[-1] == b_shape[-1]:
        warnings.warn(f"jax.scipy.linalg.{name}: batched 1D solves with b.ndim > 1 are "
                      "deprecated, and in the future will be treated as a batched 2D solve. "
                      f"Use {name}(..., b[..., None]).squeeze(-1) to avoid this warning.",
                      FutureWarning, stacklevel=3)
        vector = True
    if vector:
        b = reshape(b, b_shape + (1,))
        b_shape = _shape(b)
    if b_shape[-2] != n:
        raise ValueError(f"jax.scipy.linalg.{name}: incompatible shapes a={a_shape} and "
                         f"b={tuple(b_shape[:-1]) if vector else b_shape}")
    batch = broadcast_shapes(a_shape[:-2], b_shape[:-2], name=name)
    return broadcast_to_shape(a, batch + (n, n)), broadcast_to_shape(b, batch + b_shape[-2:]), vector


def _vector_result(x: Any, vector: bool) -> Any:
    return reshape(x, _shape(x)[:-1]) if vector else x


# ---------------------------------------------------------------- triangular and Cholesky


def _transposed(trans: Any) -> bool:
    if trans in (0, "N"):
        return False
    if trans in (1, "T", 2, "C"):  # (real matrices: the conjugate transpose is the transpose)
        return True
    raise ValueError(f"Invalid 'trans' value {trans}")


def solve_triangular(a: Any, b: Any, trans: int | str = 0, lower: bool = False,
                     unit_diagonal: bool = False, overwrite_b: bool = False, debug: Any = None,
                     check_finite: bool = True) -> Any:
    """Solve ``op(a) x = b`` for triangular ``a``, reading only its ``lower`` (or upper)
    triangle (not its diagonal with ``unit_diagonal``); ``op`` is set by ``trans``: 0 or
    "N" (``a``), 1 or "T" (``a^T``), 2 or "C" (``a^H``)."""
    transpose_a = _transposed(trans)
    a, b = _inexact("solve_triangular", a, b)
    if aval_of(a).dtype.kind == "c" and trans in (2, "C"):
        raise NotImplementedError("jax.scipy.linalg.solve_triangular: trans='C' on complex "
                                  "matrices is not supported")
    a, b, vector = _right_hand_side("solve_triangular", a, b)
    x = triangular_solve(a, b, left_side=True, lower=bool(lower), transpose_a=transpose_a,
                         unit_diagonal=bool(unit_diagonal))
    return _vector_result(x, vector)


def cholesky(a: Any, lower: bool = False, overwrite_a: bool = False,
             check_finite: bool = True) -> Any:
    """The Cholesky factor of symmetric positive definite ``a``: ``L`` with ``a = L L^T``
    (``lower``), else ``U`` with ``a = U^T U``; reads only that triangle of ``a``."""
    (x,) = _inexact("cholesky", a)
    _square("cholesky", x)
    if lower:
        return cholesky_p.bind1(x)
    return mat.mT(cholesky_p.bind1(mat.mT(x)))


def cho_factor(a: Any, lower: bool = False, overwrite_a: bool = False,
               check_finite: bool = True) -> tuple[Any, bool]:
    """``(c, lower)`` for ``cho_solve``: the Cholesky factor (zeros in the other triangle)."""
    return cholesky(a, lower=lower), lower


def cho_solve(c_and_lower: tuple[Any, bool], b: Any, overwrite_b: bool = False,
              check_finite: bool = True) -> Any:
    """Solve ``a x = b`` given ``cho_factor(a)``: two triangular solves."""
    c, lower = c_and_lower
    c, b = _inexact("cho_solve", c, b)
    c, b, vector = _right_hand_side("cho_solve", c, b)
    # a = L L^T: L y = b, L^T x = y; a = U^T U: U^T y = b, U x = y
    y = triangular_solve(c, b, left_side=True, lower=bool(lower), transpose_a=not lower)
    x = triangular_solve(c, y, left_side=True, lower=bool(lower), transpose_a=bool(lower))
    return _vector_result(x, vector)


# ---------------------------------------------------------------- LU


def lu_factor(a: Any, overwrite_a: bool = False, check_finite: bool = True) -> tuple[Any, Any]:
    """``(lu, piv)``: the packed factors of ``P a = L U`` and the 0-based row swaps (int32)."""
    (x,) = _inexact("lu_factor", a)
    lu_, pivots, _ = lu_p.bind(x)
    return lu_, pivots


def lu_solve(lu_and_piv: tuple[Any, Any], b: Any, trans: int = 0, overwrite_b: bool = False,
             check_finite: bool = True) -> Any:
    """Solve ``a x = b`` (``trans`` 1 or 2: ``a^T x = b``) given ``lu_factor(a)``."""
    lu_, pivots = lu_and_piv
    transpose = _transposed(trans)
    (lu_, b) = _inexact("lu_solve", lu_, b)
    permutation = lu_pivots_to_permutation(pivots, _shape(lu_)[-2])
    lu_, b, vector = _right_hand_side("lu_solve", lu_, b)
    batch = _shape(b)[:-2]
    permutation = broadcast_to_shape(permutation, batch + _shape(permutation)[-1:])
    return _vector_result(_lu_solve(lu_, permutation, b, transpose=transpose), vector)


def lu(a: Any, permute_l: bool = False, overwrite_a: bool = False,
       check_finite: bool = True) -> tuple[Any, ...]:
    """``(p, l, u)`` with ``a = p l u`` (``l`` unit lower (m, k), ``u`` upper (k, n),
    ``k = min(m, n)``), or ``(p l, u)`` with ``permute_l``."""
    (x,) = _inexact("lu", a)
    lu_, _, permutation = lu_p.bind(x)
    *batch, m, n = _shape(x)
    k = min(m, n)
    dtype = aval_of(x).dtype
    # p[i, j] = 1 where permutation[j] = i: p^T a = a[permutation] = l u
    p = mat.mT(mat.permutation_matrix(permutation, dtype))
    lower = ew.add(mat.tril(_columns(lu_, k), -1), _eye_block((*batch, m, k), dtype))
    upper = mat.triu(_rows(lu_, k))
    if permute_l:
        return mat.matmul(p, lower), upper
    return p, lower, upper


def _eye_block(shape: tuple[int, ...], dtype: Any) -> Any:
    """The identity's first ``shape[-1]`` columns (or rows), stacked to ``shape``."""
    *batch, m, k = shape
    size = min(m, k)
    zero = np.zeros((), dtype)
    return pad(mat.eye((*batch, size, size), dtype), zero,
               [(0, 0, 0)] * len(batch) + [(0, m - size, 0), (0, k - size, 0)])


def _columns(x: Any, k: int) -> Any:
    *batch, m, n = _shape(x)
    return x if n == k else slice_op(x, (0,) * (len(batch) + 2), (*batch, m, k))


def _rows(x: Any, k: int) -> Any:
    *batch, m, n = _shape(x)
    return x if m == k else slice_op(x, (0,) * (len(batch) + 2), (*batch, k, n))


# ---------------------------------------------------------------- solve, inv, det, eigh


def _cholesky_solve(c: Any, rhs: Any) -> Any:
    """``x`` with ``c c^T x = rhs`` for lower triangular ``c``."""
    y = triangular_solve(c, rhs, left_side=True, lower=True)
    return triangular_solve(c, y, left_side=True, lower=True, transpose_a=True)


def _factor(a: Any, lower: bool) -> Any:
    """The lower Cholesky factor of ``a`` from its ``lower`` (or upper) triangle."""
    return cholesky_p.bind1(a if lower else mat.mT(a))


@functools.partial(custom_jvp, nondiff_argnums=(2,))
def _positive_definite_solve(a: Any, b: Any, lower: bool) -> Any:
    return _cholesky_solve(_factor(a, lower), b)


def _positive_definite_solve_jvp(lower, primals, tangents):
    # a x = b  =>  a dx = db - da x, solved with the same Cholesky factor (as JAX's
    # custom_linear_solve: da is the whole perturbation, not one triangle of it)
    (a, b), (ta, tb) = primals, tangents
    c = _factor(a, lower)
    x = _cholesky_solve(c, b)
    rhs = None if type(tb) is SymbolicZero else tb
    if type(ta) is not SymbolicZero:
        product = mat.matmul(ta, x)
        rhs = ew.neg(product) if rhs is None else ew.sub(rhs, product)
    return x, None if rhs is None else _cholesky_solve(c, rhs)


_positive_definite_solve.defjvp(_positive_definite_solve_jvp, symbolic_zeros=True)


def solve(a: Any, b: Any, lower: bool = False, overwrite_a: bool = False,
          overwrite_b: bool = False, debug: bool = False, check_finite: bool = True,
          assume_a: str = "gen") -> Any:
    """Solve ``a x = b``. ``assume_a="pos"`` solves by Cholesky, reading the ``lower`` (or
    upper) triangle of ``a``; "gen", "sym" and "her" by LU."""
    valid = ["gen", "sym", "her", "pos"]
    if assume_a not in valid:
        raise ValueError(f"Expected assume_a to be one of {valid}; got {assume_a!r}")
    if assume_a != "pos":
        return jnp_linalg.solve(a, b)
    a, b = _inexact("solve", a, b)
    a, b, vector = _right_hand_side("solve", a, b)
    return _vector_result(_positive_definite_solve(a, b, bool(lower)), vector)


def inv(a: Any, overwrite_a: bool = False, check_finite: bool = True) -> Any:
    """The inverses of square matrices."""
    return jnp_linalg.inv(a)


def det(a: Any, overwrite_a: bool = False, check_finite: bool = True) -> Any:
    """The determinants of square matrices."""
    return jnp_linalg.det(a)


def eigh(a: Any, b: Any = None, lower: bool = True, eigvals_only: bool = False,
         overwrite_a: bool = False, overwrite_b: bool = False, turbo: bool = True,
         eigvals: Any = None, type: int = 1, check_finite: bool = True) -> Any:  # noqa: A002
    """``(w, v)``, eigenvalues ascending and eigenvectors of symmetric ``a`` (from its
    ``lower`` or upper triangle), or ``w`` with ``eigvals_only``. Derivatives assume
    distinct eigenvalues."""
    if b is not None:
        raise NotImplementedError("Only the b=None case of eigh is implemented")
    if type != 1:
        raise NotImplementedError("Only the type=1 case of eigh is implemented.")
    if eigvals is not None:
        raise NotImplementedError("Only the eigvals=None case of eigh is implemented.")
    w, v = jnp_linalg.eigh(a, UPLO="L" if lower else "U")
    return w if eigvals_only else (w, v)


# ---------------------------------------------------------------- matrix functions


def expm(A: Any, *, upper_triangular: bool = False, max_squarings: int = 16) -> Any:  # noqa: N803
    """The matrix exponential (Padé approximation with scaling and squaring); NaNs where more
    than ``max_squarings`` squarings would be needed. Differentiable to any order."""
    (x,) = _inexact("expm", A)
    shape = _shape(x)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ValueError(f"Expected A to be a (batched) square matrix, got A.shape={shape}.")
    return mf.expm(x, max_squarings)


def expm_frechet(A: Any, E: Any, *, method: str | None = None,  # noqa: N803
                 compute_expm: bool = True) -> Any:
    """``(expm(A), L(A, E))``, or ``L(A, E)`` alone: the derivative of ``expm`` at ``A`` in
    the direction ``E``."""
    a, e = _inexact("expm_frechet", A, E)
    a_shape, e_shape = _shape(a), _shape(e)
    if len(a_shape) < 2 or a_shape[-1] != a_shape[-2]:
        raise ValueError(f"expected A to be a (batched) square matrix, got A.shape={a_shape}")
    if len(e_shape) < 2 or e_shape[-1] != e_shape[-2]:
        raise ValueError(f"expected E to be a (batched) square matrix, got E.shape={e_shape}")
    if a_shape != e_shape:
        raise ValueError(f"expected A and E to be the same shape, got A.shape={a_shape} "
                         f"E.shape={e_shape}")
    frechet = mf.expm_frechet(a, e)
    return (mf.expm(a), frechet) if compute_expm else frechet


def sqrtm(A: Any, blocksize: int = 1) -> Any:  # noqa: N803
    """The principal square root of square matrices, complex (from the complex Schur form).
    Not differentiable (as in JAX)."""
    if blocksize > 1:
        raise NotImplementedError("Blocked version is not implemented yet.")
    (x,) = _inexact("sqrtm", A)
    _square("sqrtm", x)
    return mf.sqrtm(x)


def schur(a: Any, output: str = "real") -> tuple[Any, Any]:
    """``(T, Z)`` with ``a = Z T Z^H``: ``T`` upper triangular (``output="complex"``) or
    quasi-triangular with 2x2 blocks for complex eigenvalue pairs ("real"). Not
    differentiable (as in JAX)."""
    if output not in ("real", "complex"):
        raise ValueError(f"Expected 'output' to be either 'real' or 'complex', got "
                         f"output={output!r}.")
    (x,) = _inexact("schur", a)
    _square("schur", x)
    if output == "complex" and aval_of(x).dtype.kind != "c":
        x = convert_element_type(x, np.result_type(aval_of(x).dtype, np.complex64))
    return mf.schur(x)


def block_diag(*arrs: Any) -> Any:
    """The block diagonal matrix of the (at most 2-d) arguments, in their common dtype."""
    if not arrs:
        arrs = (np.zeros((1, 0), np.float32),)
    arrs = promote(*[array_operand(a, "jax.scipy.linalg.block_diag") for a in arrs])
    for i, a in enumerate(arrs):
        if len(_shape(a)) > 2:
            raise ValueError("Arguments to jax.scipy.linalg.block_diag must have at most 2 "
                             f"dimensions, got {a} at argument {i}.")
    blocks = [reshape(a, (1,) * (2 - len(_shape(a))) + _shape(a)) for a in arrs]
    total = sum(_shape(b)[1] for b in blocks)
    zero = np.zeros((), aval_of(blocks[0]).dtype)
    rows, start = [], 0
    for block in blocks:
        cols = _shape(block)[1]
        rows.append(pad(block, zero, [(0, 0, 0), (start, total - start - cols, 0)]))
        start += cols
    return concatenate(rows, 0)
