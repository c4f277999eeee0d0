"""The Laplace distribution (``loc``, ``scale``), as ``jax.scipy.stats.laplace``."""

from __future__ import annotations

from typing import Any

from ... import ufuncs
from ._common import float_args, where


def logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``-|x - loc| / scale - log(2 scale)``."""
    x, loc, scale = float_args("laplace.logpdf", x, loc, scale)
    return -(ufuncs.abs(x - loc) / scale + ufuncs.log(2 * scale))


def pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """The density."""
    return ufuncs.exp(logpdf(x, loc, scale))


def cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``exp(z)/2`` below ``loc``, ``1 - exp(-z)/2`` above, ``z = (x - loc) / scale``."""
    x, loc, scale = float_args("laplace.cdf", x, loc, scale)
    z = (x - loc) / scale
    return where(ufuncs.less_equal(z, 0), 0.5 * ufuncs.exp(z), 1 - 0.5 * ufuncs.exp(-z))
