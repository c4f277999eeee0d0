"""Timing, optional peers (JAX, HIPS autograd) and the context every workload receives.

Timing is built for a small machine shared with other jobs. Each callable has been
called once (by the workload, checking its result: JAX compiles, caches fill); it is
then given a number of calls per sample so that a sample lasts at least ``min_time``.
Samples of all the systems of a workload are taken in interleaved rounds (A B C,
A B C, ...), so that a busy spell of the machine hits every system alike. Within a
sample every call is timed and the sample's value is the median call; a system's time
is the minimum of its samples' medians (the least disturbed sample), and the median
of the samples' medians is kept in the JSON too. The garbage collector stays on (its
cost is part of each system's cost) and runs before every sample.

First calls (tracing and compiling: ``jit``) are timed apart, by ``measure_first_calls``:
each round makes every system's callable anew and times its one first call, in the same
interleaved order; the best and the median of the rounds are kept as above.
"""

from __future__ import annotations

import gc
import importlib
import importlib.metadata
import statistics
import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

import numpy as np

_clock = time.perf_counter


@dataclass(frozen=True)
class Budget:
    rounds: int  # samples per system
    min_time: float  # seconds per sample, at least (calls are repeated to get there)


FULL = Budget(rounds=7, min_time=0.05)
QUICK = Budget(rounds=3, min_time=0.01)


@dataclass
class Timing:
    """Seconds per call: ``best`` (min of the samples' medians) and the median of them."""

    best: float
    median: float
    samples: list[float]  # each sample's median call
    calls_per_sample: int

    def scaled(self, factor: float) -> Timing:
        return Timing(self.best * factor, self.median * factor,
                      [x * factor for x in self.samples], self.calls_per_sample)

    def as_dict(self) -> dict[str, Any]:
        return {"best_s": self.best, "median_s": self.median, "samples_s": self.samples,
                "calls_per_sample": self.calls_per_sample}


def _sample(fn: Callable[[], Any], number: int) -> float:
    """The median duration of ``number`` calls."""
    gc.collect()
    times = []
    for _ in range(number):
        start = _clock()
        fn()
        times.append(_clock() - start)
    return statistics.median(times)


def _calibrate(fn: Callable[[], Any], min_time: float) -> int:
    number = 1
    while True:
        per_call = _sample(fn, number)
        if per_call * number >= min_time or number >= 1 << 20:
            return number
        number = max(2 * number, int(1.2 * min_time / max(per_call, 1e-9)))


def measure(fns: dict[Any, Callable[[], Any]], budget: Budget) -> dict[Any, Timing]:
    """Time each callable (no arguments) in interleaved rounds; see the module docstring.

    Call each callable once before (the workloads check its result): that is the warm-up.
    """
    numbers = {name: _calibrate(fn, budget.min_time) for name, fn in fns.items()}
    samples: dict[Any, list[float]] = {name: [] for name in fns}
    for _ in range(budget.rounds):
        for name, fn in fns.items():
            samples[name].append(_sample(fn, numbers[name]))
    return {name: Timing(min(s), statistics.median(s), s, numbers[name])
            for name, s in samples.items()}


def measure_first_calls(makers: dict[Any, Callable[[], Callable[[], Any]]],
                        rounds: int) -> dict[Any, Timing]:
    """Time the first call of a new callable from each maker, once per round, interleaved.

    A maker builds what the first call must not find in a cache: for ``jit``, a new jit of
    a new function object (JAX and jaxlite cache compiled code by function).
    """
    samples: dict[Any, list[float]] = {name: [] for name in makers}
    for _ in range(rounds):
        for name, make in makers.items():
            fn = make()
            gc.collect()
            start = _clock()
            fn()
            samples[name].append(_clock() - start)
    return {name: Timing(min(s), statistics.median(s), s, 1) for name, s in samples.items()}


@dataclass
class Peers:
    """The peer libraries found in this environment (None when not importable)."""

    jax: ModuleType | None = None
    jnp: ModuleType | None = None
    autograd: ModuleType | None = None
    anp: ModuleType | None = None
    versions: dict[str, str] = field(default_factory=dict)


def load_peers(enabled: bool) -> Peers:
    """Import JAX and autograd if they are installed (only then: importing JAX takes seconds)."""
    peers = Peers()
    if enabled:
        peers.jax, peers.jnp = _optional("jax"), _optional("jax.numpy")
        peers.autograd, peers.anp = _optional("autograd"), _optional("autograd.numpy")
    for name in ("jax", "autograd"):
        if getattr(peers, name) is not None:
            peers.versions[name] = importlib.metadata.version(name)
    return peers


def _optional(module: str) -> ModuleType | None:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


@dataclass
class Context:
    """What a workload's ``run`` receives."""

    peers: Peers
    budget: Budget
    quick: bool
    seed: int = 0

    @property
    def jax_eager(self) -> bool:
        """Time JAX op-by-op? Not in --quick runs: its first calls compile every op (seconds)."""
        return self.peers.jax is not None and not self.quick

    def rng(self) -> np.random.Generator:
        return np.random.default_rng(self.seed)


def assert_close(name: str, actual: Any, expected: Any, rtol: float = 1e-4,
                 atol: float = 1e-6) -> None:
    """Check one system's result (a pytree of arrays) against the reference's."""
    flat_a, flat_e = _leaves(actual), _leaves(expected)
    if len(flat_a) != len(flat_e):
        raise AssertionError(f"{name}: {len(flat_a)} result arrays, expected {len(flat_e)}")
    for i, (a, e) in enumerate(zip(flat_a, flat_e)):
        np.testing.assert_allclose(np.asarray(a, np.float64), np.asarray(e, np.float64),
                                   rtol=rtol, atol=atol, err_msg=f"{name}: result leaf {i}")


def _leaves(tree: Any) -> list[Any]:
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in _leaves(item)]
    if isinstance(tree, dict):
        return [leaf for key in sorted(tree) for leaf in _leaves(tree[key])]
    return [tree]
