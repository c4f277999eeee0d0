"""``dot_general``: contractions with batch dimensions (matmul, dot, einsum-like products).

``dimension_numbers = ((lhs_contract, rhs_contract), (lhs_batch, rhs_batch))``; the
output axes are the batch axes, then the lhs free axes, then the rhs free axes.
It is bilinear: linear in each operand when the other is fixed.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core.avals import ShapedArray
from ..core.primitive import NOT_MAPPED, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from .combinators import shape_error
from .elementwise import add
from .structural import moveaxis, transpose


def _free_axes(ndim: int, contract: Sequence[int], batch: Sequence[int]) -> list[int]:
    return [i for i in range(ndim) if i not in contract and i not in batch]


def _dot_general_impl(x, y, *, dimension_numbers, preferred_element_type):
    (xc, yc), (xb, yb) = dimension_numbers
    x, y = np.asarray(x), np.asarray(y)
    if not xb:  # tensordot hands transposed views to BLAS without copying them
        return [np.tensordot(x, y, axes=(list(xc), list(yc)))]
    xf, yf = _free_axes(x.ndim, xc, xb), _free_axes(y.ndim, yc, yb)
    x3 = np.transpose(x, (*xb, *xf, *xc)).reshape(
        (_size(x.shape, xb), _size(x.shape, xf), _size(x.shape, xc)))
    y3 = np.transpose(y, (*yb, *yc, *yf)).reshape(
        (_size(y.shape, yb), _size(y.shape, yc), _size(y.shape, yf)))
    out = np.matmul(x3, y3)
    shape = [x.shape[i] for i in xb] + [x.shape[i] for i in xf] + [y.shape[i] for i in yf]
    return [out.reshape(shape)]


def _size(shape: Sequence[int], axes: Sequence[int]) -> int:
    return int(np.prod([shape[a] for a in axes], dtype=np.int64))


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
    return [ShapedArray(tuple(shape), dtype, x.weak_type and y.weak_type)]


def _dot_general_jvp(primals, tangents, outs, **params):
    # d(x . y) = dx . y + x . dy
    (x, y), (tx, ty) = primals, tangents
    terms = [dot_general_p.bind1(tx, y, **params) if type(tx) is not Zero else None,
             dot_general_p.bind1(x, ty, **params) if type(ty) is not Zero else None]
    terms = [t for t in terms if t is not None]
    if not terms:
        return [Zero(aval_of(outs[0]))]
    return [terms[0] if len(terms) == 1 else add(*terms)]


def _transpose_lhs(ct, y, x_ndim, y_ndim, dimension_numbers, preferred, swap_out=False):
    # contract the cotangent with y over y's free axes, then put x's axes back in order
    (xc, yc), (xb, yb) = dimension_numbers
    x_free = _free_axes(x_ndim, xc, xb)
    y_free = _free_axes(y_ndim, yc, yb)
    nb = len(xb)
    out_batch = list(range(nb))
    if swap_out:
        out_y = list(range(nb, nb + len(y_free)))
    else:
        out_y = list(range(nb + len(x_free), nb + len(x_free) + len(y_free)))
    dims = ((tuple(out_y), tuple(y_free)), (tuple(out_batch), tuple(yb)))
    x_contract_by_y = [xc[i] for i in np.argsort(yc)]
    x_bar = dot_general_p.bind1(ct, y, dimension_numbers=dims, preferred_element_type=preferred)
    return transpose(x_bar, tuple(int(i) for i in np.argsort([*xb, *x_free, *x_contract_by_y])))


def _dot_general_transpose(cts, x, y, *, dimension_numbers, preferred_element_type):
    (ct,) = cts
    (xc, yc), (xb, yb) = dimension_numbers
    if type(x) is UndefPrimal and type(y) is UndefPrimal:
        raise NotImplementedError("transpose of dot_general of two linear operands")
    if type(x) is UndefPrimal:
        y_ndim = len(aval_of(y).shape)
        return [_transpose_lhs(ct, y, x.aval.ndim, y_ndim, dimension_numbers, x.aval.dtype), None]
    swapped = ((yc, xc), (yb, xb))
    x_ndim = len(aval_of(x).shape)
    return [None, _transpose_lhs(ct, x, y.aval.ndim, x_ndim, swapped, y.aval.dtype, True)]


def _dot_general_batch(args, dims, *, dimension_numbers, preferred_element_type):
    (x, y), (dx, dy) = args, dims
    (xc, yc), (xb, yb) = dimension_numbers
    params = {"preferred_element_type": preferred_element_type}
    if dx is not NOT_MAPPED and dy is not NOT_MAPPED:  # a new leading batch axis on both
        x, y = moveaxis(x, dx, 0), moveaxis(y, dy, 0)
        shift = lambda axes: tuple(a + 1 for a in axes)  # noqa: E731
        numbers = ((shift(xc), shift(yc)), ((0, *shift(xb)), (0, *shift(yb))))
        return [dot_general_p.bind1(x, y, dimension_numbers=numbers, **params)], [0]
    if dx is not NOT_MAPPED:  # the batch axis becomes the last free axis of x
        x = moveaxis(x, dx, -1)
        x_ndim = len(aval_of(x).shape) - 1
        out_dim = len(xb) + len(_free_axes(x_ndim, xc, xb))
    else:  # the batch axis becomes the last free axis of y, the output's last axis
        y = moveaxis(y, dy, -1)
        y_ndim = len(aval_of(y).shape) - 1
        x_ndim = len(aval_of(x).shape)
        out_dim = len(xb) + len(_free_axes(x_ndim, xc, xb)) + len(_free_axes(y_ndim, yc, yb))
    out = dot_general_p.bind1(x, y, dimension_numbers=dimension_numbers, **params)
    return [out], [out_dim]


dot_general_p = Primitive(
    "dot_general",
    impl=_dot_general_impl,
    abstract_eval=_dot_general_shape,
    jvp=_dot_general_jvp,
    transpose=_dot_general_transpose,
    batch=_dot_general_batch,
)


def dot_general(x: Any, y: Any, dimension_numbers: Any, preferred_element_type: Any = None) -> Any:
    (xc, yc), (xb, yb) = dimension_numbers
    numbers = ((tuple(xc), tuple(yc)), (tuple(xb), tuple(yb)))
    return dot_general_p.bind1(x, y, dimension_numbers=numbers,
                               preferred_element_type=preferred_element_type)
