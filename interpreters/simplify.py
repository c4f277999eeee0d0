"""simplify : ClosedJaxpr -> ClosedJaxpr, exactly: the result computes, bit for bit, what
its argument computes.

The passes ``jit`` runs between tracing and compiling, each a function of its own:

* ``cse_jaxpr``, common-subexpression elimination. Primitives are pure, so two equations
  with the same primitive, the same inputs (variables by identity, literals by value and
  aval) and equal params compute the same values: the later one goes and its outputs read
  the earlier one's. The params key a dict, through ``hash(eqn.params)``.
* ``fold_constants``: an equation whose inputs are all literals or concrete consts and
  whose outputs are small (``FOLD_LIMIT`` elements) is evaluated now, as eager evaluation
  would evaluate it (``bind`` with no trace: the primitive's impl on the same operands),
  and its outputs become literals of exactly their avals, weak types included (scalars),
  or consts (arrays, with the layout eager evaluation gives them).
* ``forward_inputs``: an equation that gives back its operand unchanged (the identity
  rules below) goes, and what read its output reads the operand, so an output computed
  only by such equations is the input itself; ``forwarded_outputs`` says which input each
  output is.
* ``simplify_jaxpr``: the identity rules, and chains of structural ops composed into one.
* ``optimize_jaxpr``: all of these and dead-code elimination, repeated to a fixed point.

Every pass keeps the invars and the output avals (dtype, shape and weak type), keeps the
source_info of the equations it keeps, gives a composed equation the source_info of the
outer one, and returns its argument itself when it changes nothing. An equation whose
params hold a jaxpr (a higher-order primitive such as ``custom_jvp_call``) is opaque: it
is never folded or rewritten and its sub-jaxprs are left intact; CSE compares it whole
(jaxprs in params hash by identity).

The primitives this module knows, by name, and its rewrites (all exact in IEEE arithmetic)::

    mul x 1, mul 1 x, div x 1   -> x  if the output aval is x's and not complex (in complex
                                      arithmetic 1 * (a + inf j) is nan + inf j); the 1 is
                                      a literal, a broadcast_in_dim of one, or a const of ones
    integer_pow[y=1] x          -> x
    convert_element_type x      -> x  to x's own dtype and weak type
    reshape, transpose, broadcast_in_dim, slice x -> x  when they leave x as it is
    neg (neg x)                 -> x
    transpose (transpose x), reshape (reshape x), broadcast_in_dim (broadcast_in_dim x)
                                -> one equation of the outer kind applied to x (or x)

Not ``x + 0`` (``-0.0 + 0.0`` is ``0.0``), not ``x * 0`` (``nan * 0`` is ``nan``,
``-1.0 * 0.0`` is ``-0.0``), and not ``stop_gradient x``: it is the identity when evaluated,
but the jaxpr may yet be differentiated.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core.cache import memoize
from ..core.config import config
from ..core.eager import bind_in
from ..core.ir import Atom, ClosedJaxpr, Eqn, Jaxpr, Literal, Var
from ..core.params import Params
from ..core.trace import trace_of
from ..core.typecheck import typecheck
from .partial_eval import dce

RuleResult = Eqn | list | None
Rule = Callable[[Eqn, Callable[[Atom], Eqn | None]], RuleResult]

MAX_ROUNDS = 16
"""``optimize_jaxpr`` stops after this many rounds even if a round still changed something."""


# ---------------------------------------------------------------- the walker


def rewrite_jaxpr(closed: ClosedJaxpr, rule: Rule, new_consts: dict | None = None) -> ClosedJaxpr:
    """Apply ``rule`` to each equation in turn, its inputs first renamed by earlier rewrites.

    ``rule(eqn, producer)`` returns None to keep the equation, an equation to put in its
    place (defining the same outputs), or a list of one atom per output for later equations
    and the outputs to read instead (the equation goes). ``producer(atom)`` is the kept
    equation defining ``atom``, or None. An atom replaces an output only if its aval is the
    output's exactly (avals are interned: ``is``); otherwise the equation stays. A rule may
    put new constvars in ``new_consts`` (variable -> value) and read them.
    """
    jaxpr = closed.jaxpr
    env: dict[Any, Atom] = {}  # Var -> what reads it now (Literals hash by identity too)
    producers: dict[Any, Eqn] = {}
    eqns = []
    for eqn in jaxpr.eqns:
        eqn = _renamed(eqn, env)
        result = rule(eqn, producers.get)
        if type(result) is list:
            if all(a.aval is v.aval for a, v in zip(result, eqn.outputs, strict=True)):
                env.update(zip(eqn.outputs, result))
                continue
        elif result is not None:
            eqn = result
        eqns.append(eqn)
        producers.update(dict.fromkeys(eqn.outputs, eqn))
    outvars = tuple([env.get(v, v) for v in jaxpr.outvars])
    if (len(eqns) == len(jaxpr.eqns) and all(map(_same, eqns, jaxpr.eqns))
            and all(map(_same, outvars, jaxpr.outvars))):
        return closed
    new_consts = new_consts or {}
    return _checked(ClosedJaxpr(
        Jaxpr(jaxpr.constvars + tuple(new_consts), jaxpr.invars, tuple(eqns), outvars),
        closed.consts + tuple(new_consts.values())))


def _same(a: object, b: object) -> bool:
    return a is b


def _renamed(eqn: Eqn, env: dict) -> Eqn:
    """``eqn`` reading the atoms ``env`` puts in place of its inputs (itself if none)."""
    if not env:
        return eqn
    inputs = tuple([env.get(a, a) for a in eqn.inputs])
    if all(map(_same, inputs, eqn.inputs)):
        return eqn
    return Eqn(eqn.primitive, inputs, eqn.outputs, eqn.params, eqn.source_info)


def _checked(closed: ClosedJaxpr) -> ClosedJaxpr:
    if config.jaxlite_check_jaxprs:
        typecheck(closed)
    return closed


def _opaque(eqn: Eqn) -> bool:
    """Whether ``eqn`` is of a higher-order primitive: a param holds a jaxpr (or jaxprs)."""
    for value in eqn.params.values():
        values = value if type(value) is tuple else (value,)
        if any(isinstance(v, (Jaxpr, ClosedJaxpr)) for v in values):
            return True
    return False


# ---------------------------------------------------------------- common subexpressions


def cse_jaxpr(closed: ClosedJaxpr) -> ClosedJaxpr:
    """``closed`` with each equation that repeats an earlier one (same primitive, inputs and
    params) removed, its outputs read from the earlier one."""
    seen: dict[tuple, tuple[Var, ...]] = {}

    def rule(eqn: Eqn, producer: Callable) -> RuleResult:
        key = (eqn.primitive, tuple([_atom_key(a) for a in eqn.inputs]), eqn.params)
        earlier = seen.get(key)  # hashes eqn.params: Params hash by their items
        if earlier is None:
            seen[key] = eqn.outputs
            return None
        return list(earlier)

    return rewrite_jaxpr(closed, rule)


def _atom_key(atom: Atom) -> object:
    """A variable stands for itself; a literal for its aval and the bytes of its value (so
    that -0.0 and 0.0 differ and a nan equals itself)."""
    if type(atom) is Literal:
        return atom.aval, np.asarray(atom.value).tobytes()
    return atom


# ---------------------------------------------------------------- constant folding


FOLD_LIMIT = 4096
"""``fold_constants`` evaluates equations whose outputs have at most this many elements."""


def _concrete_consts(closed: ClosedJaxpr) -> dict:
    return {v: c for v, c in zip(closed.jaxpr.constvars, closed.consts) if trace_of(c) is None}


def fold_constants(closed: ClosedJaxpr) -> ClosedJaxpr:
    """``closed`` with each equation whose inputs are all literals or concrete consts (and
    whose outputs are small) replaced by its results, computed as eager evaluation would:
    literals for scalars, new consts for arrays."""
    known = _concrete_consts(closed)
    folded: dict[Var, Any] = {}  # new constvars and their values

    def rule(eqn: Eqn, producer: Callable) -> RuleResult:
        if any(v.aval.size > FOLD_LIMIT for v in eqn.outputs) or _opaque(eqn):
            return None
        if eqn.primitive.name == "broadcast_in_dim" and type(eqn.inputs[0]) is Literal:
            return None  # (kept as it is: a broadcast scalar, which the rewrites recognise)
        if not all(type(a) is Literal or a in known for a in eqn.inputs):
            return None
        args = [a if type(a) is Literal else known[a] for a in eqn.inputs]
        try:
            outs = bind_in(None, eqn.primitive, args, eqn.params)
        except Exception:  # left in place, to fail when and as eager evaluation does
            return None
        if not all(out.aval is v.aval for out, v in zip(outs, eqn.outputs, strict=True)):
            return None
        atoms = []
        for out, v in zip(outs, eqn.outputs):
            if v.aval.shape:
                const = Var(v.aval)
                known[const] = folded[const] = out
                atoms.append(const)
            else:
                atoms.append(Literal(np.asarray(out)[()], v.aval))
        return atoms

    return rewrite_jaxpr(closed, rule, folded)


# ---------------------------------------------------------------- identities


def _is_one(atom: Atom, producer: Callable[[Atom], Eqn | None], known: dict = {}) -> bool:  # noqa: B006 - read only
    """Whether ``atom`` is a literal 1, a broadcast of one, or a concrete const of ones, of a
    dtype that is not complex."""
    value = known.get(atom) if type(atom) is Var else None
    if value is not None:  # (of at most one axis longer than 1: the product is then laid
        value = np.asarray(value)  # out as x is, whatever x's layout)
        return (value.dtype.kind != "c" and sum(n > 1 for n in value.shape) <= 1
                and bool(np.all(value == 1)))
    if type(atom) is not Literal:
        eqn = producer(atom)
        if eqn is None or eqn.primitive.name != "broadcast_in_dim":
            return False
        atom = eqn.inputs[0]
    return type(atom) is Literal and atom.aval.dtype.kind != "c" and atom.value == 1


def _times_one(eqn: Eqn, producer: Callable[[Atom], Eqn | None], known: dict) -> list | None:
    """``mul x 1``, ``mul 1 x`` and ``div x 1`` are x (for outputs that are not complex)."""
    if eqn.outputs[0].aval.dtype.kind == "c":
        return None
    x, y = eqn.inputs
    if _is_one(y, producer, known):
        return [x]
    if eqn.primitive.name == "mul" and _is_one(x, producer, known):
        return [y]
    return None


# primitive name -> whether its equation, with this operand aval and these params, gives back
# its one operand unchanged
_RETURNS_OPERAND: dict[str, Callable[[Any, Params], bool]] = {
    "integer_pow": lambda x, p: p["y"] == 1,
    "convert_element_type": lambda x, p: (p["new_dtype"] == x.dtype
                                          and p["weak_type"] == x.weak_type),
    "reshape": lambda x, p: tuple(p["new_sizes"]) == x.shape,
    "transpose": lambda x, p: tuple(p["permutation"]) == tuple(range(x.ndim)),
    "broadcast_in_dim": lambda x, p: tuple(p["shape"]) == x.shape,
    "slice": lambda x, p: (tuple(p["start_indices"]) == (0,) * x.ndim
                           and tuple(p["limit_indices"]) == x.shape
                           and (p["strides"] is None or set(p["strides"]) <= {1})),
}


def _no_producer(atom: Atom) -> None:
    return None


def _identity(eqn: Eqn, producer: Callable[[Atom], Eqn | None] = _no_producer,
              known: dict = {}) -> list | None:  # noqa: B006 - read only
    """``[x]`` if ``eqn`` gives back its operand x unchanged, else None (``known``: the
    values of concrete consts)."""
    name = eqn.primitive.name
    if name in ("mul", "div"):
        return _times_one(eqn, producer, known)
    returns_operand = _RETURNS_OPERAND.get(name)
    if returns_operand is not None and returns_operand(eqn.inputs[0].aval, eqn.params):
        return [eqn.inputs[0]]
    return None


def forward_inputs(closed: ClosedJaxpr) -> ClosedJaxpr:
    """``closed`` without the equations that give back their operand unchanged: what read
    their outputs reads the operand, so outputs computed only by them are inputs."""
    return rewrite_jaxpr(closed, _identity)


def forwarded_outputs(closed: ClosedJaxpr) -> tuple[int | None, ...]:
    """For each output of ``closed``, the position of the input it is, or None."""
    position = {v: i for i, v in enumerate(closed.jaxpr.invars)}
    return tuple(position.get(v) for v in closed.jaxpr.outvars)


# ---------------------------------------------------------------- chains composed


def _neg_of_neg(eqn: Eqn, inner: Eqn) -> RuleResult:
    return [inner.inputs[0]]  # -(-x) = x, in every dtype (integers wrap both ways)


def _transpose_of_transpose(eqn: Eqn, inner: Eqn) -> RuleResult:
    # out axis i is the middle's axis p2[i], which is x's axis p1[p2[i]]
    p1, p2 = inner.params["permutation"], eqn.params["permutation"]
    return _applied_to(eqn, inner.inputs[0], permutation=tuple(p1[i] for i in p2))


def _reshape_of_reshape(eqn: Eqn, inner: Eqn) -> RuleResult:
    return _applied_to(eqn, inner.inputs[0])  # row-major order either way


def _broadcast_of_broadcast(eqn: Eqn, inner: Eqn) -> RuleResult:
    # x's axis i is the middle's axis d1[i], which is the output's axis d2[d1[i]]
    d1, d2 = inner.params["broadcast_dimensions"], eqn.params["broadcast_dimensions"]
    return _applied_to(eqn, inner.inputs[0], broadcast_dimensions=tuple(d2[d] for d in d1))


# primitive name -> the rewrite of its equation applied to the output of one of the same kind
_COMPOSED: dict[str, Callable[[Eqn, Eqn], RuleResult]] = {
    "neg": _neg_of_neg,
    "transpose": _transpose_of_transpose,
    "reshape": _reshape_of_reshape,
    "broadcast_in_dim": _broadcast_of_broadcast,
}


def _applied_to(eqn: Eqn, x: Atom, **changed: Any) -> RuleResult:
    """``eqn`` applied to ``x`` instead, with the ``changed`` params; ``[x]`` if that is x."""
    params = Params(dict(eqn.params, **changed)) if changed else eqn.params
    new = Eqn(eqn.primitive, (x,), eqn.outputs, params, eqn.source_info)
    return _identity(new) or new


def _simplify_rule(eqn: Eqn, producer: Callable[[Atom], Eqn | None], known: dict) -> RuleResult:
    identity = _identity(eqn, producer, known)
    if identity is not None:
        return identity
    compose = _COMPOSED.get(eqn.primitive.name)
    inner = compose and producer(eqn.inputs[0])
    if inner is not None and inner.primitive is eqn.primitive:
        return compose(eqn, inner)
    return None


def simplify_jaxpr(closed: ClosedJaxpr) -> ClosedJaxpr:
    """``closed`` with the exact rewrites of the module docstring applied, each once."""
    known = _concrete_consts(closed)
    return rewrite_jaxpr(closed, lambda eqn, producer: _simplify_rule(eqn, producer, known))


# ---------------------------------------------------------------- all of them


@memoize(maxsize=1024)
def optimize_jaxpr(closed: ClosedJaxpr) -> ClosedJaxpr:
    """``closed`` simplified, folded, deduplicated and without dead code, until a round
    changes nothing (at most ``MAX_ROUNDS`` rounds); consts nothing reads are dropped.

    >>> closed = make_jaxpr(grad(lambda x: x**2 + 3*x + 5))(2.0)   # 9 equations
    >>> optimize_jaxpr(closed)                                       # d = mul 2.0 a; add_any 3.0 d
    """
    for _ in range(MAX_ROUNDS):
        before = closed
        closed = cse_jaxpr(fold_constants(simplify_jaxpr(closed)))
        jaxpr, _ = dce(closed.jaxpr, instantiate=True)  # (not memoised: rounds are one-offs)
        if jaxpr is not closed.jaxpr:
            closed = _checked(ClosedJaxpr(jaxpr, closed.consts))
        if closed is before:
            break
    return _without_unused_consts(closed)


def _without_unused_consts(closed: ClosedJaxpr) -> ClosedJaxpr:
    jaxpr = closed.jaxpr
    read = {a for eqn in jaxpr.eqns for a in eqn.inputs} | set(jaxpr.outvars)
    kept = [i for i, v in enumerate(jaxpr.constvars) if v in read]
    if len(kept) == len(jaxpr.constvars):
        return closed
    constvars = tuple(jaxpr.constvars[i] for i in kept)
    return _checked(ClosedJaxpr(Jaxpr(constvars, jaxpr.invars, jaxpr.eqns, jaxpr.outvars),
                                tuple(closed.consts[i] for i in kept)))
