"""Reductions, cumulative ops and comparisons of issue 14 against NumPy, with check_grads,
vmap against a loop and jit against eager."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.test_util import check_grads

RNG = np.random.default_rng(0)
X = RNG.normal(size=(2, 3, 4)).astype(np.float32)
XI = RNG.integers(-3, 4, size=(2, 3, 4)).astype(np.int32)
XN = X.copy()
XN[0, 1, :] = np.nan
XN[1, 0, 2] = np.nan


def _close(out, expected, rtol=1e-5):
    expected = np.asarray(expected)
    assert out.shape == expected.shape, (out.shape, expected.shape)
    np.testing.assert_allclose(np.asarray(out, np.float64), expected, rtol=rtol, atol=1e-5)


AXES = [None, 0, 1, -1, (0, 2)]


@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("name", ["ptp", "count_nonzero", "nansum", "nanmean", "nanmax",
                                  "nanmin", "amax", "amin"])
def test_reductions(name, axis, keepdims):
    x = XN if name.startswith("nan") else np.round(X)
    _close(getattr(jnp, name)(x, axis=axis, keepdims=keepdims),
           getattr(np, name)(x, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@pytest.mark.parametrize("x", [X, XI], ids=["f32", "i32"])
def test_cumulative_values_and_dtypes(name, axis, x):
    out = getattr(jnp, name)(x, axis=axis)
    expected = getattr(np, name)(x, axis=axis)
    _close(out, expected)
    assert out.dtype == (np.int32 if x.dtype == np.int32 else np.float32)
    fn = lambda v: getattr(jnp, name)(v, axis=axis)  # noqa: E731
    np.testing.assert_array_equal(np.asarray(jaxlite.jit(fn)(x)), np.asarray(out))


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_cumulative_vmap_and_grads(name):
    fn = lambda v: getattr(jnp, name)(v, axis=-1)  # noqa: E731
    batched = jaxlite.vmap(fn, in_axes=1)(X)
    np.testing.assert_allclose(np.asarray(batched),
                               np.stack([np.asarray(fn(X[:, i])) for i in range(3)]), rtol=1e-6)
    jaxlite.config.update("jax_enable_x64", True)
    x = RNG.normal(size=(3, 5))
    x[1, 2] = 0.0  # cumprod's derivative is exact at zeros
    check_grads(fn, [jnp.asarray(x)], order=2)
    check_grads(lambda v: getattr(jnp, name)(v), [jnp.asarray(x)], order=1)


def test_cumprod_gradient_with_a_zero():
    x = np.array([2.0, 0.0, 3.0, 4.0])
    # d/dx sum(cumprod(x)) at x1 = 0: 2 + 2*3 + 2*3*4 = 32
    np.testing.assert_allclose(np.asarray(jaxlite.grad(lambda v: jnp.cumprod(v).sum())(x)),
                               [1.0, 32.0, 0.0, 0.0])


@pytest.mark.parametrize("axis", [None, 0, (0, 2)], ids=str)
def test_where(axis):
    mask = X > 0
    for name in ("sum", "prod", "mean"):
        _close(getattr(jnp, name)(X, axis=axis, where=mask),
               getattr(np, name)(X, axis=axis, where=mask))
    if axis == 0:
        return  # some columns have no element where the mask holds: their mean is NaN
    jaxlite.config.update("jax_enable_x64", True)
    check_grads(lambda v: jnp.mean(v, axis=axis, where=mask), [jnp.asarray(X, np.float64)],
                order=2)


def test_average():
    w = RNG.uniform(0.5, 2, size=4).astype(np.float32)
    _close(jnp.average(X, axis=-1, weights=w), np.average(X, axis=-1, weights=w))
    _close(jnp.average(X, axis=2, weights=w), np.average(X, axis=2, weights=w))
    w3 = RNG.uniform(0.5, 2, size=X.shape).astype(np.float32)
    out, total = jnp.average(X, axis=(0, 1), weights=w3, returned=True)
    expected, expected_total = np.average(X, axis=(0, 1), weights=w3, returned=True)
    _close(out, expected)
    _close(total, expected_total)
    _close(jnp.average(X), np.average(X))
    _close(jnp.average(X, axis=1, returned=True)[1], np.average(X, axis=1, returned=True)[1])
    with pytest.raises(ValueError, match="weights"):
        jnp.average(X, axis=0, weights=w)
    jaxlite.config.update("jax_enable_x64", True)
    check_grads(lambda x, w: jnp.average(x, axis=2, weights=w),
                [jnp.asarray(X, np.float64), jnp.asarray(w, np.float64)], order=2)


def test_nan_reductions_grads_and_vmap():
    jaxlite.config.update("jax_enable_x64", True)
    x = jnp.asarray(XN.astype(np.float64))
    for name in ("nansum", "nanmean"):
        g = jaxlite.grad(lambda v: getattr(jnp, name)(v))(x)
        assert not np.isnan(np.asarray(g)).any()
    batched = jaxlite.vmap(lambda v: jnp.nanmax(v, axis=0))(XN)
    _close(batched, np.nanmax(XN, axis=1))


def test_comparisons():
    a = np.array([1.0, np.inf, -np.inf, np.nan, 1e-9, 100.0], np.float32)
    b = np.array([1.0 + 1e-7, np.inf, np.inf, np.nan, 0.0, 100.001], np.float32)
    for equal_nan in (False, True):
        np.testing.assert_array_equal(np.asarray(jnp.isclose(a, b, equal_nan=equal_nan)),
                                      np.isclose(a, b, equal_nan=equal_nan))
        assert bool(jnp.allclose(a, b, equal_nan=equal_nan)) == np.allclose(
            a, b, equal_nan=equal_nan)
    assert bool(jnp.allclose(a[:1], b[:1]))
    assert bool(jnp.isclose(3, 3)) and not bool(jnp.isclose(3, 4))
    assert bool(jnp.array_equal(XI, XI.copy())) and not bool(jnp.array_equal(XI, XI[0]))
    assert bool(jnp.array_equal(a, a, equal_nan=True)) and not bool(jnp.array_equal(a, a))
    assert bool(jnp.array_equiv(XI[0], XI[:1])) and not bool(jnp.array_equiv(XI, XI[:, :2]))
    out = jaxlite.vmap(lambda x, y: jnp.allclose(x, y))(X, X + 1e-7)
    np.testing.assert_array_equal(np.asarray(out), [True, True])
    assert bool(jaxlite.jit(jnp.allclose)(X, X))
