"""Array methods with NumPy's full signatures, so that NumPy functions work on jaxlite arrays.

``np.sum(x)`` calls ``x.sum(axis=None, dtype=None, out=None)``; ``np.std(x)`` passes
``dtype``, ``out`` and ``ddof``; ``np.round(x)`` passes ``out``. As JAX's Array does, these
methods accept NumPy's arguments and return jaxlite arrays; ``out=`` other than None is
not supported (arrays are immutable), with JAX's NotImplementedError.
"""

from __future__ import annotations

from typing import Any, Callable

from ..core.array import Array
from ..core.trace import Tracer
from . import reductions, ufuncs
from .array_methods import astype


def _no_out(out: Any, name: str) -> None:
    if out is not None:
        raise NotImplementedError(f"The 'out' argument to jnp.{name} is not supported.")


def _with_initial(result: Any, initial: Any, combine: Callable) -> Any:
    return result if initial is None else combine(result, initial)


def sum_method(self: Any, axis: Any = None, dtype: Any = None, out: Any = None,
               keepdims: bool = False, initial: Any = None, where: Any = None) -> Any:
    """``x.sum``, NumPy's signature; ``initial`` is added to the sum."""
    _no_out(out, "sum")
    total = reductions.sum(self, axis, dtype, keepdims=keepdims, where=where)
    return _with_initial(total, initial, ufuncs.add)


def prod_method(self: Any, axis: Any = None, dtype: Any = None, out: Any = None,
                keepdims: bool = False, initial: Any = None, where: Any = None) -> Any:
    """``x.prod``, NumPy's signature; ``initial`` multiplies the product."""
    _no_out(out, "prod")
    product = reductions.prod(self, axis, dtype, keepdims=keepdims, where=where)
    return _with_initial(product, initial, ufuncs.multiply)


def mean_method(self: Any, axis: Any = None, dtype: Any = None, out: Any = None,
                keepdims: bool = False, where: Any = None) -> Any:
    """``x.mean``, NumPy's signature."""
    _no_out(out, "mean")
    return reductions.mean(self, axis, dtype, keepdims=keepdims, where=where)


def _spread(name: str, reducer: Callable) -> Callable:
    def method(self: Any, axis: Any = None, dtype: Any = None, out: Any = None,
               ddof: int = 0, keepdims: bool = False) -> Any:
        _no_out(out, name)
        x = self if dtype is None else astype(self, dtype)
        return reducer(x, axis, ddof=ddof, keepdims=keepdims)

    method.__name__ = method.__qualname__ = f"{name}_method"
    method.__doc__ = f"``x.{name}``, NumPy's signature (``dtype``, ``out``, ``ddof``)."
    return method


def _extremum(name: str, reducer: Callable, combine: Callable) -> Callable:
    def method(self: Any, axis: Any = None, out: Any = None, keepdims: bool = False,
               initial: Any = None, where: Any = None) -> Any:
        _no_out(out, name)
        if where is not None:
            raise NotImplementedError(f"jaxlite's {name} does not support where=")
        return _with_initial(reducer(self, axis, keepdims=keepdims), initial, combine)

    method.__name__ = method.__qualname__ = f"{name}_method"
    method.__doc__ = f"``x.{name}``, NumPy's signature; ``initial`` joins the candidates."
    return method


def _logical(name: str, reducer: Callable) -> Callable:
    def method(self: Any, axis: Any = None, out: Any = None, keepdims: bool = False,
               where: Any = None) -> Any:
        _no_out(out, name)
        if where is not None:
            raise NotImplementedError(f"jaxlite's {name} does not support where=")
        return reducer(self, axis, keepdims=keepdims)

    method.__name__ = method.__qualname__ = f"{name}_method"
    method.__doc__ = f"``x.{name}``, NumPy's signature."
    return method


def _arg(name: str, reducer: Callable) -> Callable:
    def method(self: Any, axis: Any = None, out: Any = None, keepdims: bool = False) -> Any:
        _no_out(out, name)
        return reducer(self, axis, keepdims=keepdims)

    method.__name__ = method.__qualname__ = f"{name}_method"
    method.__doc__ = f"``x.{name}``, NumPy's signature."
    return method


def _cumulative(name: str, reducer: Callable) -> Callable:
    def method(self: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
        _no_out(out, name)
        return reducer(self, axis, dtype=dtype)

    method.__name__ = method.__qualname__ = f"{name}_method"
    method.__doc__ = f"``x.{name}``, NumPy's signature."
    return method


def round_method(self: Any, decimals: int = 0, out: Any = None) -> Any:
    """``x.round``, NumPy's signature."""
    _no_out(out, "round")
    return ufuncs.round(self, decimals)


NUMPY_METHODS: dict[str, Callable] = {
    "sum": sum_method, "prod": prod_method, "mean": mean_method,
    "var": _spread("var", reductions.var), "std": _spread("std", reductions.std),
    "max": _extremum("max", reductions.max, ufuncs.maximum),
    "min": _extremum("min", reductions.min, ufuncs.minimum),
    "any": _logical("any", reductions.any), "all": _logical("all", reductions.all),
    "argmax": _arg("argmax", reductions.argmax), "argmin": _arg("argmin", reductions.argmin),
    "cumsum": _cumulative("cumsum", reductions.cumsum),
    "cumprod": _cumulative("cumprod", reductions.cumprod),
    "round": round_method,
}
"""The methods NumPy's functions call, keyed by name (installed on Array and Tracer)."""

for _cls in (Tracer, Array):
    for _name, _method in NUMPY_METHODS.items():
        setattr(_cls, _name, _method)
