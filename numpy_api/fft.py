"""``jnp.fft``: NumPy's discrete Fourier transforms on jaxlite arrays, as ``jax.numpy.fft``.

Every transform moves the axes it acts on to the end, crops or zero-pads them to the
requested sizes (``n``, ``s``), binds the one ``fft`` primitive (``primitives/fft``) and
moves the axes back. Real inputs transform in the complex type of their precision
(float32 -> complex64, as JAX); ``norm`` scales as NumPy does: "backward" (the default)
scales only the inverse transforms, by ``1 / n``, "forward" only the forward ones, and
"ortho" both by ``1 / sqrt(n)``.
"""

from __future__ import annotations

import math
import operator
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives.elementwise import mul, scalar_like
from ..primitives.fft import FftType, index_negated
from ..primitives.fft import fft as lax_fft
from ..primitives.shape import concatenate, pad
from ..primitives.shape import slice as slice_op
from ..primitives.structural import convert_element_type
from . import creation, manipulation, ufuncs
from ._util import array_operand, normalize_axis

__all__ = [
    "fft", "fft2", "fftfreq", "fftn", "fftshift", "hfft", "ifft", "ifft2", "ifftn", "ifftshift",
    "ihfft", "irfft", "irfft2", "irfftn", "rfft", "rfft2", "rfftfreq", "rfftn",
]

_NORMS = ("backward", "ortho", "forward")


def _norm_factor(name: str, norm: str | None, lengths: Sequence[int]) -> float:
    """What the unnormalised (forward) or ``1 / n``-normalised (inverse) transform is
    multiplied by for ``norm``; functions whose names start with "i" are the inverses."""
    if norm is None or norm == "backward":
        return 1.0
    if norm not in _NORMS:
        raise ValueError(f'Invalid norm value {norm}; should be "backward", "ortho" or '
                         '"forward".')
    size = math.prod(lengths)
    factor = math.sqrt(size) if norm == "ortho" else float(size)
    return factor if name.startswith("i") else 1.0 / factor


def _resized(x: Any, sizes: Sequence[int]) -> Any:
    """``x`` with its last ``len(sizes)`` axes cropped or zero-padded to ``sizes``."""
    shape = aval_of(x).shape
    target = shape[:len(shape) - len(sizes)] + tuple(sizes)
    if target == shape:
        return x
    x = slice_op(x, (0,) * len(shape), tuple(map(min, shape, target)))
    cropped = aval_of(x).shape
    return pad(x, np.zeros((), aval_of(x).dtype), [(0, t - c, 0) for c, t in zip(cropped, target)])


def _check_shape(name: str, s: Any, axes: Any, ndim: int) -> tuple[tuple | None, tuple]:
    """``s`` as a tuple of positive ints (or None) and ``axes`` normalised."""
    if s is not None:
        s = tuple(map(operator.index, s))
        if any(n <= 0 for n in s):
            raise ValueError("Shape should be positive.")
    if s is not None and axes is not None and len(s) != len(axes):
        raise ValueError("Shape and axes have different lengths.")
    if axes is None:
        count = ndim if s is None else len(s)
        if count > ndim:
            raise ValueError(f"jax.numpy.fft.{name}: s {s} has more entries than the input "
                             f"has dimensions ({ndim})")
        return s, tuple(range(ndim - count, ndim))
    axes = tuple(normalize_axis(a, ndim) for a in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"jax.numpy.fft.{name} does not support repeated axes. Got axes "
                         f"{axes}.")
    return s, axes


def _transform(name: str, fft_type: FftType, a: Any, s: Any, axes: Any, norm: str | None) -> Any:
    """The transform ``fft_type`` of ``a`` over ``axes``, the output sizes ``s`` along them."""
    x = array_operand(a, f"jax.numpy.fft.{name}")
    ndim = aval_of(x).ndim
    s, axes = _check_shape(name, s, axes, ndim)
    _norm_factor(name, norm, ())  # (rejects a bad norm before any work)
    last = tuple(range(ndim - len(axes), ndim))
    x = manipulation.moveaxis(x, axes, last) if axes != last else x
    shape = aval_of(x).shape
    if s is None:
        lengths = tuple(shape[a] for a in last)
        if fft_type == FftType.IRFFT and lengths:
            lengths = lengths[:-1] + (max(0, 2 * (lengths[-1] - 1)),)
    else:
        lengths = s
        sizes = s[:-1] + (s[-1] // 2 + 1,) if fft_type == FftType.IRFFT else s
        x = _resized(x, sizes)
    out = lax_fft(x, fft_type, lengths)
    factor = _norm_factor(name, norm, lengths)
    if factor != 1.0:
        out = mul(out, scalar_like(factor, out))
    return manipulation.moveaxis(out, last, axes) if axes != last else out


def _one_axis(name: str, fft_type: FftType, a: Any, n: Any, axis: Any, norm: Any) -> Any:
    if isinstance(axis, (list, tuple)):
        raise ValueError(f"jax.numpy.fft.{name} does not support multiple axes. Please use "
                         f"jax.numpy.fft.{name}n. Got axis = {axis!r}.")
    return _transform(name, fft_type, a, None if n is None else [n],
                      None if axis is None else [axis], norm)


def _two_axes(name: str, fft_type: FftType, a: Any, s: Any, axes: Any, norm: Any) -> Any:
    if len(axes) != 2:
        raise ValueError(f"jax.numpy.fft.{name} only supports 2 axes. Got axes = {axes!r}.")
    return _transform(name, fft_type, a, s, axes, norm)


# ---------------------------------------------------------------- one axis


def fft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None) -> Any:
    """The discrete Fourier transform of ``a`` along ``axis``, cropped or zero-padded to ``n``.

    >>> jnp.fft.fft(jnp.array([1.0, 2.0, 3.0, 4.0]))
    Array([10.+0.j, -2.+2.j, -2.+0.j, -2.-2.j], dtype=complex64)
    """
    return _one_axis("fft", FftType.FFT, a, n, axis, norm)


def ifft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None) -> Any:
    """The inverse discrete Fourier transform of ``a`` along ``axis``."""
    return _one_axis("ifft", FftType.IFFT, a, n, axis, norm)


def rfft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None) -> Any:
    """The Fourier transform of real ``a`` along ``axis``: the ``n // 2 + 1`` non-negative
    frequencies."""
    return _one_axis("rfft", FftType.RFFT, a, n, axis, norm)


def irfft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None) -> Any:
    """The inverse of ``rfft``: ``n`` real values (default ``2 * (m - 1)``) from ``m``
    non-negative frequencies along ``axis``."""
    return _one_axis("irfft", FftType.IRFFT, a, n, axis, norm)


def hfft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None) -> Any:
    """The Fourier transform of a Hermitian-symmetric signal given by its first half: the
    ``n`` real values of ``irfft(conj(a))``, scaled as a forward transform."""
    x = array_operand(a, "jax.numpy.fft.hfft")
    if isinstance(axis, (list, tuple)):
        raise ValueError(f"jax.numpy.fft.hfft does not support multiple axes. Please use "
                         f"jax.numpy.fft.hfftn. Got axis = {axis!r}.")
    ndim = aval_of(x).ndim
    axis = normalize_axis(axis, ndim)
    size = 2 * (aval_of(x).shape[axis] - 1) if n is None else operator.index(n)
    # irfft(conj(z)) reads irfft(z) backwards: out[j] = irfft(z)[-j]
    out = _one_axis("hfft", FftType.IRFFT, x, n, axis, norm)
    out = index_negated(out, (axis,))
    return mul(out, scalar_like(float(size), out))


def ihfft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None) -> Any:
    """The inverse of ``hfft``: the ``n // 2 + 1`` non-negative frequencies of
    ``conj(rfft(a)) / n`` for real ``a``."""
    x = array_operand(a, "jax.numpy.fft.ihfft")
    dtype = aval_of(x).dtype
    if dtype.kind == "c":
        raise ValueError("only real valued inputs supported for rfft")
    if dtypes.to_inexact(dtype) not in (dtypes.float32, dtypes.float64):
        raise ValueError(f"RFFT input must be float32 or float64, got "
                         f"{dtypes.to_inexact(dtype).name}")
    if isinstance(axis, (list, tuple)):
        raise ValueError(f"jax.numpy.fft.ihfft does not support multiple axes. Please use "
                         f"jax.numpy.fft.ihfftn. Got axis = {axis!r}.")
    axis = normalize_axis(axis, aval_of(x).ndim)
    # for real x, conj(rfft(x)) / n is the first half of ifft(x), with every norm
    full = _one_axis("ihfft", FftType.IFFT, x, n, axis, norm)
    shape = aval_of(full).shape
    half = shape[:axis] + (shape[axis] // 2 + 1,) + shape[axis + 1:]
    return slice_op(full, (0,) * len(shape), half)


# ---------------------------------------------------------------- two and n axes


def fft2(a: Any, s: Any = None, axes: Sequence[int] = (-2, -1), norm: str | None = None) -> Any:
    """The two-dimensional discrete Fourier transform over ``axes``."""
    return _two_axes("fft2", FftType.FFT, a, s, axes, norm)


def ifft2(a: Any, s: Any = None, axes: Sequence[int] = (-2, -1), norm: str | None = None) -> Any:
    """The two-dimensional inverse discrete Fourier transform over ``axes``."""
    return _two_axes("ifft2", FftType.IFFT, a, s, axes, norm)


def rfft2(a: Any, s: Any = None, axes: Sequence[int] = (-2, -1), norm: str | None = None) -> Any:
    """The two-dimensional Fourier transform of real ``a`` (half of the last axis kept)."""
    return _two_axes("rfft2", FftType.RFFT, a, s, axes, norm)


def irfft2(a: Any, s: Any = None, axes: Sequence[int] = (-2, -1),
           norm: str | None = None) -> Any:
    """The inverse of ``rfft2``."""
    return _two_axes("irfft2", FftType.IRFFT, a, s, axes, norm)


def fftn(a: Any, s: Any = None, axes: Any = None, norm: str | None = None) -> Any:
    """The n-dimensional discrete Fourier transform over ``axes`` (default: all, or the last
    ``len(s)``)."""
    return _transform("fftn", FftType.FFT, a, s, axes, norm)


def ifftn(a: Any, s: Any = None, axes: Any = None, norm: str | None = None) -> Any:
    """The n-dimensional inverse discrete Fourier transform."""
    return _transform("ifftn", FftType.IFFT, a, s, axes, norm)


def rfftn(a: Any, s: Any = None, axes: Any = None, norm: str | None = None) -> Any:
    """The n-dimensional Fourier transform of real ``a`` (half of the last axis kept)."""
    return _transform("rfftn", FftType.RFFT, a, s, axes, norm)


def irfftn(a: Any, s: Any = None, axes: Any = None, norm: str | None = None) -> Any:
    """The inverse of ``rfftn``."""
    return _transform("irfftn", FftType.IRFFT, a, s, axes, norm)


# ---------------------------------------------------------------- frequencies and shifts


def _check_frequency_args(name: str, n: Any, d: Any) -> None:
    if isinstance(n, (list, tuple)):
        raise ValueError(f"The n argument of jax.numpy.fft.{name} only takes an int. "
                         f"Got n = {list(n)}.")
    if isinstance(d, (list, tuple)):
        raise ValueError(f"The d argument of jax.numpy.fft.{name} only takes a single value. "
                         f"Got d = {list(d)}.")


def fftfreq(n: int, d: Any = 1.0, *, dtype: Any = None, device: Any = None) -> Any:
    """The sample frequencies of an ``n``-point FFT with sample spacing ``d``:
    ``[0, 1, ..., n//2 - 1 (or (n-1)//2), -(n//2), ..., -1] / (d * n)``."""
    _check_frequency_args("fftfreq", n, d)
    out_dtype = dtypes.canonicalize(dtype or dtypes.default_float())
    dtype = np.finfo(dtypes.to_inexact(out_dtype)).dtype  # (complex: its parts' dtype)
    i = creation.arange(n, dtype=dtype)
    k = ufuncs.subtract(ufuncs.remainder(ufuncs.add(i, n // 2), n), n // 2)
    result = ufuncs.divide(k, creation.asarray(d * n, dtype=dtype))
    return convert_element_type(result, out_dtype) if out_dtype != dtype else result


def rfftfreq(n: int, d: Any = 1.0, *, dtype: Any = None, device: Any = None) -> Any:
    """The non-negative sample frequencies ``[0, 1, ..., n // 2] / (d * n)`` of an
    ``n``-point real FFT with sample spacing ``d``."""
    _check_frequency_args("rfftfreq", n, d)
    dtype = dtypes.canonicalize(dtype or dtypes.default_float())
    k = creation.arange(0, n // 2 + 1, dtype=dtype)
    return ufuncs.divide(k, creation.asarray(d * n, dtype=dtype))


def _shifted(name: str, x: Any, axes: Any, sign: int) -> Any:
    x = array_operand(x, f"jax.numpy.fft.{name}")
    shape = aval_of(x).shape
    if axes is None:
        axes = range(len(shape))
    elif isinstance(axes, int):
        axes = (axes,)
    for axis in (normalize_axis(a, len(shape)) for a in axes):
        x = _roll(x, sign * (shape[axis] // 2), axis)
    return x


def _roll(x: Any, shift: int, axis: int) -> Any:
    """``x`` rolled by a static ``shift`` along ``axis``."""
    shape = aval_of(x).shape
    size = shape[axis]
    shift = shift % size if size else 0
    if shift == 0:
        return x
    start = (0,) * len(shape)
    split = shape[:axis] + (size - shift,) + shape[axis + 1:]
    head = slice_op(x, start, split)
    tail = slice_op(x, start[:axis] + (size - shift,) + start[axis + 1:], shape)
    return concatenate([tail, head], axis)


def fftshift(x: Any, axes: Any = None) -> Any:
    """``x`` with the zero frequency moved to the centre of ``axes`` (default: all axes)."""
    return _shifted("fftshift", x, axes, 1)


def ifftshift(x: Any, axes: Any = None) -> Any:
    """The inverse of ``fftshift``."""
    return _shifted("ifftshift", x, axes, -1)
