"""partial_eval : (a_known, a_unknown -> b) -> (a_known -> (b_known, res)), (res, a_unknown -> b_unknown)

Splits a jaxpr by which inputs are known. It evaluates the jaxpr with two nested traces:
the outer one records the known program, the inner one (``stage_all=False``) records
only equations that touch an unknown value and hands the rest to the outer one. Known
values the unknown program needs are the *residuals*. ``dce_jaxpr`` removes equations
whose results are never used.
"""

from __future__ import annotations

from typing import Sequence

from ..core.ir import ClosedJaxpr, Jaxpr, Literal, Var
from ..core.trace import Tracer, new_trace
from .evaluate import eval_jaxpr


def partial_eval_jaxpr(
    jaxpr: Jaxpr, unknowns: Sequence[bool]
) -> tuple[ClosedJaxpr, Jaxpr, list[bool], int]:
    """Split ``jaxpr`` (constvars treated as known inputs, placed first) by unknown inputs.

    Returns ``(known_jaxpr, unknown_jaxpr, out_unknowns, num_residuals)`` where
    ``known_jaxpr : (consts, known inputs) -> (known outputs, residuals)`` (closed over
    any constants it captured) and
    ``unknown_jaxpr : (residuals, unknown inputs) -> unknown outputs``.
    """
    with new_trace("partial_eval (known part)") as known:
        const_args = [known.new_arg(v.aval) for v in jaxpr.constvars]
        known_args = [known.new_arg(v.aval) for v, u in zip(jaxpr.invars, unknowns) if not u]
        with new_trace("partial_eval (unknown part)", stage_all=False) as unknown:
            unknown_args = [unknown.new_arg(v.aval) for v, u in zip(jaxpr.invars, unknowns) if u]
            known_iter, unknown_iter = iter(known_args), iter(unknown_args)
            args = [next(unknown_iter) if u else next(known_iter) for u in unknowns]
            outs = eval_jaxpr(jaxpr, const_args, *args)
            out_unknowns = [type(x) is Tracer and x._trace is unknown for x in outs]
            unknown_part, residuals = unknown.finish([x for x, u in zip(outs, out_unknowns) if u])
        known_outs = [x for x, u in zip(outs, out_unknowns) if not u]
        known_part, known_consts = known.finish(known_outs + residuals)
    unknown_jaxpr = Jaxpr((), unknown_part.constvars + unknown_part.invars, unknown_part.eqns,
                          unknown_part.outvars)
    known_jaxpr = ClosedJaxpr(dce_jaxpr(known_part), tuple(known_consts))
    return known_jaxpr, dce_jaxpr(unknown_jaxpr), out_unknowns, len(residuals)


def dce_jaxpr(jaxpr: Jaxpr) -> Jaxpr:
    """``jaxpr`` without the equations whose outputs nothing uses (primitives are pure)."""
    live = {v for v in jaxpr.outvars if type(v) is Var}
    kept = []
    for eqn in reversed(jaxpr.eqns):
        outputs = eqn.outputs
        if outputs[0] in live if len(outputs) == 1 else any(v in live for v in outputs):
            kept.append(eqn)
            for a in eqn.inputs:
                if type(a) is not Literal:
                    live.add(a)
    if len(kept) == len(jaxpr.eqns):
        return jaxpr
    return Jaxpr(jaxpr.constvars, jaxpr.invars, tuple(reversed(kept)), jaxpr.outvars)
