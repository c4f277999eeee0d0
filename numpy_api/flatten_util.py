"""``jaxlite.flatten_util``, as ``jax.flatten_util``: a pytree of arrays as one flat vector.

``flat, unravel = ravel_pytree(params)`` concatenates the raveled leaves (in their common
dtype, as ``jnp.result_type`` gives it) and ``unravel(flat)`` rebuilds ``params``, each leaf
in its own shape and dtype. Works on tracers too, so it can sit inside ``grad`` and ``jit``.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from ..core.trace import aval_of
from ..core.tree_util import PyTreeDef, tree_flatten
from ..primitives import shape as shape_ops
from ..primitives.structural import convert_element_type
from ._util import promote_types
from .creation import asarray
from .manipulation import concatenate, ravel, reshape


def ravel_pytree(pytree: Any) -> tuple[Any, Callable[[Any], Any]]:
    """``(flat, unravel)``: the leaves of ``pytree`` raveled and concatenated into a 1-d
    array, and the function taking such an array back to a pytree like ``pytree``."""
    leaves, treedef = tree_flatten(pytree)
    leaves = [asarray(x) for x in leaves]
    avals = [aval_of(x) for x in leaves]
    if not leaves:
        flat = asarray(np.zeros((0,), np.float32))
    else:
        dtype, _ = promote_types(*leaves)
        flat = concatenate([ravel(convert_element_type(x, dtype)) for x in leaves])
    layout = tuple((a.shape, a.dtype) for a in avals)
    return flat, functools.partial(_unravel, treedef, layout, aval_of(flat))


def _unravel(treedef: PyTreeDef, layout: tuple, flat_aval: Any, flat: Any) -> Any:
    aval = aval_of(flat)
    if aval.shape != flat_aval.shape:
        raise ValueError(f"The unravel function expected an array of shape {flat_aval.shape}, "
                         f"got shape {aval.shape}")
    if aval.dtype != flat_aval.dtype:
        raise TypeError(f"unravel function given array of dtype {aval.dtype}, but expected "
                        f"dtype {flat_aval.dtype}")
    leaves, start = [], 0
    for shape, dtype in layout:
        size = int(np.prod(shape, dtype=np.int64))
        piece = reshape(shape_ops.slice(flat, (start,), (start + size,)), shape)
        leaves.append(convert_element_type(piece, dtype))
        start += size
    return treedef.unflatten(leaves)
