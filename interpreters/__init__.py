"""The transformations (traces and walkers over jaxprs), and the public transforms composed
from them.

``LinearizeTrace`` (jvp fused with partial evaluation) and ``BatchTrace`` (vmap) process
each primitive as it is bound; ``eval_jaxpr`` and ``backward_pass`` (transpose) walk a
jaxpr; the jaxpr transformers (``jvp_jaxpr``, ``batch_jaxpr``, ``partial_eval_jaxpr``,
``transpose_jaxpr``, ``dce_jaxpr``) apply them to a ClosedJaxpr for higher-order
primitives. Each asks the primitive for the rule it needs; none knows any particular
primitive, except ``simplify`` (jit's exact IR passes: ``optimize_jaxpr`` and the passes
it composes), which knows a short list by name, given in its docstring, and ``compile``
(jit's code generator: ``compile_jaxpr``), which inlines the call primitives of its tables
``CALL_PRIMITIVES`` and ``BARRIER_CALLS``; neither imports any primitive. ``call_rules``
writes the rules of a call primitive (``jit``, ``checkpoint``'s ``remat2``) once, with the
transformers.
From ``primitives/`` they import only ``structural`` (add_any, broadcast_in_dim, reduce_sum,
convert_element_type, transpose: what summing cotangents, materialising zeros and moving
batch axes need), ``custom_lin``
(the linear part of a custom_vjp function, which linearize records), and the Jacobian
helpers use ``shape.reshape`` and ``shape.slice`` to cut Jacobians into blocks.
"""

from .batching import BatchTrace, batch_jaxpr, run_batched
from .compile import CompiledJaxpr, compile_jaxpr
from .evaluate import eval_jaxpr
from .jvp import jvp_jaxpr
from .linearize import LinearizeTrace, linearize_fused
from .partial_eval import dce_jaxpr, partial_eval_jaxpr
from .transpose import backward_pass, transpose_jaxpr

__all__ = ["BatchTrace", "CompiledJaxpr", "LinearizeTrace", "backward_pass", "batch_jaxpr",
           "compile_jaxpr", "dce_jaxpr", "eval_jaxpr", "jvp_jaxpr", "linearize_fused",
           "partial_eval_jaxpr", "run_batched", "transpose_jaxpr"]
