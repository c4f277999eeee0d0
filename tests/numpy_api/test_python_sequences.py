"""Python lists and tuples: taken where JAX takes them (array constructors, shapes, update
values, array_equal), refused elsewhere with JAX's TypeError (messages recorded from
JAX 0.10.2, which names the function and the argument's position)."""

import re

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp

X = jnp.ones((2, 3))


def test_constructors_take_sequences():
    assert jnp.array([[1, 2], [3, 4]]).dtype == np.int32
    assert jnp.asarray([1, 2.0]).dtype == np.float32
    assert jnp.array((1, 2), dtype=jnp.float32).tolist() == [1.0, 2.0]
    assert jnp.asarray((X[0], X[1])).shape == (2, 3)
    assert jnp.zeros([2, 3]).shape == (2, 3) and jnp.full([2], 1.0).tolist() == [1.0, 1.0]
    stacked = jaxlite.jit(lambda v: jnp.array([v, 2 * v]))(jnp.ones(2))
    assert stacked.tolist() == [[1.0, 1.0], [2.0, 2.0]]


def test_sequences_jax_takes_elsewhere():
    assert X.at[0].set([1.0, 2.0, 3.0])[0].tolist() == [1.0, 2.0, 3.0]
    assert X.at[:, 0].add((1, 2))[:, 0].tolist() == [2.0, 3.0]
    assert bool(jnp.array_equal([1], [1])) and not bool(jnp.array_equal([1], [2]))
    assert X[[0, 1], [1, 2]].shape == (2,)
    for fn, expected in ((jnp.shape, (2,)), (jnp.ndim, 1), (jnp.size, 2)):
        with pytest.warns(DeprecationWarning, match="In a future JAX release this will be an"):
            assert fn([1, 2]) == expected


REFUSED = [
    (lambda: jnp.sum([1, 2]), "sum", "list", 0),
    (lambda: jnp.sum((1, 2)), "sum", "tuple", 0),
    (lambda: jnp.sin([1.0]), "sin", "list", 0),
    (lambda: jnp.add(1, [2]), "add", "list", 1),
    (lambda: jnp.where(X > 0, X, [1.0, 2.0, 3.0]), "where", "list", 2),
    (lambda: jnp.where([1, 0]), "where", "list", 0),
    (lambda: jnp.take(X, [0]), "take", "list", 1),
    (lambda: jnp.concatenate((X, [[1.0, 2.0, 3.0]])), "concatenate", "list", 1),
    (lambda: jnp.stack([X, [[1.0, 2.0, 3.0]] * 2]), "stack", "list", 1),
    (lambda: jnp.dot(X, [1.0, 2.0, 3.0]), "dot", "list", 1),
    (lambda: jnp.isclose(X, [1.0, 1.0, 1.0]), "isclose", "list", 1),
    (lambda: jnp.allclose([1.0], [1.0]), "allclose", "list", 0),
    (lambda: jnp.einsum("i,i", X[0], [1.0, 2.0, 3.0]), "einsum", "list", 1),
    (lambda: jnp.zeros_like([1, 2]), "zeros_like", "list", 0),
    (lambda: jnp.ones_like([1.0]), "ones_like", "list", 0),
    (lambda: jnp.empty_like([1.0]), "ones_like", "list", 0),
    (lambda: jnp.ravel([[1]]), "ravel", "list", 0),
    (lambda: jnp.ptp([1, 2]), "ptp", "list", 0),
    (lambda: jnp.divmod([2], 1), "divmod", "list", 0),
    (lambda: jnp.argmax([1, 2]), "argmax", "list", 0),
    (lambda: jnp.cumsum([1]), "cumsum", "list", 0),
    (lambda: jnp.reshape([1, 2], (2,)), "reshape", "list", 0),
    (lambda: jnp.transpose([[1, 2]]), "transpose", "list", 0),
    (lambda: jnp.var([1.0, 2.0]), "var", "list", 0),
    (lambda: jnp.take_along_axis(X, [[0]], 1), "take_along_axis", "list", 1),
]


@pytest.mark.parametrize("call,name,kind,position", REFUSED, ids=[r[1] for r in REFUSED])
def test_other_functions_refuse_sequences_as_jax(call, name, kind, position):
    message = (f"{name} requires ndarray or scalar arguments, got <class '{kind}'> at "
               f"position {position}.")
    with pytest.raises(TypeError, match=re.escape(message)):
        call()
    assert float(jnp.sum(X)) == 6.0


def test_operators_refuse_sequences():
    with pytest.raises(TypeError, match="unsupported operand type"):
        X[0] + [1, 2, 3]  # noqa: B018
    with pytest.raises(TypeError, match="non-tuple sequence for multidimensional indexing"):
        X[[0, 1]]  # noqa: B018
