"""The IR and tracing: avals, Var/Literal/Eqn/Jaxpr, primitives, bind, tracers, pytrees."""

from . import dtypes, pretty, tree, tree_util
from .array import Array
from .avals import ShapedArray
from .config import config
from .errors import (
    ConcretizationError,
    ShapeError,
    TypecheckError,
    UnexpectedTracerError,
)
from .ir import ClosedJaxpr, Eqn, Jaxpr, Literal, SourceInfo, Var
from .params import NO_PARAMS, Params
from .primitive import NOT_LINEAR, NOT_MAPPED, Primitive, UndefPrimal, Zero
from .eager import bind_in
from .jaxpr_trace import JaxprTrace, closure_convert, new_trace, trace_to_jaxpr
from .trace import (
    NO_VALUE,
    Trace,
    Tracer,
    aval_of,
    current_trace,
    run_in,
    trace_of,
    with_source_info,
)
from .typecheck import typecheck

__all__ = [
    "Array", "ClosedJaxpr", "ConcretizationError", "Eqn", "Jaxpr", "JaxprTrace", "Literal",
    "NOT_LINEAR", "NOT_MAPPED", "NO_PARAMS", "NO_VALUE", "Params", "Primitive", "ShapeError",
    "ShapedArray", "SourceInfo", "Trace", "Tracer", "TypecheckError", "UndefPrimal",
    "UnexpectedTracerError", "Var", "Zero", "aval_of", "bind_in", "closure_convert", "config",
    "current_trace", "dtypes", "new_trace", "pretty", "run_in", "trace_of", "trace_to_jaxpr",
    "tree", "tree_util", "typecheck", "with_source_info",
]
