"""jvp : (a -> b) -> (a, T a) -> (b, T b)

``jvp_eval`` walks a jaxpr carrying a primal and a tangent per variable and asks each
primitive's ``jvp`` rule for the output tangents. Tangents that are known to be zero are
the symbolic ``Zero(aval)`` and are never materialised; an equation whose inputs all
have zero tangents costs nothing beyond its primal.

Run under a trace, the walk records the JVP program; run with a ``stage_all=False``
trace holding the tangents, it is linearization (see ``transforms.linearize``).
When the primal values were recorded while tracing (``values``), they are reused, so
the forward pass is not evaluated twice.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..core.avals import ShapedArray
from ..core.ir import Jaxpr, Literal
from ..core.primitive import Zero
from ..core.trace import new_trace, thread_state
from .evaluate import literal_to_array, read_atom


def tangent_aval(aval: ShapedArray) -> ShapedArray:
    """The aval of a tangent of a value with this aval (weak types dropped)."""
    return ShapedArray(aval.shape, aval.dtype, False)


def jvp_eval(
    jaxpr: Jaxpr,
    consts: Sequence[Any],
    primals: Sequence[Any],
    tangents: Sequence[Any],
    values: dict | None = None,
) -> tuple[list[Any], list[Any]]:
    """Primal and tangent outputs of ``jaxpr``; ``tangents`` may hold ``Zero`` entries."""
    primal_env: dict = dict(zip(jaxpr.constvars, consts))
    primal_env.update(zip(jaxpr.invars, primals))
    tangent_env: dict = {v: t for v, t in zip(jaxpr.invars, tangents) if type(t) is not Zero}
    state = thread_state()
    previous = state.source_info
    try:
        for eqn in jaxpr.eqns:
            state.source_info = eqn.source_info
            ins = [a if type(a) is Literal else primal_env[a] for a in eqn.inputs]
            if values is not None:
                outs = [values[v] for v in eqn.outputs]
            else:
                outs = eqn.primitive.bind(*ins, **eqn.params)
            primal_env.update(zip(eqn.outputs, outs))
            tangents_in, nonzero = [], False
            for a in eqn.inputs:
                t = tangent_env.get(a)  # (a Literal hashes by identity: never in the env)
                if t is None:
                    tangents_in.append(Zero(a.aval))
                else:
                    tangents_in.append(t)
                    nonzero = True
            if not nonzero:
                continue
            tangents_out = eqn.primitive.jvp(ins, tangents_in, outs, **eqn.params)
            for v, t in zip(eqn.outputs, tangents_out):
                if type(t) is not Zero:
                    tangent_env[v] = t
    finally:
        state.source_info = previous
    primals_out = [literal_to_array(read_atom(primal_env, v)) for v in jaxpr.outvars]
    tangents_out = [Zero(tangent_aval(v.aval)) if type(v) is Literal or v not in tangent_env
                    else tangent_env[v] for v in jaxpr.outvars]
    return primals_out, tangents_out


def jvp_jaxpr(jaxpr: Jaxpr, nonzeros: Sequence[bool]) -> tuple[Jaxpr, list[Any], list[bool]]:
    """The JVP program of ``jaxpr``: ``(consts, primals, nonzero tangents) -> (outs, nonzero tangent outs)``.

    Returns the new jaxpr, its consts, and which outputs have a nonzero tangent.
    """
    in_avals = jaxpr.in_avals
    with new_trace("jvp_jaxpr") as trace:
        const_args = [trace.new_arg(v.aval) for v in jaxpr.constvars]
        primals = [trace.new_arg(a) for a in in_avals]
        tangents = [trace.new_arg(tangent_aval(a)) if nz else Zero(tangent_aval(a))
                    for a, nz in zip(in_avals, nonzeros)]
        outs, tangents_out = jvp_eval(jaxpr, const_args, primals, tangents)
        out_nonzeros = [type(t) is not Zero for t in tangents_out]
        new_jaxpr, consts = trace.finish(outs + [t for t in tangents_out if type(t) is not Zero])
    return new_jaxpr, consts, out_nonzeros
