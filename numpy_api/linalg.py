"""``jnp.linalg``: NumPy's linear algebra on jaxlite arrays, with JAX's signatures and dtypes.

Decompositions bind the primitives of ``primitives/linalg_decompositions`` (stacks of
matrices: leading axes are batch axes); everything else composes them. Norms are in
``linalg_norms``, the products ``jnp.linalg`` adds in ``linalg_products``. Integer and
boolean inputs compute in the default float dtype (float32 unless x64 is on). Four
functions carry their own derivative rules (``custom_jvp``), as JAX's do, where
differentiating the composition would be wasteful or singular:

* ``solve`` (and ``inv``): ``dx = solve(a, db - da x)``, with the forward pass's LU;
* ``slogdet``: ``d logdet = trace(solve(a, da))``, the sign constant;
* ``det`` (n > 3): ``d det = trace(adj(a) da)``, the adjugate computed from the LU factors
  so that it stays finite at singular matrices (and is zero below rank n - 1);
* ``pinv``: Golub and Pereyra's formula.
"""

from __future__ import annotations

import math
import operator
from typing import Any, NamedTuple

import numpy as np

from ..core.avals import shaped_array
from ..core.trace import aval_of
from ..primitives import complex_parts
from ..primitives import elementwise as ew
from ..primitives import matrices as mat
from ..primitives import reductions as red
from ..primitives import shape as shape_ops
from ..primitives.comparison import eq, ne, select_n
from ..primitives.custom_rules import SymbolicZero, custom_jvp
from ..primitives.linalg_decompositions import (
    cholesky_p,
    eig_p,
    eigh_p,
    lu_p,
    lu_solve,
    qr_p,
    svd_p,
    triangular_solve,
)
from ..primitives.structural import broadcast_in_dim, convert_element_type, reduce_sum, zeros
from . import manipulation, products, reductions, ufuncs
from ._util import (
    array_operand,
    broadcast_shapes,
    broadcast_to_shape,
    promote_inexact,
)
from .linalg_norms import matrix_norm, norm, vector_norm
from .linalg_products import cross, matrix_transpose, multi_dot, outer
from .products import matmul, tensordot, vecdot

__all__ = [
    "EigResult", "EighResult", "QRResult", "SVDResult", "SlogdetResult", "cholesky", "cond",
    "cross", "det", "eig", "eigh", "eigvals", "eigvalsh", "inv", "lstsq", "matmul",
    "matrix_norm", "matrix_power", "matrix_rank", "matrix_transpose", "multi_dot", "norm",
    "outer", "pinv", "qr", "slogdet", "solve", "svd", "svdvals", "tensordot", "tensorinv",
    "tensorsolve", "vecdot", "vector_norm",
]


class SlogdetResult(NamedTuple):
    sign: Any
    logabsdet: Any


class QRResult(NamedTuple):
    Q: Any  # noqa: N815 - NumPy's field names
    R: Any  # noqa: N815


class EighResult(NamedTuple):
    eigenvalues: Any
    eigenvectors: Any


class SVDResult(NamedTuple):
    U: Any  # noqa: N815
    S: Any  # noqa: N815
    Vh: Any  # noqa: N815


class EigResult(NamedTuple):
    eigenvalues: Any
    eigenvectors: Any


def _inexact(name: str, *arrays: Any) -> list[Any]:
    """The arrays, promoted together to an inexact dtype (integers and bools to float)."""
    return promote_inexact(*[array_operand(a, f"jnp.linalg.{name}") for a in arrays])


def _shape(x: Any) -> tuple[int, ...]:
    return aval_of(x).shape


def _check_square(x: Any, message: str, error: type = ValueError) -> int:
    shape = _shape(x)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise error(message.format(shape=shape))
    return shape[-1]


def _eps(x: Any) -> float:
    return float(np.finfo(aval_of(x).dtype).eps)


def _entry(x: Any, i: int, j: int) -> Any:
    """``x[..., i, j]`` of a stack of matrices."""
    *batch, _, _ = _shape(x)
    nb = len(batch)
    block = shape_ops.slice(x, (0,) * nb + (i, j), (*batch, i + 1, j + 1))
    return shape_ops.reshape(block, tuple(batch))


def _last_axis(x: Any, start: int, stop: int) -> Any:
    """``x[..., start:stop]``."""
    shape = _shape(x)
    return shape_ops.slice(x, (0,) * (len(shape) - 1) + (start,), (*shape[:-1], stop))


# ---------------------------------------------------------------- decompositions


def cholesky(a: Any, *, upper: bool = False, symmetrize_input: bool = True) -> Any:
    """The Cholesky factor ``L`` (lower) of symmetric positive definite matrices, ``a = L L^T``
    (``U = L^T`` with ``upper``). A matrix that is not positive definite gives NaNs."""
    (x,) = _inexact("cholesky", a)
    _check_square(x, "cholesky: argument must have shape [..., n, n], got {shape}", TypeError)
    chol = cholesky_p.bind1(mat.symmetrize(x) if symmetrize_input else x)
    return mat.mH(chol) if upper else chol


def qr(a: Any, mode: str = "reduced") -> Any:
    """``a = Q R``: ``mode`` "reduced" (Q (m, k), R (k, n)), "complete" (Q (m, m)), or "r"."""
    (x,) = _inexact("qr", a)
    if mode not in ("reduced", "r", "full", "complete"):
        if mode == "raw":
            raise NotImplementedError("jnp.linalg.qr: mode 'raw' is not supported")
        raise ValueError(f"Unsupported QR decomposition mode '{mode}'")
    q, r = qr_p.bind(x, full_matrices=mode == "complete")
    return r if mode == "r" else QRResult(q, r)


def _uplo_lower(uplo: Any) -> bool:
    if uplo is None or uplo == "L":
        return True
    if uplo == "U":
        return False
    raise ValueError(f"UPLO must be one of None, 'L', or 'U', got {uplo}")


def eigh(a: Any, UPLO: str | None = None,  # noqa: N803 - NumPy's name
         symmetrize_input: bool = True) -> EighResult:
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices. Derivatives assume
    distinct eigenvalues; with ``symmetrize_input`` (default) the input is ``(a + a^T) / 2``."""
    lower = _uplo_lower(UPLO)
    (x,) = _inexact("eigh", a)
    _check_square(x, "eigh: argument must have shape [..., n, n], got {shape}", TypeError)
    v, w = eigh_p.bind(mat.symmetrize(x) if symmetrize_input else x, lower=lower)
    return EighResult(w, v)


def eigvalsh(a: Any, UPLO: str | None = "L", *, symmetrize_input: bool = True) -> Any:  # noqa: N803
    """The eigenvalues (ascending) of symmetric matrices."""
    return eigh(a, UPLO, symmetrize_input=symmetrize_input).eigenvalues


def svd(a: Any, full_matrices: bool = True, compute_uv: bool = True,
        hermitian: bool = False) -> Any:
    """``a = U diag(S) Vh``, singular values descending. Derivatives of U and Vh assume
    distinct nonzero singular values and ``full_matrices=False`` (or square matrices).
    ``hermitian`` is accepted and computed by the general SVD."""
    (x,) = _inexact("svd", a)
    if not compute_uv:
        return svd_p.bind1(x, full_matrices=bool(full_matrices), compute_uv=False)
    s, u, vh = svd_p.bind(x, full_matrices=bool(full_matrices), compute_uv=True)
    return SVDResult(u, s, vh)


def svdvals(x: Any, /) -> Any:
    """The singular values, descending."""
    return svd(x, compute_uv=False)


def eig(a: Any) -> EigResult:
    """Eigenvalues and right eigenvectors of general square matrices, complex (complex64 for
    float32 input). Not differentiable (as in JAX): use ``eigvals``, forward mode."""
    (x,) = _inexact("eig", a)
    _check_square(x, "The input to eig must be a square matrix. Got shape {shape}.")
    w, v = eig_p.bind(x, compute_right_eigenvectors=True)
    return EigResult(w, v)


def eigvals(a: Any) -> Any:
    """Eigenvalues of general square matrices, complex. Differentiable in forward mode
    (distinct eigenvalues)."""
    (x,) = _inexact("eigvals", a)
    _check_square(x, "The input to eig must be a square matrix. Got shape {shape}.")
    return eig_p.bind1(x, compute_right_eigenvectors=False)


# ---------------------------------------------------------------- solve, inv


@custom_jvp
def _solve(a: Any, b: Any) -> Any:
    lu, _, permutation = lu_p.bind(a)
    return lu_solve(lu, permutation, b)


def _solve_jvp(primals, tangents):
    # a x = b  =>  a dx = db - da x: one LU serves the value and the tangent (and, transposed,
    # the cotangents: a^-T ct, -(a^-T ct) x^T); zero tangents cost nothing
    (a, b), (ta, tb) = primals, tangents
    lu, _, permutation = lu_p.bind(a)
    x = lu_solve(lu, permutation, b)
    rhs = None if type(tb) is SymbolicZero else tb
    if type(ta) is not SymbolicZero:
        product = mat.matmul(ta, x)
        rhs = ew.neg(product) if rhs is None else ew.sub(rhs, product)
    return x, None if rhs is None else lu_solve(lu, permutation, rhs)


_solve.defjvp(_solve_jvp, symbolic_zeros=True)


def solve(a: Any, b: Any) -> Any:
    """Solve ``a x = b``: ``b`` is a vector (m,) if 1-d, else a stack of matrices (..., m, k);
    leading axes broadcast."""
    a, b = _inexact("solve", a, b)
    a_shape, b_shape = _shape(a), _shape(b)
    if len(a_shape) < 2:
        raise ValueError(f"left hand array must be at least two dimensional; got a.shape={a_shape}")
    if (len(b_shape) > 1 and len(a_shape) == len(b_shape) + 1 and a_shape[-1] == b_shape[-1]
            and a_shape[-1] != b_shape[-2]):
        raise ValueError(f"Invalid shapes for solve: {a_shape}, {b_shape}. A stack of vectors "
                         "is no longer solved as such: use solve(a, b[..., None])[..., 0].")
    m = a_shape[-1]
    vector = len(b_shape) == 1
    if a_shape[-2] != m or b_shape[0 if vector else -2] != m:
        raise ValueError(f"solve: a must be (..., m, m) and b (m,) or (..., m, k); got "
                         f"a.shape={a_shape} and b.shape={b_shape}")
    if vector:
        b, b_shape = shape_ops.reshape(b, (m, 1)), (m, 1)
    batch = broadcast_shapes(a_shape[:-2], b_shape[:-2], name="solve")
    x = _solve(broadcast_to_shape(a, batch + (m, m)), broadcast_to_shape(b, batch + b_shape[-2:]))
    return shape_ops.reshape(x, batch + (m,)) if vector else x


def inv(a: Any) -> Any:
    """The inverses of square matrices (a solve against the identity)."""
    (x,) = _inexact("inv", a)
    _check_square(x, "Argument to inv must have shape [..., n, n], got {shape}.")
    return _solve(x, mat.eye(_shape(x), aval_of(x).dtype))


# ---------------------------------------------------------------- determinants


def _swaps_sign(pivots: Any, dtype: np.dtype) -> Any:
    """(-1) ** (the number of row swaps ``pivots`` makes), in ``dtype``."""
    shape = _shape(pivots)
    swapped = ne(pivots, shape_ops.iota(np.int32, shape, len(shape) - 1))
    flips = select_n(swapped, shape_ops.full(shape, 1, dtype), shape_ops.full(shape, -1, dtype))
    return red.reduce_prod(flips, (len(shape) - 1,))


def _lu_sign_and_log(lu: Any, pivots: Any) -> tuple[Any, Any]:
    """sign(det) and log|det| from LU factors; a zero pivot gives (0, -inf)."""
    diag = mat.diagonal(lu)
    axis = (len(_shape(diag)) - 1,)
    sign = ew.mul(_swaps_sign(pivots, aval_of(lu).dtype),
                  red.reduce_prod(ew.sign_p.bind1(diag), axis))
    singular = eq(diag, ew.scalar_like(0, diag))
    safe = select_n(singular, diag, ew.full_like(1, diag))  # (no log(0) warning)
    logdet = reduce_sum(ew.log(ew.abs_p.bind1(safe)), axis)
    return sign, select_n(red.reduce_max(singular, axis), logdet, ew.full_like(-np.inf, logdet))


@custom_jvp
def _slogdet(a: Any) -> tuple[Any, Any]:
    lu, pivots, _ = lu_p.bind(a)
    return _lu_sign_and_log(lu, pivots)


@_slogdet.defjvp
def _slogdet_jvp(primals, tangents):
    # d log det a = trace(a^-1 da): its real part is d log|det a|; for a complex matrix its
    # imaginary part turns the sign (d sign = i Im(trace) sign); a real sign is constant
    (a,), (t,) = primals, tangents
    lu, pivots, permutation = lu_p.bind(a)
    sign, logdet = _lu_sign_and_log(lu, pivots)
    d_log = mat.trace(lu_solve(lu, permutation, t))
    if aval_of(d_log).dtype.kind != "c":
        return (sign, logdet), (None, d_log)
    turn = complex_parts.complex(ew.full_like(0, logdet), complex_parts.imag(d_log))
    return (sign, logdet), (ew.mul(sign, turn), complex_parts.real(d_log))


def slogdet(a: Any, *, method: str | None = None) -> SlogdetResult:
    """``(sign, log|det|)`` of square matrices, by LU; a singular matrix gives ``(0, -inf)``."""
    if method not in (None, "lu"):
        if method == "qr":
            raise NotImplementedError("jnp.linalg.slogdet: method 'qr' is not supported")
        raise ValueError(f"Unknown slogdet method '{method}'. Supported methods are 'lu' "
                         "(`None`), and 'qr'.")
    (x,) = _inexact("slogdet", a)
    _check_square(x, "Argument to slogdet() must have shape [..., n, n], got {shape}")
    return SlogdetResult(*_slogdet(x))


def _det_2x2(x: Any) -> Any:
    e = _entry
    return ew.sub(ew.mul(e(x, 0, 0), e(x, 1, 1)), ew.mul(e(x, 0, 1), e(x, 1, 0)))


def _det_3x3(x: Any) -> Any:
    def term(*ij: tuple[int, int]) -> Any:
        (i0, j0), (i1, j1), (i2, j2) = ij
        return ew.mul(ew.mul(_entry(x, i0, j0), _entry(x, i1, j1)), _entry(x, i2, j2))

    plus = ew.add(ew.add(term((0, 0), (1, 1), (2, 2)), term((0, 1), (1, 2), (2, 0))),
                  term((0, 2), (1, 0), (2, 1)))
    minus = ew.add(ew.add(term((0, 2), (1, 1), (2, 0)), term((0, 0), (1, 2), (2, 1))),
                   term((0, 1), (1, 0), (2, 2)))
    return ew.sub(plus, minus)


def _cofactor_solve(a: Any, b: Any) -> tuple[Any, Any]:
    """``det(a)`` and ``adj(a) b`` (= ``det(a) a^-1 b`` for nonsingular ``a``) from the LU
    factors of ``a``, finite at singular matrices.

    With ``P a = L U`` and ``p`` the product of U's diagonal but its last entry, ``adj(a) b``
    is ``U'^-1 x'`` where ``x = L^-1 P b``, ``x'`` is ``x`` with all rows but the last
    scaled by ``det(a)``, and ``U'`` is ``U`` with its corner entry replaced by
    ``1 / (sign p)``: no division by the last pivot, which is zero at rank n - 1. Below
    rank n - 1 (an earlier pivot is zero) the adjugate is zero, and so is the result.
    """
    *batch, n, _ = _shape(a)
    if n == 1:
        return _entry(a, 0, 0), b
    lu, pivots, permutation = lu_p.bind(a)
    nb = len(batch)
    partial = ew.mul(_swaps_sign(pivots, aval_of(lu).dtype),
                     red.reduce_prod(_last_axis(mat.diagonal(lu), 0, n - 1), (nb,)))
    det = ew.mul(partial, _entry(lu, n - 1, n - 1))
    # (an earlier zero pivot makes p zero, but also U' singular: any finite corner will do)
    nonzero = select_n(eq(partial, ew.scalar_like(0, partial)), partial, ew.full_like(1, partial))
    corner = ew.div(ew.scalar_like(1, partial), nonzero)
    last_row, last_col = (eq(shape_ops.iota(np.int32, _shape(lu), axis), np.int32(n - 1))
                          for axis in (nb, nb + 1))
    corner_mask = ufuncs.logical_and(last_row, last_col)
    lu = select_n(corner_mask, lu, broadcast_in_dim(corner, _shape(lu), tuple(range(nb))))
    # below rank n - 1 the modified U is still singular: its solves are not finite
    probe = triangular_solve(lu, shape_ops.full((*batch, n, 1), 1, aval_of(lu).dtype),
                             left_side=True)
    low_rank = ufuncs.logical_not(red.reduce_min(ufuncs.isfinite(probe), (nb, nb + 1)))
    zeroed = broadcast_in_dim(low_rank, _shape(b), tuple(range(nb)))
    x = select_n(zeroed, b, zeros(aval_of(b)))
    x = triangular_solve(lu, mat.take_rows(x, permutation), left_side=True, lower=True,
                         unit_diagonal=True)
    top = _rows(x, 0, n - 1)
    top = ew.mul(top, broadcast_in_dim(det, _shape(top), tuple(range(nb))))
    x = shape_ops.concatenate([top, _rows(x, n - 1, n)], nb)
    x = triangular_solve(lu, x, left_side=True)
    return det, select_n(zeroed, x, zeros(aval_of(x)))


def _rows(x: Any, start: int, stop: int) -> Any:
    """``x[..., start:stop, :]``."""
    *batch, _, k = _shape(x)
    return shape_ops.slice(x, (0,) * len(batch) + (start, 0), (*batch, stop, k))


@custom_jvp
def _det(a: Any) -> Any:
    sign, logdet = _slogdet(a)
    magnitude = ew.exp(logdet)  # (real: a complex matrix has a complex sign)
    return ew.mul(sign, convert_element_type(magnitude, aval_of(sign).dtype))


@_det.defjvp
def _det_jvp(primals, tangents):
    # d det(a) = trace(adj(a) da)
    (a,), (t,) = primals, tangents
    det, adj_t = _cofactor_solve(a, t)
    return det, mat.trace(adj_t)


def det(a: Any) -> Any:
    """Determinants of square matrices; the gradient is finite at singular matrices."""
    (x,) = _inexact("det", a)
    n = _check_square(x, "Argument to _det() must have shape [..., n, n], got {shape}")
    if n == 2:
        return _det_2x2(x)
    if n == 3:
        return _det_3x3(x)
    return _det(x)


def cond(x: Any, p: Any = None) -> Any:
    """The condition number ``norm(x, p) * norm(inv(x), p)`` (singular values' ratio for p
    None, 2, -2); infinite (not NaN) for singular matrices without NaN entries."""
    (a,) = _inexact("cond", x)
    shape = _shape(a)
    if len(shape) < 2:
        raise ValueError(f"jnp.linalg.cond: input array must be at least 2D; got arr.shape={shape}")
    if shape[-1] == 0 or shape[-2] == 0:
        raise ValueError(f"jnp.linalg.cond: input array must not be empty; got arr.shape={shape}")
    k = min(shape[-2:])
    if p is None or p == 2 or p == -2:
        s = svdvals(a)
        largest = shape_ops.reshape(_last_axis(s, 0, 1), shape[:-2])
        smallest = shape_ops.reshape(_last_axis(s, k - 1, k), shape[:-2])
        if p != -2:
            return ew.div(largest, smallest)
        r = ew.div(smallest, largest)
    else:
        if shape[-2] != shape[-1]:
            raise ValueError(f"jnp.linalg.cond: for p={p}, array must be square; got "
                             f"arr.shape={shape}")
        r = ew.mul(norm(a, ord=p, axis=(-2, -1)), norm(inv(a), ord=p, axis=(-2, -1)))
    nan_free = ufuncs.logical_not(reductions.any(ufuncs.isnan(a), axis=(-2, -1)))
    return manipulation.where(ufuncs.logical_and(ufuncs.isnan(r), nan_free), np.inf, r)


# ---------------------------------------------------------------- pseudo-inverse, rank, lstsq


def _pinv_cutoff(s: Any, rtol: Any, m: int, n: int) -> Any:
    dtype = aval_of(s).dtype
    if rtol is None:
        rtol = 10.0 * max(m, n) * float(np.finfo(dtype).eps)
    rtol = convert_element_type(array_operand(rtol, "jnp.linalg.pinv"), dtype)
    rtol = broadcast_to_shape(manipulation.expand_dims(rtol, -1), _shape(s))
    return ew.mul(rtol, broadcast_to_shape(_last_axis(s, 0, 1), _shape(s)))


def _pinv(x: Any, rtol: Any, hermitian: bool) -> Any:
    *batch, m, n = _shape(x)
    if m == 0 or n == 0:
        return zeros(shaped_array((*batch, n, m), aval_of(x).dtype))
    s, u, vh = svd_p.bind(x, full_matrices=False, compute_uv=True)
    kept = ufuncs.greater(s, _pinv_cutoff(s, rtol, m, n))
    s = select_n(kept, ew.full_like(np.inf, s), s)  # small singular values: 1/s = 0
    nb = len(batch)
    s_rows = broadcast_in_dim(convert_element_type(s, aval_of(x).dtype),
                              (*batch, min(m, n), m), (*range(nb), nb))
    return mat.matmul(mat.mH(vh), ew.div(mat.mH(u), s_rows))


_pinv = custom_jvp(_pinv, nondiff_argnums=(1, 2))


@_pinv.defjvp
def _pinv_jvp(rtol, hermitian, primals, tangents):
    # Golub and Pereyra (1973): dP = -P dA P + P P^H dA^H (I - A P) + (I - P A) dA^H P^H P
    (a,), (t,) = primals, tangents
    p = _pinv(a, rtol, hermitian)
    if hermitian:
        a, t = mat.symmetrize(a), mat.symmetrize(t)
    m, n = _shape(a)[-2:]
    mm, tp = mat.matmul, mat.mH
    if m >= n:
        s = mm(mm(p, tp(p)), tp(t))
        u = mm(mm(tp(t), tp(p)), p)
        dp = ew.sub(ew.add(ew.neg(mm(mm(p, t), p)), s), mm(mm(s, a), p))
        dp = ew.sub(ew.add(dp, u), mm(mm(p, a), u))
    else:
        s = mm(p, mm(tp(p), tp(t)))
        u = mm(tp(t), mm(tp(p), p))
        dp = ew.sub(ew.add(ew.neg(mm(p, mm(t, p))), s), mm(s, mm(a, p)))
        dp = ew.sub(ew.add(dp, u), mm(p, mm(a, u)))
    return p, dp


def pinv(a: Any, rtol: Any = None, hermitian: bool = False, *, rcond: Any = None) -> Any:
    """The Moore-Penrose pseudo-inverse: singular values at most ``rtol`` times the largest
    are dropped (default ``10 max(m, n) eps``)."""
    if rcond is not None:
        if rtol is not None:
            raise ValueError("pinv: only one of rtol and rcond may be specified.")
        rtol = rcond
    (x,) = _inexact("pinv", a)
    if len(_shape(x)) < 2:
        raise ValueError(f"jnp.linalg.pinv: argument must be at least 2D; got shape {_shape(x)}")
    return _pinv(x, rtol, bool(hermitian))


def matrix_rank(M: Any, rtol: Any = None, *, hermitian: bool = False,  # noqa: N803
                tol: Any = None) -> Any:
    """The number of singular values above ``rtol`` times the largest (default
    ``max(m, n) eps``); int."""
    if tol is not None:
        if rtol is not None:
            raise ValueError("matrix_rank: only one of tol or rtol may be specified.")
        rtol = tol
    (x,) = _inexact("matrix_rank", M)
    shape = _shape(x)
    if len(shape) < 2:
        return convert_element_type(reductions.any(ufuncs.not_equal(x, 0)), np.int32)
    s = svdvals(x)
    if rtol is None:
        rtol = ew.mul(reductions.max(s, axis=-1), ew.scalar_like(max(shape[-2:]) * _eps(s), s))
    else:
        rtol = convert_element_type(array_operand(rtol, "jnp.linalg.matrix_rank"),
                                    aval_of(s).dtype)
    threshold = manipulation.expand_dims(rtol, len(_shape(rtol)))
    return reductions.sum(ufuncs.greater(s, threshold), axis=-1)


def lstsq(a: Any, b: Any, rcond: Any = None, *, numpy_resid: bool = False) -> tuple:
    """Least squares ``argmin |a x - b|`` by SVD: ``(x, residuals, rank, s)``; ``a`` (m, n) and
    ``b`` (m,) or (m, k). Residuals are always returned unless ``numpy_resid``."""
    a, b = _inexact("lstsq", a, b)
    a_shape, b_shape = _shape(a), _shape(b)
    if not a_shape or not b_shape or a_shape[0] != b_shape[0]:
        raise ValueError("Leading dimensions of input arrays must match")
    vector = len(b_shape) == 1
    if vector:
        b = shape_ops.reshape(b, (b_shape[0], 1))
    if len(a_shape) != 2:
        raise TypeError(f"{len(a_shape)}-dimensional array given. Array must be two-dimensional")
    if len(_shape(b)) != 2:
        raise TypeError(f"{len(b_shape)}-dimensional array given. Array must be one or "
                        "two-dimensional")
    m, n = a_shape
    dtype = aval_of(a).dtype
    rcond = _eps(a) * max(m, n) if rcond is None else float(rcond)
    if rcond < 0:
        rcond = _eps(a)
    s, u, vt = svd_p.bind(a, full_matrices=False, compute_uv=True)
    largest = broadcast_to_shape(_last_axis(s, 0, 1), _shape(s))
    mask = ufuncs.logical_and(ufuncs.greater(s, 0.0),
                              ufuncs.greater_equal(s, ew.mul(largest, ew.scalar_like(rcond, s))))
    rank = reductions.sum(mask)
    safe = select_n(mask, ew.full_like(1, s), s)
    s_inv = select_n(mask, ew.full_like(0, s), ew.div(ew.full_like(1, s), safe))
    ut_b = mat.matmul(mat.mH(u), b)
    s_inv = convert_element_type(s_inv, dtype)  # (real: complex for a complex a)
    scaled = ew.mul(broadcast_in_dim(s_inv, _shape(ut_b), (0,)), ut_b)
    x = mat.matmul(mat.mH(vt), scaled)
    if numpy_resid and (int(rank) < n or m <= n):
        resid = array_operand(np.zeros((0,), np.finfo(dtype).dtype), "lstsq")
    else:
        residual = ew.sub(b, mat.matmul(a, x))
        resid = ew.integer_pow(norm(residual, axis=0), 2)
    if vector:
        x = shape_ops.reshape(x, (n,))
    return x, resid, rank, s


# ---------------------------------------------------------------- powers and tensors


def matrix_power(a: Any, n: int) -> Any:
    """``a`` to the integer power ``n`` by repeated squaring (``inv(a)`` for negative ``n``)."""
    x = array_operand(a, "jnp.linalg.matrix_power")
    shape = _shape(x)
    if len(shape) < 2:
        raise TypeError(f"{len(shape)}-dimensional array given. Array must be at least "
                        "two-dimensional")
    if shape[-2] != shape[-1]:
        raise TypeError("Last 2 dimensions of the array must be square")
    try:
        n = operator.index(n)
    except TypeError as err:
        raise TypeError(f"exponent must be an integer, got {n}") from err
    if n == 0:
        return mat.eye(shape, aval_of(x).dtype)
    if n < 0:
        x, n = inv(x), -n
    result, power = None, None
    while n > 0:
        power = x if power is None else products.matmul(power, power)
        n, bit = divmod(n, 2)
        if bit:
            result = power if result is None else products.matmul(result, power)
    return result


def tensorinv(a: Any, ind: int = 2) -> Any:
    """The inverse of a tensor seen as a matrix from its first ``ind`` axes to the others."""
    x = array_operand(a, "tensorinv")
    ind = operator.index(ind)
    if ind <= 0:
        raise ValueError(f"ind must be a positive integer; got ind={ind}")
    shape = _shape(x)
    contracting, rest = shape[:ind], shape[ind:]
    rows, cols = math.prod(contracting), math.prod(rest)
    if rows != cols:
        raise ValueError("tensorinv is only possible when the product of the first `ind` "
                         "dimensions equals that of the remaining dimensions. got "
                         f"arr.shape={shape} with ind={ind}.")
    return shape_ops.reshape(inv(shape_ops.reshape(x, (rows, cols))), (*rest, *contracting))


def tensorsolve(a: Any, b: Any, axes: tuple[int, ...] | None = None) -> Any:
    """Solve ``tensordot(a, x, x.ndim) = b`` for ``x``."""
    x, y = (array_operand(v, "tensorsolve") for v in (a, b))
    if axes is not None:
        x = manipulation.moveaxis(x, axes, [len(_shape(x)) - 1] * len(axes))
    a_shape, b_shape = _shape(x), _shape(y)
    out_shape = a_shape[len(b_shape):]
    if a_shape[:len(b_shape)] != b_shape:
        raise ValueError("After moving axes to end, leading shape of a must match shape of b. "
                         f"got a.shape={a_shape}, b.shape={b_shape}")
    size = math.prod(b_shape)
    if size != math.prod(out_shape):
        raise ValueError("Input arrays must have prod(a.shape[:b.ndim]) == "
                         f"prod(a.shape[b.ndim:]); got a.shape={a_shape}, b.ndim={len(b_shape)}.")
    matrix = shape_ops.reshape(x, (size, size))
    return shape_ops.reshape(solve(matrix, shape_ops.reshape(y, (size,))), out_shape)
