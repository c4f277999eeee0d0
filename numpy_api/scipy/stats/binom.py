"""The binomial distribution (``n``, ``p``, ``loc``), as ``jax.scipy.stats.binom``."""

from __future__ import annotations

from typing import Any

from ... import ufuncs
from .. import special
from ._common import NEG_INF, float_args, where


def logpmf(k: Any, n: Any, p: Any, loc: Any = 0) -> Any:
    """``log C(n, y) + y log p + (n - y) log1p(-p)`` for ``y = k - loc`` in [0, n]."""
    k, n, p, loc = float_args("binom.logpmf", k, n, p, loc)
    y = k - loc
    comb = special.gammaln(n + 1) - (special.gammaln(y + 1) + special.gammaln(n - y + 1))
    linear = special.xlogy(y, p) + special.xlog1py(n - y, -p)
    certain = ufuncs.logical_or(ufuncs.logical_and(ufuncs.equal(y, 0), ufuncs.equal(n, 0)),
                                ufuncs.equal(linear, 0))
    log_probs = where(certain, 0.0, comb + linear)
    inside = ufuncs.logical_and(ufuncs.greater_equal(k, loc), ufuncs.less(k, loc + n + 1))
    return where(inside, log_probs, NEG_INF)


def pmf(k: Any, n: Any, p: Any, loc: Any = 0) -> Any:
    """The probability mass."""
    return ufuncs.exp(logpmf(k, n, p, loc))
