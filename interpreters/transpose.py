"""transpose : (a -o b) -> (b -> a), for a jaxpr linear in some of its inputs

``backward_pass`` first evaluates, in order, the equations that do not depend on a
linear input (residual computations, e.g. recomputation under ``checkpoint``). It then
walks the linear equations backwards, handing each primitive's ``transpose`` rule the
cotangents of its outputs and ``UndefPrimal(aval)`` for its linear operands. A variable
used several times receives the sum (``add_any``) of its cotangents; a cotangent that
is known to be zero stays the symbolic ``Zero`` and its equation is skipped.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..core.avals import shaped_array
from ..core.cache import memoize
from ..core.ir import ClosedJaxpr, Eqn, Jaxpr, Literal
from ..core.jaxpr_trace import trace_closed
from ..core.primitive import UndefPrimal, Zero
from ..core.trace import current_trace, with_source_info
from ..primitives.structural import add_any
from ..primitives.structural import instantiate as instantiate_zero
from .evaluate import check_arity
from .linearize import tangent_aval


def backward_pass(
    jaxpr: Jaxpr, consts: Sequence[Any], args: Sequence[Any], cts_out: Sequence[Any]
) -> list[Any]:
    """Cotangents of the linear inputs of ``jaxpr``.

    ``args`` holds a value for each non-linear input and ``UndefPrimal`` for each linear
    one; the result has one entry per input (``Zero`` where nothing flowed back, None
    for non-linear inputs).
    """
    check_arity("backward_pass", jaxpr, consts, args)
    env: dict = dict(zip(jaxpr.constvars, consts))
    linear = set()
    for v, x in zip(jaxpr.invars, args):
        if type(x) is UndefPrimal:
            linear.add(v)
        else:
            env[v] = x
    linear_eqns, masks = _forward_non_linear(jaxpr, env, linear)
    ct_env: dict = {}
    for v, ct in zip(jaxpr.outvars, cts_out, strict=True):
        if v in linear:
            _accumulate(ct_env, v, ct)
    undefined: dict = {}  # one UndefPrimal per aval: rules look only at its type and aval
    backwards = reversed(linear_eqns)
    if _stages():  # (attribution matters only to equations being recorded)
        backwards = with_source_info(backwards)
    for eqn, mask in zip(backwards, reversed(masks)):
        outputs = eqn.outputs
        if len(outputs) == 1:
            ct = ct_env.pop(outputs[0], None)
            if ct is None:  # no cotangent reached this equation
                continue
            cts = [ct]
        else:
            cts = _output_cotangents(eqn, ct_env)
            if cts is None:
                continue
        operands = []
        for a, is_linear in zip(eqn.inputs, mask):
            if is_linear:
                operand = undefined.get(a.aval)
                if operand is None:
                    operand = undefined[a.aval] = UndefPrimal(a.aval)
            else:
                operand = a if type(a) is Literal else env[a]
            operands.append(operand)
        cts_in = eqn.primitive.transpose(cts, *operands, **eqn.params)
        for a, is_linear, ct in zip(eqn.inputs, mask, cts_in):
            if is_linear and ct is not None and type(ct) is not Zero:
                previous = ct_env.get(a)
                ct_env[a] = ct if previous is None else add_any(previous, ct)
    return [ct_env.get(v, Zero(tangent_aval(v.aval))) if type(x) is UndefPrimal else None
            for v, x in zip(jaxpr.invars, args)]


def _stages() -> bool:
    """Whether equations bound now may be recorded (so are worth attributing to source lines)."""
    trace = current_trace()
    return trace is not None and trace.stages


def _accumulate(ct_env: dict, var: Any, ct: Any) -> None:
    if ct is None or type(ct) is Zero:
        return
    previous = ct_env.get(var)
    ct_env[var] = ct if previous is None else add_any(previous, ct)


def _output_cotangents(eqn: Eqn, ct_env: dict) -> list | None:
    """The cotangents of an equation's outputs (taken from ``ct_env``), or None if none has one."""
    cts = [ct_env.pop(v, None) for v in eqn.outputs]
    if all(ct is None for ct in cts):  # (by identity: cotangents are arrays)
        return None
    return [Zero(tangent_aval(v.aval)) if ct is None else ct for v, ct in zip(eqn.outputs, cts)]


def _forward_non_linear(jaxpr: Jaxpr, env: dict, linear: set) -> tuple[list[Eqn], list[tuple]]:
    """Evaluate the equations that use no linear value (into ``env``); mark the outputs of
    the others linear (in ``linear``) and return those, in order, with which of their
    inputs are linear."""
    linear_eqns, masks = [], []
    for eqn in with_source_info(jaxpr.eqns) if _stages() else jaxpr.eqns:
        inputs = eqn.inputs  # (a Literal hashes by identity: never in `linear`)
        if len(inputs) == 2:
            mask = (inputs[0] in linear, inputs[1] in linear)
        else:
            mask = tuple([a in linear for a in inputs])
        if True in mask:
            linear.update(eqn.outputs)
            linear_eqns.append(eqn)
            masks.append(mask)
        else:
            outs = eqn.primitive.bind(*[a if type(a) is Literal else env[a] for a in eqn.inputs],
                                      **eqn.params)
            env.update(zip(eqn.outputs, outs))
    return linear_eqns, masks


@memoize(maxsize=1024)
def transpose_jaxpr(closed: ClosedJaxpr, linear: tuple[bool, ...], instantiate: bool = True,
                    ct_weak: tuple[bool, ...] | None = None
                    ) -> tuple[ClosedJaxpr, tuple[bool, ...]]:
    """The transposed program: ``(non-linear inputs, output cotangents) -> cotangents of
    the linear inputs``, and which linear inputs get a cotangent output. With
    ``instantiate`` (the default) every one does, zeros materialised; without, those whose
    cotangent is symbolically zero get none. ``ct_weak`` says which cotangents are weakly
    typed (default: none), as the values they will be called with are."""
    jaxpr = closed.jaxpr
    nonlinear_avals = [v.aval for v, lin in zip(jaxpr.invars, linear) if not lin]
    ct_avals = [tangent_aval(v.aval) for v in jaxpr.outvars]
    if ct_weak is not None:
        ct_avals = [shaped_array(a.shape, a.dtype, w) for a, w in zip(ct_avals, ct_weak)]
    nonzeros: list[bool] = []

    def transposed(*args: Any) -> list:
        it = iter(args[:len(nonlinear_avals)])
        operands = [UndefPrimal(v.aval) if lin else next(it) for v, lin in zip(jaxpr.invars, linear)]
        cts_in = backward_pass(jaxpr, closed.consts, operands, args[len(nonlinear_avals):])
        cts_in = [ct for ct, lin in zip(cts_in, linear) if lin]
        nonzeros[:] = [instantiate or type(ct) is not Zero for ct in cts_in]
        return [instantiate_zero(ct) for ct, keep in zip(cts_in, nonzeros) if keep]

    new = trace_closed(transposed, [*nonlinear_avals, *ct_avals], "transpose_jaxpr")
    return new, tuple(nonzeros)
