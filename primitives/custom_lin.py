"""``custom_lin``: the linear part of a ``custom_vjp`` function, as linearize records it.

``out = J t`` for the Jacobian ``J`` that the user's ``bwd`` transposes. It is only ever
transposed (its transpose rule calls ``bwd`` on the residuals ``fwd`` saved and the output
cotangents); evaluating it forward means forward-mode differentiation of a custom_vjp
function, which raises as in JAX. A first-order primitive: its params hold the rule
(a hashable ``Rule``), no jaxpr, so the interpreters may emit it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.array import Array
from ..core.ir import Literal
from ..core.primitive import Primitive, UndefPrimal, Zero
from ..core.trace import aval_of


def _forward_mode_error(*args: Any, **params: Any) -> Any:
    raise TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function; "
                    "use grad/vjp, or define the function with custom_jvp instead")


def _custom_lin_shape(*avals: Any, bwd: Any, num_res: int, out_avals: tuple) -> list:
    return list(out_avals)


# ct args = bwd(residuals, ct out); the residuals get no cotangent
def _custom_lin_transpose(cts: list, *args: Any, bwd: Any, num_res: int, out_avals: tuple) -> list:
    # (a scalar residual is inlined as a Literal; the user's bwd gets it as an array)
    residuals = [Array(np.asarray(r.value), r.aval.weak_type, r.aval) if type(r) is Literal else r
                 for r in args[:num_res]]
    cts_in = bwd(residuals, list(cts))
    tangent_avals = [a.aval if type(a) is UndefPrimal else aval_of(a) for a in args[num_res:]]
    return [None] * num_res + [Zero(a) if ct is None else ct
                               for ct, a in zip(cts_in, tangent_avals)]


custom_lin_p = Primitive(
    "custom_lin",
    impl=_forward_mode_error,
    abstract_eval=_custom_lin_shape,
    jvp=lambda primals, tangents, outs, **params: _forward_mode_error(),
    transpose=_custom_lin_transpose,
    batch=lambda args, dims, **params: _forward_mode_error(),
)
