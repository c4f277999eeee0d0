"""The ``while`` primitive, and ``while_transpose``, which makes it reverse-differentiable.

``while[cond_jaxpr body_jaxpr cond_nconsts body_nconsts] *cconsts *bconsts *init -> *carry``
runs ``carry = body_jaxpr(bconsts, carry)`` as long as ``cond_jaxpr(cconsts, carry)`` holds;
JAX's params. The cond gives a ``bool[]``, or under vmap one bool per lane (a prefix of
every carry's shape): the loop then runs while any lane's holds, and a lane whose does
not keeps its carry, as JAX's ``while`` does. Its rules:

* impl: a NumPy loop calling the cond and body compiled as jit compiles them (and
  ``lower_block`` writes that loop into jit's code: the same code, the same bits);
* linearize: the JVP loop (the body's JVP, to a fixed point over which carries have
  tangents; the cond reads the primal carries). With no enclosing trace (eager ``grad``),
  its primal part runs at once, keeping one set of residuals per iteration, and its
  tangent part is staged as a ``scan`` over them as long as the loop ran (the trip count
  is known by then), whose transpose is scan's. Otherwise (under jit, vmap, another
  derivative) the JVP loop is bound in the linear trace, which splits it:
* partial evaluation: when the cond reads only known values, a known while computing the
  known carries, and the whole loop staged again, reading the known inputs (recomputing
  the known carries: no value of a traced program can hold one residual per step, as the
  trip count is not known while tracing);
* transpose: ``while_transpose`` (below); batching: every carry batched when the predicate
  is (or already was per lane); dce: carries that neither the cond nor a used output reads
  go.

``while_transpose[... linear]`` is the transpose of a while loop linear in the
``linear`` positions of its body consts and carries (the others, and the cond consts,
are values): ``*cconsts *nonlinear *cts -> *cts of the linear positions``. Its impl runs
the loop forward on the non-linear carries, keeping each step's residuals on a tape (a
Python list: NumPy needs no static length), then pops the tape, running the transposed
body backwards. Its own rules close the tower: its jvp is a ``while_transpose`` of the
JVP loop, its transpose a ``while`` (in the cotangents) or a ``while_transpose`` with other
linear positions (in the operands), its batching the transpose of the batched loop; so
grad of grad, vmap of grad and jit of grad all work.

**What reverse mode costs.** Memory: one set of residuals per iteration (what the body's
derivative needs from that step: about one carry's worth for a typical body; consts are
kept by reference, never copied), ``trip count x residuals`` in all, like a Python loop
differentiated step by step. Eagerly the residuals are kept from the forward pass until
the backward pass has used them; under a trace (jit) they exist only during the backward
pass, which first reruns the forward loop: one extra forward pass, and the tape is freed
step by step as the backward loop pops it. ``checkpoint`` on the body trades more
recomputation for fewer residuals.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core.array import Array
from ..core.avals import ShapedArray
from ..core.cache import memoize
from ..core.eager import concrete_operand
from ..core.errors import ShapeError
from ..core.ir import ClosedJaxpr, Eqn, Jaxpr, Literal, Var
from ..core.jaxpr_trace import trace_closed
from ..core.primitive import NOT_MAPPED, Primitive, UndefPrimal, Zero, stage_if_unknown
from ..core.trace import aval_of, current_trace
from ..core.typecheck import check_avals, typecheck
from ..interpreters.batching import batch_jaxpr
from ..interpreters.evaluate import eval_jaxpr
from ..interpreters.jvp import jvp_jaxpr
from ..interpreters.linearize import tangent_aval
from ..interpreters.partial_eval import dce_jaxpr, partial_eval_jaxpr
from ..interpreters.transpose import transpose_jaxpr
from .comparison import select_n
from .jit_call import executable
from .reductions import reduce_max
from .scan import rearranged, restricted, split3, split_body, staged_scan
from .structural import add_any, bdim_to, broadcast_in_dim, instantiate, zeros


def _with_unused_inputs(closed: ClosedJaxpr, avals: Sequence[ShapedArray]) -> ClosedJaxpr:
    """``closed`` taking extra trailing inputs of these avals, which it ignores."""
    jaxpr = closed.jaxpr
    invars = jaxpr.invars + tuple(Var(a) for a in avals)
    return ClosedJaxpr(Jaxpr(jaxpr.constvars, invars, jaxpr.eqns, jaxpr.outvars), closed.consts)


def _depends(body: ClosedJaxpr, num_consts: int, flags: Sequence[bool]) -> tuple[bool, ...]:
    """The carries that are, or come to depend on, a flagged body input (a fixed point)."""
    consts, carry = list(flags[:num_consts]), list(flags[num_consts:])
    while True:
        _, _, out, _ = partial_eval_jaxpr(body, (*consts, *carry))
        new = [a or b for a, b in zip(carry, out)]
        if new == carry:
            return tuple(carry)
        carry = new


def _reads_any(closed: ClosedJaxpr, flags: Sequence[bool]) -> bool:
    """Whether ``closed`` reads any flagged input."""
    _, used = dce_jaxpr(closed)
    return any(u and f for u, f in zip(used, flags))


# ---------------------------------------------------------------- impl and shape


def _while_impl(*args: Any, cond_jaxpr: ClosedJaxpr, body_jaxpr: ClosedJaxpr,
                cond_nconsts: int, body_nconsts: int) -> list:
    cond = executable(cond_jaxpr, "while_cond").fn
    body = executable(body_jaxpr, "while_body").fn
    cconsts, bconsts, carry = split3(args, cond_nconsts, body_nconsts)
    if cond_jaxpr.out_avals[0].shape:  # a predicate per lane
        return run_lanes(cond, body, cconsts, bconsts, carry)
    while cond(*cconsts, *carry)[0]:
        carry = body(*bconsts, *carry)
    return list(carry)


def run_lanes(cond: Any, body: Any, cconsts: Sequence[Any], bconsts: Sequence[Any],
              carry: Sequence[Any]) -> list:
    """A while loop whose predicate has a value per lane (the leading axes of every carry):
    it runs while any lane's holds, and a lane whose predicate fails keeps its carry."""
    pred = cond(*cconsts, *carry)[0]
    while pred.any():
        new = body(*bconsts, *carry)
        carry = [np.where(pred.reshape(pred.shape + (1,) * (np.ndim(c) - pred.ndim)), n, c)
                 for n, c in zip(new, carry)]
        pred = cond(*cconsts, *carry)[0]
    return carry


def _while_shape(*avals: ShapedArray, body_jaxpr: ClosedJaxpr, **params: Any) -> list:
    return list(body_jaxpr.out_avals)


def check_cond(cond_jaxpr: ClosedJaxpr, carry: Sequence[ShapedArray]) -> None:
    """A ShapeError unless the cond gives a boolean scalar, or (batched) a boolean array
    whose shape leads every carry's shape, as JAX's ``while`` allows."""
    out = cond_jaxpr.out_avals
    if len(out) != 1 or out[0].dtype != np.bool_ or any(
            a.shape[:out[0].ndim] != out[0].shape for a in carry):
        raise ShapeError("cond_fun must return a boolean scalar, but got output type(s) "
                         f"[{', '.join(repr(a) for a in out)}].")


def _while_typecheck(*avals: ShapedArray, cond_jaxpr: ClosedJaxpr, body_jaxpr: ClosedJaxpr,
                     cond_nconsts: int, body_nconsts: int) -> list:
    typecheck(cond_jaxpr)
    typecheck(body_jaxpr)
    cconsts, bconsts, carry = split3(avals, cond_nconsts, body_nconsts)
    check_cond(cond_jaxpr, carry)
    check_avals("while cond operands", [*cconsts, *carry], cond_jaxpr.in_avals)
    check_avals("while body operands", [*bconsts, *carry], body_jaxpr.in_avals)
    check_avals("while body output", body_jaxpr.out_avals, carry)
    return list(body_jaxpr.out_avals)


# ---------------------------------------------------------------- linearize and jvp


@memoize(maxsize=1024)
def jvp_while(cond: ClosedJaxpr, body: ClosedJaxpr, body_nconsts: int, nonzeros: tuple[bool, ...]
              ) -> tuple[ClosedJaxpr, ClosedJaxpr, tuple[bool, ...]]:
    """The JVP loop of a while whose body consts and carries have the flagged tangents: its
    cond ``(cconsts, carry, carry tangents) -> pred``, its body ``(bconsts, bconst tangents,
    carry, carry tangents) -> (carry, carry tangents)``, and which carries have tangents."""
    consts_nz = nonzeros[:body_nconsts]
    carry_nz = _depends(body, body_nconsts, nonzeros)
    jvp, _ = jvp_jaxpr(body, (*consts_nz, *carry_nz), carry_nz)
    n, nc, n_ct = len(body.in_avals), sum(consts_nz), sum(carry_nz)
    in_order = [*range(body_nconsts), *range(n, n + nc), *range(body_nconsts, n),
                *range(n + nc, n + nc + n_ct)]
    body_jvp = rearranged(jvp, in_order, range(len(jvp.out_avals)))
    carry_avals = body.in_avals[body_nconsts:]
    cond_jvp = _with_unused_inputs(cond, [tangent_aval(a) for a, nz in zip(carry_avals, carry_nz)
                                         if nz])
    return cond_jvp, body_jvp, carry_nz


def _while_linearize(primals: Sequence[Any], tangents: Sequence[Any], *, cond_jaxpr: ClosedJaxpr,
                     body_jaxpr: ClosedJaxpr, cond_nconsts: int, body_nconsts: int
                     ) -> tuple[list, list]:
    cconsts, bconsts, carry = split3(primals, cond_nconsts, body_nconsts)
    _, bconsts_t, carry_t = split3(tangents, cond_nconsts, body_nconsts)
    nonzeros = tuple(type(t) is not Zero for t in (*bconsts_t, *carry_t))
    cond, body, carry_nz = jvp_while(cond_jaxpr, body_jaxpr, body_nconsts, nonzeros)
    bconsts_t = [t for t in bconsts_t if type(t) is not Zero]
    carry_t = [instantiate(t) for t, nz in zip(carry_t, carry_nz) if nz]
    params = dict(cond_jaxpr=cond, body_jaxpr=body, cond_nconsts=cond_nconsts,
                  body_nconsts=body_nconsts + len(bconsts_t))
    if current_trace().parent is None:  # no enclosing trace: the values are all here
        outs = _linearize_by_tape(cconsts, bconsts, bconsts_t, carry, carry_t, **params)
    else:
        outs = while_p.bind(*cconsts, *bconsts, *bconsts_t, *carry, *carry_t, **params)
    carry_out, tangents_out = outs[:len(carry)], iter(outs[len(carry):])
    return carry_out, [next(tangents_out) if nz else Zero(tangent_aval(a))
                       for nz, a in zip(carry_nz, body_jaxpr.out_avals)]


def _linearize_by_tape(cconsts: Sequence[Any], bconsts: Sequence[Any], bconsts_t: Sequence[Any],
                       carry: Sequence[Any], carry_t: Sequence[Any], *, cond_jaxpr: ClosedJaxpr,
                       body_jaxpr: ClosedJaxpr, cond_nconsts: int, body_nconsts: int) -> list:
    """The JVP loop linearized with every primal value at hand (no enclosing trace): its
    primal part runs now, keeping each iteration's residuals, which are then stacked; its
    tangent part is staged as a ``scan`` over them, as long as the loop ran. Reverse mode
    transposes that scan: the forward loop runs once, and the residuals are kept from the
    forward pass to the backward one."""
    cond, step = _step_of(cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts)
    unknowns = (*[False] * (cond_nconsts + len(bconsts)), *[True] * len(bconsts_t),
                *[False] * len(carry), *[True] * len(carry_t))
    flags, _, known, staged, (n_res_c, sources) = split_body(
        step, cond_nconsts + body_nconsts, len(carry) + len(carry_t), unknowns)
    operands = [*cconsts, *bconsts, *bconsts_t, *carry, *carry_t]
    if flags != unknowns:  # (a primal carry reads a tangent: not a JVP loop)
        return while_p.bind(*operands, cond_jaxpr=cond_jaxpr, body_jaxpr=body_jaxpr,
                            cond_nconsts=cond_nconsts, body_nconsts=body_nconsts)
    cond = restricted(cond, (*[True] * (cond_nconsts + len(carry)), *[False] * len(carry_t)),
                      (True,))
    test, forward = executable(cond, "tape_cond").fn, executable(known, "tape_forward").fn
    values = [concrete_operand(x, "while_loop")[1] for x in (*cconsts, *bconsts, *carry)]
    cconsts_v, bconsts_v, primal = split3(values, cond_nconsts, len(bconsts))
    tape = []
    while test(*cconsts_v, *primal)[0]:
        outs = forward(*cconsts_v, *bconsts_v, *primal)
        primal = outs[:len(carry)]
        tape.append(outs[len(carry):])
    res_avals = known.out_avals[len(carry):]
    stacks = [np.stack([step_res[k] for step_res in tape]) if tape
              else np.empty((0, *a.shape), a.dtype) for k, a in enumerate(res_avals)]
    residuals = [operands[i] if kind == "in" else stacks[i] for kind, i in sources]
    tangents = staged_scan(residuals, n_res_c, bconsts_t, carry_t, staged, len(tape))
    return [*[Array(p, a.weak_type, a) for p, a in zip(primal, body_jaxpr.out_avals)],
            *tangents]


def _while_jvp(primals: Sequence[Any], tangents: Sequence[Any], outs: Sequence[Any],
               **params: Any) -> list:
    return _while_linearize(primals, tangents, **params)[1]


# ---------------------------------------------------------------- partial evaluation


def _while_partial_eval(eqn: Eqn, unknowns: Sequence[bool]):
    """A known while of the known carries (when the cond reads none of the unknown
    ones), and the whole loop staged, reading the known inputs as residuals."""
    n_out = len(eqn.outputs)
    if not any(unknowns):
        return eqn, None, [False] * n_out, []
    p = eqn.params
    ncc, nbc = p["cond_nconsts"], p["body_nconsts"]
    cconsts_uk, bconsts_uk, _ = split3(unknowns, ncc, nbc)
    carry_uk = _depends(p["body_jaxpr"], nbc, unknowns[ncc:])
    if any(cconsts_uk) or all(carry_uk) or _reads_any(p["cond_jaxpr"],
                                                      (*cconsts_uk, *carry_uk)):
        return stage_if_unknown(eqn, unknowns)
    known_carry = [not u for u in carry_uk]
    cond = restricted(p["cond_jaxpr"], (*[True] * ncc, *known_carry), (True,))
    body = restricted(p["body_jaxpr"], (*[not u for u in bconsts_uk], *known_carry), known_carry)
    known_inputs = [a for a, u in zip(eqn.inputs, (*cconsts_uk, *bconsts_uk, *carry_uk)) if not u]
    known_eqn = Eqn(while_p, tuple(known_inputs),
                    tuple(v for v, k in zip(eqn.outputs, known_carry) if k),
                    dict(p, cond_jaxpr=cond, body_jaxpr=body, body_nconsts=nbc - sum(bconsts_uk)),
                    eqn.source_info)
    staged_eqn = Eqn(while_p, eqn.inputs,
                     tuple(v if u else Var(v.aval) for v, u in zip(eqn.outputs, carry_uk)),
                     p, eqn.source_info)
    if not any(carry_uk):  # the unknown inputs reach no carry
        return known_eqn, None, list(carry_uk), []
    unknown_vars = {a for a, u in zip(eqn.inputs, unknowns) if u}
    residuals = [a for a in eqn.inputs if type(a) is Var and a not in unknown_vars]
    return known_eqn, staged_eqn, list(carry_uk), residuals


# ---------------------------------------------------------------- transpose


def _while_transpose(cts: Sequence[Any], *operands: Any, cond_jaxpr: ClosedJaxpr,
                     body_jaxpr: ClosedJaxpr, cond_nconsts: int, body_nconsts: int) -> list:
    cconsts, rest = operands[:cond_nconsts], operands[cond_nconsts:]
    if any(type(c) is UndefPrimal for c in cconsts):
        raise NotImplementedError("transpose of a while loop whose cond reads a linear value")
    given = [type(x) is UndefPrimal for x in rest]
    linear = given[:body_nconsts] + list(_depends(body_jaxpr, body_nconsts, given))
    nonlinear = [x for x, lin in zip(rest, linear) if not lin]
    carry_lin = linear[body_nconsts:]
    ct_in = [instantiate(ct) for ct, lin in zip(cts, carry_lin) if lin]
    outs = iter(while_transpose_p.bind(*cconsts, *nonlinear, *ct_in, cond_jaxpr=cond_jaxpr,
                                       body_jaxpr=body_jaxpr, cond_nconsts=cond_nconsts,
                                       body_nconsts=body_nconsts, linear=tuple(linear)))
    result: list = [None] * cond_nconsts
    for x, lin in zip(rest, linear):
        ct = next(outs) if lin else None
        result.append(ct if type(x) is UndefPrimal else None)  # (a carry forced linear is a
    return result  # materialised zero tangent: its cotangent goes nowhere)


# ---------------------------------------------------------------- batching


@memoize(maxsize=1024)
def batch_while(cond: ClosedJaxpr, body: ClosedJaxpr, cond_nconsts: int, body_nconsts: int,
                batched: tuple[bool, ...], size: int
                ) -> tuple[ClosedJaxpr, ClosedJaxpr, tuple[bool, ...]]:
    """The batched loop (batched inputs and carries have the batch at axis 0) and which
    carries are batched. A batched predicate (or one that is already per lane) batches
    every carry, and stays batched: the loop runs while any lane's predicate holds, and
    a lane whose predicate fails keeps its carry, as in JAX."""
    cconsts_b, bconsts_b, carry_b = split3(batched, cond_nconsts, body_nconsts)
    carry_b = _batched_carries(body, tuple(bconsts_b), tuple(carry_b), size)
    cond_b, (pred_b,) = batch_jaxpr(cond, (*cconsts_b, *carry_b), size)
    if pred_b or cond.out_avals[0].shape:
        carry_b = (True,) * len(carry_b)
        cond_b, _ = batch_jaxpr(cond, (*cconsts_b, *carry_b), size, True)
    body_b, _ = batch_jaxpr(body, (*bconsts_b, *carry_b), size, carry_b)
    return cond_b, body_b, carry_b


def _batched_carries(body: ClosedJaxpr, consts_b: tuple, carry_b: tuple, size: int) -> tuple:
    """The carries that are batched: the batched ones and those whose output is."""
    while True:
        _, out_b = batch_jaxpr(body, (*consts_b, *carry_b), size, carry_b)
        if tuple(out_b) == carry_b:
            return carry_b
        carry_b = tuple(a or b for a, b in zip(carry_b, out_b))


def _at_zero(args: Sequence[Any], dims: Sequence[int | None], size: int,
             force: Sequence[bool] | None = None) -> list:
    """Operands with their batch axis at 0; those ``force``d are batched (broadcast)."""
    force = force or [False] * len(args)
    return [bdim_to(x, d, 0, size) if (d is not NOT_MAPPED and d != 0) or
            (f and d is NOT_MAPPED) else x for x, d, f in zip(args, dims, force)]


def _while_batch(args: Sequence[Any], dims: Sequence[int | None], *, cond_jaxpr: ClosedJaxpr,
                 body_jaxpr: ClosedJaxpr, cond_nconsts: int, body_nconsts: int
                 ) -> tuple[list, list]:
    size = next(aval_of(x).shape[d] for x, d in zip(args, dims) if d is not NOT_MAPPED)
    batched = tuple(d is not NOT_MAPPED for d in dims)
    cond, body, carry_b = batch_while(cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts,
                                      batched, size)
    args = _at_zero(args, dims, size, [False] * (cond_nconsts + body_nconsts) + list(carry_b))
    outs = while_p.bind(*args, cond_jaxpr=cond, body_jaxpr=body, cond_nconsts=cond_nconsts,
                        body_nconsts=body_nconsts)
    return outs, [0 if b else NOT_MAPPED for b in carry_b]


# ---------------------------------------------------------------- dead code


def _while_dce(eqn: Eqn, used_outputs: Sequence[bool]):
    if not any(used_outputs):
        return [False] * len(eqn.inputs), None
    p = eqn.params
    ncc, nbc, body = p["cond_nconsts"], p["body_nconsts"], p["body_jaxpr"]
    _, cond_used = dce_jaxpr(p["cond_jaxpr"])
    used_carry = [a or b for a, b in zip(used_outputs, cond_used[ncc:])]
    while True:  # a carry read by a used carry is used
        _, body_used = dce_jaxpr(body, tuple(used_carry))
        new = [a or b for a, b in zip(used_carry, body_used[nbc:])]
        if new == used_carry:
            break
        used_carry = new
    if all(used_carry) and all(body_used[:nbc]) and all(cond_used[:ncc]):
        return [type(a) is not Literal for a in eqn.inputs], eqn
    cond = restricted(p["cond_jaxpr"], (*cond_used[:ncc], *used_carry), (True,))
    body = restricted(body, (*body_used[:nbc], *used_carry), used_carry)
    keep = (*cond_used[:ncc], *body_used[:nbc], *used_carry)
    new = Eqn(while_p, tuple(a for a, k in zip(eqn.inputs, keep) if k),
              tuple(v for v, u in zip(eqn.outputs, used_carry) if u),
              dict(p, cond_jaxpr=cond, body_jaxpr=body, cond_nconsts=sum(cond_used[:ncc]),
                   body_nconsts=sum(body_used[:nbc])), eqn.source_info)
    return list(keep), new


# ---------------------------------------------------------------- jit's code


def _while_lower_block(block: Any, args: list[str], outs: list[str], *, cond_jaxpr: ClosedJaxpr,
                       body_jaxpr: ClosedJaxpr, cond_nconsts: int, body_nconsts: int
                       ) -> list[str]:
    """The loop of ``_while_impl``, written out."""
    cond = block.sub(cond_jaxpr, "while_cond")
    body = block.sub(body_jaxpr, "while_body")
    cconsts, bconsts, carry = split3(args, cond_nconsts, body_nconsts)
    lines = [f"[{', '.join(outs)}] = [{', '.join(carry)}]"]
    test = f"{cond}({', '.join([*cconsts, *outs])})[0]"
    step = f"{body}({', '.join([*bconsts, *outs])})"
    if not cond_jaxpr.out_avals[0].shape:
        return lines + [f"while {test}:", f"    [{', '.join(outs)}] = {step}"]
    pred, new = block.local("pred"), [block.local("new") for _ in outs]
    rank = cond_jaxpr.out_avals[0].ndim
    lanes = [f"{pred}.reshape({pred}.shape + {(1,) * (a.ndim - rank)})"
             for a in body_jaxpr.out_avals]
    kept = [f"np.where({m}, {n}, {o})" for m, n, o in zip(lanes, new, outs)]
    return lines + [f"{pred} = {test}", f"while {pred}.any():",
                    f"    [{', '.join(new)}] = {step}",
                    f"    [{', '.join(outs)}] = [{', '.join(kept)}]",
                    f"    {pred} = {test}"]


while_p = Primitive(
    "while",
    impl=_while_impl,
    abstract_eval=_while_shape,
    jvp=_while_jvp,
    linearize=_while_linearize,
    transpose=_while_transpose,
    batch=_while_batch,
    typecheck=_while_typecheck,
    partial_eval=_while_partial_eval,
    dce=_while_dce,
    lower_block=_while_lower_block,
)


# ================================================================ while_transpose
# The transpose of a while loop linear in some body consts and carries; see the module
# docstring. Operands: cconsts, the non-linear body consts and carries, the cotangents of
# the linear carries' outputs. Results: cotangents of the linear body consts and carries.


@memoize(maxsize=1024)
def _tape_plan(cond: ClosedJaxpr, body: ClosedJaxpr, cond_nconsts: int, body_nconsts: int,
               linear: tuple[bool, ...]) -> tuple[ClosedJaxpr, ClosedJaxpr, ClosedJaxpr, int]:
    """The loops of ``while_transpose``: the cond on the non-linear carries; the forward
    step ``(cconsts, non-linear bconsts, carries) -> (non-linear carries, residuals)``; the
    backward step ``(residuals, linear bconst cotangents so far, carry cotangents) -> (the
    same, one step back)``; and how many residuals a step keeps. A predicate per lane
    becomes a select in the step (its transpose routes a finished lane's cotangents past)."""
    consts_lin, carry_lin = linear[:body_nconsts], linear[body_nconsts:]
    if _depends(body, body_nconsts, linear) != carry_lin:
        raise ValueError(f"while_transpose: linear={linear} is not closed: a non-linear carry "
                         "depends on a linear one")
    if _reads_any(cond, (*[False] * cond_nconsts, *carry_lin)):
        raise NotImplementedError("transpose of a while loop whose cond reads a linear carry: "
                                  "the loop is not linear in it")
    cond, step = _step_of(cond, body, cond_nconsts, body_nconsts)
    cond_n = restricted(cond, (*[True] * cond_nconsts, *[not c for c in carry_lin]), (True,))
    forward, staged, _, num_res = partial_eval_jaxpr(
        step, (*[False] * cond_nconsts, *linear), carry_lin)
    n_lin = sum(linear)
    transposed, _ = transpose_jaxpr(staged, (*[False] * num_res, *[True] * n_lin))
    ct_consts = [tangent_aval(a) for a, lin in zip(body.in_avals, consts_lin) if lin]
    ct_carry = [tangent_aval(a) for a, lin in zip(body.out_avals, carry_lin) if lin]

    def backward(*args: Any) -> list:
        res, acc, cts = split3(args, num_res, len(ct_consts))
        ct_c, ct_carry_in = split3(eval_jaxpr(transposed.jaxpr, transposed.consts, *res, *cts),
                                   len(ct_consts), len(ct_carry))[:2]
        return [*[add_any(a, b) for a, b in zip(acc, ct_c)], *ct_carry_in]

    avals = [*staged.in_avals[:num_res], *ct_consts, *ct_carry]
    return cond_n, forward, trace_closed(backward, avals, "while transpose"), num_res


def _step_of(cond: ClosedJaxpr, body: ClosedJaxpr, cond_nconsts: int, body_nconsts: int
             ) -> tuple[ClosedJaxpr, ClosedJaxpr]:
    """A scalar cond, and the step ``(cconsts, bconsts, carry) -> carry`` that one
    iteration applies: the body, or with a predicate per lane, the body's new carry where
    the lane's predicate holds and the old one elsewhere (run while any holds)."""
    cconst_avals = cond.in_avals[:cond_nconsts]
    rank = cond.out_avals[0].ndim
    if not rank:
        jaxpr = body.jaxpr
        invars = tuple(Var(a) for a in cconst_avals) + jaxpr.invars
        return cond, ClosedJaxpr(Jaxpr(jaxpr.constvars, invars, jaxpr.eqns, jaxpr.outvars),
                                 body.consts)

    def any_lane(*args: Any) -> list:
        (pred,) = eval_jaxpr(cond.jaxpr, cond.consts, *args)
        return [reduce_max(pred, tuple(range(rank)))]

    def step(*args: Any) -> list:
        cconsts, bconsts, carry = split3(args, cond_nconsts, body_nconsts)
        (pred,) = eval_jaxpr(cond.jaxpr, cond.consts, *cconsts, *carry)
        new = eval_jaxpr(body.jaxpr, body.consts, *bconsts, *carry)
        return [select_n(broadcast_in_dim(pred, a.shape, tuple(range(rank))), old, x)
                for old, x, a in zip(carry, new, body.out_avals)]

    return (trace_closed(any_lane, cond.in_avals, "while cond (any lane)"),
            trace_closed(step, [*cconst_avals, *body.in_avals], "while step (per lane)"))


def _zero_cts(body: ClosedJaxpr, body_nconsts: int, linear: Sequence[bool]) -> list:
    """Zeros for the cotangents of the linear body consts (where they accumulate)."""
    return [np.zeros(a.shape, a.dtype) for a, lin in
            zip(body.in_avals[:body_nconsts], linear) if lin]


def _while_transpose_impl(*args: Any, cond_jaxpr: ClosedJaxpr, body_jaxpr: ClosedJaxpr,
                          cond_nconsts: int, body_nconsts: int, linear: tuple[bool, ...]) -> list:
    cond, forward, backward, _ = _tape_plan(cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts,
                                            linear)
    cond, forward = executable(cond, "tape_cond").fn, executable(forward, "tape_forward").fn
    backward = executable(backward, "tape_backward").fn
    n_bconsts = body_nconsts - sum(linear[:body_nconsts])
    n_carry = len(linear) - body_nconsts - sum(linear[body_nconsts:])
    cconsts, bconsts, rest = split3(args, cond_nconsts, n_bconsts)
    carry, cts = rest[:n_carry], rest[n_carry:]
    tape = []
    while cond(*cconsts, *carry)[0]:
        outs = forward(*cconsts, *bconsts, *carry)
        carry = outs[:n_carry]
        tape.append(outs[n_carry:])
    cts = [*_zero_cts(body_jaxpr, body_nconsts, linear), *cts]
    while tape:
        cts = backward(*tape.pop(), *cts)
    return cts


def _while_transpose_shape(*avals: ShapedArray, body_jaxpr: ClosedJaxpr, linear: tuple[bool, ...],
                           **params: Any) -> list:
    return [tangent_aval(a) for a, lin in zip(body_jaxpr.in_avals, linear) if lin]


def _while_transpose_typecheck(*avals: ShapedArray, cond_jaxpr: ClosedJaxpr,
                               body_jaxpr: ClosedJaxpr, cond_nconsts: int, body_nconsts: int,
                               linear: tuple[bool, ...]) -> list:
    _while_typecheck(*cond_jaxpr.in_avals[:cond_nconsts], *body_jaxpr.in_avals,
                     cond_jaxpr=cond_jaxpr, body_jaxpr=body_jaxpr, cond_nconsts=cond_nconsts,
                     body_nconsts=body_nconsts)
    carry_lin = linear[body_nconsts:]
    want = [*cond_jaxpr.in_avals[:cond_nconsts],
            *[a for a, lin in zip(body_jaxpr.in_avals, linear) if not lin],
            *[tangent_aval(a) for a, lin in zip(body_jaxpr.out_avals, carry_lin) if lin]]
    check_avals("while_transpose operands", avals, want)
    return _while_transpose_shape(body_jaxpr=body_jaxpr, linear=linear)


def _operands(args: Sequence[Any], cond_nconsts: int, linear: Sequence[bool]):
    """``while_transpose``'s operands cut into cond consts, non-linear values, cotangents."""
    n_values = len(linear) - sum(linear)
    cconsts, values, cts = split3(args, cond_nconsts, n_values)
    return cconsts, values, cts


def _merged(linear: Sequence[bool], values: Sequence[Any], linear_values: Sequence[Any]) -> list:
    """Body consts and carries: ``values`` at the non-linear positions, ``linear_values`` at
    the linear ones."""
    it, lin_it = iter(values), iter(linear_values)
    return [next(lin_it) if lin else next(it) for lin in linear]


def _while_transpose_linearize(primals: Sequence[Any], tangents: Sequence[Any], *,
                               cond_jaxpr: ClosedJaxpr, body_jaxpr: ClosedJaxpr,
                               cond_nconsts: int, body_nconsts: int, linear: tuple[bool, ...]
                               ) -> tuple[list, list]:
    # T(x, ct) = W_x^T ct, linear in ct; d/dx (W_x^T ct) dx = (t -> d/dx W(x, t) dx)^T ct,
    # the transpose (in the tangents of t) of the JVP loop of W in x
    params = dict(cond_jaxpr=cond_jaxpr, body_jaxpr=body_jaxpr, cond_nconsts=cond_nconsts,
                  body_nconsts=body_nconsts, linear=linear)
    outs = while_transpose_p.bind(*primals, **params)
    cconsts, values, cts = _operands(primals, cond_nconsts, linear)
    _, values_t, cts_t = _operands(tangents, cond_nconsts, linear)
    terms = []
    if any(type(t) is not Zero for t in cts_t):
        terms.append(while_transpose_p.bind(*cconsts, *values, *map(instantiate, cts_t), **params))
    if any(type(t) is not Zero for t in values_t):
        terms.append(_jvp_in_values(cconsts, values, values_t, cts, **params))
    if not terms:
        return outs, [Zero(tangent_aval(aval_of(o))) for o in outs]
    tangents_out = terms[0] if len(terms) == 1 else [add_any(a, b) for a, b in zip(*terms)]
    return outs, tangents_out


def _jvp_in_values(cconsts: Sequence[Any], values: Sequence[Any], values_t: Sequence[Any],
                   cts: Sequence[Any], *, cond_jaxpr: ClosedJaxpr, body_jaxpr: ClosedJaxpr,
                   cond_nconsts: int, body_nconsts: int, linear: tuple[bool, ...]) -> list:
    """``(t -> d/dx W(x, t) dx)^T ct``: a ``while_transpose`` of the JVP loop of ``W`` in
    ``x``, which is linear in ``t`` and in the tangents of the linear carries (those start
    at zero: their cotangents are dropped)."""
    tangents = _merged(linear, values_t, [None] * sum(linear))
    nonzeros = tuple(t is not None and type(t) is not Zero for t in tangents)
    cond, body, carry_nz = jvp_while(cond_jaxpr, body_jaxpr, body_nconsts, nonzeros)
    consts_lin, carry_lin = linear[:body_nconsts], linear[body_nconsts:]
    n_consts_t = sum(nonzeros[:body_nconsts])
    # the JVP loop's body consts: (consts, their tangents); carries: (carries, tangents)
    linear2 = (*consts_lin, *[False] * n_consts_t, *carry_lin,
               *[lin for lin, nz in zip(carry_lin, carry_nz) if nz])
    n_values_c = body_nconsts - sum(consts_lin)
    consts_t = [t for t, nz in zip(tangents[:body_nconsts], nonzeros) if nz]
    carry_t = [instantiate(t) for t, nz, lin in zip(tangents[body_nconsts:], carry_nz, carry_lin)
               if nz and not lin]
    ct_of = dict(zip([c for c, lin in enumerate(carry_lin) if lin], cts))
    cts2 = [*[zeros(tangent_aval(a)) for a, lin in zip(body_jaxpr.out_avals, carry_lin) if lin],
            *[ct_of[c] for c, (lin, nz) in enumerate(zip(carry_lin, carry_nz)) if lin and nz]]
    outs = while_transpose_p.bind(*cconsts, *values[:n_values_c], *consts_t,
                                  *values[n_values_c:], *carry_t, *cts2, cond_jaxpr=cond,
                                  body_jaxpr=body, cond_nconsts=cond_nconsts,
                                  body_nconsts=body_nconsts + n_consts_t, linear=linear2)
    return outs[:sum(linear)]  # (then the cotangents of the tangents' starting zeros)


def _while_transpose_jvp(primals: Sequence[Any], tangents: Sequence[Any], outs: Sequence[Any],
                         **params: Any) -> list:
    return _while_transpose_linearize(primals, tangents, **params)[1]


def _while_transpose_transpose(cts: Sequence[Any], *operands: Any, cond_jaxpr: ClosedJaxpr,
                               body_jaxpr: ClosedJaxpr, cond_nconsts: int, body_nconsts: int,
                               linear: tuple[bool, ...]) -> list:
    cconsts, values, ct_ops = _operands(operands, cond_nconsts, linear)
    u = [instantiate(c) for c in cts]  # (cotangents of T's outputs: shaped as the linear t)
    if any(type(c) is UndefPrimal for c in cconsts):
        raise NotImplementedError("transpose of while_transpose in its cond consts")
    in_values = [type(x) is UndefPrimal for x in values]
    in_cts = [type(x) is UndefPrimal for x in ct_ops]
    if any(in_cts):  # linear in the cotangents: W(x, t=u), read at the linear carries
        if any(in_values):  # (cotangents given as values are materialised zeros)
            raise NotImplementedError("transpose of while_transpose in both its cotangents "
                                      "and its other operands")
        full = _merged(linear, values, u)
        outs = while_p.bind(*cconsts, *full, cond_jaxpr=cond_jaxpr, body_jaxpr=body_jaxpr,
                            cond_nconsts=cond_nconsts, body_nconsts=body_nconsts)
        cts_out = [o for o, lin in zip(outs, linear[body_nconsts:]) if lin]
        return [None] * (len(cconsts) + len(values)) + [
            ct if given else None for ct, given in zip(cts_out, in_cts)]
    # linear in some operands K: d/dx_K <W(x, t=u), ct>, a while_transpose linear in K
    given = _merged(linear, in_values, [False] * sum(linear))
    k_lin = tuple(given[:body_nconsts]) + _depends(body_jaxpr, body_nconsts, given)
    full = _merged(linear, values, u)
    new_values = [x for x, k in zip(full, k_lin) if not k]
    carry_lin, k_carry = linear[body_nconsts:], k_lin[body_nconsts:]
    it = iter(ct_ops)
    old_cts = [next(it) if lin else None for lin in carry_lin]
    new_cts = [zeros(tangent_aval(a)) if ct is None else ct
               for ct, k, a in zip(old_cts, k_carry, body_jaxpr.out_avals) if k]
    outs = iter(while_transpose_p.bind(*cconsts, *new_values, *new_cts, cond_jaxpr=cond_jaxpr,
                                       body_jaxpr=body_jaxpr, cond_nconsts=cond_nconsts,
                                       body_nconsts=body_nconsts, linear=k_lin))
    by_position = [next(outs) if k else None for k in k_lin]
    it = iter(values)
    result = [None] * len(cconsts)
    for pos, lin in enumerate(linear):
        if not lin:
            x = next(it)
            result.append(by_position[pos] if type(x) is UndefPrimal else None)
    return result + [None] * len(ct_ops)


def _while_transpose_batch(args: Sequence[Any], dims: Sequence[int | None], *,
                           cond_jaxpr: ClosedJaxpr, body_jaxpr: ClosedJaxpr, cond_nconsts: int,
                           body_nconsts: int, linear: tuple[bool, ...]) -> tuple[list, list]:
    # the transpose of the batched loop, linear in the same positions, all batched
    size = next(aval_of(x).shape[d] for x, d in zip(args, dims) if d is not NOT_MAPPED)
    cconsts, values, cts = _operands(list(zip(args, dims)), cond_nconsts, linear)
    cconsts_b = [d is not NOT_MAPPED for _, d in cconsts]
    full_b = _merged(linear, [d is not NOT_MAPPED for _, d in values], [True] * sum(linear))
    cond, body, carry_b = batch_while(cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts,
                                      (*cconsts_b, *full_b), size)
    forced = [False] * body_nconsts + list(carry_b)  # per body const and carry
    values_forced = [f for f, lin in zip(forced, linear) if not lin]
    cconsts = _at_zero([x for x, _ in cconsts], [d for _, d in cconsts], size)
    values = _at_zero([x for x, _ in values], [d for _, d in values], size, values_forced)
    cts = _at_zero([x for x, _ in cts], [d for _, d in cts], size, [True] * len(cts))
    outs = while_transpose_p.bind(*cconsts, *values, *cts, cond_jaxpr=cond, body_jaxpr=body,
                                  cond_nconsts=cond_nconsts, body_nconsts=body_nconsts,
                                  linear=linear)
    return outs, [0] * len(outs)


def _while_transpose_lower_block(block: Any, args: list[str], outs: list[str], *,
                                 cond_jaxpr: ClosedJaxpr, body_jaxpr: ClosedJaxpr,
                                 cond_nconsts: int, body_nconsts: int,
                                 linear: tuple[bool, ...]) -> list[str]:
    """The two loops of ``_while_transpose_impl``, written out, with a list as the tape."""
    plan = _tape_plan(cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts, linear)
    cond, forward, backward = [block.sub(c, name) for c, name in
                               zip(plan[:3], ("tape_cond", "tape_forward", "tape_backward"))]
    n_bconsts = body_nconsts - sum(linear[:body_nconsts])
    n_carry = len(linear) - body_nconsts - sum(linear[body_nconsts:])
    cconsts, bconsts, rest = split3(args, cond_nconsts, n_bconsts)
    carry, cts = rest[:n_carry], rest[n_carry:]
    tape, step, names = block.local("tape"), block.local("step"), [block.local("c") for _ in carry]
    zero_cts = [f"np.zeros({a.shape}, {block.const(a.dtype)})" for a, lin in
                zip(body_jaxpr.in_avals[:body_nconsts], linear) if lin]
    return [f"{tape} = []",
            f"[{', '.join(names)}] = [{', '.join(carry)}]",
            f"while {cond}({', '.join([*cconsts, *names])})[0]:",
            f"    {step} = {forward}({', '.join([*cconsts, *bconsts, *names])})",
            f"    [{', '.join(names)}] = {step}[:{n_carry}]",
            f"    {tape}.append({step}[{n_carry}:])",
            f"[{', '.join(outs)}] = [{', '.join([*zero_cts, *cts])}]",
            f"while {tape}:",
            f"    [{', '.join(outs)}] = {backward}(*{tape}.pop(), {', '.join(outs)})"]


while_transpose_p = Primitive(
    "while_transpose",
    impl=_while_transpose_impl,
    abstract_eval=_while_transpose_shape,
    jvp=_while_transpose_jvp,
    linearize=_while_transpose_linearize,
    transpose=_while_transpose_transpose,
    batch=_while_transpose_batch,
    typecheck=_while_transpose_typecheck,
    lower_block=_while_transpose_lower_block,
)
