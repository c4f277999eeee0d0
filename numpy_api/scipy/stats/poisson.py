"""The Poisson distribution (``mu``, ``loc``), as ``jax.scipy.stats.poisson``."""

from __future__ import annotations

from typing import Any

from ... import ufuncs
from .. import special
from ._common import NEG_INF, float_args, where


def logpmf(k: Any, mu: Any, loc: Any = 0) -> Any:
    """``k log mu - lgamma(k + 1) - mu`` at integers ``k >= loc``, -inf elsewhere."""
    k, mu, loc = float_args("poisson.logpmf", k, mu, loc)
    x = k - loc
    log_probs = special.xlogy(x, mu) - special.gammaln(x + 1) - mu
    bad = ufuncs.logical_or(ufuncs.less(x, 0), ufuncs.not_equal(ufuncs.round(k), k))
    return where(bad, NEG_INF, log_probs)


def pmf(k: Any, mu: Any, loc: Any = 0) -> Any:
    """The probability mass."""
    return ufuncs.exp(logpmf(k, mu, loc))


def cdf(k: Any, mu: Any, loc: Any = 0) -> Any:
    """``gammaincc(floor(k - loc) + 1, mu)``, 0 below ``loc``."""
    k, mu, loc = float_args("poisson.cdf", k, mu, loc)
    x = k - loc
    return where(ufuncs.less(x, 0), 0.0, special.gammaincc(ufuncs.floor(1 + x), mu))
