"""The ``lax`` names programs call directly: elementwise ops, select, full, broadcast,
reduce, and precision/preferred_element_type on the products (JAX's answers)."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax

X = np.array([-2.5, -0.5, 0.3, 0.5, 1.5, 2.5, 0.49999997], np.float32)


@pytest.mark.parametrize("name, reference", [
    ("abs", np.abs), ("atan", np.arctan), ("cbrt", np.cbrt), ("ceil", np.ceil),
    ("cosh", np.cosh), ("expm1", np.expm1), ("floor", np.floor), ("sign", np.sign),
    ("sinh", np.sinh), ("tan", np.tan), ("tanh", np.tanh), ("square", np.square),
    ("reciprocal", np.reciprocal), ("exp2", np.exp2), ("is_finite", np.isfinite),
    ("asinh", np.arcsinh),
])
def test_elementwise_names_match_numpy(name, reference):
    got = getattr(lax, name)(X)
    np.testing.assert_allclose(np.asarray(got), reference(X), rtol=1e-6)
    assert got.dtype == reference(X).dtype


def test_round_halves_away_from_zero_by_default():  # (JAX's RoundingMethod.AWAY_FROM_ZERO)
    np.testing.assert_array_equal(np.asarray(lax.round(X)), [-3., -1., 0., 1., 2., 3., 0.])
    np.testing.assert_array_equal(np.asarray(lax.round(X, 1)), [-2., -0., 0., 0., 2., 2., 0.])


def test_select_full_broadcast_collapse_and_bitwise():
    np.testing.assert_array_equal(np.asarray(lax.select(X > 0, X, -X)), np.abs(X))
    full = lax.full((2, 3), 1.5)
    assert full.shape == (2, 3) and full.dtype == np.float32
    assert lax.full_like(np.arange(3, dtype=np.int32), 4).dtype == np.int32
    assert lax.broadcast(np.arange(3), (2, 4)).shape == (2, 4, 3)
    assert lax.collapse(np.ones((2, 3, 4)), 1).shape == (2, 12)
    i = np.array([-7, 3, 12], np.int32)
    np.testing.assert_array_equal(np.asarray(lax.bitwise_and(i, 5)), i & 5)
    np.testing.assert_array_equal(np.asarray(lax.bitwise_not(i)), ~i)
    np.testing.assert_allclose(np.asarray(lax.rem(X, 0.75)), np.fmod(X, 0.75), rtol=1e-6)


def test_reduce_with_lax_computations():
    m = X[:6].reshape(2, 3)
    np.testing.assert_allclose(np.asarray(lax.reduce(m, 0.0, lax.add, (1,))), m.sum(1))
    np.testing.assert_array_equal(np.asarray(lax.reduce(m, -np.inf, lax.max, (0,))), m.max(0))
    np.testing.assert_allclose(float(lax.reduce(m, 2.0, lax.mul, (0, 1))), 2 * m.prod(),
                               rtol=1e-6)
    assert int(lax.reduce(np.array([-7, 3], np.int32), np.int32(0), lax.min, (0,))) == -7
    slope = jaxlite.grad(lambda v: lax.reduce(v, 0.0, lax.add, (0, 1)))(m)
    np.testing.assert_array_equal(np.asarray(slope), np.ones_like(m))
    with pytest.raises(NotImplementedError, match="lax.reduce with computation"):
        lax.reduce(m, 0.0, lax.sub, (0,))


def test_products_take_precision_and_preferred_element_type():
    a, b = np.ones((2, 3), np.int8), np.full((3, 4), 100, np.int8)
    assert lax.dot(a, b, preferred_element_type=jnp.int32).dtype == np.int32
    assert int(lax.dot(a, b, preferred_element_type=jnp.int32)[0, 0]) == 300  # no int8 wrap
    half = a.astype(np.float16)
    assert jnp.matmul(half, half.T, precision=lax.Precision.HIGHEST,
                      preferred_element_type=jnp.float32).dtype == np.float32
    assert jnp.dot(half, b.astype(np.float16), precision="highest").dtype == np.float16
    assert lax.batch_matmul(np.ones((2, 2, 3)), np.ones((2, 3, 1))).shape == (2, 2, 1)
    closed = jaxlite.make_jaxpr(lambda x, y: lax.dot(x, y))(half, half.T)
    assert "dot_general[dimension_numbers=(([1], [0]), ([], []))]" in str(closed)
    with pytest.raises(ValueError, match="Precision argument"):
        lax.dot(half, half.T, precision="extreme")
    with pytest.raises(ValueError, match="dimension_numbers must be specified"):
        lax.dot(half, half)
