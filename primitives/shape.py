"""Shape ops: reshape, squeeze, expand_dims, slice, pad, concatenate, rev, iota.

All but iota are linear; their transposes move cotangents back to the operand's shape
(slice and pad transpose into each other).
"""

from __future__ import annotations

import math
import builtins
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.avals import shaped_array
from ..core.primitive import NOT_LINEAR, NOT_MAPPED, Lowering, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from .combinators import (
    axes_before,
    batch_size,
    cached_shape_rule,
    check_axes,
    linear_jvp,
    shape_error,
    shift_axes,
    zero_jvp,
)
from .comparison import select_n
from .elementwise import sub
from .structural import bdim_to, broadcast_in_dim, instantiate, moveaxis, reduce_sum


# ---------------------------------------------------------------- reshape
# out = x with a new shape of the same size (row-major order)


def _reshape_shape(x, *, new_sizes, dimensions):
    if math.prod(new_sizes) != x.size or any(s < 0 for s in new_sizes):
        raise shape_error("reshape", f"cannot reshape to {new_sizes}: the sizes differ", [x])
    if dimensions is not None:
        raise shape_error("reshape", "the dimensions parameter is not supported", [x])
    return [shaped_array(tuple(new_sizes), x.dtype, x.weak_type)]


def _reshape_batch(args, dims, *, new_sizes, dimensions):
    x = moveaxis(args[0], dims[0], 0)
    return [reshape(x, (aval_of(x).shape[0],) + tuple(new_sizes))], [0]


reshape_p = Primitive(
    "reshape",
    impl=lambda x, *, new_sizes, dimensions: [x.reshape(new_sizes)],
    abstract_eval=_reshape_shape,
    jvp=linear_jvp(lambda: reshape_p),
    transpose=lambda cts, x, **params: [reshape(cts[0], x.aval.shape)],
    batch=_reshape_batch,
    lower=lambda in_avals, out_avals, *, new_sizes, dimensions: Lowering(
        "{0}.reshape({new_sizes})", {"new_sizes": new_sizes}),
)


def reshape(x: Any, new_sizes: Sequence[int]) -> Any:
    new_sizes = tuple(int(s) for s in new_sizes)
    if aval_of(x).shape == new_sizes:
        return x
    return reshape_p.bind1(x, new_sizes=new_sizes, dimensions=None)


# ---------------------------------------------------------------- squeeze, expand_dims
# remove / insert axes of size 1


def _squeeze_shape(x, *, dimensions):
    check_axes("squeeze", dimensions, x.ndim, [x])
    if any(x.shape[d] != 1 for d in dimensions):
        raise shape_error("squeeze", f"dimensions {dimensions} are not all axes of size 1", [x])
    shape = tuple(s for i, s in enumerate(x.shape) if i not in dimensions)
    return [shaped_array(shape, x.dtype, x.weak_type)]


def _squeeze_batch(args, dims, *, dimensions):
    (x,), (d,) = args, dims
    return [squeeze(x, shift_axes(dimensions, d))], [d - axes_before(dimensions, d)]


squeeze_p = Primitive(
    "squeeze",
    impl=lambda x, *, dimensions: [x.squeeze(axis=dimensions)],
    abstract_eval=cached_shape_rule(_squeeze_shape),
    jvp=linear_jvp(lambda: squeeze_p),
    transpose=lambda cts, x, *, dimensions: [reshape(cts[0], x.aval.shape)],
    batch=_squeeze_batch,
    lower=lambda in_avals, out_avals, *, dimensions: Lowering(
        "{0}.squeeze(axis={dimensions})", {"dimensions": dimensions}),
)


def squeeze(x: Any, dimensions: Sequence[int]) -> Any:
    return squeeze_p.bind1(x, dimensions=tuple(sorted(map(int, dimensions))))


def _expand_dims_shape(x, *, dimensions):
    check_axes("expand_dims", dimensions, x.ndim + len(dimensions), [x])
    shape = list(x.shape)
    for d in sorted(dimensions):
        shape.insert(d, 1)
    return [shaped_array(tuple(shape), x.dtype, x.weak_type)]


def _expand_dims_impl(x, *, dimensions):
    shape = list(x.shape)
    for d in sorted(dimensions):
        shape.insert(d, 1)
    return [x.reshape(shape)]


def _expand_dims_lower(in_avals, out_avals, *, dimensions):
    return Lowering("{0}.reshape({shape})", {"shape": out_avals[0].shape})


def _expand_dims_batch(args, dims, *, dimensions):
    x = moveaxis(args[0], dims[0], 0)
    return [expand_dims(x, shift_axes(dimensions, 0))], [0]


expand_dims_p = Primitive(
    "expand_dims",
    impl=_expand_dims_impl,
    abstract_eval=cached_shape_rule(_expand_dims_shape),
    jvp=linear_jvp(lambda: expand_dims_p),
    transpose=lambda cts, x, *, dimensions: [squeeze(cts[0], dimensions)],
    batch=_expand_dims_batch,
    lower=_expand_dims_lower,
)


def expand_dims(x: Any, dimensions: Sequence[int]) -> Any:
    return expand_dims_p.bind1(x, dimensions=tuple(sorted(map(int, dimensions))))


# ---------------------------------------------------------------- slice
# out = x[start:limit:stride] along every axis; the transpose pads with zeros


def _slice_impl(x, *, start_indices, limit_indices, strides):
    steps = strides or (1,) * len(start_indices)
    return [np.asarray(x)[tuple(map(builtins.slice, start_indices, limit_indices, steps))]]


def _slice_shape(x, *, start_indices, limit_indices, strides):
    steps = strides or (1,) * x.ndim
    ok = (len(start_indices) == len(limit_indices) == len(steps) == x.ndim
          and all(0 <= s <= l <= n for s, l, n in zip(start_indices, limit_indices, x.shape))
          and all(st >= 1 for st in steps))
    if not ok:
        raise shape_error("slice", f"start {start_indices}, limit {limit_indices}, strides "
                          f"{strides} do not fit the operand", [x])
    shape = tuple(-(-(l - s) // st) for s, l, st in zip(start_indices, limit_indices, steps))
    return [shaped_array(shape, x.dtype, x.weak_type)]


def _slice_transpose(cts, x, *, start_indices, limit_indices, strides):
    (ct,) = cts
    steps = strides or (1,) * len(start_indices)
    out_shape = aval_of(ct).shape
    config = tuple(
        (s, n - s - ((m - 1) * st + 1) if m else n - s, st - 1)
        for s, n, m, st in zip(start_indices, x.aval.shape, out_shape, steps)
    )
    return [pad(ct, np.zeros((), x.aval.dtype), config)]


def _slice_batch(args, dims, *, start_indices, limit_indices, strides):
    (x,), (d,) = args, dims
    size = aval_of(x).shape[d]
    starts, limits = list(start_indices), list(limit_indices)
    starts.insert(d, 0)
    limits.insert(d, size)
    steps = None if strides is None else strides[:d] + (1,) + strides[d:]
    return [slice_p.bind1(x, start_indices=tuple(starts), limit_indices=tuple(limits),
                          strides=steps)], [d]


def _slice_lower(in_avals, out_avals, *, start_indices, limit_indices, strides):
    steps = strides or (1,) * len(start_indices)
    index = ", ".join(f"{s}:{l}" + (f":{st}" if st != 1 else "")
                      for s, l, st in zip(start_indices, limit_indices, steps))
    return Lowering("{0}[" + (index or "()") + "]")  # (a view, as impl's)


slice_p = Primitive(
    "slice",
    impl=_slice_impl,
    abstract_eval=_slice_shape,
    jvp=linear_jvp(lambda: slice_p),
    transpose=_slice_transpose,
    batch=_slice_batch,
    lower=_slice_lower,
)


def slice(x: Any, start_indices: Sequence[int], limit_indices: Sequence[int],  # noqa: A001
          strides: Sequence[int] | None = None) -> Any:
    strides = None if strides is None or all(s == 1 for s in strides) else tuple(strides)
    return slice_p.bind1(x, start_indices=tuple(int(i) for i in start_indices),
                         limit_indices=tuple(int(i) for i in limit_indices), strides=strides)


# ---------------------------------------------------------------- pad
# out = x with (low, high, interior) padding of padding_value along each axis; linear in both


def _pad_impl(x, padding_value, *, padding_config):
    # pad by the non-negative parts of (low, high), then crop the negative parts away
    x = np.asarray(x)
    grow = [(max(lo, 0), max(hi, 0), inner) for lo, hi, inner in padding_config]
    out = np.full(_padded_shape(x.shape, grow), padding_value, dtype=x.dtype)
    index = tuple(builtins.slice(lo, lo + (n - 1) * (inner + 1) + 1 if n else lo, inner + 1)
                  for (lo, _, inner), n in zip(grow, x.shape))
    out[index] = x
    crop = tuple(builtins.slice(-min(lo, 0), size + min(hi, 0))
                 for (lo, hi, _), size in zip(padding_config, out.shape))
    return [out[crop]]


def _padded_shape(shape, config) -> tuple[int, ...]:
    return tuple(lo + hi + n + max(n - 1, 0) * inner for n, (lo, hi, inner) in zip(shape, config))


def _pad_shape(x, padding_value, *, padding_config):
    if len(padding_config) != x.ndim or any(inner < 0 for _, _, inner in padding_config):
        raise shape_error("pad", f"padding_config {padding_config} must give (low, high, "
                          "interior) for every axis, with interior >= 0", [x, padding_value])
    shape = _padded_shape(x.shape, padding_config)
    if any(n < 0 for n in shape):
        raise shape_error("pad", f"padding_config {padding_config} crops more than the "
                          "operand holds", [x, padding_value])
    if padding_value.shape != () or padding_value.dtype != x.dtype:
        raise shape_error("pad", "the padding value must be a scalar of the operand's dtype",
                          [x, padding_value])
    return [shaped_array(shape, x.dtype, x.weak_type)]


def _pad_jvp(primals, tangents, outs, *, padding_config):
    tx, tv = tangents
    if type(tx) is Zero and type(tv) is Zero:
        return [Zero(aval_of(outs[0]))]
    return [pad(instantiate(tx), instantiate(tv), padding_config)]


def _pad_transpose(cts, x, padding_value, *, padding_config):
    # undo the low/high padding (a pad by their negatives), then take every (interior+1)-th
    (ct,) = cts
    unpadded = pad(ct, np.zeros((), aval_of(ct).dtype),
                   [(-lo, -hi, 0) for lo, hi, _ in padding_config])
    shape = aval_of(unpadded).shape
    ct_x = slice(unpadded, [0] * len(shape), shape, [inner + 1 for _, _, inner in padding_config])
    ct_value = None
    if type(padding_value) is UndefPrimal:
        everything = tuple(range(len(shape)))
        ct_value = sub(reduce_sum(ct, everything), reduce_sum(ct_x, everything)) \
            if everything else sub(ct, ct_x)
    return [ct_x if type(x) is UndefPrimal else None, ct_value]


def _pad_batch(args, dims, *, padding_config):
    (x, value), (dx, dv) = args, dims
    size = batch_size(args, dims)
    x = bdim_to(x, dx, 0, size)
    config = ((0, 0, 0),) + tuple(padding_config)
    if dv is NOT_MAPPED:
        return [pad(x, value, config)], [0]
    # a padding value per batch member: pad with zeros, then select it where padding went
    aval = aval_of(x)
    padded = pad(x, np.zeros((), aval.dtype), config)
    out_shape = aval_of(padded).shape
    mask = pad(np.zeros(aval.shape[1:], bool), np.ones((), bool), tuple(padding_config))
    return [select_n(broadcast_in_dim(mask, out_shape, tuple(range(1, len(out_shape)))),
                     padded, broadcast_in_dim(value, out_shape, (0,)))], [0]


def _padded(x, padding_value, shape, index):
    """``x`` written at ``index`` into a new array of ``shape`` filled with the padding."""
    out = np.full(shape, padding_value, dtype=x.dtype)
    out[index] = x
    return out


def _padded_real(x, padding_value, shape, index):
    """``_padded`` for real and integer dtypes, a padding of +0 made the faster way."""
    if padding_value == 0 and math.copysign(1.0, padding_value) > 0:
        out = np.zeros(shape, dtype=x.dtype)
    else:
        out = np.full(shape, padding_value, dtype=x.dtype)
    out[index] = x
    return out


def _pad_lower(in_avals, out_avals, *, padding_config):
    if any(lo < 0 or hi < 0 for lo, hi, _ in padding_config) or in_avals[0].ndim == 0:
        return None  # (cropping: impl's general path)
    index = tuple(builtins.slice(lo, lo + (n - 1) * (inner + 1) + 1 if n else lo, inner + 1)
                  for (lo, _, inner), n in zip(padding_config, in_avals[0].shape))
    padded = _padded if in_avals[0].dtype.kind == "c" else _padded_real
    return Lowering("{padded}({0}, {1}, {shape}, {index})", fresh=True, layout="C",
                    consts={"padded": padded, "shape": out_avals[0].shape, "index": index})


pad_p = Primitive(
    "pad",
    impl=_pad_impl,
    abstract_eval=_pad_shape,
    jvp=_pad_jvp,
    transpose=_pad_transpose,
    batch=_pad_batch,
    lower=_pad_lower,
)


def pad(x: Any, padding_value: Any, padding_config: Sequence[tuple[int, int, int]]) -> Any:
    try:
        config = tuple((int(lo), int(hi), int(inner)) for lo, hi, inner in padding_config)
    except (TypeError, ValueError):
        raise shape_error("pad", f"padding_config {padding_config} must hold one (low, high, "
                          "interior) triple of integers per axis",
                          [aval_of(x), aval_of(padding_value)]) from None
    return pad_p.bind1(x, padding_value, padding_config=config)


# ---------------------------------------------------------------- concatenate
# out = operands joined along `dimension`; the transpose slices the cotangent apart


def _concatenate_shape(*xs, dimension):
    if not xs:
        raise shape_error("concatenate", "needs at least one operand", xs)
    first = xs[0]
    if not 0 <= dimension < first.ndim:
        raise shape_error("concatenate", f"dimension {dimension} out of range", xs)
    for x in xs:
        if (x.ndim != first.ndim or x.dtype != first.dtype
                or any(a != b for i, (a, b) in enumerate(zip(x.shape, first.shape))
                       if i != dimension)):
            raise shape_error("concatenate", "operands must agree in dtype and in every axis "
                              f"but {dimension}", xs)
    shape = list(first.shape)
    shape[dimension] = sum(x.shape[dimension] for x in xs)
    return [shaped_array(tuple(shape), first.dtype, all(x.weak_type for x in xs))]


def _concatenate_jvp(primals, tangents, outs, *, dimension):
    if all(type(t) is Zero for t in tangents):
        return [Zero(aval_of(outs[0]))]
    return [concatenate([instantiate(t) for t in tangents], dimension)]


def _concatenate_transpose(cts, *xs, dimension):
    (ct,) = cts
    shape = aval_of(ct).shape
    out, offset = [], 0
    for x in xs:
        n = (x.aval if type(x) is UndefPrimal else aval_of(x)).shape[dimension]
        if type(x) is UndefPrimal:
            starts = [0] * len(shape)
            limits = list(shape)
            starts[dimension], limits[dimension] = offset, offset + n
            out.append(slice(ct, starts, limits))
        else:
            out.append(None)
        offset += n
    return out


def _concatenate_batch(args, dims, *, dimension):
    size = batch_size(args, dims)
    moved = [bdim_to(x, d, 0, size) for x, d in zip(args, dims)]
    return [concatenate(moved, dimension + 1)], [0]


concatenate_p = Primitive(
    "concatenate",
    impl=lambda *xs, dimension: [np.concatenate(xs, axis=dimension)],
    abstract_eval=_concatenate_shape,
    jvp=_concatenate_jvp,
    transpose=_concatenate_transpose,
    batch=_concatenate_batch,
)


def concatenate(xs: Sequence[Any], dimension: int) -> Any:
    return concatenate_p.bind1(*xs, dimension=int(dimension))


# ---------------------------------------------------------------- rev
# out = x reversed along `dimensions`; its own transpose


def _rev_shape(x, *, dimensions):
    check_axes("rev", dimensions, x.ndim, [x])
    return [x]


def _rev_batch(args, dims, *, dimensions):
    (x,), (d,) = args, dims
    return [rev(x, shift_axes(dimensions, d))], [d]


rev_p = Primitive(
    "rev",
    impl=lambda x, *, dimensions: [np.flip(x, dimensions)],
    abstract_eval=_rev_shape,
    jvp=linear_jvp(lambda: rev_p),
    transpose=lambda cts, x, *, dimensions: [rev(cts[0], dimensions)],
    batch=_rev_batch,
)


def rev(x: Any, dimensions: Sequence[int]) -> Any:
    return rev_p.bind1(x, dimensions=tuple(sorted(map(int, dimensions))))


# ---------------------------------------------------------------- iota
# out[i_0, ..., i_n] = i_dimension; no operands, so nothing to differentiate or batch


def _iota_impl(*, dtype, shape, dimension):
    line = np.arange(shape[dimension], dtype=dtype)
    return [np.broadcast_to(np.reshape(line, [-1 if i == dimension else 1
                                              for i in range(len(shape))]), shape)]


def _iota_shape(*, dtype, shape, dimension):
    if not 0 <= dimension < len(shape):
        raise shape_error("iota", f"dimension {dimension} out of range for shape {shape}", [])
    return [shaped_array(tuple(shape), dtype, False)]


iota_p = Primitive(
    "iota",
    impl=_iota_impl,
    abstract_eval=_iota_shape,
    jvp=zero_jvp,
    transpose=NOT_LINEAR,
    batch=lambda args, dims, **params: (iota_p.bind(**params), [NOT_MAPPED]),
)


def iota(dtype: Any, shape: Sequence[int], dimension: int = 0) -> Any:
    return iota_p.bind1(dtype=dtypes.canonicalize(dtype), shape=tuple(int(s) for s in shape),
                        dimension=int(dimension))


def full(shape: Sequence[int], value: Any, dtype: Any) -> Any:
    """An array of ``shape`` filled with the scalar ``value`` (a broadcast literal)."""
    scalar = np.asarray(value, dtypes.canonicalize(dtype))
    return broadcast_in_dim(scalar, tuple(shape), ())
