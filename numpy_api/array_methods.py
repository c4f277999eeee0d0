"""Operators and array methods, defined once and installed on both ``Tracer`` and ``Array``."""

from __future__ import annotations

from typing import Any, Callable

from ..core import dtypes
from ..core.array import Array
from ..core.trace import ARRAY_TYPES, Tracer, aval_of
from ..primitives.structural import convert_element_type
from . import index_routines, manipulation, products, reductions, sorting, ufuncs
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
    if aval.dtype == dtype and not aval.weak_type:
        return self
    return convert_element_type(self, dtype, False)


def reshape(self: Any, *shape: Any, order: str = "C") -> Any:
    return manipulation.reshape(self, shape[0] if len(shape) == 1 else shape, order)


def transpose(self: Any, *axes: Any) -> Any:
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    return manipulation.transpose(self, axes or None)


def conj(self: Any) -> Any:
    """The complex conjugate; a real array is its own."""
    if aval_of(self).dtype.kind == "c":
        raise NotImplementedError("conj of complex arrays is not implemented yet")
    return self


def imag(self: Any) -> Any:
    """The imaginary part: zeros for a real array."""
    if aval_of(self).dtype.kind == "c":
        raise NotImplementedError("imag of complex arrays is not implemented yet")
    return ufuncs.multiply(self, False) if aval_of(self).dtype == dtypes.bool_ else \
        ufuncs.multiply(self, 0)


_OPERATORS: dict[str, Callable] = {
    "__add__": ufuncs.add, "__sub__": ufuncs.subtract, "__mul__": ufuncs.multiply,
    "__truediv__": ufuncs.divide, "__floordiv__": ufuncs.floor_divide,
    "__mod__": ufuncs.remainder, "__pow__": ufuncs.power, "__matmul__": products.matmul,
    "__and__": ufuncs.bitwise_and, "__or__": ufuncs.bitwise_or, "__xor__": ufuncs.bitwise_xor,
    "__lt__": ufuncs.less, "__le__": ufuncs.less_equal, "__gt__": ufuncs.greater,
    "__ge__": ufuncs.greater_equal, "__eq__": ufuncs.equal, "__ne__": ufuncs.not_equal,
}
_REFLECTED = ("__add__", "__sub__", "__mul__", "__truediv__", "__floordiv__", "__mod__",
              "__pow__", "__matmul__", "__and__", "__or__", "__xor__")

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
    "dot": products.dot, "clip": ufuncs.clip, "round": ufuncs.round,
    "cumsum": reductions.cumsum, "cumprod": reductions.cumprod, "ptp": reductions.ptp,
    "conj": conj, "conjugate": conj,
    "nonzero": index_routines.nonzero, "take": index_routines.take,
    "argsort": sorting.argsort, "searchsorted": sorting.searchsorted, "sort": sorting.sort,
}

_PROPERTIES: dict[str, Callable] = {
    "T": lambda self: manipulation.transpose(self),
    "mT": lambda self: manipulation.swapaxes(self, -1, -2),
    "at": IndexUpdateHelper,
    "real": lambda self: self,
    "imag": imag,
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
