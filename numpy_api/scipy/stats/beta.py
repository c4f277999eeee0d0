"""The beta distribution (``a``, ``b``, ``loc``, ``scale``), as ``jax.scipy.stats.beta``.
The cdf and sf are differentiable in ``x`` only (``betainc``'s rule, as in JAX)."""

from __future__ import annotations

from typing import Any

from ... import ufuncs
from .. import special
from ._common import NAN, NEG_INF, float_args, outside, where


def logpdf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``(a-1) log y + (b-1) log1p(-y) - betaln(a, b) - log(scale)`` on [0, 1]."""
    x, a, b, loc, scale = float_args("beta.logpdf", x, a, b, loc, scale)
    y = (x - loc) / scale
    linear = special.xlogy(a - 1, y) + special.xlog1py(b - 1, -y)
    log_probs = -special.betaln(a, b) + linear - ufuncs.log(scale)
    result = where(outside(x, loc, loc + scale), NEG_INF, log_probs)
    bad = ufuncs.logical_or(ufuncs.logical_or(ufuncs.less_equal(a, 0), ufuncs.less_equal(b, 0)),
                            ufuncs.less_equal(scale, 0))
    return where(bad, NAN, result)


def pdf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """The density."""
    return ufuncs.exp(logpdf(x, a, b, loc, scale))


def cdf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``betainc(a, b, y)`` with ``y`` clipped to [0, 1]."""
    x, a, b, loc, scale = float_args("beta.cdf", x, a, b, loc, scale)
    return special.betainc(a, b, ufuncs.clip((x - loc) / scale, 0, 1))


def logcdf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``log(cdf)``."""
    return ufuncs.log(cdf(x, a, b, loc, scale))


def sf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``betainc(b, a, 1 - y)``."""
    x, a, b, loc, scale = float_args("beta.sf", x, a, b, loc, scale)
    return special.betainc(b, a, 1 - ufuncs.clip((x - loc) / scale, 0, 1))


def logsf(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``log(sf)``."""
    return ufuncs.log(sf(x, a, b, loc, scale))
