"""Primitives and the contract of their rules.

A ``Primitive`` is an operation the IR knows, with one slot per transformation. Every
rule takes lists and returns lists (arrays positional, parameters keyword-only), so a
primitive with several results needs no special case:

``impl(*values, **params) -> list[ndarray]``
    Compute on NumPy arrays.
``abstract_eval(*avals, **params) -> list[ShapedArray]``
    The shape/dtype rule. Raises ``ShapeError`` (a TypeError) on operands it rejects.
``jvp(primals, tangents, outs, **params) -> list[tangent]``
    Tangents of the outputs. ``primals`` and ``outs`` are the primal inputs and outputs
    (already computed: rules never recompute the forward pass); ``tangents`` may hold
    symbolic ``Zero(aval)`` entries, and the result may too. Written with ``bind`` on
    other primitives, so that it is itself differentiable.
``transpose(cts, *operands, **params) -> list[cotangent | None]``
    For linear primitives. Linear operands arrive as ``UndefPrimal(aval)``; the rule
    returns one cotangent per operand (``None`` for operands that are not linear,
    ``Zero`` allowed). ``cts`` may hold ``Zero`` entries.
``batch(args, dims, **params) -> (outs, out_dims)``
    ``dims[i]`` is the batched axis of ``args[i]`` or ``NOT_MAPPED``.

Higher-order primitives (whose params hold jaxprs) also fill the slots that first-order
primitives leave to their defaults:

``typecheck(*avals, **params) -> list[ShapedArray]``
    Like ``abstract_eval``, but also checks (recursively) the sub-jaxprs in ``params``.
    Default: ``abstract_eval``.
``partial_eval(eqn, unknowns) -> (known_eqn | None, staged_eqn | None, out_unknowns, residuals)``
    Split one equation by which inputs are unknown: the part computable now, the part
    staged for later, and the known variables the staged part reads (residuals).
    Default: the whole equation is staged as soon as one input is unknown.
``dce(eqn, used_outputs) -> (used_inputs, eqn | None)``
    Drop what computes unused outputs. Default: an equation none of whose outputs is
    used is dropped (primitives are pure); otherwise it is kept whole.
``linearize(primals, tangents, **params) -> (outs, tangents_out)``
    Optional, for higher-order primitives: the primal outputs and their tangents in one
    step, run with the linear trace current (so primal work binds in the enclosing trace
    and tangent work is recorded). Linearization uses it in place of binding the primitive
    and then calling ``jvp``, so that a call's primal work runs once, residuals included.
``lower(in_avals, out_avals, **params) -> Lowering | None``
    For jit's code generator (``interpreters/compile.py``): how to compute the equation's
    one output as a NumPy expression, or None to have the generated code call ``impl``
    (the default when the slot is empty). A ``Lowering`` must compute exactly what ``impl``
    computes on the same operands: the same NumPy function (so the same bits and memory
    layout), a result of exactly the output's dtype. Its operands are NumPy arrays, and
    0-d operands may be NumPy scalars, as literals are. It says whether its result is a
    new array that shares memory with nothing (``fresh``), which lets the generated code
    pass that buffer as ``out=`` to a later ufunc once nothing reads it any more.
``lower_block(block, inputs, outputs, **params) -> list[str]``
    For jit's code generator, in place of ``lower``, for primitives whose params hold
    jaxprs: lines of Python (statements; nested blocks indented by four spaces) assigning
    the equation's outputs, named ``outputs``, from ``inputs`` (the source text of its
    operands; 0-d operands may be NumPy scalars). ``block.sub(closed, hint)`` compiles a
    sub-jaxpr once and returns the name of the function computing it (NumPy values in, a
    list of NumPy arrays out, bit for bit what evaluating it gives); ``block.const(value,
    hint)`` names a value bound in the generated module, ``block.local(hint)`` a new local
    variable. This keeps control flow a branch or a loop in the generated code, each
    sub-jaxpr compiled, neither inlined nor interpreted.

A missing rule raises ``NotImplementedError`` naming the transform and the primitive.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import attrs
import numpy as np

from .avals import ShapedArray
from .errors import MissingRuleError
from .eager import eval_eager
from .ir import Eqn, Literal, Var
from .trace import thread_state

_state = thread_state()


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


NOT_LINEAR = _Marker("NOT_LINEAR")
"""The ``transpose`` slot of a primitive that is not linear in any operand."""

NOT_MAPPED = None
"""The batch dimension of a value that is the same for every batch member."""


# Zero and UndefPrimal are made for every symbolic value an interpreter meets: plain
# (not frozen) attrs classes keep that cheap; nothing assigns to them.


@attrs.define(slots=True)
class Zero:
    """A symbolic zero tangent or cotangent of the given aval; never materialised."""

    aval: ShapedArray


@attrs.define(slots=True)
class UndefPrimal:
    """A linear operand of a primitive being transposed: only its aval is known."""

    aval: ShapedArray


@attrs.frozen(slots=True)
class Lowering:
    """What a ``lower`` rule returns: how the generated code computes one equation.

    Either ``ufunc``: the call ``ufunc(*operands, *args)``, elementwise, whose result is a
    new array laid out like its operands (the code generator may add ``out=``); or
    ``expr``: a Python expression, a ``str.format`` template in which ``{0}``, ``{1}``, ...
    are the operands and ``{name}`` the value ``consts[name]`` (bound once, in the module
    of the generated code). ``fresh``: ``expr``'s result is always a new, dense array that
    shares memory with nothing. ``layout``: what is known of the order of its axes in
    memory: "C" (C-contiguous), "free" (at most one axis longer than 1 has a nonzero
    stride, as in a broadcast vector), or None (nothing is known). ``implicit``: the result
    is the operand stretched as NumPy broadcasting stretches it (its axes aligned with the
    output's last ones), so a ufunc with an operand of the full shape may read the operand
    itself, to the same bits and layout, and the generated code need not make the view.

    >>> Lowering(ufunc=np.sin)                                   # np.sin(a)
    >>> Lowering("{0}.reshape({shape})", consts={"shape": (4, 6)})  # a.reshape((4, 6))
    """

    expr: str = ""
    consts: dict = attrs.field(factory=dict)
    ufunc: np.ufunc | None = None
    args: tuple = ()  # trailing constant operands of ``ufunc``, e.g. integer_pow's exponent
    fresh: bool = False
    layout: str | None = None
    implicit: bool = False


def _missing_rule(transform: str, name: str) -> Callable:
    def rule(*args: Any, **params: Any) -> Any:
        raise MissingRuleError(f"{transform} rule for primitive '{name}' is not implemented")

    rule.missing = True  # type: ignore[attr-defined]
    return rule


def _not_linear(name: str) -> Callable:
    def rule(*args: Any, **params: Any) -> Any:
        raise MissingRuleError(
            f"transpose rule for primitive '{name}' is not implemented: '{name}' is not linear, "
            "so it cannot appear applied to a linear input in a function being transposed"
        )

    rule.not_linear = True  # type: ignore[attr-defined]
    return rule


class Primitive:
    """An operation of the IR and all its rules; see the module docstring for the contract."""

    __slots__ = ("name", "impl", "abstract_eval", "jvp", "transpose", "batch", "typecheck",
                 "partial_eval", "dce", "linearize", "lower", "lower_block")

    def __init__(
        self,
        name: str,
        *,
        impl: Callable | None = None,
        abstract_eval: Callable | None = None,
        jvp: Callable | None = None,
        transpose: Callable | _Marker | None = None,
        batch: Callable | None = None,
        typecheck: Callable | None = None,
        partial_eval: Callable | None = None,
        dce: Callable | None = None,
        linearize: Callable | None = None,
        lower: Callable | None = None,
        lower_block: Callable | None = None,
    ) -> None:
        self.name = name
        self.impl = impl or _missing_rule("evaluation", name)
        self.abstract_eval = abstract_eval or _missing_rule("shape", name)
        self.jvp = jvp or _missing_rule("jvp", name)
        if transpose is NOT_LINEAR:
            transpose = _not_linear(name)
        self.transpose = transpose or _missing_rule("transpose", name)
        self.batch = batch or _missing_rule("batching", name)
        self.typecheck = typecheck or self.abstract_eval
        self.partial_eval = partial_eval or stage_if_unknown
        self.dce = dce or drop_if_unused
        self.linearize = linearize
        self.lower = lower
        self.lower_block = lower_block

    def bind(self, *args: Any, **params: Any) -> list:
        """Apply the primitive: evaluate now, or record an equation in the active trace."""
        trace = _state.trace
        if trace is None:
            return eval_eager(self, args, params)
        return trace.process(self, args, params)

    def bind1(self, *args: Any, **params: Any) -> Any:
        """``bind`` for a primitive with a single result."""
        trace = _state.trace
        if trace is None:
            return eval_eager(self, args, params)[0]
        return trace.process(self, args, params)[0]

    def __repr__(self) -> str:
        return self.name

    __str__ = __repr__


def stage_if_unknown(eqn: Eqn, unknowns: Sequence[bool]):
    """The default ``partial_eval`` rule: known when every input is, else staged whole,
    reading its known variable inputs as residuals."""
    if not any(unknowns):
        return eqn, None, [False] * len(eqn.outputs), []
    residuals = [a for a, u in zip(eqn.inputs, unknowns) if not u and type(a) is Var]
    return None, eqn, [True] * len(eqn.outputs), residuals


def drop_if_unused(eqn: Eqn, used_outputs: Sequence[bool]):
    """The default ``dce`` rule: an equation whose outputs are all unused goes; otherwise
    it stays whole and uses all its inputs."""
    if not any(used_outputs):
        return [False] * len(eqn.inputs), None
    return [type(a) is not Literal for a in eqn.inputs], eqn
