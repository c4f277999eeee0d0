"""The gamma distribution (shape ``a``, ``loc``, ``scale``), as ``jax.scipy.stats.gamma``.
Differentiable in every parameter: the cdf's derivative in ``a`` is ``igamma_grad_a``."""

from __future__ import annotations

import math
from typing import Any

from ... import ufuncs
from .. import special
from ._common import NEG_INF, float_args, where


def logpdf(x: Any, a: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``(a - 1) log y - y - lgamma(a) - log(scale)`` for ``y = (x - loc) / scale >= 0``."""
    x, a, loc, scale = float_args("gamma.logpdf", x, a, loc, scale)
    ok = ufuncs.greater_equal(x, loc)
    y = where(ok, (x - loc) / scale, 1.0)
    log_probs = special.xlogy(a - 1, y) - y - (special.gammaln(a) + ufuncs.log(scale))
    return where(ok, log_probs, NEG_INF)


def pdf(x: Any, a: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """The density."""
    return ufuncs.exp(logpdf(x, a, loc, scale))


def cdf(x: Any, a: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``gammainc(a, max((x - loc) / scale, 0))``."""
    x, a, loc, scale = float_args("gamma.cdf", x, a, loc, scale)
    return special.gammainc(a, ufuncs.clip((x - loc) / scale, 0, math.inf))


def logcdf(x: Any, a: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``log(cdf)``."""
    return ufuncs.log(cdf(x, a, loc, scale))


def sf(x: Any, a: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``gammaincc(a, (x - loc) / scale)``, 1 below ``loc``."""
    x, a, loc, scale = float_args("gamma.sf", x, a, loc, scale)
    y = (x - loc) / scale
    return where(ufuncs.less(y, 0), 1.0, special.gammaincc(a, y))


def logsf(x: Any, a: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``log(sf)``."""
    return ufuncs.log(sf(x, a, loc, scale))
