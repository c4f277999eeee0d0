"""``cond`` and ``switch``: one higher-order primitive, ``cond``, whose params hold the branches.

``cond[branches=(b0, b1, ...)] index *operands`` applies ``branches[index]`` to the operands
(an index out of range takes the last branch, as XLA's conditional does). The branches are
ClosedJaxprs closing over nothing traced, all of one type: the same input avals (which
match the operands) and output avals (shape and dtype; weak types may differ).

``lax.cond(pred, true_fun, false_fun, *operands)`` binds it with ``index = int32(pred)`` and
``branches = (false_fun, true_fun)``; ``lax.switch(index, branches, *operands)`` with the
index clamped to ``[0, len(branches) - 1]``, as JAX does. Which branch runs when:

* Eagerly -- no trace, or only traces holding concrete values (``grad``, ``jvp``, ``vjp``,
  ``vmap`` called on arrays, none of them under ``jit``) -- when the index is known, only
  the branch taken is traced and run, as a Python ``if`` would run it; under ``grad`` the
  linear program records that branch's derivative alone.
* Otherwise (``jit``, ``make_jaxpr``, or an index that is not known, such as a batched
  predicate under ``vmap``) every branch is traced, the output types are checked to agree,
  and one ``cond`` equation is bound. Evaluating it runs the branch taken; compiled by jit,
  it is an ``if``/``elif`` over functions compiled from the branches.

The rules recurse into the branches with the jaxpr transformers and bind a new ``cond``:

* impl: evaluates the branch taken; lower_block: ``if``/``elif`` over the compiled branches;
* linearize: the JVP of every branch (tangent outputs made nonzero where any branch's is),
  bound in the linear trace, which splits it with the partial_eval rule below;
* partial_eval: each branch split by ``partial_eval_jaxpr``; the residuals of all branches
  are joined into one list, so that the known ``cond`` and the staged ``cond`` each have
  one type: computed residuals share slots by aval (JAX's scheme), each branch filling the
  others' slots with zeros, and residuals that are known operands are read from them;
* transpose: each branch transposed in the operands that are linear;
* batching: an unbatched index batches each branch; a batched index evaluates every
  branch on all lanes and selects (``select_n``) the taken branch's outputs per lane, with
  the operands of lanes not taking a branch passed through ``stop_gradient``;
* dce: unused outputs dropped from every branch, then operands no branch reads.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Sequence
from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.array import Array
from ..core.avals import ShapedArray
from ..core.cache import memoize
from ..core.errors import ShapeError
from ..core.ir import ClosedJaxpr, Eqn, Jaxpr, Literal, Var
from ..core.jaxpr_trace import trace_closed, trace_to_jaxpr
from ..core.primitive import NOT_MAPPED, Primitive, UndefPrimal, Zero, stage_if_unknown
from ..core.refs import RefScope, load, values_of, write_back
from ..core.trace import (
    ARRAY_TYPES,
    NO_VALUE,
    aval_of,
    concrete_value,
    current_trace,
    run_in,
    trace_of,
)
from ..core.tree_util import PyTreeDef, tree_flatten, tree_map, tree_unflatten
from ..core.typecheck import typecheck
from ..interpreters.batching import batch_jaxpr
from ..interpreters.evaluate import eval_jaxpr
from ..interpreters.jvp import jvp_jaxpr
from ..interpreters.linearize import tangent_aval
from ..interpreters.partial_eval import dce_jaxpr, partial_eval_jaxpr, pruned_eqn
from ..interpreters.transpose import transpose_jaxpr
from .combinators import batch_size, shape_error
from .comparison import eq, ne, select_n
from .elementwise import clamp, scalar_like, stop_gradient
from .structural import bdim_to, broadcast_in_dim, convert_element_type, instantiate, zeros

Branches = tuple[ClosedJaxpr, ...]


def _taken(index: int, n: int) -> int:
    """The branch an index picks: out of range, the last one (XLA's rule)."""
    return index if 0 <= index < n else n - 1


def _any(flags: Sequence[Sequence[bool]]) -> tuple[bool, ...]:
    """Elementwise ``or`` of one tuple of flags per branch."""
    return tuple(any(column) for column in zip(*flags))


# ---------------------------------------------------------------- evaluation and types


def _cond_impl(index: Any, *operands: Any, branches: Branches) -> list:
    branch = branches[_taken(int(index), len(branches))]
    outs = run_in(None, eval_jaxpr, branch.jaxpr, branch.consts, *operands)
    return [x._value if type(x) is Array else x for x in outs]


def _cond_shape(index: ShapedArray, *operands: ShapedArray, branches: Branches) -> list:
    if index.shape != () or index.dtype != dtypes.int32:
        raise shape_error("cond", "the index must be an int32 scalar", (index, *operands))
    if len(operands) != len(branches[0].in_avals):
        raise shape_error("cond", f"given {len(operands)} operands, but its branches take "
                          f"{len(branches[0].in_avals)}", (index, *operands))
    return list(branches[0].out_avals)


def _types(avals: Sequence[ShapedArray]) -> str:
    return "(" + ", ".join(a.str_short() for a in avals) + ")"


def _same_types(xs: Sequence[ShapedArray], ys: Sequence[ShapedArray]) -> bool:
    return len(xs) == len(ys) and all(x.shape == y.shape and x.dtype == y.dtype
                                      for x, y in zip(xs, ys))


def _cond_typecheck(index: ShapedArray, *operands: ShapedArray, branches: Any) -> list:
    if type(branches) is not tuple or not branches or \
            not all(type(b) is ClosedJaxpr for b in branches):
        raise ShapeError(f"cond needs a non-empty tuple of ClosedJaxprs as branches, got "
                         f"{type(branches).__name__}")
    first = branches[0]
    for i, branch in enumerate(branches):
        typecheck(branch)
        if not _same_types(first.in_avals, branch.in_avals):
            raise ShapeError(f"cond branches 0 and {i} have mismatching input types: "
                             f"{_types(first.in_avals)} vs {_types(branch.in_avals)}")
        if not _same_types(first.out_avals, branch.out_avals):
            raise ShapeError(f"cond branches 0 and {i} have mismatching output types: "
                             f"{_types(first.out_avals)} vs {_types(branch.out_avals)}")
    if not _same_types(first.in_avals, operands):
        raise ShapeError(f"cond branches take input types {_types(first.in_avals)}, called "
                         f"with operands of type {_types(operands)}")
    return _cond_shape(index, *operands, branches=branches)


# ---------------------------------------------------------------- linearize and jvp


@memoize(maxsize=256)
def _jvp_branches(branches: Branches, nonzeros: tuple[bool, ...]) -> tuple[Branches, tuple]:
    """The JVP jaxpr of each branch, their tangent outputs made nonzero where any one's is."""
    out_nonzeros = _any([jvp_jaxpr(b, nonzeros)[1] for b in branches])
    return tuple(jvp_jaxpr(b, nonzeros, out_nonzeros)[0] for b in branches), out_nonzeros


def _cond_linearize(primals: Sequence[Any], tangents: Sequence[Any], *,
                    branches: Branches) -> tuple[list, list]:
    index, *operands = primals
    operand_tangents = tangents[1:]  # (the index is an integer: it has no derivative)
    nonzeros = tuple(type(t) is not Zero for t in operand_tangents)
    jvp_branches, out_nonzeros = _jvp_branches(branches, nonzeros)
    outs = cond_p.bind(index, *operands, *[t for t in operand_tangents if type(t) is not Zero],
                       branches=jvp_branches)
    n = len(out_nonzeros)
    it = iter(outs[n:])
    return outs[:n], [next(it) if nz else Zero(tangent_aval(a))
                      for nz, a in zip(out_nonzeros, branches[0].out_avals)]


def _cond_jvp(primals: Sequence[Any], tangents: Sequence[Any], outs: Sequence[Any],
              **params: Any) -> list:
    return _cond_linearize(primals, tangents, **params)[1]


# ---------------------------------------------------------------- partial evaluation


def _join_residuals(splits: Sequence[tuple], num_known: int
                    ) -> tuple[list[ShapedArray], list[list[int]], list[int | None]]:
    """One list of residuals serving every branch: their avals, each branch's slots in it, and
    for each slot the known operand it is (None: computed by the known cond).

    A residual that is a known operand takes that operand's slot; the k-th computed residual
    of an aval in a branch takes the k-th computed slot of that aval (JAX's scheme), so
    computed ``[x], [y], [x, x]`` join as ``[x, y, x]`` with slots ``[0], [1], [0, 2]``.
    """
    slot_of: dict[tuple, int] = {}
    joined: list[ShapedArray] = []
    forwarded: list[int | None] = []
    slots = []
    for known, _, _, _ in splits:
        position = {v: i for i, v in enumerate(known.jaxpr.invars)}
        count: dict[ShapedArray, int] = {}
        mine = []
        for var in known.jaxpr.outvars[num_known:]:
            operand = position.get(var)  # (a Literal hashes by identity: never found)
            if operand is None:
                count[var.aval] = count.get(var.aval, -1) + 1
                key: tuple = (var.aval, count[var.aval])
            else:
                key = ("operand", operand)
            if key not in slot_of:
                slot_of[key] = len(joined)
                joined.append(var.aval)
                forwarded.append(operand)
            mine.append(slot_of[key])
        slots.append(mine)
    return joined, slots, forwarded


def _with_residual_outputs(known: ClosedJaxpr, num_outs: int, joined: list[ShapedArray],
                           slots: list[int], forwarded: list[int | None]) -> ClosedJaxpr:
    """``known`` outputting the computed residuals of every branch: its own in their slots,
    zeros in the others' (the residuals that are operands are read from the operands)."""
    computed = [j for j, operand in enumerate(forwarded) if operand is None]
    if slots == computed:
        return known

    def padded(*args: Any) -> list:
        outs = eval_jaxpr(known.jaxpr, known.consts, *args)
        mine = dict(zip(slots, outs[num_outs:]))
        return [*outs[:num_outs], *[mine[j] if j in mine else zeros(joined[j]) for j in computed]]

    return trace_closed(padded, known.in_avals, "cond")


def _with_residual_inputs(staged: ClosedJaxpr, joined: list[ShapedArray],
                          slots: list[int]) -> ClosedJaxpr:
    """``staged`` taking every joined residual, reading its own from their slots."""
    if slots == list(range(len(joined))):
        return staged
    jaxpr = staged.jaxpr
    invars = [Var(a) for a in joined]
    for slot, var in zip(slots, jaxpr.invars):
        invars[slot] = var
    return ClosedJaxpr(Jaxpr(jaxpr.constvars, (*invars, *jaxpr.invars[len(slots):]), jaxpr.eqns,
                             jaxpr.outvars), staged.consts)


@memoize(maxsize=256)
def _split_branches(branches: Branches, unknowns: tuple[bool, ...]
                    ) -> tuple[Branches, Branches, tuple[bool, ...], list[int | None]]:
    """Known branches (known operands -> known outputs, computed residuals), staged branches
    (joined residuals, unknown operands -> unknown outputs), which outputs are unknown (in
    any branch), and for each joined residual the known operand it is (None: computed)."""
    out_unknowns = _any([partial_eval_jaxpr(b, unknowns)[2] for b in branches])
    splits = [partial_eval_jaxpr(b, unknowns, out_unknowns) for b in branches]
    num_known = out_unknowns.count(False)
    joined, slots, forwarded = _join_residuals(splits, num_known)
    known = tuple(_with_residual_outputs(k, num_known, joined, s, forwarded)
                  for (k, _, _, _), s in zip(splits, slots))
    staged = tuple(_with_residual_inputs(st, joined, s) for (_, st, _, _), s in zip(splits, slots))
    return known, staged, out_unknowns, forwarded


def _cond_partial_eval(eqn: Eqn, unknowns: Sequence[bool]):
    """A known cond of the known outputs and the computed residuals, and a staged cond of the
    rest reading them, the index and the known operands it needs; an unknown index stages
    the whole cond."""
    index_unknown, *operand_unknowns = unknowns
    if index_unknown or not any(unknowns):
        return stage_if_unknown(eqn, unknowns)
    known_branches, staged_branches, out_unknowns, forwarded = _split_branches(
        eqn.params["branches"], tuple(operand_unknowns))
    index, *operands = eqn.inputs
    known_operands = [a for a, u in zip(operands, operand_unknowns) if not u]
    residuals = [Var(a) if operand is None else known_operands[operand]
                 for operand, a in zip(forwarded, staged_branches[0].in_avals)]
    computed = [r for r, operand in zip(residuals, forwarded) if operand is None]
    known_outs = [v for v, u in zip(eqn.outputs, out_unknowns) if not u]
    known_eqn = None
    if known_outs or computed:
        known_eqn = Eqn(cond_p, (index, *known_operands), (*known_outs, *computed),
                        dict(branches=known_branches), eqn.source_info)
    staged_outs = tuple(v for v, u in zip(eqn.outputs, out_unknowns) if u)
    if not staged_outs:
        return known_eqn, None, list(out_unknowns), []
    staged_eqn = Eqn(cond_p, (index, *residuals, *[a for a, u in zip(operands, operand_unknowns)
                                                   if u]),
                     staged_outs, dict(branches=staged_branches), eqn.source_info)
    read = [a for a in (index, *residuals) if type(a) is Var]
    return known_eqn, staged_eqn, list(out_unknowns), read


# ---------------------------------------------------------------- transpose


@memoize(maxsize=256)
def _transpose_branches(branches: Branches, linear: tuple[bool, ...],
                        ct_weak: tuple[bool, ...]) -> Branches:
    return tuple(transpose_jaxpr(b, linear, True, ct_weak)[0] for b in branches)


def _cond_transpose(cts: Sequence[Any], index: Any, *operands: Any, branches: Branches) -> list:
    # the cond of the transposed branches: (non-linear operands, cts) -> cts of the linear ones
    if type(index) is UndefPrimal:
        raise NotImplementedError("transpose of cond with respect to its index")
    linear = tuple(type(x) is UndefPrimal for x in operands)
    cts = [instantiate(ct) for ct in cts]
    transposed = _transpose_branches(branches, linear, tuple(aval_of(ct).weak_type for ct in cts))
    nonlinear = [x for x in operands if type(x) is not UndefPrimal]
    cts_in = iter(cond_p.bind(index, *nonlinear, *cts, branches=transposed))
    return [None, *[next(cts_in) if lin else None for lin in linear]]


# ---------------------------------------------------------------- batching


@memoize(maxsize=256)
def _batch_branches(branches: Branches, in_batched: tuple[bool, ...], size: int,
                    instantiate: bool = False) -> tuple[Branches, tuple[bool, ...]]:
    """Each branch batched, its outputs batched where any branch's are (or all of them)."""
    out_batched = _any([batch_jaxpr(b, in_batched, size, instantiate)[1] for b in branches])
    return tuple(batch_jaxpr(b, in_batched, size, out_batched)[0] for b in branches), out_batched


def _cond_batch(args: Sequence[Any], dims: Sequence[int | None], *,
                branches: Branches) -> tuple[list, list]:
    (index, *operands), (index_dim, *operand_dims) = args, dims
    size = batch_size(args, dims)
    if index_dim is not NOT_MAPPED:
        return _select_branches(bdim_to(index, index_dim, 0, size), operands, operand_dims,
                                branches, size)
    operands = [x if d in (NOT_MAPPED, 0) else bdim_to(x, d, 0, size)
                for x, d in zip(operands, operand_dims)]
    in_batched = tuple(d is not NOT_MAPPED for d in operand_dims)
    batched, out_batched = _batch_branches(branches, in_batched, size)
    outs = cond_p.bind(index, *operands, branches=batched)
    return outs, [0 if b else NOT_MAPPED for b in out_batched]


def _select_branches(index: Any, operands: Sequence[Any], dims: Sequence[int | None],
                     branches: Branches, size: int) -> tuple[list, list]:
    """A batched index: every branch runs on every lane, each lane keeps its branch's outputs.
    A lane's operands reach the other branches through ``stop_gradient``, so that their
    derivatives (maybe inf or nan there) never mix into its gradient."""
    operands = [bdim_to(x, d, 0, size) for x, d in zip(operands, dims)]
    batched, _ = _batch_branches(branches, (True,) * len(operands), size, True)
    per_branch = []
    for i, branch in enumerate(batched):
        taken = eq(index, np.int32(i))
        ops = [select_n(_broadcast_to(taken, x), stop_gradient(x), x)
               if dtypes.is_inexact(aval_of(x).dtype) else x for x in operands]
        per_branch.append(eval_jaxpr(branch.jaxpr, branch.consts, *ops))
    outs = [select_n(_broadcast_to(index, cases[0]), *cases) for cases in zip(*per_branch)]
    return outs, [0] * len(outs)


def _broadcast_to(selector: Any, x: Any) -> Any:
    """A per-lane selector broadcast to the shape of the batched value ``x``."""
    shape = aval_of(x).shape
    if aval_of(selector).shape == shape:
        return selector
    return broadcast_in_dim(selector, shape, (0,))


# ---------------------------------------------------------------- dead code


@memoize(maxsize=256)
def _dce_branches(branches: Branches, used_outputs: tuple[bool, ...]
                  ) -> tuple[Branches, tuple[bool, ...]]:
    """The branches without what computes unused outputs nor the operands none of them reads,
    and which operands are read."""
    used_operands = _any([dce_jaxpr(b, used_outputs)[1] for b in branches])
    pruned = [dce_jaxpr(b, used_outputs, instantiate=True)[0] for b in branches]
    if all(used_operands) and all(p is b for p, b in zip(pruned, branches)):
        return branches, used_operands
    return tuple(ClosedJaxpr(Jaxpr(p.jaxpr.constvars,
                                   tuple(v for v, u in zip(p.jaxpr.invars, used_operands) if u),
                                   p.jaxpr.eqns, p.jaxpr.outvars), p.consts)
                 for p in pruned), used_operands


def _cond_dce(eqn: Eqn, used_outputs: Sequence[bool]):
    if not any(used_outputs):
        return [False] * len(eqn.inputs), None
    branches = eqn.params["branches"]
    pruned, used_operands = _dce_branches(branches, tuple(used_outputs))
    if pruned is branches:
        return [type(a) is not Literal for a in eqn.inputs], eqn
    used_inputs = [type(eqn.inputs[0]) is not Literal, *used_operands]  # (and the index)
    return used_inputs, pruned_eqn(eqn, [True, *used_operands], used_outputs, branches=pruned)


# ---------------------------------------------------------------- code generation


def _cond_lower_block(block: Any, inputs: Sequence[str], outputs: Sequence[str], *,
                      branches: Branches) -> list[str]:
    """``if index == 0: [outs] = branch0(*operands)`` ``elif ...`` ``else: [outs] = last(...)``:
    the taken branch alone runs, and an index out of range takes the last one, as in impl."""
    index, *operands = inputs
    call = f"[{', '.join(outputs)}] = {{}}({', '.join(operands)})"
    if len(branches) == 1:
        return [call.format(block.sub(branches[0], "cond_branch0"))]
    lines = []
    for i, branch in enumerate(branches):
        name = block.sub(branch, f"cond_branch{i}")
        last = i == len(branches) - 1
        lines += ["else:" if last else f"{'elif' if i else 'if'} {index} == {i}:",
                  "    " + call.format(name)]
    return lines


cond_p = Primitive(
    "cond",
    impl=_cond_impl,
    abstract_eval=_cond_shape,
    jvp=_cond_jvp,
    linearize=_cond_linearize,
    transpose=_cond_transpose,
    batch=_cond_batch,
    typecheck=_cond_typecheck,
    partial_eval=_cond_partial_eval,
    dce=_cond_dce,
    lower_block=_cond_lower_block,
)


# ---------------------------------------------------------------- the functions users call

_NO_OPERAND = object()  # (JAX's old calling convention passes one operand by keyword)


def cond(pred: Any, true_fun: Callable, false_fun: Callable, *operands: Any,
         operand: Any = _NO_OPERAND) -> Any:
    """``true_fun(*operands)`` if ``pred`` else ``false_fun(*operands)``, as ``jax.lax.cond``.

    ``pred`` is a scalar bool or number (nonzero is true); operands and outputs are pytrees,
    and both functions must return the same structure and types (shapes and dtypes).

    Which branch runs: eagerly (no trace, or ``grad``/``jvp``/``vjp``/``vmap`` on concrete
    values, not under ``jit``), when ``pred`` is known, only the branch taken is traced and
    run, and only its derivative is recorded; its types are not checked against the other
    branch's. Under ``jit`` or ``make_jaxpr``, or when ``pred`` is not known (a batched
    predicate under ``vmap``), both branches are traced into one ``cond`` equation, and a
    mismatch of their output types raises a TypeError. That equation runs the branch taken;
    batched over its predicate (``vmap``) it computes both branches and selects per lane.
    Its outputs have the types of ``false_fun``'s, weak types included, as in JAX; eagerly
    they are what the branch taken returned (so where one branch returns a Python scalar
    and the other a strongly typed array, the eager result may be weakly typed).

    >>> cond(x > 0, jnp.sin, jnp.cos, x)
    """
    if not (callable(true_fun) and callable(false_fun)):
        raise TypeError("lax.cond: true_fun and false_fun arguments should be callable.")
    operands = _operands(operands, operand)
    if pred is None:
        raise TypeError("cond predicate is None")
    if type(pred) not in ARRAY_TYPES and isinstance(pred, Sequence):
        raise TypeError(f"Pred must be a scalar, got {pred} of type {type(pred)}")
    aval = _scalar_aval(pred, "Pred must be a scalar",
                        f"Pred type must be either boolean or number, got {pred}.")
    dtype = aval.dtype
    if dtype.kind not in "biuf":
        raise TypeError(f"Pred type must be either boolean or number, got {dtype}.")
    if trace_of(pred) is None:
        index = np.int32(bool(concrete_value(pred)))  # (nonzero is true)
    else:
        truth = pred if dtype.kind == "b" else ne(pred, scalar_like(0, pred))
        index = convert_element_type(truth, dtypes.int32)
    return _apply(index, (true_fun, false_fun), ("true_fun", "false_fun"), operands, "cond",
                  order=(1, 0))


def switch(index: Any, branches: Sequence[Callable], *operands: Any,
           operand: Any = _NO_OPERAND) -> Any:
    """``branches[clamp(index, 0, len(branches) - 1)](*operands)``, as ``jax.lax.switch``.

    ``index`` is a scalar integer; an index out of range is clamped. The branches run as in
    ``cond``: eagerly only the one taken (when the index is known), otherwise all are traced
    into one ``cond`` equation, whose output types must agree.

    >>> switch(i, [jnp.sin, jnp.cos, jnp.tanh], x)
    """
    if not all(callable(branch) for branch in branches):
        raise TypeError("lax.switch: branches argument should be a sequence of callables.")
    operands = _operands(operands, operand)
    dtype = _scalar_aval(index, "Branch index must be scalar",
                         f"Index type must be an integer, got {index}.").dtype
    if dtype.kind not in "iu":
        raise TypeError(f"Index type must be an integer, got {index} as {dtype}")
    branches = tuple(branches)
    if not branches:
        raise ValueError("Empty branch sequence")
    if len(branches) == 1:
        return branches[0](*operands)
    n = len(branches)
    if trace_of(index) is None:
        index = np.int32(min(max(int(concrete_value(index)), 0), n - 1))
    else:
        if dtype != dtypes.int32 or aval_of(index).weak_type:
            index = convert_element_type(index, dtypes.int32)
        index = clamp(np.int32(0), index, np.int32(n - 1))
    names = ("branch 0", *[f"branch{i}" for i in range(1, n)])  # (JAX's words)
    return _apply(index, branches, names, operands, "switch", order=range(n))


def _operands(operands: tuple, operand: Any) -> tuple:
    if operand is _NO_OPERAND:
        return operands
    if operands:
        raise TypeError("if 'operand' keyword is passed then no positional operands can be "
                        f"passed, got operand={operand} and positional operands {operands}")
    return (operand,)


def _scalar_aval(x: Any, not_scalar: str, not_a_value: str) -> ShapedArray:
    """The aval of a predicate or index, which must be a scalar (else a TypeError saying
    ``not_scalar``) of an array type (else one saying ``not_a_value``), as JAX words them."""
    if type(x) in ARRAY_TYPES:
        aval = x.aval
    else:
        shape = np.shape(x)
        if shape:
            raise TypeError(f"{not_scalar}, got {x} of shape {shape}.")
        try:
            aval = aval_of(x)
        except TypeError:
            raise TypeError(not_a_value) from None
    if aval.shape:
        raise TypeError(f"{not_scalar}, got {x} of shape {aval.shape}.")
    return aval


def _apply(index: Any, funs: Sequence[Callable], names: Sequence[str], operands: tuple,
           api: str, order: Sequence[int], handled: tuple = ()) -> Any:
    """The branch ``index`` picks applied to ``operands``: run eagerly if the index is known
    and nothing is being staged, else every function traced into a ``cond`` equation.

    ``funs`` (called ``names`` in messages) are in the order JAX traces them, cond's
    true_fun first; ``order`` puts them in the order of the equation's branches.
    """
    trace = current_trace()
    value = concrete_value(index) if trace is None or not trace.stages else NO_VALUE
    if value is not NO_VALUE:
        out = funs[order[_taken(int(value), len(funs))]](*operands)
        return out if type(out) in ARRAY_TYPES else tree_map(_as_array, out)
    leaves, in_tree = tree_flatten(operands)
    avals = [aval_of(x) for x in leaves]
    with RefScope(handled) as scope:
        traced = [_trace_branch(f, in_tree, avals, f"{api} {name}")
                  for f, name in zip(funs, names)]
    if scope.written:
        return _apply_writing_refs(list(scope.written), index, funs, names, operands, api, order,
                                   handled)
    _check_branch_outputs(api, funs, names, traced)
    jaxprs, consts = _common_consts([(jaxpr, cs) for jaxpr, cs, _ in traced])
    branches, forwarded = _without_forwarded_outputs(tuple(jaxprs[i] for i in order))
    outs = iter(cond_p.bind(index, *consts, *leaves, branches=branches))
    inputs = [*consts, *leaves]
    flat = [next(outs) if f is None else _as_array(inputs[f]) for f in forwarded]
    return tree_unflatten(traced[0][2], flat)


def _apply_writing_refs(refs: list, index: Any, funs: Sequence[Callable], names: Sequence[str],
                        operands: tuple, api: str, order: Sequence[int], handled: tuple) -> Any:
    """``_apply`` of branches that write into references made outside them: every branch
    takes the references' values as operands and returns them (changed or not), and the
    values of the branch taken are written back (``core/refs.py``)."""

    def writing(fun: Callable) -> Callable:
        def branch(values: list, *args: Any) -> tuple:
            load(refs, values)
            out = fun(*args)
            return out, values_of(refs)
        branch.__name__ = getattr(fun, "__name__", "branch")
        return branch

    out, values = _apply(index, [writing(f) for f in funs], names,
                         (values_of(refs), *operands), api, order, (*handled, *refs))
    write_back(refs, values)
    return out


def _as_array(x: Any) -> Any:
    """A Python scalar or NumPy value as an Array (what the staged cond gives); others as is."""
    if isinstance(x, (bool, int, float, complex, np.ndarray, np.generic)):
        aval = aval_of(x)
        return Array(np.asarray(concrete_value(x), aval.dtype), aval.weak_type, aval)
    return x


def _trace_branch(fun: Callable, in_tree: PyTreeDef, avals: Sequence[ShapedArray],
                  label: str) -> tuple[Jaxpr, list, PyTreeDef]:
    """``fun`` traced at the operands' avals: its jaxpr, the values it captured (its
    constvars stand for them), and the structure of its output."""
    out_tree: list[PyTreeDef] = []

    def flat(*leaves: Any) -> list:
        out_leaves, tree = tree_flatten(fun(*tree_unflatten(in_tree, leaves)))
        out_tree.append(tree)
        return out_leaves

    jaxpr, consts = trace_to_jaxpr(flat, avals, label=label)
    return jaxpr, consts, out_tree[0]


def _common_consts(traced: Sequence[tuple[Jaxpr, list]]) -> tuple[list[ClosedJaxpr], list]:
    """Every captured value made an operand, shared by the branches that captured it (by
    identity), in order of capture: each branch takes them all, then the operands."""
    position: dict[int, int] = {}
    consts: list[Any] = []
    for _, captured in traced:
        for c in captured:
            if id(c) not in position:
                position[id(c)] = len(consts)
                consts.append(c)
    branches = []
    for jaxpr, captured in traced:
        mine = {position[id(c)]: v for c, v in zip(captured, jaxpr.constvars)}
        const_invars = tuple(mine[i] if i in mine else Var(aval_of(c))
                             for i, c in enumerate(consts))
        branches.append(ClosedJaxpr(Jaxpr((), const_invars + jaxpr.invars, jaxpr.eqns,
                                          jaxpr.outvars), ()))
    return branches, consts


def _without_forwarded_outputs(branches: Branches) -> tuple[Branches, list[int | None]]:
    """The branches without the outputs that every one of them forwards from one same input
    (read from that input instead, as JAX does), and that input's position per output."""
    forwarded = []
    for outs in zip(*[b.jaxpr.outvars for b in branches]):
        positions = {b.jaxpr.invars.index(v) if type(v) is Var and v in b.jaxpr.invars else None
                     for b, v in zip(branches, outs)}
        forwarded.append(positions.pop() if len(positions) == 1 else None)
    if all(f is None for f in forwarded):
        return branches, forwarded
    kept = tuple(f is None for f in forwarded)
    return tuple(dce_jaxpr(b, kept, instantiate=True)[0] for b in branches), forwarded


def _check_branch_outputs(api: str, funs: Sequence[Callable], names: Sequence[str],
                          traced: Sequence[tuple[Jaxpr, list, PyTreeDef]]) -> None:
    """A TypeError, worded as JAX's, if a branch's output differs from the first's in
    structure or in types (shape and dtype)."""
    first_jaxpr, _, first_tree = traced[0]
    for fun, name, (jaxpr, _, tree) in zip(funs[1:], names[1:], traced[1:]):
        header = (f"{names[0]} is {_source_of(funs[0])}\n{name} is {_source_of(fun)}\n\n")
        if tree != first_tree:
            diffs = [f"{names[0]} output{_at(path)} is a {a} but {name} output{_at(path)} is "
                     f"a {b}, so {why}" for path, a, b, why in _tree_differences(first_tree, tree)]
            raise TypeError(
                f"{api} branch outputs must have the same pytree structure, but they differ:"
                f"\n\n{header}{_listed(diffs)}\nRevise {names[0]} and/or {name} so that they "
                "have the same pytree structure.")
        paths = _leaf_paths(first_tree)
        diffs = [f"the output of {names[0]}{_at(path)} has type {_long(a)} but the "
                 f"corresponding output of {name} has type {_long(b)}{_why(a, b)}"
                 for path, a, b in zip(paths, first_jaxpr.out_avals, jaxpr.out_avals)
                 if a.shape != b.shape or a.dtype != b.dtype]
        if len(diffs) == 1:
            diffs = [diffs[0][0].upper() + diffs[0][1:]]
        if diffs:
            raise TypeError(
                f"{api} branches must have equal output types but they differ.\n\n{header}"
                f"{_listed(diffs)}\nRevise {names[0]} and/or {name} so that all output types "
                "match.")


def _listed(diffs: Sequence[str]) -> str:
    if len(diffs) == 1:
        return diffs[0] + ".\n"
    return "".join(f"  * {d};\n" for d in diffs[:-1]) + f"  * {diffs[-1]}.\n"


def _long(aval: ShapedArray) -> str:
    """``float32[3]``: a type as JAX's messages write it."""
    return f"{aval.dtype.name}[{','.join(map(str, aval.shape))}]"


def _why(a: ShapedArray, b: ShapedArray) -> str:
    reasons = [r for r, differs in (("the dtypes do not match", a.dtype != b.dtype),
                                    ("the shapes do not match", a.shape != b.shape)) if differs]
    return ", so " + ", and ".join(reasons)


def _at(path: str) -> str:
    return f" at path {path}" if path else ""


def _source_of(fun: Callable) -> str:
    """``name at file:line`` of a function, as JAX names a branch."""
    while isinstance(fun, functools.partial):
        fun = fun.func
    fun = inspect.unwrap(fun)
    code = getattr(fun, "__code__", None)
    if code is None:
        return "<unknown>"
    return f"{getattr(fun, '__name__', '<unknown>')} at {code.co_filename}:{code.co_firstlineno}"


def _child_keys(tree: PyTreeDef) -> list[str]:
    """The key path steps to a node's children, as JAX's ``keystr`` writes them."""
    if tree.kind is dict:
        return [f"[{k!r}]" for k in tree.aux]
    fields = getattr(tree.kind, "_fields", None)
    if fields is not None and tree.kind is not tuple:
        return [f".{f}" for f in fields]
    return [f"[{i}]" for i in range(len(tree.children))]


def _leaf_paths(tree: PyTreeDef, prefix: str = "") -> list[str]:
    if tree.kind is None:
        return [prefix]
    return [path for key, child in zip(_child_keys(tree), tree.children)
            for path in _leaf_paths(child, prefix + key)]


def _node_name(tree: PyTreeDef) -> str:
    return "pytree leaf" if tree.kind is None else str(tree.kind)


def _with_children(tree: PyTreeDef) -> str:
    n = len(tree.children)
    return f"{tree.kind} with {n} child{'ren' if n > 1 else ''}"


def _tree_differences(a: PyTreeDef, b: PyTreeDef, path: str = ""):
    """``(path, a's node, b's node, why)`` where two structures first differ, as JAX says it."""
    if a.kind is None and b.kind is None:
        return
    if a.kind is not b.kind:
        yield path, _node_name(a), _node_name(b), "their Python types differ"
    elif a.kind in (tuple, list) and len(a.children) != len(b.children):
        kind = a.kind.__name__
        yield (path, f"{kind} of length {len(a.children)}", f"{kind} of length {len(b.children)}",
               "the lengths do not match")
    elif len(a.children) != len(b.children):
        why = "the numbers of children do not match"
        if a.kind is dict:
            why += ", with the symmetric difference of key sets: {" + " ".join(
                repr(k) for k in sorted(set(a.aux) ^ set(b.aux), key=repr)) + "}"
        yield path, _with_children(a), _with_children(b), why
    elif a.aux != b.aux:
        yield (path, f"{a.kind} with pytree metadata {a.aux}",
               f"{b.kind} with pytree metadata {b.aux}", "the pytree node metadata does not match")
    else:
        for key, x, y in zip(_child_keys(a), a.children, b.children):
            yield from _tree_differences(x, y, path + key)
