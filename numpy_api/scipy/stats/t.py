"""Student's t distribution (``df``, ``loc``, ``scale``), as ``jax.scipy.stats.t``."""

from __future__ import annotations

import math
from typing import Any

from ... import ufuncs
from .. import special
from ._common import float_args


def logpdf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """``lgamma((df+1)/2) - lgamma(df/2) - log(pi df scale^2)/2
    - (df+1)/2 log1p(((x - loc)/scale)^2 / df)``."""
    x, df, loc, scale = float_args("t.logpdf", x, df, loc, scale)
    z = (x - loc) / scale
    half_df = df / 2
    normalizer = (special.gammaln(half_df) + ufuncs.log(scale * scale * math.pi * df) / 2
                  - special.gammaln(half_df + 0.5))
    return -(normalizer + (half_df + 0.5) * ufuncs.log1p(z * z / df))


def pdf(x: Any, df: Any, loc: Any = 0, scale: Any = 1) -> Any:
    """The density."""
    return ufuncs.exp(logpdf(x, df, loc, scale))
