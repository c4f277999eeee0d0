"""Comparisons, logic and selection: eq ne lt le gt ge, not and or, select_n.

Comparisons and logic ops are piecewise constant, so their tangents are zero.
``select_n(which, *cases)`` picks ``cases[which]`` elementwise; it is linear in the
cases (never in ``which``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.avals import shaped_array
from ..core.primitive import NOT_LINEAR, NOT_MAPPED, Lowering, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from .combinators import (
    ANY,
    INTEGER,
    batch_size,
    nary_shape_rule,
    shape_error,
    ufunc_impl,
    ufunc_lowering,
    zero_jvp,
)
from .structural import bdim_to, broadcast_batch, broadcast_in_dim, instantiate, zeros


def _real(dtype: np.dtype) -> bool:
    return dtype.kind in "biuf"  # (comparing scalars is exact: no overflow, no rounding)


def _comparison(name: str, np_fn, operator: str) -> Primitive:
    prim = Primitive(
        name,
        impl=ufunc_impl(np_fn),
        abstract_eval=nary_shape_rule(name, ANY, out_dtype=dtypes.bool_),
        jvp=zero_jvp,
        transpose=NOT_LINEAR,
        batch=broadcast_batch(lambda: prim),
        lower=ufunc_lowering(np_fn, "{0} %s {1}" % operator, _real),
    )
    return prim


eq_p = _comparison("eq", np.equal, "==")
ne_p = _comparison("ne", np.not_equal, "!=")
lt_p = _comparison("lt", np.less, "<")
le_p = _comparison("le", np.less_equal, "<=")
gt_p = _comparison("gt", np.greater, ">")
ge_p = _comparison("ge", np.greater_equal, ">=")


def _logical(name: str, np_logical, np_bitwise) -> Primitive:
    def impl(*xs):
        fn = np_logical if np.asarray(xs[0]).dtype == np.bool_ else np_bitwise
        return [fn(*xs)]

    integer_rule, any_rule = nary_shape_rule(name, INTEGER), nary_shape_rule(name, ANY)

    def shape_rule(*avals):
        return (any_rule if avals[0].dtype == dtypes.bool_ else integer_rule)(*avals)

    logical, bitwise = Lowering(ufunc=np_logical), Lowering(ufunc=np_bitwise)

    def lower(in_avals, out_avals):
        return logical if in_avals[0].dtype == dtypes.bool_ else bitwise

    prim = Primitive(
        name,
        impl=impl,
        abstract_eval=shape_rule,
        jvp=zero_jvp,
        transpose=NOT_LINEAR,
        batch=broadcast_batch(lambda: prim),
        lower=lower,
    )
    return prim


not_p = _logical("not", np.logical_not, np.invert)
and_p = _logical("and", np.logical_and, np.bitwise_and)
or_p = _logical("or", np.logical_or, np.bitwise_or)
xor_p = _logical("xor", np.logical_xor, np.bitwise_xor)


def eq(x: Any, y: Any) -> Any:
    return eq_p.bind1(x, y)


def ne(x: Any, y: Any) -> Any:
    return ne_p.bind1(x, y)


def lt(x: Any, y: Any) -> Any:
    return lt_p.bind1(x, y)


def le(x: Any, y: Any) -> Any:
    return le_p.bind1(x, y)


def gt(x: Any, y: Any) -> Any:
    return gt_p.bind1(x, y)


def ge(x: Any, y: Any) -> Any:
    return ge_p.bind1(x, y)


# ---------------------------------------------------------------- select_n
# out = cases[which] elementwise; which is bool (two cases) or int32


def _select_n_impl(which, *cases):
    if len(cases) == 1:
        return [np.broadcast_to(cases[0], np.shape(which)) if np.ndim(cases[0]) == 0 else cases[0]]
    if len(cases) == 2:
        return [select_bits(which, cases[1], cases[0])]
    return [np.choose(np.asarray(which), np.broadcast_arrays(*cases))]


_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


def select_bits(which: Any, on_true: Any, on_false: Any) -> np.ndarray:
    """``np.where(which, on_true, on_false)`` (operands of one dtype), bit for bit, without
    branches on large arrays: NumPy's where branches per element, which is several times
    slower when the mask is unpredictable (a ReLU's, a max's ties)."""
    which, on_true, on_false = np.asarray(which), np.asarray(on_true), np.asarray(on_false)
    unsigned = _UNSIGNED.get(on_true.dtype.itemsize)
    if which.size < 16384 or unsigned is None or on_true.dtype != on_false.dtype:
        return np.where(which, on_true, on_false)
    shape = np.broadcast_shapes(which.shape, on_true.shape, on_false.shape)
    mask = np.broadcast_to(which, shape).astype(unsigned)
    np.negative(mask, out=mask)  # 0 or all ones
    t = np.broadcast_to(on_true, shape).view(unsigned)
    f = np.broadcast_to(on_false, shape).view(unsigned)
    out = np.bitwise_xor(t, f)
    out &= mask
    out ^= f  # f where the mask is 0, t where it is all ones
    return out.view(on_true.dtype)


_WHERE = Lowering("{select}({0}, {2}, {1})", {"select": select_bits}, fresh=True)
_CHOSEN = Lowering("({2} if {0} else {1})")  # (on scalars: np.where's choice, without its cost)


def _select_n_lower(in_avals, out_avals):
    if len(in_avals) != 3:
        return None
    return _CHOSEN if all(a.shape == () for a in in_avals) else _WHERE


def _select_n_shape(which, *cases):
    avals = (which, *cases)
    if not cases:
        raise shape_error("select_n", "needs at least one case", avals)
    case = cases[0]
    if any(c.shape != case.shape or c.dtype != case.dtype for c in cases):
        raise shape_error("select_n", "cases must have one shape and dtype", avals)
    if which.shape not in ((), case.shape):
        raise shape_error("select_n", "the selector must be a scalar or have the cases' shape",
                          avals)
    expected = dtypes.bool_ if len(cases) <= 2 else dtypes.int32
    if which.dtype not in (dtypes.bool_, dtypes.int32) or (len(cases) > 2 and which.dtype != expected):
        raise shape_error("select_n", "the selector must be bool (two cases) or int32", avals)
    return [shaped_array(case.shape, case.dtype, all(c.weak_type for c in cases))]


def _select_n_jvp(primals, tangents, outs):
    if all(type(t) is Zero for t in tangents[1:]):
        return [Zero(aval_of(outs[0]))]
    return [select_n(primals[0], *[instantiate(t) for t in tangents[1:]])]


def _select_n_transpose(cts, which, *cases):
    # each linear case receives ct where it was selected and zero elsewhere
    (ct,) = cts
    if type(which) is UndefPrimal:
        raise NotImplementedError("transpose of select_n with respect to its selector")
    zero = zeros(aval_of(ct))
    return [None] + [
        select_n(which, *[ct if j == i else zero for j in range(len(cases))])
        if type(case) is UndefPrimal else None
        for i, case in enumerate(cases)
    ]


def _select_n_batch(args, dims):
    # every case gets the batch axis at 0 (the cases must keep one shape); a per-example
    # scalar selector may stay a scalar only if it is unbatched
    (which, *cases), (which_dim, *case_dims) = args, dims
    size = batch_size(args, dims)
    cases = [bdim_to(c, d, 0, size) for c, d in zip(cases, case_dims)]
    shape = aval_of(cases[0]).shape
    if which_dim is not NOT_MAPPED or aval_of(which).shape != ():
        which = bdim_to(which, which_dim, 0, size)
        if aval_of(which).shape != shape:  # a batched scalar selector meets array cases
            which = broadcast_in_dim(which, shape, (0,))
    return [select_n(which, *cases)], [0]


select_n_p = Primitive(
    "select_n",
    impl=_select_n_impl,
    abstract_eval=_select_n_shape,
    jvp=_select_n_jvp,
    transpose=_select_n_transpose,
    batch=_select_n_batch,
    lower=_select_n_lower,
)


def select_n(which: Any, *cases: Any) -> Any:
    return select_n_p.bind1(which, *cases)
