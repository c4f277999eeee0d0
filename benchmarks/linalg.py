"""Gradients through ``jnp.linalg``, float32: ``grad`` of ``slogdet(A)[1]`` for a 256x256 A,
and ``grad`` of ``sum(solve(A, b))`` with respect to A (256x256) and b (256x8).

The references are the textbook gradients written with NumPy: ``inv(A)^T`` for slogdet;
``g_b = solve(A^T, 1)`` and ``g_A = -g_b x^T`` (with ``x = solve(A, b)``) for solve.
Target (issue 15): jaxlite's eager ``grad`` costs at most 1.5x the NumPy reference.
JAX (jit and eager) is shown when installed.
"""

from __future__ import annotations

import numpy as np

import jaxlite
import jaxlite.numpy as jnp

from .harness import Context, assert_close, measure
from .report import Report, check

SIZE, RHS = 256, 8
QUICK_SIZE = 128
MAX_RATIO = 1.5
NUMPY = "NumPy by hand"


def _slogdet_grad_by_hand(a: np.ndarray) -> np.ndarray:
    return np.linalg.inv(a).T


def _solve_grads_by_hand(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = np.linalg.solve(a, b)
    g_b = np.linalg.solve(a.T, np.ones_like(b))
    return -g_b @ x.T, g_b


def _logdet(np_):
    return lambda a: np_.linalg.slogdet(a)[1]


def _solve_sum(np_):
    return lambda a, b: np_.sum(np_.linalg.solve(a, b))


def run(ctx: Context) -> Report:
    n = QUICK_SIZE if ctx.quick else SIZE
    rng = ctx.rng()
    a = (rng.standard_normal((n, n)) + np.sqrt(n) * np.eye(n)).astype(np.float32)
    b = rng.standard_normal((n, RHS)).astype(np.float32)
    cases = {
        "slogdet": ({NUMPY: lambda: _slogdet_grad_by_hand(a),
                     "jaxlite": lambda g=jaxlite.grad(_logdet(jnp)): g(a),
                     "jaxlite jit": lambda g=jaxlite.jit(jaxlite.grad(_logdet(jnp))): g(a)},
                    f"grad slogdet {n}x{n}"),
        "solve": ({NUMPY: lambda: _solve_grads_by_hand(a, b),
                   "jaxlite": lambda g=jaxlite.grad(_solve_sum(jnp), (0, 1)): g(a, b),
                   "jaxlite jit": lambda g=jaxlite.jit(jaxlite.grad(_solve_sum(jnp), (0, 1))):
                   g(a, b)},
                  f"grad sum(solve) {n}x{n}, {RHS} rhs"),
    }
    if ctx.peers.jax is not None:
        jax, jjnp = ctx.peers.jax, ctx.peers.jnp
        ja, jb = jax.device_put((a, b))
        for name, grad, args in [("slogdet", jax.grad(_logdet(jjnp)), (ja,)),
                                 ("solve", jax.grad(_solve_sum(jjnp), (0, 1)), (ja, jb))]:
            jitted = jax.jit(grad)
            cases[name][0]["JAX jit"] = lambda f=jitted, xs=args: jax.block_until_ready(f(*xs))
            if ctx.jax_eager:
                cases[name][0]["JAX eager"] = lambda f=grad, xs=args: jax.block_until_ready(f(*xs))

    report = Report("linalg", f"linalg: grad through slogdet and solve ({n}x{n}, f32)", NUMPY)
    for fns, case in cases.values():
        expected = fns[NUMPY]()
        for name, fn in fns.items():
            assert_close(f"{name} ({case})", fn(), expected, rtol=2e-3, atol=1e-5)
        for name, timing in measure(fns, ctx.budget).items():
            report.add(name, case, timing)
    report.fill_ratios()
    for _, case in cases.values():
        row = report.find("jaxlite", case)
        check(row, row.ratio, MAX_RATIO, f"≤ {MAX_RATIO:g}x NumPy")
    return report
