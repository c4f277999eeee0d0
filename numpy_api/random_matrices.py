"""``jaxlite.random``'s samplers built on matrix decompositions: ``multivariate_normal``
and ``orthogonal``.

Both draw JAX's normal samples bit for bit and then factor a matrix with
``jnp.linalg``. LAPACK (through NumPy) and XLA round the decompositions differently, so
the results agree with JAX's to about ``1e-6`` relative, not to the last ulp.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives.matrices import diagonal
from . import linalg, manipulation, products, ufuncs
from ._util import as_operand, promote_inexact
from .random_basic import check_param_shapes, normal
from .random_keys import static_shape, unwrap_key, user_dtype

_FACTOR_METHODS = ("cholesky", "eigh", "svd")


def _covariance_factor(cov: Any, method: str) -> Any:
    """A matrix ``F`` with ``F @ F.T == cov`` (a Cholesky factor, or eigen/singular vectors
    scaled by the square roots of their values, which allow singular covariances)."""
    if method == "svd":
        u, s, _ = linalg.svd(cov)
        return u * ufuncs.sqrt(s[..., None, :])
    if method == "eigh":
        w, v = linalg.eigh(cov)
        return v * ufuncs.sqrt(w[..., None, :])
    return linalg.cholesky(cov)


def multivariate_normal(key: Any, mean: Any, cov: Any, shape: Sequence[int] | None = None,
                        dtype: Any = None, method: str = "cholesky") -> Any:
    """Samples of ``N(mean, cov)``, shape ``shape + mean.shape[-1:]``: ``mean + F @ z`` for
    JAX's standard normal draws ``z`` and a factor ``F`` of ``cov`` by ``method``
    ("cholesky", "eigh" or "svd"; the last two accept singular covariances)."""
    data, _ = unwrap_key("multivariate_normal", key)
    mean, cov = promote_inexact(as_operand(mean, "mean"), as_operand(cov, "cov"))
    if method not in _FACTOR_METHODS:
        raise ValueError("method must be one of {'svd', 'eigh', 'cholesky'}")
    dtype = aval_of(mean).dtype if dtype is None else dtypes.canonicalize(np.dtype(dtype))
    if not np.issubdtype(dtype, np.floating):
        raise ValueError(f"dtype argument to `multivariate_normal` must be a float dtype, "
                         f"got {dtype}")
    mean_shape, cov_shape = aval_of(mean).shape, aval_of(cov).shape
    if len(mean_shape) < 1:
        raise ValueError(f"multivariate_normal requires mean.ndim >= 1, got mean.ndim == "
                         f"{len(mean_shape)}")
    if len(cov_shape) < 2:
        raise ValueError(f"multivariate_normal requires cov.ndim >= 2, got cov.ndim == "
                         f"{len(cov_shape)}")
    n = mean_shape[-1]
    if cov_shape[-2:] != (n, n):
        raise ValueError(f"multivariate_normal requires cov.shape == (..., n, n) for n={n}, "
                         f"but got cov.shape == {cov_shape}.")
    if shape is None:
        shape = np.broadcast_shapes(mean_shape[:-1], cov_shape[:-2])
    else:
        shape = static_shape("multivariate_normal", shape)
        check_param_shapes("normal", shape, np.empty(mean_shape[:-1]),
                           np.empty(cov_shape[:-2]))
    factor = _covariance_factor(cov, method)
    z = normal(data, (*shape, n), dtype)
    return mean + products.matmul(factor, z[..., None])[..., 0]


def orthogonal(key: Any, n: int, shape: Sequence[int] = (), dtype: Any = None,
               m: int | None = None) -> Any:
    """A matrix drawn uniformly from the orthogonal group O(n) (shape ``shape + (n, m)``;
    semi-orthogonal when ``m != n``): the Q of a QR factorisation of standard normal
    draws, its columns' signs fixed by R's diagonal (Mezzadri's method, as JAX)."""
    data, _ = unwrap_key("orthogonal", key)
    dtype = user_dtype("orthogonal", dtype, dtypes.default_float(), np.floating)
    shape = static_shape("orthogonal", shape)
    n = operator.index(n)
    m = n if m is None else operator.index(m)
    z = normal(data, (*shape, max(n, m), min(n, m)), dtype)
    q, r = linalg.qr(z)
    x = q * ufuncs.sign(diagonal(r))[..., None, :]
    return manipulation.swapaxes(x, -1, -2) if n < m else x
