"""NumPy's indexing on jaxlite arrays: ``x[idx]`` and the ``.at[idx]`` updater, as JAX has them.

``parse_index`` resolves an index against the operand's axes into one item per entry:
slices, static integers, integer arrays (concrete, or tracers: a traced integer is a 0-d
array) and new axes; ``...`` is expanded, a concrete boolean mask becomes the integer arrays
of its ``nonzero``, and a scalar boolean a new axis indexed by ``[0]`` (True) or ``[]``.
A boolean mask without a concrete value raises ``NonConcreteBooleanIndexError``.

Reading: slices, integers and ``None`` alone are ``slice`` (+ ``rev``, ``squeeze``,
``expand_dims``), integers clamped into bounds as JAX clamps them. With array indices, the
slices are applied first and then one ``gather`` reads the rest; the axes of the broadcast
index arrays go where the first array index is if the array indices (integers count as
such) are adjacent, and first otherwise (NumPy's rule).

Updating: ``x.at[idx].set(v)`` and friends are one scatter over the whole operand. A
slice of step 1 is a window of the update, a slice of another step an index array of its
positions, integers and arrays are index components. Negative indices count from the end
(``index + n * (index < 0)``, or NumPy's arithmetic on concrete indices).
Out of bounds, reads clamp and updates are dropped, unless ``mode`` says otherwise
(``"clip"``, ``"fill"``/``"drop"``, ``"promise_in_bounds"``).
"""

from __future__ import annotations

import math
from typing import Any, Callable

import attrs
import numpy as np

from ..core import dtypes
from ..core.errors import NonConcreteBooleanIndexError
from ..core.trace import ARRAY_TYPES, NO_VALUE, Tracer, aval_of, concrete_value
from ..primitives import comparison as cmp
from ..primitives import elementwise as ew
from ..primitives import reductions as red
from ..primitives import shape as shape_ops
from ..primitives.index_kernels import (
    GatherDimensionNumbers,
    GatherScatterMode,
    ScatterDimensionNumbers,
)
from ..primitives.indexing import gather, scatter_apply
from ..primitives.structural import broadcast_in_dim, convert_element_type
from . import loops, ufuncs
from ._util import array_operand, broadcast_to_shape

PROMISE, FILL = GatherScatterMode.PROMISE_IN_BOUNDS, GatherScatterMode.FILL_OR_DROP


# ---------------------------------------------------------------- parsing


@attrs.frozen
class SliceItem:
    """``start:start+size*step:step`` along operand axis ``axis`` (in bounds, size >= 0)."""

    axis: int
    start: int
    size: int
    step: int


@attrs.frozen
class IntItem:
    """A static integer index along ``axis``, as written (negative, or out of bounds)."""

    axis: int
    value: int


@attrs.frozen(eq=False)
class ArrayItem:
    """An integer index array along ``axis``: a NumPy array, or a tracer."""

    axis: int
    array: Any


@attrs.frozen
class NewAxis:
    """``None``: a new axis of length one in the result."""


_LIST_MESSAGE = ("Using a non-tuple sequence for multidimensional indexing is not allowed; use "
                 "`arr[array(seq)]` instead of `arr[seq]`. See "
                 "https://github.com/jax-ml/jax/issues/4564 for more information.")


def _entry(entry: Any, position: int) -> Any:
    """One entry of an index, classified: None, Ellipsis, a slice, an int, ("bool", b) for a
    scalar boolean, ("mask", array) for a concrete mask, or ("array", x) for integers."""
    if entry is None or entry is Ellipsis or isinstance(entry, slice):
        return entry
    if isinstance(entry, (bool, np.bool_)):
        return ("bool", bool(entry))
    if isinstance(entry, (int, np.integer)):
        return int(entry)
    if isinstance(entry, list):
        entry = np.asarray(entry) if entry else np.zeros(0, np.intp)
    if isinstance(entry, (np.ndarray, np.generic)) or type(entry) in ARRAY_TYPES:
        return _array_entry(entry, position)
    if isinstance(entry, str):
        raise TypeError(f"JAX does not support string indexing; got idx={entry!r}")
    if isinstance(entry, (float, complex)):
        raise TypeError(f"Indexer must have integer or boolean type, got indexer with type "
                        f"{type(entry).__name__}")
    raise TypeError(f"Indexing with {type(entry).__name__} ({entry!r}) is not supported; use "
                    "integers, slices, None, ..., or integer or boolean arrays")


def _array_entry(entry: Any, position: int) -> Any:
    aval = aval_of(entry)
    if aval.dtype == dtypes.bool_:
        value = concrete_value(entry)
        if value is NO_VALUE:
            raise NonConcreteBooleanIndexError(
                f"Array boolean indices must be concrete; got {aval} at position {position} of "
                "the index. Under jit or vmap a mask's values are not known, and the result's "
                "shape would depend on them. Use jnp.where(mask, x, fill) to keep the shape, "
                "x.at[...] updates of jnp.where form, or jnp.nonzero(mask, size=n) (also "
                "jnp.where(mask, size=n)) for index arrays of a fixed size n.")
        value = np.asarray(value)
        return ("bool", bool(value)) if value.ndim == 0 else ("mask", value)
    if not dtypes.is_integer(aval.dtype):
        raise TypeError(f"Indexer must have integer or boolean type, got indexer with type "
                        f"{aval.dtype.name}")
    if type(entry) is Tracer:
        return ("array", entry)
    value = np.asarray(concrete_value(entry))
    return int(value) if value.ndim == 0 else ("array", value)


def parse_index(shape: tuple[int, ...], index: Any) -> tuple[list, tuple[int, ...]]:
    """The items of ``index`` for an operand of ``shape``, and the axes a scalar boolean
    inserts into the operand (the items refer to the operand with those axes)."""
    if isinstance(index, list):
        raise TypeError(_LIST_MESSAGE)
    raw = index if isinstance(index, tuple) else (index,)
    entries = [_entry(e, k) for k, e in enumerate(raw)]
    if sum(e is Ellipsis for e in entries) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    consumed = sum(e[1].ndim if isinstance(e, tuple) and e[0] == "mask" else
                   0 if e is None or e is Ellipsis or isinstance(e, tuple) and e[0] == "bool"
                   else 1 for e in entries)
    if consumed > len(shape):
        raise IndexError(f"too many indices for array: array is {len(shape)}-dimensional, "
                         f"but {consumed} were indexed")
    at = next((k for k, e in enumerate(entries) if e is Ellipsis), len(entries))
    entries[at:at + 1] = [slice(None)] * (len(shape) - consumed)
    items, inserted, axis, original = [], [], 0, 0  # axis: of the operand with inserted axes
    for position, e in enumerate(entries):
        if e is None:
            items.append(NewAxis())
        elif isinstance(e, tuple) and e[0] == "bool":
            inserted.append(axis)
            items.append(ArrayItem(axis, np.zeros(int(e[1]), np.intp)))
            axis += 1
        elif isinstance(e, tuple) and e[0] == "mask":
            mask = e[1]
            expected = list(shape[original:original + mask.ndim])
            if list(mask.shape) != expected:
                raise IndexError(f"boolean index did not match shape of indexed array in index "
                                 f"{position}: got {mask.shape}, expected {expected}")
            items += [ArrayItem(axis + k, a) for k, a in enumerate(np.nonzero(mask))]
            axis, original = axis + mask.ndim, original + mask.ndim
        else:
            n = shape[original]
            if isinstance(e, slice):
                items.append(_slice_item(axis, e, n, position))
            elif isinstance(e, int):
                items.append(IntItem(axis, e))
            else:
                items.append(ArrayItem(axis, e[1]))
            axis, original = axis + 1, original + 1
    return items, tuple(inserted)


def _slice_item(axis: int, entry: slice, n: int, position: int) -> SliceItem:
    parts = []
    for p in (entry.start, entry.stop, entry.step):
        if p is not None and not isinstance(p, (int, np.integer)):
            value = concrete_value(p) if type(p) in ARRAY_TYPES else NO_VALUE
            if type(p) is Tracer or value is NO_VALUE or np.ndim(value) or \
                    not np.issubdtype(np.asarray(value).dtype, np.integer):
                raise IndexError(f"Slice entries must be static integers. Got {entry} at "
                                 f"position {position}; for a slice at a traced start, use "
                                 "lax.dynamic_slice or an index array (x[i + jnp.arange(n)])")
            p = int(value)
        parts.append(None if p is None else int(p))
    start, stop, step = slice(*parts).indices(n)
    size = len(range(start, stop, step))
    return SliceItem(axis, start if size else 0, size, step)


def _advanced(items: list, with_ints: bool = False) -> list[int]:
    """The positions of the items NumPy indexes with arrays: array items, and integers when
    there are array items (or ``with_ints``)."""
    if not with_ints and not any(type(it) is ArrayItem for it in items):
        return []
    return [k for k, it in enumerate(items) if type(it) in (ArrayItem, IntItem)]


def _result_axes(items: list, batch_shape: tuple[int, ...]) -> list[tuple]:
    """The axes of ``x[index]``, in order: ("batch", j) for the broadcast index arrays' axes,
    ("slice", item) and ("new", None)."""
    advanced = _advanced(items)
    group = [("batch", j) for j in range(len(batch_shape))]
    adjacent = advanced == list(range(advanced[0], advanced[-1] + 1)) if advanced else True
    out = [] if adjacent else list(group)
    for k, it in enumerate(items):
        if type(it) is NewAxis:
            out.append(("new", None))
        elif type(it) is SliceItem:
            out.append(("slice", it))
        elif adjacent and advanced and k == advanced[0]:
            out += group
    return out


def _axis_size(axis: tuple, batch_shape: tuple[int, ...]) -> int:
    kind, ref = axis
    return batch_shape[ref] if kind == "batch" else ref.size if kind == "slice" else 1


# ---------------------------------------------------------------- index arrays


def _index_dtype(arrays: list) -> np.dtype:
    """The dtype of a gather's or scatter's index array: the index arrays' dtypes promoted
    with the default int (which holds the static integers and slice positions)."""
    dtype, _ = dtypes.result_type((dtypes.default_int(), False),
                                  *[(aval_of(a).dtype, False) for a in arrays])
    return dtype if dtypes.is_integer(dtype) else dtypes.default_int()


def _normalized(index: Any, n: int, dtype: np.dtype, wrap: bool) -> Any:
    """``index`` (an array item's array, or an int) as ``dtype``, negative entries counted
    from the end of an axis of length ``n`` if ``wrap``; in NumPy when it is concrete."""
    if type(index) is not Tracer:
        index = np.asarray(index).astype(dtype)
        return np.where(index < 0, index + dtype.type(n), index) if wrap and dtype.kind == "i" \
            else index
    if aval_of(index).dtype != dtype:
        index = convert_element_type(index, dtype)
    if not wrap or dtype.kind != "i":
        return index
    # index + n * (index < 0): JAX's select_n(index < 0, index, index + n), at a third of
    # the cost in NumPy (np.where is slow)
    negative = convert_element_type(cmp.lt(index, np.zeros((), dtype)), dtype)
    return ew.add(index, ew.mul(negative, np.asarray(n, dtype)))


def _stacked(components: list[tuple[Any, tuple[int, ...]]], batch_shape: tuple[int, ...],
             dtype: np.dtype) -> tuple[Any, list[int]]:
    """The index array ``batch_shape + (K,)`` holding the components, each placed along the
    given batch axes, and the order the components are stacked in (the constant ones first)."""
    full = batch_shape + (1,)
    constant = [k for k, (c, _) in enumerate(components) if type(c) is not Tracer]
    traced = [k for k, (c, _) in enumerate(components) if type(c) is Tracer]
    blocks = []
    if constant or not traced:
        block = np.empty(batch_shape + (len(constant),), dtype)
        for j, k in enumerate(constant):
            c, dims = components[k]
            shape = [1] * len(batch_shape)
            for d, n in zip(dims, np.shape(c)):
                shape[d] = n
            block[..., j] = np.reshape(c, shape)
        blocks.append(block)
    for k in traced:
        c, dims = components[k]
        blocks.append(broadcast_in_dim(c, full, dims))
    stacked = blocks[0] if len(blocks) == 1 else shape_ops.concatenate(blocks, len(batch_shape))
    return stacked, constant + traced


def _batch_shape(items: list) -> tuple[int, ...]:
    shapes = [np.shape(it.array) if type(it.array) is not Tracer else aval_of(it.array).shape
              for it in items if type(it) is ArrayItem]
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(f"Incompatible shapes for broadcasting: shapes={list(shapes)}; index "
                         "arrays must broadcast together") from None


# ---------------------------------------------------------------- reading


def getitem(x: Any, index: Any, *, mode: Any = None, fill_value: Any = None,
            unique_indices: bool = False, indices_are_sorted: bool = False,
            wrap_negative_indices: bool = True) -> Any:
    """``x[index]`` with NumPy's semantics; out-of-bounds indices clamp (``mode=None``)."""
    x = array_operand(x, "indexing")
    mode = PROMISE if mode is None else GatherScatterMode.from_any(mode)
    items, inserted = parse_index(aval_of(x).shape, index)
    if inserted:
        x = shape_ops.expand_dims(x, inserted)
    if not _advanced(items) and (mode is not FILL or not any(type(it) is IntItem
                                                             for it in items)):
        return _sliced(x, items)
    return _gathered(x, items, mode, fill_value, unique_indices, indices_are_sorted,
                     wrap_negative_indices)


def _sliced(x: Any, items: list) -> Any:
    """An index of slices, integers and new axes: a static slice; integers clamp."""
    shape = aval_of(x).shape
    starts, limits, steps = [0] * len(shape), list(shape), [1] * len(shape)
    reversed_axes, int_axes, new_axes, position = [], [], [], 0  # position: in the result
    for it in items:
        if type(it) is NewAxis:
            new_axes.append(position)
            position += 1
            continue
        position += type(it) is SliceItem
        a = it.axis
        if type(it) is IntItem:
            n = shape[a]
            if n == 0:
                raise IndexError(f"index is out of bounds for axis {a} with size 0")
            value = min(max(it.value + n if it.value < 0 else it.value, 0), n - 1)
            starts[a], limits[a] = value, value + 1
            int_axes.append(a)
        elif it.size:
            start, step = it.start, it.step
            if step < 0:
                start, step = start + (it.size - 1) * step, -step
                reversed_axes.append(a)
            starts[a], limits[a], steps[a] = start, start + (it.size - 1) * step + 1, step
        else:
            starts[a] = limits[a] = 0
    if starts != [0] * len(shape) or limits != list(shape) or any(s != 1 for s in steps):
        x = shape_ops.slice(x, starts, limits, steps)
    if reversed_axes:
        x = shape_ops.rev(x, reversed_axes)
    if int_axes:
        x = shape_ops.squeeze(x, int_axes)
    if new_axes:
        x = shape_ops.expand_dims(x, new_axes)
    return x


def _gathered(x: Any, items: list, mode: GatherScatterMode, fill_value: Any,
              unique_indices: bool, indices_are_sorted: bool, wrap: bool) -> Any:
    """An index with arrays (or integers to read with ``mode``): the slices, then a gather."""
    shape = aval_of(x).shape
    x = _sliced(x, [it if type(it) is SliceItem else SliceItem(it.axis, 0, shape[it.axis], 1)
                    for it in items if type(it) is not NewAxis])
    shape = aval_of(x).shape
    items = [SliceItem(it.axis, 0, it.size, 1) if type(it) is SliceItem else it for it in items]
    batch_shape = _batch_shape(items)
    axes = _result_axes(items, batch_shape)
    out_shape = tuple(_axis_size(a, batch_shape) for a in axes)
    gathered_axes = [a for a in axes if a[0] != "new"]
    indexed = [items[k] for k in _advanced(items, with_ints=True)]
    if math.prod(out_shape) == 0:
        return shape_ops.full(out_shape, 0, aval_of(x).dtype)
    for it in indexed:
        if shape[it.axis] == 0:
            raise IndexError(f"index is out of bounds for axis {it.axis} with size 0")
    arrays = [it.array if type(it) is ArrayItem else it.value for it in indexed]
    dtype = _index_dtype([a for a in arrays if not isinstance(a, int)])
    nb = len(batch_shape)
    components = []
    for it, a in zip(indexed, arrays):
        a = _normalized(a, shape[it.axis], dtype, wrap)
        components.append((a, tuple(range(nb - np.ndim(a) if type(a) is not Tracer
                                          else nb - aval_of(a).ndim, nb))))
    indices, order = _stacked(components, batch_shape, dtype)
    offset_dims = tuple(p for p, a in enumerate(gathered_axes) if a[0] == "slice")
    index_map = tuple(indexed[k].axis for k in order)
    dnums = GatherDimensionNumbers(offset_dims, tuple(sorted(index_map)), index_map)
    slice_sizes = tuple(1 if a in index_map else n for a, n in enumerate(shape))
    out = gather(x, indices, dnums, slice_sizes, mode=mode, fill_value=fill_value,
                 unique_indices=unique_indices, indices_are_sorted=indices_are_sorted)
    new_axes = [p for p, a in enumerate(axes) if a[0] == "new"]
    return shape_ops.expand_dims(out, new_axes) if new_axes else out


# ---------------------------------------------------------------- updating


def _scattered(name: str, x: Any, index: Any, values: Any, mode: Any, unique_indices: bool,
               indices_are_sorted: bool, wrap: bool) -> Any:
    """``x`` with ``values`` combined into ``x[index]`` by the scatter ``name``."""
    mode = FILL if mode is None else GatherScatterMode.from_any(mode)
    items, inserted = parse_index(aval_of(x).shape, index)
    if inserted:
        x = shape_ops.expand_dims(x, inserted)
    shape = aval_of(x).shape
    batch_shape = _batch_shape(items)
    axes = _result_axes(items, batch_shape)
    values = broadcast_to_shape(values, tuple(_axis_size(a, batch_shape) for a in axes))
    axes = [a for a in axes if a[0] != "new"]
    updates_shape = tuple(_axis_size(a, batch_shape) for a in axes)
    if math.prod(updates_shape) == 0:
        return shape_ops.squeeze(x, inserted) if inserted else x
    updates = shape_ops.reshape(values, updates_shape)

    def is_window(a: tuple) -> bool:
        return a[0] == "slice" and a[1].step == 1

    windows = tuple(p for p, a in enumerate(axes) if is_window(a))
    batch_axes = [a for a in axes if not is_window(a)]
    scatter_batch = tuple(_axis_size(a, batch_shape) for a in batch_axes)
    group = tuple(p for p, a in enumerate(batch_axes) if a[0] == "batch")
    advanced = set(_advanced(items))
    dtype = _index_dtype([it.array for it in items if type(it) is ArrayItem])
    components, operand_axes, collapsed = [], [], []
    for k, it in enumerate(items):
        if type(it) is NewAxis or (type(it) is SliceItem and it.step == 1
                                   and it.size == shape[it.axis]):
            continue
        if type(it) is SliceItem and it.step == 1:  # a window starting at it.start
            components.append((np.asarray(it.start, dtype), ()))
        elif type(it) is SliceItem:  # the positions of a strided slice, along its own axis
            positions = np.arange(it.size, dtype=dtype) * it.step + it.start
            components.append((positions, (batch_axes.index(("slice", it)),)))
            collapsed.append(it.axis)
        else:
            a = _normalized(it.array if type(it) is ArrayItem else it.value, shape[it.axis],
                            dtype, wrap)
            ndim = aval_of(a).ndim if type(a) is Tracer else np.ndim(a)
            components.append((a, group[len(group) - ndim:] if k in advanced else ()))
            collapsed.append(it.axis)
        operand_axes.append(it.axis)
    indices, order = _stacked(components, scatter_batch, dtype)
    dnums = ScatterDimensionNumbers(windows, tuple(sorted(collapsed)),
                                    tuple(operand_axes[k] for k in order))
    out = scatter_apply(name, x, indices, updates, dnums, mode=mode,
                        unique_indices=unique_indices, indices_are_sorted=indices_are_sorted)
    return shape_ops.squeeze(out, inserted) if inserted else out


@attrs.frozen
class IndexUpdateRef:
    """``x.at[index]``: functional updates of the selected elements, as ``jax.Array.at``.

    Every method takes ``mode`` (default: reads clamp, updates drop out-of-bounds indices),
    ``indices_are_sorted``, ``unique_indices`` and ``wrap_negative_indices``; ``get`` also
    ``fill_value`` (for ``mode="fill"``). Values are cast to the array's dtype.
    """

    array: Any
    index: Any

    def _update(self, name: str, values: Any, mode: Any, **kwargs: Any) -> Any:
        x = array_operand(self.array, "at[]")
        values = _update_values(values)
        dtype = aval_of(x).dtype
        if aval_of(values).dtype != dtype:
            values = convert_element_type(values, dtype)
        return _scattered(name, x, self.index, values, mode,
                          kwargs.get("unique_indices", False),
                          kwargs.get("indices_are_sorted", False),
                          kwargs.get("wrap_negative_indices", True))

    def get(self, *, mode: Any = None, fill_value: Any = None, indices_are_sorted: bool = False,
            unique_indices: bool = False, wrap_negative_indices: bool = True) -> Any:
        """``x[index]``; ``mode="fill"`` fills out-of-bounds reads with ``fill_value``
        (default NaN, or the integer limits)."""
        return getitem(self.array, self.index, mode=mode, fill_value=fill_value,
                       unique_indices=unique_indices, indices_are_sorted=indices_are_sorted,
                       wrap_negative_indices=wrap_negative_indices)

    def set(self, values: Any, *, mode: Any = None, **kwargs: Any) -> Any:
        """A copy of the array with ``x[index] = values`` (one value wins where indices repeat)."""
        return self._update("scatter", values, mode, **kwargs)

    def add(self, values: Any, *, mode: Any = None, **kwargs: Any) -> Any:
        """A copy of the array with ``x[index] += values`` (repeated indices accumulate)."""
        return self._update("scatter-add", values, mode, **kwargs)

    def subtract(self, values: Any, *, mode: Any = None, **kwargs: Any) -> Any:
        """A copy of the array with ``x[index] -= values``."""
        return self._update("scatter-add", ew.neg(_update_values(values)), mode, **kwargs)

    def multiply(self, values: Any, *, mode: Any = None, **kwargs: Any) -> Any:
        """A copy of the array with ``x[index] *= values``."""
        return self._update("scatter-mul", values, mode, **kwargs)

    mul = multiply

    def divide(self, values: Any, *, mode: Any = None, **kwargs: Any) -> Any:
        """A copy of the array with ``x[index] /= values`` (as JAX: ``x / ones.at[index]
        .multiply(values)``)."""
        return ufuncs.divide(self.array, self._ones_times(values, mode, **kwargs))

    def power(self, values: Any, *, mode: Any = None, **kwargs: Any) -> Any:
        """A copy of the array with ``x[index] **= values`` (as JAX: ``x ** ones.at[index]
        .multiply(values)``)."""
        return ufuncs.power(self.array, self._ones_times(values, mode, **kwargs))

    def _ones_times(self, values: Any, mode: Any, **kwargs: Any) -> Any:
        aval = aval_of(array_operand(self.array, "at[]"))
        ones = shape_ops.full(aval.shape, 1, aval.dtype)
        return IndexUpdateRef(ones, self.index).multiply(values, mode=mode, **kwargs)

    def min(self, values: Any, *, mode: Any = None, **kwargs: Any) -> Any:
        """A copy of the array with ``x[index] = minimum(x[index], values)``."""
        return self._update("scatter-min", values, mode, **kwargs)

    def max(self, values: Any, *, mode: Any = None, **kwargs: Any) -> Any:
        """A copy of the array with ``x[index] = maximum(x[index], values)``."""
        return self._update("scatter-max", values, mode, **kwargs)

    def apply(self, func: Callable[[Any], Any], *, mode: Any = None, **kwargs: Any) -> Any:
        """A copy of the array with the elementwise ``func`` applied to ``x[index]``, as many
        times as an element is indexed (as ``ufunc.at``)."""
        x = array_operand(self.array, "at[]")
        aval = aval_of(x)
        counts = IndexUpdateRef(shape_ops.full(aval.shape, 0, np.int32), self.index).add(
            np.int32(1), mode=mode, **kwargs)

        def step(k: Any, x: Any) -> Any:  # func once more where an index is left
            return cmp.select_n(cmp.gt(counts, k), x, func(x))

        most = concrete_value(counts)
        if most is NO_VALUE:  # (traced indices: as many rounds as the most repeated one)
            bound = red.reduce_max(counts, tuple(range(aval.ndim)))
            return loops.while_loop(lambda kx: cmp.lt(kx[0], bound),
                                    lambda kx: (kx[0] + 1, step(kx[0], kx[1])),
                                    (np.int32(0), x))[1]
        for k in range(int(np.max(most, initial=0))):
            x = step(np.int32(k), x)
        return x


def _update_values(values: Any) -> Any:
    """The values of an ``.at[]`` update: arrays, scalars, or (as JAX takes them) lists."""
    if isinstance(values, (list, tuple)) and type(values) not in ARRAY_TYPES:
        values = np.asarray(values)
    return array_operand(values, "at[]")


@attrs.frozen
class IndexUpdateHelper:
    """The ``x.at`` property: index it to get an ``IndexUpdateRef``."""

    array: Any

    def __getitem__(self, index: Any) -> IndexUpdateRef:
        return IndexUpdateRef(self.array, index)

