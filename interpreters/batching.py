"""vmap : (a -> b) -> (a[n] -> b[n]), as a trace.

A ``BatchTrace`` tracer stands for a batch of values: its ``val`` is the stacked value in
the enclosing trace (or a NumPy value) and ``bdim`` the axis the batch runs along; its
aval is one example's. Binding a primitive on such tracers calls the primitive's
``batch`` rule in the enclosing trace, which may leave the batch axis wherever is
cheapest. Values that do not depend on the batched inputs are never tracers of this
trace: they pass through untouched (a Python int given with ``in_axes=None`` stays an
int), and work on them runs once, unbatched, in the enclosing trace.

``run_batched`` applies the transformation to a flat function; ``batch_jaxpr`` to a
ClosedJaxpr. Custom rules are batched by batching the user's functions.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ..core.avals import ShapedArray, shaped_array
from ..core.cache import bounded_cache, cache_put, memoize
from ..core.ir import ClosedJaxpr
from ..core.jaxpr_trace import trace_closed
from ..core.primitive import NOT_MAPPED, Primitive, Zero
from ..core.trace import (
    ARRAY_TYPES,
    NO_VALUE,
    Trace,
    Tracer,
    aval_of,
    bind_custom_jvp,
    bind_custom_vjp,
    run_in,
    thread_state,
)
from ..primitives.structural import bdim_to, reduce_sum
from .evaluate import eval_jaxpr

_state = thread_state()


class BatchTrace(Trace):
    """Applies batching rules as binds arrive; see the module docstring."""

    __slots__ = ("axis_size",)

    def __init__(self, label: str, parent: Trace | None, axis_size: int,
                 tag: object = None) -> None:
        super().__init__(label, parent, tag)
        self.axis_size = axis_size

    def concrete_value(self, tracer: Tracer) -> Any:
        return NO_VALUE  # a batch of values has no one value

    def to_tracer(self, val: Any, bdim: int | None) -> Any:
        """A batched value of the enclosing trace as a value of this one."""
        if bdim is NOT_MAPPED:
            return val
        aval = val.aval if type(val) in ARRAY_TYPES else aval_of(val)
        example = _unbatched.get((aval, bdim))
        if example is None:
            example = cache_put(_unbatched, (aval, bdim), unbatched_aval(aval, bdim))
        return Tracer(self, example, val, None, None, bdim)

    def unpack(self, args: Sequence[Any]) -> tuple[list, list, bool]:
        """The values in the enclosing trace, batch axes, and whether anything is batched."""
        vals, dims, batched = [], [], False
        tag = self.tag
        for x in args:
            if type(x) is Tracer and x._trace.tag is tag:
                vals.append(x.val)
                dims.append(x.bdim)
                batched = True
            else:
                vals.append(x)
                dims.append(NOT_MAPPED)
        return vals, dims, batched

    def process(self, prim: Primitive, args: Sequence[Any], params: dict) -> list:
        vals, dims, batched = self.unpack(args)
        state = _state
        state.trace = self.parent
        try:
            if not batched:  # nothing batched: the equation applies as it is, once
                return prim.bind(*args, **params)
            outs, out_dims = prim.batch(vals, dims, **params)
        finally:
            state.trace = self
        if len(outs) == 1:
            return [self.to_tracer(outs[0], out_dims[0])]
        return [self.to_tracer(out, d) for out, d in zip(outs, out_dims)]

    # Custom rules are batched even when no argument is: the function may close over a
    # batched value, which keeps its meaning in the batched function (a trace of the same
    # tag). Whichever of the function and its rules runs records which outputs are batched.

    def process_custom_jvp_call(self, prim, fun, jvp, args, *, symbolic_zeros):
        vals, dims, _ = self.unpack(args)
        batching = _CustomBatching(dims, self.axis_size, self.label, self.tag)
        outs = run_in(self.parent, bind_custom_jvp, prim, batching.fun(fun),
                      batching.jvp(jvp), vals, symbolic_zeros=symbolic_zeros)
        return [self.to_tracer(out, d) for out, d in zip(outs, batching.out_dims)]

    def process_custom_vjp_call(self, prim, fun, fwd, bwd, args, *, symbolic_zeros):
        vals, dims, _ = self.unpack(args)
        batching = _CustomBatching(dims, self.axis_size, self.label, self.tag)
        outs = run_in(self.parent, bind_custom_vjp, prim, batching.fun(fun), batching.fwd(fwd),
                      batching.bwd(bwd), vals, symbolic_zeros=symbolic_zeros)
        return [self.to_tracer(out, d) for out, d in zip(outs, batching.out_dims)]


_unbatched: dict = bounded_cache(f"{__name__}._unbatched", 4096)  # (aval, bdim) -> example's


def unbatched_aval(aval: ShapedArray, dim: int | None) -> ShapedArray:
    """One example's aval, from the aval of a batch stacked along ``dim``."""
    if dim is NOT_MAPPED:
        return aval
    return shaped_array(aval.shape[:dim] + aval.shape[dim + 1:], aval.dtype, aval.weak_type)


def batched_aval(aval: ShapedArray, dim: int | None, size: int) -> ShapedArray:
    """The aval of a batch of ``size`` values of ``aval`` stacked along ``dim``."""
    if dim is NOT_MAPPED:
        return aval
    shape = list(aval.shape)
    shape.insert(dim, size)
    return shaped_array(tuple(shape), aval.dtype, aval.weak_type)


def run_batched(fun: Callable, args: Sequence[Any], in_dims: Sequence[int | None], size: int,
                label: str, tag: object = None) -> tuple[list, list]:
    """Run ``fun`` (flat in, flat out) on batched ``args`` in a new BatchTrace (of ``tag``),
    in the current trace's context; the outputs and their batch axes (``NOT_MAPPED`` for
    those that do not depend on a batched input)."""
    parent = _state.trace
    trace = BatchTrace(label, parent, size, tag)
    _state.trace = trace
    try:
        outs = fun(*[trace.to_tracer(x, d) for x, d in zip(args, in_dims)])
        vals, dims, _ = trace.unpack(outs)
    finally:
        trace.alive = False
        _state.trace = parent
    return vals, dims


def _at_zero(x: Any, d: int | None, batched: bool, size: int) -> Any:
    """``x`` (batch axis ``d``) with its batch at axis 0 if ``batched``, else as it is
    (then unbatched); symbolic zeros stay symbolic."""
    if type(x) is Zero:
        return Zero(batched_aval(x.aval, 0, size)) if batched else x
    return x if not batched or d == 0 else bdim_to(x, d, 0, size)


class _CustomBatching:
    """The user's function and rules of one custom-rule call, batched as functions.

    Batched outputs carry their batch at axis 0; ``out_dims`` (0 or NOT_MAPPED per output)
    is recorded by whichever function the enclosing trace runs. A primal output is batched
    when its tangent is. Residuals keep whether they are batched (``res_dims``), so that
    ``bwd`` runs once, unbatched, on what does not depend on the batch.
    """

    def __init__(self, in_dims: Sequence[int | None], size: int, label: str, tag: object):
        self.in_dims, self.size, self.label, self.tag = list(in_dims), size, label, tag
        self.out_dims: list[int | None] = []
        self.res_dims: list[int | None] = []

    def run(self, fun: Callable, args: Sequence[Any], in_dims: Sequence[int | None]):
        return run_batched(fun, args, in_dims, self.size, self.label, self.tag)

    def record(self, batched: Sequence[bool]) -> None:
        self.out_dims = [0 if b else NOT_MAPPED for b in batched]

    def fun(self, fun: Callable) -> Callable:
        def batched_fun(*args: Any) -> list:
            outs, dims = self.run(fun, args, self.in_dims)
            self.record([d is not NOT_MAPPED for d in dims])
            return [_at_zero(x, d, d is not NOT_MAPPED, self.size) for x, d in zip(outs, dims)]

        batched_fun.__name__ = getattr(fun, "__name__", "fun")
        return batched_fun

    def jvp(self, jvp: Callable) -> Callable:
        # tangents are batched as their primals are; a symbolic zero stays symbolic, per example
        def batched_jvp(primals: list, tangents: list) -> tuple[list, list]:
            n = len(primals)
            zeros = [Zero(unbatched_aval(t.aval, d)) if type(t) is Zero else None
                     for t, d in zip(tangents, self.in_dims)]

            def per_example(*xs: Any) -> list:
                it = iter(xs[n:])
                outs, tangents_out = jvp(list(xs[:n]), [z or next(it) for z in zeros])
                return [*outs, *tangents_out]

            nonzero = [(t, d) for t, d, z in zip(tangents, self.in_dims, zeros) if z is None]
            outs, dims = self.run(per_example, [*primals, *[t for t, _ in nonzero]],
                                  [*self.in_dims, *[d for _, d in nonzero]])
            half = len(outs) // 2
            batched = [dp is not NOT_MAPPED or dt is not NOT_MAPPED
                       for dp, dt in zip(dims[:half], dims[half:])]
            self.record(batched)
            moved = [_at_zero(x, d, b, self.size) for x, d, b in zip(outs, dims, batched * 2)]
            primals_out = [x if b and d is not NOT_MAPPED else
                           (bdim_to(x, NOT_MAPPED, 0, self.size) if b else x)
                           for x, d, b in zip(moved[:half], dims[:half], batched)]
            return primals_out, moved[half:]

        batched_jvp.__name__ = getattr(jvp, "__name__", "jvp")
        return batched_jvp

    def fwd(self, fwd: Callable) -> Callable:
        def batched_fwd(perturbed: Sequence[bool], *args: Any) -> tuple[list, list]:
            n_out: list[int] = []

            def flat(*xs: Any) -> list:
                outs, residuals = fwd(perturbed, *xs)
                n_out.append(len(outs))
                return [*outs, *residuals]

            vals, dims = self.run(flat, args, self.in_dims)
            n = n_out[0]
            self.record([d is not NOT_MAPPED for d in dims[:n]])
            self.res_dims = [NOT_MAPPED if d is NOT_MAPPED else 0 for d in dims[n:]]
            moved = [_at_zero(x, d, d is not NOT_MAPPED, self.size) for x, d in zip(vals, dims)]
            return moved[:n], moved[n:]

        batched_fwd.__name__ = getattr(fwd, "__name__", "fwd")
        return batched_fwd

    def bwd(self, bwd: Callable) -> Callable:
        # residuals and cotangents arrive as fwd left them (batched at 0, or unbatched); an
        # unbatched input's cotangent is the sum over the batch
        def batched_bwd(residuals: list, cts: list) -> list:
            n = len(residuals)
            zeros = [Zero(unbatched_aval(c.aval, d)) if type(c) is Zero else None
                     for c, d in zip(cts, self.out_dims)]

            def per_example(*xs: Any) -> list:
                it = iter(xs[n:])
                return list(bwd(list(xs[:n]), [z or next(it) for z in zeros]))

            nonzero = [(c, d) for c, d, z in zip(cts, self.out_dims, zeros) if z is None]
            outs, dims = self.run(per_example, [*residuals, *[c for c, _ in nonzero]],
                                  [*self.res_dims, *[d for _, d in nonzero]])
            result = []
            for ct, d, target in zip(outs, dims, self.in_dims):
                if ct is None or type(ct) is Zero:
                    result.append(None)
                elif target is NOT_MAPPED:
                    result.append(ct if d is NOT_MAPPED else reduce_sum(ct, (d,)))
                else:
                    result.append(bdim_to(ct, d, target, self.size))
            return result

        batched_bwd.__name__ = getattr(bwd, "__name__", "bwd")
        return batched_bwd


# ------------------------------------------------------------------ the jaxpr transformer


@memoize(maxsize=1024)
def batch_jaxpr(closed: ClosedJaxpr, in_batched: tuple[bool, ...], axis_size: int,
                instantiate: bool | tuple[bool, ...] = False
                ) -> tuple[ClosedJaxpr, tuple[bool, ...]]:
    """The batched program of ``closed``, and which of its outputs are batched.

    Inputs flagged in ``in_batched``, and batched outputs, carry the batch at axis 0;
    ``instantiate`` (one flag, or one per output) forces outputs to be batched.
    """
    n_out = len(closed.jaxpr.outvars)
    forced = (instantiate,) * n_out if isinstance(instantiate, bool) else tuple(instantiate)
    in_dims = [0 if b else NOT_MAPPED for b in in_batched]
    out_batched: list[bool] = []

    def batched(*args: Any) -> list:
        outs, dims = run_batched(lambda *xs: eval_jaxpr(closed.jaxpr, closed.consts, *xs),
                                 args, in_dims, axis_size, "batch_jaxpr")
        out_batched[:] = [d is not NOT_MAPPED or f for d, f in zip(dims, forced)]
        return [bdim_to(x, d, 0, axis_size) if b and d != 0 else x
                for x, d, b in zip(outs, dims, out_batched)]

    avals = [batched_aval(a, d, axis_size) for a, d in zip(closed.in_avals, in_dims)]
    return trace_closed(batched, avals, "batch_jaxpr"), tuple(out_batched)
