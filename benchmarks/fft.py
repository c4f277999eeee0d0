"""The gradient through ``jnp.fft``, float32: ``grad`` of ``sum(abs(fft(x)))`` on 2**16 points.

The reference is the textbook gradient written with NumPy: with ``X = fft(x)`` for real
``x`` of length N, ``d/dx sum |X_k| = Re(F^H (X / |X|)) = N Re(ifft(X / |X|))``: two FFTs
and a few elementwise passes. Target (issue 15): jaxlite's eager ``grad`` costs at most
1.5x the NumPy reference. JAX (jit and eager) is shown when installed.
"""

from __future__ import annotations

import numpy as np

import jaxlite
import jaxlite.numpy as jnp

from .harness import Context, assert_close, measure
from .report import Report, check

POINTS, QUICK_POINTS = 2**16, 2**12
MAX_RATIO = 1.5
NUMPY = "NumPy by hand"


def _grad_by_hand(x: np.ndarray) -> np.ndarray:
    spectrum = np.fft.fft(x)
    return (np.fft.ifft(spectrum / np.abs(spectrum)).real * x.size).astype(x.dtype)


def _spectral_l1(np_):
    return lambda x: np_.sum(np_.abs(np_.fft.fft(x)))


def run(ctx: Context) -> Report:
    n = QUICK_POINTS if ctx.quick else POINTS
    x = ctx.rng().standard_normal(n).astype(np.float32)
    case = f"grad sum(abs(fft(x))), {n} points"
    grad = jaxlite.grad(_spectral_l1(jnp))
    fns = {NUMPY: lambda: _grad_by_hand(x), "jaxlite": lambda: grad(x),
           "jaxlite jit": lambda g=jaxlite.jit(grad): g(x)}
    if ctx.peers.jax is not None:
        jax = ctx.peers.jax
        jx = jax.device_put(x)
        jax_grad = jax.grad(_spectral_l1(ctx.peers.jnp))
        jitted = jax.jit(jax_grad)
        fns["JAX jit"] = lambda: jax.block_until_ready(jitted(jx))
        if ctx.jax_eager:
            fns["JAX eager"] = lambda: jax.block_until_ready(jax_grad(jx))

    report = Report("fft", f"fft: grad through jnp.fft ({n} points, f32)", NUMPY)
    expected = fns[NUMPY]()
    for name, fn in fns.items():
        assert_close(f"{name} ({case})", fn(), expected, rtol=2e-3, atol=2e-3)
    for name, timing in measure(fns, ctx.budget).items():
        report.add(name, case, timing)
    report.fill_ratios()
    row = report.find("jaxlite", case)
    check(row, row.ratio, MAX_RATIO, f"≤ {MAX_RATIO:g}x NumPy")
    return report
