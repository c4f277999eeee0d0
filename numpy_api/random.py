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

import math
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.array import Array
from ..core.config import config
from ..core.trace import aval_of
from ..core.tree_util import register_pytree_node
from ..primitives import bitwise, comparison as cmp, elementwise as ew, shape as shape_ops
from ..primitives.prng import threefry2x32
from ..primitives.sorting import sort_by
from ..primitives.special import erf_inv, fma
from ..primitives.structural import broadcast_in_dim, convert_element_type
from . import creation, manipulation, reductions, ufuncs
from ._util import as_operand

__all__ = [
    "PRNGKey", "PRNGKeyArray", "bernoulli", "bits", "cauchy", "categorical", "choice",
    "clone", "exponential", "fold_in", "gumbel", "key", "key_data", "key_impl", "laplace",
    "logistic", "normal", "permutation", "rademacher", "randint", "split",
    "truncated_normal", "uniform", "wrap_key_data",
]

_IMPL = "threefry2x32"
_U32 = np.dtype(np.uint32)
_HOW = ("make one with jaxlite.random.key(0) (a typed key) or jaxlite.random.PRNGKey(0) "
        "(a raw uint32[2] key)")


# ---------------------------------------------------------------- typed keys


class KeyDType:
    """The dtype of typed keys, printed as JAX prints it: ``key<fry>``."""

    name = "key<fry>"
    impl = _IMPL

    def __repr__(self) -> str:
        return self.name

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KeyDType) or other == self.name

    def __hash__(self) -> int:
        return hash(self.name)


KEY_DTYPE = KeyDType()


class PRNGKeyArray:
    """An array of typed keys: ``shape`` is the batch shape; the data, ``key_data(k)``, is
    ``uint32[*shape, 2]``. A pytree node whose one child is the data, so it passes
    through ``jit`` and ``vmap`` as that array."""

    __slots__ = ("_data",)

    def __init__(self, data: Any) -> None:
        self._data = data

    @property
    def shape(self) -> tuple[int, ...]:
        return aval_of(self._data).shape[:-1]

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    @property
    def dtype(self) -> KeyDType:
        return KEY_DTYPE

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of unsized object (a single key)")
        return self.shape[0]

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __getitem__(self, index: Any) -> PRNGKeyArray:
        index = index if isinstance(index, tuple) else (index,)
        if any(i is Ellipsis for i in index):
            raise IndexError("indexing a key array with ... is not supported")
        return PRNGKeyArray(self._data[index + (slice(None),)])

    def __eq__(self, other: object) -> Any:
        if not isinstance(other, PRNGKeyArray):
            return NotImplemented
        return reductions.all(ufuncs.equal(self._data, other._data), axis=-1)

    def __ne__(self, other: object) -> Any:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else ufuncs.logical_not(equal)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        data = self._data
        shown = np.asarray(data) if type(data) is Array else data
        return f"Array({self.shape}, dtype={KEY_DTYPE}) overlaying:\n{shown}"


register_pytree_node(PRNGKeyArray, lambda k: ((k._data,), _IMPL),
                     lambda impl, children: PRNGKeyArray(children[0]))


def _key_error(name: str, message: str) -> TypeError:
    return TypeError(f"{name}: invalid PRNG key data: {message}; {_HOW}")


def _unwrap(name: str, key: Any, allow_batched: bool = False) -> tuple[Any, bool]:
    """The uint32[..., 2] data of a key in either form, and whether it was typed."""
    if isinstance(key, PRNGKeyArray):
        data, typed = key._data, True
    else:
        if not hasattr(key, "dtype") or not hasattr(key, "shape"):
            raise _key_error(name, f"expected an array, got {type(key).__name__} {key!r}")
        data, typed = as_operand(key, name), False
        aval = aval_of(data)
        if aval.ndim < 1:
            raise _key_error(name, f"expected key data of ndim >= 1, got {aval.str_short()}")
        if aval.dtype != _U32:
            raise _key_error(name, f"expected dtype uint32, got {aval.str_short()}")
        if aval.shape[-1:] != (2,):
            raise _key_error(name, f"expected a shape ending with (2,) for impl "
                             f"{_IMPL}, got {aval.str_short()}")
    batch = aval_of(data).shape[:-1]
    if batch and not allow_batched:
        raise ValueError(f"{name} accepts a single key, but was given a key array of shape "
                         f"{batch} != (). Use jaxlite.vmap for batching.")
    return data, typed


def _rewrap(data: Any, typed: bool) -> Any:
    return PRNGKeyArray(data) if typed else data


# ---------------------------------------------------------------- seeds and key functions


def _seed_data(name: str, seed: Any) -> Any:
    """uint32[2]: the high and low 32 bits of an integer seed (JAX's threefry_seed)."""
    if isinstance(seed, PRNGKeyArray):
        raise TypeError(f"{name} accepts a scalar seed, but was given a PRNG key.")
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, int):
        seed = as_operand(seed, name)
        if np.ndim(seed) if not hasattr(seed, "aval") else aval_of(seed).ndim:
            raise TypeError(f"{name} accepts a scalar seed, but was given an array of shape "
                            f"{aval_of(seed).shape} != (). Use jaxlite.vmap for batching")
        if not dtypes.is_integer(aval_of(seed).dtype):
            raise TypeError(f"PRNG key seed must be an integer; got {seed!r}")
    else:  # a Python int: as int64, then canonicalized (wrapping to int32 without x64)
        seed = creation.asarray(np.int64(seed))
    low = convert_element_type(seed, _U32)
    if aval_of(seed).dtype.itemsize == 8:
        high = convert_element_type(bitwise.shift_right_logical(seed, np.asarray(32, aval_of(
            seed).dtype)), _U32)
    else:
        high = np.uint32(0)
    return manipulation.stack([creation.asarray(high, _U32), low])


def PRNGKey(seed: Any) -> Any:  # noqa: N802 - JAX's name
    """A raw key, ``uint32[2]``, from an integer seed (its high and low 32 bits).

    >>> jaxlite.random.PRNGKey(0)
    Array([0, 0], dtype=uint32)
    """
    return _seed_data("PRNGKey", seed)


def key(seed: Any, *, impl: str | None = None) -> PRNGKeyArray:
    """A typed key (shape ``()``, dtype ``key<fry>``) from an integer seed."""
    _check_impl(impl)
    return PRNGKeyArray(_seed_data("key", seed))


def _check_impl(impl: Any) -> None:
    if impl not in (None, _IMPL, KEY_DTYPE):
        raise ValueError(f"unsupported PRNG implementation {impl!r}: jaxlite has {_IMPL!r}")


def key_data(keys: Any) -> Any:
    """The ``uint32[..., 2]`` data of typed keys (raw keys are returned as they are)."""
    return _unwrap("key_data", keys, allow_batched=True)[0]


def wrap_key_data(key_bits_array: Any, *, impl: str | None = None) -> PRNGKeyArray:
    """Typed keys over ``uint32[..., 2]`` key data."""
    _check_impl(impl)
    if isinstance(key_bits_array, PRNGKeyArray):
        raise TypeError("wrap_key_data: the argument is already a typed key array")
    return PRNGKeyArray(_unwrap("wrap_key_data", key_bits_array, allow_batched=True)[0])


def key_impl(keys: Any) -> str:
    """The name of the keys' PRNG implementation: ``'threefry2x32'``."""
    _unwrap("key_impl", keys, allow_batched=True)
    return _IMPL


def clone(key: Any) -> Any:
    """The key itself (JAX's ``clone`` matters only for its stateful key types)."""
    return key


def _words(data: Any) -> tuple[Any, Any]:
    return data[0], data[1]


def split(key: Any, num: int | Sequence[int] = 2) -> Any:
    """``num`` new keys (or an array of keys of shape ``num``) derived from ``key``.

    Each new key is the threefry hash of its flat index under ``key`` (JAX's
    partitionable derivation)."""
    data, typed = _unwrap("split", key)
    shape = tuple(num) if isinstance(num, Sequence) else (num,)
    shape = tuple(_static_int("split", s) for s in shape)
    bits1, bits2 = _hash_counts(data, shape)
    return _rewrap(manipulation.stack([bits1, bits2], axis=-1), typed)


def fold_in(key: Any, data: Any) -> Any:
    """A new key from ``key`` and a 32-bit integer: the hash of the counter pair ``(0, data)``."""
    key_words, typed = _unwrap("fold_in", key)
    if np.ndim(data) if not hasattr(data, "shape") else len(data.shape):
        raise TypeError(f"fold_in accepts a scalar, but was given an array of shape "
                        f"{np.shape(data)} != (). Use jaxlite.vmap for batching.")
    counter = creation.asarray(data, _U32) if not isinstance(data, int) else np.uint32(
        data & 0xFFFFFFFF)
    k1, k2 = _words(key_words)
    y1, y2 = threefry2x32(k1, k2, np.uint32(0), convert_element_type(counter, _U32))
    return _rewrap(manipulation.stack([y1, y2]), typed)


def _static_int(name: str, n: Any) -> int:
    try:
        return int(n)
    except TypeError:
        raise TypeError(f"{name}: the number of keys must be a static integer, got {n!r}") \
            from None


def _hash_counts(data: Any, shape: tuple[int, ...]) -> list:
    """threefry2x32 of the counters 0 .. size-1 laid out in ``shape`` (high words 0)."""
    size = math.prod(shape)
    if size >= 2 ** 32:
        raise NotImplementedError("random arrays of 2**32 elements or more")
    k1, k2 = _words(data)
    counts = shape_ops.reshape(shape_ops.iota(_U32, (size,)), shape)
    return threefry2x32(k1, k2, np.uint32(0), counts)


def _random_bits(data: Any, bit_width: int, shape: tuple[int, ...]) -> Any:
    bits1, bits2 = _hash_counts(data, shape)
    if bit_width == 64:
        u64 = np.dtype(np.uint64)
        high = bitwise.shift_left(convert_element_type(bits1, u64), np.uint64(32))
        return cmp.or_p.bind1(high, convert_element_type(bits2, u64))
    mixed = cmp.xor_p.bind1(bits1, bits2)
    return mixed if bit_width == 32 else convert_element_type(mixed, np.dtype(f"u{bit_width // 8}"))


def _shape(name: str, shape: Any) -> tuple[int, ...]:
    if shape is None:
        return ()
    try:
        return tuple(int(s) for s in (shape if isinstance(shape, Sequence) else (shape,)))
    except TypeError:
        raise TypeError(f"{name}: shape must be a tuple of static integers, got {shape!r}") \
            from None


def _user_dtype(name: str, dtype: Any, default: np.dtype, kind: str) -> np.dtype:
    dtype = default if dtype is None else dtypes.canonicalize(np.dtype(dtype))
    if not np.issubdtype(dtype, kind):
        raise ValueError(f"dtype argument to `{name}` must be a {kind.__name__} dtype, got "
                         f"{dtype}")
    return dtype


# ---------------------------------------------------------------- samplers


def bits(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Uniform random unsigned integers (default uint32; uint64 under x64)."""
    data, _ = _unwrap("bits", key)
    dtype = _user_dtype("bits", dtype, dtypes.default_uint(), np.unsignedinteger)
    return _random_bits(data, dtype.itemsize * 8, _shape("bits", shape))


def _uniform(data: Any, shape: tuple[int, ...], dtype: np.dtype, minval: Any, maxval: Any) -> Any:
    """Floats in [minval, maxval): random mantissa bits under the exponent of 1.0, minus 1,
    scaled and shifted (JAX's derivation, step by step)."""
    finfo = np.finfo(dtype)
    nbits, nmant = finfo.bits, finfo.nmant
    uint = np.dtype(f"u{nbits // 8}")
    raw = _random_bits(data, nbits, shape)
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
    data, _ = _unwrap("uniform", key)
    dtype = _user_dtype("uniform", dtype, dtypes.default_float(), np.floating)
    shape = _shape("uniform", shape)
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
    data, _ = _unwrap("normal", key)
    dtype = _user_dtype("normal", dtype, dtypes.default_float(), np.floating)
    lo = np.nextafter(np.asarray(-1.0, dtype), np.asarray(0.0, dtype))
    u = _uniform(data, _shape("normal", shape), dtype, lo, np.asarray(1.0, dtype))
    return ew.mul(np.asarray(np.sqrt(2), dtype), erf_inv(u))


def truncated_normal(key: Any, lower: Any, upper: Any, shape: Sequence[int] | None = None,
                     dtype: Any = None) -> Any:
    """Normal floats conditioned on ``lower < x < upper``, by inverting the CDF.

    ``lower`` and ``upper`` must be concrete: their ``erf`` is computed in float64 with
    ``math.erf`` and rounded, not with XLA's polynomial, so that a bound's ``erf`` may
    differ from JAX's by an ulp (the recorded cases match JAX bit for bit)."""
    data, _ = _unwrap("truncated_normal", key)
    dtype = _user_dtype("truncated_normal", dtype, dtypes.default_float(), np.floating)
    lower = np.asarray(lower, dtype)
    upper = np.asarray(upper, dtype)
    shape = np.broadcast_shapes(lower.shape, upper.shape) if shape is None else _shape(
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
    data, _ = _unwrap("bernoulli", key)
    p = creation.asarray(p)
    dtype = aval_of(p).dtype
    if not dtypes.is_float(dtype):
        raise TypeError(f"bernoulli probability `p` must have a floating dtype, got {dtype}.")
    shape = aval_of(p).shape if shape is None else _shape("bernoulli", shape)
    _check_shape("bernoulli", shape, p)
    return ufuncs.less(_uniform(data, shape, dtype, 0.0, 1.0), p)


def rademacher(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """-1 or +1 with equal probability (default int32; int64 under x64)."""
    dtype = _user_dtype("rademacher", dtype, dtypes.default_int(), np.number)
    samples = bernoulli(key, 0.5, shape).astype(dtype)
    return (2 * samples - 1).astype(dtype)


def randint(key: Any, shape: Sequence[int], minval: Any, maxval: Any, dtype: Any = None) -> Any:
    """Integers in ``[minval, maxval)``: two words of random bits reduced modulo the span
    (JAX's method; slightly biased when the span is not a power of 2)."""
    data, _ = _unwrap("randint", key)
    dtype = _user_dtype("randint", dtype, dtypes.default_int(), np.integer)
    shape = _shape("randint", shape)
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
    higher_bits, lower_bits = _random_bits(k1, nbits, shape), _random_bits(k2, nbits, shape)
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
    data, _ = _unwrap("exponential", key)
    dtype = _user_dtype("exponential", dtype, dtypes.default_float(), np.floating)
    u = _uniform(data, _shape("exponential", shape), dtype, 0.0, 1.0)
    return ufuncs.negative(ufuncs.log1p(ufuncs.negative(u)))


def gumbel(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard Gumbel floats: ``-log(-log(u))`` for ``u`` uniform in [tiny, 1)."""
    data, _ = _unwrap("gumbel", key)
    dtype = _user_dtype("gumbel", dtype, dtypes.default_float(), np.floating)
    return _gumbel(data, _shape("gumbel", shape), dtype)


def _gumbel(data: Any, shape: tuple[int, ...], dtype: np.dtype) -> Any:
    u = _uniform(data, shape, dtype, np.finfo(dtype).tiny, 1.0)
    return ufuncs.negative(ufuncs.log(ufuncs.negative(ufuncs.log(u))))


def logistic(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard logistic floats: ``log(u) - log1p(-u)``."""
    data, _ = _unwrap("logistic", key)
    dtype = _user_dtype("logistic", dtype, dtypes.default_float(), np.floating)
    x = _uniform(data, _shape("logistic", shape), dtype, np.finfo(dtype).tiny, 1.0)
    return ufuncs.subtract(ufuncs.log(x), ufuncs.log1p(ufuncs.negative(x)))


def laplace(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard Laplace floats: ``sign(u) * log1p(-|u|)`` for ``u`` uniform in (-1, 1)."""
    data, _ = _unwrap("laplace", key)
    dtype = _user_dtype("laplace", dtype, dtypes.default_float(), np.floating)
    u = _uniform(data, _shape("laplace", shape), dtype, -1.0 + np.finfo(dtype).epsneg, 1.0)
    return ufuncs.multiply(ufuncs.sign(u), ufuncs.log1p(ufuncs.negative(ufuncs.abs(u))))


def cauchy(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard Cauchy floats: ``tan(pi * (u - 1/2))`` for ``u`` uniform in [eps, 1)."""
    data, _ = _unwrap("cauchy", key)
    dtype = _user_dtype("cauchy", dtype, dtypes.default_float(), np.floating)
    u = _uniform(data, _shape("cauchy", shape), dtype, np.finfo(dtype).eps, 1.0)
    pi, half = np.asarray(np.pi, dtype), np.asarray(0.5, dtype)
    return ufuncs.tan(ew.mul(pi, ew.sub(u, half)))


def categorical(key: Any, logits: Any, axis: int = -1, shape: Sequence[int] | None = None) -> Any:
    """Indices drawn with probabilities ``softmax(logits)`` along ``axis``: the argmax of
    logits plus Gumbel noise (with replacement)."""
    data, _ = _unwrap("categorical", key)
    logits = creation.asarray(logits)
    lshape = aval_of(logits).shape
    axis = axis % len(lshape)
    batch_shape = lshape[:axis] + lshape[axis + 1:]
    shape = batch_shape if shape is None else _shape("categorical", shape)
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
    data, _ = _unwrap("permutation", key)
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
        sort_keys = _random_bits(subkey, 32, keys_shape)
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


def choice(key: Any, a: Any, shape: Sequence[int] = (), replace: bool = True, p: Any = None,
           axis: int = 0) -> Any:
    """Random draws from ``a`` (or ``range(a)``) along ``axis``, with or without
    replacement: JAX's bits (``randint`` or ``permutation``). ``p`` is not supported yet."""
    data, typed = _unwrap("choice", key)
    if not isinstance(shape, Sequence):
        raise TypeError(f"shape argument of jaxlite.random.choice must be a sequence, got {shape}")
    shape = _shape("choice", shape)
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
        p = creation.asarray(p)
        if not dtypes.is_inexact(aval_of(p).dtype):
            p = p.astype(dtypes.default_float())
        if aval_of(p).shape != (n_inputs,):
            raise ValueError("p must be None or a 1D vector with the same size as "
                             f"a.shape[axis]. p has shape {aval_of(p).shape} and "
                             f"a.shape[axis] is {n_inputs}.")
        raise NotImplementedError("choice with p is not implemented yet: it needs cumsum and "
                                  "searchsorted (with replacement) or top_k (without)")
    arr_shape = aval_of(arr).shape
    out_shape = shape if aval_of(arr).ndim == 0 else arr_shape[:axis] + shape + arr_shape[axis + 1:]
    return shape_ops.reshape(result, out_shape)
