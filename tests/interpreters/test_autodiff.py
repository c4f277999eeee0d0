"""grad, value_and_grad, jvp, vjp, linearize and linear_transpose against analytic values.

Dtypes and weak types are those JAX 0.10 gives for the same calls.
"""

import collections
import math

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import grad, jvp, linear_transpose, linearize, value_and_grad, vjp
from jaxlite.primitives import elementwise
from jaxlite.test_util import check_grads


def assert_array(x, expected, dtype=np.float32, weak=None, rtol=1e-5, atol=1e-6):
    """``x`` is a jaxlite Array close to ``expected``, of ``dtype`` (and weak type if given)."""
    assert isinstance(x, jaxlite.Array), type(x)
    assert x.dtype == dtype
    if weak is not None:
        assert x.weak_type == weak
    np.testing.assert_allclose(np.asarray(x), expected, rtol=rtol, atol=atol)


# ------------------------------------------------------------------ higher order (analytic)

THIRD_DERIVATIVES = [  # (name, f, f''')
    ("x3_sin", lambda x: x ** 3 * jnp.sin(x),
     lambda x: 6 * math.sin(x) + 18 * x * math.cos(x) - 9 * x ** 2 * math.sin(x)
     - x ** 3 * math.cos(x)),
    ("exp2x", lambda x: jnp.exp(2.0 * x), lambda x: 8 * math.exp(2 * x)),
    ("log", jnp.log, lambda x: 2 / x ** 3),
    ("recip", lambda x: 1.0 / x, lambda x: -6 / x ** 4),
    ("x4", lambda x: x ** 4, lambda x: 24 * x),
    ("sqrt", jnp.sqrt, lambda x: 3 / 8 * x ** -2.5),
    ("tanh", jnp.tanh, lambda x: -2 * (1 - math.tanh(x) ** 2) * (1 - 3 * math.tanh(x) ** 2)),
    ("cos_sq", lambda x: jnp.cos(x) ** 2, lambda x: 4 * math.sin(2 * x)),
]


@pytest.mark.parametrize("name,f,f3", THIRD_DERIVATIVES, ids=[t[0] for t in THIRD_DERIVATIVES])
@pytest.mark.parametrize("x", [0.7, 1.5])
def test_third_derivative_reverse(name, f, f3, x):
    assert_array(grad(grad(grad(f)))(x), f3(x), weak=True, rtol=2e-4, atol=1e-4)


@pytest.mark.parametrize("name,f,f3", THIRD_DERIVATIVES[:4],
                         ids=[t[0] for t in THIRD_DERIVATIVES[:4]])
def test_third_derivative_forward_and_mixed(name, f, f3):
    def d(g):  # forward-mode derivative of a scalar function
        return lambda x: jvp(g, (x,), (1.0,))[1]

    x = 1.3
    np.testing.assert_allclose(d(d(d(f)))(x), f3(x), rtol=2e-4)
    np.testing.assert_allclose(grad(d(grad(f)))(x), f3(x), rtol=2e-4)
    np.testing.assert_allclose(d(grad(d(f)))(x), f3(x), rtol=2e-4)


# ------------------------------------------------------------------ Python control flow


def branchy(x):
    if x > 0:
        return x ** 2
    return -3.0 * x


def loopy(x):
    while x < 10.0:
        x = x * 2.0
    return x


@pytest.mark.parametrize("x,expected", [(2.0, 4.0), (0.5, 1.0), (-1.0, -3.0), (-0.25, -3.0)])
def test_python_if_on_traced_value(x, expected):
    assert_array(grad(branchy)(x), expected, weak=True)
    value, g = value_and_grad(branchy)(x)
    assert_array(value, branchy(x))
    assert_array(g, expected)


@pytest.mark.parametrize("x,expected", [(3.0, 4.0), (1.0, 16.0), (11.0, 1.0)])
def test_python_while_on_traced_value(x, expected):
    assert_array(grad(loopy)(x), expected)


def test_float_of_traced_value_under_grad_raises():
    # as in JAX: float() would make the value a constant and drop its derivative silently
    def f(x):
        return float(x) * x
    with pytest.raises(jaxlite.errors.ConcretizationTypeError, match="float"):
        grad(f)(3.0)
    assert_array(grad(lambda x: x.item() * x)(3.0), 3.0)  # item() is discrete, as in JAX


# ------------------------------------------------------------------ argnums, has_aux, pytrees


def f3(x, y, z):
    return x * y ** 2 + jnp.sin(z)


@pytest.mark.parametrize("argnums,expected", [
    (0, 4.0), (1, 12.0), (2, math.cos(0.5)), (-1, math.cos(0.5)),
    ((0,), (4.0,)), ((0, 2), (4.0, math.cos(0.5))), ((2, 0), (math.cos(0.5), 4.0)),
])
def test_argnums(argnums, expected):
    g = grad(f3, argnums=argnums)(3.0, 2.0, 0.5)
    if isinstance(argnums, tuple):
        assert isinstance(g, tuple) and len(g) == len(expected)
        for gi, ei in zip(g, expected):
            assert_array(gi, ei)
    else:
        assert_array(g, expected)


def test_argnums_with_keyword_arguments_held_fixed():
    g = grad(lambda x, *, scale: scale * x ** 2)(3.0, scale=2.0)
    assert_array(g, 12.0)


def test_has_aux():
    def f(x):
        return jnp.sum(x ** 2), {"mean": jnp.mean(x), "n": 3}

    x = jnp.array([1.0, 2.0, 3.0])
    g, aux = grad(f, has_aux=True)(x)
    assert_array(g, [2.0, 4.0, 6.0])
    assert set(aux) == {"mean", "n"}
    assert_array(aux["mean"], 2.0)
    (value, aux2), g2 = value_and_grad(f, has_aux=True)(x)
    assert_array(value, 14.0)
    assert_array(aux2["mean"], 2.0)
    assert_array(g2, [2.0, 4.0, 6.0])


def test_has_aux_with_argnums_tuple():
    (gx, gy), aux = grad(lambda x, y: (x * y, x + y), argnums=(0, 1), has_aux=True)(2.0, 5.0)
    assert_array(gx, 5.0)
    assert_array(gy, 2.0)
    assert_array(aux, 7.0)


Point = collections.namedtuple("Point", ["x", "y"])


@pytest.mark.parametrize("arg,expected", [
    ({"a": 1.0, "b": [2.0, 3.0]}, {"a": 6.0, "b": [3.0, 2.0]}),
    ([1.0, (2.0, 3.0)], [6.0, (3.0, 2.0)]),
    ((1.0, {"c": 2.0, "d": 3.0}), (6.0, {"c": 3.0, "d": 2.0})),
    (Point(1.0, Point(2.0, 3.0)), Point(6.0, Point(3.0, 2.0))),
], ids=["dict", "list", "tuple_dict", "namedtuple"])
def test_pytree_argument_gradient_has_argument_structure(arg, expected):
    def f(tree):
        a, b, c = jaxlite.tree_util.tree_leaves(tree)
        return a * b * c

    g = grad(f)(arg)
    assert jaxlite.tree_util.tree_structure(g) == jaxlite.tree_util.tree_structure(arg)
    assert type(g) is type(arg)
    for gi, ei in zip(jaxlite.tree_util.tree_leaves(g), jaxlite.tree_util.tree_leaves(expected)):
        assert_array(gi, ei, weak=True)


def test_pytree_of_arrays():
    params = {"w": jnp.array([[1.0, 2.0], [3.0, 4.0]]), "b": jnp.array([0.5, -0.5])}
    x = jnp.array([1.0, -1.0])

    def loss(p):
        return jnp.sum((p["w"] @ x + p["b"]) ** 2)

    g = grad(loss)(params)
    r = np.asarray(params["w"]) @ np.asarray(x) + np.asarray(params["b"])  # [-0.5, -1.5]
    assert_array(g["b"], 2 * r, weak=False)
    assert_array(g["w"], 2 * np.outer(r, x), weak=False)


def test_closure_over_outer_variables():
    a = jnp.array([1.0, 2.0, 3.0])
    scale = 2.5

    def f(x):
        return scale * jnp.sum(a * x ** 2)

    x = jnp.array([1.0, -1.0, 2.0])
    assert_array(grad(f)(x), scale * 2 * np.asarray(a) * np.asarray(x))


def test_closure_over_outer_tracer():
    # d/dx [ d/dy (x*y)^2 at y=1 ] = d/dx 2 x^2 = 4x
    def outer(x):
        return grad(lambda y: (x * y) ** 2)(1.0)
    for x in [0.5, 1.0, -2.0]:
        assert_array(grad(outer)(x), 4 * x)


@pytest.mark.parametrize("x", [-2.0, 0.0, 1.0, 3.5])
def test_perturbation_confusion(x):
    # d/dx [x * d/dy (x + y)] = d/dx [x * 1] = 1, not 2
    def f(x):
        return x * grad(lambda y: x + y)(1.0)
    assert_array(grad(f)(x), 1.0, weak=True)
    # and with a tracer closed over in forward mode
    assert_array(jvp(f, (x,), (1.0,))[1], 1.0)


# ------------------------------------------------------------------ jvp, vjp, linearize


def multi(x, y):
    return {"prod": x * y, "mix": (jnp.sin(x) + y ** 2, x - 2.0 * y)}


def test_jvp_multi_output():
    x, y, tx, ty = 0.5, 1.5, 1.0, -2.0
    out, tangent = jvp(multi, (x, y), (tx, ty))
    assert_array(out["prod"], x * y)
    assert_array(out["mix"][0], math.sin(x) + y ** 2)
    assert_array(tangent["prod"], tx * y + x * ty)
    assert_array(tangent["mix"][0], math.cos(x) * tx + 2 * y * ty)
    assert_array(tangent["mix"][1], tx - 2 * ty)


def test_jvp_arrays_and_pytree_primals():
    x = jnp.array([0.1, 0.2, 0.3])
    t = jnp.array([1.0, 0.0, -1.0])
    out, tangent = jvp(lambda p: jnp.exp(p["x"]) * 2.0, ({"x": x},), ({"x": t},))
    assert_array(out, 2 * np.exp(np.asarray(x)), weak=False)
    assert_array(tangent, 2 * np.exp(np.asarray(x)) * np.asarray(t), weak=False)


def test_jvp_tangent_weak_type_follows_primal_output():
    # JAX: jvp(jnp.sin, (1.0,), (1.0,)) -> tangent Array(0.5403023, dtype=float32, weak_type=True)
    out, tangent = jvp(jnp.sin, (1.0,), (1.0,))
    assert_array(out, math.sin(1.0), weak=True)
    assert_array(tangent, math.cos(1.0), weak=True)
    _, tangent = jvp(lambda x: x * np.float32(2.0), (3.0,), (1.0,))
    assert_array(tangent, 2.0, weak=False)


def test_vjp_multi_output():
    x, y = 0.5, 1.5
    out, pullback = vjp(multi, x, y)
    assert_array(out["mix"][1], x - 2 * y)
    ct = {"prod": 1.0, "mix": (2.0, 3.0)}
    gx, gy = pullback(ct)
    assert_array(gx, y + 2.0 * math.cos(x) + 3.0)
    assert_array(gy, x + 2.0 * 2 * y - 6.0)


def test_vjp_is_transpose_of_jvp():
    rng = np.random.default_rng(0)
    a = jnp.array(rng.standard_normal((3, 4)).astype(np.float32))

    def f(x):
        return jnp.tanh(a @ x) * x[:3]

    x = jnp.array(rng.standard_normal(4).astype(np.float32))
    t = rng.standard_normal(4).astype(np.float32)
    ct = rng.standard_normal(3).astype(np.float32)
    _, jt = jvp(f, (x,), (t,))
    (ctj,) = vjp(f, x)[1](ct)
    np.testing.assert_allclose(np.vdot(ct, jt), np.vdot(ctj, t), rtol=1e-5)


def test_vjp_has_aux():
    out, pullback, aux = vjp(lambda x: (x ** 2, x + 1.0), 3.0, has_aux=True)
    assert_array(out, 9.0)
    assert_array(aux, 4.0)
    assert_array(pullback(1.0)[0], 6.0)


def test_linearize_matches_jvp():
    def f(x):
        return jnp.sin(x) * jnp.exp(x)

    x = jnp.array([0.1, 0.5, 1.0])
    out, f_jvp = linearize(f, x)
    assert_array(out, np.sin(np.asarray(x)) * np.exp(np.asarray(x)))
    for t in [jnp.ones(3), jnp.array([1.0, -2.0, 0.5])]:
        expected = jvp(f, (x,), (t,))[1]
        assert_array(f_jvp(t), np.asarray(expected))


def test_linearize_does_no_primal_work_when_applied():
    calls = []
    impl = elementwise.sin_p.impl
    elementwise.sin_p.impl = lambda *a, **p: (calls.append(1), impl(*a, **p))[1]
    try:
        _, f_jvp = linearize(lambda x: jnp.sin(x) * 2.0, 1.0)
        assert len(calls) == 1
        assert_array(f_jvp(1.0), 2 * math.cos(1.0))
        assert_array(f_jvp(3.0), 6 * math.cos(1.0))
        assert len(calls) == 1
    finally:
        elementwise.sin_p.impl = impl


# ------------------------------------------------------------------ linear_transpose


def test_linear_transpose_scalar():
    # JAX: linear_transpose(lambda x: x * 2., 1.0)(3.0) -> (Array(6., weak_type=True),)
    (ct,) = linear_transpose(lambda x: x * 2.0, 1.0)(3.0)
    assert_array(ct, 6.0, weak=True)


def test_linear_transpose_two_inputs_two_outputs():
    # (x, y) -> (2x + y, 3y); its transpose maps (a, b) to (2a, a + 3b)
    f_t = linear_transpose(lambda x, y: (x * 2.0 + y, 3.0 * y), 1.0, 2.0)
    cx, cy = f_t((1.0, 1.0))
    assert_array(cx, 2.0)
    assert_array(cy, 4.0)


def test_linear_transpose_matrix():
    a = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    f_t = linear_transpose(lambda x: jnp.asarray(a) @ x, jnp.zeros(3))
    ct = np.array([1.0, -1.0], np.float32)
    (x_ct,) = f_t(ct)
    assert_array(x_ct, a.T @ ct)


# ------------------------------------------------------------------ dtypes and zero gradients


@pytest.mark.parametrize("x,weak", [
    (3.0, True), (np.float32(3.0), False), (jnp.float32(3.0), False), (jnp.array(3.0), True),
    (jnp.array([3.0])[0], False),
])
def test_grad_dtype_and_weak_type(x, weak):
    # JAX: Python float (and jnp.array of one) -> weak f32; np.float32 / jnp.float32 -> strong
    assert_array(grad(lambda x: x * 2.0)(x), 2.0, weak=weak)


def test_grad_of_float64_numpy_input_without_x64_is_float32():
    assert_array(grad(lambda x: x * 2.0)(np.float64(3.0)), 2.0, np.float32, weak=False)


def test_grad_float64_with_x64():
    jaxlite.config.update("jax_enable_x64", True)
    g = grad(lambda x: jnp.sin(x))(np.float64(1.0))
    assert_array(g, math.cos(1.0), np.float64, weak=False, rtol=1e-14)
    assert_array(grad(lambda x: x ** 2)(1.0), 2.0, np.float64, weak=True)


@pytest.mark.parametrize("f", [lambda x: 1.0, lambda x: jnp.float32(2.0), lambda x: jnp.ones(()),
                               lambda x: jnp.sum(jnp.ones(3))])
def test_grad_of_function_not_depending_on_x(f):
    assert_array(grad(f)(2.0), 0.0, weak=True)
    assert_array(grad(f)(jnp.ones(())), 0.0, weak=False)


def test_grad_with_unused_argument_is_zero_of_its_shape():
    gx, gy = grad(lambda x, y: jnp.sum(x ** 2), argnums=(0, 1))(jnp.ones(2), jnp.ones((2, 3)))
    assert_array(gx, [2.0, 2.0])
    assert_array(gy, np.zeros((2, 3)))


def test_grad_through_integer_intermediates():
    # the integer index and comparison carry no derivative, the float path does
    def f(x):
        n = jnp.argmax(x)
        return x[n] * jnp.sum((x > 0).astype(jnp.float32) * x)
    x = jnp.array([1.0, 3.0, -2.0])
    assert_array(grad(f)(x), [3.0, 4.0 + 3.0, 0.0])


# ------------------------------------------------------------------ the forward pass runs once


@pytest.fixture
def sin_calls():
    """Count evaluations of sin's impl; restore the impl afterwards."""
    calls = []
    impl = elementwise.sin_p.impl
    elementwise.sin_p.impl = lambda *args, **params: (calls.append(1), impl(*args, **params))[1]
    yield calls
    elementwise.sin_p.impl = impl


@pytest.mark.parametrize("transform", [
    lambda f: grad(f)(1.0),
    lambda f: value_and_grad(f)(1.0),
    lambda f: jvp(f, (1.0,), (1.0,)),
    lambda f: vjp(f, 1.0)[1](1.0),
    lambda f: grad(lambda x: f(x) + jnp.sum(x))(jnp.ones(())),
], ids=["grad", "value_and_grad", "jvp", "vjp", "grad_array"])
def test_eager_derivative_evaluates_forward_pass_once(sin_calls, transform):
    # sin's derivative is cos, so sin runs only in the forward pass: exactly once
    transform(lambda x: jnp.sin(x) * x + 1.0)
    assert len(sin_calls) == 1


def test_nested_eager_grad_evaluates_forward_pass_once(sin_calls):
    # d2/dx2 sin = -sin: one sin for the forward pass, one in the second derivative
    assert_array(grad(grad(jnp.sin))(1.0), -math.sin(1.0))
    assert len(sin_calls) == 2


# ------------------------------------------------------------------ check_grads on composites


def _mlp_layer(w, b, x):
    return jnp.sum(jnp.tanh(x @ w + b))


def _softmax_xent(logits, labels):
    return -jnp.mean(jnp.sum(jaxlite.nn.log_softmax(logits) * labels, axis=-1))


RNG = np.random.default_rng(42)
W = RNG.standard_normal((3, 4)).astype(np.float32)
B = RNG.standard_normal(4).astype(np.float32)
X = RNG.standard_normal((2, 3)).astype(np.float32)
LOGITS = RNG.standard_normal((2, 5)).astype(np.float32)
LABELS = np.eye(5, dtype=np.float32)[[1, 3]]
M1 = RNG.standard_normal((3, 3)).astype(np.float32)
M2 = RNG.standard_normal((3, 2)).astype(np.float32)
V = np.array([0.3, -1.2, 0.8, 2.0], np.float32)

COMPOSITES = [
    ("mlp_layer", _mlp_layer, (W, B, X)),
    ("softmax_xent", _softmax_xent, (LOGITS, LABELS)),
    ("softmax", lambda x: jaxlite.nn.softmax(x)[..., 1], (LOGITS,)),
    ("logsumexp", lambda x: jaxlite.nn.logsumexp(x, axis=1), (LOGITS,)),
    ("matmul_chain", lambda a, b, c: a @ b @ c, (M1, M1.T, M2)),
    ("where_max_mix", lambda x: jnp.where(x > 0, jnp.maximum(x, 0.5) ** 2, jnp.sin(x)), (V,)),
    ("max_reduce", lambda x: jnp.max(x * jnp.array([1.0, 2.0, 0.5, 1.0])), (V,)),
    ("sigmoid_softplus", lambda x: jaxlite.nn.sigmoid(x) * jaxlite.nn.softplus(x), (V,)),
    ("gelu_silu", lambda x: jaxlite.nn.gelu(x) + jaxlite.nn.silu(x), (V,)),
    ("norm", lambda x: x / jnp.sqrt(jnp.sum(x ** 2)), (V,)),
    ("variance", lambda x: jnp.var(x) + jnp.mean(x) * jnp.std(x), (V,)),
    ("reshape_transpose", lambda x: (x.reshape(2, 2).T @ x.reshape(2, 2)).ravel(), (V,)),
    ("pow_exp_log", lambda x, y: jnp.exp(y) ** 1.5 * jnp.log1p(x ** 2), (V, V[::-1].copy())),
    ("clip_abs", lambda x: jnp.clip(jnp.abs(x), 0.5, 1.5) * x, (V,)),
]


@pytest.mark.parametrize("name,f,args", COMPOSITES, ids=[c[0] for c in COMPOSITES])
def test_check_grads_composites(name, f, args):
    check_grads(f, args, order=1, modes=("fwd", "rev"))
    jaxlite.config.update("jax_enable_x64", True)  # second order in float64 (conftest resets)
    check_grads(f, [np.asarray(a, np.float64) for a in args], order=2, modes=("fwd", "rev"))


def test_check_grads_second_order_float32():
    check_grads(jnp.sin, (np.float32(0.3),), order=2)

