"""User-defined derivative rules: ``custom_jvp`` and ``custom_vjp``.

Calling a decorated function under a trace binds a higher-order primitive whose params
hold the function's jaxpr and the user's rules:

* ``custom_jvp_call[call_jaxpr, jvp]``: evaluates ``call_jaxpr``; its jvp rule runs the
  user's rule (so its tangent ops land wherever the jvp interpreter sends them).
* ``custom_vjp_call[call_jaxpr, fwd, bwd]``: evaluates ``call_jaxpr``; its jvp rule runs
  ``fwd`` for the residuals and emits ``custom_lin``, a primitive linear in the tangents
  whose transpose rule is ``bwd``. So ``grad`` (jvp, partial eval, transpose) uses the
  user's backward pass, and forward mode raises as in JAX.

Both batch by batching their jaxpr and wrapping their rules in ``vmap``.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import attrs

from ..core.ir import ClosedJaxpr, Jaxpr
from ..core.array import Array
from ..core.primitive import NOT_LINEAR, NOT_MAPPED, Primitive, Zero
from ..core.trace import aval_of, current_trace, eager, new_trace
from ..core.dtypes import is_inexact
from ..core.tree_util import PyTreeDef, tree_flatten, tree_map, tree_unflatten
from ..interpreters.batching import batch_jaxpr
from ..interpreters.evaluate import eval_jaxpr, literal_to_array
from ..interpreters.jvp import tangent_aval
from ..interpreters.transforms import vmap
from ..interpreters.vmap_util import unbatched_aval
from .structural import bdim_to, instantiate, reduce_sum, zeros


def _trace_closed(fun: Callable, avals: Sequence[Any], label: str) -> tuple[ClosedJaxpr, list, PyTreeDef]:
    """Trace ``fun`` at ``avals``; its constvars become leading invars, whose values are returned.

    Hoisting keeps the jaxpr in the params free of values: whatever it closed over (tracers
    of outer traces included) is passed to the primitive as explicit operands.
    """
    out_tree: list[PyTreeDef] = []

    def flat(*xs: Any) -> list:
        leaves, treedef = tree_flatten(fun(*xs))
        out_tree.append(treedef)
        return leaves

    with new_trace(label) as trace:
        tracers = [trace.new_arg(a) for a in avals]
        jaxpr, consts = trace.finish(flat(*tracers))
    hoisted = Jaxpr((), jaxpr.constvars + jaxpr.invars, jaxpr.eqns, jaxpr.outvars)
    return ClosedJaxpr(hoisted, ()), consts, out_tree[0]


def _split_static(args: tuple, nondiff_argnums: tuple[int, ...]) -> tuple[tuple, list]:
    static = tuple(args[i] for i in nondiff_argnums)
    dynamic = [a for i, a in enumerate(args) if i not in nondiff_argnums]
    return static, dynamic


def _merge_static(static: tuple, dynamic: Sequence[Any], nondiff_argnums: tuple[int, ...]):
    it_static, it_dynamic = iter(static), iter(dynamic)
    total = len(static) + len(dynamic)
    return tuple(next(it_static) if i in nondiff_argnums else next(it_dynamic) for i in range(total))


@attrs.frozen
class _UserCall:
    """A call of a custom-rule function under a trace: its arguments split into the static
    (nondiff) ones and flat leaves, and the function traced at the leaves' avals."""

    static: tuple
    leaves: list
    in_tree: PyTreeDef
    jaxpr: ClosedJaxpr
    consts: list
    out_tree: PyTreeDef

    @classmethod
    def trace(cls, fun: Callable, args: tuple, nondiff_argnums: tuple[int, ...],
              label: str) -> _UserCall:
        static, dynamic = _split_static(args, nondiff_argnums)
        leaves, in_tree = tree_flatten(tuple(dynamic))

        def rebuilt(*xs: Any) -> Any:
            return fun(*_merge_static(static, tree_unflatten(in_tree, xs), nondiff_argnums))

        jaxpr, consts, out_tree = _trace_closed(rebuilt, [aval_of(x) for x in leaves], label)
        return cls(static, leaves, in_tree, jaxpr, consts, out_tree)


def _call_impl(*args: Any, call_jaxpr: ClosedJaxpr, **params: Any) -> list:
    with eager():  # an impl computes values, even while a concrete trace records the call
        outs = eval_jaxpr(call_jaxpr.jaxpr, (), *args)
    return [x._value if type(x) is Array else x for x in outs]


def _call_shape(*avals: Any, call_jaxpr: ClosedJaxpr, **params: Any) -> list:
    return list(call_jaxpr.out_avals)


def _batch_call(prim: Primitive, args, dims, *, call_jaxpr: ClosedJaxpr, num_consts: int,
                **params):
    """Batch the jaxpr (all outputs at axis 0) and wrap the rules in vmap."""
    size = next(aval_of(x).shape[d] for x, d in zip(args, dims) if d is not NOT_MAPPED)
    args = [x if d is NOT_MAPPED else bdim_to(x, d, 0, size) for x, d in zip(args, dims)]
    in_dims = [NOT_MAPPED if d is NOT_MAPPED else 0 for d in dims]
    jaxpr, consts, out_dims = batch_jaxpr(call_jaxpr.jaxpr, in_dims, size)

    def batched_at_zero(*xs: Any) -> list:
        outs = eval_jaxpr(jaxpr, consts, *xs)
        return [bdim_to(x, d, 0, size) if d != 0 else x for x, d in zip(outs, out_dims)]

    batched_jaxpr, extra, _ = _trace_closed(batched_at_zero, jaxpr.in_avals, "custom rule batching")
    rule_dims = in_dims[num_consts:]
    rules = {k: v.batched(rule_dims, size) for k, v in params.items() if isinstance(v, BatchableRule)}
    outs = prim.bind(*extra, *args, call_jaxpr=batched_jaxpr, num_consts=num_consts + len(extra),
                     **{**params, **rules})
    return outs, [0] * len(outs)


@attrs.frozen(eq=False)
class BatchableRule:
    """A user rule on flat lists, with how to batch it; hashable by identity."""

    fn: Callable
    batch: Callable[[Callable, list, int], Callable]

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)

    def batched(self, in_dims: list, size: int) -> BatchableRule:
        return BatchableRule(self.batch(self.fn, in_dims, size), self.batch)

    @property
    def __name__(self) -> str:
        return getattr(self.fn, "__name__", "rule")


# ---------------------------------------------------------------- custom_jvp_call
# out = call_jaxpr(*args); d out = jvp(primals, tangents)[1]


def _check_closure_tangents(tangents: list, num_consts: int, kind: str) -> None:
    """The rules see only the explicit arguments: a closed-over value must not be differentiated."""
    if any(type(t) is not Zero for t in tangents[:num_consts]):
        raise TypeError(
            f"a {kind} function closed over a value that is being differentiated; pass that "
            "value as an explicit argument so that the custom rule sees its derivative")


def _custom_jvp_call_jvp(primals, tangents, outs, *, call_jaxpr, jvp, num_consts, symbolic_zeros):
    if all(type(t) is Zero for t in tangents):
        return [Zero(aval_of(o)) for o in outs]
    _check_closure_tangents(tangents, num_consts, "custom_jvp")
    tangents = tangents[num_consts:]
    if not symbolic_zeros:
        tangents = [instantiate(t) for t in tangents]
    tangents_out = jvp([literal_to_array(p) for p in primals[num_consts:]], tangents)
    return list(tangents_out)


def _jvp_rule_batch(fn: Callable, in_dims: list, size: int) -> Callable:
    # vmap takes arrays: symbolic zero tangents (symbolic_zeros=True) are closed over, per example
    def batched(primals: list, tangents: list) -> list:
        zero = [Zero(unbatched_aval(t.aval, d)) if type(t) is Zero else None
                for t, d in zip(tangents, in_dims)]
        nonzero = [t for t in tangents if type(t) is not Zero]

        def per_example(p: list, t: list) -> list:
            it = iter(t)
            return list(fn(p, [next(it) if z is None else z for z in zero]))

        t_dims = [d for d, z in zip(in_dims, zero) if z is None]
        return vmap(per_example, in_axes=(list(in_dims), t_dims), out_axes=0)(list(primals),
                                                                              nonzero)

    return batched


custom_jvp_call_p = Primitive(
    "custom_jvp_call",
    impl=_call_impl,
    abstract_eval=_call_shape,
    jvp=_custom_jvp_call_jvp,
    transpose=NOT_LINEAR,
    batch=lambda args, dims, **params: _batch_call(custom_jvp_call_p, args, dims, **params),
    typecheck=_call_shape,
)


class custom_jvp:  # noqa: N801 - JAX's name
    """A function with a user-defined JVP rule.

    >>> @custom_jvp
    ... def f(x): return jnp.sin(x)
    >>> @f.defjvp
    ... def f_jvp(primals, tangents): return f(*primals), jnp.cos(primals[0]) * tangents[0]
    """

    def __init__(self, fun: Callable, nondiff_argnums: Sequence[int] = ()) -> None:
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.jvp_rule: Callable | None = None
        self.symbolic_zeros = False
        functools.update_wrapper(self, fun)

    def defjvp(self, jvp: Callable, symbolic_zeros: bool = False) -> Callable:
        """Set the rule ``jvp(primals, tangents) -> (primal_out, tangent_out)``."""
        self.jvp_rule = jvp
        self.symbolic_zeros = symbolic_zeros
        return jvp

    def defjvps(self, *jvps: Callable | None) -> None:
        """Set one rule per argument, ``jvp_i(t_i, primal_out, *primals)``; their sum is the JVP."""
        if self.nondiff_argnums:
            raise TypeError("can't use defjvps with nondiff_argnums; use defjvp")

        def jvp(primals: tuple, tangents: tuple) -> tuple:
            out = self(*primals)
            total = tree_map(lambda o: zeros(tangent_aval(aval_of(o))), out)
            for rule, t in zip(jvps, tangents):
                if rule is not None:
                    total = tree_map(lambda a, b: a + b, total, rule(t, out, *primals))
            return out, total

        self.defjvp(jvp)

    def __call__(self, *args: Any) -> Any:
        if self.jvp_rule is None:
            raise AttributeError(f"No JVP defined for custom_jvp function {self.__name__} "
                                 "using defjvp.")
        if current_trace() is None:
            return self.fun(*args)
        call = _UserCall.trace(self.fun, args, self.nondiff_argnums, "custom_jvp")
        rule = BatchableRule(self._flat_rule(call.static, call.in_tree, call.out_tree),
                             _jvp_rule_batch)
        outs = custom_jvp_call_p.bind(*call.consts, *call.leaves, call_jaxpr=call.jaxpr, jvp=rule,
                                      num_consts=len(call.consts),
                                      symbolic_zeros=self.symbolic_zeros)
        return tree_unflatten(call.out_tree, outs)

    def _flat_rule(self, static: tuple, in_tree: PyTreeDef, out_tree: PyTreeDef) -> Callable:
        def rule(primals: Sequence[Any], tangents: Sequence[Any]) -> list:
            p = tree_unflatten(in_tree, list(primals))
            t = tree_unflatten(in_tree, [None if type(x) is Zero else x for x in tangents]
                               if self.symbolic_zeros else list(tangents))
            result = self.jvp_rule(*static, p, t)
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise TypeError(f"custom_jvp rule of {self.__name__} must return a pair "
                                f"(primal_out, tangent_out); got {type(result).__name__}")
            primal_out, tangent_out = result
            leaves = tree_flatten(tangent_out)[0] if tangent_out is not None else []
            avals = [aval_of(x) for x in tree_flatten(primal_out)[0]]
            if len(leaves) != len(avals):
                raise TypeError(f"custom_jvp rule of {self.__name__} must return a tangent with "
                                f"the structure of the primal output {out_tree}")
            for x, a in zip(leaves, avals):
                _check_rule_tangent(self.__name__, a, x)
            return [Zero(tangent_aval(a)) if x is None else x for x, a in zip(leaves, avals)]

        rule.__name__ = getattr(self.jvp_rule, "__name__", "jvp")
        return rule


def _check_rule_tangent(name: str, primal: Any, tangent: Any) -> None:
    """A tangent must have its primal's shape, and (unless weakly typed) its float dtype."""
    t = aval_of(tangent)
    wrong_dtype = is_inexact(primal.dtype) and not t.weak_type and t.dtype != primal.dtype
    if t.shape != primal.shape or wrong_dtype:
        raise TypeError(f"custom_jvp rule of {name} returned a tangent of type {t} for a primal "
                        f"output of type {primal}; a tangent must have its primal's shape and "
                        "dtype")


# ---------------------------------------------------------------- custom_vjp_call
# out = call_jaxpr(*args); d out = custom_lin(residuals, d args), whose transpose is bwd


def _custom_vjp_call_jvp(primals, tangents, outs, *, call_jaxpr, fwd, bwd, num_consts):
    if all(type(t) is Zero for t in tangents):
        return [Zero(aval_of(o)) for o in outs]
    _check_closure_tangents(tangents, num_consts, "custom_vjp")
    out_and_res = fwd(*[literal_to_array(p) for p in primals[num_consts:]])
    n_out = len(outs)
    residuals = out_and_res[n_out:]
    tangents = [instantiate(t) for t in tangents[num_consts:]]
    out_avals = tuple(tangent_aval(aval_of(o)) for o in outs)
    return custom_lin_p.bind(*residuals, *tangents, bwd=bwd, num_res=len(residuals),
                             out_avals=out_avals)


def _fwd_batch(fn: Callable, in_dims: list, size: int) -> Callable:
    return vmap(lambda *xs: list(fn(*xs)), in_axes=tuple(in_dims), out_axes=0)


def _bwd_batch(fn: Callable, in_dims: list, size: int) -> Callable:
    # residuals and cotangents are batched at 0; inputs that were not batched get the sum
    def batched(residuals: list, cts: list) -> list:
        out = vmap(lambda r, c: list(fn(r, c)), in_axes=0, out_axes=0)(list(residuals), list(cts))
        return [x if d is not NOT_MAPPED or type(x) is Zero else reduce_sum(x, (0,))
                for x, d in zip(out, in_dims)]

    return batched


custom_vjp_call_p = Primitive(
    "custom_vjp_call",
    impl=_call_impl,
    abstract_eval=_call_shape,
    jvp=_custom_vjp_call_jvp,
    transpose=NOT_LINEAR,
    batch=lambda args, dims, **params: _batch_call(custom_vjp_call_p, args, dims, **params),
    typecheck=_call_shape,
)


# ---------------------------------------------------------------- custom_lin
# out = J t for the J that bwd transposes; only ever transposed, never evaluated forward


def _custom_lin_impl(*args: Any, **params: Any) -> list:
    raise TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function; "
                    "use grad/vjp, or define the function with custom_jvp instead")


def _custom_lin_transpose(cts, *args, bwd, num_res, out_avals):
    residuals = [literal_to_array(r) for r in args[:num_res]]
    cts = [zeros(a) if type(ct) is Zero else ct for ct, a in zip(cts, out_avals)]
    cts_in = bwd(list(residuals), cts)
    return [None] * num_res + list(cts_in)


custom_lin_p = Primitive(
    "custom_lin",
    impl=_custom_lin_impl,
    abstract_eval=lambda *avals, bwd, num_res, out_avals: list(out_avals),
    jvp=lambda primals, tangents, outs, **params: _custom_lin_impl(),
    transpose=_custom_lin_transpose,
    batch=lambda args, dims, **params: _custom_lin_impl(),  # jacfwd: forward mode, as jvp
)


class custom_vjp:  # noqa: N801 - JAX's name
    """A function with a user-defined VJP: ``f.defvjp(fwd, bwd)``.

    ``fwd(*args) -> (out, residuals)`` and ``bwd(residuals, ct_out) -> tuple of ct per arg``
    (with ``nondiff_argnums``, ``bwd(*nondiff_args, residuals, ct_out)``).
    """

    def __init__(self, fun: Callable, nondiff_argnums: Sequence[int] = ()) -> None:
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.fwd: Callable | None = None
        self.bwd: Callable | None = None
        functools.update_wrapper(self, fun)

    def defvjp(self, fwd: Callable, bwd: Callable) -> None:
        self.fwd, self.bwd = fwd, bwd

    def __call__(self, *args: Any) -> Any:
        if self.fwd is None:
            raise AttributeError(f"No VJP defined for custom_vjp function {self.__name__} "
                                 "using defvjp.")
        if current_trace() is None:
            return self.fun(*args)
        call = _UserCall.trace(self.fun, args, self.nondiff_argnums, "custom_vjp")
        res_tree: list[PyTreeDef] = []  # filled when fwd runs: bwd unflattens residuals with it
        fwd = BatchableRule(self._flat_fwd(call.static, call.in_tree, call.out_tree, res_tree),
                            _fwd_batch)
        bwd = BatchableRule(self._flat_bwd(call.static, call.in_tree, call.out_tree, res_tree),
                            _bwd_batch)
        outs = custom_vjp_call_p.bind(*call.consts, *call.leaves, call_jaxpr=call.jaxpr, fwd=fwd,
                                      bwd=bwd, num_consts=len(call.consts))
        return tree_unflatten(call.out_tree, outs)

    def _flat_fwd(self, static, in_tree, out_tree, res_tree) -> Callable:
        def fwd(*leaves: Any) -> list:
            result = self.fwd(*_merge_static(static, tree_unflatten(in_tree, list(leaves)),
                                             self.nondiff_argnums))
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise TypeError(f"custom_vjp fwd of {self.__name__} must return a pair "
                                "(output, residuals)")
            out, residuals = result
            out_leaves, tree = tree_flatten(out)
            if tree != out_tree:
                raise TypeError(f"custom_vjp fwd of {self.__name__} returned an output of "
                                f"structure {tree}, but the function returns {out_tree}")
            res_leaves, treedef = tree_flatten(residuals)
            res_tree[:] = [treedef]
            return out_leaves + res_leaves

        fwd.__name__ = getattr(self.fwd, "__name__", "fwd")
        return fwd

    def _flat_bwd(self, static, in_tree, out_tree, res_tree) -> Callable:
        def bwd(residuals: Sequence[Any], cts: Sequence[Any]) -> list:
            res = tree_unflatten(res_tree[0], list(residuals))
            ct = tree_unflatten(out_tree, list(cts))
            cts_in = self.bwd(*static, res, ct)
            if not isinstance(cts_in, (tuple, list)):
                raise TypeError(f"custom_vjp bwd of {self.__name__} must return a tuple with "
                                "one cotangent per (differentiable) argument")
            leaves = tree_flatten(tuple(cts_in), is_leaf=lambda x: x is None)[0]
            if len(leaves) != in_tree.num_leaves:
                raise TypeError(f"custom_vjp bwd of {self.__name__} returned {len(leaves)} "
                                f"cotangent leaves; the arguments have {in_tree.num_leaves}")
            return [None if x is None else x for x in leaves]

        bwd.__name__ = getattr(self.bwd, "__name__", "bwd")
        return bwd

