"""User-defined derivative rules: ``custom_jvp`` and ``custom_vjp``.

Calling a decorated function hands the function and its rules (as flat-list functions)
to the current trace (``bind_custom_jvp``/``bind_custom_vjp``), and each trace does
what JAX's does:

* no trace: the function runs;
* linearize (``grad``, ``jvp``, ``vjp``, ...): the ``custom_jvp`` rule runs instead of the
  function, once; for ``custom_vjp``, ``fwd`` runs and ``bwd`` is called once when the
  linear part is transposed (forward mode raises, as in JAX);
* vmap: the function and its rules are batched as functions and handed on;
* a recording trace (``make_jaxpr``): the function is traced into the params of a
  ``custom_jvp_call``/``custom_vjp_call`` equation, with the rules kept by identity.
  Binding such an equation again (replaying the jaxpr) goes through the same protocol.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import attrs

from ..core.array import Array
from ..core.avals import ShapedArray
from ..core.dtypes import is_inexact
from ..core.ir import ClosedJaxpr
from ..core.primitive import Primitive, Zero
from ..core.trace import aval_of, bind_custom_jvp, bind_custom_vjp, run_in, trace_of
from ..core.tree_util import PyTreeDef, tree_flatten, tree_map, tree_unflatten
from ..core.typecheck import typecheck
from ..interpreters.evaluate import eval_jaxpr, literal_to_array
from ..interpreters.linearize import tangent_aval
from ..interpreters.transpose import backward_pass
from .elementwise import stop_gradient
from .structural import instantiate, zeros


@attrs.frozen
class SymbolicZero:
    """A zero tangent or cotangent handed to a rule defined with ``symbolic_zeros=True``."""

    aval: ShapedArray

    @property
    def shape(self) -> tuple[int, ...]:
        return self.aval.shape

    @property
    def dtype(self) -> Any:
        return self.aval.dtype

    @staticmethod
    def from_primal_value(x: Any) -> SymbolicZero:
        return SymbolicZero(tangent_aval(aval_of(x)))


@attrs.frozen
class CustomVJPPrimal:
    """A primal input handed to a ``fwd`` defined with ``symbolic_zeros=True``: its value,
    and whether it is being differentiated."""

    value: Any
    perturbed: bool


def _split_static(args: tuple, nondiff_argnums: tuple[int, ...]) -> tuple[tuple, list]:
    static = tuple(args[i] for i in nondiff_argnums)
    dynamic = [a for i, a in enumerate(args) if i not in nondiff_argnums]
    return static, dynamic


def _merge_static(static: tuple, dynamic: Sequence[Any], nondiff_argnums: tuple[int, ...]):
    it_static, it_dynamic = iter(static), iter(dynamic)
    total = len(static) + len(dynamic)
    return tuple(next(it_static) if i in nondiff_argnums else next(it_dynamic) for i in range(total))


@attrs.define
class _Call:
    """One call of a decorated function: its static (nondiff) arguments, the structure of
    the others, and the structure of the output (filled by whichever of the function and
    its rules runs first)."""

    static: tuple
    in_tree: PyTreeDef
    nondiff_argnums: tuple[int, ...]
    out_tree: PyTreeDef | None = None
    out_avals: list = attrs.Factory(list)  # (set by custom_vjp's fwd: the outputs' avals
    in_avals: list = attrs.Factory(list)   # and the differentiable arguments' avals)

    def args(self, leaves: Sequence[Any]) -> tuple:
        return _merge_static(self.static, tree_unflatten(self.in_tree, list(leaves)),
                             self.nondiff_argnums)

    def flatten_out(self, out: Any, what: str) -> list:
        leaves, tree = tree_flatten(out)
        if self.out_tree is not None and tree != self.out_tree:
            raise TypeError(f"{what} returned an output of structure {tree}, but the function "
                            f"returns {self.out_tree}")
        self.out_tree = tree
        return leaves

    def flat_fun(self, fun: Callable) -> Callable:
        def flat(*leaves: Any) -> list:
            return self.flatten_out(fun(*self.args(leaves)), "the function")

        flat.__name__ = getattr(fun, "__name__", "fun")
        return flat


def _custom_call_shape(*avals: Any, call_jaxpr: ClosedJaxpr, **params: Any) -> list:
    return list(call_jaxpr.out_avals)


def _custom_call_typecheck(*avals: Any, call_jaxpr: ClosedJaxpr, **params: Any) -> list:
    typecheck(call_jaxpr)
    return list(call_jaxpr.out_avals)


def _call_impl(*args: Any, call_jaxpr: ClosedJaxpr, **params: Any) -> list:
    outs = run_in(None, eval_jaxpr, call_jaxpr.jaxpr, call_jaxpr.consts, *args)
    return [x._value if type(x) is Array else x for x in outs]


def _jaxpr_fun(call_jaxpr: ClosedJaxpr, name: str) -> Callable:
    def fun(*args: Any) -> list:
        return eval_jaxpr(call_jaxpr.jaxpr, call_jaxpr.consts, *args)

    fun.__name__ = name
    return fun


def _check_closure_tangents(tangents: Sequence[Any], num_consts: int, kind: str) -> None:
    """The rules see only the explicit arguments: a closed-over value must not be differentiated."""
    if any(type(t) is not Zero for t in tangents[:num_consts]):
        raise TypeError(
            f"a {kind} function closed over a value that is being differentiated; pass that "
            "value as an explicit argument so that the custom rule sees its derivative")


# ---------------------------------------------------------------- custom_jvp_call
# out = call_jaxpr(*args); d out = the user's rule (primals, tangents)[1]


class CustomJVPCallPrimitive(Primitive):
    """Binding replays the call through the trace protocol: the function is the jaxpr,
    the rule drops the hoisted consts (never differentiated)."""

    __slots__ = ()

    def bind(self, *args: Any, name: str, call_jaxpr: ClosedJaxpr, jvp: Callable,
             num_consts: int, symbolic_zeros: bool) -> list:
        def rule(primals: Sequence[Any], tangents: Sequence[Any]) -> tuple:
            _check_closure_tangents(tangents, num_consts, "custom_jvp")
            return jvp(primals[num_consts:], tangents[num_consts:])

        return bind_custom_jvp(self, _jaxpr_fun(call_jaxpr, name), rule,
                               [literal_to_array(x) for x in args], symbolic_zeros=symbolic_zeros)

    def bind1(self, *args: Any, **params: Any) -> Any:
        return self.bind(*args, **params)[0]


# a custom_jvp function that is linear transposes as its body does (linear_transpose of it)
def _custom_jvp_call_transpose(cts: list, *args: Any, call_jaxpr: ClosedJaxpr, **params: Any):
    return backward_pass(call_jaxpr.jaxpr, call_jaxpr.consts, args, cts)


custom_jvp_call_p = CustomJVPCallPrimitive(
    "custom_jvp_call",
    impl=_call_impl,
    abstract_eval=_custom_call_shape,
    transpose=_custom_jvp_call_transpose,
    typecheck=_custom_call_typecheck,
)


class custom_jvp:  # noqa: N801 - JAX's name
    """A function with a user-defined JVP rule.

    >>> @custom_jvp
    ... def f(x): return jnp.sin(x)
    >>> @f.defjvp
    ... def f_jvp(primals, tangents): return f(*primals), jnp.cos(primals[0]) * tangents[0]

    Under ``grad``/``jvp`` the rule runs in place of the function, once per call. With
    ``symbolic_zeros=True`` the rule receives ``SymbolicZero`` for tangents known to be zero.
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

        jvp.__name__ = f"{self.__name__}_jvp"
        self.defjvp(jvp)

    def __call__(self, *args: Any) -> Any:
        if self.jvp_rule is None:
            raise AttributeError(f"No JVP defined for custom_jvp function {self.__name__} "
                                 "using defjvp.")
        static, dynamic = _split_static(args, self.nondiff_argnums)
        static = tree_map(_stop_gradient_traced, static)  # (as JAX: no derivative flows there)
        leaves, in_tree = tree_flatten(tuple(dynamic))
        call = _Call(static, in_tree, self.nondiff_argnums)
        outs = bind_custom_jvp(custom_jvp_call_p, call.flat_fun(self.fun), self._flat_rule(call),
                               leaves, symbolic_zeros=self.symbolic_zeros)
        return tree_unflatten(call.out_tree, outs)

    def _flat_rule(self, call: _Call) -> Callable:
        def rule(primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[list, list]:
            if self.symbolic_zeros:  # (with the primal's aval, weak type included, as in JAX)
                tangents = [SymbolicZero(aval_of(p)) if type(t) is Zero else t
                            for p, t in zip(primals, tangents)]
            else:
                tangents = [instantiate(t) for t in tangents]
            p = tree_unflatten(call.in_tree, list(primals))
            t = tree_unflatten(call.in_tree, list(tangents))
            result = self.jvp_rule(*call.static, p, t)
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise TypeError(f"custom_jvp rule of {self.__name__} must return a pair "
                                f"(primal_out, tangent_out); got {type(result).__name__}")
            primal_out, tangent_out = result
            outs = call.flatten_out(primal_out, f"custom_jvp rule of {self.__name__}")
            leaves = tree_flatten(tangent_out, is_leaf=lambda x: x is None)[0]
            if len(leaves) != len(outs):
                raise TypeError(f"custom_jvp rule of {self.__name__} must return a tangent with "
                                f"the structure of the primal output {call.out_tree}")
            tangents_out = []
            for t, o in zip(leaves, outs):
                aval = tangent_aval(aval_of(o))
                if t is None or type(t) is SymbolicZero:
                    tangents_out.append(Zero(aval))
                else:
                    _check_rule_tangent(self.__name__, aval, t)
                    tangents_out.append(t)
            return outs, tangents_out

        rule.__name__ = getattr(self.jvp_rule, "__name__", "jvp")
        return rule


def _stop_gradient_traced(x: Any) -> Any:
    return stop_gradient(x) if trace_of(x) is not None else x


def _check_rule_tangent(name: str, primal: Any, tangent: Any) -> None:
    """A tangent must have its primal's shape, and (unless weakly typed) its float dtype."""
    t = aval_of(tangent)
    wrong_dtype = is_inexact(primal.dtype) and not t.weak_type and t.dtype != primal.dtype
    if t.shape != primal.shape or wrong_dtype:
        raise TypeError(f"custom_jvp rule of {name} returned a tangent of type {t} for a primal "
                        f"output of type {primal}; a tangent must have its primal's shape and "
                        "dtype")


def _check_bwd_cotangent(name: str, i: int, primal: ShapedArray, ct: Any) -> None:
    """A cotangent from ``bwd`` must have its argument's shape, as in JAX (a dtype that
    differs is cast to the argument's, as every gradient is)."""
    c = aval_of(ct)
    if c.shape != primal.shape:
        raise ValueError(
            f"Custom VJP bwd rule of {name} must produce an output with the same type as the "
            f"args tuple of the primal function, but at output[{i}] the bwd rule produced an "
            f"output of shape/dtype {c.str_short()} corresponding to an input of shape/dtype "
            f"{primal.str_short()}")


# ---------------------------------------------------------------- custom_vjp_call
# out = call_jaxpr(*args); d out = custom_lin(residuals, d args), whose transpose is bwd


class CustomVJPCallPrimitive(Primitive):
    """Binding replays the call through the trace protocol, as for custom_jvp_call."""

    __slots__ = ()

    def bind(self, *args: Any, name: str, call_jaxpr: ClosedJaxpr, fwd: Callable,
             bwd: Callable, num_consts: int, symbolic_zeros: bool) -> list:
        def fwd_args(perturbed: Sequence[bool], *xs: Any) -> tuple:
            return fwd(perturbed[num_consts:], *xs[num_consts:])

        def bwd_args(residuals: Sequence[Any], cts: Sequence[Any]) -> list:
            return [None] * num_consts + list(bwd(residuals, cts))

        return bind_custom_vjp(self, _jaxpr_fun(call_jaxpr, name), fwd_args, bwd_args,
                               [literal_to_array(x) for x in args], symbolic_zeros=symbolic_zeros)

    def bind1(self, *args: Any, **params: Any) -> Any:
        return self.bind(*args, **params)[0]


custom_vjp_call_p = CustomVJPCallPrimitive(
    "custom_vjp_call",
    impl=_call_impl,
    abstract_eval=_custom_call_shape,
    typecheck=_custom_call_typecheck,
)


class custom_vjp:  # noqa: N801 - JAX's name
    """A function with a user-defined VJP: ``f.defvjp(fwd, bwd)``.

    ``fwd(*args) -> (out, residuals)`` and ``bwd(residuals, ct_out) -> tuple of ct per arg``
    (with ``nondiff_argnums``, ``bwd(*nondiff_args, residuals, ct_out)``). Under ``grad``,
    ``fwd`` runs once and ``bwd`` once; the function itself does not run. With
    ``symbolic_zeros=True``, ``fwd`` receives ``CustomVJPPrimal`` arguments and ``bwd``
    ``SymbolicZero`` for cotangents known to be zero.
    """

    def __init__(self, fun: Callable, nondiff_argnums: Sequence[int] = ()) -> None:
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.fwd: Callable | None = None
        self.bwd: Callable | None = None
        self.symbolic_zeros = False
        functools.update_wrapper(self, fun)

    def defvjp(self, fwd: Callable, bwd: Callable, symbolic_zeros: bool = False) -> None:
        self.fwd, self.bwd, self.symbolic_zeros = fwd, bwd, symbolic_zeros

    def __call__(self, *args: Any) -> Any:
        if self.fwd is None:
            raise AttributeError(f"No VJP defined for custom_vjp function {self.__name__} "
                                 "using defvjp.")
        static, dynamic = _split_static(args, self.nondiff_argnums)
        leaves, in_tree = tree_flatten(tuple(dynamic))
        call = _Call(static, in_tree, self.nondiff_argnums)
        res_tree: list[PyTreeDef] = []  # filled when fwd runs: bwd unflattens residuals with it
        outs = bind_custom_vjp(custom_vjp_call_p, call.flat_fun(self.fun),
                               self._flat_fwd(call, res_tree), self._flat_bwd(call, res_tree),
                               leaves, symbolic_zeros=self.symbolic_zeros)
        return tree_unflatten(call.out_tree, outs)

    def _flat_fwd(self, call: _Call, res_tree: list) -> Callable:
        def fwd(perturbed: Sequence[bool], *leaves: Any) -> tuple[list, list]:
            call.in_avals = [aval_of(x) for x in leaves]
            if self.symbolic_zeros:
                leaves = [CustomVJPPrimal(x, p) for x, p in zip(leaves, perturbed)]
            result = self.fwd(*call.args(leaves))
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise TypeError(f"custom_vjp fwd of {self.__name__} must return a pair "
                                "(output, residuals)")
            out, residuals = result
            outs = call.flatten_out(out, f"custom_vjp fwd of {self.__name__}")
            call.out_avals = [aval_of(o) for o in outs]
            res_leaves, treedef = tree_flatten(residuals)
            res_tree[:] = [treedef]
            return outs, res_leaves

        fwd.__name__ = getattr(self.fwd, "__name__", "fwd")
        return fwd

    def _flat_bwd(self, call: _Call, res_tree: list) -> Callable:
        def bwd(residuals: Sequence[Any], cts: Sequence[Any]) -> list:
            if self.symbolic_zeros:  # (with the output's aval, weak type included, as in JAX)
                cts = [SymbolicZero(a) if type(c) is Zero else c
                       for c, a in zip(cts, call.out_avals)]
            else:
                cts = [instantiate(c) for c in cts]
            res = tree_unflatten(res_tree[0], list(residuals))
            ct = tree_unflatten(call.out_tree, list(cts))
            cts_in = self.bwd(*call.static, res, ct)
            if not isinstance(cts_in, (tuple, list)):
                raise TypeError(f"custom_vjp bwd of {self.__name__} must return a tuple with "
                                "one cotangent per (differentiable) argument")
            leaves = tree_flatten(tuple(cts_in), is_leaf=lambda x: x is None)[0]
            if len(leaves) != call.in_tree.num_leaves:
                raise TypeError(f"custom_vjp bwd of {self.__name__} returned {len(leaves)} "
                                f"cotangent leaves; the arguments have {call.in_tree.num_leaves}")
            leaves = [None if x is None or type(x) is SymbolicZero else x for x in leaves]
            for i, (ct, aval) in enumerate(zip(leaves, call.in_avals)):
                if ct is not None:
                    _check_bwd_cotangent(self.__name__, i, aval, ct)
            return leaves

        bwd.__name__ = getattr(self.bwd, "__name__", "bwd")
        return bwd
