"""The Pareto distribution (``b``, ``loc``, ``scale``), as ``jax.scipy.stats.pareto``."""

from __future__ import annotations

from typing import Any

from ... import ufuncs
from ._common import NAN, NEG_INF, float_args, outside, where


def logpdf(x: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``log(b / scale) - (b + 1) log((x - loc) / scale)`` from ``loc + scale`` on."""
    x, b, loc, scale = float_args("pareto.logpdf", x, b, loc, scale)
    z = (x - loc) / scale
    log_probs = -(ufuncs.log(scale / b) + (b + 1) * ufuncs.log(z))
    return where(ufuncs.less(x, loc + scale), NEG_INF, log_probs)


def pdf(x: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """The density."""
    return ufuncs.exp(logpdf(x, b, loc, scale))


def cdf(x: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``1 - z^-b``."""
    x, b, loc, scale = float_args("pareto.cdf", x, b, loc, scale)
    z = (x - loc) / scale
    return where(ufuncs.less(x, loc + scale), 0.0, 1 - ufuncs.power(z, -b))


def logcdf(x: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``log1p(-z^-b)``."""
    x, b, loc, scale = float_args("pareto.logcdf", x, b, loc, scale)
    z = (x - loc) / scale
    return where(ufuncs.less(x, loc + scale), NEG_INF, ufuncs.log1p(-ufuncs.power(z, -b)))


def logsf(x: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``-b log z``."""
    x, b, loc, scale = float_args("pareto.logsf", x, b, loc, scale)
    z = (x - loc) / scale
    return where(ufuncs.less(x, loc + scale), 0.0, -(b * ufuncs.log(z)))


def sf(x: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``z^-b``."""
    return ufuncs.exp(logsf(x, b, loc, scale))


def ppf(q: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``loc + scale (1 - q)^(-1/b)``; nan outside [0, 1]."""
    q, b, loc, scale = float_args("pareto.ppf", q, b, loc, scale)
    bad = ufuncs.logical_or(ufuncs.isnan(q), outside(q, 0, 1))
    return where(bad, NAN, loc + scale * ufuncs.power(1 - q, -(1 / b)))
