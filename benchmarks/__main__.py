"""``python -m benchmarks [WORKLOAD ...] [--quick]``: run the benchmarks and print their tables.

Results go to benchmarks/results/latest.json (every run) and benchmarks/results/SUMMARY.md
(full runs of every workload only: the README quotes it).
"""

import os

# Pin BLAS, OpenMP and XLA to one thread before NumPy or JAX is imported: the numbers
# then measure the libraries, not how the machine's cores happen to be shared.
os.environ.update({
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false",
    "JAX_PLATFORMS": "cpu",
})

import argparse  # noqa: E402
import contextlib  # noqa: E402
import datetime  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402

try:
    from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402
except ImportError:  # an optional dependency (the "bench" extra): the variables above apply
    threadpool_info = threadpool_limits = None

import jaxlite  # noqa: E402

from . import chain, einsum, grad, indexing, jit, linalg, loops, mlp, prng, remat, tracing, vmap  # noqa: E402
from .harness import FULL, QUICK, Context, load_peers  # noqa: E402
from .report import Report, render, write_json, write_summary  # noqa: E402

WORKLOADS = {"tracing": tracing.run, "grad": grad.run, "mlp": mlp.run, "chain": chain.run,
             "vmap": vmap.run, "jit": jit.run, "random": prng.run, "remat": remat.run,
             "loops": loops.run, "linalg": linalg.run, "indexing": indexing.run,
             "einsum": einsum.run}
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workloads", nargs="*", metavar="WORKLOAD",
                        help=f"any of: {', '.join(WORKLOADS)} (default: all)")
    parser.add_argument("--quick", action="store_true",
                        help="fewer samples and smaller sizes: a smoke run of ~30 s")
    parser.add_argument("--no-peers", action="store_true",
                        help="do not compare with JAX or autograd even if installed")
    parser.add_argument("--no-save", action="store_true", help="write no result files")
    parser.add_argument("--strict", action="store_true",
                        help="exit with status 1 when a target fails")
    args = parser.parse_args(argv)
    unknown = [w for w in args.workloads if w not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload(s) {', '.join(unknown)}; choose from "
                     f"{', '.join(WORKLOADS)}")
    return args


def single_threaded() -> contextlib.AbstractContextManager:
    """Limit BLAS/OpenMP pools to one thread (threadpoolctl), in case they were started."""
    return contextlib.nullcontext() if threadpool_limits is None else threadpool_limits(1)


def thread_pools() -> list[str]:
    """The native thread pools loaded (BLAS, OpenMP) and their sizes, as threadpoolctl sees them."""
    if threadpool_info is None:
        return ["threadpoolctl not installed"]
    return [f"{p['internal_api']} {p.get('version')}: {p['num_threads']} thread(s)"
            for p in threadpool_info()]


def machine() -> str:
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} logical CPUs"


def run_workloads(names: list[str], ctx: Context, console: Console) -> tuple[list, list]:
    """Run and print each workload; one that raises is reported and the others still run."""
    reports: list[Report] = []
    errors: list[str] = []
    for name in names:
        start = time.perf_counter()
        with console.status(f"running {name} ..."):
            try:
                report = WORKLOADS[name](ctx)
            except Exception:
                errors.append(name)
                console.print(f"[bold red]{name} failed:[/]\n{traceback.format_exc()}")
                continue
        report.elapsed = time.perf_counter() - start
        reports.append(report)
        render(report, console)
    return reports, errors


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    names = args.workloads or list(WORKLOADS)
    console = Console()
    peers = load_peers(not args.no_peers)
    ctx = Context(peers, QUICK if args.quick else FULL, args.quick)
    found = ", ".join(f"{k} {v}" for k, v in peers.versions.items()) or "none"
    console.print(f"[bold]jaxlite {jaxlite.__version__}[/] benchmarks "
                  f"({'quick' if args.quick else 'full'}; peers: {found}; {machine()})")
    console.print("[dim]time: the best of the samples' median calls (benchmarks/harness.py)"
                  + ("; --quick: smaller sizes, fewer samples, JAX eager not timed" if args.quick
                     else "") + "[/]\n")
    start = time.perf_counter()
    with single_threaded():
        pools = thread_pools()
        reports, errors = run_workloads(names, ctx, console)
    elapsed = time.perf_counter() - start
    console.print(f"[dim]{len(reports)} workload(s) in {elapsed:.0f} s[/]")

    if not args.no_save:
        now = datetime.datetime.now(datetime.timezone.utc)
        meta = {"date": now.strftime("%Y-%m-%d %H:%M UTC"),
                "python": platform.python_version(), "numpy": np.__version__,
                "jaxlite": jaxlite.__version__, "peers": peers.versions, "machine": machine(),
                "thread_pools": pools, "quick": args.quick, "workloads": names,
                "elapsed_s": elapsed}
        save(reports, meta, console, summary=not args.quick and len(reports) == len(WORKLOADS))
    failed = [r for rep in reports for r in rep.targets if r.passed is False]
    return 1 if errors or (args.strict and failed) else 0


def save(reports: list[Report], meta: dict, console: Console, summary: bool) -> None:
    """latest.json always; SUMMARY.md only for a full run of every workload."""
    written = [os.path.join(RESULTS, "latest.json")]
    write_json(written[0], reports, meta)
    if summary:
        written.append(os.path.join(RESULTS, "SUMMARY.md"))
        write_summary(written[1], reports, meta)
    console.print(f"[dim]wrote {', '.join(os.path.relpath(p) for p in written)}[/]")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
