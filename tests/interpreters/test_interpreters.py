"""The jaxpr transformers called directly: jvp_jaxpr, partial_eval_jaxpr, dce_jaxpr,
transpose_jaxpr, batch_jaxpr. Each takes a ClosedJaxpr and flags and returns a ClosedJaxpr
and flags; every jaxpr they produce is typechecked.
"""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.core.ir import ClosedJaxpr, Jaxpr
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
    """The closed jaxpr of ``f`` at ``args``, typechecked."""
    closed = jaxlite.make_jaxpr(f)(*args)
    jaxlite.typecheck(closed)
    return closed


def run(closed, *args):
    jaxlite.typecheck(closed)
    return [np.asarray(x) for x in eval_jaxpr(closed.jaxpr, closed.consts, *args)]


def prim_names(jaxpr):
    return [eqn.primitive.name for eqn in jaxpr.eqns]


def f_two_outputs(x, y):  # closes over the array A, so its jaxpr has a constvar
    return jnp.sin(x) * y + jnp.asarray(A) @ x, jnp.cos(x) * 2.0


def f_two_outputs_np(x, y):
    return np.sin(x) * y + A @ x, np.cos(x) * 2.0


# ------------------------------------------------------------------ jvp_jaxpr


@pytest.mark.parametrize("nonzeros", [(True, False), (False, True), (True, True)])
def test_jvp_jaxpr(nonzeros):
    closed = trace(f_two_outputs, X, Y)
    new, out_nonzeros = jvp_jaxpr(closed, nonzeros)
    tx, ty = RNG.standard_normal(3).astype(np.float32), RNG.standard_normal(3).astype(np.float32)
    tangents = [t for t, nz in zip((tx, ty), nonzeros) if nz]
    outs = run(new, X, Y, *tangents)
    tx, ty = (tx if nonzeros[0] else 0 * tx), (ty if nonzeros[1] else 0 * ty)
    expected_tangents = [np.cos(X) * tx * Y + np.sin(X) * ty + A @ tx, -2.0 * np.sin(X) * tx]
    # the second output does not depend on y: its tangent is a symbolic zero, not an output
    assert out_nonzeros == (True, nonzeros[0])
    expected = list(f_two_outputs_np(X, Y)) + [t for t, nz in zip(expected_tangents, out_nonzeros)
                                              if nz]
    assert len(outs) == len(expected)
    for got, want in zip(outs, expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_jvp_jaxpr_instantiate_gives_every_tangent_output():
    closed = trace(f_two_outputs, X, Y)
    new, out_nonzeros = jvp_jaxpr(closed, (False, True), instantiate=True)
    assert out_nonzeros == (True, True)
    outs = run(new, X, Y, Y)
    np.testing.assert_array_equal(outs[3], np.zeros(3, np.float32))


def test_jvp_jaxpr_without_tangents_is_the_primal_program():
    closed = trace(f_two_outputs, X, Y)
    new, out_nonzeros = jvp_jaxpr(closed, (False, False))
    assert out_nonzeros == (False, False)
    assert len(new.jaxpr.outvars) == 2
    for got, want in zip(run(new, X, Y), f_two_outputs_np(X, Y)):
        np.testing.assert_allclose(got, want, rtol=1e-5)


def test_jvp_jaxpr_twice_gives_second_derivative():
    closed = trace(lambda x: jnp.sin(x) * x, 0.7)
    first, _ = jvp_jaxpr(closed, (True,))
    second, nz = jvp_jaxpr(first, (True, True))  # differentiate (x, t) -> (f, f' t)
    assert nz == (True, True)
    # tangents (1, 0) on (x, t): the tangent of f' t is f'' t
    out, d1, t_out, d2 = run(second, np.float32(0.7), np.float32(1.0), np.float32(1.0),
                             np.float32(0.0))
    x = 0.7
    np.testing.assert_allclose(d2, 2 * np.cos(x) - x * np.sin(x), rtol=1e-5)
    np.testing.assert_allclose(t_out, np.sin(x) + x * np.cos(x), rtol=1e-5)


def test_transformers_are_memoised():
    closed = trace(f_two_outputs, X, Y)
    assert jvp_jaxpr(closed, (True, True)) is jvp_jaxpr(closed, (True, True))
    assert batch_jaxpr(closed, (True, False), 3) is batch_jaxpr(closed, (True, False), 3)


# ------------------------------------------------------------------ partial_eval_jaxpr


def evaluate_split(closed, unknowns, args):
    """Run the known part, then the unknown part on the residuals; merge the outputs."""
    known, unknown, out_unknowns, num_res = partial_eval_jaxpr(closed, unknowns)
    known_args = [a for a, u in zip(args, unknowns) if not u]
    unknown_args = [a for a, u in zip(args, unknowns) if u]
    known_outs = run(known, *known_args)
    num_known = len(known_outs) - num_res
    residuals = known_outs[num_known:]
    unknown_outs = run(unknown, *residuals, *unknown_args)
    assert len(unknown_outs) == sum(out_unknowns) and num_known == out_unknowns.count(False)
    k, u = iter(known_outs[:num_known]), iter(unknown_outs)
    return [np.asarray(next(u) if flag else next(k)) for flag in out_unknowns], known, unknown


@pytest.mark.parametrize("unknowns", [(False, True), (True, False), (True, True), (False, False)])
def test_partial_eval_known_then_unknown_equals_original(unknowns):
    closed = trace(f_two_outputs, X, Y)
    outs, known, unknown = evaluate_split(closed, unknowns, [X, Y])
    for got, want in zip(outs, f_two_outputs_np(X, Y)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_partial_eval_instantiate_makes_known_outputs_unknown():
    closed = trace(f_two_outputs, X, Y)
    known, unknown, out_unknowns, num_res = partial_eval_jaxpr(closed, (False, True),
                                                               instantiate=True)
    assert out_unknowns == (True, True)
    residuals = run(known, X)
    outs = run(unknown, *residuals, Y)
    for got, want in zip(outs, f_two_outputs_np(X, Y)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_partial_eval_does_known_work_in_the_known_part():
    closed = trace(f_two_outputs, X, Y)
    known, unknown, out_unknowns, num_res = partial_eval_jaxpr(closed, (False, True))
    assert out_unknowns == (True, False)  # cos(x) * 2 depends only on x
    assert num_res >= 1
    assert "sin" in prim_names(known.jaxpr) and "dot_general" in prim_names(known.jaxpr)
    assert set(prim_names(unknown.jaxpr)) <= {"mul", "add"}  # only the work touching y is left


def test_partial_eval_of_jvp_is_linearization():
    # jvp, then split with tangents unknown: the unknown part is linear in the tangent
    closed = trace(lambda x: jnp.sum(jnp.exp(x) * jnp.sin(x)), X)
    jvp_j, _ = jvp_jaxpr(closed, (True,))
    known, lin, out_unknowns, num_res = partial_eval_jaxpr(jvp_j, (False, True))
    assert out_unknowns == (False, True)
    assert not {"exp", "sin", "cos"} & set(prim_names(lin.jaxpr))
    res = run(known, X)[1:]
    # transposing the linear part gives the gradient
    lin_t, _ = transpose_jaxpr(lin, (False,) * num_res + (True,))
    (g,) = run(lin_t, *res, np.float32(1.0))
    np.testing.assert_allclose(g, np.exp(X) * (np.sin(X) + np.cos(X)), rtol=1e-5)


def test_dce_jaxpr_removes_dead_equations():
    closed = trace(lambda x: (jnp.sin(x), jnp.cos(x) * 2.0 + 1.0), X)
    pruned, used_inputs = dce_jaxpr(closed, (True, False))
    assert prim_names(pruned.jaxpr) == ["sin"] and used_inputs == (True,)
    assert dce_jaxpr(closed)[0] is closed  # nothing dead: unchanged
    np.testing.assert_allclose(run(pruned, X)[0], np.sin(X), rtol=1e-6)


def test_dce_jaxpr_keeps_chains_feeding_live_outputs():
    closed = trace(lambda x: (jnp.exp(jnp.sin(x)), jnp.log(jnp.cos(x) + 3.0)), X)
    assert prim_names(dce_jaxpr(closed, (False, True))[0].jaxpr) == ["cos", "add", "log"]


def test_dce_jaxpr_drops_unused_inputs_unless_instantiated():
    closed = trace(lambda x, y: jnp.sin(x), X, Y)
    pruned, used_inputs = dce_jaxpr(closed)
    assert used_inputs == (True, False) and len(pruned.jaxpr.invars) == 1
    kept, used_inputs = dce_jaxpr(closed, instantiate=True)
    assert used_inputs == (True, True) and len(kept.jaxpr.invars) == 2


# ------------------------------------------------------------------ transpose_jaxpr


def linear_fn(x):
    return jnp.asarray(A) @ x + x * 3.0 - x[::-1]


def test_transpose_jaxpr_dot_product_test():
    closed = trace(linear_fn, X)
    t_closed, _ = transpose_jaxpr(closed, (True,))
    ct = RNG.standard_normal(3).astype(np.float32)
    (x_ct,) = run(t_closed, ct)
    (fx,) = run(closed, X)
    np.testing.assert_allclose(np.vdot(ct, fx), np.vdot(x_ct, X), rtol=1e-5)
    np.testing.assert_allclose(x_ct, A.T @ ct + 3 * ct - ct[::-1], rtol=1e-5)


def test_transpose_jaxpr_sums_cotangents_of_a_variable_used_twice():
    closed = trace(lambda x: x + x * 3.0 + jnp.sum(x) * jnp.ones(3), X)
    t_closed, _ = transpose_jaxpr(closed, (True,))
    assert "add_any" in prim_names(t_closed.jaxpr)
    ct = np.array([1.0, 2.0, -1.0], np.float32)
    (x_ct,) = run(t_closed, ct)
    np.testing.assert_allclose(x_ct, 4 * ct + ct.sum(), rtol=1e-6)


def test_transpose_jaxpr_with_nonlinear_input_and_unused_linear_input():
    # (x, y, z) -> x * y, linear in x and z (z unused), y not linear
    closed = trace(lambda x, y, z: x * jnp.exp(y), X, Y, X)
    t_closed, nonzeros = transpose_jaxpr(closed, (True, False, True))
    assert nonzeros == (True, True)
    ct = np.array([1.0, -2.0, 0.5], np.float32)
    x_ct, z_ct = run(t_closed, Y, ct)
    np.testing.assert_allclose(x_ct, ct * np.exp(Y), rtol=1e-6)
    np.testing.assert_array_equal(z_ct, np.zeros(3, np.float32))  # zero cotangent, materialised
    # without instantiate, the symbolically zero cotangent of z is no output at all
    t_closed, nonzeros = transpose_jaxpr(closed, (True, False, True), instantiate=False)
    assert nonzeros == (True, False)
    (x_ct,) = run(t_closed, Y, ct)
    np.testing.assert_allclose(x_ct, ct * np.exp(Y), rtol=1e-6)


# ------------------------------------------------------------------ batch_jaxpr


@pytest.mark.parametrize("in_batched", [(True, False), (False, True), (True, True)])
@pytest.mark.parametrize("instantiate", [False, True])
def test_batch_jaxpr_matches_loop(in_batched, instantiate):
    closed = trace(f_two_outputs, X, Y)
    size = 4
    xs = RNG.standard_normal((size, 3)).astype(np.float32)
    ys = RNG.standard_normal((size, 3)).astype(np.float32)
    args = [v if b else v[0] for v, b in zip((xs, ys), in_batched)]
    batched, out_batched = batch_jaxpr(closed, in_batched, size, instantiate)
    outs = run(batched, *args)
    per_example = [f_two_outputs_np(xs[i] if in_batched[0] else xs[0],
                                    ys[i] if in_batched[1] else ys[0])
                   for i in range(size)]
    for k, (out, b) in enumerate(zip(outs, out_batched)):
        if not b:  # unbatched output: the same for every example
            for ex in per_example:
                np.testing.assert_allclose(out, ex[k], rtol=1e-5, atol=1e-6)
        else:
            stacked = np.stack([ex[k] for ex in per_example])
            np.testing.assert_allclose(out, stacked, rtol=1e-5, atol=1e-6)
    assert out_batched[1] == (in_batched[0] or instantiate)


def test_batch_jaxpr_keeps_unbatched_values_unbatched():
    closed = trace(lambda x, y: (x * 2.0, jnp.exp(y) + 1.0), X, Y)
    batched, out_batched = batch_jaxpr(closed, (True, False), 5)
    jaxlite.typecheck(batched)
    assert out_batched == (True, False)
    assert batched.jaxpr.outvars[1].aval.shape == (3,)
    # the exp is not broadcast to the batch: it stays on the unbatched input
    (exp_eqn,) = [e for e in batched.jaxpr.eqns if e.primitive.name == "exp"]
    assert exp_eqn.outputs[0].aval.shape == (3,)


def test_batch_jaxpr_of_jvp_jaxpr():
    closed = trace(lambda x: jnp.sum(jnp.tanh(x) ** 2), X)
    jvp_j, _ = jvp_jaxpr(closed, (True,))
    batched, out_batched = batch_jaxpr(jvp_j, (False, True), 3)
    assert out_batched == (False, True)  # the primal output does not see the batched tangents
    _, jac = run(batched, X, np.eye(3, dtype=np.float32))
    t = np.tanh(X)
    np.testing.assert_allclose(jac, 2 * t * (1 - t ** 2), rtol=1e-5)
