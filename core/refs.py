"""Mutable array references (JAX's ``new_ref``), discharged while tracing.

A ``RefCell`` holds its current value: an Array, or a value of the trace that last wrote
it. Reading returns that value and writing replaces it, so a program that uses
references traces into an ordinary functional jaxpr: no reference ever enters the IR.

A function traced once and run many times (a jitted function, a loop body, a branch of
``cond``) may touch references made outside it. Such a trace runs inside a ``RefScope``,
which notes each outer reference read or written and puts back its value afterwards
(and that of each reference it was told is ``handled``). The
caller then discharges them: their values enter as extra inputs (operands, loop carries)
and the values written leave as extra outputs, written back when the call is made. A
scope's ``handled`` references are those already passed that way, so it notes them no more.

Outside any scope, writing into a reference a value of a transformation that began after
the reference was made (a ``grad`` or ``vmap`` of a function that closes over it) raises
JAX's error: the reference must be an argument of the transformed function, or made in it.
"""

from __future__ import annotations

import threading
from typing import Any, Iterable

from .trace import Trace, current_trace, trace_of


class _ScopeStack(threading.local):
    def __init__(self) -> None:
        self.scopes: list[RefScope] = []


_stack = _ScopeStack()


class RefScope:
    """The outer references a trace touched: ``read`` (every one touched, in order) and
    ``written``, each mapped to its value when the trace began. A context manager; on exit
    every touched reference holds its value from before the trace again."""

    def __init__(self, handled: Iterable[RefCell] = ()) -> None:
        self.handled = {id(ref): ref for ref in handled}
        self.read: dict[RefCell, Any] = {}
        self.written: dict[RefCell, Any] = {}

    def __enter__(self) -> RefScope:
        self.depth = len(_stack.scopes)
        self.before = [(ref, ref._value) for ref in self.handled.values()]
        _stack.scopes.append(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        _stack.scopes.pop()
        for ref, value in [*self.read.items(), *self.before]:
            ref._value = value

    def _note(self, ref: RefCell, written: bool) -> None:
        if id(ref) in self.handled:
            return
        self.read.setdefault(ref, ref._value)
        if written:
            self.written.setdefault(ref, self.read[ref])

    @property
    def touched(self) -> list[RefCell]:
        """The references read or written, in the order they were first touched."""
        return list(self.read)


class RefCell:
    """A mutable cell for one array value; ``numpy_api.refs.Ref`` gives it indexing."""

    __slots__ = ("_value", "_depth", "_trace", "__weakref__")

    def __init__(self, value: Any) -> None:
        self._value = value
        self._depth = len(_stack.scopes)  # the scopes it was made in
        self._trace = current_trace()

    def _read(self) -> Any:
        self._note(written=False)
        return self._value

    def _write(self, value: Any) -> None:
        if not self._note(written=True):
            _check_not_newer(self, value)
        self._value = value

    def _note(self, written: bool) -> bool:
        """Note this touch in the innermost scope made after the reference; False if none."""
        scopes = _stack.scopes
        if self._depth >= len(scopes):
            return False
        scopes[-1]._note(self, written)
        return True


def _check_not_newer(ref: RefCell, value: Any) -> None:
    """JAX's error if ``value`` belongs to a transformation begun after ``ref`` was made."""
    trace = trace_of(value)
    outermost_newer: Trace | None = None
    while trace is not None and trace is not ref._trace:
        outermost_newer, trace = trace, trace.parent
    if outermost_newer is None or (trace is None and ref._trace is not None):
        return
    label = outermost_newer.label
    if label.startswith("vmap"):
        kind, fix = "vmapped value on an unbatched", "an argument to the vmapped function"
    elif label.split("(")[0] in _DIFFERENTIATING:
        kind, fix = ("differentiated value on a non-differentiated",
                     "an argument of the differentiated function")
    else:
        kind, fix = "traced value on an untraced", f"an argument of the function {label} traces"
    raise ValueError(
        f"Exception performing a set/swap operation with a {kind} array reference of type "
        f"{ref_type_name(ref)}, inside {label}: the reference was made outside {label}. "
        f"Move the array reference to be {fix}, or make it inside that function.")


_DIFFERENTIATING = frozenset(("grad", "value_and_grad", "jvp", "vjp", "linearize", "jacfwd",
                              "jacrev", "hessian", "jacobian"))


def ref_type_name(ref: RefCell) -> str:
    """``Ref{float32[3]}``, as JAX's ``typeof`` prints a reference."""
    aval = getattr(ref._value, "aval", None)
    if aval is None:
        return "Ref{?}"
    return f"Ref{{{aval.dtype.name}[{','.join(map(str, aval.shape))}]}}"


def values_of(refs: Iterable[RefCell]) -> list:
    """The values ``refs`` hold now (to pass into a discharged call)."""
    return [ref._value for ref in refs]


def load(refs: Iterable[RefCell], values: Iterable[Any]) -> None:
    """Make ``refs`` hold ``values`` (the inputs of a discharged trace), unchecked."""
    for ref, value in zip(refs, values, strict=True):
        ref._value = value


def write_back(refs: Iterable[RefCell], values: Iterable[Any]) -> None:
    """Write ``values`` (the outputs of a discharged call) into ``refs``, as user code would."""
    for ref, value in zip(refs, values, strict=True):
        ref._write(value)
