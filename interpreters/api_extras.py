"""Small public pieces around the transforms that JAX programs use: ``eval_shape`` and
``ShapeDtypeStruct`` (shapes and dtypes of a function's outputs, computed by tracing
alone), ``typeof`` (the aval of a value), ``named_call`` and ``named_scope`` (names for
parts of a program), ``jacobian`` (JAX's alias of ``jacrev``).

    eval_shape : (a -> b) -> ShapeDtypeStruct a -> ShapeDtypeStruct b   (nothing computed)
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Callable, Iterator

import numpy as np

from ..core import dtypes
from ..core.avals import ShapedArray
from ..core.jaxpr_trace import trace_to_jaxpr
from ..core.trace import aval_of
from ..core.tree_util import tree_flatten, tree_unflatten
from .api_util import flatten_fun, leaf_info, wraps
from .transforms import jacrev

jacobian = jacrev  # JAX's other name for reverse-mode Jacobians


class ShapeDtypeStruct:
    """A shape and a dtype standing in for an array: what ``eval_shape`` returns, and what it
    (and ``make_jaxpr``-style tracing) accepts in place of an array."""

    __slots__ = ("shape", "dtype", "sharding", "weak_type")

    def __init__(self, shape: Any, dtype: Any, sharding: Any = None, *,
                 weak_type: bool = False) -> None:
        self.shape = tuple(int(d) for d in shape)
        self.dtype = np.dtype(dtype)
        self.sharding = sharding
        self.weak_type = bool(weak_type)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def __repr__(self) -> str:
        weak = ", weak_type=True" if self.weak_type else ""
        return f"ShapeDtypeStruct(shape={self.shape}, dtype={self.dtype.name}{weak})"

    def __eq__(self, other: object) -> bool:
        return (type(other) is ShapeDtypeStruct and self.shape == other.shape
                and self.dtype == other.dtype and self.weak_type == other.weak_type)

    def __hash__(self) -> int:
        return hash((self.shape, self.dtype, self.weak_type))


def _abstract(x: Any) -> ShapedArray:
    """The aval of an ``eval_shape`` argument: an array, a scalar, or anything with a
    ``shape`` and a ``dtype`` (a ShapeDtypeStruct)."""
    if isinstance(x, ShapeDtypeStruct) or (
            hasattr(x, "shape") and hasattr(x, "dtype") and not hasattr(x, "__array__")):
        return ShapedArray(tuple(x.shape), dtypes.canonicalize(x.dtype),
                           bool(getattr(x, "weak_type", False)))
    return leaf_info(x, "eval_shape").aval


def eval_shape(fun: Callable, *args: Any, **kwargs: Any) -> Any:
    """The shapes and dtypes of ``fun(*args, **kwargs)`` as a pytree of ShapeDtypeStruct,
    found by tracing ``fun`` at the arguments' avals, without computing anything.

    >>> eval_shape(lambda x: x @ x.T, ShapeDtypeStruct((3, 4), jnp.float32))
    ShapeDtypeStruct(shape=(3, 3), dtype=float32)
    """
    leaves, in_tree = tree_flatten((args, kwargs))
    flat_fun, out_tree = flatten_fun(fun, in_tree)
    jaxpr, _ = trace_to_jaxpr(flat_fun, [_abstract(x) for x in leaves], label="eval_shape")
    outs = [ShapeDtypeStruct(v.aval.shape, v.aval.dtype, weak_type=v.aval.weak_type)
            for v in jaxpr.outvars]
    return tree_unflatten(out_tree.treedef, outs)


def typeof(x: Any) -> ShapedArray:
    """The aval (shape, dtype, weak type) of an array, tracer or scalar: ``f32[3]``."""
    if isinstance(x, ShapeDtypeStruct):
        return _abstract(x)
    return aval_of(leaf_info(x, "typeof").primal)


def named_call(fun: Callable, *, name: str | None = None) -> Callable:
    """``fun`` under a name; the name labels it in JAX's profiles, and changes no value."""
    if name is not None and not isinstance(name, str):
        raise TypeError(f"named_call name must be a string, got {name!r}")

    def named(*args: Any, **kwargs: Any) -> Any:
        with named_scope(name or getattr(fun, "__name__", "named_call")):
            return fun(*args, **kwargs)

    return wraps(fun, named)


_scopes = threading.local()


@contextlib.contextmanager
def named_scope(name: str) -> Iterator[None]:
    """A context manager naming the operations traced inside it (nested names join with
    ``/``); a label only, as in JAX: no value changes."""
    if not isinstance(name, str):
        raise TypeError("named_scope name argument must be a string.")
    stack = getattr(_scopes, "stack", None)
    if stack is None:
        stack = _scopes.stack = []
    stack.append(name)
    try:
        yield
    finally:
        stack.pop()


def current_name_scope() -> str:
    """The names of the enclosing ``named_scope`` blocks, joined with ``/`` (``""`` outside)."""
    return "/".join(getattr(_scopes, "stack", ()))
