"""``lax.reduce_window``: reductions over sliding windows, as JAX spells them.

``lax.add`` with init 0, ``lax.max`` with init -inf (the dtype's minimum) and ``lax.min``
with +inf bind the window-reduction primitives (whose max/min gradients go to one element
per window, as JAX's); any other computation is applied over the windows one offset at a
time (a slice of the padded operand each), so it differentiates and batches as its
operations do.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Sequence

import numpy as np

from ..core.trace import aval_of
from ..primitives import elementwise
from ..primitives.comparison import ge_p, le_p
from ..primitives.reduce_window import (
    identity,
    reduce_window_max_p,
    reduce_window_min_p,
    reduce_window_sum_p,
)
from ..primitives.shape import pad, slice
from ..primitives.structural import broadcast_in_dim, convert_element_type
from .lax_conv import padtype_to_pads


def _monoid_primitive(computation: Callable, init_value: Any, dtype: np.dtype):
    """The window-reduction primitive ``computation`` with ``init_value`` amounts to, or None."""
    try:
        value = np.asarray(init_value)
    except TypeError:  # a traced init value: only the generic path applies
        return None
    if value.shape != ():
        return None
    if computation is elementwise.add and value == 0:
        return reduce_window_sum_p
    if computation is elementwise.maximum and value == identity(ge_p, dtype):
        return reduce_window_max_p
    if computation is elementwise.minimum and value == identity(le_p, dtype):
        return reduce_window_min_p
    return None


def reduce_window(operand: Any, init_value: Any, computation: Callable,
                  window_dimensions: Sequence[int], window_strides: Sequence[int] | None = None,
                  padding: Any = "VALID", base_dilation: Sequence[int] | None = None,
                  window_dilation: Sequence[int] | None = None) -> Any:
    """Reduce each window of ``operand`` with ``computation``, starting from ``init_value``
    (also the value of padding and of the holes ``base_dilation`` makes).

    >>> reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")  # max pool
    """
    aval = aval_of(operand)
    n = len(aval.shape)
    window_dimensions = tuple(int(k) for k in window_dimensions)
    if len(window_dimensions) != n:
        raise TypeError("reduce_window got the wrong number of window_dimensions for operand: "
                        f"got operand shape {aval.shape} with window_dimensions "
                        f"{window_dimensions}.")
    strides = (1,) * n if window_strides is None else tuple(int(s) for s in window_strides)
    base = (1,) * n if base_dilation is None else tuple(int(b) for b in base_dilation)
    dilation = (1,) * n if window_dilation is None else tuple(int(d) for d in window_dilation)
    if isinstance(padding, str):
        reach = [1 + d * (k - 1) for k, d in zip(window_dimensions, dilation)]
        padding = padtype_to_pads(aval.shape, reach, strides, padding)
    padding = tuple((int(lo), int(hi)) for lo, hi in padding)
    params = {"window_dimensions": window_dimensions, "window_strides": strides,
              "padding": padding, "base_dilation": base, "window_dilation": dilation}
    prim = _monoid_primitive(computation, init_value, aval.dtype)
    if prim is not None:
        return prim.bind1(operand, **params)
    return _generic_reduce_window(operand, init_value, computation, **params)


def _generic_reduce_window(operand, init_value, computation, *, window_dimensions,
                           window_strides, padding, base_dilation, window_dilation):
    """``reduce_window`` of any binary ``computation``: the operand padded with the init
    value, then ``computation`` folded over one strided slice per window offset."""
    aval = aval_of(operand)
    init = convert_element_type(init_value, aval.dtype)
    padded = pad(operand, init, [(lo, hi, b - 1) for (lo, hi), b in zip(padding, base_dilation)])
    padded_shape = aval_of(padded).shape
    out_shape = [max(0, (m - (1 + d * (k - 1))) // s + 1) for m, k, d, s in
                 zip(padded_shape, window_dimensions, window_dilation, window_strides)]
    out = broadcast_in_dim(init, out_shape, ())
    if 0 in out_shape:
        return out
    for offset in itertools.product(*map(range, window_dimensions)):
        starts = [k * d for k, d in zip(offset, window_dilation)]
        limits = [a + (m - 1) * s + 1 for a, m, s in zip(starts, out_shape, window_strides)]
        out = computation(out, slice(padded, starts, limits, window_strides))
    return out


def reduce_window_shape_tuple(operand_shape: Sequence[int], window_dimensions: Sequence[int],
                              window_strides: Sequence[int], padding: Sequence[tuple[int, int]],
                              base_dilation: Sequence[int] | None = None,
                              window_dilation: Sequence[int] | None = None) -> tuple[int, ...]:
    """The output shape of ``reduce_window`` with explicit ``(low, high)`` padding."""
    n = len(operand_shape)
    base = base_dilation or (1,) * n
    dilation = window_dilation or (1,) * n
    shape = []
    for size, k, s, (lo, hi), b, d in zip(operand_shape, window_dimensions, window_strides,
                                          padding, base, dilation):
        padded = (0 if size == 0 else 1 + b * (size - 1)) + lo + hi
        reach = 1 + d * (k - 1)
        shape.append(0 if padded < reach else (padded - reach) // s + 1)
    return tuple(shape)


__all__ = ["reduce_window", "reduce_window_shape_tuple"]
