"""gather and the scatters: ``gather``, ``scatter``, ``scatter-add``, ``scatter-mul``,
``scatter-min``, ``scatter-max``, with XLA's dimension numbers (``index_kernels``).

``gather`` is linear in its operand; its transpose is a ``scatter-add`` into zeros.
``scatter-add`` is linear in the operand and the updates jointly; its transpose reads the
cotangent back with the matching gather. ``scatter`` is linear in both too (one update wins
where indices repeat: the winner gets the cotangent, found by scattering update ids).
``scatter-mul`` is linear in the operand; its jvp in the updates uses, for each update, the
product of the others landing on the same element. ``scatter-min``/``-max`` share a tangent
among the values that attain the result, as ``reduce_max`` does. Every derivative rule is
written with these primitives, so derivatives of any order follow.

Gradients are consistent with the values out of bounds too: a gather that clamps (CLIP, and
PROMISE_IN_BOUNDS, which clamps in practice) transposes to a scatter-add that clamps, and a
scatter that drops updates gives them zero cotangents. (JAX's PROMISE_IN_BOUNDS gradients
are unspecified out of bounds.)
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.avals import ShapedArray, shaped_array
from ..core.primitive import NOT_LINEAR, NOT_MAPPED, Lowering, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from .combinators import batch_size, cached_shape_rule, shape_error
from .comparison import eq, select_n
from .elementwise import div, mul
from .index_kernels import (
    Dims,
    GatherDimensionNumbers,
    GatherScatterMode,
    ScatterDimensionNumbers,
    gather_dims_of,
    gather_kernel,
    gather_result_is_fresh,
    scatter_dims_of,
    scatter_kernel,
    update_window_sizes,
)
from .shape import full, iota, reshape
from .structural import add_any, bdim_to, convert_element_type, instantiate, moveaxis, zeros

CLIP, FILL_OR_DROP, PROMISE_IN_BOUNDS = (GatherScatterMode.CLIP, GatherScatterMode.FILL_OR_DROP,
                                         GatherScatterMode.PROMISE_IN_BOUNDS)


# ---------------------------------------------------------------- shape checks


def _sorted_unique(axes: Sequence[int]) -> bool:
    return list(axes) == sorted(set(axes))


def _check_dims(name: str, operand: ShapedArray, indices: ShapedArray, dims: Dims,
                avals: Sequence[ShapedArray]) -> None:
    """Reject dimension numbers that do not fit the operand and indices."""

    def fail(message: str) -> None:
        raise shape_error(name, message, avals)

    if not dtypes.is_integer(indices.dtype):
        fail(f"indices must be integers, got {indices.dtype.name}")
    if indices.ndim < 1 or indices.shape[-1] != len(dims.index_map):
        fail(f"the last axis of the indices must hold the {len(dims.index_map)} components "
             f"of the index_map {dims.index_map}")
    rank, batch = operand.ndim, indices.shape[:-1]
    in_range = all(0 <= d < rank for d in (*dims.dropped, *dims.operand_batching, *dims.index_map))
    if not (in_range and _sorted_unique(dims.dropped) and _sorted_unique(dims.operand_batching)
            and _sorted_unique(dims.positions) and len(set(dims.index_map)) == len(dims.index_map)):
        fail("axes must be in range, and the window positions, dropped and batching axes sorted "
             "and distinct")
    if set(dims.dropped) & set(dims.operand_batching) or \
            set(dims.index_map) & set(dims.operand_batching):
        fail("a batching axis cannot also be dropped or indexed")
    if len(dims.indices_batching) != len(dims.operand_batching) or \
            len(set(dims.indices_batching)) != len(dims.indices_batching) or \
            any(not 0 <= i < len(batch) for i in dims.indices_batching):
        fail("each operand batching axis needs its own batch axis of the indices")
    if any(operand.shape[d] != batch[i] for d, i in zip(dims.operand_batching,
                                                        dims.indices_batching)):
        fail("batching axes of the operand and the indices must have the same sizes")
    if len(dims.positions) != len(dims.window_axes(rank)):
        fail(f"there are {len(dims.window_axes(rank))} window axes but "
             f"{len(dims.positions)} window positions")


def _gather_shape(operand, indices, *, dimension_numbers, slice_sizes, mode, fill_value,
                  indices_are_sorted, unique_indices):
    dims, avals = Dims.of(dimension_numbers), (operand, indices)
    _check_dims("gather", operand, indices, dims, avals)
    if len(slice_sizes) != operand.ndim or any(not 0 <= s <= n for s, n in
                                               zip(slice_sizes, operand.shape)):
        raise shape_error("gather", f"slice_sizes {slice_sizes} must give one size per operand "
                          "axis, at most the axis' length", avals)
    if any(slice_sizes[d] > 1 for d in (*dims.dropped, *dims.operand_batching)):
        raise shape_error("gather", "collapsed and batching axes must have slice size 1", avals)
    batch = indices.shape[:-1]
    rank = len(batch) + len(dims.positions)
    if any(p >= rank for p in dims.positions):
        raise shape_error("gather", f"offset_dims {dims.positions} out of range", avals)
    windows = [slice_sizes[d] for d in dims.window_axes(operand.ndim)]
    shape, rest = [None] * rank, iter(batch)
    for p, size in zip(dims.positions, windows):
        shape[p] = size
    shape = tuple(next(rest) if s is None else s for s in shape)
    return [shaped_array(shape, operand.dtype, operand.weak_type)]


def _scatter_shape_rule(name: str):
    def rule(operand, indices, updates, *, dimension_numbers, indices_are_sorted, mode,
             unique_indices):
        dims, avals = Dims.of(dimension_numbers), (operand, indices, updates)
        _check_dims(name, operand, indices, dims, avals)
        if updates.dtype != operand.dtype:
            raise shape_error(name, "the updates must have the operand's dtype", avals)
        batch = indices.shape[:-1]
        if updates.ndim != len(batch) + len(dims.positions) or \
                any(p >= updates.ndim for p in dims.positions):
            raise shape_error(name, f"updates of rank {len(batch) + len(dims.positions)} "
                              "expected", avals)
        update_batch = tuple(n for i, n in enumerate(updates.shape) if i not in dims.positions)
        sizes = update_window_sizes(operand.ndim, updates.shape, dims)
        if update_batch != batch or any(s > n for s, n in zip(sizes, operand.shape)):
            raise shape_error(name, "the updates' batch axes must be the indices' and their "
                              "windows must fit in the operand", avals)
        return [operand]

    return cached_shape_rule(rule, name)


# ---------------------------------------------------------------- gather
# out[b, w] = operand[start(indices[b]) + w]; linear in the operand


_GATHER_SHAPE = cached_shape_rule(_gather_shape)


def _gather_impl(operand, indices, **params):
    operand, indices = np.asarray(operand), np.asarray(indices)
    out_shape = _GATHER_SHAPE(aval_of(operand), aval_of(indices), **params)[0].shape
    dimension_numbers, slice_sizes = params["dimension_numbers"], params["slice_sizes"]
    mode, fill_value = params["mode"], params["fill_value"]
    kernel = gather_kernel(operand.shape, indices.shape, dimension_numbers, slice_sizes, mode,
                           fill_value, operand.dtype, out_shape)
    return [kernel(operand, indices)]


def _gather_lower(in_avals, out_avals, *, dimension_numbers, slice_sizes, mode, fill_value,
                  **params):
    operand, indices = in_avals
    kernel = gather_kernel(operand.shape, indices.shape, dimension_numbers, slice_sizes, mode,
                           fill_value, operand.dtype, out_avals[0].shape)
    fresh = gather_result_is_fresh(operand.shape, indices.shape, dimension_numbers, slice_sizes)
    return Lowering("{kernel}({0}, {1})", {"kernel": kernel}, fresh=fresh,
                    layout="C" if fresh else None)


def _gather_jvp(primals, tangents, outs, **params):
    # d gather(x) = gather(dx); a filled element is a constant, its tangent zero
    (t, _) = tangents
    if type(t) is Zero:
        return [Zero(aval_of(outs[0]))]
    if params["mode"] is FILL_OR_DROP:
        params = dict(params, fill_value=0)
    return [gather_p.bind1(t, primals[1], **params)]


def _gather_transpose(cts, operand, indices, *, dimension_numbers, slice_sizes, mode,
                      fill_value, indices_are_sorted, unique_indices):
    # each element read receives its cotangent back, added where several reads met
    (ct,) = cts
    if type(indices) is UndefPrimal:
        raise NotImplementedError("gather is not linear in its indices")
    if type(ct) is Zero:
        return [Zero(operand.aval), None]
    back_mode = FILL_OR_DROP if mode is FILL_OR_DROP else CLIP
    return [scatter_add(zeros(operand.aval), indices, ct, scatter_dims_of(dimension_numbers),
                        indices_are_sorted=indices_are_sorted, unique_indices=unique_indices,
                        mode=back_mode), None]


def _gather_batch(args, dims, *, dimension_numbers, slice_sizes, **params):
    (operand, indices), (operand_dim, indices_dim) = args, dims
    dn = dimension_numbers
    up = lambda axes: tuple(a + 1 for a in axes)  # noqa: E731
    if indices_dim is NOT_MAPPED:  # the batch axis is one more (whole) window axis, first
        operand = moveaxis(operand, operand_dim, 0)
        dn = GatherDimensionNumbers((0, *up(dn.offset_dims)), up(dn.collapsed_slice_dims),
                                    up(dn.start_index_map), up(dn.operand_batching_dims),
                                    dn.start_indices_batching_dims)
        slice_sizes = (aval_of(operand).shape[0], *slice_sizes)
    elif operand_dim is NOT_MAPPED:  # one more batch axis of the indices, first
        indices = moveaxis(indices, indices_dim, 0)
        dn = GatherDimensionNumbers(up(dn.offset_dims), dn.collapsed_slice_dims,
                                    dn.start_index_map, dn.operand_batching_dims,
                                    up(dn.start_indices_batching_dims))
    else:  # a batching axis pairs the operand's batch axis with the indices'
        operand, indices = moveaxis(operand, operand_dim, 0), moveaxis(indices, indices_dim, 0)
        dn = GatherDimensionNumbers(up(dn.offset_dims), up(dn.collapsed_slice_dims),
                                    up(dn.start_index_map), (0, *up(dn.operand_batching_dims)),
                                    (0, *up(dn.start_indices_batching_dims)))
        slice_sizes = (1, *slice_sizes)
    return [gather_p.bind1(operand, indices, dimension_numbers=dn, slice_sizes=slice_sizes,
                           **params)], [0]


gather_p = Primitive(
    "gather",
    impl=_gather_impl,
    abstract_eval=_GATHER_SHAPE,
    jvp=_gather_jvp,
    transpose=_gather_transpose,
    batch=_gather_batch,
    lower=_gather_lower,
)


def gather(operand: Any, indices: Any, dimension_numbers: GatherDimensionNumbers,
           slice_sizes: Sequence[int], *, unique_indices: bool = False,
           indices_are_sorted: bool = False, mode: Any = None, fill_value: Any = None) -> Any:
    """XLA's gather (``lax.gather``): windows of ``operand`` at positions read from ``indices``.

    ``mode`` is a GatherScatterMode or its name (default FILL_OR_DROP, as in ``lax``);
    ``fill_value`` fills windows out of bounds under FILL_OR_DROP (default: NaN, or the
    integer limits, as in JAX).
    """
    if fill_value is not None:
        fill_value = np.asarray(fill_value).item()
    return gather_p.bind1(operand, indices, dimension_numbers=dimension_numbers,
                          slice_sizes=tuple(int(s) for s in slice_sizes),
                          mode=GatherScatterMode.from_any(mode), fill_value=fill_value,
                          indices_are_sorted=bool(indices_are_sorted),
                          unique_indices=bool(unique_indices))


# ---------------------------------------------------------------- the scatters: shared rules


def _scatter_impl(name: str):
    def impl(operand, indices, updates, *, dimension_numbers, indices_are_sorted, mode,
             unique_indices):
        kernel = scatter_kernel(name, np.shape(operand), np.shape(indices), np.shape(updates),
                                dimension_numbers, mode)
        return [kernel(operand, np.asarray(indices), updates)]

    return impl


def _scatter_lower(name: str):
    def lower(in_avals, out_avals, *, dimension_numbers, indices_are_sorted, mode,
              unique_indices):
        kernel = scatter_kernel(name, *(a.shape for a in in_avals), dimension_numbers, mode)
        return Lowering("{kernel}({0}, {1}, {2})", {"kernel": kernel}, fresh=True, layout="C")

    return lower


def _scatter_rules(name: str, prim_ref) -> dict:
    """The rules every scatter has alike: impl, shape rule, batching and lowering."""
    return {"impl": _scatter_impl(name), "abstract_eval": _scatter_shape_rule(name),
            "batch": _scatter_batch(prim_ref), "lower": _scatter_lower(name)}


def _scatter_batch(prim_ref):
    def rule(args, dims, *, dimension_numbers, **params):
        size = batch_size(args, dims)
        operand, indices, updates = args
        operand_dim, indices_dim, updates_dim = dims
        dn = dimension_numbers
        up = lambda axes: tuple(a + 1 for a in axes)  # noqa: E731
        operand, updates = bdim_to(operand, operand_dim, 0, size), bdim_to(updates, updates_dim, 0,
                                                                           size)
        if indices_dim is NOT_MAPPED:  # the batch axis is one more (whole) window axis, first
            dn = ScatterDimensionNumbers((0, *up(dn.update_window_dims)),
                                         up(dn.inserted_window_dims),
                                         up(dn.scatter_dims_to_operand_dims),
                                         up(dn.operand_batching_dims),
                                         dn.scatter_indices_batching_dims)
        else:  # a batching axis pairs the operand's batch axis with the indices'
            indices = moveaxis(indices, indices_dim, 0)
            dn = ScatterDimensionNumbers(up(dn.update_window_dims), up(dn.inserted_window_dims),
                                         up(dn.scatter_dims_to_operand_dims),
                                         (0, *up(dn.operand_batching_dims)),
                                         (0, *up(dn.scatter_indices_batching_dims)))
        return [prim_ref().bind1(operand, indices, updates, dimension_numbers=dn, **params)], [0]

    return rule


def read_back(x: Any, indices: Any, dimension_numbers: ScatterDimensionNumbers,
              updates_shape: tuple[int, ...], mode: GatherScatterMode, fill_value: Any = 0) -> Any:
    """For each element of a scatter's updates, the element of ``x`` it lands on; an update
    the scatter drops reads ``fill_value``."""
    dims = Dims.of(dimension_numbers)
    sizes = update_window_sizes(aval_of(x).ndim, updates_shape, dims)
    return gather(x, indices, gather_dims_of(dimension_numbers), sizes,
                  mode=CLIP if mode is CLIP else FILL_OR_DROP, fill_value=fill_value)


def _linear_scatter_jvp(prim_ref):
    """Jvp rule of a scatter linear in (operand, updates): the scatter of the tangents."""

    def jvp(primals, tangents, outs, **params):
        t_operand, _, t_updates = tangents
        if type(t_operand) is Zero and type(t_updates) is Zero:
            return [Zero(aval_of(outs[0]))]
        return [prim_ref().bind1(instantiate(t_operand), primals[1], instantiate(t_updates),
                                 **params)]

    return jvp


def _linear_scatter_transpose(name: str, operand_ct, updates_ct):
    """Transpose rule of a scatter linear in (operand, updates): ``operand_ct(ct, indices,
    updates_aval, params)`` and ``updates_ct(ct, indices, operand_shape, updates_aval,
    params)`` give the cotangents of whichever of the two is linear."""

    def rule(cts, operand, indices, updates, **params):
        (ct,) = cts
        if type(indices) is UndefPrimal:
            raise NotImplementedError(f"{name} is not linear in its indices")
        undefined = [type(x) is UndefPrimal for x in (operand, updates)]
        operand_aval, updates_aval = (x.aval if u else aval_of(x)
                                      for x, u in zip((operand, updates), undefined))
        if type(ct) is Zero:
            return [Zero(operand_aval) if undefined[0] else None, None,
                    Zero(updates_aval) if undefined[1] else None]
        return [operand_ct(ct, indices, updates_aval, params) if undefined[0] else None, None,
                updates_ct(ct, indices, operand_aval.shape, updates_aval, params)
                if undefined[1] else None]

    return rule


def _read_back_ct(ct, indices, operand_shape, updates_aval, params):
    """Each update's cotangent: the cotangent of the element it landed on."""
    return read_back(ct, indices, params["dimension_numbers"], updates_aval.shape,
                     params["mode"])


# ---------------------------------------------------------------- scatter-add
# out = operand + the updates summed where they land; linear in (operand, updates)


scatter_add_p = Primitive(
    "scatter-add",
    jvp=_linear_scatter_jvp(lambda: scatter_add_p),
    transpose=_linear_scatter_transpose(  # the operand receives ct whole
        "scatter-add", lambda ct, indices, updates_aval, params: ct, _read_back_ct),
    **_scatter_rules("scatter-add", lambda: scatter_add_p),
)


# ---------------------------------------------------------------- scatter
# out = operand with the updates written where they land; linear in (operand, updates)


def _winners(indices: Any, operand_shape: tuple[int, ...], updates_shape: tuple[int, ...],
             params: dict) -> Any:
    """Whether each update element is the one ``scatter`` keeps where it lands: scatter the
    update elements' ids, read them back, and compare."""
    ids = reshape(iota(np.int32, (int(np.prod(updates_shape)),)), updates_shape)
    landed = scatter_p.bind1(full(operand_shape, -1, np.int32), indices, ids, **params)
    return eq(read_back(landed, indices, params["dimension_numbers"], updates_shape,
                        params["mode"], fill_value=-1), ids)


def _overwritten_ct(ct, indices, updates_aval, params):
    """The operand's cotangent: ct where no update was written."""
    return scatter_p.bind1(ct, indices, zeros(updates_aval), **params)


def _winning_ct(ct, indices, operand_shape, updates_aval, params):
    """An update's cotangent: the ct of the element it landed on if it is the one kept."""
    ct_updates = _read_back_ct(ct, indices, operand_shape, updates_aval, params)
    if params["unique_indices"]:
        return ct_updates
    won = _winners(indices, operand_shape, updates_aval.shape, params)
    return select_n(won, zeros(updates_aval), ct_updates)


scatter_p = Primitive(
    "scatter",
    jvp=_linear_scatter_jvp(lambda: scatter_p),
    transpose=_linear_scatter_transpose("scatter", _overwritten_ct, _winning_ct),
    **_scatter_rules("scatter", lambda: scatter_p),
)


# ---------------------------------------------------------------- scatter-mul
# out = operand * the product of the updates landing on each element; linear in the operand


def _others_product(indices: Any, updates: Any, operand_shape: tuple[int, ...],
                    params: dict) -> Any:
    """For each update, the product of the other updates that land on the same element
    (zeros counted apart, so that no division by zero happens). Its value is exact; its own
    derivative is exact where no update that shares its element is zero (at such exact
    zeros the second derivatives of scatter-mul are not)."""
    aval = aval_of(updates)
    is_zero = eq(updates, np.zeros((), aval.dtype))
    ones = full(aval.shape, 1, aval.dtype)
    safe = select_n(is_zero, updates, ones)
    product = scatter_mul_p.bind1(full(operand_shape, 1, aval.dtype), indices, safe, **params)
    zero_count = scatter_add_p.bind1(full(operand_shape, 0, np.int32), indices,
                                     convert_element_type(is_zero, np.int32), **params)
    dn, mode = params["dimension_numbers"], params["mode"]
    product, zero_count = (read_back(v, indices, dn, aval.shape, mode)
                           for v in (product, zero_count))
    none = full(aval.shape, 0, aval.dtype)
    if_nonzero = select_n(eq(zero_count, np.int32(0)), none, div(product, safe))
    if_zero = select_n(eq(zero_count, np.int32(1)), none, product)
    return select_n(is_zero, if_nonzero, if_zero)


def _scatter_mul_jvp(primals, tangents, outs, **params):
    # d out = scatter_mul(dx, u) + x * (sum over the updates j landing there of
    #         (product of the others) * du_j)
    operand, indices, updates = primals
    t_operand, _, t_updates = tangents
    terms = []
    if type(t_operand) is not Zero:
        terms.append(scatter_mul_p.bind1(t_operand, indices, updates, **params))
    if type(t_updates) is not Zero:
        aval = aval_of(operand)
        others = _others_product(indices, updates, aval.shape, params)
        summed = scatter_add_p.bind1(zeros(aval), indices, mul(others, t_updates), **params)
        terms.append(mul(operand, summed))
    if not terms:
        return [Zero(aval_of(outs[0]))]
    return [terms[0] if len(terms) == 1 else add_any(*terms)]


def _scatter_mul_transpose(cts, operand, indices, updates, **params):
    (ct,) = cts
    if type(updates) is UndefPrimal or type(indices) is UndefPrimal:
        raise NotImplementedError("scatter-mul is linear in its operand only")
    if type(ct) is Zero:
        return [Zero(operand.aval), None, None]
    return [scatter_mul_p.bind1(ct, indices, updates, **params), None, None]


scatter_mul_p = Primitive(
    "scatter-mul",
    jvp=_scatter_mul_jvp,
    transpose=_scatter_mul_transpose,
    **_scatter_rules("scatter-mul", lambda: scatter_mul_p),
)


# ---------------------------------------------------------------- scatter-min, scatter-max
# out = the min (max) of the operand and the updates landing on each element; the tangent is
# the mean of the tangents of the values that attain it


def _extremum_jvp(primals, tangents, outs, **params):
    operand, indices, updates = primals
    t_operand, _, t_updates = tangents
    (out,) = outs
    aval, u_aval = aval_of(out), aval_of(updates)
    if type(t_operand) is Zero and type(t_updates) is Zero:
        return [Zero(aval)]
    t_operand, t_updates = instantiate(t_operand), instantiate(t_updates)
    attains_x = eq(operand, out)
    attains_u = eq(updates, read_back(out, indices, params["dimension_numbers"], u_aval.shape,
                                      params["mode"]))
    count = add_any(convert_element_type(attains_x, aval.dtype),
                    scatter_add_p.bind1(zeros(aval), indices,
                                        convert_element_type(attains_u, aval.dtype), **params))
    total = add_any(select_n(attains_x, zeros(aval), t_operand),
                    scatter_add_p.bind1(zeros(aval), indices,
                                        select_n(attains_u, zeros(u_aval), t_updates), **params))
    return [div(total, count)]


scatter_min_p = Primitive(
    "scatter-min",
    jvp=_extremum_jvp,
    transpose=NOT_LINEAR,
    **_scatter_rules("scatter-min", lambda: scatter_min_p),
)

scatter_max_p = Primitive(
    "scatter-max",
    jvp=_extremum_jvp,
    transpose=NOT_LINEAR,
    **_scatter_rules("scatter-max", lambda: scatter_max_p),
)


# ---------------------------------------------------------------- the scatters as functions

_SCATTERS = {"scatter": scatter_p, "scatter-add": scatter_add_p, "scatter-mul": scatter_mul_p,
             "scatter-min": scatter_min_p, "scatter-max": scatter_max_p}


def scatter_apply(name: str, operand: Any, indices: Any, updates: Any,
                  dimension_numbers: ScatterDimensionNumbers, *, indices_are_sorted: bool = False,
                  unique_indices: bool = False, mode: Any = None) -> Any:
    """Bind the scatter ``name`` ("scatter", "scatter-add", ...); ``mode`` as in ``gather``."""
    return _SCATTERS[name].bind1(operand, indices, updates, dimension_numbers=dimension_numbers,
                                 indices_are_sorted=bool(indices_are_sorted),
                                 unique_indices=bool(unique_indices),
                                 mode=GatherScatterMode.from_any(mode))


def _lax_scatter(name: str, doc: str):
    """The ``lax`` function binding the scatter ``name``."""

    def bind(operand: Any, indices: Any, updates: Any,
             dimension_numbers: ScatterDimensionNumbers, **kwargs: Any) -> Any:
        return scatter_apply(name, operand, indices, updates, dimension_numbers, **kwargs)

    bind.__name__ = bind.__qualname__ = name.replace("-", "_")
    bind.__doc__ = doc
    return bind


scatter = _lax_scatter("scatter", "``operand`` with ``updates`` written where ``indices`` "
                       "place them (``lax.scatter``).")
scatter_add = _lax_scatter("scatter-add", "``operand`` with ``updates`` added where ``indices`` "
                           "place them (``lax.scatter_add``).")
scatter_mul = _lax_scatter("scatter-mul", "``operand`` multiplied by ``updates`` where they "
                           "land (``lax.scatter_mul``).")
scatter_min = _lax_scatter("scatter-min", "The minimum of ``operand`` and the ``updates`` "
                           "landing there (``lax.scatter_min``).")
scatter_max = _lax_scatter("scatter-max", "The maximum of ``operand`` and the ``updates`` "
                           "landing there (``lax.scatter_max``).")
