"""``checkpoint`` (alias ``remat``): differentiate a function by recomputing its
intermediate values in the backward pass rather than keeping them from the forward pass.

Calling a checkpointed function traces it into one ``remat2`` equation (JAX's name), a call
primitive whose ``jaxpr`` holds the function (its captured values hoisted into leading
operands), with ``policy`` (which values may be kept), ``prevent_cse`` and
``differentiated`` (False until a derivative splits it). Its rules:

* impl: evaluate the jaxpr, each value freed after its last use;
* linearize (``grad``, ``vjp``, ...): the JVP jaxpr is split by partial evaluation *with
  rematerialization* (``partial_eval_jaxpr_remat``): the known part runs now (or is
  recorded in the enclosing trace) and keeps as residuals only the inputs and the values
  the policy saves; the staged part, recorded in the linear jaxpr as a
  ``remat2[differentiated=True]`` equation, holds a copy of the primal work that
  recomputes everything else from those residuals when it is transposed;
* transpose: a ``remat2`` call of the transposed jaxpr (its recomputation first), so the
  recomputation happens during the backward pass, one checkpointed region at a time, and
  its values go when the region's cotangents are done;
* partial evaluation, batching, dead code and typecheck: the call rules, through the
  jaxpr transformers (``interpreters/call_rules.py``).

Under ``jit`` the equation stays opaque to simplification (common-subexpression
elimination would merge the recomputation with the forward values and keep those alive)
and is inlined by the code generator only (``compile.BARRIER_CALLS``).

Policies are JAX's: ``policy(prim, *in_avals, **params) -> bool`` says whether the
outputs of an equation may be kept; ``checkpoint_name(x, name)`` binds the identity
primitive ``name``, which policies such as ``save_only_these_names`` look for.
"""

from __future__ import annotations

import inspect
import types
import weakref
from typing import Any, Callable, Sequence

import attrs
import numpy as np

from ..core.array import Array
from ..core.avals import ShapedArray
from ..core.errors import ArgnumsError, ShapeError
from ..core.ir import ClosedJaxpr, Eqn, Jaxpr
from ..core.jaxpr_trace import DebugInfo, new_trace
from ..core.primitive import Lowering, Primitive, Zero, stage_if_unknown
from ..core.trace import aval_of, run_in
from ..core.tree_util import tree_flatten, tree_map, tree_unflatten
from ..interpreters.call_rules import (
    call_batch,
    call_dce,
    call_transpose,
    call_typecheck,
    split_call,
)
from ..interpreters.evaluate import eval_jaxpr_freeing
from ..interpreters.jvp import jvp_jaxpr
from ..interpreters.linearize import tangent_aval
from ..interpreters.partial_eval import partial_eval_jaxpr_remat
from .linalg import dot_general_p

# ---------------------------------------------------------------- checkpoint_name


def _name_batch(args: Sequence[Any], dims: Sequence[int | None], *, name: str):
    return [name_p.bind1(args[0], name=name)], list(dims)


name_p = Primitive(
    "name",  # the identity, which a policy sees by its name
    impl=lambda x, *, name: [x],
    abstract_eval=lambda aval, *, name: [aval],
    jvp=lambda primals, tangents, outs, *, name: [tangents[0]],  # the tangent is not named
    transpose=lambda cts, x, *, name: [cts[0]],
    batch=_name_batch,
    lower=lambda in_avals, out_avals, *, name: Lowering("{0}"),
)


def checkpoint_name(x: Any, name: str) -> Any:
    """``x`` (each leaf of a pytree) unchanged, named ``name`` for checkpoint policies such
    as ``save_only_these_names(name)``.

    >>> checkpoint_name(jnp.sin(x), "features")
    """
    return tree_map(lambda leaf: name_p.bind1(leaf, name=name), x)


# ---------------------------------------------------------------- policies


def everything_saveable(*_: Any, **__: Any) -> bool:
    """Keep every value, as if the function were not checkpointed."""
    return True


def nothing_saveable(*_: Any, **__: Any) -> bool:
    """Keep nothing but the inputs; recompute the rest (the default policy)."""
    return False


@attrs.frozen
class DotsSaveable:
    """Keep the results of matrix products (those without batch dimensions only, if asked)."""

    only_if_no_batch_dims: bool

    def __call__(self, prim: Primitive, *avals: ShapedArray, **params: Any) -> bool:
        if prim is not dot_general_p:
            return False
        (_, _), (lhs_batch, rhs_batch) = params["dimension_numbers"]
        return not self.only_if_no_batch_dims or not (lhs_batch or rhs_batch)


@attrs.frozen
class SaveOnlyTheseNames:
    """Keep only the values named (by ``checkpoint_name``) with one of these names."""

    saveable_names: frozenset

    def __call__(self, prim: Primitive, *avals: ShapedArray, **params: Any) -> bool:
        return prim is name_p and params["name"] in self.saveable_names


@attrs.frozen
class SaveAnyNamesButThese:
    """Keep the named values, except those with one of these names."""

    names: frozenset

    def __call__(self, prim: Primitive, *avals: ShapedArray, **params: Any) -> bool:
        return prim is name_p and params["name"] not in self.names


@attrs.frozen
class SaveFromBothPolicies:
    """Keep what either policy keeps."""

    policy_1: Callable
    policy_2: Callable

    def __call__(self, prim: Primitive, *avals: ShapedArray, **params: Any) -> bool:
        return bool(self.policy_1(prim, *avals, **params) or self.policy_2(prim, *avals, **params))


def save_only_these_names(*names: str) -> SaveOnlyTheseNames:
    return SaveOnlyTheseNames(frozenset(names))


def save_any_names_but_these(*names: str) -> SaveAnyNamesButThese:
    return SaveAnyNamesButThese(frozenset(names))


dots_saveable = DotsSaveable(False)
dots_with_no_batch_dims_saveable = DotsSaveable(True)

checkpoint_policies = types.SimpleNamespace(
    everything_saveable=everything_saveable,
    nothing_saveable=nothing_saveable,
    dots_saveable=dots_saveable,
    checkpoint_dots=dots_saveable,
    dots_with_no_batch_dims_saveable=dots_with_no_batch_dims_saveable,
    checkpoint_dots_with_no_batch_dims=dots_with_no_batch_dims_saveable,
    save_only_these_names=save_only_these_names,
    save_any_names_but_these=save_any_names_but_these,
    save_from_both_policies=SaveFromBothPolicies,
)
"""The policies, as ``jax.checkpoint_policies`` has them."""


@attrs.frozen
class _Saving:
    """A policy as partial evaluation asks it (None: nothing saveable), its answers checked."""

    policy: Callable | None

    def __call__(self, prim: Primitive, *avals: ShapedArray, **params: Any) -> bool:
        if self.policy is None:
            return False
        saved = self.policy(prim, *avals, **params)
        if not isinstance(saved, (bool, np.bool_)):
            raise TypeError(
                f"checkpoint policy {self.policy!r} returned {saved!r} for primitive '{prim}' "
                f"on {', '.join(a.str_short() for a in avals) or 'no operands'}: a policy "
                "must return True (keep the outputs for the backward pass) or False "
                "(recompute them)")
        return bool(saved)


# ---------------------------------------------------------------- the remat2 primitive


def _remat_impl(*args: Any, jaxpr: ClosedJaxpr, **params: Any) -> list:
    outs = run_in(None, eval_jaxpr_freeing, jaxpr.jaxpr, jaxpr.consts, *args)
    return [x._value if type(x) is Array else x for x in outs]


def _remat_shape(*avals: Any, jaxpr: ClosedJaxpr, **params: Any) -> list:
    return list(jaxpr.out_avals)


def _remat_typecheck(*avals: Any, jaxpr: ClosedJaxpr, prevent_cse: bool, differentiated: bool,
                     policy: Callable | None) -> list:
    if type(prevent_cse) is not bool or type(differentiated) is not bool:
        raise ShapeError(f"remat2: prevent_cse and differentiated must be bools, got "
                         f"{prevent_cse!r} and {differentiated!r}")
    if policy is not None and not callable(policy):
        raise ShapeError(f"remat2: policy must be None or callable, got {policy!r}")
    return call_typecheck("remat2", avals, jaxpr)


def _remat_linearize(primals: Sequence[Any], tangents: Sequence[Any], *, jaxpr: ClosedJaxpr,
                     prevent_cse: bool, differentiated: bool, policy: Callable | None):
    """Primal outputs now (with the residuals the policy allows), tangents as a staged
    ``remat2`` call that recomputes the rest; see the module docstring."""
    nonzeros = tuple(type(t) is not Zero for t in tangents)
    jvp_closed, out_nonzeros = jvp_jaxpr(jaxpr, nonzeros)
    n_out, n_tangents_out = len(jaxpr.jaxpr.outvars), sum(out_nonzeros)
    known, staged, _, _ = partial_eval_jaxpr_remat(
        jvp_closed, (False,) * len(primals) + (True,) * sum(nonzeros), _Saving(policy),
        (False,) * n_out + (True,) * n_tangents_out)
    outs = eval_jaxpr_freeing(known.jaxpr, known.consts, *primals)  # (bound in the parent)
    tangents_out = iter(remat_p.bind(
        *outs[n_out:], *[t for t in tangents if type(t) is not Zero], jaxpr=staged,
        prevent_cse=prevent_cse, differentiated=True, policy=policy) if n_tangents_out else ())
    return outs[:n_out], [next(tangents_out) if nz else Zero(tangent_aval(a))
                          for nz, a in zip(out_nonzeros, jaxpr.out_avals)]


def _remat_jvp(primals: Sequence[Any], tangents: Sequence[Any], outs: Sequence[Any],
               **params: Any) -> list:
    return _remat_linearize(primals, tangents, **params)[1]


def _remat_partial_eval(eqn: Eqn, unknowns: Sequence[bool]):
    if not any(unknowns):
        return eqn, None, [False] * len(eqn.outputs), []
    if eqn.params["differentiated"]:  # the staged part of a split: its known work is the
        return stage_if_unknown(eqn, unknowns)  # recomputation the policy chose, kept whole
    split = partial_eval_jaxpr_remat(eqn.params["jaxpr"], tuple(unknowns),
                                     _Saving(eqn.params["policy"]))
    return split_call(eqn, unknowns, *split, differentiated=True)


def _remat_transpose(cts: Sequence[Any], *operands: Any, **params: Any) -> list:
    return call_transpose(remat_p, cts, operands, params)


def _remat_batch(args: Sequence[Any], dims: Sequence[int | None], **params: Any):
    return call_batch(remat_p, args, dims, params)


remat_p = Primitive(
    "remat2",
    impl=_remat_impl,
    abstract_eval=_remat_shape,
    jvp=_remat_jvp,
    linearize=_remat_linearize,
    transpose=_remat_transpose,
    batch=_remat_batch,
    typecheck=_remat_typecheck,
    partial_eval=_remat_partial_eval,
    dce=call_dce,
)


# ---------------------------------------------------------------- checkpoint


def checkpoint(fun: Callable, *, prevent_cse: bool | Sequence[bool] = True,
               policy: Callable[..., bool] | None = None,
               static_argnums: int | tuple[int, ...] = (),
               static_argnames: str | Sequence[str] = ()) -> Callable:
    """``fun``, differentiated by recomputing its intermediate values in the backward pass.

    Reverse-mode derivatives (``grad``, ``vjp``) of the returned function keep, from its
    forward pass, only its inputs and the values ``policy`` saves (default: none), and
    recompute the rest when the backward pass reaches it: memory for compute. Values and
    derivatives are unchanged. Checkpointed functions nest (groups of checkpointed layers).

    Args:
      policy: ``policy(prim, *in_avals, **params) -> bool``, whether the outputs of an
        operation may be kept; see ``jaxlite.checkpoint_policies``.
      prevent_cse: kept as JAX keeps it; under ``jit`` jaxlite never merges the
        recomputation with the forward pass, whatever its value (a sequence of flags
        counts as True if any is).
      static_argnums: positions of arguments passed as they are, not traced (so Python
        control flow may depend on them); they need not be hashable.
      static_argnames: likewise, keyword arguments by name.

    As in JAX, ``fun`` is traced at the avals of its arguments: Python control flow on
    the values of traced arguments raises a ConcretizationError (use ``static_argnums``).
    Its trace is kept for the next call with the same signature unless it captured an array
    (read anew at every call): Python values it reads from outside count when it is traced.

    >>> layer = jaxlite.checkpoint(lambda x, w: x + jnp.tanh(x @ w))
    >>> jaxlite.grad(lambda x: layer(layer(x, w1), w2).sum())(x)
    """
    if not callable(fun):
        raise TypeError(f"checkpoint: expected a callable function, got {fun!r}")
    static = _check_static_argnums(static_argnums)
    names_static = (static_argnames,) if isinstance(static_argnames, str) else tuple(
        static_argnames)
    _check_policy(policy)
    if not isinstance(prevent_cse, bool):
        try:
            prevent_cse = any(bool(p) for p in prevent_cse)
        except TypeError:
            raise TypeError("checkpoint: prevent_cse must be a bool or a sequence of bools, "
                            f"got {prevent_cse!r}") from None
    name = getattr(fun, "__name__", type(fun).__name__)

    def checkpointed(*args: Any, **kwargs: Any) -> Any:
        call = _flat_call(fun, static, names_static, args, kwargs)
        avals = tuple(aval_of(x) for x in call.leaves)
        key = None if call.static_key is None else (call.in_tree, avals, call.static_key)
        traces = _traces_of(fun) if key is not None else None
        known = traces.get(key) if traces is not None else None
        if known is not None:
            hoisted, out_tree, consts = *known, []
        else:
            with new_trace(f"checkpoint({name})") as trace:
                trace.debug = DebugInfo(name, _definition_site(fun), "checkpoint", call.names)
                jaxpr, consts = trace.finish(call.fun(*[trace.new_arg(a) for a in avals]))
            # captured values become leading operands, as JAX hoists them: the jaxpr holds none
            hoisted = ClosedJaxpr(Jaxpr((), jaxpr.constvars + jaxpr.invars, jaxpr.eqns,
                                        jaxpr.outvars), ())
            out_tree = call.out_tree[0]
            if traces is not None and not consts:  # (arrays it closes over are read anew)
                _remember(traces, key, (hoisted, out_tree))
        outs = remat_p.bind(*consts, *call.leaves, jaxpr=hoisted, prevent_cse=prevent_cse,
                            differentiated=False, policy=policy)
        return tree_unflatten(out_tree, outs)

    for attr in ("__name__", "__qualname__", "__module__", "__doc__"):
        value = getattr(fun, attr, None)
        if isinstance(value, str):
            setattr(checkpointed, attr, value)
    checkpointed.__wrapped__ = fun  # type: ignore[attr-defined]
    return checkpointed


remat = checkpoint
"""Alias of ``checkpoint``, as in JAX."""


def _check_static_argnums(static_argnums: Any) -> tuple[int, ...]:
    nums = (static_argnums,) if isinstance(static_argnums, int) else static_argnums
    if not (isinstance(nums, tuple) and all(isinstance(i, int) for i in nums)):
        raise TypeError("the `static_argnums` argument to `jaxlite.checkpoint` / `jaxlite.remat` "
                        f"must be an int or a tuple of ints, but got value {static_argnums!r}")
    return nums


def _check_policy(policy: Any) -> None:
    if policy is None:
        return
    if not callable(policy):
        raise TypeError(
            f"checkpoint: policy must be None or a callable policy(prim, *avals, **params) -> "
            f"bool, such as jaxlite.checkpoint_policies.dots_saveable; got {policy!r}")
    try:
        hash(policy)
    except TypeError:
        raise TypeError(f"checkpoint: policy {policy!r} must be hashable (it is kept in the "
                        "params of an equation); use a function or a frozen class") from None


@attrs.frozen
class _Call:
    """One call of a checkpointed function: ``fun`` on the flat leaves of its non-static
    arguments, those leaves, their structure, a box for the output structure, a function
    naming each leaf (for messages), and the static arguments as a key (None: unhashable)."""

    fun: Callable
    leaves: list
    in_tree: Any
    out_tree: list
    names: Callable[[], list[str]]
    static_key: Any


def _flat_call(fun: Callable, static: tuple[int, ...], static_names: tuple[str, ...],
               args: tuple, kwargs: dict) -> _Call:
    n = len(args)
    for i in static:
        if not -n <= i < n:
            raise ArgnumsError(
                "the `static_argnums` argument to `jaxlite.checkpoint` / `jaxlite.remat` can "
                "only take integer values greater than or equal to `-len(args)` and less than "
                f"`len(args)`, but got {static}, while `len(args)` = {n}")
    positions = {i % n for i in static}
    dynamic = tuple(a for i, a in enumerate(args) if i not in positions)
    static_kwargs = {k: v for k, v in kwargs.items() if k in static_names}
    kwargs = {k: v for k, v in kwargs.items() if k not in static_names}
    leaves, in_tree = tree_flatten((dynamic, kwargs))
    out_tree: list = []

    def flat_fun(*flat: Any) -> list:
        dyn, kw = tree_unflatten(in_tree, flat)
        it = iter(dyn)
        outs, treedef = tree_flatten(fun(*[args[i] if i in positions else next(it)
                                           for i in range(n)], **kw, **static_kwargs))
        out_tree[:] = [treedef]
        return outs

    def names() -> list[str]:
        return leaf_names(fun, [a for i, a in enumerate(args) if i not in positions], kwargs,
                          [i for i in range(n) if i not in positions])

    return _Call(flat_fun, leaves, in_tree, out_tree, names,
                 _static_key([(i, args[i]) for i in sorted(positions)], static_kwargs))


def _static_key(positional: list, keywords: dict) -> Any:
    key = (tuple((i, type(v), v) for i, v in positional),
           tuple((k, type(v), v) for k, v in sorted(keywords.items())))
    try:
        hash(key)
    except TypeError:
        return None  # (then traced at every call)
    return key


# The traces of checkpointed functions that capture no array (of one or more dimensions) nor
# tracer, by function (held weakly) and signature, as JAX keeps them: a function traced once
# is differentiated at the cost of its derivative, its jaxprs' transformations found again in
# their caches. Python scalars (and 0-d arrays) it reads from outside are read when it is
# traced, as under ``jit``; arrays are read at every call (JAX would keep them too).
_traces: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
MAX_FUNCTIONS = 4096
"""How many functions' traces are kept at once (beyond that, the oldest go)."""
MAX_SIGNATURES = 64
"""How many signatures of one function are kept traced (beyond that, the oldest go)."""


def _traces_of(fun: Callable) -> dict | None:
    """The traces of ``fun`` by signature (None if ``fun`` cannot be held weakly)."""
    try:
        traces = _traces.get(fun)
        if traces is None:
            if len(_traces) >= MAX_FUNCTIONS:
                _traces.pop(next(iter(_traces.keys())), None)
            traces = _traces[fun] = {}
    except TypeError:
        return None
    return traces


def _remember(traces: dict, key: Any, entry: tuple) -> None:
    if len(traces) >= MAX_SIGNATURES:
        traces.pop(next(iter(traces)))
    traces[key] = entry


def leaf_names(fun: Callable, args: Sequence[Any], kwargs: dict,
               positions: Sequence[int] | None = None) -> list[str]:
    """A name for each leaf of ``(args, kwargs)``: its parameter's name (``x``, ``x[1]`` for
    the leaves of a pytree argument), for messages about where values come from."""
    try:
        params = [p.name for p in inspect.signature(fun).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    positions = range(len(args)) if positions is None else positions
    names = []
    for i, arg in zip(positions, args):
        base = params[i] if i < len(params) else f"args[{i}]"
        count = len(tree_flatten(arg)[0])
        names += [base] if count == 1 else [f"{base}[{j}]" for j in range(count)]
    for key in sorted(kwargs):
        count = len(tree_flatten(kwargs[key])[0])
        names += [key] if count == 1 else [f"{key}[{j}]" for j in range(count)]
    return names


def _definition_site(fun: Callable) -> str:
    code = getattr(inspect.unwrap(fun), "__code__", None)
    return "<unknown>" if code is None else f"{code.co_filename}:{code.co_firstlineno}"
