"""Complex numbers taken apart and put together: real, imag, conj, complex.

All four are linear over the reals. Their transposes follow JAX's convention: a cotangent
pairs with a tangent by ``<ct, t> = Re(sum(ct * t))`` (no conjugation), so that the
transpose of multiplying by ``c`` is multiplying by ``c``. Under that pairing

    real^T(ct) = ct + 0i        imag^T(ct) = -i ct = conj(0 + i ct)
    conj^T(ct) = conj(ct)       complex^T(ct) = (Re ct, -Im ct) = (Re ct, Im conj(ct))

and the gradient of a real function of ``z = x + iy`` comes out as ``df/dx - i df/dy``,
the conjugate of what one might expect, as JAX documents.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.avals import ShapedArray, shaped_array
from ..core.ir import Literal
from ..core.primitive import Lowering, Primitive, UndefPrimal, Zero
from ..core.trace import aval_of
from .combinators import (
    broadcast_operand_shapes,
    linear_jvp,
    shape_error,
    ufunc_lowering,
    vectorized_batch,
)
from .structural import broadcast_batch, instantiate, unbroadcast

_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}


def real_dtype(dtype: np.dtype) -> np.dtype:
    """The dtype of the real and imaginary parts of a complex dtype."""
    return np.finfo(dtype).dtype


def complex_dtype(dtype: np.dtype) -> np.dtype:
    """The complex dtype whose parts have the float dtype ``dtype`` (float32 or float64)."""
    return _COMPLEX_OF[np.dtype(dtype)]


def _zero_like(aval: ShapedArray) -> Literal:
    """The literal 0 of ``aval``'s dtype; complex broadcasts it against the other part."""
    return Literal(np.zeros((), aval.dtype)[()], shaped_array((), aval.dtype, aval.weak_type))


def _part_shape(name: str):
    """Shape rule of real and imag: a complex operand, a real result of its precision."""

    def rule(x: ShapedArray) -> list[ShapedArray]:
        if x.dtype.kind != "c":
            raise shape_error(name, f"does not accept dtype {x.dtype.name}; it needs a "
                              "complex operand", [x])
        return [shaped_array(x.shape, real_dtype(x.dtype), x.weak_type)]

    return rule


# ---------------------------------------------------------------- real
# real(x + iy) = x; linear: d real(z) = real(dz), real^T(ct) = ct + 0i


def _real_transpose(cts, x):
    (ct,) = cts
    if type(ct) is Zero:
        return [Zero(x.aval)]
    return [complex_p.bind1(ct, _zero_like(aval_of(ct)))]


real_p = Primitive("real", impl=lambda x: [np.real(x).copy()], abstract_eval=_part_shape("real"),
                   jvp=linear_jvp(lambda: real_p), transpose=_real_transpose,
                   batch=vectorized_batch(lambda: real_p),
                   lower=lambda in_avals, out_avals: Lowering("{0}.real.copy()", fresh=True))


# ---------------------------------------------------------------- imag
# imag(x + iy) = y; linear: d imag(z) = imag(dz), imag^T(ct) = -i ct = conj(0 + i ct)


def _imag_transpose(cts, x):
    (ct,) = cts
    if type(ct) is Zero:
        return [Zero(x.aval)]
    return [conj(complex_p.bind1(_zero_like(aval_of(ct)), ct))]


imag_p = Primitive("imag", impl=lambda x: [np.imag(x).copy()], abstract_eval=_part_shape("imag"),
                   jvp=linear_jvp(lambda: imag_p), transpose=_imag_transpose,
                   batch=vectorized_batch(lambda: imag_p),
                   lower=lambda in_avals, out_avals: Lowering("{0}.imag.copy()", fresh=True))


# ---------------------------------------------------------------- conj
# conj(x + iy) = x - iy, of a complex or (as a complex number) a real operand, whose dtype
# ``input_dtype`` records; linear: conj^T(ct) = conj(ct), or Re(ct) for a real operand


def _conj_shape(x: ShapedArray, *, input_dtype: np.dtype) -> list[ShapedArray]:
    if x.dtype.kind == "c":
        return [x]
    if x.dtype not in _COMPLEX_OF:
        raise shape_error("conj", f"does not accept dtype {x.dtype.name}; it needs a "
                          "complex, float32 or float64 operand", [x])
    return [shaped_array(x.shape, complex_dtype(x.dtype), x.weak_type)]


def _conj_impl(x, *, input_dtype):
    x = np.asarray(x)
    return [np.conjugate(x) if x.dtype.kind == "c" else x.astype(complex_dtype(x.dtype))]


def _conj_transpose(cts, x, *, input_dtype):
    (ct,) = cts
    if type(ct) is Zero:
        return [Zero(x.aval)]
    conjugated = conj(ct)
    return [conjugated if x.aval.dtype.kind == "c" else real_p.bind1(conjugated)]


_conj_ufunc_lowering = ufunc_lowering(np.conjugate)


def _conj_lower(in_avals, out_avals, *, input_dtype):
    return _conj_ufunc_lowering(in_avals, out_avals) if in_avals[0].dtype.kind == "c" else None


conj_p = Primitive("conj", impl=_conj_impl, abstract_eval=_conj_shape,
                   jvp=linear_jvp(lambda: conj_p), transpose=_conj_transpose,
                   batch=vectorized_batch(lambda: conj_p), lower=_conj_lower)


# ---------------------------------------------------------------- complex
# complex(x, y) = x + iy of two float32 or float64 operands; linear in the pair:
# d complex = complex(dx, dy), complex^T(ct) = (Re ct, -Im ct)


def _complex_shape(x: ShapedArray, y: ShapedArray) -> list[ShapedArray]:
    shape = broadcast_operand_shapes("complex", [x, y])
    if x.dtype != y.dtype or x.dtype not in _COMPLEX_OF:
        raise shape_error("complex", "requires two operands of one dtype, float32 or float64",
                          [x, y])
    return [shaped_array(shape, complex_dtype(x.dtype), x.weak_type and y.weak_type)]


def _complex_jvp(primals, tangents, outs):
    tx, ty = tangents
    if type(tx) is Zero and type(ty) is Zero:
        return [Zero(aval_of(outs[0]))]
    return [complex_p.bind1(instantiate(tx), instantiate(ty))]


def _complex_transpose(cts, x, y):
    (ct,) = cts
    if type(ct) is Zero:
        return [Zero(x.aval) if type(x) is UndefPrimal else None,
                Zero(y.aval) if type(y) is UndefPrimal else None]
    return [unbroadcast(real_p.bind1(ct), x.aval) if type(x) is UndefPrimal else None,
            unbroadcast(imag_p.bind1(conj(ct)), y.aval) if type(y) is UndefPrimal else None]


def _complex_impl(x, y):
    out = np.empty(np.broadcast_shapes(np.shape(x), np.shape(y)),
                   complex_dtype(np.result_type(x)))
    out.real, out.imag = x, y
    return [out]


complex_p = Primitive("complex", impl=_complex_impl, abstract_eval=_complex_shape,
                      jvp=_complex_jvp, transpose=_complex_transpose,
                      batch=broadcast_batch(lambda: complex_p))


# ---------------------------------------------------------------- lax-level functions


def real(x: Any) -> Any:
    return real_p.bind1(x)


def imag(x: Any) -> Any:
    return imag_p.bind1(x)


def conj(x: Any) -> Any:
    return conj_p.bind1(x, input_dtype=aval_of(x).dtype)


def complex(x: Any, y: Any) -> Any:
    return complex_p.bind1(x, y)
