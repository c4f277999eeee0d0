"""Issue 14's checklist, name by name: every function, method and indexing feature the issue
lists must exist (and the features work). A name another helper is still building is in
PENDING (or PENDING_METHODS / PENDING_FEATURES) with its owner; the test fails both when a
name outside PENDING is missing and when a PENDING name has arrived (empty PENDING then).
Values, gradients and batching are tested where each function is; this file is the list."""

import inspect

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import errors

ELEMENTWISE = """exp2 log2 log10 power float_power square cbrt reciprocal hypot arctan2 arcsin
arccos arctan sinh cosh arcsinh arccosh arctanh deg2rad rad2deg radians degrees trunc rint
floor_divide remainder mod fmod divmod copysign logaddexp logaddexp2 isfinite isnan isinf
nan_to_num clip heaviside sinc i0 logical_and logical_or logical_not logical_xor bitwise_and
bitwise_or bitwise_xor bitwise_not invert left_shift right_shift bitwise_left_shift
bitwise_right_shift gcd lcm""".split()
COMPARISON = "allclose isclose array_equal array_equiv".split()
REDUCTIONS = """sum prod mean var std max min amax amin ptp all any argmax argmin cumsum cumprod
average median quantile percentile nansum nanmean nanmax nanmin count_nonzero""".split()
SHAPE_AND_CONSTRUCTION = """ravel reshape moveaxis swapaxes atleast_1d atleast_2d atleast_3d
broadcast_to broadcast_arrays concatenate stack hstack vstack dstack column_stack append split
array_split hsplit vsplit tile repeat flip fliplr flipud rot90 roll pad diag diagonal diagflat
trace tril triu eye identity meshgrid linspace logspace arange full_like zeros_like r_ c_
gradient diff ediff1d convolve correlate sort argsort lexsort searchsorted unique select
piecewise take outer inner vdot tensordot kron cross matmul einsum einsum_path""".split()
INDEX_ROUTINES = "take take_along_axis put_along_axis nonzero argwhere flatnonzero where".split()
COMPLEX = """real imag conj conjugate angle abs iscomplex isreal iscomplexobj isrealobj complex64
complex128""".split()
FUNCTIONS = sorted(set(ELEMENTWISE + COMPARISON + REDUCTIONS + SHAPE_AND_CONSTRUCTION
                       + INDEX_ROUTINES + COMPLEX))

METHODS = """max min prod var std argmax cumsum ravel flatten squeeze clip round dot conj real
imag item tolist astype sort argsort nonzero repeat transpose swapaxes diagonal trace""".split()
PROPERTIES = {"real", "imag"}

PENDING = {
    # helper "shapes"
    "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_arrays", "dstack", "column_stack",
    "append", "split", "array_split", "hsplit", "vsplit", "tile", "repeat", "flip", "fliplr",
    "flipud", "rot90", "roll", "pad", "diag", "diagonal", "diagflat", "trace", "tril", "triu",
    "meshgrid", "logspace", "r_", "c_", "gradient", "diff", "ediff1d",
    # helper "sorting"
    "sort", "argsort", "lexsort", "searchsorted", "unique", "select", "piecewise", "kron",
    "cross", "convolve", "correlate", "median", "quantile", "percentile",
}
PENDING_METHODS = {"sort", "argsort", "repeat", "diagonal", "trace"}  # "sorting", "shapes"
PENDING_FEATURES: set[str] = set()  # (holomorphic= has arrived)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_exists_or_is_pending(name):
    if name in PENDING:
        assert not hasattr(jnp, name), f"jnp.{name} has arrived: take it out of PENDING"
        pytest.skip(f"jnp.{name} is being built by another helper")
    assert hasattr(jnp, name), f"jnp.{name} is missing"
    assert callable(getattr(jnp, name)) or name in ("r_", "c_")


@pytest.mark.parametrize("name", METHODS)
def test_method_on_arrays_and_tracers(name):
    x = jnp.ones(3)
    if name in PENDING_METHODS:
        assert not hasattr(x, name), f".{name} has arrived: take it out of PENDING_METHODS"
        pytest.skip(f".{name} is being built by another helper")
    seen = []

    def f(v):
        seen.append(getattr(v, name))
        return v

    jaxlite.jit(f)(x)
    jaxlite.vmap(f)(jnp.ones((2, 3)))
    assert hasattr(x, name) and len(seen) == 2
    assert (name in PROPERTIES) == (not callable(getattr(x, name)))


def test_indexing_features():
    x = jnp.asarray(np.arange(24.0).reshape(2, 3, 4))
    expected = np.arange(24.0).reshape(2, 3, 4)
    i = np.array([1, 0, -1])
    for index in [(i,), (slice(None), i), (Ellipsis, i), (None, 0, i), ([0, 1], [1, 2]),
                  (slice(None), [0, 2], None, 1), (-1, -2), (expected > 10,)]:
        np.testing.assert_array_equal(np.asarray(x[index]), expected[index])
    assert float(jaxlite.jit(lambda v, k: v[k, 0, 0])(x, 1)) == 12.0
    rows = jaxlite.vmap(lambda v, k: v[k])(x[0], jnp.asarray([3, 0, 1]))
    np.testing.assert_array_equal(np.asarray(rows), [3.0, 4.0, 9.0])
    with pytest.raises(errors.NonConcreteBooleanIndexError):
        jaxlite.jit(lambda v: v[v > 10])(x)
    assert float(x[0, 0, 99]) == 3.0  # gathers clamp
    v = jnp.zeros(4)
    np.testing.assert_array_equal(np.asarray(v.at[np.array([1, 1, 9])].add(1.0)), [0, 2, 0, 0])


@pytest.mark.parametrize("method", ["set", "add", "multiply", "divide", "power", "min", "max",
                                    "get", "apply"])
def test_at_methods_with_repeated_indices_and_modes(method):
    x = jnp.asarray([1.0, 2.0, 3.0, 4.0])
    index = np.array([0, 2, 2, 7])
    args = {"apply": (jnp.sin,), "get": ()}.get(method, (2.0,))
    for mode in ("promise_in_bounds", "clip", "drop", "fill"):
        if mode == "promise_in_bounds":
            out = getattr(x.at[index[:3]], method)(*args, mode=mode)
        elif method == "get" and mode == "fill":
            out = x.at[index].get(mode="fill", fill_value=-1.0)
            np.testing.assert_array_equal(np.asarray(out), [1.0, 3.0, 3.0, -1.0])
        else:
            out = getattr(x.at[index], method)(*args, mode=mode)
        assert out.dtype == np.float32


def test_index_routine_options():
    a = jnp.asarray([0, 3, 0, 5])
    assert [np.asarray(t).tolist() for t in jnp.nonzero(a, size=3, fill_value=-1)] == [[1, 3, -1]]
    assert np.asarray(jnp.argwhere(a, size=1)).tolist() == [[1]]
    assert np.asarray(jnp.flatnonzero(a, size=3)).tolist() == [1, 3, 0]
    assert [np.asarray(t).tolist() for t in jnp.where(a)] == [[1, 3]]
    assert "mode" in inspect.signature(jnp.take).parameters


def test_complex_features():
    z = jnp.asarray(np.array([1 + 2j], np.complex64))
    assert z.dtype == np.complex64 and jnp.abs(z).dtype == np.float32
    assert jnp.asarray(np.ones(1, np.float32)).astype(jnp.complex64).dtype == np.complex64
    for transform in (jaxlite.grad, jaxlite.jacfwd, jaxlite.jacrev):
        has = "holomorphic" in inspect.signature(transform).parameters
        if "holomorphic" in PENDING_FEATURES:
            assert not has, "holomorphic= has arrived: take it out of PENDING_FEATURES"
        else:
            assert has
