"""The chi-squared distribution (``df``, ``loc``, ``scale``), as ``jax.scipy.stats.chi2``."""

from __future__ import annotations

import math
from typing import Any

from ... import ufuncs
from .. import special
from ._common import NEG_INF, float_args, where


def logpdf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``(df/2 - 1) log y - y/2 - lgamma(df/2) - df log(2)/2 - log(scale)``."""
    x, df, loc, scale = float_args("chi2.logpdf", x, df, loc, scale)
    y = (x - loc) / scale
    half_df = df / 2
    kernel = (half_df - 1) * ufuncs.log(y) - y / 2
    normalizer = -(special.gammaln(half_df) + math.log(2) * df / 2)
    return where(ufuncs.less(x, loc), NEG_INF, normalizer - ufuncs.log(scale) + kernel)


def pdf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """The density."""
    return ufuncs.exp(logpdf(x, df, loc, scale))


def _half_y(x: Any, loc: Any, scale: Any) -> Any:
    return ufuncs.clip((x - loc) / (scale * 2), 0, math.inf)


def cdf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``gammainc(df/2, y/2)``."""
    x, df, loc, scale = float_args("chi2.cdf", x, df, loc, scale)
    return special.gammainc(df / 2, _half_y(x, loc, scale))


def logcdf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``log(cdf)``."""
    return ufuncs.log(cdf(x, df, loc, scale))


def sf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``gammaincc(df/2, y/2)``."""
    x, df, loc, scale = float_args("chi2.sf", x, df, loc, scale)
    return special.gammaincc(df / 2, _half_y(x, loc, scale))


def logsf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``log(sf)``."""
    return ufuncs.log(sf(x, df, loc, scale))
