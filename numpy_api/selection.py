"""Choosing among several arrays by conditions: ``select`` and ``piecewise``.

``select`` takes, elementwise, the choice of the first condition that holds (``default``
where none does) with one ``select_n`` over all the choices. ``piecewise`` applies to each
element of ``x`` the function (or constant) of the last condition that holds, the default
(or 0) where none does; as in JAX, each function sees one element at a time: a ``switch``
mapped over the elements (under ``vmap`` it evaluates every piece and selects).
"""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..interpreters.transforms import vmap
from ..primitives import comparison as cmp
from ..primitives import cumulative
from ..primitives import reductions as red
from ..primitives import shape as shape_ops
from ..primitives.cond import switch
from ..primitives.structural import convert_element_type
from . import creation
from ._util import array_operand, as_operand, broadcast_shapes, broadcast_to_shape, promote


def _stacked_conditions(conditions: Sequence[Any], shape: tuple[int, ...]) -> Any:
    """The conditions as booleans, broadcast to ``shape`` and stacked on a new first axis
    after an all-false row."""
    rows = [shape_ops.full(shape, False, np.bool_)]
    for c in conditions:
        c = array_operand(c, "select")
        if aval_of(c).dtype != dtypes.bool_:
            c = convert_element_type(c, dtypes.bool_)
        rows.append(shape_ops.expand_dims(broadcast_to_shape(c, shape), (0,)))
    rows[0] = shape_ops.expand_dims(rows[0], (0,))
    return shape_ops.concatenate(rows, 0)


def select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> Any:
    """Elementwise, ``choicelist[i]`` for the first ``condlist[i]`` that holds, else
    ``default``."""
    if len(condlist) != len(choicelist):
        raise ValueError(f"condlist must have length equal to choicelist ({len(condlist)} vs "
                         f"{len(choicelist)})")
    if len(condlist) == 0:
        raise ValueError("condlist must be non-empty")
    conditions = [array_operand(c, "select") for c in condlist]
    choices = promote(*[array_operand(c, "select") for c in (default, *choicelist)])
    shape = broadcast_shapes(*[aval_of(a).shape for a in (*conditions, *choices)],
                             name="select")
    stacked = _stacked_conditions(conditions, shape)
    which = red.argmax(stacked, 0, np.int32)  # 0 (the default) where no condition holds
    return cmp.select_n(which, *[broadcast_to_shape(c, shape) for c in choices])


def piecewise(x: Any, condlist: Any, funclist: Sequence[Any], *args: Any, **kw: Any) -> Any:
    """Each element of ``x`` through the piece of the last condition that holds for it: a
    function (called as ``f(element, *args, **kw)``) or a constant; ``funclist`` may have one
    more entry, the default for elements where no condition holds (else 0)."""
    x = array_operand(x, "piecewise")
    conditions = _conditions(condlist, aval_of(x).shape)
    nc, nf = aval_of(conditions).shape[0], len(funclist)
    if nf == nc + 1:
        pieces = [funclist[-1], *funclist[:-1]]
    elif nf == nc:
        pieces = [0, *funclist]
    else:
        raise ValueError(f"with {nc} condition(s), either {nc} or {nc + 1} functions are "
                         f"expected; got {nf}")
    dtype = aval_of(x).dtype
    branches = [_branch(p, dtype, args, kw) for p in pieces]
    shape, size = aval_of(x).shape, math.prod(aval_of(x).shape)
    if size == 0:
        return shape_ops.full(shape, 0, dtype)
    stacked = shape_ops.concatenate(
        [shape_ops.full((1,) + shape, 0, np.int32), convert_element_type(conditions, np.int32)], 0)
    which = red.argmax(cumulative.cumsum(stacked, 0), 0, np.int32)  # the last that holds
    flat = vmap(lambda i, v: switch(i, branches, v))(shape_ops.reshape(which, (size,)),
                                                    shape_ops.reshape(x, (size,)))
    return shape_ops.reshape(flat, shape)


def _conditions(condlist: Any, shape: tuple[int, ...]) -> Any:
    """The conditions as one boolean array of shape ``(n, *shape)``."""
    if isinstance(condlist, (list, tuple)):
        rows = [array_operand(c, "piecewise") for c in condlist]
        rows = [shape_ops.expand_dims(broadcast_to_shape(
            c if aval_of(c).dtype == dtypes.bool_ else convert_element_type(c, dtypes.bool_),
            shape), (0,)) for c in rows]
        if not rows:
            return shape_ops.full((0,) + shape, False, np.bool_)
        return shape_ops.concatenate(rows, 0)
    c = as_operand(condlist, "piecewise")
    c = c if aval_of(c).dtype == dtypes.bool_ else convert_element_type(c, dtypes.bool_)
    return c if aval_of(c).ndim > len(shape) else shape_ops.expand_dims(
        broadcast_to_shape(c, shape), (0,))


def _branch(piece: Any, dtype: np.dtype, args: tuple, kw: dict) -> Callable[[Any], Any]:
    """One piece as a function of an element, returning ``dtype``."""
    if callable(piece):
        return lambda v: convert_element_type(
            array_operand(piece(v, *args, **kw), "piecewise"), dtype)
    constant = creation.asarray(piece, dtype)
    return lambda v: constant
