"""The uniform distribution on ``[loc, loc + scale]``, as ``jax.scipy.stats.uniform``."""

from __future__ import annotations

from typing import Any

from ... import ufuncs
from ._common import NAN, NEG_INF, float_args, outside, where


def logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``-log(scale)`` inside, -inf outside."""
    x, loc, scale = float_args("uniform.logpdf", x, loc, scale)
    return where(outside(x, loc, loc + scale), NEG_INF, -ufuncs.log(scale))


def pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """The density."""
    return ufuncs.exp(logpdf(x, loc, scale))


def cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``(x - loc) / scale`` clipped to [0, 1] (nan where x is)."""
    x, loc, scale = float_args("uniform.cdf", x, loc, scale)
    inside = (x - loc) / scale
    return where(ufuncs.less(x, loc), 0.0, where(ufuncs.greater(x, loc + scale), 1.0, inside))


def ppf(q: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``loc + scale q``; nan outside [0, 1]."""
    q, loc, scale = float_args("uniform.ppf", q, loc, scale)
    bad = ufuncs.logical_or(ufuncs.isnan(q), outside(q, 0, 1))
    return where(bad, NAN, loc + scale * q)
