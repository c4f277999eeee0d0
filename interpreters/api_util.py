"""Plumbing shared by the public transforms: pytrees in and out, argument checks.

User functions take and return pytrees; the pipeline works on flat lists. ``flatten_fun``
bridges the two, ``leaf_info`` turns each input leaf into an aval, the value the
interpreters see, and (if known) its NumPy value.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import attrs
import numpy as np

from ..core import dtypes
from ..core.array import Array
from ..core.avals import ShapedArray, aval_of_numpy, is_python_scalar, scalar_aval
from ..core.errors import (
    ArgnumsError,
    GradError,
    InvalidArgumentError,
    UnexpectedTracerError,
)
from ..core.ir import user_source_info
from ..core.trace import aval_of, canonicalize_numpy, concrete_value, trace_of
from ..core.tree_util import PyTreeDef, tree_flatten, tree_unflatten
from ..primitives.structural import convert_element_type


@attrs.frozen
class LeafInfo:
    """An input leaf: its aval, the value interpreters bind with, and its value if known."""

    aval: ShapedArray
    primal: Any
    value: Any


def leaf_info(x: Any, where: str) -> LeafInfo:
    """Classify one input leaf of a transformed function."""
    trace = trace_of(x)
    if trace is not None:
        if not trace.alive:
            raise UnexpectedTracerError(
                f"{where}: argument {x!r} is a tracer of {trace.label}, which has finished: "
                f"it escaped from a transformed function (used at {user_source_info(skip=2)}). "
                "Return the value from the transformed function instead of storing it.")
        return LeafInfo(x.aval, x, concrete_value(x))
    if type(x) is Array:
        return LeafInfo(x.aval, x, x._value)
    if isinstance(x, (np.ndarray, np.generic)) and x.dtype.kind in "biufc":
        value = canonicalize_numpy(x)
        aval = aval_of_numpy(value)
        return LeafInfo(aval, Array(value, False, aval), value)
    if is_python_scalar(x):
        aval = scalar_aval(x)
        value = np.asarray(x, aval.dtype)
        return LeafInfo(aval, Array(value, aval.weak_type), value)
    raise InvalidArgumentError(
        f"{where}: argument {x!r} of type {type(x).__name__} is not a valid jaxlite type. "
        "Arguments must be arrays, scalars, or pytrees of them (tuples, lists, dicts, None, "
        "namedtuples, or classes registered with jaxlite.tree_util.register_pytree_node)."
    )


class OutTree:
    """A box for the output structure, filled in when the flat function runs."""

    def __init__(self) -> None:
        self.treedef: PyTreeDef | None = None


def flatten_fun(fun: Callable, in_tree: PyTreeDef) -> tuple[Callable, OutTree]:
    """``fun`` on pytrees as a function from flat leaves to flat leaves."""
    out_tree = OutTree()

    def flat_fun(*leaves: Any) -> list[Any]:
        args, kwargs = tree_unflatten(in_tree, leaves)
        out_leaves, out_tree.treedef = tree_flatten(fun(*args, **kwargs))
        return out_leaves

    return flat_fun, out_tree


def normalize_argnums(argnums: Any, nargs: int, what: str) -> tuple[int, ...]:
    """``argnums`` as a tuple of non-negative ints, checked against the call's arguments."""
    single = isinstance(argnums, (int, np.integer))
    nums = (argnums,) if single else tuple(argnums)
    for i in nums:
        if not isinstance(i, (int, np.integer)):
            raise ArgnumsError(f"{what}: argnums must be an int or a tuple of ints, got "
                               f"{argnums!r}")
        if i < -nargs:
            raise ArgnumsError(
                f"{what}: argnums must have values >= -len(args) and < len(args), but got "
                f"value {i} for len(args) == {nargs}")
    if any(i >= nargs for i in nums):
        raise ArgnumsError(
            f"differentiating with respect to argnums={argnums} requires at least "
            f"{max(nums) + 1} positional arguments to be passed by the caller, but got only "
            f"{nargs} positional arguments.")
    return tuple(int(i) % nargs for i in nums)


def check_differentiable(aval: ShapedArray, what: str, holomorphic: bool = False) -> None:
    """An input of a reverse-mode derivative (``grad``, ``jacrev``) must be real or complex,
    and complex when the function is declared holomorphic; JAX's TypeErrors otherwise."""
    if holomorphic and aval.dtype.kind != "c":
        raise GradError(f"{what} with holomorphic=True requires inputs with complex dtype, "
                        f"but got {aval.dtype.name}.")
    if not dtypes.is_inexact(aval.dtype):
        raise GradError(
            f"{what} requires real- or complex-valued inputs (input dtype that is a sub-dtype "
            f"of np.inexact), but got {aval.dtype.name}. If you want to use Boolean- or "
            "integer-valued inputs, use vjp or set allow_int to True.")  # JAX's words


def check_forward_input(aval: ShapedArray, holomorphic: bool) -> None:
    """An input of ``jacfwd`` must be real, or complex when the function is holomorphic."""
    if holomorphic:
        if aval.dtype.kind != "c":
            raise GradError("jacfwd with holomorphic=True requires inputs with complex dtype, "
                            f"but got {aval.dtype.name}.")
    elif not dtypes.is_float(aval.dtype):
        raise GradError(
            "jacfwd requires real-valued inputs (input dtype that is a sub-dtype of "
            f"np.floating), but got {aval.dtype.name}. For holomorphic differentiation, pass "
            "holomorphic=True. For differentiation of non-holomorphic functions involving "
            "complex inputs or integer inputs, use jaxlite.jvp directly.")


def check_output_dtype(aval: ShapedArray, what: str, holomorphic: bool,
                       reverse: bool = True) -> None:
    """The output of a derivative: complex when the function is declared holomorphic, and
    otherwise real in reverse mode (JAX's TypeErrors, which say what to use instead)."""
    if holomorphic:
        if aval.dtype.kind != "c":
            raise GradError(f"{what} with holomorphic=True requires outputs with complex "
                            f"dtype, but got {aval.dtype.name}.")
        return
    if not reverse:
        return
    prefix = (f"{what} requires real-valued outputs (output dtype that is a sub-dtype of "
              f"np.floating), but got {aval.dtype.name}. ")
    if aval.dtype.kind == "c":
        raise GradError(prefix + "For holomorphic differentiation, pass holomorphic=True. For "
                        "differentiation of non-holomorphic functions involving complex "
                        "outputs, use jaxlite.vjp directly.")
    if not dtypes.is_float(aval.dtype):
        raise GradError(prefix + "For differentiation of functions with integer outputs, use "
                        "jaxlite.vjp directly.")


def check_aux_pair(out: Any, what: str) -> None:
    """With ``has_aux``, a function must return a pair ``(output, aux)``."""
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise TypeError(f"{what} with has_aux=True expects the function to return a "
                        "two-element tuple (output, auxiliary data), but got type "
                        f"{type(out).__name__} with value {out!r}")


def as_output(x: Any, aval: ShapedArray) -> Any:
    """A value to hand back to the user: an Array (or a tracer) with ``aval``'s dtype and weak type."""
    if type(x) is np.ndarray or isinstance(x, np.generic):
        return Array(np.asarray(x, aval.dtype), aval.weak_type)
    if type(x) is Array:
        if x.dtype != aval.dtype:
            return Array(x._value.astype(aval.dtype), aval.weak_type)
        return x if x.weak_type == aval.weak_type else Array(x._value, aval.weak_type)
    if trace_of(x) is not None and (x.aval.dtype != aval.dtype
                                    or x.aval.weak_type != aval.weak_type):
        return convert_element_type(x, aval.dtype, aval.weak_type)
    return x


def with_weak_type(x: Any, weak_type: bool) -> Any:
    """``x`` with the given weak-type flag (for a tracer, a same-dtype cast that sets it)."""
    aval = aval_of(x)
    if aval.weak_type == weak_type:
        return x
    if type(x) is Array:
        return Array(x._value, weak_type)
    return convert_element_type(x, aval.dtype, weak_type)


def wraps(fun: Callable, transformed: Callable) -> Callable:
    """``transformed`` named as ``fun`` (``__name__``, ``__qualname__``, ``__module__``,
    ``__wrapped__``), as JAX's transforms name theirs: ``jit(grad(f))`` prints ``name=f``."""
    for attr in ("__name__", "__qualname__", "__module__"):
        value = getattr(fun, attr, None)
        if isinstance(value, str):
            setattr(transformed, attr, value)
    transformed.__wrapped__ = fun  # type: ignore[attr-defined]
    return transformed


def substitute(args: Sequence[Any], positions: Sequence[int], values: Sequence[Any]) -> tuple:
    """``args`` with ``args[positions[i]]`` replaced by ``values[i]``."""
    out = list(args)
    for i, v in zip(positions, values):
        out[i] = v
    return tuple(out)
