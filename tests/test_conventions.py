"""Derivative conventions at kinks and singular points, one test each, as JAX 0.10 has them.

The expected values are those JAX gives (jax.grad on CPU, x64 off).
"""

import warnings

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import grad


def assert_scalar(x, expected, weak=None):
    assert isinstance(x, jaxlite.Array) and x.dtype == np.float32
    if weak is not None:
        assert x.weak_type == weak
    np.testing.assert_array_equal(np.asarray(x), np.float32(expected))


def quiet(f, *args):
    """``f(*args)`` with NumPy's divide/invalid warnings (expected at singular points) muted."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return f(*args)


def test_abs_at_zero_has_derivative_one():
    assert_scalar(grad(jnp.abs)(0.0), 1.0, weak=True)
    np.testing.assert_array_equal(grad(lambda x: jnp.sum(jnp.abs(x)))(jnp.array([-1.0, 0.0, 2.0])),
                                  [-1.0, 1.0, 1.0])


@pytest.mark.parametrize("op", [jnp.maximum, jnp.minimum])
def test_maximum_minimum_split_ties_evenly(op):
    assert_scalar(grad(lambda x: op(x, 1.0))(1.0), 0.5, weak=True)
    gx, gy = grad(lambda x, y: op(x, y), argnums=(0, 1))(2.0, 2.0)
    assert_scalar(gx, 0.5)
    assert_scalar(gy, 0.5)


def test_reduction_max_min_split_ties_evenly():
    x = jnp.array([1.0, 3.0, 3.0])
    np.testing.assert_array_equal(grad(jnp.max)(x), [0.0, 0.5, 0.5])
    np.testing.assert_array_equal(grad(lambda x: x.max())(x), [0.0, 0.5, 0.5])
    np.testing.assert_array_equal(grad(jnp.min)(jnp.array([1.0, 1.0, 3.0])), [0.5, 0.5, 0.0])
    np.testing.assert_array_equal(grad(jnp.max)(jnp.full(4, 2.0)), [0.25] * 4)


def test_sqrt_at_zero_has_infinite_derivative():
    assert_scalar(quiet(grad(jnp.sqrt), 0.0), np.inf, weak=True)


def test_where_with_infinite_derivative_in_untaken_branch_gives_nan():
    # 0 * inf in the untaken branch's cotangent: JAX gives nan here too
    g = quiet(grad(lambda x: jnp.where(x > 0, jnp.sqrt(x), 0.0)), 0.0)
    assert_scalar(g, np.nan, weak=True)


def test_double_where_gives_finite_gradient():
    def safe_sqrt(x):
        safe_x = jnp.where(x > 0, x, 1.0)
        return jnp.where(x > 0, jnp.sqrt(safe_x), 0.0)

    assert_scalar(grad(safe_sqrt)(0.0), 0.0, weak=True)
    assert_scalar(grad(safe_sqrt)(4.0), 0.25, weak=True)


@pytest.mark.parametrize("f", [
    jnp.sign, jnp.floor, jnp.ceil, jnp.round,
    lambda x: (x > 1.0).astype(jnp.float32), lambda x: jnp.where(x <= 1.0, 1.0, 2.0),
    lambda x: jnp.equal(x, 1.3).astype(jnp.float32) * 5.0,
], ids=["sign", "floor", "ceil", "round", "greater", "where_le", "equal"])
def test_piecewise_constant_functions_have_zero_gradient(f):
    assert_scalar(grad(f)(1.3), 0.0, weak=True)


def test_power_with_exponent_one_at_zero():
    # JAX gives Array(1., dtype=float32) (strong); jaxlite keeps the input's weak type
    assert_scalar(quiet(grad(lambda x: x ** 1.0), 0.0), 1.0)
    assert_scalar(quiet(grad(lambda x: x ** 1.0), np.float32(0.0)), 1.0, weak=False)


def test_zero_to_the_y_has_zero_derivative_in_y():
    assert_scalar(quiet(grad(lambda y: 0.0 ** y), 2.0), 0.0, weak=True)


@pytest.mark.parametrize("x,dtype_name", [(1, "int32"), (True, "bool"), (np.int32(3), "int32"),
                                          (jnp.arange(3), "int32")])
def test_integer_and_boolean_inputs_to_grad_raise(x, dtype_name):
    with pytest.raises(TypeError) as info:
        grad(lambda x: jnp.sum(x * 2))(x)
    message = str(info.value)
    assert message == (
        "grad requires real- or complex-valued inputs (input dtype that is a sub-dtype of "
        f"np.inexact), but got {dtype_name}. If you want to use Boolean- or integer-valued "
        "inputs, use vjp or set allow_int to True.")


@pytest.mark.parametrize("make", [
    lambda: jnp.array(1.0, dtype=jnp.float64),
    lambda: jnp.float64(1.0),
    lambda: jnp.zeros(2, dtype=jnp.float64),
    lambda: jnp.asarray(np.ones(2, np.float64)),
], ids=["array", "scalar_type", "zeros", "asarray_numpy"])
def test_float64_without_x64_gives_float32(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # JAX warns that float64 is truncated
        x = make()
    assert x.dtype == np.float32
    assert grad(lambda x: jnp.sum(x * 2.0))(x).dtype == np.float32
