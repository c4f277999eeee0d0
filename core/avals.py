"""Abstract values: what a tracer knows about an array without its contents.

``ShapedArray(shape, dtype, weak_type)`` prints as ``f32[3,4]``. Every value the IR
talks about has one; ``aval_of`` finds it for concrete inputs (NumPy arrays, Python
scalars, ``jaxlite.Array``).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from . import dtypes


class ShapedArray:
    """The shape, dtype and weak-typedness of an array value.

    Avals are interned: ``ShapedArray(shape, dtype, weak_type)`` returns the one object with
    those fields, so equality and hashing are by identity (fast: avals key many caches).
    """

    __slots__ = ("shape", "dtype", "weak_type")
    shape: tuple[int, ...]
    dtype: np.dtype
    weak_type: bool

    def __new__(cls, shape: tuple[int, ...], dtype: np.dtype, weak_type: bool = False):
        return shaped_array(shape, dtype, weak_type)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("ShapedArray is immutable")

    def __reduce__(self) -> tuple:
        return shaped_array, (self.shape, self.dtype, self.weak_type)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def strong(self) -> ShapedArray:
        return shaped_array(self.shape, self.dtype) if self.weak_type else self

    def str_short(self) -> str:
        return f"{dtypes.short_name(self.dtype)}[{','.join(map(str, self.shape))}]"

    def __str__(self) -> str:
        return self.str_short() + ("{weak}" if self.weak_type else "")

    def __repr__(self) -> str:
        return f"ShapedArray({self})"


_canonical: dict[tuple, ShapedArray] = {}  # (shape of ints, np.dtype, bool) -> the aval; never cleared
_interned: dict[tuple, ShapedArray] = {}  # the same, also under the keys callers pass


def shaped_array(shape: tuple[int, ...], dtype: np.dtype, weak_type: bool = False) -> ShapedArray:
    """The aval ``ShapedArray(shape, dtype, weak_type)``; the fast way to make one."""
    if type(shape) is not tuple:
        shape = tuple(shape)
    key = (shape, dtype, weak_type)
    aval = _interned.get(key)
    if aval is None:
        canonical = (tuple(int(d) for d in shape), np.dtype(dtype), bool(weak_type))
        aval = _canonical.get(canonical)
        if aval is None:
            aval = object.__new__(ShapedArray)
            for name, value in zip(ShapedArray.__slots__, canonical):
                object.__setattr__(aval, name, value)
            _canonical[canonical] = aval
        if len(_interned) > 100_000:
            _interned.clear()
        _interned[key] = aval
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
