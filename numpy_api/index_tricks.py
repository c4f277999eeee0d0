"""``jnp.r_`` and ``jnp.c_``: arrays concatenated with index syntax, ``jnp.r_[0:3, 5, x]``.

A slice ``start:stop:step`` stands for ``arange`` (``linspace`` with ``num=abs(step)`` when
the step is imaginary, ``0:1:5j``); scalars and arrays join as they are. A leading string
directive ``"axis,ndmin,trans1d"`` sets the axis to join along, the least number of axes
each piece is given, and where a piece's own axes go when it is given more; ``"r"`` and
``"c"`` make a flat result a row or a column.
"""

from __future__ import annotations

from typing import Any

from ..core.trace import aval_of
from ..primitives import shape as shape_ops
from ..primitives.structural import transpose
from .creation import arange, array, linspace
from .manipulation import concatenate, expand_dims


def _grid_from_slice(s: slice) -> Any:
    start = 0 if s.start is None else s.start
    step = 1 if s.step is None else s.step
    if isinstance(step, complex):
        return linspace(start, s.stop, int(abs(step)))
    return arange(start, s.stop, step)


def _directive(text: str, params: list[int]) -> list[int]:
    """The (axis, ndmin, trans1d, matrix) a leading string sets; unset entries keep ``params``."""
    if text in ("r", "c"):
        return [*params[:3], 0 if text == "r" else 1]
    given = text.split(",")
    try:
        values = [int(v) for v in given[:3]]
    except ValueError:
        raise ValueError(f"could not understand directive {text!r}") from None
    return values + params[len(values):3] + [params[3]]


def _with_ndmin(x: Any, ndmin: int, trans1d: int, own_ndim: int) -> Any:
    """``x`` with leading unit axes up to ``ndmin``; with ``trans1d`` != -1 its own axes are
    rotated to start at position ``trans1d`` (counted from the end when negative)."""
    shape = aval_of(x).shape
    if len(shape) < ndmin:
        x = shape_ops.reshape(x, (1,) * (ndmin - len(shape)) + shape)
    if trans1d != -1 and ndmin - own_ndim > 0:
        shift = ndmin - abs(ndmin + trans1d + 1) % ndmin
        order = list(range(ndmin))
        x = transpose(x, tuple(order[shift:] + order[:shift]))
    return x


class _Concatenator:
    """Concatenation of slices, scalars and arrays along an axis, by ``obj[...]``."""

    def __init__(self, axis: int, ndmin: int, trans1d: int, name: str) -> None:
        self.axis, self.ndmin, self.trans1d, self.name = axis, ndmin, trans1d, name

    def __getitem__(self, key: Any) -> Any:
        items = key if isinstance(key, tuple) else (key,)
        params = [self.axis, self.ndmin, self.trans1d, -1]
        if items and isinstance(items[0], str):
            params, items = _directive(items[0], params), items[1:]
        axis, ndmin, trans1d, matrix = params
        pieces = []
        for item in items:
            if isinstance(item, str):
                raise ValueError("string directive must be placed at the beginning")
            if isinstance(item, slice):
                piece, own_ndim = _grid_from_slice(item), 0
            else:
                piece = array(item)
                own_ndim = aval_of(piece).ndim
            pieces.append(_with_ndmin(piece, ndmin, trans1d, own_ndim))
        out = concatenate(pieces, axis)
        if matrix != -1 and aval_of(out).ndim == 1:
            out = expand_dims(out, matrix)
        return out

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return f"jaxlite.numpy.{self.name}"


r_ = _Concatenator(0, 1, -1, "r_")
c_ = _Concatenator(-1, 2, 0, "c_")
