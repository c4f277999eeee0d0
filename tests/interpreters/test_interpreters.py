"""The interpreters called directly on jaxprs: jvp_jaxpr, partial_eval_jaxpr, dce_jaxpr,
transpose_jaxpr, batch_jaxpr. Every jaxpr they produce is typechecked.
"""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.core.ir import Jaxpr
from jaxlite.interpreters import (
    batch_jaxpr,
    dce_jaxpr,
    eval_jaxpr,
    jvp_jaxpr,
    partial_eval_jaxpr,
    transpose_jaxpr,
)

RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 3)).astype(np.float32)
X = RNG.standard_normal(3).astype(np.float32)
Y = RNG.standard_normal(3).astype(np.float32)


def trace(f, *args):
    """The jaxpr of ``f`` at ``args`` and its consts, typechecked."""
    closed = jaxlite.make_jaxpr(f)(*args)
    jaxlite.typecheck(closed)
    return closed.jaxpr, list(closed.consts)


def run(jaxpr, consts, *args):
    return [np.asarray(x) for x in eval_jaxpr(jaxpr, consts, *args)]


def prim_names(jaxpr):
    return [eqn.primitive.name for eqn in jaxpr.eqns]


def f_two_outputs(x, y):  # closes over the array A, so its jaxpr has a constvar
    return jnp.sin(x) * y + jnp.asarray(A) @ x, jnp.cos(x) * 2.0


def f_two_outputs_np(x, y):
    return np.sin(x) * y + A @ x, np.cos(x) * 2.0


# ------------------------------------------------------------------ jvp_jaxpr


@pytest.mark.parametrize("nonzeros", [(True, False), (False, True), (True, True)])
def test_jvp_jaxpr(nonzeros):
    jaxpr, consts = trace(f_two_outputs, X, Y)
    new, new_consts, out_nonzeros = jvp_jaxpr(jaxpr, list(nonzeros))
    jaxlite.typecheck(new)
    tx, ty = RNG.standard_normal(3).astype(np.float32), RNG.standard_normal(3).astype(np.float32)
    tangents = [t for t, nz in zip((tx, ty), nonzeros) if nz]
    outs = run(new, new_consts, *consts, X, Y, *tangents)
    tx, ty = (tx if nonzeros[0] else 0 * tx), (ty if nonzeros[1] else 0 * ty)
    expected_tangents = [np.cos(X) * tx * Y + np.sin(X) * ty + A @ tx, -2.0 * np.sin(X) * tx]
    # the second output does not depend on y: its tangent is a symbolic zero, not an output
    assert out_nonzeros == [True, nonzeros[0]]
    expected = list(f_two_outputs_np(X, Y)) + [t for t, nz in zip(expected_tangents, out_nonzeros)
                                              if nz]
    assert len(outs) == len(expected)
    for got, want in zip(outs, expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_jvp_jaxpr_without_tangents_is_the_primal_program():
    jaxpr, consts = trace(f_two_outputs, X, Y)
    new, new_consts, out_nonzeros = jvp_jaxpr(jaxpr, [False, False])
    jaxlite.typecheck(new)
    assert out_nonzeros == [False, False]
    assert len(new.outvars) == 2
    for got, want in zip(run(new, new_consts, *consts, X, Y), f_two_outputs_np(X, Y)):
        np.testing.assert_allclose(got, want, rtol=1e-5)


def test_jvp_jaxpr_twice_gives_second_derivative():
    jaxpr, consts = trace(lambda x: jnp.sin(x) * x, 0.7)
    first, c1, _ = jvp_jaxpr(jaxpr, [True])
    jaxlite.typecheck(first)
    second, c2, nz = jvp_jaxpr(first, [True, True])  # differentiate (x, t) -> (f, f' t)
    jaxlite.typecheck(second)
    assert nz == [True, True]
    # tangents (1, 0) on (x, t): the tangent of f' t is f'' t
    out, d1, t_out, d2 = run(second, c2, *c1, *consts, np.float32(0.7), np.float32(1.0),
                             np.float32(1.0), np.float32(0.0))
    x = 0.7
    np.testing.assert_allclose(d2, 2 * np.cos(x) - x * np.sin(x), rtol=1e-5)
    np.testing.assert_allclose(t_out, np.sin(x) + x * np.cos(x), rtol=1e-5)


# ------------------------------------------------------------------ partial_eval_jaxpr


def evaluate_split(jaxpr, consts, unknowns, args):
    """Run the known part, then the unknown part on the residuals; merge the outputs."""
    known, unknown, out_unknowns, num_res = partial_eval_jaxpr(jaxpr, unknowns)
    jaxlite.typecheck(known)
    jaxlite.typecheck(unknown)
    known_args = [a for a, u in zip(args, unknowns) if not u]
    unknown_args = [a for a, u in zip(args, unknowns) if u]
    known_outs = eval_jaxpr(known.jaxpr, list(known.consts), *consts, *known_args)
    num_known = len(known_outs) - num_res
    residuals = known_outs[num_known:]
    unknown_outs = eval_jaxpr(unknown, [], *residuals, *unknown_args)
    assert len(unknown_outs) == sum(out_unknowns) and num_known == out_unknowns.count(False)
    k, u = iter(known_outs[:num_known]), iter(unknown_outs)
    return [np.asarray(next(u) if flag else next(k)) for flag in out_unknowns], known, unknown


@pytest.mark.parametrize("unknowns", [(False, True), (True, False), (True, True), (False, False)])
def test_partial_eval_known_then_unknown_equals_original(unknowns):
    jaxpr, consts = trace(f_two_outputs, X, Y)
    outs, known, unknown = evaluate_split(jaxpr, consts, list(unknowns), [X, Y])
    for got, want in zip(outs, f_two_outputs_np(X, Y)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_partial_eval_does_known_work_in_the_known_part():
    jaxpr, consts = trace(f_two_outputs, X, Y)
    known, unknown, out_unknowns, num_res = partial_eval_jaxpr(jaxpr, [False, True])
    assert out_unknowns == [True, False]  # cos(x) * 2 depends only on x
    assert num_res >= 1
    assert "sin" in prim_names(known.jaxpr) and "dot_general" in prim_names(known.jaxpr)
    assert set(prim_names(unknown)) <= {"mul", "add"}  # only the work touching y is left


def test_partial_eval_of_jvp_is_linearization():
    # jvp, then split with tangents unknown: the unknown part is linear in the tangent
    jaxpr, consts = trace(lambda x: jnp.sum(jnp.exp(x) * jnp.sin(x)), X)
    jvp_j, jvp_consts, _ = jvp_jaxpr(jaxpr, [True])
    known, lin, out_unknowns, num_res = partial_eval_jaxpr(jvp_j, [False] * (len(consts) + 1)
                                                           + [True])
    jaxlite.typecheck(lin)
    assert out_unknowns == [False, True]
    assert not {"exp", "sin", "cos"} & set(prim_names(lin))
    res = eval_jaxpr(known.jaxpr, list(known.consts), *jvp_consts, *consts, X)[1:]
    # transposing the linear part gives the gradient
    lin_t, t_consts = transpose_jaxpr(lin, [False] * num_res + [True])
    jaxlite.typecheck(lin_t)
    (g,) = run(lin_t, t_consts, *res, np.float32(1.0))
    np.testing.assert_allclose(g, np.exp(X) * (np.sin(X) + np.cos(X)), rtol=1e-5)


def test_dce_jaxpr_removes_dead_equations():
    jaxpr, _ = trace(lambda x: (jnp.sin(x), jnp.cos(x) * 2.0 + 1.0), X)
    only_first = Jaxpr(jaxpr.constvars, jaxpr.invars, jaxpr.eqns, jaxpr.outvars[:1])
    pruned = dce_jaxpr(only_first)
    jaxlite.typecheck(pruned)
    assert prim_names(pruned) == ["sin"]
    assert dce_jaxpr(jaxpr) is jaxpr  # nothing dead: unchanged
    np.testing.assert_allclose(run(pruned, [], X)[0], np.sin(X), rtol=1e-6)


def test_dce_jaxpr_keeps_chains_feeding_live_outputs():
    jaxpr, _ = trace(lambda x: (jnp.exp(jnp.sin(x)), jnp.log(jnp.cos(x) + 3.0)), X)
    only_second = Jaxpr(jaxpr.constvars, jaxpr.invars, jaxpr.eqns, jaxpr.outvars[1:])
    assert prim_names(dce_jaxpr(only_second)) == ["cos", "add", "log"]


# ------------------------------------------------------------------ transpose_jaxpr


def linear_fn(x):
    return jnp.asarray(A) @ x + x * 3.0 - x[::-1]


def test_transpose_jaxpr_dot_product_test():
    jaxpr, consts = trace(linear_fn, X)
    t_jaxpr, t_consts = transpose_jaxpr(jaxpr, [True])
    jaxlite.typecheck(t_jaxpr)
    ct = RNG.standard_normal(3).astype(np.float32)
    (x_ct,) = run(t_jaxpr, t_consts, *consts, ct)
    (fx,) = run(jaxpr, consts, X)
    np.testing.assert_allclose(np.vdot(ct, fx), np.vdot(x_ct, X), rtol=1e-5)
    np.testing.assert_allclose(x_ct, A.T @ ct + 3 * ct - ct[::-1], rtol=1e-5)


def test_transpose_jaxpr_sums_cotangents_of_a_variable_used_twice():
    jaxpr, consts = trace(lambda x: x + x * 3.0 + jnp.sum(x) * jnp.ones(3), X)
    t_jaxpr, t_consts = transpose_jaxpr(jaxpr, [True])
    jaxlite.typecheck(t_jaxpr)
    assert "add_any" in prim_names(t_jaxpr)
    ct = np.array([1.0, 2.0, -1.0], np.float32)
    (x_ct,) = run(t_jaxpr, t_consts, *consts, ct)
    np.testing.assert_allclose(x_ct, 4 * ct + ct.sum(), rtol=1e-6)


def test_transpose_jaxpr_with_nonlinear_input_and_unused_linear_input():
    # (x, y, z) -> x * y, linear in x and z (z unused), y not linear
    jaxpr, consts = trace(lambda x, y, z: x * jnp.exp(y), X, Y, X)
    t_jaxpr, t_consts = transpose_jaxpr(jaxpr, [True, False, True])
    jaxlite.typecheck(t_jaxpr)
    ct = np.array([1.0, -2.0, 0.5], np.float32)
    x_ct, z_ct = run(t_jaxpr, t_consts, *consts, Y, ct)
    np.testing.assert_allclose(x_ct, ct * np.exp(Y), rtol=1e-6)
    np.testing.assert_array_equal(z_ct, np.zeros(3, np.float32))  # zero cotangent, materialised


# ------------------------------------------------------------------ batch_jaxpr


@pytest.mark.parametrize("in_dims", [(0, None), (None, 0), (0, 0), (1, None), (1, 0)])
def test_batch_jaxpr_matches_loop(in_dims):
    jaxpr, consts = trace(f_two_outputs, X, Y)
    size = 4
    xs = RNG.standard_normal((size, 3)).astype(np.float32)
    ys = RNG.standard_normal((size, 3)).astype(np.float32)
    args = [np.moveaxis(v, 0, d) if d is not None else v[0] for v, d in zip((xs, ys), in_dims)]
    batched, b_consts, out_dims = batch_jaxpr(jaxpr, list(in_dims), size)
    jaxlite.typecheck(batched)
    outs = run(batched, b_consts, *consts, *args)
    per_example = [f_two_outputs_np(xs[i] if in_dims[0] is not None else xs[0],
                                    ys[i] if in_dims[1] is not None else ys[0])
                   for i in range(size)]
    for k, (out, d) in enumerate(zip(outs, out_dims)):
        if d is None:  # unbatched output: the same for every example
            for ex in per_example:
                np.testing.assert_allclose(out, ex[k], rtol=1e-5, atol=1e-6)
        else:
            stacked = np.stack([ex[k] for ex in per_example])
            np.testing.assert_allclose(np.moveaxis(out, d, 0), stacked, rtol=1e-5, atol=1e-6)
    assert out_dims[1] is None if in_dims[0] is None else out_dims[1] is not None


def test_batch_jaxpr_keeps_unbatched_values_unbatched():
    jaxpr, consts = trace(lambda x, y: (x * 2.0, jnp.exp(y) + 1.0), X, Y)
    batched, b_consts, out_dims = batch_jaxpr(jaxpr, [0, None], 5)
    jaxlite.typecheck(batched)
    assert out_dims[0] is not None and out_dims[1] is None
    assert batched.outvars[1].aval.shape == (3,)
    # the exp is not broadcast to the batch: it stays on the unbatched input
    (exp_eqn,) = [e for e in batched.eqns if e.primitive.name == "exp"]
    assert exp_eqn.outputs[0].aval.shape == (3,)


def test_batch_jaxpr_of_jvp_jaxpr():
    jaxpr, consts = trace(lambda x: jnp.sum(jnp.tanh(x) ** 2), X)
    jvp_j, jvp_consts, _ = jvp_jaxpr(jaxpr, [True])
    batched, b_consts, out_dims = batch_jaxpr(jvp_j, [None] * (len(consts) + 1) + [0], 3)
    jaxlite.typecheck(batched)
    assert out_dims[0] is None  # the primal output does not see the batched tangents
    _, jac = run(batched, b_consts, *jvp_consts, *consts, X, np.eye(3, dtype=np.float32))
    t = np.tanh(X)
    np.testing.assert_allclose(np.moveaxis(jac, out_dims[1], 0), 2 * t * (1 - t ** 2), rtol=1e-5)
