"""``jnp.einsum`` and ``jnp.einsum_path``: Einstein summation as a sequence of ``dot_general``,
``reduce_sum``, ``transpose`` and (for repeated labels) masked sums, in a contraction order
chosen at trace time by ``einsum_plan`` (greedy, as opt_einsum's). Nothing is evaluated to
plan: the plan depends on the subscripts and the operands' shapes only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.array import Array
from ..core.cache import memoize
from ..core.trace import ARRAY_TYPES, aval_of
from ..primitives import comparison as cmp
from ..primitives import elementwise as ew
from ..primitives import reductions as red
from ..primitives import shape as shape_ops
from ..primitives.linalg import dot_general
from ..primitives.structural import convert_element_type, reduce_sum, transpose
from ._util import array_operand, convert_to, promote_types
from .einsum_plan import (
    Contract,
    Diagonal,
    Plan,
    Squeeze,
    Sum,
    flop_count,
    plan_einsum,
    sublists_to_subscripts,
)


def einsum(subscripts: Any, /, *operands: Any, out: None = None, optimize: Any = "auto",
           precision: Any = None, preferred_element_type: Any = None) -> Any:
    """Einstein summation: ``einsum("ij,jk->ik", a, b)`` is ``a @ b``.

    Takes the subscripts string form or the interleaved form ``einsum(a, [0, 1], b, [1, 2],
    [0, 2])``, with ``...`` for broadcast axes, repeated labels for diagonals and labels
    missing from the output summed. ``optimize``: a path optimizer's name or True (a greedy
    contraction order), False (left to right), or an explicit path as ``einsum_path`` gives.
    ``precision`` is accepted for JAX compatibility (NumPy computes at full precision);
    ``preferred_element_type`` is the result's dtype, and the accumulation's when wider.
    """
    if out is not None:
        raise NotImplementedError("The 'out' argument to jnp.einsum is not supported.")
    subscripts, arrays = _subscripts_and_operands(subscripts, operands)
    result_dtype, weak = promote_types(*arrays)
    compute = result_dtype
    if preferred_element_type is not None:
        preferred = dtypes.canonicalize(preferred_element_type)
        if dtypes.result_type((compute, False), (preferred, False))[0] != compute:
            compute = preferred  # accumulate in the wider type
        result_dtype, weak = preferred, False
    arrays = [convert_to(x, compute, weak) for x in arrays]
    plan = plan_einsum(subscripts, tuple(aval_of(x).shape for x in arrays), _hashable(optimize))
    result = run_plan(plan, arrays, compute)
    aval = aval_of(result)
    if aval.dtype != result_dtype or aval.weak_type != weak:
        result = convert_element_type(result, result_dtype, weak)
    return result


def einsum_path(subscripts: Any, /, *operands: Any, optimize: Any = "auto") -> tuple[list, str]:
    """The contraction path ``einsum`` follows (a list of operand-position tuples, to pass
    back as ``optimize=``) and a printable summary of its cost."""
    subscripts, arrays = _subscripts_and_operands(subscripts, operands)
    plan = plan_einsum(subscripts, tuple(aval_of(x).shape for x in arrays), _hashable(optimize))
    return [tuple(entry) for entry in plan.path], _describe(plan)


def _subscripts_and_operands(subscripts: Any, operands: tuple) -> tuple[str, list[Any]]:
    if not isinstance(subscripts, str):
        subscripts, operands = sublists_to_subscripts((subscripts, *operands))
    for position, x in enumerate(operands):
        if isinstance(x, (list, tuple)) and type(x) not in ARRAY_TYPES:
            raise TypeError(f"einsum requires ndarray or scalar arguments, got {type(x)} at "
                            f"position {position}.")
    return subscripts, [array_operand(x, "einsum") for x in operands]


def _hashable(optimize: Any) -> Any:
    if isinstance(optimize, (bool, str)):
        return optimize
    if isinstance(optimize, (list, tuple)):
        return tuple(entry if isinstance(entry, str) else tuple(entry) for entry in optimize)
    raise TypeError(f"einsum: optimize must be a bool, a path optimizer's name or a path, got "
                    f"{optimize!r}")


def run_plan(plan: Plan, arrays: list[Any], dtype: np.dtype) -> Any:
    """Apply the plan's steps to ``arrays`` (all of ``dtype``); returns the one result."""
    arrays = list(arrays)
    for step in plan.steps:
        kind = type(step)
        if kind is Contract:
            entry = step.path_entry
            if len(entry) == 1:
                arrays.append(arrays.pop(entry[0]))
                continue
            x, y = arrays[entry[0]], arrays[entry[1]]
            for k in sorted(entry, reverse=True):
                arrays.pop(k)
            arrays.append(dot_general(x, y, step.dimension_numbers, dtype))
        elif kind is Sum:
            arrays[step.operand] = _sum(arrays[step.operand], step.axes)
        elif kind is Diagonal:
            arrays[step.operand] = _diagonal(arrays[step.operand], step.axes, step.keep)
        elif kind is Squeeze:
            arrays[step.operand] = shape_ops.reshape(arrays[step.operand], step.shape)
        else:
            arrays[0] = transpose(arrays[0], step.permutation)
    return arrays[0]


def _sum(x: Any, axes: tuple[int, ...]) -> Any:
    # booleans add as logical or, as dot_general multiplies them as logical and
    return red.reduce_max(x, axes) if aval_of(x).dtype == dtypes.bool_ else reduce_sum(x, axes)


def _diagonal(x: Any, axes: tuple[int, ...], keep: bool) -> Any:
    """Zero ``x`` off the diagonal of ``axes``, then sum all of them but the first (``keep``)
    or all of them."""
    mask = Array(_diagonal_mask(aval_of(x).shape, axes))
    x = cmp.select_n(mask, ew.full_like(0, x), x)
    return _sum(x, axes[1:] if keep else axes)


@memoize(64)
def _diagonal_mask(shape: tuple[int, ...], axes: tuple[int, ...]) -> np.ndarray:
    """True where the indices along ``axes`` (increasing) agree; of shape ``shape``."""
    grids = np.indices(tuple(shape[a] for a in axes), sparse=True)
    agree = grids[1] == grids[0]
    for grid in grids[2:]:
        agree = agree & (grid == grids[0])
    full = [n if a in axes else 1 for a, n in enumerate(shape)]
    out = np.broadcast_to(agree.reshape(full), shape).copy()
    out.flags.writeable = False
    return out


def _describe(plan: Plan) -> str:
    naive, optimized = flop_count(plan)
    subscripts = ",".join("".join(_label(label) for label in term) for term in plan.inputs)
    output = "".join(_label(label) for label in plan.output)
    return "\n".join([
        f"  Complete contraction:  {subscripts}->{output}",
        f"      Naive FLOP count:  {naive:.3e}",
        f"  Optimized FLOP count:  {optimized:.3e}",
        f"                  Path:  {[tuple(entry) for entry in plan.path]}",
    ])


def _label(label: str) -> str:
    return "." if label.startswith("...") else label
