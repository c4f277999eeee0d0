"""Cumulative reductions along one axis: cumsum, cumprod, cummax, cummin, cumlogsumexp
(``reverse`` runs from the end).

cumsum is linear: its transpose is the cumsum of the cotangent in the other direction.
cumprod's jvp runs the prefix scan of the pairs ``(p, t)`` under the product rule
``(p1, t1) . (p2, t2) = (p1 p2, t1 p2 + p1 t2)`` in log2(n) doubling steps
(Hillis-Steele), written with primitives: exact where the operand has zeros (no division),
differentiable again, and linear in the tangent, so reverse mode transposes it.
cummax, cummin and cumlogsumexp differentiate the same way, by a doubling scan of
(value, tangent) pairs: for the extrema the tangent of the larger (smaller) value, split
evenly at ties as ``max``'s is; for cumlogsumexp the tangents weighted by ``exp(x - out)``.
All batch by moving ``axis`` past the batch axis.

cumsum adds in the order XLA's CPU backend adds (JAX lowers it to a windowed sum that XLA
rewrites into a two-level scan): the axis is cut into blocks of 16, each summed left to
right, the blocks' totals are scanned the same way (recursively), and each block then
adds the total of the blocks before it. So its floats are JAX's bit for bit
(``random.choice`` with ``p`` depends on it); with ``reverse``, it is that scan of the
reversed axis (XLA sums each reversed window in another order: those bits may differ).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.primitive import NOT_LINEAR, Lowering, Primitive, Zero
from ..core.trace import aval_of
from .combinators import FLOAT, NUMBER, linear_jvp, shape_error, unary_shape_rule
from .comparison import ge, gt, lt, select_n
from .elementwise import add, exp, log, maximum, minimum, mul, scalar_like, sub
from .shape import iota, pad, rev, slice as slice_op


def _impl(np_fn):
    def impl(x, *, axis, reverse):
        x = np.asarray(x)
        if reverse:
            return [np.flip(np_fn(np.flip(x, axis), axis=axis, dtype=x.dtype), axis)]
        return [np_fn(x, axis=axis, dtype=x.dtype)]

    return impl


def _shape_rule(name: str, kind: str = NUMBER):
    elementwise = unary_shape_rule(name, kind)

    def rule(x, *, axis, reverse):
        if not 0 <= axis < x.ndim:
            raise shape_error(name, f"axis {axis} is out of range for {x.ndim} dimensions", [x])
        return elementwise(x)

    return rule


def _batch(prim_ref):
    def rule(args, dims, *, axis, reverse):
        (x,), (d,) = args, dims
        return prim_ref().bind(x, axis=axis + (d <= axis), reverse=reverse), [d]

    return rule


def _lower(np_name: str):
    def lower(in_avals, out_avals, *, axis, reverse):
        if reverse:
            return None  # the impl (flips around the scan)
        return Lowering(f"np.{np_name}({{0}}, axis={axis}, dtype={{dtype}})",
                        {"dtype": out_avals[0].dtype}, fresh=True)

    return lower


# ---------------------------------------------------------------- cumsum
# out[i] = sum_{j <= i} x[j]; linear; transpose: ct_x[j] = sum_{i >= j} ct[i]

_XLA_BLOCK = 16  # XLA's block length for the rewritten windowed sum


def xla_cumsum(x: np.ndarray, axis: int, dtype: np.dtype) -> np.ndarray:
    """``np.cumsum(x, axis, dtype)`` summed in XLA's CPU order (blocks of 16, recursively)."""
    x = np.moveaxis(np.asarray(x, dtype), axis, -1)
    return np.ascontiguousarray(np.moveaxis(_blocked_scan(x), -1, axis))


def _blocked_scan(x: np.ndarray) -> np.ndarray:
    n = x.shape[-1]
    if n <= _XLA_BLOCK:
        return np.cumsum(x, axis=-1, dtype=x.dtype)
    blocks = -(-n // _XLA_BLOCK)
    padded = np.zeros(x.shape[:-1] + (blocks * _XLA_BLOCK,), x.dtype)
    padded[..., :n] = x
    inner = np.cumsum(padded.reshape(x.shape[:-1] + (blocks, _XLA_BLOCK)), axis=-1,
                      dtype=x.dtype)
    before = _blocked_scan(inner[..., -1])  # running totals of the blocks
    inner[..., 1:, :] += before[..., :-1, None]
    return inner.reshape(padded.shape)[..., :n]


def _cumsum_transpose(cts, x, *, axis, reverse):
    (ct,) = cts
    if type(ct) is Zero:
        return [Zero(x.aval)]
    return [cumsum_p.bind1(ct, axis=axis, reverse=not reverse)]


def _cumsum_lower(in_avals, out_avals, *, axis, reverse):
    if reverse:
        return None  # the impl (flips around the scan)
    return Lowering(f"{{scan}}({{0}}, {axis}, {{dtype}})",
                    {"scan": xla_cumsum, "dtype": out_avals[0].dtype}, fresh=True)


cumsum_p = Primitive("cumsum", impl=_impl(xla_cumsum), abstract_eval=_shape_rule("cumsum"),
                     jvp=linear_jvp(lambda: cumsum_p), transpose=_cumsum_transpose,
                     batch=_batch(lambda: cumsum_p), lower=_cumsum_lower)


# ---------------------------------------------------------------- cumprod
# d out[i] = sum_{j <= i} (prod_{k <= i, k != j} x[k]) dx[j], by a scan of (p, t) pairs


def _shifted(x: Any, k: int, fill: float, axis: int) -> Any:
    """``x`` moved ``k`` places up along ``axis``, the first ``k`` places filled with ``fill``."""
    aval = aval_of(x)
    config = [(0, 0, 0)] * aval.ndim
    config[axis] = (k, 0, 0)
    padded = pad(x, scalar_like(fill, x), config)
    return slice_op(padded, (0,) * aval.ndim, aval.shape)


def _cumprod_jvp(primals, tangents, outs, *, axis, reverse):
    (x,), (t,), (out,) = primals, tangents, outs
    if type(t) is Zero:
        return [Zero(aval_of(out))]
    if reverse:
        x, t = rev(x, (axis,)), rev(t, (axis,))
    p, n, k = x, aval_of(x).shape[axis], 1
    while k < n:
        p_before, t_before = _shifted(p, k, 1, axis), _shifted(t, k, 0, axis)
        p, t = mul(p_before, p), add(mul(t_before, p), mul(p_before, t))
        k *= 2
    return [rev(t, (axis,)) if reverse else t]


cumprod_p = Primitive("cumprod", impl=_impl(np.cumprod), abstract_eval=_shape_rule("cumprod"),
                      jvp=_cumprod_jvp, transpose=NOT_LINEAR, batch=_batch(lambda: cumprod_p),
                      lower=_lower("cumprod"))


# ---------------------------------------------------------------- cummax, cummin, cumlogsumexp
# a doubling scan of (value, tangent) pairs, each combined with the pair k places earlier


def _prefix_scan_jvp(combine):
    def jvp(primals, tangents, outs, *, axis, reverse):
        (x,), (t,), (out,) = primals, tangents, outs
        if type(t) is Zero:
            return [Zero(aval_of(out))]
        if reverse:
            x, t = rev(x, (axis,)), rev(t, (axis,))
        shape = aval_of(x).shape
        positions = iota(np.int32, shape, axis)
        k = 1
        while k < shape[axis]:
            earlier = _shifted(x, k, 0, axis), _shifted(t, k, 0, axis)
            x_new, t_new = combine(*earlier, x, t)
            later = ge(positions, np.asarray(k, np.int32))  # (has a pair k places earlier)
            x, t = select_n(later, x, x_new), select_n(later, t, t_new)
            k *= 2
        return [rev(t, (axis,)) if reverse else t]

    return jvp


def _extremum_pair(bigger):
    """Combine (x1, t1) with (x2, t2) under max (``bigger=gt``) or min (``bigger=lt``): the
    tangent of the extreme one, the mean of both at a tie."""

    def combine(x1, t1, x2, t2):
        first, second = bigger(x1, x2), bigger(x2, x1)
        tie = mul(add(t1, t2), scalar_like(0.5, t1))
        extreme = maximum(x1, x2) if bigger is gt else minimum(x1, x2)
        return extreme, select_n(first, select_n(second, tie, t2), t1)

    return combine


def _logaddexp_pair(x1, t1, x2, t2):
    # l = log(e^x1 + e^x2); dl = e^(x1 - l) t1 + e^(x2 - l) t2
    m = maximum(x1, x2)
    out = add(m, log(add(exp(sub(x1, m)), exp(sub(x2, m)))))
    return out, add(mul(exp(sub(x1, out)), t1), mul(exp(sub(x2, out)), t2))


cummax_p = Primitive("cummax", impl=_impl(np.maximum.accumulate),
                     abstract_eval=_shape_rule("cummax"), jvp=_prefix_scan_jvp(_extremum_pair(gt)),
                     transpose=NOT_LINEAR, batch=_batch(lambda: cummax_p))

cummin_p = Primitive("cummin", impl=_impl(np.minimum.accumulate),
                     abstract_eval=_shape_rule("cummin"), jvp=_prefix_scan_jvp(_extremum_pair(lt)),
                     transpose=NOT_LINEAR, batch=_batch(lambda: cummin_p))

cumlogsumexp_p = Primitive("cumlogsumexp", impl=_impl(np.logaddexp.accumulate),
                           abstract_eval=_shape_rule("cumlogsumexp", FLOAT),
                           jvp=_prefix_scan_jvp(_logaddexp_pair), transpose=NOT_LINEAR,
                           batch=_batch(lambda: cumlogsumexp_p))


def cumsum(x: Any, axis: int, reverse: bool = False) -> Any:
    return cumsum_p.bind1(x, axis=int(axis), reverse=bool(reverse))


def cumprod(x: Any, axis: int, reverse: bool = False) -> Any:
    return cumprod_p.bind1(x, axis=int(axis), reverse=bool(reverse))


def cummax(x: Any, axis: int, reverse: bool = False) -> Any:
    return cummax_p.bind1(x, axis=int(axis), reverse=bool(reverse))


def cummin(x: Any, axis: int, reverse: bool = False) -> Any:
    return cummin_p.bind1(x, axis=int(axis), reverse=bool(reverse))


def cumlogsumexp(x: Any, axis: int, reverse: bool = False) -> Any:
    return cumlogsumexp_p.bind1(x, axis=int(axis), reverse=bool(reverse))
