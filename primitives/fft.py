"""``fft``: discrete Fourier transforms over the trailing axes, as ``lax.fft``.

``fft_type`` says which transform (``FftType``), ``fft_lengths`` the sizes of the
transformed axes, which are the last ``len(fft_lengths)`` axes of the operand:

``FFT``    complex -> complex, ``y[k] = sum_n x[n] exp(-2 pi i k.n / N)``
``IFFT``   complex -> complex, its inverse (with the factor ``1 / N``)
``RFFT``   real -> complex, the FFT of a real array: the last axis keeps ``n // 2 + 1``
           frequencies (the others follow by Hermitian symmetry)
``IRFFT``  complex -> real, its inverse; the last axis of the operand has
           ``n // 2 + 1`` entries and gives ``fft_lengths[-1] = n`` real ones

All four are linear (over the reals). Transposes follow JAX's pairing of a cotangent with
a tangent, ``<ct, t> = Re(sum(ct * t))``: the DFT matrix is symmetric, so FFT and IFFT are
their own transposes; RFFT and IRFFT drop half of a Hermitian spectrum, so their
transposes weight the frequencies that stand for two (all but 0 and ``n / 2``) twice.
"""

from __future__ import annotations

import enum
import math
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.avals import ShapedArray, shaped_array
from ..core.primitive import Lowering, Primitive, Zero
from ..core.trace import aval_of
from .combinators import cached_shape_rule, linear_jvp, shape_error
from .elementwise import mul
from .shape import concatenate, rev, slice
from .structural import broadcast_in_dim, convert_element_type, moveaxis


class FftType(enum.IntEnum):
    """Which transform ``fft`` computes (``jax.lax.FftType``; params print as the number)."""

    FFT = 0
    IFFT = 1
    RFFT = 2
    IRFFT = 3


_COMPLEX = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}
_REAL = {c: f for f, c in _COMPLEX.items()}
_NUMPY = {FftType.FFT: np.fft.fftn, FftType.IFFT: np.fft.ifftn, FftType.RFFT: np.fft.rfftn,
          FftType.IRFFT: np.fft.irfftn}
_NUMPY_1D = {FftType.FFT: np.fft.fft, FftType.IFFT: np.fft.ifft, FftType.RFFT: np.fft.rfft,
             FftType.IRFFT: np.fft.irfft}  # (one axis: a little faster than the n-d functions)


def _axes(ndim: int, fft_lengths: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(range(ndim - len(fft_lengths), ndim))


def _fft_impl(x, *, fft_type, fft_lengths):
    if 0 in fft_lengths:  # (NumPy refuses transforms of length 0: their result is empty)
        out = fft_p.abstract_eval(aval_of(x), fft_type=fft_type, fft_lengths=fft_lengths)[0]
        return [np.zeros(out.shape, out.dtype)]
    if len(fft_lengths) == 1:
        n = fft_lengths[0] if fft_type == FftType.IRFFT else None
        return [_NUMPY_1D[fft_type](x, n=n, axis=-1)]
    s = fft_lengths if fft_type == FftType.IRFFT else None
    return [_NUMPY[fft_type](x, s=s, axes=_axes(x.ndim, fft_lengths))]


def _fft_shape(x, *, fft_type, fft_lengths):
    k = len(fft_lengths)
    if not 0 < k <= x.ndim:
        raise shape_error("fft", f"fft_lengths {fft_lengths} must name between 1 and "
                          f"{x.ndim} trailing axes", [x])
    leading, trailing = x.shape[:-k], x.shape[-k:]
    if fft_type == FftType.RFFT:
        _check_dtype(x, (dtypes.float32, dtypes.float64), "RFFT", "float32 or float64")
        _check_lengths(x, trailing, fft_lengths, "RFFT")
        return [shaped_array((*leading, *fft_lengths[:-1], fft_lengths[-1] // 2 + 1),
                             _COMPLEX[x.dtype])]
    _check_dtype(x, (dtypes.complex64, dtypes.complex128), fft_type.name,
                 "complex64 or complex128")
    if fft_type == FftType.IRFFT:
        _check_lengths(x, trailing, (*fft_lengths[:-1], fft_lengths[-1] // 2 + 1), "IRFFT")
        return [shaped_array((*leading, *fft_lengths), _REAL[x.dtype])]
    _check_lengths(x, trailing, fft_lengths, fft_type.name)
    return [shaped_array(x.shape, x.dtype)]


def _check_dtype(x: ShapedArray, accepted: tuple, name: str, needs: str) -> None:
    if x.dtype not in accepted:
        raise shape_error("fft", f"{name} input must be {needs}, got {x.dtype.name}", [x])


def _check_lengths(x: ShapedArray, trailing: tuple, expected: tuple, name: str) -> None:
    if tuple(trailing) != tuple(expected):
        raise shape_error("fft", f"{name} input shape {x.shape} must end in {expected}", [x])


def _half_spectrum_weights(m: int, n: int, dtype: np.dtype) -> np.ndarray:
    """The weights of the ``m = n // 2 + 1`` frequencies of a half spectrum: 1 for frequency
    0 (and ``n / 2`` for even ``n``), which stand for themselves, 2 for the others, which
    also stand for their mirror images."""
    weights = np.full(m, 2, dtype)
    weights[0] = 1
    if n % 2 == 0:
        weights[-1] = 1
    return weights


def _weighted(x: Any, weights: np.ndarray) -> Any:
    """``x`` times ``weights`` along its last axis."""
    shape = aval_of(x).shape
    return mul(x, broadcast_in_dim(weights, shape, (len(shape) - 1,)))


def _rfft_transpose(ct: Any, fft_lengths: tuple[int, ...]) -> Any:
    # y = the first half of F x for real x:  x_bar = Re(F^T pad(ct)) = N irfft(conj(ct) / w),
    # and irfft(conj(z))[j] = irfft(z)[-j]: the same transform, read backwards
    shape = aval_of(ct).shape
    weights = _half_spectrum_weights(shape[-1], fft_lengths[-1], aval_of(ct).dtype)
    spectrum = _weighted(ct, math.prod(fft_lengths) / weights)
    x = fft_p.bind1(spectrum, fft_type=FftType.IRFFT, fft_lengths=fft_lengths)
    return index_negated(x, _axes(len(shape), fft_lengths))


def index_negated(x: Any, axes: tuple[int, ...]) -> Any:
    """``x[-j]`` at ``j`` along each of ``axes`` (indices modulo the axis length)."""
    shape = aval_of(x).shape
    for axis in axes:
        if shape[axis] > 1:
            first = slice(x, (0,) * len(shape), shape[:axis] + (1,) + shape[axis + 1:])
            rest = slice(x, (0,) * axis + (1,) + (0,) * (len(shape) - axis - 1), shape)
            x = concatenate([first, rev(rest, (axis,))], axis)
    return x


def _irfft_transpose(ct: Any, fft_lengths: tuple[int, ...]) -> Any:
    # y = irfft(x):  x_bar = conj(w rfft(ct)) / N, w counting mirror images; for real ct,
    # conj(rfft(ct)) / N is the first half of ifft(ct)
    ct = convert_element_type(ct, _COMPLEX[aval_of(ct).dtype])
    full = fft_p.bind1(ct, fft_type=FftType.IFFT, fft_lengths=fft_lengths)
    shape = aval_of(full).shape
    m = fft_lengths[-1] // 2 + 1
    half = slice(full, (0,) * len(shape), shape[:-1] + (m,))
    return _weighted(half, _half_spectrum_weights(m, fft_lengths[-1], aval_of(ct).dtype))


def _fft_transpose(cts, x, *, fft_type, fft_lengths):
    (ct,) = cts
    if type(ct) is Zero:
        return [Zero(x.aval)]
    if fft_type == FftType.RFFT:
        return [_rfft_transpose(ct, fft_lengths)]
    if fft_type == FftType.IRFFT:
        return [_irfft_transpose(ct, fft_lengths)]
    return [fft_p.bind1(ct, fft_type=fft_type, fft_lengths=fft_lengths)]  # F^T = F


def _fft_batch(args, dims, *, fft_type, fft_lengths):
    # a batch axis among the leading axes stays where it is; one among the transformed
    # axes moves to the front
    (x,), (d,) = args, dims
    ndim = len(aval_of(x).shape)
    if d >= ndim - len(fft_lengths):
        x, d = moveaxis(x, d, 0), 0
    return [fft_p.bind1(x, fft_type=fft_type, fft_lengths=fft_lengths)], [d]


def _fft_lower(in_avals, out_avals, *, fft_type, fft_lengths):
    # the impl's NumPy call (NumPy keeps single precision: its result has the output dtype)
    if 0 in fft_lengths:
        return None
    if len(fft_lengths) == 1:
        n = ", n={n}" if fft_type == FftType.IRFFT else ""
        return Lowering(f"np.fft.{_NUMPY_1D[fft_type].__name__}({{0}}{n}, axis=-1)",
                        {"n": fft_lengths[0]}, fresh=True)
    s = ", s={s}" if fft_type == FftType.IRFFT else ""
    return Lowering(f"np.fft.{_NUMPY[fft_type].__name__}({{0}}{s}, axes={{axes}})",
                    {"s": fft_lengths, "axes": _axes(in_avals[0].ndim, fft_lengths)},
                    fresh=True)


fft_p = Primitive(
    "fft",
    impl=_fft_impl,
    abstract_eval=cached_shape_rule(_fft_shape),
    jvp=linear_jvp(lambda: fft_p),
    transpose=_fft_transpose,
    batch=_fft_batch,
    lower=_fft_lower,
)


def fft_type_of(fft_type: Any) -> FftType:
    """``fft_type`` as an ``FftType``: one already, or its name ("fft", "RFFT", ...)."""
    if isinstance(fft_type, FftType):
        return fft_type
    if isinstance(fft_type, str) and fft_type.upper() in FftType.__members__:
        return FftType[fft_type.upper()]
    if isinstance(fft_type, str):
        raise ValueError(f"Unknown FFT type '{fft_type}'")
    raise TypeError(f"Unknown FFT type value '{fft_type}'")


def fft(x: Any, fft_type: Any, fft_lengths: Sequence[int]) -> Any:
    """``lax.fft``: the transform ``fft_type`` over the last ``len(fft_lengths)`` axes of ``x``,
    which is first converted to a complex dtype (to a float one for RFFT)."""
    fft_type = fft_type_of(fft_type)
    fft_lengths = tuple(int(n) for n in fft_lengths)
    dtype = aval_of(x).dtype
    if fft_type == FftType.RFFT:
        if dtype.kind == "c":
            raise ValueError("only real valued inputs supported for rfft")
        target = dtypes.to_inexact(dtype)
        if target not in _COMPLEX:
            raise ValueError(f"RFFT input must be float32 or float64, got {target.name}")
    else:
        target = dtype if dtype.kind == "c" else _COMPLEX[_single_or_double(dtype)]
    if dtype != target:
        x = convert_element_type(x, target)
    if not fft_lengths:
        return x
    return fft_p.bind1(x, fft_type=fft_type, fft_lengths=fft_lengths)


def _single_or_double(dtype: np.dtype) -> np.dtype:
    """The float dtype whose complex type a non-complex ``dtype`` transforms in."""
    inexact = dtypes.to_inexact(dtype)
    return dtypes.float64 if inexact == dtypes.float64 else dtypes.float32
