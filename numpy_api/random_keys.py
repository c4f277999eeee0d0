"""Keys for ``jaxlite.random``: JAX's two forms, seeding, ``split`` and ``fold_in``, and
the random bits every sampler starts from.

A raw key, ``PRNGKey(seed)``, is a ``uint32[2]`` array; a typed key, ``key(seed)``, is a
``PRNGKeyArray`` of shape ``()`` and dtype ``key<fry>`` whose data is that ``uint32[2]``.
Every function takes either form and returns the form it was given. Everything is built
from the ``threefry2x32`` primitive and ordinary integer ops, as JAX 0.10 builds it with
``jax_threefry_partitionable=True`` (its default). Also here: the argument checks that
every sampler shares (static shapes, user dtypes).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.array import Array
from ..core.trace import aval_of
from ..core.tree_util import register_pytree_node
from ..primitives import bitwise, comparison as cmp, shape as shape_ops
from ..primitives.prng import threefry2x32
from ..primitives.structural import convert_element_type
from . import creation, manipulation, reductions, ufuncs
from ._util import as_operand

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


def unwrap_key(name: str, key: Any, allow_batched: bool = False) -> tuple[Any, bool]:
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


def rewrap_key(data: Any, typed: bool) -> Any:
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
    return unwrap_key("key_data", keys, allow_batched=True)[0]


def wrap_key_data(key_bits_array: Any, *, impl: str | None = None) -> PRNGKeyArray:
    """Typed keys over ``uint32[..., 2]`` key data."""
    _check_impl(impl)
    if isinstance(key_bits_array, PRNGKeyArray):
        raise TypeError("wrap_key_data: the argument is already a typed key array")
    return PRNGKeyArray(unwrap_key("wrap_key_data", key_bits_array, allow_batched=True)[0])


def key_impl(keys: Any) -> str:
    """The name of the keys' PRNG implementation: ``'threefry2x32'``."""
    unwrap_key("key_impl", keys, allow_batched=True)
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
    data, typed = unwrap_key("split", key)
    shape = tuple(num) if isinstance(num, Sequence) else (num,)
    shape = tuple(_static_int("split", s) for s in shape)
    bits1, bits2 = _hash_counts(data, shape)
    return rewrap_key(manipulation.stack([bits1, bits2], axis=-1), typed)


def fold_in(key: Any, data: Any) -> Any:
    """A new key from ``key`` and a 32-bit integer: the hash of the counter pair ``(0, data)``."""
    key_words, typed = unwrap_key("fold_in", key)
    if np.ndim(data) if not hasattr(data, "shape") else len(data.shape):
        raise TypeError(f"fold_in accepts a scalar, but was given an array of shape "
                        f"{np.shape(data)} != (). Use jaxlite.vmap for batching.")
    counter = creation.asarray(data, _U32) if not isinstance(data, int) else np.uint32(
        data & 0xFFFFFFFF)
    k1, k2 = _words(key_words)
    y1, y2 = threefry2x32(k1, k2, np.uint32(0), convert_element_type(counter, _U32))
    return rewrap_key(manipulation.stack([y1, y2]), typed)


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


def random_bits(data: Any, bit_width: int, shape: tuple[int, ...]) -> Any:
    bits1, bits2 = _hash_counts(data, shape)
    if bit_width == 64:
        u64 = np.dtype(np.uint64)
        high = bitwise.shift_left(convert_element_type(bits1, u64), np.uint64(32))
        return cmp.or_p.bind1(high, convert_element_type(bits2, u64))
    mixed = cmp.xor_p.bind1(bits1, bits2)
    return mixed if bit_width == 32 else convert_element_type(mixed, np.dtype(f"u{bit_width // 8}"))


def static_shape(name: str, shape: Any) -> tuple[int, ...]:
    if shape is None:
        return ()
    try:
        return tuple(int(s) for s in (shape if isinstance(shape, Sequence) else (shape,)))
    except TypeError:
        raise TypeError(f"{name}: shape must be a tuple of static integers, got {shape!r}") \
            from None


def user_dtype(name: str, dtype: Any, default: np.dtype, kind: str) -> np.dtype:
    dtype = default if dtype is None else dtypes.canonicalize(np.dtype(dtype))
    if not np.issubdtype(dtype, kind):
        raise ValueError(f"dtype argument to `{name}` must be a {kind.__name__} dtype, got "
                         f"{dtype}")
    return dtype
