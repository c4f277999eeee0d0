"""The beta-binomial distribution (``n``, ``a``, ``b``, ``loc``), as
``jax.scipy.stats.betabinom``."""

from __future__ import annotations

from typing import Any

from ... import ufuncs
from .. import special
from ._common import NAN, NEG_INF, float_args, where


def logpmf(k: Any, n: Any, a: Any, b: Any, loc: Any = 0) -> Any:
    """``-log1p(n) - betaln(n - y + 1, y + 1) + betaln(y + a, n - y + b) - betaln(a, b)``."""
    k, n, a, b, loc = float_args("betabinom.logpmf", k, n, a, b, loc)
    y = ufuncs.floor(k) - loc
    comb = -(ufuncs.log1p(n) + special.betaln(n - y + 1, y + 1))
    log_probs = comb + special.betaln(y + a, n - y + b) - special.betaln(a, b)
    log_probs = where(ufuncs.logical_and(ufuncs.equal(y, 0), ufuncs.equal(n, 0)), 0.0,
                      log_probs)
    off = ufuncs.logical_or(ufuncs.logical_or(ufuncs.less(y, -loc), ufuncs.greater(y, n)),
                            ufuncs.less_equal(y + a, 0))
    log_probs = where(off, NEG_INF, log_probs)
    bad = ufuncs.logical_or(ufuncs.logical_or(ufuncs.less(n, 0), ufuncs.less_equal(a, 0)),
                            ufuncs.less_equal(b, 0))
    return where(bad, NAN, log_probs)


def pmf(k: Any, n: Any, a: Any, b: Any, loc: Any = 0) -> Any:
    """The probability mass."""
    return ufuncs.exp(logpmf(k, n, a, b, loc))
