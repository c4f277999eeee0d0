"""``einsum`` under ``jit``: ``einsum('bij,bjk,bkl->bil', a, b, c)`` on three float32 operands of
64x64x64, one thread.

The reference is ``np.einsum(..., optimize=True)``, which picks a pairwise order itself.
jaxlite chooses its order at trace time (greedy) and runs each pair as one ``dot_general``.
Target (issue 14): jaxlite's jitted einsum costs at most 1.2x NumPy's. JAX (jit) when
installed; ``np.matmul`` twice, the batched matrix products by hand, is shown as the floor.
"""

from __future__ import annotations

import numpy as np

import jaxlite
import jaxlite.numpy as jnp

from .harness import Context, assert_close, measure
from .report import Report, check

SUBSCRIPTS = "bij,bjk,bkl->bil"
SIZE, QUICK_SIZE = 64, 32
MAX_RATIO = 1.2
NUMPY, MATMUL, JAXLITE, JAX = "np.einsum optimize", "np.matmul by hand", "jaxlite jit", "JAX jit"


def run(ctx: Context) -> Report:
    n = QUICK_SIZE if ctx.quick else SIZE
    rng = ctx.rng()
    a, b, c = (rng.standard_normal((n, n, n)).astype(np.float32) for _ in range(3))
    case = f"{SUBSCRIPTS} {n}x{n}x{n}"
    jitted = jaxlite.jit(lambda x, y, z: jnp.einsum(SUBSCRIPTS, x, y, z))
    systems = {NUMPY: lambda: np.einsum(SUBSCRIPTS, a, b, c, optimize=True),
               MATMUL: lambda: np.matmul(np.matmul(a, b), c),
               JAXLITE: lambda: jitted(a, b, c)}
    jax = ctx.peers.jax
    if jax is not None:
        peer = jax.jit(lambda x, y, z: ctx.peers.jnp.einsum(SUBSCRIPTS, x, y, z))
        args = jax.device_put((a, b, c))
        systems[JAX] = lambda: jax.block_until_ready(peer(*args))
    expected = systems[NUMPY]()
    for name, fn in systems.items():
        assert_close(f"{name} ({case})", fn(), expected, rtol=1e-3, atol=1e-3)
    report = Report("einsum", f"einsum: {SUBSCRIPTS} under jit (f32, one thread)", NUMPY)
    for name, timing in measure(systems, ctx.budget).items():
        report.add(name, case, timing)
    report.fill_ratios()
    row = report.find(JAXLITE, case)
    check(row, row.ratio, MAX_RATIO, f"≤ {MAX_RATIO:g}x np.einsum")
    return report
