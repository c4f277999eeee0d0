"""``jaxlite.random``: JAX's keys and samplers, with JAX's bits.

Keys come in JAX's two forms: a raw key, ``PRNGKey(seed)``, is a ``uint32[2]`` array; a
typed key, ``key(seed)``, is a ``PRNGKeyArray`` of shape ``()`` and dtype ``key<fry>``
whose data is that ``uint32[2]``. Every function takes either form and returns the form
it was given. Everything is built from the ``threefry2x32`` primitive and ordinary
integer ops, as JAX 0.10 builds it with ``jax_threefry_partitionable=True`` (its
default): ``split``, ``fold_in`` and the bits of every sampler are JAX's, on the same
key, shape and dtype, eagerly, under ``jit`` and under ``vmap``.

Exactness of the samplers against JAX 0.10 on CPU (tests/numpy_api/test_random.py
compares with recorded values):

* bit for bit: keys (``PRNGKey``, ``key``, ``split``, ``fold_in``), ``bits``,
  ``uniform`` (XLA fuses its scale-and-shift into one multiply-add: so does jaxlite),
  ``normal`` in float16 and float32 (``erf_inv`` follows XLA's float32 algorithm,
  including its ``log1p``; see ``primitives/special.py``), ``randint``, ``bernoulli``,
  ``rademacher``, ``permutation``, ``choice`` (without ``p``), ``categorical``, and
  ``truncated_normal`` on the recorded cases;
* within 2 ulp: ``normal`` in float64 (XLA's float64 ``log`` is not NumPy's: about 1
  value in 250 differs);
* within a few ulp: samplers that apply ``log``, ``log1p`` or ``tan`` to a uniform draw
  (``exponential``, ``gumbel``, ``logistic``, ``laplace``, ``cauchy``). XLA's CPU backend
  computes those with its own polynomials, which round differently from NumPy's (the C
  library's) in about 1 value in 4 (float32: by 1 ulp for results of magnitude >= 1).
  jaxlite's ``log`` and ``log1p`` primitives use NumPy's; ``primitives/special.py`` has
  XLA's float32 versions, which they could adopt at a cost in speed.
"""

from __future__ import annotations

import functools
import math
import operator
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.trace import aval_of
from ..primitives import bitwise, comparison as cmp, elementwise as ew, shape as shape_ops
from ..primitives.sorting import sort_by
from ..primitives.special import erf_inv, fma
from ..primitives.structural import broadcast_in_dim, convert_element_type
from ..interpreters.jit import jit
from ..interpreters.transforms import vmap
from ..primitives.cumulative import cumsum
from ..primitives.custom_rules import custom_jvp
from . import creation, manipulation, reductions, ufuncs
from .gamma_functions import lgamma, random_gamma_grad
from .loops import while_loop
from .random_keys import (
    PRNGKey,
    PRNGKeyArray,
    clone,
    fold_in,
    key,
    key_data,
    key_impl,
    random_bits,
    split,
    static_shape,
    unwrap_key,
    user_dtype,
    wrap_key_data,
)

__all__ = [
    "PRNGKey", "PRNGKeyArray", "bernoulli", "bits", "cauchy", "categorical", "choice",
    "clone", "exponential", "fold_in", "gumbel", "key", "key_data", "key_impl", "laplace",
    "logistic", "normal", "permutation", "rademacher", "randint", "split",
    "truncated_normal", "uniform", "wrap_key_data",
]

# ---------------------------------------------------------------- samplers


def bits(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Uniform random unsigned integers (default uint32; uint64 under x64)."""
    data, _ = unwrap_key("bits", key)
    dtype = user_dtype("bits", dtype, dtypes.default_uint(), np.unsignedinteger)
    return random_bits(data, dtype.itemsize * 8, static_shape("bits", shape))


def _uniform(data: Any, shape: tuple[int, ...], dtype: np.dtype, minval: Any, maxval: Any) -> Any:
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
    _check_shape("uniform", shape, minval, maxval)
    return _uniform(data, shape, dtype, minval, maxval)


def _check_shape(name: str, shape: tuple[int, ...], *params: Any) -> None:
    shapes = [np.shape(p) if not hasattr(p, "aval") else aval_of(p).shape for p in params]
    if shapes and np.broadcast_shapes(shape, *shapes) != shape:
        raise ValueError(f"{name} parameter shapes must be broadcast-compatible with shape "
                         f"argument, and the result of broadcasting the shapes must equal the "
                         f"shape argument, but got parameter shapes {shapes} for shape {shape}.")


def normal(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard normal floats: ``sqrt(2) * erf_inv(u)`` for ``u`` uniform in (-1, 1)."""
    data, _ = unwrap_key("normal", key)
    dtype = user_dtype("normal", dtype, dtypes.default_float(), np.floating)
    lo = np.nextafter(np.asarray(-1.0, dtype), np.asarray(0.0, dtype))
    u = _uniform(data, static_shape("normal", shape), dtype, lo, np.asarray(1.0, dtype))
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
    _check_shape("truncated_normal", shape, lower, upper)
    sqrt2 = np.asarray(np.sqrt(2), dtype)
    a = np.asarray(np.vectorize(math.erf)(lower / sqrt2), dtype)
    b = np.asarray(np.vectorize(math.erf)(upper / sqrt2), dtype)
    u = _uniform(data, shape, dtype, a, b)
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
    _check_shape("bernoulli", shape, p)
    return ufuncs.less(_uniform(data, shape, dtype, 0.0, 1.0), p)


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
    _check_shape("randint", shape, minval, maxval)
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
    span = manipulation.where(ufuncs.logical_and(maxval_out_of_range, ufuncs.greater(maxval, minval)),
                        ufuncs.add(span, np.asarray(1, unsigned)), span)
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
    u = _uniform(data, static_shape("exponential", shape), dtype, 0.0, 1.0)
    return ufuncs.negative(ufuncs.log1p(ufuncs.negative(u)))


def gumbel(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard Gumbel floats: ``-log(-log(u))`` for ``u`` uniform in [tiny, 1)."""
    data, _ = unwrap_key("gumbel", key)
    dtype = user_dtype("gumbel", dtype, dtypes.default_float(), np.floating)
    return _gumbel(data, static_shape("gumbel", shape), dtype)


def _gumbel(data: Any, shape: tuple[int, ...], dtype: np.dtype) -> Any:
    u = _uniform(data, shape, dtype, np.finfo(dtype).tiny, 1.0)
    return ufuncs.negative(ufuncs.log(ufuncs.negative(ufuncs.log(u))))


def logistic(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard logistic floats: ``log(u) - log1p(-u)``."""
    data, _ = unwrap_key("logistic", key)
    dtype = user_dtype("logistic", dtype, dtypes.default_float(), np.floating)
    x = _uniform(data, static_shape("logistic", shape), dtype, np.finfo(dtype).tiny, 1.0)
    return ufuncs.subtract(ufuncs.log(x), ufuncs.log1p(ufuncs.negative(x)))


def laplace(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard Laplace floats: ``sign(u) * log1p(-|u|)`` for ``u`` uniform in (-1, 1)."""
    data, _ = unwrap_key("laplace", key)
    dtype = user_dtype("laplace", dtype, dtypes.default_float(), np.floating)
    u = _uniform(data, static_shape("laplace", shape), dtype, -1.0 + np.finfo(dtype).epsneg, 1.0)
    return ufuncs.multiply(ufuncs.sign(u), ufuncs.log1p(ufuncs.negative(ufuncs.abs(u))))


def cauchy(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard Cauchy floats: ``tan(pi * (u - 1/2))`` for ``u`` uniform in [eps, 1)."""
    data, _ = unwrap_key("cauchy", key)
    dtype = user_dtype("cauchy", dtype, dtypes.default_float(), np.floating)
    u = _uniform(data, static_shape("cauchy", shape), dtype, np.finfo(dtype).eps, 1.0)
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
    _check_shape("categorical", shape, np.empty(batch_shape))
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


def _take(arr: Any, ind: Any, axis: int) -> Any:
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
    targets = ufuncs.multiply(cumulative[n - 1], 1 - _uniform(data, shape, dtype, 0.0, 1.0))
    below = ufuncs.less(cumulative, shape_ops.expand_dims(targets, (len(shape),)))
    return reductions.sum(below, axis=-1, dtype=dtypes.default_int())


def _top_k_indices(x: Any, k: int) -> Any:
    """The indices of the ``k`` largest elements of the vector ``x``, largest first (ties
    by index), as ``lax.top_k`` returns them: a stable sort by ``-x``."""
    positions = shape_ops.iota(dtypes.default_int(), aval_of(x).shape, 0)
    return sort_by(ufuncs.negative(x), positions, 0)[:k]


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
            result = ind if aval_of(arr).ndim == 0 else _take(arr, ind, axis)
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
        result = ind if aval_of(arr).ndim == 0 else _take(arr, ind, axis)
    arr_shape = aval_of(arr).shape
    out_shape = shape if aval_of(arr).ndim == 0 else arr_shape[:axis] + shape + arr_shape[axis + 1:]
    return shape_ops.reshape(result, out_shape)


# ---------------------------------------------------------------- gamma and its family


def _gamma_one(data: Any, alpha: Any, log_space: bool) -> Any:
    """One Gamma(alpha) sample (its log with ``log_space``) from one key: Marsaglia and
    Tsang's method with JAX's sequence of draws. Below ``alpha = 1`` it samples
    Gamma(alpha + 1) and boosts by ``u ** (1 / alpha)``."""
    dtype = aval_of(alpha).dtype

    def c(value: float) -> np.ndarray:
        return np.asarray(value, dtype)

    boost_mask = ufuncs.greater_equal(alpha, c(1))
    boosted = manipulation.where(boost_mask, alpha, alpha + c(1))
    d = boosted - c(1 / 3)
    scale = c(1 / 3) / ufuncs.sqrt(d)
    keys = split(data)

    def rejected(state: tuple) -> Any:
        _, x_sq, v, u = state
        squeeze = ufuncs.greater_equal(u, c(1) - c(0.0331) * (x_sq * x_sq))
        bound = x_sq * c(0.5) + d * ((c(1) - v) + ufuncs.log(v))
        return ufuncs.logical_and(squeeze, ufuncs.greater_equal(ufuncs.log(u), bound))

    def positive_v(state: tuple) -> tuple:
        subkeys = split(state[0])
        x = normal(subkeys[1], (), dtype)
        return subkeys[0], x, fma(x, scale, c(1))  # XLA fuses 1 + x * scale

    def draw(state: tuple) -> tuple:
        subkeys = split(state[0], 3)
        _, x, v = while_loop(lambda s: ufuncs.less_equal(s[2], c(0)), positive_v,
                             (subkeys[1], c(0), c(-1)))
        return subkeys[0], x * x, v * v * v, _uniform(subkeys[2], (), dtype, 0.0, 1.0)

    v = while_loop(rejected, draw, (keys[0], c(0), c(1), c(2)))[2]
    if log_space:
        log_u = ufuncs.negative(exponential(keys[1], (), dtype))
        skip = ufuncs.logical_or(boost_mask, ufuncs.equal(log_u, c(0)))
        log_boost = manipulation.where(skip, c(0), log_u * (c(1) / alpha))
        return ufuncs.log(d) + ufuncs.log(v) + log_boost
    u = c(1) - _uniform(keys[1], (), dtype, 0.0, 1.0)
    boost = manipulation.where(boost_mask, c(1), ew.pow(u, c(1) / alpha))
    return d * v * boost


def _gamma_samples(data: Any, a: Any, log_space: bool) -> Any:
    """Gamma samples of the shape of ``a``: element ``i`` (in C order) from the ``i``-th
    of ``split(key, a.size)``, each by its own rejection loop (run as one loop over lanes)."""
    size = aval_of(a).size
    if size == 0:
        return a
    flat = shape_ops.reshape(a, (size,))
    samples = vmap(lambda k, x: _gamma_one(k, x, log_space))(split(data, size), flat)
    return shape_ops.reshape(samples, aval_of(a).shape)


_gamma_compiled = jit(_gamma_samples, static_argnames=("log_space",))


@functools.partial(custom_jvp, nondiff_argnums=(2,))
def _random_gamma(data: Any, a: Any, log_space: bool) -> Any:
    return _gamma_compiled(data, a, log_space=log_space)


@_random_gamma.defjvp
def _random_gamma_jvp(log_space: bool, primals: tuple, tangents: tuple) -> tuple:
    # implicit differentiation: the sample moves with a so that its CDF stays fixed
    data, a = primals
    sample = _random_gamma(data, a, log_space)
    if not log_space:
        return sample, tangents[1] * random_gamma_grad(a, sample)
    value = ufuncs.exp(sample)  # d log(x) = dx / x, with x kept off zero
    value = manipulation.where(ufuncs.equal(value, 0), np.finfo(aval_of(a).dtype).tiny, value)
    return sample, tangents[1] * random_gamma_grad(a, value) / value


def _gamma(name: str, key: Any, a: Any, shape: Any, dtype: Any, log_space: bool) -> Any:
    data, _ = unwrap_key(name, key)
    dtype = user_dtype(name, dtype, dtypes.default_float(), np.floating)
    a = creation.asarray(a)
    shape = aval_of(a).shape if shape is None else static_shape(name, shape)
    _check_shape(name, shape, a)
    a = convert_element_type(a, dtype)
    if aval_of(a).shape != shape:
        a = manipulation.broadcast_to(a, shape)
    with np.errstate(all="ignore"):
        return _random_gamma(data, a, log_space)


def gamma(key: Any, a: Any, shape: Sequence[int] | None = None, dtype: Any = None) -> Any:
    """Gamma(a, 1) floats (divide by a rate, or multiply by a scale, for other scales).

    JAX's algorithm and draws (Marsaglia and Tsang's rejection method, each element from
    its own key of ``split(key, size)``): within a few ulps of JAX, not bit for bit. XLA
    computes ``1 / sqrt(d)`` with an approximate reciprocal square root refined by a
    Newton step, and ``u ** (1 / a)`` (for ``a < 1``) with its own ``pow``, each 1 ulp
    off the correctly rounded value jaxlite uses in some elements; rarely (about one
    element in 10**6), an acceptance test so close to its bound that the two round it
    differently accepts another draw. Differentiable in ``a``: the derivative holds the
    sample's CDF fixed (``lax.random_gamma_grad``), as in JAX.
    """
    return _gamma("gamma", key, a, shape, dtype, log_space=False)


def loggamma(key: Any, a: Any, shape: Sequence[int] | None = None, dtype: Any = None) -> Any:
    """The log of Gamma(a, 1) floats, computed in log space (accurate for small ``a``,
    whose samples underflow); the same draws as ``gamma``, within a few ulps of JAX."""
    return _gamma("loggamma", key, a, shape, dtype, log_space=True)


def beta(key: Any, a: Any, b: Any, shape: Sequence[int] | None = None, dtype: Any = None) -> Any:
    """Beta(a, b) floats: ``Ga / (Ga + Gb)`` for log-gamma samples ``log Ga`` and ``log Gb``
    from the two halves of ``split(key)``, as JAX computes it (matches JAX to a few ulps,
    as ``loggamma`` does)."""
    data, _ = unwrap_key("beta", key)
    dtype = user_dtype("beta", dtype, dtypes.default_float(), np.floating)
    a, b = creation.asarray(a), creation.asarray(b)
    if shape is None:
        shape = np.broadcast_shapes(aval_of(a).shape, aval_of(b).shape)
    shape = static_shape("beta", shape)
    _check_shape("beta", shape, a, b)
    keys = split(data)
    a = manipulation.broadcast_to(convert_element_type(a, dtype), shape)
    b = manipulation.broadcast_to(convert_element_type(b, dtype), shape)
    log_a = loggamma(keys[0], a, shape, dtype)
    log_b = loggamma(keys[1], b, shape, dtype)
    log_max = ufuncs.maximum(log_a, log_b)  # Ga / (Ga + Gb) without overflow
    scaled_a, scaled_b = ufuncs.exp(log_a - log_max), ufuncs.exp(log_b - log_max)
    return scaled_a / (scaled_a + scaled_b)


def dirichlet(key: Any, alpha: Any, shape: Sequence[int] | None = None, dtype: Any = None) -> Any:
    """Dirichlet(alpha) vectors along the last axis: the softmax of log-gamma samples
    (shape ``shape + alpha.shape[-1:]``), as JAX computes it (a few ulps from JAX)."""
    data, _ = unwrap_key("dirichlet", key)
    dtype = user_dtype("dirichlet", dtype, dtypes.default_float(), np.floating)
    alpha = creation.asarray(alpha)
    if aval_of(alpha).ndim < 1:
        raise ValueError(f"dirichlet requires alpha.ndim >= 1, got alpha.ndim == "
                         f"{aval_of(alpha).ndim}")
    batch = aval_of(alpha).shape[:-1]
    shape = batch if shape is None else static_shape("dirichlet", shape)
    _check_shape("dirichlet", shape, np.empty(batch))
    alpha = convert_element_type(alpha, dtype)
    log_samples = loggamma(data, alpha, shape + aval_of(alpha).shape[-1:], dtype)
    peak = reductions.max(log_samples, axis=-1, keepdims=True)
    unnormalized = ufuncs.exp(log_samples - ew.stop_gradient(peak))
    return unnormalized / reductions.sum(unnormalized, axis=-1, keepdims=True)


def generalized_normal(key: Any, p: float, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Floats with density proportional to ``exp(-|x| ** p)``: a random sign times
    ``Gamma(1 / p) ** (1 / p)`` (JAX's construction; within a few ulps, as ``gamma``)."""
    data, _ = unwrap_key("generalized_normal", key)
    dtype = user_dtype("generalized_normal", dtype, dtypes.default_float(), np.floating)
    shape = static_shape("generalized_normal", shape)
    keys = split(data)
    g = gamma(keys[0], 1 / p, shape, dtype)
    r = rademacher(keys[1], shape, dtype)
    return r * g ** (1 / p)


def ball(key: Any, d: int, p: float = 2, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Points uniform in the unit ``p``-norm ball of dimension ``d`` (shape ``shape + (d,)``),
    by Barthe, Guedon, Mendelson and Naor's construction, as JAX: generalized normal
    coordinates over the ``p``-norm of them and an exponential (a few ulps from JAX)."""
    data, _ = unwrap_key("ball", key)
    dtype = user_dtype("ball", dtype, dtypes.default_float(), np.floating)
    shape = static_shape("ball", shape)
    d = operator.index(d)
    keys = split(data)
    g = generalized_normal(keys[0], p, (*shape, d), dtype)
    e = exponential(keys[1], shape, dtype)
    radius = (reductions.sum(ufuncs.abs(g) ** p, axis=-1) + e) ** (1 / p)
    return g / radius[..., None]


# ---------------------------------------------------------------- counts: Poisson and binomial

_F32 = np.dtype(np.float32)


def _any_lane_while(go: Any, i: Any, max_iters: Any) -> Any:
    return ufuncs.logical_and(reductions.any(go), ufuncs.less(i, max_iters))


def _poisson_knuth(data: Any, lam: Any, shape: tuple, dtype: np.dtype, max_iters: Any) -> Any:
    """Knuth's method: count uniforms until their product drops below ``exp(-lam)`` (in
    logs), one draw of the whole shape per step."""

    def body(carry: tuple) -> tuple:
        i, k, key, log_prod = carry
        keys = split(key)
        k = manipulation.where(ufuncs.greater(log_prod, -lam), k + np.asarray(1, dtype), k)
        u = _uniform(keys[1], shape, _F32, 0.0, 1.0)
        return i + np.asarray(1, dtype), k, keys[0], log_prod + ufuncs.log(u)

    def cond(carry: tuple) -> Any:
        return _any_lane_while(ufuncs.greater(carry[3], -lam), carry[0], max_iters)

    init = (np.asarray(0, dtype), creation.zeros(shape, dtype), data, creation.zeros(shape, _F32))
    return while_loop(cond, body, init)[1] - np.asarray(1, dtype)


def _poisson_rejection(data: Any, lam: Any, shape: tuple, dtype: np.dtype, max_iters: Any) -> Any:
    """Hormann's transformed rejection (PTRS), one pair of draws of the whole shape per step,
    for the elements with ``lam >= 10``."""
    log_lam = manipulation.broadcast_to(ufuncs.log(lam), shape)
    b = 0.931 + 2.53 * ufuncs.sqrt(lam)
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2)

    def body(carry: tuple) -> tuple:
        i, k_out, accepted, key = carry
        keys = split(key, 3)
        u = _uniform(keys[1], shape, _F32, 0.0, 1.0) - 0.5
        v = _uniform(keys[2], shape, _F32, 0.0, 1.0)
        u_shifted = 0.5 - ufuncs.abs(u)
        k = ufuncs.floor((2 * a / u_shifted + b) * u + lam + 0.43)
        s = ufuncs.log(v * inv_alpha / (a / (u_shifted * u_shifted) + b))
        t = fma(k, log_lam, -lam) - lgamma(k + 1)  # XLA fuses -lam + k * log_lam
        accept1 = ufuncs.logical_and(ufuncs.greater_equal(u_shifted, 0.07),
                                     ufuncs.less_equal(v, v_r))
        reject = ufuncs.logical_or(ufuncs.less(k, 0), ufuncs.logical_and(
            ufuncs.less(u_shifted, 0.013), ufuncs.greater(v, u_shifted)))
        accept = ufuncs.logical_or(accept1, ufuncs.logical_and(
            ufuncs.logical_not(reject), ufuncs.less_equal(s, t)))
        k_out = manipulation.where(accept, k, k_out)
        return i + np.asarray(1, dtype), k_out, ufuncs.logical_or(accepted, accept), keys[0]

    def cond(carry: tuple) -> Any:
        return _any_lane_while(ufuncs.logical_not(carry[2]), carry[0], max_iters)

    init = (np.asarray(0, dtype), creation.full(shape, -1.0, _F32),
            creation.zeros(shape, bool), data)
    return while_loop(cond, body, init)[1].astype(dtype)


def _poisson_samples(data: Any, lam: Any, shape: tuple, dtype: np.dtype) -> Any:
    use_knuth = ufuncs.logical_or(ufuncs.isnan(lam), ufuncs.less(lam, 10))
    lam_knuth = manipulation.where(use_knuth, lam, 0.0)
    # (rejection's acceptance rate tends to 89% for large lam: 1e5 stands in where unused)
    lam_rejection = manipulation.where(use_knuth, 1e5, lam)
    max_iters = np.asarray(np.iinfo(dtype).max, dtype)
    result = manipulation.where(use_knuth,
                                _poisson_knuth(data, lam_knuth, shape, dtype, max_iters),
                                _poisson_rejection(data, lam_rejection, shape, dtype, max_iters))
    return manipulation.where(ufuncs.equal(lam, 0), np.asarray(0, dtype), result)


_poisson_compiled = jit(_poisson_samples, static_argnames=("shape", "dtype"))


def poisson(key: Any, lam: Any, shape: Sequence[int] | None = None, dtype: Any = None) -> Any:
    """Poisson(lam) integers (default int32; int64 under x64), computed in float32.

    JAX's algorithms and draws: Knuth's product of uniforms below ``lam = 10``, Hormann's
    transformed rejection above; both run on the whole shape with the same key, one
    draw of the whole shape per step, each element keeping its own result. Bit for bit
    JAX's, except where a sum of logs (Knuth) or the rejection test lands within an ulp of
    its bound, which XLA's ``log`` and ``lgamma`` round differently from jaxlite's: a
    count then differs by one (rare: about one element in 10**5 or fewer)."""
    data, _ = unwrap_key("poisson", key)
    dtype = user_dtype("poisson", dtype, dtypes.default_int(), np.integer)
    lam = creation.asarray(lam)
    shape = aval_of(lam).shape if shape is None else static_shape("poisson", shape)
    lam = convert_element_type(manipulation.broadcast_to(lam, shape), _F32)
    with np.errstate(all="ignore"):
        return _poisson_compiled(data, lam, shape=shape, dtype=dtype)


_STIRLING_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983,
                  0.02079067210376509, 0.0166446911898211, 0.0138761288230707,
                  0.0118967099458917, 0.0104112652619720, 0.00925546218271273,
                  0.00833056343336287)


def _stirling_tail(k: Any) -> Any:
    """``log k! - (Stirling's approximation of it)``: a table for k <= 9, else the series
    ``1/12 - 1/360 k^-2 + ...`` over k + 1, evaluated (as in JAX) at ``min(k, 9)``."""
    dtype = aval_of(k).dtype
    small = ufuncs.less_equal(k, 9)
    k = ufuncs.clip(k, np.asarray(0, dtype), np.asarray(9, dtype))
    kp1sq = (k + 1) * (k + 1)
    approx = (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)
    table = _take(np.asarray(_STIRLING_TAIL, dtype), ufuncs.floor(k).astype(np.int32), 0)
    return manipulation.where(small, table, approx)


def _binomial_inversion(data: Any, count: Any, prob: Any, shape: tuple) -> Any:
    """Counts of successes as the number of geometric waiting times (in logs) that fit in
    ``count`` trials, one draw of the whole shape per step (where ``count * q <= 10``)."""
    dtype = aval_of(prob).dtype
    log1m_prob = ufuncs.log1p(ufuncs.negative(prob))

    def body(carry: tuple) -> tuple:
        i, num_geom, geom_sum, key = carry
        keys = split(key)
        subkey, key = keys[0], keys[1]
        num_geom = manipulation.where(ufuncs.less_equal(geom_sum, count), num_geom + 1, num_geom)
        u = _uniform(subkey, shape, dtype, 0.0, 1.0)
        geom_sum = geom_sum + ufuncs.ceil(ufuncs.log(u) / log1m_prob)
        return i + 1, num_geom, geom_sum, key

    def cond(carry: tuple) -> Any:
        return _any_lane_while(ufuncs.less_equal(carry[2], count), carry[0], _MAX_STEPS)

    init = (np.int32(0), creation.zeros(shape, dtype), creation.zeros(shape, dtype), data)
    return while_loop(cond, body, init)[1] - 1


def _btrs(data: Any, count: Any, prob: Any, shape: tuple) -> Any:
    """Hormann's transformed rejection with squeeze (BTRS), one pair of draws of the whole
    shape per step (where ``count * q > 10``)."""
    dtype = aval_of(prob).dtype
    stddev = ufuncs.sqrt(count * prob * (1 - prob))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * prob
    c = count * prob + 0.5
    v_r = 0.92 - 4.2 / b
    r = prob / (1 - prob)
    alpha = (2.83 + 5.1 / b) * stddev
    m = ufuncs.floor((count + 1) * prob)
    log = ufuncs.log

    def body(carry: tuple) -> tuple:
        i, k_out, accepted, key = carry
        keys = split(key, 3)
        u = _uniform(keys[1], shape, dtype, 0.0, 1.0) - 0.5
        v = _uniform(keys[2], shape, dtype, 0.0, 1.0)
        us = 0.5 - ufuncs.abs(u)
        accept1 = ufuncs.logical_and(ufuncs.greater_equal(us, 0.07), ufuncs.less_equal(v, v_r))
        k = ufuncs.floor((2 * a / us + b) * u + c)
        reject = ufuncs.logical_or(ufuncs.less(k, 0), ufuncs.greater(k, count))
        v = log(v * alpha / (a / (us * us) + b))
        bound = ((m + 0.5) * log((m + 1) / (r * (count - m + 1)))
                 + (count + 1) * log((count - m + 1) / (count - k + 1))
                 + (k + 0.5) * log(r * (count - k + 1) / (k + 1))
                 + _stirling_tail(m) + _stirling_tail(count - m)
                 - _stirling_tail(k) - _stirling_tail(count - k))
        accept = ufuncs.logical_or(accept1, ufuncs.logical_and(
            ufuncs.logical_not(reject), ufuncs.less_equal(v, bound)))
        k_out = manipulation.where(accept, k, k_out)
        return i + 1, k_out, ufuncs.logical_or(accepted, accept), keys[0]

    def cond(carry: tuple) -> Any:
        return _any_lane_while(ufuncs.logical_not(carry[2]), carry[0], _MAX_STEPS)

    init = (np.int32(0), creation.full(shape, -1, dtype), creation.zeros(shape, bool), data)
    return while_loop(cond, body, init)[1]


_MAX_STEPS = np.int32(np.iinfo(np.int32).max)  # (JAX: the float dtype's max; never reached)


def _binomial_samples(data: Any, count: Any, prob: Any, shape: tuple, dtype: np.dtype) -> Any:
    p_lt_half = ufuncs.less(prob, 0.5)
    q = manipulation.where(p_lt_half, prob, 1.0 - prob)
    count_nan_or_neg = ufuncs.logical_or(ufuncs.isnan(count), ufuncs.less(count, 0.0))
    count_inf = ufuncs.equal(ufuncs.abs(count), np.inf)
    q_is_nan, q_below_0 = ufuncs.isnan(q), ufuncs.less(q, 0.0)
    q = manipulation.where(ufuncs.logical_or(q_is_nan, q_below_0), 0.01, q)
    use_inversion = ufuncs.logical_or(count_nan_or_neg, ufuncs.less_equal(count * q, 10.0))
    count = ufuncs.floor(count)  # (a float count, as NumPy's binomial takes it)
    count_inv = manipulation.where(use_inversion, count, 0.0)
    count_btrs = manipulation.where(use_inversion, 1e4, count)
    q_btrs = manipulation.where(use_inversion, 0.5, q)
    samples = manipulation.where(use_inversion,
                                 _binomial_inversion(data, count_inv, q, shape).astype(dtype),
                                 _btrs(data, count_btrs, q_btrs, shape).astype(dtype))
    invalid = ufuncs.logical_or(ufuncs.logical_or(q_below_0, q_is_nan), count_nan_or_neg)
    samples = manipulation.where(invalid, np.asarray(np.nan, dtype), samples)
    samples = manipulation.where(ufuncs.logical_and(count_inf, ufuncs.logical_not(invalid)),
                                 np.asarray(np.inf, dtype), samples)
    direct = ufuncs.logical_or(ufuncs.logical_or(p_lt_half, count_nan_or_neg),
                               ufuncs.logical_or(q_is_nan, count_inf))
    return manipulation.where(direct, samples, count.astype(dtype) - samples)


_binomial_compiled = jit(_binomial_samples, static_argnames=("shape", "dtype"))


def binomial(key: Any, n: Any, p: Any, shape: Sequence[int] | None = None,
             dtype: Any = None) -> Any:
    """Binomial(n, p) counts, as floats (nan for invalid ``n`` or ``p``, inf for infinite
    ``n``), computed in ``p``'s float dtype.

    JAX's algorithms and draws: inversion by geometric waiting times where ``n q <= 10``
    (``q = min(p, 1 - p)``), Hormann's BTRS rejection elsewhere; both run on the whole shape
    with the same key, each element keeping its own result. Bit for bit JAX's except
    where a test lands within an ulp of its bound (XLA's ``log`` and fused multiply-adds
    round differently from jaxlite's): rare, then a count differs."""
    data, _ = unwrap_key("binomial", key)
    dtype = user_dtype("binomial", dtype, dtypes.default_float(), np.floating)
    n, p = creation.asarray(n), creation.asarray(p)
    if shape is None:
        shape = np.broadcast_shapes(aval_of(n).shape, aval_of(p).shape)
    shape = static_shape("binomial", shape)
    _check_shape("binomial", shape, n, p)
    prob_dtype = dtypes.to_inexact(aval_of(p).dtype)
    prob = manipulation.broadcast_to(convert_element_type(p, prob_dtype), shape)
    count = manipulation.broadcast_to(convert_element_type(n, prob_dtype), shape)
    with np.errstate(all="ignore"):
        return _binomial_compiled(data, count, prob, shape=shape, dtype=dtype)
