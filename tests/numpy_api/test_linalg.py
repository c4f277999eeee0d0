"""``jnp.linalg`` against NumPy, and its derivatives, batching, jit and errors.

Every function runs on single and stacked matrices in float32 (the default) and float64
(x64); derivatives are checked numerically to second order in float64 on
well-conditioned inputs; ``vmap`` agrees with a Python loop; ``jit`` gives eager's bits.
The special values (singular matrices, norms at zero) are the ones JAX 0.10 gives.
"""

import warnings

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
import jaxlite.lax.linalg as lax_linalg
import jaxlite.numpy.linalg as L
from jaxlite.test_util import check_grads

ISSUE_NAMES = [  # issue 15's jnp.linalg list
    "norm", "inv", "solve", "det", "slogdet", "cholesky", "qr", "eigh", "eigvalsh", "svd",
    "svdvals", "pinv", "matrix_power", "matrix_rank", "lstsq", "cond", "tensorinv",
    "tensorsolve", "multi_dot", "outer", "cross", "eig", "eigvals",
]


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


def test_every_function_of_the_issue_is_there():
    missing = [name for name in ISSUE_NAMES if not callable(getattr(L, name, None))]
    assert not missing
    assert jnp.linalg is L and set(ISSUE_NAMES) <= set(L.__all__)


# ------------------------------------------------------------------ inputs


def general(*shape):
    """Well-conditioned square (or rectangular) matrices: normal plus 3 on the diagonal."""
    def make(rng, dtype):
        x = rng.standard_normal(shape)
        m, n = shape[-2:]
        return (x + 3 * np.eye(m, n)).astype(dtype)
    return make


def normal(*shape):
    return lambda rng, dtype: rng.standard_normal(shape).astype(dtype)


def positive_definite(*shape):
    def make(rng, dtype):
        x = rng.standard_normal(shape)
        return (x @ np.swapaxes(x, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)
    return make


def symmetric(*shape):
    """Symmetric matrices with eigenvalues 1, 2, ..., n: gaps for eigh's derivative."""
    def make(rng, dtype):
        q = np.linalg.qr(rng.standard_normal(shape))[0]
        w = np.arange(1, shape[-1] + 1, dtype=np.float64)
        return ((q * w[..., None, :]) @ np.swapaxes(q, -1, -2)).astype(dtype)
    return make


def tensor(*shape):
    """An invertible matrix of the product of the first two axes' sizes, as a tensor."""
    def make(rng, dtype):
        n = shape[0] * shape[1]
        return (rng.standard_normal((n, n)) + 4 * np.eye(n)).reshape(shape).astype(dtype)
    return make


def first(f):
    return lambda *xs: f(*xs)[0]


# (id, jaxlite function, NumPy reference or None, input generators, differentiable)
CASES = [
    ("cholesky", L.cholesky, np.linalg.cholesky, [positive_definite(3, 4, 4)], True),
    ("cholesky_upper", lambda a: L.cholesky(a, upper=True),
     lambda a: np.swapaxes(np.linalg.cholesky(a), -1, -2), [positive_definite(4, 4)], True),
    ("solve", L.solve, np.linalg.solve, [general(2, 4, 4), normal(2, 4, 3)], True),
    ("solve_vector", L.solve, np.linalg.solve, [general(4, 4), normal(4)], True),
    ("solve_broadcast", L.solve, lambda a, b: np.linalg.solve(a, b[None]),
     [general(2, 3, 3), normal(3, 2)], True),
    ("inv", L.inv, np.linalg.inv, [general(2, 3, 4, 4)], True),
    ("det", L.det, np.linalg.det, [general(2, 5, 5)], True),
    ("det_3x3", L.det, np.linalg.det, [general(2, 3, 3)], True),
    ("det_2x2", L.det, np.linalg.det, [general(2, 2)], True),
    ("det_1x1", L.det, np.linalg.det, [general(3, 1, 1)], True),
    ("slogdet", lambda a: tuple(L.slogdet(a)), lambda a: tuple(np.linalg.slogdet(a)),
     [normal(3, 4, 4)], True),
    ("eigh_values", first(L.eigh), lambda a: np.linalg.eigh(a)[0], [symmetric(2, 4, 4)], True),
    ("eigh_vectors", lambda a: L.eigh(a, UPLO="U")[1], lambda a: np.linalg.eigh(a, "U")[1],
     [symmetric(4, 4)], True),
    ("eigvalsh", L.eigvalsh, np.linalg.eigvalsh, [symmetric(3, 3, 3)], True),
    ("svd_values", L.svdvals, lambda a: np.linalg.svd(a, compute_uv=False),
     [normal(2, 5, 3)], True),
    ("svd_reduced", lambda a: tuple(L.svd(a, full_matrices=False)),
     lambda a: tuple(np.linalg.svd(a, full_matrices=False)), [normal(2, 3, 5)], True),
    ("svd_full_square", lambda a: tuple(L.svd(a)), lambda a: tuple(np.linalg.svd(a)),
     [normal(4, 4)], True),
    ("svd_full_tall", lambda a: tuple(L.svd(a)), lambda a: tuple(np.linalg.svd(a)),
     [normal(5, 3)], False),
    ("qr_reduced", lambda a: tuple(L.qr(a)), lambda a: tuple(np.linalg.qr(a)),
     [general(2, 5, 3)], True),
    ("qr_wide", lambda a: tuple(L.qr(a)), lambda a: tuple(np.linalg.qr(a)), [general(3, 5)],
     True),
    ("qr_complete", lambda a: tuple(L.qr(a, mode="complete")),
     lambda a: tuple(np.linalg.qr(a, mode="complete")), [general(5, 3)], False),
    ("qr_r", lambda a: L.qr(a, mode="r"), lambda a: np.linalg.qr(a, mode="r"),
     [general(2, 4, 4)], True),
    ("pinv", L.pinv, np.linalg.pinv, [normal(2, 5, 3)], True),
    ("pinv_wide", L.pinv, np.linalg.pinv, [normal(3, 5)], True),
    ("matrix_power", lambda a: L.matrix_power(a, 5), lambda a: np.linalg.matrix_power(a, 5),
     [general(2, 3, 3)], True),
    ("matrix_power_negative", lambda a: L.matrix_power(a, -2),
     lambda a: np.linalg.matrix_power(a, -2), [general(3, 3)], True),
    ("matrix_power_zero", lambda a: L.matrix_power(a, 0), lambda a: np.linalg.matrix_power(a, 0),
     [general(2, 3, 3)], False),
    ("matrix_rank", L.matrix_rank, np.linalg.matrix_rank, [normal(2, 4, 3)], False),
    ("lstsq", lambda a, b: L.lstsq(a, b)[:2], lambda a, b: np.linalg.lstsq(a, b)[:2],
     [normal(5, 3), normal(5, 2)], True),
    ("lstsq_vector", first(L.lstsq), lambda a, b: np.linalg.lstsq(a, b)[0],
     [normal(5, 3), normal(5)], True),
    ("cond", L.cond, np.linalg.cond, [general(2, 4, 4)], True),
    ("cond_1", lambda a: L.cond(a, 1), lambda a: np.linalg.cond(a, 1), [general(4, 4)], True),
    ("cond_-2", lambda a: L.cond(a, -2), lambda a: np.linalg.cond(a, -2), [general(3, 5)], True),
    ("tensorinv", L.tensorinv, np.linalg.tensorinv, [tensor(2, 3, 6)], True),
    ("tensorsolve", L.tensorsolve, np.linalg.tensorsolve, [tensor(2, 3, 2, 3), normal(2, 3)],
     True),
    ("multi_dot", lambda *xs: L.multi_dot(xs), lambda *xs: np.linalg.multi_dot(xs),
     [normal(3), normal(3, 5), normal(5, 2), normal(2, 4)], True),
    ("outer", L.outer, np.outer, [normal(3), normal(4)], True),
    ("cross", L.cross, np.cross, [normal(2, 4, 3), normal(4, 3)], True),
    ("cross_axis0", lambda a, b: L.cross(a, b, axis=0), lambda a, b: np.cross(a, b, axis=0),
     [normal(3, 2), normal(3, 2)], True),
    ("eigvals", L.eigvals, lambda a: np.linalg.eigvals(a).astype(complex), [general(2, 3, 3)],
     False),
]
NORM_ORDERS = {
    "vector": [(None, None), (2, -1), (1, 0), (np.inf, -1), (-np.inf, 1), (0, -1), (3, 0),
               (0.5, -1), (-1, 0)],
    "matrix": [(o, (-2, -1)) for o in (None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf)]
    + [(1, (2, 0)), ("fro", (0, 1))],
}
for kind, orders in NORM_ORDERS.items():
    for ord_, axis in orders:
        CASES.append((f"norm_{kind}_{ord_}_{axis}",
                      lambda x, o=ord_, a=axis: L.norm(x, o, a),
                      lambda x, o=ord_, a=axis: np.linalg.norm(x, o, a),
                      [general(2, 3, 3) if kind == "matrix" else normal(2, 3, 4)], True))
CASES.append(("norm_keepdims", lambda x: L.norm(x, "nuc", (0, 2), keepdims=True),
              lambda x: np.linalg.norm(x, "nuc", (0, 2), keepdims=True), [normal(3, 2, 4)],
              True))
IDS = [case[0] for case in CASES]


def inputs(case, dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    return [make(rng, dtype) for make in case[3]]


def assert_close(got, want, dtype, tol):
    for g, w in zip(jaxlite.tree_util.tree_leaves(got), jaxlite.tree_util.tree_leaves(want),
                    strict=True):
        w = np.asarray(w)
        assert np.shape(g) == w.shape
        if w.dtype.kind == "f":
            assert np.asarray(g).dtype == dtype
        np.testing.assert_allclose(np.asarray(g), w, rtol=tol, atol=tol)


# ------------------------------------------------------------------ values


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_values_match_numpy_in_float32(case):
    args = inputs(case)
    want = case[2](*[x.astype(np.float64) for x in args])
    assert_close(case[1](*args), want, np.float32, 2e-3)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_values_match_numpy_in_float64(case, x64):
    args = inputs(case, np.float64)
    assert_close(case[1](*args), case[2](*args), np.float64, 1e-9)


@pytest.mark.parametrize("name", ["inv", "det", "cholesky", "eigvalsh", "svdvals", "norm"])
def test_integer_and_bool_inputs_compute_in_the_default_float(name):
    x = np.array([[2, 1], [1, 2]], np.int32)
    assert getattr(L, name)(x).dtype == np.float32
    assert getattr(L, name)(x > 0).dtype == np.float32


def test_eig_is_complex_as_in_jax(x64):
    a = np.array([[0.0, -1.0], [1.0, 0.0]])
    w, v = L.eig(a)
    assert w.dtype == np.complex128 and v.dtype == np.complex128
    np.testing.assert_allclose(np.sort_complex(np.asarray(w)), [-1j, 1j], atol=1e-12)
    np.testing.assert_allclose(a @ np.asarray(v), np.asarray(v) * np.asarray(w), atol=1e-12)
    jaxlite.config.update("jax_enable_x64", False)
    assert L.eigvals(np.eye(2, dtype=np.float32)).dtype == np.complex64


def test_results_are_jax_s_named_tuples():
    a = np.eye(3, dtype=np.float32)
    assert L.slogdet(a)._fields == ("sign", "logabsdet")
    assert L.qr(a)._fields == ("Q", "R")
    assert L.eigh(a)._fields == ("eigenvalues", "eigenvectors")
    assert L.svd(a)._fields == ("U", "S", "Vh")
    assert L.eig(a)._fields == ("eigenvalues", "eigenvectors")
    x, resid, rank, s = L.lstsq(a, np.ones(3, np.float32))
    assert rank.dtype == np.int32 and int(rank) == 3 and resid.shape == (1,)


# ------------------------------------------------------------------ derivatives


DIFFERENTIABLE = [case for case in CASES if case[4]]


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=[c[0] for c in DIFFERENTIABLE])
def test_derivatives_to_second_order(case, x64):
    f = case[1]
    if case[0] == "slogdet":
        f = lambda a: case[1](a)[1]  # noqa: E731 - (the sign is piecewise constant)
    check_grads(f, inputs(case, np.float64), order=2)


def test_eigvals_differentiate_in_forward_mode_only_and_eig_not_at_all(x64):
    a = inputs(CASES[IDS.index("eigvals")], np.float64)[0][0]
    check_grads(L.eigvals, [a], order=1, modes=("fwd",))
    with pytest.raises(NotImplementedError, match="only eigenvalues are differentiable"):
        jaxlite.jvp(lambda x: L.eig(x)[0], (a,), (a,))
    assert np.isfinite(np.asarray(jaxlite.jvp(L.eigvals, (a,), (a,))[1])).all()


def test_full_svd_and_complete_qr_of_rectangular_matrices_do_not_differentiate():
    a = np.ones((3, 2), np.float32)
    with pytest.raises(NotImplementedError, match="full_matrices=True on non-square"):
        jaxlite.jvp(lambda x: L.svd(x)[0], (a,), (a,))
    with pytest.raises(NotImplementedError, match="full_matrices=True with more rows"):
        jaxlite.jvp(lambda x: L.qr(x, mode="complete")[0], (a,), (a,))


def quiet(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(f(*args))


def test_det_gradient_is_finite_at_singular_matrices_as_in_jax():
    rank_3 = np.array([[1, 2, 3, 4], [2, 4, 6, 8], [0, 1, 0, 1], [1, 0, 1, 0]], np.float32)
    np.testing.assert_allclose(jaxlite.grad(L.det)(rank_3),
                               [[4, -4, -4, 4], [-2, 2, 2, -2], [0] * 4, [0] * 4], atol=1e-5)
    rank_2 = np.array([[1, 2, 3], [2, 4, 6], [0, 1, 0]], np.float32)  # (3x3: the formula)
    np.testing.assert_allclose(jaxlite.grad(L.det)(rank_2),
                               [[-6, 0, 2], [3, 0, -1], [0, 0, 0]], atol=1e-5)
    last_pivot_zero = np.diag(np.array([1, 2, 3, 4, 0], np.float32))
    np.testing.assert_allclose(np.diag(jaxlite.grad(L.det)(last_pivot_zero)), [0, 0, 0, 0, 24])
    for low_rank in [np.zeros((4, 4), np.float32), np.ones((5, 5), np.float32)]:
        np.testing.assert_array_equal(jaxlite.grad(L.det)(low_rank), np.zeros_like(low_rank))
    # the adjugate gradient agrees with the inverse-based one away from singular matrices
    a = np.random.default_rng(0).standard_normal((5, 5)).astype(np.float32)
    np.testing.assert_allclose(jaxlite.grad(L.det)(a), np.linalg.det(a) * np.linalg.inv(a).T,
                               rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("ord_, shape, expected", [
    (None, (3,), np.nan), (1, (3,), 1.0), (np.inf, (3,), 1 / 6), (-np.inf, (3,), 1 / 3),
    (3, (3,), np.nan), ("fro", (2, 2), np.nan), (1, (2, 2), 0.25), (np.inf, (2, 2), 0.25),
    ("nuc", (2, 2), np.eye(2)), (2, (2, 2), 0.25 * np.eye(2)),
])
def test_norm_gradients_at_zero_are_jax_s(ord_, shape, expected):
    g = quiet(jaxlite.grad(lambda x: L.norm(x, ord_)), np.zeros(shape, np.float32))
    np.testing.assert_allclose(g, np.broadcast_to(expected, shape), atol=1e-7)


def test_singular_and_indefinite_inputs_give_jax_s_values():
    sign, logdet = quiet(lambda a: np.array(L.slogdet(a)), np.ones((4, 4), np.float32))
    assert sign == 0 and logdet == -np.inf
    assert quiet(L.det, np.ones((5, 5), np.float32)) == 0
    chol = quiet(L.cholesky, np.array([[[1, 2], [2, 1]], [[2, 0], [0, 2]]], np.float32))
    np.testing.assert_array_equal(np.isnan(chol[0]), [[True, False], [True, True]])
    np.testing.assert_allclose(chol[1], np.sqrt(2) * np.eye(2), rtol=1e-6)
    inverse = quiet(L.inv, np.ones((3, 3), np.float32))
    assert not np.isfinite(inverse).any()
    assert np.isinf(quiet(L.cond, np.ones((3, 3), np.float32)))
    # where LAPACK refuses a matrix (NaNs), its results are NaN and the others computed
    stack = np.stack([np.full((2, 2), np.nan, np.float32), np.diag([2.0, 1.0]).astype(np.float32)])
    np.testing.assert_array_equal(quiet(L.svdvals, stack), [[np.nan, np.nan], [2, 1]])
    w = quiet(L.eigvals, stack)
    assert np.isnan(w[0].real).all() and np.isnan(w[0].imag).all()
    np.testing.assert_array_equal(w[1], [2, 1])


# ------------------------------------------------------------------ vmap, jit, printing


BATCHED = [c for c in CASES if not c[0].startswith(("matrix_rank", "eigvals", "multi_dot"))]


@pytest.mark.parametrize("case", BATCHED, ids=[c[0] for c in BATCHED])
def test_vmap_matches_a_loop(case):
    members = [inputs(case, seed=seed) for seed in range(3)]
    stacked = [np.stack(xs) for xs in zip(*members)]
    got = jaxlite.vmap(case[1])(*stacked)
    want = [case[1](*args) for args in members]
    want = jaxlite.tree_util.tree_map(lambda *xs: np.stack(xs), *want)
    assert_close(got, want, np.float32, 1e-5)


GRADIENTS = ["cholesky", "solve", "inv", "det", "slogdet", "eigh_vectors", "svd_reduced",
             "qr_wide", "pinv", "lstsq", "norm_matrix_nuc_(-2, -1)"]


@pytest.mark.parametrize("name", GRADIENTS)
def test_vmap_of_grad_matches_a_loop(name):
    case = CASES[IDS.index(name)]

    def loss(*xs):
        return sum(jnp.sum(jnp.sin(out)) for out in jaxlite.tree_util.tree_leaves(case[1](*xs)))

    members = [inputs(case, seed=seed) for seed in range(3)]
    stacked = [np.stack(xs) for xs in zip(*members)]
    argnums = tuple(range(len(members[0])))
    got = jaxlite.vmap(jaxlite.grad(loss, argnums))(*stacked)
    want = [jaxlite.grad(loss, argnums)(*args) for args in members]
    want = jaxlite.tree_util.tree_map(lambda *xs: np.stack(xs), *want)
    assert_close(got, want, np.float32, 2e-4)


def test_vmap_of_solve_over_right_hand_sides_only():
    a = inputs(CASES[IDS.index("solve_vector")])[0]
    bs = np.random.default_rng(1).standard_normal((5, 4)).astype(np.float32)
    got = jaxlite.vmap(L.solve, in_axes=(None, 0))(a, bs)
    np.testing.assert_allclose(got, np.stack([np.asarray(L.solve(a, b)) for b in bs]), rtol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_jit_is_bit_for_bit_eager(case):
    args = inputs(case)
    got, want = jaxlite.jit(case[1])(*args), case[1](*args)
    for g, w in zip(jaxlite.tree_util.tree_leaves(got), jaxlite.tree_util.tree_leaves(want),
                    strict=True):
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


@pytest.mark.parametrize("case", DIFFERENTIABLE[:12], ids=[c[0] for c in DIFFERENTIABLE[:12]])
def test_jaxprs_of_values_and_gradients_typecheck(case):
    args = inputs(case)

    def loss(*xs):
        out = jaxlite.tree_util.tree_leaves(case[1](*xs))
        return sum(jnp.sum(o) for o in out if o.dtype == np.float32)

    jaxlite.typecheck(jaxlite.make_jaxpr(case[1])(*args))
    jaxlite.typecheck(jaxlite.make_jaxpr(jaxlite.grad(loss))(*args))
    jaxlite.typecheck(jaxlite.make_jaxpr(jaxlite.vmap(jaxlite.grad(loss)))(
        *[np.stack([x, x]) for x in args]))


def test_decompositions_print_as_jax_s_primitives():
    a = np.eye(3, dtype=np.float32)
    text = str(jaxlite.make_jaxpr(lambda x: L.svd(x, full_matrices=False))(a))
    assert "b:f32[3] c:f32[3,3] d:f32[3,3] = svd[compute_uv=True full_matrices=False] a" in text
    (call,) = jaxlite.make_jaxpr(lambda x: L.slogdet(x))(a).jaxpr.eqns  # (custom_jvp_call)
    assert "b:f32[3,3] c:i32[3] _:i32[3] = lu a" in str(call.params["call_jaxpr"])
    text = str(jaxlite.make_jaxpr(lambda x: L.eigh(x))(a))
    assert "= eigh[lower=True]" in text


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("call, error, words", [
    (lambda: L.inv(np.ones((2, 3))), ValueError, "must have shape [..., n, n], got (2, 3)"),
    (lambda: L.inv(np.ones(3)), ValueError, "must have shape [..., n, n], got (3,)"),
    (lambda: L.det(np.ones((2, 3))), ValueError, "must have shape [..., n, n]"),
    (lambda: L.slogdet(np.ones(3)), ValueError, "must have shape [..., n, n]"),
    (lambda: L.solve(np.ones(3), np.ones(3)), ValueError, "at least two dimensional"),
    (lambda: L.solve(np.eye(3), np.ones(4)), ValueError, "b.shape=(4,)"),
    (lambda: L.solve(np.ones((2, 3, 3)), np.ones((2, 3))), ValueError,
     "Invalid shapes for solve"),
    (lambda: L.solve(np.eye(3), np.ones((2, 3))), ValueError, "b.shape=(2, 3)"),
    (lambda: L.cholesky(np.ones((2, 3))), TypeError, "[..., n, n], got (2, 3)"),
    (lambda: L.eigh(np.ones((2, 3))), TypeError, "[..., n, n], got (2, 3)"),
    (lambda: L.eigh(np.eye(2), UPLO="X"), ValueError, "UPLO must be one of"),
    (lambda: L.qr(np.ones(3)), TypeError, "rank at least 2"),
    (lambda: L.qr(np.eye(2), mode="bad"), ValueError, "Unsupported QR decomposition mode"),
    (lambda: L.svd(np.ones(3)), TypeError, "rank at least 2"),
    (lambda: L.eigvals(np.ones((2, 3))), ValueError, "must be a square matrix"),
    (lambda: L.norm(np.ones((3, 3)), ord=3), ValueError, "Invalid order '3' for matrix norm"),
    (lambda: L.norm(np.ones(3), ord="fro"), ValueError, "Invalid order 'fro' for vector norm"),
    (lambda: L.norm(np.ones((2, 3, 3)), ord=2), ValueError, "Improper number of axes"),
    (lambda: L.norm(np.ones((3, 3)), axis=(0, 0)), ValueError, "duplicate value in 'axis'"),
    (lambda: L.matrix_power(np.ones((2, 3)), 2), TypeError, "must be square"),
    (lambda: L.matrix_power(np.eye(3), 2.0), TypeError, "exponent must be an integer"),
    (lambda: L.lstsq(np.ones((3, 3)), np.ones(4)), ValueError, "Leading dimensions"),
    (lambda: L.cross(np.ones(2), np.ones(2)), ValueError, "3-dimensional vectors"),
    (lambda: L.multi_dot([np.ones(3)]), ValueError, "at least two arrays"),
    (lambda: L.tensorinv(np.ones((2, 3)), 1), ValueError, "tensorinv is only possible"),
    (lambda: L.cond(np.ones((2, 3)), p=1), ValueError, "array must be square"),
    (lambda: L.outer(np.ones((2, 2)), np.ones(2)), ValueError, "must be one-dimensional"),
    (lambda: L.pinv(np.ones(3)), ValueError, "at least 2D"),
    (lambda: L.inv([[1.0, 0.0], [0.0, 1.0]]), TypeError,
     "inv requires ndarray or scalar arguments, got <class 'list'> at position 0"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_bad_arguments_raise_jax_s_errors_and_leave_the_library_working(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)
    assert jaxlite.core.trace.current_trace() is None
    np.testing.assert_allclose(L.inv(np.diag(np.array([2.0, 4.0], np.float32))),
                               [[0.5, 0], [0, 0.25]])


def test_shape_errors_under_jit_name_the_primitive():
    with pytest.raises(TypeError, match="qr: needs an operand of rank at least 2"):
        jaxlite.jit(L.qr)(np.ones(3, np.float32))
    with pytest.raises(TypeError, match="svd: does not accept dtype float16"):
        L.svd(np.ones((2, 2), np.float16))
    assert jaxlite.core.trace.current_trace() is None


def test_lax_linalg_has_jax_s_signatures_and_output_order():
    a = positive_definite(3, 3)(np.random.default_rng(0), np.float32)
    np.testing.assert_allclose(lax_linalg.cholesky(a), np.linalg.cholesky(a), rtol=1e-5)
    v, w = lax_linalg.eigh(a)
    np.testing.assert_allclose(w, np.linalg.eigvalsh(a), rtol=1e-5)
    u, s, vh = lax_linalg.svd(a, full_matrices=False)
    np.testing.assert_allclose((np.asarray(u) * np.asarray(s)) @ vh, a, rtol=1e-5, atol=1e-5)
    lu, pivots, permutation = lax_linalg.lu(a)
    assert pivots.dtype == permutation.dtype == np.int32
    q, r = lax_linalg.qr(a)
    x = lax_linalg.triangular_solve(r, a, left_side=True)  # upper: r^-1 a = q^T a
    np.testing.assert_allclose(x, np.linalg.solve(np.triu(r), a), rtol=1e-4, atol=1e-5)
    assert len(lax_linalg.eig(a, compute_left_eigenvectors=False)) == 2
    with pytest.raises(NotImplementedError, match="compute_left_eigenvectors=False"):
        lax_linalg.eig(a)
    assert jaxlite.lax.linalg is lax_linalg
