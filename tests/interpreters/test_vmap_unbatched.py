"""vmap passes ``in_axes=None`` values through untouched, and work on them runs once, unbatched.

Expected values, dtypes and weak types are JAX 0.10.2's for the same programs (CPU). In JAX an
``in_axes=None`` argument reaches the function as the very object passed (a Python int stays
an int, a NumPy array a NumPy array), so it works in ``range``, ``if`` and shapes, and
NumPy and ``float`` accept it; jnp operations on it give concrete arrays, computed once.
"""

import re

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import custom_jvp, grad, make_jaxpr, value_and_grad, vmap

XS = np.arange(3.0, dtype=np.float32)


def assert_array(x, expected, dtype=np.float32, weak=False):
    assert isinstance(x, jaxlite.Array), type(x)
    assert x.dtype == dtype, x.dtype
    assert x.weak_type == weak, x.weak_type
    assert x.shape == np.shape(expected), x.shape
    np.testing.assert_allclose(np.asarray(x), expected, rtol=1e-6)


# ------------------------------------------------------------------ Python ints: shapes, range, if


def test_the_issue_example():
    out = vmap(lambda x, n: x * jnp.ones(n).sum(), in_axes=(0, None))(XS, 4)
    assert_array(out, [0.0, 4.0, 8.0])


def test_unbatched_int_in_range():
    out = vmap(lambda x, n: sum(x ** k for k in range(n)), in_axes=(0, None))(XS, 3)
    assert_array(out, [1.0, 3.0, 7.0])  # 1 + x + x**2


@pytest.mark.parametrize("n,expected", [(3, [0.0, 2.0, 4.0]), (1, [-0.0, -1.0, -2.0])])
def test_unbatched_int_in_if(n, expected):
    out = vmap(lambda x, n: x * 2 if n > 2 else -x, in_axes=(0, None))(XS, n)
    assert_array(out, expected)


SHAPE_PROGRAMS = [  # (name, f, args, JAX's result)
    ("zeros_of_shape_n", lambda x, n: jnp.zeros((n, 2)) + x, (XS, 2),
     [[[0.0, 0.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 1.0]], [[2.0, 2.0], [2.0, 2.0]]]),
    ("reshape_to_n_rows", lambda x, n: x.reshape(n, -1).sum(1),
     (np.arange(12.0, dtype=np.float32).reshape(2, 6), 3), [[1.0, 5.0, 9.0], [13.0, 17.0, 21.0]]),
    ("arange_n", lambda x, n: x * jnp.arange(n), (XS, 4),
     [[0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 2.0, 3.0], [0.0, 2.0, 4.0, 6.0]]),
]


@pytest.mark.parametrize("name,f,args,expected", SHAPE_PROGRAMS, ids=[p[0] for p in SHAPE_PROGRAMS])
def test_unbatched_int_in_shapes(name, f, args, expected):
    assert_array(vmap(f, in_axes=(0, None))(*args), expected)


def test_axis_size_with_only_unbatched_arguments():
    assert_array(vmap(lambda n: jnp.ones(n), in_axes=None, axis_size=2)(3), np.ones((2, 3)))


# ------------------------------------------------------------------ unbatched values stay unbatched


def test_unbatched_arguments_arrive_untouched():
    seen = []

    def f(x, n, a, s, y):
        seen.append((type(n), type(a), type(s), type(y), type(y * 2), type(x) is jaxlite.Array,
                     y.shape, float(y.sum()), np.asarray(y * 2).tolist()))
        return x * n * y.sum()

    y = jnp.array([1.0, 2.0])
    out = vmap(f, in_axes=(0, None, None, None, None))(XS, 3, np.ones(2, np.float32), 2.5, y)
    assert_array(out, [0.0, 9.0, 18.0])
    assert len(seen) == 1  # the function is traced once
    n_type, a_type, s_type, y_type, y2_type, x_is_array, shape, total, doubled = seen[0]
    # JAX: int, numpy.ndarray, float, ArrayImpl, ArrayImpl; x is a BatchTracer
    assert (n_type, a_type, s_type) == (int, np.ndarray, float)
    assert y_type is jaxlite.Array and y2_type is jaxlite.Array
    assert not x_is_array
    assert shape == (2,) and total == 3.0 and doubled == [2.0, 4.0]


def test_custom_function_of_unbatched_values_runs_eagerly_once():
    seen = []

    @custom_jvp
    def double(y):
        seen.append(type(y))
        return y * 2

    double.defjvp(lambda p, t: (double(p[0]), t[0] * 2))
    out = vmap(lambda x, y: x * double(y), in_axes=(0, None))(XS, jnp.float32(3.0))
    assert_array(out, [0.0, 6.0, 12.0])
    assert seen == [jaxlite.Array]  # JAX: called once, on the concrete ArrayImpl


def _eqn_types(closed):
    """(primitive name, output type) of each equation, read from the printed jaxpr."""
    return re.findall(r"\w+:(\w+\[[\d,]*\]) = (\w+)", str(closed))


def test_work_on_unbatched_values_is_recorded_once_unbatched():
    # JAX's jaxpr: c:f32[3,4] = transpose b; d:f32[3,3] = dot_general c b;
    # e:f32[5,3] = dot_general a d. W.T @ W is computed once, not once per example.
    closed = make_jaxpr(vmap(lambda x, w: x @ (w.T @ w), in_axes=(0, None)))(
        jnp.ones((5, 3)), jnp.ones((4, 3)))
    types = _eqn_types(closed)
    assert ("f32[3,4]", "transpose") in types, str(closed)
    assert ("f32[3,3]", "dot_general") in types, str(closed)
    per_example_copies = [t for t, _ in types if t.startswith(("f32[5,3,", "f32[5,4"))]
    assert not per_example_copies, str(closed)

    # JAX's jaxpr: c:f32[3] = sin b; then broadcast and mul at f32[5,3]
    closed = make_jaxpr(vmap(lambda x, y: x * jnp.sin(y), in_axes=(0, None)))(
        jnp.ones((5, 3)), jnp.ones(3))
    assert [t for t, prim in _eqn_types(closed) if prim == "sin"] == ["f32[3]"], str(closed)


# ------------------------------------------------------------------ results and dtypes (JAX's)

W = np.array([0.5, -1.0, 2.0], np.float32)
X = np.arange(6.0, dtype=np.float32).reshape(2, 3)
Y = np.array([1.0, -2.0], np.float32)


def loss(w, x, y):
    return (jnp.dot(w, x) - y) ** 2


def test_unbatched_python_scalar_output():
    # an output that does not depend on the batch is broadcast, and keeps its weak type
    assert_array(vmap(lambda x, s: s * 2, in_axes=(0, None))(XS, 2.0), [4.0, 4.0, 4.0], weak=True)


def test_out_axes_none_returns_the_unbatched_value():
    f = vmap(lambda x, s: (x + 1.0, s * 2), in_axes=(0, None), out_axes=(0, None))
    mapped, same = f(XS, 2.0)
    assert_array(mapped, [1.0, 2.0, 3.0])
    assert same == 4.0 and type(same) is float  # JAX hands back the Python float s * 2


MIXED = [  # (name, call, JAX's result, dtype, weak type)
    ("int32_batched_plus_int32_unbatched",
     lambda: vmap(lambda x, n: x + n, in_axes=(0, None))(jnp.arange(3), jnp.int32(5)),
     [5, 6, 7], np.int32, False),
    ("float_batched_times_python_int",
     lambda: vmap(lambda x, n: x * n, in_axes=(0, None))(XS, 2), [0.0, 2.0, 4.0], np.float32,
     False),
    ("int_batched_times_python_float",
     lambda: vmap(lambda i, s: i * s, in_axes=(0, None))(jnp.arange(3), 1.5),
     [0.0, 1.5, 3.0], np.float32, True),
    ("out_axes_1",
     lambda: vmap(lambda x, y: x * y, in_axes=(0, None), out_axes=1)(jnp.ones((2, 3)),
                                                                      jnp.arange(3.0)),
     [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]], np.float32, False),
    ("in_axes_1_and_none",
     lambda: vmap(lambda x, y: x @ y, in_axes=(1, None))(jnp.arange(6.0).reshape(2, 3),
                                                        jnp.arange(6.0).reshape(2, 3)),
     [[9.0, 12.0, 15.0], [12.0, 17.0, 22.0], [15.0, 22.0, 29.0]], np.float32, False),
    ("nested_vmap_with_none",
     lambda: vmap(vmap(lambda a, b, c: a * b + c, in_axes=(0, None, None)),
                  in_axes=(None, 0, None))(jnp.arange(3.0), jnp.arange(2.0), 10.0),
     [[10.0, 10.0, 10.0], [10.0, 11.0, 12.0]], np.float32, False),
    ("vmap_grad_none_0_0", lambda: vmap(grad(loss), in_axes=(None, 0, 0))(W, X, Y),
     [[0.0, 4.0, 8.0], [57.0, 76.0, 95.0]], np.float32, False),
    ("grad_of_vmap_with_none",
     lambda: grad(lambda w: vmap(loss, in_axes=(None, 0, 0))(w, X, Y).sum())(W),
     [57.0, 80.0, 103.0], np.float32, False),
    ("vmap_grad_independent_of_the_batch",
     lambda: vmap(grad(lambda w, x: jnp.sum(w * 2.0) + 0 * x.sum()), in_axes=(None, 0))(W, X),
     [[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]], np.float32, False),
    ("vmap_grad_with_int_in_shape",
     lambda: vmap(grad(lambda x, n: (x * jnp.ones(n)).sum()), in_axes=(0, None))(XS, 4),
     [4.0, 4.0, 4.0], np.float32, False),
    ("vmap_grad_with_int_in_range",
     lambda: vmap(grad(lambda x, n: sum(x ** k for k in range(n))), in_axes=(0, None))(XS, 3),
     [1.0, 3.0, 5.0], np.float32, False),
]


@pytest.mark.parametrize("name,call,expected,dtype,weak", MIXED, ids=[m[0] for m in MIXED])
def test_mixed_mapped_and_unmapped_arguments(name, call, expected, dtype, weak):
    assert_array(call(), expected, dtype=dtype, weak=weak)


def test_nested_vmap_of_a_dict_with_an_unmapped_leaf():
    out = vmap(lambda d, k: {"s": d["a"] * k, "t": d["b"]}, in_axes=({"a": 0, "b": None}, None))(
        {"a": jnp.arange(2.0), "b": jnp.ones(3)}, 4.0)
    assert_array(out["s"], [0.0, 4.0])
    assert_array(out["t"], np.ones((2, 3)))  # an unmapped output is broadcast (out_axes=0)


def test_vmap_of_grad_with_several_argnums_and_value_and_grad():
    gw, gx = vmap(grad(loss, argnums=(0, 1)), in_axes=(None, 0, 0))(W, X, Y)
    assert_array(gw, [[0.0, 4.0, 8.0], [57.0, 76.0, 95.0]])
    assert_array(gx, [[2.0, -4.0, 8.0], [9.5, -19.0, 38.0]])
    value, g = vmap(value_and_grad(loss), in_axes=(None, 0, 0))(W, X, Y)
    assert_array(value, [4.0, 90.25])
    assert_array(g, [[0.0, 4.0, 8.0], [57.0, 76.0, 95.0]])
