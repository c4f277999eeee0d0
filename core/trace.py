"""The trace protocol: what a transformation is, and the tracers it hands to user code.

A transformation is a ``Trace``. While one is current (on a thread-local stack, each
trace knowing its ``parent``), every ``bind`` goes to its ``process``; with none current,
``bind`` evaluates on NumPy arrays (``core.eager``). A trace says three things:

* how a primitive is processed in it (``process``), including the calls of functions
  with custom derivative rules (``process_custom_jvp_call``, ``process_custom_vjp_call``);
* how a value from outside enters it: anything that is not one of its own tracers
  (an Array, a NumPy value, a Python scalar, a tracer of an enclosing trace) is an
  operand it treats as constant with respect to its transformation;
* whether a tracer of it has a concrete value (``concrete_value``), which decides what
  Python may do with it (``bool``, ``int``, ``__index__``).

A ``Tracer`` belongs to one trace. Its ``val`` is what the tracer stands for in the
enclosing trace (a NumPy value at the bottom of the stack), so a trace that maps
values one-to-one onto its parent's (linearize, vmap) needs no other storage; a trace
that records a program gives its tracers an ``ir_var`` instead. Code asks
``trace_of(x)`` what a value is rather than testing types: None for anything that is
not a tracer.

Traces here: ``core.jaxpr_trace.JaxprTrace`` (records a jaxpr), and in ``interpreters/``
``LinearizeTrace`` (jvp fused with partial evaluation) and ``BatchTrace`` (vmap).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

import numpy as np

from . import dtypes
from .array import Array
from .avals import ShapedArray, is_python_scalar, scalar_aval, shaped_array
from .errors import (
    ConcretizationError,
    TracerArrayConversionError,
    TracerBoolConversionError,
    TracerIntegerConversionError,
    UnexpectedTracerError,
)
from .ir import NO_SOURCE, Eqn, Literal, SourceInfo, user_source_info
from .pytree import leaf_type

if TYPE_CHECKING:
    from .primitive import Primitive


class _NoValue:
    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()
"""The value of a tracer whose concrete value is not known."""


class _ThreadState(threading.local):
    def __init__(self) -> None:
        self.trace: Trace | None = None
        self.source_info: SourceInfo | None = None


_state = _ThreadState()


def thread_state() -> _ThreadState:
    """This thread's tracing state (``trace``, ``source_info``), for interpreters' inner loops."""
    return _state


def current_trace() -> Trace | None:
    """The innermost active trace of this thread, or None when evaluating eagerly."""
    return _state.trace


def with_source_info(eqns: Sequence[Eqn]) -> Iterator[Eqn]:
    """Yield ``eqns``, attributing what is bound while each is processed to its source line.

    Interpreters walk equations with this, so that the equations they emit point at the
    user's line, not at a rule inside jaxlite; the previous attribution is restored after.
    """
    previous = _state.source_info
    try:
        for eqn in eqns:
            info = eqn.source_info
            _state.source_info = info if info is not NO_SOURCE else previous
            yield eqn
    finally:
        _state.source_info = previous


class Trace:
    """A transformation; subclasses override ``process`` and, where they differ from the
    defaults below, the other methods of the protocol."""

    __slots__ = ("label", "parent", "alive", "tag", "stages")
    records = False  # whether this kind of trace records equations (then with source lines)

    def __init__(self, label: str, parent: Trace | None, tag: object = None) -> None:
        self.label = label
        self.parent = parent  # the trace that was current when this one began, or None
        self.alive = True
        # whether what is bound here may end up recorded, by this trace or an enclosing one
        self.stages = self.records or (parent is not None and parent.stages)
        # Traces that share a tag treat each other's tracers as their own: a function that a
        # trace hands on (vmap's batched custom rules) runs in a new trace of the same tag,
        # where the values it closed over keep their meaning.
        self.tag = tag if tag is not None else object()

    def process(self, prim: Primitive, args: Sequence[Any], params: dict) -> list:
        """Apply ``prim`` to ``args`` (own tracers and outside values) the way this trace does."""
        raise NotImplementedError(f"{type(self).__name__} does not define process")

    def concrete_value(self, tracer: Tracer) -> Any:
        """The NumPy value ``tracer`` stands for, or NO_VALUE. By default, the value of
        ``tracer.val`` in the enclosing trace."""
        return concrete_value(tracer.val)

    def process_custom_jvp_call(self, prim: Primitive, fun: Callable, jvp: Callable,
                                args: Sequence[Any], *, symbolic_zeros: bool) -> list:
        """A call of a function with a custom JVP rule. ``fun`` and ``jvp`` take and return
        flat lists (``jvp(primals, tangents) -> (primal outs, tangent outs)``). By default
        the function runs in this trace, as if it had no custom rule."""
        return list(fun(*args))

    def process_custom_vjp_call(self, prim: Primitive, fun: Callable, fwd: Callable,
                                bwd: Callable, args: Sequence[Any], *,
                                symbolic_zeros: bool) -> list:
        """A call of a function with a custom VJP (``fwd(perturbed, *args) -> (outs,
        residuals)``, ``perturbed`` saying which args are differentiated; ``bwd(residuals,
        cts) -> cts of args``). By default it runs as a plain function."""
        return list(fun(*args))

    def origin_of(self, tracer: Tracer) -> str:
        """A sentence saying which traced function and argument ``tracer``'s value comes
        from, for error messages ('' if unknown). By default, asks the enclosing trace
        about ``tracer.val``."""
        val = tracer.val
        return val._trace.origin_of(val) if type(val) is Tracer else ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.label})"


def run_in(trace: Trace | None, fun: Callable, *args: Any, **kwargs: Any) -> Any:
    """``fun(*args, **kwargs)`` with ``trace`` current (None: evaluating eagerly), restored after."""
    previous = _state.trace
    _state.trace = trace
    try:
        return fun(*args, **kwargs)
    finally:
        _state.trace = previous


@leaf_type
class Tracer:
    """A value being traced: its trace, aval, and what the trace keeps about it.

    ``val`` is the value in the enclosing trace (or NumPy value) it stands for, when the
    trace maps values one-to-one; ``ir_var`` is the variable of a recording trace;
    ``tangent`` (linearize) and ``bdim`` (vmap) are per-trace data. Operators and array
    methods are installed on this class by ``numpy_api``.
    """

    __slots__ = ("_trace", "aval", "val", "ir_var", "tangent", "bdim")
    __array_priority__ = 100

    def __init__(self, trace: Trace, aval: ShapedArray, val: Any = NO_VALUE, var: Any = None,
                 tangent: Any = None, bdim: int | None = None) -> None:
        self._trace = trace
        self.aval = aval
        self.val = val
        self.ir_var = var
        self.tangent = tangent
        self.bdim = bdim

    # Conversions follow JAX: bool, int, __index__ and item use a concrete value when the
    # trace has one; float, complex, tolist and NumPy conversion always raise, since they
    # would silently drop a derivative or a batch axis.

    def _concrete(self, operation: str, error: type) -> Any:
        val = self._trace.concrete_value(self)
        if val is NO_VALUE:
            raise error(_concretization_message(self, operation))
        return val

    def __bool__(self) -> bool:
        if self.aval.size != 1:
            raise ValueError(
                f"The truth value of an array with shape {self.aval.shape} is ambiguous; "
                "use .any() or .all()"
            )
        return bool(self._concrete("bool()", TracerBoolConversionError))

    def __int__(self) -> int:
        return int(self._concrete("int()", TracerIntegerConversionError))

    def __index__(self) -> int:
        if not dtypes.is_integer(self.aval.dtype):
            raise TypeError(f"only integer arrays can be used as an index, got {self.aval}")
        return int(self._concrete("__index__", TracerIntegerConversionError))

    def __float__(self) -> float:
        raise ConcretizationError(self._conversion_message("float()"))

    def __complex__(self) -> complex:
        raise ConcretizationError(self._conversion_message("complex()"))

    def _conversion_message(self, operation: str) -> str:
        """Why a conversion that is never allowed failed: for an abstract tracer, that
        its value is unknown; for a concrete one, that a transformation would lose it."""
        if self._trace.concrete_value(self) is NO_VALUE:
            return _concretization_message(self, operation, skip=4)
        return _conversion_message(self, operation, skip=4)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise TracerArrayConversionError(_conversion_message(self, "NumPy conversion (__array__)"))

    def item(self) -> Any:  # (JAX treats it as discrete: it works where int() does)
        return np.asarray(self._concrete(".item()", ConcretizationError)).item()

    def tolist(self) -> Any:
        raise ConcretizationError(_conversion_message(self, ".tolist()"))

    def __len__(self) -> int:
        if not self.aval.shape:
            raise TypeError("len() of unsized object")
        return self.aval.shape[0]

    def __iter__(self) -> Iterator:
        if not self.aval.shape:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(self.aval.shape[0]))

    __hash__ = None  # type: ignore[assignment]  # arrays are unhashable, as in JAX

    def __repr__(self) -> str:
        val = self._trace.concrete_value(self)
        if val is NO_VALUE:
            return f"Traced<{self.aval}>"
        return f"Traced<{self.aval}> = {np.asarray(val)!r}".replace("\n", "\n  ")

    def __setitem__(self, index: Any, value: Any) -> None:
        raise TypeError(
            "jaxlite arrays are immutable and do not support item assignment; "
            "instead of x[idx] = y, use x = x.at[idx].set(y)"
        )

    @property
    def shape(self) -> tuple[int, ...]:
        return self.aval.shape

    @property
    def dtype(self) -> np.dtype:
        return self.aval.dtype

    @property
    def ndim(self) -> int:
        return len(self.aval.shape)

    @property
    def size(self) -> int:
        return self.aval.size

    @property
    def weak_type(self) -> bool:
        return self.aval.weak_type


def _concretization_message(tracer: Tracer, operation: str, skip: int = 3) -> str:
    where = user_source_info(skip=skip)
    origin = tracer._trace.origin_of(tracer)
    return (
        f"{operation} needs a concrete value, but {tracer!r} is an abstract tracer "
        f"(under {tracer._trace.label}) at {where}. Its value is not known while tracing. "
        f"{origin + ' ' if origin else ''}"
        "For a value-dependent choice use jnp.where or lax.cond (lax.while_loop for loops); "
        "if the value is a fixed setting, pass it as a static argument (static_argnums)."
    )


def _conversion_message(tracer: Tracer, operation: str, skip: int = 3) -> str:
    where = user_source_info(skip=skip)
    origin = tracer._trace.origin_of(tracer)
    return (
        f"{operation} was applied to the traced value {tracer!r} (under {tracer._trace.label}) "
        f"at {where}. {origin + ' ' if origin else ''}The result would be a constant of "
        "Python or NumPy, and the "
        f"transformation ({tracer._trace.label}) would silently lose track of it: a derivative "
        "would be dropped, or a batch axis. Compute with jaxlite.numpy (jnp.sin, not np.sin) "
        "and keep the value an array; for a value-dependent choice use jnp.where or lax.cond."
    )


def canonicalize_numpy(x: np.ndarray | np.generic) -> np.ndarray:
    """``x`` as an array whose dtype is canonical (float64 -> float32 unless x64 is on)."""
    dtype = dtypes.canonicalize(x.dtype)
    if x.dtype != dtype:
        return np.asarray(x, dtype)
    return np.asarray(x)


def aval_of(x: Any) -> ShapedArray:
    """The aval of any value bind accepts: tracer, Array, NumPy array, Python scalar."""
    if type(x) is Tracer or type(x) is Array or type(x) is Literal:
        return x.aval
    if isinstance(x, (np.ndarray, np.generic)):
        return shaped_array(x.shape, dtypes.canonicalize(x.dtype), False)
    if is_python_scalar(x):
        return scalar_aval(x)
    raise TypeError(f"Value {x!r} of type {type(x).__name__} is not a valid jaxlite type")


def trace_of(x: Any) -> Trace | None:
    """The trace ``x`` is a tracer of, or None for any other value (array, scalar, ...)."""
    return x._trace if type(x) is Tracer else None


ARRAY_TYPES = frozenset((Tracer, Array))
"""The types of the values that carry an aval; ``type(x) in ARRAY_TYPES`` on hot paths."""


def has_aval(x: Any) -> bool:
    """True for the values that carry an aval: tracers and Arrays."""
    return type(x) in ARRAY_TYPES


def concrete_value(x: Any) -> Any:
    """The NumPy value behind ``x`` (a tracer, an Array or a NumPy value), or NO_VALUE."""
    kind = type(x)
    if kind is Tracer:
        return x._trace.concrete_value(x)
    if kind is Array:
        return x._value
    return x


def check_alive(x: Tracer) -> None:
    """An UnexpectedTracerError if ``x`` outlived its trace."""
    if not x._trace.alive:
        raise UnexpectedTracerError(leaked_message(x))


def check_visible(x: Tracer, trace: Trace | None, where: str) -> None:
    """An UnexpectedTracerError unless ``x`` is a value in ``trace``'s context: a tracer of
    ``trace`` or of a trace enclosing it (None: no trace at all)."""
    check_alive(x)
    owner = x._trace
    while trace is not None:
        if trace is owner:
            return
        trace = trace.parent
    raise UnexpectedTracerError(
        f"{x!r}, a value of {owner.label}, was used by {where} outside {owner.label}, at "
        f"{user_source_info(skip=3)}. A function that {owner.label} handed on kept it from "
        "its surroundings (a closure) and ran elsewhere: typically a custom_jvp or custom_vjp "
        "function closed over a value that is being differentiated. Pass that value as an "
        "explicit argument, so that the transformation sees it.")


def leaked_message(tracer: Tracer) -> str:
    return (
        f"Encountered an unexpected tracer {tracer!r}: it was created under "
        f"{tracer._trace.label}, which has already finished, and it escaped (through a "
        "global, a closure or a returned container) into code that runs later. "
        f"Used at {user_source_info(skip=4)}. Return the value from the transformed "
        "function instead of storing it."
    )


def bind_custom_jvp(prim: Primitive, fun: Callable, jvp: Callable, args: Sequence[Any], *,
                    symbolic_zeros: bool) -> list:
    """Call ``fun`` (whose derivative is the custom rule ``jvp``) in the current trace."""
    trace = _state.trace
    if trace is None:
        return list(fun(*args))
    return trace.process_custom_jvp_call(prim, fun, jvp, args, symbolic_zeros=symbolic_zeros)


def bind_custom_vjp(prim: Primitive, fun: Callable, fwd: Callable, bwd: Callable,
                    args: Sequence[Any], *, symbolic_zeros: bool) -> list:
    """Call ``fun`` (whose reverse derivative is given by ``fwd`` and ``bwd``) in the current trace."""
    trace = _state.trace
    if trace is None:
        return list(fun(*args))
    return trace.process_custom_vjp_call(prim, fun, fwd, bwd, args, symbolic_zeros=symbolic_zeros)
