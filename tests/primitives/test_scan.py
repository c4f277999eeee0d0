"""``lax.scan``, ``lax.map`` and ``lax.fori_loop`` with static bounds: values against Python
loops, derivatives (check_grads to order 2, both modes), batching against a loop, every
rule at the jaxpr level (partial evaluation, transpose by the dot-product test, dce), jit
(a loop in the generated code, bit for bit eager), the IR's size, and the errors."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax
from jaxlite.interpreters import (
    batch_jaxpr,
    dce_jaxpr,
    eval_jaxpr,
    jvp_jaxpr,
    partial_eval_jaxpr,
    transpose_jaxpr,
)
from jaxlite.primitives.scan import scan_p
from jaxlite.test_util import check_grads


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


def rnn(w, h0, xs):
    """A scan with a const (closed over), a pytree carry, xs and ys."""
    def step(carry, x):
        h, total = carry
        h = jnp.tanh(w @ h + x)
        return (h, total + h.sum()), h * 2.0

    return lax.scan(step, (h0, 0.0), xs)


def rnn_loop(w, h0, xs):
    h, total, ys = h0, 0.0, []
    for x in xs:
        h = jnp.tanh(w @ h + x)
        total = total + h.sum()
        ys.append(h * 2.0)
    return (h, total), jnp.stack(ys)


def example(dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((3, 3)).astype(dtype) * 0.5,
            rng.standard_normal(3).astype(dtype), rng.standard_normal((5, 3)).astype(dtype))


def assert_trees_close(a, b, rtol=1e-6):
    a, b = jaxlite.tree_util.tree_leaves(a), jaxlite.tree_util.tree_leaves(b)
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), rtol=rtol, atol=1e-6)


# ---------------------------------------------------------------- values


def test_scan_matches_a_python_loop():
    assert_trees_close(rnn(*example()), rnn_loop(*example()))


def test_reverse_runs_from_the_last_index_and_keeps_ys_in_index_order():
    xs = jnp.arange(4.0)
    carry, ys = lax.scan(lambda c, x: (c * 10 + x, c), 0.0, xs, reverse=True)
    assert float(carry) == 3210.0
    np.testing.assert_array_equal(np.asarray(ys), [321.0, 32.0, 3.0, 0.0])


def test_xs_none_with_length_and_zero_length():
    carry, ys = lax.scan(lambda c, _: (c + 1, c * 2), 0, None, length=4)
    assert int(carry) == 4
    np.testing.assert_array_equal(np.asarray(ys), [0, 2, 4, 6])
    carry, ys = lax.scan(lambda c, x: (c + x, c * x), jnp.full(2, 1.5), jnp.zeros((0, 2)))
    assert list(np.asarray(carry)) == [1.5, 1.5] and ys.shape == (0, 2)


def test_map_and_static_fori_loop():
    np.testing.assert_allclose(np.asarray(lax.map(jnp.sin, jnp.arange(3.0))),
                               np.sin(np.arange(3.0)), rtol=1e-6)
    assert float(lax.fori_loop(2, 5, lambda i, c: c * i, 1.0)) == 24.0
    assert float(lax.fori_loop(5, 2, lambda i, c: c * i, 1.0)) == 1.0  # empty range


@pytest.mark.parametrize("batch_size", [1, 3, 5, 20])
def test_map_in_batches(batch_size):
    xs = {"a": jnp.arange(10.0), "b": jnp.ones((10, 2))}
    f = lambda x: (jnp.sin(x["a"]) * x["b"], x["a"] * 2)  # noqa: E731
    got = lax.map(f, xs, batch_size=batch_size)
    assert_trees_close(got, lax.map(f, xs))
    assert got[0].shape == (10, 2) and got[1].shape == (10,)


def test_a_weakly_typed_carry_takes_the_dtype_the_body_gives_it():
    carry, _ = lax.scan(lambda c, x: (c + x, None), 0, jnp.ones(3, jnp.float32))
    assert carry.dtype == np.float32 and float(carry) == 3.0


def test_a_scan_of_1000_steps_is_one_equation():
    def f(c, xs):
        return lax.scan(lambda c, x: (jnp.sin(c) * x, c), c, xs)

    closed = jaxlite.make_jaxpr(f)(1.0, jnp.ones(1000))
    assert [e.primitive for e in closed.eqns] == [scan_p]
    grad = jaxlite.make_jaxpr(jaxlite.grad(lambda c, xs: f(c, xs)[0]))(1.0, jnp.ones(1000))
    assert len(grad.eqns) < 10 and sum(e.primitive is scan_p for e in grad.eqns) == 2


# ---------------------------------------------------------------- derivatives


def test_check_grads_through_scan(x64):
    w, h0, xs = example(np.float64)

    def f(w, h0, xs):
        (h, total), ys = rnn(w, h0, xs)
        return h.sum() * total + (ys ** 2).sum()

    check_grads(f, (w, h0, xs), order=2)


def test_check_grads_through_a_reverse_scan_and_static_fori_loop(x64):
    xs = np.linspace(-1.0, 1.0, 4)

    def f(a, xs):
        c, ys = lax.scan(lambda c, x: (jnp.sin(c * x) + a, c * a), a, xs, reverse=True)
        return c + lax.fori_loop(0, 3, lambda i, v: v * jnp.cos(v + i), ys).sum()

    check_grads(f, (0.7, xs), order=2)


def test_gradient_equals_the_unrolled_gradient():
    w, h0, xs = example()

    def loss(fun):
        return lambda w, h0, xs: fun(w, h0, xs)[0][1] + fun(w, h0, xs)[1].sum()

    got = jaxlite.grad(loss(rnn), argnums=(0, 1, 2))(w, h0, xs)
    want = jaxlite.grad(loss(rnn_loop), argnums=(0, 1, 2))(w, h0, xs)
    assert_trees_close(got, want, rtol=1e-5)


def test_nested_scans_differentiate(x64):
    def f(a, xs):
        def outer(c, row):
            inner, _ = lax.scan(lambda d, x: (d * jnp.sin(x + c), None), 1.0, row)
            return c + inner, inner

        return lax.scan(outer, a, xs)[1].sum()

    check_grads(f, (0.3, np.linspace(0.1, 1.0, 6).reshape(2, 3)), order=2)


def test_residuals_that_are_consts_or_xs_are_not_stacked():
    w, h0, xs = example()
    closed = jaxlite.make_jaxpr(lambda w, h0, xs: jaxlite.vjp(
        lambda w: rnn(w, h0, xs)[0][0].sum(), w)[1](1.0))(w, h0, xs)
    known, staged = [e for e in closed.eqns if e.primitive is scan_p]
    stacked = [v.aval.shape for v in known.outputs[known.params["num_carry"]:]]
    assert (5, 3, 3) not in stacked  # w is read as a const, not stacked five times
    assert closed.jaxpr.invars[0] in staged.inputs


def test_residuals_computed_from_consts_alone_are_recomputed_not_stacked(x64):
    w_closed = np.linspace(0.1, 0.9, 9).reshape(3, 3)  # a NumPy array the body closes over

    def f(v, h0, xs):
        def step(h, x):
            return jnp.tanh(h @ w_closed.T + x) * jnp.cos(v), None

        return lax.scan(step, h0, xs)[0].sum()

    args = (np.array([0.3, -0.2, 0.5]), np.ones(3), np.linspace(-1, 1, 15).reshape(5, 3))
    closed = jaxlite.make_jaxpr(jaxlite.grad(f, argnums=(0, 1)))(*args)
    known = next(e for e in closed.eqns if e.primitive is scan_p)
    stacked = [v.aval.shape for v in known.outputs[known.params["num_carry"]:]]
    assert stacked == [(5, 3)] * len(stacked)  # neither w_closed.T nor cos(v) five times
    check_grads(f, args, order=2)


# ---------------------------------------------------------------- batching


@pytest.mark.parametrize("in_axes", [(0, None, None), (None, 0, None), (None, None, 1),
                                     (0, 0, 0), (2, None, 0)])
def test_vmap_matches_a_python_loop(in_axes):
    examples = [example(seed=s) for s in range(3)]
    args = [np.stack([e[i] for e in examples], ax) if ax is not None else examples[0][i]
            for i, ax in enumerate(in_axes)]
    got = jaxlite.vmap(rnn, in_axes=in_axes)(*args)
    for b in range(3):
        one = [examples[b][i] if ax is not None else examples[0][i] for i, ax in enumerate(in_axes)]
        assert_trees_close(jaxlite.tree_util.tree_map(lambda x: x[b], got), rnn(*one), rtol=1e-5)


def test_vmap_of_grad_and_grad_of_vmap(x64):
    xs = np.linspace(-1.0, 1.0, 4)

    def f(a):
        return lax.scan(lambda c, x: (jnp.sin(c) * x + a, None), a, xs)[0]

    a = np.array([0.1, 0.5, 0.9])
    want = [float(jaxlite.grad(f)(v)) for v in a]
    np.testing.assert_allclose(np.asarray(jaxlite.vmap(jaxlite.grad(f))(a)), want)
    np.testing.assert_allclose(np.asarray(jaxlite.grad(lambda a: jaxlite.vmap(f)(a).sum())(a)),
                               want)


# ---------------------------------------------------------------- the rules at the jaxpr level


def scan_jaxpr():
    w, h0, xs = example()
    return jaxlite.make_jaxpr(rnn)(w, h0, xs), (w, h0, xs)


def test_jaxpr_transformers_give_typechecked_jaxprs_that_compute_the_same():
    closed, args = scan_jaxpr()
    want = eval_jaxpr(closed.jaxpr, closed.consts, *args)
    known, staged, out_uk, _ = partial_eval_jaxpr(closed, (False, True, False))
    jaxlite.typecheck(known)
    jaxlite.typecheck(staged)
    outs = eval_jaxpr(known.jaxpr, known.consts, args[0], args[2])
    n_known = out_uk.count(False)
    got = eval_jaxpr(staged.jaxpr, staged.consts, *outs[n_known:], args[1])
    assert_trees_close(got, [x for x, u in zip(want, out_uk) if u])
    jvp, _ = jvp_jaxpr(closed, (True, False, False))
    jaxlite.typecheck(jvp)
    batched, _ = batch_jaxpr(closed, (False, True, False), 2)
    jaxlite.typecheck(batched)
    got = eval_jaxpr(batched.jaxpr, batched.consts, args[0], np.stack([args[1]] * 2), args[2])
    assert_trees_close([x[1] for x in got], want)


def test_dce_drops_unused_ys_and_carries():
    def f(c, xs):
        (a, b, counter), ys = lax.scan(lambda c, x: ((c[0] * x, c[1] + x, c[2] + 1), c[0]),
                                       (c, c, 0), xs)
        return a, b

    closed = jaxlite.make_jaxpr(f)(1.0, jnp.ones(3))
    pruned, used = dce_jaxpr(closed, (False, True))
    (eqn,) = pruned.eqns
    assert eqn.params["num_carry"] == 1 and len(eqn.outputs) == 1  # only b's carry
    assert used == (True, True)
    np.testing.assert_allclose(np.asarray(eval_jaxpr(pruned.jaxpr, pruned.consts, 1.0,
                                                     jnp.ones(3))[0]), 4.0)


@pytest.mark.parametrize("reverse", [False, True])
def test_transpose_is_the_adjoint(reverse, x64):
    # linear in (c, xs); the loop counter is a carry that is not, computed forward first
    def linear(c, xs):
        def step(carry, x):
            i, c = carry
            c = c * 0.5 + x * (i + 1.0)
            return (i + 1, c), c * 3.0

        (_, c), ys = lax.scan(step, (0, c), xs, reverse=reverse)
        return c, ys

    rng = np.random.default_rng(0)
    c, xs = rng.standard_normal(2), rng.standard_normal((4, 2))
    ct = (rng.standard_normal(2), rng.standard_normal((4, 2)))
    out = linear(c, xs)
    ct_c, ct_xs = jaxlite.linear_transpose(linear, c, xs)(ct)
    lhs = sum(np.vdot(np.asarray(o), t) for o, t in zip(out, ct))
    np.testing.assert_allclose(lhs, np.vdot(ct_c, c) + np.vdot(ct_xs, xs), rtol=1e-12)
    closed = jaxlite.make_jaxpr(linear)(c, xs)
    transposed, _ = transpose_jaxpr(closed, (True, True))
    jaxlite.typecheck(transposed)
    got = eval_jaxpr(transposed.jaxpr, transposed.consts, *ct)
    np.testing.assert_allclose(np.asarray(got[1]), np.asarray(ct_xs), rtol=1e-12)


# ---------------------------------------------------------------- jit


def test_jit_keeps_the_loop_and_gives_eager_bits():
    args = example()

    def loss(w, h0, xs):
        (h, total), ys = rnn(w, h0, xs)
        return total + ys.sum()

    for fun in (loss, jaxlite.grad(loss, argnums=(0, 1, 2))):
        eager, jitted = fun(*args), jaxlite.jit(fun)(*args)
        leaves = jaxlite.tree_util.tree_leaves
        for a, b in zip(leaves(eager), leaves(jitted)):
            assert np.asarray(a).tobytes() == np.asarray(b).tobytes()
    source = jaxlite.jit(loss).lower(*args).compile().as_text()
    assert "for i in range(5):" in source and source.count("def scan_body") == 1


def test_the_generated_code_does_not_grow_with_the_length():
    def f(c, xs):
        return lax.scan(lambda c, x: (c * x + 1.0, None), c, xs)[0]

    short = jaxlite.jit(f).lower(1.0, jnp.ones(3)).compile().as_text()
    long = jaxlite.jit(f).lower(1.0, jnp.ones(1000)).compile().as_text()
    assert len(long.splitlines()) == len(short.splitlines())


# ---------------------------------------------------------------- errors


def test_carry_type_mismatch_names_the_component():
    with pytest.raises(TypeError, match=r"(?s)scan body function carry input and carry output "
                       r"must have equal types.*The input carry component c\[1\] has type "
                       r"float32\[\] but the corresponding output carry component has type "
                       r"float32\[2\], so the shapes do not match"):
        lax.scan(lambda c, x: ((c[0], c[1] * jnp.ones(2)), x), (1.0, 2.0), jnp.ones(3))
    with pytest.raises(TypeError, match="the dtypes do not match"):
        lax.scan(lambda c, x: (c.astype(jnp.int32), x), 1.0, jnp.ones(3))
    with pytest.raises(TypeError, match="same pytree structure"):
        lax.scan(lambda c, x: ((c, c), x), 1.0, jnp.ones(3))
    assert float(lax.scan(lambda c, x: (c + x, None), 0.0, jnp.ones(3))[0]) == 3.0


def test_bad_xs_and_body_outputs():
    with pytest.raises(ValueError, match="different leading axis sizes: 3, 4"):
        lax.scan(lambda c, x: (c, x), 1.0, (jnp.ones(3), jnp.ones(4)))
    with pytest.raises(ValueError, match="`length` argument of 4 which disagrees"):
        lax.scan(lambda c, x: (c, x), 1.0, jnp.ones(3), length=4)
    with pytest.raises(ValueError, match="no values to scan over and `length` not provided"):
        lax.scan(lambda c, x: (c, x), 1.0, None)
    with pytest.raises(ValueError, match="no leading axis to scan over"):
        lax.scan(lambda c, x: (c, x), 1.0, 2.0)
    with pytest.raises(TypeError, match="scan body output must be a pair"):
        lax.scan(lambda c, x: c, 1.0, jnp.ones(3))
    assert jaxlite.core.trace.current_trace() is None
