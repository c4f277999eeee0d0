"""select, piecewise, kron, cross, convolve and correlate against NumPy (and JAX 0.10's
dtypes and errors), with check_grads, vmap against a loop and jit against eager."""

import warnings

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.test_util import check_grads

RNG = np.random.default_rng(2)
X = RNG.normal(size=(3, 4)).astype(np.float32)


def _close(out, expected, dtype=None):
    expected = np.asarray(expected)
    assert out.shape == expected.shape, (out.shape, expected.shape)
    np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-5, atol=1e-5)
    if dtype is not None:
        assert out.dtype == dtype


def test_select_and_piecewise_match_numpy():
    conds = [X > 0.5, X < -0.5, X > 0]
    choices = [X * 2, X - 1, np.ones(4, np.float32)]
    _close(jnp.select(conds, choices, 7.0), np.select(conds, choices, 7.0), np.float32)
    _close(jnp.select([np.array([1, 0, 2])], [np.array([1.0, 2, 3])], 7), [1.0, 7, 3])
    _close(jnp.select([np.array([True, False])], [np.array([1, 2])], 7.5), [1.0, 7.5],
           np.float32)
    funcs = [lambda v: v * 2, lambda v: v + 3, 5.0]
    _close(jnp.piecewise(X, conds[:2], funcs), np.piecewise(X, conds[:2], funcs))
    _close(jnp.piecewise(X, conds[:2], [lambda v, k: v * k, lambda v, k: v + k], k=3),
           np.piecewise(X, conds[:2], [lambda v: v * 3, lambda v: v + 3]))
    # the last condition that holds wins; integer x keeps its dtype (JAX: [1, -5, 1])
    x = np.array([1, -2, 3], np.int32)
    _close(jnp.piecewise(x, [x < 0], [lambda v: v * 2.7, 1.9]), [1, -5, 1], np.int32)
    _close(jnp.piecewise(np.float32(2.0), [True, True], [1.0, 2.0]), 2.0)
    # each piece sees one element at a time, as JAX's do
    _close(jnp.piecewise(X, [X > 0], [lambda v: v.shape == () and v * 0 + 1, 0.0]),
           (X > 0).astype(np.float32))


@pytest.mark.parametrize("a_shape, b_shape", [((2, 3), (4,)), ((3,), (2, 2)),
                                              ((2, 1, 3), (2, 4, 1))])
def test_kron(a_shape, b_shape):
    a, b = RNG.normal(size=a_shape).astype(np.float32), RNG.integers(-3, 3, b_shape)
    _close(jnp.kron(a, b.astype(np.int32)), np.kron(a, b), np.float32)
    _close(jnp.kron(b.astype(np.int8), b.astype(np.int8)), np.kron(b, b), np.int8)


@pytest.mark.parametrize("na, nb", [(3, 3), (2, 3), (3, 2), (2, 2)])
def test_cross(na, nb):
    a, b = RNG.normal(size=(4, na)), RNG.normal(size=(2, 1, nb))
    with warnings.catch_warnings():  # (NumPy deprecates 2-vectors)
        warnings.simplefilter("ignore")
        _close(jnp.cross(a, b), np.cross(a, b))
        _close(jnp.cross(a.T, b, axisa=0), np.cross(a.T, b, axisa=0))
        if na == 3 and nb == 3:
            _close(jnp.cross(a.T, b.transpose(2, 0, 1), axis=0),
                   np.cross(a.T, b.transpose(2, 0, 1), axis=0))
            _close(jnp.cross(a, b, axisc=0), np.cross(a, b, axisc=0))


@pytest.mark.parametrize("n, m", [(5, 3), (3, 5), (4, 4), (6, 2), (1, 4)])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_convolve_and_correlate(n, m, mode):
    a, v = RNG.normal(size=n).astype(np.float32), RNG.normal(size=m).astype(np.float32)
    _close(jnp.convolve(a, v, mode), np.convolve(a, v, mode), np.float32)
    _close(jnp.correlate(a, v, mode), np.correlate(a, v, mode), np.float32)
    ints = jnp.convolve(np.arange(n), np.arange(m), mode)  # (JAX: promoted to float)
    _close(ints, np.convolve(np.arange(n), np.arange(m), mode), np.float32)


@pytest.mark.parametrize("call, match", [
    (lambda: jnp.convolve(np.ones((2, 2)), np.ones(2)), "only support 1-dimensional"),
    (lambda: jnp.correlate(np.ones(0), np.ones(2)), "inputs cannot be empty"),
    (lambda: jnp.convolve(np.ones(2), np.ones(2), mode="x"), "mode must be one of"),
    (lambda: jnp.select([True], [1, 2]), r"equal to choicelist \(1 vs 2\)"),
    (lambda: jnp.select([], []), "condlist must be non-empty"),
    (lambda: jnp.cross(np.ones(4), np.ones(3)), "Dimension must be either 2 or 3"),
    (lambda: jnp.piecewise(np.ones(3), [np.ones(3) > 0], [1, 2, 3]),
     "either 1 or 2 functions are expected; got 3"),
])
def test_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
    _close(jnp.kron(np.ones(2), np.ones(2)), np.ones(4))


def test_gradients():
    jaxlite.config.update("jax_enable_x64", True)
    a, v = jnp.asarray(RNG.normal(size=5)), jnp.asarray(RNG.normal(size=3))
    for mode in ("full", "same", "valid"):
        check_grads(lambda x, y, m=mode: jnp.convolve(x, y, m), [a, v], order=2)
        check_grads(lambda x, y, m=mode: jnp.correlate(x, y, m), [v, a], order=2)
    b = jnp.asarray(RNG.normal(size=(2, 3)))
    check_grads(jnp.kron, [b, v], order=2)
    check_grads(jnp.cross, [b, jnp.asarray(RNG.normal(size=(2, 3)))], order=2)
    check_grads(lambda x: jnp.select([x > 0.3, x < -0.3], [x ** 2, jnp.sin(x)], x), [b], order=2)
    check_grads(lambda x: jnp.piecewise(x, [x > 0.1], [jnp.sin, lambda u: u ** 3]), [b],
                order=2)


@pytest.mark.parametrize("fn", [
    lambda x: jnp.convolve(x, x[:3], "same"),
    lambda x: jnp.correlate(x, jnp.array([1.0, -2.0])),
    lambda x: jnp.kron(x[:2], x),
    lambda x: jnp.cross(x[:3], x[1:4]),
    lambda x: jnp.select([x > 0, x < -1], [x, 2 * x], -1.0),
    lambda x: jnp.piecewise(x, [x > 0], [jnp.cos, lambda u: u * 2]),
], ids=["convolve", "correlate", "kron", "cross", "select", "piecewise"])
def test_vmap_and_jit(fn):
    xs = RNG.normal(size=(3, 5)).astype(np.float32)
    batched = jaxlite.vmap(fn)(xs)
    np.testing.assert_allclose(np.asarray(batched), np.stack([np.asarray(fn(x)) for x in xs]),
                               rtol=1e-6)
    np.testing.assert_allclose(np.asarray(jaxlite.jit(fn)(xs[0])), np.asarray(fn(xs[0])),
                               rtol=1e-6)


def test_i0_and_scaled_bessel_functions():
    x = np.array([0.0, 1.0, -30.0, 7.9, 8.1, 50.0, np.inf, np.nan, -2.5], np.float32)
    with np.errstate(all="ignore"):
        _close(jnp.i0(x), np.i0(x.astype(np.float64)).astype(np.float32), np.float32)
    _close(jaxlite.lax.bessel_i1e(x), [0.0, 0.20791042, -0.07191633, 0.13489652, 0.1334007,
                                       0.05599313, 0.0, np.nan, -0.20658463])  # JAX's
    assert jnp.i0(np.array([1, 2])).dtype == np.float32
    assert float(jaxlite.grad(jnp.i0)(0.0)) == 0.0  # as JAX
    jaxlite.config.update("jax_enable_x64", True)
    check_grads(jnp.i0, [jnp.asarray(RNG.uniform(-12, 12, size=6))], order=2)
    batched = jaxlite.vmap(jnp.i0)(x[:6])
    _close(batched, np.stack([np.asarray(jnp.i0(v)) for v in x[:6]]))
