"""jvp_jaxpr : Jaxpr (a -> b) -> Jaxpr ((a, T a) -> (b, T b)), the JVP program of a jaxpr.

There is one differentiation engine (``linearize``): the JVP program is the jaxpr
linearized (its primal work recorded as it runs) with the linear part evaluated on the
tangent inputs, all recorded into one new jaxpr. Only inputs flagged ``nonzeros`` get
tangent inputs; outputs whose tangent is symbolically zero get no tangent output unless
``instantiate`` asks for one.
"""

from __future__ import annotations

from typing import Any

from ..core.cache import memoize
from ..core.ir import ClosedJaxpr
from ..core.jaxpr_trace import trace_closed
from .evaluate import eval_jaxpr
from .linearize import linearize_fused, tangent_aval


@memoize(maxsize=1024)
def jvp_jaxpr(closed: ClosedJaxpr, nonzeros: tuple[bool, ...],
              instantiate: bool | tuple[bool, ...] = False) -> tuple[ClosedJaxpr, tuple[bool, ...]]:
    """``(primals, nonzero tangents) -> (outs, nonzero tangent outs)``, and which outputs
    have a tangent output (nonzero, or forced by ``instantiate``: one flag or one per output)."""
    in_avals = closed.in_avals
    n_out = len(closed.jaxpr.outvars)
    forced = (instantiate,) * n_out if isinstance(instantiate, bool) else tuple(instantiate)
    diff_avals = [a for a, nz in zip(in_avals, nonzeros) if nz]
    out_nonzeros: list[bool] = []

    def jvp_fun(*args: Any) -> list:
        primals, tangents = args[:len(in_avals)], args[len(in_avals):]

        def differentiated(*diff: Any) -> list:
            it = iter(diff)
            full = [next(it) if nz else p for p, nz in zip(primals, nonzeros)]
            return eval_jaxpr(closed.jaxpr, closed.consts, *full)

        outs, linear, residuals, nonzero_outs = linearize_fused(
            differentiated, diff_avals, [p for p, nz in zip(primals, nonzeros) if nz], "jvp_jaxpr")
        tangents_out = eval_jaxpr(linear, residuals, *tangents)
        out_nonzeros[:] = [nz or f for nz, f in zip(nonzero_outs, forced)]
        return [*outs, *[t for t, keep in zip(tangents_out, out_nonzeros) if keep]]

    avals = [*in_avals, *[tangent_aval(a) for a in diff_avals]]
    return trace_closed(jvp_fun, avals, "jvp_jaxpr"), tuple(out_nonzeros)
