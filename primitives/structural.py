"""The structural primitives the interpreters themselves emit.

``add_any`` sums tangents and cotangents, ``broadcast_in_dim`` and ``reduce_sum`` move
values between shapes, ``convert_element_type`` changes dtypes and ``transpose``
permutes axes (batching moves batch axes with it). The interpreters may import this
module, and only this one, from ``primitives/`` (STYLE.md, rule 1). It also holds the
helpers built on them: materialising symbolic zeros, moving batch axes, and the
transpose and batching rules of n-ary elementwise ops.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.avals import ShapedArray, shaped_array
from ..core.cache import memoize
from ..core.primitive import NOT_MAPPED, Lowering, Primitive, UndefPrimal, Zero
from ..core.trace import ARRAY_TYPES, aval_of
from .combinators import (
    NUMBER,
    batch_size,
    cached_shape_rule,
    linear_jvp,
    nary_shape_rule,
    reduced_shape,
    reducer_batch,
    shape_error,
    shift_axes,
    ufunc_impl,
    ufunc_lowering,
    vectorized_batch,
)


def zeros(aval: ShapedArray) -> Any:
    """An array of zeros of the given aval (a broadcast literal under a trace)."""
    zero = np.zeros((), aval.dtype)
    if aval.shape == ():
        return convert_element_type(zero, aval.dtype, aval.weak_type)
    return broadcast_in_dim(zero, aval.shape, ())


def instantiate(t: Any) -> Any:
    """Materialise a symbolic ``Zero``; other values pass through."""
    return zeros(t.aval) if type(t) is Zero else t


def unbroadcast(ct: Any, aval: ShapedArray) -> Any:
    """Sum a cotangent down to a scalar operand's shape (elementwise ops broadcast scalars)."""
    ct_aval = ct.aval if type(ct) in ARRAY_TYPES else aval_of(ct)
    if ct_aval is aval:  # (interned avals: the common case)
        return ct
    if ct_aval.shape != aval.shape:
        ct = reduce_sum(ct, tuple(range(len(ct_aval.shape))))
        ct_aval = aval_of(ct)
    if ct_aval.dtype != aval.dtype:
        ct = convert_element_type(ct, aval.dtype, aval.weak_type)
    return ct


# ---------------------------------------------------------------- batching helpers


def moveaxis(x: Any, src: int, dst: int) -> Any:
    """Move axis ``src`` of ``x`` to position ``dst`` with one ``transpose``."""
    if src == dst:
        return x
    ndim = len(aval_of(x).shape)
    src, dst = src % ndim, dst % ndim
    if src == dst:
        return x
    perm = [i for i in range(ndim) if i != src]
    perm.insert(dst, src)
    return transpose(x, perm)


def bdim_to(x: Any, d: int | None, dst: int, size: int) -> Any:
    """``x`` with its batch axis at ``dst``, broadcasting an unbatched ``x`` to ``size``."""
    if d is NOT_MAPPED:
        shape = list(aval_of(x).shape)
        dims = [i if i < dst else i + 1 for i in range(len(shape))]
        shape.insert(dst, size)
        return broadcast_in_dim(x, shape, dims)
    return moveaxis(x, d, dst)


def broadcast_batch(prim_ref: Callable[[], Primitive]) -> Callable:
    """Batching rule of an n-ary elementwise op (the primitive given as ``lambda: x_p``).

    Every operand gets its batch axis in one place, then the op applies. Unbatched
    scalars stay as they are (elementwise ops broadcast scalars); when the batched
    operands already agree, the op applies as it is.
    """

    def rule(args: Sequence[Any], dims: Sequence[int | None], **params):
        if len(args) == 2:  # the common cases of binary ops, without the general bookkeeping
            (x, y), (dx, dy) = args, dims
            if dx is NOT_MAPPED:
                if _shape(x) == ():
                    return prim_ref().bind(x, y, **params), [dy]
            elif dy is NOT_MAPPED:
                if _shape(y) == ():
                    return prim_ref().bind(x, y, **params), [dx]
            elif dx == dy and _shape(x) == _shape(y):
                return prim_ref().bind(x, y, **params), [dx]
        return _broadcast_batch(prim_ref(), args, dims, params)

    return rule


def _shape(x: Any) -> tuple[int, ...]:
    return x.aval.shape if type(x) in ARRAY_TYPES else aval_of(x).shape


def _broadcast_batch(prim: Primitive, args: Sequence[Any], dims: Sequence[int | None],
                     params: dict) -> tuple[list, list]:
    """``broadcast_batch``'s rule, in general."""
    shapes = [_shape(x) if d is NOT_MAPPED else _drop(_shape(x), d) for x, d in zip(args, dims)]
    out_shape = max(shapes, key=len)
    first = NOT_MAPPED
    aligned = True  # every batched operand has the batch axis at one place, the full shape
    for d, s in zip(dims, shapes):
        if d is NOT_MAPPED:
            aligned = aligned and s == ()
        else:
            first = d if first is NOT_MAPPED else first
            aligned = aligned and d == first and s == out_shape
    if aligned:
        return prim.bind(*args, **params), [first]
    size = batch_size(args, dims)
    aligned = []
    for x, d, s in zip(args, dims, shapes):
        if d is NOT_MAPPED and s == ():
            aligned.append(x)
            continue
        x = bdim_to(x, d, 0, size)
        if s != out_shape:  # a per-example scalar meeting a per-example array
            x = broadcast_in_dim(x, (size,) + out_shape, (0,))
        aligned.append(x)
    return prim.bind(*aligned, **params), [0]


def _drop(shape: tuple[int, ...], axis: int) -> tuple[int, ...]:
    return shape[:axis] + shape[axis + 1:]


# ---------------------------------------------------------------- add_any
# add_any(x, y) = x + y, for summing tangents and cotangents


def _add_any_jvp(primals, tangents, outs):
    tx, ty = tangents
    if type(tx) is Zero:
        return [ty if type(ty) is not Zero else Zero(aval_of(outs[0]))]
    return [tx if type(ty) is Zero else add_any(tx, ty)]


def add_transpose(cts, x, y):
    """Transpose rule of ``x + y``: each linear operand receives the cotangent."""
    (ct,) = cts
    return [unbroadcast(ct, x.aval) if type(x) is UndefPrimal else None,
            unbroadcast(ct, y.aval) if type(y) is UndefPrimal else None]


add_any_p = Primitive(
    "add_any",
    impl=ufunc_impl(np.add),
    abstract_eval=nary_shape_rule("add_any", NUMBER),
    jvp=_add_any_jvp,
    transpose=add_transpose,
    batch=broadcast_batch(lambda: add_any_p),
    lower=ufunc_lowering(np.add, "{0} + {1}"),
)


def add_any(x: Any, y: Any) -> Any:
    return add_any_p.bind1(x, y)


# ---------------------------------------------------------------- broadcast_in_dim
# out[i] = x[i restricted to broadcast_dimensions]; size-1 operand axes stretch


def _broadcast_in_dim_impl(x, *, shape, broadcast_dimensions):
    return [broadcast_array(x, shape, broadcast_dimensions)]


def broadcast_array(x: Any, shape: tuple[int, ...], broadcast_dimensions: tuple[int, ...]):
    """``broadcast_in_dim`` of a NumPy value: a read-only view, with stride 0 along the new
    and stretched axes."""
    if isinstance(x, np.generic):  # (a literal, or a scalar inside jit's compiled code)
        x = np.asarray(x)
    if type(x) is np.ndarray and x.flags.c_contiguous:
        strides = _strides_of_broadcast(x.shape, x.itemsize, shape, broadcast_dimensions)
        if strides:  # a read-only view with stride 0 along the broadcast axes
            out = np.ndarray(shape, x.dtype, x, 0, strides)
            out.setflags(write=False)
            return out
    expanded = np.reshape(x, [x.shape[broadcast_dimensions.index(i)]
                              if i in broadcast_dimensions else 1 for i in range(len(shape))])
    return np.broadcast_to(expanded, shape)


def _broadcast_in_dim_lower(in_avals, out_avals, *, shape, broadcast_dimensions):
    # (only the operand's axes longer than 1 keep a nonzero stride: with at most one, "free")
    x = in_avals[0]
    free = sum(n > 1 for n in x.shape) <= 1
    implicit = tuple(broadcast_dimensions) == tuple(range(len(shape) - x.ndim, len(shape)))
    consts = {"shape": shape, "dims": broadcast_dimensions, "broadcast_array": broadcast_array}
    if math.prod(shape) == math.prod(x.shape) and list(broadcast_dimensions) == sorted(
            broadcast_dimensions):  # only axes of length 1 inserted: a reshape
        return Lowering("{0}.reshape({shape})", {"shape": shape}, layout="free" if free else None,
                        implicit=implicit)
    strides = x.ndim and _strides_of_broadcast(x.shape, x.dtype.itemsize, tuple(shape),
                                               tuple(broadcast_dimensions))
    if not strides:
        return Lowering("{broadcast_array}({0}, {shape}, {dims})", consts,
                        layout="free" if free else None, implicit=implicit)
    # the view broadcast_array makes of a C-contiguous operand, its strides found now
    return Lowering("(np.ndarray({shape}, {dtype}, {0}, 0, {strides}) if {0}.flags.c_contiguous"
                    " else {broadcast_array}({0}, {shape}, {dims}))",
                    dict(consts, dtype=x.dtype, strides=strides), layout="free" if free else None,
                    implicit=implicit)


@memoize(1024)
def _strides_of_broadcast(x_shape, itemsize, shape, broadcast_dimensions) -> tuple | None:
    """The strides of ``broadcast_in_dim`` of a C-contiguous array as a view of its buffer
    (what ``np.broadcast_to`` builds, a few times faster); None for an empty one."""
    if 0 in x_shape or 0 in shape:
        return None
    x_strides = [itemsize] * len(x_shape)
    for i in range(len(x_shape) - 2, -1, -1):
        x_strides[i] = x_strides[i + 1] * x_shape[i + 1]
    strides = [0] * len(shape)
    for i, d in enumerate(broadcast_dimensions):
        if x_shape[i] != 1:
            strides[d] = x_strides[i]
    return tuple(strides)


def _broadcast_in_dim_shape(x, *, shape, broadcast_dimensions):
    ok = (len(broadcast_dimensions) == x.ndim
          and all(0 <= d < len(shape) for d in broadcast_dimensions)
          and list(broadcast_dimensions) == sorted(set(broadcast_dimensions))
          and all(x.shape[i] in (1, shape[d]) for i, d in enumerate(broadcast_dimensions)))
    if not ok:
        raise shape_error("broadcast_in_dim", f"cannot broadcast to shape {shape} with "
                          f"broadcast_dimensions={broadcast_dimensions}", [x])
    return [shaped_array(tuple(shape), x.dtype, x.weak_type)]


def _broadcast_in_dim_transpose(cts, x, *, shape, broadcast_dimensions):
    (ct,) = cts
    summed_axes, kept = _unbroadcast_plan(x.aval.shape, shape, broadcast_dimensions)
    if summed_axes is None:
        return [ct]
    summed = reduce_sum_p.bind1(ct, axes=summed_axes)
    if kept is None:
        return [summed]
    return [broadcast_in_dim_p.bind1(summed, shape=x.aval.shape, broadcast_dimensions=kept)]


@memoize(1024)
def _unbroadcast_plan(x_shape, shape, broadcast_dimensions) -> tuple:
    """What the transpose of a broadcast sums over (None: nothing), and the operand axes it
    keeps when size-1 axes that were stretched must be put back (None: none were)."""
    new_axes = tuple(i for i in range(len(shape)) if i not in broadcast_dimensions)
    stretched = tuple(d for i, d in enumerate(broadcast_dimensions)
                      if x_shape[i] == 1 and shape[d] != 1)
    if not new_axes and not stretched:
        return None, None
    summed_axes = tuple(sorted(new_axes + stretched))
    if not stretched:
        return summed_axes, None
    return summed_axes, tuple(i for i, d in enumerate(broadcast_dimensions) if d not in stretched)


def _broadcast_in_dim_batch(args, dims, *, shape, broadcast_dimensions):
    (x,), (d,) = args, dims
    x = moveaxis(x, d, 0)
    size = aval_of(x).shape[0]
    out_dims = (0, *shift_axes(broadcast_dimensions, 0))
    return [broadcast_in_dim(x, (size,) + tuple(shape), out_dims)], [0]


broadcast_in_dim_p = Primitive(
    "broadcast_in_dim",
    impl=_broadcast_in_dim_impl,
    abstract_eval=cached_shape_rule(_broadcast_in_dim_shape),
    jvp=linear_jvp(lambda: broadcast_in_dim_p),
    transpose=_broadcast_in_dim_transpose,
    batch=_broadcast_in_dim_batch,
    lower=_broadcast_in_dim_lower,
)


def broadcast_in_dim(x: Any, shape: Sequence[int], broadcast_dimensions: Sequence[int]) -> Any:
    return broadcast_in_dim_p.bind1(x, shape=tuple(shape),
                                    broadcast_dimensions=tuple(broadcast_dimensions))


# ---------------------------------------------------------------- reduce_sum
# out = sum of x over axes


def _reduce_sum_shape(x, *, axes):
    shape = reduced_shape("reduce_sum", x, axes)
    if x.dtype == dtypes.bool_:
        raise shape_error("reduce_sum", "does not accept dtype bool", [x])
    return [shaped_array(shape, x.dtype, x.weak_type)]


def _reduce_sum_transpose(cts, x, *, axes):
    (ct,) = cts
    shape = x.aval.shape
    kept = tuple([i for i in range(len(shape)) if i not in axes])
    return [broadcast_in_dim_p.bind1(ct, shape=shape, broadcast_dimensions=kept)]


reduce_sum_p = Primitive(
    "reduce_sum",
    impl=lambda x, *, axes: [np.add.reduce(x, axis=axes, dtype=x.dtype)],
    abstract_eval=cached_shape_rule(_reduce_sum_shape),
    jvp=linear_jvp(lambda: reduce_sum_p),
    transpose=_reduce_sum_transpose,
    batch=reducer_batch(lambda: reduce_sum_p),
    lower=lambda in_avals, out_avals, *, axes: Lowering(
        "np.add.reduce({0}, axis={axes}, dtype={dtype})",
        {"axes": axes, "dtype": in_avals[0].dtype}, fresh=bool(axes)),
)


def reduce_sum(x: Any, axes: Sequence[int]) -> Any:
    return reduce_sum_p.bind1(x, axes=tuple(axes))


# ---------------------------------------------------------------- convert_element_type
# out = x cast to new_dtype; differentiable between inexact dtypes only


def _convert_shape(x, *, new_dtype, weak_type):
    return [shaped_array(x.shape, new_dtype, weak_type)]


def _convert_jvp(primals, tangents, outs, *, new_dtype, weak_type):
    (t,) = tangents
    if type(t) is Zero or not (dtypes.is_inexact(new_dtype) and dtypes.is_inexact(aval_of(t).dtype)):
        return [Zero(aval_of(outs[0]))]
    return [convert_element_type(t, new_dtype, weak_type)]


def _convert_transpose(cts, x, *, new_dtype, weak_type):
    (ct,) = cts
    return [convert_element_type(ct, x.aval.dtype, x.aval.weak_type)]


def _convert_impl(x, *, new_dtype, weak_type):
    x = np.asarray(x)
    if x.dtype.kind == "c" and new_dtype.kind != "c":  # the real part, as JAX takes it
        x = x.real
    return [x.astype(new_dtype)]


def _convert_lower(in_avals, out_avals, *, new_dtype, weak_type):
    # (astype copies; a scalar is made an array first, as the impl makes it)
    if in_avals[0].dtype.kind == "c" and new_dtype.kind != "c":
        return Lowering("np.asarray({0}).real.astype({dtype})", {"dtype": new_dtype},
                        fresh=True)
    if in_avals[0].ndim == 0:
        return Lowering("np.asarray({0}).astype({dtype})", {"dtype": new_dtype})
    return Lowering("{0}.astype({dtype})", {"dtype": new_dtype}, fresh=True)


convert_element_type_p = Primitive(
    "convert_element_type",
    impl=_convert_impl,
    abstract_eval=_convert_shape,
    jvp=_convert_jvp,
    transpose=_convert_transpose,
    batch=vectorized_batch(lambda: convert_element_type_p),
    lower=_convert_lower,
)


def convert_element_type(x: Any, new_dtype: Any, weak_type: bool = False) -> Any:
    return convert_element_type_p.bind1(x, new_dtype=dtypes.canonicalize(new_dtype),
                                        weak_type=weak_type)


# ---------------------------------------------------------------- transpose
# out = x with its axes permuted: out.shape[i] = x.shape[permutation[i]]


def _transpose_shape(x, *, permutation):
    if sorted(permutation) != list(range(x.ndim)):
        raise shape_error("transpose", f"permutation {permutation} is not a permutation of "
                          f"the {x.ndim} axes", [x])
    return [shaped_array(tuple(x.shape[p] for p in permutation), x.dtype, x.weak_type)]


def _transpose_transpose(cts, x, *, permutation):
    return [transpose(cts[0], tuple(np.argsort(permutation)))]


def _transpose_batch(args, dims, *, permutation):
    (x,), (d,) = args, dims
    return [transpose(x, (d,) + shift_axes(permutation, d))], [0]


transpose_p = Primitive(
    "transpose",
    impl=lambda x, *, permutation: [x.transpose(permutation)],
    abstract_eval=cached_shape_rule(_transpose_shape),
    jvp=linear_jvp(lambda: transpose_p),
    transpose=_transpose_transpose,
    batch=_transpose_batch,
    lower=lambda in_avals, out_avals, *, permutation: Lowering(
        "{0}.transpose({permutation})", {"permutation": permutation}),
)


def transpose(x: Any, permutation: Sequence[int]) -> Any:
    permutation = tuple(map(int, permutation))
    if permutation == tuple(range(len(permutation))):
        return x
    return transpose_p.bind1(x, permutation=permutation)
