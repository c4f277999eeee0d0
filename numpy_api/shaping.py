"""Shapes built from other shapes: atleast_*d, broadcast_arrays, dstack, column_stack, append,
the split family, tile, repeat, the flip family, rot90 and roll.

Everything here is a composition of structural primitives (reshape, broadcast_in_dim, slice,
concatenate, rev, transpose) or, where the positions depend on values (``repeat`` with
per-element counts, ``roll`` by a traced shift), one ``gather`` through ``take``. So each
function differentiates, batches and compiles through those primitives' rules.
"""

from __future__ import annotations

import operator
from typing import Any, Sequence

import numpy as np

from ..core.array import Array
from ..core.errors import ConcretizationTypeError
from ..core.trace import NO_VALUE, aval_of, concrete_value
from ..primitives import shape as shape_ops
from ..primitives.structural import broadcast_in_dim
from . import reductions, ufuncs
from ._util import array_operand, broadcast_shapes, broadcast_to_shape, normalize_axis
from .index_routines import take
from .manipulation import concatenate, ravel, reshape, sequence_of_arrays, swapaxes


def _ndim(x: Any) -> int:
    return aval_of(x).ndim


def _at_least(arys: tuple, name: str, shape_of_small: Any) -> Any:
    """Each argument, reshaped by ``shape_of_small`` when it has too few axes; one array for
    one argument, a list for several (as NumPy and JAX return them)."""
    out = []
    for a in arys:
        x = array_operand(a, name)
        new_shape = shape_of_small(aval_of(x).shape)
        out.append(x if new_shape is None else shape_ops.reshape(x, new_shape))
    return out[0] if len(out) == 1 else out


def atleast_1d(*arys: Any) -> Any:
    """Each argument with at least one axis (0-d arrays become shape (1,))."""
    return _at_least(arys, "atleast_1d", lambda s: (1,) if len(s) == 0 else None)


def atleast_2d(*arys: Any) -> Any:
    """Each argument with at least two axes (a 1-d array of n becomes a row, (1, n))."""
    return _at_least(arys, "atleast_2d", lambda s: (1,) * (2 - len(s)) + s if len(s) < 2 else None)


def _three_d(shape: tuple[int, ...]) -> tuple[int, ...] | None:
    if len(shape) == 0:
        return (1, 1, 1)
    if len(shape) == 1:
        return (1, shape[0], 1)
    return (*shape, 1) if len(shape) == 2 else None


def atleast_3d(*arys: Any) -> Any:
    """Each argument with at least three axes: (n,) -> (1, n, 1), (m, n) -> (m, n, 1)."""
    return _at_least(arys, "atleast_3d", _three_d)


def broadcast_arrays(*args: Any) -> list[Any]:
    """The arguments broadcast against each other to one shape."""
    xs = [array_operand(a, "broadcast_arrays") for a in args]
    shape = broadcast_shapes(*(aval_of(x).shape for x in xs), name="broadcast_arrays")
    return [broadcast_to_shape(x, shape) for x in xs]


def dstack(tup: Any, dtype: Any = None) -> Any:
    """Concatenate along the third axis, after making every array at least 3-d."""
    xs = [atleast_3d(x) for x in sequence_of_arrays(tup, "dstack")]
    return concatenate(xs, 2, dtype)


def column_stack(tup: Any) -> Any:
    """Stack 1-d arrays as the columns of a 2-d array; 2-d arrays join as they are."""
    xs = [shape_ops.reshape(x, (aval_of(x).size, 1)) if _ndim(x) < 2 else x
          for x in sequence_of_arrays(tup, "column_stack")]
    return concatenate(xs, 1)


def append(arr: Any, values: Any, axis: int | None = None) -> Any:
    """``arr`` with ``values`` appended along ``axis`` (both flattened when it is None)."""
    x, v = array_operand(arr, "append"), array_operand(values, "append")
    if axis is None:
        return concatenate([ravel(x), ravel(v)], 0)
    return concatenate([x, v], axis)


# ---------------------------------------------------------------- splitting


def _concrete_ints(value: Any, what: str) -> np.ndarray:
    """A NumPy integer array of ``value`` (a Python sequence, an array or a concrete tracer)."""
    if isinstance(value, (list, tuple)):
        value = [_concrete_ints(v, what) for v in value]
        return np.asarray(value, dtype=np.int64).reshape(-1)
    concrete = concrete_value(value)
    if concrete is NO_VALUE:
        raise ConcretizationTypeError(f"{what} must be concrete, got a traced value {value!r}; "
                                      "pass it as a Python int or a static argument")
    concrete = np.asarray(concrete)
    if concrete.dtype.kind not in "iubf" or (concrete != np.trunc(concrete)).any():
        raise TypeError(f"{what} must be integers, got {concrete!r}")
    return concrete.astype(np.int64)


def _split_points(n: int, indices_or_sections: Any, equal: bool, name: str) -> list[int]:
    """Where the pieces start and end along an axis of length ``n``."""
    sections = _concrete_ints(indices_or_sections, f"{name}: indices_or_sections")
    if sections.ndim == 0:
        parts = int(sections)
        if parts <= 0:
            raise ValueError(f"{name}: number of sections must be larger than 0, got {parts}")
        if equal and n % parts:
            raise ValueError(f"array split does not result in an equal division: rest is "
                             f"{n % parts}")
        size, extra = divmod(n, parts)
        sizes = [size + 1] * extra + [size] * (parts - extra)
        return [0, *np.cumsum(sizes).tolist()]
    points = [0, *(int(i) for i in sections), n]  # (JAX does not count negative ones from the end)
    sizes = np.diff(points)
    if (sizes < 0).any():
        raise ValueError(f"Sizes passed to split must be nonnegative, got {sizes.tolist()}")
    return points


def slice_along_axis(x: Any, start: int, stop: int, axis: int) -> Any:
    """``x[..., start:stop, ...]`` with the slice on ``axis`` (non-negative bounds)."""
    shape = aval_of(x).shape
    starts, limits = [0] * len(shape), list(shape)
    starts[axis], limits[axis] = start, stop
    return shape_ops.slice(x, starts, limits)


def _split(ary: Any, indices_or_sections: Any, axis: int, equal: bool, name: str) -> list[Any]:
    x = array_operand(ary, name)
    shape = aval_of(x).shape
    axis = normalize_axis(axis, len(shape))
    points = _split_points(shape[axis], indices_or_sections, equal, name)
    return [slice_along_axis(x, start, stop, axis) for start, stop in zip(points[:-1], points[1:])]


def split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Any]:
    """``ary`` cut along ``axis`` into equal sections, or at the given indices."""
    return _split(ary, indices_or_sections, axis, True, "split")


def array_split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Any]:
    """Like ``split``, but ``n`` sections need not be equal: the first ``len % n`` are one
    longer."""
    return _split(ary, indices_or_sections, axis, False, "array_split")


def _split_at_least(ary: Any, indices_or_sections: Any, axis: int, ndim: int,
                    name: str) -> list[Any]:
    x = array_operand(ary, name)
    if _ndim(x) < ndim:
        raise ValueError(f"{name} only works on arrays of {ndim} or more dimensions")
    return split(x, indices_or_sections, axis)


def hsplit(ary: Any, indices_or_sections: Any) -> list[Any]:
    """Split along the second axis (the first for 1-d arrays)."""
    x = array_operand(ary, "hsplit")
    if _ndim(x) == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    return split(x, indices_or_sections, 0 if _ndim(x) == 1 else 1)


def vsplit(ary: Any, indices_or_sections: Any) -> list[Any]:
    """Split along the first axis of an array of at least two axes."""
    return _split_at_least(ary, indices_or_sections, 0, 2, "vsplit")


def dsplit(ary: Any, indices_or_sections: Any) -> list[Any]:
    """Split along the third axis of an array of at least three axes."""
    return _split_at_least(ary, indices_or_sections, 2, 3, "dsplit")


# ---------------------------------------------------------------- tile and repeat


def tile(A: Any, reps: Any) -> Any:  # noqa: N803 - NumPy's name
    """``A`` repeated ``reps[i]`` times along each axis ``i`` (a broadcast and a reshape)."""
    x = array_operand(A, "tile")
    reps = tuple(int(r) for r in _concrete_ints(reps, "tile: reps").reshape(-1))
    shape = aval_of(x).shape
    nd = max(len(shape), len(reps))
    shape = (1,) * (nd - len(shape)) + shape
    reps = (1,) * (nd - len(reps)) + reps
    if any(r < 0 for r in reps):
        raise ValueError(f"tile: negative repetitions are not allowed, got {reps}")
    # (r0, s0, r1, s1, ...) with x along the s axes, then merged pairwise
    wide = tuple(n for pair in zip(reps, shape) for n in pair)
    tiled = broadcast_in_dim(shape_ops.reshape(x, shape), wide, tuple(range(1, 2 * nd, 2)))
    return shape_ops.reshape(tiled, tuple(r * s for r, s in zip(reps, shape)))


def _repeat_scalar(x: Any, count: int, axis: int) -> Any:
    """Each entry along ``axis`` ``count`` times in a row: broadcast a new axis, merge."""
    shape = aval_of(x).shape
    wide = shape[:axis + 1] + (count,) + shape[axis + 1:]
    dims = tuple(i if i <= axis else i + 1 for i in range(len(shape)))
    out = shape[:axis] + (shape[axis] * count,) + shape[axis + 1:]
    return shape_ops.reshape(broadcast_in_dim(x, wide, dims), out)


def _repeat_positions(counts: Any, total: int) -> Any:
    """For each output position j < total, the entry it copies: how many running totals of
    ``counts`` are <= j, clipped to the last entry (a traced computation)."""
    n = aval_of(counts).shape[0]
    ends = reductions.cumsum(counts)
    j = shape_ops.iota(aval_of(ends).dtype, (total, n), 0)
    passed = reductions.sum(ufuncs.less_equal(broadcast_in_dim(ends, (total, n), (1,)), j), 1)
    return ufuncs.minimum(passed, np.asarray(n - 1, aval_of(passed).dtype))


def repeat(a: Any, repeats: Any, axis: int | None = None, *,
           total_repeat_length: int | None = None) -> Any:
    """Each entry of ``a`` along ``axis`` repeated ``repeats`` times (one count for all, or
    one per entry). Traced counts need ``total_repeat_length``; with it the result is cut
    or padded with the last entry to that length, as in JAX."""
    x = array_operand(a, "repeat")
    if axis is None:
        x, axis = ravel(x), 0
    axis = normalize_axis(axis, _ndim(x))
    n = aval_of(x).shape[axis]
    counts = concrete_value(array_operand(repeats, "repeat"))
    if counts is NO_VALUE:
        return _repeat_traced(x, repeats, axis, n, total_repeat_length)
    counts = _concrete_ints(counts, "repeat: repeats")
    counts = counts.reshape(-1) if counts.ndim > 1 else counts
    if counts.ndim == 0 and int(counts) < 0:
        raise TypeError(f"repeat: repeats must be non-negative, got {int(counts)}")
    if counts.ndim == 0 and (total_repeat_length is None
                             or total_repeat_length == n * int(counts)):
        return _repeat_scalar(x, int(counts), axis)
    counts = np.broadcast_to(counts, (n,)) if counts.size == 1 else counts
    if counts.shape != (n,):
        raise ValueError(f"repeat: operands could not be broadcast together: repeats of shape "
                         f"{counts.shape} for an axis of length {n}")
    ends = np.cumsum(counts)
    total = int(ends[-1]) if total_repeat_length is None and n else int(total_repeat_length or 0)
    positions = np.minimum(np.searchsorted(ends, np.arange(total), side="right"), max(n - 1, 0))
    return take(x, Array(positions.astype(np.int32)), axis=axis, mode="clip")


def _repeat_traced(x: Any, repeats: Any, axis: int, n: int, total: int | None) -> Any:
    if total is None:
        raise ConcretizationTypeError(
            "jnp.repeat: the total number of repeats must be static; pass concrete `repeats` "
            "or a static `total_repeat_length`")
    counts = array_operand(repeats, "repeat")
    counts = ravel(counts) if _ndim(counts) > 1 else counts
    counts = broadcast_to_shape(counts, (n,))
    return take(x, _repeat_positions(counts, operator.index(total)), axis=axis, mode="clip")


# ---------------------------------------------------------------- flips, rotations, rolls


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(normalize_axis(a, ndim) for a in axes)


def flip(m: Any, axis: int | Sequence[int] | None = None) -> Any:
    """``m`` with the order of the entries along ``axis`` (all axes when None) reversed."""
    x = array_operand(m, "flip")
    axes = _axes(axis, _ndim(x))
    return shape_ops.rev(x, axes) if axes else x


def fliplr(m: Any) -> Any:
    """``m`` reversed along its second axis."""
    x = array_operand(m, "fliplr")
    if _ndim(x) < 2:
        raise ValueError(f"fliplr requires an array of at least 2 dimensions, got {aval_of(x)}")
    return flip(x, 1)


def flipud(m: Any) -> Any:
    """``m`` reversed along its first axis."""
    x = array_operand(m, "flipud")
    if _ndim(x) < 1:
        raise ValueError(f"flipud requires an array of at least 1 dimension, got {aval_of(x)}")
    return flip(x, 0)


def rot90(m: Any, k: int = 1, axes: tuple[int, int] = (0, 1)) -> Any:
    """``m`` rotated by 90 degrees ``k`` times in the plane of ``axes`` (from the first
    axis towards the second)."""
    x = array_operand(m, "rot90")
    nd = _ndim(x)
    if nd < 2:
        raise ValueError(f"rot90 requires its first argument to have ndim at least two, but got "
                         f"first argument of shape {aval_of(x).shape}, which has ndim {nd}")
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    a0, a1 = (normalize_axis(a, nd) for a in axes)
    if a0 == a1:
        raise ValueError("Axes must be different")
    k = operator.index(k) % 4
    if k == 0:
        return x
    if k == 2:
        return shape_ops.rev(x, (a0, a1))
    if k == 1:
        return swapaxes(shape_ops.rev(x, (a1,)), a0, a1)
    return shape_ops.rev(swapaxes(x, a0, a1), (a1,))


def _roll_static(x: Any, shift: int, axis: int) -> Any:
    shape = aval_of(x).shape
    n = shape[axis]
    if n == 0 or shift % n == 0:
        return x
    cut = n - shift % n  # the last shift % n entries move to the front
    tail, head = _split(x, [cut], axis, False, "roll")
    return shape_ops.concatenate([head, tail], axis)


def _roll_traced(x: Any, shift: Any, axis: int) -> Any:
    n = aval_of(x).shape[axis]
    if n == 0:
        return x
    shift = ufuncs.remainder(shift.astype(np.int32), np.int32(n))
    positions = ufuncs.remainder(ufuncs.subtract(shape_ops.iota(np.int32, (n,), 0), shift),
                                 np.int32(n))
    return take(x, positions, axis=axis, mode="clip")


def roll(a: Any, shift: Any, axis: int | Sequence[int] | None = None) -> Any:
    """``a`` with its entries moved ``shift`` places along ``axis``, wrapping around (over
    the flattened array when ``axis`` is None). ``shift`` may be traced."""
    x = array_operand(a, "roll")
    if axis is None:
        return reshape(roll(ravel(x), shift, 0), aval_of(x).shape)
    axes = _axes(axis, _ndim(x))
    value = concrete_value(shift) if type(shift) not in (list, tuple) else shift
    if np.ndim(value) > 1 or (value is NO_VALUE and _ndim(shift) > 1):
        raise ValueError("'shift' and 'axis' arguments to roll must be scalars or 1D arrays")
    if value is NO_VALUE:
        shifts = array_operand(shift, "roll")
        count = max(len(axes), aval_of(shifts).size)
        shifts = broadcast_to_shape(shifts, (count,)) if _ndim(shifts) else shifts
        listed = [shifts] * count if _ndim(shifts) == 0 else [shifts[i] for i in range(count)]
    else:
        listed = np.asarray(value).reshape(-1).astype(np.int64).tolist()
    if len(listed) not in (1, len(axes)) and len(axes) != 1:
        raise ValueError(f"roll: shift and axis must have the same length, got {len(listed)} "
                         f"shifts for {len(axes)} axes")
    count = max(len(listed), len(axes))
    listed = listed * count if len(listed) == 1 else listed
    axes = axes * count if len(axes) == 1 else axes
    for s, ax in zip(listed, axes):
        x = _roll_traced(x, s, ax) if value is NO_VALUE else _roll_static(x, int(s), ax)
    return x
