"""``value_and_grad`` of a 784-512-512-10 tanh MLP's cross-entropy, batch 128, float32.

Target: jaxlite (eager) takes at most 1.25x the hand-written NumPy step. Gradients are
taken with respect to the parameters only (the data is not differentiated).
"""

from __future__ import annotations

import jaxlite

from .harness import Context, assert_close, measure
from .numpy_ref import mlp_value_and_grad
from .programs import init_mlp, mlp_data, mlp_loss_fn
from .report import Report, check

SIZES = [784, 512, 512, 10]
BATCH = 128
MAX_RATIO = 1.25
NUMPY = "NumPy by hand"


def run(ctx: Context) -> Report:
    rng = ctx.rng()
    params = init_mlp(rng, SIZES)
    x, y = mlp_data(rng, BATCH, SIZES[0], SIZES[-1])
    fns = {NUMPY: lambda: mlp_value_and_grad(params, x, y)}
    for name, value_and_grad, np_ in _eager_systems(ctx.peers):
        step = value_and_grad(mlp_loss_fn(np_))
        fns[name] = lambda step=step: step(params, x, y)
    if ctx.peers.jax is not None:
        jax = ctx.peers.jax
        jax_params, jx, jy = jax.device_put((params, x, y))
        step = jax.value_and_grad(mlp_loss_fn(ctx.peers.jnp))
        jit_step = jax.jit(step)
        if ctx.jax_eager:
            fns["JAX eager"] = lambda: jax.block_until_ready(step(jax_params, jx, jy))
        fns["JAX jit"] = lambda: jax.block_until_ready(jit_step(jax_params, jx, jy))
    expected = fns[NUMPY]()
    for name, fn in fns.items():
        assert_close(name, fn(), expected, rtol=2e-4, atol=1e-6)

    timings = measure(fns, ctx.budget)
    sizes = "-".join(map(str, SIZES))
    report = Report("mlp", f"mlp: value_and_grad of a {sizes} tanh MLP, batch {BATCH}, f32",
                    NUMPY)
    for name, timing in timings.items():
        report.add(name, "per step", timing)
    report.fill_ratios()
    row = report.find("jaxlite", "per step")
    check(row, row.ratio, MAX_RATIO, f"≤ {MAX_RATIO:g}x NumPy")
    return report


def _eager_systems(peers) -> list[tuple]:
    """(name, value_and_grad, numpy module) of jaxlite, and of autograd if installed."""
    systems = [("jaxlite", jaxlite.value_and_grad, jaxlite.numpy)]
    if peers.autograd is not None:
        systems.append(("autograd", peers.autograd.value_and_grad, peers.anp))
    return systems
