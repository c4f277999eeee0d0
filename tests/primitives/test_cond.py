"""``lax.cond`` and ``lax.switch`` through every transformation, and the ``cond`` primitive's rules.

Values against Python's ``if`` (and JAX's numbers where it matters), derivatives by
``check_grads`` to order 2 in float64 (both branches taken, pytrees, closures), ``vmap``
against a loop (batched and unbatched predicates and indices), nesting, ``jit`` bit for bit
against eager evaluation (the generated code keeps the ``if``), the jaxpr transformers on a
``cond`` equation, and the errors users can cause. Every jaxpr made is typechecked (the
conftest turns the check on; the tests also call ``typecheck`` on what they build).
"""

import re

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import grad, jit, lax, vmap
from jaxlite.core.ir import Eqn
from jaxlite.errors import TypecheckError
from jaxlite.interpreters import (
    batch_jaxpr,
    dce_jaxpr,
    eval_jaxpr,
    jvp_jaxpr,
    linearize_fused,
    partial_eval_jaxpr,
    transpose_jaxpr,
)
from jaxlite.primitives.cond import cond_p
from jaxlite.test_util import check_grads


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


def bits(x):
    return np.asarray(x).tobytes()


def conds(jaxpr):
    return [e for e in jaxpr.jaxpr.eqns if e.primitive is cond_p]


# ------------------------------------------------------------------ functions under test


def piecewise(x):
    """sin(x) * x above zero, 3 cos(x) below."""
    return lax.cond(x > 0, lambda x: jnp.sin(x) * x, lambda x: jnp.cos(x) * 3.0, x)


def tree_cond(x, w):
    """Pytrees in and out, branches closing over ``w``, an output forwarded by both."""

    def true_fun(d):
        return {"a": jnp.sin(d["u"]) * w, "b": (d["v"] * 2.0, d["u"])}

    def false_fun(d):
        return {"a": d["u"] * d["v"], "b": (jnp.cos(d["v"]) * w, d["u"])}

    out = lax.cond(jnp.sum(x) > 0, true_fun, false_fun, {"u": x, "v": x * 3.0})
    return jnp.sum(out["a"]) + jnp.sum(out["b"][0]) * jnp.sum(out["b"][1])


THREE = [lambda x: jnp.sin(x) ** 2, lambda x: x * x * x, lambda x: jnp.exp(-x)]


def three_way(i, x):
    return lax.switch(i, THREE, x)


def nested(x):
    inner = lambda x: lax.cond(x > 1, jnp.sin, jnp.cos, x) * x  # noqa: E731
    return lax.cond(x > 0, inner, lambda x: -x * x, x)


# ------------------------------------------------------------------ values


def test_cond_and_switch_values():
    assert float(piecewise(2.0)) == pytest.approx(np.sin(2.0) * 2.0, rel=1e-6)
    assert float(piecewise(-2.0)) == pytest.approx(np.cos(-2.0) * 3.0, rel=1e-6)
    for i, expected in [(-3, np.sin(0.5) ** 2), (0, np.sin(0.5) ** 2), (1, 0.125),
                        (2, np.exp(-0.5)), (7, np.exp(-0.5))]:  # clamped, as in JAX
        assert float(three_way(i, 0.5)) == pytest.approx(expected, rel=1e-6)
        assert float(three_way(np.int32(i), 0.5)) == pytest.approx(expected, rel=1e-6)
    out = lax.cond(True, lambda x, y: (x + y, [y]), lambda x, y: (x - y, [x]), 1.0, 2.0)
    assert isinstance(out, tuple) and isinstance(out[1], list)
    assert (float(out[0]), float(out[1][0])) == (3.0, 2.0)
    assert float(lax.cond(np.float32(0.0), lambda: 1.0, lambda: 2.0)) == 2.0  # 0 is false
    assert float(lax.switch(1, [lambda: 1.0], )) == 1.0  # one branch: called, whatever the index
    assert float(lax.cond(True, lambda x: x, lambda x: x, operand=4.0)) == 4.0


def test_staged_values_match_eager_ones():
    x = jnp.array([0.3, -0.4])
    closed = jaxlite.make_jaxpr(tree_cond)(x, 1.7)
    jaxlite.typecheck(closed)
    for args in [(x, 1.7), (-x * 2, 1.7)]:
        (staged,) = eval_jaxpr(closed.jaxpr, closed.consts, *args)
        assert bits(staged) == bits(tree_cond(*args))
    closed = jaxlite.make_jaxpr(three_way)(0, 0.5)
    for i in [-1, 0, 1, 2, 5]:
        assert bits(eval_jaxpr(closed.jaxpr, closed.consts, i, 0.5)[0]) == bits(three_way(i, 0.5))
    assert bits(cond_p.impl(np.int32(9), np.float32(0.5), branches=conds(closed)[0].params[
        "branches"])[0]) == bits(three_way(2, 0.5))  # out of range: the last branch


def test_eagerly_only_the_branch_taken_runs_and_staged_all_are_traced():
    calls = []

    def branch(name, f):
        def run(x):
            calls.append(name)
            return f(x)
        return run

    t, f = branch("t", jnp.sin), branch("f", jnp.cos)
    lax.cond(True, t, f, 1.0)
    grad(lambda x: lax.cond(x > 0, t, f, x))(-1.0)
    vmap(lambda x: lax.cond(True, t, f, x))(jnp.ones(2))
    assert calls == ["t", "f", "t"]
    calls.clear()
    jaxlite.make_jaxpr(lambda x: lax.cond(True, t, f, x))(1.0)
    assert calls == ["t", "f"]  # traced in JAX's order; the equation runs one
    # the linear program recorded by eager grad holds the taken branch's derivative only
    _, linear, _, _ = linearize_fused(lambda x: [piecewise(x)], [jaxlite.core.aval_of(1.0)],
                                      [np.float32(-1.0)], "test")
    assert not any(e.primitive is cond_p for e in linear.eqns)


# ------------------------------------------------------------------ derivatives


@pytest.mark.parametrize("x", [1.3, -1.3])
def test_check_grads_through_cond(x, x64):
    check_grads(piecewise, (x,), order=2)
    check_grads(jit(piecewise), (x,), order=2)
    check_grads(lambda x: jit(piecewise)(x) * x, (x,), order=2, modes=("rev",))


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_check_grads_through_pytrees_and_closures(sign, x64):
    args = (sign * np.array([0.3, 0.4]), 1.7)
    check_grads(tree_cond, args, order=2)
    check_grads(jit(tree_cond), args, order=2)


@pytest.mark.parametrize("i", [-1, 0, 1, 2, 5])
def test_check_grads_through_switch(i, x64):
    check_grads(lambda x: three_way(i, x), (0.7,), order=2)
    check_grads(lambda x: jit(three_way)(i, x), (0.7,), order=2)


def test_analytic_gradients():
    assert float(grad(piecewise)(1.0)) == pytest.approx(np.sin(1.0) + np.cos(1.0), rel=1e-6)
    assert float(jit(grad(piecewise))(-1.0)) == pytest.approx(3 * np.sin(1.0), rel=1e-6)
    assert float(grad(jit(piecewise))(-1.0)) == pytest.approx(3 * np.sin(1.0), rel=1e-6)
    for i, slope in [(0, np.sin(1.0)), (1, 0.75), (2, -np.exp(-0.5))]:
        assert float(jit(grad(three_way, argnums=1))(i, 0.5)) == pytest.approx(slope, rel=1e-6)


def test_linear_transpose_of_a_cond():
    lin = jit(lambda p, t: lax.cond(p, lambda t: 2.0 * t, lambda t: -t, t))
    assert float(jaxlite.linear_transpose(lambda t: lin(True, t), 1.0)(3.0)[0]) == 6.0
    assert float(jaxlite.linear_transpose(lambda t: lin(False, t), 1.0)(3.0)[0]) == -3.0


# ------------------------------------------------------------------ batching


def loop(f, *args):
    return np.stack([np.asarray(f(*xs)) for xs in zip(*args)])


def test_vmap_with_a_batched_predicate_matches_a_loop(x64):
    xs = np.array([-1.5, -0.2, 0.4, 2.0])
    np.testing.assert_allclose(vmap(piecewise)(xs), loop(piecewise, xs), rtol=1e-12)
    np.testing.assert_allclose(jit(vmap(piecewise))(xs), loop(piecewise, xs), rtol=1e-12)
    np.testing.assert_allclose(vmap(grad(piecewise))(xs), loop(grad(piecewise), xs), rtol=1e-12)
    check_grads(lambda xs: vmap(piecewise)(xs), (xs,), order=2)
    is_ = np.array([-2, 0, 1, 2, 9])
    ys = np.linspace(-1, 1, 5)
    np.testing.assert_allclose(vmap(three_way)(is_, ys), loop(three_way, is_, ys), rtol=1e-12)
    check_grads(jit(lambda ys: vmap(three_way)(is_, ys)), (ys,), order=2)


def test_vmap_with_an_unbatched_index_batches_each_branch(x64):
    ys = np.linspace(-1, 1, 5)
    staged = jit(vmap(three_way, in_axes=(None, 0)))  # the index traced, but not batched
    for i in [0, 1, 2]:
        np.testing.assert_allclose(staged(i, ys), loop(three_way, [i] * 5, ys), rtol=1e-12)
    closed = jaxlite.make_jaxpr(vmap(three_way, in_axes=(None, 0)))(1, ys)
    assert len(conds(closed)) == 1
    check_grads(lambda ys: staged(2, ys), (ys,), order=2)
    # operands that are not batched stay unbatched inside the branches
    mixed = jit(vmap(lambda i, x, w: lax.switch(i, [lambda x: x * w, lambda x: x + w], x),
                     in_axes=(None, 0, None)))
    np.testing.assert_allclose(mixed(1, ys, 2.0), ys + 2.0)


def test_batch_jaxpr_of_a_cond_equation():
    closed = jaxlite.make_jaxpr(three_way)(0, 0.5)
    ys = np.linspace(-1, 1, 4).astype(np.float32)
    for in_batched, index in [((True, True), np.array([0, 2, 1, 2], np.int32)),
                              ((False, True), np.int32(1))]:
        batched, _ = batch_jaxpr(closed, in_batched, 4)
        jaxlite.typecheck(batched)
        (out,) = eval_jaxpr(batched.jaxpr, batched.consts, index, ys)
        indices = np.broadcast_to(index, (4,))
        np.testing.assert_allclose(out, loop(three_way, indices, ys), rtol=1e-6)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # (sqrt's derivative at 0, not taken)
def test_vmap_of_a_batched_predicate_keeps_untaken_lanes_out_of_the_gradient():
    # sqrt's derivative is inf at 0: the lane that does not take the sqrt branch stays
    # finite, as in JAX
    f = lambda x: lax.cond(x > 0, jnp.sqrt, lambda x: x * 0.0, x)  # noqa: E731
    xs = jnp.array([0.0, 4.0])
    np.testing.assert_array_equal(grad(lambda xs: jnp.sum(vmap(f)(xs)))(xs), [0.0, 0.25])
    np.testing.assert_array_equal(jit(vmap(grad(f)))(xs), [0.0, 0.25])


# ------------------------------------------------------------------ nesting


@pytest.mark.parametrize("x", [-0.5, 0.5, 1.5])
def test_nested_conds(x, x64):
    expected = -x * x if x <= 0 else (np.sin(x) if x > 1 else np.cos(x)) * x
    assert float(nested(x)) == pytest.approx(expected)
    assert bits(jit(nested)(x)) == bits(nested(x))
    check_grads(nested, (x,), order=2)
    check_grads(jit(nested), (x,), order=2)


def test_grad_of_vmap_and_vmap_of_grad_of_nested_conds(x64):
    xs = np.array([-0.5, 0.5, 1.5])
    np.testing.assert_allclose(vmap(nested)(xs), loop(nested, xs), rtol=1e-12)
    np.testing.assert_allclose(grad(lambda xs: jnp.sum(vmap(nested)(xs)))(xs),
                               loop(grad(nested), xs), rtol=1e-12)
    np.testing.assert_allclose(jit(vmap(grad(nested)))(xs), loop(grad(nested), xs), rtol=1e-12)
    check_grads(jit(lambda xs: vmap(nested)(xs)), (xs,), order=2)


# ------------------------------------------------------------------ jit


def test_jit_is_bit_for_bit_eager_and_keeps_the_branch():
    f = jit(tree_cond)
    for x in [jnp.array([0.3, 0.4]), jnp.array([-0.3, -0.4])]:
        assert bits(f(x, 1.7)) == bits(tree_cond(x, 1.7))
    g = jit(three_way)
    for i in [-4, 0, 1, 2, 3]:
        assert bits(g(i, 0.5)) == bits(three_way(i, 0.5))
    source = g.lower(0, 0.5).compile().as_text()
    assert source.count("def cond_branch") == 3  # each branch compiled once
    assert re.search(r"if \w+ == 0:.*\n.*\n    elif \w+ == 1:\n.*\n    else:", source)
    assert "cond.impl" not in source  # not interpreted
    # a branch's own calls are inlined and simplified as jit's top level is
    h = jit(lambda p, x: lax.cond(p, jit(lambda x: x * 1.0 + 0.5), jnp.sin, x))
    assert bits(h(True, 2.0)) == bits(jnp.float32(2.5))
    assert "* 1.0" not in h.lower(True, 2.0).compile().as_text()


def test_jit_with_a_known_predicate_and_outputs_forwarded():
    f = jit(lambda x: lax.cond(True, lambda x: (x, x + 1.0), lambda x: (x, x - 1.0), x))
    a, b = f(2.0)
    assert (float(a), float(b)) == (2.0, 3.0)


# ------------------------------------------------------------------ the jaxpr transformers


def test_transformers_on_a_cond_equation_typecheck_and_compute():
    closed = jaxlite.make_jaxpr(tree_cond)(jnp.array([0.3, 0.4]), 1.7)
    (eqn,) = conds(closed)
    branches = eqn.params["branches"]
    inner = jaxlite.core.ClosedJaxpr(
        jaxlite.core.Jaxpr((), eqn.inputs, (eqn,), eqn.outputs), ())
    jaxlite.typecheck(inner)
    n = len(eqn.inputs) - 1
    jvp, _ = jvp_jaxpr(inner, (False,) + (True,) * n)
    jaxlite.typecheck(jvp)
    known, staged, out_unknowns, num_res = partial_eval_jaxpr(inner, (False, True) + (False,) * (n - 1))
    jaxlite.typecheck(known)
    jaxlite.typecheck(staged)
    assert num_res == len(staged.in_avals) - 1 and any(out_unknowns)
    batched, _ = batch_jaxpr(inner, (True,) * (n + 1), 3)
    jaxlite.typecheck(batched)
    pruned, used = dce_jaxpr(inner, (False, True))
    jaxlite.typecheck(pruned)
    (pruned_eqn,) = pruned.jaxpr.eqns
    assert len(pruned_eqn.outputs) == 1 and len(branches[0].jaxpr.outvars) == 2
    assert all(len(b.jaxpr.outvars) == 1 for b in pruned_eqn.params["branches"])
    assert used.count(True) < len(used)  # the operands only the dropped output read


def test_partial_eval_joins_the_residuals_of_the_branches():
    # the jvp jaxpr holds a cond of the primal and residuals (the true branch keeps several,
    # the false one none: it outputs zeros in their place) and a cond of the tangent, whose
    # residuals are its operands: partial evaluation reads those from the operands, so the
    # known part is one cond; known then staged compute the jvp
    closed = jaxlite.make_jaxpr(lambda p, x: lax.cond(
        p, lambda x: jnp.sin(x) * jnp.cos(x) * x, lambda x: x * 3.0, x))(True, 1.0)
    jvp, _ = jvp_jaxpr(closed, (False, True))
    assert len(conds(jvp)) == 2
    known, staged, _, _ = partial_eval_jaxpr(jvp, (False, False, True))
    jaxlite.typecheck(known)
    (known_cond,) = conds(known)
    false_outs, true_outs = [b.jaxpr.outvars for b in known_cond.params["branches"]]
    assert len(false_outs) == len(true_outs) > 2
    for p in [True, False]:
        primal_res = eval_jaxpr(known.jaxpr, known.consts, p, 1.0)
        (tangent,) = eval_jaxpr(staged.jaxpr, staged.consts, *primal_res[1:], 1.0)
        expected = jaxlite.jvp(lambda x, p=p: eval_jaxpr(closed.jaxpr, closed.consts, p, x)[0],
                               (1.0,), (1.0,))[1]
        assert float(tangent) == pytest.approx(float(expected), rel=1e-6)


def test_transpose_jaxpr_of_a_cond_is_its_adjoint():
    closed = jaxlite.make_jaxpr(lambda i, t: lax.switch(
        i, [lambda t: 2.0 * t, lambda t: -t, lambda t: t * 5.0], t))(0, 1.0)
    transposed, _ = transpose_jaxpr(closed, (False, True))
    jaxlite.typecheck(transposed)
    for i, factor in [(0, 2.0), (1, -1.0), (2, 5.0)]:
        assert float(eval_jaxpr(transposed.jaxpr, transposed.consts, i, 3.0)[0]) == 3.0 * factor


def test_typecheck_rejects_malformed_conds():
    closed = jaxlite.make_jaxpr(piecewise)(1.0)
    (eqn,) = conds(closed)
    false_branch, true_branch = eqn.params["branches"]
    other = jaxlite.make_jaxpr(lambda x: x.astype(jnp.int32))(1.0)
    bad = [dict(branches=(false_branch, other)), dict(branches=()), dict(branches=[true_branch])]
    for params in bad:
        broken = Eqn(cond_p, eqn.inputs, eqn.outputs, params, eqn.source_info)
        jaxpr = jaxlite.core.Jaxpr(closed.jaxpr.constvars, closed.jaxpr.invars,
                                   tuple(broken if e is eqn else e for e in closed.jaxpr.eqns),
                                   closed.jaxpr.outvars)
        with pytest.raises(TypecheckError, match="cond"):
            jaxlite.typecheck(jaxpr)


# ------------------------------------------------------------------ errors


def _source(f):
    return f"{f.__name__} at {f.__code__.co_filename}:{f.__code__.co_firstlineno}"


def same_pair(x):
    return x, x


def int_pair(x):
    return x, (x * 2).astype("int32")


def a_leaf(x):
    return x


def short_vector(x):
    return {"a": x, "b": x + np.zeros(3, np.float32)}


def scalar_dict(x):
    return {"a": x, "b": x}


# (the branches use only operators and methods, so that JAX can trace the same functions)
MISMATCHES = {
    "dtype": ("cond", (same_pair, int_pair), (
        "cond branches must have equal output types but they differ.\n\n"
        f"true_fun is {_source(same_pair)}\nfalse_fun is {_source(int_pair)}\n\n"
        "The output of true_fun at path [1] has type float32[] but the corresponding output of "
        "false_fun has type int32[], so the dtypes do not match.\n\n"
        "Revise true_fun and/or false_fun so that all output types match.")),
    "shape": ("cond", (scalar_dict, short_vector), (
        "cond branches must have equal output types but they differ.\n\n"
        f"true_fun is {_source(scalar_dict)}\nfalse_fun is {_source(short_vector)}\n\n"
        "The output of true_fun at path ['b'] has type float32[] but the corresponding output "
        "of false_fun has type float32[3], so the shapes do not match.\n\n"
        "Revise true_fun and/or false_fun so that all output types match.")),
    "structure": ("cond", (a_leaf, same_pair), (
        "cond branch outputs must have the same pytree structure, but they differ:\n\n"
        f"true_fun is {_source(a_leaf)}\nfalse_fun is {_source(same_pair)}\n\n"
        "true_fun output is a pytree leaf but false_fun output is a <class 'tuple'>, so their "
        "Python types differ.\n\n"
        "Revise true_fun and/or false_fun so that they have the same pytree structure.")),
    "switch": ("switch", (same_pair, same_pair, int_pair), (
        "switch branches must have equal output types but they differ.\n\n"
        f"branch 0 is {_source(same_pair)}\nbranch2 is {_source(int_pair)}\n\n"
        "The output of branch 0 at path [1] has type float32[] but the corresponding output of "
        "branch2 has type int32[], so the dtypes do not match.\n\n"
        "Revise branch 0 and/or branch2 so that all output types match.")),
}


def _call(lib, api, funs):
    if api == "cond":
        return lambda p, x: lib.lax.cond(p, *funs, x)
    return lambda p, x: lib.lax.switch(p.astype(int), funs, x)


@pytest.mark.parametrize("case", list(MISMATCHES))
def test_mismatched_branch_types_raise_as_in_jax(case):
    api, funs, message = MISMATCHES[case]
    for transform in (jaxlite.make_jaxpr, jit, vmap):  # vmap: a batched predicate
        args = (jnp.array([True, False]), jnp.ones(2)) if transform is vmap else (True, 1.0)
        with pytest.raises(TypeError) as info:
            transform(_call(jaxlite, api, funs))(*args)
        assert str(info.value) == message
    assert float(jit(piecewise)(2.0)) == pytest.approx(np.sin(2.0) * 2.0)  # still works


@pytest.mark.parametrize("case", list(MISMATCHES))
def test_the_recorded_messages_are_jaxs(case):
    jax = pytest.importorskip("jax")
    api, funs, message = MISMATCHES[case]
    with pytest.raises(TypeError) as info:
        jax.make_jaxpr(_call(jax, api, funs))(True, 1.0)
    assert str(info.value) == message


@pytest.mark.parametrize("pred, message", [
    (jnp.ones(2), "Pred must be a scalar, got [1. 1.] of shape (2,)."),
    ([True], "Pred must be a scalar, got [True] of type <class 'list'>"),
    ("a", "Pred must be a scalar, got a of type <class 'str'>"),
    (None, "cond predicate is None"),
    (1 + 2j, "Pred type must be either boolean or number, got complex64."),
    (object(), None),
])
def test_bad_predicates_raise_as_in_jax(pred, message):
    with pytest.raises(TypeError) as info:
        lax.cond(pred, jnp.sin, jnp.cos, 1.0)
    if message is not None:
        assert str(info.value) == message
    else:
        assert str(info.value).startswith("Pred type must be either boolean or number, got ")
    with pytest.raises(TypeError, match="Pred must be a scalar"):
        vmap(lambda p: lax.cond(p, jnp.sin, jnp.cos, 1.0))(jnp.ones((2, 2)))
    assert float(piecewise(2.0)) == pytest.approx(np.sin(2.0) * 2.0)  # still works


@pytest.mark.parametrize("index, error, message", [
    (jnp.ones(2, jnp.int32), TypeError, "Branch index must be scalar, got [1 1] of shape (2,)."),
    (1.0, TypeError, "Index type must be an integer, got 1.0 as float32"),
    (True, TypeError, "Index type must be an integer, got True as bool"),
    ("a", TypeError, "Index type must be an integer, got a."),
])
def test_bad_indices_raise_as_in_jax(index, error, message):
    with pytest.raises(error) as info:
        lax.switch(index, [jnp.sin, jnp.cos], 1.0)
    assert str(info.value) == message
    assert float(three_way(1, 0.5)) == 0.125


def test_bad_branches_raise_as_in_jax():
    with pytest.raises(ValueError, match="^Empty branch sequence$"):
        lax.switch(0, [], 1.0)
    with pytest.raises(TypeError, match="branches argument should be a sequence of callables"):
        lax.switch(0, [1, 2], 1.0)
    with pytest.raises(TypeError, match="true_fun and false_fun arguments should be callable"):
        lax.cond(True, 1, 2, 1.0)
    with pytest.raises(TypeError, match="no positional operands can be passed"):
        lax.cond(True, jnp.sin, jnp.cos, 1.0, operand=2.0)
    assert float(three_way(1, 0.5)) == 0.125
