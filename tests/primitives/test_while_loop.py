"""``lax.while_loop`` and ``lax.fori_loop`` with traced bounds: values, forward and reverse
derivatives (check_grads to order 2; JAX has no reverse mode here), eagerly and under jit,
batching with per-lane trip counts against a Python loop, nesting in scan, the rules at
the jaxpr level, and the errors."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax
from jaxlite.core.avals import shaped_array
from jaxlite.interpreters import (
    dce_jaxpr,
    eval_jaxpr,
    linearize_fused,
    partial_eval_jaxpr,
    transpose_jaxpr,
)
from jaxlite.primitives.scan import scan_p
from jaxlite.primitives.while_loop import while_p, while_transpose_p
from jaxlite.test_util import check_grads


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


def newton_sqrt(a, x0):
    """Newton's iteration for sqrt(a) until converged: a trip count that depends on a."""
    def cond(c):
        x, i = c
        return (jnp.abs(x * x - a) > 1e-6 * a) & (i < 50)

    return lax.while_loop(cond, lambda c: (0.5 * (c[0] + a / c[0]), c[1] + 1), (x0, 0))


def decay(w, x):
    """Halve-ish a state until it is small; closes over w (a body const)."""
    def body(c):
        x, n = c
        return jnp.sin(w * x) * 0.7 + x * 0.2, n + 1

    return lax.while_loop(lambda c: (jnp.sum(c[0] ** 2) > 0.05) & (c[1] < 20), body, (x, 0))


def decay_loop(w, x):
    n = 0
    while bool(jnp.sum(x ** 2) > 0.05) and n < 20:
        x, n = jnp.sin(w * x) * 0.7 + x * 0.2, n + 1
    return x, n


# ---------------------------------------------------------------- values


def test_values_and_trip_counts():
    x, n = newton_sqrt(2.0, 1.0)
    assert abs(float(x) - 2 ** 0.5) < 1e-6 and 3 <= int(n) <= 6
    x, n = decay(1.3, jnp.array([1.0, -0.5]))
    want_x, want_n = decay_loop(1.3, jnp.array([1.0, -0.5]))
    np.testing.assert_allclose(np.asarray(x), np.asarray(want_x), rtol=1e-6)
    assert int(n) == want_n
    assert float(lax.while_loop(lambda c: c > 10.0, lambda c: c + 1, 3.0)) == 3.0  # no trip


def test_fori_loop_with_traced_bounds_is_a_while():
    def f(x, n):
        return lax.fori_loop(0, n, lambda i, c: c * 2.0 + i, x)

    assert [e.primitive for e in jaxlite.make_jaxpr(f)(1.0, 3).eqns] == [while_p]
    assert float(jaxlite.jit(f)(1.0, 3)) == float(f(1.0, 3)) == 12.0
    with pytest.raises(ValueError, match="unroll"):
        jaxlite.make_jaxpr(lambda x, n: lax.fori_loop(0, n, lambda i, c: c, x, unroll=2))(1.0, 3)


# ---------------------------------------------------------------- derivatives


def test_check_grads_through_while_loop(x64):
    check_grads(lambda a: newton_sqrt(a, 1.0)[0], (3.0,), order=2)
    check_grads(lambda w, x: decay(w, x)[0], (1.3, np.array([1.0, -0.5])), order=2)


def test_reverse_mode_matches_the_unrolled_loop():
    w, x = 1.3, jnp.array([1.0, -0.5])
    got = jaxlite.grad(lambda w, x: decay(w, x)[0].sum(), argnums=(0, 1))(w, x)
    want = jaxlite.grad(lambda w, x: decay_loop(w, x)[0].sum(), argnums=(0, 1))(w, x)
    for a, b in zip(got, want):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5)


def test_reverse_mode_under_jit_gives_eager_bits(x64):
    def f(w, x, n):
        return lax.fori_loop(0, n, lambda i, c: jnp.sin(w * c) + c * i, x).sum()

    args = (1.3, np.array([0.5, -0.25]), 4)
    grad = jaxlite.grad(f, argnums=(0, 1))
    eager, jitted = grad(*args), jaxlite.jit(grad)(*args)
    for a, b in zip(eager, jitted):
        assert np.asarray(a).tobytes() == np.asarray(b).tobytes()
    check_grads(lambda w, x: jaxlite.jit(f)(w, x, 4), args[:2], order=2)
    source = jaxlite.jit(grad).lower(*args).compile().as_text()
    assert "while " in source and ".pop()" in source  # loops in the code, not unrolled


def test_grad_of_a_trip_count_that_depends_on_the_input():
    # d sqrt(a) / da by differentiating Newton's iteration: 1 / (2 sqrt(a))
    for a in (2.0, 9.0, 30.0):
        assert abs(float(jaxlite.grad(lambda a: newton_sqrt(a, 1.0)[0])(a))
                   - 0.5 / a ** 0.5) < 1e-4


def test_while_inside_scan_differentiates(x64):
    def f(a, xs):
        def step(c, x):
            y, _ = lax.while_loop(lambda d: d[1] < 3, lambda d: (jnp.sin(d[0] * x) + c, d[1] + 1),
                                  (c, 0))
            return y * 0.5, y

        c, ys = lax.scan(step, a, xs)
        return c + ys.sum()

    check_grads(f, (0.4, np.linspace(0.2, 1.0, 3)), order=2)


def test_eagerly_the_forward_loop_runs_once_and_the_linear_part_is_a_scan():
    outs, linear, residuals, _ = linearize_fused(
        lambda a: [newton_sqrt(a, 1.0)[0]], [shaped_array((), np.float32)],
        [np.float32(2.0)], "test")
    assert [e.primitive for e in linear.eqns] == [scan_p]
    (eqn,) = linear.eqns
    assert eqn.params["length"] == int(newton_sqrt(2.0, 1.0)[1])  # the trip count
    assert abs(float(outs[0]) - 2 ** 0.5) < 1e-6


def test_under_a_trace_the_linear_part_is_a_while_and_its_transpose_a_while_transpose():
    closed = jaxlite.make_jaxpr(jaxlite.grad(lambda a: newton_sqrt(a, 1.0)[0]))(2.0)
    assert [e.primitive for e in closed.eqns if e.primitive in (while_p, while_transpose_p)] == \
        [while_p, while_transpose_p]


# ---------------------------------------------------------------- batching


def test_vmap_with_a_batched_predicate_runs_every_lane_to_its_end():
    a = jnp.array([2.0, 9.0, 1e4])
    x, n = jaxlite.vmap(lambda a: newton_sqrt(a, 1.0))(a)
    for i, v in enumerate([2.0, 9.0, 1e4]):
        want_x, want_n = newton_sqrt(v, 1.0)
        assert float(x[i]) == float(want_x) and int(n[i]) == int(want_n)
    assert len(set(np.asarray(n).tolist())) == 3  # three different trip counts


@pytest.mark.parametrize("in_axes", [(0, None), (None, 0), (0, 0), (None, 1)])
def test_vmap_matches_a_python_loop(in_axes):
    w = np.array([0.9, 1.3, 2.0])
    x = np.array([[1.0, -0.5], [0.3, 0.2], [2.0, 1.0]])
    args = [w if in_axes[0] == 0 else 1.3, x.T if in_axes[1] == 1 else (x if in_axes[1] == 0
                                                                         else x[0])]
    got_x, got_n = jaxlite.vmap(decay, in_axes=in_axes)(*args)
    for b in range(3):
        one = [w[b] if in_axes[0] == 0 else 1.3, x[b] if in_axes[1] is not None else x[0]]
        want_x, want_n = decay_loop(*one)
        np.testing.assert_allclose(np.asarray(got_x[b]), np.asarray(want_x), rtol=1e-6)
        assert int(got_n[b] if np.ndim(got_n) else got_n) == want_n


def test_vmap_of_grad_and_grad_of_vmap_with_different_trip_counts(x64):
    a = np.array([2.0, 9.0, 30.0])
    f = lambda a: newton_sqrt(a, 1.0)[0]  # noqa: E731
    want = [float(jaxlite.grad(f)(v)) for v in a]
    np.testing.assert_allclose(np.asarray(jaxlite.vmap(jaxlite.grad(f))(a)), want, rtol=1e-10)
    np.testing.assert_allclose(np.asarray(jaxlite.grad(lambda a: jaxlite.vmap(f)(a).sum())(a)),
                               want, rtol=1e-10)
    np.testing.assert_allclose(np.asarray(jaxlite.jit(jaxlite.vmap(jaxlite.grad(f)))(a)), want,
                               rtol=1e-10)


def test_vmap_of_fori_loop_with_batched_bounds():
    n = jnp.array([0, 2, 5])
    got = jaxlite.vmap(lambda n: lax.fori_loop(0, n, lambda i, c: c * 2.0 + i, 1.0))(n)
    np.testing.assert_array_equal(np.asarray(got), [1.0, 5.0, 58.0])


# ---------------------------------------------------------------- the rules at the jaxpr level


def test_partial_evaluation_stages_the_whole_loop():
    def f(x, n):
        return lax.fori_loop(0, n, lambda i, c: c * 2.0 + i, x)

    closed = jaxlite.make_jaxpr(f)(1.0, 3)
    known, staged, out_uk, num_res = partial_eval_jaxpr(closed, (True, False))
    assert out_uk == (True,)
    assert not known.eqns  # the counter's loop is recomputed in the staged loop: dead here
    (staged_loop,) = staged.eqns
    assert staged_loop.primitive is while_p and len(staged_loop.outputs) == 3
    residuals = eval_jaxpr(known.jaxpr, known.consts, 3)
    assert float(eval_jaxpr(staged.jaxpr, staged.consts, *residuals, 1.0)[0]) == 12.0


def test_dce_drops_a_carry_nothing_reads():
    def f(x):
        return lax.while_loop(lambda c: c[0] < 10.0, lambda c: (c[0] * 2.0, c[1] + 1.0, c[2]),
                              (x, 0.0, x))

    closed = jaxlite.make_jaxpr(f)(1.0)
    pruned, _ = dce_jaxpr(closed, (True, False, False))
    (eqn,) = pruned.eqns
    assert len(eqn.outputs) == 1 and len(eqn.params["body_jaxpr"].jaxpr.invars) == 1
    assert float(eval_jaxpr(pruned.jaxpr, pruned.consts, 1.0)[0]) == 16.0


def test_transpose_is_the_adjoint(x64):
    def linear(c, n):  # linear in c; the trip count comes from the counter
        return lax.fori_loop(0, n, lambda i, c: c[::-1] * 0.5 + c * i, c)

    rng = np.random.default_rng(0)
    c, ct = rng.standard_normal(3), rng.standard_normal(3)
    closed = jaxlite.make_jaxpr(linear)(c, 4)
    transposed, _ = transpose_jaxpr(closed, (True, False))
    jaxlite.typecheck(transposed)
    (ct_c,) = eval_jaxpr(transposed.jaxpr, transposed.consts, 4, ct)
    np.testing.assert_allclose(np.vdot(np.asarray(linear(c, 4)), ct), np.vdot(ct_c, c),
                               rtol=1e-12)


# ---------------------------------------------------------------- errors


def test_cond_must_give_a_boolean_scalar():
    with pytest.raises(TypeError, match=r"cond_fun must return a boolean scalar, but got "
                                        r"output type\(s\) \[ShapedArray\(bool\[2\]\)\]"):
        lax.while_loop(lambda c: jnp.ones(2) > 0, lambda c: c, 1.0)
    with pytest.raises(TypeError, match="cond_fun must return a boolean scalar"):
        lax.while_loop(lambda c: 1, lambda c: c, 1.0)


def test_carry_mismatches_name_the_component():
    with pytest.raises(TypeError, match=r"(?s)while_loop body function carry input and carry "
                                        r"output must have equal types.*The input carry c has "
                                        r"type float32\[\] but.*int32\[\], so the dtypes do not"):
        lax.while_loop(lambda c: True, lambda c: c.astype(jnp.int32), 1.0)
    with pytest.raises(TypeError, match="same pytree structure"):
        lax.while_loop(lambda c: True, lambda c: (c, c), 1.0)
    with pytest.raises(TypeError, match=r"loop_carry\[1\] has type float32\[\] but"):
        lax.fori_loop(0, 3, lambda i, c: c.astype(jnp.int32), 1.0)
    assert float(lax.while_loop(lambda c: c < 3.0, lambda c: c + 1.0, 0.0)) == 3.0
