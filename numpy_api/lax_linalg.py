"""``jaxlite.lax.linalg``: the decomposition primitives as functions, with JAX's signatures.

No promotion: operands must be float32 or float64 stacks of matrices (leading axes are
batch axes). ``jnp.linalg`` and ``jax.scipy.linalg`` build on these.
"""

from __future__ import annotations

from typing import Any

from ..primitives.linalg_decompositions import (
    cholesky_p,
    eig_p,
    eigh_p,
    lu_p,
    qr_p,
    svd_p,
)
from ..primitives.linalg_decompositions import triangular_solve as _triangular_solve
from ..primitives.matrices import symmetrize


def cholesky(x: Any, *, symmetrize_input: bool = True) -> Any:
    """The lower Cholesky factor ``L`` of symmetric positive definite matrices (NaNs where
    one is not positive definite); reads the lower triangle unless ``symmetrize_input``."""
    return cholesky_p.bind1(symmetrize(x) if symmetrize_input else x)


def eigh(x: Any, *, lower: bool = True, symmetrize_input: bool = True,
         sort_eigenvalues: bool = True) -> tuple[Any, Any]:
    """``(v, w)``: eigenvectors and ascending eigenvalues of symmetric matrices. Derivatives
    assume distinct eigenvalues."""
    if not sort_eigenvalues:
        raise NotImplementedError("lax.linalg.eigh: the eigenvalues are always sorted")
    v, w = eigh_p.bind(symmetrize(x) if symmetrize_input else x, lower=bool(lower))
    return v, w


def lu(x: Any) -> tuple[Any, Any, Any]:
    """``(lu, pivots, permutation)`` with ``P x = L U``: the packed factors, LAPACK's row
    swaps (int32) and the rows they pick, ``(P x)[i] = x[permutation[i]]``."""
    lu_, pivots, permutation = lu_p.bind(x)
    return lu_, pivots, permutation


def qr(x: Any, *, pivoting: bool = False, full_matrices: bool = True) -> tuple[Any, Any]:
    """``(q, r)``: ``x = q r`` with orthonormal columns in ``q`` and ``r`` upper triangular."""
    if pivoting:
        raise NotImplementedError("lax.linalg.qr: pivoting is not supported")
    q, r = qr_p.bind(x, full_matrices=bool(full_matrices))
    return q, r


def svd(x: Any, *, full_matrices: bool = True, compute_uv: bool = True) -> Any:
    """``(u, s, vh)`` (or ``s`` alone) with ``x = u diag(s) vh``, ``s`` descending."""
    if not compute_uv:
        return svd_p.bind1(x, full_matrices=bool(full_matrices), compute_uv=False)
    s, u, vh = svd_p.bind(x, full_matrices=bool(full_matrices), compute_uv=True)
    return u, s, vh


def eig(x: Any, *, compute_left_eigenvectors: bool = True,
        compute_right_eigenvectors: bool = True) -> list[Any]:
    """``[w]`` or ``[w, v]``: eigenvalues and right eigenvectors of general matrices, complex.
    Left eigenvectors are not computed (NumPy has none): pass
    ``compute_left_eigenvectors=False``."""
    if compute_left_eigenvectors:
        raise NotImplementedError("lax.linalg.eig: left eigenvectors are not supported; pass "
                                  "compute_left_eigenvectors=False")
    return eig_p.bind(x, compute_right_eigenvectors=bool(compute_right_eigenvectors))


def triangular_solve(a: Any, b: Any, *, left_side: bool = False, lower: bool = False,
                     transpose_a: bool = False, conjugate_a: bool = False,
                     unit_diagonal: bool = False) -> Any:
    """Solve ``op(a) x = b`` (``left_side``) or ``x op(a) = b`` for triangular ``a`` (only
    the ``lower`` or upper triangle is read); ``conjugate_a`` does nothing on real ``a``."""
    del conjugate_a  # (real operands only)
    return _triangular_solve(a, b, left_side=left_side, lower=lower, transpose_a=transpose_a,
                             unit_diagonal=unit_diagonal)
