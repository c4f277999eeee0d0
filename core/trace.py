"""Tracing: turning Python calls on tracers into equations of a jaxpr.

``JaxprTrace`` records every ``bind`` made while it is the current trace. Traces nest on
a thread-local stack; ``bind`` with no active trace evaluates the primitive on NumPy arrays
right away. (The one other kind, ``interpreters.linearize.LinearizeTrace``, fuses jvp and
partial evaluation for eager derivatives; it records into a ``JaxprTrace``.)

* Abstract tracing (``make_jaxpr``, ``vmap``) gives tracers only an aval.
* Concrete tracing (``grad`` and friends on concrete inputs) also computes each output's
  value as the equation is recorded, so Python control flow on traced values works and
  the recorded values can be reused instead of evaluating the program again.
* A value from outside the trace (a tracer of an outer trace, a NumPy array, an Array)
  becomes a constvar of the jaxpr being built; a scalar becomes a ``Literal``.
* A trace built with ``stage_all=False`` records only equations that touch its own
  tracers and hands the others to its parent: this is partial evaluation at bind time,
  which is how linearization separates known primal work from the linear tangent part.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

import numpy as np

from . import dtypes
from .array import Array
from .avals import ShapedArray, aval_of_numpy, is_python_scalar, scalar_aval, shaped_array
from .errors import (
    ConcretizationError,
    TracerArrayConversionError,
    TracerBoolConversionError,
    TracerIntegerConversionError,
    UnexpectedTracerError,
)
from .config import config
from .ir import NO_SOURCE, Atom, Eqn, Jaxpr, Literal, SourceInfo, Var, user_source_info
from .tree_util import leaf_type
from .typecheck import typecheck

if TYPE_CHECKING:
    from .primitive import Primitive


class _NoValue:
    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()
"""The value of a tracer whose concrete value is not known."""


class _ThreadState(threading.local):
    def __init__(self) -> None:
        self.trace: JaxprTrace | None = None
        self.source_info: SourceInfo | None = None


_state = _ThreadState()


def thread_state() -> _ThreadState:
    """This thread's tracing state (``trace``, ``source_info``), for interpreters' inner loops."""
    return _state


def current_trace() -> JaxprTrace | None:
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


@contextlib.contextmanager
def eager() -> Iterator[None]:
    """Evaluate binds inside the block right away, whatever trace is active."""
    previous = _state.trace
    _state.trace = None
    try:
        yield
    finally:
        _state.trace = previous


@leaf_type
class Tracer:
    """A value being traced: an aval, the variable it is bound to and maybe its value.

    A tracer of a linearizing trace (``interpreters.linearize``) is bound to no variable:
    it pairs its value with its tangent, a tracer of the linear trace.
    Operators and array methods are installed on this class by ``numpy_api``.
    """

    __slots__ = ("_trace", "aval", "ir_var", "val", "tangent")
    __array_priority__ = 100

    def __init__(self, trace: Any, aval: ShapedArray, val: Any = NO_VALUE, var: Var | None = None,
                 tangent: Any = None) -> None:
        self._trace = trace
        self.aval = aval
        self.val = val
        self.ir_var = var
        self.tangent = tangent

    def _concrete(self, operation: str, error: type) -> Any:
        val = known_value(self)
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
        return int(self._concrete("int()", ConcretizationError))

    def __float__(self) -> float:
        return float(self._concrete("float()", ConcretizationError))

    def __complex__(self) -> complex:
        return complex(self._concrete("complex()", ConcretizationError))

    def __index__(self) -> int:
        if not dtypes.is_integer(self.aval.dtype):
            raise TypeError(f"only integer arrays can be used as an index, got {self.aval}")
        return int(self._concrete("__index__", TracerIntegerConversionError))

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        value = np.asarray(self._concrete("numpy conversion (__array__)", TracerArrayConversionError))
        return value if dtype is None else value.astype(dtype)

    def item(self) -> Any:
        return np.asarray(self._concrete(".item()", ConcretizationError)).item()

    def tolist(self) -> Any:
        return np.asarray(self._concrete(".tolist()", TracerArrayConversionError)).tolist()

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
        val = known_value(self)
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


def _concretization_message(tracer: Tracer, operation: str) -> str:
    where = user_source_info(skip=3)
    return (
        f"{operation} needs a concrete value, but {tracer!r} is an abstract tracer "
        f"(under {tracer._trace.label}) at {where}. Its value is not known while tracing. "
        "For a value-dependent choice use jnp.where or lax.cond (lax.while_loop for loops); "
        "if the value is a fixed setting, pass it as a static argument (static_argnums)."
    )


class JaxprTrace:
    """Records the equations bound while it is the current trace; see the module docstring."""

    __slots__ = ("parent", "label", "concrete", "stage_all", "alive", "invars", "eqns",
                 "constvars", "consts", "_const_ids", "values")

    def __init__(self, parent: JaxprTrace | None, label: str, concrete: bool, stage_all: bool):
        self.parent = parent
        self.label = label
        self.concrete = concrete
        self.stage_all = stage_all
        self.alive = True
        self.invars: list[Var] = []
        self.eqns: list[Eqn] = []
        self.constvars: list[Var] = []
        self.consts: list[Any] = []  # what each constvar stands for, outside this trace
        self._const_ids: dict[int, Var] = {}
        self.values: dict[Var, Any] = {}  # concrete values recorded while tracing

    def new_arg(self, aval: ShapedArray, val: Any = NO_VALUE) -> Tracer:
        var = Var(aval)
        self.invars.append(var)
        if val is not NO_VALUE:
            self.values[var] = val
        return Tracer(self, aval, val, var)

    def _capture(self, x: Any) -> tuple[Atom, Any]:
        """The atom and concrete value standing for a value from outside this trace."""
        kind = type(x)
        if kind is Array:
            value = x._value
            if value.ndim == 0:
                return Literal(value[()], x.aval), value
            return self._constvar(x, x.aval, value), value
        if kind is Literal:
            return x, x.value
        if kind is Tracer:
            if not x._trace.alive:
                raise UnexpectedTracerError(leaked_message(x))
            val = known_value(x)
            return self._constvar(x, x.aval, val), val
        if isinstance(x, (np.ndarray, np.generic)):
            value = x if kind is np.ndarray and dtypes.is_canonical(x.dtype) \
                else canonicalize_numpy(x)
            if value.ndim == 0:
                return Literal(value[()], aval_of_numpy(value)), value
            return self._constvar(x, aval_of_numpy(value), value), value
        if is_python_scalar(x):
            literal = python_literal(x)
            return literal, literal.value
        raise TypeError(f"Value {x!r} of type {type(x).__name__} is not a valid jaxlite type")

    def _constvar(self, x: Any, aval: ShapedArray, val: Any) -> Var:
        # an Array is known by its buffer: the facade wraps the same NumPy array afresh
        key = id(x._value) if type(x) is Array else id(x)
        known = self._const_ids.get(key)
        if known is not None:
            return known
        var = Var(aval)
        self.constvars.append(var)
        self.consts.append(x)  # keeps x (and its buffer) alive, so the key is not reused
        self._const_ids[key] = var
        if val is not NO_VALUE and self.concrete:
            self.values[var] = val
        return var

    def process(self, prim: Primitive, args: Sequence[Any], params: dict) -> list[Tracer]:
        if not self.stage_all:
            for x in args:
                if type(x) is Tracer and x._trace is self:
                    break
            else:  # nothing of ours: this is known work, done by the parent
                if self.parent is None:  # (impls that bind say so themselves: `eager()`)
                    return eval_eager(prim, args, params)
                return bind_in(self.parent, prim, args, params)
        concrete = self.concrete
        atoms, avals, vals = [], [], []
        for x in args:
            if type(x) is Tracer and x._trace is self:
                atoms.append(x.ir_var)
                avals.append(x.aval)
                if concrete:
                    vals.append(x.val)
            else:
                atom, val = self._capture(x)
                atoms.append(atom)
                avals.append(atom.aval)
                if concrete:
                    vals.append(val)
        out_avals = prim.abstract_eval(*avals, **params)
        source_info = _state.source_info or user_source_info(skip=3)
        if len(out_avals) == 1:  # the common case, without the loops
            aval = out_avals[0]
            var = Var(aval)
            self.eqns.append(Eqn(prim, tuple(atoms), (var,), params, source_info))
            if concrete and _all_known(vals):
                val = checked_impl(prim, vals, params, out_avals)[0]
                self.values[var] = val
                return [Tracer(self, aval, val, var)]
            return [Tracer(self, aval, NO_VALUE, var)]
        outvars = [Var(aval) for aval in out_avals]
        self.eqns.append(Eqn(prim, tuple(atoms), tuple(outvars), params, source_info))
        if concrete and _all_known(vals):
            out_vals = checked_impl(prim, vals, params, out_avals)
            self.values.update(zip(outvars, out_vals))
            return [Tracer(self, var.aval, val, var) for var, val in zip(outvars, out_vals)]
        return [Tracer(self, var.aval, NO_VALUE, var) for var in outvars]

    def atom_of(self, x: Any) -> Atom:
        """The atom standing for ``x`` in this trace's jaxpr."""
        if type(x) is Tracer and x._trace is self:
            return x.ir_var
        return self._capture(x)[0]

    def finish(self, outs: Sequence[Any]) -> tuple[Jaxpr, list[Any]]:
        """The jaxpr recorded so far with ``outs`` as outputs, and its constvars' values."""
        outvars = tuple(self.atom_of(x) for x in outs)
        jaxpr = Jaxpr(tuple(self.constvars), tuple(self.invars), tuple(self.eqns), outvars)
        if config.jaxlite_check_jaxprs:
            typecheck(jaxpr)
        return jaxpr, list(self.consts)


def _all_known(values: list) -> bool:
    """Whether every value is known (tested by identity: ``in`` would compare arrays)."""
    for value in values:
        if value is NO_VALUE:
            return False
    return True


def known_value(x: Tracer) -> Any:
    """The concrete value behind a tracer (a NumPy value), or NO_VALUE when it has none.

    A tracer of a linearizing trace nested in another trace holds a value of that trace
    (a tracer or an Array), so the value is looked up through the chain.
    """
    val = x.val
    while True:
        kind = type(val)
        if kind is Tracer:
            val = val.val
        elif kind is Array:
            return val._value
        else:
            return val


def bind_in(trace: Any, prim: Primitive, args: Sequence[Any], params: dict) -> list:
    """Bind ``prim`` in ``trace`` (eagerly when it is None), whatever trace is current."""
    previous = _state.trace
    _state.trace = trace
    try:
        return trace.process(prim, args, params) if trace is not None else eval_eager(prim, args, params)
    finally:
        _state.trace = previous


def leaked_message(tracer: Tracer) -> str:
    return (
        f"Encountered an unexpected tracer {tracer!r}: it was created under "
        f"{tracer._trace.label}, which has already finished, and it escaped (through a "
        "global, a closure or a returned container) into code that runs later. "
        f"Used at {user_source_info(skip=4)}. Return the value from the transformed "
        "function instead of storing it."
    )


def canonicalize_numpy(x: np.ndarray | np.generic) -> np.ndarray:
    """``x`` as an array whose dtype is canonical (float64 -> float32 unless x64 is on)."""
    dtype = dtypes.canonicalize(x.dtype)
    if x.dtype != dtype:
        return np.asarray(x, dtype)
    return np.asarray(x)


_literal_cache: dict[tuple, Literal] = {}


def python_literal(x: Any) -> Literal:
    """The literal of a Python scalar: weakly typed, of the default dtype of its kind."""
    key = (type(x), x, dtypes.default_float())
    literal = _literal_cache.get(key)
    if literal is None or (x == 0 and type(x) is float):  # keep -0.0 and 0.0 apart
        aval = scalar_aval(x)
        literal = Literal(np.asarray(x, aval.dtype)[()], aval)
        if len(_literal_cache) < 4096:
            _literal_cache[key] = literal
    return literal


def aval_of(x: Any) -> ShapedArray:
    """The aval of any value bind accepts: tracer, Array, NumPy array, Python scalar."""
    if type(x) is Tracer or type(x) is Array or type(x) is Literal:
        return x.aval
    if isinstance(x, (np.ndarray, np.generic)):
        return shaped_array(x.shape, dtypes.canonicalize(x.dtype), False)
    if is_python_scalar(x):
        return scalar_aval(x)
    raise TypeError(f"Value {x!r} of type {type(x).__name__} is not a valid jaxlite type")


def checked_impl(prim: Primitive, vals: list, params: dict, out_avals: list) -> list:
    """Run ``impl``; its results become NumPy arrays of exactly the avals' dtypes.

    (0-d results come back from NumPy as scalars; they are made 0-d arrays again, since
    NumPy computes on scalars several times slower than on 0-d arrays.)
    """
    return _checked(prim.impl(*vals, **params), out_avals)


def _checked(outs: list, out_avals: Sequence[ShapedArray]) -> list:
    for i, out in enumerate(outs):
        dtype = out_avals[i].dtype
        if type(out) is not np.ndarray or (out.dtype is not dtype and out.dtype != dtype):
            outs[i] = np.asarray(out, dtype)
    return outs


def concrete_operand(x: Any, where: str) -> tuple[Any, Any, ShapedArray]:
    """An operand that is not a tracer of the current trace, classified: what rules are handed
    for it (a Literal for a scalar), its NumPy value, and its aval."""
    kind = type(x)
    if kind is Array:
        return x, x._value, x.aval
    if kind is Literal:
        return x, x.value, x.aval
    if kind is Tracer:
        if not x._trace.alive:
            raise UnexpectedTracerError(leaked_message(x))
        raise UnexpectedTracerError(  # a live tracer outside its trace: an internal misuse
            f"tracer {x!r} of {x._trace.label} was passed to {where} outside its trace")
    if isinstance(x, (np.ndarray, np.generic)):
        value = canonicalize_numpy(x)
        return value, value, aval_of_numpy(value)
    if is_python_scalar(x):
        literal = python_literal(x)
        return literal, literal.value, literal.aval
    raise TypeError(f"Value {x!r} of type {type(x).__name__} is not a valid jaxlite type")


def eval_eager(prim: Primitive, args: Sequence[Any], params: dict) -> list[Array]:
    """Apply ``prim`` to concrete operands now, returning ``jaxlite.Array`` results."""
    vals, avals = [], []
    for x in args:
        kind = type(x)
        if kind is Array:
            vals.append(x._value)
            avals.append(x.aval)
        elif kind is Literal:
            vals.append(x.value)
            avals.append(x.aval)
        elif kind is np.ndarray and dtypes.is_canonical(x.dtype):  # our own values
            vals.append(x)
            avals.append(shaped_array(x.shape, x.dtype))
        else:
            _, val, aval = concrete_operand(x, prim.name)
            vals.append(val)
            avals.append(aval)
    out_avals = prim.abstract_eval(*avals, **params)
    outs = prim.impl(*vals, **params)
    if len(outs) == 1:  # the common case, without the loops of checked_impl
        out, aval = outs[0], out_avals[0]
        dtype = aval.dtype
        if type(out) is not np.ndarray or (out.dtype is not dtype and out.dtype != dtype):
            out = np.asarray(out, dtype)
        return [Array(out, aval.weak_type, aval)]
    outs = _checked(outs, out_avals)
    return [Array(out, aval.weak_type, aval) for out, aval in zip(outs, out_avals)]


@contextlib.contextmanager
def new_trace(label: str, *, concrete: bool = False, stage_all: bool = True) -> Iterator[JaxprTrace]:
    """Make a new ``JaxprTrace`` the current one for the duration of the block.

    The previous trace is restored however the block exits, so an exception leaves
    no trace behind; tracers of the finished trace are marked dead.
    """
    previous = _state.trace
    trace = JaxprTrace(previous, label, concrete, stage_all)
    _state.trace = trace
    try:
        yield trace
    finally:
        trace.alive = False
        _state.trace = previous


def trace_to_jaxpr(
    fun: Callable[..., Sequence[Any]],
    in_avals: Sequence[ShapedArray],
    in_values: Sequence[Any] | None = None,
    *,
    label: str,
) -> tuple[Jaxpr, list[Any], dict[Var, Any]]:
    """Trace ``fun`` (flat lists in, flat list out) to a jaxpr.

    With ``in_values`` the trace is concrete. Returns the jaxpr, the values its
    constvars stand for, and (when concrete) the values recorded for its variables.
    """
    with new_trace(label, concrete=in_values is not None) as trace:
        if in_values is None:
            tracers = [trace.new_arg(aval) for aval in in_avals]
        else:
            tracers = [trace.new_arg(aval, val) for aval, val in zip(in_avals, in_values)]
        outs = fun(*tracers)
        jaxpr, consts = trace.finish(outs)
    return jaxpr, consts, trace.values
