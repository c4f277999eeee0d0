"""jaxlite.random's gamma family, counts and weighted choice beyond the recorded streams
(tests/numpy_api/test_random.py compares those with JAX): the streams under vmap over keys
and under jit, the distributions (Kolmogorov-Smirnov and chi-square against SciPy), the
gamma sampler's derivative, the special functions under it, and the argument errors."""

from __future__ import annotations

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
import jaxlite.random as random
from jaxlite.numpy_api import gamma_functions

stats = pytest.importorskip("scipy.stats")
special = pytest.importorskip("scipy.special")

P5 = np.array([0.1, 0.3, 0.0, 0.4, 0.2], np.float32)
SAMPLERS = {
    "gamma": lambda k: random.gamma(k, np.float32([0.3, 1.0, 4.5])),
    "loggamma": lambda k: random.loggamma(k, 0.2, (3,)),
    "beta": lambda k: random.beta(k, 2.0, np.float32([0.5, 3.0])),
    "dirichlet": lambda k: random.dirichlet(k, np.float32([0.5, 1.0, 2.0]), (2,)),
    "generalized_normal": lambda k: random.generalized_normal(k, 1.5, (4,)),
    "ball": lambda k: random.ball(k, 3, 2, (2,)),
    "poisson": lambda k: random.poisson(k, np.float32([0.5, 7.0, 30.0, 900.0])),
    "binomial": lambda k: random.binomial(k, np.float32([5, 40, 300]), 0.3),
    "choice_p": lambda k: random.choice(k, 5, (6,), p=P5),
    "choice_p_without_replacement": lambda k: random.choice(k, 5, (3,), replace=False, p=P5),
}


@pytest.mark.parametrize("sampler", sorted(SAMPLERS))
def test_vmap_over_keys_and_jit_give_each_keys_eager_stream(sampler):
    call = SAMPLERS[sampler]
    keys = random.split(random.PRNGKey(8), 3)
    one_by_one = np.stack([np.asarray(call(keys[i])) for i in range(3)])
    np.testing.assert_array_equal(np.asarray(jaxlite.vmap(call)(keys)), one_by_one)
    np.testing.assert_array_equal(np.asarray(jaxlite.jit(jaxlite.vmap(call))(keys)), one_by_one)
    np.testing.assert_array_equal(np.asarray(jaxlite.jit(call)(keys[1])), one_by_one[1])


def test_typed_keys_give_the_raw_keys_streams():
    for sampler in ("gamma", "poisson", "choice_p"):
        typed = SAMPLERS[sampler](random.key(3))
        raw = SAMPLERS[sampler](random.PRNGKey(3))
        np.testing.assert_array_equal(np.asarray(typed), np.asarray(raw))


def test_samplers_make_jaxprs_that_typecheck():
    key = random.PRNGKey(0)
    for sampler in ("gamma", "poisson", "binomial", "choice_p", "dirichlet"):
        jaxlite.typecheck(jaxlite.make_jaxpr(SAMPLERS[sampler])(key))
    closed = jaxlite.make_jaxpr(jaxlite.grad(lambda a: random.gamma(key, a)))(np.float32(2))
    jaxlite.typecheck(closed)


# ---------------------------------------------------------------- distributions


def _ks_pvalue(sample, dist, *args):
    return stats.kstest(np.asarray(sample, np.float64), dist, args=args).pvalue


@pytest.mark.parametrize("a", [0.3, 1.0, 4.5])
def test_gamma_and_loggamma_pass_kolmogorov_smirnov(a):
    k = random.PRNGKey(11)
    assert _ks_pvalue(random.gamma(k, a, (3000,)), "gamma", a) > 1e-3
    log_sample = np.asarray(random.loggamma(random.fold_in(k, 1), a, (3000,)))
    assert _ks_pvalue(np.exp(log_sample), "gamma", a) > 1e-3


def test_beta_dirichlet_generalized_normal_and_ball_pass_kolmogorov_smirnov():
    k = random.PRNGKey(12)
    assert _ks_pvalue(random.beta(k, 2.0, 5.0, (3000,)), "beta", 2.0, 5.0) > 1e-3
    alpha = np.float32([0.5, 2.0, 3.5])
    x = np.asarray(random.dirichlet(k, alpha, (3000,)))
    np.testing.assert_allclose(x.sum(-1), 1, rtol=1e-6)
    for i in range(3):  # each coordinate is Beta(alpha_i, sum - alpha_i)
        assert _ks_pvalue(x[:, i], "beta", alpha[i], alpha.sum() - alpha[i]) > 1e-3
    assert _ks_pvalue(random.generalized_normal(k, 1.5, (3000,)), "gennorm", 1.5) > 1e-3
    points = np.asarray(random.ball(k, 3, 2, (3000,)))
    radius = np.linalg.norm(points, axis=-1)
    assert radius.max() <= 1 and _ks_pvalue(radius ** 3, "uniform") > 1e-3  # uniform volume
    l1 = np.abs(np.asarray(random.ball(k, 4, 1, (500,)))).sum(-1)
    assert l1.max() <= 1


def _chi_square_pvalue(draws, pmf):
    draws = np.asarray(draws).astype(np.int64)
    support = np.arange(draws.max() + 1)
    observed = np.bincount(draws, minlength=support.size)
    expected = pmf(support) * draws.size
    keep = expected >= 5  # pool the rare outcomes into one bin
    observed = np.append(observed[keep], observed[~keep].sum())
    expected = np.append(expected[keep], draws.size - expected[keep].sum())
    return stats.chisquare(observed, expected).pvalue


@pytest.mark.parametrize("lam", [3.0, 40.0])  # Knuth's method, transformed rejection
def test_poisson_has_the_poisson_distribution(lam):
    draws = random.poisson(random.PRNGKey(13), lam, (4000,))
    assert draws.dtype == np.int32
    assert _chi_square_pvalue(draws, lambda k: stats.poisson.pmf(k, lam)) > 1e-3


@pytest.mark.parametrize("n,p", [(20, 0.3), (500, 0.4), (300, 0.9)])  # inversion, BTRS, q
def test_binomial_has_the_binomial_distribution(n, p):
    draws = random.binomial(random.PRNGKey(14), n, p, (4000,))
    assert draws.dtype == np.float32
    assert _chi_square_pvalue(draws, lambda k: stats.binom.pmf(k, n, p)) > 1e-3


def test_choice_with_p_draws_with_the_given_weights():
    k = random.PRNGKey(15)
    picks = np.asarray(random.choice(k, 5, (20000,), p=P5))
    np.testing.assert_allclose(np.bincount(picks, minlength=5) / picks.size, P5, atol=0.012)
    firsts = [int(random.choice(random.fold_in(k, i), 5, (2,), replace=False, p=P5)[0])
              for i in range(300)]
    assert 2 not in firsts  # weight 0 is never drawn
    np.testing.assert_allclose(np.bincount(firsts, minlength=5) / 300, P5, atol=0.08)
    unique = np.asarray(random.choice(k, 5, (4,), replace=False, p=P5))
    assert len(set(unique.tolist())) == 4
    rows = np.asarray(random.choice(k, np.arange(10.0).reshape(5, 2), (3,), p=P5))
    assert rows.shape == (3, 2) and set(rows[:, 0].tolist()) <= {0.0, 2.0, 6.0, 8.0}


def test_counts_default_to_jax_s_dtypes():
    k = random.PRNGKey(0)
    assert random.binomial(k, 10, 0.5).dtype == np.float32
    assert random.poisson(k, 3.0, (2,), dtype=np.int16).dtype == np.int16
    jaxlite.config.update("jax_enable_x64", True)
    assert random.poisson(k, 3.0).dtype == np.int64
    assert random.gamma(k, 3.0).dtype == np.float64
    assert random.gamma(k, np.float32(3.0), dtype=np.float32).dtype == np.float32


def test_empty_and_zero_d_shapes():
    k = random.PRNGKey(0)
    assert random.gamma(k, 2.0, (0, 3)).shape == (0, 3)
    assert random.gamma(k, 2.0).shape == ()
    assert random.poisson(k, np.zeros(3, np.float32)).tolist() == [0, 0, 0]
    assert random.binomial(k, 0, 0.5, (2,)).tolist() == [0.0, 0.0]
    assert random.choice(k, 3, (), p=np.float32([0, 1, 0])).tolist() == 1


# ---------------------------------------------------------------- derivatives


def _implicit_derivative(a, x):
    """dx/da holding the CDF P(a, x) fixed: -(dP/da) / (dP/dx), in float64 with SciPy."""
    h = 1e-6 * a
    dp_da = (special.gammainc(a + h, x) - special.gammainc(a - h, x)) / (2 * h)
    dp_dx = np.exp((a - 1) * np.log(x) - x - special.gammaln(a))
    return -dp_da / dp_dx


def test_gamma_is_differentiated_holding_the_sample_s_cdf_fixed():
    a = np.float32([0.2, 0.9, 1.0, 2.5, 7.0, 30.0])
    k = random.PRNGKey(21)
    sample = np.asarray(random.gamma(k, a), np.float64)
    grad = np.asarray(jaxlite.grad(lambda a: jnp.sum(random.gamma(k, a)))(a))
    np.testing.assert_allclose(grad, _implicit_derivative(a.astype(np.float64), sample),
                               rtol=2e-4)
    jitted = jaxlite.jit(jaxlite.grad(lambda a: jnp.sum(random.gamma(k, a))))(a)
    np.testing.assert_array_equal(np.asarray(jitted), grad)
    log_grad = jaxlite.grad(lambda a: jnp.sum(random.loggamma(k, a)))(a)
    np.testing.assert_allclose(np.asarray(log_grad), grad / sample, rtol=1e-4)
    per_key = jaxlite.vmap(lambda k: jaxlite.grad(lambda a: random.gamma(k, a))(2.5))
    keys = random.split(k, 3)
    np.testing.assert_allclose(
        np.asarray(per_key(keys)),
        [float(jaxlite.grad(lambda a: random.gamma(keys[i], a))(2.5)) for i in range(3)])


def test_random_gamma_grad_uses_both_of_jax_s_expansions():
    a = np.array([0.3, 0.3, 2.0, 2.0, 50.0, 50.0])
    x = np.array([0.1, 4.0, 0.5, 6.0, 45.0, 70.0])  # series where x <= max(1, a), else not
    jaxlite.config.update("jax_enable_x64", True)
    got = np.asarray(jaxlite.lax.random_gamma_grad(a, x))
    np.testing.assert_allclose(got, _implicit_derivative(a, x), rtol=1e-6)
    edge = jaxlite.lax.random_gamma_grad(np.array([1.0, -1.0, 2.0]), np.array([0.0, 1.0, np.nan]))
    np.testing.assert_array_equal(np.asarray(edge), [0.0, np.nan, np.nan])
    half = jaxlite.lax.random_gamma_grad(np.float16(2.0), np.float16(1.5))
    assert half.dtype == np.float16


def test_lgamma_and_digamma_follow_scipy():
    x = np.concatenate([np.linspace(-4.75, 0.45, 27), np.linspace(0.5, 60, 40)])
    jaxlite.config.update("jax_enable_x64", True)
    np.testing.assert_allclose(np.asarray(gamma_functions.lgamma(x)), special.gammaln(x),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.asarray(gamma_functions.digamma(x)), special.digamma(x),
                               rtol=1e-11, atol=1e-11)
    poles = np.array([0.0, -1.0, -2.0, np.inf])
    assert np.asarray(gamma_functions.lgamma(poles)).tolist() == [np.inf] * 4
    assert np.isnan(np.asarray(gamma_functions.digamma(poles[:3]))).all()


# ---------------------------------------------------------------- argument errors


@pytest.mark.parametrize("call,kind,words", [
    (lambda k: random.gamma(k, 1.0, dtype=np.int32), ValueError, "floating dtype"),
    (lambda k: random.gamma(k, np.ones(3), (2,)), ValueError, "broadcast"),
    (lambda k: random.poisson(k, 1.0, dtype=np.float32), ValueError, "integer dtype"),
    (lambda k: random.binomial(k, 3, 0.5, dtype=np.int32), ValueError, "floating dtype"),
    (lambda k: random.dirichlet(k, 1.0), ValueError, "alpha.ndim >= 1"),
    (lambda k: random.choice(k, 3, (2,), p=[0.5, 0.5, 0.0]), TypeError, "jnp.asarray(p)"),
    (lambda k: random.choice(k, 3, (2,), p=np.ones(4) / 4), ValueError, "same size"),
    (lambda k: random.gamma(np.zeros(2, np.float32), 1.0), TypeError, "PRNGKey(0)"),
])
def test_bad_arguments_raise_helpfully_and_leave_jaxlite_working(call, kind, words):
    with pytest.raises(kind) as info:
        call(random.PRNGKey(0))
    assert words in str(info.value)
    assert np.asarray(random.gamma(random.PRNGKey(0), 2.0, (2,))).shape == (2,)
