"""``jaxlite.numpy``: NumPy's API on jaxlite arrays, as ``jax.numpy`` has it.

A thin facade: each function checks its arguments, promotes dtypes and broadcasts
shapes as JAX does, then binds primitives. It holds no differentiation logic, and
works the same on tracers and on concrete arrays.
"""

from __future__ import annotations

import numpy as _np

from ..core.array import Array as ndarray  # noqa: N812 - jnp.ndarray is the array type
from . import array_methods as _array_methods  # noqa: F401 - installs operators on arrays
from . import fft, lax, linalg, nn  # noqa: F401 - jnp.fft, jnp.linalg
from .complex_numbers import (
    angle,
    conj,
    conjugate,
    imag,
    iscomplex,
    iscomplexobj,
    isreal,
    isrealobj,
    real,
)
from .bessel import i0
from .creation import (
    ScalarType,
    arange,
    array,
    asarray,
    empty,
    empty_like,
    eye,
    full,
    full_like,
    identity,
    linspace,
    ones,
    ones_like,
    scalar_types,
    zeros,
    zeros_like,
)
from .differences import diff, ediff1d, gradient
from .index_tricks import c_, r_
from .matrix_construction import (
    diag,
    diagflat,
    diagonal,
    geomspace,
    indices,
    logspace,
    meshgrid,
    trace,
    tri,
    tril,
    triu,
)
from .padding import pad
from .shaping import (
    append,
    array_split,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    broadcast_arrays,
    column_stack,
    dsplit,
    dstack,
    flip,
    fliplr,
    flipud,
    hsplit,
    repeat,
    roll,
    rot90,
    split,
    tile,
    vsplit,
)
from .manipulation import (
    broadcast_to,
    concatenate,
    expand_dims,
    hstack,
    moveaxis,
    ndim,
    ravel,
    reshape,
    shape,
    size,
    squeeze,
    stack,
    swapaxes,
    transpose,
    vstack,
    where,
)
from .einsum_api import einsum, einsum_path
from .nan_reductions import (
    nanargmax,
    nanargmin,
    nancumprod,
    nancumsum,
    nanprod,
    nanstd,
    nanvar,
)
from .index_routines import (
    argwhere,
    flatnonzero,
    nonzero,
    put_along_axis,
    take,
    take_along_axis,
)
from .polynomial_products import convolve, correlate, cross, kron
from .products import dot, inner, matmul, matvec, outer, tensordot, vdot, vecdot, vecmat
from .selection import piecewise, select
from .sorting import argsort, lexsort, searchsorted, sort
from .statistics import (
    median,
    nanmedian,
    nanpercentile,
    nanquantile,
    percentile,
    quantile,
)
from .unique import unique
from .reductions import (
    all,
    allclose,
    amax,
    amin,
    any,
    argmax,
    argmin,
    array_equal,
    array_equiv,
    average,
    count_nonzero,
    cumprod,
    cumsum,
    cumulative_prod,
    cumulative_sum,
    isclose,
    max,
    mean,
    min,
    nanmax,
    nanmean,
    nanmin,
    nansum,
    prod,
    ptp,
    std,
    sum,
    var,
)
from .ufuncs import (
    abs,
    absolute,
    add,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    around,
    bitwise_and,
    bitwise_left_shift,
    bitwise_not,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
    cbrt,
    ceil,
    clip,
    copysign,
    cos,
    cosh,
    deg2rad,
    degrees,
    divide,
    divmod,
    equal,
    exp,
    exp2,
    expm1,
    fix,
    float_power,
    floor,
    floor_divide,
    fmod,
    gcd,
    greater,
    greater_equal,
    heaviside,
    hypot,
    invert,
    isfinite,
    isinf,
    isnan,
    lcm,
    left_shift,
    less,
    less_equal,
    log,
    log10,
    log1p,
    log2,
    logaddexp,
    logaddexp2,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    maximum,
    minimum,
    mod,
    multiply,
    nan_to_num,
    negative,
    not_equal,
    positive,
    power,
    rad2deg,
    radians,
    reciprocal,
    remainder,
    right_shift,
    rint,
    round,
    sign,
    signbit,
    sin,
    sinc,
    sinh,
    sqrt,
    square,
    subtract,
    tan,
    tanh,
    true_divide,
    trunc,
)

_scalars = scalar_types(["bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                         "uint64", "float16", "float32", "float64", "complex64", "complex128"])
bool_ = _scalars["bool_"]
int8, int16, int32, int64 = (_scalars[n] for n in ("int8", "int16", "int32", "int64"))
uint8, uint16, uint32, uint64 = (_scalars[n] for n in ("uint8", "uint16", "uint32", "uint64"))
float16, float32, float64 = (_scalars[n] for n in ("float16", "float32", "float64"))
complex64, complex128 = _scalars["complex64"], _scalars["complex128"]
csingle, cdouble, complex_ = complex64, complex128, complex128
complexfloating = _np.complexfloating
finfo, iinfo = _np.finfo, _np.iinfo  # (they take jnp's scalar types and arrays)
float_ = float64
int_ = int64
dtype = _np.dtype
inexact, floating, integer, number = _np.inexact, _np.floating, _np.integer, _np.number
pi, e, inf, nan, newaxis = _np.pi, _np.e, _np.inf, _np.nan, None
issubdtype = _np.issubdtype
