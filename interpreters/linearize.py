"""linearize, fused: jvp and partial evaluation done as each primitive is bound.

``linearize_fused`` runs the user's function once under a ``LinearizeTrace``. Its tracers
carry a primal value and a tangent, which is a tracer of the linear trace (a
``stage_all=False`` ``JaxprTrace``). Binding a primitive on them computes the primal
outputs (``impl``, or a bind in the enclosing trace) and runs the primitive's ``jvp`` rule
with the linear trace current, so the rule's primal-only work is evaluated (or bound in
the enclosing trace) and its tangent work is recorded: the equations of the linear jaxpr
appear as the user's program runs.

This is the composition trace, then ``jvp_eval`` inside a partial-evaluation trace,
applied one equation at a time, with the same rules and the same linear jaxpr as its
result. Fusing the passes means the primal program is never recorded and walked again,
which is what ``grad`` spends its time on when the arrays are small, and that a nested
derivative evaluates its primal program once, in the enclosing trace. An operation none
of whose operands carries a tangent is bound as it is (eagerly, it returns an Array).

With no enclosing trace, primal values are NumPy values; under one (``grad`` inside
``vmap``, ``make_jaxpr`` or another ``grad``), they are values of that trace,
and ``process_nested`` binds the primal work there.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..core.array import Array
from ..core.avals import ShapedArray
from ..core.errors import UnexpectedTracerError
from ..core.ir import NO_SOURCE, Jaxpr, user_source_info
from ..core.primitive import Primitive, Zero
from ..core.trace import (
    JaxprTrace,
    Tracer,
    aval_of,
    bind_in,
    checked_impl,
    concrete_operand,
    eval_eager,
    leaked_message,
    thread_state,
)
from ..primitives.structural import instantiate
from .jvp import tangent_aval

_state = thread_state()


class LinearizeTrace:
    """Computes primal values and records their tangents' linear program as binds arrive."""

    __slots__ = ("label", "linear", "parent", "alive")

    def __init__(self, label: str, linear: JaxprTrace, parent: Any = None) -> None:
        self.label = label
        self.linear = linear
        self.parent = parent  # the enclosing trace, or None
        self.alive = True

    def process(self, prim: Primitive, args: Sequence[Any], params: dict) -> list:
        if self.parent is not None:
            return self.process_nested(prim, args, params)
        # no enclosing trace: primal values are NumPy values
        primals, avals, tangents = [], [], []
        vals = primals  # the NumPy values, when they differ from what rules see
        differentiated = False
        # The rules of higher-order primitives (those with a typecheck rule) run user code, which
        # must see weak types; other rules bind primitives, to which they make no difference.
        user_rules = prim.typecheck is not None
        for x in args:
            if type(x) is Tracer and x._trace is self:
                aval = x.aval
                if aval.weak_type and user_rules:  # an Array carries the weak type
                    if vals is primals:
                        vals = primals[:]
                    primals.append(Array(x.val, True, aval))
                else:
                    primals.append(x.val)
                avals.append(aval)
                tangents.append(x.tangent)
                differentiated = True
            else:
                primal, val, aval = concrete_operand(x, prim.name)
                if vals is primals:
                    vals = primals[:]
                vals.append(val)
                primals.append(primal)
                avals.append(aval)
                tangents.append(_zero_tangent(aval))
                continue
            if vals is not primals:
                vals.append(x.val)
        if not differentiated:
            return eval_eager(prim, args, params)
        out_avals = prim.abstract_eval(*avals, **params)
        outs = checked_impl(prim, vals, params, out_avals)
        rule_outs = outs
        for aval in out_avals if user_rules else ():
            if aval.weak_type:
                rule_outs = [Array(out, a.weak_type, a) for out, a in zip(outs, out_avals)]
                break
        state = _state
        previous_trace, previous_info = state.trace, state.source_info
        state.trace = self.linear
        # (finding the user's line costs more than the rest of the rule; the linear jaxpr is
        # internal, and replaying it attributes its equations to the replaying line)
        state.source_info = NO_SOURCE
        try:
            tangents_out = prim.jvp(primals, tangents, rule_outs, **params)
        finally:
            state.trace, state.source_info = previous_trace, previous_info
        results = []
        for out, aval, t in zip(outs, out_avals, tangents_out):
            if type(t) is Zero:  # nothing to differentiate: a plain value
                results.append(Array(out, aval.weak_type, aval))
            else:
                results.append(Tracer(self, aval, out, None, t))
        return results

    def process_nested(self, prim: Primitive, args: Sequence[Any], params: dict) -> list:
        """``process`` under an enclosing trace: primal values are its values, and the
        primal work (the primitive's and the rule's) is bound there."""
        primals, tangents = [], []
        differentiated = False
        for x in args:
            if type(x) is Tracer and x._trace is self:
                primals.append(x.val)
                tangents.append(x.tangent)
                differentiated = True
            else:
                primals.append(x)
                tangents.append(_zero_tangent(aval_of(x)))
        state = _state
        previous_trace, previous_info = state.trace, state.source_info
        if previous_info is None:  # (found once for the primal and the tangent equations)
            state.source_info = user_source_info()
        try:
            outs = bind_in(self.parent, prim, primals, params)
            if not differentiated:
                return outs
            state.trace = self.linear
            tangents_out = prim.jvp(primals, tangents, outs, **params)
        finally:
            state.trace, state.source_info = previous_trace, previous_info
        return [out if type(t) is Zero else Tracer(self, aval_of(out), out, None, t)
                for out, t in zip(outs, tangents_out)]


def _zero_tangent(aval: ShapedArray) -> Zero:
    """The symbolic zero tangent of a value with this aval (one shared object per aval)."""
    zero = _zero_tangents.get(aval)
    if zero is None:
        zero = _zero_tangents[aval] = Zero(tangent_aval(aval))
    return zero


_zero_tangents: dict[ShapedArray, Zero] = {}


def linearize_fused(flat_fun: Callable, in_avals: Sequence[ShapedArray], in_primals: Sequence[Any],
                    label: str, num_aux: Callable[[], int]) -> tuple[list, Jaxpr, list]:
    """Primal outputs, and the linear jaxpr of the non-auxiliary outputs' tangents with its
    residuals, in one pass over ``flat_fun``.

    ``in_primals`` are NumPy values when no trace is active (the primal outputs are then
    Arrays), else values of the current trace (and so are the primal outputs).
    """
    state = _state
    parent = state.trace
    linear = JaxprTrace(parent, f"{label} (linear part)", concrete=False, stage_all=False)
    trace = LinearizeTrace(label, linear, parent)
    state.trace = trace
    try:
        tangents = [linear.new_arg(tangent_aval(aval)) for aval in in_avals]
        args = [Tracer(trace, aval, primal, None, t)
                for aval, primal, t in zip(in_avals, in_primals, tangents)]
        outs = flat_fun(*args)
        n = len(outs) - num_aux()
        tangents_out, primals_out = [], []
        for i, x in enumerate(outs):
            if type(x) is Tracer and x._trace is trace:
                primal, tangent = x.val, x.tangent
                if parent is None:
                    primal = Array(primal, x.aval.weak_type, x.aval)
            else:
                primal, tangent = _constant_output(x, parent, label), _zero_tangent(aval_of(x))
            primals_out.append(primal)
            if i < n:
                tangents_out.append(tangent)
        state.trace = linear
        linear_jaxpr, residuals = linear.finish([instantiate(t) for t in tangents_out])
    finally:
        trace.alive = linear.alive = False
        state.trace = parent
    return primals_out, linear_jaxpr, residuals


def _constant_output(x: Any, parent: Any, label: str) -> Any:
    """An output that does not depend on the inputs: a value of the enclosing trace as it is,
    anything else as an Array."""
    if type(x) is Tracer and parent is not None:
        if not x._trace.alive:
            raise UnexpectedTracerError(leaked_message(x))
        return x
    _, value, aval = concrete_operand(x, f"the output of {label}")
    return Array(np.asarray(value, aval.dtype), aval.weak_type, aval)
