"""``jaxlite.scipy.linalg`` against SciPy: values (single matrices, stacks, float32 and
float64), derivatives to second order, ``vmap`` against a loop, jaxprs that typecheck, and
JAX's errors."""

import numpy as np
import pytest
import scipy.linalg as sl

import jaxlite
import jaxlite.numpy as jnp
import jaxlite.scipy.linalg as L
from jaxlite.test_util import check_grads

ISSUE_NAMES = ["solve_triangular", "cho_factor", "cho_solve", "lu", "lu_factor", "lu_solve",
               "expm", "sqrtm", "block_diag", "eigh", "inv", "det", "solve", "schur"]


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


def test_every_function_of_the_issue_is_there():
    assert jaxlite.scipy.linalg is L and set(ISSUE_NAMES) <= set(L.__all__)


def general(n, *batch, seed=0, dtype=np.float32):
    """Well-conditioned matrices: normal plus n on the diagonal."""
    x = np.random.default_rng(seed).standard_normal((*batch, n, n))
    return (x + n * np.eye(n)).astype(dtype)


def positive_definite(n, *batch, seed=0, dtype=np.float32):
    x = np.random.default_rng(seed).standard_normal((*batch, n, n))
    return (x @ np.swapaxes(x, -1, -2) + n * np.eye(n)).astype(dtype)


def rhs(*shape, seed=1, dtype=np.float32):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def close(got, want, dtype=np.float32):
    tol = 2e-4 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-10
    for g, w in zip(got if isinstance(got, tuple) else (got,),
                    want if isinstance(want, tuple) else (want,), strict=True):
        np.testing.assert_allclose(np.asarray(g), w, rtol=tol, atol=tol * max(1, np.abs(w).max()))


# ------------------------------------------------------------------ values


@pytest.mark.parametrize("trans", [0, 1, "T", 2])
@pytest.mark.parametrize("lower, unit_diagonal", [(True, False), (False, True)])
@pytest.mark.parametrize("b_shape", [(4,), (4, 3)])
def test_solve_triangular(trans, lower, unit_diagonal, b_shape):
    a, b = general(4), rhs(*b_shape)
    close(L.solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit_diagonal),
          sl.solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit_diagonal))


def test_stacked_triangular_and_cholesky_solves(x64):
    a, b = general(3, 2, dtype=np.float64), rhs(2, 3, 2, dtype=np.float64)
    want = np.stack([sl.solve_triangular(a[i], b[i], lower=True) for i in range(2)])
    close(L.solve_triangular(a, b, lower=True), want, np.float64)
    spd = positive_definite(3, 2, dtype=np.float64)
    for lower in (True, False):
        c, flag = L.cho_factor(spd, lower=lower)
        assert flag is lower and c.dtype == np.float64
        want = np.stack([sl.cho_solve(sl.cho_factor(spd[i], lower=lower), b[i])
                         for i in range(2)])
        close(L.cho_solve((c, lower), b), want, np.float64)
        close(L.cholesky(spd[0], lower=lower), sl.cholesky(spd[0], lower=lower), np.float64)


@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5)])
def test_lu(shape):
    x = rhs(*shape, seed=3)
    close(L.lu(x), sl.lu(x))
    close(L.lu(x, permute_l=True), sl.lu(x, permute_l=True))


def test_lu_factor_and_solve():
    a, b = general(4), rhs(4, 2)
    lu, piv = L.lu_factor(a)
    want_lu, want_piv = sl.lu_factor(a)
    close(lu, want_lu)
    assert piv.dtype == np.int32 and np.array_equal(np.asarray(piv), want_piv)
    for trans in (0, 1, 2):
        close(L.lu_solve((lu, piv), b, trans=trans), sl.lu_solve((want_lu, want_piv), b, trans))
    close(L.lu_solve((lu, piv), b[:, 0]), sl.lu_solve((want_lu, want_piv), b[:, 0]))


@pytest.mark.parametrize("scale", [0.01, 0.5, 2.0, 8.0])  # every Padé degree, and squarings
def test_expm(scale, x64):
    a = rhs(2, 4, 4, seed=5, dtype=np.float64) * scale
    close(L.expm(a), np.stack([sl.expm(m) for m in a]), np.float64)
    e = rhs(4, 4, seed=6, dtype=np.float64)
    close(L.expm_frechet(a[0], e), sl.expm_frechet(a[0], e), np.float64)
    jaxlite.config.update("jax_enable_x64", False)
    close(L.expm(a.astype(np.float32)), np.stack([sl.expm(m) for m in a]))
    assert L.expm(np.eye(2, dtype=np.int32)).dtype == np.float32


def test_expm_needing_too_many_squarings_is_nan():
    assert np.all(np.isnan(np.asarray(L.expm(np.full((2, 2), 1e6, np.float32), max_squarings=4))))


def test_sqrtm_and_schur(x64):
    a = general(4, seed=7, dtype=np.float64)
    root = L.sqrtm(a)
    assert root.dtype == np.complex128
    close(root, sl.sqrtm(a).astype(complex), np.float64)
    for output in ("real", "complex"):
        t, z = (np.asarray(v) for v in L.schur(a, output=output))
        np.testing.assert_allclose(z @ t @ z.conj().T, a, atol=1e-12)
        assert np.allclose(np.tril(t, -1 if output == "complex" else -2), 0)
        close(np.sort_complex(np.diag(sl.schur(a, output="complex")[0])),
              np.sort_complex(np.linalg.eigvals(a)), np.float64)
    jaxlite.config.update("jax_enable_x64", False)
    assert L.sqrtm(a.astype(np.float32)).dtype == np.complex64


def test_block_diag_solve_inv_det_eigh():
    blocks = (np.ones((2, 2), np.float32), 3.0, np.arange(3))
    got = L.block_diag(*blocks)
    assert got.dtype == np.float32
    close(got, sl.block_diag(*blocks))
    a, b, spd = general(4), rhs(4, 2), positive_definite(4)
    for assume_a in ("gen", "sym", "pos"):
        close(L.solve(spd, b, assume_a=assume_a), sl.solve(spd, b, assume_a=assume_a))
    close(L.solve(spd, b[:, 0], assume_a="pos", lower=True), sl.solve(spd, b[:, 0]))
    close(L.inv(a), sl.inv(a))
    close(L.det(a), sl.det(a))
    w, v = L.eigh(spd)
    close(w, sl.eigh(spd, eigvals_only=True))
    close(np.abs(np.asarray(v)), np.abs(sl.eigh(spd)[1]))
    close(L.eigh(spd, lower=False, eigvals_only=True), sl.eigh(spd, lower=False)[0])


# ------------------------------------------------------------------ derivatives


GRADS = {
    "solve_triangular": (lambda a, b: L.solve_triangular(a, b, lower=True, trans=1),
                         [general(3, seed=8), rhs(3, 2)]),
    "solve_triangular_unit": (lambda a, b: L.solve_triangular(a, b, unit_diagonal=True),
                              [general(3, seed=8), rhs(3)]),
    "cho_factor_solve": (lambda a, b: L.cho_solve(L.cho_factor(a), b),
                         [positive_definite(3), rhs(3, 2)]),
    # (the value reads one triangle, the derivative takes the whole perturbation, as in JAX:
    # they agree on symmetric perturbations)
    "solve_pos": (lambda a, b: L.solve((a + a.T) / 2, b, assume_a="pos"),
                  [positive_definite(3), rhs(3, 2)]),
    "lu_factor_solve": (lambda a, b: L.lu_solve(L.lu_factor(a), b, trans=1),
                        [general(3, seed=9), rhs(3, 2)]),
    "lu": (lambda a: L.lu(a)[1] + L.lu(a)[2], [general(3, seed=10)]),
    "expm": (lambda a: L.expm(a), [rhs(2, 3, 3, seed=11)]),
    "expm_squared": (lambda a: L.expm(a), [rhs(3, 3, seed=12) * 4]),
    "expm_frechet": (lambda a, e: L.expm_frechet(a, e)[1], [rhs(3, 3, seed=13), rhs(3, 3)]),
    "block_diag": (lambda a, b: L.block_diag(a, b), [rhs(2, 2), rhs(1, 3)]),
    "inv_det": (lambda a: L.inv(a) * L.det(a), [general(3, seed=14)]),
}


@pytest.mark.parametrize("name", list(GRADS))
def test_check_grads(name, x64):
    f, args = GRADS[name]
    check_grads(f, [np.asarray(a, np.float64) for a in args], order=2)


def test_solve_pos_gradient_is_the_general_solves():
    # (as JAX's custom_linear_solve: the whole perturbation of a counts, not one triangle)
    spd, b = positive_definite(3), rhs(3)
    g_pos = jaxlite.grad(lambda a: jnp.sum(L.solve(a, b, assume_a="pos")))(spd)
    g_gen = jaxlite.grad(lambda a: jnp.sum(L.solve(a, b)))(spd)
    close(g_pos, np.asarray(g_gen))


def test_sqrtm_and_schur_are_not_differentiable():
    with pytest.raises(NotImplementedError, match="jvp rule for primitive 'schur'"):
        jaxlite.jvp(lambda a: L.schur(a)[0], (general(3),), (general(3),))
    with pytest.raises(NotImplementedError, match="'sqrtm'"):
        jaxlite.grad(lambda a: jnp.sum(jnp.abs(L.sqrtm(a))))(general(3))


# ------------------------------------------------------------------ vmap, jit, jaxprs


def test_vmap_matches_a_loop_and_jit_gives_eager_bits():
    a, b = general(3, 4, seed=15), rhs(4, 3, 2)
    fns = [lambda m, v: L.solve_triangular(m, v, lower=True), lambda m, v: L.expm(m / 3),
           lambda m, v: L.lu_solve(L.lu_factor(m), v), lambda m, v: L.cho_solve(
               L.cho_factor(m @ m.T), v), lambda m, v: jnp.abs(L.sqrtm(m)),
           lambda m, v: L.lu(m)[0] + L.block_diag(m[:1, :1], m[1:, 1:])]
    for f in fns:
        got = jaxlite.vmap(f)(a, b)
        want = np.stack([np.asarray(f(a[i], b[i])) for i in range(4)])
        close(got, want)
        eager, jitted = f(a[0], b[0]), jaxlite.jit(f)(a[0], b[0])
        assert np.asarray(eager).tobytes() == np.asarray(jitted).tobytes()
        jaxlite.typecheck(jaxlite.make_jaxpr(f)(a[0], b[0]))


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("call, error, match", [
    (lambda: L.solve_triangular(np.eye(2), np.ones(2), trans=3), ValueError,
     "Invalid 'trans' value 3"),
    (lambda: L.solve(np.eye(2), np.ones(2), assume_a="xx"), ValueError,
     "Expected assume_a to be one of"),
    (lambda: L.expm(np.ones((2, 3))), ValueError, "Expected A to be a \\(batched\\) square"),
    (lambda: L.expm_frechet(np.eye(2), np.eye(3)), ValueError, "the same shape"),
    (lambda: L.schur(np.eye(2), output="imaginary"), ValueError, "'real' or 'complex'"),
    (lambda: L.sqrtm(np.eye(2), blocksize=2), NotImplementedError, "Blocked version"),
    (lambda: L.block_diag(np.ones((1, 1, 1))), ValueError, "at most 2 dimensions"),
    (lambda: L.eigh(np.eye(2), np.eye(2)), NotImplementedError, "b=None"),
    (lambda: L.solve_triangular(np.eye(3), np.ones(2)), ValueError, "incompatible shapes"),
    (lambda: L.lu_solve(L.lu_factor(np.eye(2)), [1.0, 2.0]), TypeError, "ndarray or scalar"),
])
def test_bad_inputs_raise_and_leave_the_library_working(call, error, match):
    with pytest.raises(error, match=match):
        call()
    close(L.solve_triangular(np.eye(2, dtype=np.float32), np.ones(2, np.float32)), np.ones(2))
