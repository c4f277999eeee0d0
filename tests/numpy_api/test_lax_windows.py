"""``lax.reduce_window`` against NumPy, the max-pool gradient JAX gives (one element per
window), the generic path for other computations, and errors as JAX raises them."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax


def pool_2x2(x, reduce):
    n, h, w, c = x.shape
    return reduce(x.reshape(n, h // 2, 2, w // 2, 2, c), axis=(2, 4))


@pytest.mark.parametrize("dtype", [np.float32, np.int32])
def test_pooling_matches_numpy(dtype):
    x = np.random.default_rng(0).integers(-50, 50, (2, 6, 4, 3)).astype(dtype)
    low = np.iinfo(dtype).min if dtype == np.int32 else -np.inf
    got = lax.reduce_window(x, low, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
    np.testing.assert_array_equal(np.asarray(got), pool_2x2(x, np.max))
    assert got.dtype == dtype
    got = lax.reduce_window(x, dtype(0), lax.add, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
    np.testing.assert_array_equal(np.asarray(got), pool_2x2(x, np.sum))
    high = np.iinfo(dtype).max if dtype == np.int32 else np.inf
    got = lax.reduce_window(x, high, lax.min, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
    np.testing.assert_array_equal(np.asarray(got), pool_2x2(x, np.min))


def test_max_pool_gradient_goes_to_the_first_maximum_of_each_window():
    x = np.array([[1.0, 1.0, 0.0, 2.0], [1.0, 0.5, 2.0, 2.0]], np.float32)

    def pool(v):
        return jnp.sum(lax.reduce_window(v, -jnp.inf, lax.max, (2, 2), (2, 2), "VALID"))

    np.testing.assert_array_equal(np.asarray(jaxlite.grad(pool)(x)),  # (JAX's answer)
                                  [[1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]])
    np.testing.assert_array_equal(np.asarray(jaxlite.jit(jaxlite.grad(pool))(x)),
                                  np.asarray(jaxlite.grad(pool)(x)))


def test_same_padding_and_dilations_match_jax():
    x = np.arange(20, dtype=np.float32).reshape(4, 5) % 7
    # values recorded from jax.lax 0.10
    got = lax.reduce_window(x, 0.0, lax.add, (2, 3), (2, 1), "SAME", base_dilation=(1, 2),
                            window_dilation=(2, 1))
    np.testing.assert_array_equal(np.asarray(got), [
        [3., 8., 5., 12., 7., 16., 9., 13., 4.], [3., 7., 4., 9., 5., 11., 6., 6., 0.]])
    got = lax.reduce_window(x, -jnp.inf, lax.max, (3, 2), (1, 2), ((1, 1), (2, 0)))
    np.testing.assert_array_equal(np.asarray(got), [
        [-np.inf, 6., 3.], [-np.inf, 6., 6.], [-np.inf, 6., 6.], [-np.inf, 4., 6.]])


def test_other_computations_fold_over_the_windows():
    x = np.arange(1, 13, dtype=np.float32).reshape(3, 4) / 4
    got = lax.reduce_window(x, 1.0, lax.mul, (2, 2), (1, 2), "VALID")
    want = x[:-1, 0::2] * x[:-1, 1::2] * x[1:, 0::2] * x[1:, 1::2]
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6)
    clipped = lax.reduce_window(x, 1.5, lax.max, (2, 2), (1, 1), "VALID")  # a non-identity init
    np.testing.assert_array_equal(
        np.asarray(clipped), np.maximum(1.5, np.asarray(lax.reduce_window(
            x, -np.inf, lax.max, (2, 2), (1, 1), "VALID"))))
    batched = jaxlite.vmap(lambda v: lax.reduce_window(v, 1.0, lax.mul, (2, 2), (1, 2),
                                                       "VALID"))(np.stack([x, 2 * x]))
    np.testing.assert_allclose(np.asarray(batched), np.stack([want, 16 * want]), rtol=1e-6)


def test_bad_arguments_raise():
    x = np.ones((4, 5), np.float32)
    with pytest.raises(TypeError, match="wrong number of window_dimensions"):
        lax.reduce_window(x, 0.0, lax.add, (2,), (1,), "VALID")
    with pytest.raises(RuntimeError, match="Unrecognized padding type"):
        lax.reduce_window(x, 0.0, lax.add, (2, 2), (1, 1), "FULL")
    with pytest.raises(TypeError, match="positive"):
        lax.reduce_window(x, 0.0, lax.add, (2, 2), (0, 1), "VALID")
    assert lax.reduce_window(x, 0.0, lax.add, (2, 2), (1, 1), "VALID").shape == (3, 4)
