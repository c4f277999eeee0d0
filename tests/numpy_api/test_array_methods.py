"""Array and tracer methods of issue 14 against NumPy's methods (on Arrays, and on tracers
under jit, vmap and grad), with the arguments JAX's methods take."""

import copy as copy_module

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.test_util import check_grads

X = (np.arange(1, 7, dtype=np.float32).reshape(2, 3) - 2.5) * np.float32(1.234)
XI = np.arange(6, dtype=np.int32).reshape(2, 3)

# name -> (method call on an array, the NumPy equivalent)
CALLS = {
    "max": (lambda a: a.max(0, keepdims=True), lambda a: a.max(0, keepdims=True)),
    "max_initial": (lambda a: a.max(initial=9.0), lambda a: a.max(initial=9.0)),
    "min": (lambda a: a.min(axis=(0, 1)), lambda a: a.min(axis=(0, 1))),
    "prod": (lambda a: a.prod(1), lambda a: a.prod(1)),
    "sum_where": (lambda a: a.sum(where=a > 0), lambda a: a.sum(where=a > 0)),
    "mean": (lambda a: a.mean(0), lambda a: a.mean(0)),
    "var": (lambda a: a.var(0, ddof=1), lambda a: a.var(0, ddof=1)),
    "std": (lambda a: a.std(1, keepdims=True), lambda a: a.std(1, keepdims=True)),
    "argmax": (lambda a: a.argmax(), lambda a: a.argmax()),
    "argmax_axis": (lambda a: a.argmax(axis=0, keepdims=True),
                    lambda a: a.argmax(axis=0, keepdims=True)),
    "argmin": (lambda a: a.argmin(1), lambda a: a.argmin(1)),
    "cumsum": (lambda a: a.cumsum(1), lambda a: a.cumsum(1)),
    "cumprod": (lambda a: a.cumprod(), lambda a: a.cumprod()),
    "ravel": (lambda a: a.ravel(), lambda a: a.ravel()),
    "ravel_f": (lambda a: a.ravel(order="F"), lambda a: a.ravel(order="F")),
    "flatten": (lambda a: a.flatten(), lambda a: a.flatten()),
    "flatten_f": (lambda a: a.flatten("F"), lambda a: a.flatten("F")),
    "reshape_f": (lambda a: a.reshape((3, 2), order="F"), lambda a: a.reshape((3, 2), order="F")),
    "squeeze": (lambda a: a.reshape(1, 2, 1, 3).squeeze(),
                lambda a: a.reshape(1, 2, 1, 3).squeeze()),
    "squeeze_axes": (lambda a: a.reshape(1, 2, 1, 3).squeeze((0, 2)),
                     lambda a: a.reshape(1, 2, 1, 3).squeeze((0, 2))),
    "clip": (lambda a: a.clip(-1, 1), lambda a: a.clip(-1, 1)),
    "clip_min": (lambda a: a.clip(min=0), lambda a: a.clip(min=0)),
    "clip_max": (lambda a: a.clip(max=0), lambda a: a.clip(max=0)),
    "round": (lambda a: a.round(), lambda a: a.round()),
    "dot": (lambda a: a.dot(np.ones((3, 2), np.float32)), lambda a: a.dot(np.ones((3, 2)))),
    "astype": (lambda a: a.astype(jnp.int32), lambda a: a.astype(np.int32)),
    "astype_str": (lambda a: a.astype("float16"), lambda a: a.astype("float16")),
    "transpose": (lambda a: a.transpose(), lambda a: a.transpose()),
    "transpose_args": (lambda a: a.reshape(1, 2, 3).transpose(2, 0, 1),
                       lambda a: a.reshape(1, 2, 3).transpose(2, 0, 1)),
    "transpose_tuple": (lambda a: a.reshape(1, 2, 3).transpose((2, 0, 1)),
                        lambda a: a.reshape(1, 2, 3).transpose((2, 0, 1))),
    "swapaxes": (lambda a: a.reshape(1, 2, 3).swapaxes(-1, 0),
                 lambda a: a.reshape(1, 2, 3).swapaxes(-1, 0)),
    "ptp": (lambda a: a.ptp(1), lambda a: np.ptp(a, 1)),
    "take": (lambda a: a.take(np.array([0, 4])), lambda a: a.take(np.array([0, 4]))),
    "conj": (lambda a: a.conj(), lambda a: a.conj()),
    "real": (lambda a: a.real, lambda a: a.real),
    "mT": (lambda a: a.mT, lambda a: a.swapaxes(-1, -2)),
    "copy": (lambda a: a.copy(), lambda a: a.copy()),
    "divmod": (lambda a: divmod(a, 2.0)[1], lambda a: divmod(a, 2.0)[1]),
    "rdivmod": (lambda a: divmod(5.0, a)[0], lambda a: divmod(np.float32(5.0), a)[0]),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_methods_on_arrays_and_under_jit(name):
    method, numpy_method = CALLS[name]
    expected = numpy_method(X)
    out = method(jnp.asarray(X))
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(np.asarray(out, np.float64), expected, rtol=1e-5, atol=1e-6)
    jitted = jaxlite.jit(method)(jnp.asarray(X))
    np.testing.assert_array_equal(np.asarray(jitted), np.asarray(out))


def test_methods_under_vmap_against_a_loop():
    for method in (lambda r: r.cumsum() + r.max(initial=0.0), lambda r: r.var(ddof=1),
                   lambda r: r.reshape(3, 1).flatten("F"), lambda r: r.clip(max=0.5).round(1)):
        out = jaxlite.vmap(method)(X)
        np.testing.assert_allclose(np.asarray(out), np.stack([method(jnp.asarray(r)) for r in X]),
                                   rtol=1e-6)


def test_methods_differentiate():
    jaxlite.config.update("jax_enable_x64", True)
    x = jnp.asarray(X.astype(np.float64))
    check_grads(lambda a: (a.std(1) * a.max(0).sum() + a.prod()).sum(), [x], order=2)
    check_grads(lambda a: a.reshape((3, 2), order="F").dot(a).ravel(order="F"), [x], order=2)


def test_integer_methods_and_conversions():
    a = jnp.asarray(XI)
    assert a.round().dtype == np.int32 and a.cumsum(dtype=jnp.float32).dtype == np.float32
    assert a.tolist() == XI.tolist() and a[1, 2].item() == 5 and a.item(4) == 4
    assert (a << 1).tolist() == (XI << 1).tolist() and (a >> 1).tolist() == (XI >> 1).tolist()
    assert (1 << a[0]).tolist() == (1 << XI[0]).tolist()
    assert [np.asarray(v).tolist() for v in a.nonzero(size=7, fill_value=-1)] == [
        [0, 0, 1, 1, 1, -1, -1], [1, 2, 0, 1, 2, -1, -1]]  # (JAX's value)
    assert a.nbytes == 24 and a.itemsize == 4 and a.tobytes() == XI.tobytes()


def test_python_round_gives_integers_as_jax():
    out = round(jnp.float32(2.5))
    assert out.dtype == np.int32 and int(out) == 2  # (half to even, as JAX)
    out = round(jnp.asarray(X), 1)
    assert out.dtype == np.float32


def test_round_is_bit_for_bit_jax():
    # recorded from JAX 0.10.2 (XLA multiplies by the reciprocal of 10**decimals)
    out = jnp.asarray(X).round(2)
    np.testing.assert_array_equal(np.asarray(out).ravel(), np.float32(
        [-1.8499999046325684, -0.6200000047683716, 0.6200000047683716, 1.8499999046325684,
         3.0799999237060547, 4.319999694824219]))
    assert float(jnp.asarray(X).round(decimals=1)[1, 1]) == np.float32(3.1000001430511475)
    half = jnp.asarray(np.float16([1.234, 5.678])).round(1)
    assert half.dtype == np.float16
    with pytest.raises(NotImplementedError, match="integer np.round not implemented"):
        jnp.asarray(XI).round(-1)


def test_copy_flat_and_bad_arguments():
    a = jnp.asarray(X)
    assert copy_module.deepcopy(a).tolist() == a.tolist() and a.copy() is not a
    with pytest.raises(NotImplementedError, match="do not implement the arr.flat property"):
        a.flat  # noqa: B018
    with pytest.raises(TypeError, match="a_min"):
        a.clip(a_min=0)
    with pytest.raises(ValueError, match="Unexpected value for 'order' argument"):
        a.ravel(order="K")
    with pytest.raises(NotImplementedError, match="order=A"):
        a.reshape(6, order="A")
    with pytest.raises(TypeError, match="isn't a permutation of operand dimensions"):
        a.transpose(0)
    with pytest.raises(ValueError, match=r"got shape=\(2, 3\) and dimensions=\(0,\)"):
        a.squeeze(0)
    assert a.sum().shape == ()


def test_tracer_conversions_follow_jax():
    def f(a):
        with pytest.raises(jaxlite.errors.ConcretizationTypeError):
            a.tolist()
        return a.sum()

    jaxlite.jit(f)(X)
    jaxlite.grad(f)(X)
