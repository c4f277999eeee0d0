"""``dynamic_slice`` and ``dynamic_update_slice``: slices at start indices known only at run
time (scalar integer operands after the array operands).

As in XLA, each start index is clamped into ``[0, dim - size]``, so the slice always fits:
``dynamic_slice(x, 7, size=3)`` of a length-5 ``x`` reads ``x[2:5]``. Both ops are linear in
their array operands (dynamic_update_slice jointly in operand and update) and transpose into
each other. Batched start indices turn them into a gather or scatter (mode CLIP, which clamps
alike), one window per batch member.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.avals import shaped_array
from ..core.primitive import NOT_MAPPED, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from .combinators import batch_size, cached_shape_rule, shape_error
from .index_kernels import GatherDimensionNumbers, GatherScatterMode, ScatterDimensionNumbers
from .indexing import gather, scatter_apply
from .shape import concatenate, reshape
from .structural import bdim_to, convert_element_type, instantiate, zeros


def _clamped(starts: Sequence[Any], shape: Sequence[int], sizes: Sequence[int]) -> tuple:
    """The slices the (clamped) start indices select."""
    return tuple(np.s_[s:s + k] for s, k in (
        (min(max(int(start), 0), n - k), k) for start, n, k in zip(starts, shape, sizes)))


def _check_starts(name: str, x, starts, avals) -> None:
    if len(starts) != x.ndim or any(s.shape != () or not dtypes.is_integer(s.dtype)
                                    for s in starts):
        raise shape_error(name, f"needs one scalar integer start index per operand axis "
                          f"({x.ndim}), got {len(starts)}", avals)


def _batched_indices(starts: Sequence[Any], dims: Sequence[int | None], size: int) -> Any:
    """The start indices as one int32 array ``(size, len(starts))``, batch member first."""
    columns = [reshape(convert_element_type(bdim_to(s, d, 0, size), np.dtype(np.int32)),
                       (size, 1)) for s, d in zip(starts, dims)]
    return concatenate(columns, 1) if len(columns) > 1 else columns[0]


def _window_axes(n: int) -> tuple[int, ...]:
    return tuple(range(1, n + 1))


# ---------------------------------------------------------------- dynamic_slice
# out = x[s0:s0+k0, s1:s1+k1, ...] with each s clamped into [0, n - k]


def _dynamic_slice_impl(x, *starts, slice_sizes):
    return [np.asarray(x)[_clamped(starts, x.shape, slice_sizes)]]


def _dynamic_slice_shape(x, *starts, slice_sizes):
    _check_starts("dynamic_slice", x, starts, [x, *starts])
    if len(slice_sizes) != x.ndim or any(not 0 <= k <= n for k, n in zip(slice_sizes, x.shape)):
        raise shape_error("dynamic_slice", f"slice_sizes {slice_sizes} must fit the operand's "
                          "shape", [x, *starts])
    return [shaped_array(tuple(slice_sizes), x.dtype, x.weak_type)]


def _dynamic_slice_jvp(primals, tangents, outs, *, slice_sizes):
    # linear in x; the start indices are integers
    _, *starts = primals
    t = tangents[0]
    if type(t) is Zero:
        return [Zero(aval_of(outs[0]))]
    return [dynamic_slice_p.bind1(t, *starts, slice_sizes=slice_sizes)]


def _dynamic_slice_transpose(cts, x, *starts, slice_sizes):
    # x_bar = zeros with ct written where the slice was read
    (ct,) = cts
    none = [None] * len(starts)
    if type(ct) is Zero:
        return [Zero(x.aval), *none]
    return [dynamic_update_slice_p.bind1(zeros(x.aval), ct, *starts), *none]


def _dynamic_slice_batch(args, dims, *, slice_sizes):
    (x, *starts), (dx, *d_starts) = args, dims
    size = batch_size(args, dims)
    if all(d is NOT_MAPPED for d in d_starts):  # one more axis, sliced whole
        zero = np.zeros((), np.int32)
        return [dynamic_slice_p.bind1(x, *starts[:dx], zero, *starts[dx:], slice_sizes=(
            *slice_sizes[:dx], aval_of(x).shape[dx], *slice_sizes[dx:]))], [dx]
    x = bdim_to(x, dx, 0, size)
    n = len(starts)
    numbers = GatherDimensionNumbers(offset_dims=_window_axes(n), collapsed_slice_dims=(),
                                     start_index_map=_window_axes(n), operand_batching_dims=(0,),
                                     start_indices_batching_dims=(0,))
    return [gather(x, _batched_indices(starts, d_starts, size), numbers, (1, *slice_sizes),
                   mode=GatherScatterMode.CLIP)], [0]


dynamic_slice_p = Primitive(
    "dynamic_slice",
    impl=_dynamic_slice_impl,
    abstract_eval=cached_shape_rule(_dynamic_slice_shape),
    jvp=_dynamic_slice_jvp,
    transpose=_dynamic_slice_transpose,
    batch=_dynamic_slice_batch,
)


# ---------------------------------------------------------------- dynamic_update_slice
# out = x with update written at the (clamped) start indices


def _dynamic_update_slice_impl(x, update, *starts):
    out = np.array(x, copy=True)
    out[_clamped(starts, x.shape, update.shape)] = update
    return [out]


def _dynamic_update_slice_shape(x, update, *starts):
    _check_starts("dynamic_update_slice", x, starts, [x, update, *starts])
    if (update.ndim != x.ndim or any(k > n for k, n in zip(update.shape, x.shape))
            or update.dtype != x.dtype):
        raise shape_error("dynamic_update_slice", "the update must fit in the operand and "
                          "have its dtype", [x, update, *starts])
    return [shaped_array(x.shape, x.dtype, x.weak_type)]


def _dynamic_update_slice_jvp(primals, tangents, outs):
    # linear in (x, update) jointly
    _, _, *starts = primals
    tx, tu = tangents[:2]
    if type(tx) is Zero and type(tu) is Zero:
        return [Zero(aval_of(outs[0]))]
    return [dynamic_update_slice_p.bind1(instantiate(tx), instantiate(tu), *starts)]


def _dynamic_update_slice_transpose(cts, x, update, *starts):
    # x_bar = ct with the updated window zeroed; update_bar = ct's window
    (ct,) = cts
    none = [None] * len(starts)
    x_aval = x.aval if type(x) is UndefPrimal else aval_of(x)
    u_aval = update.aval if type(update) is UndefPrimal else aval_of(update)
    if type(ct) is Zero:
        return [Zero(x_aval) if type(x) is UndefPrimal else None,
                Zero(u_aval) if type(update) is UndefPrimal else None, *none]
    ct_x = ct_update = None
    if type(x) is UndefPrimal:
        ct_x = dynamic_update_slice_p.bind1(ct, zeros(u_aval), *starts)
    if type(update) is UndefPrimal:
        ct_update = dynamic_slice_p.bind1(ct, *starts, slice_sizes=u_aval.shape)
    return [ct_x, ct_update, *none]


def _dynamic_update_slice_batch(args, dims):
    (x, update, *starts), (dx, du, *d_starts) = args, dims
    size = batch_size(args, dims)
    x, update = bdim_to(x, dx, 0, size), bdim_to(update, du, 0, size)
    if all(d is NOT_MAPPED for d in d_starts):  # one more axis, written whole
        return [dynamic_update_slice_p.bind1(x, update, np.zeros((), np.int32), *starts)], [0]
    n = len(starts)
    numbers = ScatterDimensionNumbers(update_window_dims=_window_axes(n), inserted_window_dims=(),
                                      scatter_dims_to_operand_dims=_window_axes(n),
                                      operand_batching_dims=(0,),
                                      scatter_indices_batching_dims=(0,))
    return [scatter_apply("scatter", x, _batched_indices(starts, d_starts, size), update,
                          numbers, mode=GatherScatterMode.CLIP)], [0]


dynamic_update_slice_p = Primitive(
    "dynamic_update_slice",
    impl=_dynamic_update_slice_impl,
    abstract_eval=cached_shape_rule(_dynamic_update_slice_shape),
    jvp=_dynamic_update_slice_jvp,
    transpose=_dynamic_update_slice_transpose,
    batch=_dynamic_update_slice_batch,
)
