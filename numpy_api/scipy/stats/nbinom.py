"""The negative binomial distribution (``n``, ``p``, ``loc``), as
``jax.scipy.stats.nbinom``."""

from __future__ import annotations

from typing import Any

from ... import ufuncs
from .. import special
from ._common import NEG_INF, float_args, where


def logpmf(k: Any, n: Any, p: Any, loc: Any = 0) -> Any:
    """``lgamma(y + n) - lgamma(n) - lgamma(y + 1) + n log p + y log(1 - p)``."""
    k, n, p, loc = float_args("nbinom.logpmf", k, n, p, loc)
    y = k - loc
    comb = special.gammaln(y + n) - special.gammaln(n) - special.gammaln(y + 1)
    log_probs = comb + special.xlogy(n, p) + special.xlogy(y, 1 - p)
    return where(ufuncs.less(k, loc), NEG_INF, log_probs)


def pmf(k: Any, n: Any, p: Any, loc: Any = 0) -> Any:
    """The probability mass."""
    return ufuncs.exp(logpmf(k, n, p, loc))
