"""dtypes as JAX has them: canonical 32-bit defaults, weak types and the promotion lattice.

A *weak* type is the type of a Python scalar: it takes the dtype of whatever it meets
(``f32[] * 2.0`` stays ``f32``). Promotion is the least upper bound in JAX's lattice

    b1 -> i* -> u8 -> u16 -> u32 -> u64 -> f*
          i* -> i8 -> i16 -> i32 -> i64 -> f*      (u8 -> i16, u16 -> i32, u32 -> i64)
    f* -> f16 | bf16 -> f32 -> f64 -> c128,   f* -> c* -> c64 -> c128,   f32 -> c64

where ``i*``, ``f*``, ``c*`` are the weak kinds. With x64 disabled (the default) every
64-bit result is canonicalised to its 32-bit counterpart.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .cache import bounded_cache, cache_put
from .config import config

bool_ = np.dtype(np.bool_)
int8, int16, int32, int64 = (np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64))
uint8, uint16, uint32, uint64 = (np.dtype(t) for t in (np.uint8, np.uint16, np.uint32, np.uint64))
float16, float32, float64 = (np.dtype(t) for t in (np.float16, np.float32, np.float64))
complex64, complex128 = np.dtype(np.complex64), np.dtype(np.complex128)

_SHORT_NAMES = {
    bool_: "bool", int8: "i8", int16: "i16", int32: "i32", int64: "i64",
    uint8: "u8", uint16: "u16", uint32: "u32", uint64: "u64",
    float16: "f16", float32: "f32", float64: "f64", complex64: "c64", complex128: "c128",
}
_TO_32_BIT = {int64: int32, uint64: uint32, float64: float32, complex128: complex64}

# Lattice nodes are dtypes or the weak kinds 'i*', 'f*', 'c*'.
_LATTICE_EDGES: dict[object, tuple] = {
    bool_: ("i*",),
    "i*": (uint8, int8),
    "f*": ("c*", float16),
    "c*": (complex64,),
    uint8: (int16, uint16), uint16: (int32, uint32), uint32: (int64, uint64), uint64: ("f*",),
    int8: (int16,), int16: (int32,), int32: (int64,), int64: ("f*",),
    float16: (float32,), float32: (float64, complex64), float64: (complex128,),
    complex64: (complex128,), complex128: (),
}


def _upper_set(node: object) -> frozenset:
    seen, stack = {node}, [node]
    while stack:
        for parent in _LATTICE_EDGES[stack.pop()]:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return frozenset(seen)


_UPPER_SETS = {node: _upper_set(node) for node in _LATTICE_EDGES}


def short_name(dtype: np.dtype) -> str:
    """The name used in printed avals: ``f32``, ``i32``, ``bool``."""
    return _SHORT_NAMES.get(dtype, str(dtype))


def canonicalize(dtype) -> np.dtype:
    """The dtype actually used for a requested one: 64-bit becomes 32-bit unless x64 is on."""
    key = (dtype, config.x64_enabled)
    try:
        return _canonical[key]
    except (KeyError, TypeError):  # TypeError: an unhashable dtype-like
        pass
    result = np.dtype(dtype)
    if not config.x64_enabled:
        result = _TO_32_BIT.get(result, result)
    try:
        cache_put(_canonical, key, result)
    except TypeError:
        pass
    return result


_canonical: dict[tuple, np.dtype] = bounded_cache(f"{__name__}._canonical", 256)


def is_canonical(dtype: np.dtype) -> bool:
    """Whether an array of this dtype needs no conversion (the check on every eager operand).

    The builtin dtypes are singletons, so their ids identify them without hashing the dtype;
    any other dtype (byte-swapped, say) is answered by ``canonicalize``.
    """
    if id(dtype) in _CANONICAL_IDS[config.x64_enabled]:
        return True
    return canonicalize(dtype) is dtype


_CANONICAL_IDS = {
    x64: frozenset(id(np.dtype(t)) for t in
                   (bool_, np.int8, np.int16, np.int32, np.uint8, np.uint16, np.uint32,
                    np.float16, np.float32, np.complex64)
                   + ((np.int64, np.uint64, np.float64, np.complex128) if x64 else ()))
    for x64 in (False, True)
}


def default_float() -> np.dtype:
    return float64 if config.x64_enabled else float32


def default_int() -> np.dtype:
    return int64 if config.x64_enabled else int32


def default_complex() -> np.dtype:
    return complex128 if config.x64_enabled else complex64


def python_scalar_dtype(value: object) -> np.dtype:
    """The dtype a Python scalar takes: bool, or the default int/float/complex (weakly typed)."""
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return default_int()
    if isinstance(value, float):
        return default_float()
    return default_complex()


def _lattice_node(dtype: np.dtype, weak: bool) -> object:
    if not weak:
        return dtype
    if np.issubdtype(dtype, np.complexfloating):
        return "c*"
    if np.issubdtype(dtype, np.floating):
        return "f*"
    if np.issubdtype(dtype, np.integer):
        return "i*"
    return dtype


def _promote_nodes(nodes: tuple) -> tuple[np.dtype, bool]:
    """The least upper bound of lattice nodes, as a canonical dtype and a weak flag."""
    common = frozenset.intersection(*(_UPPER_SETS[n] for n in nodes))
    least = next(n for n in common if _UPPER_SETS[n] == common)
    weak = isinstance(least, str)
    dtype = {"i*": default_int, "f*": default_float, "c*": default_complex}[least]() if weak else least
    return canonicalize(dtype), weak


def result_type(*dtypes_and_weak: tuple[np.dtype, bool]) -> tuple[np.dtype, bool]:
    """Promote ``(dtype, weak_type)`` pairs the way JAX does; returns ``(dtype, weak_type)``."""
    key = (dtypes_and_weak, config.x64_enabled)  # the answer depends on the x64 flag
    result = _result_cache.get(key)
    if result is None:
        nodes = tuple(_lattice_node(np.dtype(d), w) for d, w in dtypes_and_weak)
        result = cache_put(_result_cache, key, _promote_nodes(nodes))
    return result


_result_cache: dict[tuple, tuple[np.dtype, bool]] = bounded_cache(f"{__name__}._result_cache", 1024)


def to_inexact(dtype: np.dtype) -> np.dtype:
    """The float dtype ``jnp.sin`` and friends compute integers and bools in, as JAX does:
    float32 for bool and integers of up to 32 bits, float64 for 64-bit integers."""
    dtype = np.dtype(dtype)
    if dtype == bool_ or is_integer(dtype):
        return canonicalize(float64 if dtype.itemsize == 8 else float32)
    return dtype


def default_uint() -> np.dtype:
    return uint64 if config.x64_enabled else uint32


def _kind(dtype: Any) -> str:
    """NumPy's one-letter kind of a dtype, or of anything ``np.dtype`` accepts."""
    return dtype.kind if isinstance(dtype, np.dtype) else np.dtype(dtype).kind


def is_float(dtype: np.dtype) -> bool:
    return _kind(dtype) == "f"


def is_inexact(dtype: np.dtype) -> bool:
    return _kind(dtype) in "fc"


def is_integer(dtype: np.dtype) -> bool:
    return _kind(dtype) in "iu"


