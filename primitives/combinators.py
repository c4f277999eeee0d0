"""Rule combinators: the shape, jvp and batching rules that whole families share.

With these, declaring a primitive takes a line or two per rule:
``unary_shape_rule(kind)`` for the shape rule of a one-operand elementwise op,
``nary_shape_rule`` for n-ary ops, ``reduced_shape`` for reductions, ``zero_jvp`` for
non-differentiable ops, ``linear_jvp`` for ops linear in their one operand,
``vectorized_batch`` for ops that act on each element alone, ``reducer_batch`` for
reductions (``structural.broadcast_batch`` batches n-ary elementwise ops), and
``ufunc_lowering`` for the code jit generates for ops that are ufuncs.

A combinator whose rule binds the primitive it belongs to takes that primitive as a
thunk, ``lambda: x_p``, so that the rule can sit inside ``x_p``'s own declaration.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.avals import ShapedArray, shaped_array
from ..core.cache import bounded_cache, cache_put
from ..core.errors import ShapeError
from ..core.ir import user_source_info
from ..core.primitive import NOT_MAPPED, Lowering, Primitive, Zero
from ..core.trace import aval_of

FLOAT = "floating"
INEXACT = "inexact"
INTEGER = "integer"
NUMBER = "number"  # int, float or complex
REAL = "real"  # int or float
ANY = "any"  # numbers and bool

_KIND_CHECKS: dict[str, Callable[[np.dtype], bool]] = {
    FLOAT: dtypes.is_float,
    INEXACT: dtypes.is_inexact,
    INTEGER: dtypes.is_integer,
    NUMBER: lambda d: d != dtypes.bool_,
    REAL: lambda d: d != dtypes.bool_ and d.kind != "c",
    ANY: lambda d: True,
}
_kind_cache: dict[tuple[str, np.dtype], bool] = bounded_cache(f"{__name__}._kind_cache", 256)


def is_kind(kind: str, dtype: np.dtype) -> bool:
    """Whether ``dtype`` belongs to ``kind`` (cached: shape rules run on every bind)."""
    key = (kind, dtype)
    result = _kind_cache.get(key)
    if result is None:
        result = cache_put(_kind_cache, key, _KIND_CHECKS[kind](dtype))
    return result


def shape_error(name: str, message: str, avals: Sequence[ShapedArray]) -> ShapeError:
    """A ShapeError naming the primitive, its operand avals and the user's source line."""
    operands = ", ".join(str(a) for a in avals)
    return ShapeError(f"{name}: {message} (operands: {operands}) at {user_source_info(skip=2)}")


def check_dtype(name: str, kind: str, avals: Sequence[ShapedArray]) -> None:
    for aval in avals:
        if not is_kind(kind, aval.dtype):
            raise shape_error(name, f"does not accept dtype {aval.dtype.name}; it needs {kind} "
                              "operands", avals)


def _ufunc_returns_arrays() -> bool:
    try:
        return type(np.negative(np.float32(1), out=...)) is np.ndarray
    except TypeError:
        return False


_ARRAY_OUT = _ufunc_returns_arrays()  # NumPy >= 2.3 takes out=... (no scalar results)


def ufunc_impl(ufunc: np.ufunc) -> Callable[..., list]:
    """The impl of an elementwise primitive that is a NumPy ufunc.

    On 0-d operands NumPy returns scalars, which bind would convert back to 0-d arrays;
    where NumPy supports it (``out=...``) the ufunc returns arrays directly, which is cheaper.
    """
    if ufunc.nin == 1:
        return (lambda x: [ufunc(x, out=...)]) if _ARRAY_OUT else (lambda x: [ufunc(x)])
    return (lambda x, y: [ufunc(x, y, out=...)]) if _ARRAY_OUT else (lambda x, y: [ufunc(x, y)])


def _scalar_operator_ok(dtype: np.dtype) -> bool:
    """Whether Python's operators on NumPy scalars of ``dtype`` compute what the ufunc computes:
    for float32 and float64 they do the same IEEE operation (on integers they warn on overflow,
    which the ufuncs do not; half and complex arithmetic go other ways)."""
    return dtype in (np.float32, np.float64)


def ufunc_lowering(ufunc: np.ufunc, operator: str | None = None,
                   scalar_ok: Callable[[np.dtype], bool] = _scalar_operator_ok) -> Callable:
    """The ``lower`` rule of an elementwise primitive whose impl is ``ufunc_impl(ufunc)``.

    On 0-d operands of a dtype ``scalar_ok`` accepts, ``operator`` (e.g. ``"{0} * {1}"``):
    NumPy computes it on scalars with the same arithmetic, ten times faster than the ufunc.
    """
    by_ufunc = Lowering(ufunc=ufunc)
    by_operator = operator and Lowering(operator)

    def lower(in_avals, out_avals, **params) -> Lowering:
        if by_operator and all(a.shape == () and scalar_ok(a.dtype) for a in in_avals):
            return by_operator
        return by_ufunc

    return lower


def unary_shape_rule(name: str, kind: str = NUMBER) -> Callable[..., list[ShapedArray]]:
    """Shape rule of a one-operand elementwise op: the output aval is the operand's."""

    accepted: dict[ShapedArray, bool] = bounded_cache(f"shape rule of {name} ({kind})", 1024)

    def rule(x: ShapedArray) -> list[ShapedArray]:
        if x not in accepted:
            check_dtype(name, kind, [x])
            cache_put(accepted, x, True)
        return [x]

    return rule


def broadcast_operand_shapes(name: str, avals: Sequence[ShapedArray]) -> tuple[int, ...]:
    """The common shape of elementwise operands: all equal, except that scalars broadcast."""
    shape = ()
    for aval in avals:
        if aval.shape != shape:
            if shape == ():
                shape = aval.shape
            elif aval.shape != ():
                raise shape_error(name, "got incompatible shapes for an elementwise operation; "
                                  "broadcast the operands to one shape first", avals)
    return shape


def nary_shape_rule(name: str, kind: str = NUMBER, out_dtype: np.dtype | None = None):
    """Shape rule of an n-ary elementwise op whose operands share one dtype."""

    # operand avals -> output aval
    known: dict[tuple[ShapedArray, ...], ShapedArray] = bounded_cache(
        f"shape rule of {name} ({kind})", 1024)

    def rule(*avals: ShapedArray) -> list[ShapedArray]:
        out = known.get(avals)
        if out is not None:
            return [out]
        shape = broadcast_operand_shapes(name, avals)
        first = avals[0]
        dtype = first.dtype
        for aval in avals:
            if aval.dtype != dtype:
                raise shape_error(name, "requires operands of one dtype; convert them with "
                                  "astype or use the jnp function, which promotes", avals)
        weak = all(a.weak_type for a in avals)
        if not is_kind(kind, dtype):
            check_dtype(name, kind, avals)
        out = shaped_array(shape, dtype if out_dtype is None else out_dtype,
                           weak and out_dtype is None)
        cache_put(known, avals, out)
        return [out]

    return rule


def cached_shape_rule(rule: Callable[..., list[ShapedArray]],
                      name: str | None = None) -> Callable[..., list[ShapedArray]]:
    """Memoise a shape rule on its avals and params (for rules that do real work per call);
    ``name`` (of the primitive) names the cache when one function serves several."""
    cache: dict[tuple, list[ShapedArray]] = bounded_cache(
        f"shape rule of {name}" if name else f"{rule.__module__}.{rule.__qualname__}", 1024)

    def cached(*avals: ShapedArray, **params: Any) -> list[ShapedArray]:
        key = (avals, tuple(params.items()))
        try:
            return cache[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable param: no caching
            return rule(*avals, **params)
        return cache_put(cache, key, rule(*avals, **params))

    cached.__wrapped__ = rule  # type: ignore[attr-defined]
    return cached


def check_axes(name: str, axes: Sequence[int], ndim: int, avals: Sequence[ShapedArray]) -> None:
    """Reject axes out of ``range(ndim)`` or named twice."""
    if any(not 0 <= a < ndim for a in axes) or len(set(axes)) != len(axes):
        raise shape_error(name, f"axes {tuple(axes)} must be distinct and in range for "
                          f"{ndim} dimensions", avals)


def reduced_shape(name: str, x: ShapedArray, axes: Sequence[int]) -> tuple[int, ...]:
    """The shape of ``x`` reduced over ``axes`` (which are checked)."""
    check_axes(name, axes, x.ndim, [x])
    return tuple(s for i, s in enumerate(x.shape) if i not in axes)


def shift_axes(axes: tuple[int, ...], d: int) -> tuple[int, ...]:
    """Axes of an unbatched operand, renumbered for the operand with a batch axis at ``d``
    (cached: batching rules ask for the same few on every bind)."""
    key = (axes, d)
    shifted = _shifted_axes.get(key)
    if shifted is None:
        shifted = cache_put(_shifted_axes, key, tuple([a + (a >= d) for a in axes]))
    return shifted


_shifted_axes: dict = bounded_cache(f"{__name__}._shifted_axes", 1024)


def axes_before(axes: Sequence[int], d: int) -> int:
    """How many of ``axes`` come before axis ``d``: by how much removing them moves ``d``."""
    count = 0
    for a in axes:
        if a < d:
            count += 1
    return count


def zero_jvp(primals: Sequence[Any], tangents: Sequence[Any], outs: Sequence[Any], **params):
    """The jvp of a piecewise-constant op (comparisons, sign, floor, argmax): zero."""
    return [Zero(aval_of(out)) for out in outs]


def linear_jvp(prim_ref: Callable[[], Primitive]) -> Callable:
    """Jvp rule of an op linear in its one operand: apply it to the tangent."""

    def jvp(primals: Sequence[Any], tangents: Sequence[Any], outs: Sequence[Any], **params):
        (t,) = tangents
        return [Zero(aval_of(outs[0])) if type(t) is Zero else prim_ref().bind1(t, **params)]

    return jvp


def vectorized_batch(prim_ref: Callable[[], Primitive]) -> Callable:
    """Batching rule of an op that acts on each element alone: apply it as it is."""

    def rule(args: Sequence[Any], dims: Sequence[int | None], **params):
        return prim_ref().bind(*args, **params), [dims[0]]

    return rule


def reducer_batch(prim_ref: Callable[[], Primitive]) -> Callable:
    """Batching rule of a reduction over ``axes``: reduce the same axes, around the batch axis."""

    def rule(args: Sequence[Any], dims: Sequence[int | None], *, axes, **params):
        (x,), (d,) = args, dims
        return prim_ref().bind(x, axes=shift_axes(axes, d), **params), [d - axes_before(axes, d)]

    return rule


def batch_size(args: Sequence[Any], dims: Sequence[int | None]) -> int:
    """The size of the batch axis, read off the first batched argument."""
    for x, d in zip(args, dims):
        if d is not NOT_MAPPED:
            return aval_of(x).shape[d]
    raise ValueError("batch_size: no argument is batched")
