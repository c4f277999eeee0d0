"""The multivariate normal distribution (``mean``, ``cov``), as
``jax.scipy.stats.multivariate_normal``: a scalar, diagonal-scalar or full covariance,
the last axis of ``x`` and ``mean`` the coordinates, the others batch axes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ... import creation, linalg, manipulation, reductions, ufuncs
from ..._util import array_operand, as_operand, promote_inexact
from ....primitives.linalg_decompositions import triangular_solve


def logpdf(x: Any, mean: Any, cov: Any, allow_singular: None = None) -> Any:
    """``-|L^-1 (x - mean)|^2 / 2 - n log(2 pi) / 2 - sum log diag(L)`` with ``L L^T = cov``."""
    if allow_singular is not None:
        raise NotImplementedError("allow_singular argument of multivariate_normal.logpdf")
    x, mean, cov = (array_operand(v, "multivariate_normal.logpdf") for v in promote_inexact(
        *(as_operand(v, "multivariate_normal.logpdf") for v in (x, mean, cov))))
    log_2pi = math.log(2 * math.pi)
    if not mean.shape:
        return -0.5 * ufuncs.square(x - mean) / cov - 0.5 * (log_2pi + ufuncs.log(cov))
    n = mean.shape[-1]
    if not cov.shape:
        y = x - mean
        return (-0.5 * reductions.sum(y * y, axis=-1) / cov
                - n / 2 * (log_2pi + ufuncs.log(cov)))
    if cov.ndim < 2 or cov.shape[-2:] != (n, n):
        raise ValueError("multivariate_normal.logpdf got incompatible shapes")
    lower = linalg.cholesky(cov)
    y = x - mean
    batch = np.broadcast_shapes(y.shape[:-1], lower.shape[:-2])
    lower = manipulation.broadcast_to(lower, batch + (n, n))
    y = manipulation.broadcast_to(y, batch + (n,))
    z = triangular_solve(lower, y[..., None], left_side=True, lower=True)[..., 0]
    diagonal = reductions.sum(lower * creation.eye(n, dtype=lower.dtype), axis=-1)
    log_diagonal = ufuncs.log(diagonal)
    return (-0.5 * reductions.sum(z * z, axis=-1) - n / 2 * log_2pi
            - reductions.sum(log_diagonal, axis=-1))


def pdf(x: Any, mean: Any, cov: Any) -> Any:
    """The density."""
    return ufuncs.exp(logpdf(x, mean, cov))
