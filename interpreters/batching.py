"""vmap : (a -> b) -> (a[n] -> b[n])

``batch_eval`` walks a jaxpr carrying, for each variable, a value and the axis along
which it is batched (``NOT_MAPPED`` when it is the same for every batch member).
Equations whose inputs are all unbatched are bound unchanged, so unbatched values
stay unbatched; the others go to the primitive's ``batch`` rule, which may leave the
batch axis wherever is cheapest.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..core.avals import ShapedArray, shaped_array
from ..core.ir import Jaxpr, Literal
from ..core.primitive import NOT_MAPPED
from ..core.trace import current_trace, new_trace, with_source_info
from .evaluate import check_arity, literal_to_array, read_atom


def batch_eval(
    jaxpr: Jaxpr, consts: Sequence[Any], args: Sequence[Any], in_dims: Sequence[int | None]
) -> tuple[list[Any], list[int | None]]:
    """Outputs of ``jaxpr`` on batched ``args`` and the batch axis of each output."""
    check_arity("batch_eval", jaxpr, consts, args)
    env: dict = dict(zip(jaxpr.constvars, consts))
    env.update(zip(jaxpr.invars, args))
    dims: dict = {v: d for v, d in zip(jaxpr.invars, in_dims, strict=True) if d is not NOT_MAPPED}
    eqns = jaxpr.eqns  # (attribution matters only to equations being recorded)
    for eqn in with_source_info(eqns) if current_trace() is not None else eqns:
        ins = [read_atom(env, a) for a in eqn.inputs]
        in_dims_eqn = [dims.get(a, NOT_MAPPED) for a in eqn.inputs]  # (Literals: never in dims)
        for d in in_dims_eqn:
            if d is not NOT_MAPPED:
                break
        else:  # nothing batched: the equation applies as it is
            env.update(zip(eqn.outputs, eqn.primitive.bind(*ins, **eqn.params)))
            continue
        outs, out_dims = eqn.primitive.batch(ins, in_dims_eqn, **eqn.params)
        for v, out, d in zip(eqn.outputs, outs, out_dims):
            env[v] = out
            if d is not NOT_MAPPED:
                dims[v] = d
    outs = [literal_to_array(read_atom(env, v)) for v in jaxpr.outvars]
    out_dims = [NOT_MAPPED if type(v) is Literal else dims.get(v, NOT_MAPPED)
                for v in jaxpr.outvars]
    return outs, out_dims


def batched_aval(aval: ShapedArray, dim: int | None, size: int) -> ShapedArray:
    """The aval of a batch of ``size`` values of ``aval`` stacked along ``dim``."""
    if dim is NOT_MAPPED:
        return aval
    shape = list(aval.shape)
    shape.insert(dim, size)
    return shaped_array(tuple(shape), aval.dtype, aval.weak_type)


def batch_jaxpr(
    jaxpr: Jaxpr, in_dims: Sequence[int | None], axis_size: int
) -> tuple[Jaxpr, list[Any], list[int | None]]:
    """The batched program of ``jaxpr`` (constvars unbatched and placed first).

    Returns the new jaxpr, its consts and the batch axis of each output.
    """
    with new_trace("batch_jaxpr") as trace:
        consts = [trace.new_arg(v.aval) for v in jaxpr.constvars]
        args = [trace.new_arg(batched_aval(v.aval, d, axis_size))
                for v, d in zip(jaxpr.invars, in_dims)]
        outs, out_dims = batch_eval(jaxpr, consts, args, in_dims)
        out, out_consts = trace.finish(outs)
    return out, out_consts, out_dims
