"""``JaxprTrace``: the trace that records a jaxpr, and closure conversion built on it.

Its tracers carry only an aval and the variable they are bound to (abstract tracing:
``make_jaxpr``, the linear part of ``linearize``, the sub-jaxprs of higher-order
primitives). A value from outside the trace (a tracer of an enclosing trace, a NumPy
array, an Array) becomes a constvar of the jaxpr; a scalar becomes a ``Literal``.

A trace built with ``stage_all=False`` records only the equations that touch its own
tracers and hands the others to its parent: this is partial evaluation at bind time,
which is how linearization keeps known primal work out of the linear program.

``closure_convert`` traces a Python callable at avals into a ``ClosedJaxpr`` whose
captured tracers are hoisted into leading inputs: what custom rules, and the jit and
control-flow primitives to come, keep in their params.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

import attrs
import numpy as np

from . import dtypes
from .array import Array
from .avals import ShapedArray, aval_of_numpy, is_python_scalar
from .config import config
from .eager import bind_in, eval_eager, python_literal
from .ir import Atom, ClosedJaxpr, Eqn, Jaxpr, Literal, Var, user_source_info
from .primitive import stage_if_unknown
from .trace import (
    NO_VALUE,
    Trace,
    Tracer,
    aval_of,
    bind_custom_jvp,
    bind_custom_vjp,
    canonicalize_numpy,
    check_visible,
    run_in,
    thread_state,
)
from .typecheck import typecheck

if TYPE_CHECKING:
    from .primitive import Primitive

_state = thread_state()


class JaxprTrace(Trace):
    """Records the equations bound while it is the current trace; see the module docstring."""

    __slots__ = ("stage_all", "invars", "eqns", "constvars", "consts", "_const_ids", "debug")
    records = True

    def __init__(self, parent: Trace | None, label: str, stage_all: bool = True) -> None:
        super().__init__(label, parent)
        self.stage_all = stage_all
        self.invars: list[Var] = []
        self.eqns: list[Eqn] = []
        self.constvars: list[Var] = []
        self.consts: list[Any] = []  # what each constvar stands for, outside this trace
        self._const_ids: dict[int, Var] = {}
        self.debug: DebugInfo | None = None  # what is traced, for error messages

    def new_arg(self, aval: ShapedArray) -> Tracer:
        var = Var(aval)
        self.invars.append(var)
        return Tracer(self, aval, NO_VALUE, var)

    def concrete_value(self, tracer: Tracer) -> Any:
        return NO_VALUE

    def origin_of(self, tracer: Tracer) -> str:
        debug = self.debug
        if debug is None or tracer._trace is not self:
            return ""
        needed = {tracer.ir_var}
        for eqn in reversed(self.eqns):  # the recorded equations the value depends on
            if any(v in needed for v in eqn.outputs):
                needed.update(a for a in eqn.inputs if type(a) is Var)
        names = debug.arg_names()
        args = list(dict.fromkeys(names[i] for i, v in enumerate(self.invars) if v in needed))
        sentence = (f"The error occurred while tracing the function {debug.function} at "
                    f"{debug.source} for {debug.transform}.")
        if not args:
            return sentence
        which = ("the argument " + args[0] if len(args) == 1
                 else "the arguments " + ", ".join(args[:-1]) + " and " + args[-1])
        return (f"{sentence} This concrete value was not available in Python because it "
                f"depends on the value of {which}.")

    def _capture(self, x: Any) -> Atom:
        """The atom standing for a value from outside this trace."""
        kind = type(x)
        if kind is Array:
            value = x._value
            if value.ndim == 0:
                return Literal(value[()], x.aval)
            return self._constvar(x, x.aval)
        if kind is Literal:
            return x
        if kind is Tracer:
            check_visible(x, self.parent, "a traced operation")
            return self._constvar(x, x.aval)
        if isinstance(x, (np.ndarray, np.generic)):
            value = x if kind is np.ndarray and dtypes.is_canonical(x.dtype) \
                else canonicalize_numpy(x)
            if value.ndim == 0:
                return Literal(value[()], aval_of_numpy(value))
            return self._constvar(x, aval_of_numpy(value))
        if is_python_scalar(x):
            return python_literal(x)
        raise TypeError(f"Value {x!r} of type {type(x).__name__} is not a valid jaxlite type")

    def _constvar(self, x: Any, aval: ShapedArray) -> Var:
        # an Array is known by its buffer: the facade wraps the same NumPy array afresh
        key = id(x._value) if type(x) is Array else id(x)
        known = self._const_ids.get(key)
        if known is not None:
            return known
        var = Var(aval)
        self.constvars.append(var)
        self.consts.append(x)  # keeps x (and its buffer) alive, so the key is not reused
        self._const_ids[key] = var
        return var

    def _owns_any(self, args: Sequence[Any]) -> bool:
        for x in args:
            if type(x) is Tracer and x._trace is self:
                return True
        return False

    def process(self, prim: Primitive, args: Sequence[Any], params: dict) -> list[Tracer]:
        if not self.stage_all:
            if not self._owns_any(args):
                # nothing of ours: this is known work, done by the parent
                if self.parent is None:
                    return eval_eager(prim, args, params)
                return bind_in(self.parent, prim, args, params)
            if prim.partial_eval is not stage_if_unknown:
                return self._split(prim, args, params)
        return self.record(prim, args, params)

    def _split(self, prim: Primitive, args: Sequence[Any], params: dict) -> list:
        """Partial evaluation of one equation by its primitive's rule: the known part is
        bound in the parent now, the staged part recorded here (reading the residuals
        the known part computed). How a call's known work stays out of a linear jaxpr."""
        unknowns = [type(x) is Tracer and x._trace is self for x in args]
        if all(unknowns):
            return self.record(prim, args, params)
        invars = tuple(Var(aval_of(x)) for x in args)
        outvars = tuple(Var(a) for a in prim.abstract_eval(*[v.aval for v in invars], **params))
        known, staged, _, _ = prim.partial_eval(Eqn(prim, invars, outvars, params), unknowns)
        env: dict[Any, Any] = dict(zip(invars, args))
        if known is not None:
            values = [env[a] if type(a) is Var else a for a in known.inputs]
            env.update(zip(known.outputs, bind_in(self.parent, known.primitive, values,
                                                  known.params)))
        if staged is not None:
            values = [env[a] if type(a) is Var else a for a in staged.inputs]
            env.update(zip(staged.outputs, self.record(staged.primitive, values, staged.params)))
        return [env[v] for v in outvars]

    def record(self, prim: Primitive, args: Sequence[Any], params: dict) -> list[Tracer]:
        """Record one equation of ``prim`` on ``args``: its output tracers."""
        atoms, avals = [], []
        for x in args:
            atom = x.ir_var if type(x) is Tracer and x._trace is self else self._capture(x)
            atoms.append(atom)
            avals.append(atom.aval)
        out_avals = prim.abstract_eval(*avals, **params)
        source_info = _state.source_info or user_source_info(skip=4)
        if len(out_avals) == 1:  # the common case, without the loops
            aval = out_avals[0]
            var = Var(aval)
            self.eqns.append(Eqn(prim, tuple(atoms), (var,), params, source_info))
            return [Tracer(self, aval, NO_VALUE, var)]
        outvars = [Var(aval) for aval in out_avals]
        self.eqns.append(Eqn(prim, tuple(atoms), tuple(outvars), params, source_info))
        return [Tracer(self, var.aval, NO_VALUE, var) for var in outvars]

    def process_custom_jvp_call(self, prim, fun, jvp, args, *, symbolic_zeros):
        if not self.stage_all and not self._owns_any(args):
            return run_in(self.parent, bind_custom_jvp, prim, fun, jvp, args,
                          symbolic_zeros=symbolic_zeros)
        call, consts = closure_convert(fun, [aval_of(x) for x in args], prim.name)
        return self.process(prim, [*consts, *args],
                            dict(name=_name_of(fun), call_jaxpr=call, jvp=Rule(jvp),
                                 num_consts=len(consts), symbolic_zeros=symbolic_zeros))

    def process_custom_vjp_call(self, prim, fun, fwd, bwd, args, *, symbolic_zeros):
        if not self.stage_all and not self._owns_any(args):
            return run_in(self.parent, bind_custom_vjp, prim, fun, fwd, bwd, args,
                          symbolic_zeros=symbolic_zeros)
        call, consts = closure_convert(fun, [aval_of(x) for x in args], prim.name)
        return self.process(prim, [*consts, *args],
                            dict(name=_name_of(fun), call_jaxpr=call, fwd=Rule(fwd),
                                 bwd=Rule(bwd), num_consts=len(consts),
                                 symbolic_zeros=symbolic_zeros))

    def atom_of(self, x: Any) -> Atom:
        """The atom standing for ``x`` in this trace's jaxpr."""
        if type(x) is Tracer and x._trace is self:
            return x.ir_var
        return self._capture(x)

    def finish(self, outs: Sequence[Any]) -> tuple[Jaxpr, list[Any]]:
        """The jaxpr recorded so far with ``outs`` as outputs, and its constvars' values."""
        outvars = tuple(self.atom_of(x) for x in outs)
        jaxpr = Jaxpr(tuple(self.constvars), tuple(self.invars), tuple(self.eqns), outvars)
        if config.jaxlite_check_jaxprs:
            typecheck(jaxpr)
        return jaxpr, list(self.consts)


@attrs.frozen
class DebugInfo:
    """What a trace is tracing, for error messages: the function's name and where it is
    defined, the transform, and (computed only when asked) a name for each input."""

    function: str
    source: str
    transform: str
    arg_names: Callable[[], Sequence[str]]


def _name_of(fun: Callable) -> str:
    return getattr(fun, "__name__", "fun")


@attrs.frozen(eq=False)
class Rule:
    """A user's derivative rule kept in an equation's params: hashable by identity, printed
    by name. It is called, never inspected."""

    fn: Callable

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)

    def __str__(self) -> str:
        return getattr(self.fn, "__name__", "rule")

    __repr__ = __str__


@contextlib.contextmanager
def new_trace(label: str, *, stage_all: bool = True) -> Iterator[JaxprTrace]:
    """Make a new ``JaxprTrace`` the current one for the duration of the block.

    The previous trace is restored however the block exits, so an exception leaves
    no trace behind; tracers of the finished trace are marked dead.
    """
    previous = _state.trace
    trace = JaxprTrace(previous, label, stage_all)
    _state.trace = trace
    try:
        yield trace
    finally:
        trace.alive = False
        _state.trace = previous


def trace_to_jaxpr(fun: Callable[..., Sequence[Any]], in_avals: Sequence[ShapedArray], *,
                   label: str) -> tuple[Jaxpr, list[Any]]:
    """Trace ``fun`` (flat lists in, flat list out) to a jaxpr at ``in_avals``.

    Returns the jaxpr and the values its constvars stand for.
    """
    with new_trace(label) as trace:
        outs = fun(*[trace.new_arg(aval) for aval in in_avals])
        return trace.finish(outs)


def trace_closed(fun: Callable[..., Sequence[Any]], in_avals: Sequence[ShapedArray],
                 label: str) -> ClosedJaxpr:
    """Trace ``fun`` (flat in, flat out) at ``in_avals`` into a ClosedJaxpr over the values
    it captured; what the jaxpr transformers return."""
    jaxpr, consts = trace_to_jaxpr(fun, in_avals, label=label)
    return ClosedJaxpr(jaxpr, tuple(consts))


def closure_convert(fun: Callable[..., Sequence[Any]], in_avals: Sequence[ShapedArray],
                    label: str) -> tuple[ClosedJaxpr, list[Any]]:
    """Trace ``fun`` (flat in, flat out) at ``in_avals`` into a ClosedJaxpr that closes over
    nothing traced: the tracers it captured become leading inputs, returned as operands.

    Concrete values it captured (arrays) stay the ClosedJaxpr's consts.
    """
    jaxpr, consts = trace_to_jaxpr(fun, in_avals, label=label)
    traced = [type(c) is Tracer for c in consts]
    if not any(traced):
        return ClosedJaxpr(jaxpr, tuple(consts)), []
    hoisted = [v for v, t in zip(jaxpr.constvars, traced) if t]
    kept = [v for v, t in zip(jaxpr.constvars, traced) if not t]
    converted = Jaxpr(tuple(kept), tuple(hoisted) + jaxpr.invars, jaxpr.eqns, jaxpr.outvars)
    return (ClosedJaxpr(converted, tuple(c for c, t in zip(consts, traced) if not t)),
            [c for c, t in zip(consts, traced) if t])

