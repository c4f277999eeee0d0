"""The LU factorisation and triangular solves NumPy lacks: the native routines (NumPy's
OpenBLAS through ctypes) and the NumPy fallbacks agree with each other and with SciPy,
on stacks, rectangular and empty matrices, in the four LAPACK dtypes."""

import itertools

import numpy as np
import pytest
import scipy.linalg

from jaxlite.primitives import lapack

DTYPES = [np.float32, np.float64, np.complex64, np.complex128]
NATIVE = [True, False] if lapack.NATIVE else [False]


def random(rng, shape, dtype):
    x = rng.standard_normal(shape)
    if np.issubdtype(dtype, np.complexfloating):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def tolerance(dtype):
    return 1e-4 if dtype in (np.float32, np.complex64) else 1e-11


def test_numpy_s_openblas_is_found_on_this_platform():
    # (a failure here only means the slower fallbacks run: see lapack.NATIVE)
    assert lapack.NATIVE


@pytest.mark.parametrize("native", NATIVE, ids=["native", "numpy"][:len(NATIVE)])
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_lu_factor_matches_scipy(dtype, native):
    rng = np.random.default_rng(0)
    for shape in [(4, 4), (2, 3, 5, 5), (5, 3), (3, 5), (0, 0), (2, 0, 3)]:
        a = random(rng, shape, dtype)
        lu, pivots = lapack.lu_factor(a, native=native)
        assert lu.dtype == a.dtype and pivots.dtype == np.int32
        assert lu.shape == a.shape and pivots.shape == (*shape[:-2], min(shape[-2:]))
        for index in np.ndindex(shape[:-2]):
            if a[index].size:
                want_lu, want_pivots = scipy.linalg.lu_factor(a[index])
                np.testing.assert_allclose(lu[index], want_lu, atol=tolerance(dtype))
                np.testing.assert_array_equal(pivots[index], want_pivots)


@pytest.mark.parametrize("native", NATIVE, ids=["native", "numpy"][:len(NATIVE)])
def test_lu_of_singular_matrices_does_not_raise(native):
    lu, pivots = lapack.lu_factor(np.array([[1.0, 2.0], [2.0, 4.0]]), native=native)
    np.testing.assert_array_equal(lu, [[2.0, 4.0], [0.5, 0.0]])
    np.testing.assert_array_equal(pivots, [1, 1])
    lu, pivots = lapack.lu_factor(np.zeros((3, 3)), native=native)
    np.testing.assert_array_equal(lu, np.zeros((3, 3)))
    np.testing.assert_array_equal(pivots, [0, 1, 2])


def test_pivots_make_the_permutation_of_successive_swaps():
    perm = lapack.pivots_to_permutation(np.array([[2, 2, 2], [1, 1, 2]], np.int32), 3)
    np.testing.assert_array_equal(perm, [[2, 0, 1], [1, 0, 2]])
    a = np.random.default_rng(1).standard_normal((5, 4))
    lu, pivots = lapack.lu_factor(a)
    perm = lapack.pivots_to_permutation(pivots, 5)
    lower = np.tril(lu, -1) + np.eye(5, 4)
    np.testing.assert_allclose(a[perm], lower @ np.triu(lu[:4]), atol=1e-12)


@pytest.mark.parametrize("native", NATIVE, ids=["native", "numpy"][:len(NATIVE)])
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_triangular_solve_matches_scipy(dtype, native):
    rng = np.random.default_rng(2)
    for left, lower, transpose_a, unit in itertools.product([True, False], repeat=4):
        a = random(rng, (2, 4, 4), dtype) + 4 * np.eye(4, dtype=dtype)
        b = random(rng, (2, 4, 3) if left else (2, 3, 4), dtype)
        x = lapack.triangular_solve(a, b, left_side=left, lower=lower, transpose_a=transpose_a,
                                    unit_diagonal=unit, native=native)
        assert x.dtype == dtype and x.shape == b.shape
        for i in range(2):
            if left:
                want = scipy.linalg.solve_triangular(a[i], b[i], lower=lower,
                                                     trans=int(transpose_a), unit_diagonal=unit)
            else:  # x op(a) = b  <=>  op(a)^T x^T = b^T
                want = scipy.linalg.solve_triangular(a[i], b[i].T, lower=lower,
                                                     trans=int(not transpose_a),
                                                     unit_diagonal=unit).T
            np.testing.assert_allclose(x[i], want, atol=tolerance(dtype))


@pytest.mark.parametrize("native", NATIVE, ids=["native", "numpy"][:len(NATIVE)])
def test_triangular_solve_with_a_zero_pivot_gives_infinities(native):
    x = lapack.triangular_solve(np.zeros((2, 2)), np.ones((2, 1)), left_side=True, lower=True,
                                transpose_a=False, unit_diagonal=False, native=native)
    assert np.isinf(x[0, 0]) and np.isnan(x[1, 0])
    empty = lapack.triangular_solve(np.eye(2), np.ones((2, 0)), left_side=True, lower=True,
                                    transpose_a=False, unit_diagonal=False, native=native)
    assert empty.shape == (2, 0)
