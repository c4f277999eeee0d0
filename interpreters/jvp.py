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

from ..core.avals import ShapedArray, shaped_array
from ..core.ir import Jaxpr, Literal
from ..core.primitive import Zero
from ..core.trace import new_trace, with_source_info
from .evaluate import check_arity, literal_to_array, read_atom


def last_uses(jaxpr: Jaxpr) -> dict[int, list]:
    """For each equation index, the variables it uses for the last time (outputs excluded)."""
    last: dict = {}
    for i, eqn in enumerate(jaxpr.eqns):
        for a in eqn.inputs:
            if type(a) is not Literal:
                last[a] = i
        for v in eqn.outputs:  # an output nobody uses is dead at once
            last.setdefault(v, i)
    for v in jaxpr.outvars:
        last.pop(v, None)
    dead: dict[int, list] = {}
    for v, i in last.items():
        dead.setdefault(i, []).append(v)
    return dead


def tangent_aval(aval: ShapedArray) -> ShapedArray:
    """The aval of a tangent of a value with this aval (weak types dropped)."""
    return shaped_array(aval.shape, aval.dtype, False)


def jvp_eval(
    jaxpr: Jaxpr,
    consts: Sequence[Any],
    primals: Sequence[Any],
    tangents: Sequence[Any],
    values: dict | None = None,
) -> tuple[list[Any], list[Any]]:
    """Primal and tangent outputs of ``jaxpr``; ``tangents`` may hold ``Zero`` entries."""
    check_arity("jvp_eval", jaxpr, consts, primals)
    primal_env: dict = dict(zip(jaxpr.constvars, consts))
    primal_env.update(zip(jaxpr.invars, primals))
    tangent_env: dict = {v: t for v, t in zip(jaxpr.invars, tangents, strict=True)
                         if type(t) is not Zero}
    dead_after = last_uses(jaxpr)
    for i, eqn in enumerate(with_source_info(jaxpr.eqns)):
        ins = [a if type(a) is Literal else primal_env[a] for a in eqn.inputs]
        if values is not None:  # taken out of the record, so that it can be freed
            outs = [values.pop(v) for v in eqn.outputs]
        else:
            outs = eqn.primitive.bind(*ins, **eqn.params)
        primal_env.update(zip(eqn.outputs, outs))
        for v in dead_after.get(i, ()):  # free primal values nothing needs any more
            del primal_env[v]
        tangents_in = [tangent_env.get(a) for a in eqn.inputs]  # (Literals: never in the env)
        for t in tangents_in:  # (compared by identity: tangents are arrays)
            if t is not None:
                break
        else:
            continue
        tangents_in = [Zero(tangent_aval(a.aval)) if t is None else t
                       for a, t in zip(eqn.inputs, tangents_in)]
        tangents_out = eqn.primitive.jvp(ins, tangents_in, outs, **eqn.params)
        for v, t in zip(eqn.outputs, tangents_out):
            if type(t) is not Zero:
                tangent_env[v] = t
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
