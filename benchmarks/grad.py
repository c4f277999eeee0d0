"""Eager ``grad`` of a 60-op scalar function at a Python float: the per-call overhead.

Target: jaxlite is faster than HIPS autograd. JAX eager (op-by-op dispatch) and jit
are shown for reference; the hand-written forward-mode derivative is the floor.
"""

from __future__ import annotations

import jaxlite

from .harness import Context, assert_close, measure
from .numpy_ref import scalar_grad
from .programs import SCALAR_OPS, scalar_fn
from .report import Report, check

X = 1.3
HAND = "by hand (math)"


def run(ctx: Context) -> Report:
    peers = ctx.peers
    fns = {HAND: lambda: scalar_grad(X),
           "jaxlite": _bound(jaxlite.grad(lambda x: scalar_fn(jaxlite.numpy, x)))}
    if peers.autograd is not None:
        fns["autograd"] = _bound(peers.autograd.grad(lambda x: scalar_fn(peers.anp, x)))
    if peers.jax is not None:
        jax_grad = peers.jax.grad(lambda x: scalar_fn(peers.jnp, x))
        jit_grad = peers.jax.jit(jax_grad)
        if ctx.jax_eager:
            fns["JAX eager"] = lambda: peers.jax.block_until_ready(jax_grad(X))
        fns["JAX jit"] = lambda: peers.jax.block_until_ready(jit_grad(X))
    expected = scalar_grad(X)
    for name, fn in fns.items():
        assert_close(name, fn(), expected, rtol=1e-5)

    timings = measure(fns, ctx.budget)
    report = Report("grad", f"grad: eager grad of a {SCALAR_OPS}-op scalar function", HAND)
    for name, timing in timings.items():
        report.add(name, "per call", timing)
    report.fill_ratios()
    row = report.find("jaxlite", "per call")
    autograd = timings.get("autograd")
    check(row, None if autograd is None else row.seconds / autograd.best, 1.0,
          "< 1x autograd")
    if autograd is None:
        report.notes.append("autograd is not installed: the target cannot be checked.")
    return report


def _bound(grad_fn):
    return lambda: grad_fn(X)
