"""partial_eval : (a_known, a_unknown -> b) -> (a_known -> (b_known, res)), (res, a_unknown -> b_unknown)

``partial_eval_jaxpr`` splits a jaxpr by which inputs are known, one equation at a time:
each primitive's ``partial_eval`` rule says which part of its equation is computable
from known values and which is staged, and which known variables the staged part reads
(the *residuals*). ``dce_jaxpr`` removes what computes unused outputs, asking each
primitive's ``dce`` rule.

``partial_eval_jaxpr_remat`` is the same split with rematerialization, for ``checkpoint``:
a known equation whose outputs its policy does not let the staged part keep is also copied
into the staged part, which recomputes them from what it does keep.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ..core.cache import memoize
from ..core.config import config
from ..core.ir import ClosedJaxpr, Eqn, Jaxpr, Literal, Var
from ..core.typecheck import typecheck


def _flags(flag: bool | Sequence[bool], n: int) -> tuple[bool, ...]:
    return (flag,) * n if isinstance(flag, bool) else tuple(flag)


@memoize(maxsize=1024)
def partial_eval_jaxpr(closed: ClosedJaxpr, unknowns: tuple[bool, ...],
                       instantiate: bool | tuple[bool, ...] = False
                       ) -> tuple[ClosedJaxpr, ClosedJaxpr, tuple[bool, ...], int]:
    """Split ``closed`` by its unknown inputs.

    Returns ``(known, staged, out_unknowns, num_residuals)`` with
    ``known : known inputs -> (known outputs, residuals)`` and
    ``staged : (residuals, unknown inputs) -> unknown outputs``; ``instantiate`` (one flag
    or one per output) makes known outputs unknown, handed over as residuals.
    """
    jaxpr = closed.jaxpr
    unknown_vars = {v for v, u in zip(jaxpr.invars, unknowns) if u}
    known_eqns, staged_eqns = [], []
    residuals: dict[Var, None] = {}  # ordered
    for eqn in jaxpr.eqns:
        eqn_unknowns = [type(a) is Var and a in unknown_vars for a in eqn.inputs]
        known, staged, out_unknowns, res = eqn.primitive.partial_eval(eqn, eqn_unknowns)
        if known is not None:
            known_eqns.append(known)
        if staged is not None:
            staged_eqns.append(staged)
        residuals.update(dict.fromkeys(res))
        unknown_vars.update(v for v, u in zip(eqn.outputs, out_unknowns) if u)
    forced = _flags(instantiate, len(jaxpr.outvars))
    out_unknowns = tuple(type(v) is Var and v in unknown_vars or f
                         for v, f in zip(jaxpr.outvars, forced))
    for v, u in zip(jaxpr.outvars, out_unknowns):
        if u and type(v) is Var and v not in unknown_vars:
            residuals[v] = None  # a known output made unknown: handed over as it is
    residual_vars = tuple(v for v in residuals if v not in unknown_vars)
    return _split(closed, unknowns, out_unknowns, known_eqns, staged_eqns, residual_vars)


def _split(closed: ClosedJaxpr, unknowns: Sequence[bool], out_unknowns: tuple[bool, ...],
           known_eqns: Sequence[Eqn], staged_eqns: Sequence[Eqn], residuals: tuple[Var, ...]
           ) -> tuple[ClosedJaxpr, ClosedJaxpr, tuple[bool, ...], int]:
    """The result of a partial evaluation of ``closed``, from its equations' split."""
    jaxpr = closed.jaxpr
    known_outs = tuple(v for v, u in zip(jaxpr.outvars, out_unknowns) if not u)
    known_invars = tuple(v for v, u in zip(jaxpr.invars, unknowns) if not u)
    staged_invars = tuple(v for v, u in zip(jaxpr.invars, unknowns) if u)
    known_jaxpr = Jaxpr(jaxpr.constvars, known_invars, tuple(known_eqns), known_outs + residuals)
    staged_jaxpr = Jaxpr((), residuals + staged_invars, tuple(staged_eqns),
                         tuple(v for v, u in zip(jaxpr.outvars, out_unknowns) if u))
    known_closed, _ = dce_jaxpr(ClosedJaxpr(known_jaxpr, closed.consts), instantiate=True)
    staged_closed = ClosedJaxpr(staged_jaxpr, ())
    if config.jaxlite_check_jaxprs:
        typecheck(known_closed)
        typecheck(staged_closed)
    return known_closed, staged_closed, out_unknowns, len(residuals)


@memoize(maxsize=1024)
def dce_jaxpr(closed: ClosedJaxpr, used_outputs: tuple[bool, ...] | None = None,
              instantiate: bool = False) -> tuple[ClosedJaxpr, tuple[bool, ...]]:
    """``closed`` without what computes outputs nobody uses, and which inputs it still uses.

    ``used_outputs`` (default: all) names the outputs to keep; unused ones are dropped.
    With ``instantiate`` every input is kept, used or not.
    """
    jaxpr, used_inputs = dce(closed.jaxpr, used_outputs, instantiate)
    return (closed if jaxpr is closed.jaxpr else ClosedJaxpr(jaxpr, closed.consts)), used_inputs


def pruned_eqn(eqn: Eqn, used_inputs: Sequence[bool], used_outputs: Sequence[bool],
               **params: Any) -> Eqn:
    """``eqn`` reading only its used inputs and defining only its used outputs, with the
    ``params`` given changed: what the ``dce`` rule of a higher-order primitive returns."""
    return Eqn(eqn.primitive, tuple(a for a, u in zip(eqn.inputs, used_inputs) if u),
               tuple(v for v, u in zip(eqn.outputs, used_outputs) if u),
               dict(eqn.params, **params), eqn.source_info)


def dce(jaxpr: Jaxpr, used_outputs: tuple[bool, ...] | None = None,
        instantiate: bool = False) -> tuple[Jaxpr, tuple[bool, ...]]:
    """``dce_jaxpr`` on a bare jaxpr (constvars kept), not memoised: for one-off jaxprs
    such as the linear part of a ``linearize``."""
    used_outputs = used_outputs or (True,) * len(jaxpr.outvars)
    live = {v for v, used in zip(jaxpr.outvars, used_outputs) if used and type(v) is Var}
    kept = []
    for eqn in reversed(jaxpr.eqns):
        used_inputs, new_eqn = eqn.primitive.dce(eqn, [v in live for v in eqn.outputs])
        if new_eqn is None:
            continue
        kept.append(new_eqn)
        live.update(a for a, used in zip(eqn.inputs, used_inputs) if used and type(a) is not Literal)
    used_inputs = tuple(instantiate or v in live for v in jaxpr.invars)
    outvars = tuple(v for v, used in zip(jaxpr.outvars, used_outputs) if used)
    if len(kept) == len(jaxpr.eqns) and all(used_inputs) and len(outvars) == len(jaxpr.outvars):
        return jaxpr, used_inputs
    invars = tuple(v for v, used in zip(jaxpr.invars, used_inputs) if used)
    return Jaxpr(jaxpr.constvars, invars, tuple(reversed(kept)), outvars), used_inputs


@memoize(maxsize=1024)
def partial_eval_jaxpr_remat(closed: ClosedJaxpr, unknowns: tuple[bool, ...], saveable: Callable,
                             instantiate: bool | tuple[bool, ...] = False
                             ) -> tuple[ClosedJaxpr, ClosedJaxpr, tuple[bool, ...], int]:
    """``partial_eval_jaxpr`` with rematerialization: what ``checkpoint`` differentiates by.

    Every known equation runs in the known jaxpr, but the staged jaxpr reads as residuals
    only the known values that ``saveable(primitive, *in_avals, **params)`` (a checkpoint
    policy) lets it keep, and the known inputs; a known equation whose outputs may not be
    kept is copied into the staged jaxpr, which recomputes from those residuals what it
    needs. Same results and contract as ``partial_eval_jaxpr``.
    """
    jaxpr = closed.jaxpr
    unknown_vars = {v for v, u in zip(jaxpr.invars, unknowns) if u}
    known_eqns, staged_eqns = [], []
    for eqn in jaxpr.eqns:
        eqn_unknowns = [type(a) is Var and a in unknown_vars for a in eqn.inputs]
        known, staged, out_unknowns, _ = eqn.primitive.partial_eval(eqn, eqn_unknowns)
        if known is not None:
            known_eqns.append(known)
            if not saveable(known.primitive, *[a.aval for a in known.inputs], **known.params):
                staged_eqns.append(known)  # recomputed, where the staged jaxpr needs it
        if staged is not None:
            staged_eqns.append(staged)
        unknown_vars.update(v for v, u in zip(eqn.outputs, out_unknowns) if u)
    forced = _flags(instantiate, len(jaxpr.outvars))
    out_unknowns = tuple(type(v) is Var and v in unknown_vars or f
                         for v, f in zip(jaxpr.outvars, forced))
    staged_outs = tuple(v for v, u in zip(jaxpr.outvars, out_unknowns) if u)
    staged_jaxpr, _ = dce(Jaxpr((), (), tuple(staged_eqns), staged_outs))  # (what is needed)
    residuals = _free_vars(staged_jaxpr, unknown_vars)
    return _split(closed, unknowns, out_unknowns, known_eqns, staged_jaxpr.eqns, residuals)


def _free_vars(jaxpr: Jaxpr, unknown_vars: set) -> tuple[Var, ...]:
    """The known variables ``jaxpr`` reads but does not define, in order of first use."""
    defined: set = set()
    free: dict[Var, None] = {}
    for eqn in jaxpr.eqns:
        free.update(dict.fromkeys(a for a in eqn.inputs if type(a) is Var
                                  and a not in defined and a not in unknown_vars))
        defined.update(eqn.outputs)
    free.update(dict.fromkeys(v for v in jaxpr.outvars if type(v) is Var
                              and v not in defined and v not in unknown_vars))
    return tuple(free)


@memoize(maxsize=1024)
def forward_residuals(known: ClosedJaxpr, num_res: int) -> tuple[ClosedJaxpr, list]:
    """``known`` (from a partial evaluation) without the residual outputs that are its own
    inputs, and for each residual the position of the input it is (None: computed), so that
    a call primitive's staged equation reads those from the caller."""
    jaxpr = known.jaxpr
    n_out = len(jaxpr.outvars) - num_res
    position = {v: i for i, v in enumerate(jaxpr.invars)}
    forwarded = [position.get(v) for v in jaxpr.outvars[n_out:]]
    if all(i is None for i in forwarded):
        return known, forwarded
    outvars = jaxpr.outvars[:n_out] + tuple(
        v for v, i in zip(jaxpr.outvars[n_out:], forwarded) if i is None)
    trimmed = ClosedJaxpr(Jaxpr(jaxpr.constvars, jaxpr.invars, jaxpr.eqns, outvars), known.consts)
    return dce_jaxpr(trimmed, instantiate=True)[0], forwarded
