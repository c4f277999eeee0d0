"""The Cauchy distribution (``loc``, ``scale``), as ``jax.scipy.stats.cauchy``."""

from __future__ import annotations

import math
from typing import Any

from ... import ufuncs
from ._common import float_args


def logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``-log(pi scale) - log1p(((x - loc) / scale)^2)``."""
    x, loc, scale = float_args("cauchy.logpdf", x, loc, scale)
    z = (x - loc) / scale
    return -(ufuncs.log(math.pi * scale) + ufuncs.log1p(z * z))


def pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """The density."""
    return ufuncs.exp(logpdf(x, loc, scale))


def cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``1/2 + arctan((x - loc) / scale) / pi``."""
    x, loc, scale = float_args("cauchy.cdf", x, loc, scale)
    return 0.5 + ufuncs.arctan((x - loc) / scale) / math.pi


def logcdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``log(cdf)``."""
    return ufuncs.log(cdf(x, loc, scale))


def sf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``1 - cdf``, as the cdf of the reflection."""
    x, loc, scale = float_args("cauchy.sf", x, loc, scale)
    return cdf(-x, -loc, scale)


def logsf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``log(1 - cdf)``."""
    x, loc, scale = float_args("cauchy.logsf", x, loc, scale)
    return logcdf(-x, -loc, scale)


def ppf(q: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``loc + scale tan(pi (q - 1/2))``."""
    q, loc, scale = float_args("cauchy.ppf", q, loc, scale)
    return ufuncs.tan(math.pi * q - math.pi / 2) * scale + loc


def isf(q: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``loc + scale tan(pi (1/2 - q))``."""
    q, loc, scale = float_args("cauchy.isf", q, loc, scale)
    return ufuncs.tan(math.pi / 2 - math.pi * q) * scale + loc
