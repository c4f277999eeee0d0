"""Abstract values: what a tracer knows about an array without its contents.

``ShapedArray(shape, dtype, weak_type)`` prints as ``f32[3,4]``. Every value the IR
talks about has one; ``aval_of`` finds it for concrete inputs (NumPy arrays, Python
scalars, ``jaxlite.Array``).
"""

from __future__ import annotations

import math
import numbers

import attrs
import numpy as np

from . import dtypes


@attrs.frozen(slots=True, cache_hash=True)
class ShapedArray:
    """The shape, dtype and weak-typedness of an array value."""

    shape: tuple[int, ...]
    dtype: np.dtype
    weak_type: bool = False

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def strong(self) -> ShapedArray:
        return ShapedArray(self.shape, self.dtype) if self.weak_type else self

    def str_short(self) -> str:
        return f"{dtypes.short_name(self.dtype)}[{','.join(map(str, self.shape))}]"

    def __str__(self) -> str:
        return self.str_short() + ("{weak}" if self.weak_type else "")

    def __repr__(self) -> str:
        return f"ShapedArray({self})"


_interned: dict[tuple, ShapedArray] = {}


def shaped_array(shape: tuple[int, ...], dtype: np.dtype, weak_type: bool = False) -> ShapedArray:
    """``ShapedArray(shape, dtype, weak_type)``, shared: hot paths build avals this way."""
    if type(shape) is not tuple:
        shape = tuple(shape)
    key = (shape, dtype, weak_type)
    aval = _interned.get(key)
    if aval is None:
        if len(_interned) > 100_000:
            _interned.clear()
        aval = _interned[key] = ShapedArray(tuple(shape), np.dtype(dtype), bool(weak_type))
    return aval


def scalar_aval(value: object) -> ShapedArray:
    """The aval of a Python scalar: weakly typed unless it is a bool."""
    key = (type(value), dtypes.default_float())
    aval = _scalar_avals.get(key)
    if aval is None:
        aval = shaped_array((), dtypes.python_scalar_dtype(value), not isinstance(value, bool))
        _scalar_avals[key] = aval
    return aval


_scalar_avals: dict[tuple, ShapedArray] = {}


def is_python_scalar(value: object) -> bool:
    """A Python number (int, float, bool, complex or a subclass), not a NumPy scalar."""
    kind = type(value)
    result = _python_scalar_types.get(kind)
    if result is None:
        result = _python_scalar_types[kind] = issubclass(kind, numbers.Number) and not \
            issubclass(kind, (np.generic, np.ndarray))
    return result


_python_scalar_types: dict[type, bool] = {int: True, float: True, bool: True, complex: True}


def aval_of_numpy(value: np.ndarray | np.generic) -> ShapedArray:
    return shaped_array(value.shape, value.dtype, False)
