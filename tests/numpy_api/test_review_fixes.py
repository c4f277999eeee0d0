"""Regression tests for the code-review fixes in numpy_api/ (values from JAX 0.10)."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.test_util import check_grads

INF = np.inf


def assert_array(out, expected, dtype, weak=False, rtol=1e-6):
    assert isinstance(out, jaxlite.Array), type(out)
    assert out.dtype == dtype and out.weak_type == weak, out.aval
    np.testing.assert_allclose(np.asarray(out), expected, rtol=rtol, atol=0)


# 6: gelu(approximate=False) is the exact erf form; approximate=True stays JAX's default.
GELU_X = [-12.0, -3.0, -1.0, -0.1, 0.0, 0.5, 2.0, 4.0, 30.0]
GELU_EXACT = [-2.1317952e-32, -0.004049696, -0.15865527, -0.046017218, 0.0, 0.34573123,
              1.9544997, 3.9998734, 30.0]


def test_gelu_exact_values():
    out = jaxlite.nn.gelu(jnp.array(GELU_X), approximate=False)
    # (at -12 JAX's float32 erfc is 1.3e-6 off; jaxlite's erfc primitive rounds once)
    assert_array(out, GELU_EXACT, np.float32, rtol=2e-6)


def test_gelu_default_is_tanh_approximation():
    out = jaxlite.nn.gelu(jnp.array([-3.0, -1.0, 0.5, 2.0]))
    assert_array(out, [-0.0036373436, -0.15880796, 0.345714, 1.9545977], np.float32)


@pytest.mark.parametrize("x", [1.0, 1])
def test_gelu_of_python_scalar_is_strong_float32(x):
    assert_array(jaxlite.nn.gelu(x, approximate=False), 0.8413447, np.float32)


@pytest.mark.parametrize("x, slope", [(-2.0, -0.08523182), (0.0, 0.5), (0.5, 0.8674951),
                                      (1.5, 1.1274692)])
def test_gelu_exact_derivative(x, slope):
    grad = jaxlite.grad(lambda v: jaxlite.nn.gelu(v, approximate=False))(x)
    np.testing.assert_allclose(grad, slope, rtol=2e-6, atol=1e-7)


def test_gelu_exact_check_grads():
    x = np.array([-2.5, -0.7, 0.3, 1.9])
    check_grads(lambda v: jaxlite.nn.gelu(v, approximate=False), (x,), order=2)


# 7: logsumexp of all -inf is -inf (the non-finite max is replaced by 0 before shifting).
@pytest.mark.filterwarnings("ignore:divide by zero encountered in log")  # log(0) = -inf
@pytest.mark.parametrize("args, expected", [
    ((jnp.array([-INF, -INF]),), -INF),
    ((-INF,), -INF),
    ((jnp.array([[-INF, -INF], [1.0, 2.0]]), 1), [-INF, 2.3132617]),
    ((jnp.full((2, 3), -INF), 1, True), [-INF, -INF]),  # (the third argument is b)
    ((jnp.array([INF, 1.0]),), INF),
])
def test_logsumexp_infinities(args, expected):
    assert_array(jaxlite.nn.logsumexp(*args), expected, np.float32)


def test_logsumexp_gradient_unchanged():
    grad = jaxlite.grad(jaxlite.nn.logsumexp)(jnp.array([1.0, 2.0]))
    np.testing.assert_allclose(grad, [0.26894142, 0.7310586], rtol=1e-6)


# 8: power with a Python scalar base keeps the weak type.
@pytest.mark.parametrize("call, value, dtype, weak", [
    (lambda: jnp.power(2.0, 3), 8.0, np.float32, True),
    (lambda: jnp.power(2, 3), 8, np.int32, True),
    (lambda: jnp.power(2.0, jnp.int32(3)), 8.0, np.float32, True),
    (lambda: jnp.power(jnp.float32(2), 3), 8.0, np.float32, False),
    # the move of array_operand to _util keeps these weak, as in JAX
    (lambda: jnp.floor(3), 3, np.int32, True),
    (lambda: jnp.positive(2.0), 2.0, np.float32, True),
])
def test_weak_types(call, value, dtype, weak):
    assert_array(call(), value, dtype, weak)


def test_power_of_python_scalar_traces():
    jaxpr = jaxlite.make_jaxpr(lambda y: jnp.power(2.0, 3) * y)(1.0)
    jaxlite.typecheck(jaxpr)


# 11: a 0-d array has no axis 0 or -1.
@pytest.mark.parametrize("call", [
    lambda: jnp.sum(jnp.float32(1), axis=0),
    lambda: jnp.sum(jnp.float32(1), axis=-1),
    lambda: jnp.mean(jnp.float32(1), axis=0),
    lambda: jnp.max(jnp.float32(1), axis=(0,)),
    lambda: jnp.squeeze(jnp.float32(1), axis=0),
    lambda: jnp.swapaxes(jnp.float32(1), 0, 0),
    lambda: jnp.moveaxis(jnp.float32(1), 0, 0),
    lambda: jaxlite.nn.softmax(jnp.float32(1)),
])
def test_zero_d_axis_is_out_of_bounds(call):
    with pytest.raises(ValueError, match="is out of bounds for array of dimension 0"):
        call()


@pytest.mark.parametrize("call, shape", [
    (lambda: jnp.expand_dims(jnp.float32(1), 0), (1,)),
    (lambda: jnp.expand_dims(jnp.float32(1), -1), (1,)),
    (lambda: jnp.stack([jnp.float32(1)], axis=-1), (1,)),
    (lambda: jnp.sum(jnp.float32(1), axis=()), ()),
    (lambda: jnp.sum(jnp.float32(1)), ()),
])
def test_zero_d_axes_that_exist(call, shape):
    assert call().shape == shape


# 29: .at[] updates with strides, reversal and None (one padding helper for values and mask).
X = np.arange(12.0).reshape(3, 4)


@pytest.mark.parametrize("update, expected", [
    (lambda x: x.at[::2, ::-3].set(-1.0),
     [[-1, 1, 2, -1], [4, 5, 6, 7], [-1, 9, 10, -1]]),
    (lambda x: x.at[1:, None, 3].add(10.0),
     [[0, 1, 2, 3], [4, 5, 6, 17], [8, 9, 10, 21]]),
    (lambda x: x.at[..., ::-2].max(5.0),
     [[0, 5, 2, 5], [4, 5, 6, 7], [8, 9, 10, 11]]),
])
def test_strided_updates(update, expected):
    assert_array(update(jnp.array(X, jnp.float32)), expected, np.float32)


# 34: linspace honours axis.
@pytest.mark.parametrize("call, expected", [
    (lambda: jnp.linspace(jnp.zeros(2), jnp.array([1.0, 2.0]), 3, axis=-1),
     [[0.0, 0.5, 1.0], [0.0, 1.0, 2.0]]),
    (lambda: jnp.linspace(jnp.array([0.0, 1.0]), 2.0, 3, axis=1),
     [[0.0, 1.0, 2.0], [1.0, 1.5, 2.0]]),
    (lambda: jnp.linspace(jnp.zeros(2), jnp.array([1.0, 2.0]), 3), [[0, 0], [0.5, 1], [1, 2]]),
    (lambda: jnp.linspace(0.0, 1.0, 3, axis=-1), [0.0, 0.5, 1.0]),
])
def test_linspace_axis(call, expected):
    assert_array(call(), expected, np.float32)


def test_linspace_axis_shapes_and_bounds():
    assert jnp.linspace(jnp.zeros((2, 2)), 1.0, 3, axis=1).shape == (2, 3, 2)
    with pytest.raises(ValueError, match="axis 1 is out of bounds"):
        jnp.linspace(0.0, 1.0, 3, axis=1)


def test_linspace_traced_axis():
    jaxpr = jaxlite.make_jaxpr(lambda a, b: jnp.linspace(a, b, 4, axis=1))(np.zeros(2), np.ones(2))
    jaxlite.typecheck(jaxpr)
    assert jaxpr.out_avals[0].shape == (2, 4)
