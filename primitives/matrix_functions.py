"""Functions of square matrices: the exponential, its Fréchet derivative, Schur, square root.

Operands are stacks of square matrices (leading axes are batch axes), real or complex.

``expm``          ``exp(A)``, Padé approximation with scaling and squaring (Higham 2005)
``expm_frechet``  ``L(A, E) = d/dt exp(A + t E)`` at 0, linear in ``E``
``schur``         ``A = Z T Z^H``: T (quasi-)upper triangular, Z unitary; real operands get
                  the real Schur form (2x2 blocks for complex pairs), complex ones the
                  complex form (LAPACK's ``gees``)
``sqrtm``         the principal square root, complex (from the complex Schur form)

``expm``'s tangent is ``L(A, dA)``, and ``L`` is computed as a block of the exponential of
``[[A, E], [0, A]]`` (Mathias 1996); its own tangent is a block of ``L`` of that block
matrix, so derivatives of every order are ``expm_frechet`` again, linear in what the
transpose needs: ``L(A, .)^T = L(A^T, .)``. ``schur`` and ``sqrtm`` are not differentiable
(as in JAX).
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.avals import shaped_array
from ..core.errors import MissingRuleError
from ..core.primitive import NOT_LINEAR, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from . import lapack
from .combinators import cached_shape_rule, shape_error
from .matrices import mT, shape_of
from .shape import concatenate, pad, slice
from .structural import bdim_to, instantiate

_INEXACT = (dtypes.float32, dtypes.float64, dtypes.complex64, dtypes.complex128)
_COMPLEX = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128,
            dtypes.complex64: dtypes.complex64, dtypes.complex128: dtypes.complex128}


def _check_square(name: str, *avals) -> None:
    for x in avals:
        if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
            raise shape_error(name, f"needs square matrices (..., n, n), got shape {x.shape}",
                              avals)
        if x.dtype not in _INEXACT:
            raise shape_error(name, f"does not accept dtype {x.dtype.name}; it needs float32, "
                              "float64, complex64 or complex128", avals)


def _per_matrix(fn, a: np.ndarray, out_shape: tuple, dtype) -> np.ndarray:
    """``fn`` applied to each matrix of the stack ``a``."""
    out = np.empty(a.shape[:-2] + out_shape, dtype)
    for index in np.ndindex(a.shape[:-2]):
        out[index] = fn(a[index])
    return out


def _not_differentiable(name: str):
    def jvp(primals, tangents, outs, **params):
        raise MissingRuleError(f"jvp rule for primitive '{name}' is not implemented (it is not "
                               "differentiable, as in JAX)")

    return jvp


def _stack_batch(prim_ref):
    """Batch by making the batch axis a leading (stack) axis of every operand."""

    def rule(args, dims, **params):
        size = next(aval_of(x).shape[d] for x, d in zip(args, dims) if d is not None)
        outs = prim_ref().bind(*[bdim_to(x, d, 0, size) for x, d in zip(args, dims)], **params)
        return outs, [0] * len(outs)

    return rule


# ---------------------------------------------------------------- the exponential in NumPy

# Higham (2005), "The scaling and squaring method for the matrix exponential revisited":
# the largest 1-norm for which the [m/m] Padé approximant is accurate to double precision
_PADE_THETAS = ((3, 1.495585217958292e-2), (5, 2.539398330063230e-1),
                (7, 9.504178996162932e-1), (9, 2.097847961257068e0), (13, 5.371920351148152e0))


def _pade_coefficients(m: int) -> list[float]:
    """The coefficients of the numerator of the [m/m] Padé approximant of ``exp``:
    ``c_k = (2m - k)! m! / ((2m)! k! (m - k)!)``."""
    f = math.factorial
    return [f(2 * m - k) * f(m) / (f(2 * m) * f(k) * f(m - k)) for k in range(m + 1)]


def _pade(a: np.ndarray, m: int) -> np.ndarray:
    """``q(A)^-1 p(A)`` with ``p(A) = U + V`` (even powers in V, odd ones in U) and
    ``q(A) = p(-A) = V - U``."""
    c = _pade_coefficients(m)
    identity = np.eye(a.shape[-1], dtype=a.dtype)
    powers = [identity, a @ a]  # A^0, A^2, A^4, ...
    while len(powers) <= m // 2:
        powers.append(powers[-1] @ powers[1])
    v = sum(c[2 * i] * powers[i] for i in range(m // 2 + 1))
    u = a @ sum(c[2 * i + 1] * powers[i] for i in range(m // 2 + 1))
    return np.linalg.solve(v - u, v + u)


def expm_numpy(a: np.ndarray, max_squarings: int = 16) -> np.ndarray:
    """``exp(a)`` of one matrix in double precision (NaNs if it needs more than
    ``max_squarings`` squarings, as JAX gives them)."""
    if a.shape[-1] == 0:
        return np.array(a, copy=True)
    norm = np.linalg.norm(a, 1)
    if not np.isfinite(norm):
        return np.full_like(a, np.nan)
    for m, theta in _PADE_THETAS[:-1]:
        if norm <= theta:
            return _pade(a, m)
    squarings = max(0, math.ceil(math.log2(norm / _PADE_THETAS[-1][1])))
    if squarings > max_squarings:
        return np.full_like(a, np.nan)
    r = _pade(a / 2.0**squarings, 13)
    for _ in range(squarings):
        r = r @ r
    return r


def _double(dtype: np.dtype) -> np.dtype:
    return np.dtype(np.complex128 if dtype.kind == "c" else np.float64)


# ---------------------------------------------------------------- expm


def _expm_impl(a, *, max_squarings):
    def one(x):
        return expm_numpy(x.astype(_double(a.dtype)), max_squarings)

    return [_per_matrix(one, a, a.shape[-2:], a.dtype)]


def _expm_shape(a, *, max_squarings):
    _check_square("expm", a)
    return [shaped_array(a.shape, a.dtype)]


def _expm_jvp(primals, tangents, outs, *, max_squarings):
    # d exp(A) = L(A, dA)
    (a,), (t,) = primals, tangents
    if type(t) is Zero:
        return [Zero(aval_of(outs[0]))]
    return [expm_frechet_p.bind1(a, t, max_squarings=max_squarings)]


expm_p = Primitive("expm", impl=_expm_impl, abstract_eval=cached_shape_rule(_expm_shape),
                   jvp=_expm_jvp, transpose=NOT_LINEAR, batch=_stack_batch(lambda: expm_p))


# ---------------------------------------------------------------- expm_frechet
# out = L(A, E), the derivative of exp at A in the direction E; linear in E


def _block_upper(a: Any, e: Any) -> Any:
    """``[[a, e], [0, a]]`` for stacks of n x n matrices."""
    *batch, n, _ = shape_of(a)
    zero = np.zeros((), aval_of(a).dtype)
    no_pad = [(0, 0, 0)] * len(batch)
    top = concatenate([a, e], len(batch) + 1)
    bottom = pad(a, zero, no_pad + [(0, 0, 0), (n, 0, 0)])
    return concatenate([top, bottom], len(batch))


def _top_right(x: Any) -> Any:
    """The top-right n x n block of stacks of 2n x 2n matrices."""
    *batch, two_n, _ = shape_of(x)
    n = two_n // 2
    return slice(x, (0,) * len(batch) + (0, n), (*batch, n, two_n))


def _frechet_impl(a, e, *, max_squarings):
    n = a.shape[-1]
    dtype = _double(a.dtype)

    out = np.empty(a.shape, a.dtype)
    for index in np.ndindex(a.shape[:-2]):
        block = np.zeros((2 * n, 2 * n), dtype)
        block[:n, :n] = block[n:, n:] = a[index]
        block[:n, n:] = e[index]
        out[index] = expm_numpy(block, max_squarings)[:n, n:]
    return [out]


def _frechet_shape(a, e, *, max_squarings):
    _check_square("expm_frechet", a, e)
    if a.shape != e.shape or a.dtype != e.dtype:
        raise shape_error("expm_frechet", "needs operands of one shape and dtype", [a, e])
    return [shaped_array(a.shape, a.dtype)]


def _frechet_jvp(primals, tangents, outs, *, max_squarings):
    # L(A, E) is the top-right block of exp(M), M = [[A, E], [0, A]], so its tangent is the
    # top-right block of L(M, dM), dM = [[dA, dE], [0, dA]]
    (a, e), (ta, te) = primals, tangents
    if type(ta) is Zero and type(te) is Zero:
        return [Zero(aval_of(outs[0]))]
    if type(ta) is Zero:
        return [expm_frechet_p.bind1(a, te, max_squarings=max_squarings)]
    block_tangent = _block_upper(ta, instantiate(te))
    return [_top_right(expm_frechet_p.bind1(_block_upper(a, e), block_tangent,
                                            max_squarings=max_squarings))]


def _frechet_transpose(cts, a, e, *, max_squarings):
    # <C, L(A, E)> = <L(A^T, C), E> under sum(C * L), the pairing of (complex) cotangents
    (ct,) = cts
    if type(a) is UndefPrimal:
        raise NotImplementedError("transpose of expm_frechet with respect to its matrix: it "
                                  "is linear in its direction only")
    if type(ct) is Zero:
        return [None, Zero(e.aval)]
    return [None, expm_frechet_p.bind1(mT(a), ct, max_squarings=max_squarings)]


expm_frechet_p = Primitive(
    "expm_frechet",
    impl=_frechet_impl,
    abstract_eval=cached_shape_rule(_frechet_shape),
    jvp=_frechet_jvp,
    transpose=_frechet_transpose,
    batch=_stack_batch(lambda: expm_frechet_p),
)


# ---------------------------------------------------------------- schur
# (t, z): A = Z T Z^H with Z unitary (orthogonal for real A) and T upper triangular
# (quasi-triangular for real A: 2x2 blocks hold complex conjugate pairs of eigenvalues)


_GEES = lapack._symbols(lapack._LIB, "gees")


def _gees_native(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LAPACK's ``?gees`` (no sorting) on one matrix."""
    n = a.shape[-1]
    t = np.array(a, order="F")
    z = np.empty((n, n), a.dtype, order="F")
    lwork = max(1, 8 * n)
    work = np.empty(lwork, a.dtype)
    sdim, info, ref, ptr = lapack._int(0), lapack._int(0), lapack._ref, lapack._ptr
    bwork = np.empty(max(1, n), np.int64)
    null = ctypes.c_void_p(None)
    lengths = (ctypes.c_size_t(1), ctypes.c_size_t(1))
    if a.dtype.kind == "c":
        w, rwork = np.empty(n, a.dtype), np.empty(max(1, n), np.finfo(a.dtype).dtype)
        _GEES[a.dtype](b"V", b"N", null, ref(n), ptr(t), ref(max(1, n)), ctypes.byref(sdim),
                       ptr(w), ptr(z), ref(max(1, n)), ptr(work), ref(lwork), ptr(rwork),
                       ptr(bwork), ctypes.byref(info), *lengths)
    else:
        wr, wi = np.empty(n, a.dtype), np.empty(n, a.dtype)
        _GEES[a.dtype](b"V", b"N", null, ref(n), ptr(t), ref(max(1, n)), ctypes.byref(sdim),
                       ptr(wr), ptr(wi), ptr(z), ref(max(1, n)), ptr(work), ref(lwork),
                       ptr(bwork), ctypes.byref(info), *lengths)
    if info.value != 0:
        return np.full_like(t, np.nan), np.full_like(z, np.nan)
    return np.ascontiguousarray(t), np.ascontiguousarray(z)


def schur_numpy(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A Schur form of one diagonalisable matrix from its eigenvectors, when LAPACK's
    ``gees`` is not found: ``V = Q R`` gives ``A Q = Q (R D R^-1)``, triangular. For real
    ``a`` each complex pair's eigenvector gives the real basis ``(Re v, Im v)`` of an
    invariant plane, hence a 2x2 block."""
    w, v = np.linalg.eig(a)
    if a.dtype.kind != "c":
        columns, i = [], 0
        while i < len(w):
            if w[i].imag == 0:
                columns.append(v[:, i].real)
                i += 1
            else:  # (eig returns the pair side by side)
                columns += [v[:, i].real, v[:, i].imag]
                i += 2
        v = np.stack(columns, 1) if columns else v.real
    z, _ = np.linalg.qr(v)
    t = z.conj().T @ a @ z
    return (np.triu(t) if a.dtype.kind == "c" else np.triu(t, -1)).astype(a.dtype), z.astype(a.dtype)


def _schur_one(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if a.shape[-1] == 0:
        return a.copy(), a.copy()
    if not np.all(np.isfinite(a)):
        return np.full_like(a, np.nan), np.full_like(a, np.nan)
    return (_gees_native if a.dtype in _GEES else schur_numpy)(a)


def _schur_impl(a):
    t, z = np.empty_like(a), np.empty_like(a)
    for index in np.ndindex(a.shape[:-2]):
        t[index], z[index] = _schur_one(a[index])
    return [t, z]


def _schur_shape(a):
    _check_square("schur", a)
    return [shaped_array(a.shape, a.dtype), shaped_array(a.shape, a.dtype)]


schur_p = Primitive("schur", impl=_schur_impl, abstract_eval=cached_shape_rule(_schur_shape),
                    jvp=_not_differentiable("schur"), transpose=NOT_LINEAR,
                    batch=_stack_batch(lambda: schur_p))


# ---------------------------------------------------------------- sqrtm
# out = X with X X = A, the principal root (eigenvalues in the right half plane), complex:
# X = Z U Z^H with U the upper triangular root of the complex Schur factor T


def triangular_sqrt(t: np.ndarray) -> np.ndarray:
    """The upper triangular root of upper triangular ``t`` (Björck and Hammarling), a
    superdiagonal at a time: ``u[i, j] = (t[i, j] - sum_k u[i, k] u[k, j]) / (u[i, i] +
    u[j, j])`` over ``i < k < j`` (0 where both vanish)."""
    n = t.shape[-1]
    u = np.diag(np.sqrt(np.diagonal(t)))
    for d in range(1, n):
        i = np.arange(n - d)
        j = i + d
        k = i[:, None] + np.arange(1, d)[None, :]
        known = np.sum(u[i[:, None], k] * u[k, j[:, None]], axis=1)
        numerator = t[i, j] - known
        denominator = u[i, i] + u[j, j]
        with np.errstate(divide="ignore", invalid="ignore"):
            u[i, j] = np.where(numerator == 0, 0, numerator / denominator)
    return u


def _sqrtm_one(a: np.ndarray) -> np.ndarray:
    t, z = _schur_one(a.astype(_COMPLEX[a.dtype]))
    return z @ triangular_sqrt(t) @ z.conj().T


def _sqrtm_impl(a):
    return [_per_matrix(_sqrtm_one, a, a.shape[-2:], _COMPLEX[a.dtype])]


def _sqrtm_shape(a):
    _check_square("sqrtm", a)
    return [shaped_array(a.shape, _COMPLEX[a.dtype])]


sqrtm_p = Primitive("sqrtm", impl=_sqrtm_impl, abstract_eval=cached_shape_rule(_sqrtm_shape),
                    jvp=_not_differentiable("sqrtm"), transpose=NOT_LINEAR,
                    batch=_stack_batch(lambda: sqrtm_p))


def expm(a: Any, max_squarings: int = 16) -> Any:
    return expm_p.bind1(a, max_squarings=int(max_squarings))


def expm_frechet(a: Any, e: Any, max_squarings: int = 16) -> Any:
    return expm_frechet_p.bind1(a, e, max_squarings=int(max_squarings))


def schur(a: Any) -> tuple[Any, Any]:
    t, z = schur_p.bind(a)
    return t, z


def sqrtm(a: Any) -> Any:
    return sqrtm_p.bind1(a)

