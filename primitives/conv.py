"""``conv_general_dilated``: XLA's convolution, with strides, padding, dilations and groups.

``dimension_numbers = ConvDimensionNumbers(lhs_spec, rhs_spec, out_spec)``: ``lhs_spec`` lists
the lhs's batch axis, feature axis, then spatial axes; ``rhs_spec`` the kernel's output
feature axis, input feature axis, then spatial axes; ``out_spec`` the output's batch, feature
and spatial axes. In those canonical orders, with ``lhs`` dilated by ``lhs_dilation`` (zeros
between elements) and padded by ``padding`` (pairs per spatial axis), and the kernel dilated
by ``rhs_dilation``::

    out[n, o, y...] = sum_{c, k...} lhs[n, c, y * stride + k] * rhs[o, c, k...]

``feature_group_count = G`` splits the lhs features and the kernel's output features into G
groups convolved separately; ``batch_group_count = B`` does the same with the lhs batch
and the kernel's output features. The op is bilinear; its transposes are convolutions too
(the lhs's: the cotangent with the flipped kernel, strides and lhs dilation swapped; the
rhs's: the lhs with the cotangent as kernel), as JAX derives them.

The impl is im2col: a strided window view of the padded lhs, copied once into a matrix
of patches, times the kernel as a matrix (a batched product per group).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple, Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..core import dtypes
from ..core.avals import shaped_array
from ..core.errors import ShapeError
from ..core.ir import user_source_info
from ..core.primitive import NOT_MAPPED, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from .combinators import NUMBER, cached_shape_rule, check_dtype, shape_error
from .elementwise import add_tangents
from .shape import pad_p, reshape, rev
from .structural import convert_element_type, transpose


class ConvDimensionNumbers(NamedTuple):
    """Where the batch, feature and spatial axes of a convolution's operands and output are."""

    lhs_spec: tuple[int, ...]
    rhs_spec: tuple[int, ...]
    out_spec: tuple[int, ...]


def conv_dimension_numbers(lhs_shape: Sequence[int], rhs_shape: Sequence[int],
                           dimension_numbers: Any) -> ConvDimensionNumbers:
    """``dimension_numbers`` (None, a ConvDimensionNumbers, or three strings such as
    ``('NHWC', 'HWIO', 'NHWC')``) as a ConvDimensionNumbers.

    Raises:
        TypeError: the ranks differ, or the strings do not name the axes consistently.
    """
    if isinstance(dimension_numbers, ConvDimensionNumbers):
        return dimension_numbers
    if len(lhs_shape) != len(rhs_shape):
        raise TypeError("convolution requires lhs and rhs ndim to be equal, got "
                        f"{len(lhs_shape)} and {len(rhs_shape)}.")
    if dimension_numbers is None:
        iota = tuple(range(len(lhs_shape)))
        return ConvDimensionNumbers(iota, iota, iota)
    if not isinstance(dimension_numbers, (list, tuple)):
        raise TypeError("convolution dimension_numbers must be tuple/list or None, got "
                        f"{type(dimension_numbers)}.")
    if len(dimension_numbers) != 3:
        raise TypeError("convolution dimension_numbers list/tuple must be length 3, got "
                        f"{len(dimension_numbers)}.")
    if all(isinstance(spec, (tuple, list)) for spec in dimension_numbers):
        return ConvDimensionNumbers(*(tuple(map(int, spec)) for spec in dimension_numbers))
    if not all(isinstance(spec, str) for spec in dimension_numbers):
        raise TypeError("convolution dimension_numbers elements must be strings, got "
                        f"{tuple(map(type, dimension_numbers))}.")
    for i, spec in enumerate(dimension_numbers):
        if len(spec) != len(lhs_shape):
            raise TypeError(f"convolution dimension_numbers[{i}] must have len equal to the "
                            f"ndim of lhs and rhs, got {len(spec)} for lhs and rhs shapes "
                            f"{tuple(lhs_shape)} and {tuple(rhs_shape)}.")
    return ConvDimensionNumbers(*_permutations(tuple(dimension_numbers)))


def _permutations(specs: tuple[str, str, str]) -> list[tuple[int, ...]]:
    """The axis numbers that strings like ``('NHWC', 'HWIO', 'NHWC')`` name; spatial axes are
    ordered as the kernel's string orders them."""
    pairs = (("N", "C"), ("O", "I"), ("N", "C"))
    for i, ((a, b), spec) in enumerate(zip(pairs, specs)):
        if not spec.count(a) == spec.count(b) == 1:
            raise TypeError(f"convolution dimension_numbers[{i}] must contain the characters "
                            f"'{a}' and '{b}' exactly once, got {spec}.")
        if len(spec) != len(set(spec)):
            raise TypeError(f"convolution dimension_numbers[{i}] cannot have duplicate "
                            f"characters, got {spec}.")
    spatial = [set(spec) - set(pair) for spec, pair in zip(specs, pairs)]
    if not spatial[0] == spatial[1] == spatial[2]:
        raise TypeError("convolution dimension_numbers elements must each have the same set "
                        f"of spatial characters, got {specs}.")
    rhs = specs[1]
    perms = []
    for spec, (a, b) in zip(specs, pairs):
        axes = sorted((i for i, c in enumerate(spec) if c not in (a, b)),
                      key=lambda i: rhs.index(spec[i]))
        perms.append((spec.index(a), spec.index(b), *axes))
    return perms


def _dilate(n: int, d: int) -> int:
    return 0 if n == 0 else 1 + d * (n - 1)


class ConvShapeError(ShapeError, ValueError):
    """Operands or params a convolution rejects (a ValueError too, as JAX raises)."""


def _error(message: str, avals: Sequence[Any]) -> ConvShapeError:
    operands = ", ".join(str(a) for a in avals)
    return ConvShapeError(f"conv_general_dilated: {message} (operands: {operands}) at "
                          f"{user_source_info(skip=3)}")


# ---------------------------------------------------------------- shape rule


def _conv_shape(lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
                dimension_numbers, feature_group_count, batch_group_count, precision,
                preferred_element_type):
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    if lhs.ndim != rhs.ndim or len(lhs_spec) != lhs.ndim or lhs.ndim < 2:
        raise _error("lhs and rhs must have the same number of dimensions, matching the "
                     f"dimension numbers {dimension_numbers}", [lhs, rhs])
    if lhs.dtype != rhs.dtype:
        raise shape_error("conv_general_dilated", "requires arguments to have the same "
                          f"dtypes, got {lhs.dtype.name}, {rhs.dtype.name}", [lhs, rhs])
    check_dtype("conv_general_dilated", NUMBER, [lhs, rhs])
    groups, batch_groups = feature_group_count, batch_group_count
    features, batch = lhs.shape[lhs_spec[1]], lhs.shape[lhs_spec[0]]
    out_features = rhs.shape[rhs_spec[0]]
    if groups < 1 or batch_groups < 1 or (groups > 1 and batch_groups > 1):
        raise _error(f"feature_group_count={groups} and batch_group_count={batch_groups} must "
                     "be positive, and at most one of them greater than 1", [lhs, rhs])
    if features % groups or features // groups != rhs.shape[rhs_spec[1]]:
        raise _error("lhs feature dimension size divided by feature_group_count must equal "
                     f"the rhs input feature dimension size, but {features} // {groups} != "
                     f"{rhs.shape[rhs_spec[1]]}", [lhs, rhs])
    if out_features % groups or out_features % batch_groups or batch % batch_groups:
        raise _error("group counts must divide the rhs output feature dimension size "
                     f"({out_features}) and batch_group_count the lhs batch size ({batch})",
                     [lhs, rhs])
    spatial = len(lhs_spec) - 2
    if not len(window_strides) == len(padding) == len(lhs_dilation) == len(rhs_dilation) \
            == spatial:
        raise _error(f"window_strides, padding and dilations must have {spatial} entries",
                     [lhs, rhs])
    sizes = []
    for i in range(spatial):
        n = _dilate(lhs.shape[lhs_spec[i + 2]], lhs_dilation[i]) + sum(padding[i])
        k = _dilate(rhs.shape[rhs_spec[i + 2]], rhs_dilation[i])
        if n < 0:
            raise _error(f"negative padding {padding} is larger than the dimension", [lhs, rhs])
        sizes.append(0 if n < k else (n - k) // window_strides[i] + 1)
    canonical = (batch // batch_groups, out_features, *sizes)
    shape = [0] * lhs.ndim
    for i, axis in enumerate(out_spec):
        shape[axis] = canonical[i]
    dtype = preferred_element_type or lhs.dtype
    return [shaped_array(tuple(shape), dtype, lhs.weak_type and rhs.weak_type)]


# ---------------------------------------------------------------- impl (im2col)


def _conv_impl(lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
               dimension_numbers, feature_group_count, batch_group_count, precision,
               preferred_element_type):
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    spatial = len(lhs_spec) - 2
    if preferred_element_type is not None and preferred_element_type != lhs.dtype:
        lhs, rhs = lhs.astype(preferred_element_type), rhs.astype(preferred_element_type)
    x = np.asarray(lhs).transpose((lhs_spec[0], *lhs_spec[2:], lhs_spec[1]))  # N, s..., C
    w = np.asarray(rhs).transpose((*rhs_spec[2:], rhs_spec[1], rhs_spec[0]))  # k..., I, O
    config = ((0, 0, 0), *((lo, hi, d - 1) for (lo, hi), d in zip(padding, lhs_dilation)),
              (0, 0, 0))
    if any(c != (0, 0, 0) for c in config):
        x = pad_p.impl(x, np.zeros((), x.dtype), padding_config=config)[0]
    kernel = w.shape[:spatial]
    reach = [_dilate(k, d) for k, d in zip(kernel, rhs_dilation)]
    sizes = [0 if n < r else (n - r) // s + 1
             for n, r, s in zip(x.shape[1:-1], reach, window_strides)]
    groups = max(feature_group_count, batch_group_count)
    n_out = x.shape[0] // batch_group_count
    if 0 in sizes or 0 in kernel or x.shape[0] == 0:
        out = np.zeros((n_out, *sizes, w.shape[-1]), x.dtype)
    else:
        windows = sliding_window_view(x, reach, axis=tuple(range(1, spatial + 1)))
        every = (slice(None),)
        windows = windows[every + tuple(slice(None, None, s) for s in window_strides) + every
                          + tuple(slice(None, None, d) for d in rhs_dilation)]
        out = _grouped_product(windows, w, groups, batch_group_count > 1)
    return [_to_spec(out, out_spec)]


def _grouped_product(windows, w, groups: int, batch_grouped: bool):
    """Contract windows ``(N, o..., C, k...)`` with the kernel ``(k..., I, O)`` per group:
    the groups split C (feature groups) or N (batch groups), and O, group-major."""
    spatial = w.ndim - 2
    n, out_sizes, c = windows.shape[0], windows.shape[1:spatial + 1], windows.shape[spatial + 1]
    k_size, o = math.prod(w.shape[:spatial]), w.shape[-1]
    # the kernel as (groups, I * K, O / groups), rows ordered (input feature, window offset)
    w_perm = (spatial, *range(spatial), spatial + 1)
    kernel = w.transpose(w_perm).reshape(w.shape[spatial] * k_size, groups, o // groups)
    kernel = kernel.transpose(1, 0, 2)
    if groups == 1:
        patches = windows.reshape(n * math.prod(out_sizes), c * k_size)  # the im2col copy
        return (patches @ kernel[0]).reshape((n, *out_sizes, o))
    if batch_grouped:  # N = (groups, N / groups)
        patches = windows.reshape(groups, n // groups * math.prod(out_sizes), c * k_size)
        out = np.matmul(patches, kernel)  # groups, M, O / groups
        out = out.reshape(groups, n // groups, *out_sizes, o // groups)
        return np.moveaxis(out, 0, -2).reshape((n // groups, *out_sizes, o))
    grouped = windows.reshape(n, *out_sizes, groups, c // groups, *windows.shape[spatial + 2:])
    grouped = np.moveaxis(grouped, spatial + 1, 0)
    patches = grouped.reshape(groups, n * math.prod(out_sizes), c // groups * k_size)
    out = np.matmul(patches, kernel)
    return np.moveaxis(out, 0, 1).reshape((n, *out_sizes, o))


def _to_spec(out, out_spec):
    """``out`` laid out ``(N, s..., O)`` permuted to the axis order ``out_spec`` gives."""
    spatial = out.ndim - 2
    position = (0, spatial + 1, *range(1, spatial + 1))  # of canonical axis i in ``out``
    permutation = [0] * out.ndim
    for i, axis in enumerate(out_spec):
        permutation[axis] = position[i]
    return out.transpose(permutation)


# ---------------------------------------------------------------- jvp and transposes


def _conv_jvp(primals, tangents, outs, **params):
    # d conv(x, w) = conv(dx, w) + conv(x, dw)
    (lhs, rhs), (t_lhs, t_rhs) = primals, tangents
    return [add_tangents([conv_general_dilated_p.bind1(t_lhs, rhs, **params)
                          if type(t_lhs) is not Zero else None,
                          conv_general_dilated_p.bind1(lhs, t_rhs, **params)
                          if type(t_rhs) is not Zero else None], outs[0])]


def _swap_first_two(spec: tuple[int, ...]) -> tuple[int, ...]:
    return (spec[1], spec[0], *spec[2:])


def _reshape_axis_into(src: int, dst: int, x: Any) -> Any:
    """Merge axis ``src`` into axis ``dst`` (numbered without ``src``) as its major part."""
    shape = list(aval_of(x).shape)
    permutation = [i for i in range(len(shape)) if i != src]
    permutation.insert(dst, src)
    size = shape.pop(src)
    shape[dst] *= size
    return reshape(transpose(x, permutation), shape)


def _reshape_axis_out_of(src: int, size: int, x: Any) -> Any:
    """Split axis ``src`` into ``(size, rest)``."""
    shape = list(aval_of(x).shape)
    shape[src:src + 1] = [size, shape[src] // size]
    return reshape(x, shape)


def _conv_transpose_lhs(ct, rhs, lhs_aval, *, window_strides, padding, lhs_dilation,
                        rhs_dilation, dimension_numbers, feature_group_count,
                        batch_group_count, precision, preferred_element_type):
    # x_bar = ct convolved with the flipped kernel (in and out features swapped), strides
    # and lhs dilation trading places
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    groups = max(feature_group_count, batch_group_count)
    if groups > 1:  # the group axis moves from the kernel's output to its input features
        rhs = _reshape_axis_into(rhs_spec[0], rhs_spec[1],
                                 _reshape_axis_out_of(rhs_spec[0], groups, rhs))
    rhs_shape, ct_shape = aval_of(rhs).shape, aval_of(ct).shape
    pads = []
    for i in range(len(lhs_spec) - 2):
        n = _dilate(lhs_aval.shape[lhs_spec[i + 2]], lhs_dilation[i])
        k = _dilate(rhs_shape[rhs_spec[i + 2]], rhs_dilation[i])
        m = _dilate(ct_shape[out_spec[i + 2]], window_strides[i])
        before = k - padding[i][0] - 1
        pads.append((before, n + k - 1 - m - before))
    kernel = rev(rhs, rhs_spec[2:])
    if aval_of(kernel).dtype != aval_of(ct).dtype:
        kernel = convert_element_type(kernel, aval_of(ct).dtype)
    out = conv_general_dilated_p.bind1(
        ct, kernel, window_strides=lhs_dilation, padding=tuple(pads),
        lhs_dilation=window_strides, rhs_dilation=rhs_dilation,
        dimension_numbers=ConvDimensionNumbers(out_spec, _swap_first_two(rhs_spec), lhs_spec),
        feature_group_count=groups, batch_group_count=1, precision=precision,
        preferred_element_type=preferred_element_type)
    if aval_of(out).dtype != lhs_aval.dtype:
        out = convert_element_type(out, lhs_aval.dtype)
    if batch_group_count > 1:
        out = _reshape_axis_into(lhs_spec[1], lhs_spec[0],
                                 _reshape_axis_out_of(lhs_spec[1], batch_group_count, out))
    return out


def _conv_transpose_rhs(ct, lhs, rhs_aval, *, window_strides, padding, lhs_dilation,
                        rhs_dilation, dimension_numbers, feature_group_count,
                        batch_group_count, precision, preferred_element_type):
    # w_bar = lhs convolved with ct as the kernel: batch and features of each swap roles,
    # strides and kernel dilation trade places; feature groups become batch groups
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    lhs_shape, ct_shape = aval_of(lhs).shape, aval_of(ct).shape
    pads = []
    for i in range(len(lhs_spec) - 2):
        n = _dilate(lhs_shape[lhs_spec[i + 2]], lhs_dilation[i])
        k = _dilate(rhs_aval.shape[rhs_spec[i + 2]], rhs_dilation[i])
        m = _dilate(ct_shape[out_spec[i + 2]], window_strides[i])
        lo = padding[i][0]
        pads.append((lo, m - n + k - lo - 1))
    numbers = ConvDimensionNumbers(_swap_first_two(lhs_spec), _swap_first_two(out_spec),
                                   _swap_first_two(rhs_spec))
    out = conv_general_dilated_p.bind1(
        lhs, ct, window_strides=rhs_dilation, padding=tuple(pads), lhs_dilation=lhs_dilation,
        rhs_dilation=window_strides, dimension_numbers=numbers,
        feature_group_count=batch_group_count, batch_group_count=feature_group_count,
        precision=precision, preferred_element_type=preferred_element_type)
    if aval_of(out).dtype != rhs_aval.dtype:
        out = convert_element_type(out, rhs_aval.dtype)
    return out


def _conv_transpose(cts, lhs, rhs, **params):
    (ct,) = cts
    if type(lhs) is UndefPrimal:
        if type(rhs) is UndefPrimal:
            raise NotImplementedError("transpose of conv_general_dilated of two linear operands")
        if type(ct) is Zero:
            return [Zero(lhs.aval), None]
        return [_conv_transpose_lhs(ct, rhs, lhs.aval, **params), None]
    if type(ct) is Zero:
        return [None, Zero(rhs.aval)]
    return [None, _conv_transpose_rhs(ct, lhs, rhs.aval, **params)]


# ---------------------------------------------------------------- batching


def _conv_batch(args, dims, *, dimension_numbers, feature_group_count, batch_group_count,
                **params):
    # the vmapped axis folds into the lhs batch axis, or into the feature axes as groups
    (lhs, rhs), (d_lhs, d_rhs) = args, dims
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    groups, batch_groups = feature_group_count, batch_group_count

    def conv(x, w, groups=groups, batch_groups=batch_groups):
        return conv_general_dilated_p.bind1(
            x, w, dimension_numbers=dimension_numbers, feature_group_count=groups,
            batch_group_count=batch_groups, **params)

    if d_lhs is not NOT_MAPPED and d_rhs is not NOT_MAPPED:
        size = aval_of(lhs).shape[d_lhs]
        if batch_groups > 1:
            x = _reshape_axis_into(d_lhs, lhs_spec[0], lhs)
            batch_groups *= size
        else:
            x = _reshape_axis_into(d_lhs, lhs_spec[1], lhs)
            groups *= size
        out = conv(x, _reshape_axis_into(d_rhs, rhs_spec[0], rhs), groups, batch_groups)
        return [_reshape_axis_out_of(out_spec[1], size, out)], [out_spec[1]]
    if d_lhs is not NOT_MAPPED:
        size = aval_of(lhs).shape[d_lhs]
        if batch_groups == 1:
            out = conv(_reshape_axis_into(d_lhs, lhs_spec[0], lhs), rhs)
        else:  # the batch groups stay outermost in the lhs batch axis
            x = _reshape_axis_out_of(lhs_spec[0] + int(d_lhs <= lhs_spec[0]), batch_groups, lhs)
            x = _reshape_axis_into(d_lhs + int(lhs_spec[0] < d_lhs), lhs_spec[0] + 1, x)
            out = conv(_reshape_axis_into(lhs_spec[0], lhs_spec[0], x), rhs)
        return [_reshape_axis_out_of(out_spec[0], size, out)], [out_spec[0]]
    size = aval_of(rhs).shape[d_rhs]
    if groups == 1 and batch_groups == 1:
        out = conv(lhs, _reshape_axis_into(d_rhs, rhs_spec[0], rhs))
        return [_reshape_axis_out_of(out_spec[1], size, out)], [out_spec[1]]
    # the groups stay outermost in the kernel's output features (and so in the output's)
    count = max(groups, batch_groups)
    w = _reshape_axis_out_of(rhs_spec[0] + int(d_rhs <= rhs_spec[0]), count, rhs)
    w = _reshape_axis_into(d_rhs + int(rhs_spec[0] < d_rhs), rhs_spec[0] + 1, w)
    out = conv(lhs, _reshape_axis_into(rhs_spec[0], rhs_spec[0], w))
    out = _reshape_axis_out_of(out_spec[1], count, out)
    out = _reshape_axis_out_of(out_spec[1] + 1, size, out)
    return [_reshape_axis_into(out_spec[1], out_spec[1] + 1, out)], [out_spec[1]]


conv_general_dilated_p = Primitive(
    "conv_general_dilated",
    impl=_conv_impl,
    abstract_eval=cached_shape_rule(_conv_shape),
    jvp=_conv_jvp,
    transpose=_conv_transpose,
    batch=_conv_batch,
)


def conv_general_dilated_bind(lhs: Any, rhs: Any, *, window_strides: Sequence[int],
                              padding: Sequence[tuple[int, int]],
                              lhs_dilation: Sequence[int], rhs_dilation: Sequence[int],
                              dimension_numbers: ConvDimensionNumbers,
                              feature_group_count: int = 1, batch_group_count: int = 1,
                              precision: Any = None, preferred_element_type: Any = None) -> Any:
    """Bind ``conv_general_dilated`` with canonical (hashable, integer) params; padding
    strings and dimension-number strings are resolved by the ``lax`` facade."""
    if preferred_element_type is not None:
        preferred_element_type = dtypes.canonicalize(preferred_element_type)
    return conv_general_dilated_p.bind1(
        lhs, rhs, window_strides=_ints(window_strides),
        padding=tuple((int(lo), int(hi)) for lo, hi in padding),
        lhs_dilation=_ints(lhs_dilation), rhs_dilation=_ints(rhs_dilation),
        dimension_numbers=ConvDimensionNumbers(*(_ints(s) for s in dimension_numbers)),
        feature_group_count=int(feature_group_count), batch_group_count=int(batch_group_count),
        precision=precision, preferred_element_type=preferred_element_type)


def _ints(values: Sequence[int]) -> tuple[int, ...]:
    return tuple(int(v) for v in values)
