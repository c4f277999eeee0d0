"""``jaxlite.scipy.signal``: convolutions and correlations, as ``jax.scipy.signal``.

The direct method correlates the zero-padded larger input with the flipped smaller one:
the windows of the padded input at every kernel offset are laid out with broadcasts,
reshapes and slices (a few per axis), and contracted with the kernel in one
``dot_general`` (so gradients, batching and jit come from those primitives). The "fft" method multiplies spectra (``jnp.fft``). Inputs
promote to an inexact dtype; like JAX, the smaller input must fit inside the larger one
along every axis (they are swapped if needed).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ...core.trace import aval_of
from ...primitives import elementwise as ew
from ...primitives.linalg import dot_general
from ...primitives.shape import pad, reshape, rev
from ...primitives.shape import slice as slice_op
from ...primitives.structural import broadcast_in_dim, moveaxis
from .. import fft as jnp_fft
from .._util import array_operand, normalize_axis, promote_inexact

__all__ = ["convolve", "convolve2d", "correlate", "correlate2d", "fftconvolve"]

_MODES = ("full", "same", "valid")


def _shape(x: Any) -> tuple[int, ...]:
    return aval_of(x).shape


def _flip(x: Any) -> Any:
    return rev(x, tuple(range(len(_shape(x)))))


def _conj(x: Any, name: str) -> Any:
    """``conj(x)``: ``x`` itself for real arrays."""
    if aval_of(x).dtype.kind == "c":
        raise NotImplementedError(f"jax.scipy.signal.{name}: complex inputs are not supported")
    return x


def _operands(name: str, in1: Any, in2: Any, mode: str) -> tuple[Any, Any]:
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {list(_MODES)}")
    in1, in2 = promote_inexact(array_operand(in1, f"jax.scipy.signal.{name}"),
                               array_operand(in2, f"jax.scipy.signal.{name}"))
    if len(_shape(in1)) != len(_shape(in2)):
        raise ValueError("in1 and in2 must have the same number of dimensions")
    return in1, in2


def _sliding_windows(x: Any, axis: int, k: int) -> Any:
    """``w[..., i, ..., j] = x[..., i + j, ...]`` (``i`` at ``axis``, ``j < k`` appended
    last) without a slice per offset: ``k + 1`` copies of the axis laid end to end and read
    in rows of ``L + 1`` entries start one entry further along each time."""
    x = moveaxis(x, axis, -1)
    *rest, length = _shape(x)
    nb = len(rest)
    tiled = broadcast_in_dim(x, (*rest, k + 1, length), (*range(nb), nb + 1))
    flat = reshape(tiled, (*rest, (k + 1) * length))
    rows = reshape(slice_op(flat, (0,) * (nb + 1), (*rest, k * (length + 1))),
                   (*rest, k, length + 1))
    windows = slice_op(rows, (0,) * (nb + 2), (*rest, k, length - k + 1))
    return moveaxis(windows, nb + 1, axis)  # (the offsets stay last)


def _windows_product(x: Any, kernel: Any) -> Any:
    """``out[i] = sum_j x[i + j] kernel[j]`` over the offsets ``j`` of ``kernel``."""
    k_shape = _shape(kernel)
    ndim = len(k_shape)
    for axis, k in enumerate(k_shape):
        x = _sliding_windows(x, axis, k)  # (axis holds output positions, offsets go last)
    contract = tuple(range(ndim, 2 * ndim))
    return dot_general(x, kernel, ((contract, tuple(range(ndim))), ((), ())))


def _convolve_nd(in1: Any, in2: Any, mode: str) -> Any:
    """The n-dimensional convolution of ``in1`` and ``in2`` (promoted, same rank)."""
    s1, s2 = _shape(in1), _shape(in2)
    if math.prod(s1) == 0 or math.prod(s2) == 0:
        raise ValueError(f"zero-size arrays not supported in convolutions, got shapes {s1} "
                         f"and {s2}.")
    no_swap = all(a >= b for a, b in zip(s1, s2))
    swap = all(a <= b for a, b in zip(s1, s2))
    if not (no_swap or swap):
        raise ValueError("One input must be smaller than the other in every dimension.")
    original_kernel_shape = s2
    if swap:
        in1, in2 = in2, in1
    shape = _shape(in2)
    if mode == "valid":
        padding = [(0, 0)] * len(shape)
    elif mode == "same":  # (centred on the second input as it was passed, as SciPy does)
        padding = [(s - 1 - (o - 1) // 2, s - o + (o - 1) // 2)
                   for s, o in zip(shape, original_kernel_shape)]
    else:
        padding = [(s - 1, s - 1) for s in shape]
    zero = np.zeros((), aval_of(in1).dtype)
    padded = pad(in1, zero, [(lo, hi, 0) for lo, hi in padding])
    return _windows_product(padded, _flip(in2))


def fftconvolve(in1: Any, in2: Any, mode: str = "full", axes: Sequence[int] | None = None) -> Any:
    """The convolution of ``in1`` and ``in2`` computed with FFTs (over ``axes``; the other
    axes, which must match, are batch axes)."""
    in1, in2 = _operands("fftconvolve", in1, in2, mode)
    ndim = len(_shape(in1))
    axes = tuple(range(ndim)) if axes is None else tuple(normalize_axis(a, ndim) for a in axes)
    s1, s2 = _shape(in1), _shape(in2)
    if any(s1[i] != s2[i] for i in range(ndim) if i not in axes):
        raise ValueError(f"mapped axes must have same shape; got in1.shape={s1} "
                         f"in2.shape={s2} axes={axes}")
    if mode == "valid":
        no_swap = all(s1[i] >= s2[i] for i in axes)
        swap = all(s1[i] <= s2[i] for i in axes)
        if not (no_swap or swap):
            raise ValueError("For 'valid' mode, One input must be at least as large as the "
                             "other in every dimension.")
        if swap:
            in1, in2, s1, s2 = in2, in1, s2, s1
    full = tuple(s1[i] + s2[i] - 1 if i in axes else s1[i] for i in range(ndim))
    lengths = [full[i] for i in axes]
    if aval_of(in1).dtype.kind == "c":
        conv = jnp_fft.ifftn(ew.mul(jnp_fft.fftn(in1, lengths, axes),
                                    jnp_fft.fftn(in2, lengths, axes)), lengths, axes)
    else:
        conv = jnp_fft.irfftn(ew.mul(jnp_fft.rfftn(in1, lengths, axes),
                                     jnp_fft.rfftn(in2, lengths, axes)), lengths, axes)
    if mode == "full":
        out = full
    elif mode == "same":
        out = s1
    else:
        out = tuple(s1[i] - s2[i] + 1 if i in axes else s1[i] for i in range(ndim))
    start = tuple((f - o) // 2 for f, o in zip(full, out))
    return slice_op(conv, start, tuple(a + o for a, o in zip(start, out)))


def convolve(in1: Any, in2: Any, mode: str = "full", method: str = "auto",
             precision: Any = None) -> Any:
    """The n-dimensional convolution of ``in1`` and ``in2``: "full", "same" (the size of
    ``in1``) or "valid" (where they overlap completely); ``method`` "direct" (= "auto") or
    "fft"."""
    if method == "fft":
        return fftconvolve(in1, in2, mode=mode)
    if method not in ("direct", "auto"):
        raise ValueError(f"Got method={method!r}; expected 'auto', 'fft', or 'direct'.")
    return _convolve_nd(*_operands("convolve", in1, in2, mode), mode)


def correlate(in1: Any, in2: Any, mode: str = "full", method: str = "auto",
              precision: Any = None) -> Any:
    """The n-dimensional cross-correlation: ``convolve(in1, flip(conj(in2)))``."""
    in1, in2 = _operands("correlate", in1, in2, mode)
    return convolve(in1, _flip(_conj(in2, "correlate")), mode, method)


def _check_2d(name: str, in1: Any, in2: Any, boundary: str, fillvalue: Any) -> None:
    if boundary != "fill" or fillvalue != 0:
        raise NotImplementedError(f"{name}() only supports boundary='fill', fillvalue=0")
    if np.ndim(in1) != 2 or np.ndim(in2) != 2:
        raise ValueError(f"{name}() only supports 2-dimensional inputs.")


def convolve2d(in1: Any, in2: Any, mode: str = "full", boundary: str = "fill",
               fillvalue: float = 0, precision: Any = None) -> Any:
    """The two-dimensional convolution (zero fill beyond the edges only)."""
    _check_2d("convolve2d", in1, in2, boundary, fillvalue)
    return _convolve_nd(*_operands("convolve2d", in1, in2, mode), mode)


def correlate2d(in1: Any, in2: Any, mode: str = "full", boundary: str = "fill",
                fillvalue: float = 0, precision: Any = None) -> Any:
    """The two-dimensional cross-correlation, as SciPy's (which swaps the inputs, and so
    reverses the result, when the second is the larger)."""
    _check_2d("correlate2d", in1, in2, boundary, fillvalue)
    in1, in2 = _operands("correlate2d", in1, in2, mode)
    s1, s2 = _shape(in1), _shape(in2)
    swap = all(a <= b for a, b in zip(s1, s2))
    same_shape = s1 == s2
    conj2 = _conj(in2, "correlate2d")
    if mode == "valid" and swap and not same_shape or mode == "full" and swap:
        # correlate(in1, in2) = correlate(in2, in1) reversed; with in2 the larger one
        return _convolve_nd(_flip(in2), _conj(in1, "correlate2d"), mode)
    return _flip(_convolve_nd(_flip(in1), conj2, mode))
