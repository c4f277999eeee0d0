"""Products built on ``dot_general``: dot, matmul, vdot, inner, outer, tensordot, and the
batched vector products vecdot, matvec, vecmat."""

from __future__ import annotations

from typing import Any, Sequence

from ..core.trace import ARRAY_TYPES, aval_of
from ..primitives.complex_parts import conj
from ..primitives.linalg import dot_general, dot_general_p
from . import manipulation, reductions, ufuncs
from ._util import array_operand, broadcast_shapes, broadcast_to_shape, promote
from .manipulation import ravel


def _operands(name: str, a: Any, b: Any) -> list[Any]:
    return promote(array_operand(a, name), array_operand(b, name, 1))


def _contract(a: Any, b: Any, a_axes: Sequence[int], b_axes: Sequence[int]) -> Any:
    dtype = aval_of(a).dtype
    return dot_general(a, b, ((tuple(a_axes), tuple(b_axes)), ((), ())), dtype)


def dot(a: Any, b: Any) -> Any:
    """NumPy's dot: contract the last axis of ``a`` with the second-to-last of ``b``."""
    a, b = _operands("dot", a, b)
    a_nd, b_nd = aval_of(a).ndim, aval_of(b).ndim
    if a_nd == 0 or b_nd == 0:
        return ufuncs.multiply(a, b)
    _check_sizes("dot", a, b, a_nd - 1, max(b_nd - 2, 0))
    return _contract(a, b, (a_nd - 1,), (max(b_nd - 2, 0),))


def _check_sizes(name: str, a: Any, b: Any, i: int, j: int) -> None:
    sa, sb = aval_of(a).shape, aval_of(b).shape
    if sa[i] != sb[j]:
        raise TypeError(f"{name}: contracting dimensions must match, got shapes {sa} and {sb} "
                        f"(axis {i} of size {sa[i]} against axis {j} of size {sb[j]})")


_MATRIX_PRODUCT = (((1,), (0,)), ((), ()))


def matmul(a: Any, b: Any) -> Any:
    """Matrix product with NumPy's rules: leading axes are batch axes and broadcast."""
    if type(a) in ARRAY_TYPES and type(b) in ARRAY_TYPES:
        a_aval, b_aval = a.aval, b.aval  # two matrices of one type: the common case, at once
        if (a_aval.dtype is b_aval.dtype and a_aval.weak_type == b_aval.weak_type
                and len(a_aval.shape) == 2 == len(b_aval.shape)
                and a_aval.shape[1] == b_aval.shape[0]):
            return dot_general_p.bind1(a, b, dimension_numbers=_MATRIX_PRODUCT,
                                       preferred_element_type=a_aval.dtype)
    a, b = _operands("matmul", a, b)
    a_shape, b_shape = aval_of(a).shape, aval_of(b).shape
    if not a_shape or not b_shape:
        raise ValueError("matmul: operands must not be scalars; use * for scalars")
    a_vec, b_vec = len(a_shape) == 1, len(b_shape) == 1
    if a_shape[-1] != b_shape[-1 if b_vec else -2]:
        raise TypeError(f"matmul: contracting dimensions must match, got shapes {a_shape} and "
                        f"{b_shape} (axis {len(a_shape) - 1} of size {a_shape[-1]} against axis "
                        f"{0 if b_vec else len(b_shape) - 2} of size "
                        f"{b_shape[-1 if b_vec else -2]})")
    if a_vec or b_vec:  # a vector operand is contracted directly: no batch axes to align
        return _contract(a, b, (len(a_shape) - 1,), (0 if b_vec else len(b_shape) - 2,))
    batch = broadcast_shapes(a_shape[:-2], b_shape[:-2], name="matmul")
    nb = len(batch)
    if nb:
        a = broadcast_to_shape(a, batch + a_shape[-2:])
        b = broadcast_to_shape(b, batch + b_shape[-2:])
    numbers = (((nb + 1,), (nb,)), (tuple(range(nb)), tuple(range(nb))))
    return dot_general(a, b, numbers, aval_of(a).dtype)


def vdot(a: Any, b: Any) -> Any:
    """Dot product of the flattened arrays, conjugating ``a`` if it is complex."""
    a = array_operand(a, "vdot")
    if aval_of(a).dtype.kind == "c":
        a = conj(a)
    return dot(ravel(a), ravel(b))


def inner(a: Any, b: Any) -> Any:
    """Contract the last axes of ``a`` and ``b``."""
    a, b = _operands("inner", a, b)
    a_nd, b_nd = aval_of(a).ndim, aval_of(b).ndim
    if a_nd == 0 or b_nd == 0:
        return ufuncs.multiply(a, b)
    _check_sizes("inner", a, b, a_nd - 1, b_nd - 1)
    return _contract(a, b, (a_nd - 1,), (b_nd - 1,))


def outer(a: Any, b: Any) -> Any:
    """The outer product of the flattened arrays."""
    a, b = _operands("outer", a, b)
    a, b = ravel(a), ravel(b)
    return _contract(a, b, (), ())


def tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    """Contract the last ``axes`` axes of ``a`` with the first of ``b`` (or explicit pairs)."""
    a, b = _operands("tensordot", a, b)
    a_nd = aval_of(a).ndim
    if isinstance(axes, int):
        a_axes, b_axes = tuple(range(a_nd - axes, a_nd)), tuple(range(axes))
    else:
        a_axes, b_axes = (tuple(x) if isinstance(x, (list, tuple)) else (x,) for x in axes)
    for i, j in zip(a_axes, b_axes):
        _check_sizes("tensordot", a, b, i, j)
    return _contract(a, b, a_axes, b_axes)


def vecdot(x1: Any, x2: Any, /, *, axis: int = -1) -> Any:
    """Dot products of the vectors along ``axis`` (other axes broadcast), conjugating ``x1``
    if it is complex: ``sum(conj(x1) * x2, axis)``."""
    x1, x2 = _operands("vecdot", x1, x2)
    x1, x2 = (manipulation.moveaxis(x, axis, -1) for x in (x1, x2))
    if aval_of(x1).shape[-1] != aval_of(x2).shape[-1]:
        raise ValueError(f"vecdot: the vectors along axis {axis} must have one size, got "
                         f"shapes {aval_of(x1).shape} and {aval_of(x2).shape} (axis moved last)")
    if aval_of(x1).dtype.kind == "c":
        x1 = conj(x1)
    return reductions.sum(ufuncs.multiply(x1, x2), axis=-1)


def matvec(x1: Any, x2: Any, /) -> Any:
    """Matrix-vector products of stacks: ``x1 (..., m, n)`` times ``x2 (..., n)``."""
    x1, x2 = _operands("matvec", x1, x2)
    return manipulation.squeeze(matmul(x1, manipulation.expand_dims(x2, -1)), -1)


def vecmat(x1: Any, x2: Any, /) -> Any:
    """Vector-matrix products of stacks, conjugating the vectors ``x1 (..., m)`` if complex:
    ``conj(x1) x2`` for ``x2 (..., m, n)``."""
    x1, x2 = _operands("vecmat", x1, x2)
    if aval_of(x1).dtype.kind == "c":
        x1 = conj(x1)
    return manipulation.squeeze(matmul(manipulation.expand_dims(x1, -2), x2), -2)
