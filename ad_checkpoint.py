"""``jaxlite.ad_checkpoint``: what JAX's ``jax.ad_checkpoint`` exports, and a way to see
what a reverse-mode derivative keeps.

``print_saved_residuals(f, *args)`` lists the residuals: the values the linear (backward)
part of ``f``'s derivative reads from its forward pass, each with its aval and where it
comes from (an argument, a constant, or the operation and source line that computed it).
Under ``checkpoint`` the list shrinks to the inputs of the checkpointed regions and the
values their policies save.
"""

from __future__ import annotations

from typing import Any, Callable

from .core.avals import ShapedArray
from .core.ir import Jaxpr, Literal, Var
from .core.jaxpr_trace import new_trace
from .core.trace import aval_of
from .core.tree_util import tree_flatten, tree_unflatten
from .interpreters.linearize import linearize_fused
from .interpreters.partial_eval import dce
from .primitives.remat import checkpoint, checkpoint_name, checkpoint_policies, leaf_names, remat

__all__ = ["checkpoint", "checkpoint_name", "checkpoint_policies", "print_saved_residuals",
           "remat", "saved_residuals"]


def saved_residuals(f: Callable, *args: Any, **kwargs: Any) -> list[tuple[ShapedArray, str]]:
    """``(aval, where it comes from)`` for each value the reverse-mode derivative of ``f``
    at ``args`` keeps for its backward pass, as JAX's ``saved_residuals`` gives them."""
    leaves, in_tree = tree_flatten((args, kwargs))
    avals = [aval_of(x) for x in leaves]

    def flat_fun(*flat: Any) -> list:
        call_args, call_kwargs = tree_unflatten(in_tree, flat)
        return tree_flatten(f(*call_args, **call_kwargs))[0]

    with new_trace("saved_residuals") as trace:
        inputs = [trace.new_arg(a) for a in avals]
        _, linear, residuals, _ = linearize_fused(flat_fun, avals, inputs, "saved_residuals")
        used = _used_constvars(linear)
        jaxpr, _ = trace.finish([r for v, r in zip(linear.constvars, residuals) if v in used])
    names = leaf_names(f, args, kwargs)
    return [(atom.aval, _origin(jaxpr, atom, names))
            for atom in sorted(jaxpr.outvars, key=lambda atom: _order(jaxpr, atom))]


def print_saved_residuals(f: Callable, *args: Any, **kwargs: Any) -> None:
    """Print ``saved_residuals(f, *args, **kwargs)``, one residual a line."""
    for aval, origin in saved_residuals(f, *args, **kwargs):
        print(f"{aval.str_short()} {origin}")


def _used_constvars(linear: Jaxpr) -> set:
    """The constvars (residuals) that the live part of a linear jaxpr reads."""
    live = dce(linear)[0]
    used = {a for eqn in live.eqns for a in eqn.inputs if type(a) is Var}
    return used | {v for v in live.outvars if type(v) is Var}


def _order(jaxpr: Jaxpr, atom: Any) -> tuple[int, int]:
    """JAX's order: literals, constants, arguments, then computed values, as defined."""
    if type(atom) is Literal:
        return 0, 0
    for kind, variables in enumerate((jaxpr.constvars, jaxpr.invars), start=1):
        if atom in variables:
            return kind, variables.index(atom)
    return 3, next(i for i, e in enumerate(jaxpr.eqns) if atom in e.outputs)


def _origin(jaxpr: Jaxpr, atom: Any, names: list[str]) -> str:
    """Where an output of the traced forward pass comes from, in JAX's words."""
    if type(atom) is Literal:
        return "from a literal"
    if atom in jaxpr.constvars:
        return "from a constant"
    if atom in jaxpr.invars:
        i = jaxpr.invars.index(atom)
        return f"from the argument {names[i]}" if i < len(names) else \
            f"from the argument at flattened index {i}"
    eqn = next(e for e in jaxpr.eqns if atom in e.outputs)
    if eqn.primitive.name == "name":
        return f"named '{eqn.params['name']}' from {eqn.source_info}"
    if eqn.primitive.name == "jit":
        return f"output of jitted function '{eqn.params['name']}' from {eqn.source_info}"
    return f"output of {eqn.primitive.name} from {eqn.source_info}"
