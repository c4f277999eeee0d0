"""Abstract values: what a tracer knows about an array without its contents.

``ShapedArray(shape, dtype, weak_type)`` prints as ``f32[3,4]``. Every value the IR
talks about has one; ``aval_of`` finds it for concrete inputs (NumPy arrays, Python
scalars, ``jaxlite.Array``).
"""

from __future__ import annotations

import math
import numbers
import weakref

import numpy as np

from . import dtypes
from .cache import bounded_cache, cache_put


class ShapedArray:
    """The shape, dtype and weak-typedness of an array value.

    Avals are interned: ``ShapedArray(shape, dtype, weak_type)`` returns the one object with
    those fields, so equality and hashing are by identity (fast: avals key many caches).
    The one object lives as long as something holds it; see ``shaped_array``.
    """

    __slots__ = ("shape", "dtype", "weak_type", "__weakref__")
    shape: tuple[int, ...]
    dtype: np.dtype
    weak_type: bool

    def __new__(cls, shape: tuple[int, ...], dtype: np.dtype, weak_type: bool = False):
        return shaped_array(shape, dtype, weak_type)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("ShapedArray is immutable")

    def __reduce__(self) -> tuple:
        return shaped_array, (self.shape, self.dtype, self.weak_type)

    def __copy__(self) -> ShapedArray:
        return self

    def __deepcopy__(self, memo: dict) -> ShapedArray:
        return self

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


_FIELDS = ("shape", "dtype", "weak_type")

# Interning has two tables. ``_canonical`` is the truth: (shape of ints, np.dtype, bool) ->
# the aval, held weakly, so an aval nobody uses any more goes away and its table entry with
# it, while every live aval stays the only one with its fields. ``_interned`` is the fast
# path in front of it: a bounded plain dict under the keys callers pass (a shape of NumPy
# ints, a dtype given as a type), holding recently made avals strongly.
_canonical: weakref.WeakValueDictionary[tuple, ShapedArray] = weakref.WeakValueDictionary()
_interned: dict[tuple, ShapedArray] = bounded_cache(f"{__name__}._interned", 4096)


def shaped_array(shape: tuple[int, ...], dtype: np.dtype, weak_type: bool = False) -> ShapedArray:
    """The aval ``ShapedArray(shape, dtype, weak_type)``; the fast way to make one."""
    if type(shape) is not tuple:
        shape = tuple(shape)
    key = (shape, dtype, weak_type)
    aval = _interned.get(key)
    if aval is None:
        aval = cache_put(_interned, key, _intern(shape, dtype, weak_type))
    return aval


def _intern(shape: tuple, dtype: np.dtype, weak_type: bool) -> ShapedArray:
    """The one live aval with these fields (made if there is none)."""
    canonical = (tuple(map(int, shape)), np.dtype(dtype), bool(weak_type))
    aval = _canonical.get(canonical)
    if aval is None:
        aval = object.__new__(ShapedArray)
        for name, value in zip(_FIELDS, canonical, strict=True):
            object.__setattr__(aval, name, value)
        _canonical[canonical] = aval
    return aval


def scalar_aval(value: object) -> ShapedArray:
    """The aval of a Python scalar: weakly typed unless it is a bool. A Python int outside the
    default integer type's range is an OverflowError, as in JAX (it would wrap silently)."""
    if type(value) is int and not -0x80000000 <= value <= 0x7FFFFFFF:
        check_int_range(value)
    key = (type(value), dtypes.default_float())
    aval = _scalar_avals.get(key)
    if aval is None:
        aval = cache_put(_scalar_avals, key, shaped_array(
            (), dtypes.python_scalar_dtype(value), not isinstance(value, bool)))
    return aval


def check_int_range(value: int) -> None:
    """OverflowError if the Python int ``value`` does not fit the default integer type."""
    info = np.iinfo(dtypes.default_int())
    if not info.min <= value <= info.max:
        raise OverflowError(f"Python int {value} too large to convert to "
                            f"{dtypes.default_int().name}")


_scalar_avals: dict[tuple, ShapedArray] = bounded_cache(f"{__name__}._scalar_avals", 64)


def is_python_scalar(value: object) -> bool:
    """A Python number (int, float, bool, complex or a subclass), not a NumPy scalar."""
    kind = type(value)
    result = _python_scalar_types.get(kind)
    if result is None:
        result = cache_put(_python_scalar_types, kind, issubclass(kind, numbers.Number)
                           and not issubclass(kind, (np.generic, np.ndarray)))
    return result


_python_scalar_types: dict[type, bool] = bounded_cache(f"{__name__}._python_scalar_types", 256)
_python_scalar_types.update({int: True, float: True, bool: True, complex: True})


def aval_of_numpy(value: np.ndarray | np.generic) -> ShapedArray:
    return shaped_array(value.shape, value.dtype, False)
