"""Reductions' ``where=``, ``initial=``, ``out=``, ``dtype=``, ``mean=``, ``correction=`` and
``promote_integers=`` as JAX has them, against NumPy and recorded JAX values."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.test_util import check_grads

RNG = np.random.default_rng(1)
X = RNG.normal(size=(3, 4)).astype(np.float32)
XI = RNG.integers(-5, 6, size=(3, 4)).astype(np.int32)
MASK = X > -0.3
MASK[:, 0] = True  # every column keeps an element: max/min need no initial there


def _close(out, expected, rtol=1e-5):
    expected = np.asarray(expected)
    assert out.shape == expected.shape, (out.shape, expected.shape)
    np.testing.assert_allclose(np.asarray(out, np.float64), expected, rtol=rtol, atol=1e-6)


AXES = [None, 0, 1, (0, 1)]


@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("name,initial", [("sum", 2.5), ("prod", 1.5), ("max", 0.25),
                                          ("min", -0.25), ("amax", 9.0), ("nansum", 1.0)])
def test_initial_and_where(name, initial, axis):
    np_name = {"amax": "max"}.get(name, name)
    for x in (X, XI):
        init = initial if x.dtype.kind == "f" else int(initial)
        _close(getattr(jnp, name)(x, axis=axis, initial=init),
               getattr(np, np_name)(x, axis=axis, initial=init))
        _close(getattr(jnp, name)(x, axis=axis, initial=init, where=MASK, keepdims=True),
               getattr(np, np_name)(x, axis=axis, initial=init, where=MASK, keepdims=True))


@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("name", ["any", "all", "var", "std", "mean", "nanmean"])
def test_where_without_initial(name, axis):
    x = np.where(X > 0.5, 0, X) if name in ("any", "all") else X
    out = getattr(jnp, name)(x, axis=axis, where=MASK)
    _close(out, getattr(np, name)(x, axis=axis, where=MASK))


def test_var_options_as_jax():
    x = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5
    # recorded from JAX 0.10.2
    np.testing.assert_allclose(np.asarray(jnp.var(x, where=x > 0, axis=1)),
                               [np.nan, 0.6666667], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(jnp.var(x, mean=np.zeros((1, 1)), axis=1)),
                               [2.9166667, 2.9166667], rtol=1e-6)
    assert float(jnp.var(x, correction=1)) == 3.5 == float(jnp.var(x, ddof=1))
    out = jnp.std(x, dtype=jnp.float16)
    assert out.dtype == np.float16 and float(out) == float(np.float16(1.708))
    with pytest.raises(ValueError, match="ddof and correction can't be provided"):
        jnp.var(x, ddof=1, correction=1)
    _close(jnp.var(x, 1, None, None, 1, True), np.var(x, 1, None, None, 1, True))


def test_initial_converts_to_the_result_dtype_as_jax():
    # recorded from JAX 0.10.2: 1.5 becomes 1 in int32, 2.5 becomes 2
    assert int(jnp.sum(jnp.arange(3), initial=1.5)) == 4
    assert int(jnp.prod(jnp.arange(1, 4), initial=2.5)) == 12
    assert int(jnp.max(jnp.arange(3), initial=1.5)) == 2
    np.testing.assert_array_equal(np.asarray(jnp.max(np.ones((0, 3)), axis=0, initial=2.0)),
                                  [2.0, 2.0, 2.0])
    out = jnp.sum(np.ones(3, np.int8), promote_integers=False)
    assert out.dtype == np.int8 and int(out) == 3
    assert jnp.sum(np.ones(3, np.int8)).dtype == np.int32


def test_positional_arguments_follow_jax():
    # sum(a, axis, dtype, out, keepdims): keepdims is the fifth
    assert jnp.sum(X, 1, None, None, True).shape == (3, 1)
    assert jnp.mean(X, 0, jnp.float32, None, True).shape == (1, 4)
    assert jnp.max(X, 0, None, True).shape == (1, 4)
    assert jnp.argmax(X, 1, None, True).shape == (3, 1)
    assert jnp.any(X, 0, None, True).shape == (1, 4)


@pytest.mark.parametrize("name", ["sum", "prod", "mean", "max", "min", "var", "std", "any",
                                  "all", "argmax", "argmin", "cumsum", "cumprod", "ptp",
                                  "nansum", "nanmean", "nanmax", "nanmin"])
def test_out_is_refused_as_in_jax(name):
    with pytest.raises(NotImplementedError, match=f"The 'out' argument to jnp.{name} is not"):
        getattr(jnp, name)(X, out=X)
    assert getattr(jnp, name)(X).shape in ((), (12,))


def test_bad_where_and_initial_raise():
    with pytest.raises(ValueError, match="max does not have an identity"):
        jnp.max(X, where=MASK)
    with pytest.raises(ValueError, match="where must be None or a boolean array"):
        jnp.sum(X, where=1)
    with pytest.raises(ValueError, match="initial value must be a scalar"):
        jnp.sum(X, axis=0, initial=np.ones(4))
    with pytest.raises(ValueError, match="zero-size array to reduction operation min"):
        jnp.min(np.ones((0, 2)), axis=0)
    assert float(jnp.max(X, where=MASK, initial=-10.0)) == X[MASK].max()


def test_grads_vmap_and_jit_through_where_and_initial():
    jaxlite.config.update("jax_enable_x64", True)
    x = jnp.asarray(RNG.normal(size=(3, 4)))
    mask = np.asarray(x) > -0.3
    fns = [lambda v: jnp.sum(jnp.sin(v), axis=0, where=mask, initial=0.5),
           lambda v: jnp.max(v, axis=1, where=mask, initial=-3.0),
           lambda v: jnp.var(v, axis=0, where=mask | (np.arange(3) == 0)[:, None], ddof=0),
           lambda v: jnp.prod(v, axis=1, where=mask, initial=2.0)]
    for fn in fns:
        check_grads(fn, [x], order=2)
        batched = jaxlite.vmap(fn, in_axes=0)(jnp.stack([x, 2 * x]))
        np.testing.assert_allclose(np.asarray(batched), np.stack([fn(x), fn(2 * x)]),
                                   rtol=1e-12)
        np.testing.assert_array_equal(np.asarray(jaxlite.jit(fn)(x)), np.asarray(fn(x)))


XN = X.copy()
XN[0, 1] = XN[2, 3] = np.nan
XN_ALL = XN.copy()
XN_ALL[1, :] = np.nan  # a row of NaNs only


@pytest.mark.parametrize("axis", [None, 0, 1], ids=str)
@pytest.mark.parametrize("name", ["nanprod", "nanvar", "nanstd", "nancumsum", "nancumprod",
                                  "nanargmax", "nanargmin"])
def test_nan_reductions_against_numpy(name, axis):
    kwargs = {"ddof": 1} if name in ("nanvar", "nanstd") else {}
    if name.startswith("nancum") and axis is None:
        kwargs = {}
    _close(getattr(jnp, name)(XN, axis=axis, **kwargs),
           getattr(np, name)(XN, axis=axis, **kwargs))
    if name in ("nanargmax", "nanargmin") and axis == 1:  # JAX: -1 for an all-NaN slice
        np.testing.assert_array_equal(np.asarray(getattr(jnp, name)(XN_ALL, axis=1))[1], -1)


def test_nan_reductions_under_transforms():
    jaxlite.config.update("jax_enable_x64", True)
    x = jnp.asarray(XN.astype(np.float64))
    g = jaxlite.grad(lambda v: jnp.sum(jnp.nanstd(v, axis=0) + jnp.nanprod(v, axis=1).sum()))(x)
    assert np.isfinite(np.asarray(g)).all() and float(g[0, 1]) == 0.0
    clean = jnp.asarray(X.astype(np.float64))
    check_grads(lambda v: jnp.nanvar(v, axis=1, ddof=1), [clean], order=2)
    fn = lambda v: jnp.nanvar(v, ddof=1) + jnp.nanargmax(v)  # noqa: E731
    batched = jaxlite.vmap(fn)(x)
    np.testing.assert_allclose(np.asarray(batched), [fn(r) for r in x], rtol=1e-12)
    # no degrees of freedom left: NaN, as in JAX (NumPy says inf)
    assert np.isnan(float(jnp.var(np.ones(3, np.float32), ddof=3)))
    assert np.isnan(float(jnp.nanvar(np.array([1.0, np.nan], np.float32), ddof=1)))
