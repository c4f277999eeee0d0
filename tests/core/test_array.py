"""jaxlite.Array: printing, NumPy interop, Python protocols and .at[] updates, as in JAX."""

import operator
import pickle

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp

# ------------------------------------------------------------------ str and repr (JAX 0.10)


@pytest.mark.parametrize("make,text,representation", [
    (lambda: jnp.array([2.0, 4.0, 6.0]), "[2. 4. 6.]", "Array([2., 4., 6.], dtype=float32)"),
    (lambda: jnp.array(7.0), "7.0", "Array(7., dtype=float32, weak_type=True)"),
    (lambda: jnp.float32(7), "7.0", "Array(7., dtype=float32)"),
    (lambda: jnp.arange(6).reshape(2, 3), "[[0 1 2]\n [3 4 5]]",
     "Array([[0, 1, 2],\n       [3, 4, 5]], dtype=int32)"),
    (lambda: jnp.array([[1.5, -2.0], [3.25, 100.0]]), "[[  1.5   -2.  ]\n [  3.25 100.  ]]",
     "Array([[  1.5 ,  -2.  ],\n       [  3.25, 100.  ]], dtype=float32)"),
    (lambda: jnp.array([True, False]), "[ True False]", "Array([ True, False], dtype=bool)"),
    (lambda: jnp.zeros((0, 3)), "[]", "Array([], shape=(0, 3), dtype=float32)"),
    (lambda: jnp.array([1, 2], jnp.uint8), "[1 2]", "Array([1, 2], dtype=uint8)"),
    (lambda: jnp.array(3), "3", "Array(3, dtype=int32, weak_type=True)"),
    (lambda: jnp.full(2, 3), "[3 3]", "Array([3, 3], dtype=int32, weak_type=True)"),
    (lambda: jnp.array([1e-8, 1.0]), "[1.e-08 1.e+00]", "Array([1.e-08, 1.e+00], dtype=float32)"),
    (lambda: jnp.array(np.float16(1.5)), "1.5", "Array(1.5, dtype=float16)"),
    (lambda: jnp.array([np.nan, np.inf, -np.inf]), "[ nan  inf -inf]",
     "Array([ nan,  inf, -inf], dtype=float32)"),
    (lambda: jnp.arange(24.0).reshape(2, 3, 4),
     "[[[ 0.  1.  2.  3.]\n  [ 4.  5.  6.  7.]\n  [ 8.  9. 10. 11.]]\n\n"
     " [[12. 13. 14. 15.]\n  [16. 17. 18. 19.]\n  [20. 21. 22. 23.]]]",
     "Array([[[ 0.,  1.,  2.,  3.],\n        [ 4.,  5.,  6.,  7.],\n        [ 8.,  9., 10., 11.]],"
     "\n\n       [[12., 13., 14., 15.],\n        [16., 17., 18., 19.],\n"
     "        [20., 21., 22., 23.]]], dtype=float32)"),
])
def test_str_like_numpy_and_repr_like_jax(make, text, representation):
    x = make()
    assert str(x) == text
    assert repr(x) == representation


def test_repr_of_a_long_array_pushes_the_dtype_right_like_jax():
    lines = repr(jnp.arange(1000)).splitlines()
    assert lines[0] == "Array([  0,   1,   2,   3,   4,   5,   6,   7,   8,   9,  10,  11,  12,"
    assert lines[-1].endswith(" 997, 998, 999],      dtype=int32)")
    assert all(line.startswith("       ") for line in lines[1:])


def test_format_of_scalars():
    assert f"{jnp.array(2.5):.2f}" == "2.50"
    assert f"{jnp.array(3)}" == "3"


# ------------------------------------------------------------------ NumPy interop


def test_np_asarray_is_zero_copy_and_read_only():
    x = jnp.array([1.0, 2.0, 3.0])
    view = np.asarray(x)
    assert view.dtype == np.float32 and not view.flags.writeable
    assert np.shares_memory(view, np.asarray(x))
    with pytest.raises(ValueError):
        view[0] = 5.0
    assert float(x[0]) == 1.0


def test_np_asarray_with_dtype_or_copy():
    x = jnp.array([1.5, 2.5])
    assert np.asarray(x, np.float64).dtype == np.float64
    copied = np.array(x, copy=True)
    copied[0] = 0.0
    assert float(x[0]) == 1.5


def test_numpy_functions_accept_arrays():
    x = jnp.array([3.0, 4.0])
    assert np.linalg.norm(x) == pytest.approx(5.0)
    np.testing.assert_array_equal(np.sort(jnp.array([3, 1, 2])), [1, 2, 3])


def test_item_and_tolist():
    assert jnp.array(2.5).item() == 2.5 and type(jnp.array(2.5).item()) is float
    assert jnp.array([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    assert jnp.array([[1, 2], [3, 4]]).item(3) == 4
    assert jnp.array([True]).tolist() == [True]


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv,
                                operator.pow, operator.lt, operator.eq, operator.matmul])
def test_operators_with_numpy_arrays_on_either_side_return_arrays(op):
    a = np.array([1.0, 2.0], np.float32)
    x = jnp.array([3.0, 4.0])
    for left, right in [(a, x), (x, a)]:
        out = op(left, right)
        assert isinstance(out, jaxlite.Array), type(out)
        np.testing.assert_allclose(np.asarray(out), op(np.asarray(left), np.asarray(right)))


def test_numpy_float64_operand_is_canonicalized():
    out = np.ones(2) * jnp.ones(2)
    assert isinstance(out, jaxlite.Array) and out.dtype == np.float32


# ------------------------------------------------------------------ Python protocols


def test_item_assignment_points_to_at_set():
    x = jnp.zeros(3)
    with pytest.raises(TypeError, match=r"x\.at\[idx\]\.set\(y\)"):
        x[0] = 1.0


def test_arrays_are_unhashable():
    with pytest.raises(TypeError, match="unhashable"):
        hash(jnp.zeros(2))
    with pytest.raises(TypeError):
        {jnp.array(1.0): 1}


def test_len_and_iteration():
    x = jnp.arange(6).reshape(3, 2)
    assert len(x) == 3
    rows = list(x)
    assert len(rows) == 3 and all(isinstance(r, jaxlite.Array) for r in rows)
    assert rows[2].tolist() == [4, 5]
    with pytest.raises(TypeError):
        len(jnp.array(1.0))
    with pytest.raises(TypeError, match="0-d"):
        iter(jnp.array(1.0))


def test_scalar_conversions():
    assert float(jnp.array(2.5)) == 2.5
    assert int(jnp.array(7)) == 7 and int(jnp.array(7.9)) == 7
    assert bool(jnp.array(0.0)) is False
    assert [10, 20, 30][jnp.array(1)] == 20  # __index__
    with pytest.raises(TypeError):
        float(jnp.ones(2))
    with pytest.raises(ValueError, match="ambiguous"):
        bool(jnp.ones(2))


def test_properties():
    x = jnp.ones((2, 3), jnp.int8)
    assert (x.shape, x.dtype, x.ndim, x.size) == ((2, 3), np.int8, 2, 6)
    assert x.T.shape == (3, 2) and x.aval == jaxlite.ShapedArray((2, 3), np.dtype(np.int8))


def test_pickle_round_trip_keeps_weak_type():
    x = jnp.array(2.0)
    y = pickle.loads(pickle.dumps(x))
    assert repr(y) == repr(x)


# ------------------------------------------------------------------ .at[] updates


BASE = np.arange(24, dtype=np.float32).reshape(2, 3, 4)

INDICES = [
    1, -1, (0, 2), (1, -1, 3), slice(None), slice(1, None), (slice(None), slice(None, None, -1)),
    (Ellipsis, slice(3, 0, -2)), (0, Ellipsis, 1), (None, 1), (slice(None), None, 2),
    (slice(-2, None), slice(None, None, 2), slice(1, 3)), Ellipsis, (1, slice(2, 1)),
]


def numpy_update(index, method, values):
    out = BASE.copy()
    current = out[index]
    out[index] = {
        "set": lambda: values,
        "add": lambda: current + values,
        "multiply": lambda: current * values,
        "min": lambda: np.minimum(current, values),
        "max": lambda: np.maximum(current, values),
    }[method]()
    return out


@pytest.mark.parametrize("index", INDICES, ids=[str(i) for i in INDICES])
@pytest.mark.parametrize("method", ["set", "add", "multiply", "min", "max"])
def test_at_updates_match_numpy(index, method):
    x = jnp.asarray(BASE)
    selected_shape = BASE[index].shape
    values = np.full(selected_shape, 7.5, np.float32) - np.arange(
        int(np.prod(selected_shape)), dtype=np.float32).reshape(selected_shape)
    out = getattr(x.at[index], method)(values)
    assert isinstance(out, jaxlite.Array) and out.dtype == np.float32
    np.testing.assert_array_equal(np.asarray(out), numpy_update(index, method, values))
    np.testing.assert_array_equal(np.asarray(x), BASE)  # the original is unchanged


@pytest.mark.parametrize("index", INDICES, ids=[str(i) for i in INDICES])
def test_at_get_and_getitem_match_numpy(index):
    x = jnp.asarray(BASE)
    np.testing.assert_array_equal(np.asarray(x.at[index].get()), BASE[index])
    np.testing.assert_array_equal(np.asarray(x[index]), BASE[index])


def test_at_set_broadcasts_a_scalar_and_casts_to_the_array_dtype():
    x = jnp.zeros((2, 3), jnp.int32)
    out = x.at[:, 1].set(5.0)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [[0, 5, 0], [0, 5, 0]])
    out = x.at[1].add(jnp.array([1, 2, 3]))
    np.testing.assert_array_equal(out, [[0, 0, 0], [1, 2, 3]])


def test_at_updates_are_differentiable():
    def f(x):
        return jnp.sum(x.at[1].set(x[0] * 3.0) ** 2)

    x = jnp.array([1.0, 2.0, 3.0])
    # f = x0^2 + 9 x0^2 + x2^2: grad = (20 x0, 0, 2 x2)
    np.testing.assert_allclose(jaxlite.grad(f)(x), [20.0, 0.0, 6.0])


def test_at_out_of_bounds_updates_are_dropped_and_too_many_indices_raise():
    # as in JAX: an update out of bounds is dropped (mode="drop" by default)
    np.testing.assert_array_equal(jnp.zeros(3).at[3].set(1.0), [0.0, 0.0, 0.0])
    with pytest.raises(IndexError, match="too many indices"):
        jnp.zeros(3)[0, 0]
