"""The Dirichlet distribution (``alpha``), as ``jax.scipy.stats.dirichlet``: ``x`` holds
the coordinates along its first axis (all of them, or all but the last)."""

from __future__ import annotations

from typing import Any

from ... import manipulation, reductions, ufuncs
from ..._util import array_operand, as_operand, promote_inexact
from .. import special
from ._common import NEG_INF, where


def _is_simplex(x: Any) -> Any:
    total = reductions.sum(x, axis=0)
    positive = reductions.all(ufuncs.greater(x, 0), axis=0)
    return ufuncs.logical_and(positive, ufuncs.less(ufuncs.abs(total - 1), 1e-6))


def logpdf(x: Any, alpha: Any) -> Any:
    """``sum((alpha - 1) log x) - (sum lgamma(alpha) - lgamma(sum alpha))`` on the simplex,
    -inf off it."""
    x, alpha = (array_operand(v, "dirichlet.logpdf") for v in promote_inexact(
        as_operand(x, "dirichlet.logpdf"), as_operand(alpha, "dirichlet.logpdf")))
    if alpha.ndim != 1:
        raise ValueError(f"`alpha` must be one-dimensional; got alpha.shape={alpha.shape}")
    if x.shape[0] not in (alpha.shape[0], alpha.shape[0] - 1):
        raise ValueError("`x` must have either the same number of entries as `alpha` or one "
                         f"entry fewer; got x.shape={x.shape}, alpha.shape={alpha.shape}")
    if x.shape[0] != alpha.shape[0]:
        x = manipulation.concatenate([x, 1 - reductions.sum(x, axis=0, keepdims=True)], axis=0)
    normalizer = reductions.sum(special.gammaln(alpha)) - special.gammaln(reductions.sum(alpha))
    alpha = alpha.reshape(alpha.shape + (1,) * (x.ndim - 1))
    log_probs = reductions.sum(special.xlogy(alpha - 1, x), axis=0) - normalizer
    return where(_is_simplex(x), log_probs, NEG_INF)


def pdf(x: Any, alpha: Any) -> Any:
    """The density."""
    return ufuncs.exp(logpdf(x, alpha))
