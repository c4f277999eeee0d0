"""``jit``: calls of jitted functions once compiled, and their first (compiling) calls.

Each case runs jaxlite's ``jit``, the hand-written NumPy version and, when installed,
JAX's ``jax.jit``; inputs are float32, as in every workload. Targets (issue #11):

* mlp step: ``jit(value_and_grad(loss))`` of the mlp workload's 784-512-512-10 tanh MLP,
  batch 128: at most 1.02x the hand-written NumPy step (``numpy_ref.mlp_value_and_grad``).
* dispatch: a jitted ``x * 2 + 1`` on f32[3], per call: at most 1.2x JAX's jit dispatch.
  The bare NumPy expression is the floor.
* scalar grad: ``jit(grad)`` of the grad workload's 60-op scalar function: at most 1.5x the
  hand-written forward-mode derivative on NumPy float32 scalars. The Python-math version
  of the grad workload is shown too.
* hessian: ``jit(hessian(rosenbrock))`` at f32[10]: at most 2x the hand-written
  tridiagonal Hessian.

A case's first call is timed apart: each round makes a new jit of a new function object
(so that no compiled code is found in a cache) and times its first call, which traces,
compiles and runs it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable

import numpy as np

import jaxlite

from .harness import Context, assert_close, measure, measure_first_calls
from .mlp import BATCH, SIZES
from .numpy_ref import mlp_value_and_grad, rosenbrock_hessian, scalar_grad, scalar_grad_numpy
from .programs import SCALAR_OPS, init_mlp, mlp_data, mlp_loss_fn, rosenbrock, scalar_fn
from .report import Report, check

JAXLITE, JAX = "jaxlite jit", "JAX jit"
NUMPY, MATH = "NumPy by hand", "by hand (math)"
SHORT = {NUMPY: "NumPy", JAX: "JAX jit"}  # in the targets' text
X = 1.3  # the grad workload's point
HESSIAN_SIZE = 10
JAXLITE_RTOL = 1e-6  # jaxlite against the hand-written derivatives (the check)
PEER_RTOL = 1e-5  # JAX against them: XLA's sin and cos differ from NumPy's in the last bits

# A transform of a new function, written once for both libraries: (lib, its numpy) -> function
Transform = Callable[[ModuleType, ModuleType], Callable]


@dataclass
class Case:
    """One jitted function: its hand-written versions, what jit applies to, its target."""

    name: str  # the report's case column
    hand: dict[str, Callable[[], Any]]  # NUMPY (the reference) first, then any other floor
    transform: Transform
    args: tuple
    limit: float  # jaxlite's time / the time of ``versus`` must not exceed it
    versus: str = NUMPY
    rtol: float = JAXLITE_RTOL
    atol: float = 0.0
    one_array: bool = True  # a single array result: block on it with its own method


def run(ctx: Context) -> Report:
    cases = _cases(ctx)
    libraries = {JAXLITE: (jaxlite, jaxlite.numpy)}
    if ctx.peers.jax is not None:
        libraries[JAX] = (ctx.peers.jax, ctx.peers.jnp)
    makers = {(system, case.name): _maker(lib, np_, case)
              for case in cases for system, (lib, np_) in libraries.items()}
    fns = {}
    for case in cases:
        fns.update({(system, case.name): fn for system, fn in case.hand.items()})
        fns.update({(system, case.name): makers[system, case.name]() for system in libraries})
        _check_results(case, fns, libraries)

    first_calls = measure_first_calls(makers, ctx.budget.rounds)
    timings = measure(fns, ctx.budget)
    report = Report("jit", "jit: jitted functions once compiled, and their first calls", NUMPY)
    for case in cases:
        for system in [*case.hand, *libraries]:
            report.add(system, case.name, timings[system, case.name])
        for system in libraries:
            report.add(system, f"{case.name}: first call", first_calls[system, case.name])
    report.fill_ratios()
    for case in cases:
        _check_target(report, case)
    _add_notes(report, ctx, libraries)
    return report


def _cases(ctx: Context) -> list[Case]:
    rng = ctx.rng()
    params = init_mlp(rng, SIZES)
    x, y = mlp_data(rng, BATCH, SIZES[0], SIZES[-1])
    vector = rng.standard_normal(3, np.float32)
    point = rng.standard_normal(HESSIAN_SIZE, np.float32)
    scalar = np.float32(X)
    return [
        Case("mlp step", {NUMPY: lambda: mlp_value_and_grad(params, x, y)},
             lambda lib, np_: lib.value_and_grad(mlp_loss_fn(np_)), (params, x, y),
             limit=1.02, rtol=2e-4, atol=1e-6, one_array=False),
        Case("dispatch x*2+1", {NUMPY: lambda: vector * 2 + 1},
             lambda lib, np_: lambda v: v * 2 + 1, (vector,), limit=1.2, versus=JAX),
        Case(f"grad, {SCALAR_OPS} ops", {NUMPY: lambda: scalar_grad_numpy(scalar),
                                         MATH: lambda: scalar_grad(X)},
             lambda lib, np_: lib.grad(lambda s: scalar_fn(np_, s)), (X,), limit=1.5),
        Case(f"hessian, n={HESSIAN_SIZE}", {NUMPY: lambda: rosenbrock_hessian(point)},
             lambda lib, np_: lib.hessian(lambda v: rosenbrock(np_, v)), (point,), limit=2.0,
             atol=1e-3),  # float32 entries up to ~4000: 1e-3 is a few units in the last place
    ]


def _maker(lib: ModuleType, np_: ModuleType, case: Case) -> Callable[[], Callable[[], Any]]:
    """Makes a new ``lib.jit`` of a new function, bound to the case's inputs on lib's device."""
    def make() -> Callable[[], Any]:
        fn = lib.jit(case.transform(lib, np_))
        args = lib.device_put(case.args)
        if case.one_array:
            return lambda: fn(*args).block_until_ready()
        return lambda: lib.block_until_ready(fn(*args))
    return make


def _check_results(case: Case, fns: dict, libraries: dict) -> None:
    """Every system's result is the hand-written NumPy one's (this is also the warm-up)."""
    expected = fns[NUMPY, case.name]()
    for system in [*case.hand, *libraries]:
        rtol = case.rtol if system != JAX else max(case.rtol, PEER_RTOL)
        assert_close(f"{system} {case.name}", fns[system, case.name](), expected, rtol=rtol,
                     atol=case.atol)


def _check_target(report: Report, case: Case) -> None:
    row = report.find(JAXLITE, case.name)
    versus = report.find(case.versus, case.name)
    measured = None if versus is None else row.seconds / versus.seconds
    check(row, measured, case.limit, f"≤ {case.limit:g}x {SHORT[case.versus]}")


def _add_notes(report: Report, ctx: Context, libraries: dict) -> None:
    report.notes += [
        f"float32 throughout; the Hessian's point is {HESSIAN_SIZE} standard normal float32s",
        f"{NUMPY} on dispatch: the bare expression; on grad: forward mode on np.float32 "
        f"scalars; {MATH}: the grad workload's derivative on Python floats",
        f"first call: a new jit of a new function, traced, compiled and run once; the best of "
        f"{ctx.budget.rounds} rounds",
    ]
    if JAX not in libraries:
        report.notes.append("JAX is not installed: the dispatch target cannot be checked.")
