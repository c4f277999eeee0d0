"""``jnp.pad``: NumPy's padding modes made of ``pad``, ``slice``, ``rev`` and ``concatenate``.

``constant`` is one ``pad`` per distinct value (the value may be traced); the other modes
work one axis at a time, building the padding from slices of the array itself (``edge``,
``wrap``, ``reflect``, ``symmetric``), from ramps (``linear_ramp``) or from statistics
of the array (``maximum``, ``minimum``, ``mean``). Widths must be concrete.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.errors import ConcretizationTypeError
from ..core.trace import NO_VALUE, aval_of, concrete_value
from ..core.tree_util import tree_map
from ..primitives import shape as shape_ops
from . import reductions, ufuncs
from ._util import array_operand, convert_to
from .creation import asarray, linspace
from .shaping import flip, repeat, slice_along_axis

_MODE_KWARGS = {
    "constant": ("constant_values",), "edge": (), "wrap": (), "empty": (),
    "reflect": ("reflect_type",), "symmetric": ("reflect_type",),
    "linear_ramp": ("end_values",),
    "maximum": ("stat_length",), "minimum": ("stat_length",), "mean": ("stat_length",),
}


def pad(array: Any, pad_width: Any, mode: str = "constant", **kwargs: Any) -> Any:
    """``array`` padded by ``pad_width`` (an int, ``(before, after)``, or one such pair per
    axis) in one of NumPy's modes: constant (``constant_values=``), edge, wrap, reflect and
    symmetric (``reflect_type=``), linear_ramp (``end_values=``), maximum, minimum, mean
    (``stat_length=``), empty."""
    x = array_operand(array, "pad")
    nd = aval_of(x).ndim
    widths = _pairs(pad_width, nd, "pad_width")
    if callable(mode) or mode not in _MODE_KWARGS:
        raise NotImplementedError(f"Unimplemented padding mode '{mode}' for np.pad.")
    unsupported = set(kwargs) - set(_MODE_KWARGS[mode])
    if unsupported:
        raise ValueError(f"unsupported keyword arguments for mode '{mode}': {unsupported}")
    if any(w < 0 for pair in widths for w in pair):
        raise ValueError("index can't contain negative values")
    if nd == 0:
        return x
    if mode == "constant":
        return _pad_constant(x, widths, kwargs.get("constant_values", 0))
    if mode == "empty":
        return _pad_constant(x, widths, 0)
    if mode in ("reflect", "symmetric"):
        reflect_type = kwargs.get("reflect_type", "even")
        if reflect_type not in ("even", "odd"):
            raise ValueError(f"reflect_type must be 'even' or 'odd', got {reflect_type!r}")
        return _per_axis(x, widths, mode, lambda v, axis, w: _reflect(v, axis, w, mode,
                                                                      reflect_type))
    if mode == "linear_ramp":
        ends = _pairs(kwargs.get("end_values", 0), nd, "end_values", integral=False)
        return _per_axis(x, widths, mode, lambda v, axis, w: _ramp(v, axis, w, ends[axis]))
    if mode in ("maximum", "minimum", "mean"):
        lengths = kwargs.get("stat_length")
        lengths = None if lengths is None else _pairs(lengths, nd, "stat_length")
        stat = {"maximum": reductions.amax, "minimum": reductions.amin,
                "mean": reductions.mean}[mode]
        return _per_axis(x, widths, mode, lambda v, axis, w: _stats(
            v, axis, w, None if lengths is None else lengths[axis], stat))
    return _per_axis(x, widths, mode, _edge if mode == "edge" else _wrap)


def _concrete(value: Any, name: str) -> Any:
    concrete = concrete_value(value)
    if concrete is NO_VALUE:
        raise ConcretizationTypeError(f"the {name} argument of jnp.pad must be concrete, got a "
                                      f"traced value {value!r}")
    return concrete


def _pairs(values: Any, nd: int, name: str, integral: bool = True) -> tuple[tuple, ...]:
    """``values`` as one (before, after) pair per axis, from any of NumPy's forms: ``n``,
    ``(n,)``, ``(before, after)``, ``((before, after),)`` or one pair per axis."""
    try:
        table = np.asarray(tree_map(lambda v: _concrete(v, name), values))
    except ValueError:
        raise TypeError(f"`{name}` entries must be the same shape: {values}") from None
    if integral and table.size and table.dtype.kind not in "iub":
        raise TypeError(f"`{name}` must be of integral type.")
    if table.shape in ((), (1,)):
        table = np.broadcast_to(table.reshape(()), (nd, 2))
    elif table.shape in ((2,), (1, 2)):
        table = np.broadcast_to(table.reshape(2), (nd, 2))
    elif table.shape != (nd, 2):
        raise ValueError(f"jnp.pad: {name} with nd={nd} has unsupported shape {table.shape}. "
                         f"Valid shapes are ({nd}, 2), (1, 2), (2,), (1,), or ().")
    convert = int if integral else (lambda v: v)
    return tuple((convert(before), convert(after)) for before, after in table.tolist())


def _pad_constant(x: Any, widths: tuple, constant_values: Any) -> Any:
    aval = aval_of(x)
    values = convert_to(asarray(constant_values), aval.dtype, False)
    shape = aval_of(values).shape
    if len(shape) == 0 or shape in ((1,), (1, 1)):
        value = shape_ops.reshape(values, ()) if shape else values
        return shape_ops.pad(x, value, [(lo, hi, 0) for lo, hi in widths])
    if len(shape) > 2 or shape[-1] not in (1, 2):
        raise ValueError(f"jnp.pad: constant_values has unsupported shape {shape}. If the shape "
                         "is 1D or 2D, the last dimension must be of size 1 or 2.")
    values = _broadcast_values(values, aval.ndim)
    for axis, (lo, hi) in enumerate(widths):
        for side, width in ((0, lo), (1, hi)):
            if width:
                config = [(0, 0, 0)] * aval.ndim
                config[axis] = (width, 0, 0) if side == 0 else (0, width, 0)
                x = shape_ops.pad(x, values[axis][side], config)
    return x


def _broadcast_values(values: Any, nd: int) -> list[list[Any]]:
    """A (before, after) scalar per axis from constant values of shape (2,), (k, 1), (k, 2)."""
    shape = aval_of(values).shape
    rows = shape[0] if len(shape) == 2 else 1
    if rows not in (1, nd):
        raise ValueError(f"jnp.pad: constant_values of shape {shape} does not fit an array of "
                         f"{nd} dimensions")
    table = shape_ops.reshape(values, (rows, shape[-1]))
    return [[table[0 if rows == 1 else axis, 0 if shape[-1] == 1 else side] for side in (0, 1)]
            for axis in range(nd)]


def _per_axis(x: Any, widths: tuple, mode: str, pad_axis: Callable) -> Any:
    """Pad one axis at a time with ``pad_axis(x, axis, (before, after))``."""
    for axis, (before, after) in enumerate(widths):
        if aval_of(x).shape[axis] == 0:
            if before or after:
                raise ValueError(f"Cannot apply '{mode}' padding to empty axis")
            continue
        if before or after:
            x = pad_axis(x, axis, (before, after))
    return x


def _edge(x: Any, axis: int, widths: tuple[int, int]) -> Any:
    n = aval_of(x).shape[axis]
    before = repeat(slice_along_axis(x, 0, 1, axis), widths[0], axis)
    after = repeat(slice_along_axis(x, n - 1, n, axis), widths[1], axis)
    return shape_ops.concatenate([before, x, after], axis)


def _wrap(x: Any, axis: int, widths: tuple[int, int]) -> Any:
    n = aval_of(x).shape[axis]
    left_copies, left_rest = divmod(widths[0], n)
    right_copies, right_rest = divmod(widths[1], n)
    parts = [slice_along_axis(x, n - left_rest, n, axis)] if left_rest else []
    parts += [x] * (left_copies + right_copies + 1)
    parts += [slice_along_axis(x, 0, right_rest, axis)] if right_rest else []
    return shape_ops.concatenate(parts, axis) if len(parts) > 1 else x


def _reflect(x: Any, axis: int, widths: tuple[int, int], mode: str, reflect_type: str) -> Any:
    """Mirror images of the array at each end, repeated (mirroring what was already added)
    until the width is filled; ``reflect`` leaves the edge out of the image, ``symmetric``
    keeps it; ``odd`` reflects the values through the edge value too."""
    n = aval_of(x).shape[axis]
    skip = 1 if mode == "reflect" and n > 1 else 0
    for before, remaining in ((True, widths[0]), (False, widths[1])):
        while remaining > 0:
            size = aval_of(x).shape[axis]
            chunk = min(remaining, n - skip)
            remaining -= chunk
            if before:
                edge = slice_along_axis(x, 0, 1, axis)
                image = slice_along_axis(x, skip, skip + chunk, axis)
            else:
                edge = slice_along_axis(x, size - 1, size, axis)
                image = slice_along_axis(x, size - chunk - skip, size - skip, axis)
            image = flip(image, axis)
            if reflect_type == "odd":
                image = ufuncs.subtract(ufuncs.multiply(2, edge), image)
            x = shape_ops.concatenate([image, x] if before else [x, image], axis)
    return x


def _ramp(x: Any, axis: int, widths: tuple[int, int], ends: tuple) -> Any:
    """Linear ramps from the end values (included) to the edge values (excluded)."""
    aval = aval_of(x)
    n = aval.shape[axis]
    ramps = []
    for width, end, edge_at in ((widths[0], ends[0], 0), (widths[1], ends[1], n - 1)):
        edge = shape_ops.squeeze(slice_along_axis(x, edge_at, edge_at + 1, axis), (axis,))
        ramp = linspace(end, edge, width, endpoint=False, dtype=aval.dtype, axis=axis)
        ramps.append(convert_to(ramp, aval.dtype, aval.weak_type))
    return shape_ops.concatenate([ramps[0], x, flip(ramps[1], axis)], axis)


def _stats(x: Any, axis: int, widths: tuple[int, int], lengths: tuple | None,
           stat: Callable) -> Any:
    """Padding with a statistic (max, min, mean) of the first/last ``lengths`` entries."""
    aval = aval_of(x)
    n = aval.shape[axis]
    if lengths is None:
        parts = (x, x)
    else:
        if 0 in lengths:
            raise ValueError("stat_length of 0 yields no value for padding")
        if min(lengths) < 0:
            raise ValueError(f"stat_length must be non-negative, got {lengths}")
        first, last = (min(operator.index(v), n) for v in lengths)
        parts = (slice_along_axis(x, 0, first, axis), slice_along_axis(x, n - last, n, axis))
    pads = []
    for part, width in zip(parts, widths):
        value = stat(part, axis=axis, keepdims=True)
        if dtypes.is_integer(aval.dtype):
            value = ufuncs.round(value)
        pads.append(repeat(convert_to(value, aval.dtype, aval.weak_type), width, axis))
    return shape_ops.concatenate([pads[0], x, pads[1]], axis)
