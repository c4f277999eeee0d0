"""linearize : (a -> b) -> a -> (b, T a -o T b), the one differentiation engine.

``linearize_fused`` runs the user's function once under a ``LinearizeTrace``. Its tracers
carry a primal value (``val``, a value of the enclosing trace, or a NumPy value when
there is none) and a tangent, which is a tracer of the linear trace (a
``stage_all=False`` ``JaxprTrace``). Binding a primitive on them computes the primal
outputs (``impl``, or a bind in the enclosing trace) and runs the primitive's ``jvp``
rule with the linear trace current, so the rule's primal-only work is evaluated (or
bound in the enclosing trace) and its tangent work is recorded: the equations of the
linear jaxpr appear as the user's program runs.

This is jvp followed by partial evaluation, applied one equation at a time with the
same rules: the primal program is never recorded and walked again, and a nested
derivative evaluates its primal program once, in the enclosing trace. ``jvp`` evaluates
the linear jaxpr forward, ``vjp`` transposes it. An operation none of whose operands
carries a tangent is bound as it is, in the enclosing trace.

Custom rules: a ``custom_jvp`` function's rule runs in place of the function (once per
linearization); a ``custom_vjp`` function runs ``fwd`` on the primals and records a
``custom_lin`` equation whose transpose is ``bwd``.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..core.array import Array
from ..core.avals import ShapedArray, shaped_array
from ..core.cache import bounded_cache, cache_put
from ..core.eager import checked_impl, concrete_operand, eval_eager
from ..core.ir import NO_SOURCE, Jaxpr, user_source_info
from ..core.jaxpr_trace import JaxprTrace, Rule
from ..core.primitive import Primitive, Zero
from ..core.trace import (
    Trace,
    Tracer,
    aval_of,
    bind_custom_jvp,
    bind_custom_vjp,
    check_alive,
    run_in,
    thread_state,
)
from ..primitives.custom_lin import custom_lin_p
from ..primitives.structural import instantiate

_state = thread_state()


class LinearizeTrace(Trace):
    """Computes primal values and records their tangents' linear program as binds arrive."""

    __slots__ = ("linear",)

    def __init__(self, label: str, linear: JaxprTrace, parent: Trace | None = None) -> None:
        super().__init__(label, parent)
        self.linear = linear

    def process(self, prim: Primitive, args: Sequence[Any], params: dict) -> list:
        if prim.linearize is not None:
            return self.process_linearized(prim, args, params)
        if self.parent is not None:
            return self.process_nested(prim, args, params)
        # no enclosing trace: primal values are NumPy values
        primals, avals, tangents = [], [], []
        vals = primals  # the NumPy values, when they differ from what rules see
        differentiated = False
        for x in args:
            if type(x) is Tracer and x._trace is self:
                primals.append(x.val)
                avals.append(x.aval)
                tangents.append(x.tangent)
                differentiated = True
                if vals is not primals:
                    vals.append(x.val)
            else:
                primal, val, aval = concrete_operand(x, prim.name)
                if vals is primals:
                    vals = primals[:]
                vals.append(val)
                primals.append(primal)
                avals.append(aval)
                tangents.append(_zero_tangent(aval))
        if not differentiated:
            return eval_eager(prim, args, params)
        out_avals = prim.abstract_eval(*avals, **params)
        outs = checked_impl(prim, vals, params, out_avals)
        state = _state
        previous_trace, previous_info = state.trace, state.source_info
        state.trace = self.linear
        # (finding the user's line costs more than the rest of the rule; the linear jaxpr is
        # internal, and replaying it attributes its equations to the replaying line)
        state.source_info = NO_SOURCE
        try:
            tangents_out = prim.jvp(primals, tangents, outs, **params)
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
                tangents.append(None)  # a zero tangent, made below if anything is differentiated
        parent = self.parent
        state = _state
        previous_trace, previous_info = state.trace, state.source_info
        if previous_info is None:  # (found once for the primal and the tangent equations;
            # the linear jaxpr is internal: see ``process``)
            state.source_info = user_source_info() if parent.stages else NO_SOURCE
        try:
            state.trace = parent
            outs = parent.process(prim, primals, params)
            if not differentiated:
                return outs
            for i, t in enumerate(tangents):
                if t is None:
                    tangents[i] = _zero_tangent(aval_of(primals[i]))
            state.trace = self.linear
            tangents_out = prim.jvp(primals, tangents, outs, **params)
        finally:
            state.trace, state.source_info = previous_trace, previous_info
        if len(outs) == 1:
            t = tangents_out[0]
            out = outs[0]
            return [out if type(t) is Zero else Tracer(self, aval_of(out), out, None, t)]
        return [out if type(t) is Zero else Tracer(self, aval_of(out), out, None, t)
                for out, t in zip(outs, tangents_out)]

    def process_linearized(self, prim: Primitive, args: Sequence[Any], params: dict) -> list:
        """A primitive with a ``linearize`` rule (a call): its primal outputs and their
        tangents come from the rule, run with the linear trace current."""
        primals, tangents, differentiated = self._split(args)
        if not differentiated:
            return run_in(self.parent, prim.bind, *primals, **params)
        outs, tangents_out = run_in(self.linear, prim.linearize, primals, tangents, **params)
        return [self._output(o, t) for o, t in zip(outs, tangents_out)]

    # ------------------------------------------------------------ custom rules

    def _split(self, args: Sequence[Any]) -> tuple[list, list, bool]:
        """Primal values as user code sees them (Arrays when eager), tangents (``Zero`` for
        operands from outside), and whether any operand carries a tangent."""
        primals, tangents, differentiated = [], [], False
        for x in args:
            if type(x) is Tracer and x._trace is self:
                primals.append(self._user_primal(x))
                tangents.append(x.tangent)
                differentiated = True
            else:
                primals.append(x)
                tangents.append(_zero_tangent(aval_of(x)))
        return primals, tangents, differentiated

    def _user_primal(self, x: Tracer) -> Any:
        return Array(x.val, x.aval.weak_type, x.aval) if self.parent is None else x.val

    def _output(self, out: Any, tangent: Any) -> Any:
        """A primal output of a custom rule, and its tangent, as a value of this trace."""
        if type(tangent) is Zero:
            return out
        aval = aval_of(out)
        val = concrete_operand(out, "a custom rule")[1] if self.parent is None else out
        return Tracer(self, aval, val, tangent=tangent)

    def process_custom_jvp_call(self, prim, fun, jvp, args, *, symbolic_zeros):
        primals, tangents, differentiated = self._split(args)
        if not differentiated:
            return run_in(self.parent, bind_custom_jvp, prim, fun, jvp, primals,
                          symbolic_zeros=symbolic_zeros)
        outs, tangents_out = run_in(self.linear, jvp, primals, tangents)
        return [self._output(o, t) for o, t in zip(outs, tangents_out)]

    def process_custom_vjp_call(self, prim, fun, fwd, bwd, args, *, symbolic_zeros):
        primals, tangents, differentiated = self._split(args)
        if not differentiated:
            return run_in(self.parent, bind_custom_vjp, prim, fun, fwd, bwd, primals,
                          symbolic_zeros=symbolic_zeros)
        perturbed = [type(t) is not Zero for t in tangents]
        outs, residuals = run_in(self.parent, fwd, perturbed, *primals)
        out_avals = tuple(tangent_aval(aval_of(o)) for o in outs)
        tangents = run_in(self.linear, _instantiate_all, tangents)
        tangents_out = run_in(self.linear, custom_lin_p.bind, *residuals, *tangents,
                              bwd=Rule(bwd), num_res=len(residuals), out_avals=out_avals)
        return [self._output(o, t) for o, t in zip(outs, tangents_out)]


def tangent_aval(aval: ShapedArray) -> ShapedArray:
    """The aval of a tangent of a value with this aval (weak types dropped)."""
    return shaped_array(aval.shape, aval.dtype, False)


def _instantiate_all(tangents: Sequence[Any]) -> list:
    return [instantiate(t) for t in tangents]


def _zero_tangent(aval: ShapedArray) -> Zero:
    """The symbolic zero tangent of a value with this aval (one shared object per aval)."""
    zero = _zero_tangents.get(aval)
    if zero is None:
        zero = cache_put(_zero_tangents, aval, Zero(tangent_aval(aval)))
    return zero


_zero_tangents: dict = bounded_cache(f"{__name__}._zero_tangents", 4096)


def linearize_fused(flat_fun: Callable, in_avals: Sequence[ShapedArray], in_primals: Sequence[Any],
                    label: str, num_aux: Callable[[], int] = lambda: 0
                    ) -> tuple[list, Jaxpr, list, list[bool]]:
    """Primal outputs, the linear jaxpr of the non-auxiliary outputs' tangents with its
    residuals, and which of those tangents are not symbolically zero, in one pass over
    ``flat_fun``.

    ``in_primals`` are NumPy values when no trace is active (the primal outputs are then
    Arrays), else values of the current trace (and so are the primal outputs).
    """
    state = _state
    parent = state.trace
    linear = JaxprTrace(parent, f"{label} (linear part)", stage_all=False)
    trace = LinearizeTrace(label, linear, parent)
    state.trace = trace
    try:
        tangents = [linear.new_arg(tangent_aval(aval)) for aval in in_avals]
        args = [Tracer(trace, aval, primal, tangent=t)
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
        nonzeros = [type(t) is not Zero for t in tangents_out]
        linear_jaxpr, residuals = linear.finish([instantiate(t) for t in tangents_out])
    finally:
        trace.alive = linear.alive = False
        state.trace = parent
    return primals_out, linear_jaxpr, residuals, nonzeros


def _constant_output(x: Any, parent: Any, label: str) -> Any:
    """An output that does not depend on the inputs: a value of the enclosing trace as it is,
    anything else as an Array."""
    if type(x) is Tracer and parent is not None:
        check_alive(x)
        return x
    _, value, aval = concrete_operand(x, f"the output of {label}")
    return Array(np.asarray(value, aval.dtype), aval.weak_type, aval)
