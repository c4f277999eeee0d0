"""The two LAPACK routines NumPy does not expose: LU factorisation and triangular solves.

``np.linalg`` wraps Cholesky, QR, eigh, SVD and eig, but not ``getrf`` (LU with partial
pivoting) nor ``trsm`` (triangular solve). NumPy's wheels ship an ILP64 OpenBLAS
(``scipy_dgetrf_64_`` and friends): when it is found, ``lu_factor`` and
``triangular_solve`` call it through ``ctypes`` (one call per matrix of a stack); otherwise
they fall back to NumPy code computing the same factorisation (same pivots: the first
entry of largest magnitude) and the same substitutions, a row at a time. Only the ILP64
symbols (64-bit integers, suffix ``64_``) are used: their calling convention is known.

Both functions take stacks of matrices (leading axes are batch axes) in float32, float64,
complex64 or complex128, and never raise on singular input: a zero pivot gives infinities
or NaNs downstream, as LAPACK's results do.
"""

from __future__ import annotations

import ctypes
import glob
import itertools
import os

import numpy as np

_CHARS = {np.dtype(np.float32): "s", np.dtype(np.float64): "d",
          np.dtype(np.complex64): "c", np.dtype(np.complex128): "z"}
_int = ctypes.c_int64


def _load_openblas() -> ctypes.CDLL | None:
    """NumPy's bundled OpenBLAS (Linux/Windows wheels: ``numpy.libs``; macOS: ``.dylibs``)."""
    here = os.path.dirname(np.__file__)
    folders = [os.path.join(os.path.dirname(here), "numpy.libs"), os.path.join(here, ".dylibs")]
    for path in sorted(p for d in folders for p in glob.glob(os.path.join(d, "*openblas64*"))):
        try:
            return ctypes.CDLL(path)
        except OSError:
            continue
    return None


def _symbols(lib: ctypes.CDLL | None, routine: str) -> dict[np.dtype, object]:
    """dtype -> the ILP64 routine ``<s|d|c|z><routine>``, for the dtypes the library has."""
    found = {}
    for dtype, char in _CHARS.items():
        for name in (f"scipy_{char}{routine}_64_", f"{char}{routine}_64_"):
            fn = getattr(lib, name, None) if lib is not None else None
            if fn is not None:
                fn.restype = None
                found[dtype] = fn
                break
    return found


_LIB = _load_openblas()
_GETRF = _symbols(_LIB, "getrf")
_TRSM = _symbols(_LIB, "trsm")
NATIVE = bool(_GETRF) and bool(_TRSM)
"""Whether the native routines were found (otherwise the NumPy fallbacks run)."""


def _ref(value: int) -> ctypes._Pointer:
    return ctypes.byref(_int(value))


def _ptr(x: np.ndarray) -> ctypes.c_void_p:
    return ctypes.c_void_p(x.ctypes.data)


def _batch_indices(shape: tuple[int, ...]):
    return itertools.product(*map(range, shape))


# ---------------------------------------------------------------- LU: getrf


def lu_factor(a: np.ndarray, native: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``P A = L U`` of each matrix of ``a`` (..., m, n): the packed factors (L's unit
    diagonal implied) and the 0-based pivots (..., min(m, n)): row ``i`` was swapped with
    row ``pivots[i]`` at step ``i``, as LAPACK's ``getrf`` reports them."""
    a = np.asarray(a)
    use_native = (NATIVE if native is None else native) and a.dtype in _GETRF
    return (_lu_native if use_native else lu_factor_numpy)(a)


def _lu_native(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    *batch, m, n = a.shape
    lu = np.empty(a.shape, a.dtype)
    pivots = np.empty((*batch, min(m, n)), np.int64)
    if m == 0 or n == 0:
        return lu, pivots.astype(np.int32)
    getrf, info = _GETRF[a.dtype], _int(0)
    for index in _batch_indices(tuple(batch)):
        f = np.array(a[index], order="F")  # LAPACK works on column-major matrices
        ipiv = np.empty(min(m, n), np.int64)
        getrf(_ref(m), _ref(n), _ptr(f), _ref(m), _ptr(ipiv), ctypes.byref(info))
        lu[index] = f
        pivots[index] = ipiv
    return lu, (pivots - 1).astype(np.int32)


def lu_factor_numpy(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``lu_factor`` in NumPy: Gaussian elimination with partial pivoting, column by column,
    every matrix of the stack at once; the pivot is the first entry of largest size."""
    *batch, m, n = a.shape
    lu = np.array(a, copy=True).reshape(-1 if a.size else int(np.prod(batch)), m, n)
    rows = np.arange(lu.shape[0])
    pivots = np.empty((lu.shape[0], min(m, n)), np.int32)
    complex_ = np.iscomplexobj(lu)
    for k in range(min(m, n)):
        column = lu[:, k:, k]  # (BLAS's i?amax measures complex numbers by |re| + |im|)
        size = np.abs(column.real) + np.abs(column.imag) if complex_ else np.abs(column)
        p = k + np.argmax(size, axis=1)
        pivots[:, k] = p
        top, chosen = lu[rows, k].copy(), lu[rows, p].copy()
        lu[rows, p], lu[rows, k] = top, chosen
        pivot = lu[:, k, k:k + 1]
        lu[:, k + 1:, k] /= np.where(pivot == 0, 1, pivot)  # a zero pivot: a zero column
        lu[:, k + 1:, k + 1:] -= lu[:, k + 1:, k:k + 1] * lu[:, k:k + 1, k + 1:]
    return lu.reshape(a.shape), pivots.reshape((*batch, min(m, n)))


def pivots_to_permutation(pivots: np.ndarray, m: int) -> np.ndarray:
    """The permutation (..., m) the row swaps ``pivots`` make: ``(P A)[i] = A[perm[i]]``."""
    *batch, k = pivots.shape
    out = np.empty((*batch, m), np.int32)
    for index in _batch_indices(tuple(batch)):
        perm = list(range(m))  # (Python ints: a swap costs ~100 ns, NumPy indexing ~5 us)
        for i, p in enumerate(pivots[index].tolist()):
            perm[i], perm[p] = perm[p], perm[i]
        out[index] = perm
    return out


# ---------------------------------------------------------------- triangular solves: trsm


def triangular_solve(a: np.ndarray, b: np.ndarray, *, left_side: bool, lower: bool,
                     transpose_a: bool, unit_diagonal: bool,
                     native: bool | None = None) -> np.ndarray:
    """Solve ``op(A) X = B`` (``left_side``) or ``X op(A) = B`` for each matrix of the stack,
    ``op(A) = A.T`` if ``transpose_a`` else ``A``. Only the ``lower`` (or upper) triangle of
    ``A`` is read, and not its diagonal when ``unit_diagonal`` (taken to be ones)."""
    a, b = np.asarray(a), np.asarray(b)
    use_native = (NATIVE if native is None else native) and a.dtype in _TRSM
    solve = _trsm_native if use_native else triangular_solve_numpy
    return solve(a, b, left_side, lower, transpose_a, unit_diagonal)


def _trsm_native(a, b, left_side, lower, transpose_a, unit_diagonal) -> np.ndarray:
    # A C-ordered matrix is, to column-major BLAS, its transpose: op(A) X = B is solved as
    # X^T op(A)^T = B^T, a solve on the other side with the other triangle of A^T
    out = np.array(b, copy=True, order="C")
    *batch, rows, cols = out.shape
    if out.size == 0:
        return out
    a = np.ascontiguousarray(a)
    trsm = _TRSM[a.dtype]
    one = np.ones((), a.dtype)
    flags = [b"R" if left_side else b"L", b"U" if lower else b"L", b"T" if transpose_a else b"N",
             b"U" if unit_diagonal else b"N"]
    lda = a.shape[-1]
    for index in _batch_indices(tuple(batch)):
        trsm(*flags, _ref(cols), _ref(rows), _ptr(one), _ptr(a[index]), _ref(lda),
             _ptr(out[index]), _ref(cols), *(ctypes.c_size_t(1),) * 4)
    return out


def triangular_solve_numpy(a, b, left_side, lower, transpose_a, unit_diagonal) -> np.ndarray:
    """``triangular_solve`` in NumPy: substitution a row (or column) at a time."""
    dtype = np.result_type(a, b)
    a, b = np.asarray(a, dtype), np.asarray(b, dtype)
    if not left_side:  # X op(A) = B  <=>  op(A)^T X^T = B^T
        x = triangular_solve_numpy(a, np.swapaxes(b, -1, -2), True, lower, not transpose_a,
                                   unit_diagonal)
        return np.ascontiguousarray(np.swapaxes(x, -1, -2))
    op_a = np.swapaxes(a, -1, -2) if transpose_a else a
    forward = lower != transpose_a  # op(A) is lower triangular: substitute from the top
    x = np.array(b, copy=True)
    m = a.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(m) if forward else range(m - 1, -1, -1):
            known = slice(0, i) if forward else slice(i + 1, m)
            row = op_a[..., i:i + 1, known]
            x[..., i:i + 1, :] -= row @ x[..., known, :]
            if not unit_diagonal:
                x[..., i:i + 1, :] /= op_a[..., i:i + 1, i:i + 1]
    return x
