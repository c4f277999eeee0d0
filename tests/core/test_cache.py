"""The bounded-cache helper, and interned avals that live only as long as they are used."""

from __future__ import annotations

import copy
import gc
import pickle

import numpy as np

from jaxlite.core import avals
from jaxlite.core.avals import ShapedArray, shaped_array
from jaxlite.core.cache import bounded_cache, cache_put, memoize, registered


def test_cache_put_evicts_the_oldest_entries_at_the_bound():
    cache = bounded_cache("tests.fifo", 16)
    for i in range(100):
        assert cache_put(cache, i, str(i)) == str(i)
        assert len(cache) <= 16
    assert 99 in cache and 0 not in cache
    assert list(cache) == sorted(cache)  # first in, first out


def test_cache_put_of_a_present_key_evicts_nothing():
    cache = bounded_cache("tests.overwrite", 4)
    for i in range(4):
        cache_put(cache, i, i)
    cache_put(cache, 2, "two")
    assert cache == {0: 0, 1: 1, 2: "two", 3: 3}


def test_memoize_is_a_bounded_lru_cache_and_registered():
    @memoize(8)
    def square(n):
        return n * n

    assert [square(n) for n in range(50)] == [n * n for n in range(50)]
    assert square.cache_info().currsize == 8
    entry = next(r for r in registered() if r.name.endswith("square"))
    assert (entry.maxsize, entry.size()) == (8, 8)


def test_every_registered_cache_has_a_distinct_name():
    names = [r.name for r in registered()]
    assert len(names) == len(set(names))


def test_avals_are_interned_across_spellings_of_their_fields():
    a = shaped_array((2, 3), np.float32)
    assert shaped_array([np.int64(2), 3], np.dtype("float32"), 0) is a
    assert ShapedArray((2, 3), np.float32, False) is a
    assert shaped_array((2, 3), np.float32, True) is not a


def test_pickle_and_copy_give_the_interned_aval():
    a = shaped_array((5, 7), np.int32, True)
    assert pickle.loads(pickle.dumps(a)) is a
    assert copy.copy(a) is a and copy.deepcopy(a) is a
    assert copy.deepcopy({"aval": a})["aval"] is a


def test_a_live_aval_stays_the_only_one_even_after_the_front_cache_forgets_it():
    a = shaped_array((123457,), np.float32)
    avals._interned.clear()
    assert shaped_array((123457,), np.float32) is a


def test_unused_avals_are_released():
    gc.collect()
    shapes = [(1000003 + i,) for i in range(10_000)]
    for shape in shapes:
        shaped_array(shape, np.float32)
    gc.collect()
    assert len(avals._interned) <= 4096
    alive = sum(1 for shape in shapes if (shape, np.dtype(np.float32), False) in avals._canonical)
    assert alive <= 4096
