"""The public transforms, composed from the interpreters: the whole pipeline on one page.

    make_jaxpr  = trace (JaxprTrace)
    linearize   = jvp + partial evaluation, fused with tracing (LinearizeTrace): as
                  the function runs, each primitive's jvp rule runs with its primal work
                  done now (or bound in the outer trace) and its tangent work recorded
    jvp         = linearize, then the linear jaxpr evaluated on the tangents
    vjp         = linearize, then backward_pass (transpose) of the linear jaxpr
    grad        = vjp seeded with a cotangent of 1
    vmap        = run under a BatchTrace: each primitive's batching rule as it is bound
    jacfwd      = vmap of jvp;  jacrev = vmap of vjp;  hessian = jacfwd of jacrev

Every step binds primitives in the current context: eagerly when no trace is active,
or into the enclosing trace, which is why transforms nest (``grad(grad(f))``,
``vmap(grad(f))``, ``make_jaxpr(vjp(f))``). Eager derivatives trace concretely, so
Python control flow on values works, and compute each primal value once.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.array import Array
from ..core.errors import ArgnumsError, GradError
from ..core.ir import ClosedJaxpr, Jaxpr, user_source_info
from ..core.primitive import UndefPrimal, Zero
from ..core.jaxpr_trace import trace_to_jaxpr
from ..core.trace import aval_of, current_trace
from ..core.tree_util import flatten_up_to, tree_flatten, tree_structure, tree_unflatten
from ..primitives.structural import zeros
from . import vmap_util
from .api_util import (
    LeafInfo,
    as_output,
    check_aux_pair,
    check_differentiable,
    check_forward_input,
    check_output_dtype,
    flatten_fun,
    leaf_info,
    normalize_argnums,
    substitute,
    with_weak_type,
    wraps,
)
from .batching import run_batched
from .evaluate import eval_jaxpr
from .linearize import linearize_fused, tangent_aval
from .partial_eval import dce
from .transpose import backward_pass


# ------------------------------------------------------------------ the pipeline, flat


def linearize_flat(flat_fun: Callable, infos: Sequence[LeafInfo], label: str,
                   num_aux: Callable[[], int] = lambda: 0):
    """Primal outputs, and the linear jaxpr (with its residuals) of the outputs' tangents.

    The last ``num_aux()`` outputs (known once traced) are auxiliary: not differentiated.
    The steps run fused, one equation at a time (``linearize_fused``): eagerly on NumPy
    values, or binding the primal work in the enclosing trace.
    """
    eager = current_trace() is None
    outs, linear_jaxpr, residuals, _ = linearize_fused(
        flat_fun, [i.aval for i in infos], [i.value if eager else i.primal for i in infos],
        label, num_aux)
    return outs, linear_jaxpr, residuals


def transpose_flat(linear_jaxpr: Jaxpr, residuals: Sequence[Any], in_avals, cts: Sequence[Any]):
    """Cotangents of the linear jaxpr's inputs, materialised, in the inputs' dtypes."""
    cts_in = backward_pass(linear_jaxpr, residuals, [UndefPrimal(a) for a in in_avals], cts)
    return [as_output(zeros(tangent_aval(a)) if type(ct) is Zero else ct, a)
            for ct, a in zip(cts_in, in_avals)]


# ------------------------------------------------------------------ make_jaxpr


def make_jaxpr(fun: Callable, static_argnums: int | Sequence[int] = ()) -> Callable[..., ClosedJaxpr]:
    """A function returning the jaxpr that ``fun`` traces to at the given arguments.

    >>> print(make_jaxpr(lambda x: x * 2.0)(1.0))
    { lambda ; a:f32[]. let b:f32[] = mul a 2.0:f32[] in (b,) }
    """
    static = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)

    def make(*args: Any, **kwargs: Any) -> ClosedJaxpr:
        for i in static:
            if not -len(args) <= i < len(args):
                raise ArgnumsError(f"make_jaxpr: static_argnums={static_argnums} names argument "
                                 f"{i}, but the function was called with {len(args)} positional "
                                 "arguments")
        static_pos = {i % len(args) for i in static}
        dynamic = [a for i, a in enumerate(args) if i not in static_pos]

        def with_static(*dyn: Any, **kw: Any) -> Any:
            it = iter(dyn)
            return fun(*[args[i] if i in static_pos else next(it) for i in range(len(args))], **kw)

        leaves, in_tree = tree_flatten((tuple(dynamic), kwargs))
        infos = [leaf_info(x, "make_jaxpr") for x in leaves]
        flat_fun, _ = flatten_fun(with_static, in_tree)
        jaxpr, consts = trace_to_jaxpr(flat_fun, [i.aval for i in infos], label="make_jaxpr")
        return ClosedJaxpr(jaxpr, tuple(consts))

    return make


# ------------------------------------------------------------------ forward mode


def jvp(fun: Callable, primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """``(fun(*primals), J tangents)``: the Jacobian-vector product.

    ``fun`` is linearized as it runs, and the linear part is evaluated on ``tangents``.

    >>> jvp(jnp.sin, (0.0,), (1.0,))   # (0.0, 1.0)
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp: primal and tangent arguments must be tuples or lists; found "
                        f"{type(primals).__name__} and {type(tangents).__name__}")
    leaves, in_tree = tree_flatten(tuple(primals))
    tangent_leaves, tangent_tree = tree_flatten(tuple(tangents))
    if tangent_tree != in_tree:
        raise TypeError(f"jvp: primal and tangent arguments must have the same tree structure; "
                        f"got {in_tree} and {tangent_tree}")
    infos = [leaf_info(x, "jvp") for x in leaves]
    tangent_infos = [leaf_info(t, "jvp") for t in tangent_leaves]
    for p, t in zip(infos, tangent_infos):
        _check_tangent(p.aval, t.aval)
    flat_fun, out_tree = flatten_fun(lambda *a: fun(*a), tree_structure((tuple(primals), {})))
    outs, linear_jaxpr, residuals = linearize_flat(flat_fun, infos, "jvp")
    tangents_out = eval_jaxpr(linear_jaxpr, residuals, *[t.primal for t in tangent_infos])
    # as in JAX, an output tangent is weakly typed iff its primal output is
    avals = [aval_of(x) for x in outs]
    outs = [as_output(x, a) for x, a in zip(outs, avals)]
    tangents_out = [as_output(t, a) for t, a in zip(tangents_out, avals)]
    return tree_unflatten(out_tree.treedef, outs), tree_unflatten(out_tree.treedef, tangents_out)


def _check_tangent(primal, tangent, what: str = "jvp") -> None:
    if primal.shape != tangent.shape:
        raise ValueError(f"{what}: primal and tangent arguments must have equal shapes; got "
                         f"primal {primal} and tangent {tangent}")
    if dtypes.is_inexact(primal.dtype) and primal.dtype != tangent.dtype:
        raise TypeError(f"{what}: the tangent of a primal of dtype {primal.dtype.name} must have "
                        f"dtype {primal.dtype.name}, got {tangent.dtype.name}")


def linearize(fun: Callable, *primals: Any) -> tuple[Any, Callable]:
    """``(fun(*primals), f_jvp)`` where ``f_jvp`` applies the linear map ``J`` to tangents.

    The primal work is done once, now; ``f_jvp`` evaluates only the linear jaxpr.
    """
    leaves, in_tree = tree_flatten((primals, {}))
    infos = [leaf_info(x, "linearize") for x in leaves]
    flat_fun, out_tree = flatten_fun(fun, in_tree)
    outs, linear_jaxpr, residuals = linearize_flat(flat_fun, infos, "linearize")
    # f_jvp runs only what reaches an output (as in JAX: e.g. not the linear part of a
    # custom_vjp function whose tangent is unused, which cannot run forward)
    linear_jaxpr = dce(linear_jaxpr, instantiate=True)[0]
    treedef = out_tree.treedef

    def f_jvp(*tangents: Any) -> Any:
        tangent_leaves, tangent_tree = tree_flatten(tangents)
        if tangent_tree != tree_structure(primals):
            raise TypeError(f"linearize: tangents must have the structure of the primals, "
                            f"{tree_structure(primals)}; got {tangent_tree}")
        for info, t in zip(infos, tangent_leaves):
            _check_tangent(info.aval, leaf_info(t, "linearize").aval, "linearize")
        out = eval_jaxpr(linear_jaxpr, residuals, *tangent_leaves)
        # a tangent is weakly typed exactly when its primal output is, as in jvp
        return tree_unflatten(treedef, [as_output(t, aval_of(o)) for t, o in zip(out, outs)])

    return tree_unflatten(treedef, outs), f_jvp


# ------------------------------------------------------------------ reverse mode


def _vjp_flat(fun: Callable, primals: Sequence[Any], has_aux: bool, what: str,
              differentiable: bool = False, holomorphic: bool = False):
    leaves, in_tree = tree_flatten((tuple(primals), {}))
    infos = [leaf_info(x, what) for x in leaves]
    if differentiable:  # (grad's inputs must be real or complex)
        for info in infos:
            check_differentiable(info.aval, what, holomorphic)
    aux_tree: list = []

    def main_then_aux(*args: Any) -> Any:
        out = fun(*args)
        if not has_aux:
            return out
        check_aux_pair(out, what)
        aux_leaves, treedef = tree_flatten(out[1])
        aux_tree.append(treedef)
        return (out[0], aux_leaves)

    flat_fun, out_tree = flatten_fun(main_then_aux, in_tree)
    outs, linear_jaxpr, residuals = linearize_flat(
        flat_fun, infos, what, lambda: aux_tree[0].num_leaves if has_aux else 0)
    main_tree = out_tree.treedef.children[0] if has_aux else out_tree.treedef
    n = main_tree.num_leaves
    aux = tree_unflatten(aux_tree[0], outs[n:]) if has_aux else None
    return infos, in_tree, outs[:n], main_tree, linear_jaxpr, residuals, aux


def vjp(fun: Callable, *primals: Any, has_aux: bool = False) -> tuple:
    """``(fun(*primals), f_vjp)`` where ``f_vjp(ct)`` gives ``ct^T J`` for each primal.

    With ``has_aux``, ``fun`` returns ``(out, aux)`` and the result is ``(out, f_vjp, aux)``.
    """
    infos, in_tree, outs, out_tree, linear_jaxpr, residuals, aux = _vjp_flat(
        fun, primals, has_aux, "vjp")
    out_avals = [aval_of(x) for x in outs]

    def f_vjp(ct: Any) -> tuple:
        try:
            ct_leaves = flatten_up_to(out_tree, ct, "vjp cotangent")
        except ValueError as err:
            raise ValueError(f"vjp: the cotangent must have the structure of the primal output "
                             f"{out_tree}: {err}") from None
        for c, a in zip(ct_leaves, out_avals):
            c_aval = leaf_info(c, "vjp cotangent").aval
            if c_aval.shape != a.shape:
                raise ValueError(f"vjp: cotangent of shape {c_aval.shape} given for an "
                                 f"output of shape {a.shape} ({a})")
            if dtypes.is_inexact(a.dtype) and c_aval.dtype != a.dtype and not c_aval.weak_type:
                raise ValueError(f"vjp: cotangent of dtype {c_aval.dtype.name} given for an "
                                 f"output of dtype {a.dtype.name} ({a}); the cotangent must "
                                 "have the output's dtype")
        cts = transpose_flat(linear_jaxpr, residuals, [i.aval for i in infos], ct_leaves)
        return tree_unflatten(in_tree, cts)[0]

    primal_out = tree_unflatten(out_tree, outs)
    return (primal_out, f_vjp, aux) if has_aux else (primal_out, f_vjp)


def value_and_grad(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False,
                   holomorphic: bool = False) -> Callable:
    """A function returning ``(fun(*args), gradient)``; see ``grad``."""

    def value_and_grad_fun(*args: Any, **kwargs: Any) -> Any:
        nums = normalize_argnums(argnums, len(args), "grad")
        diff_args = [args[i] for i in nums]

        def partial_fun(*diff: Any) -> Any:
            return fun(*substitute(args, nums, diff), **kwargs)

        infos, in_tree, outs, out_tree, linear_jaxpr, residuals, aux = _vjp_flat(
            partial_fun, diff_args, has_aux, "grad", differentiable=True,
            holomorphic=holomorphic)
        if out_tree != tree_structure(0):  # as in JAX, a container of one scalar is rejected
            raise GradError("Gradient only defined for scalar-output functions. Output was "
                            f"{tree_unflatten(out_tree, outs)!r}.")
        out_aval = aval_of(outs[0])
        if out_aval.shape != ():
            raise GradError(
                f"Gradient only defined for scalar-output functions. Output had shape: "
                f"{out_aval.shape}. The output is {out_aval} (grad called at "
                f"{user_source_info()}); for a function with array output use jacrev or jacfwd "
                "for its Jacobian, or vjp for vector-Jacobian products.")
        check_output_dtype(out_aval, "grad", holomorphic)
        seed = Array(np.asarray(1, out_aval.dtype), out_aval.weak_type)  # 1, typed like the output
        cts = transpose_flat(linear_jaxpr, residuals, [i.aval for i in infos], [seed])
        grads = tree_unflatten(in_tree, cts)[0]
        grads = grads[0] if isinstance(argnums, (int, np.integer)) else tuple(grads)
        value = tree_unflatten(out_tree, outs)
        return ((value, aux), grads) if has_aux else (value, grads)

    wraps(fun, value_and_grad_fun)
    return value_and_grad_fun


def grad(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False,
         holomorphic: bool = False) -> Callable:
    """The gradient of a scalar-valued ``fun`` with respect to the arguments ``argnums``.

    >>> grad(lambda x: x ** 2 + 3 * x + 5)(2.0)   # Array(7., dtype=float32, weak_type=True)

    Gradients come back in the structure of the differentiated arguments (a tuple
    of them when ``argnums`` is a tuple); with ``has_aux`` the result is ``(grad, aux)``.
    Raises TypeError for non-scalar outputs and for integer or boolean inputs. A complex
    output needs ``holomorphic=True`` (complex inputs, and the gradient is ``f'(z)``); for
    a real ``fun`` of complex ``z = x + iy`` the gradient is ``df/dx - i df/dy``, as in JAX.
    """
    value_and_grad_fun = value_and_grad(fun, argnums, has_aux, holomorphic)

    def grad_fun(*args: Any, **kwargs: Any) -> Any:
        out, grads = value_and_grad_fun(*args, **kwargs)
        return (grads, out[1]) if has_aux else grads

    wraps(fun, grad_fun)
    return grad_fun


def linear_transpose(fun: Callable, *primals: Any) -> Callable:
    """The transpose of the linear function ``fun``, at the avals of ``primals``.

    Returns ``f_t`` with ``f_t(ct) = J^T ct`` (a tuple with one cotangent per primal);
    ``fun`` is traced abstractly, so it must be linear in its arguments: applying ``f_t``
    to a function that is not raises NotImplementedError naming the non-linear primitive.

    >>> linear_transpose(lambda x: 2.0 * x, 1.0)(3.0)   # (Array(6., dtype=float32),)
    """
    leaves, in_tree = tree_flatten((primals, {}))
    infos = [leaf_info(x, "linear_transpose") for x in leaves]
    flat_fun, out_tree = flatten_fun(fun, in_tree)
    jaxpr, consts = trace_to_jaxpr(flat_fun, [i.aval for i in infos], label="linear_transpose")
    in_avals = [i.aval for i in infos]

    def transposed(*cts: Any) -> Any:
        ct = cts[0] if len(cts) == 1 else cts
        ct_leaves = flatten_up_to(out_tree.treedef, ct, "linear_transpose cotangent")
        out = transpose_flat(jaxpr, consts, in_avals, ct_leaves)
        return tree_unflatten(in_tree, out)[0]

    return transposed


# ------------------------------------------------------------------ batching


def vmap(fun: Callable, in_axes: Any = 0, out_axes: Any = 0, axis_size: int | None = None):
    """Vectorise ``fun`` over an axis of its arguments, as if mapped over a Python loop.

    Args:
      in_axes: for each positional argument, the axis to map over: an int (negative
        counts from the end), None (the argument is the same for every example), or a
        pytree prefix of the arguments; keyword arguments are mapped over axis 0.
      out_axes: where the mapped axis goes in each output, likewise (None only for
        outputs that do not depend on the mapped inputs).
      axis_size: the size of the mapped axis, needed when no argument is mapped.

    Raises ValueError for inconsistent sizes, axes out of range or specs that do not
    match the arguments. Unbatched values stay unbatched inside, so broadcasting costs
    nothing until it is needed.

    >>> vmap(lambda x, y: x @ y, in_axes=(0, None))(jnp.ones((5, 3)), jnp.ones(3))  # shape (5,)
    """
    vmap_util.check_axes_spec(in_axes, "in_axes")
    vmap_util.check_axes_spec(out_axes, "out_axes")

    def batched(*args: Any, **kwargs: Any) -> Any:
        leaves, in_tree = tree_flatten((args, kwargs))
        dims = vmap_util.flat_in_dims(in_axes, args, kwargs, in_tree)
        # unmapped leaves pass through untouched (a Python int stays an int)
        infos = [leaf_info(x, "vmap") if d is not None else None for x, d in zip(leaves, dims)]
        dims = [None if i is None else vmap_util.normalize_dim(d, i.aval)
                for d, i in zip(dims, infos)]
        size = vmap_util.mapped_size(infos, dims, axis_size)
        flat_fun, out_tree = flatten_fun(fun, in_tree)
        values = [x if i is None else i.primal for x, i in zip(leaves, infos)]
        outs, outs_dims = run_batched(flat_fun, values, dims, size, "vmap")
        out_dims = vmap_util.flat_out_dims(out_axes, out_tree.treedef)
        outs = [vmap_util.place_batch_axis(x, d, target, size)
                for x, d, target in zip(outs, outs_dims, out_dims)]
        outs = [as_output(x, aval_of(x)) for x in outs]
        return tree_unflatten(out_tree.treedef, outs)

    return wraps(fun, batched)


# ------------------------------------------------------------------ Jacobians


def jacfwd(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False,
           holomorphic: bool = False) -> Callable:
    """The Jacobian of ``fun`` by forward mode: ``vmap`` of ``jvp`` over a basis of inputs.

    The result has the structure of the output, each leaf holding the structure of the
    differentiated arguments (a tuple of them when ``argnums`` is a tuple), with blocks of
    shape ``out.shape + in.shape``; with ``has_aux`` it is ``(jacobian, aux)``. Best for
    functions with fewer inputs than outputs. Complex inputs need ``holomorphic=True``.
    """

    def jacobian(*args: Any, **kwargs: Any) -> Any:
        nums = normalize_argnums(argnums, len(args), "jacfwd")
        diff_args = tuple(args[i] for i in nums)
        in_leaves, in_tree = tree_flatten(diff_args)
        in_avals = [leaf_info(x, "jacfwd").aval for x in in_leaves]
        for aval in in_avals:
            check_forward_input(aval, holomorphic)

        def pushforward(basis_leaves: Sequence[Any]) -> Any:
            def main_and_aux(*d: Any) -> Any:
                out = fun(*substitute(args, nums, d), **kwargs)
                if has_aux:
                    check_aux_pair(out, "jacfwd")
                return tuple(out) if has_aux else (out, None)

            (out, aux), (tangent_out, _) = jvp(main_and_aux, diff_args,
                                               tree_unflatten(in_tree, basis_leaves))
            return (out, aux), tangent_out

        basis = vmap_util.standard_basis(in_avals)
        (out, aux), tangents = vmap(pushforward, out_axes=(None, -1))(basis)
        out_tree = tree_structure(out)
        for leaf in tree_flatten(out)[0]:
            check_output_dtype(aval_of(leaf), "jacfwd", holomorphic, reverse=False)
        jac = [vmap_util.split_last_axis(t, in_avals) for t in flatten_up_to(out_tree, tangents)]
        # as in JAX, a forward-mode block is weakly typed iff its output is
        jac = [[with_weak_type(b, aval_of(o).weak_type) for b in row]
               for row, o in zip(jac, tree_flatten(out)[0])]
        result = vmap_util.jacobian_tree(jac, out_tree, in_tree, isinstance(argnums, (int, np.integer)))
        return (result, aux) if has_aux else result

    return wraps(fun, jacobian)


def jacrev(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False,
           holomorphic: bool = False) -> Callable:
    """The Jacobian of ``fun`` by reverse mode: ``vmap`` of ``vjp`` over a basis of outputs.

    Same result and structure as ``jacfwd``; cheaper when there are fewer outputs than
    inputs (a gradient is the one-output case).
    """

    def jacobian(*args: Any, **kwargs: Any) -> Any:
        nums = normalize_argnums(argnums, len(args), "jacrev")
        diff_args = tuple(args[i] for i in nums)
        in_leaves, in_tree = tree_flatten(diff_args)
        in_avals = [leaf_info(x, "jacrev").aval for x in in_leaves]
        for aval in in_avals:
            check_differentiable(aval, "jacrev", holomorphic)
        result = vjp(lambda *d: fun(*substitute(args, nums, d), **kwargs), *diff_args,
                     has_aux=has_aux)
        out, pullback = result[0], result[1]
        out_leaves, out_tree = tree_flatten(out)
        out_avals = [aval_of(x) for x in out_leaves]
        for aval in out_avals:
            check_output_dtype(aval, "jacrev", holomorphic)
        basis = vmap_util.standard_basis(out_avals)
        cts = vmap(lambda b: pullback(tree_unflatten(out_tree, b)))(basis)
        cts_leaves = tree_flatten(cts)[0]
        jac = vmap_util.rows_to_blocks(cts_leaves, out_avals, in_avals)
        # as in JAX, a reverse-mode block is weakly typed iff its input is
        jac = [[with_weak_type(b, a.weak_type) for b, a in zip(row, in_avals)] for row in jac]
        jac_tree = vmap_util.jacobian_tree(jac, out_tree, in_tree, isinstance(argnums, (int, np.integer)))
        return (jac_tree, result[2]) if has_aux else jac_tree

    return wraps(fun, jacobian)


def hessian(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False,
            holomorphic: bool = False) -> Callable:
    """The Hessian of a scalar ``fun``: ``jacfwd(jacrev(fun))``."""
    return jacfwd(jacrev(fun, argnums, has_aux, holomorphic), argnums, has_aux, holomorphic)
