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

_F32 = np.float32
_BLOCK = 1 << 15  # elements per block: the float64 scratch stays in cache

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
# Cephes' logf on m - 1, m in [sqrt(1/2), sqrt(2)): log = e ln2 + m - m^2/2 + m^3 R(m)
_LOG_R = (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
          1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
          3.3333331174e-1)
_LN2_HI, _LN2_LO = _F32(0.693359375), _F32(-2.12194440e-4)


def _fma(a: Any, b: Any, c: Any) -> np.ndarray:
    """float32 ``a * b + c`` with one rounding, as a fused multiply-add gives it: the
    product is exact in float64, the sum is rounded there and cast once to float32."""
    product = np.multiply(a, b, dtype=np.float64)
    out = np.empty(product.shape, _F32)
    np.add(product, np.asarray(c, np.float64) if np.ndim(c) else np.float64(c), out=out,
           casting="unsafe")
    return out


def _horner_fma(x: np.ndarray, coefficients: tuple) -> np.ndarray:
    """The polynomial at ``x`` (float32), each Horner step one fused multiply-add."""
    p = np.full(x.shape, _F32(coefficients[0]))
    x64 = x.astype(np.float64)
    buf = np.empty(x.shape, np.float64)
    for c in coefficients[1:]:
        np.multiply(p, x64, out=buf)
        np.add(buf, np.float64(_F32(c)), out=p, casting="unsafe")
    return p


def xla_log_f32(x: np.ndarray) -> np.ndarray:
    """XLA CPU's float32 log, for positive normal ``x`` (Cephes' logf with fused steps)."""
    m, e = np.frexp(x)
    m, e = m.astype(_F32), e.astype(_F32)
    low = m < _F32(0.707106781186547524)  # m in [sqrt(1/2), sqrt(2)) after doubling
    m = m - _F32(1) + np.where(low, m, _F32(0))
    e -= low
    m2 = m * m
    m3 = m2 * m
    r = [_F32(c) for c in _LOG_R]
    y = _fma(_fma(r[0], m, r[1]), m, r[2])
    y1 = _fma(_fma(r[3], m, r[4]), m, r[5])
    y2 = _fma(_fma(r[6], m, r[7]), m, r[8])
    y = _fma(_fma(y, m3, y1), m3, y2)
    y = _fma(y, m3, e * _LN2_LO)
    return _fma(e, _LN2_HI, (m - m2 * _F32(0.5)) + y)


def xla_log1p_f32(t: np.ndarray) -> np.ndarray:
    """XLA CPU's float32 log1p, for ``t`` in (-1, 0] (the only arguments erf_inv makes)."""
    out = np.empty_like(t)
    small = np.abs(t) < _F32(0.41421356237309504880)
    ts = t[small]
    ratio = _horner_fma(ts, _LOG1P_P) / _horner_fma(ts, _LOG1P_Q)
    t2 = ts * ts
    out[small] = ts + (_F32(-0.5) * t2 + (ts * t2) * ratio)
    large = ~small
    out[large] = xla_log_f32(t[large] + _F32(1))
    return out


def _erf_inv_f32_block(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        inner = np.abs(x) < _F32(1)
        xs = x[inner]
        w = -xla_log1p_f32(-xs * xs)
        below = w < _F32(5)
        p = np.empty_like(w)
        p[below] = _horner_fma(w[below] - _F32(2.5), _W_BELOW_5)
        above = ~below
        p[above] = _horner_fma(np.sqrt(w[above]) - _F32(3), _W_ABOVE_5)
        out = x * _F32(np.inf)  # +-inf at +-1, nan beyond
        out[inner] = p * xs
    return out


def _erf_inv_f32(x: np.ndarray) -> np.ndarray:
    flat = np.ascontiguousarray(x, _F32).reshape(-1)
    out = np.empty_like(flat)
    for start in range(0, flat.size, _BLOCK):
        s = slice(start, start + _BLOCK)
        out[s] = _erf_inv_f32_block(flat[s])
    return out.reshape(np.shape(x))


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
    wide = np.float64 if dtype.itemsize <= 4 else _WIDE  # exact products, one rounding
    return [(np.multiply(x, y, dtype=wide) + z.astype(wide)).astype(dtype)]


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
