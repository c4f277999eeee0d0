"""Basic indexing (``x[1, 2:5, ::-1, None, ...]``) and the ``.at[]`` updater.

An index made of integers, slices, ``None`` and ``Ellipsis`` selects a strided box of
the array: reading it is ``slice`` (+ ``rev`` for negative steps) then ``squeeze`` and
``expand_dims``; updating it pads the update to the array's shape and combines, so
every update is differentiable and batchable with the primitives' own rules.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from ..core import dtypes
from ..core.trace import ARRAY_TYPES, aval_of
from ..primitives import comparison as cmp
from ..primitives import shape as shape_ops
from ..primitives.structural import convert_element_type
from . import ufuncs
from ._util import array_operand, broadcast_to_shape


@attrs.frozen
class Box:
    """A strided box of an array: per axis (start, size, step), and which axes were integers."""

    starts: tuple[int, ...]
    sizes: tuple[int, ...]
    steps: tuple[int, ...]
    int_axes: tuple[int, ...]
    new_axes: tuple[int, ...]  # positions of None in the result


def _index_error(message: str) -> IndexError:
    return IndexError(message + "; jaxlite supports integers, slices, None and ... as indices")


def _static_int(i: Any, axis: int) -> int | None:
    if isinstance(i, (bool, np.bool_)):
        raise _index_error("boolean indices are not supported")
    if isinstance(i, (int, np.integer)):
        return int(i)
    if type(i) in ARRAY_TYPES and aval_of(i).shape == () and dtypes.is_integer(aval_of(i).dtype):
        return i.__index__()  # a tracer without a value raises ConcretizationError here
    return None


def parse_index(shape: tuple[int, ...], index: Any) -> Box:
    """The box an index selects, or an IndexError saying what is not supported."""
    index = index if isinstance(index, tuple) else (index,)
    if sum(i is Ellipsis for i in index) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    consumed = sum(i is not None and i is not Ellipsis for i in index)
    if consumed > len(shape):
        raise IndexError(f"too many indices for array: array is {len(shape)}-dimensional, "
                         f"but {consumed} were indexed")
    fill = (slice(None),) * (len(shape) - consumed)
    at = next((k for k, i in enumerate(index) if i is Ellipsis), len(index))
    index = index[:at] + fill + index[at + 1:]
    starts, sizes, steps, int_axes, new_axes = [], [], [], [], []
    axis, out_pos = 0, 0
    for i in index:
        if i is None:
            new_axes.append(out_pos)
            out_pos += 1
            continue
        n = shape[axis]
        value = _static_int(i, axis)
        if value is not None:
            if not -n <= value < n:
                raise IndexError(f"index {value} is out of bounds for axis {axis} with size {n}")
            starts.append(value % n), sizes.append(1), steps.append(1), int_axes.append(axis)
        elif isinstance(i, slice):
            start, stop, step = (_slice_part(p) for p in (i.start, i.stop, i.step))
            start, stop, step = slice(start, stop, step).indices(n)
            size = len(range(start, stop, step))
            starts.append(start if size else 0), sizes.append(size), steps.append(step)
            out_pos += 1
        elif _is_inexact_index(i):
            raise TypeError(f"Indexer must have integer or boolean type, got {i!r}")
        else:
            raise _index_error(f"indexing with {type(i).__name__} ({i!r}) is not supported yet")
        axis += 1
    return Box(tuple(starts), tuple(sizes), tuple(steps), tuple(int_axes), tuple(new_axes))


def _is_inexact_index(i: Any) -> bool:
    """A float (or float array) used as an index: a TypeError, as in JAX."""
    if type(i) in ARRAY_TYPES:
        return dtypes.is_inexact(aval_of(i).dtype)
    return isinstance(i, (float, complex, np.inexact))


def _slice_part(p: Any) -> int | None:
    if p is None:
        return None
    value = _static_int(p, 0)
    if value is None:
        raise _index_error(f"slice bounds must be integers, got {p!r}")
    return value


def _positive_box(box: Box) -> tuple[list, list, list, list]:
    """Start, limit and positive step per axis, and the axes whose order is reversed."""
    starts, limits, steps, reversed_axes = [], [], [], []
    for axis, (start, size, step) in enumerate(zip(box.starts, box.sizes, box.steps)):
        if step < 0 and size:
            start, step = start + (size - 1) * step, -step
            reversed_axes.append(axis)
        starts.append(start)
        limits.append(start + (size - 1) * step + 1 if size else start)
        steps.append(step)
    return starts, limits, steps, reversed_axes


def getitem(x: Any, index: Any) -> Any:
    """``x[index]`` for basic indices."""
    x = array_operand(x, "indexing")
    shape = aval_of(x).shape
    box = parse_index(shape, index)
    starts, limits, steps, reversed_axes = _positive_box(box)
    if starts != [0] * len(shape) or limits != list(shape) or any(s != 1 for s in steps):
        x = shape_ops.slice(x, starts, limits, steps)
    if reversed_axes:
        x = shape_ops.rev(x, reversed_axes)
    if box.int_axes:
        x = shape_ops.squeeze(x, box.int_axes)
    if box.new_axes:
        x = shape_ops.expand_dims(x, box.new_axes)
    return x


def _placement(shape: tuple[int, ...], index: Any) -> tuple[Box, list, list]:
    """The box ``index`` selects, the ``pad`` config (low, high, interior per axis) that puts
    an array of the box's shape back in its place, and the axes the box reverses."""
    box = parse_index(shape, index)
    starts, limits, steps, reversed_axes = _positive_box(box)
    config = [(lo, n - hi, step - 1) for lo, hi, n, step in zip(starts, limits, shape, steps)]
    return box, config, reversed_axes


def _scatter(x: Any, index: Any, update: Any, fill: Any) -> Any:
    """The update placed in the box of ``x`` that ``index`` selects, padded with ``fill``."""
    box, config, reversed_axes = _placement(aval_of(x).shape, index)
    selected = [s for i, s in enumerate(box.sizes) if i not in box.int_axes]
    for position in box.new_axes:  # the update has the shape of x[index], None axes included
        selected.insert(position, 1)
    update = shape_ops.reshape(broadcast_to_shape(update, tuple(selected)), box.sizes)
    if reversed_axes:
        update = shape_ops.rev(update, reversed_axes)
    return shape_ops.pad(update, fill, config)


def _mask(x: Any, index: Any) -> Any:
    """A boolean array of ``x``'s shape, true inside the box ``index`` selects."""
    box, config, _ = _placement(aval_of(x).shape, index)
    return shape_ops.pad(np.ones(box.sizes, bool), np.zeros((), bool), config)


def _fill(dtype: np.dtype, value: float) -> Any:
    if value in (np.inf, -np.inf) and not dtypes.is_inexact(dtype):
        info = np.iinfo(dtype) if dtype != dtypes.bool_ else None
        value = (info.max if value > 0 else info.min) if info else value > 0
    return np.asarray(value, dtype)


@attrs.frozen
class IndexUpdateRef:
    """``x.at[index]``: functional updates of the selected elements."""

    array: Any
    index: Any

    def _operands(self, values: Any) -> tuple[Any, Any]:
        """The array, and the values in its dtype (updates never promote, as in JAX)."""
        x = array_operand(self.array, "at[]")
        values = array_operand(values, "at[]")
        dtype = aval_of(x).dtype
        if aval_of(values).dtype != dtype:
            values = convert_element_type(values, dtype)
        return x, values

    def get(self) -> Any:
        """``x[index]``, as plain indexing reads it."""
        return getitem(self.array, self.index)

    def set(self, values: Any) -> Any:
        """A copy of the array with ``x[index] = values`` (values broadcast, cast to its dtype)."""
        x, values = self._operands(values)
        padded = _scatter(x, self.index, values, _fill(aval_of(x).dtype, 0))
        return cmp.select_n(_mask(x, self.index), x, padded)

    def _combine(self, values: Any, fill: float, combine: Any) -> Any:
        """``combine(x, values)`` inside the box; ``fill`` is the identity of ``combine``."""
        x, values = self._operands(values)
        padded = _scatter(x, self.index, values, _fill(aval_of(x).dtype, fill))
        return combine(x, padded)

    def add(self, values: Any) -> Any:
        """A copy of the array with ``x[index] += values``."""
        return self._combine(values, 0, ufuncs.add)

    def subtract(self, values: Any) -> Any:
        """A copy of the array with ``x[index] -= values``."""
        return self._combine(values, 0, ufuncs.subtract)

    def multiply(self, values: Any) -> Any:
        """A copy of the array with ``x[index] *= values``."""
        return self._combine(values, 1, ufuncs.multiply)

    def divide(self, values: Any) -> Any:
        """A copy of the array with ``x[index] /= values``."""
        return self._combine(values, 1, ufuncs.divide)

    def min(self, values: Any) -> Any:
        """A copy of the array with ``x[index] = minimum(x[index], values)``."""
        return self._combine(values, np.inf, ufuncs.minimum)

    def max(self, values: Any) -> Any:
        """A copy of the array with ``x[index] = maximum(x[index], values)``."""
        return self._combine(values, -np.inf, ufuncs.maximum)


@attrs.frozen
class IndexUpdateHelper:
    """The ``x.at`` property: index it to get an ``IndexUpdateRef``."""

    array: Any

    def __getitem__(self, index: Any) -> IndexUpdateRef:
        return IndexUpdateRef(self.array, index)
