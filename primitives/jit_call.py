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
  through its jaxpr transformer (the rules every call primitive shares,
  ``interpreters/call_rules.py``).
"""

from __future__ import annotations

from typing import Any, Sequence

from ..core.cache import memoize
from ..core.ir import ClosedJaxpr, Eqn
from ..core.primitive import Primitive, Zero
from ..interpreters.call_rules import (
    call_batch,
    call_dce,
    call_transpose,
    call_typecheck,
    split_call,
)
from ..interpreters.compile import CompiledJaxpr, compile_jaxpr, inline_calls
from ..interpreters.jvp import jvp_jaxpr
from ..interpreters.linearize import tangent_aval
from ..interpreters.partial_eval import partial_eval_jaxpr
from ..interpreters.simplify import optimize_jaxpr

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
    return call_typecheck(f"jit[name={name}]", avals, jaxpr)


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
    if not any(unknowns):
        return eqn, None, [False] * len(eqn.outputs), []
    return split_call(eqn, unknowns, *partial_eval_jaxpr(eqn.params["jaxpr"], tuple(unknowns)))


# ---------------------------------------------------------------- transpose, batching, dead code


def _jit_transpose(cts: Sequence[Any], *operands: Any, **params: Any) -> list:
    return call_transpose(jit_p, cts, operands, params)


def _jit_batch(args: Sequence[Any], dims: Sequence[int | None], **params: Any):
    return call_batch(jit_p, args, dims, params)


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
    dce=call_dce,
)
