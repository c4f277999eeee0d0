"""``lax.dot_general``, ``lax.dot`` and ``lax.batch_matmul`` with JAX's signatures.

``precision`` is checked and accepted (NumPy computes at full precision on the CPU);
``preferred_element_type`` is the dtype the product accumulates in and returns.
"""

from __future__ import annotations

from typing import Any

from ..core.trace import aval_of
from ..primitives.linalg import dot_general as _bind_dot_general
from ..primitives.precision import canonicalize_precision


def dot_general(lhs: Any, rhs: Any, dimension_numbers: Any, precision: Any = None,
                preferred_element_type: Any = None) -> Any:
    """The general contraction: ``dimension_numbers = ((lhs_contract, rhs_contract),
    (lhs_batch, rhs_batch))``; output axes are batch, lhs free, then rhs free."""
    canonicalize_precision(precision)
    return _bind_dot_general(lhs, rhs, dimension_numbers, preferred_element_type)


def dot(lhs: Any, rhs: Any, precision: Any = None, preferred_element_type: Any = None) -> Any:
    """Vector-vector, matrix-vector or matrix-matrix product.

    Raises:
        ValueError: the operands are not vectors or matrices with matching inner sizes.
    """
    x, y = aval_of(lhs).shape, aval_of(rhs).shape
    if not (1 <= len(x) <= 2 and 1 <= len(y) <= 2 and x[-1] == y[0]):
        raise ValueError("jax.lax.dot: dimension_numbers must be specified when not performing "
                         "simple un-batched matrix-matrix, matrix-vector, or vector-vector "
                         f"products; got lhs_shape={x} rhs_shape={y}")
    return dot_general(lhs, rhs, (((len(x) - 1,), (0,)), ((), ())), precision,
                       preferred_element_type)


def batch_matmul(lhs: Any, rhs: Any, precision: Any = None) -> Any:
    """Matrix products over the leading (batch) axes, which must agree."""
    x, y = aval_of(lhs).shape, aval_of(rhs).shape
    if len(x) != len(y) or len(x) < 2 or x[:-2] != y[:-2] or x[-1] != y[-2]:
        raise ValueError("batch_matmul requires operands of one rank (at least 2) with equal "
                         f"batch axes and matching inner sizes, got {x} and {y}")
    batch = tuple(range(len(x) - 2))
    return dot_general(lhs, rhs, (((len(x) - 1,), (len(y) - 2,)), (batch, batch)), precision)


__all__ = ["batch_matmul", "dot", "dot_general"]
