"""``lax.scan``, ``lax.map``, ``lax.while_loop`` and ``lax.fori_loop``, as JAX has them.

Each traces the user's function once, at the avals of the carry (and of one slice of
``xs``), into a ClosedJaxpr, and binds one ``scan`` or ``while`` equation: the IR does not
grow with the trip count. Values the function closes over that are being traced become
the loop's consts. Carries must keep their pytree structure, shape and dtype; a carry
that starts weakly typed (a Python scalar) takes the dtype the body gives it, as in JAX.

``fori_loop`` with bounds known at trace time (Python ints, or concrete values) is a
``scan`` (so reverse-differentiable without recomputation); with traced bounds it is a
``while``. ``while_loop`` is differentiable in both modes: see ``primitives/while_loop.py``
for what reverse mode costs.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.avals import ShapedArray, is_python_scalar, shaped_array
from ..core.errors import ConcretizationError
from ..core.ir import ClosedJaxpr, Var
from ..core.jaxpr_trace import closure_convert
from ..core.refs import RefScope, load, values_of, write_back
from ..core.trace import aval_of
from ..core.tree_util import PyTreeDef, tree_flatten, tree_map, tree_unflatten
from ..interpreters.partial_eval import dce_jaxpr
from ..interpreters.transforms import vmap
from ..primitives.comparison import lt
from ..primitives.scan import rearranged, restricted, scan_p
from ..primitives.shape import concatenate
from ..primitives.structural import convert_element_type
from ..primitives.while_loop import while_p

# ---------------------------------------------------------------- carries


def _leaf_paths(tree: PyTreeDef, prefix: str = "") -> list[str]:
    """The key path of each leaf of ``tree``, as JAX's ``keystr`` writes it (``[0]['a']``)."""
    if tree.kind is None:
        return [prefix]
    if tree.kind is dict:
        keys = [f"[{k!r}]" for k in tree.aux]
    else:
        keys = [f"[{i}]" for i in range(len(tree.children))]
    return [p for key, child in zip(keys, tree.children) for p in _leaf_paths(child, prefix + key)]


def _carry_name(fun: Callable) -> str:
    try:
        return next(iter(inspect.signature(fun).parameters))
    except (StopIteration, TypeError, ValueError):
        return ""


def _long(aval: ShapedArray) -> str:
    return f"{aval.dtype.name}[{','.join(str(n) for n in aval.shape)}]"


def _mismatch(a: ShapedArray, b: ShapedArray) -> str:
    what = [w for w, differs in (("the dtypes do not match", a.dtype != b.dtype),
                                 ("the shapes do not match", a.shape != b.shape)) if differs]
    return ", so " + " and ".join(what) if what else ""


def check_carry(what: str, fun: Callable, tree: PyTreeDef, out_tree: PyTreeDef,
                in_avals: Sequence[ShapedArray], out_avals: Sequence[ShapedArray]) -> None:
    """A TypeError, in JAX's words, unless the carry output has the input's structure and
    each leaf its shape and dtype; the message names each leaf that differs."""
    name = _carry_name(fun)

    def component(path: str) -> str:
        if name:
            return f"the input carry component {name}{path}" if path else f"the input carry {name}"
        return f"the input carry at path {path}" if path else "the input carry"

    if out_tree != tree:
        raise TypeError(
            f"{what} function carry input and carry output must have the same pytree "
            f"structure, but they differ:\n\nThe input carry is {tree} but the carry output "
            f"is {out_tree}.\n\nRevise the function so that the carry output has the same "
            "pytree structure as the carry input.")
    diffs = [f"{component(p)} has type {_long(a)} but the corresponding output carry "
             f"component has type {_long(b)}{_mismatch(a, b)}"
             for p, a, b in zip(_leaf_paths(tree), in_avals, out_avals)
             if a.shape != b.shape or a.dtype != b.dtype]
    if not diffs:
        return
    if len(diffs) == 1:
        differences = diffs[0][0].upper() + diffs[0][1:] + ".\n"
    else:
        differences = "".join(f"  * {d};\n" for d in diffs[:-1]) + f"  * {diffs[-1]}.\n"
    raise TypeError(f"{what} function carry input and carry output must have equal types, but "
                    f"they differ:\n\n{differences}\nRevise the function so that all output "
                    "types match the corresponding input types.")


def _promoted(leaves: list, in_avals: Sequence[ShapedArray], out_avals: Sequence[ShapedArray]
              ) -> tuple[list, bool]:
    """Weakly typed initial carries converted to the dtype the body gives them, as JAX does;
    and whether any was."""
    changed = False
    for i, (a, b) in enumerate(zip(in_avals, out_avals)):
        if a.weak_type and a.dtype != b.dtype:
            dtype, _ = dtypes.result_type((a.dtype, True), (b.dtype, b.weak_type))
            leaves[i] = convert_element_type(leaves[i], dtype, False)
            changed = True
    return leaves, changed


def _avals(leaves: Sequence[Any]) -> list[ShapedArray]:
    return [aval_of(x) for x in leaves]


# ---------------------------------------------------------------- scan


def _scan_length(xs: Sequence[Any], length: Any) -> int:
    try:
        lengths = [aval_of(x).shape[0] for x in xs]
    except IndexError:
        scalars = ", ".join(str(x) for x in xs if not aval_of(x).shape)
        raise ValueError(f"scan got value with no leading axis to scan over: {scalars}.") from None
    if length is not None:
        try:
            length = int(length)
        except ConcretizationError as err:
            raise ConcretizationError(
                "The `length` argument to `scan` expects a concrete `int` value. For "
                "scan-like iteration with a dynamic length, use `while_loop` or `fori_loop`."
            ) from err
        if any(n != length for n in lengths):
            raise ValueError(f"scan got `length` argument of {length} which disagrees with "
                             f"leading axis sizes {lengths}.")
        return length
    if len(set(lengths)) > 1:
        raise ValueError("scan got values with different leading axis sizes: "
                         f"{', '.join(str(n) for n in lengths)}.")
    if not lengths:
        raise ValueError("scan got no values to scan over and `length` not provided.")
    return lengths[0]


def _trace_scan_body(f: Callable, carry_tree: PyTreeDef, carry_avals: list, xs_tree: PyTreeDef,
                     x_avals: list) -> tuple[ClosedJaxpr, list, list]:
    """The body as a ClosedJaxpr ``(consts, carry, x) -> (carry, y)``, its consts, and the
    pytree structures of the carry and ``y`` it returns."""
    n = len(carry_avals)
    trees: list = []

    def body(*leaves: Any) -> list:
        out = f(tree_unflatten(carry_tree, leaves[:n]), tree_unflatten(xs_tree, leaves[n:]))
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise TypeError(f"scan body output must be a pair, got {out!r}.")
        carry, carry_out_tree = tree_flatten(out[0])
        ys, ys_tree = tree_flatten(out[1])
        trees[:] = [carry_out_tree, ys_tree]
        return [*carry, *ys]

    body.__name__ = getattr(f, "__name__", "scan_body")
    closed, consts = closure_convert(body, [*carry_avals, *x_avals], "scan")
    return closed, consts, trees


def scan(f: Callable, init: Any, xs: Any = None, length: int | None = None,
         reverse: bool = False, unroll: int | bool = 1) -> tuple[Any, Any]:
    """Loop ``f : (carry, x) -> (carry, y)`` over the leading axis of ``xs``, as in JAX.

    Returns the final carry and the ``y`` of every step stacked. ``xs`` may be None (then
    ``length`` says how many steps); ``reverse`` runs from the last index down (``ys`` stay
    in index order). One ``scan`` equation, whatever the length.

    >>> scan(lambda c, x: (c + x, c), 0.0, jnp.arange(3.0))   # (3.0, [0., 0., 1.])
    """
    return _scan(f, init, xs, length, reverse, unroll, handled=())


def _scan(f: Callable, init: Any, xs: Any, length: int | None, reverse: bool,
          unroll: int | bool, handled: tuple) -> tuple[Any, Any]:
    """``scan``, the references in ``handled`` being loop carries already."""
    if not callable(f):
        raise TypeError("lax.scan: f argument should be a callable.")
    init_leaves, init_tree = tree_flatten(init)
    xs_leaves, xs_tree = tree_flatten(xs)
    length = _scan_length(xs_leaves, length)
    if isinstance(unroll, bool):
        unroll = max(length, 1) if unroll else 1
    if not isinstance(unroll, (int, np.integer)) or unroll < 0:
        raise ValueError("`unroll` must be a `bool` or a non-negative `int`.")
    x_avals = [shaped_array(a.shape[1:], a.dtype, a.weak_type) for a in _avals(xs_leaves)]
    carry_avals = _avals(init_leaves)
    with RefScope(handled) as scope:
        closed, consts, (carry_tree, ys_tree) = _trace_scan_body(f, init_tree, carry_avals,
                                                                 xs_tree, x_avals)
    if scope.written:
        return _scan_writing_refs(list(scope.written), f, init, xs, length, reverse, unroll,
                                  handled)
    n = len(init_leaves)
    out_avals = closed.out_avals[:n] if carry_tree == init_tree else []
    init_leaves, changed = _promoted(list(init_leaves), carry_avals, out_avals)
    if changed:
        carry_avals = _avals(init_leaves)
        with RefScope(handled):
            closed, consts, (carry_tree, ys_tree) = _trace_scan_body(f, init_tree, carry_avals,
                                                                     xs_tree, x_avals)
    check_carry("scan body", f, init_tree, carry_tree, carry_avals, closed.out_avals[:n])
    closed, moved, from_xs = _forwarded(closed, len(consts), n)
    fixed = [x for x, m in zip(init_leaves, moved) if m]
    carry = [x for x, m in zip(init_leaves, moved) if not m]
    outs = scan_p.bind(*fixed, *consts, *carry, *xs_leaves, jaxpr=closed, length=length,
                       reverse=bool(reverse), num_consts=len(fixed) + len(consts),
                       num_carry=len(carry), unroll=int(unroll))
    carry_out, ys = iter(outs[:len(carry)]), iter(outs[len(carry):])
    carry_out = [x if m else next(carry_out) for x, m in zip(init_leaves, moved)]
    ys = [next(ys) if i is None else xs_leaves[i] for i in from_xs]
    return tree_unflatten(init_tree, carry_out), tree_unflatten(ys_tree, ys)


def _scan_writing_refs(refs: list, f: Callable, init: Any, xs: Any, length: int | None,
                       reverse: bool, unroll: int | bool, handled: tuple) -> tuple[Any, Any]:
    """``scan`` of an ``f`` that writes into references made outside it: their values are
    carried through the loop and written back after it (``core/refs.py``)."""

    def body(carry: Any, x: Any) -> tuple[Any, Any]:
        inner, values = carry
        load(refs, values)
        inner, y = _pair(f(inner, x))
        return (inner, values_of(refs)), y

    body.__name__ = getattr(f, "__name__", "scan_body")
    (carry, values), ys = _scan(body, (init, values_of(refs)), xs, length, reverse, unroll,
                                handled=(*handled, *refs))
    write_back(refs, values)
    return carry, ys


def _pair(out: Any) -> tuple[Any, Any]:
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise TypeError(f"scan body output must be a pair, got {out!r}.")
    return out[0], out[1]


def _forwarded(closed: ClosedJaxpr, num_consts: int, num_carry: int
               ) -> tuple[ClosedJaxpr, list[bool], list[int | None]]:
    """What JAX moves out of a scan body: the carries it returns unchanged (made leading
    consts), and the ys that are slices of xs as they are (the xs are the ys); the body
    without them, which carries moved, and for each y the xs it is (or None)."""
    jaxpr = closed.jaxpr
    n_in = len(jaxpr.invars)
    moved = [jaxpr.outvars[i] is jaxpr.invars[num_consts + i] for i in range(num_carry)]
    xs_at = {v: i for i, v in enumerate(jaxpr.invars[num_consts + num_carry:])}
    from_xs = [xs_at.get(v) if type(v) is Var else None for v in jaxpr.outvars[num_carry:]]
    if not any(moved) and all(i is None for i in from_xs):
        return closed, moved, from_xs
    carries = range(num_consts, num_consts + num_carry)
    in_order = [*[c for c, m in zip(carries, moved) if m], *range(num_consts),
                *[c for c, m in zip(carries, moved) if not m], *range(num_consts + num_carry, n_in)]
    out_order = [*[i for i, m in enumerate(moved) if not m],
                 *[num_carry + k for k, i in enumerate(from_xs) if i is None]]
    return rearranged(closed, in_order, out_order), moved, from_xs


def map(f: Callable, xs: Any, *, batch_size: int | None = None) -> Any:  # noqa: A001 - lax's
    """``f`` applied to each slice of ``xs`` along its leading axis, stacked: a ``scan``
    with no carry. With ``batch_size``, each step applies ``vmap(f)`` to that many slices
    (the remainder, if any, in one more ``vmap(f)``), as in JAX.

    >>> map(jnp.sin, jnp.arange(3.0))   # [0., 0.841, 0.909]
    """
    if batch_size is None:
        return scan(lambda _, x: ((), f(x)), (), xs)[1]
    leaves, tree = tree_flatten(xs)
    if not leaves:
        return scan(lambda _, x: ((), vmap(f)(x)), (), xs)[1]
    n = aval_of(leaves[0]).shape[0]
    num_batches = n // batch_size if batch_size else 0
    cut = num_batches * batch_size
    parts = []
    if num_batches:
        batched = [x[:cut].reshape(num_batches, batch_size, *aval_of(x).shape[1:]) for x in leaves]
        ys = scan(lambda _, x: ((), vmap(f)(x)), (), tree_unflatten(tree, batched))[1]
        parts.append(tree_map(lambda y: y.reshape(-1, *y.shape[2:]), ys))
    if cut < n:
        parts.append(vmap(f)(tree_unflatten(tree, [x[cut:] for x in leaves])))
    if len(parts) == 1:
        return parts[0]
    return tree_map(lambda a, b: concatenate([a, b], 0), *parts)


# ---------------------------------------------------------------- while_loop


def _trace_while(cond_fun: Callable, body_fun: Callable, tree: PyTreeDef, avals: list
                 ) -> tuple[ClosedJaxpr, list, ClosedJaxpr, list, PyTreeDef]:
    """The cond and the body as ClosedJaxprs with their consts, and the body's output
    structure."""
    out_trees: list = []

    def cond(*leaves: Any) -> list:
        return tree_flatten(cond_fun(tree_unflatten(tree, leaves)))[0]

    def body(*leaves: Any) -> list:
        out, out_tree = tree_flatten(body_fun(tree_unflatten(tree, leaves)))
        out_trees[:] = [out_tree]
        return out

    cond.__name__ = getattr(cond_fun, "__name__", "cond_fun")
    body.__name__ = getattr(body_fun, "__name__", "body_fun")
    cond_closed, cond_consts = closure_convert(cond, avals, "while_loop")
    out = cond_closed.out_avals
    if len(out) != 1 or out[0].shape != () or out[0].dtype != np.bool_:
        raise TypeError("cond_fun must return a boolean scalar, but got output type(s) "
                        f"[{', '.join(repr(a) for a in out)}].")
    body_closed, body_consts = closure_convert(body, avals, "while_loop")
    return cond_closed, cond_consts, body_closed, body_consts, out_trees[0]


def while_loop(cond_fun: Callable, body_fun: Callable, init_val: Any) -> Any:
    """``while cond_fun(val): val = body_fun(val)``, as in JAX; one ``while`` equation.

    Differentiable in forward and (unlike JAX) reverse mode: the backward pass reruns the
    loop forward, keeping one set of residuals per iteration until it has used them.

    >>> while_loop(lambda x: x < 10.0, lambda x: x * 2.0, 1.0)   # 16.0
    """
    return _while_loop(cond_fun, body_fun, init_val, handled=())


def _while_loop(cond_fun: Callable, body_fun: Callable, init_val: Any, handled: tuple) -> Any:
    """``while_loop``, the references in ``handled`` being loop carries already."""
    if not callable(cond_fun) or not callable(body_fun):
        raise TypeError("lax.while_loop: cond_fun and body_fun arguments should be callable.")
    leaves, tree = tree_flatten(init_val)
    avals = _avals(leaves)
    with RefScope(handled) as scope:
        cond, cond_consts, body, body_consts, out_tree = _trace_while(cond_fun, body_fun, tree,
                                                                      avals)
    if scope.written:
        return _while_writing_refs(list(scope.written), cond_fun, body_fun, init_val, handled)
    out_avals = body.out_avals if out_tree == tree else []
    leaves, changed = _promoted(list(leaves), avals, out_avals)
    if changed:
        avals = _avals(leaves)
        with RefScope(handled):
            cond, cond_consts, body, body_consts, out_tree = _trace_while(cond_fun, body_fun,
                                                                          tree, avals)
    check_carry("while_loop body", body_fun, tree, out_tree, avals, body.out_avals)
    cond, body, moved = _invariant_carries(cond, len(cond_consts), body, len(body_consts))
    body_consts = [*[x for x, m in zip(leaves, moved) if m], *body_consts]
    carry = [x for x, m in zip(leaves, moved) if not m]
    outs = iter(while_p.bind(*cond_consts, *body_consts, *carry, cond_jaxpr=cond,
                             body_jaxpr=body, cond_nconsts=len(cond_consts),
                             body_nconsts=len(body_consts)))
    return tree_unflatten(tree, [x if m else next(outs) for x, m in zip(leaves, moved)])


def _while_writing_refs(refs: list, cond_fun: Callable, body_fun: Callable, init_val: Any,
                        handled: tuple) -> Any:
    """``while_loop`` of functions that write into references made outside them: their
    values are carried through the loop and written back after it."""

    def cond(state: Any) -> Any:
        load(refs, state[1])
        return cond_fun(state[0])

    def body(state: Any) -> Any:
        load(refs, state[1])
        inner = body_fun(state[0])
        return inner, values_of(refs)

    cond.__name__ = getattr(cond_fun, "__name__", "cond_fun")
    body.__name__ = getattr(body_fun, "__name__", "body_fun")
    out, values = _while_loop(cond, body, (init_val, values_of(refs)), handled=(*handled, *refs))
    write_back(refs, values)
    return out


def _invariant_carries(cond: ClosedJaxpr, n_cc: int, body: ClosedJaxpr, n_bc: int
                       ) -> tuple[ClosedJaxpr, ClosedJaxpr, list[bool]]:
    """What JAX moves out of a while loop's carries: those the body returns unchanged and
    the cond does not read, made leading body consts; the cond and body without them, and
    which carries moved."""
    invars, outvars = body.jaxpr.invars, body.jaxpr.outvars
    _, cond_reads = dce_jaxpr(cond)
    moved = [outvars[i] is invars[n_bc + i] and not cond_reads[n_cc + i]
             for i in range(len(outvars))]
    if not any(moved):
        return cond, body, moved
    cond = restricted(cond, (*[True] * n_cc, *[not m for m in moved]), (True,))
    carries = range(n_bc, n_bc + len(moved))
    body = rearranged(body, [*[c for c, m in zip(carries, moved) if m], *range(n_bc),
                             *[c for c, m in zip(carries, moved) if not m]],
                      [i for i, m in enumerate(moved) if not m])
    return cond, body, moved


# ---------------------------------------------------------------- fori_loop


def _static_bounds(lower: Any, upper: Any) -> tuple[int, int] | None:
    """The bounds as ints when known at trace time, else None."""
    try:
        return int(lower), int(upper)
    except (ConcretizationError, TypeError):
        return None


def fori_loop(lower: Any, upper: Any, body_fun: Callable, init_val: Any, *,
              unroll: int | bool | None = None) -> Any:
    """``for i in range(lower, upper): val = body_fun(i, val)``, as in JAX.

    With bounds known at trace time this is a ``scan`` (carrying ``i``), so it is
    reverse-differentiable; with traced bounds, a ``while_loop``.
    """
    if not callable(body_fun):
        raise TypeError("lax.fori_loop: body_fun argument should be callable.")
    lower, upper = _common_bound_type(lower, upper)
    bounds = _static_bounds(lower, upper)
    if bounds is not None:
        lower_, upper_ = bounds

        def step(loop_carry: Any, _: Any) -> tuple[Any, None]:  # (JAX's names, for messages)
            i, x = loop_carry
            return (i + 1, body_fun(i, x)), None

        (_, result), _ = scan(step, (lower_, init_val), None, length=max(upper_ - lower_, 0),
                              unroll=1 if unroll is None else unroll)
        return result
    if unroll is not None and unroll is not False and unroll != 1:
        raise ValueError("Can only use `unroll` in `fori_loop` if the loop bounds are "
                         "statically known.")

    def body(loop_carry: Any) -> tuple:
        i, stop, x = loop_carry
        return i + 1, stop, body_fun(i, x)

    body.__name__ = getattr(body_fun, "__name__", "body_fun")
    return while_loop(lambda carry: lt(carry[0], carry[1]), body, (lower, upper, init_val))[2]


def _converted(x: Any, dtype: np.dtype) -> Any:
    """``x`` in ``dtype``; a Python scalar becomes a NumPy one (a literal, as in JAX)."""
    if is_python_scalar(x):
        return np.asarray(x, dtype)
    return convert_element_type(x, dtype, False)


def _common_bound_type(lower: Any, upper: Any) -> tuple[Any, Any]:
    """The bounds in one integer dtype, as JAX chooses it (a weakly typed bound takes the
    other's)."""
    a, b = aval_of(lower), aval_of(upper)
    if a.dtype == b.dtype:
        return lower, upper
    ints = all(np.issubdtype(x.dtype, np.signedinteger) for x in (a, b))
    if ints and a.weak_type and not b.weak_type:
        return _converted(lower, b.dtype), upper
    if ints and b.weak_type and not a.weak_type:
        return lower, _converted(upper, a.dtype)
    raise TypeError("lower and upper arguments to fori_loop must have equal types, got "
                    f"{a.dtype.name} and {b.dtype.name}")
