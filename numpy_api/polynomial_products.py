"""Products that multiply out structure: kron, cross, convolve and correlate.

``kron`` interleaves the axes of its operands in one broadcast multiply; ``cross`` works on
2- and 3-vectors along chosen axes; ``convolve`` and ``correlate`` (1-d, as in JAX) gather
the windows of the zero-padded signal into a matrix and contract it with the reversed (for
``correlate``, conjugated) kernel: one gather and one ``dot_general``, both with all their
rules, so the results differentiate and batch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import elementwise as ew
from ..primitives import shape as shape_ops
from ..primitives.linalg import dot_general
from ..primitives.structural import broadcast_in_dim, convert_element_type, moveaxis
from . import ufuncs
from ._util import (
    array_operand,
    broadcast_shapes,
    broadcast_to_shape,
    normalize_axis,
    promote,
    promote_inexact,
)
from .index_routines import take


def kron(a: Any, b: Any) -> Any:
    """The Kronecker product: blocks ``a[i, j, ...] * b``."""
    a, b = promote(array_operand(a, "kron"), array_operand(b, "kron"))
    ndim = max(aval_of(a).ndim, aval_of(b).ndim)
    a_shape = (1,) * (ndim - aval_of(a).ndim) + aval_of(a).shape
    b_shape = (1,) * (ndim - aval_of(b).ndim) + aval_of(b).shape
    interleaved = tuple(s for pair in zip(a_shape, b_shape) for s in pair)
    a_wide = broadcast_in_dim(shape_ops.reshape(a, a_shape), interleaved,
                              tuple(range(0, 2 * ndim, 2)))
    b_wide = broadcast_in_dim(shape_ops.reshape(b, b_shape), interleaved,
                              tuple(range(1, 2 * ndim, 2)))
    return shape_ops.reshape(ew.mul(a_wide, b_wide),
                             tuple(x * y for x, y in zip(a_shape, b_shape)))


def _component(x: Any, i: int) -> Any:
    """``x[..., i]``."""
    shape = aval_of(x).shape
    part = shape_ops.slice(x, (0,) * (len(shape) - 1) + (i,), shape[:-1] + (i + 1,))
    return shape_ops.reshape(part, shape[:-1])


def cross(a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1,
          axis: int | None = None) -> Any:
    """The cross product of the 2- or 3-vectors along ``axisa`` of ``a`` and ``axisb`` of
    ``b`` (the other axes broadcast); vectors of the result along ``axisc``. Two 2-vectors
    give the scalar z-component."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = promote(array_operand(a, "cross"), array_operand(b, "cross"))
    a = moveaxis(a, normalize_axis(axisa, aval_of(a).ndim, "axisa"), -1)
    b = moveaxis(b, normalize_axis(axisb, aval_of(b).ndim, "axisb"), -1)
    na, nb = aval_of(a).shape[-1], aval_of(b).shape[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError("Dimension must be either 2 or 3 for cross product")
    a0, a1, b0, b1 = _component(a, 0), _component(a, 1), _component(b, 0), _component(b, 1)
    if na == 2 and nb == 2:
        return ufuncs.subtract(ufuncs.multiply(a0, b1), ufuncs.multiply(a1, b0))
    a2 = _component(a, 2) if na == 3 else ufuncs.multiply(a0, 0)
    b2 = _component(b, 2) if nb == 3 else ufuncs.multiply(b0, 0)
    parts = [ufuncs.subtract(ufuncs.multiply(a1, b2), ufuncs.multiply(a2, b1)),
             ufuncs.subtract(ufuncs.multiply(a2, b0), ufuncs.multiply(a0, b2)),
             ufuncs.subtract(ufuncs.multiply(a0, b1), ufuncs.multiply(a1, b0))]
    shape = broadcast_shapes(*[aval_of(p).shape for p in parts], name="cross")
    stacked = shape_ops.concatenate(
        [shape_ops.expand_dims(broadcast_to_shape(p, shape), (0,)) for p in parts], 0)
    return moveaxis(stacked, 0, normalize_axis(axisc, len(shape) + 1, "axisc"))


_MODES = ["full", "same", "valid"]


def _signals(name: str, a: Any, v: Any, mode: str) -> tuple[Any, Any]:
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}")
    a, v = array_operand(a, name), array_operand(v, name)
    if aval_of(a).ndim != 1 or aval_of(v).ndim != 1:
        raise ValueError(f"{name}() only support 1-dimensional inputs.")
    if aval_of(a).size == 0 or aval_of(v).size == 0:
        raise ValueError(f"{name}: inputs cannot be empty, got shapes {aval_of(a).shape} and "
                         f"{aval_of(v).shape}.")
    return tuple(promote_inexact(a, v))


def _convolved(a: Any, kernel_reversed: Any, mode: str) -> Any:
    """``convolve(a, k, mode)`` given ``k`` reversed: every window of the zero-padded ``a``
    times the reversed kernel, then cut as ``mode`` says."""
    n, m = aval_of(a).shape[0], aval_of(kernel_reversed).shape[0]
    zero = np.zeros((), aval_of(a).dtype)
    padded = shape_ops.pad(a, zero, ((m - 1, m - 1, 0),))
    full = n + m - 1
    windows = take(padded, np.arange(full)[:, None] + np.arange(m)[None, :], axis=0)
    out = dot_general(windows, kernel_reversed, (((1,), (0,)), ((), ())))
    short, long = min(n, m), max(n, m)
    if mode == "full":
        return out
    start, length = ((short - 1) // 2, long) if mode == "same" else (short - 1, long - short + 1)
    return shape_ops.slice(out, (start,), (start + length,))


def convolve(a: Any, v: Any, mode: str = "full", *, precision: Any = None,
             preferred_element_type: Any = None) -> Any:
    """The discrete convolution of the 1-d ``a`` and ``v`` (``full``, ``same`` or ``valid``)."""
    a, v = _signals("convolve", a, v, mode)
    out = _convolved(a, shape_ops.rev(v, (0,)), mode)
    return _as_preferred(out, preferred_element_type)


def correlate(a: Any, v: Any, mode: str = "valid", *, precision: Any = None,
              preferred_element_type: Any = None) -> Any:
    """The cross-correlation ``c[k] = sum_n a[n + k] conj(v[n])`` of the 1-d ``a`` and ``v``."""
    a, v = _signals("correlate", a, v, mode)
    if aval_of(v).dtype.kind == "c":
        v = v.conj()  # (the array method: conjugate once complex numbers are in)
    out = _convolved(a, v, mode)
    return _as_preferred(out, preferred_element_type)


def _as_preferred(out: Any, preferred_element_type: Any) -> Any:
    if preferred_element_type is None:
        return out
    dtype = dtypes.canonicalize(preferred_element_type)
    return out if aval_of(out).dtype == dtype else convert_element_type(out, dtype)
