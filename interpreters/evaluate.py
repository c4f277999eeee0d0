"""eval_jaxpr : Jaxpr -> (consts, args) -> outs

Binds each equation in turn. With no active trace that computes values; under an
active trace it records the equations there, which is how a jaxpr is inlined into
an outer transformation. Equations keep their original source lines either way.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core.array import Array
from ..core.cache import memoize
from ..core.ir import Jaxpr, Literal, Var
from ..core.trace import with_source_info


def read_atom(env: dict, atom: Any) -> Any:
    """The value of a Var from ``env``; a Literal stands for itself (``bind`` accepts it)."""
    return atom if type(atom) is Literal else env[atom]


def literal_to_array(x: Any) -> Any:
    """Literals returned as outputs become Arrays, with their weak type."""
    return Array(np.asarray(x.value), x.aval.weak_type) if type(x) is Literal else x


def check_arity(walker: str, jaxpr: Jaxpr, consts: Sequence[Any], args: Sequence[Any]) -> None:
    """A TypeError when a jaxpr is given the wrong number of consts or arguments."""
    if len(consts) != len(jaxpr.constvars) or len(args) != len(jaxpr.invars):
        raise TypeError(
            f"{walker}: the jaxpr takes {len(jaxpr.constvars)} consts and {len(jaxpr.invars)} "
            f"arguments, but was given {len(consts)} and {len(args)}")


def eval_jaxpr(jaxpr: Jaxpr, consts: Sequence[Any], *args: Any) -> list[Any]:
    """Evaluate ``jaxpr`` on ``consts`` and ``args`` by binding every equation."""
    check_arity("eval_jaxpr", jaxpr, consts, args)
    env: dict = dict(zip(jaxpr.constvars, consts))
    env.update(zip(jaxpr.invars, args))
    for eqn in with_source_info(jaxpr.eqns):
        outs = eqn.primitive.bind(*[read_atom(env, a) for a in eqn.inputs], **eqn.params)
        env.update(zip(eqn.outputs, outs))
    return [literal_to_array(read_atom(env, v)) for v in jaxpr.outvars]


def eval_jaxpr_freeing(jaxpr: Jaxpr, consts: Sequence[Any], *args: Any) -> list[Any]:
    """``eval_jaxpr`` that lets go of each value after its last use, so that the values a
    long jaxpr computes are not all alive at once (what ``checkpoint``'s recomputation
    relies on to save memory)."""
    check_arity("eval_jaxpr_freeing", jaxpr, consts, args)
    env: dict = dict(zip(jaxpr.constvars, consts))
    env.update(zip(jaxpr.invars, args))
    for eqn, dead in zip(with_source_info(jaxpr.eqns), _last_uses(jaxpr)):
        outs = eqn.primitive.bind(*[read_atom(env, a) for a in eqn.inputs], **eqn.params)
        env.update(zip(eqn.outputs, outs))
        for v in dead:
            del env[v]
    return [literal_to_array(read_atom(env, v)) for v in jaxpr.outvars]


@memoize(maxsize=1024)
def _last_uses(jaxpr: Jaxpr) -> tuple[tuple[Var, ...], ...]:
    """For each equation, the variables no later equation nor output reads (its unused
    outputs included)."""
    last: dict[Var, int] = {}
    for i, eqn in enumerate(jaxpr.eqns):
        last.update((v, i) for v in eqn.outputs)
        last.update((a, i) for a in eqn.inputs if type(a) is Var)
    for v in jaxpr.outvars:
        last.pop(v, None)
    dead: list[list[Var]] = [[] for _ in jaxpr.eqns]
    for v, i in last.items():
        dead[i].append(v)
    return tuple(tuple(vs) for vs in dead)
