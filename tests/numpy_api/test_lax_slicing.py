"""``lax.dynamic_slice`` and friends: JAX's clamping of start indices (eager, jit, vmap),
and errors."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax

X = np.arange(12, dtype=np.float32).reshape(3, 4)


@pytest.mark.parametrize("start, want", [(0, [0., 1.]), (3, [2., 3.]), (-1, [2., 3.]),
                                         (-9, [0., 1.]), (9, [2., 3.])])
def test_start_indices_wrap_then_clamp_as_jax(start, want):
    np.testing.assert_array_equal(np.asarray(lax.dynamic_slice(X[0], (start,), (2,))), want)
    jitted = jaxlite.jit(lambda s: lax.dynamic_slice(X[0], (s,), (2,)))(start)
    np.testing.assert_array_equal(np.asarray(jitted), want)
    batched = jaxlite.vmap(lambda s: lax.dynamic_slice(X[0], (s,), (2,)))(jnp.array([start]))
    np.testing.assert_array_equal(np.asarray(batched), [want])


def test_update_is_clamped_into_the_operand():
    got = lax.dynamic_update_slice(X, np.full((2, 2), -1.0, np.float32), jnp.array([5, -1]))
    want = X.copy()
    want[1:3, 2:4] = -1
    np.testing.assert_array_equal(np.asarray(got), want)


def test_bad_arguments_raise():
    with pytest.raises(TypeError, match="one start index per operand axis"):
        lax.dynamic_slice(X, (1,), (1, 1))
    with pytest.raises(TypeError, match="scalar integers"):
        lax.dynamic_slice(X, (jnp.float32(1), 0), (1, 1))
    with pytest.raises(TypeError, match="slice_sizes"):
        lax.dynamic_slice(X, (0, 0), (4, 1))
    with pytest.raises(IndexError, match="out of bounds"):
        lax.index_in_dim(X, 3, 0)
    with pytest.raises(ValueError, match="out of bounds"):
        lax.slice_in_dim(X, 0, 1, axis=2)
    assert lax.dynamic_slice(X, (1, 1), (1, 1)).shape == (1, 1)
