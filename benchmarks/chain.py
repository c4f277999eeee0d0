"""Eager ``grad`` of ``sum(chain(x))`` for an N-op elementwise chain on a 1000-vector.

Target: the cost is linear in N, t(10 N) / t(N) <= 11 for jaxlite (autograd and the
hand-written NumPy gradient for reference).
"""

from __future__ import annotations

import numpy as np

import jaxlite

from .harness import Context, assert_close, measure
from .numpy_ref import chain_grad
from .programs import make_chain
from .report import Report, add_growth

FULL_SIZES = (1000, 10000)
QUICK_SIZES = (100, 1000)
LENGTH = 1000
MAX_GROWTH = 11.0
NUMPY = "NumPy by hand"


def run(ctx: Context) -> Report:
    sizes = QUICK_SIZES if ctx.quick else FULL_SIZES
    x = np.linspace(-1.0, 1.0, LENGTH, dtype=np.float32)
    systems = {NUMPY: lambda n: lambda: chain_grad(x, n),
               "jaxlite": _grad_of_chain(jaxlite.grad, jaxlite.numpy, x)}
    if ctx.peers.autograd is not None:
        systems["autograd"] = _grad_of_chain(ctx.peers.autograd.grad, ctx.peers.anp, x)
    fns = {(name, n): make(n) for n in sizes for name, make in systems.items()}
    for n in sizes:
        expected = fns[NUMPY, n]()
        for name in systems:
            assert_close(f"{name} N={n}", fns[name, n](), expected, rtol=1e-4, atol=1e-6)

    timings = measure(fns, ctx.budget)
    report = Report("chain", f"chain: eager grad of an N-op elementwise chain on f32[{LENGTH}]",
                    NUMPY)
    for n in sizes:
        for name in systems:
            report.add(name, f"N={n}", timings[name, n], ops=n)
    report.fill_ratios()
    small, large = sizes
    add_growth(report, timings, systems, small, large, MAX_GROWTH)
    return report


def _grad_of_chain(grad, np_, x):
    def make(n):
        grad_fn = grad(make_chain(np_, n, reduce=True))
        return lambda: grad_fn(x)
    return make
