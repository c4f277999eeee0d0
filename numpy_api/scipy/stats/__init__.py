"""``jaxlite.scipy.stats``: probability distributions, one module each (as in
``jax.scipy.stats``: ``stats.norm.logpdf``), and ``mode`` and ``rankdata``."""

from . import (  # noqa: F401
    bernoulli,
    beta,
    betabinom,
    binom,
    cauchy,
    chi2,
    dirichlet,
    expon,
    gamma,
    geom,
    laplace,
    logistic,
    multivariate_normal,
    nbinom,
    norm,
    pareto,
    poisson,
    t,
    uniform,
)
from .ranks import ModeResult, mode, rankdata  # noqa: F401
