"""The logistic distribution (``loc``, ``scale``), as ``jax.scipy.stats.logistic``."""

from __future__ import annotations

from typing import Any

from ... import ufuncs
from .. import special
from ._common import float_args


def logpdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``-2 logaddexp(z/2, -z/2) - log(scale)``, ``z = (x - loc) / scale``."""
    x, loc, scale = float_args("logistic.logpdf", x, loc, scale)
    half_z = (x - loc) / scale / 2
    return -2 * ufuncs.logaddexp(half_z, -half_z) - ufuncs.log(scale)


def pdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """The density."""
    return ufuncs.exp(logpdf(x, loc, scale))


def cdf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``expit((x - loc) / scale)``."""
    x, loc, scale = float_args("logistic.cdf", x, loc, scale)
    return special.expit((x - loc) / scale)


def sf(x: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``expit(-(x - loc) / scale)``."""
    x, loc, scale = float_args("logistic.sf", x, loc, scale)
    return special.expit(-((x - loc) / scale))


def ppf(q: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``loc + scale logit(q)``."""
    q, loc, scale = float_args("logistic.ppf", q, loc, scale)
    return special.logit(q) * scale + loc


def isf(q: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``loc - scale logit(q)``."""
    q, loc, scale = float_args("logistic.isf", q, loc, scale)
    return -special.logit(q) * scale + loc
