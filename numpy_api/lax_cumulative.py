"""``lax.cumsum``, ``cumprod``, ``cummax``, ``cummin`` and ``cumlogsumexp``: running
reductions along one (non-negative) axis, with JAX's argument checks."""

from __future__ import annotations

from typing import Any, Callable

from ..core.trace import aval_of
from ..primitives import cumulative
from ._util import as_operand


def _lax_cumulative(name: str, bind: Callable[[Any, int, bool], Any]) -> Callable:
    def fn(operand: Any, axis: int = 0, reverse: bool = False) -> Any:
        x = as_operand(operand, f"lax.{name}")
        axis = int(axis)
        if axis < 0:
            raise ValueError("XLA operations do not allow negative axes")
        shape = aval_of(x).shape
        if axis >= len(shape):
            raise ValueError(f"axis {axis} is out of bounds for array of shape {shape}")
        return bind(x, axis, bool(reverse))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"``lax.{name}``: the running {name[3:]} along ``axis`` (from the end with " \
                 "``reverse``)."
    return fn


cumsum = _lax_cumulative("cumsum", cumulative.cumsum)
cumprod = _lax_cumulative("cumprod", cumulative.cumprod)
cummax = _lax_cumulative("cummax", cumulative.cummax)
cummin = _lax_cumulative("cummin", cumulative.cummin)
cumlogsumexp = _lax_cumulative("cumlogsumexp", cumulative.cumlogsumexp)
