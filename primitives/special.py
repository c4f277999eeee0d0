"""XLA's arithmetic where NumPy's differs: erf_inv, and fma (a fused multiply-add),
computed as XLA's CPU backend computes them, so that the samplers built on them
(``random.uniform`` with bounds, ``random.normal``) give JAX's bits.

``erf_inv(x)`` solves ``erf(y) = x`` on (-1, 1), with ``erf_inv(+-1) = +-inf``.
XLA evaluates it with Giles' approximations ("Approximating the erfinv function", GPU
Computing Gems Jade, 2011): ``w = -log1p(-x*x)``, then a polynomial in ``w - 2.5`` (or
``sqrt(w) - 3`` beyond ``w = 5``) times ``x``; for float64, Giles' double-precision
polynomials (breaks at ``w = 6.25`` and ``16``).

For float32 the bits depend on how XLA's CPU backend computes each step, which differs
from the C library's: its ``log1p`` is Cephes' rational approximation for ``|t| <
sqrt(2) - 1`` and ``log(1 + t)`` beyond, its ``log`` is Cephes' ``logf`` polynomial, and
LLVM fuses each Horner step ``p * w + c`` into one fused multiply-add (one rounding). Here
a fused multiply-add of float32 operands is computed exactly in float64 and rounded once
to float32 (the product of two float32 is exact in float64; the float64 sum can round a
second time only on an exact float32 tie, which a test over 10**6 inputs never met).
The float32 path runs over blocks of 2**15 elements with work arrays made once per call
(every pass stays in the core's cache), computes each of log1p's branches on its own
elements only (gathered, then scattered back), evaluates independent Horner chains side by
side (Cephes' P and Q; the three partial sums of logf) so that one NumPy call serves them
all, and reads logf's exponent and mantissa off the float's bits.

float64 follows the same steps, with each fused multiply-add computed in extended precision
(``np.longdouble``) and rounded once, and NumPy's ``log`` for ``log1p`` beyond the Cephes
range: about 0.4% of values differ from XLA's by a few ulp (XLA's float64 ``log`` is its
own, not the C library's).
float16 and bfloat16 compute in float32 and round, as XLA does.

d erf_inv(x) = sqrt(pi) / 2 * exp(erf_inv(x)**2) dx.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.primitive import NOT_LINEAR, Primitive, Zero
from ..core.trace import aval_of
from .combinators import FLOAT, nary_shape_rule, unary_shape_rule, vectorized_batch
from .elementwise import add_tangents, exp, mul, scalar_like
from .structural import broadcast_batch

_F32, _F64, _U32 = np.float32, np.float64, np.uint32
_BLOCK = 1 << 15  # elements per block: the work arrays stay in the core's cache

# Giles' single-precision polynomials, highest degree first
_W_BELOW_5 = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06,
              0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)
_W_ABOVE_5 = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844,
              0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)
# Cephes' log1p on |t| < sqrt(2) - 1: t - t^2/2 + t^3 P(t) / Q(t)
_LOG1P_P = (4.5270000862445199635215e-5, 4.9854102823193375972212e-1,
            6.5787325942061044846969e0, 2.9911919328553073277375e1,
            6.0949667980987787057556e1, 5.7112963590585538103336e1,
            2.0039553499201281259648e1)
_LOG1P_Q = (1.0, 1.5062909083469192043167e1, 8.3047565967967209469434e1,
            2.2176239823732856465394e2, 3.0909872225312059774938e2,
            2.1642788614495947685003e2, 6.0118660497603843919306e1)
_SQRT2_MINUS_1 = _F32(0.41421356237309504880)
# Cephes' logf on m - 1, m in [sqrt(1/2), sqrt(2)): log = e ln2 + m - m^2/2 + m^3 R(m)
_LOG_R = (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
          1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
          3.3333331174e-1)
_LN2_HI, _LN2_LO = _F32(0.693359375), _F32(-2.12194440e-4)
_ONE_BITS, _SQRT_HALF_BITS = _U32(0x3F800000), _U32(0x3F3504F3)  # 1.0, float32(sqrt(1/2))


def _steps(*chains: tuple) -> list[np.ndarray]:
    """Coefficients of Horner chains evaluated side by side (one row each), step by step:
    a column of float32 values, held as float64, per step."""
    return [np.array([[_F64(_F32(c))] for c in step]) for step in zip(*chains, strict=True)]


_PQ_STEPS = _steps(_LOG1P_P, _LOG1P_Q)
_R_STEPS = _steps(_LOG_R[0:3], _LOG_R[3:6], _LOG_R[6:9])
_BELOW_5_STEPS, _ABOVE_5_STEPS = _steps(_W_BELOW_5), _steps(_W_ABOVE_5)


class _Work:
    """Work arrays for blocks of up to ``n`` float32 elements, made once per call and
    reused block after block (nothing is allocated per block but index arrays)."""

    def __init__(self, n: int) -> None:
        f32 = np.empty((11, n), _F32)
        self.t, self.w, self.gathered, self.result, self.e, self.m2, self.m3 = f32[:7]
        self.bits = f32[7].view(_U32)
        self.rows = f32[8:]  # up to three Horner chains side by side
        self.x64 = np.empty(n, _F64)
        self.rows64 = np.empty((3, n), _F64)  # their float64 products and sums
        self.small, self.large = np.empty((2, n), bool)


def _fma_step(p: np.ndarray, x64: np.ndarray, c: Any, buf: np.ndarray) -> None:
    """``p = p * x + c`` in place, as a fused multiply-add of float32 values: the product
    is exact in float64, the sum is rounded there and then cast to float32 (``buf``:
    float64 scratch shaped like ``p``)."""
    np.multiply(p, x64, out=buf)
    np.add(buf, c, out=p, casting="unsafe")


def _horner(p: np.ndarray, x64: np.ndarray, steps: list, buf: np.ndarray) -> np.ndarray:
    """Horner's rule in fused multiply-adds for the chains of ``steps`` (from ``_steps``),
    into the rows of float32 ``p``; ``x64``: the argument, float32 values held as float64."""
    np.multiply(steps[0], x64, out=buf)  # the leading coefficients times x: exact
    np.add(buf, steps[1], out=p, casting="unsafe")
    for c in steps[2:]:
        _fma_step(p, x64, c, buf)
    return p


def _log1p_small(t: np.ndarray, out: np.ndarray, work: _Work) -> None:
    """Cephes' log1p for float32 ``t`` with ``|t| < sqrt(2) - 1``, into ``out``."""
    k = t.size
    np.copyto(work.x64[:k], t)
    pq = _horner(work.rows[:2, :k], work.x64[:k], _PQ_STEPS, work.rows64[:2, :k])
    ratio = np.divide(pq[0], pq[1], out=pq[0])
    t2 = np.multiply(t, t, out=pq[1])
    np.multiply(t, t2, out=out)
    np.multiply(out, ratio, out=out)  # t^3 P(t) / Q(t)
    np.multiply(t2, _F32(-0.5), out=t2)
    np.add(t2, out, out=out)
    np.add(t, out, out=out)


def _log_f32(v: np.ndarray, out: np.ndarray, work: _Work) -> None:
    """Cephes' logf (XLA CPU's float32 log) of positive normal float32 ``v``, into ``out``.

    ``v = 2**e (1 + m)`` with ``1 + m`` in [sqrt(1/2), sqrt(2)), found on the bits: adding
    ``1.0 - sqrt(1/2)`` carries into the exponent field exactly when the mantissa is at
    least sqrt(1/2)'s, that is when ``1 + m`` must be half the mantissa and ``e`` one more
    than the exponent (what Cephes' frexp and comparison decide)."""
    k = v.size
    bits, e, m2, m3 = work.bits[:k], work.e[:k], work.m2[:k], work.m3[:k]
    np.add(v.view(_U32), _ONE_BITS - _SQRT_HALF_BITS, out=bits)
    np.subtract(np.right_shift(bits, _U32(23), out=e.view(_U32)).view(np.int32), np.int32(127),
                out=e, casting="unsafe")
    np.bitwise_and(bits, _U32(0x7FFFFF), out=bits)
    m = np.add(bits, _SQRT_HALF_BITS, out=bits).view(_F32)  # 1 + m
    np.subtract(m, _F32(1), out=m)
    np.multiply(m, m, out=m2)
    np.multiply(m2, m, out=m3)
    m64 = work.x64[:k]
    np.copyto(m64, m)
    y = _horner(work.rows[:3, :k], m64, _R_STEPS, work.rows64[:3, :k])
    np.copyto(m64, m3)
    buf = work.rows64[0, :k]
    _fma_step(y[0], m64, y[1], buf)
    _fma_step(y[0], m64, y[2], buf)
    _fma_step(y[0], m64, np.multiply(e, _LN2_LO, out=y[1]), buf)
    np.multiply(m2, _F32(0.5), out=m2)
    np.subtract(m, m2, out=m)
    np.add(m, y[0], out=m)
    # e ln2_hi is exact in float32 (|e| <= 128, ln2_hi has 9 bits), so this fused
    # multiply-add is a float32 sum (rounding it first in float64 changes nothing)
    np.add(np.multiply(e, _LN2_HI, out=e), m, out=out)


def _log1p_block(t: np.ndarray, out: np.ndarray, work: _Work) -> None:
    """XLA's float32 log1p of ``t`` in (-1, 0] into ``out``: the two branches each on their
    own elements, gathered together and scattered back."""
    n = t.size
    small = np.greater(t, -_SQRT2_MINUS_1, out=work.small[:n])  # |t| < sqrt(2) - 1
    where = np.flatnonzero(small), np.flatnonzero(np.logical_not(small, out=work.large[:n]))
    k = where[0].size
    gathered, result = work.gathered[:n], work.result[:n]
    np.take(t, where[0], out=gathered[:k])
    np.take(t, where[1], out=gathered[k:])
    _log1p_small(gathered[:k], result[:k], work)
    _log_f32(np.add(gathered[k:], _F32(1), out=gathered[k:]), result[k:], work)
    out[where[0]] = result[:k]
    out[where[1]] = result[k:]


def _erf_inv_block(x: np.ndarray, out: np.ndarray, work: _Work) -> None:
    n = x.size
    t = np.negative(x, out=work.t[:n])
    np.multiply(t, x, out=t)  # -x*x
    outside = None
    if not t.min() > _F32(-1):  # |x| >= 1 or NaN: computed from t = 0, replaced below
        outside = ~(t > _F32(-1))
        t[outside] = 0
    w = work.w[:n]
    _log1p_block(t, w, work)
    np.negative(w, out=w)
    np.subtract(w, _F32(2.5), out=work.x64[:n])  # a float32 difference, held as float64
    p = _horner(work.rows[:1, :n], work.x64[:n], _BELOW_5_STEPS, work.rows64[:1, :n])[0]
    beyond = np.flatnonzero(w >= _F32(5))  # |x| > 0.9966: a few in a thousand
    if beyond.size:
        a = np.sqrt(w[beyond]) - _F32(3)
        p[beyond] = _horner(np.empty((1, a.size), _F32), a.astype(_F64), _ABOVE_5_STEPS,
                            np.empty((1, a.size), _F64))[0]
    np.multiply(p, x, out=out)
    if outside is not None:
        out[outside] = x[outside] * _F32(np.inf)  # +-inf at +-1, inf beyond, nan at nan


def _by_blocks(block_fn, x: np.ndarray) -> np.ndarray:
    """``block_fn(x_block, out_block, work)`` over cache-sized blocks of float32 ``x``."""
    flat = np.ascontiguousarray(x, _F32).reshape(-1)
    out = np.empty_like(flat)
    work = _Work(min(flat.size, _BLOCK))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for start in range(0, flat.size, _BLOCK):
            block_fn(flat[start:start + _BLOCK], out[start:start + _BLOCK], work)
    return out.reshape(np.shape(x))


def xla_log_f32(x: np.ndarray) -> np.ndarray:
    """XLA CPU's float32 log, for positive normal ``x`` (Cephes' logf with fused steps)."""
    return _by_blocks(_log_f32, x)


def xla_log1p_f32(t: np.ndarray) -> np.ndarray:
    """XLA CPU's float32 log1p, for ``t`` in (-1, 0] (the only arguments erf_inv makes)."""
    return _by_blocks(_log1p_block, t)


def _erf_inv_f32(x: np.ndarray) -> np.ndarray:
    return _by_blocks(_erf_inv_block, x)


# Giles' double-precision polynomials, highest degree first
_W_BELOW_6_25 = (
    -3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18,
    1.115787767802518096e-17, -1.333171662854620906e-16, 2.0972767875968561637e-17,
    6.6376381343583238325e-15, -4.0545662729752068639e-14, -8.1519341976054721522e-14,
    2.6335093153082322977e-12, -1.2975133253453532498e-11, -5.4154120542946279317e-11,
    1.051212273321532285e-09, -4.1126339803469836976e-09, -2.9070369957882005086e-08,
    4.2347877827932403518e-07, -1.3654692000834678645e-06, -1.3882523362786468719e-05,
    0.0001867342080340571352, -0.00074070253416626697512, -0.0060336708714301490533,
    0.24015818242558961693, 1.6536545626831027356)
_W_BELOW_16 = (
    2.2137376921775787049e-09, 9.0756561938885390979e-08, -2.7517406297064545428e-07,
    1.8239629214389227755e-08, 1.5027403968909827627e-06, -4.013867526981545969e-06,
    2.9234449089955446044e-06, 1.2475304481671778723e-05, -4.7318229009055733981e-05,
    6.8284851459573175448e-05, 2.4031110387097893999e-05, -0.0003550375203628474796,
    0.00095328937973738049703, -0.0016882755560235047313, 0.0024914420961078508066,
    -0.0037512085075692412107, 0.005370914553590063617, 1.0052589676941592334,
    3.0838856104922207635)
_W_ABOVE_16 = (
    -2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-09,
    -3.7894654401267369937e-09, 7.6157012080783393804e-09, -1.4960026627149240478e-08,
    2.9147953450901080826e-08, -6.7711997758452339498e-08, 2.2900482228026654717e-07,
    -9.9298272942317002539e-07, 4.5260625972231537039e-06, -1.9681778105531670567e-05,
    7.5995277030017761139e-05, -0.00021503011930044477347, -0.00013871931833623122026,
    1.0103004648645343977, 4.8499064014085844221)


_WIDE = np.longdouble  # x87 extended precision where the platform has it


def _horner_wide(x: np.ndarray, coefficients: tuple) -> np.ndarray:
    """float64 Horner steps, each ``p * x + c`` rounded once from extended precision:
    close to XLA's fused multiply-adds (exact where ``np.longdouble`` has 64 bits of
    mantissa and the product needs no more)."""
    p = np.full(x.shape, coefficients[0])
    wide = x.astype(_WIDE)
    for c in coefficients[1:]:
        p = (p.astype(_WIDE) * wide + _WIDE(c)).astype(np.float64)
    return p


def _xla_log1p_f64(t: np.ndarray) -> np.ndarray:
    """XLA's float64 log1p: Cephes' rational approximation near 0, NumPy's log1p beyond."""
    out = np.log1p(t)
    small = np.abs(t) < 0.41421356237309504880
    ts = t[small]
    ratio = _horner_wide(ts, _LOG1P_P) / _horner_wide(ts, _LOG1P_Q)
    t2 = ts * ts
    out[small] = ts + (-0.5 * t2 + (ts * t2) * ratio)
    return out


def _erf_inv_f64(x: np.ndarray) -> np.ndarray:
    shape = np.shape(x)
    x = np.asarray(x, np.float64).reshape(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = -_xla_log1p_f64(-x * x)
        out = x * np.inf
        for where, arg, coefficients in [
            (w < 6.25, lambda w: w - 3.125, _W_BELOW_6_25),
            ((w >= 6.25) & (w < 16), lambda w: np.sqrt(w) - 3.25, _W_BELOW_16),
            ((w >= 16) & np.isfinite(w), lambda w: np.sqrt(w) - 5.0, _W_ABOVE_16),
        ]:
            out[where] = _horner_wide(arg(w[where]), coefficients) * x[where]
    return out.reshape(shape)


def _erf_inv_impl(x) -> list:
    x = np.asarray(x)
    if x.dtype == np.float64:
        return [_erf_inv_f64(x)]
    return [_erf_inv_f32(x).astype(x.dtype)]


def _erf_inv_jvp(primals, tangents, outs):
    # d erf_inv(x) = sqrt(pi) / 2 * exp(erf_inv(x)^2) dx
    (t,), (y,) = tangents, outs
    if type(t) is Zero:
        return [Zero(aval_of(y))]
    return [mul(t, mul(scalar_like(np.sqrt(np.pi) / 2, y), exp(mul(y, y))))]


erf_inv_p = Primitive(
    "erf_inv",
    impl=_erf_inv_impl,
    abstract_eval=unary_shape_rule("erf_inv", FLOAT),
    jvp=_erf_inv_jvp,
    transpose=NOT_LINEAR,
    batch=vectorized_batch(lambda: erf_inv_p),
)


def erf_inv(x: Any) -> Any:
    return erf_inv_p.bind1(x)


# ---------------------------------------------------------------- fma
# fma(x, y, z) = x * y + z rounded once, as XLA's CPU backend fuses a multiply and an add;
# d fma = dx y + x dy + dz


def _fma_impl(x, y, z):
    x, y, z = np.asarray(x), np.asarray(y), np.asarray(z)
    dtype = np.result_type(x, y, z)
    if dtype.itemsize > 4:  # float64: extended precision (exact products where it has 64 bits)
        return [(np.multiply(x, y, dtype=_WIDE) + z.astype(_WIDE)).astype(dtype)]
    return [_fma_by_blocks(x, y, z, dtype)]


def _fma_by_blocks(x: np.ndarray, y: np.ndarray, z: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """fma of float32 (or narrower) operands: exact float64 products, float64 sums cast once
    to ``dtype``, block by block so that the float64 scratch stays in cache."""
    out = np.empty(np.broadcast_shapes(x.shape, y.shape, z.shape), dtype)
    flat = out.reshape(-1)
    operands = [a if a.ndim == 0 else np.broadcast_to(a, out.shape).reshape(-1) for a in (x, y, z)]
    buf = np.empty(min(flat.size, _BLOCK), _F64)
    for start in range(0, flat.size, _BLOCK):
        block = slice(start, start + _BLOCK)
        xs, ys, zs = (a if a.ndim == 0 else a[block] for a in operands)
        product = np.multiply(xs, ys, out=buf[:flat[block].size], dtype=_F64)
        np.add(product, zs, out=flat[block], casting="unsafe")
    return out


def _fma_jvp(primals, tangents, outs):
    (x, y, _), (tx, ty, tz), (out,) = primals, tangents, outs
    terms = [mul(tx, y) if type(tx) is not Zero else None,
             mul(x, ty) if type(ty) is not Zero else None,
             tz if type(tz) is not Zero else None]
    return [add_tangents(terms, out)]


fma_p = Primitive(
    "fma",
    impl=_fma_impl,
    abstract_eval=nary_shape_rule("fma", FLOAT),
    jvp=_fma_jvp,
    transpose=NOT_LINEAR,
    batch=broadcast_batch(lambda: fma_p),
)


def fma(x: Any, y: Any, z: Any) -> Any:
    """``x * y + z`` with one rounding (what XLA computes for that expression on CPU)."""
    return fma_p.bind1(x, y, z)
