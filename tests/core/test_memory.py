"""Memory stays flat as shapes change: every cache is bounded (issue #10).

The issue's criterion is "grad at 200k distinct shapes grows memory by under 10 MiB";
``python -m benchmarks.memory`` measures that. Here, in a second or two: with every cache's
bound shrunk (so that a few hundred shapes fill them all), differentiate and run jnp
operations at many distinct shapes, then check that each registered cache is within its
bound and that a further window of new shapes keeps next to no memory.
"""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.core import cache as cache_module

SMALL_BOUND = 64
WARM_UP_SHAPES = 300  # fills every cache bounded by SMALL_BOUND, and turns its entries over
MEASURED_SHAPES = 600
MAX_GROWTH_KIB = 64  # kept after 600 new shapes: ~100 bytes a shape, less than one aval each

# Caches that may stay out of the small bounds of this test (none: every cache is bounded
# through core/cache.py, which test_every_module_cache_is_registered holds).
TOLERATED: dict = {}

_grad = jaxlite.grad(lambda x: (x * x).sum())


@pytest.fixture
def small_bounds():
    entries = [c for c in cache_module.registered() if c.cache is not None]
    saved = [(c, c.bound) for c in entries]
    for entry in entries:
        cache_module.set_bound(entry, min(SMALL_BOUND, entry.bound))
    yield
    for entry, bound in saved:
        cache_module.set_bound(entry, bound)


def _work_at_shapes(start: int, stop: int) -> None:
    for n in range(start, stop):
        _grad(np.ones(n, np.float32))
        jnp.sum(jnp.ones((n % 5 + 1, n)) * 2.0 + 1, axis=0)


def _kept() -> int:
    """Bytes allocated and still held, not counting memoize caches (lru_cache bounds them, in
    C, at sizes too large to fill here) and the tolerated ones."""
    for entry in cache_module.registered():
        if entry.cache is None:
            entry.clear()
    for cache in TOLERATED.values():
        cache.clear()
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def test_caches_stay_bounded_and_memory_flat_across_many_shapes(small_bounds):
    tracemalloc.start()  # before the warm-up: entries made untraced and evicted later would
    try:  # show up as growth when traced ones replace them
        _work_at_shapes(1, WARM_UP_SHAPES)
        before = _kept()
        _work_at_shapes(WARM_UP_SHAPES, WARM_UP_SHAPES + MEASURED_SHAPES)
        growth = (_kept() - before) / 1024
    finally:
        tracemalloc.stop()
    over = [(c.name, c.size(), c.bound) for c in cache_module.registered() if c.size() > c.bound]
    assert not over, f"caches over their bounds: {over}"
    assert growth < MAX_GROWTH_KIB, f"{MEASURED_SHAPES} new shapes kept {growth:.0f} KiB"


def test_every_module_cache_is_registered():
    names = {c.name for c in cache_module.registered()}
    assert {"jaxlite.interpreters.linearize._zero_tangents", "jaxlite.core.eager._literal_cache",
            "jaxlite.interpreters.batching._unbatched"} <= names
