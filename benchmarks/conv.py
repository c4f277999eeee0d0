"""``grad`` of a conv-relu-maxpool layer: batch 32 of 28x28x1 images, 32 filters of 3x3
(stride 1, VALID), bias, ReLU, 2x2 max pooling, summed; with respect to the filters and bias.

Target: jaxlite (eager, and under jit) takes at most 1.5x a hand-written NumPy forward and
backward pass (im2col and one matrix product each way).
"""

from __future__ import annotations

from typing import Any

import jaxlite
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .harness import Context, assert_close, measure
from .report import Report, check

BATCH, SIDE, FILTERS, KERNEL = 32, 28, 32, 3
MAX_RATIO = 1.5
NUMPY = "NumPy by hand"


def conv_layer_loss(lax: Any, jnp: Any):
    """The layer's loss, written against a ``lax``/``jax.numpy`` pair (jaxlite's or JAX's)."""

    def loss(params, images):
        w, b = params
        z = lax.conv_general_dilated(images, w, (1, 1), "VALID",
                                     dimension_numbers=("NHWC", "HWIO", "NHWC")) + b
        a = jnp.maximum(z, 0.0)
        pooled = lax.reduce_window(a, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
        return jnp.sum(pooled)

    return loss


def numpy_grad(params, images):
    """The gradient by hand: im2col forward, the max-pool mask, and the patches' transpose."""
    w, b = params
    n, side = images.shape[0], images.shape[1] - KERNEL + 1
    patches = sliding_window_view(images[..., 0], (KERNEL, KERNEL), axis=(1, 2))
    patches = patches.reshape(n * side * side, KERNEL * KERNEL)
    z = patches @ w.reshape(KERNEL * KERNEL, FILTERS) + b
    a = np.maximum(z, 0).reshape(n, side // 2, 2, side // 2, 2, FILTERS)
    pooled = a.max(axis=(2, 4), keepdims=True)
    da = (a == pooled).reshape(n * side * side, FILTERS)  # (ties only among zeros)
    dz = np.where(z > 0, da, 0).astype(np.float32)
    dw = (patches.T @ dz).reshape(KERNEL, KERNEL, 1, FILTERS)
    return dw, dz.sum(axis=0)


def run(ctx: Context) -> Report:
    rng = ctx.rng()
    w = (rng.standard_normal((KERNEL, KERNEL, 1, FILTERS)) / KERNEL).astype(np.float32)
    b = (rng.standard_normal(FILTERS) * 0.1).astype(np.float32)
    images = rng.standard_normal((BATCH, SIDE, SIDE, 1)).astype(np.float32)
    params = (w, b)
    step = jaxlite.grad(conv_layer_loss(jaxlite.lax, jaxlite.numpy))
    jit_step = jaxlite.jit(step)
    fns = {NUMPY: lambda: numpy_grad(params, images),
           "jaxlite": lambda: step(params, images),
           "jaxlite jit": lambda: jit_step(params, images)}
    if ctx.peers.jax is not None:
        jax = ctx.peers.jax
        jax_params, jax_images = jax.device_put((params, images))
        jax_step = jax.grad(conv_layer_loss(jax.lax, ctx.peers.jnp))
        jax_jit = jax.jit(jax_step)
        if ctx.jax_eager:
            fns["JAX eager"] = lambda: jax.block_until_ready(jax_step(jax_params, jax_images))
        fns["JAX jit"] = lambda: jax.block_until_ready(jax_jit(jax_params, jax_images))
    expected = fns[NUMPY]()
    for name, fn in fns.items():
        assert_close(name, fn(), expected, rtol=2e-4, atol=1e-4)

    timings = measure(fns, ctx.budget)
    report = Report("conv", f"conv: grad of conv({KERNEL}x{KERNEL}x{FILTERS})-relu-maxpool(2x2), "
                    f"batch {BATCH} of {SIDE}x{SIDE}x1, f32", NUMPY)
    for name, timing in timings.items():
        report.add(name, "per step", timing)
    report.fill_ratios()
    for name in ("jaxlite", "jaxlite jit"):
        row = report.find(name, "per step")
        check(row, row.ratio, MAX_RATIO, f"≤ {MAX_RATIO:g}x NumPy")
    return report
