"""Reductions other than reduce_sum (which is structural): max, min, prod, argmax, argmin.

The tangent of a max or min is shared evenly among the elements that attain it, as in
JAX; argmax and argmin return indices, whose tangents are zero.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.avals import shaped_array
from ..core.primitive import NOT_LINEAR, Lowering, Primitive, Zero
from ..core.trace import aval_of
from .combinators import cached_shape_rule, reduced_shape, reducer_batch, shape_error, zero_jvp
from .comparison import eq
from .elementwise import add, div, mul
from .shape import pad, reshape, slice
from .structural import broadcast_in_dim, convert_element_type, reduce_sum, transpose


def _reduce_shape_rule(name: str):
    def rule(x, *, axes):
        return [shaped_array(reduced_shape(name, x, axes), x.dtype, x.weak_type)]

    return cached_shape_rule(rule, name)


def _lowest(dtype: np.dtype) -> Any:
    return -np.inf if dtypes.is_inexact(dtype) else np.iinfo(dtype).min if dtype != bool else False


def _highest(dtype: np.dtype) -> Any:
    return np.inf if dtypes.is_inexact(dtype) else np.iinfo(dtype).max if dtype != bool else True


def _reduce_lowering(ufunc: str, initial: Any) -> Any:
    """``np.<ufunc>.reduce(x, axis=axes, initial=initial(dtype))``, as the impls below."""

    def lower(in_avals, out_avals, *, axes):
        return Lowering(f"np.{ufunc}.reduce({{0}}, axis={{axes}}, initial={{initial}})",
                        {"axes": axes, "initial": initial(in_avals[0].dtype)}, fresh=bool(axes))

    return lower


# ---------------------------------------------------------------- reduce_max, reduce_min
# d max(x) = mean of dx over the positions where x attains the max


def _chooser_jvp(primals, tangents, outs, *, axes):
    (x,), (t,), (out,) = primals, tangents, outs
    if type(t) is Zero:
        return [Zero(aval_of(out))]
    shape = aval_of(x).shape
    kept = tuple(i for i in range(len(shape)) if i not in axes)
    at_extreme = convert_element_type(eq(x, broadcast_in_dim(out, shape, kept)), t.aval.dtype)
    return [div(reduce_sum(mul(t, at_extreme), axes), reduce_sum(at_extreme, axes))]


reduce_max_p = Primitive(
    "reduce_max",
    impl=lambda x, *, axes: [np.maximum.reduce(x, axis=axes, initial=_lowest(x.dtype))],
    abstract_eval=_reduce_shape_rule("reduce_max"),
    jvp=_chooser_jvp,
    transpose=NOT_LINEAR,
    batch=reducer_batch(lambda: reduce_max_p),
    lower=_reduce_lowering("maximum", _lowest),
)

reduce_min_p = Primitive(
    "reduce_min",
    impl=lambda x, *, axes: [np.minimum.reduce(x, axis=axes, initial=_highest(x.dtype))],
    abstract_eval=_reduce_shape_rule("reduce_min"),
    jvp=_chooser_jvp,
    transpose=NOT_LINEAR,
    batch=reducer_batch(lambda: reduce_min_p),
    lower=_reduce_lowering("minimum", _highest),
)


# ---------------------------------------------------------------- reduce_prod
# d prod(x) by the product rule over a balanced tree of pairwise products, exact at zeros


def _pairwise_product_jvp(x: Any, t: Any) -> Any:
    """Tangent of the product over axis 0 of ``x`` (shape (n, m)) given tangent ``t``."""
    n, m = aval_of(x).shape
    while n > 1:
        if n % 2:
            x = pad(x, np.ones((), aval_of(x).dtype), ((0, 1, 0), (0, 0, 0)))
            t = pad(t, np.zeros((), aval_of(t).dtype), ((0, 1, 0), (0, 0, 0)))
            n += 1
        halves = [(slice(v, (0, 0), (n, m), (2, 1)), slice(v, (1, 0), (n, m), (2, 1)))
                  for v in (x, t)]
        (x0, x1), (t0, t1) = halves
        x, t = mul(x0, x1), add(mul(t0, x1), mul(x0, t1))
        n //= 2
    return reshape(t, (m,))


def _reduce_prod_jvp(primals, tangents, outs, *, axes):
    (x,), (t,), (out,) = primals, tangents, outs
    if type(t) is Zero:
        return [Zero(aval_of(out))]
    shape = aval_of(x).shape
    kept = [i for i in range(len(shape)) if i not in axes]
    n = math.prod([shape[a] for a in axes])
    m = math.prod([shape[k] for k in kept])
    if n == 0:
        return [Zero(aval_of(out))]
    perm = tuple(axes) + tuple(kept)
    flat_x, flat_t = (reshape(transpose(v, perm), (n, m)) for v in (x, t))
    return [reshape(_pairwise_product_jvp(flat_x, flat_t), aval_of(out).shape)]


reduce_prod_p = Primitive(
    "reduce_prod",
    impl=lambda x, *, axes: [np.prod(x, axis=axes, dtype=np.asarray(x).dtype)],
    abstract_eval=_reduce_shape_rule("reduce_prod"),
    jvp=_reduce_prod_jvp,
    transpose=NOT_LINEAR,
    batch=reducer_batch(lambda: reduce_prod_p),
)


# ---------------------------------------------------------------- argmax, argmin
# index of the first extreme element along one axis; piecewise constant


def _arg_shape_rule(name: str):
    def rule(x, *, axes, index_dtype):
        if len(axes) != 1:
            raise shape_error(name, "reduces exactly one axis", [x])
        if x.dtype.kind == "c":  # (as in JAX: complex numbers have no order to compare by)
            raise shape_error(name, f"does not accept dtype {x.dtype.name}", [x])
        if not dtypes.is_integer(index_dtype):
            raise shape_error(name, f"index_dtype must be an integer type, but got "
                              f"{np.dtype(index_dtype).name}", [x])
        shape = reduced_shape(name, x, axes)
        if x.shape[axes[0]] == 0:
            raise shape_error(name, "cannot reduce an axis of size 0", [x])
        return [shaped_array(shape, index_dtype, False)]

    return rule


argmax_p = Primitive(
    "argmax",
    impl=lambda x, *, axes, index_dtype: [np.argmax(x, axis=axes[0]).astype(index_dtype)],
    abstract_eval=_arg_shape_rule("argmax"),
    jvp=zero_jvp,
    transpose=NOT_LINEAR,
    batch=reducer_batch(lambda: argmax_p),
)

argmin_p = Primitive(
    "argmin",
    impl=lambda x, *, axes, index_dtype: [np.argmin(x, axis=axes[0]).astype(index_dtype)],
    abstract_eval=_arg_shape_rule("argmin"),
    jvp=zero_jvp,
    transpose=NOT_LINEAR,
    batch=reducer_batch(lambda: argmin_p),
)


def reduce_max(x: Any, axes: Sequence[int]) -> Any:
    return reduce_max_p.bind1(x, axes=tuple(map(int, axes)))


def reduce_min(x: Any, axes: Sequence[int]) -> Any:
    return reduce_min_p.bind1(x, axes=tuple(map(int, axes)))


def reduce_prod(x: Any, axes: Sequence[int]) -> Any:
    return reduce_prod_p.bind1(x, axes=tuple(map(int, axes)))


def argmax(x: Any, axis: int, index_dtype: Any) -> Any:
    return argmax_p.bind1(x, axes=(int(axis),), index_dtype=dtypes.canonicalize(index_dtype))


def argmin(x: Any, axis: int, index_dtype: Any) -> Any:
    return argmin_p.bind1(x, axes=(int(axis),), index_dtype=dtypes.canonicalize(index_dtype))
