"""quantile, percentile, median and their nan-versions: values against NumPy and recorded
JAX 0.10 results, shapes with axis tuples and keepdims, errors, check_grads, vmap."""

import warnings

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.test_util import check_grads

RNG = np.random.default_rng(1)
X = RNG.normal(size=(3, 4, 5)).astype(np.float32)
XN = X.copy()
XN[0, 1, 2] = np.nan
XN[1, :, 3] = np.nan
Q = np.array([0.0, 0.3, 0.7, 1.0], np.float32)  # (no ties at one half: "nearest" agrees)


def _close(out, expected):
    expected = np.asarray(expected)
    assert out.shape == expected.shape, (out.shape, expected.shape)
    np.testing.assert_allclose(np.asarray(out), expected, rtol=2e-6, atol=1e-6)


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest",
                                    "inverted_cdf"])
@pytest.mark.parametrize("axis", [None, 1, -1, (0, 2)], ids=str)
def test_quantiles_match_numpy(method, axis):
    for keepdims in (False, True):
        for q in (0.3, Q):
            expected = np.quantile(X, q, axis=axis, method=method, keepdims=keepdims)
            _close(jnp.quantile(X, q, axis=axis, method=method, keepdims=keepdims), expected)
            with warnings.catch_warnings():  # (NumPy warns of all-NaN slices)
                warnings.simplefilter("ignore")
                nan_expected = np.nanquantile(XN, q, axis=axis, method=method,
                                              keepdims=keepdims)
            _close(jnp.nanquantile(XN, q, axis=axis, method=method, keepdims=keepdims),
                   nan_expected)
            nan_out = jnp.quantile(XN, q, axis=axis, method=method, keepdims=keepdims)
            _close(nan_out, np.quantile(XN, q, axis=axis, method=method, keepdims=keepdims))


def test_median_percentile_and_jax_values():
    _close(jnp.median(X, axis=1), np.median(X, axis=1))
    _close(jnp.nanmedian(XN, axis=(0, 1), keepdims=True),
           np.nanmedian(XN, axis=(0, 1), keepdims=True))
    _close(jnp.percentile(X, np.array([10, 50]), axis=0), np.percentile(X, [10, 50], axis=0))
    _close(jnp.nanpercentile(XN, 40, axis=2), np.nanpercentile(XN, 40, axis=2))
    x = np.array([1.0, 2.0, 3.0, 4.0], np.float32)
    _close(jnp.quantile(x, np.array([0.5, 1 / 6], np.float32), method="nearest"), [2.0, 1.0])
    _close(jnp.quantile(x, 0.4, weights=np.array([1.0, 0, 2, 1]), method="inverted_cdf"), 3.0)
    _close(jnp.nanquantile(np.array([[np.nan, np.nan], [1.0, np.nan]]), 0.5, axis=1),
           [np.nan, 1.0])
    assert jnp.quantile(np.array([1, 2, 3]), 0.5).dtype == np.float32
    assert jnp.median(np.array([1, 2], np.float16)).dtype == np.float16
    assert float(jnp.percentile(np.arange(10), 37)) == pytest.approx(3.33, rel=1e-6)


@pytest.mark.parametrize("call, error, match", [
    (lambda: jnp.quantile(X, np.ones((2, 2))), ValueError, "q must be have rank <= 1"),
    (lambda: jnp.quantile(X, 0.5, method="foo"), ValueError, "method can only be"),
    (lambda: jnp.quantile(X, 0.5, out=X), ValueError, "does not support overwrite_input"),
    (lambda: jnp.quantile(X, 0.5, weights=X), NotImplementedError, "doesn't support weights"),
    (lambda: jnp.median(X, axis=(0, 0)), ValueError, "repeated axis"),
    (lambda: jnp.quantile(X, 0.5, axis=1, weights=np.ones(3), method="inverted_cdf"),
     ValueError, "must match reduction axes"),
])
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
    assert float(jnp.median(np.array([3.0, 1.0, 2.0]))) == 2.0


def test_gradients_and_vmap():
    _close(jaxlite.grad(lambda v: jnp.median(v))(np.array([3.0, 1.0, 2.0, 5.0], np.float32)),
           [0.5, 0.0, 0.5, 0.0])  # JAX's
    jaxlite.config.update("jax_enable_x64", True)
    x = jnp.asarray(RNG.permutation(20).reshape(4, 5) * 0.3 + 0.01)
    check_grads(lambda v: jnp.quantile(v, jnp.array([0.1, 0.65]), axis=1), [x], order=2)
    check_grads(lambda v: jnp.nanmedian(v, axis=0), [x], order=2)
    fn = lambda v: jnp.percentile(v, jnp.array([20.0, 75.0]), method="midpoint")
    batched = jaxlite.vmap(fn, in_axes=1)(X)
    looped = np.stack([np.asarray(fn(X[:, i])) for i in range(X.shape[1])])
    np.testing.assert_array_equal(np.asarray(batched), looped)
    closed = jaxlite.make_jaxpr(jaxlite.grad(lambda v: jnp.sum(jnp.quantile(v, 0.3))))(x)
    jaxlite.typecheck(closed)
