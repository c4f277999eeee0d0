"""Exponentially scaled modified Bessel functions of the first kind: ``bessel_i0e(x) =
exp(-|x|) I0(x)`` (even) and ``bessel_i1e(x) = exp(-|x|) I1(x)`` (odd), as ``lax`` has them.

Each is a Chebyshev series (evaluated by Clenshaw's recurrence, in float64): in
``t = x / 4 - 1`` for ``|x| <= 8`` (of ``i1e(x) / x`` for the odd one), and in
``t = 16 / x - 1`` beyond (of ``sqrt(x) i0e(x)``, ``sqrt(x) i1e(x)``). The coefficients are
our own interpolation of the functions at the Chebyshev points (relative error about 2e-14);
float32 results are the float64 values rounded, within an ulp or two of XLA's.

d i0e(x) = (i1e(x) - sign(x) i0e(x)) dx
d i1e(x) = (i0e(x) - i1e(x) (sign(x) + 1 / x)) dx, which is dx / 2 at x = 0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.primitive import NOT_LINEAR, Primitive, Zero
from ..core.trace import aval_of
from .combinators import FLOAT, unary_shape_rule, vectorized_batch
from .comparison import eq, select_n
from .elementwise import div, full_like, mul, sign_p, sub


I0E_SMALL = np.array([
    0.33839763720473803, -0.30468267234319846, 0.17162090152220877,
    -0.094901097048047639, 0.049305284239670642, -0.023737414805899408,
    0.010546460394594876, -0.0043243099950504684, 0.0016394756169411967,
    -0.00057637557453843425, 0.0001885028850955909, -5.7541950100534641e-05,
    1.6448448070238291e-05, -4.4167383580493558e-06, 1.1173875384421088e-06,
    -2.6707938485342971e-07, 6.0469949439950632e-08, -1.3000249368593088e-08,
    2.6598225798894472e-09, -5.1897859500047785e-10, 9.675666802879311e-11,
    -1.7267227067897112e-11, 2.9536924432311931e-12, -4.8464204249516268e-13,
    7.5419991446650562e-14, -1.0667673214347109e-14, 3.3894834834151758e-16,
    7.1888818833316428e-16, -1.1895076808183577e-15])

I0E_LARGE = np.array([
    0.40224520550705439, 0.0033691164782556821, 6.8897583469101662e-05,
    2.8913705208338563e-06, 2.0489185877405602e-07, 2.2666689916321828e-08,
    3.396231725801304e-09, 4.9406022389173268e-10, 1.1888673620442996e-11,
    -3.1499180075872139e-11, -1.3216423124988623e-11, -1.7941783324737986e-12,
    7.174599079091778e-13, 3.8526669777144456e-13, 1.496387554929559e-14,
    -4.150001598407263e-14, -1.0083117915495104e-14, 3.80130709518396e-15,
    1.0764336282235213e-15, -3.5720219053157211e-16, -1.1560800625988043e-15,
    1.9308226515220113e-17, -9.5696397666059692e-16])

I1E_SMALL = np.array([
    0.12629359322181682, -0.17641651835783406, 0.10264365868984711,
    -0.052945981208094989, 0.024726449030626485, -0.010564084894626164,
    0.0041564229443128431, -0.0015135724506312052, 0.00051228595616852209,
    -0.00016176081582581819, 4.7815651075393552e-05, -1.3273163655902613e-05,
    3.4702513079423848e-06, -8.5687202624828321e-07, 2.0032947507925679e-07,
    -4.4450590983417905e-08, 9.3815370139842829e-09, -1.88724931677749e-09,
    3.6255850343116387e-10, -6.6634351334362861e-11, 1.1735554311354429e-11,
    -1.983389073745812e-12, 3.2177150920602636e-13, -4.986383926408353e-14,
    7.0173004652079049e-15, -5.5863465091283318e-16, -4.4674841675159967e-16,
    5.073659896712531e-16, -5.5808985605702006e-16])

I1E_LARGE = np.array([
    0.38928811750914, -0.0097610974913614722, -0.0001105889387626723,
    -3.8825648088624618e-06, -2.512236239714189e-07, -2.6314688447594329e-08,
    -3.8353806748905031e-09, -5.5897432334979817e-10, -1.8975426302711309e-11,
    3.2526066381329293e-11, 1.4125217903550373e-11, 2.0356518403297703e-12,
    -7.2037545011297599e-13, -4.0833278787218935e-13, -2.1427304375265521e-14,
    4.2732122188575118e-14, 9.8761578625350885e-15, -3.8037206234983623e-15,
    -2.5583400132666652e-15, 3.4754807727396206e-16, -5.3821681411176064e-16,
    -4.585703797364777e-17, -1.0571254017083013e-15])


def _chebyshev(t: np.ndarray, coefficients: np.ndarray) -> np.ndarray:
    """``sum_k c_k T_k(t)`` by Clenshaw's recurrence."""
    b1 = b2 = np.zeros_like(t)
    for c in coefficients[:0:-1]:
        b1, b2 = 2 * t * b1 - b2 + c, b1
    return t * b1 - b2 + coefficients[0]


def _scaled_bessel(x: np.ndarray, small: np.ndarray, large: np.ndarray, odd: bool) -> np.ndarray:
    a = np.abs(x.astype(np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):
        near = _chebyshev(np.minimum(a, 8.0) / 4 - 1, small)
        far = _chebyshev(16 / np.maximum(a, 8.0) - 1, large) / np.sqrt(np.maximum(a, 8.0))
    out = np.where(a <= 8.0, near * (x if odd else 1.0), far * (np.sign(x) if odd else 1.0))
    return np.where(np.isnan(x), x, out).astype(x.dtype)


def _i0e_jvp(primals, tangents, outs):
    (x,), (t,), (y,) = primals, tangents, outs
    if type(t) is Zero:
        return [Zero(aval_of(y))]
    return [mul(t, sub(bessel_i1e_p.bind1(x), mul(sign_p.bind1(x), y)))]


def _i1e_jvp(primals, tangents, outs):
    (x,), (t,), (y,) = primals, tangents, outs
    if type(t) is Zero:
        return [Zero(aval_of(y))]
    at_zero = eq(x, full_like(0, x))
    over_x = select_n(at_zero, div(y, select_n(at_zero, x, full_like(1, x))), full_like(0.5, x))
    return [mul(t, sub(sub(bessel_i0e_p.bind1(x), mul(sign_p.bind1(x), y)), over_x))]


bessel_i0e_p = Primitive(
    "bessel_i0e",
    impl=lambda x: [_scaled_bessel(np.asarray(x), I0E_SMALL, I0E_LARGE, odd=False)],
    abstract_eval=unary_shape_rule("bessel_i0e", FLOAT),
    jvp=_i0e_jvp,
    transpose=NOT_LINEAR,
    batch=vectorized_batch(lambda: bessel_i0e_p),
)

bessel_i1e_p = Primitive(
    "bessel_i1e",
    impl=lambda x: [_scaled_bessel(np.asarray(x), I1E_SMALL, I1E_LARGE, odd=True)],
    abstract_eval=unary_shape_rule("bessel_i1e", FLOAT),
    jvp=_i1e_jvp,
    transpose=NOT_LINEAR,
    batch=vectorized_batch(lambda: bessel_i1e_p),
)


def bessel_i0e(x: Any) -> Any:
    """``exp(-|x|) I0(x)``."""
    return bessel_i0e_p.bind1(x)


def bessel_i1e(x: Any) -> Any:
    """``exp(-|x|) I1(x)``."""
    return bessel_i1e_p.bind1(x)
