"""``i0``, the modified Bessel function of the first kind of order zero, as JAX computes it:
``exp(|x|) * bessel_i0e(|x|)`` (its derivative at 0 is 0)."""

from __future__ import annotations

from typing import Any

from ..primitives import elementwise as ew
from ..primitives.special_functions import bessel_i0e
from ._util import array_operand, promote_inexact


def i0(x: Any) -> Any:
    """``I0(x)``, elementwise (integers as floats)."""
    (x,) = promote_inexact(array_operand(x, "i0"))
    # |x| as x sign(x): its derivative sign(x) is 0 at 0, where I0'(0) = I1(0) = 0
    magnitude = ew.mul(x, ew.sign_p.bind1(x))
    return ew.mul(ew.exp(magnitude), bessel_i0e(magnitude))
