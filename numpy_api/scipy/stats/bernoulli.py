"""The Bernoulli distribution (``p``, ``loc``), as ``jax.scipy.stats.bernoulli``."""

from __future__ import annotations

from typing import Any

from ... import ufuncs
from .. import special
from ._common import NAN, NEG_INF, float_args, outside, where


def logpmf(k: Any, p: Any, loc: Any = 0) -> Any:
    """``k log p + (1 - k) log(1 - p)`` for ``k - loc`` in [0, 1]."""
    k, p, loc = float_args("bernoulli.logpmf", k, p, loc)
    x = k - loc
    log_probs = special.xlogy(x, p) + special.xlog1py(1 - x, -p)
    return where(outside(x, 0, 1), NEG_INF, log_probs)


def pmf(k: Any, p: Any, loc: Any = 0) -> Any:
    """The probability mass."""
    return ufuncs.exp(logpmf(k, p, loc))


def _bad(k: Any, p: Any) -> Any:
    return ufuncs.logical_or(ufuncs.logical_or(ufuncs.isnan(k), ufuncs.isnan(p)),
                             outside(p, 0, 1))


def cdf(k: Any, p: Any) -> Any:
    """0 below 0, ``1 - p`` on [0, 1), 1 from 1 on."""
    k, p = float_args("bernoulli.cdf", k, p)
    value = where(ufuncs.less(k, 0), 0.0, where(ufuncs.less(k, 1), 1 - p, 1.0))
    return where(_bad(k, p), NAN, value)


def ppf(q: Any, p: Any) -> Any:
    """0 up to ``1 - p``, 1 above; nan outside [0, 1]."""
    q, p = float_args("bernoulli.ppf", q, p)
    value = where(ufuncs.less_equal(q, 1 - p), 0.0, 1.0)
    return where(ufuncs.logical_or(_bad(q, p), outside(q, 0, 1)), NAN, value)
