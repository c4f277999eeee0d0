"""Operators and array methods, defined once and installed on both ``Tracer`` and ``Array``."""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.array import Array
from ..core.trace import ARRAY_TYPES, Tracer, aval_of
from ..primitives.structural import convert_element_type
from . import complex_numbers, index_routines, manipulation, products, reductions, ufuncs
from .indexing import IndexUpdateHelper, getitem


def _swap(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def swapped(self: Any, other: Any) -> Any:
        return fn(other, self)

    return swapped


def _defer(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """A binary operator that returns NotImplemented for operands it cannot take."""

    def op(self: Any, other: Any) -> Any:
        if type(other) not in ARRAY_TYPES and (
                isinstance(other, (list, tuple, dict, str, set)) or other is None):
            return NotImplemented
        return fn(self, other)

    return op


def astype(self: Any, dtype: Any) -> Any:
    dtype = dtypes.canonicalize(dtype)
    aval = aval_of(self)
    if aval.dtype.kind == "c" and dtype.kind != "c":  # JAX's warning, word for word
        warnings.warn("Casting from complex to real dtypes will soon raise a ValueError. "
                      "Please first use jnp.real or jnp.imag to take the real/imaginary "
                      "component of your input.", DeprecationWarning, stacklevel=2)
    if aval.dtype == dtype and not aval.weak_type:
        return self
    return convert_element_type(self, dtype, False)


def reshape(self: Any, *shape: Any, order: str = "C") -> Any:
    return manipulation.reshape(self, shape[0] if len(shape) == 1 else shape, order)


def clip(self: Any, min: Any = None, max: Any = None) -> Any:  # (JAX's names)
    return ufuncs.clip(self, min, max)


def round_(self: Any, decimals: int = 0, out: None = None) -> Any:
    return ufuncs.round(self, decimals, out)


def python_round(self: Any, ndigits: int | None = None) -> Any:
    """``round(x)``: an integer array, as JAX has it; ``round(x, n)``: ``x.round(n)``."""
    rounded = ufuncs.round(self, ndigits or 0)
    return rounded if ndigits is not None else astype(rounded, dtypes.default_int())


def copy(self: Any) -> Any:
    """A copy (an Array's buffer is copied; a traced value is immutable already)."""
    if type(self) is Array:
        return Array(np.array(self), self.weak_type)
    return self


def tobytes(self: Any, order: str = "C") -> bytes:
    return np.asarray(self).tobytes(order)


def flat(self: Any) -> Any:
    raise NotImplementedError("JAX Arrays do not implement the arr.flat property: consider "
                              "arr.flatten() instead.")


def transpose(self: Any, *axes: Any) -> Any:
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    return manipulation.transpose(self, axes or None)


_OPERATORS: dict[str, Callable] = {
    "__add__": ufuncs.add, "__sub__": ufuncs.subtract, "__mul__": ufuncs.multiply,
    "__truediv__": ufuncs.divide, "__floordiv__": ufuncs.floor_divide,
    "__mod__": ufuncs.remainder, "__pow__": ufuncs.power, "__matmul__": products.matmul,
    "__and__": ufuncs.bitwise_and, "__or__": ufuncs.bitwise_or, "__xor__": ufuncs.bitwise_xor,
    "__divmod__": ufuncs.divmod, "__lshift__": ufuncs.left_shift,
    "__rshift__": ufuncs.right_shift,
    "__lt__": ufuncs.less, "__le__": ufuncs.less_equal, "__gt__": ufuncs.greater,
    "__ge__": ufuncs.greater_equal, "__eq__": ufuncs.equal, "__ne__": ufuncs.not_equal,
}
_REFLECTED = ("__add__", "__sub__", "__mul__", "__truediv__", "__floordiv__", "__mod__",
              "__pow__", "__matmul__", "__and__", "__or__", "__xor__", "__divmod__",
              "__lshift__", "__rshift__")

_METHODS: dict[str, Callable] = {
    "__neg__": ufuncs.negative, "__pos__": ufuncs.positive, "__abs__": ufuncs.abs,
    "__invert__": ufuncs.invert, "__getitem__": getitem,
    "sum": reductions.sum, "mean": reductions.mean, "max": reductions.max,
    "min": reductions.min, "prod": reductions.prod, "argmax": reductions.argmax,
    "argmin": reductions.argmin, "any": reductions.any, "all": reductions.all,
    "var": reductions.var, "std": reductions.std,
    "reshape": reshape, "transpose": transpose, "astype": astype,
    "squeeze": manipulation.squeeze, "ravel": manipulation.ravel,
    "flatten": manipulation.ravel, "swapaxes": manipulation.swapaxes,
    "dot": products.dot, "clip": clip, "round": round_, "__round__": python_round,
    "copy": copy, "tobytes": tobytes,
    "cumsum": reductions.cumsum, "cumprod": reductions.cumprod, "ptp": reductions.ptp,
    "conj": complex_numbers.conj, "conjugate": complex_numbers.conj,
    "nonzero": index_routines.nonzero, "take": index_routines.take,
}

_PROPERTIES: dict[str, Callable] = {
    "T": lambda self: manipulation.transpose(self),
    "mT": lambda self: manipulation.swapaxes(self, -1, -2),
    "nbytes": lambda self: aval_of(self).size * aval_of(self).dtype.itemsize,
    "itemsize": lambda self: aval_of(self).dtype.itemsize,
    "flat": flat,
    "at": IndexUpdateHelper,
    "real": complex_numbers.real,
    "imag": complex_numbers.imag,
}


def install(cls: type) -> None:
    """Give ``cls`` the operators, methods and properties of a jax.numpy array."""
    for name, fn in _OPERATORS.items():
        setattr(cls, name, _defer(fn))
        if name in _REFLECTED:
            setattr(cls, "__r" + name[2:], _defer(_swap(fn)))
    for name, fn in _METHODS.items():
        setattr(cls, name, fn)
    for name, fn in _PROPERTIES.items():
        setattr(cls, name, property(fn))
    cls.__hash__ = None  # type: ignore[assignment]  # __eq__ is elementwise


for _cls in (Tracer, Array):
    install(_cls)
