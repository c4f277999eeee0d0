"""``lu_pivots_to_permutation``: LAPACK's row swaps as the permutation they make.

``pivots`` (..., k), int32, say that row ``i`` was swapped with row ``pivots[i]`` at step
``i`` (as ``lu`` reports them); the result (..., permutation_size) lists the rows in their
final order, ``(P A)[i] = A[permutation[i]]``. Integer-valued: its derivative is zero.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.avals import shaped_array
from ..core.primitive import NOT_LINEAR, Primitive
from . import lapack
from .combinators import cached_shape_rule, shape_error, zero_jvp
from .structural import moveaxis


def _impl(pivots, *, permutation_size):
    return [lapack.pivots_to_permutation(np.asarray(pivots), permutation_size)]


def _shape(pivots, *, permutation_size):
    if pivots.ndim < 1 or pivots.dtype != dtypes.int32 or pivots.shape[-1] > permutation_size:
        raise shape_error("lu_pivots_to_permutation", "needs int32 pivots (..., k) with k at "
                          f"most permutation_size={permutation_size}", [pivots])
    return [shaped_array(pivots.shape[:-1] + (permutation_size,), dtypes.int32)]


def _batch(args, dims, *, permutation_size):
    (pivots,), (d,) = args, dims
    return [lu_pivots_to_permutation_p.bind1(moveaxis(pivots, d, 0),
                                             permutation_size=permutation_size)], [0]


lu_pivots_to_permutation_p = Primitive(
    "lu_pivots_to_permutation",
    impl=_impl,
    abstract_eval=cached_shape_rule(_shape),
    jvp=zero_jvp,
    transpose=NOT_LINEAR,
    batch=_batch,
)


def lu_pivots_to_permutation(pivots: Any, permutation_size: int) -> Any:
    """The permutation (..., permutation_size) that the row swaps ``pivots`` make."""
    return lu_pivots_to_permutation_p.bind1(pivots, permutation_size=int(permutation_size))
