"""jaxlite.nn: activations against NumPy formulas (float32 and float64), JAX's derivatives
at the kinks (issue 16), stability, vmap against a loop, and the initializers against
JAX's recorded outputs (tests/data/nn_initializers_jax.json)."""

import json
import math
import pathlib

import numpy as np
import pytest

import jaxlite
import jaxlite.nn.initializers as initializers
import jaxlite.numpy as jnp
from jaxlite import nn, random
from jaxlite.test_util import check_grads

scipy_special = pytest.importorskip("scipy.special")


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


def _sigmoid(x):
    return scipy_special.expit(x)


def _elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


REFERENCES = {  # name -> (jaxlite function, NumPy reference)
    "relu": (nn.relu, lambda x: np.maximum(x, 0)),
    "relu6": (nn.relu6, lambda x: np.clip(x, 0, 6)),
    "sigmoid": (nn.sigmoid, _sigmoid),
    "log_sigmoid": (nn.log_sigmoid, lambda x: -np.logaddexp(0, -x)),
    "softplus": (nn.softplus, lambda x: np.logaddexp(x, 0)),
    "silu": (nn.silu, lambda x: x * _sigmoid(x)),
    "swish": (nn.swish, lambda x: x * _sigmoid(x)),
    "gelu": (nn.gelu, lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi)
                                                       * (x + 0.044715 * x**3)))),
    "gelu_exact": (lambda x: nn.gelu(x, approximate=False),
                   lambda x: 0.5 * x * scipy_special.erfc(-x / math.sqrt(2))),
    "elu": (nn.elu, _elu),
    "selu": (nn.selu, lambda x: 1.0507009873554805 * _elu(x, 1.6732632423543772)),
    "celu": (lambda x: nn.celu(x, 0.5),
             lambda x: np.maximum(x, 0) + 0.5 * np.expm1(np.minimum(x, 0) / 0.5)),
    "leaky_relu": (nn.leaky_relu, lambda x: np.where(x >= 0, x, 0.01 * x)),
    "hard_tanh": (nn.hard_tanh, lambda x: np.clip(x, -1, 1)),
    "hard_sigmoid": (nn.hard_sigmoid, lambda x: np.clip(x + 3, 0, 6) / 6),
    "hard_silu": (nn.hard_silu, lambda x: x * np.clip(x + 3, 0, 6) / 6),
    "sparse_plus": (nn.sparse_plus, lambda x: np.where(x <= -1, 0, np.where(
        x >= 1, x, (x + 1) ** 2 / 4))),
    "sparse_sigmoid": (nn.sparse_sigmoid, lambda x: np.clip(x + 1, 0, 2) / 2),
    "mish": (nn.mish, lambda x: x * np.tanh(np.logaddexp(x, 0))),
    "soft_sign": (nn.soft_sign, lambda x: x / (np.abs(x) + 1)),
    "softmax": (nn.softmax, lambda x: scipy_special.softmax(x, axis=-1)),
    "log_softmax": (nn.log_softmax, lambda x: scipy_special.log_softmax(x, axis=-1)),
    "logsumexp": (lambda x: nn.logsumexp(x, axis=-1),
                  lambda x: scipy_special.logsumexp(x, axis=-1)),
    "standardize": (nn.standardize, lambda x: (x - x.mean(-1, keepdims=True))
                    / np.sqrt(x.var(-1, keepdims=True) + 1e-5)),
    "glu": (nn.glu, lambda x: x[..., :2] * _sigmoid(x[..., 2:])),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_values_against_numpy(name, dtype, x64):
    fun, reference = REFERENCES[name]
    rng = np.random.default_rng(0)
    for shape in [(4,), (3, 4), (2, 3, 4)]:
        x = (rng.standard_normal(shape) * 4).astype(dtype)
        got = fun(x)
        assert got.dtype == dtype
        tol = 1e-6 if dtype == np.float32 else 1e-13
        np.testing.assert_allclose(np.asarray(got, np.float64), reference(x.astype(np.float64)),
                                   rtol=tol, atol=tol)


@pytest.mark.parametrize("name", ["sigmoid", "log_sigmoid", "softplus", "silu", "gelu",
                                  "gelu_exact", "elu", "selu", "celu", "mish", "softmax",
                                  "log_softmax", "logsumexp", "standardize", "glu"])
def test_check_grads(name, x64):
    x = np.array([[-2.3, -0.4, 0.7, 1.9], [0.3, -1.1, 2.2, -0.8]])
    check_grads(REFERENCES[name][0], [x], order=2)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # (inf - inf in a discarded branch)
def test_jax_answers_at_the_kinks():
    # issue 16: relu exists; softplus' derivative at 0 is 1/2; logaddexp ties split 1/2, 1/2
    assert float(nn.relu(-1.0)) == 0.0 and float(jaxlite.grad(nn.relu)(0.0)) == 0.0
    assert float(jaxlite.grad(nn.softplus)(0.0)) == 0.5
    assert [float(g) for g in jaxlite.grad(jnp.logaddexp, argnums=(0, 1))(1.0, 1.0)] == [0.5, 0.5]
    inf = float("inf")
    assert [float(g) for g in jaxlite.grad(jnp.logaddexp, argnums=(0, 1))(inf, inf)] == [1.0, 1.0]
    assert [float(g) for g in jaxlite.grad(jnp.logaddexp, argnums=(0, 1))(-inf, 1.0)] == [0.0, 1.0]
    relu6_slopes = jaxlite.vmap(jaxlite.grad(nn.relu6))(jnp.array([0.0, 3.0, 6.0]))
    np.testing.assert_array_equal(relu6_slopes, [0.0, 1.0, 0.0])
    assert float(jaxlite.grad(nn.hard_tanh)(0.5)) == 1.0
    assert float(jaxlite.grad(nn.leaky_relu)(-2.0)) == pytest.approx(0.01)
    assert float(jaxlite.grad(lambda x: nn.elu(x))(-1.0)) == pytest.approx(math.exp(-1))


def test_stable_for_large_inputs():
    x = jnp.array([1e4, -1e4, 3.0, 1e4], jnp.float32)
    for fun in (nn.softmax, nn.log_softmax, lambda v: nn.logsumexp(v)):
        value = fun(x)
        assert np.all(np.isfinite(value) | (np.asarray(value) == -np.inf))
        slope = jaxlite.grad(lambda v: jnp.sum(fun(v) * jnp.arange(4.0)))(x)
        assert np.all(np.isfinite(slope))
    np.testing.assert_allclose(nn.softmax(x), [0.5, 0, 0, 0.5])
    assert np.all(np.isfinite(nn.softplus(x))) and np.all(np.isfinite(nn.log_sigmoid(x)))
    np.testing.assert_allclose(jaxlite.grad(lambda v: jnp.sum(nn.softplus(v)))(x), [1, 0, 0.95257413, 1])


def test_where_one_hot_and_dtypes():
    x = jnp.array([[1.0, 2.0, 3.0], [0.5, -1.0, 4.0]])
    mask = jnp.array([[True, False, True], [True, True, False]])
    np.testing.assert_allclose(nn.softmax(x, where=mask)[0], [0.11920292, 0.0, 0.88079708],
                               rtol=1e-6)
    assert float(nn.log_softmax(x, where=mask)[1, 2]) == -np.inf
    np.testing.assert_allclose(nn.logsumexp(x, axis=1, where=mask), [np.logaddexp(1, 3),
                                                                       np.logaddexp(0.5, -1)])
    hot = nn.one_hot(jnp.array([1, 3, -1]), 3, axis=0)
    np.testing.assert_array_equal(hot, [[0, 0, 0], [1, 0, 0], [0, 0, 0]])
    assert hot.dtype == np.float32
    assert nn.one_hot(jnp.array([0, 2]), 3, dtype=jnp.int32).dtype == np.int32
    assert nn.relu(jnp.array(3)).dtype == np.int32  # as in JAX
    assert nn.gelu(1).dtype == np.float32 and not nn.gelu(1.0).weak_type
    np.testing.assert_allclose(nn.logmeanexp(x, axis=1), np.log(np.exp(np.asarray(x)).mean(1)),
                               rtol=1e-6)


@pytest.mark.parametrize("name", ["relu", "gelu_exact", "softmax", "glu", "standardize"])
def test_vmap_against_a_loop(name):
    fun = REFERENCES[name][0]
    x = np.random.default_rng(2).standard_normal((3, 2, 4)).astype(np.float32)
    np.testing.assert_allclose(jaxlite.vmap(fun)(x), np.stack([fun(row) for row in x]),
                               rtol=1e-6)
    jaxlite.typecheck(jaxlite.make_jaxpr(jaxlite.vmap(jaxlite.grad(
        lambda v: jnp.sum(fun(v)))))(x))


# ---------------------------------------------------------------- initializers

RECORDED = json.loads((pathlib.Path(__file__).parents[1] / "data"
                       / "nn_initializers_jax.json").read_text())


@pytest.mark.parametrize("case", RECORDED, ids=lambda c: f"{c['fn']}-{c['seed']}-"
                         f"{'x'.join(map(str, c['shape']))}-{'x64' if c['x64'] else 'x32'}")
def test_initializers_give_jax_numbers(case):
    jaxlite.config.update("jax_enable_x64", case["x64"])  # the conftest restores the flag
    init = getattr(initializers, case["fn"])
    if case["kwargs"] is not None:
        init = init(**{k: tuple(v) if isinstance(v, list) else v
                       for k, v in case["kwargs"].items()})
    got = init(random.PRNGKey(case["seed"]), tuple(case["shape"]))
    expected = np.frombuffer(bytes.fromhex(case["hex"]), case["dtype"]).reshape(case["out_shape"])
    assert got.dtype == expected.dtype and got.shape == expected.shape
    tol = 2e-6 if expected.dtype == np.float32 else 1e-13
    np.testing.assert_allclose(np.asarray(got), expected, rtol=tol, atol=tol)


def test_initializer_errors():
    key = random.PRNGKey(0)
    with pytest.raises(ValueError, match="invalid mode"):
        initializers.variance_scaling(1.0, "fan_sideways", "normal")
    with pytest.raises(ValueError, match="invalid distribution"):
        initializers.variance_scaling(1.0, "fan_in", "cauchy")
    with pytest.raises(ValueError, match="at least 2D"):
        initializers.glorot_normal()(key, (3,))
    with pytest.raises(ValueError, match="at least a 2D shape"):
        initializers.orthogonal()(key, (3,))
    with pytest.raises(ValueError, match="3D, 4D or 5D"):
        initializers.delta_orthogonal()(key, (3, 3))
    with pytest.raises(ValueError, match="divisible by 2"):
        nn.glu(jnp.ones(3))
    assert initializers.zeros(key, (2, 2)).shape == (2, 2)  # still works
