"""``python -m benchmarks.memory [--shapes N]``: does memory stay flat as shapes change?

Issue #10's criterion: ``grad`` at 200k distinct shapes grows memory by under 10 MiB.
The script differentiates ``lambda x: (x * x).sum()`` at ``--shapes`` distinct shapes
(f32[n] for n = 1, 2, ...) and reports, in MiB, the growth of the process's resident set
(RSS, from /proc) and of the memory Python allocated (tracemalloc, measured on a second,
shorter run because tracing every allocation is slow). It then lists every registered
cache (``core.cache.registered``) with its size and bound, so a cache that keeps growing
shows up by name.

Standalone rather than a ``python -m benchmarks`` workload: it measures memory, not time.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc

import numpy as np

import jaxlite
from jaxlite.core.cache import registered

MIB = 2**20
LIMIT_MIB = 10.0


def rss() -> int:
    """The resident set size of this process in bytes (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except OSError:
        return 0
    return pages * 4096


def differentiate_at_shapes(start: int, stop: int) -> None:
    grad = jaxlite.grad(lambda x: (x * x).sum())
    for n in range(start, stop):
        grad(np.ones(n, np.float32))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", type=int, default=200_000, help="distinct shapes (RSS run)")
    parser.add_argument("--traced-shapes", type=int, default=2_000,
                        help="distinct shapes of the tracemalloc run")
    args = parser.parse_args(argv)

    differentiate_at_shapes(1, 100)  # imports, first-call work
    gc.collect()
    before = rss()
    start = time.perf_counter()
    differentiate_at_shapes(100, 100 + args.shapes)
    gc.collect()
    rss_growth = (rss() - before) / MIB
    print(f"grad at {args.shapes:,} distinct shapes: {time.perf_counter() - start:.1f} s, "
          f"RSS growth {rss_growth:.1f} MiB")

    first = 100 + args.shapes
    tracemalloc.start()
    allocated = tracemalloc.get_traced_memory()[0]
    differentiate_at_shapes(first, first + args.traced_shapes)
    gc.collect()
    traced_growth = (tracemalloc.get_traced_memory()[0] - allocated) / MIB
    tracemalloc.stop()
    print(f"grad at {args.traced_shapes:,} more distinct shapes: tracemalloc growth "
          f"{traced_growth:.2f} MiB")

    print("\nregistered caches (size / bound):")
    for cache in sorted(registered(), key=lambda c: -c.size()):
        if cache.size():
            print(f"  {cache.size():>6} / {cache.maxsize:<6} {cache.name}")
    verdict = "PASS" if rss_growth < LIMIT_MIB else "FAIL"
    print(f"\nRSS growth {rss_growth:.1f} MiB (target < {LIMIT_MIB:g} MiB: {verdict})")
    return 0 if rss_growth < LIMIT_MIB else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
