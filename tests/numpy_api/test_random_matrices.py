"""multivariate_normal and orthogonal: the distributions they sample, their derivatives,
and their errors (the recorded JAX streams are checked in test_random.py)."""

import jaxlite
import jaxlite.numpy as jnp
import numpy as np
import pytest
from jaxlite import random
from jaxlite.test_util import check_grads

A = np.array([[2.0, 0.3, -0.4], [0.1, 1.5, 0.2], [-0.3, 0.6, 1.0]])
COV = A @ A.T + 0.5 * np.eye(3)
MEAN = np.array([1.0, -2.0, 0.5])


@pytest.mark.parametrize("method", ["cholesky", "eigh", "svd"])
def test_samples_have_the_mean_and_covariance(method):
    x = np.asarray(random.multivariate_normal(random.PRNGKey(0), MEAN, COV, (20000,),
                                              method=method), np.float64)
    assert x.shape == (20000, 3) and x.dtype == np.float64
    np.testing.assert_allclose(x.mean(0), MEAN, atol=0.06)
    np.testing.assert_allclose(np.cov(x.T), COV, rtol=0.05, atol=0.05)


@pytest.mark.parametrize("method", ["eigh", "svd"])
def test_singular_covariances_sample_their_subspace(method):
    x = np.asarray(random.multivariate_normal(random.PRNGKey(1), jnp.zeros(2),
                                              jnp.ones((2, 2)), (500,), method=method))
    np.testing.assert_allclose(x[:, 0], x[:, 1], atol=2e-3)
    assert x[:, 0].std() > 0.5


def test_batched_means_and_covariances_broadcast():
    covs = np.stack([COV, 2 * COV]).astype(np.float32)
    means = np.zeros((4, 1, 3), np.float32)
    x = random.multivariate_normal(random.PRNGKey(2), means, covs)
    assert x.shape == (4, 2, 3) and x.dtype == np.float32
    # the draws are float16, but JAX adds them to the (float32) mean: so does jaxlite
    half = random.multivariate_normal(random.PRNGKey(2), MEAN.astype(np.float32), COV,
                                      dtype=jnp.float16)
    assert half.dtype == np.float32


def test_jit_and_vmap_give_the_eager_samples():
    keys = random.split(random.PRNGKey(3), 3)
    eager = np.stack([np.asarray(random.multivariate_normal(k, MEAN, COV)) for k in keys])
    batched = jaxlite.vmap(lambda k: random.multivariate_normal(k, MEAN, COV))(keys)
    jitted = jaxlite.jit(jaxlite.vmap(lambda k: random.multivariate_normal(k, MEAN, COV)))(keys)
    np.testing.assert_allclose(np.asarray(batched), eager, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(jitted), eager, rtol=1e-6)
    eager_q = np.stack([np.asarray(random.orthogonal(k, 4)) for k in keys])
    np.testing.assert_allclose(np.asarray(jaxlite.vmap(lambda k: random.orthogonal(k, 4))(keys)),
                               eager_q, rtol=1e-5, atol=1e-6)


def test_samples_are_differentiable_in_the_mean_and_covariance():
    jaxlite.config.update("jax_enable_x64", True)
    key = random.PRNGKey(4)

    def sample(mean, a):
        return random.multivariate_normal(key, mean, a @ a.T + jnp.eye(3), (2,)).sum()

    check_grads(sample, (MEAN, A), order=2, modes=("fwd", "rev"))
    # d/dmean of the sum of two samples is 2 per coordinate
    np.testing.assert_allclose(np.asarray(jaxlite.grad(sample)(MEAN, A)), 2.0)
    jaxlite.typecheck(jaxlite.make_jaxpr(jaxlite.grad(sample, argnums=1))(MEAN, A).jaxpr)


@pytest.mark.parametrize("n, m, shape", [(5, None, ()), (6, 3, (2,)), (2, 4, (3, 1))])
def test_orthogonal_matrices_are_orthogonal(n, m, shape):
    q = np.asarray(random.orthogonal(random.PRNGKey(5), n, shape, m=m), np.float64)
    k = n if m is None else m
    assert q.shape == (*shape, n, k)
    gram = q.swapaxes(-1, -2) @ q if n >= k else q @ q.swapaxes(-1, -2)
    np.testing.assert_allclose(gram, np.broadcast_to(np.eye(min(n, k)), gram.shape), atol=1e-5)


def test_orthogonal_is_haar_distributed():
    # under the Haar measure on O(3) the trace has mean 0 and variance 1
    traces = np.trace(np.asarray(random.orthogonal(random.PRNGKey(6), 3, (20000,))), axis1=-2,
                      axis2=-1)
    assert abs(traces.mean()) < 0.03 and abs(traces.var() - 1) < 0.05


@pytest.mark.parametrize("call, error, words", [
    (lambda k: random.multivariate_normal(k, MEAN, COV, method="qr"), ValueError,
     "method must be one of"),
    (lambda k: random.multivariate_normal(k, 1.0, COV), ValueError, "mean.ndim >= 1"),
    (lambda k: random.multivariate_normal(k, MEAN, MEAN), ValueError, "cov.ndim >= 2"),
    (lambda k: random.multivariate_normal(k, MEAN, np.eye(2)), ValueError, "(..., n, n)"),
    (lambda k: random.multivariate_normal(k, MEAN, COV, dtype=jnp.int32), ValueError,
     "float dtype"),
    (lambda k: random.multivariate_normal(k, np.zeros((2, 3)), COV, (3,)), ValueError,
     "broadcast-compatible"),
    (lambda k: random.orthogonal(k, 2.5), TypeError, ""),
])
def test_bad_arguments_raise_jax_s_errors(call, error, words):
    with pytest.raises(error, match=None if not words else words.replace("(", r"\(")
                       .replace(")", r"\)").replace(".", r"\.")):
        call(random.PRNGKey(0))
    assert random.orthogonal(random.PRNGKey(0), 2).shape == (2, 2)
