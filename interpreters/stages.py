"""``autodiff_stages``: every intermediate jaxpr of reverse-mode differentiation, by name.

    traced      f as traced                           a -> b
    jvp         its JVP program                       (a, T a) -> (b, T b)
    known       the primal part after partial eval    a -> (b, residuals)
    linear      the linear tangent part               (residuals, T a) -o T b
    transposed  the linear part transposed (the VJP)  (residuals, T b) -o T a

This is the pipeline ``grad`` runs (fused into one pass there), laid out for reading.
"""

from __future__ import annotations

from typing import Any, Callable

from ..core.ir import ClosedJaxpr, Jaxpr
from .jvp import jvp_jaxpr
from .partial_eval import partial_eval_jaxpr
from .transforms import make_jaxpr
from .transpose import transpose_jaxpr


def autodiff_stages(fun: Callable) -> Callable[..., dict[str, Jaxpr | ClosedJaxpr]]:
    """A function returning the named stages of differentiating ``fun`` at its arguments."""

    def stages(*args: Any) -> dict[str, Jaxpr | ClosedJaxpr]:
        traced = make_jaxpr(fun)(*args)
        n_in = len(traced.in_avals)
        jvp, _ = jvp_jaxpr(traced, (True,) * n_in, instantiate=True)
        n_tangents = len(jvp.in_avals) - n_in
        unknowns = (False,) * n_in + (True,) * n_tangents
        known, linear, _, num_res = partial_eval_jaxpr(jvp, unknowns)
        transposed, _ = transpose_jaxpr(linear, (False,) * num_res + (True,) * n_tangents)
        return {"traced": traced, "jvp": jvp, "known": known, "linear": linear,
                "transposed": transposed}

    return stages
