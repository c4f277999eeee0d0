"""Sorting under ``jit``: the gradient through a sort, argsort, top_k, quantiles, searchsorted.

Cases (float32, passed as arguments of the jitted function):

* ``sort grad``: the gradient of ``sum(sort(x) * w)`` with respect to ``x``, 1e6 elements
  (a sort with the positions forward, a scatter back);
* ``argsort``: a stable argsort of 1e6 elements;
* ``top_k``: the 10 largest of each of 1000 rows of 1000, with their positions;
* ``quantile``: three quantiles of each of 1000 rows of 1000;
* ``searchsorted``: 1e5 queries into a sorted array of 1e5.

The reference is NumPy by hand: ``np.argsort(kind="stable")`` and a fancy assignment for the
gradient, ``np.argsort`` of the negated rows for top_k, ``np.quantile``, ``np.searchsorted``.
Target: the gradient at most 1.5x NumPy. JAX (jit) when installed.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import jaxlite
import jaxlite.numpy as jnp

from .harness import Context, assert_close, measure
from .report import Report, check

SIZE, ROWS, QUERIES = 1_000_000, 1000, 100_000
QUICK_SCALE = 4  # --quick: sizes divided by this
NUMPY, JAXLITE, JAX = "NumPy by hand", "jaxlite jit", "JAX jit"
GRAD, ARGSORT, TOP_K, QUANTILE, SEARCH = ("sort grad", "argsort", "top_k", "quantile",
                                          "searchsorted")
TARGETS = {GRAD: 1.5}
LEVELS = (0.1, 0.5, 0.9)


def numpy_sort_grad(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """d/dx of sum(sort(x) * w): the weight of each sorted place goes back to its element."""
    g = np.empty_like(w)
    g[np.argsort(x, kind="stable")] = w
    return g


def numpy_top_k(rows: np.ndarray, k: int) -> tuple:
    positions = np.argsort(-rows, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(rows, positions, axis=1), positions.astype(np.int32)


def builders(k: int) -> dict[str, Callable]:
    """For each case, how a library (``lib``, its numpy ``np_``) builds its jitted function."""
    return {
        GRAD: lambda lib, np_: lib.jit(lib.grad(lambda x, w: np_.sum(np_.sort(x) * w))),
        ARGSORT: lambda lib, np_: lib.jit(np_.argsort),
        TOP_K: lambda lib, np_: lib.jit(lambda r: lib.lax.top_k(r, k)),
        QUANTILE: lambda lib, np_: lib.jit(
            lambda r: np_.quantile(r, np_.array(LEVELS, np_.float32), axis=1)),
        SEARCH: lambda lib, np_: lib.jit(np_.searchsorted),
    }


def run(ctx: Context) -> Report:
    rng = ctx.rng()
    scale = QUICK_SCALE if ctx.quick else 1
    size, rows, queries = SIZE // scale, ROWS // scale, QUERIES // scale
    x = rng.standard_normal(size).astype(np.float32)
    w = rng.standard_normal(size).astype(np.float32)
    table = rng.standard_normal((rows, rows)).astype(np.float32)
    haystack = np.sort(rng.standard_normal(queries).astype(np.float32))
    needles = rng.standard_normal(queries).astype(np.float32)
    k = 10
    cases = {
        GRAD: ((x, w), numpy_sort_grad),
        ARGSORT: ((x,), lambda v: np.argsort(v, kind="stable").astype(np.int32)),
        TOP_K: ((table,), lambda r: numpy_top_k(r, k)),
        QUANTILE: ((table,), lambda r: np.quantile(r, LEVELS, axis=1).astype(np.float32)),
        SEARCH: ((haystack, needles), lambda a, v: np.searchsorted(a, v).astype(np.int32)),
    }
    report = Report("sorting", "sorting: sort, top_k, quantiles under jit, one thread", NUMPY)
    jax, build = ctx.peers.jax, builders(k)
    for case, (args, reference) in cases.items():
        systems = {NUMPY: _bound(reference, args), JAXLITE: _bound(build[case](jaxlite, jnp), args)}
        if jax is not None:
            fn, jargs = build[case](jax, ctx.peers.jnp), jax.device_put(args)
            systems[JAX] = lambda fn=fn, jargs=jargs: jax.block_until_ready(fn(*jargs))
        expected = systems[NUMPY]()
        for name, fn in systems.items():
            assert_close(f"{case}: {name}", fn(), expected, rtol=1e-5, atol=1e-6)
        for name, timing in measure(systems, ctx.budget).items():
            report.add(name, case, timing)
    report.fill_ratios()
    for case, limit in TARGETS.items():
        row = report.find(JAXLITE, case)
        check(row, row.ratio, limit, f"≤ {limit:g}x NumPy")
    if scale != 1:
        report.notes.append(f"--quick: sizes divided by {scale}")
    return report


def _bound(fn: Callable, args: tuple) -> Callable[[], Any]:
    return lambda: fn(*args)
