"""The ``scan`` primitive: a loop over the leading axis of arrays, carrying state.

``scan[jaxpr length reverse num_consts num_carry unroll] *consts *init *xs -> *carry *ys``
runs ``jaxpr : (consts, carry, x) -> (carry, y)`` ``length`` times (from the last index
down when ``reverse``), feeding each step the ``i``-th slices of ``xs`` and stacking the
``y`` of each step into ``ys``; ``jaxpr`` is a ClosedJaxpr closing over nothing traced.
Its params are JAX 0.10's (``unroll`` is kept, and ignored: the loop runs one step at a
time; like JAX 0.10's, it has no ``linear`` param: the transpose rule sees which operands
are linear).

Every rule rewrites the body with a jaxpr transformer and binds a new ``scan``, so the IR
never grows with the trip count. The rules with a choice to make reach a fixed point
over the carries: a carry is differentiated (batched, unknown, used) when its output is.

* impl: a NumPy loop calling the body compiled as jit compiles it (``lower_block``
  writes the same loop into jit's generated code, so jit gives eager's bits);
* linearize: the JVP body, bound in the linear trace, which splits it by partial
  evaluation;
* partial evaluation: a known scan, which also emits the residuals of each step as extra
  ``ys`` (stacked), and a staged scan that reads them as ``xs``; residuals that are
  the scan's own consts or ``xs`` are read directly, and those computed from consts
  alone are recomputed by the staged body: neither is stacked;
* transpose: a scan running the other way over the transposed body: the cotangents of
  the carries are carried, those of linear consts accumulated in extra carries, those of
  linear ``xs`` stacked; parts that do not depend on the linear inputs (a loop counter)
  are split off by partial evaluation and computed first;
* batching: carries and consts batched at axis 0, ``xs`` and ``ys`` at axis 1;
* dce: unused ``ys`` and carries (those feeding no used output) go.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core.avals import ShapedArray, shaped_array
from ..core.cache import memoize
from ..core.ir import ClosedJaxpr, Eqn, Jaxpr, Literal, Var
from ..core.jaxpr_trace import trace_closed
from ..core.primitive import NOT_MAPPED, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from ..core.typecheck import check_avals, typecheck
from ..interpreters.batching import batch_jaxpr
from ..interpreters.evaluate import eval_jaxpr
from ..interpreters.jvp import jvp_jaxpr
from ..interpreters.linearize import tangent_aval
from ..interpreters.partial_eval import dce_jaxpr, partial_eval_jaxpr
from ..interpreters.transpose import transpose_jaxpr
from .jit_call import executable
from .structural import add_any, bdim_to, instantiate, zeros


def split3(items: Sequence[Any], first: int, second: int) -> tuple[list, list, list]:
    """``items`` cut into its first ``first``, the next ``second``, and the rest."""
    items = list(items)
    return items[:first], items[first:first + second], items[first + second:]


def stacked(aval: ShapedArray, length: int) -> ShapedArray:
    """The aval of ``length`` values of ``aval`` stacked along a new leading axis."""
    return shaped_array((length, *aval.shape), aval.dtype, aval.weak_type)


def rearranged(closed: ClosedJaxpr, in_order: Sequence[int], out_order: Sequence[int]
               ) -> ClosedJaxpr:
    """``closed`` with its inputs and outputs reordered (``in_order[k]``: which input comes
    ``k``-th); the equations are shared."""
    jaxpr = closed.jaxpr
    return ClosedJaxpr(Jaxpr(jaxpr.constvars, tuple(jaxpr.invars[i] for i in in_order),
                             jaxpr.eqns, tuple(jaxpr.outvars[i] for i in out_order)),
                       closed.consts)


def restricted(closed: ClosedJaxpr, keep_in: Sequence[bool], keep_out: Sequence[bool]
               ) -> ClosedJaxpr:
    """``closed`` with only the kept inputs and outputs, and what the kept outputs need; the
    kept outputs must read no dropped input."""
    pruned, used = dce_jaxpr(closed, tuple(keep_out))
    if any(u and not k for u, k in zip(used, keep_in)):
        raise ValueError("restricted: a kept output reads a dropped input")
    jaxpr = pruned.jaxpr
    invars = tuple(v for v, k in zip(closed.jaxpr.invars, keep_in) if k)
    return ClosedJaxpr(Jaxpr(jaxpr.constvars, invars, jaxpr.eqns, jaxpr.outvars), pruned.consts)


# ---------------------------------------------------------------- impl and shape


def _scan_impl(*args: Any, jaxpr: ClosedJaxpr, length: int, reverse: bool, num_consts: int,
               num_carry: int, unroll: int) -> list:
    body = executable(jaxpr, "scan_body").fn
    consts, carry, xs = split3(args, num_consts, num_carry)
    ys = [np.empty((length, *a.shape), a.dtype) for a in jaxpr.out_avals[num_carry:]]
    for i in range(length - 1, -1, -1) if reverse else range(length):
        outs = body(*consts, *carry, *[x[i] for x in xs])
        carry = outs[:num_carry]
        for y, out in zip(ys, outs[num_carry:]):
            y[i] = out
    return [*carry, *ys]


def _scan_shape(*avals: ShapedArray, jaxpr: ClosedJaxpr, length: int, num_carry: int,
                **params: Any) -> list[ShapedArray]:
    outs = jaxpr.out_avals
    return [*outs[:num_carry], *[stacked(a, length) for a in outs[num_carry:]]]


def _scan_typecheck(*avals: ShapedArray, jaxpr: ClosedJaxpr, length: int, reverse: bool,
                    num_consts: int, num_carry: int, unroll: int) -> list[ShapedArray]:
    typecheck(jaxpr)
    ins = jaxpr.in_avals
    consts, carry, xs = split3(ins, num_consts, num_carry)
    check_avals("scan operands", avals, [*consts, *carry, *[stacked(a, length) for a in xs]])
    check_avals("scan carry output", jaxpr.out_avals[:num_carry], carry)
    return _scan_shape(jaxpr=jaxpr, length=length, num_carry=num_carry)


# ---------------------------------------------------------------- linearize and jvp


@memoize(maxsize=1024)
def _jvp_body(body: ClosedJaxpr, num_consts: int, num_carry: int, nonzeros: tuple[bool, ...]
              ) -> tuple[ClosedJaxpr, tuple[bool, ...], tuple[bool, ...]]:
    """The JVP body as a scan body ``(consts, const tangents, carry, carry tangents, x, x
    tangents) -> (carry, carry tangents, y, y tangents)`` (nonzero tangents only), which
    carries have tangents (a carry whose output tangent is nonzero has one), which ys do."""
    consts_nz, carry_nz, xs_nz = split3(nonzeros, num_consts, num_carry)
    num_ys = len(body.out_avals) - num_carry
    while True:
        jvp, out_nz = jvp_jaxpr(body, (*consts_nz, *carry_nz, *xs_nz),
                                (*carry_nz, *[False] * num_ys))
        if list(out_nz[:num_carry]) == carry_nz:
            break
        carry_nz = [a or b for a, b in zip(carry_nz, out_nz)]
    n_in, n_out = len(nonzeros), len(body.out_avals)
    sizes = [num_consts, num_carry, n_in - num_consts - num_carry]
    nz = [consts_nz, carry_nz, xs_nz]
    in_order, start, t = [], 0, n_in
    for size, flags in zip(sizes, nz):  # primals of a group, then their nonzero tangents
        in_order += list(range(start, start + size))
        in_order += list(range(t, t + sum(flags)))
        start, t = start + size, t + sum(flags)
    ys_nz = out_nz[num_carry:]
    n_carry_t = sum(carry_nz)
    end = n_out + n_carry_t + sum(ys_nz)
    out_order = [*range(num_carry), *range(n_out, n_out + n_carry_t), *range(num_carry, n_out),
                 *range(n_out + n_carry_t, end)]
    return rearranged(jvp, in_order, out_order), tuple(carry_nz), tuple(ys_nz)


def _scan_linearize(primals: Sequence[Any], tangents: Sequence[Any], *, jaxpr: ClosedJaxpr,
                    length: int, reverse: bool, num_consts: int, num_carry: int, unroll: int
                    ) -> tuple[list, list]:
    nonzeros = tuple(type(t) is not Zero for t in tangents)
    body, carry_nz, ys_nz = _jvp_body(jaxpr, num_consts, num_carry, nonzeros)
    consts, carry, xs = split3(primals, num_consts, num_carry)
    consts_t, carry_t, xs_t = split3(tangents, num_consts, num_carry)
    consts_t = [t for t in consts_t if type(t) is not Zero]
    carry_t = [instantiate(t) for t, nz in zip(carry_t, carry_nz) if nz]
    xs_t = [t for t in xs_t if type(t) is not Zero]
    outs = scan_p.bind(*consts, *consts_t, *carry, *carry_t, *xs, *xs_t, jaxpr=body,
                       length=length, reverse=reverse, num_consts=len(consts) + len(consts_t),
                       num_carry=num_carry + len(carry_t), unroll=unroll)
    carry_out, carry_t_out, rest = split3(outs, num_carry, len(carry_t))
    ys, ys_t_out = rest[:len(ys_nz)], iter(rest[len(ys_nz):])
    carry_t_out = iter(carry_t_out)
    out_avals = _scan_shape(jaxpr=jaxpr, length=length, num_carry=num_carry)
    nz = (*carry_nz, *ys_nz)
    tangents_out = [(next(carry_t_out) if i < num_carry else next(ys_t_out)) if f
                    else Zero(tangent_aval(a)) for i, (f, a) in enumerate(zip(nz, out_avals))]
    return [*carry_out, *ys], tangents_out


def _scan_jvp(primals: Sequence[Any], tangents: Sequence[Any], outs: Sequence[Any],
              **params: Any) -> list:
    return _scan_linearize(primals, tangents, **params)[1]


# ---------------------------------------------------------------- partial evaluation


@memoize(maxsize=1024)
def split_body(body: ClosedJaxpr, num_consts: int, num_carry: int, unknowns: tuple[bool, ...]):
    """Partial evaluation of a scan body, to a fixed point over the carries.

    Returns ``(unknowns, out_unknowns, known, staged, residuals)``: the input flags with
    carries made unknown where their output is; ``known : (known consts, carry, xs) ->
    (known carry, ys, stacked residuals)``; ``staged : (const residuals, unknown consts,
    unknown carry, stacked and xs residuals, unknown xs) -> (unknown carry, ys)``; and
    where each residual comes from: ``("in", i)`` the scan's operand ``i`` (a const or an
    ``xs``, read as it is), or ``("stacked", k)`` the ``k``-th residual output. Residuals
    computed from consts alone (``W.T``, a closed-over array) are recomputed by the staged
    body from those consts rather than stacked: one per step would cost ``length`` copies."""
    consts_uk, carry_uk, xs_uk = split3(unknowns, num_consts, num_carry)
    num_ys = len(body.out_avals) - num_carry
    while True:
        flags = (*consts_uk, *carry_uk, *xs_uk)
        known, staged, out_uk, num_res = partial_eval_jaxpr(
            body, flags, (*carry_uk, *[False] * num_ys))
        if list(out_uk[:num_carry]) == carry_uk:
            break
        carry_uk = [a or b for a, b in zip(carry_uk, out_uk)]
    known_at = [i for i, u in enumerate(flags) if not u]  # operand of each known input
    jaxpr = known.jaxpr
    n_known_out = len(jaxpr.outvars) - num_res
    residuals = jaxpr.outvars[n_known_out:]
    position = {v: i for i, v in enumerate(jaxpr.invars)}
    invariant = _loop_invariant(jaxpr, [i < num_consts for i in known_at])
    sources, kept, recomputed = [], [], []
    for v in residuals:
        i = known_at[position[v]] if v in position else None
        recomputed.append(i is None and v in invariant)
        if i is not None and not num_consts <= i < num_consts + num_carry:
            sources.append(("in", i))  # a const or xs operand, read as it is
        elif not recomputed[-1]:  # computed in the step (or a carry): stacked
            sources.append(("stacked", len(kept)))
            kept.append(v)
    known = dce_jaxpr(ClosedJaxpr(Jaxpr(jaxpr.constvars, jaxpr.invars, jaxpr.eqns,
                                        jaxpr.outvars[:n_known_out] + tuple(kept)),
                                  known.consts), instantiate=True)[0]
    if any(recomputed):
        staged, inputs = _recomputing(known_jaxpr_of(jaxpr, residuals, recomputed, known.consts),
                                      staged, tuple(recomputed))
        sources = [("in", known_at[k]) for k in inputs] + sources
        num_res = len(sources)
    # staged inputs: residuals, then the unknown inputs; put const residuals with the
    # consts, the others with the xs
    is_const = [kind == "in" and i < num_consts for kind, i in sources]
    n_uk_c, n_uk_carry = sum(consts_uk), sum(carry_uk)
    res_c = [k for k, c in enumerate(is_const) if c]
    res_x = [k for k, c in enumerate(is_const) if not c]
    uk = list(range(num_res, len(staged.in_avals)))
    in_order = [*res_c, *uk[:n_uk_c], *uk[n_uk_c:n_uk_c + n_uk_carry], *res_x,
                *uk[n_uk_c + n_uk_carry:]]
    staged = rearranged(staged, in_order, range(len(staged.out_avals)))
    sources = [sources[k] for k in res_c + res_x]
    return flags, tuple(out_uk), known, staged, (len(res_c), tuple(sources))


def _loop_invariant(jaxpr: Jaxpr, const_inputs: Sequence[bool]) -> set:
    """The variables of a scan body computed from its consts alone (the flagged inputs and
    the closed-over constvars): the same at every step."""
    invariant = {*jaxpr.constvars, *[v for v, c in zip(jaxpr.invars, const_inputs) if c]}
    for eqn in jaxpr.eqns:
        if all(type(a) is Literal or a in invariant for a in eqn.inputs):
            invariant.update(eqn.outputs)
    return invariant


def known_jaxpr_of(jaxpr: Jaxpr, residuals: Sequence[Var], flags: Sequence[bool],
                   consts: tuple) -> ClosedJaxpr:
    """The known body computing only the flagged residuals, from the inputs they read."""
    outs = tuple(v for v, f in zip(residuals, flags) if f)
    return ClosedJaxpr(Jaxpr(jaxpr.constvars, jaxpr.invars, jaxpr.eqns, outs), consts)


def _recomputing(computing: ClosedJaxpr, staged: ClosedJaxpr, recomputed: tuple[bool, ...]
                 ) -> tuple[ClosedJaxpr, list[int]]:
    """``staged`` computing its flagged residual inputs itself with ``computing`` (from
    consts), and taking those consts first instead; and which known inputs they are."""
    pruned, used = dce_jaxpr(computing)
    n_in, num_res = len(pruned.in_avals), len(recomputed)

    def step(*args: Any) -> list:
        values = iter(eval_jaxpr(pruned.jaxpr, pruned.consts, *args[:n_in]))
        rest = iter(args[n_in:])
        res = [next(values) if r else next(rest) for r in recomputed]
        return eval_jaxpr(staged.jaxpr, staged.consts, *res, *rest)

    avals = [*pruned.in_avals, *[a for a, r in zip(staged.in_avals, recomputed) if not r],
             *staged.in_avals[num_res:]]
    return trace_closed(step, avals, "scan (staged)"), [k for k, u in enumerate(used) if u]


def staged_scan(residuals: Sequence[Any], num_const_residuals: int, unknown_consts: Sequence[Any],
                unknown_carry: Sequence[Any], staged: ClosedJaxpr, length: int) -> list:
    """Bind the staged scan of ``split_body`` on its residuals and unknown consts and
    carries (a scan without unknown xs)."""
    n = num_const_residuals
    return scan_p.bind(*residuals[:n], *unknown_consts, *unknown_carry, *residuals[n:],
                       jaxpr=staged, length=length, reverse=False,
                       num_consts=n + len(unknown_consts), num_carry=len(unknown_carry),
                       unroll=1)


def _scan_partial_eval(eqn: Eqn, unknowns: Sequence[bool]):
    """A known scan computing the known outputs and stacking the residuals, and a staged
    scan of the rest, reading them as xs (consts and xs the staged part needs are read as
    they are)."""
    n_out = len(eqn.outputs)
    if not any(unknowns):
        return eqn, None, [False] * n_out, []
    p = eqn.params
    nc, ncar, length = p["num_consts"], p["num_carry"], p["length"]
    flags, out_uk, known, staged, (n_res_c, sources) = split_body(
        p["jaxpr"], nc, ncar, tuple(unknowns))
    if all(flags):
        return None, eqn, [True] * n_out, []
    consts_uk, carry_uk, _ = split3(flags, nc, ncar)
    known_inputs = [a for a, u in zip(eqn.inputs, flags) if not u]
    n_known_out = n_out - sum(out_uk)
    stacked_res = [Var(stacked(a, length)) for a in known.out_avals[n_known_out:]]
    known_eqn = None
    if n_known_out + len(stacked_res):
        known_eqn = Eqn(scan_p, tuple(known_inputs),
                        (*[v for v, u in zip(eqn.outputs, out_uk) if not u], *stacked_res),
                        dict(p, jaxpr=known, num_consts=nc - sum(consts_uk),
                             num_carry=ncar - sum(carry_uk)), eqn.source_info)
    residuals = [eqn.inputs[i] if kind == "in" else stacked_res[i] for kind, i in sources]
    unknown_inputs = [a for a, u in zip(eqn.inputs, flags) if u]
    uk_c, uk_carry, uk_xs = split3(unknown_inputs, sum(consts_uk), sum(carry_uk))
    staged_eqn = Eqn(scan_p, (*residuals[:n_res_c], *uk_c, *uk_carry, *residuals[n_res_c:], *uk_xs),
                     tuple(v for v, u in zip(eqn.outputs, out_uk) if u),
                     dict(p, jaxpr=staged, num_consts=n_res_c + len(uk_c),
                          num_carry=len(uk_carry)), eqn.source_info)
    unknown_vars = {a for a, u in zip(eqn.inputs, unknowns) if u}
    read = [a for a in staged_eqn.inputs if type(a) is Var and a not in unknown_vars]
    return known_eqn, staged_eqn, list(out_uk), read


# ---------------------------------------------------------------- transpose


@memoize(maxsize=1024)
def _transposed_body(body: ClosedJaxpr, num_consts: int, num_carry: int,
                     consts_lin: tuple[bool, ...], xs_lin: tuple[bool, ...],
                     ct_ys_nz: tuple[bool, ...]) -> ClosedJaxpr:
    """The body of the transposed scan: ``(const residuals, const cotangents so far,
    carry cotangents, xs residuals, nonzero ys cotangents) -> (const cotangents so far,
    carry cotangents, xs cotangents)``, for a body linear in its carries and flagged
    consts and xs."""
    linear = (*consts_lin, *[True] * num_carry, *xs_lin)
    transposed, _ = transpose_jaxpr(body, linear)
    ins, outs = body.in_avals, body.out_avals
    consts, carry, xs = split3(ins, num_consts, num_carry)
    res_c = [a for a, lin in zip(consts, consts_lin) if not lin]
    lin_c = [tangent_aval(a) for a, lin in zip(consts, consts_lin) if lin]
    res_x = [a for a, lin in zip(xs, xs_lin) if not lin]
    ct_carry = [tangent_aval(a) for a in outs[:num_carry]]
    ct_ys = [tangent_aval(a) for a in outs[num_carry:]]

    def step(*args: Any) -> list:
        rc, acc, rest = split3(args, len(res_c), len(lin_c))
        cc, rx, cy = split3(rest, num_carry, len(res_x))
        it = iter(cy)
        cy = [next(it) if nz else zeros(a) for nz, a in zip(ct_ys_nz, ct_ys)]
        cts = eval_jaxpr(transposed.jaxpr, transposed.consts, *rc, *rx, *cc, *cy)
        ct_c, ct_carry_in, ct_x = split3(cts, len(lin_c), num_carry)
        return [*[add_any(a, b) for a, b in zip(acc, ct_c)], *ct_carry_in, *ct_x]

    avals = [*res_c, *lin_c, *ct_carry, *res_x,
             *[a for a, nz in zip(ct_ys, ct_ys_nz) if nz]]
    return trace_closed(step, avals, "scan transpose")


def _scan_transpose(cts: Sequence[Any], *operands: Any, **params: Any) -> list:
    # split off (and compute now) what does not depend on the linear operands
    unknowns = [type(x) is UndefPrimal for x in operands]
    invars = tuple(Var(aval_of(x) if type(x) is not UndefPrimal else x.aval) for x in operands)
    outvars = tuple(Var(a) for a in _scan_shape(**params))
    eqn = Eqn(scan_p, invars, outvars, params)
    known, staged, _, _ = _scan_partial_eval(eqn, unknowns)
    env: dict[Any, Any] = {v: x for v, x, u in zip(invars, operands, unknowns) if not u}
    if known is not None:
        values = [a if type(a) is Literal else env[a] for a in known.inputs]
        env.update(zip(known.outputs, scan_p.bind(*values, **known.params)))
    if staged is None:
        return [Zero(tangent_aval(x.aval)) if u else None for x, u in zip(operands, unknowns)]
    ct_of = dict(zip(outvars, cts))
    linear = {v for v, u in zip(invars, unknowns) if u}
    staged_ops = [UndefPrimal(a.aval) if a in linear else (a if type(a) is Literal else env[a])
                  for a in staged.inputs]
    staged_cts = _transpose_linear(staged_ops, [ct_of[v] for v in staged.outputs],
                                   **staged.params)
    ct_by_var = {a: ct for a, ct in zip(staged.inputs, staged_cts) if a in linear}
    return [ct_by_var.get(v, Zero(tangent_aval(v.aval))) if u else None
            for v, u in zip(invars, unknowns)]


def _transpose_linear(operands: Sequence[Any], cts: Sequence[Any], *, jaxpr: ClosedJaxpr,
                      length: int, reverse: bool, num_consts: int, num_carry: int,
                      unroll: int) -> list:
    """Transpose a scan linear in its carries (a carry given as a value is a materialised
    zero tangent) and in the consts and xs given as ``UndefPrimal``."""
    consts, carry, xs = split3(operands, num_consts, num_carry)
    consts_lin = tuple(type(c) is UndefPrimal for c in consts)
    xs_lin = tuple(type(x) is UndefPrimal for x in xs)
    ct_carry, ct_ys = cts[:num_carry], cts[num_carry:]
    ct_ys_nz = tuple(ct is not None and type(ct) is not Zero for ct in ct_ys)
    body = _transposed_body(jaxpr, num_consts, num_carry, consts_lin, xs_lin, ct_ys_nz)
    body_ins = jaxpr.in_avals
    ct_c0 = [zeros(tangent_aval(a)) for a, lin in zip(body_ins[:num_consts], consts_lin) if lin]
    carry_avals = jaxpr.out_avals[:num_carry]
    ct_carry = [zeros(tangent_aval(a)) if ct is None else instantiate(ct)
                for ct, a in zip(ct_carry, carry_avals)]
    res_c = [c for c, lin in zip(consts, consts_lin) if not lin]
    res_x = [x for x, lin in zip(xs, xs_lin) if not lin]
    outs = scan_p.bind(*res_c, *ct_c0, *ct_carry, *res_x,
                       *[ct for ct, nz in zip(ct_ys, ct_ys_nz) if nz], jaxpr=body,
                       length=length, reverse=not reverse, num_consts=len(res_c),
                       num_carry=len(ct_c0) + num_carry, unroll=unroll)
    ct_c, ct_carry_in, ct_x = split3(outs, len(ct_c0), num_carry)
    ct_c, ct_x = iter(ct_c), iter(ct_x)
    return [*[next(ct_c) if lin else None for lin in consts_lin], *ct_carry_in,
            *[next(ct_x) if lin else None for lin in xs_lin]]


# ---------------------------------------------------------------- batching


@memoize(maxsize=1024)
def _batch_body(body: ClosedJaxpr, num_consts: int, num_carry: int, batched: tuple[bool, ...],
                size: int) -> tuple[ClosedJaxpr, tuple[bool, ...], tuple[bool, ...]]:
    """The batched body (batch at axis 0 of every batched input and output), which carries
    are batched (those whose output is), which ys are."""
    consts_b, carry_b, xs_b = split3(batched, num_consts, num_carry)
    num_ys = len(body.out_avals) - num_carry
    while True:
        new, out_b = batch_jaxpr(body, (*consts_b, *carry_b, *xs_b), size,
                                 (*carry_b, *[False] * num_ys))
        if list(out_b[:num_carry]) == carry_b:
            return new, tuple(carry_b), tuple(out_b[num_carry:])
        carry_b = [a or b for a, b in zip(carry_b, out_b)]


def _scan_batch(args: Sequence[Any], dims: Sequence[int | None], *, jaxpr: ClosedJaxpr,
                length: int, reverse: bool, num_consts: int, num_carry: int, unroll: int
                ) -> tuple[list, list]:
    size = next(aval_of(x).shape[d] for x, d in zip(args, dims) if d is not NOT_MAPPED)
    batched = tuple(d is not NOT_MAPPED for d in dims)
    body, carry_b, ys_b = _batch_body(jaxpr, num_consts, num_carry, batched, size)
    consts, carry, xs = split3(zip(args, dims), num_consts, num_carry)
    consts = [x if d is NOT_MAPPED else bdim_to(x, d, 0, size) for x, d in consts]
    carry = [bdim_to(x, d, 0, size) if b else x for (x, d), b in zip(carry, carry_b)]
    xs = [x if d is NOT_MAPPED else bdim_to(x, d, 1, size) for x, d in xs]
    outs = scan_p.bind(*consts, *carry, *xs, jaxpr=body, length=length, reverse=reverse,
                       num_consts=num_consts, num_carry=num_carry, unroll=unroll)
    return outs, [*[0 if b else NOT_MAPPED for b in carry_b],
                  *[1 if b else NOT_MAPPED for b in ys_b]]


# ---------------------------------------------------------------- dead code


def _scan_dce(eqn: Eqn, used_outputs: Sequence[bool]):
    if not any(used_outputs):
        return [False] * len(eqn.inputs), None
    p = eqn.params
    body, nc, ncar = p["jaxpr"], p["num_consts"], p["num_carry"]
    used_carry, used_ys = list(used_outputs[:ncar]), tuple(used_outputs[ncar:])
    while True:  # a carry read by a used output is used
        _, used_in = dce_jaxpr(body, (*used_carry, *used_ys))
        new = [a or b for a, b in zip(used_carry, used_in[nc:nc + ncar])]
        if new == used_carry:
            break
        used_carry = new
    keep = (*used_in[:nc], *used_carry, *used_in[nc + ncar:])
    kept_outputs = (*used_carry, *used_ys)
    if all(keep) and all(kept_outputs):
        return [type(a) is not Literal for a in eqn.inputs], eqn
    new_body = restricted(body, keep, kept_outputs)
    outputs = [v for v, u in zip(eqn.outputs, kept_outputs) if u]
    new = Eqn(scan_p, tuple(a for a, k in zip(eqn.inputs, keep) if k), tuple(outputs),
              dict(p, jaxpr=new_body, num_consts=sum(used_in[:nc]), num_carry=sum(used_carry)),
              eqn.source_info)
    return list(keep), new


# ---------------------------------------------------------------- jit's code


def _scan_lower_block(block: Any, args: list[str], outs: list[str], *, jaxpr: ClosedJaxpr,
                      length: int, reverse: bool, num_consts: int, num_carry: int,
                      unroll: int) -> list[str]:
    """The loop of ``_scan_impl``, written out: the body compiled once, called per step."""
    body = block.sub(jaxpr, "scan_body")
    consts, carry, xs = split3(args, num_consts, num_carry)
    carry_out, ys = outs[:num_carry], outs[num_carry:]
    i = block.local("i")
    steps = f"range({length - 1}, -1, -1)" if reverse else f"range({length})"
    temps = [block.local("y") for _ in ys]
    lines = [f"[{', '.join(carry_out)}] = [{', '.join(carry)}]"] if carry else []
    lines += [f"{y} = np.empty({(length, *a.shape)}, {block.const(a.dtype)})"
              for y, a in zip(ys, jaxpr.out_avals[num_carry:])]
    call = f"{body}({', '.join([*consts, *carry_out, *[f'{x}[{i}]' for x in xs]])})"
    lines += [f"for {i} in {steps}:", f"    [{', '.join([*carry_out, *temps])}] = {call}"]
    lines += [f"    {y}[{i}] = {t}" for y, t in zip(ys, temps)]
    return lines


scan_p = Primitive(
    "scan",
    impl=_scan_impl,
    abstract_eval=_scan_shape,
    jvp=_scan_jvp,
    linearize=_scan_linearize,
    transpose=_scan_transpose,
    batch=_scan_batch,
    typecheck=_scan_typecheck,
    partial_eval=_scan_partial_eval,
    dce=_scan_dce,
    lower_block=_scan_lower_block,
)
