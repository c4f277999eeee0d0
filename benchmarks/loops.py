"""``loops``: ``grad`` through a ``lax.scan`` of 1000 small steps, against the same computation
unrolled with a Python loop, eagerly and under ``jit``.

The step is a small recurrent cell, ``h = tanh(W @ h + x)`` on a float32 state of 8, and the
loss sums the final state and every step's state; the gradient is taken in ``W`` and the
initial state. Target (issue #13): the scan costs at most 1.5x the unrolled loop, eagerly and
under jit. The first calls of the jitted functions (trace, compile, run) are shown apart:
the unrolled loop's grows with the trip count, the scan's does not. JAX's jit of the same scan is shown
for reference when installed.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import jaxlite

from .harness import Context, assert_close, measure, measure_first_calls
from .report import Report, check

STEPS, QUICK_STEPS, STATE = 1000, 200, 8
MAX_RATIO = 1.5
SCAN, LOOP, JAX_SCAN = "jaxlite scan", "jaxlite Python loop", "JAX scan"
EAGER, JIT = "grad, eager", "jit(grad)"


def losses(lib: Any, np_: Any) -> tuple[Callable, Callable]:
    """The loss written with ``lax.scan`` and unrolled, against a library."""
    def step(w, h, x):
        return np_.tanh(w @ h + x)

    def scanned(w, h0, xs):
        h, hs = lib.lax.scan(lambda h, x: (step(w, h, x),) * 2, h0, xs)
        return np_.sum(h) + np_.sum(hs)

    def unrolled(w, h0, xs):
        h, total = h0, 0.0
        for i in range(xs.shape[0]):
            h = step(w, h, xs[i])
            total = total + np_.sum(h)
        return np_.sum(h) + total

    return scanned, unrolled


def run(ctx: Context) -> Report:
    steps = QUICK_STEPS if ctx.quick else STEPS
    rng = ctx.rng()
    args = ((rng.standard_normal((STATE, STATE)) / np.sqrt(STATE)).astype(np.float32),
            rng.standard_normal(STATE).astype(np.float32),
            rng.standard_normal((steps, STATE)).astype(np.float32))
    scanned, unrolled = (jaxlite.grad(f, argnums=(0, 1)) for f in losses(jaxlite, jaxlite.numpy))
    fns = {(SCAN, EAGER): lambda: scanned(*args), (LOOP, EAGER): lambda: unrolled(*args)}
    jitted = {SCAN: jaxlite.jit(scanned), LOOP: jaxlite.jit(unrolled)}
    fns.update({(name, JIT): (lambda f=f: f(*args)) for name, f in jitted.items()})
    if ctx.peers.jax is not None:
        jax = ctx.peers.jax
        jax_grad = jax.jit(jax.grad(losses(jax, ctx.peers.jnp)[0], argnums=(0, 1)))
        jax_args = jax.device_put(args)
        fns[JAX_SCAN, JIT] = lambda: jax.block_until_ready(jax_grad(*jax_args))
    expected = fns[LOOP, EAGER]()
    for (name, case), fn in fns.items():
        assert_close(f"{name} {case}", fn(), expected, rtol=1e-4, atol=1e-5)

    def maker(which: int) -> Callable[[], Callable[[], Any]]:
        def make() -> Callable[[], Any]:
            loss = losses(jaxlite, jaxlite.numpy)[which]
            fn = jaxlite.jit(jaxlite.grad(loss, argnums=(0, 1)))
            return lambda: fn(*args)
        return make

    first = measure_first_calls({SCAN: maker(0), LOOP: maker(1)}, ctx.budget.rounds)
    timings = measure(fns, ctx.budget)
    report = Report("loops", f"loops: grad through a scan of {steps} steps of tanh(W @ h + x), "
                    f"state {STATE}, against the loop unrolled", LOOP)
    for (name, case), timing in timings.items():
        report.add(name, case, timing)
    for name in (SCAN, LOOP):
        report.add(name, f"{JIT}: first call", first[name])
    report.fill_ratios()
    for case in (EAGER, JIT):
        row = report.find(SCAN, case)
        check(row, row.ratio, MAX_RATIO, f"≤ {MAX_RATIO:g}x the Python loop")
    report.notes += [
        "float32; the gradient in W and the initial state; results checked against the "
        "eager unrolled loop",
        "first call: a new jit of a new function, traced, compiled and run once "
        f"(the best of {ctx.budget.rounds} rounds)",
    ]
    if steps != STEPS:
        report.notes.append(f"--quick: {steps} steps instead of {STEPS}")
    return report
