"""Matrix decompositions and triangular solves, as primitives whose impls call LAPACK.

Operands are stacks of matrices: the last two axes are the matrix, leading axes are batch
axes (as NumPy treats them), so batching only moves the batch axis to the front. Each
jvp rule is written with primitives (triangular solves, products, masks: ``matrices``),
so derivatives of any order come from differentiating it again.

``triangular_solve``  solve a triangular system; linear in its right-hand side
``cholesky``          ``A = L L^H`` (reads A's lower triangle)
``lu``                ``P A = L U`` with partial pivoting: packed factors, pivots, permutation
``qr``                ``A = Q R`` (R's diagonal real, as LAPACK makes it)
``eigh``              ``A = V diag(w) V^H`` of a Hermitian matrix (reads one triangle)
``svd``               ``A = U diag(s) V^H``
``eig``               eigenvalues (and right eigenvectors) of a general square matrix

Real or complex operands (float32, float64, complex64, complex128; ``eig``'s derivative
solves with its complex eigenvectors). Complex rules use conjugate transposes; the
eigenvalues of ``eigh`` and the singular values are real. ``solve`` and ``lu_solve`` at
the end compose them, for ``jnp.linalg`` and ``jax.scipy.linalg``.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.avals import ShapedArray, shaped_array
from ..core.primitive import NOT_LINEAR, NOT_MAPPED, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from . import lapack
from .combinators import cached_shape_rule, shape_error
from .comparison import select_n
from .complex_parts import conj, real
from .elementwise import add, add_tangents, div, integer_pow, mul, neg, sub
from .matrices import (
    diagonal,
    diagonal_mask,
    eye,
    lower_mask,
    matmul,
    mH,
    mT,
    scale,
    shape_of,
    symmetrize,
    take_rows,
    tril,
    triu,
)
from .shape import concatenate, pad, reshape, slice
from .structural import bdim_to, broadcast_in_dim, convert_element_type, moveaxis, zeros

_REAL = (dtypes.float32, dtypes.float64)
_INEXACT = (*_REAL, dtypes.complex64, dtypes.complex128)


def _check_matrices(name: str, x: ShapedArray, square: bool = False, kinds=_REAL) -> None:
    if x.ndim < 2:
        raise shape_error(name, f"needs an operand of rank at least 2 (a matrix or a stack of "
                          f"matrices), got shape {x.shape}", [x])
    if square and x.shape[-1] != x.shape[-2]:
        raise shape_error(name, f"needs square matrices, got shape {x.shape}", [x])
    if x.dtype not in kinds:
        raise shape_error(name, f"does not accept dtype {x.dtype.name}; it needs "
                          f"{' or '.join(d.name for d in kinds)}", [x])


def _decomposition(name: str, impl: Any, shape_rule: Any, jvp: Any) -> Primitive:
    """A primitive of one operand, a stack of matrices: not linear, and batched by making
    the batch axis one more leading (batch) axis."""

    def batch(args, dims, **params):
        (x,), (d,) = args, dims
        outs = prim.bind(moveaxis(x, d, 0), **params)
        return outs, [0] * len(outs)

    prim = Primitive(name, impl=impl, abstract_eval=cached_shape_rule(shape_rule, name),
                     jvp=jvp, transpose=NOT_LINEAR, batch=batch)
    return prim


def _nans(out: np.ndarray) -> np.ndarray:
    return np.full_like(out, complex(np.nan, np.nan) if out.dtype.kind == "c" else np.nan)


def _per_matrix(fn: Callable, a: np.ndarray, failed: Callable = _nans) -> list[np.ndarray]:
    """``fn(a)``, a list of arrays; where NumPy refuses a matrix of the stack (LinAlgError:
    NaNs, no convergence, not positive definite), that matrix's results are ``failed(out)``
    (NaNs by default), as JAX gives them, and the others are computed one by one."""
    try:
        return fn(a)
    except np.linalg.LinAlgError:
        pass
    template = fn(np.eye(*a.shape[-2:], dtype=a.dtype))  # (the results' shapes and dtypes)
    outs = [np.empty(a.shape[:-2] + t.shape, t.dtype) for t in template]
    for index in np.ndindex(a.shape[:-2]):
        try:
            results = fn(a[index])
        except np.linalg.LinAlgError:
            results = [failed(t) for t in template]
        for out, result in zip(outs, results):
            out[index] = result
    return outs


def _zeros_like_outs(outs) -> list:
    return [Zero(aval_of(out)) for out in outs]


def _symmetric_from(t: Any, lower: bool) -> Any:
    """The symmetric (Hermitian, if complex) matrix one triangle of ``t`` defines (the one a
    primitive reads; LAPACK reads only the real part of a complex diagonal)."""
    if lower:
        symmetric = add(tril(t), mH(tril(t, -1)))
    else:
        symmetric = add(triu(t), mH(triu(t, 1)))
    # (averaging with the conjugate transpose changes only the diagonal: its real part)
    return symmetrize(symmetric) if aval_of(t).dtype.kind == "c" else symmetric


def _part(x: Any, rows: tuple[int, int] | None = None, cols: tuple[int, int] | None = None):
    """The block ``x[..., r0:r1, c0:c1]`` of a stack of matrices."""
    *batch, m, n = shape_of(x)
    r0, r1 = rows or (0, m)
    c0, c1 = cols or (0, n)
    if (r0, r1, c0, c1) == (0, m, 0, n):
        return x
    return slice(x, (0,) * len(batch) + (r0, c0), (*batch, r1, c1))


# ---------------------------------------------------------------- triangular_solve
# out = op(a)^-1 b (left_side) or b op(a)^-1, op(a) = a^T if transpose_a; reads the
# lower (or upper) triangle of a, and not its diagonal if unit_diagonal. Linear in b.


def _triangular_solve_impl(a, b, **params):
    return [lapack.triangular_solve(a, b, **params)]


def _triangular_solve_shape(a, b, *, left_side, lower, transpose_a, unit_diagonal):
    _check_matrices("triangular_solve", a, square=True, kinds=_INEXACT)
    _check_matrices("triangular_solve", b, kinds=_INEXACT)
    m = a.shape[-1]
    if b.shape[-2 if left_side else -1] != m or a.shape[:-2] != b.shape[:-2]:
        expected = f"(..., {m}, n)" if left_side else f"(..., n, {m})"
        raise shape_error("triangular_solve", f"b must be {expected} with a's batch axes "
                          f"(left_side={left_side})", [a, b])
    if a.dtype != b.dtype:
        raise shape_error("triangular_solve", "requires operands of one dtype", [a, b])
    return [shaped_array(b.shape, b.dtype)]


def _read_triangle(t: Any, lower: bool, unit_diagonal: bool) -> Any:
    """The part of ``t`` a solve reads: one triangle, without the diagonal if unit."""
    k = -1 if unit_diagonal else 0
    return tril(t, k) if lower else triu(t, -k)


def _triangular_solve_jvp(primals, tangents, outs, **params):
    # left: op(a) x = b  =>  dx = op(a)^-1 (db - op(da) x); right: dx = (db - x op(da)) op(a)^-1
    (a, _), (ta, tb), (x,) = primals, tangents, outs
    rhs = None if type(tb) is Zero else tb
    if type(ta) is not Zero:
        ta = _read_triangle(ta, params["lower"], params["unit_diagonal"])
        op_ta = mT(ta) if params["transpose_a"] else ta
        product = matmul(op_ta, x) if params["left_side"] else matmul(x, op_ta)
        rhs = neg(product) if rhs is None else sub(rhs, product)
    return [add_tangents([None if rhs is None else triangular_solve_p.bind1(a, rhs, **params)],
                         x)]


def _triangular_solve_transpose(cts, a, b, *, transpose_a, **params):
    # b -> op(a)^-1 b is transposed by ct -> op(a)^-T ct (the same on the right side)
    (ct,) = cts
    if type(a) is UndefPrimal:
        raise NotImplementedError("transpose of triangular_solve with respect to its "
                                  "matrix: the solve is linear in its right-hand side only")
    if type(ct) is Zero:
        return [None, Zero(b.aval)]
    return [None, triangular_solve_p.bind1(a, ct, transpose_a=not transpose_a, **params)]


def _triangular_solve_batch(args, dims, *, left_side, **params):
    (a, b), (da, db) = args, dims
    nd = len(shape_of(b))  # (b's rank, its batch axis included)
    if da is NOT_MAPPED:
        # one matrix, many right-hand sides: a single solve. On the left side the members'
        # columns go side by side (the batch axis just after b's columns, merged with
        # them); on the right their rows stack (the batch axis just before b's rows)
        axis = nd - 1 if left_side else nd - 3
        first = nd - 2 if left_side else nd - 3  # (the first of the two axes merged)
        b = moveaxis(b, db, axis)
        shape = shape_of(b)
        merged = (*shape[:first], shape[first] * shape[first + 1], *shape[first + 2:])
        x = triangular_solve_p.bind1(a, reshape(b, merged), left_side=left_side, **params)
        return [reshape(x, shape)], [axis]
    a = moveaxis(a, da, 0)
    b = bdim_to(b, db, 0, shape_of(a)[0])
    return [triangular_solve_p.bind1(a, b, left_side=left_side, **params)], [0]


triangular_solve_p = Primitive(
    "triangular_solve",
    impl=_triangular_solve_impl,
    abstract_eval=cached_shape_rule(_triangular_solve_shape),
    jvp=_triangular_solve_jvp,
    transpose=_triangular_solve_transpose,
    batch=_triangular_solve_batch,
)


def triangular_solve(a: Any, b: Any, *, left_side: bool = False, lower: bool = False,
                     transpose_a: bool = False, unit_diagonal: bool = False) -> Any:
    """Solve ``op(a) x = b`` (``left_side``) or ``x op(a) = b`` with triangular ``a``
    (``lax.linalg.triangular_solve``'s defaults: right side, upper triangle)."""
    return triangular_solve_p.bind1(a, b, left_side=bool(left_side), lower=bool(lower),
                                    transpose_a=bool(transpose_a),
                                    unit_diagonal=bool(unit_diagonal))


# ---------------------------------------------------------------- cholesky
# out = L, lower triangular with a positive diagonal, L L^T = A; reads A's lower triangle.
# A matrix that is not positive definite gets NaNs in its lower triangle (as in JAX).


def _cholesky_impl(a):
    return _per_matrix(lambda x: [np.linalg.cholesky(x)], a,
                       failed=lambda out: np.tril(_nans(out)))


def _cholesky_shape(a):
    _check_matrices("cholesky", a, square=True, kinds=_INEXACT)
    return [shaped_array(a.shape, a.dtype)]


def _lower_halved_diagonal(x: Any) -> Any:
    """Murray's Phi: the lower triangle of ``x`` with its diagonal halved."""
    shape = shape_of(x)
    on_diagonal = select_n(diagonal_mask(shape), zeros(aval_of(x)), scale(x, 0.5))
    return select_n(lower_mask(shape, -1), on_diagonal, x)


def _cholesky_jvp(primals, tangents, outs):
    # Murray (2016), "Differentiation of the Cholesky decomposition":
    # dL = L Phi(L^-1 dA L^-H), dA the symmetric (Hermitian) matrix of the triangle read
    (t,), (chol,) = tangents, outs
    if type(t) is Zero:
        return _zeros_like_outs(outs)
    t = _symmetric_from(t, lower=True)
    conj_chol = conj(chol) if aval_of(chol).dtype.kind == "c" else chol  # (L^-H = conj(L)^-T)
    x = triangular_solve(conj_chol, t, left_side=False, lower=True, transpose_a=True)
    x = triangular_solve(chol, x, left_side=True, lower=True)
    return [matmul(chol, _lower_halved_diagonal(x))]


cholesky_p = _decomposition("cholesky", _cholesky_impl, _cholesky_shape, _cholesky_jvp)


# ---------------------------------------------------------------- lu
# (lu, pivots, permutation): P A = L U with partial pivoting; lu packs L (unit diagonal
# implied) below the diagonal and U on and above it; pivots are LAPACK's row swaps
# (0-based, int32), permutation the rows they pick: (P A)[i] = A[permutation[i]].


def _lu_impl(a):
    lu, pivots = lapack.lu_factor(a)
    return [lu, pivots, lapack.pivots_to_permutation(pivots, a.shape[-2])]


def _lu_shape(a):
    _check_matrices("lu", a, kinds=_INEXACT)
    *batch, m, n = a.shape
    return [shaped_array(a.shape, a.dtype), shaped_array((*batch, min(m, n)), dtypes.int32),
            shaped_array((*batch, m), dtypes.int32)]


def lu_factors(lu: Any) -> tuple[Any, Any]:
    """``L`` (..., m, m), unit lower, and ``U`` (..., n, n), upper, from the packed ``lu``
    (..., m, n), square (padded with the identity) so that they can be solved with."""
    *batch, m, n = shape_of(lu)
    k = min(m, n)
    no_pad = [(0, 0, 0)] * len(batch)
    zero = np.zeros((), aval_of(lu).dtype)
    lower = pad(tril(_part(lu, cols=(0, k)), -1), zero, no_pad + [(0, 0, 0), (0, m - k, 0)])
    lower = add(lower, eye((*batch, m, m), aval_of(lu).dtype))
    upper = triu(_part(lu, rows=(0, k)))
    if n > k:  # the identity completes U's missing rows
        upper = pad(upper, zero, no_pad + [(0, n - k, 0), (0, 0, 0)])
        corner = pad(eye((*batch, n - k, n - k), aval_of(lu).dtype), zero,
                     no_pad + [(k, 0, 0), (k, 0, 0)])
        upper = add(upper, corner)
    return lower, upper


def _lu_jvp(primals, tangents, outs):
    # De Hoog, Anderssen and Lukas (2011): with X = L^-1 P dA U^-1,
    # dL = L tril(X, -1) and dU = triu(X) U (packed like lu); pivots are constant
    (t,), (lu, pivots, permutation) = tangents, outs
    integer_zeros = _zeros_like_outs([pivots, permutation])
    if type(t) is Zero:
        return [Zero(aval_of(lu))] + integer_zeros
    lower, upper = lu_factors(lu)
    x = triangular_solve(lower, take_rows(t, permutation), left_side=True, lower=True,
                         unit_diagonal=True)
    x = triangular_solve(upper, x, left_side=False, lower=False)
    return [add(matmul(lower, tril(x, -1)), matmul(triu(x), upper))] + integer_zeros


lu_p = _decomposition("lu", _lu_impl, _lu_shape, _lu_jvp)


# ---------------------------------------------------------------- qr
# (q, r): A = Q R, Q with orthonormal columns, R upper triangular; with full_matrices
# Q is (m, m) and R (m, n), else Q is (m, k) and R (k, n), k = min(m, n).


def _qr_impl(a, *, full_matrices):
    return list(np.linalg.qr(a, mode="complete" if full_matrices else "reduced"))


def _qr_shape(a, *, full_matrices):
    _check_matrices("qr", a, kinds=_INEXACT)
    *batch, m, n = a.shape
    k = m if full_matrices else min(m, n)
    return [shaped_array((*batch, m, k), a.dtype), shaped_array((*batch, k, n), a.dtype)]


def _qr_tall_jvp(q: Any, r: Any, t: Any) -> tuple[Any, Any]:
    # m >= n (Townsend, "Differentiating the QR decomposition", 2018): with
    # C = Q^H dA R^-1 and W = tril(C, -1) - tril(C, -1)^H (+ i Im(diag C) if complex, which
    # keeps R's diagonal real, as LAPACK makes it), dQ = Q (W - C) + dA R^-1, dR = (C - W) R
    t_rinv = triangular_solve(r, t, left_side=False, lower=False)
    c = matmul(mH(q), t_rinv)
    low = tril(c, -1)
    w = sub(low, mH(low))
    if aval_of(c).dtype.kind == "c":
        imaginary = sub(c, convert_element_type(real(c), aval_of(c).dtype))
        w = add(w, select_n(diagonal_mask(shape_of(c)), zeros(aval_of(c)), imaginary))
    return add(matmul(q, sub(w, c)), t_rinv), matmul(sub(c, w), r)


def _qr_jvp(primals, tangents, outs, *, full_matrices):
    (a,), (t,), (q, r) = primals, tangents, outs
    m, n = shape_of(a)[-2:]
    if full_matrices and m > n:
        raise NotImplementedError("jvp rule for primitive 'qr' is not implemented for "
                                  "full_matrices=True with more rows than columns: the "
                                  "completed columns of Q are not unique (use mode='reduced')")
    if type(t) is Zero:
        return _zeros_like_outs(outs)
    if m >= n:
        return list(_qr_tall_jvp(q, r, t))
    # m < n (as Liao et al. 2019): A = [X Y] with X = Q R1 square; dR2 = Q^T (dY - dQ R2)
    dq, dr1 = _qr_tall_jvp(q, _part(r, cols=(0, m)), _part(t, cols=(0, m)))
    dr2 = matmul(mH(q), sub(_part(t, cols=(m, n)), matmul(dq, _part(r, cols=(m, n)))))
    return [dq, concatenate([dr1, dr2], len(shape_of(a)) - 1)]


qr_p = _decomposition("qr", _qr_impl, _qr_shape, _qr_jvp)


# ---------------------------------------------------------------- eigh
# (v, w): A = V diag(w) V^T for symmetric A, eigenvalues w ascending, from the lower
# (or upper) triangle of A. The derivative assumes distinct eigenvalues.


def _eigh_impl(a, *, lower):
    w, v = np.linalg.eigh(a, UPLO="L" if lower else "U")
    return [v, w]


def _eigh_shape(a, *, lower):
    _check_matrices("eigh", a, square=True, kinds=_INEXACT)
    return [shaped_array(a.shape, a.dtype), shaped_array(a.shape[:-1], np.finfo(a.dtype).dtype)]


def _rows_of(v: Any) -> Any:
    """``v`` (..., k) spread along the rows of a (..., k, k) stack: ``out[..., i, j] = v[j]``."""
    *batch, k = shape_of(v)
    return broadcast_in_dim(v, (*batch, k, k), (*range(len(batch)), len(batch) + 1))


def _reciprocal_off_diagonal(x: Any) -> Any:
    """``1 / x`` off the diagonal and 0 on it, without dividing by the diagonal."""
    identity = eye(shape_of(x), aval_of(x).dtype)
    return sub(integer_pow(add(identity, x), -1), identity)


def _eigh_jvp(primals, tangents, outs, *, lower):
    # with S = V^H dA V: dw = diag(S) (real), dV = V (F o S), F[i, j] = 1 / (w[j] - w[i])
    # off the diagonal (so eigenvalues must be distinct), 0 on it; dA from the triangle read
    (t,), (v, w) = tangents, outs
    if type(t) is Zero:
        return _zeros_like_outs(outs)
    s = matmul(matmul(mH(v), _symmetric_from(t, lower)), v)
    gaps = _rows_of(w)
    f = _reciprocal_off_diagonal(sub(gaps, mT(gaps)))
    if aval_of(s).dtype.kind != "c":
        return [matmul(v, mul(f, s)), diagonal(s)]
    return [matmul(v, mul(convert_element_type(f, aval_of(s).dtype), s)), real(diagonal(s))]


eigh_p = _decomposition("eigh", _eigh_impl, _eigh_shape, _eigh_jvp)


# ---------------------------------------------------------------- svd
# (s, u, vt) with compute_uv, else (s,): A = U diag(s) V^T, s descending; U is (m, m) and
# V^T (n, n) with full_matrices, else (m, k) and (k, n). The derivative assumes distinct
# nonzero singular values (for the vectors).


def _svd_impl(a, *, full_matrices, compute_uv):
    if not compute_uv:
        return _per_matrix(lambda x: [np.linalg.svd(x, compute_uv=False)], a)
    return _per_matrix(lambda x: _svd_outs(*np.linalg.svd(x, full_matrices=full_matrices)), a)


def _svd_outs(u, s, vt) -> list:
    return [s, u, vt]


def _svd_shape(a, *, full_matrices, compute_uv):
    _check_matrices("svd", a, kinds=_INEXACT)
    *batch, m, n = a.shape
    k = min(m, n)
    s = shaped_array((*batch, k), np.finfo(a.dtype).dtype)
    if not compute_uv:
        return [s]
    u_cols, vt_rows = (m, n) if full_matrices else (k, k)
    return [s, shaped_array((*batch, m, u_cols), a.dtype),
            shaped_array((*batch, vt_rows, n), a.dtype)]


def _svd_jvp(primals, tangents, outs, *, full_matrices, compute_uv):
    # with S = U^H dA V: ds = Re diag(S); dU = U (F o (S diag(s) + diag(s) S^H)) and
    # dV = V (F o (diag(s) S + S^H diag(s))), F[i, j] = 1 / (s[j]^2 - s[i]^2) off the
    # diagonal; a non-square A adds the parts of dA outside the span of U (or of V); a
    # complex A adds i Im(diag S) / s to U's phases (JAX's choice among the equivalent ones)
    (a,), (t,) = primals, tangents
    m, n = shape_of(a)[-2:]
    if compute_uv and full_matrices and m != n:
        raise NotImplementedError("jvp rule for primitive 'svd' is not implemented for "
                                  "full_matrices=True on non-square matrices (use "
                                  "full_matrices=False)")
    if type(t) is Zero:
        return _zeros_like_outs(outs)
    if compute_uv:
        s, u, vt = outs
    else:
        s, u, vt = svd_p.bind(a, full_matrices=False, compute_uv=True)
    v = mH(vt)
    dS = matmul(matmul(mH(u), t), v)
    is_complex = aval_of(dS).dtype.kind == "c"
    ds = real(diagonal(dS)) if is_complex else diagonal(dS)
    if not compute_uv:
        return [ds]
    s_j = _rows_of(s)
    s_i = mT(s_j)
    f = _reciprocal_off_diagonal(mul(add(s_j, s_i), sub(s_j, s_i)))
    if is_complex:  # (the real factors made complex, to multiply complex matrices)
        s_j, s_i, f = (convert_element_type(x, aval_of(dS).dtype) for x in (s_j, s_i, f))
    dS_s, s_dS = mul(s_j, dS), mul(s_i, dS)
    du = matmul(u, mul(f, add(dS_s, mH(dS_s))))
    dv = matmul(v, mul(f, add(s_dS, mH(s_dS))))
    if is_complex:
        phases = select_n(diagonal_mask(shape_of(dS)), zeros(aval_of(dS)),
                          div(sub(dS, convert_element_type(real(dS), aval_of(dS).dtype)), s_j))
        du = add(du, matmul(u, phases))
    if m > n:  # the part of dA V outside the span of U
        dA_v = matmul(t, v)
        du = add(du, _divide_columns(sub(dA_v, matmul(u, matmul(mH(u), dA_v))), s))
    if n > m:  # the part of dA^H U outside the span of V
        dAt_u = matmul(mH(t), u)
        dv = add(dv, _divide_columns(sub(dAt_u, matmul(v, matmul(vt, dAt_u))), s))
    return [ds, du, mH(dv)]


def _divide_columns(x: Any, s: Any) -> Any:
    """``x[..., i, j] / s[..., j]`` for ``x`` (..., r, k) and ``s`` (..., k)."""
    *batch, r, k = shape_of(x)
    if aval_of(s).dtype != aval_of(x).dtype:  # (real singular values, complex x)
        s = convert_element_type(s, aval_of(x).dtype)
    return div(x, broadcast_in_dim(s, (*batch, r, k), (*range(len(batch)), len(batch) + 1)))


svd_p = _decomposition("svd", _svd_impl, _svd_shape, _svd_jvp)


# ---------------------------------------------------------------- eig
# (w,) or (w, v) with compute_right_eigenvectors: A v = w v for a general square A, in the
# complex dtype of A's precision (as JAX). Only the eigenvalues are differentiable.


def _complex_of(dtype: np.dtype) -> np.dtype:
    return dtypes.complex128 if dtype in (dtypes.float64, dtypes.complex128) else dtypes.complex64


def _eig_impl(a, *, compute_right_eigenvectors):
    dtype = _complex_of(a.dtype)
    if not compute_right_eigenvectors:
        return _per_matrix(lambda x: [np.linalg.eigvals(x).astype(dtype)], a)
    return _per_matrix(lambda x: [y.astype(dtype) for y in np.linalg.eig(x)], a)


def _eig_shape(a, *, compute_right_eigenvectors):
    _check_matrices("eig", a, square=True, kinds=_INEXACT)
    dtype = _complex_of(a.dtype)
    w = shaped_array(a.shape[:-1], dtype)
    return [w, shaped_array(a.shape, dtype)] if compute_right_eigenvectors else [w]


def _eig_jvp(primals, tangents, outs, *, compute_right_eigenvectors):
    # dw = diag(V^-1 dA V) for the right eigenvectors V (distinct eigenvalues)
    (a,), (t,) = primals, tangents
    if compute_right_eigenvectors:
        raise NotImplementedError("jvp rule for primitive 'eig' is not implemented for its "
                                  "eigenvectors: only eigenvalues are differentiable (use "
                                  "jnp.linalg.eigvals), as in JAX")
    if type(t) is Zero:
        return _zeros_like_outs(outs)
    _, v = eig_p.bind(a, compute_right_eigenvectors=True)
    t = convert_element_type(t, aval_of(v).dtype)
    return [diagonal(solve(v, matmul(t, v)))]


eig_p = _decomposition("eig", _eig_impl, _eig_shape, _eig_jvp)


# ---------------------------------------------------------------- compositions


def lu_solve(lu: Any, permutation: Any, b: Any, transpose: bool = False) -> Any:
    """Solve ``A x = b`` (or ``A^T x = b``) for stacks ``b`` (..., m, k), given ``lu`` and
    ``permutation`` from ``lu(A)`` (the same batch axes)."""
    if not transpose:  # x = U^-1 L^-1 P b
        y = triangular_solve(lu, take_rows(b, permutation), left_side=True, lower=True,
                             unit_diagonal=True)
        return triangular_solve(lu, y, left_side=True, lower=False)
    # A^T = U^T L^T P, so x = P^T L^-T U^-T b
    y = triangular_solve(lu, b, left_side=True, lower=False, transpose_a=True)
    y = triangular_solve(lu, y, left_side=True, lower=True, transpose_a=True, unit_diagonal=True)
    return take_rows(y, permutation, inverse=True)


def solve(a: Any, b: Any) -> Any:
    """Solve ``a x = b`` for stacks ``a`` (..., m, m) and ``b`` (..., m, k) by LU."""
    lu, _, permutation = lu_p.bind(a)
    return lu_solve(lu, permutation, b)
