"""The products ``jnp.linalg`` adds to ``jnp``'s: ``multi_dot`` (in the cheapest order),
``outer`` (of vectors), ``cross`` (of 3-vectors) and ``matrix_transpose``.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from ..core.trace import aval_of
from ..primitives import matrices as mat
from ..primitives import shape as shape_ops
from . import manipulation, products, ufuncs
from ._util import array_operand


def _shape(x: Any) -> tuple[int, ...]:
    return aval_of(x).shape


def multi_dot(arrays: Sequence[Any], *, precision: Any = None) -> Any:
    """The product of a chain of matrices, in the order that costs the fewest multiplications;
    the first may be a row vector and the last a column vector (1-d)."""
    xs = [array_operand(x, "jnp.linalg.multi_dot") for x in arrays]
    if len(xs) < 2:
        raise ValueError(f"multi_dot requires at least two arrays; got len(arrays)={len(xs)}")
    shapes = [_shape(x) for x in xs]
    if not (len(shapes[0]) in (1, 2) and len(shapes[-1]) in (1, 2)
            and all(len(s) == 2 for s in shapes[1:-1])):
        raise ValueError("multi_dot: input arrays must all be two-dimensional, except for the "
                         "first and last array which may be 1 or 2 dimensional. Got array "
                         f"shapes {shapes}")
    if any(s[-1] != t[0] for s, t in zip(shapes[:-1], shapes[1:])):
        raise ValueError("multi_dot: last dimension of each array must match first dimension "
                         f"of following array. Got array shapes {shapes}")
    # the chain's dimensions: a 1-d first array is a row, a 1-d last one a column
    dims = [shapes[0][0] if len(shapes[0]) == 2 else 1, *(s[-1] for s in shapes[:-1]),
            shapes[-1][-1] if len(shapes[-1]) == 2 else 1]
    order = _chain_order(dims)

    def product(i: int, j: int) -> Any:
        if i == j:
            return xs[i]
        k = order[i][j]
        return products.dot(product(i, k), product(k + 1, j))

    return product(0, len(xs) - 1)


def _chain_order(dims: list[int]) -> list[list[int]]:
    """The split points of the cheapest parenthesisation of a chain of matrices with
    ``dims[i] x dims[i + 1]`` (the textbook dynamic programme)."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = math.inf
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def outer(x1: Any, x2: Any, /) -> Any:
    """The outer product of two vectors."""
    a, b = (array_operand(x, "jnp.linalg.outer") for x in (x1, x2))
    if len(_shape(a)) != 1 or len(_shape(b)) != 1:
        raise ValueError(f"Input arrays must be one-dimensional, but they are "
                         f"x1.ndim={len(_shape(a))} x2.ndim={len(_shape(b))}")
    return ufuncs.multiply(shape_ops.reshape(a, (_shape(a)[0], 1)),
                           shape_ops.reshape(b, (1, _shape(b)[0])))


def _component(v: Any, i: int) -> Any:
    """``v[..., i:i + 1]``."""
    shape = _shape(v)
    return shape_ops.slice(v, (0,) * (len(shape) - 1) + (i,), (*shape[:-1], i + 1))


def cross(x1: Any, x2: Any, /, *, axis: int = -1) -> Any:
    """Cross products of 3-vectors along ``axis`` (other axes broadcast)."""
    a, b = (array_operand(x, "jnp.linalg.cross") for x in (x1, x2))
    size_a, size_b = _shape(a)[axis], _shape(b)[axis]
    if size_a != 3 or size_b != 3:
        raise ValueError("Both input arrays must be (arrays of) 3-dimensional vectors, but they "
                         f"have x1.shape[axis]={size_a} and x2.shape[axis]={size_b}")
    a, b = manipulation.moveaxis(a, axis, -1), manipulation.moveaxis(b, axis, -1)
    ai, bi = [_component(a, i) for i in range(3)], [_component(b, i) for i in range(3)]

    def minor(i: int, j: int) -> Any:
        return ufuncs.subtract(ufuncs.multiply(ai[i], bi[j]), ufuncs.multiply(ai[j], bi[i]))

    c = manipulation.concatenate([minor(1, 2), minor(2, 0), minor(0, 1)], axis=-1)
    return manipulation.moveaxis(c, -1, axis)


def matrix_transpose(x: Any, /) -> Any:
    """The matrix transpose: the last two axes swapped."""
    a = array_operand(x, "jnp.linalg.matrix_transpose")
    if len(_shape(a)) < 2:
        raise ValueError(f"matrix_transpose requires at least 2 dimensions; got "
                         f"ndim={len(_shape(a))}")
    return mat.mT(a)
