"""jacfwd, jacrev and hessian: values against finite differences and analytic formulas (in
float64), output structure, dtypes and weak types as JAX 0.10 gives them.
"""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import grad, hessian, jacfwd, jacrev
from jaxlite.tree_util import tree_leaves, tree_map, tree_structure

RNG = np.random.default_rng(1)
A = RNG.standard_normal((2, 3))
S = RNG.standard_normal((4, 4))


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # conftest restores the flag


def numerical_jacobian(f, x, eps=1e-6):
    """Central differences in float64: shape ``f(x).shape + x.shape``."""
    x = np.asarray(x, np.float64)
    columns = []
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = eps
        e = e.reshape(x.shape)
        columns.append((np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2 * eps))
    out_shape = np.shape(f(x))
    return np.stack(columns, axis=-1).reshape(out_shape + x.shape)


def describe(tree):
    """(shape, dtype name, weak type) of each leaf, in the tree's structure."""
    return tree_map(lambda a: (a.shape, a.dtype.name, a.weak_type), tree)


# ------------------------------------------------------------------ Jacobians of array functions

JACOBIAN_CASES = [  # (id, f, x): includes non-square and higher-rank Jacobians
    ("matvec_2x3", lambda x: jnp.asarray(A) @ x, RNG.standard_normal(3)),
    ("moments_3x4", lambda x: jnp.stack([x.sum(), (x ** 2).sum(), jnp.prod(x)]),
     RNG.standard_normal(4)),
    ("elementwise_square", lambda x: jnp.sin(x) * x[::-1], RNG.standard_normal(4)),
    ("outer_rank3", lambda x: jnp.outer(x, jnp.exp(x)), RNG.standard_normal(3)),
    ("softmax", jaxlite.nn.softmax, RNG.standard_normal(5)),
    ("reshape_sum_3x6", lambda x: x.reshape(2, 3).sum(0), RNG.standard_normal(6)),
    ("differences", lambda x: x[1:] - x[:-1] ** 2, RNG.standard_normal(5)),
    ("scalar_out", jaxlite.nn.logsumexp, RNG.standard_normal(4)),
    ("matrix_in", lambda w: jnp.tanh(w @ jnp.arange(3.0)), RNG.standard_normal((2, 3))),
    ("scalar_in", lambda t: jnp.stack([jnp.cos(t), jnp.sin(t), t ** 2]), np.float64(0.3)),
]


@pytest.mark.parametrize("name,f,x", JACOBIAN_CASES, ids=[c[0] for c in JACOBIAN_CASES])
def test_jacfwd_jacrev_match_finite_differences(x64, name, f, x):
    expected = numerical_jacobian(f, x)
    for jac in (jacfwd, jacrev):
        got = jac(f)(x)
        assert got.shape == np.shape(f(x)) + np.shape(x)
        assert got.dtype == np.float64
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-6, atol=1e-8)


def test_jacobian_float32():
    x = np.array([0.5, -1.0, 2.0], np.float32)
    f = lambda x: jnp.asarray(A, np.float32) @ jnp.sin(x)  # noqa: E731
    expected = A.astype(np.float32) * np.cos(x)
    for jac in (jacfwd, jacrev):
        got = jac(f)(x)
        assert got.dtype == np.float32 and not got.weak_type
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-6)


# ------------------------------------------------------------------ argnums, has_aux, pytrees


@pytest.mark.parametrize("jac", [jacfwd, jacrev])
def test_argnums_tuple(jac):
    x, y = np.array([1.0, 2.0], np.float32), np.array([3.0, -1.0], np.float32)
    jx, jy = jac(lambda x, y: x * y, argnums=(0, 1))(x, y)
    np.testing.assert_array_equal(np.asarray(jx), np.diag(y))
    np.testing.assert_array_equal(np.asarray(jy), np.diag(x))
    j1 = jac(lambda x, y: jnp.sum(x) * y, argnums=1)(x, y)
    np.testing.assert_array_equal(np.asarray(j1), 3.0 * np.eye(2))


@pytest.mark.parametrize("jac", [jacfwd, jacrev])
def test_has_aux(jac):
    # JAX: (Array([[2., 0.], [0., 2.]], dtype=float32), Array(2., dtype=float32))
    j, aux = jac(lambda x: (x ** 2, x.sum()), has_aux=True)(jnp.ones(2))
    np.testing.assert_array_equal(np.asarray(j), 2 * np.eye(2))
    assert describe(aux) == ((), "float32", False)
    np.testing.assert_array_equal(np.asarray(aux), 2.0)


@pytest.mark.parametrize("jac", [jacfwd, jacrev])
def test_dict_output_structure(jac):
    # JAX case 22a: {'a': ((2, 2), 'float32'), 'b': ((2,), 'float32')}
    out = jac(lambda x: {"a": x ** 2, "b": x[0]})(jnp.ones(2))
    assert describe(out) == {"a": ((2, 2), "float32", False), "b": ((2,), "float32", False)}
    np.testing.assert_array_equal(np.asarray(out["a"]), 2 * np.eye(2))
    np.testing.assert_array_equal(np.asarray(out["b"]), [1.0, 0.0])


@pytest.mark.parametrize("jac", [jacfwd, jacrev])
def test_argnums_tuple_structure(jac):
    # JAX case 22b: (((2, 2), 'float32'), ((2, 2), 'float32'))
    out = jac(lambda x, y: x * y, argnums=(0, 1))(jnp.ones(2), jnp.ones(2))
    assert isinstance(out, tuple)
    assert describe(out) == (((2, 2), "float32", False), ((2, 2), "float32", False))


@pytest.mark.parametrize("jac", [jacfwd, jacrev])
def test_list_in_list_out(jac):
    # JAX: [[2., 1.], [1., 0.]], every entry weak f32 (Python float inputs)
    out = jac(lambda x: [x[0] * x[1], x[0]])([1.0, 2.0])
    assert tree_structure(out) == tree_structure([[0, 0], [0, 0]])
    np.testing.assert_array_equal(np.asarray(tree_leaves(out)), [2.0, 1.0, 1.0, 0.0])
    assert all(leaf.weak_type and leaf.dtype == np.float32 for leaf in tree_leaves(out))


def test_pytree_in_and_out_blocks():
    # out = {'u': w @ v, 's': sum(v)}; jac[out_key][in_key] has shape out.shape + in.shape
    params = {"w": np.ones((2, 3), np.float32), "v": np.arange(3.0, dtype=np.float32)}
    f = lambda p: {"u": p["w"] @ p["v"], "s": jnp.sum(p["v"])}  # noqa: E731
    for jac in (jacfwd, jacrev):
        out = jac(f)(params)
        shapes = tree_map(lambda a: a.shape, out)
        assert shapes == {"u": {"w": (2, 2, 3), "v": (2, 3)}, "s": {"w": (2, 3), "v": (3,)}}
        np.testing.assert_array_equal(np.asarray(out["u"]["v"]), np.ones((2, 3)))
        np.testing.assert_array_equal(np.asarray(out["s"]["w"]), np.zeros((2, 3)))
        expected_uw = np.einsum("ik,j->ikj", np.eye(2), params["v"])
        np.testing.assert_array_equal(np.asarray(out["u"]["w"]), expected_uw)


@pytest.mark.parametrize("jac", [jacfwd, jacrev])
def test_python_scalar_jacobian_weak_types(jac):
    # JAX: jacfwd/jacrev(lambda x: x ** 2)(3.) -> Array(6., dtype=float32, weak_type=True)
    out = jac(lambda x: x ** 2)(3.0)
    assert describe(out) == ((), "float32", True)
    np.testing.assert_array_equal(np.asarray(out), 6.0)


def test_mixed_weak_types_follow_jax():
    # jacfwd: each block is weak iff its output is; jacrev: iff its input is
    f = lambda x, y: x * y  # noqa: E731
    fwd = jacfwd(f, argnums=(0, 1))(3.0, np.float32(2.0))
    rev = jacrev(f, argnums=(0, 1))(3.0, np.float32(2.0))
    assert describe(fwd) == (((), "float32", False), ((), "float32", False))
    assert describe(rev) == (((), "float32", True), ((), "float32", False))


# ------------------------------------------------------------------ Hessians


def rosenbrock(x):
    return jnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def rosenbrock_hessian(x):
    n = len(x)
    h = np.zeros((n, n))
    for i in range(n - 1):
        h[i, i] += 1200 * x[i] ** 2 - 400 * x[i + 1] + 2
        h[i + 1, i + 1] += 200
        h[i, i + 1] = h[i + 1, i] = -400 * x[i]
    return h


def test_rosenbrock_hessian_10d_is_exact(x64):
    x = RNG.standard_normal(10)
    h = hessian(rosenbrock)(x)
    assert h.shape == (10, 10) and h.dtype == np.float64
    np.testing.assert_allclose(np.asarray(h), rosenbrock_hessian(x), rtol=1e-13, atol=1e-11)
    np.testing.assert_allclose(np.asarray(h), np.asarray(h).T, rtol=0, atol=0)


def test_rosenbrock_hessian_float32():
    # JAX: hessian at ones(3) -> [[802, -400, 0], [-400, 1002, -400], [0, -400, 200]] float32
    h = hessian(rosenbrock)(jnp.ones(3))
    assert h.dtype == np.float32
    np.testing.assert_array_equal(np.asarray(h), [[802, -400, 0], [-400, 1002, -400],
                                                  [0, -400, 200]])


def _lse_hessian(x):
    s = np.exp(x - np.max(x))
    s /= s.sum()
    return np.diag(s) - np.outer(s, s)


HESSIAN_CASES = [  # (id, f, x, analytic Hessian or None for finite differences of grad)
    ("cubes", lambda x: jnp.sum(x ** 3), RNG.standard_normal(4), lambda x: np.diag(6 * x)),
    ("quadratic_form", lambda x: x @ jnp.asarray(S) @ x, RNG.standard_normal(4),
     lambda x: S + S.T),
    ("logsumexp", jaxlite.nn.logsumexp, RNG.standard_normal(5), _lse_hessian),
    ("norm", lambda x: jnp.sqrt(jnp.sum(x ** 2)), RNG.standard_normal(3),
     lambda x: (np.eye(3) - np.outer(x, x) / (x @ x)) / np.linalg.norm(x)),
    ("scalar_quartic", lambda t: t ** 4, np.float64(1.7), lambda t: 12 * t ** 2),
    ("sin_times_sum", lambda x: jnp.sum(jnp.sin(x)) * jnp.sum(x), RNG.standard_normal(4), None),
    ("tanh_layer", lambda x: jnp.sum(jnp.tanh(jnp.asarray(S) @ x) ** 2), RNG.standard_normal(4),
     None),
    ("softplus_sigmoid", lambda x: jnp.sum(jaxlite.nn.softplus(x) * jaxlite.nn.sigmoid(x[::-1])),
     RNG.standard_normal(4), None),
    ("matrix_input", lambda w: jnp.sum(jnp.exp(w @ jnp.ones(3)) * w[:, 0]),
     RNG.standard_normal((2, 3)), None),
    ("max_where", lambda x: jnp.sum(jnp.where(x > 0, x ** 3, jnp.maximum(x, -0.5) ** 2)),
     np.array([0.7, -0.2, -1.3, 1.1]), None),
]


@pytest.mark.parametrize("name,f,x,analytic", HESSIAN_CASES, ids=[c[0] for c in HESSIAN_CASES])
def test_hessian(x64, name, f, x, analytic):
    h = np.asarray(hessian(f)(x))
    assert h.shape == np.shape(x) + np.shape(x)
    expected = analytic(x) if analytic is not None else numerical_jacobian(grad(f), x)
    np.testing.assert_allclose(h, expected, rtol=1e-6, atol=1e-8)
    # hessian is jacfwd of jacrev; the other three compositions agree with it
    for outer, inner in [(jacfwd, jacfwd), (jacrev, jacrev), (jacrev, jacfwd)]:
        np.testing.assert_allclose(np.asarray(outer(inner(f))(x)), h, rtol=1e-10, atol=1e-10)


def test_hessian_of_dict_input():
    # JAX case 22c: {'a': {'a': 4., 'b': 2.}, 'b': {'a': 2., 'b': 0.}}, all weak f32
    h = hessian(lambda d: d["a"] ** 2 * d["b"])({"a": 1.0, "b": 2.0})
    assert describe(h) == {k: {j: ((), "float32", True) for j in "ab"} for k in "ab"}
    assert tree_map(float, h) == {"a": {"a": 4.0, "b": 2.0}, "b": {"a": 2.0, "b": 0.0}}


def test_hessian_argnums_tuple_blocks(x64):
    # f(x, y) = sum(x^2 y): Hxx = diag(2y), Hxy = diag(2x), Hyy = 0
    x, y = RNG.standard_normal(3), RNG.standard_normal(3)
    (hxx, hxy), (hyx, hyy) = hessian(lambda x, y: jnp.sum(x ** 2 * y), argnums=(0, 1))(x, y)
    np.testing.assert_allclose(np.asarray(hxx), np.diag(2 * y), rtol=1e-14)
    np.testing.assert_allclose(np.asarray(hxy), np.diag(2 * x), rtol=1e-14)
    np.testing.assert_allclose(np.asarray(hyx), np.diag(2 * x), rtol=1e-14)
    np.testing.assert_array_equal(np.asarray(hyy), np.zeros((3, 3)))


def test_hessian_with_aux():
    h, aux = hessian(lambda x: (jnp.sum(x ** 3), x * 2.0), has_aux=True)(jnp.array([1.0, 2.0]))
    np.testing.assert_array_equal(np.asarray(h), np.diag([6.0, 12.0]))
    np.testing.assert_array_equal(np.asarray(aux), [2.0, 4.0])
