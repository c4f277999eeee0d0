"""Peak memory of ``grad`` through a residual tanh chain, with and without ``checkpoint``.

The workload: ``x = x + tanh(x @ W)`` for 200 layers (a separate W per layer) on a
256x256 float32 state, ``grad`` of ``sum(x)`` with respect to the first ``x``. Measured,
each configuration in a fresh subprocess (``python -m benchmarks.remat CONFIG METHOD``):

* ``tracemalloc``: the peak of the memory Python and NumPy allocate during one call (after
  a first call), above what was allocated before it: the figure the targets are about;
* ``rss``: the growth of the process's resident set during its first call (after a call of
  a two-layer chain, which compiles JAX's operations), sampled every millisecond by a
  thread: the only figure JAX has, since XLA allocates its buffers itself.

The reference ("NumPy by hand") keeps each layer's input and tanh output for its backward
pass, ~101 MiB here; a backward pass for x alone needs only the tanh outputs ("tanh only",
~51 MiB). Targets, in peak extra memory (tracemalloc) over the reference: jaxlite without
checkpointing <= 1.05x, with ``checkpoint`` on each layer <= 0.55x, with checkpointed
groups of 14 checkpointed layers <= 0.25x; the same targets for the chain written as a
``lax.scan`` over the stacked weights (nested: a scan over groups of a scan over layers).
The same under ``jit`` is shown, and JAX eager and HIPS autograd (each with checkpoint on
each layer) when installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc
from typing import Any, Callable

import numpy as np

from .harness import Context, Timing
from .report import Report, check

LAYERS, SIZE, GROUP = 200, 256, 14
QUICK_LAYERS, QUICK_SIZE = 56, 128
MIB = 2**20
NUMPY = "NumPy by hand"
TARGETS = {"jaxlite": 1.05, "jaxlite checkpoint each layer": 0.55,
           "jaxlite nested checkpoint": 0.25, "jaxlite scan": 1.05,
           "jaxlite scan checkpoint each layer": 0.55, "jaxlite scan nested checkpoint": 0.25}


# ---------------------------------------------------------------- the configurations


def numpy_grad(ws: list, keep_inputs: bool = True) -> Callable:
    """The hand-written backward pass, keeping each layer's input (as a backward pass that
    also gave the weights' gradients would) and tanh output, or the tanh outputs only."""

    def grad(x: np.ndarray) -> np.ndarray:
        inputs, outputs = [], []
        for w in ws:
            if keep_inputs:
                inputs.append(x)
            h = np.tanh(x @ w)
            outputs.append(h)
            x = x + h
        g = np.ones_like(x)
        for w in reversed(ws):
            h = outputs.pop()
            if keep_inputs:
                inputs.pop()
            d = h * h
            np.subtract(np.float32(1), d, out=d)  # d tanh(a) = (1 - tanh(a)^2) da
            d *= g
            g = g + d @ w.T
        return g

    return grad


def chain_grad(lib: Any, np_: Any, ws: list, how: str, jit: bool = False) -> Callable:
    """``grad(sum(chain))`` in JAX, jaxlite or autograd: ``how`` is "plain", "each" (each
    layer checkpointed) or "nested" (checkpointed groups of checkpointed layers)."""

    def layer(x: Any, w: Any) -> Any:
        return x + np_.tanh(np_.dot(x, w))

    each = lib.checkpoint(layer) if how != "plain" else layer

    def group(x: Any, ws: list) -> Any:
        for w in ws:
            x = each(x, w)
        return x

    grouped = lib.checkpoint(group)

    def loss(x: Any) -> Any:
        if how == "nested":
            for i in range(0, len(ws), GROUP):
                x = grouped(x, ws[i:i + GROUP])
        else:
            x = group(x, ws)
        return np_.sum(x)

    grad = lib.grad(loss)
    return lib.jit(grad) if jit else grad


def scan_chain_grad(lib: Any, np_: Any, ws: list, how: str, jit: bool = False) -> Callable:
    """``chain_grad`` with the layers as a ``lax.scan`` over the stacked weights; "nested":
    a scan over groups (checkpointed), each a scan over its checkpointed layers."""
    stacked = np_.stack(ws)
    whole = len(ws) // GROUP * GROUP
    groups = stacked[:whole].reshape(len(ws) // GROUP, GROUP, *stacked.shape[1:])
    rest = stacked[whole:]

    def layer(x: Any, w: Any) -> tuple[Any, None]:
        return x + np_.tanh(np_.dot(x, w)), None

    each = lib.checkpoint(layer) if how != "plain" else layer
    group = lib.checkpoint(lambda x, ws: (lib.lax.scan(each, x, ws)[0], None))

    def loss(x: Any) -> Any:
        if how == "nested":
            x = lib.lax.scan(group, x, groups)[0]
            x = lib.lax.scan(each, x, rest)[0]
        else:
            x = lib.lax.scan(each, x, stacked)[0]
        return np_.sum(x)

    grad = lib.grad(loss)
    return lib.jit(grad) if jit else grad


def make(config: str, ws: list) -> Callable:
    """The gradient function of a configuration, on NumPy arrays. (Each library is imported
    here, in the subprocess that measures it, so that no other library's memory is there.)"""
    if config.startswith("NumPy"):
        return numpy_grad(ws, keep_inputs=config == NUMPY)
    if config.startswith("jaxlite"):
        import jaxlite

        how = "nested" if "nested" in config else "each" if "each" in config else "plain"
        chain = scan_chain_grad if "scan" in config else chain_grad
        return chain(jaxlite, jaxlite.numpy, ws, how, jit=config.startswith("jaxlite jit"))
    if config.startswith("JAX"):
        import jax

        how = "each" if "each" in config else "plain"
        wj = [jax.device_put(w) for w in ws]
        grad = chain_grad(jax, jax.numpy, wj, how)
        return lambda x: jax.block_until_ready(grad(jax.device_put(x)))
    import autograd
    import autograd.numpy as anp

    how = "each" if "each" in config else "plain"
    return chain_grad(autograd, anp, ws, how)


CONFIGS = [NUMPY, "NumPy by hand, tanh only", "jaxlite", "jaxlite checkpoint each layer",
           "jaxlite nested checkpoint", "jaxlite jit", "jaxlite jit checkpoint each layer",
           "jaxlite jit nested checkpoint", "jaxlite scan", "jaxlite scan checkpoint each layer",
           "jaxlite scan nested checkpoint", "jaxlite jit scan checkpoint each layer"]
PEERS = {"jax": ["JAX eager", "JAX eager checkpoint each layer"],
         "autograd": ["autograd", "autograd checkpoint each layer"]}


# ---------------------------------------------------------------- one measurement (subprocess)


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def probe(config: str, method: str, layers: int, size: int) -> dict:
    """Peak extra bytes of one call of the configuration, by ``method``; its time; a checksum."""
    rng = np.random.default_rng(0)
    ws = [(rng.standard_normal((size, size)) / np.sqrt(size) * 0.5).astype(np.float32)
          for _ in range(layers)]
    x = rng.standard_normal((size, size)).astype(np.float32)
    fn = make(config, ws)
    if method == "rss":  # the first call of all the layers, sampled from a thread, after a
        make(config, ws[:2])(x)  # call of two (imports, JAX's compilation of each operation)
        peak, done = [_rss()], threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _rss())
                time.sleep(0.001)

        before = _rss()
        sampler = threading.Thread(target=sample)
        sampler.start()
        g = fn(x)
        done.set()
        sampler.join()
        return {"peak": max(peak[0], _rss()) - before, "checksum": float(np.asarray(g, np.float64).sum())}
    g = fn(x)  # first call: imports, caches, JAX's compilation
    seconds = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        fn(x)
        seconds = min(seconds, time.perf_counter() - start)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    fn(x)
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    return {"peak": peak, "seconds": seconds, "checksum": float(np.asarray(g, np.float64).sum())}


def measure_in_subprocess(config: str, method: str, layers: int, size: int) -> dict:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-m", "benchmarks.remat", config, method, str(layers),
                          str(size)], cwd=root, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"measuring {config!r} by {method} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the workload


def run(ctx: Context) -> Report:
    layers, size = (QUICK_LAYERS, QUICK_SIZE) if ctx.quick else (LAYERS, SIZE)
    configs = list(CONFIGS)
    for peer, names in PEERS.items():
        if getattr(ctx.peers, peer) is not None:
            configs += names
    results = {}
    for config in configs:
        traced = {} if config.startswith("JAX") else measure_in_subprocess(config, "tracemalloc",
                                                                            layers, size)
        results[config] = traced, measure_in_subprocess(config, "rss", layers, size)
    reference = results[NUMPY][0]
    for config, (traced, rss) in results.items():
        checksum = (traced or rss)["checksum"]
        if not np.isclose(checksum, reference["checksum"], rtol=1e-3):
            raise AssertionError(f"{config}: gradient checksum {checksum}, expected "
                                 f"{reference['checksum']}")
    report = Report("remat", f"remat: grad through a {layers}-layer residual tanh chain on "
                    f"f32[{size},{size}], peak extra memory (tracemalloc)", NUMPY)
    for config, (traced, rss) in results.items():
        timing = None
        if "seconds" in traced:
            s = traced["seconds"]
            timing = Timing(s, s, [s], 1)
        row = report.add(config, "peak" if traced else "peak (RSS)", timing)
        row.measured = (traced["peak"] / reference["peak"] if traced
                        else rss["peak"] / results[NUMPY][1]["peak"])
        limit = TARGETS.get(config)
        if limit is not None:
            check(row, row.measured, limit, f"≤ {limit:g}x NumPy")
        report.notes.append(f"{config}: " + (f"{traced['peak'] / MIB:.1f} MiB (tracemalloc), "
                                             if traced else "") +
                            f"{rss['peak'] / MIB:.1f} MiB (RSS growth, first call)")
    report.fill_ratios()
    report.notes.append("value = peak extra memory / NumPy by hand's, by tracemalloc (case "
                        "'peak (RSS)': by RSS growth, for JAX, whose buffers are XLA's, invisible "
                        "to tracemalloc); time = the best of 3 calls. Each figure from a fresh subprocess.")
    return report


if __name__ == "__main__":
    print(json.dumps(probe(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
