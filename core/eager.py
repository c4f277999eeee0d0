"""Evaluation with no trace active: primitives applied to NumPy values right away.

``eval_eager`` is what ``bind`` does when no trace is current; ``bind_in`` binds in a
given trace (or eagerly) whatever trace is current. Also here: the classification of
concrete operands (Arrays, NumPy values, Python scalars and the literals they become).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from . import dtypes
from .array import Array
from .avals import ShapedArray, aval_of_numpy, is_python_scalar, scalar_aval, shaped_array
from .cache import bounded_cache, cache_put
from .ir import Literal
from .trace import Trace, Tracer, canonicalize_numpy, check_visible, thread_state

if TYPE_CHECKING:
    from .primitive import Primitive

_state = thread_state()


def bind_in(trace: Trace | None, prim: Primitive, args: Sequence[Any], params: dict) -> list:
    """Bind ``prim`` in ``trace`` (eagerly when it is None), whatever trace is current."""
    previous = _state.trace
    _state.trace = trace
    try:
        return trace.process(prim, args, params) if trace is not None else eval_eager(prim, args, params)
    finally:
        _state.trace = previous


_literal_cache: dict = bounded_cache(f"{__name__}._literal_cache", 4096)


def python_literal(x: Any) -> Literal:
    """The literal of a Python scalar: weakly typed, of the default dtype of its kind."""
    key = (type(x), x, dtypes.default_float())
    literal = _literal_cache.get(key)
    if literal is None or (x == 0 and type(x) is float):  # keep -0.0 and 0.0 apart
        aval = scalar_aval(x)
        literal = Literal(np.asarray(x, aval.dtype)[()], aval)
        cache_put(_literal_cache, key, literal)
    return literal


def checked_impl(prim: Primitive, vals: list, params: dict, out_avals: list) -> list:
    """Run ``impl``; its results become NumPy arrays of exactly the avals' dtypes.

    (0-d results come back from NumPy as scalars; they are made 0-d arrays again, since
    NumPy computes on scalars several times slower than on 0-d arrays.)
    """
    return _checked(prim.impl(*vals, **params), out_avals)


def _checked(outs: list, out_avals: Sequence[ShapedArray]) -> list:
    for i, out in enumerate(outs):
        dtype = out_avals[i].dtype
        if type(out) is not np.ndarray or (out.dtype is not dtype and out.dtype != dtype):
            outs[i] = np.asarray(out, dtype)
    return outs


def concrete_operand(x: Any, where: str) -> tuple[Any, Any, ShapedArray]:
    """An operand that is not a tracer of the current trace, classified: what rules are handed
    for it (a Literal for a scalar), its NumPy value, and its aval."""
    kind = type(x)
    if kind is Array:
        return x, x._value, x.aval
    if kind is Literal:
        return x, x.value, x.aval
    if kind is Tracer:
        check_visible(x, None, where)
    if isinstance(x, (np.ndarray, np.generic)):
        value = canonicalize_numpy(x)
        return value, value, aval_of_numpy(value)
    if is_python_scalar(x):
        literal = python_literal(x)
        return literal, literal.value, literal.aval
    raise TypeError(f"Value {x!r} of type {type(x).__name__} is not a valid jaxlite type")


def eval_eager(prim: Primitive, args: Sequence[Any], params: dict) -> list[Array]:
    """Apply ``prim`` to concrete operands now, returning ``jaxlite.Array`` results."""
    vals, avals = [], []
    for x in args:
        kind = type(x)
        if kind is Array:
            vals.append(x._value)
            avals.append(x.aval)
        elif kind is Literal:
            vals.append(x.value)
            avals.append(x.aval)
        elif kind is np.ndarray and dtypes.is_canonical(x.dtype):  # our own values
            vals.append(x)
            avals.append(shaped_array(x.shape, x.dtype))
        else:
            _, val, aval = concrete_operand(x, prim.name)
            vals.append(val)
            avals.append(aval)
    out_avals = prim.abstract_eval(*avals, **params)
    outs = prim.impl(*vals, **params)
    if len(outs) == 1:  # the common case, without the loops of checked_impl
        out, aval = outs[0], out_avals[0]
        dtype = aval.dtype
        if type(out) is not np.ndarray or (out.dtype is not dtype and out.dtype != dtype):
            out = np.asarray(out, dtype)
        return [Array(out, aval.weak_type, aval)]
    outs = _checked(outs, out_avals)
    return [Array(out, aval.weak_type, aval) for out, aval in zip(outs, out_avals)]
