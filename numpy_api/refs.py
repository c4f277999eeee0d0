"""``jaxlite.new_ref``: mutable array references, as JAX's tutorials teach them.

    counter = new_ref(jnp.zeros(3))
    counter[...] += 1.0          # read, add, write back
    counter[1] = 5.0             # an indexed write
    freeze(counter)              # Array([1., 5., 1.])

A ``Ref`` works eagerly and inside ``jit``, ``lax.scan``, ``lax.fori_loop``,
``lax.while_loop`` and ``lax.cond``; it is discharged while tracing (``core/refs.py``),
so the jaxprs of such programs are functional and every transformation applies to them.
As in JAX, ``grad`` and ``vmap`` may not write their traced values into a reference made
outside the function they transform, and a jitted function may not return a reference.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.avals import is_python_scalar
from ..core.refs import RefCell
from ..core.trace import ARRAY_TYPES, aval_of
from .creation import asarray, zeros
from .indexing import getitem


class Ref(RefCell):
    """A mutable reference to one array; ``ref[idx]`` reads, ``ref[idx] = v`` writes."""

    __slots__ = ()

    @property
    def aval(self) -> Any:
        return aval_of(self._value)

    shape = property(lambda self: self.aval.shape)
    dtype = property(lambda self: self.aval.dtype)
    ndim = property(lambda self: len(self.aval.shape))
    size = property(lambda self: int(np.prod(self.aval.shape)))
    weak_type = property(lambda self: self.aval.weak_type)

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __getitem__(self, index: Any) -> Any:
        value = self._read()
        return value if index is Ellipsis or index == () else getitem(value, index)

    def __setitem__(self, index: Any, value: Any) -> None:
        current = self._read()
        value = _as_value(value, "swap")
        whole = index is Ellipsis or index == ()
        expected = current.shape if whole else getitem(current, index).shape
        _check_swap(self, aval_of(value), expected, index)
        if aval_of(value).dtype != self.dtype:
            value = asarray(value, self.dtype)
        self._write(value if whole else current.at[index].set(value))

    def __repr__(self) -> str:
        text = repr(self._value)
        return "Ref" + text[text.index("("):] if "(" in text else f"Ref({text})"

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


def _as_value(x: Any, where: str) -> Any:
    if type(x) in ARRAY_TYPES or is_python_scalar(x) or isinstance(x, (np.ndarray, np.generic)):
        return asarray(x)
    raise TypeError(f"Error interpreting argument to {where} as a JAX value. The problematic "
                    f"value is of type {type(x)} and was passed to {where} at position 0.")


def _check_swap(ref: Ref, aval: Any, expected: tuple, index: Any) -> None:
    """JAX's ValueError unless the value written has the shape and dtype it replaces."""
    if tuple(aval.shape) != tuple(expected):
        raise ValueError(f"Invalid shape for `swap`. Ref shape: {ref.shape}. Expected shape: "
                         f"{tuple(expected)}. Value shape: {tuple(aval.shape)}. "
                         f"Index: {index!r}.")
    if aval.dtype != ref.dtype and not aval.weak_type:
        raise ValueError(f"Invalid dtype for `swap`. Ref dtype: {ref.dtype.name}. Value dtype: "
                         f"{aval.dtype.name}.")


def new_ref(init_val: Any, *, memory_space: Any = None, kind: Any = None) -> Ref:
    """A new mutable reference holding ``init_val`` (an array or a scalar).

    >>> r = new_ref(0.0); r[...] += 2.0; r[...]   # Array(2., weak_type=True)
    """
    return Ref(_as_value(init_val, "new_ref"))  # (memory_space, kind: accepted, as one CPU has)


def empty_ref(ty: Any, memory_space: Any = None) -> Ref:
    """A new reference of ``ty``'s shape and dtype (anything with both: a
    ShapeDtypeStruct, an array), holding zeros until it is written."""
    return Ref(zeros(ty.shape, dtypes.canonicalize(ty.dtype)))


def freeze(ref: Ref) -> Any:
    """The value a reference holds, as an immutable array."""
    if not isinstance(ref, Ref):
        raise TypeError(f"freeze expects a reference made by new_ref, got {type(ref).__name__}.")
    return ref[...]


def free_ref(ref: Ref) -> None:
    """Accepted for JAX's API; jaxlite's references are freed by the garbage collector."""
    if not isinstance(ref, Ref):
        raise TypeError(f"free_ref expects a reference made by new_ref, got "
                        f"{type(ref).__name__}.")


def _index(idx: Any) -> Any:
    return Ellipsis if idx is None else idx


def get(ref: Ref, idx: Any = None) -> Any:
    """``ref[idx]`` (the whole value for None), as ``jax.ref.get``."""
    return ref[_index(idx)]


def set(ref: Ref, idx: Any, value: Any) -> None:  # noqa: A001 - jax.ref's name
    """``ref[idx] = value``, as ``jax.ref.set``."""
    ref[_index(idx)] = value


def swap(ref: Ref, idx: Any, value: Any) -> Any:
    """``ref[idx] = value``, returning what ``ref[idx]`` held before, as ``jax.ref.swap``."""
    old = ref[_index(idx)]
    ref[_index(idx)] = value
    return old


def addupdate(ref: Ref, idx: Any, x: Any) -> None:
    """``ref[idx] += x``, as ``jax.ref.addupdate``."""
    idx = _index(idx)
    ref[idx] = ref[idx] + x
