"""cumsum: JAX's bits (XLA's CPU summation order), NumPy's dtypes, and its rules beyond the
spec table's checks (which cover jvp, transpose, batching and staging)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.errors import ShapeError
from jaxlite.primitives import cumulative
from jaxlite.test_util import check_grads

# jnp.cumsum(x) for these inputs, recorded with JAX 0.10.2 on CPU
SQUARES_HEX = (
    "000000000bd7233ccecc4c3d2a5c0f3e9a99993ecdcc0c3fc3f5683f3333b33f5c8f0240666636406666764085"
    "eba1400000d0403e0a034167662241676646412a5c6f41cdcc8e4152b8a8419a99c5419a99e541a4700442cdcc"
    "1742c3f52c420000444200005d423e0a78429a998a42ae479a429a19ab429a19bd42ec51d042cdcce4427c94fa"
    "429ad908439a1915435c0f224300c02f43a4303e4367664d43"
)
SINES_SHA256 = "1bfc3b966fb301919cbb2b78072542064a8409daee318f9548901d8b85bd7bb9"


def block_order_reference(x: np.ndarray) -> np.ndarray:
    """XLA's order, one element at a time: left to right within blocks of 16, each block
    then adding the running total of the blocks before it (itself scanned the same way)."""
    n = len(x)
    if n <= 16:
        return np.cumsum(x, dtype=x.dtype)
    blocks = [np.cumsum(x[i:i + 16], dtype=x.dtype) for i in range(0, n, 16)]
    before = block_order_reference(np.array([b[-1] for b in blocks], x.dtype))
    out = [blocks[0]] + [(b + before[i]).astype(x.dtype) for i, b in enumerate(blocks[1:])]
    return np.concatenate(out)


def test_cumsum_sums_in_xla_s_order_and_gives_jax_s_bits():
    squares = (np.arange(40, dtype=np.float32) * np.float32(0.1)) ** 2
    got = np.asarray(jnp.cumsum(squares))
    assert got.tobytes().hex() == SQUARES_HEX
    assert not np.array_equal(got, np.cumsum(squares))  # not NumPy's sequential order
    sines = np.sin(np.arange(300, dtype=np.float32))  # three levels of blocks
    assert hashlib.sha256(np.asarray(jnp.cumsum(sines)).tobytes()).hexdigest() == SINES_SHA256
    for n in (1, 16, 17, 33, 300, 4100):
        x = np.random.default_rng(n).standard_normal(n).astype(np.float32)
        np.testing.assert_array_equal(np.asarray(jnp.cumsum(x)), block_order_reference(x))


def test_cumsum_along_any_axis_and_under_jit_and_vmap():
    x = np.random.default_rng(0).standard_normal((3, 40, 2)).astype(np.float32)
    want = np.moveaxis(np.stack([[block_order_reference(x[i, :, j]) for j in range(2)]
                                 for i in range(3)]), 1, 2)
    np.testing.assert_array_equal(np.asarray(jnp.cumsum(x, axis=1)), want)
    np.testing.assert_array_equal(np.asarray(jaxlite.jit(lambda x: jnp.cumsum(x, axis=1))(x)),
                                  want)
    batched = jaxlite.vmap(lambda m: jnp.cumsum(m, axis=1), in_axes=2, out_axes=2)(x)
    np.testing.assert_array_equal(np.asarray(batched), want)


def test_cumsum_dtypes_and_flattening_follow_jax():
    assert jnp.cumsum(np.ones(3, bool)).dtype == np.int32
    assert jnp.cumsum(np.ones(3, np.int8)).dtype == np.int8
    assert jnp.cumsum(np.ones((2, 3), np.float32)).shape == (6,)
    np.testing.assert_array_equal(np.asarray(jnp.cumsum(3.0)), [3.0])
    np.testing.assert_array_equal(np.asarray(jaxlite.lax.cumsum(np.arange(4.0), 0, reverse=True)),
                                  [6.0, 6.0, 5.0, 3.0])


def test_the_gradient_of_cumsum_is_the_reversed_running_sum():
    x = np.arange(5, dtype=np.float32)
    weights = np.arange(1, 6, dtype=np.float32)
    grad = jaxlite.grad(lambda x: jnp.sum(jnp.cumsum(x) * weights))(x)
    np.testing.assert_array_equal(np.asarray(grad), np.cumsum(weights[::-1])[::-1])
    jaxlite.typecheck(jaxlite.make_jaxpr(jaxlite.grad(lambda x: jnp.cumsum(x)[-1]))(x))


def test_cumsum_rejects_bad_axes_and_booleans_helpfully():
    with pytest.raises(ValueError, match=r"axis 2 is out of bounds for array of shape \(2, 3\)"):
        jaxlite.lax.cumsum(np.ones((2, 3), np.float32), axis=2)  # JAX's error
    with pytest.raises(ValueError, match="XLA operations do not allow negative axes"):
        jaxlite.lax.cummax(np.ones((2, 3), np.float32), axis=-1)
    with pytest.raises(ShapeError, match="cumsum: axis 2 is out of range"):
        cumulative.cumsum(np.ones((2, 3), np.float32), axis=2)
    with pytest.raises(ShapeError, match="does not accept dtype bool"):
        jaxlite.lax.cumsum(np.ones(3, bool), 0)
    assert float(jnp.cumsum(np.ones(3, np.float32))[-1]) == 3.0


@pytest.mark.parametrize("name, np_fn", [("cummax", np.maximum.accumulate),
                                         ("cummin", np.minimum.accumulate),
                                         ("cumlogsumexp", np.logaddexp.accumulate)])
def test_running_extrema_and_logsumexp(name, np_fn):
    lax_fn = getattr(jaxlite.lax, name)
    x = np.random.default_rng(3).normal(size=(4, 37)).astype(np.float32) * 5
    for axis in (0, 1):
        for reverse in (False, True):
            expected = np.flip(np_fn(np.flip(x, axis), axis=axis), axis) if reverse else \
                np_fn(x, axis=axis)
            np.testing.assert_allclose(np.asarray(lax_fn(x, axis, reverse)), expected, rtol=1e-6)
    if name != "cumlogsumexp":
        assert lax_fn(np.array([1, 3, 2], np.int8)).dtype == np.int8
    # JAX 0.10's values
    y = np.array([[1.0, 3.0, 2.0], [0.0, -1.0, 5.0]], np.float32)
    recorded = {"cummax": [[1, 3, 3], [0, 0, 5]], "cummin": [[1, 1, 1], [0, -1, -1]],
                "cumlogsumexp": [[1.0, 3.126928, 3.4076061], [0.0, 0.3132617, 5.0091743]]}
    np.testing.assert_allclose(np.asarray(lax_fn(y, axis=1)), recorded[name], rtol=1e-6)
    jaxlite.config.update("jax_enable_x64", True)
    distinct = np.random.default_rng(4).permutation(40).reshape(5, 8) * 0.25 - 5.0
    for reverse in (False, True):
        check_grads(lambda v, r=reverse: lax_fn(v, 1, r), [jnp.asarray(distinct)], order=2)
    batched = jaxlite.vmap(lambda v: lax_fn(v, 0), in_axes=1)(distinct)
    np.testing.assert_array_equal(np.asarray(batched),
                                  np.stack([np.asarray(lax_fn(distinct[:, i], 0))
                                            for i in range(8)]))
