"""jaxlite.scipy.special against SciPy: values in float32 and float64 on several shapes,
derivatives (check_grads), vmap against a loop, typecheck, JAX's answers at the edges."""

import numpy as np
import pytest

scipy_special = pytest.importorskip("scipy.special")

import jaxlite  # noqa: E402
import jaxlite.numpy as jnp  # noqa: E402
import jaxlite.scipy.special as special  # noqa: E402
from jaxlite.test_util import check_grads  # noqa: E402


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


def _real(lo, hi):
    return lambda rng, shape: rng.uniform(lo, hi, shape)


def _ints(lo, hi):
    return lambda rng, shape: rng.integers(lo, hi, shape).astype(float)


# name -> (jaxlite function, SciPy function, operand generators, float64 rtol)
CASES = {
    "erf": (special.erf, scipy_special.erf, [_real(-6, 6)], 1e-14),
    "erfc": (special.erfc, scipy_special.erfc, [_real(-6, 25)], 1e-13),
    "erfinv": (special.erfinv, scipy_special.erfinv, [_real(-0.999, 0.999)], 1e-13),
    "expit": (special.expit, scipy_special.expit, [_real(-30, 30)], 1e-14),
    "logit": (special.logit, scipy_special.logit, [_real(0.001, 0.999)], 1e-13),
    "xlogy": (special.xlogy, scipy_special.xlogy, [_real(-2, 2), _real(0.01, 5)], 1e-14),
    "xlog1py": (special.xlog1py, scipy_special.xlog1py, [_real(-2, 2), _real(-0.9, 5)], 1e-14),
    "entr": (special.entr, scipy_special.entr, [_real(-1, 5)], 1e-14),
    "gammaln": (special.gammaln, scipy_special.gammaln, [_real(0.05, 50)], 1e-12),
    "gamma": (special.gamma, scipy_special.gamma, [_real(-4.5, 20)], 1e-12),
    "digamma": (special.digamma, scipy_special.digamma, [_real(-4.9, 50)], 1e-11),
    "betaln": (special.betaln, scipy_special.betaln, [_real(0.1, 30), _real(0.1, 30)], 1e-11),
    "beta": (special.beta, scipy_special.beta, [_real(0.1, 10), _real(0.1, 10)], 1e-11),
    "betainc": (special.betainc, scipy_special.betainc,
                [_real(0.2, 20), _real(0.2, 20), _real(0, 1)], 1e-11),
    "gammainc": (special.gammainc, scipy_special.gammainc, [_real(0.1, 30), _real(0, 40)],
                 1e-11),
    "gammaincc": (special.gammaincc, scipy_special.gammaincc, [_real(0.1, 30), _real(0, 40)],
                  1e-11),
    "zeta": (special.zeta, scipy_special.zeta, [_real(1.1, 10), _real(0.1, 20)], 1e-13),
    "i0": (special.i0, scipy_special.i0, [_real(-30, 30)], 1e-14),
    "i0e": (special.i0e, scipy_special.i0e, [_real(-60, 60)], 1e-14),
    "i1": (special.i1, scipy_special.i1, [_real(-30, 30)], 1e-14),
    "i1e": (special.i1e, scipy_special.i1e, [_real(-60, 60)], 1e-14),
    "ndtr": (special.ndtr, scipy_special.ndtr, [_real(-30, 10)], 1e-13),
    "ndtri": (special.ndtri, scipy_special.ndtri, [_real(1e-6, 1 - 1e-6)], 1e-12),
    "log_ndtr": (special.log_ndtr, scipy_special.log_ndtr, [_real(-60, 30)], 1e-12),
    "factorial": (special.factorial, scipy_special.factorial, [_real(-2, 30)], 1e-12),
}
SHAPES = [(), (5,), (3, 4)]


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_values_against_scipy(name, dtype, x64):
    fun, reference, gens, rtol = CASES[name]
    rng = np.random.default_rng(0)
    for shape in SHAPES:
        args = [g(rng, shape).astype(dtype) for g in gens]
        got = fun(*args)
        assert got.dtype == dtype and got.shape == shape
        expected = reference(*[a.astype(np.float64) for a in args])
        tol = rtol if dtype == np.float64 else 2e-5
        np.testing.assert_allclose(np.asarray(got, np.float64), expected, rtol=tol,
                                   atol=tol * 1e-3)


def test_polygamma_multigammaln_and_logsumexp(x64):
    x = np.array([[0.3, 2.5, 7.0], [-1.5, 11.0, 0.9]])
    for n in range(4):
        np.testing.assert_allclose(special.polygamma(n, x), scipy_special.polygamma(n, x),
                                   rtol=1e-12)
    np.testing.assert_allclose(special.multigammaln(x + 3, 3),
                               scipy_special.multigammaln(x + 3, 3), rtol=1e-13)
    b = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0]])
    for axis in (None, 0, 1, (0, 1)):
        for keepdims in (False, True):
            np.testing.assert_allclose(
                special.logsumexp(x, axis, keepdims=keepdims),
                scipy_special.logsumexp(x, axis, keepdims=keepdims), rtol=1e-14)
            got = special.logsumexp(x, axis, b=b, keepdims=keepdims, return_sign=True)
            expected = scipy_special.logsumexp(x, axis, b=b, keepdims=keepdims, return_sign=True)
            np.testing.assert_allclose(got[0], expected[0], rtol=1e-13)
            np.testing.assert_array_equal(got[1], expected[1])
    assert np.isnan(special.logsumexp(np.array([1.0, 2.0]), b=np.array([1.0, -2.0])))
    np.testing.assert_allclose(special.softmax(x, axis=0), scipy_special.softmax(x, axis=0))
    np.testing.assert_allclose(special.log_softmax(x), scipy_special.log_softmax(x, axis=-1))


GRAD_CASES = [  # function, operands (float64), order
    (special.erf, [np.array([-1.5, 0.3, 2.5])], 2),
    (special.erfc, [np.array([-1.5, 0.3, 2.5])], 2),
    (special.erfinv, [np.array([-0.7, 0.1, 0.9])], 2),
    (special.logit, [np.array([0.2, 0.5, 0.9])], 2),
    (special.xlogy, [np.array([0.5, -1.0, 2.0]), np.array([0.5, 1.5, 3.0])], 2),
    (special.xlog1py, [np.array([0.5, -1.0, 2.0]), np.array([-0.5, 1.5, 3.0])], 2),
    (special.entr, [np.array([0.2, 1.5, 3.0])], 2),
    (special.gammaln, [np.array([0.3, 2.5, 7.0])], 2),
    (special.gamma, [np.array([0.3, 2.5, -1.5])], 2),
    (special.digamma, [np.array([0.3, 2.5, 7.0])], 2),
    (special.betaln, [np.array([0.3, 2.5]), np.array([1.5, 4.0])], 2),
    (lambda x: special.betainc(np.array([0.5, 2.0]), np.array([3.0, 1.5]), x),
     [np.array([0.2, 0.7])], 2),
    (special.gammainc, [np.array([0.5, 2.0, 6.0]), np.array([0.3, 3.0, 4.0])], 1),
    (lambda x: special.gammaincc(np.array([0.5, 2.0, 6.0]), x), [np.array([0.3, 3.0, 9.0])], 2),
    (lambda q: special.zeta(np.array([2.0, 3.5]), q), [np.array([0.5, 4.0])], 2),
    (lambda x: special.polygamma(2, x), [np.array([0.5, 4.0])], 2),
    (special.i0, [np.array([-2.0, 0.5, 3.0])], 2),
    (special.i0e, [np.array([-2.0, 0.5, 3.0])], 2),
    (special.i1, [np.array([-2.0, 0.5, 3.0])], 2),
    (special.i1e, [np.array([-2.0, 0.5, 3.0])], 2),
    (special.ndtr, [np.array([-3.0, 0.5, 2.0])], 2),
    (special.ndtri, [np.array([0.01, 0.4, 0.95])], 2),
    (special.log_ndtr, [np.array([-12.0, -1.0, 0.5, 9.0])], 2),
    (lambda x: special.logsumexp(x, axis=1), [np.array([[1.0, -2.0, 0.5], [3.0, 1.0, 2.0]])], 2),
    (lambda x: special.logsumexp(x, b=np.array([2.0, 0.5])), [np.array([1.0, 3.0])], 2),
    (lambda a: special.multigammaln(a, 2), [np.array([2.0, 3.5])], 2),
]


@pytest.mark.parametrize("case", range(len(GRAD_CASES)))
def test_check_grads(case, x64):
    fun, args, order = GRAD_CASES[case]
    check_grads(fun, args, order=order)


@pytest.mark.parametrize("fun", [special.erf, special.gammaln, special.i1e, special.log_ndtr,
                                 special.ndtri, lambda x: special.gammainc(2.0, x + 1),
                                 lambda x: special.logsumexp(x, axis=-1)])
def test_vmap_against_a_loop(fun):
    x = np.random.default_rng(1).uniform(0.05, 0.95, (4, 3)).astype(np.float32)
    batched = jaxlite.vmap(fun)(x)
    looped = np.stack([np.asarray(fun(row)) for row in x])
    np.testing.assert_allclose(batched, looped, rtol=1e-6)
    np.testing.assert_array_equal(jaxlite.jit(jaxlite.vmap(fun))(x), batched)
    jaxlite.typecheck(jaxlite.make_jaxpr(jaxlite.vmap(jaxlite.grad(lambda v: jnp.sum(fun(v)))))(x))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the discarded branches at 0
def test_stability_at_the_edges(x64):
    # logsumexp of magnitude 1e4 and with -inf entries: finite values and gradients
    x = np.array([1e4, 1e4 - 1.0, -np.inf, -1e4])
    assert np.isfinite(special.logsumexp(x))
    np.testing.assert_allclose(jaxlite.grad(special.logsumexp)(x),
                               scipy_special.softmax(np.where(np.isinf(x), -1e300, x)))
    assert float(special.logsumexp(np.full(3, -np.inf))) == -np.inf
    # xlogy at 0 (JAX: value 0, derivative log(y) in x, 0 in y)
    assert float(special.xlogy(0.0, 0.0)) == 0.0
    gx, gy = jaxlite.grad(special.xlogy, argnums=(0, 1))(0.0, 2.0)
    assert (float(gx), float(gy)) == (np.log(2.0), 0.0)
    assert np.isnan(jaxlite.grad(special.xlog1py, argnums=1)(0.0, -1.0))  # as in JAX
    # log_ndtr in the far tail, in both dtypes: finite, its derivative about -x
    for dtype in (np.float32, np.float64):
        x = np.array([-40.0, -15.0, 10.0], dtype)
        np.testing.assert_allclose(special.log_ndtr(x), scipy_special.log_ndtr(x.astype(float)),
                                   rtol=1e-6)
        slope = jaxlite.vmap(jaxlite.grad(special.log_ndtr))(x)
        assert np.all(np.isfinite(slope))
        np.testing.assert_allclose(slope[0], 40.025, rtol=1e-4)
    # the edges of the domains
    assert np.isnan(special.digamma(0.0)) and np.isnan(special.digamma(-2.0))
    assert float(special.gammaln(0.0)) == np.inf
    np.testing.assert_array_equal(special.ndtri(np.array([0.0, 1.0, 1.5])), [-np.inf, np.inf, np.nan])
    np.testing.assert_array_equal(special.gammainc(2.0, np.array([0.0, np.inf, -1.0])),
                                  [0.0, 1.0, np.nan])
    np.testing.assert_array_equal(special.betainc(2.0, 3.0, np.array([0.0, 1.0])), [0.0, 1.0])
    assert float(jaxlite.grad(special.i1e)(0.0)) == 0.5


def test_errors():
    with pytest.raises(ValueError, match="must be of integer type"):
        special.polygamma(1.0, 2.0)
    with pytest.raises(ValueError, match="with respect to a and b"):
        jaxlite.grad(special.betainc)(1.5, 2.0, 0.3)
    with pytest.raises(ValueError, match="with respect to m"):
        jaxlite.grad(lambda m: jaxlite.lax.polygamma(m, 2.0))(1.0)
    with pytest.raises(NotImplementedError, match="Riemann zeta"):
        special.zeta(2.0)
    with pytest.raises(NotImplementedError, match="exact=True"):
        special.factorial(3, exact=True)
    with pytest.raises(TypeError, match="series_order"):
        special.log_ndtr(1.0, series_order=1.5)
    with pytest.raises(TypeError, match="not supported"):
        special.log_ndtr(jnp.float16(1.0))
    assert float(special.erf(0.5)) == pytest.approx(0.5204998778)  # still works


ISSUE_15_NAMES = """erf erfc erfinv expit logit logsumexp softmax xlogy xlog1py entr gammaln gamma
digamma polygamma betaln betainc gammainc gammaincc zeta i0e i1e ndtr ndtri log_ndtr
multigammaln""".split()


@pytest.mark.parametrize("name", ISSUE_15_NAMES)
def test_every_name_of_issue_15_exists(name):
    assert callable(getattr(special, name))
    assert callable(getattr(jaxlite.lax, "erf"))
