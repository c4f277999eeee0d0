"""``lax`` convolutions: ``conv_general_dilated`` and its wrappers, as JAX spells them.

Resolves padding strings ('SAME', 'SAME_LOWER', 'VALID') and dimension-number strings
('NHWC', 'HWIO', 'NHWC'), then binds the ``conv_general_dilated`` primitive.
"""

from __future__ import annotations

import operator
from typing import Any, Sequence

from ..core.trace import aval_of
from ..primitives.conv import (
    ConvDimensionNumbers,
    conv_dimension_numbers,
    conv_general_dilated_bind,
)
from ..primitives.precision import canonicalize_precision
from ..primitives.shape import rev
from ..primitives.structural import transpose


def padtype_to_pads(in_shape: Sequence[int], window_shape: Sequence[int],
                    window_strides: Sequence[int], padding: str) -> list[tuple[int, int]]:
    """The ``(low, high)`` pads per spatial axis that a padding string names: 'VALID' none;
    'SAME' and 'SAME_LOWER' enough for ``ceil(in / stride)`` outputs, the odd one at the
    end ('SAME') or at the start ('SAME_LOWER').

    Raises:
        RuntimeError: an unknown padding string (as JAX).
    """
    kind = padding.upper()
    if kind not in ("VALID", "SAME", "SAME_LOWER"):
        raise RuntimeError("Unrecognized padding type: expected 'VALID', 'SAME', or "
                           f"'SAME_LOWER', got {padding}.")
    if kind == "VALID":
        return [(0, 0)] * len(in_shape)
    pads = []
    for n, k, s in zip(in_shape, window_shape, window_strides):
        total = max((-(-n // s) - 1) * s + k - n, 0)
        small, large = total // 2, total - total // 2
        pads.append((small, large) if kind == "SAME" else (large, small))
    return pads


def conv_general_dilated(lhs: Any, rhs: Any, window_strides: Sequence[int], padding: Any,
                         lhs_dilation: Sequence[int] | None = None,
                         rhs_dilation: Sequence[int] | None = None,
                         dimension_numbers: Any = None, feature_group_count: int = 1,
                         batch_group_count: int = 1, precision: Any = None,
                         preferred_element_type: Any = None) -> Any:
    """General n-dimensional convolution with strides, padding, dilations and groups (XLA's).

    ``padding``: 'SAME', 'SAME_LOWER', 'VALID' or ``(low, high)`` pairs per spatial axis;
    ``dimension_numbers``: None (``('NCHW', 'OIHW', 'NCHW')``), a ConvDimensionNumbers, or
    three strings such as ``('NHWC', 'HWIO', 'NHWC')``.

    >>> conv_general_dilated(x, w, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"))
    """
    lhs_shape, rhs_shape = aval_of(lhs).shape, aval_of(rhs).shape
    numbers = conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers)
    spatial = len(lhs_shape) - 2
    lhs_dilation = (1,) * spatial if lhs_dilation is None else tuple(lhs_dilation)
    rhs_dilation = (1,) * spatial if rhs_dilation is None else tuple(rhs_dilation)
    if isinstance(padding, str):
        if any(d != 1 for d in lhs_dilation):
            raise ValueError("String padding is not implemented for transposed convolution "
                             "using this op. Please either exactly specify the required "
                             "padding or use conv_transpose.")
        kernel = [rhs_shape[a] for a in numbers.rhs_spec[2:]]
        reach = [1 + d * (k - 1) if k else 0 for k, d in zip(kernel, rhs_dilation)]
        padding = padtype_to_pads([lhs_shape[a] for a in numbers.lhs_spec[2:]], reach,
                                  window_strides, padding)
    else:
        try:
            padding = tuple((operator.index(lo), operator.index(hi)) for lo, hi in padding)
        except (ValueError, TypeError) as e:
            raise ValueError("padding argument to conv_general_dilated should be a string or "
                             f"a sequence of (low, high) pairs, got {padding}") from e
    return conv_general_dilated_bind(
        lhs, rhs, window_strides=window_strides, padding=padding, lhs_dilation=lhs_dilation,
        rhs_dilation=rhs_dilation, dimension_numbers=numbers,
        feature_group_count=feature_group_count, batch_group_count=batch_group_count,
        precision=canonicalize_precision(precision),
        preferred_element_type=preferred_element_type)


def conv(lhs: Any, rhs: Any, window_strides: Sequence[int], padding: Any,
         precision: Any = None, preferred_element_type: Any = None) -> Any:
    """``conv_general_dilated`` in the NCHW/OIHW layout, without dilation."""
    return conv_general_dilated(lhs, rhs, window_strides, padding, precision=precision,
                                preferred_element_type=preferred_element_type)


def conv_with_general_padding(lhs: Any, rhs: Any, window_strides: Sequence[int], padding: Any,
                              lhs_dilation: Sequence[int] | None,
                              rhs_dilation: Sequence[int] | None, precision: Any = None,
                              preferred_element_type: Any = None) -> Any:
    """``conv_general_dilated`` in the NCHW/OIHW layout, with dilations."""
    return conv_general_dilated(lhs, rhs, window_strides, padding, lhs_dilation=lhs_dilation,
                                rhs_dilation=rhs_dilation, precision=precision,
                                preferred_element_type=preferred_element_type)


def _conv_transpose_padding(k: int, s: int, padding: Any) -> tuple[int, int]:
    """Before/after padding of one axis of a transposed convolution, given the forward
    convolution's padding ('SAME', 'VALID' or a pair)."""
    if padding == "SAME":
        total = k + s - 2
        before = k - 1 if s > k - 1 else -(-total // 2)
    elif padding == "VALID":
        total = k + s - 2 + max(k - s, 0)
        before = k - 1
    elif isinstance(padding, tuple):
        pads = tuple(k - p - 1 for p in padding)
        before, total = pads[0], sum(pads)
    else:
        raise ValueError(f"Invalid padding mode: {padding}")
    return before, total - before


_TRANSPOSE_LAYOUTS = {2: ("NC", "IO", "NC"), 3: ("NHC", "HIO", "NHC"),
                      4: ("NHWC", "HWIO", "NHWC"), 5: ("NHWDC", "HWDIO", "NHWDC")}


def conv_transpose(lhs: Any, rhs: Any, strides: Sequence[int], padding: Any,
                   rhs_dilation: Sequence[int] | None = None, dimension_numbers: Any = None,
                   transpose_kernel: bool = False, precision: Any = None,
                   preferred_element_type: Any = None,
                   use_consistent_padding: bool = False) -> Any:
    """A fractionally strided convolution (the "transpose" of a strided one), in the
    TensorFlow layout by default; the kernel is flipped only with ``transpose_kernel``."""
    ndim = len(aval_of(lhs).shape)
    if ndim != len(aval_of(rhs).shape) or ndim < 2:
        raise ValueError("conv_transpose requires lhs and rhs of the same rank, at least 2")
    if dimension_numbers is None:
        if ndim not in _TRANSPOSE_LAYOUTS:
            raise ValueError("No 4+ dimensional dimension_number defaults.")
        dimension_numbers = _TRANSPOSE_LAYOUTS[ndim]
    numbers = conv_dimension_numbers(aval_of(lhs).shape, aval_of(rhs).shape, dimension_numbers)
    kernel = [aval_of(rhs).shape[a] for a in numbers.rhs_spec[2:]]
    rhs_dilation = (1,) * (ndim - 2) if rhs_dilation is None else tuple(rhs_dilation)
    if use_consistent_padding or (isinstance(padding, str) and padding in ("SAME", "VALID")):
        reach = [1 + d * (k - 1) if k else 0 for k, d in zip(kernel, rhs_dilation)]
        per_axis = [padding] * len(strides) if isinstance(padding, str) else padding
        padding = tuple(_conv_transpose_padding(k, s, tuple(p) if isinstance(p, list) else p)
                        for k, s, p in zip(reach, strides, per_axis))
    if transpose_kernel:
        rhs = rev(rhs, numbers.rhs_spec[2:])
        out_axis, in_axis = numbers.rhs_spec[0], numbers.rhs_spec[1]
        permutation = list(range(ndim))
        permutation[out_axis], permutation[in_axis] = in_axis, out_axis
        rhs = transpose(rhs, permutation)
    return conv_general_dilated(lhs, rhs, (1,) * (ndim - 2), padding, strides, rhs_dilation,
                                numbers, precision=precision,
                                preferred_element_type=preferred_element_type)

def conv_shape_tuple(lhs_shape: Sequence[int], rhs_shape: Sequence[int],
                     strides: Sequence[int], pads: Any,
                     batch_group_count: int = 1) -> tuple[int, ...]:
    """The output shape of a convolution of operands in the canonical (NCHW, OIHW) order."""
    if isinstance(pads, str):
        pads = padtype_to_pads(lhs_shape[2:], rhs_shape[2:], strides, pads)
    if len(pads) != len(lhs_shape) - 2:
        raise TypeError("Wrong number of explicit pads for convolution: expected "
                        f"{len(lhs_shape) - 2}, got {len(pads)}.")
    padded = [n + lo + hi for n, (lo, hi) in zip(lhs_shape[2:], pads)]
    if any(n < 0 for n in padded):
        raise ValueError("Negative padding is larger than the size of the corresponding "
                         f"dimension: got padding={pads} for lhs_shape[2:]={lhs_shape[2:]}")
    space = tuple(0 if n < k else (n - k) // s + 1
                  for n, k, s in zip(padded, rhs_shape[2:], strides))
    return (lhs_shape[0] // batch_group_count, rhs_shape[0], *space)


def _in_spec_order(shape: Sequence[int], spec: Sequence[int]) -> tuple[int, ...]:
    return tuple(shape[a] for a in spec)


def _from_spec_order(canonical: Sequence[int], spec: Sequence[int]) -> tuple[int, ...]:
    out = [0] * len(spec)
    for i, axis in enumerate(spec):
        out[axis] = canonical[i]
    return tuple(out)


def conv_general_shape_tuple(lhs_shape: Sequence[int], rhs_shape: Sequence[int],
                             window_strides: Sequence[int], padding: Any,
                             dimension_numbers: Any) -> tuple[int, ...]:
    """The output shape of ``conv_general_dilated`` (without dilations)."""
    numbers = conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers)
    out = conv_shape_tuple(_in_spec_order(lhs_shape, numbers.lhs_spec),
                           _in_spec_order(rhs_shape, numbers.rhs_spec), window_strides, padding)
    return _from_spec_order(out, numbers.out_spec)


def conv_transpose_shape_tuple(lhs_shape: Sequence[int], rhs_shape: Sequence[int],
                               window_strides: Sequence[int], padding: Any,
                               dimension_numbers: Any) -> tuple[int, ...]:
    """The output shape of ``conv_transpose``."""
    numbers = conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers)
    lhs = _in_spec_order(lhs_shape, numbers.lhs_spec)
    rhs = _in_spec_order(rhs_shape, numbers.rhs_spec)
    if isinstance(padding, str):
        padding = [_conv_transpose_padding(k, s, padding)
                   for k, s in zip(rhs[2:], window_strides)]
    space = [(n - 1) * s - k + 2 + sum(pads)
             for n, k, s, pads in zip(lhs[2:], rhs[2:], window_strides, padding)]
    return _from_spec_order((lhs[0], rhs[0], *space), numbers.out_spec)


__all__ = ["ConvDimensionNumbers", "conv", "conv_dimension_numbers", "conv_general_dilated",
           "conv_general_shape_tuple", "conv_shape_tuple", "conv_transpose",
           "conv_transpose_shape_tuple", "conv_with_general_padding", "padtype_to_pads"]
