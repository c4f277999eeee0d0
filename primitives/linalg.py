"""``dot_general``: contractions with batch dimensions (matmul, dot, einsum-like products).

``dimension_numbers = ((lhs_contract, rhs_contract), (lhs_batch, rhs_batch))``; the
output axes are the batch axes, then the lhs free axes, then the rhs free axes.
It is bilinear: linear in each operand when the other is fixed.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.avals import shaped_array
from ..core.cache import memoize
from ..core.primitive import NOT_MAPPED, Lowering, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from .combinators import axes_before, cached_shape_rule, shape_error, shift_axes
from .elementwise import add_tangents
from .structural import transpose_p


def _free_axes(ndim: int, contract: Sequence[int], batch: Sequence[int]) -> list[int]:
    return [i for i in range(ndim) if i not in contract and i not in batch]


def _is_matrix_product(dimension_numbers, x_ndim: int, y_ndim: int) -> bool:
    (xc, _), (xb, _) = dimension_numbers
    return not xb and len(xc) == 1 and x_ndim <= 2 and y_ndim <= 2 and x_ndim + y_ndim > 2


def _dot_general_impl(x, y, *, dimension_numbers, preferred_element_type):
    if preferred_element_type is not None and preferred_element_type != x.dtype:
        # (accumulate in the preferred type: int8 products summed in int32, say)
        x, y = np.asarray(x, preferred_element_type), np.asarray(y, preferred_element_type)
    (xc, yc), (xb, yb) = dimension_numbers
    if _is_matrix_product(dimension_numbers, x.ndim, y.ndim):
        # a matrix product: transposed views go to BLAS as they are
        return [np.matmul(x if xc[0] == x.ndim - 1 else x.T, y if yc[0] == 0 else y.T)]
    if not xb:  # tensordot hands transposed views to BLAS without copying them
        return [np.tensordot(x, y, axes=(list(xc), list(yc)))]
    xf, yf = _free_axes(x.ndim, xc, xb), _free_axes(y.ndim, yc, yb)
    if _size(x.shape, xc) == 1:  # nothing to sum: a batched outer product (einsum's loops
        # are faster than broadcasting multiply's)
        batch = _size(x.shape, xb)
        x2 = x.transpose((*xb, *xf, *xc)).reshape((batch, _size(x.shape, xf)))
        y2 = y.transpose((*yb, *yc, *yf)).reshape((batch, _size(y.shape, yf)))
        shape = [x.shape[i] for i in xb] + [x.shape[i] for i in xf] + [y.shape[i] for i in yf]
        if y2.shape[1] < x2.shape[1]:  # einsum is slow when the last axis is the short one:
            # make the long axis the contiguous one and return a transposed view
            return [np.einsum("bi,bj->bji", x2, y2).transpose(0, 2, 1).reshape(shape)]
        return [np.einsum("bi,bj->bij", x2, y2).reshape(shape)]
    x3 = x.transpose((*xb, *xf, *xc)).reshape(
        (_size(x.shape, xb), _size(x.shape, xf), _size(x.shape, xc)))
    y3 = y.transpose((*yb, *yc, *yf)).reshape(
        (_size(y.shape, yb), _size(y.shape, yc), _size(y.shape, yf)))
    out = np.matmul(x3, y3)
    shape = [x.shape[i] for i in xb] + [x.shape[i] for i in xf] + [y.shape[i] for i in yf]
    return [out.reshape(shape)]


def _dot_general_lower(in_avals, out_avals, *, dimension_numbers, preferred_element_type):
    # the impl's matrix product, as an expression (np.matmul's result is a new C-ordered array)
    x, y = in_avals
    (xc, yc), _ = dimension_numbers
    if not _is_matrix_product(dimension_numbers, x.ndim, y.ndim) or out_avals[0].dtype != x.dtype:
        return None
    x_t = "" if xc[0] == x.ndim - 1 else ".T"
    y_t = "" if yc[0] == 0 else ".T"
    return Lowering(f"np.matmul({{0}}{x_t}, {{1}}{y_t})", fresh=True, layout="C")


def _size(shape: Sequence[int], axes: Sequence[int]) -> int:
    return math.prod([shape[a] for a in axes])


def _dot_general_shape(x, y, *, dimension_numbers, preferred_element_type):
    (xc, yc), (xb, yb) = dimension_numbers
    ok = (len(xc) == len(yc) and len(xb) == len(yb)
          and all(0 <= a < x.ndim for a in (*xc, *xb)) and all(0 <= a < y.ndim for a in (*yc, *yb))
          and all(x.shape[a] == y.shape[b] for a, b in zip(xc, yc))
          and all(x.shape[a] == y.shape[b] for a, b in zip(xb, yb)))
    if not ok:
        raise shape_error("dot_general", f"dimension_numbers {dimension_numbers} do not match "
                          "the operands' shapes", [x, y])
    if x.dtype != y.dtype:
        raise shape_error("dot_general", "requires operands of one dtype", [x, y])
    shape = ([x.shape[i] for i in xb] + [x.shape[i] for i in _free_axes(x.ndim, xc, xb)]
             + [y.shape[i] for i in _free_axes(y.ndim, yc, yb)])
    dtype = preferred_element_type or x.dtype
    return [shaped_array(tuple(shape), dtype, x.weak_type and y.weak_type)]


def _dot_general_jvp(primals, tangents, outs, **params):
    # d(x . y) = dx . y + x . dy
    (x, y), (tx, ty) = primals, tangents
    return [add_tangents([dot_general_p.bind1(tx, y, **params) if type(tx) is not Zero else None,
                          dot_general_p.bind1(x, ty, **params) if type(ty) is not Zero else None],
                         outs[0])]


def _dot_general_transpose(cts, x, y, *, dimension_numbers, preferred_element_type):
    # x_bar = ct . y over y's free axes; y_bar = x . ct over x's free axes; each result is
    # then permuted into its operand's axis order (the identity for plain matrix products)
    (ct,) = cts
    x_linear = type(x) is UndefPrimal
    if x_linear and type(y) is UndefPrimal:
        raise NotImplementedError("transpose of dot_general of two linear operands")
    x_ndim = x.aval.ndim if x_linear else len(aval_of(x).shape)
    y_ndim = y.aval.ndim if type(y) is UndefPrimal else len(aval_of(y).shape)
    numbers, permutation = _transpose_plan(dimension_numbers, x_ndim, y_ndim, x_linear)
    if x_linear:
        z = dot_general_p.bind1(ct, y, dimension_numbers=numbers,
                                preferred_element_type=x.aval.dtype)
        return [z if permutation is None else transpose_p.bind1(z, permutation=permutation), None]
    z = dot_general_p.bind1(x, ct, dimension_numbers=numbers, preferred_element_type=y.aval.dtype)
    return [None, z if permutation is None else transpose_p.bind1(z, permutation=permutation)]


@memoize(1024)
def _transpose_plan(dimension_numbers, x_ndim: int, y_ndim: int, x_linear: bool) -> tuple:
    """The dimension numbers of the cotangent's product, and the permutation (None for the
    identity) putting its axes in the linear operand's order."""
    (xc, yc), (xb, yb) = dimension_numbers
    x_free, y_free = _free_axes(x_ndim, xc, xb), _free_axes(y_ndim, yc, yb)
    nb = len(xb)
    ct_batch = tuple(range(nb))
    ct_x_free = tuple(range(nb, nb + len(x_free)))
    ct_y_free = tuple(range(nb + len(x_free), nb + len(x_free) + len(y_free)))
    if x_linear:
        numbers = ((ct_y_free, tuple(y_free)), (ct_batch, tuple(yb)))
        z_axes = [*xb, *x_free, *(xc[yc.index(a)] for a in sorted(yc))]
    else:
        numbers = ((tuple(x_free), ct_x_free), (tuple(xb), ct_batch))
        z_axes = [*yb, *(yc[xc.index(a)] for a in sorted(xc)), *y_free]
    permutation = _argsort(z_axes)
    return numbers, None if permutation == tuple(range(len(permutation))) else permutation


def _argsort(values: list[int]) -> tuple[int, ...]:
    return tuple(sorted(range(len(values)), key=values.__getitem__))


def _dot_general_batch(args, dims, *, dimension_numbers, preferred_element_type):
    # a batched operand's batch axis stays where it is, as one more free axis
    (x, y), (dx, dy) = args, dims
    numbers, out_dim = _batch_plan(dimension_numbers, dx, dy, len(aval_of(x).shape),
                                   len(aval_of(y).shape))
    return [dot_general_p.bind1(x, y, dimension_numbers=numbers,
                                preferred_element_type=preferred_element_type)], [out_dim]


@memoize(1024)
def _batch_plan(dimension_numbers, dx, dy, x_ndim: int, y_ndim: int) -> tuple:
    """The dimension numbers of the batched product (operands of ``x_ndim``, ``y_ndim`` axes
    with batch axes ``dx``, ``dy``), and where its batch axis is."""
    (xc, yc), (xb, yb) = dimension_numbers
    if dx is not NOT_MAPPED and dy is not NOT_MAPPED:  # a new batch dimension of the product
        return ((shift_axes(xc, dx), shift_axes(yc, dy)),
                ((dx, *shift_axes(xb, dx)), (dy, *shift_axes(yb, dy)))), 0
    if dx is not NOT_MAPPED:
        numbers = ((shift_axes(xc, dx), yc), (shift_axes(xb, dx), yb))
        return numbers, len(xb) + axes_before(_free_axes(x_ndim - 1, xc, xb), dx)
    numbers = ((xc, shift_axes(yc, dy)), (xb, shift_axes(yb, dy)))
    return numbers, (len(xb) + len(_free_axes(x_ndim, xc, xb))
                     + axes_before(_free_axes(y_ndim - 1, yc, yb), dy))


dot_general_p = Primitive(
    "dot_general",
    impl=_dot_general_impl,
    abstract_eval=cached_shape_rule(_dot_general_shape),
    jvp=_dot_general_jvp,
    transpose=_dot_general_transpose,
    batch=_dot_general_batch,
    lower=_dot_general_lower,
)


def dot_general(x: Any, y: Any, dimension_numbers: Any, preferred_element_type: Any = None) -> Any:
    # params are hashable and canonical: tuples of ints, a canonical dtype (np.float64 is
    # float32 unless x64 is on; jnp.float32 and "float32" are the same param)
    if preferred_element_type is not None:
        preferred_element_type = dtypes.canonicalize(preferred_element_type)
    try:
        (xc, yc), (xb, yb) = dimension_numbers
        numbers = ((_ints(xc), _ints(yc)), (_ints(xb), _ints(yb)))
    except (TypeError, ValueError):
        raise shape_error("dot_general", f"dimension_numbers {dimension_numbers} must be "
                          "((lhs_contract, rhs_contract), (lhs_batch, rhs_batch))",
                          [aval_of(x), aval_of(y)]) from None
    return dot_general_p.bind1(x, y, dimension_numbers=numbers,
                               preferred_element_type=preferred_element_type)


def _ints(axes: Sequence[int]) -> tuple[int, ...]:
    return tuple(map(int, axes))
