"""Gather and scatter on NumPy arrays: the dimension numbers, the modes, and the kernels.

The semantics are XLA's (``lax.gather``/``lax.scatter``). The last axis of ``indices`` holds
index vectors; the other axes are the *batch* axes ``B``. For each batch position ``b``,
component ``k`` of the index vector gives the start of a window along operand axis
``index_map[k]``; every other axis starts at 0, except the operand's batching axes, which are
paired with batch axes of ``indices`` (``operand_batching_dims[j]`` takes position
``b[indices_batching_dims[j]]``). Of the window, the axes of size one named in
``collapsed_slice_dims`` (gather) / ``inserted_window_dims`` (scatter) are dropped, and so are
the batching axes; the rest, in the operand's order, are the *window* axes, which sit at the
positions ``offset_dims`` / ``update_window_dims`` of the result (gather) or the updates
(scatter), the batch axes filling the other positions in order.

A kernel computes this with one NumPy fancy index: the operand's axes are transposed so that
the *advanced* ones (those addressed by index arrays: indexed axes and batching axes) come
first; their index arrays are broadcast over ``B`` (and over the window, for an indexed axis
whose window is longer than one), and the other axes are sliced. Two gathers go faster: one
whose single indexed axis is collapsed and whose other axes are whole is ``np.take`` along
that axis, and one that reads single elements (``vmap(lambda x, i: x[i])``) is ``np.take`` of
the flattened operand. Scatters combine with ``ufunc.at`` on ``intp`` indices. Kernels are
made once per shapes and parameters (memoised), so that eager evaluation and jit's generated
code run the same function.

Out of bounds, by mode: gathers clamp each start so that the window fits (CLIP and, as XLA
does, PROMISE_IN_BOUNDS) or fill the whole window with ``fill_value`` (FILL_OR_DROP);
scatters clamp (CLIP) or drop the whole update window (FILL_OR_DROP and PROMISE_IN_BOUNDS).
Repeated indices: ``scatter`` keeps one of the updates (the last, in the order of NumPy's
assignment), the combining scatters apply every one.
"""

from __future__ import annotations

import enum
import math
from typing import Any, Callable

import attrs
import numpy as np

from ..core.cache import memoize


class GatherScatterMode(enum.Enum):
    """How a gather or scatter treats indices out of bounds (see the module docstring)."""

    CLIP = enum.auto()
    FILL_OR_DROP = enum.auto()
    PROMISE_IN_BOUNDS = enum.auto()

    @staticmethod
    def from_any(mode: Any) -> GatherScatterMode:
        """The mode named by ``mode``: a mode, "clip", "fill", "drop", "promise_in_bounds", or
        None (FILL_OR_DROP, as in ``lax``)."""
        if isinstance(mode, GatherScatterMode):
            return mode
        named = {None: GatherScatterMode.FILL_OR_DROP, "fill": GatherScatterMode.FILL_OR_DROP,
                 "drop": GatherScatterMode.FILL_OR_DROP, "clip": GatherScatterMode.CLIP,
                 "promise_in_bounds": GatherScatterMode.PROMISE_IN_BOUNDS}
        if (isinstance(mode, str) or mode is None) and mode in named:
            return named[mode]
        raise ValueError(f"Unknown gather mode {mode!r}: use 'clip', 'fill', 'drop' or "
                         "'promise_in_bounds'")


def _ints(values: Any) -> tuple[int, ...]:
    return tuple(int(v) for v in values)


@attrs.frozen
class GatherDimensionNumbers:
    """How the axes of a gather's operand, indices and result correspond (module docstring)."""

    offset_dims: tuple[int, ...] = attrs.field(converter=_ints)
    collapsed_slice_dims: tuple[int, ...] = attrs.field(converter=_ints)
    start_index_map: tuple[int, ...] = attrs.field(converter=_ints)
    operand_batching_dims: tuple[int, ...] = attrs.field(default=(), converter=_ints)
    start_indices_batching_dims: tuple[int, ...] = attrs.field(default=(), converter=_ints)


@attrs.frozen
class ScatterDimensionNumbers:
    """How the axes of a scatter's operand, indices and updates correspond (module docstring)."""

    update_window_dims: tuple[int, ...] = attrs.field(converter=_ints)
    inserted_window_dims: tuple[int, ...] = attrs.field(converter=_ints)
    scatter_dims_to_operand_dims: tuple[int, ...] = attrs.field(converter=_ints)
    operand_batching_dims: tuple[int, ...] = attrs.field(default=(), converter=_ints)
    scatter_indices_batching_dims: tuple[int, ...] = attrs.field(default=(), converter=_ints)


def gather_dims_of(dnums: ScatterDimensionNumbers) -> GatherDimensionNumbers:
    """The gather that reads back, for each update, the operand elements it lands on."""
    return GatherDimensionNumbers(dnums.update_window_dims, dnums.inserted_window_dims,
                                  dnums.scatter_dims_to_operand_dims, dnums.operand_batching_dims,
                                  dnums.scatter_indices_batching_dims)


def scatter_dims_of(dnums: GatherDimensionNumbers) -> ScatterDimensionNumbers:
    """The scatter that puts a gather's result back where it was read from."""
    return ScatterDimensionNumbers(dnums.offset_dims, dnums.collapsed_slice_dims,
                                   dnums.start_index_map, dnums.operand_batching_dims,
                                   dnums.start_indices_batching_dims)


@attrs.frozen
class Dims:
    """Gather and scatter dimension numbers in one vocabulary: ``positions`` of the window axes
    in the result or updates, operand axes ``dropped`` from the window, ``index_map``,
    ``operand_batching`` and ``indices_batching``."""

    positions: tuple[int, ...]
    dropped: tuple[int, ...]
    index_map: tuple[int, ...]
    operand_batching: tuple[int, ...]
    indices_batching: tuple[int, ...]

    @staticmethod
    def of(dnums: GatherDimensionNumbers | ScatterDimensionNumbers) -> Dims:
        if isinstance(dnums, GatherDimensionNumbers):
            return Dims(dnums.offset_dims, dnums.collapsed_slice_dims, dnums.start_index_map,
                        dnums.operand_batching_dims, dnums.start_indices_batching_dims)
        return Dims(dnums.update_window_dims, dnums.inserted_window_dims,
                    dnums.scatter_dims_to_operand_dims, dnums.operand_batching_dims,
                    dnums.scatter_indices_batching_dims)

    def window_axes(self, rank: int) -> tuple[int, ...]:
        """The operand axes that are window axes of the result (or updates), in order."""
        return tuple(d for d in range(rank) if d not in self.dropped
                     and d not in self.operand_batching)


def default_fill_value(dtype: np.dtype) -> Any:
    """What a FILL_OR_DROP gather fills with by default, as in JAX: NaN for inexact dtypes,
    the lowest signed integer, the highest unsigned one, True for bools."""
    if dtype.kind in "fc":
        return np.nan
    if dtype.kind == "i":
        return np.iinfo(dtype).min
    if dtype.kind == "u":
        return np.iinfo(dtype).max
    return True


# ---------------------------------------------------------------- the layout of the kernels


@attrs.frozen(eq=False)
class Layout:
    """How one fancy index computes a gather or scatter on given shapes.

    ``order`` transposes the operand so that its advanced axes come first; ``advanced`` says
    per advanced axis how its index array is made: ``("start", k, upper, size, window)`` reads
    component ``k`` (starts clamped to ``[0, upper]``), spread over a window of ``size`` at
    position ``window`` among the advanced windows (None: no window), or
    ``("iota", size, axis)`` counts along batch axis ``axis``. ``basic`` indexes the other axes.
    The fancy index's result ``R`` has axes ``batch + advanced_windows + basic windows``;
    ``result_axes[o]`` is the axis of ``R`` at position ``o`` of the result (or updates).
    ``take_axis``: the operand axis for ``np.take``, whose result's axes ``take_axes`` orders.
    """

    order: tuple[int, ...]
    advanced: tuple[tuple, ...]
    basic: tuple
    batch_shape: tuple[int, ...]
    advanced_windows: tuple[int, ...]
    result_axes: tuple[int, ...]
    bounds: tuple[tuple[int, int], ...]  # per index component: (k, largest start in bounds)
    take_axis: int | None
    take_axes: tuple[int, ...]


@memoize(1024)
def layout(operand_shape: tuple[int, ...], batch_shape: tuple[int, ...], dims: Dims,
           sizes: tuple[int, ...]) -> Layout:
    """The layout for an operand of ``operand_shape``, indices of batch shape ``batch_shape``
    and windows of ``sizes`` (one per operand axis, 1 on the dropped and batching axes)."""
    rank, nb = len(operand_shape), len(batch_shape)
    indexed = {d: k for k, d in enumerate(dims.index_map)}
    batching = dict(zip(dims.operand_batching, dims.indices_batching, strict=True))
    windows = dims.window_axes(rank)
    advanced_axes = [d for d in range(rank) if d in indexed or d in batching]
    basic_axes = [d for d in range(rank) if d not in indexed and d not in batching]
    advanced_window_axes = [d for d in advanced_axes if d in windows]
    advanced, bounds = [], []
    for d in advanced_axes:
        if d in batching:
            advanced.append(("iota", operand_shape[d], batching[d]))
            continue
        upper = operand_shape[d] - sizes[d]
        window = advanced_window_axes.index(d) if d in windows else None
        advanced.append(("start", indexed[d], upper, sizes[d], window))
        bounds.append((indexed[d], upper))
    basic = tuple(0 if d not in windows else slice(None) if sizes[d] == operand_shape[d]
                  else slice(0, sizes[d]) for d in basic_axes)
    # the axis of R holding each window axis, in the operand's order of the windows
    r_axis = {d: nb + i for i, d in enumerate(advanced_window_axes)}
    basic_windows = [d for d in basic_axes if d in windows]
    r_axis.update({d: nb + len(advanced_window_axes) + i for i, d in enumerate(basic_windows)})
    result_axes = _place(nb, dims.positions, [r_axis[d] for d in windows])
    take_axis, take_axes = None, ()
    if (len(advanced_axes) == 1 and advanced[0][0] == "start" and advanced[0][4] is None
            and all(b == slice(None) for b in basic)):
        # np.take: the batch axes where the taken axis was, the other axes whole around them
        take_axis = advanced_axes[0]
        take_r = {d: d if d < take_axis else d - 1 + nb for d in basic_axes}
        take_axes = _place(nb, dims.positions, [take_r[d] for d in windows],
                           batch_start=take_axis)
    return Layout(tuple(advanced_axes + basic_axes), tuple(advanced), basic, batch_shape,
                  tuple(sizes[d] for d in advanced_window_axes), result_axes, tuple(bounds),
                  take_axis, take_axes)


def _place(nb: int, positions: tuple[int, ...], window_axes: list[int],
           batch_start: int = 0) -> tuple[int, ...]:
    """The axes of the result: window ``i`` at ``positions[i]``, the batch axes (which start
    at ``batch_start`` in the source) filling the other positions in order."""
    out = [None] * (nb + len(positions))
    for position, axis in zip(positions, window_axes, strict=True):
        out[position] = axis
    batch = iter(range(batch_start, batch_start + nb))
    return tuple(next(batch) if a is None else a for a in out)


def _starts(indices: np.ndarray, k: int, upper: int, clip: bool) -> np.ndarray:
    """Component ``k`` of the index vectors as ``intp`` (what NumPy indexes with fastest),
    clamped to ``[0, upper]`` if ``clip``."""
    column = indices[..., k]
    if clip:
        column = np.clip(column, 0, upper)  # (before widening: half the bytes to read)
    return column.astype(np.intp)


def _index_arrays(lay: Layout, indices: np.ndarray, clip: bool) -> list[np.ndarray]:
    """The index arrays of the advanced axes, broadcast to ``batch + advanced windows``."""
    nb, windows = len(lay.batch_shape), lay.advanced_windows
    full = lay.batch_shape + windows
    arrays = []
    for entry in lay.advanced:
        if entry[0] == "iota":
            _, size, axis = entry
            shape = [1] * len(full)
            shape[axis] = size
            arrays.append(np.broadcast_to(np.arange(size).reshape(shape), full))
            continue
        _, k, upper, size, window = entry
        start = _starts(indices, k, upper, clip).reshape(lay.batch_shape + (1,) * len(windows))
        if window is not None:
            shape = [1] * len(full)
            shape[nb + window] = size
            start = start + np.arange(size).reshape(shape)
        arrays.append(np.broadcast_to(start, full))
    return arrays


def _in_bounds(lay: Layout, indices: np.ndarray) -> np.ndarray | None:
    """Whether each index vector's window fits in the operand (None: no index components)."""
    valid = None
    for k, upper in lay.bounds:
        column = indices[..., k]
        if column.dtype.kind == "i":  # (negative starts become huge unsigned ones)
            column = column.view(np.dtype(f"u{column.dtype.itemsize}"))
        fits = column <= upper if upper >= 0 else np.zeros(column.shape, bool)
        valid = fits if valid is None else valid & fits
    return valid


def _transpose(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    return x if axes == tuple(range(len(axes))) else x.transpose(axes)


# ---------------------------------------------------------------- gather


@memoize(1024)
def gather_kernel(operand_shape: tuple[int, ...], indices_shape: tuple[int, ...],
                  dnums: GatherDimensionNumbers, slice_sizes: tuple[int, ...],
                  mode: GatherScatterMode, fill_value: Any, dtype: np.dtype,
                  out_shape: tuple[int, ...]) -> Callable[[Any, Any], Any]:
    """``kernel(operand, indices)``: the gather, as a NumPy function of these shapes."""
    dims = Dims.of(dnums)
    lay = layout(operand_shape, indices_shape[:-1], dims, slice_sizes)
    clip = mode is not GatherScatterMode.FILL_OR_DROP  # (a fill gather clamps, then fills)
    fill = np.asarray(default_fill_value(dtype) if fill_value is None else fill_value, dtype)
    nb = len(lay.batch_shape)
    if math.prod(out_shape) == 0:
        return lambda operand, indices: np.zeros(out_shape, dtype)

    def filled(r: Any, indices: np.ndarray, batch_start: int) -> Any:
        valid = _in_bounds(lay, indices)
        if valid is None or valid.all():
            return r
        shape = (1,) * batch_start + lay.batch_shape + (1,) * (np.ndim(r) - batch_start - nb)
        if np.ndim(r) == 0:
            return np.where(valid, r, fill)
        np.copyto(r, fill, where=~valid.reshape(shape))
        return r

    if lay.take_axis is not None:
        axis = lay.take_axis

        def take(operand: Any, indices: np.ndarray) -> Any:
            r = np.take(operand, indices[..., 0], axis=axis, mode="clip")
            if not clip:
                r = filled(r, indices, axis)
            return _transpose(r, lay.take_axes)

        return take

    if not lay.advanced_windows and all(b == 0 for b in lay.basic) and lay.advanced:
        return _flat_gather(lay, operand_shape, None if clip else filled)

    def fancy(operand: Any, indices: np.ndarray) -> Any:
        operand = _transpose(np.asarray(operand), lay.order)
        arrays = _index_arrays(lay, indices, clip=True)
        if arrays:
            r = operand[(*arrays, *lay.basic)]
        else:  # no axis is addressed by an index: the same window for every batch position
            window = operand[lay.basic]
            r = np.broadcast_to(window, lay.batch_shape + window.shape).copy()
        if not clip:
            r = filled(r, indices, 0)
        return _transpose(r, lay.result_axes)

    return fancy


def _flat_gather(lay: Layout, operand_shape: tuple[int, ...],
                 filled: Callable | None) -> Callable:
    """A gather of single elements (every operand axis indexed, or collapsed at 0): one
    ``np.take`` of the flattened operand at ``sum(index * stride)``, the batching axes'
    terms computed once."""
    strides = [math.prod(operand_shape[d + 1:]) for d in range(len(operand_shape))]
    counted = np.zeros((1,) * len(lay.batch_shape), np.intp)
    components = []  # (k, largest start, stride) of the indexed axes
    for d, entry in zip(lay.order, lay.advanced):
        if entry[0] == "iota":
            _, size, axis = entry
            shape = [1] * len(lay.batch_shape)
            shape[axis] = size
            counted = counted + (np.arange(size) * strides[d]).reshape(shape)
        else:
            components.append((entry[1], entry[2], strides[d]))

    def take(operand: Any, indices: np.ndarray) -> Any:
        operand = np.asarray(operand)
        if not operand.flags.c_contiguous:
            operand = np.ascontiguousarray(operand)
        flat = counted
        for k, upper, stride in components:
            start = np.clip(indices[..., k], 0, upper)
            flat = flat + (start if stride == 1 else start.astype(np.intp) * stride)
        r = np.take(operand.reshape(-1), np.broadcast_to(flat, lay.batch_shape))
        return r if filled is None else filled(r, indices, 0)

    return take


def gather_result_is_fresh(operand_shape: tuple[int, ...], indices_shape: tuple[int, ...],
                           dnums: GatherDimensionNumbers, slice_sizes: tuple[int, ...]) -> bool:
    """Whether the gather's kernel returns a new C-contiguous array (no final transpose)."""
    lay = layout(operand_shape, indices_shape[:-1], Dims.of(dnums), slice_sizes)
    axes = lay.take_axes if lay.take_axis is not None else lay.result_axes
    return axes == tuple(range(len(axes)))


# ---------------------------------------------------------------- scatter

SCATTER_UFUNCS: dict[str, np.ufunc | None] = {
    "scatter": None, "scatter-add": np.add, "scatter-mul": np.multiply,
    "scatter-min": np.minimum, "scatter-max": np.maximum,
}


def update_window_sizes(operand_rank: int, updates_shape: tuple[int, ...], dims: Dims) -> tuple:
    """The window of each update along every operand axis (1 on dropped and batching axes)."""
    sizes = [1] * operand_rank
    for d, position in zip(dims.window_axes(operand_rank), dims.positions, strict=True):
        sizes[d] = updates_shape[position]
    return tuple(sizes)


@memoize(1024)
def scatter_kernel(name: str, operand_shape: tuple[int, ...], indices_shape: tuple[int, ...],
                   updates_shape: tuple[int, ...], dnums: ScatterDimensionNumbers,
                   mode: GatherScatterMode) -> Callable[[Any, Any, Any], np.ndarray]:
    """``kernel(operand, indices, updates)``: the scatter ``name`` (a key of SCATTER_UFUNCS)
    as a NumPy function of these shapes; it returns a new array."""
    dims = Dims.of(dnums)
    sizes = update_window_sizes(len(operand_shape), updates_shape, dims)
    lay = layout(operand_shape, indices_shape[:-1], dims, sizes)
    ufunc = SCATTER_UFUNCS[name]
    clip = mode is GatherScatterMode.CLIP
    to_r = tuple(int(a) for a in np.argsort(lay.result_axes))
    nb = len(lay.batch_shape)

    def kernel(operand: Any, indices: np.ndarray, updates: Any) -> np.ndarray:
        out = np.array(operand, copy=True, order="C")
        if math.prod(updates_shape) == 0:
            return out
        target = _transpose(out, lay.order)
        u = _transpose(np.asarray(updates), to_r)
        arrays = _index_arrays(lay, indices, clip)
        if not clip:
            valid = _in_bounds(lay, indices)
            if valid is not None and not valid.all():
                arrays = [a[valid] for a in arrays]
                u = u[valid]
        if not arrays:  # every update lands on the same window: combine them first
            u = u.reshape((-1,) + u.shape[nb:])
            if not len(u):
                return out
            u = u[-1] if ufunc is None else ufunc.reduce(u, axis=0, dtype=out.dtype)
        index = (*arrays, *lay.basic)
        if ufunc is None:
            target[index] = u
        elif not arrays:
            target[index] = ufunc(target[index], u)
        else:
            ufunc.at(target, index, u)
        return out

    return kernel
