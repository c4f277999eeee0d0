"""``jaxlite.Array``: the immutable concrete array every eager computation returns.

It wraps a NumPy array (zero-copy through ``__array__``), carries JAX's weak-type flag,
prints like NumPy (``str``) and like JAX (``repr``). Operators and array methods are
installed by ``numpy_api`` on this class and on ``Tracer`` alike, so both behave the same.
"""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from .avals import ShapedArray, shaped_array
from .device import CPU, CpuDevice
from .pytree import leaf_type


@leaf_type
class Array:
    """An immutable n-dimensional array, the concrete result of jaxlite computations."""

    __slots__ = ("_value", "weak_type", "aval")
    __array_priority__ = 100

    def __init__(self, value: np.ndarray, weak_type: bool = False,
                 aval: ShapedArray | None = None) -> None:
        self._value = value
        self.weak_type = weak_type
        self.aval = aval if aval is not None else shaped_array(value.shape, value.dtype, weak_type)

    @property
    def shape(self) -> tuple[int, ...]:
        return self._value.shape

    @property
    def dtype(self) -> np.dtype:
        return self._value.dtype

    @property
    def ndim(self) -> int:
        return self._value.ndim

    @property
    def size(self) -> int:
        return self._value.size

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        value = self._value
        if dtype is not None and np.dtype(dtype) != value.dtype:
            return value.astype(dtype)
        if copy:
            return value.copy()
        view = value.view()
        view.flags.writeable = False
        return view

    def item(self, *args: Any) -> Any:
        return self._value.item(*args)

    def tolist(self) -> Any:
        return self._value.tolist()

    def block_until_ready(self) -> Array:
        return self

    @property
    def device(self) -> CpuDevice:
        """The device the array lives on: always the CPU."""
        return CPU

    def devices(self) -> set[CpuDevice]:
        return {CPU}

    def __bool__(self) -> bool:
        return bool(self._value)

    def __int__(self) -> int:
        return int(self._value)

    def __float__(self) -> float:
        return float(self._value)

    def __complex__(self) -> complex:
        return complex(self._value)

    def __index__(self) -> int:
        return self._value.__index__()

    def __len__(self) -> int:
        return len(self._value)

    def __iter__(self) -> Iterator[Array]:
        if self._value.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(self._value.shape[0]))

    def __format__(self, spec: str) -> str:
        if self._value.ndim == 0:
            return format(self._value.item(), spec)
        return format(str(self), spec)

    __hash__ = None  # type: ignore[assignment]  # unhashable, as NumPy and JAX arrays are

    def __setitem__(self, index: Any, value: Any) -> None:
        raise TypeError(
            "jaxlite arrays are immutable and do not support item assignment; "
            "instead of x[idx] = y, use x = x.at[idx].set(y)"
        )

    def __str__(self) -> str:
        return str(self._value)

    def __repr__(self) -> str:
        extra = f"dtype={self._value.dtype.name}" + (", weak_type=True" if self.weak_type else "")
        if self._value.size == 0:
            return f"Array([], shape={self._value.shape}, {extra})"
        # laid out as JAX does: a long last line pushes the dtype further right, not down
        width = np.get_printoptions()["linewidth"]
        body = np.array2string(self._value, prefix="Array(", suffix=",", separator=", ",
                               max_line_width=width)
        last_line_len = len(body) - body.rfind("\n") + 1
        sep = " " * len("Array(") if last_line_len + len(extra) + 2 > width else " "
        return f"Array({body},{sep}{extra})"

    def __reduce__(self) -> tuple:  # pickling
        return (Array, (self._value, self.weak_type))
