"""``jaxlite.random``'s samplers built directly on uniform bits: uniform, normal, and the
other continuous ones by inverting a CDF, integers, booleans, permutations and choices,
each JAX's computation step by step (``jaxlite.random``'s docstring says how exactly).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import bitwise
from ..primitives import comparison as cmp
from ..primitives import complex_parts
from ..primitives import elementwise as ew
from ..primitives import shape as shape_ops
from ..primitives.cumulative import cumsum
from ..primitives.normal_bits import normal_bits
from ..primitives.sorting import sort_by
from ..primitives.special import erf_inv, fma
from ..primitives.structural import broadcast_in_dim, convert_element_type
from . import creation, manipulation, reductions, ufuncs
from .gamma_functions import quiet
from .random_keys import (
    random_bits,
    split,
    static_shape,
    unwrap_key,
    user_dtype,
)


def bits(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Uniform random unsigned integers (default uint32; uint64 under x64)."""
    data, _ = unwrap_key("bits", key)
    dtype = user_dtype("bits", dtype, dtypes.default_uint(), np.unsignedinteger)
    return random_bits(data, dtype.itemsize * 8, static_shape("bits", shape))


def uniform_floats(data: Any, shape: tuple[int, ...], dtype: np.dtype, minval: Any,
                   maxval: Any) -> Any:
    """Floats in [minval, maxval): random mantissa bits under the exponent of 1.0, minus 1,
    scaled and shifted (JAX's derivation, step by step)."""
    finfo = np.finfo(dtype)
    nbits, nmant = finfo.bits, finfo.nmant
    uint = np.dtype(f"u{nbits // 8}")
    raw = random_bits(data, nbits, shape)
    mantissa = bitwise.shift_right_logical(raw, np.asarray(nbits - nmant, uint))
    one_bits = np.asarray(1.0, dtype).view(uint)
    floats = bitwise.bitcast_convert_type(cmp.or_p.bind1(mantissa, one_bits), dtype)
    floats = ew.sub(floats, np.asarray(1.0, dtype))
    minval = _broadcast_rank(convert_element_type(minval, dtype), len(shape))
    maxval = _broadcast_rank(convert_element_type(maxval, dtype), len(shape))
    # XLA fuses floats * (maxval - minval) + minval into one multiply-add
    span = _sub(maxval, minval)
    floats, span, low = _broadcast_all(floats, span, minval)
    return _max(minval, shape_ops.reshape(fma(floats, span, low), shape))


def _broadcast_rank(x: Any, rank: int) -> Any:
    aval = aval_of(x)
    if aval.ndim == rank or aval.ndim == 0:
        return x
    return shape_ops.reshape(x, (1,) * (rank - aval.ndim) + aval.shape)


def _elementwise(prim_fn):
    """A lax op that broadcasts its operands to one shape (as XLA's implicit broadcast does
    for size-1 dimensions when JAX lowers ``x * (maxval - minval)``)."""

    def apply(x: Any, y: Any) -> Any:
        sx, sy = aval_of(x).shape, aval_of(y).shape
        if sx != sy and sx != () and sy != ():
            shape = np.broadcast_shapes(sx, sy)
            x, y = (manipulation.broadcast_to(x, shape), manipulation.broadcast_to(y, shape))
        return prim_fn(x, y)

    return apply


_sub, _max = _elementwise(ew.sub), _elementwise(ew.maximum)


def _broadcast_all(*xs: Any) -> list:
    """Operands of an elementwise op, broadcast to their common shape (scalars stay)."""
    shapes = [aval_of(x).shape for x in xs]
    shape = np.broadcast_shapes(*shapes)
    return [x if s in ((), shape) else manipulation.broadcast_to(x, shape)
            for x, s in zip(xs, shapes)]


def uniform(key: Any, shape: Sequence[int] = (), dtype: Any = None, minval: Any = 0.0,
            maxval: Any = 1.0) -> Any:
    """Uniform floats in ``[minval, maxval)`` (default float32; float64 under x64).

    >>> jaxlite.random.uniform(jaxlite.random.key(0), (2,))
    """
    data, _ = unwrap_key("uniform", key)
    dtype = user_dtype("uniform", dtype, dtypes.default_float(), np.floating)
    shape = static_shape("uniform", shape)
    check_param_shapes("uniform", shape, minval, maxval)
    return uniform_floats(data, shape, dtype, minval, maxval)


def check_param_shapes(name: str, shape: tuple[int, ...], *params: Any) -> None:
    shapes = [np.shape(p) if not hasattr(p, "aval") else aval_of(p).shape for p in params]
    try:
        compatible = not shapes or np.broadcast_shapes(shape, *shapes) == shape
    except ValueError:
        compatible = False
    if not compatible:
        raise ValueError(f"{name} parameter shapes must be broadcast-compatible with shape "
                         f"argument, and the result of broadcasting the shapes must equal the "
                         f"shape argument, but got parameter shapes {shapes} for shape {shape}.")


def sample_shape(name: str, shape: Any, *params: Any) -> tuple[int, ...]:
    """The shape of the samples: ``shape`` (static, checked against the parameters'
    shapes), or, when None, the parameters' shapes broadcast together."""
    if shape is None:
        return np.broadcast_shapes(*(aval_of(p).shape for p in params))
    shape = static_shape(name, shape)
    check_param_shapes(name, shape, *params)
    return shape


def normal(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard normal floats: ``sqrt(2) * erf_inv(u)`` for ``u`` uniform in (-1, 1). For a
    complex dtype, ``(x + iy) / sqrt(2)`` with ``x`` and ``y`` drawn so from the two halves
    of the key split, as JAX draws them (so that ``E|z|^2 = 1``)."""
    data, _ = unwrap_key("normal", key)
    dtype = user_dtype("normal", dtype, dtypes.default_float(), np.inexact)
    shape = static_shape("normal", shape)
    if dtype.kind != "c":
        return _real_normal(data, shape, dtype)
    part_dtype = complex_parts.real_dtype(dtype)
    keys = split(data)
    # (XLA divides by the constant sqrt(2) as a product with its rounded reciprocal)
    inverse_sqrt2 = np.asarray(1, part_dtype) / np.asarray(np.sqrt(2), part_dtype)
    real, imag = (ew.mul(_real_normal(keys[i], shape, part_dtype), inverse_sqrt2)
                  for i in (0, 1))
    return complex_parts.complex(real, imag)


def _real_normal(data: Any, shape: tuple[int, ...], dtype: np.dtype) -> Any:
    if dtype == np.float32:  # the same steps, as one primitive that can look samples up
        return normal_bits(random_bits(data, 32, shape))
    lo = np.nextafter(np.asarray(-1.0, dtype), np.asarray(0.0, dtype))
    u = uniform_floats(data, shape, dtype, lo, np.asarray(1.0, dtype))
    return ew.mul(np.asarray(np.sqrt(2), dtype), erf_inv(u))


def truncated_normal(key: Any, lower: Any, upper: Any, shape: Sequence[int] | None = None,
                     dtype: Any = None) -> Any:
    """Normal floats conditioned on ``lower < x < upper``, by inverting the CDF.

    ``lower`` and ``upper`` must be concrete: their ``erf`` is computed in float64 with
    ``math.erf`` and rounded, not with XLA's polynomial, so that a bound's ``erf`` may
    differ from JAX's by an ulp (the recorded cases match JAX bit for bit)."""
    data, _ = unwrap_key("truncated_normal", key)
    dtype = user_dtype("truncated_normal", dtype, dtypes.default_float(), np.floating)
    lower = np.asarray(lower, dtype)
    upper = np.asarray(upper, dtype)
    shape = np.broadcast_shapes(lower.shape, upper.shape) if shape is None else static_shape(
        "truncated_normal", shape)
    check_param_shapes("truncated_normal", shape, lower, upper)
    sqrt2 = np.asarray(np.sqrt(2), dtype)
    a = np.asarray(np.vectorize(math.erf)(lower / sqrt2), dtype)
    b = np.asarray(np.vectorize(math.erf)(upper / sqrt2), dtype)
    u = uniform_floats(data, shape, dtype, a, b)
    out = ew.mul(sqrt2, erf_inv(u))
    low = np.nextafter(lower, np.asarray(np.inf, dtype))
    high = np.nextafter(upper, np.asarray(-np.inf, dtype))
    return ufuncs.clip(out, low, high)


def bernoulli(key: Any, p: Any = 0.5, shape: Sequence[int] | None = None) -> Any:
    """Booleans that are True with probability ``p``: ``uniform < p``."""
    data, _ = unwrap_key("bernoulli", key)
    p = creation.asarray(p)
    dtype = aval_of(p).dtype
    if not dtypes.is_float(dtype):
        raise TypeError(f"bernoulli probability `p` must have a floating dtype, got {dtype}.")
    shape = aval_of(p).shape if shape is None else static_shape("bernoulli", shape)
    check_param_shapes("bernoulli", shape, p)
    return ufuncs.less(uniform_floats(data, shape, dtype, 0.0, 1.0), p)


def rademacher(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """-1 or +1 with equal probability (default int32; int64 under x64)."""
    dtype = user_dtype("rademacher", dtype, dtypes.default_int(), np.number)
    samples = bernoulli(key, 0.5, shape).astype(dtype)
    return (2 * samples - 1).astype(dtype)


def randint(key: Any, shape: Sequence[int], minval: Any, maxval: Any, dtype: Any = None) -> Any:
    """Integers in ``[minval, maxval)``: two words of random bits reduced modulo the span
    (JAX's method; slightly biased when the span is not a power of 2)."""
    data, _ = unwrap_key("randint", key)
    dtype = user_dtype("randint", dtype, dtypes.default_int(), np.integer)
    shape = static_shape("randint", shape)
    check_param_shapes("randint", shape, minval, maxval)
    info = np.iinfo(dtype)
    sample_dtype = dtype
    minval, maxval = creation.asarray(minval), creation.asarray(maxval)
    if not dtypes.is_integer(aval_of(minval).dtype):
        minval = minval.astype(dtypes.default_int())
    if not dtypes.is_integer(aval_of(maxval).dtype):
        maxval = maxval.astype(dtypes.default_int())
    if info.bits < 32:  # sample in 32 bits, as JAX does, to reduce the bias
        sample_dtype = np.dtype(np.int32)
        minval = ufuncs.clip(minval.astype(np.int32), int(info.min), int(info.max))
        maxval = ufuncs.clip(maxval.astype(np.int32), int(info.min), int(info.max) + 1)
    return _randint(data, shape, minval, maxval, sample_dtype).astype(dtype)


def _clip_to(val: Any, dtype: np.dtype) -> Any:
    """``val`` converted to the integer ``dtype``, clipped to its range rather than wrapped."""
    vinfo, info = np.iinfo(aval_of(val).dtype), np.iinfo(dtype)
    low = np.asarray(max(info.min, vinfo.min), aval_of(val).dtype)
    high = np.asarray(min(info.max, vinfo.max), aval_of(val).dtype)
    return ufuncs.clip(val, low, high).astype(dtype)


def _randint(data: Any, shape: tuple[int, ...], minval: Any, maxval: Any,
             dtype: np.dtype) -> Any:
    nbits = np.iinfo(dtype).bits
    top = _clip_to(creation.asarray(np.iinfo(dtype).max, dtype), aval_of(maxval).dtype)
    maxval_out_of_range = ufuncs.greater(maxval, top)
    minval, maxval = _clip_to(minval, dtype), _clip_to(maxval, dtype)
    minval = _broadcast_rank(minval, len(shape))
    maxval = _broadcast_rank(maxval, len(shape))
    k1, k2 = split(data)
    higher_bits, lower_bits = random_bits(k1, nbits, shape), random_bits(k2, nbits, shape)
    unsigned = np.dtype(f"u{nbits // 8}")
    span = convert_element_type(ufuncs.subtract(maxval, minval), unsigned)
    # maxval <= minval gives minval: span 1; a maxval past the dtype's range, one more
    span = manipulation.where(ufuncs.less_equal(maxval, minval), np.asarray(1, unsigned), span)
    past_range = ufuncs.logical_and(maxval_out_of_range, ufuncs.greater(maxval, minval))
    span = manipulation.where(past_range, ufuncs.add(span, np.asarray(1, unsigned)), span)
    # (high * 2**nbits + low) mod span, as ((high mod span) * (2**nbits mod span) + low mod span)
    multiplier = _rem(np.asarray(2 ** (nbits // 2), unsigned), span)
    multiplier = _rem(ufuncs.multiply(multiplier, multiplier), span)
    offset = ufuncs.add(ufuncs.multiply(_rem(higher_bits, span), multiplier),
                        _rem(lower_bits, span))
    offset = _rem(offset, span)
    return ufuncs.add(minval, convert_element_type(offset, dtype))


def _rem(x: Any, y: Any) -> Any:
    """``x mod y`` for unsigned integers, with XLA's ``x mod 0 = x``."""
    y_safe = manipulation.where(ufuncs.equal(y, 0), np.asarray(1, aval_of(y).dtype), y)
    r = ufuncs.subtract(x, ufuncs.multiply(ew.div(*_same_shape(x, y_safe)), y_safe))
    return manipulation.where(ufuncs.equal(y, 0), x, r)


def _same_shape(x: Any, y: Any) -> tuple[Any, Any]:
    sx, sy = aval_of(x).shape, aval_of(y).shape
    if sx == sy or sx == () or sy == ():
        return x, y
    shape = np.broadcast_shapes(sx, sy)
    return manipulation.broadcast_to(x, shape), manipulation.broadcast_to(y, shape)


def exponential(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Exponential floats (rate 1): ``-log1p(-u)``."""
    data, _ = unwrap_key("exponential", key)
    dtype = user_dtype("exponential", dtype, dtypes.default_float(), np.floating)
    u = uniform_floats(data, static_shape("exponential", shape), dtype, 0.0, 1.0)
    return ufuncs.negative(ufuncs.log1p(ufuncs.negative(u)))


def gumbel(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard Gumbel floats: ``-log(-log(u))`` for ``u`` uniform in [tiny, 1)."""
    data, _ = unwrap_key("gumbel", key)
    dtype = user_dtype("gumbel", dtype, dtypes.default_float(), np.floating)
    return _gumbel(data, static_shape("gumbel", shape), dtype)


def _gumbel(data: Any, shape: tuple[int, ...], dtype: np.dtype) -> Any:
    u = uniform_floats(data, shape, dtype, np.finfo(dtype).tiny, 1.0)
    return ufuncs.negative(ufuncs.log(ufuncs.negative(ufuncs.log(u))))


def logistic(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard logistic floats: ``log(u) - log1p(-u)``."""
    data, _ = unwrap_key("logistic", key)
    dtype = user_dtype("logistic", dtype, dtypes.default_float(), np.floating)
    x = uniform_floats(data, static_shape("logistic", shape), dtype, np.finfo(dtype).tiny, 1.0)
    return ufuncs.subtract(ufuncs.log(x), ufuncs.log1p(ufuncs.negative(x)))


def laplace(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard Laplace floats: ``sign(u) * log1p(-|u|)`` for ``u`` uniform in (-1, 1)."""
    data, _ = unwrap_key("laplace", key)
    dtype = user_dtype("laplace", dtype, dtypes.default_float(), np.floating)
    u = uniform_floats(data, static_shape("laplace", shape), dtype, -1.0 + np.finfo(dtype).epsneg, 1.0)
    return ufuncs.multiply(ufuncs.sign(u), ufuncs.log1p(ufuncs.negative(ufuncs.abs(u))))


def cauchy(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard Cauchy floats: ``tan(pi * (u - 1/2))`` for ``u`` uniform in [eps, 1)."""
    data, _ = unwrap_key("cauchy", key)
    dtype = user_dtype("cauchy", dtype, dtypes.default_float(), np.floating)
    u = uniform_floats(data, static_shape("cauchy", shape), dtype, np.finfo(dtype).eps, 1.0)
    pi, half = np.asarray(np.pi, dtype), np.asarray(0.5, dtype)
    return ufuncs.tan(ew.mul(pi, ew.sub(u, half)))


def categorical(key: Any, logits: Any, axis: int = -1, shape: Sequence[int] | None = None) -> Any:
    """Indices drawn with probabilities ``softmax(logits)`` along ``axis``: the argmax of
    logits plus Gumbel noise (with replacement)."""
    data, _ = unwrap_key("categorical", key)
    logits = creation.asarray(logits)
    lshape = aval_of(logits).shape
    axis = axis % len(lshape)
    batch_shape = lshape[:axis] + lshape[axis + 1:]
    shape = batch_shape if shape is None else static_shape("categorical", shape)
    check_param_shapes("categorical", shape, np.empty(batch_shape))
    prefix = shape[:len(shape) - len(batch_shape)]
    noise_shape = list(shape[len(shape) - len(batch_shape):])
    noise_shape.insert(axis, lshape[axis])
    noise = _gumbel(data, (*prefix, *noise_shape), aval_of(logits).dtype)
    expanded = shape_ops.reshape(logits, (1,) * len(prefix) + lshape)
    return reductions.argmax(ufuncs.add(noise, expanded), axis=len(prefix) + axis)


def permutation(key: Any, x: Any, axis: int = 0, independent: bool = False) -> Any:
    """A random permutation of ``range(x)`` (an int) or of ``x`` along ``axis``.

    JAX's sort-based shuffle: stable sorts by fresh 32-bit random keys, repeated
    ``ceil(3 * ln(size) / ln(2**32 - 1))`` times (once below 2**32 / 3 ... elements)."""
    data, _ = unwrap_key("permutation", key)
    if isinstance(x, (int, np.integer)) or (hasattr(x, "shape") and not len(x.shape)):
        n = int(x)
        return _shuffle(data, creation.arange(n), 0)
    x = creation.asarray(x)
    axis = axis % aval_of(x).ndim
    if independent or aval_of(x).ndim == 1:
        return _shuffle(data, x, axis)
    # JAX shuffles arange(n) and takes along axis: the same as sorting every slice by the
    # same (broadcast) keys
    return _shuffle(data, x, axis, keys_shape=(aval_of(x).shape[axis],))


def _shuffle(data: Any, x: Any, axis: int, keys_shape: tuple[int, ...] | None = None) -> Any:
    shape = aval_of(x).shape
    keys_shape = shape if keys_shape is None else keys_shape
    size = math.prod(keys_shape)
    rounds = int(np.ceil(3 * np.log(max(1, size)) / np.log(np.iinfo(np.uint32).max)))
    for _ in range(rounds):
        subkeys = split(data)
        data, subkey = subkeys[0], subkeys[1]
        sort_keys = random_bits(subkey, 32, keys_shape)
        if keys_shape != shape:
            sort_keys = broadcast_in_dim(sort_keys, shape, (axis,))
        x = sort_by(sort_keys, x, axis)
    return x


def take_indices(arr: Any, ind: Any, axis: int) -> Any:
    """``arr`` indexed by the integer array ``ind`` along ``axis`` (``jnp.take``), by
    selecting with a one-hot mask and summing (jaxlite has no gather yet): exact, except
    that a selected -0.0 comes out as +0.0."""
    arr_shape, ind_shape = aval_of(arr).shape, aval_of(ind).shape
    n = arr_shape[axis]
    out_shape = arr_shape[:axis] + ind_shape + arr_shape[axis + 1:]
    k = len(ind_shape)
    full = arr_shape[:axis] + ind_shape + (n,) + arr_shape[axis + 1:]
    ind_b = broadcast_in_dim(ind, full, tuple(range(axis, axis + k)))
    positions = shape_ops.iota(aval_of(ind).dtype, full, axis + k)
    arr_b = broadcast_in_dim(arr, full, tuple(range(axis)) + (axis + k,) + tuple(
        range(axis + k + 1, len(full))))
    picked = cmp.select_n(cmp.eq(ind_b, positions), creation.zeros_like(arr_b), arr_b)
    return shape_ops.reshape(reductions.sum(picked, axis=axis + k), out_shape)


def _draw_by_cumulative_weights(data: Any, p: Any, shape: tuple[int, ...]) -> Any:
    """Indices drawn with probabilities ``p`` (with replacement), as JAX draws them: where
    ``total * (1 - u)`` falls among the running sums of ``p`` (the count of running sums
    below it: ``searchsorted``'s left side, for nonnegative ``p``)."""
    cumulative = cumsum(p, 0)
    n = aval_of(p).shape[0]
    dtype = aval_of(cumulative).dtype
    targets = ufuncs.multiply(cumulative[n - 1], 1 - uniform_floats(data, shape, dtype, 0.0, 1.0))
    below = ufuncs.less(cumulative, shape_ops.expand_dims(targets, (len(shape),)))
    return reductions.sum(below, axis=-1, dtype=dtypes.default_int())


def _top_k_indices(x: Any, k: int) -> Any:
    """The indices of the ``k`` largest elements of the vector ``x``, largest first (ties
    by index), as ``lax.top_k`` returns them: a stable sort by ``-x``."""
    positions = shape_ops.iota(dtypes.default_int(), aval_of(x).shape, 0)
    return sort_by(ufuncs.negative(x), positions, 0)[:k]


@quiet
def choice(key: Any, a: Any, shape: Sequence[int] = (), replace: bool = True, p: Any = None,
           axis: int = 0) -> Any:
    """Random draws from ``a`` (or ``range(a)``) along ``axis``, with or without
    replacement, uniformly or with probabilities ``p``: JAX's draws, bit for bit.

    Without ``p``: ``randint`` (with replacement) or ``permutation`` (without). With
    ``p``: with replacement, a uniform draw placed among the running sums of ``p``
    (``cumsum`` sums in XLA's order, so the sums and indices are JAX's); without, the
    ``Gumbel top-k`` trick (the largest ``log(p)`` plus Gumbel noise: the noise applies
    ``log``, which rounds differently from XLA's in some elements, so two perturbed
    weights within an ulp of each other may be ordered differently from JAX)."""
    data, typed = unwrap_key("choice", key)
    if not isinstance(shape, Sequence):
        raise TypeError(f"shape argument of jaxlite.random.choice must be a sequence, got {shape}")
    shape = static_shape("choice", shape)
    arr = creation.asarray(a)
    if aval_of(arr).ndim == 0:
        n_inputs = int(a)
    else:
        axis = axis % aval_of(arr).ndim
        n_inputs = aval_of(arr).shape[axis]
    n_draws = math.prod(shape)
    if n_draws == 0:
        return creation.zeros(shape, aval_of(arr).dtype)
    if n_inputs <= 0:
        raise ValueError("a must be greater than 0 unless no samples are taken")
    if not replace and n_draws > n_inputs:
        raise ValueError(f"Cannot take a larger sample (size {n_draws}) than population "
                         f"(size {n_inputs}) when 'replace=False'")
    if p is None:
        if replace:
            ind = randint(data, shape, 0, n_inputs)
            result = ind if aval_of(arr).ndim == 0 else take_indices(arr, ind, axis)
        else:
            permuted = permutation(data, n_inputs if aval_of(arr).ndim == 0 else arr, axis)
            result = permuted[(slice(None),) * axis + (slice(n_draws),)]
    else:
        if isinstance(p, (list, tuple)):
            raise TypeError(f"choice requires ndarray or scalar arguments, got {type(p)} for p "
                            "(make it an array: jnp.asarray(p))")
        p = creation.asarray(p)
        if not dtypes.is_inexact(aval_of(p).dtype):
            p = p.astype(dtypes.default_float())
        if aval_of(p).shape != (n_inputs,):
            raise ValueError("p must be None or a 1D vector with the same size as "
                             f"a.shape[axis]. p has shape {aval_of(p).shape} and "
                             f"a.shape[axis] is {n_inputs}.")
        if replace:
            ind = _draw_by_cumulative_weights(data, p, shape)
        else:  # Gumbel top-k: the n_draws largest of log(p) plus Gumbel noise
            noisy = ufuncs.add(_gumbel(data, (n_inputs,), aval_of(p).dtype), ufuncs.log(p))
            ind = _top_k_indices(noisy, n_draws)
        result = ind if aval_of(arr).ndim == 0 else take_indices(arr, ind, axis)
    arr_shape = aval_of(arr).shape
    out_shape = shape if aval_of(arr).ndim == 0 else arr_shape[:axis] + shape + arr_shape[axis + 1:]
    return shape_ops.reshape(result, out_shape)
