"""jnp against NumPy over every axis, permutation, broadcast and index of small arrays.

Dtypes are JAX's (float32/int32 by default), so values are compared with a tolerance
and the dtypes separately.
"""

import itertools

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp

RNG = np.random.default_rng(0)
X = RNG.normal(size=(2, 3, 4)).astype(np.float32)
XI = RNG.integers(-5, 6, size=(2, 3, 4)).astype(np.int32)


def assert_matches(out, expected, dtype=None, rtol=1e-5):
    assert isinstance(out, jaxlite.Array), type(out)
    expected = np.asarray(expected)
    assert out.shape == expected.shape
    if dtype is not None:
        assert out.dtype == dtype
    np.testing.assert_allclose(np.asarray(out, np.float64), expected, rtol=rtol, atol=1e-5)


# ------------------------------------------------------------------ reductions

AXES = [None, 0, 1, 2, -1, -3, (0, 1), (0, 2), (2, 0), (0, 1, 2), ()]


@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "prod", "var", "std"])
def test_float_reductions(name, axis, keepdims):
    out = getattr(jnp, name)(jnp.asarray(X), axis=axis, keepdims=keepdims)
    assert_matches(out, getattr(np, name)(X, axis=axis, keepdims=keepdims), np.float32)


@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("name,dtype", [("sum", np.int32), ("prod", np.int32),
                                        ("max", np.int32), ("mean", np.float32),
                                        ("any", np.bool_), ("all", np.bool_)])
def test_integer_reductions(name, dtype, axis):
    out = getattr(jnp, name)(jnp.asarray(XI), axis=axis)
    assert_matches(out, getattr(np, name)(XI, axis=axis), dtype)


@pytest.mark.parametrize("axis", [None, 0, 1, 2, -1])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_arg_reductions(name, axis, keepdims):
    ties = np.round(X)  # first occurrence wins, as in NumPy
    out = getattr(jnp, name)(jnp.asarray(ties), axis=axis, keepdims=keepdims)
    assert_matches(out, getattr(np, name)(ties, axis=axis, keepdims=keepdims), np.int32)


@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_var_ddof(ddof):
    assert_matches(jnp.var(jnp.asarray(X), axis=2, ddof=ddof), np.var(X, axis=2, ddof=ddof))


# ------------------------------------------------------------------ shape manipulation


@pytest.mark.parametrize("perm", list(itertools.permutations(range(3))), ids=str)
def test_transpose_every_permutation(perm):
    assert_matches(jnp.transpose(jnp.asarray(X), perm), np.transpose(X, perm))
    assert_matches(jnp.asarray(X).transpose(*perm), np.transpose(X, perm))


@pytest.mark.parametrize("a,b", list(itertools.product(range(-3, 3), repeat=2)), ids=str)
def test_swapaxes_every_pair(a, b):
    assert_matches(jnp.swapaxes(jnp.asarray(X), a, b), np.swapaxes(X, a, b))


@pytest.mark.parametrize("source,destination", [
    (0, 2), (2, 0), (-1, 1), ((0, 1), (1, 2)), ((0, 2), (2, 0)), ((2, 0), (0, 1)),
], ids=str)
def test_moveaxis(source, destination):
    assert_matches(jnp.moveaxis(jnp.asarray(X), source, destination),
                   np.moveaxis(X, source, destination))


@pytest.mark.parametrize("shape", [(6, -1), (-1,), (4, 3, 2), (1, 24), (2, -1, 3), (24,)], ids=str)
def test_reshape(shape):
    assert_matches(jnp.reshape(jnp.asarray(X), shape), np.reshape(X, shape))


@pytest.mark.parametrize("axis", [0, 1, 2, 3, -1, -4, (0, 2), (1, 3)], ids=str)
def test_expand_dims(axis):
    assert_matches(jnp.expand_dims(jnp.asarray(X), axis), np.expand_dims(X, axis))


@pytest.mark.parametrize("axis", [None, 0, 2, -1, (0, 2)], ids=str)
def test_squeeze(axis):
    y = X[:1, :, :1]
    assert_matches(jnp.squeeze(jnp.asarray(y), axis), np.squeeze(y, axis))


@pytest.mark.parametrize("axis", [0, 1, 2, -1, None])
def test_concatenate(axis):
    parts = [X, X * 2, X - 1]
    assert_matches(jnp.concatenate([jnp.asarray(p) for p in parts], axis=axis),
                   np.concatenate(parts, axis=axis))


@pytest.mark.parametrize("axis", [0, 1, 2, 3, -1, -4])
def test_stack(axis):
    parts = [X, X * 2]
    assert_matches(jnp.stack([jnp.asarray(p) for p in parts], axis=axis),
                   np.stack(parts, axis=axis))


# ------------------------------------------------------------------ broadcasting

SHAPE_PAIRS = [((3,), (2, 3)), ((2, 1), (1, 3)), ((4, 1, 3), (2, 1)), ((), (2, 3)),
               ((1,), (3,)), ((2, 3), (2, 3)), ((5, 1, 1), (1, 4, 1))]


@pytest.mark.parametrize("shapes", SHAPE_PAIRS, ids=str)
@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide", "maximum", "minimum",
                                  "power", "greater", "equal"])
def test_broadcasting_binary_ops(name, shapes):
    a = np.abs(RNG.normal(size=shapes[0])).astype(np.float32) + 0.5
    b = RNG.normal(size=shapes[1]).astype(np.float32)
    assert_matches(getattr(jnp, name)(jnp.asarray(a), jnp.asarray(b)), getattr(np, name)(a, b))


@pytest.mark.parametrize("shapes", SHAPE_PAIRS, ids=str)
def test_broadcast_to_and_where(shapes):
    target = np.broadcast_shapes(*shapes)
    a = RNG.normal(size=shapes[0]).astype(np.float32)
    assert_matches(jnp.broadcast_to(jnp.asarray(a), target), np.broadcast_to(a, target))
    condition = RNG.normal(size=shapes[1]) > 0
    assert_matches(jnp.where(jnp.asarray(condition), jnp.asarray(a), -1.0),
                   np.where(condition, a, -1.0))


# ------------------------------------------------------------------ integer arithmetic


def test_floor_divide_and_remainder_signs_match_numpy():
    a = np.array([7, -7, 7, -7, 0, 6, -6, 1], np.int32)
    b = np.array([2, 2, -2, -2, 3, 3, -3, -5], np.int32)
    assert_matches(jnp.floor_divide(jnp.asarray(a), jnp.asarray(b)), np.floor_divide(a, b),
                   np.int32)
    assert_matches(jnp.remainder(jnp.asarray(a), jnp.asarray(b)), np.remainder(a, b), np.int32)
    af, bf = a.astype(np.float32) + 0.5, b.astype(np.float32)
    assert_matches(jnp.asarray(af) // jnp.asarray(bf), af // bf, np.float32)
    assert_matches(jnp.asarray(af) % jnp.asarray(bf), af % bf, np.float32)


def test_integer_power_with_array_exponent_matches_numpy():
    base = np.array([-3, -2, -1, 0, 1, 2, 3, 5], np.int32)
    exponent = np.array([0, 1, 2, 3, 4, 5, 3, 7], np.int32)
    assert_matches(jnp.power(jnp.asarray(base), jnp.asarray(exponent)), base ** exponent, np.int32)


@pytest.mark.parametrize("exponent", [0, 1, 2, 3, -1, -2])
def test_power_with_integer_exponent_is_integer_pow(exponent):
    jaxpr = jaxlite.make_jaxpr(lambda x: x ** exponent)(jnp.ones(3))
    assert [e.primitive.name for e in jaxpr.eqns] == ["integer_pow"]
    assert jaxpr.eqns[0].params == {"y": exponent}
    x = np.array([0.5, 2.0, 3.0], np.float32)
    assert_matches(jnp.asarray(x) ** exponent, x ** float(exponent), np.float32)


# ------------------------------------------------------------------ products


@pytest.mark.parametrize("a_shape,b_shape", [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
    ((2, 3), (5, 3, 4)), ((1, 2, 3), (5, 3, 4)), ((5, 1, 2, 3), (4, 3, 2)), ((3,), (5, 3, 2)),
    ((5, 2, 3), (3,)),
], ids=str)
def test_matmul_broadcasting(a_shape, b_shape):
    a = RNG.normal(size=a_shape).astype(np.float32)
    b = RNG.normal(size=b_shape).astype(np.float32)
    assert_matches(jnp.matmul(jnp.asarray(a), jnp.asarray(b)), a @ b, np.float32)
    assert_matches(jnp.asarray(a) @ b, a @ b, np.float32)


@pytest.mark.parametrize("a_shape,b_shape", [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((2, 3, 4), (5, 4, 2)),
    ((), (3,)), ((2, 3), ()),
], ids=str)
def test_dot(a_shape, b_shape):
    a = RNG.normal(size=a_shape).astype(np.float32)
    b = RNG.normal(size=b_shape).astype(np.float32)
    assert_matches(jnp.dot(jnp.asarray(a), jnp.asarray(b)), np.dot(a, b), np.float32)


def test_outer_inner_vdot_tensordot():
    a, b = X[0], X[1]
    assert_matches(jnp.outer(jnp.asarray(a), jnp.asarray(b)), np.outer(a, b))
    assert_matches(jnp.inner(jnp.asarray(a), jnp.asarray(b)), np.inner(a, b))
    assert_matches(jnp.vdot(jnp.asarray(a), jnp.asarray(b)), np.vdot(a, b))
    assert_matches(jnp.tensordot(jnp.asarray(X), jnp.asarray(X[0]), 2), np.tensordot(X, X[0], 2))
    assert_matches(jnp.tensordot(jnp.asarray(X), jnp.asarray(a.T), ([1, 2], [1, 0])),
                   np.tensordot(X, a.T, ([1, 2], [1, 0])))


# ------------------------------------------------------------------ basic indexing

INDICES = [
    0, -1, (1, 2), (1, -1, 3), slice(None), slice(1, None), slice(None, None, -1),
    (slice(None), slice(None, None, 2)), (Ellipsis, 0), (Ellipsis, slice(3, 0, -1)),
    (0, Ellipsis), (None,), (None, 0, None), (slice(None), None, 1), (1, slice(1, 3), None),
    (slice(-2, None), slice(None, None, -2), slice(1, 3)), (slice(5, 1),), (slice(-100, 100),),
    (0, 1, 2), (Ellipsis,), (), (slice(None), Ellipsis, None),
]


@pytest.mark.parametrize("index", INDICES, ids=str)
def test_getitem_matches_numpy(index):
    assert_matches(jnp.asarray(X)[index], X[index], np.float32)


@pytest.mark.parametrize("index", INDICES, ids=str)
def test_getitem_under_make_jaxpr(index):
    jaxpr = jaxlite.make_jaxpr(lambda x: x[index])(jnp.asarray(X))
    jaxlite.typecheck(jaxpr)
    assert jaxpr.out_avals[0].shape == X[index].shape
