"""The exponential distribution (``loc``, ``scale``), as ``jax.scipy.stats.expon``."""

from __future__ import annotations

from typing import Any

from ... import creation, ufuncs
from ._common import NAN, NEG_INF, float_args, outside, where


def logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``-(x - loc) / scale - log(scale)`` above ``loc``, -inf below."""
    x, loc, scale = float_args("expon.logpdf", x, loc, scale)
    return where(ufuncs.less(x, loc), NEG_INF, -((x - loc) / scale + ufuncs.log(scale)))


def pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """The density."""
    return ufuncs.exp(logpdf(x, loc, scale))


def cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``-expm1(-(x - loc) / scale)`` above ``loc``, 0 below."""
    x, loc, scale = float_args("expon.cdf", x, loc, scale)
    z = (loc - x) / scale
    return where(ufuncs.less(x, loc), creation.zeros_like(z), -ufuncs.expm1(z))


def logsf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``-(x - loc) / scale`` above ``loc``, 0 below."""
    x, loc, scale = float_args("expon.logsf", x, loc, scale)
    z = (loc - x) / scale
    return where(ufuncs.less(x, loc), creation.zeros_like(z), z)


def sf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``exp(logsf)``."""
    return ufuncs.exp(logsf(x, loc, scale))


def logcdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``log1p(-sf)``."""
    return ufuncs.log1p(-sf(x, loc, scale))


def ppf(q: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``loc - scale log1p(-q)``; nan outside [0, 1]."""
    q, loc, scale = float_args("expon.ppf", q, loc, scale)
    bad = ufuncs.logical_or(ufuncs.isnan(q), outside(q, 0, 1))
    return where(bad, NAN, loc - scale * ufuncs.log1p(-q))
