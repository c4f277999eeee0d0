"""Bounded caches: the one helper every cache of the package goes through.

The policy, for every cache:

* **Bounded.** Each cache has a ``maxsize`` fixed where it is made. A program that meets
  ever new shapes, dtypes or functions costs at most ``maxsize`` entries per cache.
* **Plain dicts, C-speed lookups.** A cache is a ``dict``. Its readers call ``cache.get(key)``
  or ``cache[key]`` directly, with no Python-level ``__getitem__`` or ``__hash__`` in the
  way: these caches sit on per-operation paths. Only *insertion* goes through the helper,
  ``cache_put``, which runs on a miss.
* **First in, first out.** When a cache is full, ``cache_put`` evicts the oldest eighth of
  its entries (dicts keep insertion order) before inserting. A hit does not reorder: that
  would cost a Python call per lookup. Evicting in batches keeps insertion O(1) amortised.
* **Function caches** use ``memoize(maxsize)``: ``functools.lru_cache`` underneath, which is
  in C and bounds itself (least recently used goes first).
* **Registered.** Every cache is registered under a name with its bound; ``registered()``
  lists them, so a test can check that each stays within its bound. The registry keeps
  every cache alive, so caches are made at import time: at module level, or once per
  primitive as it is declared (a shape rule's cache), never per call.

Nothing here is thread-locked: a race between two threads filling one cache can at worst
store an entry twice or evict one entry too many, never return a wrong value.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any, Callable, TypeVar

import attrs

F = TypeVar("F", bound=Callable[..., Any])


@attrs.frozen(slots=True)
class Registered:
    """One registered cache: its name, its bound, ways to read its size and to empty it, and
    the dict itself (None for a ``memoize`` cache)."""

    name: str
    maxsize: int
    size: Callable[[], int]
    clear: Callable[[], None]
    cache: dict | None = None

    @property
    def bound(self) -> int:
        """The bound in force (``set_bound`` may have changed it since registration)."""
        return self.maxsize if self.cache is None else _bounds[id(self.cache)]


_registry: dict[str, Registered] = {}
_bounds: dict[int, int] = {}  # id of a cache dict -> its maxsize (the dicts live in _registry)


def bounded_cache(name: str, maxsize: int) -> dict:
    """A new empty cache dict holding at most ``maxsize`` entries; fill it with ``cache_put``.

    ``name`` identifies it in ``registered()``, e.g. ``"core.avals.interned"``; a cache made
    per primitive names the primitive. Make caches at import time (see the module docstring).
    """
    if maxsize < 1:
        raise ValueError(f"bounded_cache {name!r}: maxsize must be at least 1, got {maxsize}")
    cache: dict = {}
    _register(Registered(name, maxsize, cache.__len__, cache.clear, cache))
    _bounds[id(cache)] = maxsize
    return cache


def cache_put(cache: dict, key: Any, value: Any) -> Any:
    """Insert ``key: value`` into a cache made by ``bounded_cache``; returns ``value``.

    When the cache is full its oldest entries go first (see the module docstring).
    """
    if len(cache) >= _bounds[id(cache)] and key not in cache:
        _evict_oldest(cache, max(1, len(cache) // 8))
    cache[key] = value
    return value


def set_bound(entry: Registered, maxsize: int) -> None:
    """Change the bound of a ``bounded_cache`` (evicting its oldest entries down to it).

    Tests shrink bounds to reach the steady state of a full cache quickly; a program short
    of memory may shrink them too. ``memoize`` caches keep the bound they were made with.
    """
    if entry.cache is None or maxsize < 1:
        raise ValueError(f"cannot set the bound of cache {entry.name!r} to {maxsize}")
    _bounds[id(entry.cache)] = maxsize
    _evict_oldest(entry.cache, max(0, len(entry.cache) - maxsize))


def _evict_oldest(cache: dict, count: int) -> None:
    for key in list(itertools.islice(cache, count)):
        cache.pop(key, None)


def memoize(maxsize: int, name: str | None = None) -> Callable[[F], F]:
    """Decorator: ``functools.lru_cache(maxsize)``, registered (under the function's module
    and qualified name unless ``name`` is given). Arguments must be hashable."""

    def decorate(fun: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(fun)
        label = name or f"{fun.__module__}.{fun.__qualname__}"
        _register(Registered(label, maxsize, lambda: cached.cache_info().currsize,
                             cached.cache_clear))
        return cached  # type: ignore[return-value]

    return decorate


def _register(entry: Registered) -> None:
    """Add to the registry; a repeated name gets a suffix (two rules of one primitive)."""
    name, copies = entry.name, 1
    while name in _registry:
        copies += 1
        name = f"{entry.name}#{copies}"
    _registry[name] = attrs.evolve(entry, name=name)


def registered() -> list[Registered]:
    """Every cache made by ``bounded_cache`` or ``memoize`` so far."""
    return list(_registry.values())
