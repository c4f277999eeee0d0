"""Complex numbers in ``jnp``: their parts, conjugates, angles and dtype predicates.

A real operand is treated as a complex number with zero imaginary part, as in NumPy:
``real`` and ``conj`` return it unchanged (its dtype and weak type kept), ``imag``
returns zeros of its dtype. Only complex operands bind the primitives of
``primitives/complex_parts.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import complex_parts
from ..primitives.structural import zeros
from . import ufuncs
from ._util import array_operand


def _is_complex(x: Any) -> bool:
    return aval_of(x).dtype.kind == "c"


def real(val: Any) -> Any:
    """The real part of ``val`` elementwise; a real array is returned as it is.

    >>> jnp.real(jnp.array([1 + 2j]))   # Array([1.], dtype=float32)
    """
    val = array_operand(val, "real")
    return complex_parts.real(val) if _is_complex(val) else val


def imag(val: Any) -> Any:
    """The imaginary part of ``val`` elementwise: zeros of ``val``'s dtype for a real array."""
    val = array_operand(val, "imag")
    return complex_parts.imag(val) if _is_complex(val) else zeros(aval_of(val))


def conjugate(x: Any) -> Any:
    """The complex conjugate of ``x`` elementwise; a real array is its own."""
    x = array_operand(x, "conjugate")
    return complex_parts.conj(x) if _is_complex(x) else x


conj = conjugate


def angle(z: Any, deg: bool = False) -> Any:
    """The counterclockwise angle of ``z`` from the positive real axis, in radians (or
    degrees with ``deg``): ``arctan2(imag(z), real(z))``; 0 or pi for real numbers."""
    z = array_operand(z, "angle")
    result = ufuncs.arctan2(imag(z), real(z))
    return ufuncs.degrees(result) if deg else result


def iscomplex(x: Any) -> Any:
    """Elementwise, whether ``x`` has a nonzero imaginary part."""
    part = imag(array_operand(x, "iscomplex"))
    return ufuncs.not_equal(part, np.zeros((), aval_of(part).dtype))


def isreal(x: Any) -> Any:
    """Elementwise, whether ``x`` has a zero imaginary part."""
    part = imag(array_operand(x, "isreal"))
    return ufuncs.equal(part, np.zeros((), aval_of(part).dtype))


def iscomplexobj(x: Any) -> bool:
    """Whether ``x`` has a complex dtype (a Python complex counts; ``None`` does not)."""
    if x is None:
        return False
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        dtype = np.asarray(x).dtype
    return dtypes.is_inexact(dtype) and np.dtype(dtype).kind == "c"


def isrealobj(x: Any) -> bool:
    """Whether ``x`` does not have a complex dtype."""
    return not iscomplexobj(x)
