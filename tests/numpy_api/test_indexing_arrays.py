"""Indexing with arrays: NumPy's semantics, JAX's out-of-bounds rules, .at[] updates, the
indexing routines, their derivatives, vmap and jit.

* a table of index expressions, read and updated on NumPy and on jaxlite (eagerly and under
  ``jit``, bit for bit);
* a table of JAX 0.10's results out of bounds (reads clamp or fill, updates drop or clamp),
  for ``mode=``/``fill_value=`` and the routines (recorded with JAX, as the rows say);
* ``check_grads`` through gathers and scatters in operand and updates, with repeated and
  out-of-bounds indices; ``vmap`` against a loop; the errors a user can cause.
"""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.errors import ConcretizationTypeError, NonConcreteBooleanIndexError
from jaxlite.test_util import check_grads

nan = float("nan")
X = np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5)
A = np.array([0, 1, 1])
B = np.array([[1], [0]])
M = np.array([True, False, True])

# ------------------------------------------------------------------ NumPy's semantics

INDICES = [
    1, -1, (0, 2), slice(None), (slice(1, None), A), (A,), (A, A), (slice(None), A, None, A),
    (slice(None), 0, A), (0, slice(None), A), (A, Ellipsis, A), (None, A, A), (slice(None), A, 1),
    (Ellipsis, B), (B, A), (slice(None), M), (1, M, 2), (0, M, 0, slice(None, None, -2)),
    (np.array(1), A), (slice(None, None, -1), A), (A, slice(None, None, 2), B), (True,), (False,),
    (slice(None), True, A), (np.ones((2, 3), bool),), (X[:, :, 0, 0] > 5,), (Ellipsis, None),
    (A, slice(2, 0, -1), None, slice(1, 4)), ([0, 1],), ([[0, 1], [1, 0]], slice(None), [2]),
    (np.array([], int),), (slice(None), np.array([], int)), (-1, [-3, 2], -1),
    (1, slice(None), -2), (jnp.asarray(A), slice(None), jnp.asarray(B)),
]
IDS = [f"idx{k}" for k in range(len(INDICES))]


def _numpy_index(index):
    convert = lambda i: np.asarray(i) if isinstance(i, jaxlite.Array) else i  # noqa: E731
    return tuple(map(convert, index)) if isinstance(index, tuple) else convert(index)


@pytest.mark.parametrize("index", INDICES, ids=IDS)
def test_reads_match_numpy_eagerly_and_under_jit(index):
    want = X[_numpy_index(index)]
    x = jnp.asarray(X)
    got = x[index]
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(np.asarray(got), want)
    jitted = jaxlite.jit(lambda x: x[index])(x)
    assert np.asarray(jitted).tobytes() == np.asarray(got).tobytes()
    np.testing.assert_array_equal(np.asarray(x.at[index].get()), want)


def _repeats(index):
    arrays = [np.asarray(i) for i in (index if isinstance(index, tuple) else (index,))
              if isinstance(i, (list, np.ndarray, jaxlite.Array)) and np.asarray(i).dtype != bool]
    if not arrays:
        return False
    flat = np.ravel_multi_index([a % 10 for a in np.broadcast_arrays(*arrays)], [10] * len(arrays))
    return len(np.unique(flat)) < flat.size


@pytest.mark.parametrize("index", INDICES, ids=IDS)
def test_updates_match_numpy_ufunc_at(index):
    np_index = _numpy_index(index)
    shape = X[np_index].shape
    values = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape) * 0.5 - 3
    x = jnp.asarray(X)
    ufuncs = {"add": np.add, "multiply": np.multiply, "min": np.minimum, "max": np.maximum}
    for method in ["set", *ufuncs]:
        if method == "set" and _repeats(index):
            continue  # (which repeated update wins is unspecified, as in JAX)
        want = X.copy()
        if method == "set":
            want[np_index] = values
        else:
            ufuncs[method].at(want, np_index, values)
        got = getattr(x.at[index], method)(values)
        np.testing.assert_array_equal(np.asarray(got), want, err_msg=method)
        jitted = jaxlite.jit(lambda x, v: getattr(x.at[index], method)(v))(x, values)
        assert np.asarray(jitted).tobytes() == np.asarray(got).tobytes()


def test_set_with_repeated_indices_keeps_one_of_the_updates():
    out = jnp.zeros(3).at[np.array([1, 1, 1])].set(jnp.array([4.0, 5.0, 6.0]))
    assert float(out[0]) == 0.0 and float(out[1]) in (4.0, 5.0, 6.0) and float(out[2]) == 0.0


# ------------------------------------------------------------------ JAX's results

x = np.arange(5.0, dtype=np.float32) + 1
x2 = np.arange(12.0, dtype=np.float32).reshape(3, 4)
xi = np.arange(5, dtype=np.int32)
i = np.array([7, -8, 2, -1, 2])

JAX_ROWS = [  # (expression, JAX 0.10.2's value, its dtype): one output, or a tuple of them
    ('jnp.asarray(x)[10]',
     5.0, 'float32'),
    ('jnp.asarray(x)[-10]',
     1.0, 'float32'),
    ('jnp.asarray(x)[i]',
     [5.0, 1.0, 3.0, 5.0, 3.0], 'float32'),
    ('jnp.asarray(x2)[i[:3], 1]',
     [9.0, 1.0, 9.0], 'float32'),
    ('jnp.asarray(x2)[5, -9]',
     8.0, 'float32'),
    ('jnp.asarray(x2)[i[:3], i[1:4]]',
     [8.0, 2.0, 11.0], 'float32'),
    ('jnp.asarray(x2)[:, i]',
     [[3.0, 0.0, 2.0, 3.0, 2.0], [7.0, 4.0, 6.0, 7.0, 6.0], [11.0, 8.0, 10.0, 11.0, 10.0]], 'float32'),
    ('jnp.asarray(x).at[i].get()',
     [5.0, 1.0, 3.0, 5.0, 3.0], 'float32'),
    ("jnp.asarray(x).at[i].get(mode='fill')",
     [nan, nan, 3.0, 5.0, 3.0], 'float32'),
    ("jnp.asarray(x).at[i].get(mode='drop')",
     [nan, nan, 3.0, 5.0, 3.0], 'float32'),
    ("jnp.asarray(x).at[i].get(mode='fill', fill_value=-3)",
     [-3.0, -3.0, 3.0, 5.0, 3.0], 'float32'),
    ("jnp.asarray(x).at[i].get(mode='clip')",
     [5.0, 1.0, 3.0, 5.0, 3.0], 'float32'),
    ('jnp.asarray(x).at[i].get(fill_value=3)',
     [5.0, 1.0, 3.0, 5.0, 3.0], 'float32'),
    ("jnp.asarray(xi).at[i].get(mode='fill')",
     [-2147483648, -2147483648, 2, 4, 2], 'int32'),
    ("jnp.asarray(x).at[7].get(mode='fill')",
     nan, 'float32'),
    ("jnp.asarray(x2).at[1, 9].get(mode='fill')",
     nan, 'float32'),
    ("jnp.asarray(x2).at[:, 9].get(mode='fill')",
     [nan, nan, nan], 'float32'),
    ('jnp.asarray(x).at[i].set(9.)',
     [1.0, 2.0, 9.0, 4.0, 9.0], 'float32'),
    ("jnp.asarray(x).at[i].set(9., mode='clip')",
     [9.0, 2.0, 9.0, 4.0, 9.0], 'float32'),
    ("jnp.asarray(x).at[i].set(9., mode='promise_in_bounds')",
     [1.0, 2.0, 9.0, 4.0, 9.0], 'float32'),
    ('jnp.asarray(x).at[i].add(1.)',
     [1.0, 2.0, 5.0, 4.0, 6.0], 'float32'),
    ("jnp.asarray(x).at[i].add(1., mode='clip')",
     [2.0, 2.0, 5.0, 4.0, 7.0], 'float32'),
    ('jnp.asarray(x).at[i].multiply(2.)',
     [1.0, 2.0, 12.0, 4.0, 10.0], 'float32'),
    ('jnp.asarray(x).at[i].min(0.)',
     [1.0, 2.0, 0.0, 4.0, 0.0], 'float32'),
    ('jnp.asarray(x).at[i].max(9.)',
     [1.0, 2.0, 9.0, 4.0, 9.0], 'float32'),
    ('jnp.asarray(x).at[7].set(0.)',
     [1.0, 2.0, 3.0, 4.0, 5.0], 'float32'),
    ('jnp.asarray(x).at[-6].add(1.)',
     [1.0, 2.0, 3.0, 4.0, 5.0], 'float32'),
    ('jnp.asarray(x2).at[9, 1:3].set(0.)',
     [[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]], 'float32'),
    ('jnp.asarray(x2).at[1, 9].set(0.)',
     [[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]], 'float32'),
    ('jnp.asarray(x2).at[i[:3], 1].add(5.)',
     [[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 14.0, 10.0, 11.0]], 'float32'),
    ('jnp.asarray(x2).at[:, i].add(np.ones((3, 5), np.float32))',
     [[0.0, 1.0, 4.0, 4.0], [4.0, 5.0, 8.0, 8.0], [8.0, 9.0, 12.0, 12.0]], 'float32'),
    ('jnp.asarray(x).at[i].divide(2.)',
     [1.0, 2.0, 0.75, 4.0, 2.5], 'float32'),
    ('jnp.asarray(x).at[i].power(2.)',
     [1.0, 2.0, 81.0, 4.0, 25.0], 'float32'),
    ('jnp.asarray(x).at[i].subtract(1.)',
     [1.0, 2.0, 1.0, 4.0, 4.0], 'float32'),
    ('jnp.asarray(x).at[i].apply(jnp.negative)',
     [1.0, 2.0, 3.0, 4.0, -5.0], 'float32'),
    ('jnp.asarray(x).at[np.array([1, 1, 3])].apply(lambda v: v * 2)',
     [1.0, 8.0, 3.0, 8.0, 5.0], 'float32'),
    ('jnp.take(jnp.asarray(x), i)',
     [nan, nan, 3.0, 5.0, 3.0], 'float32'),
    ("jnp.take(jnp.asarray(x), i, mode='clip')",
     [5.0, 1.0, 3.0, 1.0, 3.0], 'float32'),
    ("jnp.take(jnp.asarray(x), i, mode='wrap')",
     [3.0, 3.0, 3.0, 5.0, 3.0], 'float32'),
    ('jnp.take(jnp.asarray(x), i, fill_value=-1)',
     [-1.0, -1.0, 3.0, 5.0, 3.0], 'float32'),
    ('jnp.take(jnp.asarray(x2), i[:3], axis=1)',
     [[nan, nan, 2.0], [nan, nan, 6.0], [nan, nan, 10.0]], 'float32'),
    ('jnp.take(jnp.asarray(x2), np.array([[0, 13]]))',
     [[0.0, nan]], 'float32'),
    ('jnp.take(jnp.asarray(xi), i)',
     [-2147483648, -2147483648, 2, 4, 2], 'int32'),
    ('jnp.take_along_axis(jnp.asarray(x), i, axis=0)',
     [nan, nan, 3.0, 5.0, 3.0], 'float32'),
    ('jnp.take_along_axis(jnp.asarray(x2), np.array([[0, 5, -1]]), axis=1)',
     [[0.0, nan, 3.0], [4.0, nan, 7.0], [8.0, nan, 11.0]], 'float32'),
    ("jnp.take_along_axis(jnp.asarray(x2), np.array([[0], [3], [-4]]), axis=1, mode='clip')",
     [[0.0], [7.0], [8.0]], 'float32'),
    ('jnp.take_along_axis(jnp.asarray(x2), np.array([1, 0, 11]), axis=None)',
     [1.0, 0.0, 11.0], 'float32'),
    ('jnp.put_along_axis(jnp.asarray(x2), np.array([[0], [3], [9]]), 7., axis=1, inplace=False)',
     [[7.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]], 'float32'),
    ('jnp.put_along_axis(jnp.asarray(x2), np.array([[0, 1, 2, 0]]), np.array([[10., 20., 30., 40.]], np.float32), axis=0, inplace=False)',
     [[10.0, 1.0, 2.0, 40.0], [4.0, 20.0, 6.0, 7.0], [8.0, 9.0, 30.0, 11.0]], 'float32'),
    ('jnp.nonzero(jnp.asarray(x2))',
     [[0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], [1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]], ['int32', 'int32']),
    ('jnp.nonzero(jnp.asarray(x2) > 6, size=3)',
     [[1, 2, 2], [3, 0, 1]], ['int32', 'int32']),
    ('jnp.nonzero(jnp.asarray(x2) > 6, size=9, fill_value=-1)',
     [[1, 2, 2, 2, 2, -1, -1, -1, -1], [3, 0, 1, 2, 3, -1, -1, -1, -1]], ['int32', 'int32']),
    ('jnp.nonzero(jnp.asarray(x2) > 6, size=9, fill_value=(-1, -2))',
     [[1, 2, 2, 2, 2, -1, -1, -1, -1], [3, 0, 1, 2, 3, -2, -2, -2, -2]], ['int32', 'int32']),
    ('jnp.argwhere(jnp.asarray(x2) > 8)',
     [[2, 1], [2, 2], [2, 3]], 'int32'),
    ('jnp.argwhere(jnp.asarray(x2) > 8, size=5)',
     [[2, 1], [2, 2], [2, 3], [0, 0], [0, 0]], 'int32'),
    ('jnp.flatnonzero(jnp.asarray(x2) % 3 == 0)',
     [0, 3, 6, 9], 'int32'),
    ('jnp.flatnonzero(jnp.asarray(x2) % 3 == 0, size=2)',
     [0, 3], 'int32'),
    ('jnp.where(jnp.asarray(x) > 2)',
     [[2, 3, 4]], ['int32']),
    ('jnp.where(jnp.asarray(x) > 2, size=4, fill_value=9)',
     [[2, 3, 4, 9]], ['int32']),
    ('jnp.argwhere(jnp.asarray(3.))',
     [[]], 'int32'),
]
NAMESPACE = {"jnp": jnp, "np": np, "x": x, "x2": x2, "xi": xi, "i": i}


@pytest.mark.parametrize("expression,expected,dtype", JAX_ROWS, ids=[r[0] for r in JAX_ROWS])
def test_out_of_bounds_modes_and_routines_match_jax(expression, expected, dtype):
    out = eval(expression, NAMESPACE)  # noqa: S307 - the table's own expressions
    outs, expected, dtypes = ((out, expected, dtype) if isinstance(dtype, list)
                              else ((out,), [expected], [dtype]))
    assert len(outs) == len(expected)
    for got, want, name in zip(outs, expected, dtypes, strict=True):
        assert isinstance(got, jaxlite.Array) and got.dtype == np.dtype(name)
        got = np.asarray(got)
        assert got.shape == np.shape(want)
        np.testing.assert_array_equal(got, np.asarray(want, got.dtype))


# ------------------------------------------------------------------ traced integer indices


def test_a_traced_integer_reads_through_gather_under_jit_vmap_and_grad():
    table = jnp.asarray(x2)
    closed = jaxlite.make_jaxpr(lambda t, k: t[k])(table, 1)
    assert "gather" in [e.primitive.name for e in closed.jaxpr.eqns]
    for k in [0, 2, -1, 5, -7]:  # out of bounds: clamped, as in JAX
        want = x2[min(max(k + 3 if k < 0 else k, 0), 2)]
        np.testing.assert_array_equal(jaxlite.jit(lambda t, k: t[k])(table, k), want)
    rows = jaxlite.vmap(lambda t, k: t[k], in_axes=(None, 0))(table, jnp.array([2, 0, -1]))
    np.testing.assert_array_equal(rows, x2[[2, 0, -1]])
    # d/dt sum(t[k] * t[k]) = 2 t[k] in row k
    grad = jaxlite.jit(jaxlite.grad(lambda t, k: jnp.sum(t[k] * t[k])))(table, 1)
    np.testing.assert_array_equal(grad, np.where(np.arange(3)[:, None] == 1, 2 * x2, 0))


def test_vmap_of_an_integer_index_is_one_gather_matching_a_loop():
    rng = np.random.default_rng(0)
    table = rng.standard_normal((6, 5)).astype(np.float32)
    picks = np.array([0, 4, -1, 7, -9, 2], np.int32)
    pick = jaxlite.vmap(lambda row, k: row[k])
    loop = np.stack([np.asarray(jnp.asarray(r)[int(k)]) for r, k in zip(table, picks)])
    np.testing.assert_array_equal(pick(table, picks), loop)
    closed = jaxlite.make_jaxpr(pick)(table, picks)
    assert [e.primitive.name for e in closed.jaxpr.eqns].count("gather") == 1
    gather = next(e for e in closed.jaxpr.eqns if e.primitive.name == "gather")
    assert gather.params["dimension_numbers"].operand_batching_dims == (0,)


@pytest.mark.parametrize("method", ["set", "add", "multiply", "min", "max"])
def test_vmap_of_updates_with_batched_indices_matches_a_loop(method):
    rng = np.random.default_rng(1)
    xs = rng.standard_normal((4, 6)).astype(np.float32)
    idx = rng.integers(-8, 8, (4, 3)).astype(np.int32)  # repeats and out of bounds
    vals = rng.standard_normal((4, 3)).astype(np.float32)
    if method == "set":
        idx = np.array([[0, 5, -2], [7, 1, 2], [-9, 3, 4], [2, 1, 0]], np.int32)

    def update(x, i, v):
        return getattr(x.at[i], method)(v)

    loop = np.stack([np.asarray(update(jnp.asarray(a), b, c)) for a, b, c in zip(xs, idx, vals)])
    np.testing.assert_allclose(jaxlite.vmap(update)(xs, idx, vals), loop, rtol=1e-6)
    # the same indices for every member, and a batched operand only
    loop = np.stack([np.asarray(update(jnp.asarray(a), idx[0], vals[0])) for a in xs])
    np.testing.assert_allclose(jaxlite.vmap(update, in_axes=(0, None, None))(xs, idx[0], vals[0]),
                               loop, rtol=1e-6)


def test_vmap_of_take_along_axis_and_nonzero_with_size_match_loops():
    rng = np.random.default_rng(2)
    xs = rng.standard_normal((3, 4, 5)).astype(np.float32)
    order = np.argsort(xs, axis=-1).astype(np.int32)
    sort = jaxlite.vmap(lambda a, o: jnp.take_along_axis(a, o, axis=-1))
    np.testing.assert_array_equal(sort(xs, order), np.sort(xs, axis=-1))
    found = jaxlite.vmap(lambda a: jnp.nonzero(a > 0.5, size=6, fill_value=-1))(xs)
    for member, a in enumerate(xs):
        want = [np.concatenate([f[:6], -np.ones(max(6 - len(f), 0), int)])
                for f in np.nonzero(a > 0.5)]
        for got, w in zip(found, want, strict=True):
            np.testing.assert_array_equal(got[member], w)


def test_routines_under_jit_need_a_size_and_then_agree_with_numpy():
    a = np.array([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]], np.float32)
    for size in [2, 3, 6]:
        got = jaxlite.jit(lambda a: jnp.argwhere(a, size=size, fill_value=-1))(a)
        want = np.argwhere(a)[:size]
        want = np.concatenate([want, -np.ones((size - len(want), 2), int)])
        np.testing.assert_array_equal(got, want)
        got = jaxlite.jit(lambda a: jnp.flatnonzero(a, size=size))(a)
        want = np.flatnonzero(a)[:size]
        np.testing.assert_array_equal(got, np.concatenate([want, np.zeros(size - len(want))]))
        got = jaxlite.jit(lambda a: jnp.where(a < 0, size=size))(a)
        assert len(got) == 2 and got[0].shape == (size,)
    with pytest.raises(ConcretizationTypeError, match="size argument of jnp.nonzero"):
        jaxlite.jit(jnp.nonzero)(a)
    with pytest.raises(ConcretizationTypeError, match="size argument"):
        jaxlite.vmap(jnp.flatnonzero)(a)
    # under grad, values are concrete: no size needed
    g = jaxlite.grad(lambda a: jnp.sum(a[jnp.nonzero(a)] ** 2))(jnp.asarray(a))
    np.testing.assert_array_equal(g, 2 * a)


# ------------------------------------------------------------------ derivatives


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


IDX = np.array([3, -1, 3, 0, 7, -9, 2], np.int32)  # repeated and out of bounds both ways


@pytest.mark.parametrize("mode", [None, "clip", "fill", "promise_in_bounds"])
def test_gradients_through_gathers(mode, x64):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((5, 3))
    w = rng.standard_normal((7, 3))
    take_mode = {None: "fill", "promise_in_bounds": "wrap"}.get(mode, mode)
    order = np.argsort(a, axis=0)
    for f in [lambda a: jnp.sin(a.at[IDX].get(mode=mode, fill_value=0.0)) * w,
              lambda a: jnp.take(a, IDX, axis=0, mode=take_mode, fill_value=1.0),
              lambda a: a[IDX[:3], ::-1][:, None] * a[[0, 4, 2], 1:2],
              lambda a: jnp.take_along_axis(a, order, axis=0)]:
        check_grads(lambda a: f(jnp.asarray(a)), [a], order=2)


@pytest.mark.parametrize("method", ["set", "add", "subtract", "multiply", "divide", "power",
                                    "min", "max"])
@pytest.mark.parametrize("mode", [None, "clip"])
def test_gradients_through_updates_in_operand_and_values(method, mode, x64):
    rng = np.random.default_rng(4)
    a = rng.uniform(0.5, 2.0, (5, 3))
    v = rng.uniform(0.5, 2.0, (7, 3))
    if method in ("min", "max"):  # (away from ties)
        v = v + np.arange(21).reshape(7, 3) * 0.01

    def f(a, v):
        return jnp.sin(getattr(jnp.asarray(a).at[IDX], method)(v, mode=mode)) * 1.5

    check_grads(f, [a, v], order=1 if method in ("min", "max") else 2)


def test_gradient_of_set_goes_to_the_update_that_wins():
    def f(v):
        return jnp.zeros(3).at[np.array([1, 1, 2])].set(v) * jnp.array([1.0, 10.0, 100.0])

    out, pullback = jaxlite.vjp(f, jnp.array([1.0, 2.0, 3.0]))
    (ct,) = pullback(jnp.ones(3))
    won = 0 if float(out[1]) == 10.0 else 1
    want = [0.0, 0.0, 100.0]
    want[won] = 10.0
    np.testing.assert_array_equal(ct, want)


def test_multiply_gradients_with_zero_updates_sharing_an_element():
    # out[0] = a0 * u0 * u1 * u2: d/du0 = a0 u1 u2 = 0 (u2 = 0), d/du2 = a0 u0 u1
    u = jnp.array([2.0, 3.0, 0.0, 5.0])
    g = jaxlite.grad(lambda u: jnp.sum(jnp.full(2, 1.5).at[np.array([0, 0, 0, 1])]
                                       .multiply(u)))(u)
    np.testing.assert_allclose(g, [0.0, 0.0, 9.0, 1.5])


def test_apply_runs_once_per_index():
    out = jnp.asarray(x).at[np.array([1, 1, 3, 9])].apply(lambda v: v * 2)
    np.testing.assert_array_equal(out, [1.0, 8.0, 3.0, 8.0, 5.0])
    grad = jaxlite.grad(lambda a: jnp.sum(a.at[np.array([0, 0, 2])].apply(jnp.sin)))(
        jnp.asarray(x[:3]))
    np.testing.assert_allclose(grad, [np.cos(np.sin(x[0])) * np.cos(x[0]), 1.0, np.cos(x[2])],
                               rtol=1e-6)
    twice = jaxlite.jit(lambda a, k: a.at[k].apply(lambda v: v * 2))  # traced indices: a loop
    np.testing.assert_array_equal(twice(jnp.asarray(x), np.array([1, 1, 3, 9])), out)
    rows = jaxlite.vmap(lambda a, k: a.at[k].apply(lambda v: v + 1))(
        np.zeros((2, 3), np.float32), np.array([[0, 0], [2, -9]]))
    np.testing.assert_array_equal(rows, [[2, 0, 0], [0, 0, 1]])


# ------------------------------------------------------------------ errors


def _still_works():
    assert jaxlite.core.trace.current_trace() is None
    assert float(jaxlite.jit(lambda a: a[jnp.array([1])][0])(jnp.arange(3.0))) == 1.0


def test_a_traced_boolean_mask_raises_nonconcrete_boolean_index_error_with_the_fix():
    a = jnp.arange(4.0)
    for transform in (jaxlite.jit, jaxlite.vmap):
        with pytest.raises(NonConcreteBooleanIndexError, match="jnp.where") as info:
            transform(lambda a: a[a > 1.0])(a if transform is jaxlite.jit else a[None])
        assert isinstance(info.value, IndexError) and "bool[" in str(info.value)
        _still_works()
    with pytest.raises(NonConcreteBooleanIndexError):
        jaxlite.jit(lambda a: a.at[a > 1.0].set(0.0))(a)
    # the fix: a concrete mask, or jnp.where
    np.testing.assert_array_equal(jaxlite.jit(lambda a: jnp.where(a > 1.0, a, 0.0))(a),
                                  [0, 0, 2, 3])
    np.testing.assert_array_equal(jaxlite.grad(lambda a: jnp.sum(a[a > 1.0]))(a), [0, 0, 1, 1])


@pytest.mark.parametrize("call, error, message", [
    (lambda: jnp.asarray(x2)[[0, 1]], TypeError, "non-tuple sequence"),
    (lambda: jnp.asarray(x2)[1.0], TypeError, "integer or boolean type"),
    (lambda: jnp.asarray(x2)[:, np.array([1.0])], TypeError, "integer or boolean type"),
    (lambda: jnp.asarray(x2)["a"], TypeError, "string indexing"),
    (lambda: jnp.asarray(x2)[0, 0, 0], IndexError, "too many indices"),
    (lambda: jnp.asarray(x2)[np.ones(2, bool)], IndexError, "boolean index did not match"),
    (lambda: jnp.asarray(x2)[np.array([0, 1]), np.array([0, 1, 2])], ValueError,
     "Incompatible shapes"),
    (lambda: jnp.zeros(0)[0], IndexError, "out of bounds for axis 0 with size 0"),
    (lambda: jaxlite.jit(lambda a, k: a[k:k + 1])(jnp.asarray(x), 1), IndexError,
     "static integers"),
    (lambda: jnp.asarray(x).at[i].get(mode="bad"), ValueError, "Unknown gather mode"),
    (lambda: jnp.asarray(x).at[i].set(1.0, mode="wrap"), ValueError, "Unknown gather mode"),
    (lambda: jnp.take(jnp.asarray(x), i, mode="bad"), ValueError, "Invalid mode"),
    (lambda: jnp.take(jnp.asarray(x), i, mode="raise"), NotImplementedError, "raise"),
    (lambda: jnp.take(jnp.asarray(x), [0, 1]), TypeError, "list"),
    (lambda: jnp.take(jnp.zeros((0, 2)), i, axis=0), IndexError, "empty axis"),
    (lambda: jnp.take_along_axis(jnp.asarray(x2), np.array([0]), axis=1), ValueError,
     "same number of dimensions"),
    (lambda: jnp.put_along_axis(jnp.asarray(x2), np.array([[0]]), 1.0, axis=1), ValueError,
     "inplace=False"),
    (lambda: jnp.nonzero(jnp.asarray(1.0)), ValueError, "0d arrays"),
    (lambda: jnp.where(jnp.asarray(x) > 1, 1.0, 0.0, size=3), ValueError, "three-term"),
    (lambda: jnp.nonzero(jnp.asarray(x2), size=2, fill_value=(1, 2, 3)), ValueError,
     "fill_value"),
])
def test_user_errors_are_named_and_leave_the_library_working(call, error, message):
    with pytest.raises(error, match=message):
        call()
    _still_works()




def test_indexing_prints_a_gather_as_jax_does():
    text = str(jaxlite.make_jaxpr(lambda a, k: a[k])(jnp.asarray(x2), np.array([2, 0])))
    assert ("gather[\n      dimension_numbers=GatherDimensionNumbers(offset_dims=(1,), "
            "collapsed_slice_dims=(0,), start_index_map=(0,), operand_batching_dims=(), "
            "start_indices_batching_dims=())\n      fill_value=None\n      "
            "indices_are_sorted=False\n      mode=GatherScatterMode.PROMISE_IN_BOUNDS\n      "
            "slice_sizes=(1, 4)\n      unique_indices=False\n    ] a") in text
    text = str(jaxlite.make_jaxpr(lambda a, k: a.at[k].add(1.0))(jnp.asarray(x), np.array([2])))
    assert "scatter-add[" in text and "mode=GatherScatterMode.FILL_OR_DROP" in text
