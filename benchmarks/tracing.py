"""make_jaxpr of a chain of N elementwise ops: the cost of tracing one op, and how it grows.

Targets: jaxlite's time per op is at most 1/5 of JAX's; t(10 N) / t(N) <= 12 (linear).
Every timed call traces a fresh function object, since JAX caches traces by identity.
"""

from __future__ import annotations

import numpy as np

import jaxlite
from jaxlite.interpreters import eval_jaxpr

from .harness import Context, assert_close, measure
from .programs import chain, make_chain
from .report import Report, add_growth, check

FULL_SIZES = (100, 1000, 10000)
QUICK_SIZES = (100, 1000)
MAX_RATIO_TO_JAX = 0.2
MAX_GROWTH = 12.0


def run(ctx: Context) -> Report:
    sizes = QUICK_SIZES if ctx.quick else FULL_SIZES
    x = np.linspace(0.0, 1.0, 4, dtype=np.float32)
    systems = {"jaxlite": (jaxlite.make_jaxpr, jaxlite.numpy)}
    if ctx.peers.jax is not None:
        systems["JAX"] = (ctx.peers.jax.make_jaxpr, ctx.peers.jnp)
    for name, (make_jaxpr, np_) in systems.items():
        _check_trace(ctx, name, make_jaxpr(make_chain(np_, sizes[0]))(x), x, sizes[0])

    def tracer(make_jaxpr, np_, n):
        return lambda: make_jaxpr(make_chain(np_, n))(x)

    fns = {(name, n): tracer(*systems[name], n) for n in sizes for name in systems}
    timings = measure(fns, ctx.budget)

    report = Report("tracing", "tracing: make_jaxpr of an N-op elementwise chain on f32[4]",
                    "JAX")
    for n in sizes:
        for name in systems:
            report.add(name, f"N={n}", timings[name, n], ops=n)
    report.fill_ratios()
    for n in sizes:
        row = report.find("jaxlite", f"N={n}")
        check(row, row.ratio if "JAX" in systems else None, MAX_RATIO_TO_JAX,
              f"≤ {MAX_RATIO_TO_JAX:g}x JAX")
    small, large = sizes[-2], sizes[-1]
    add_growth(report, timings, systems, small, large, MAX_GROWTH)
    if "JAX" not in systems:
        report.notes.append("JAX is not installed: the per-op target cannot be checked.")
    return report


def _check_trace(ctx: Context, name: str, closed, x: np.ndarray, n: int) -> None:
    """The jaxpr has exactly N equations and evaluates to what NumPy computes."""
    if len(closed.eqns) != n:
        raise AssertionError(f"{name}: make_jaxpr of an {n}-op chain has {len(closed.eqns)} "
                             f"equations\n{closed}")
    if name == "jaxlite":
        jaxlite.typecheck(closed.jaxpr)
        out = eval_jaxpr(closed.jaxpr, closed.consts, x)
    else:
        out = ctx.peers.jax.core.eval_jaxpr(closed.jaxpr, closed.consts, x)
    assert_close(f"{name} make_jaxpr", out, [chain(np, x, n)])
