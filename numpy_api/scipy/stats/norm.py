"""The normal distribution (``loc``, ``scale``), as ``jax.scipy.stats.norm``."""

from __future__ import annotations

import math
from typing import Any

from ... import ufuncs
from .. import special
from ._common import float_args


def logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``-((x - loc) / scale)^2 / 2 - log(sqrt(2 pi) scale)``."""
    x, loc, scale = float_args("norm.logpdf", x, loc, scale)
    scale_squared = scale * scale
    return (ufuncs.log(2 * math.pi * scale_squared) + (x - loc) ** 2 / scale_squared) / -2


def pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """The density."""
    return ufuncs.exp(logpdf(x, loc, scale))


def cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``ndtr((x - loc) / scale)``."""
    x, loc, scale = float_args("norm.cdf", x, loc, scale)
    return special.ndtr((x - loc) / scale)


def logcdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``log_ndtr((x - loc) / scale)``, accurate in the far tails."""
    x, loc, scale = float_args("norm.logcdf", x, loc, scale)
    return special.log_ndtr((x - loc) / scale)


def sf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``1 - cdf``, as the cdf of the reflection."""
    x, loc, scale = float_args("norm.sf", x, loc, scale)
    return cdf(-x, -loc, scale)


def logsf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``log(1 - cdf)``."""
    x, loc, scale = float_args("norm.logsf", x, loc, scale)
    return logcdf(-x, -loc, scale)


def ppf(q: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """The quantile function ``loc + scale ndtri(q)``."""
    q, loc, scale = float_args("norm.ppf", q, loc, scale)
    return special.ndtri(q) * scale + loc


def isf(q: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """The inverse survival function, ``ppf(1 - q)``."""
    q, loc, scale = float_args("norm.isf", q, loc, scale)
    return ppf(1 - q, loc, scale)
