"""Bounded caches: the one policy every cache of jaxlite follows.

A cache is a plain dict (lookups stay at C speed on hot paths) whose insertions go
through ``put``, which evicts the oldest entries once ``maxsize`` is reached; a cached
function is ``memoize(maxsize)``, least recently used first out.
"""

from __future__ import annotations

import functools
from typing import Any, Callable


class BoundedDict(dict):
    """A dict that holds at most ``maxsize`` entries; ``put`` evicts the oldest first."""

    __slots__ = ("maxsize",)

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self.maxsize = maxsize

    def put(self, key: Any, value: Any) -> Any:
        if len(self) >= self.maxsize:
            for old in list(self)[: max(1, self.maxsize // 8)]:
                del self[old]
        self[key] = value
        return value


def memoize(maxsize: int) -> Callable[[Callable], Callable]:
    """Cache a function of hashable arguments, keeping at most ``maxsize`` results."""
    return functools.lru_cache(maxsize=maxsize)
