"""``python -m benchmarks.gc_growth``: does tracing stay linear while the collector runs?

Times ``make_jaxpr`` of a 1k-op and a 10k-op elementwise chain (``programs.chain``) with
the cyclic garbage collector enabled, on an empty heap and with a million other objects
alive (lists, which the collector tracks: a program's own data). The target is
t(10k) / t(1k) <= 11 in both cases. Each case also reports how many collections of each
generation ran during one trace (``gc.get_stats``) and how many GC-tracked objects the
finished jaxpr holds per equation, since those are what every full collection scans.

Standalone rather than a ``python -m benchmarks`` workload: it needs a heap of a given
size, which the other workloads must not pay for.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time

import numpy as np

import jaxlite

from .programs import make_chain

SIZES = (1000, 10000)
BALLAST = 1_000_000
MAX_GROWTH = 11.0


def collections() -> list[int]:
    """How many collections of each generation have run so far."""
    return [s["collections"] for s in gc.get_stats()]


def time_trace(n: int, repeats: int) -> tuple[float, list[int]]:
    """The best time of ``repeats`` traces of an n-op chain, and the collections per trace."""
    x = np.linspace(0.0, 1.0, 4, dtype=np.float32)
    best, runs = float("inf"), []
    for _ in range(repeats):
        fn = make_chain(jaxlite.numpy, n)
        before = collections()
        start = time.perf_counter()
        jaxlite.make_jaxpr(fn)(x)
        best = min(best, time.perf_counter() - start)
        runs.append([a - b for a, b in zip(collections(), before)])
    return best, runs[-1]


def tracked_per_eqn(n: int) -> float:
    """GC-tracked objects reachable from a traced n-op jaxpr, per equation (after a collection,
    so that tuples of atoms have been untracked)."""
    x = np.linspace(0.0, 1.0, 4, dtype=np.float32)
    gc.collect()
    before = len(gc.get_objects())
    closed = jaxlite.make_jaxpr(make_chain(jaxlite.numpy, n))(x)
    gc.collect()
    after = len(gc.get_objects())
    del closed
    return (after - before) / n


def run_case(label: str, repeats: int) -> float:
    times = {}
    print(f"{label}: gc enabled = {gc.isenabled()}")
    for n in SIZES:
        times[n], counts = time_trace(n, repeats)
        print(f"  N={n:>6}: {times[n] * 1e3:8.1f} ms   collections per trace (gen0, gen1, gen2) "
              f"= {tuple(counts)}")
    ratio = times[SIZES[1]] / times[SIZES[0]]
    verdict = "PASS" if ratio <= MAX_GROWTH else "FAIL"
    print(f"  growth t({SIZES[1]}) / t({SIZES[0]}) = {ratio:.2f}  (target <= {MAX_GROWTH:g}: "
          f"{verdict})")
    return ratio


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gc_growth", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5, help="traces per size (best is kept)")
    args = parser.parse_args(argv)
    if not gc.isenabled():
        parser.error("the collector is disabled: this benchmark measures it at work")
    jaxlite.make_jaxpr(make_chain(jaxlite.numpy, 10))(np.zeros(4, np.float32))  # warm up
    print(f"GC-tracked objects held per equation of a traced chain: {tracked_per_eqn(2000):.2f}")
    ratios = [run_case("empty heap", args.repeats)]
    keep = [[] for _ in range(BALLAST)]
    ratios.append(run_case(f"{len(keep):,} other live objects", args.repeats))
    del keep
    return 0 if max(ratios) <= MAX_GROWTH else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
