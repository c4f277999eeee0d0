"""The rules of a call primitive, written once with the jaxpr transformers.

A *call* primitive's equation applies the ClosedJaxpr in its params (``params["jaxpr"]``)
to its inputs, one for one, and gives the jaxpr's outputs: ``jit`` and ``checkpoint``
(``remat2``) are calls. Each rule below transforms that jaxpr with its transformer and
wraps the result in a new equation of the same primitive, so that a transformed call stays
one call:

* ``call_typecheck``: the sub-jaxpr typechecks and takes the operands' types;
* ``split_call``: partial evaluation, given the split of the jaxpr: a known call computing
  the known outputs and the residuals, and a staged call of the rest;
* ``call_transpose``, ``call_batch``, ``call_dce``: through ``transpose_jaxpr``,
  ``batch_jaxpr`` and ``dce_jaxpr``.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..core.avals import ShapedArray
from ..core.ir import ClosedJaxpr, Eqn, Literal, Var
from ..core.primitive import NOT_MAPPED, Primitive, UndefPrimal
from ..core.trace import aval_of
from ..core.typecheck import check_avals, typecheck
from ..primitives.structural import bdim_to, instantiate
from .batching import batch_jaxpr
from .partial_eval import dce_jaxpr, forward_residuals, pruned_eqn
from .transpose import transpose_jaxpr


def call_typecheck(what: str, avals: Sequence[ShapedArray], jaxpr: ClosedJaxpr) -> list:
    """The output avals of a call of ``jaxpr`` on operands of ``avals`` (``what`` names the
    equation in errors), after typechecking ``jaxpr``."""
    typecheck(jaxpr)
    check_avals(f"{what} arguments", avals, jaxpr.in_avals)
    return list(jaxpr.out_avals)


def split_call(eqn: Eqn, unknowns: Sequence[bool], known: ClosedJaxpr, staged: ClosedJaxpr,
               out_unknowns: Sequence[bool], num_res: int, **staged_params: Any):
    """A call's ``partial_eval`` result, from the split of its jaxpr into ``known`` (known
    inputs -> known outputs and ``num_res`` residuals) and ``staged`` (residuals and unknown
    inputs -> unknown outputs): a known call (None if it computes nothing), a staged call
    (with ``staged_params`` changed), and the residuals. Residuals that are the call's own
    known inputs are read from the caller."""
    known_inputs = [a for a, u in zip(eqn.inputs, unknowns) if not u]
    known, forwarded = forward_residuals(known, num_res)
    residual_atoms = [known_inputs[i] if i is not None else Var(a)
                      for i, a in zip(forwarded, staged.in_avals)]
    n_known_out = len(known.jaxpr.outvars) - forwarded.count(None)
    known_outvars = [v for v, u in zip(eqn.outputs, out_unknowns) if not u]
    computed = [r for r, i in zip(residual_atoms, forwarded) if i is None]
    known_eqn = None
    if n_known_out + len(computed):
        known_eqn = Eqn(eqn.primitive, tuple(known_inputs), tuple(known_outvars + computed),
                        dict(eqn.params, jaxpr=known), eqn.source_info)
    unknown_inputs = [a for a, u in zip(eqn.inputs, unknowns) if u]
    staged_eqn = Eqn(eqn.primitive, tuple(residual_atoms + unknown_inputs),
                     tuple(v for v, u in zip(eqn.outputs, out_unknowns) if u),
                     dict(eqn.params, jaxpr=staged, **staged_params), eqn.source_info)
    residuals = [a for a in residual_atoms if type(a) is Var]
    return known_eqn, staged_eqn, list(out_unknowns), residuals


def call_transpose(prim: Primitive, cts: Sequence[Any], operands: Sequence[Any],
                   params: dict) -> list:
    """Cotangents of a call's linear operands (``UndefPrimal``): a call of the transposed
    jaxpr on the other operands and the output cotangents (zeros materialised)."""
    linear = tuple(type(x) is UndefPrimal for x in operands)
    cts = [instantiate(ct) for ct in cts]
    transposed, _ = transpose_jaxpr(params["jaxpr"], linear, True,
                                    tuple(aval_of(ct).weak_type for ct in cts))
    nonlinear = [x for x in operands if type(x) is not UndefPrimal]
    cts_in = iter(prim.bind(*nonlinear, *cts, **dict(params, jaxpr=transposed)))
    return [next(cts_in) if lin else None for lin in linear]


def call_batch(prim: Primitive, args: Sequence[Any], dims: Sequence[int | None],
               params: dict) -> tuple[list, list]:
    """A call batched: its batched operands moved to axis 0, a call of the batched jaxpr."""
    size = next(x.shape[d] for x, d in zip(args, dims) if d is not NOT_MAPPED)
    args = [bdim_to(x, d, 0, size) if d not in (NOT_MAPPED, 0) else x for x, d in zip(args, dims)]
    in_batched = tuple(d is not NOT_MAPPED for d in dims)
    batched, out_batched = batch_jaxpr(params["jaxpr"], in_batched, size)
    outs = prim.bind(*args, **dict(params, jaxpr=batched))
    return outs, [0 if b else NOT_MAPPED for b in out_batched]


def call_dce(eqn: Eqn, used_outputs: Sequence[bool]):
    """A call without what computes its unused outputs (gone if none is used)."""
    if not any(used_outputs):
        return [False] * len(eqn.inputs), None
    closed = eqn.params["jaxpr"]
    pruned, used_inputs = dce_jaxpr(closed, tuple(used_outputs))
    if pruned is closed:
        return [type(a) is not Literal for a in eqn.inputs], eqn
    return list(used_inputs), pruned_eqn(eqn, used_inputs, used_outputs, jaxpr=pruned)
