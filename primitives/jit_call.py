"""The ``jit`` call primitive: a traced function kept whole, as one equation.

Under an enclosing trace a jitted function binds ``jit[name=f jaxpr={ ... }]`` on its
flat arguments; ``jaxpr`` is the ClosedJaxpr it traced to (closing over nothing traced).
Every rule recurses into that jaxpr with the jaxpr transformers, and wraps the result
in a new ``jit`` equation, so transformed jitted code stays jitted:

* eager evaluation runs the jaxpr simplified and compiled (``executable``);
* linearize: the JVP jaxpr, bound in the linear trace, which splits it by partial
  evaluation into a known call (primal outputs and residuals, run now or bound in the
  enclosing trace) and a staged call (the tangents, from the residuals);
* partial evaluation, transpose, batching, dead-code elimination and typecheck, each
  through its jaxpr transformer.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..core.cache import memoize
from ..core.errors import ShapeError
from ..core.ir import ClosedJaxpr, Eqn, Jaxpr, Literal, Var
from ..core.primitive import NOT_MAPPED, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from ..core.typecheck import typecheck
from ..interpreters.batching import batch_jaxpr
from ..interpreters.compile import CompiledJaxpr, compile_jaxpr, inline_calls
from ..interpreters.jvp import jvp_jaxpr
from ..interpreters.linearize import tangent_aval
from ..interpreters.partial_eval import dce_jaxpr, partial_eval_jaxpr, pruned_eqn
from ..interpreters.simplify import optimize_jaxpr
from ..interpreters.transpose import transpose_jaxpr
from .structural import bdim_to, instantiate


def compiled(closed: ClosedJaxpr, name: str = "jit") -> CompiledJaxpr:
    """``closed`` (and the sub-jaxprs of its control flow) with calls inlined, simplified and
    compiled: ``.fn`` takes flat NumPy values and returns one NumPy array per output, bit for
    bit what evaluating ``closed`` gives; ``.source`` is the generated code. Not memoised
    (nor are the passes it runs):
    what a jitted function keeps for itself, so that its jaxpr, and the arrays that jaxpr
    closes over, go when the function goes."""
    return compile_jaxpr.__wrapped__(simplified(closed), name, simplified)


def simplified(closed: ClosedJaxpr) -> ClosedJaxpr:
    """``closed`` with its calls inlined and simplified (not memoised): how jit prepares a
    jaxpr, and the sub-jaxprs of control flow, for compiling."""
    return optimize_jaxpr.__wrapped__(inline_calls(closed))


executable = memoize(maxsize=1024)(compiled)
"""``compiled``, memoised: for the jaxprs that transformations of jit calls make."""


def _jit_impl(*args: Any, jaxpr: ClosedJaxpr, name: str) -> list:
    return executable(jaxpr, name).fn(*args)


def _jit_shape(*avals: Any, jaxpr: ClosedJaxpr, name: str) -> list:
    return list(jaxpr.out_avals)


def _jit_typecheck(*avals: Any, jaxpr: ClosedJaxpr, name: str) -> list:
    typecheck(jaxpr)
    expected = jaxpr.in_avals
    if len(avals) != len(expected):
        raise ShapeError(f"jit[name={name}] takes {len(expected)} arguments, given {len(avals)}")
    for i, (got, want) in enumerate(zip(avals, expected)):
        if got.shape != want.shape or got.dtype != want.dtype:
            raise ShapeError(f"jit[name={name}]: argument {i} has type {got.str_short()}, but "
                             f"its jaxpr takes {want.str_short()}")
    return list(jaxpr.out_avals)


# ---------------------------------------------------------------- linearize and jvp


def _jit_linearize(primals: Sequence[Any], tangents: Sequence[Any], *, jaxpr: ClosedJaxpr,
                   name: str) -> tuple[list, list]:
    nonzeros = tuple(type(t) is not Zero for t in tangents)
    jvp_closed, out_nonzeros = jvp_jaxpr(jaxpr, nonzeros)
    outs = jit_p.bind(*primals, *[t for t in tangents if type(t) is not Zero],
                      jaxpr=jvp_closed, name=name)
    n = len(jaxpr.jaxpr.outvars)
    it = iter(outs[n:])
    return outs[:n], [next(it) if nz else Zero(tangent_aval(a))
                      for nz, a in zip(out_nonzeros, jaxpr.out_avals)]


def _jit_jvp(primals: Sequence[Any], tangents: Sequence[Any], outs: Sequence[Any],
             **params: Any) -> list:
    return _jit_linearize(primals, tangents, **params)[1]


# ---------------------------------------------------------------- partial evaluation


def _jit_partial_eval(eqn: Eqn, unknowns: Sequence[bool]):
    """A known call computing the known outputs and the residuals, and a staged call of
    the rest; residuals that are the call's own known inputs are read from the caller."""
    n_out = len(eqn.outputs)
    if not any(unknowns):
        return eqn, None, [False] * n_out, []
    closed, name = eqn.params["jaxpr"], eqn.params["name"]
    known, staged, out_unknowns, num_res = partial_eval_jaxpr(closed, tuple(unknowns))
    known_inputs = [a for a, u in zip(eqn.inputs, unknowns) if not u]
    known, forwarded = _forward_residuals(known, num_res)
    residual_atoms = [known_inputs[i] if i is not None else Var(a)
                      for i, a in zip(forwarded, staged.in_avals)]
    n_known_out = len(known.jaxpr.outvars) - forwarded.count(None)
    known_outvars = [v for v, u in zip(eqn.outputs, out_unknowns) if not u]
    computed = [r for r, i in zip(residual_atoms, forwarded) if i is None]
    known_eqn = None
    if n_known_out + len(computed):
        known_eqn = Eqn(jit_p, tuple(known_inputs), tuple(known_outvars + computed),
                        dict(jaxpr=known, name=name), eqn.source_info)
    unknown_inputs = [a for a, u in zip(eqn.inputs, unknowns) if u]
    staged_eqn = Eqn(jit_p, tuple(residual_atoms + unknown_inputs),
                     tuple(v for v, u in zip(eqn.outputs, out_unknowns) if u),
                     dict(jaxpr=staged, name=name), eqn.source_info)
    residuals = [a for a in residual_atoms if type(a) is Var]
    return known_eqn, staged_eqn, list(out_unknowns), residuals


@memoize(maxsize=1024)
def _forward_residuals(known: ClosedJaxpr, num_res: int) -> tuple[ClosedJaxpr, list]:
    """``known`` without the residual outputs that are its own inputs, and for each
    residual the position of the input it is (None: computed)."""
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


# ---------------------------------------------------------------- transpose


def _jit_transpose(cts: Sequence[Any], *operands: Any, jaxpr: ClosedJaxpr, name: str) -> list:
    linear = tuple(type(x) is UndefPrimal for x in operands)
    cts = [instantiate(ct) for ct in cts]
    transposed, _ = transpose_jaxpr(jaxpr, linear, True,
                                    tuple(aval_of(ct).weak_type for ct in cts))
    nonlinear = [x for x in operands if type(x) is not UndefPrimal]
    cts_in = iter(jit_p.bind(*nonlinear, *cts, jaxpr=transposed, name=name))
    return [next(cts_in) if lin else None for lin in linear]


# ---------------------------------------------------------------- batching


def _jit_batch(args: Sequence[Any], dims: Sequence[int | None], *, jaxpr: ClosedJaxpr,
               name: str) -> tuple[list, list]:
    size = next(x.shape[d] for x, d in zip(args, dims) if d is not NOT_MAPPED)
    args = [bdim_to(x, d, 0, size) if d not in (NOT_MAPPED, 0) else x for x, d in zip(args, dims)]
    in_batched = tuple(d is not NOT_MAPPED for d in dims)
    batched, out_batched = batch_jaxpr(jaxpr, in_batched, size)
    outs = jit_p.bind(*args, jaxpr=batched, name=name)
    return outs, [0 if b else NOT_MAPPED for b in out_batched]


# ---------------------------------------------------------------- dead code


def _jit_dce(eqn: Eqn, used_outputs: Sequence[bool]):
    if not any(used_outputs):
        return [False] * len(eqn.inputs), None
    closed = eqn.params["jaxpr"]
    pruned, used_inputs = dce_jaxpr(closed, tuple(used_outputs))
    if pruned is closed:
        return [type(a) is not Literal for a in eqn.inputs], eqn
    return list(used_inputs), pruned_eqn(eqn, used_inputs, used_outputs, jaxpr=pruned)


jit_p = Primitive(
    "jit",
    impl=_jit_impl,
    abstract_eval=_jit_shape,
    jvp=_jit_jvp,
    linearize=_jit_linearize,
    transpose=_jit_transpose,
    batch=_jit_batch,
    typecheck=_jit_typecheck,
    partial_eval=_jit_partial_eval,
    dce=_jit_dce,
)
