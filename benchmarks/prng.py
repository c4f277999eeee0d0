"""``random.normal(key, (10**6,))``: jaxlite eagerly and under jit, against NumPy's
``default_rng().standard_normal(10**6, dtype=float32)`` and, when installed, JAX's
jitted ``jax.random.normal``. Target (issue #12): jaxlite costs at most 3x NumPy.

jaxlite's values are JAX's bit for bit (checked here when JAX is installed); NumPy's
generator is a different algorithm (the ziggurat on PCG64), so its values differ.
"""

from __future__ import annotations

import numpy as np

import jaxlite
import jaxlite.random as jrandom

from .harness import Context, measure
from .report import Report, check

SIZE = 10**6
MAX_RATIO_TO_NUMPY = 3.0
EAGER, JITTED, NUMPY, JAX = ("jaxlite normal", "jaxlite jit(normal)", "NumPy standard_normal",
                             "JAX jit(normal)")


def run(ctx: Context) -> Report:
    key = jrandom.PRNGKey(ctx.seed)
    jitted = jaxlite.jit(lambda k: jrandom.normal(k, (SIZE,)))
    generator = np.random.default_rng(ctx.seed)
    systems = {
        EAGER: lambda: jrandom.normal(key, (SIZE,)),
        JITTED: lambda: jitted(key),
        NUMPY: lambda: generator.standard_normal(SIZE, dtype=np.float32),
    }
    ours = np.asarray(systems[EAGER]())
    np.testing.assert_array_equal(np.asarray(systems[JITTED]()), ours)
    systems[NUMPY]()
    if ctx.peers.jax is not None:
        jax = ctx.peers.jax
        jax_key = jax.random.PRNGKey(ctx.seed)
        jax_normal = jax.jit(lambda k: jax.random.normal(k, (SIZE,)))
        systems[JAX] = lambda: jax_normal(jax_key).block_until_ready()
        np.testing.assert_array_equal(np.asarray(systems[JAX]()), ours)
    timings = measure(systems, ctx.budget)
    report = Report("random", f"random: normal(key, ({SIZE:,},)) float32", NUMPY)
    for name, timing in timings.items():
        report.add(name, "per call", timing)
    report.fill_ratios()
    for name in (EAGER, JITTED):
        row = report.find(name, "per call")
        check(row, row.ratio, MAX_RATIO_TO_NUMPY, f"≤ {MAX_RATIO_TO_NUMPY:g}x NumPy")
    return report
