"""Gather and scatter under ``jit``: gradients through ``.at[].add`` and ``x[idx]``, and ``vmap``
of an integer index.

Cases (float32, int32 indices, passed as arguments of the jitted function):

* ``scatter-add grad``: the gradients of ``sum(sin(x.at[idx].add(v)))`` with respect to ``x``
  and ``v``, 1e5 updates into 1e4 slots (a scatter-add forward, a gather back);
* ``gather grad``: the gradient of ``sum(sin(x[idx]) * v)`` with respect to ``x``, same sizes
  (a gather forward, a scatter-add back);
* ``vmap gather``: ``vmap(lambda x, i: x[i])`` over 65,536 rows of 64, one index per row.

The reference is NumPy by hand: ``np.add.at`` for the scatters, ``np.take`` for the gathers
(the fastest of the obvious ways here: ``np.bincount`` and fancy indexing are slower), and
the fancy index ``x[np.arange(65536), i]`` for the last case. Targets: jaxlite at most 1.5x
the reference on the gradients, 2x on the vmap. JAX (jit) when installed.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import jaxlite
import jaxlite.numpy as jnp

from .harness import Context, assert_close, measure
from .report import Report, check

SLOTS, UPDATES = 10_000, 100_000
ROWS, WIDTH = 65_536, 64
QUICK_SCALE = 4  # --quick: sizes divided by this
NUMPY, JAXLITE, JAX = "NumPy by hand", "jaxlite jit", "JAX jit"
SCATTER, GATHER, VMAP = "scatter-add grad", "gather grad", "vmap gather"
TARGETS = {SCATTER: 1.5, GATHER: 1.5, VMAP: 2.0}


def scatter_loss(np_: Any) -> Callable:
    return lambda x, v, idx: np_.sum(np_.sin(x.at[idx].add(v)))


def gather_loss(np_: Any) -> Callable:
    return lambda x, idx, v: np_.sum(np_.sin(x[idx]) * v)


def row_pick(x: Any, i: Any) -> Any:
    return x[i]


def numpy_scatter_grad(x: np.ndarray, v: np.ndarray, idx: np.ndarray) -> tuple:
    """d/dx and d/dv of sum(sin(x.at[idx].add(v))): cos at the updated x, read back at idx."""
    y = x.copy()
    np.add.at(y, idx, v)
    g = np.cos(y)
    return g, np.take(g, idx)


def numpy_gather_grad(x: np.ndarray, idx: np.ndarray, v: np.ndarray) -> np.ndarray:
    """d/dx of sum(sin(x[idx]) * v): cos(x[idx]) * v added back at idx."""
    g = np.zeros_like(x)
    np.add.at(g, idx, np.cos(np.take(x, idx)) * v)
    return g


def run(ctx: Context) -> Report:
    rng = ctx.rng()
    scale = QUICK_SCALE if ctx.quick else 1
    slots, updates, rows = SLOTS // scale, UPDATES // scale, ROWS // scale
    x = rng.standard_normal(slots).astype(np.float32)
    v = rng.standard_normal(updates).astype(np.float32)
    idx = rng.integers(0, slots, updates).astype(np.int32)
    table = rng.standard_normal((rows, WIDTH)).astype(np.float32)
    picks = rng.integers(0, WIDTH, rows).astype(np.int32)
    everywhere = np.arange(rows)
    cases = {
        SCATTER: ((x, v, idx), numpy_scatter_grad,
                  lambda lib, np_: lib.jit(lib.grad(scatter_loss(np_), argnums=(0, 1)))),
        GATHER: ((x, idx, v), numpy_gather_grad,
                 lambda lib, np_: lib.jit(lib.grad(gather_loss(np_)))),
        VMAP: ((table, picks), lambda t, i: t[everywhere, i],
               lambda lib, np_: lib.jit(lib.vmap(row_pick))),
    }
    report = Report("indexing", "indexing: gather and scatter under jit, one thread", NUMPY)
    jax = ctx.peers.jax
    for case, (args, reference, build) in cases.items():
        systems = {NUMPY: _bound(reference, args), JAXLITE: _bound(build(jaxlite, jnp), args)}
        if jax is not None:
            fn, jargs = build(jax, ctx.peers.jnp), jax.device_put(args)
            systems[JAX] = lambda fn=fn, jargs=jargs: jax.block_until_ready(fn(*jargs))
        expected = systems[NUMPY]()
        for name, fn in systems.items():
            assert_close(f"{case}: {name}", fn(), expected, rtol=1e-4, atol=1e-5)
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
