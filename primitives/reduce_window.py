"""Window reductions: ``reduce_window_{sum,max,min}`` and the two ops max pooling
differentiates through, ``select_and_gather_add`` and ``select_and_scatter_add``.

Every op here reads the operand through the same windows: the operand is dilated by
``base_dilation`` (holes between elements), padded by ``padding`` (pairs per axis), both
filled with the reduction's identity, and window ``o`` covers the elements
``o * window_strides + k * window_dilation`` for ``k`` in ``window_dimensions``.

* ``reduce_window_sum`` is linear; its transpose spreads each cotangent over its window
  (a pad of the cotangent, then a window sum), as JAX derives it.
* ``reduce_window_max``/``min``: the tangent of each output is the tangent of the element
  its window selects (the first maximum, as XLA's ``ge`` selection keeps the first), which
  is ``select_and_gather_add(t, x)``: linear in ``t``; its transpose
  ``select_and_scatter_add(ct, x)`` adds each cotangent to that one element, and transposes
  back to the gather. Their derivative in ``x`` is zero (piecewise constant selections).

The impls loop over the window's offsets (one strided view each), so a small pooling
window costs a few whole-array NumPy operations.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.avals import shaped_array
from ..core.primitive import NOT_LINEAR, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from .combinators import NUMBER, batch_size, cached_shape_rule, check_dtype, shape_error
from .comparison import ge_p, le_p
from .shape import pad, pad_p, slice
from .structural import bdim_to

# ---------------------------------------------------------------- shared window machinery


def _dilate(n: int, d: int) -> int:
    return 0 if n == 0 else 1 + d * (n - 1)


def _window_shape(name: str, x, window_dimensions, window_strides, padding, base_dilation,
                  window_dilation) -> tuple[int, ...]:
    """The output shape of a window reduction of ``x`` (checking the params)."""
    n = x.ndim
    if not (len(window_dimensions) == len(window_strides) == len(padding) == len(base_dilation)
            == len(window_dilation) == n):
        raise shape_error(name, f"window_dimensions {window_dimensions}, window_strides, "
                          "padding and dilations must each have one entry per operand axis",
                          [x])
    if any(v < 1 for v in (*window_dimensions, *window_strides, *base_dilation,
                           *window_dilation)):
        raise shape_error(name, "window dimensions, strides and dilations must be positive",
                          [x])
    shape = []
    for size, k, s, (lo, hi), b, d in zip(x.shape, window_dimensions, window_strides, padding,
                                          base_dilation, window_dilation):
        padded = _dilate(size, b) + lo + hi
        if padded < 0:
            raise shape_error(name, f"padding {padding} crops more than the operand holds", [x])
        reach = _dilate(k, d)
        shape.append(0 if padded < reach else (padded - reach) // s + 1)
    return tuple(shape)


def identity(select: Primitive, dtype: np.dtype) -> Any:
    """The identity of max (``select`` is ``ge``) or min (``le``) in ``dtype``."""
    if dtype == np.bool_:
        return np.bool_(select is le_p)
    if dtypes.is_integer(dtype):
        info = np.iinfo(dtype)
        return dtype.type(info.min if select is ge_p else info.max)
    return dtype.type(-np.inf if select is ge_p else np.inf)


def _padded(x, fill, padding, base_dilation):
    config = tuple((lo, hi, b - 1) for (lo, hi), b in zip(padding, base_dilation))
    if all(c == (0, 0, 0) for c in config):
        return np.asarray(x)
    return pad_p.impl(np.asarray(x), np.asarray(fill, x.dtype), padding_config=config)[0]


def _offset_slices(out_shape, window_dimensions, window_strides, window_dilation):
    """One index per window offset: the strided slice of the padded operand it reads."""
    for offset in itertools.product(*map(range, window_dimensions)):
        yield tuple(np.s_[k * d:k * d + (m - 1) * s + 1:s] if m else np.s_[0:0]
                    for k, d, m, s in zip(offset, window_dilation, out_shape, window_strides))


def _reduce_impl(ufunc, fill_of):
    def impl(x, *, window_dimensions, window_strides, padding, base_dilation, window_dilation):
        x = np.asarray(x)
        out_shape = _window_shape("reduce_window", shaped_array(x.shape, x.dtype),
                                  window_dimensions, window_strides, padding, base_dilation,
                                  window_dilation)
        padded = _padded(x, fill_of(x.dtype), padding, base_dilation)
        out = None
        for index in _offset_slices(out_shape, window_dimensions, window_strides,
                                    window_dilation):
            if out is None:
                out = padded[index].copy()
            else:
                ufunc(out, padded[index], out=out)
        return [out]

    return impl


def _reduce_window_shape(name: str, kind: str):
    def rule(x, **params):
        check_dtype(name, kind, [x])
        return [shaped_array(_window_shape(name, x, **params), x.dtype, x.weak_type)]

    return cached_shape_rule(rule, name)


def _with_unit_window_at(d: int, *, window_dimensions, window_strides, padding,
                         base_dilation=None, window_dilation=None) -> dict:
    """The window params with a window of one element inserted at axis ``d`` (a batch axis)."""
    def insert(values, value):
        return None if values is None else (*values[:d], value, *values[d:])

    params = {"window_dimensions": insert(window_dimensions, 1),
              "window_strides": insert(window_strides, 1), "padding": insert(padding, (0, 0))}
    if base_dilation is not None:
        params.update(base_dilation=insert(base_dilation, 1),
                      window_dilation=insert(window_dilation, 1))
    return params


def _reduce_window_batch(prim_ref):
    def rule(args, dims, **params):
        (x,), (d,) = args, dims
        return [prim_ref().bind1(x, **_with_unit_window_at(d, **params))], [d]

    return rule


# ---------------------------------------------------------------- reduce_window_sum
# out[o] = sum of the window o; linear


def _reduce_window_sum_transpose(cts, x, *, window_dimensions, window_strides, padding,
                                 base_dilation, window_dilation):
    # x_bar[i] = sum of ct[o] over the windows o reading i: ct spread out by the strides,
    # padded by the window's reach, summed over windows stepping by the base dilation
    (ct,) = cts
    if type(ct) is Zero:
        return [Zero(x.aval)]
    ct_shape = aval_of(ct).shape
    config = []
    for n, k, s, (lo, _), b, d, m in zip(x.aval.shape, window_dimensions, window_strides,
                                         padding, base_dilation, window_dilation, ct_shape):
        before = _dilate(k, d) - lo - 1
        after = _dilate(n, b) + _dilate(k, d) - 1 - _dilate(m, s) - before
        config.append((before, after, s - 1))
    spread = pad(ct, np.zeros((), aval_of(ct).dtype), config)
    ones = (1,) * len(ct_shape)
    return [reduce_window_sum_p.bind1(
        spread, window_dimensions=window_dimensions, window_strides=base_dilation,
        padding=((0, 0),) * len(ct_shape), base_dilation=ones, window_dilation=window_dilation)]


def _reduce_window_sum_jvp(primals, tangents, outs, **params):
    (t,) = tangents
    return [Zero(aval_of(outs[0])) if type(t) is Zero else reduce_window_sum_p.bind1(t, **params)]


reduce_window_sum_p = Primitive(
    "reduce_window_sum",
    impl=_reduce_impl(np.add, lambda dtype: 0),
    abstract_eval=_reduce_window_shape("reduce_window_sum", NUMBER),
    jvp=_reduce_window_sum_jvp,
    transpose=_reduce_window_sum_transpose,
    batch=_reduce_window_batch(lambda: reduce_window_sum_p),
)


# ---------------------------------------------------------------- reduce_window_max, _min
# out[o] = max (min) of the window o; d out[o] = dx at the element the window selects


def _chooser_jvp(select: Primitive):
    def jvp(primals, tangents, outs, **params):
        (x,), (t,) = primals, tangents
        if type(t) is Zero:
            return [Zero(aval_of(outs[0]))]
        return [select_and_gather_add_p.bind1(t, x, select_prim=select, **params)]

    return jvp


reduce_window_max_p = Primitive(
    "reduce_window_max",
    impl=_reduce_impl(np.maximum, lambda dtype: identity(ge_p, dtype)),
    abstract_eval=_reduce_window_shape("reduce_window_max", "any"),
    jvp=_chooser_jvp(ge_p),
    transpose=NOT_LINEAR,
    batch=_reduce_window_batch(lambda: reduce_window_max_p),
)

reduce_window_min_p = Primitive(
    "reduce_window_min",
    impl=_reduce_impl(np.minimum, lambda dtype: identity(le_p, dtype)),
    abstract_eval=_reduce_window_shape("reduce_window_min", "any"),
    jvp=_chooser_jvp(le_p),
    transpose=NOT_LINEAR,
    batch=_reduce_window_batch(lambda: reduce_window_min_p),
)


# ---------------------------------------------------------------- selections


def _selections(x, select, out_shape, window_dimensions, window_strides, window_dilation):
    """For each window offset: its slice of ``x`` (padded already) and where the windows
    select it: the first maximum (``ge``) or minimum (``le``) in row-major order. (Boolean
    arithmetic throughout: NumPy's masked operations are slow on random masks.)"""
    slices = list(_offset_slices(out_shape, window_dimensions, window_strides, window_dilation))
    extreme = np.maximum if select is ge_p else np.minimum
    best = x[slices[0]].copy()
    for index in slices[1:]:
        extreme(best, x[index], out=best)
    found = np.zeros(out_shape, np.bool_)
    for index in slices:
        taken = np.equal(x[index], best)
        np.greater(taken, found, out=taken)  # (taken and not found)
        np.logical_or(found, taken, out=found)
        yield index, taken


def _select_and_gather_add_impl(t, x, *, select_prim, window_dimensions, window_strides,
                                padding, base_dilation, window_dilation):
    t, x = np.asarray(t), np.asarray(x)
    out_shape = _window_shape("select_and_gather_add", shaped_array(x.shape, x.dtype),
                              window_dimensions, window_strides, padding, base_dilation,
                              window_dilation)
    xp = _padded(x, identity(select_prim, x.dtype), padding, base_dilation)
    tp = _padded(t, 0, padding, base_dilation)
    out = np.zeros(out_shape, t.dtype)
    for index, taken in _selections(xp, select_prim, out_shape, window_dimensions,
                                    window_strides, window_dilation):
        out += tp[index] * taken  # (one term per window is nonzero)
    return [out]


def _select_and_gather_add_shape(t, x, *, select_prim, **params):
    if t.shape != x.shape or t.dtype != x.dtype:
        raise shape_error("select_and_gather_add", "needs operands of one shape and dtype",
                          [t, x])
    shape = _window_shape("select_and_gather_add", x, **params)
    return [shaped_array(shape, t.dtype, t.weak_type)]


def _select_and_gather_add_jvp(primals, tangents, outs, **params):
    # linear in the tangents; piecewise constant in the operand
    (_, x), (tt, _) = primals, tangents
    if type(tt) is Zero:
        return [Zero(aval_of(outs[0]))]
    return [select_and_gather_add_p.bind1(tt, x, **params)]


def _select_and_gather_add_transpose(cts, t, x, *, select_prim, window_dimensions,
                                     window_strides, padding, base_dilation, window_dilation):
    # each cotangent goes back to the element its window selected
    (ct,) = cts
    if type(x) is UndefPrimal:
        raise NotImplementedError("select_and_gather_add is not linear in its operand")
    if any(d != 1 for d in window_dilation):
        raise NotImplementedError("VJP not implemented for select_and_gather (MaxPool) with "
                                  f"window dilation, got window_dilation={window_dilation}.")
    if type(ct) is Zero:
        return [Zero(t.aval), None]
    dilated = any(b != 1 for b in base_dilation)
    if dilated:
        x = pad(x, identity(select_prim, aval_of(x).dtype),
                tuple((0, 0, b - 1) for b in base_dilation))
    out = select_and_scatter_add_p.bind1(ct, x, select_prim=select_prim,
                                         window_dimensions=window_dimensions,
                                         window_strides=window_strides, padding=padding)
    if dilated:
        shape = aval_of(out).shape
        out = slice(out, (0,) * len(shape), shape, base_dilation)
    return [out, None]


def _select_batch(prim_ref):
    # both operands get the batch axis in front, read through windows of one element
    def rule(args, dims, *, select_prim, **params):
        size = batch_size(args, dims)
        t, x = (bdim_to(a, d, 0, size) for a, d in zip(args, dims))
        return [prim_ref().bind1(t, x, select_prim=select_prim,
                                 **_with_unit_window_at(0, **params))], [0]

    return rule


select_and_gather_add_p = Primitive(
    "select_and_gather_add",
    impl=_select_and_gather_add_impl,
    abstract_eval=cached_shape_rule(_select_and_gather_add_shape),
    jvp=_select_and_gather_add_jvp,
    transpose=_select_and_gather_add_transpose,
    batch=_select_batch(lambda: select_and_gather_add_p),
)


def _select_and_scatter_add_impl(source, x, *, select_prim, window_dimensions, window_strides,
                                 padding):
    source, x = np.asarray(source), np.asarray(x)
    ones = (1,) * x.ndim
    xp = _padded(x, identity(select_prim, x.dtype), padding, ones)
    out = np.zeros(xp.shape, source.dtype)
    for index, taken in _selections(xp, select_prim, source.shape, window_dimensions,
                                    window_strides, ones):
        view = out[index]
        view += source * taken
    crop = tuple(np.s_[lo:lo + n] for (lo, _), n in zip(padding, x.shape))
    return [out[crop]]


def _select_and_scatter_add_jvp(primals, tangents, outs, **params):
    (_, x), (ts, _) = primals, tangents
    if type(ts) is Zero:
        return [Zero(aval_of(outs[0]))]
    return [select_and_scatter_add_p.bind1(ts, x, **params)]


def _select_and_scatter_add_transpose(cts, s, x, *, select_prim, window_dimensions,
                                      window_strides, padding):
    (ct,) = cts
    if type(x) is UndefPrimal:
        raise NotImplementedError("select_and_scatter_add is not linear in its operand")
    if type(ct) is Zero:
        return [Zero(s.aval), None]
    ones = (1,) * len(window_dimensions)
    return [select_and_gather_add_p.bind1(
        ct, x, select_prim=select_prim, window_dimensions=window_dimensions,
        window_strides=window_strides, padding=padding, base_dilation=ones,
        window_dilation=ones), None]


def _select_and_scatter_add_shape(source, x, *, select_prim, window_dimensions,
                                  window_strides, padding):
    ones = (1,) * x.ndim
    out_shape = _window_shape("select_and_scatter_add", x, window_dimensions, window_strides,
                              padding, ones, ones)
    if source.shape != out_shape or source.dtype != x.dtype:
        raise shape_error("select_and_scatter_add", f"the source must have the windows' shape "
                          f"{out_shape} and the operand's dtype", [source, x])
    return [shaped_array(x.shape, source.dtype, source.weak_type)]


select_and_scatter_add_p = Primitive(
    "select_and_scatter_add",
    impl=_select_and_scatter_add_impl,
    abstract_eval=cached_shape_rule(_select_and_scatter_add_shape),
    jvp=_select_and_scatter_add_jvp,
    transpose=_select_and_scatter_add_transpose,
    batch=_select_batch(lambda: select_and_scatter_add_p),
)
