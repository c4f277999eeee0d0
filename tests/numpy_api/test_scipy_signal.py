"""``jaxlite.scipy.signal``, ``integrate.trapezoid`` and ``optimize.minimize`` against SciPy:
values on several shapes, modes and dtypes, derivatives to second order, ``vmap`` against a
loop, ``jit``, and JAX's errors."""

import numpy as np
import pytest
import scipy.integrate as si
import scipy.optimize as so
import scipy.signal as ss

import jaxlite
import jaxlite.numpy as jnp
import jaxlite.scipy.integrate as I
import jaxlite.scipy.optimize as O
import jaxlite.scipy.signal as S
from jaxlite.test_util import check_grads


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


def test_every_function_of_the_issue_is_there():
    assert {"convolve", "correlate", "convolve2d", "correlate2d"} <= set(S.__all__)
    assert callable(I.trapezoid) and callable(O.minimize)


SHAPES = [((7,), (3,)), ((3,), (7,)), ((6,), (6,)), ((4, 5), (2, 3)), ((2, 3), (4, 5)),
          ((3, 4, 5), (2, 2, 3))]


@pytest.mark.parametrize("s1, s2", SHAPES)
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_convolutions_match_scipy(s1, s2, mode):
    rng = np.random.default_rng(len(s1) + s1[0])
    a, b = rng.standard_normal(s1).astype(np.float32), rng.standard_normal(s2).astype(np.float32)
    names = ["convolve", "correlate"] + (["convolve2d", "correlate2d"] if len(s1) == 2 else [])
    for name in names:
        for method in ("auto", "fft") if name in ("convolve", "correlate") else (None,):
            kwargs = {} if method is None else {"method": method}
            got = getattr(S, name)(a, b, mode=mode, **kwargs)
            want = getattr(ss, name)(a, b, mode=mode, **kwargs)
            assert got.shape == want.shape and got.dtype == np.float32
            np.testing.assert_allclose(np.asarray(got), want, rtol=1e-4, atol=1e-4)


def test_integer_inputs_and_float64(x64):
    a, b = np.arange(5), np.array([1, 2])
    got = S.convolve(a, b)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(np.asarray(got), np.convolve(a, b))
    jaxlite.config.update("jax_enable_x64", False)
    assert S.correlate(a, b).dtype == np.float32


@pytest.mark.parametrize("f", [
    lambda a, b: S.convolve(a, b, mode="same"),
    lambda a, b: S.correlate(a, b, method="fft"),
    lambda a, b: S.convolve2d(a.reshape(2, 3), b.reshape(1, 2), mode="full"),
    lambda a, b: S.correlate2d(a.reshape(3, 2), b.reshape(2, 1), mode="valid"),
])
def test_check_grads(f, x64):
    rng = np.random.default_rng(0)
    check_grads(f, [rng.standard_normal(6), rng.standard_normal(2)], order=2)


def test_vmap_matches_a_loop_and_jit_gives_eager_bits():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((3, 6)).astype(np.float32), rng.standard_normal((3, 2))
    b = b.astype(np.float32)
    for f in [lambda u, v: S.convolve(u, v), lambda u, v: S.correlate(u, v, mode="same"),
              lambda u, v: I.trapezoid(u, dx=0.5) * v]:
        got = jaxlite.vmap(f)(a, b)
        want = np.stack([np.asarray(f(a[i], b[i])) for i in range(3)])
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6, atol=1e-6)
        assert (np.asarray(jaxlite.jit(f)(a[0], b[0])).tobytes()
                == np.asarray(f(a[0], b[0])).tobytes())


@pytest.mark.parametrize("call, error, match", [
    (lambda: S.convolve(np.ones(3), np.ones(2), mode="middle"), ValueError, "mode must be"),
    (lambda: S.convolve(np.ones(3), np.ones((2, 2))), ValueError, "same number of dimensions"),
    (lambda: S.convolve(np.ones((3, 1)), np.ones((1, 3))), ValueError, "smaller than the other"),
    (lambda: S.convolve(np.ones(3), np.ones(0)), ValueError, "zero-size"),
    (lambda: S.convolve(np.ones(3), np.ones(2), method="slow"), ValueError, "expected 'auto'"),
    (lambda: S.convolve2d(np.ones(3), np.ones(2)), ValueError, "2-dimensional"),
    (lambda: S.correlate2d(np.ones((2, 2)), np.ones((1, 1)), boundary="wrap"),
     NotImplementedError, "boundary='fill'"),
    (lambda: O.minimize(jnp.sum, np.ones(2), args=[1]), TypeError, "must be a tuple"),
    (lambda: O.minimize(jnp.sum, np.ones(2), method="Nelder-Mead"), ValueError,
     "not recognized"),
])
def test_bad_inputs_raise_and_leave_the_library_working(call, error, match):
    with pytest.raises(error, match=match):
        call()
    np.testing.assert_allclose(np.asarray(S.convolve(np.ones(2), np.ones(2))), [1, 2, 1])


# ------------------------------------------------------------------ integrate


def test_trapezoid_matches_scipy():
    rng = np.random.default_rng(2)
    y = rng.standard_normal((3, 5)).astype(np.float32)
    x = np.sort(rng.standard_normal(5)).astype(np.float32)
    xs = np.sort(rng.standard_normal((3, 5)), 1).astype(np.float32)
    for yy, kwargs in [(y, {}), (y, {"dx": 0.5}), (y, {"x": x}), (y, {"x": xs}), (y, {"axis": 0}),
                       (y.T, {"x": xs.T, "axis": 0}), (y.T, {"x": x, "axis": 0})]:
        got = I.trapezoid(yy, **kwargs)
        assert got.dtype == np.float32
        np.testing.assert_allclose(np.asarray(got), si.trapezoid(yy, **kwargs), rtol=1e-6)
    assert float(I.trapezoid(np.arange(4))) == 4.5


def test_trapezoid_gradients(x64):
    rng = np.random.default_rng(3)
    check_grads(lambda y, x: I.trapezoid(y, x), [rng.standard_normal((2, 4)),
                                                 np.sort(rng.standard_normal(4))], order=2)


# ------------------------------------------------------------------ optimize


def rosenbrock(x, scale=100.0):
    return jnp.sum(scale * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


@pytest.mark.parametrize("x0", [[-1.2, 1.0], [-1.2, 1.0, 0.5, -0.3], [2.0, 2.0, 2.0]])
def test_minimize_finds_scipys_minimum(x0, x64):
    x0 = np.asarray(x0)
    result = O.minimize(rosenbrock, x0, args=(100.0,), method="BFGS")
    want = so.minimize(lambda v: np.sum(100 * (v[1:] - v[:-1] ** 2) ** 2 + (1 - v[:-1]) ** 2),
                       x0, method="BFGS")
    np.testing.assert_allclose(np.asarray(result.x), want.x, atol=1e-4)
    assert bool(result.success) and int(result.status) == 0
    assert result.x.dtype == np.float64 and result.nit.dtype == np.int32
    assert int(result.nfev) >= int(result.nit) > 0
    assert np.linalg.norm(np.asarray(result.jac), np.inf) < 1e-5
    np.testing.assert_allclose(float(result.fun), 0.0, atol=1e-10)


def test_minimize_under_jit_and_vmap_and_its_limits():
    def quadratic(x, center):
        return jnp.sum((x - center) ** 2 * jnp.arange(1.0, 4.0))

    centers = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], np.float32)
    solve = jaxlite.jit(lambda c: O.minimize(quadratic, jnp.zeros(3), args=(c,)).x)
    np.testing.assert_allclose(np.asarray(solve(centers[0])), centers[0], atol=1e-5)
    np.testing.assert_allclose(np.asarray(jaxlite.vmap(solve)(centers)), centers, atol=1e-5)
    capped = O.minimize(rosenbrock, np.array([-1.2, 1.0], np.float32), options={"maxiter": 3})
    assert int(capped.status) == 1 and not bool(capped.success) and int(capped.nit) == 3
