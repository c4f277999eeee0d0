"""Per-example gradients of a small MLP, ``vmap(grad(loss), in_axes=(None, 0, 0))``, batch 128.

Targets: vmap(grad) takes at most 1.5x the gradient of the batch's mean loss (one
backward pass over the batch), and is at least 10x faster than a Python loop of grad
over the examples. JAX, autograd (which has no vmap: a loop) and a hand-written NumPy
version (outer products by einsum) for reference.
"""

from __future__ import annotations

import numpy as np

import jaxlite

from .harness import Context, assert_close, measure
from .numpy_ref import mlp_value_and_grad
from .programs import init_mlp, mlp_data, mlp_loss_fn
from .report import Report, check

SIZES = [64, 128, 10]
BATCH = 128
QUICK_LOOP_SIZE = 16  # --quick times the Python loops over fewer examples, then scales
MAX_RATIO_TO_BATCHED = 1.5
MIN_SPEEDUP_OVER_LOOP = 10.0
VMAP, BATCHED, LOOP = "jaxlite vmap(grad)", "jaxlite grad(mean)", "jaxlite loop of grad"
NUMPY = "NumPy by hand"


def run(ctx: Context) -> Report:
    rng = ctx.rng()
    params = init_mlp(rng, SIZES)
    xs, ys = mlp_data(rng, BATCH, SIZES[0], SIZES[-1])
    loop_size = QUICK_LOOP_SIZE if ctx.quick else BATCH
    per_example, batched = _systems(ctx, params, xs, ys, loop_size)
    expected = mlp_value_and_grad(params, xs, ys, per_example=True)[1]
    for name, fn in per_example.items():
        size = loop_size if "loop" in name else BATCH
        assert_close(name, fn(), [(w[:size], b[:size]) for w, b in expected], rtol=1e-4,
                     atol=1e-6)
    for name, fn in batched.items():
        assert_close(name, fn(), mlp_value_and_grad(params, xs, ys)[1], rtol=1e-4, atol=1e-6)

    timings = measure({**batched, **per_example}, ctx.budget)
    if loop_size != BATCH:
        timings = {name: t.scaled(BATCH / loop_size) if "loop" in name else t
                   for name, t in timings.items()}
    sizes = "-".join(map(str, SIZES))
    report = Report("vmap", f"vmap: per-example gradients of a {sizes} tanh MLP, batch {BATCH}",
                    BATCHED)
    for name, timing in timings.items():
        report.add(name, "per batch", timing)
    report.fill_ratios()
    vmap_row = report.find(VMAP, "per batch")
    check(vmap_row, vmap_row.ratio, MAX_RATIO_TO_BATCHED,
          f"≤ {MAX_RATIO_TO_BATCHED:g}x grad(mean)")
    loop_row = report.find(LOOP, "per batch")
    check(loop_row, loop_row.seconds / vmap_row.seconds, MIN_SPEEDUP_OVER_LOOP,
          f"loop ≥ {MIN_SPEEDUP_OVER_LOOP:g}x vmap", at_least=True)
    if loop_size != BATCH:
        report.notes.append(f"loops timed over {loop_size} examples and scaled to {BATCH}")
    return report


def _systems(ctx: Context, params: list, xs: np.ndarray, ys: np.ndarray,
             loop_size: int) -> tuple[dict, dict]:
    """Callables returning per-example gradients, and ones returning the mean loss's gradient."""
    grad = jaxlite.grad(mlp_loss_fn(jaxlite.numpy))
    loop_xs, loop_ys = xs[:loop_size], ys[:loop_size]
    per_example_grad = jaxlite.vmap(grad, in_axes=(None, 0, 0))
    per_example = {
        VMAP: lambda: per_example_grad(params, xs, ys),
        LOOP: lambda: _stack([grad(params, x, y) for x, y in zip(loop_xs, loop_ys)]),
        NUMPY: lambda: mlp_value_and_grad(params, xs, ys, per_example=True)[1],
    }
    batched = {BATCHED: lambda: grad(params, xs, ys)}
    peers = ctx.peers
    if peers.jax is not None:
        jax = peers.jax
        jax_params, jxs, jys = jax.device_put((params, xs, ys))
        jax_per_example = jax.vmap(jax.grad(mlp_loss_fn(peers.jnp)), in_axes=(None, 0, 0))
        jit_per_example = jax.jit(jax_per_example)
        if ctx.jax_eager:
            per_example["JAX vmap(grad)"] = lambda: jax.block_until_ready(
                jax_per_example(jax_params, jxs, jys))
        per_example["JAX jit(vmap(grad))"] = lambda: jax.block_until_ready(
            jit_per_example(jax_params, jxs, jys))
    if peers.autograd is not None:
        autograd_grad = peers.autograd.grad(mlp_loss_fn(peers.anp))
        per_example["autograd loop of grad"] = lambda: _stack(
            [autograd_grad(params, x, y) for x, y in zip(loop_xs, loop_ys)])
    return per_example, batched


def _stack(examples: list) -> list:
    """Per-example gradients (a list of [(dw, db), ...]) stacked into [(dws, dbs), ...]."""
    return [tuple(np.stack([np.asarray(ex[layer][k]) for ex in examples]) for k in range(2))
            for layer in range(len(examples[0]))]
