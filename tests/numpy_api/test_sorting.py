"""sort, argsort, lexsort, searchsorted, unique and lax.sort/top_k: values against NumPy and
recorded JAX 0.10 results, JAX's dtypes and errors, check_grads, vmap against a loop."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax
from jaxlite.test_util import check_grads

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 5)).astype(np.float32)
TIES = RNG.integers(-2, 3, size=(4, 6)).astype(np.float32)
SPECIAL = np.array([0.0, -0.0, np.nan, -np.nan, 1.0, -np.inf, np.inf, -0.0, 0.0], np.float32)


def _equal(out, expected, dtype=None):
    expected = np.asarray(expected)
    assert np.asarray(out).shape == expected.shape
    np.testing.assert_array_equal(np.asarray(out), expected)
    if dtype is not None:
        assert out.dtype == dtype


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("x", [X, TIES, TIES.astype(np.int32), TIES > 0],
                         ids=["f32", "ties", "i32", "bool"])
def test_sort_and_argsort_match_numpy(x, axis):
    _equal(jnp.sort(x, axis=axis), np.sort(x, axis=axis), x.dtype)
    _equal(jnp.argsort(x, axis=axis), np.argsort(x, axis=axis, kind="stable"), np.int32)
    # descending, stable: equal elements keep their order
    flipped = np.flip(x if axis is not None else x.ravel(), axis=axis or 0)
    n = flipped.shape[axis or 0]
    expected = n - 1 - np.flip(np.argsort(flipped, axis=axis or 0, kind="stable"), axis=axis or 0)
    _equal(jnp.argsort(x, axis=axis, descending=True), expected)
    _equal(jnp.sort(x, axis=axis, descending=True), np.flip(np.sort(x, axis=axis), axis or 0))


def test_special_values_order_as_in_jax():
    _equal(jnp.argsort(SPECIAL), [5, 0, 1, 7, 8, 4, 6, 2, 3])
    _equal(jnp.argsort(SPECIAL, descending=True), [2, 3, 6, 4, 0, 1, 7, 8, 5])
    x = jnp.asarray(SPECIAL)
    _equal(x.sort(), np.sort(SPECIAL))
    _equal(x.argsort(), [5, 0, 1, 7, 8, 4, 6, 2, 3])
    values, positions = lax.top_k(jnp.array([1.0, 3.0, np.nan, 3.0, -np.inf, 0.0, -0.0]), 5)
    _equal(values, [np.nan, 3, 3, 1, 0])
    _equal(positions, [2, 1, 3, 0, 5], np.int32)


def test_lexsort_and_multi_key_sort():
    a, b = TIES[0], TIES[1]
    _equal(jnp.lexsort((a, b)), np.lexsort((a, b)), np.int32)
    _equal(jnp.lexsort(np.stack([a, b])), np.lexsort((a, b)))
    _equal(jnp.lexsort([TIES, X[:, :4].T.reshape(4, 3).repeat(2, 1)], axis=0),
           np.lexsort([TIES, X[:, :4].T.reshape(4, 3).repeat(2, 1)], axis=0))
    order = np.lexsort((b, a))
    k1, k2, v = lax.sort((a, b, np.arange(6.0, dtype=np.float32)), num_keys=2)
    _equal(k1, a[order]), _equal(k2, b[order]), _equal(v, order.astype(np.float32))
    _, vals = lax.sort_key_val(X[0], np.arange(5, dtype=np.int32))
    _equal(vals, np.argsort(X[0]))
    assert isinstance(lax.sort(X), jaxlite.Array)


@pytest.mark.parametrize("method", ["scan", "compare_all", "sort"])
@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted_matches_numpy(side, method):
    a = np.array([1.0, 2.0, 2.0, 3.0, np.nan], np.float32)
    v = np.array([[2.0, 0.5, np.nan], [3.5, 2.0, -1.0]], np.float32)
    _equal(jnp.searchsorted(a, v, side=side, method=method), np.searchsorted(a, v, side=side),
           np.int32)
    _equal(jnp.asarray(a).searchsorted(2.0, side=side), np.searchsorted(a, 2.0, side=side))
    perm = RNG.permutation(5)
    _equal(jnp.searchsorted(a[perm], v, side, sorter=np.argsort(perm)),
           np.searchsorted(a, v, side=side))
    _equal(jnp.searchsorted(np.array([1, 5, 9], np.int8), np.array([5, 10], np.int32), side),
           np.searchsorted([1, 5, 9], [5, 10], side=side))


def test_index_dtypes_under_x64():
    jaxlite.config.update("jax_enable_x64", True)
    assert jnp.argsort(X).dtype == np.int64 and jnp.lexsort([X]).dtype == np.int64
    assert jnp.searchsorted(X[0], 0.5).dtype == np.int32
    assert lax.top_k(X, 2)[1].dtype == np.int32
    assert jnp.unique(TIES, return_inverse=True)[1].dtype == np.int64
    assert jnp.argsort(X, dtype=jnp.int8).dtype == np.int8


@pytest.mark.parametrize("call, error, match", [
    (lambda: jnp.sort(X, kind="quicksort"), TypeError, "'kind' argument to sort"),
    (lambda: jnp.argsort(X, order="a"), TypeError, "'order' argument to argsort"),
    (lambda: jnp.sort(3.0), ValueError, "axis -1 is out of bounds"),
    (lambda: jnp.sort([3, 1]), TypeError, "requires ndarray or scalar"),
    (lambda: jnp.lexsort([]), TypeError, "need sequence of keys with len > 0"),
    (lambda: jnp.lexsort([X[0], X[0, :3]]), ValueError, "all keys need to be the same shape"),
    (lambda: jnp.searchsorted(X, X), ValueError, "a should be 1-dimensional"),
    (lambda: jnp.searchsorted(X[0], 1.0, side="mid"), ValueError, "invalid argument side"),
    (lambda: jnp.searchsorted(X[0], 1.0, method="foo"), ValueError, "invalid argument method"),
    (lambda: lax.sort((X, X), num_keys=3), ValueError, "num_keys=3 must be between 1"),
    (lambda: lax.sort([X, X[:2]]), TypeError, "Arguments to sort must have equal shapes"),
    (lambda: lax.top_k(X, 6), ValueError, "must be no larger than size along axis"),
    (lambda: lax.top_k(X, -1), ValueError, "must be nonnegative"),
    (lambda: jaxlite.jit(jnp.unique)(X), jaxlite.errors.ConcretizationTypeError, "size"),
    (lambda: jnp.unique(np.zeros(0), size=2), ValueError, "fill_value must be specified"),
])
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
    _equal(jnp.sort(np.array([2.0, 1.0])), [1.0, 2.0])  # still works afterwards


def test_gradients_flow_through_the_permutation():
    jaxlite.config.update("jax_enable_x64", True)
    x = jnp.asarray(RNG.permutation(15).reshape(3, 5) * 0.3 + 0.01)
    weights = jnp.asarray(RNG.normal(size=(3, 5)))
    check_grads(lambda v: jnp.sort(v, axis=0) * weights, [x], order=2)
    check_grads(lambda v: jnp.sort(v, descending=True) ** 2, [x], order=2)
    check_grads(lambda v: lax.top_k(v, 3)[0] * weights[:, :3], [x], order=2)
    check_grads(lambda v: lax.sort((x, v, v * 2), num_keys=1)[2], [x], order=2)
    check_grads(lambda v: jnp.unique(v[0], size=6, fill_value=0.0) ** 2, [x], order=2)
    _equal(jaxlite.grad(lambda v: jnp.unique(v, size=3).sum())(jnp.array([1.0, 2, 1, 5])),
           [1.0, 1, 0, 1])
    closed = jaxlite.make_jaxpr(jaxlite.grad(lambda v: jnp.sum(jnp.sort(v) * weights)))(x)
    jaxlite.typecheck(closed)


@pytest.mark.parametrize("fn", [
    lambda v: jnp.sort(v),
    lambda v: jnp.argsort(v, descending=True),
    lambda v: lax.top_k(v, 2),
    lambda v: jnp.searchsorted(jnp.sort(v[0]), v[1:] * 2, side="right"),
    lambda v: jnp.unique(jnp.round(v), size=4, return_index=True, return_counts=True),
    lambda v: lax.sort((jnp.round(v), v), num_keys=2),
], ids=["sort", "argsort", "top_k", "searchsorted", "unique", "two_keys"])
def test_vmap_matches_a_loop(fn):
    x = RNG.normal(size=(4, 3, 6)).astype(np.float32)
    for in_axes in (0, 1):
        batched = jaxlite.vmap(fn, in_axes=in_axes)(x)
        looped = [fn(np.take(x, i, axis=in_axes)) for i in range(x.shape[in_axes])]
        flat_b = jaxlite.tree_util.tree_leaves(batched)
        flat_l = [np.stack(leaves) for leaves in zip(*map(jaxlite.tree_util.tree_leaves, looped))]
        for b, expected in zip(flat_b, flat_l, strict=True):
            np.testing.assert_array_equal(np.asarray(b), expected)


# ---------------------------------------------------------------- unique (JAX 0.10's values)

U = np.array([3.0, 1.0, np.nan, 3.0, 2.0, np.nan, 1.0], np.float32)


def test_unique_matches_jax():
    values, index, inverse, counts = jnp.unique(U, True, True, True)
    _equal(values, [1, 2, 3, np.nan]), _equal(index, [1, 4, 0, 2], np.int32)
    _equal(inverse, [2, 0, 3, 2, 1, 3, 0]), _equal(counts, [2, 1, 2, 2])
    _equal(jnp.unique(U, equal_nan=False), [1, 2, 3, np.nan, np.nan])
    sized = jnp.unique(U, True, True, True, size=6)
    for out, expected in zip(sized, [[1, 2, 3, np.nan, 1, 1], [1, 4, 0, 2, 1, 1],
                                     [2, 0, 3, 2, 1, 3, 0], [2, 1, 2, 2, 0, 0]]):
        _equal(out, expected)
    cut = jnp.unique(U, True, True, True, size=3, fill_value=-1)
    _equal(cut[0], [1, 2, 3]), _equal(cut[3], [2, 1, 2])
    _equal(jnp.unique(U, size=6, fill_value=-1), [1, 2, 3, np.nan, -1, -1])
    _equal(jaxlite.jit(lambda v: jnp.unique(v, size=6))(U), [1, 2, 3, np.nan, 1, 1])
    y = np.array([[1, 2], [3, 4], [1, 2]], np.int32)
    flat, inverse = jnp.unique(y, return_inverse=True)
    _equal(flat, [1, 2, 3, 4]), _equal(inverse, [[0, 1], [2, 3], [0, 1]])
    rows, index, inverse, counts = jnp.unique(y, True, True, True, axis=0)
    _equal(rows, [[1, 2], [3, 4]]), _equal(index, [0, 1]), _equal(inverse, [0, 1, 0])
    _equal(counts, [2, 1])
    _equal(jnp.unique(y, axis=0, size=4), [[1, 2], [3, 4], [1, 2], [1, 2]])
    _equal(jnp.unique(np.array([[1, 2], [1, 2]]), axis=1), [[1, 2], [1, 2]])
    nan_rows = jnp.unique(np.array([[1.0, 2], [np.nan, 4], [1, 2]], np.float32), True,
                          return_counts=True, axis=0, size=4, fill_value=7)
    _equal(nan_rows[0], [[1, 2], [np.nan, 4], [7, 7], [7, 7]])
    _equal(nan_rows[1], [0, 1, 0, 0]), _equal(nan_rows[2], [2, 1, 0, 0])
    _equal(jnp.unique(np.zeros(0, np.float32), size=2, fill_value=3), [3, 3])
    _equal(jnp.unique(jnp.array(3.0), return_inverse=True)[1], 0)


@pytest.mark.parametrize("x", [TIES, TIES.astype(np.int32), X.round(), TIES > 0])
def test_unique_matches_numpy(x):
    for axis in (None, 0, 1):
        out = jnp.unique(x, True, False, True, axis=axis)
        expected = np.unique(x, True, False, True, axis=axis)
        for o, e in zip(out, expected, strict=True):
            _equal(o, e)
