"""The geometric distribution (``p``, ``loc``; support 1, 2, ...), as
``jax.scipy.stats.geom``."""

from __future__ import annotations

from typing import Any

from ... import ufuncs
from .. import special
from ._common import NEG_INF, float_args, where


def logpmf(k: Any, p: Any, loc: Any = 0) -> Any:
    """``(x - 1) log1p(-p) + log p`` for ``x = k - loc >= 1``."""
    k, p, loc = float_args("geom.logpmf", k, p, loc)
    x = k - loc
    log_probs = special.xlog1py(x - 1, -p) + ufuncs.log(p)
    return where(ufuncs.less_equal(x, 0), NEG_INF, log_probs)


def pmf(k: Any, p: Any, loc: Any = 0) -> Any:
    """The probability mass."""
    return ufuncs.exp(logpmf(k, p, loc))
