"""What the distributions share: promoting and broadcasting their arguments, and the
special functions they are written with."""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import manipulation, ufuncs
from ..special import _float_args

where = manipulation.where
NAN, NEG_INF = np.nan, -np.inf


def float_args(name: str, *args: Any) -> list[Any]:
    """The arguments as arrays of one inexact dtype and one shape (JAX's promotion)."""
    return _float_args(name, *args)


def outside(x: Any, low: Any, high: Any) -> Any:
    """``x < low or x > high``."""
    return ufuncs.logical_or(ufuncs.less(x, low), ufuncs.greater(x, high))
