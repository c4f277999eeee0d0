"""``jit`` under and over every other transform, and the ``jit`` call primitive's rules.

A transform of a jitted function gives bit for bit what the transform of the function
gives (the composition table); derivatives are checked numerically in float64; the call
primitive's partial evaluation, dead-code elimination, transposition and batching are
checked on jaxprs that hold ``jit`` equations. When JAX is installed the composition
table is also compared with JAX's values.
"""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import errors, grad, jit, linear_transpose, make_jaxpr, vmap
from jaxlite.interpreters import batch_jaxpr, dce_jaxpr, eval_jaxpr, partial_eval_jaxpr
from jaxlite.test_util import check_grads
from jaxlite.tree_util import tree_flatten

X = np.float32(0.7)
XS = np.linspace(-1.0, 1.0, 4).astype(np.float32)
YS = np.linspace(0.5, 2.0, 4).astype(np.float32)
M = np.arange(12.0, dtype=np.float32).reshape(3, 4) / 10


def leaves(tree):
    return tree_flatten(tree)[0]


def assert_bitwise(got, expected):
    got_leaves, got_tree = tree_flatten(got)
    expected_leaves, expected_tree = tree_flatten(expected)
    assert got_tree == expected_tree
    for a, b in zip(got_leaves, expected_leaves, strict=True):
        assert (a.dtype, a.shape, a.weak_type) == (b.dtype, b.shape, b.weak_type)
        assert np.asarray(a).tobytes() == np.asarray(b).tobytes(), (a, b)


def no_jit(fun, **_):
    return fun


# ------------------------------------------------------------------ the composition table


def functions(lib):
    """The functions under test, written against ``lib``'s numpy and custom rules."""
    np_ = lib.numpy

    def f(x):
        return np_.sin(x) * x + np_.exp(-x * x)

    def f2(x, y):
        return np_.sum(np_.tanh(x * y) + x**2)

    @lib.custom_jvp
    def cube(x):
        return x**3

    @cube.defjvp
    def _cube_jvp(primals, tangents):  # d x**3 = 5 x**2 dx (sic: tells which rule ran)
        (x,), (t,) = primals, tangents
        return cube(x), 5.0 * x**2 * t

    @lib.custom_vjp
    def vcube(x):
        return x**3

    vcube.defvjp(lambda x: (x**3, x), lambda x, ct: (5.0 * x**2 * ct,))
    return f, f2, cube, vcube


def table(lib, J):
    """Each row's value, with ``J`` as jit: ``lib.jit``, or ``no_jit`` for the reference."""
    f, f2, cube, vcube = functions(lib)
    one = np.float32(1.0)

    def vjp_of(fun, x, ct):
        out, pullback = lib.vjp(fun, x)
        return out, pullback(ct)

    def linearize_of(fun, x, t):
        out, f_lin = lib.linearize(fun, x)
        return out, f_lin(t)

    return {
        "jit(f)": lambda: J(f)(X),
        "jit(f) of a vector": lambda: J(f)(XS),
        "grad(jit(f))": lambda: lib.grad(J(f))(X),
        "jit(grad(f))": lambda: J(lib.grad(f))(X),
        "jit(grad(jit(f)))": lambda: J(lib.grad(J(f)))(X),
        "grad(grad(jit(f)))": lambda: lib.grad(lib.grad(J(f)))(X),
        "jit(grad(grad(f)))": lambda: J(lib.grad(lib.grad(f)))(X),
        "vmap(jit(f))": lambda: lib.vmap(J(f))(XS),
        "vmap(jit(grad(f)))": lambda: lib.vmap(J(lib.grad(f)))(XS),
        "jit(vmap(grad(f)))": lambda: J(lib.vmap(lib.grad(f)))(XS),
        "jit(jit(f))": lambda: J(J(f))(X),
        "value_and_grad(jit(f))": lambda: lib.value_and_grad(J(f))(X),
        "jit(value_and_grad(f))": lambda: J(lib.value_and_grad(f))(X),
        "vmap(jit(f2), in_axes=(0, None))":
            lambda: lib.vmap(J(f2), in_axes=(0, None))(M, XS),
        "vmap(jit(f2), in_axes=(None, 1))":
            lambda: lib.vmap(J(f2), in_axes=(None, 1))(XS[:3], M),
        "jvp(jit(f))": lambda: lib.jvp(J(f), (XS,), (YS,)),
        "jit(jvp(f))": lambda: J(lambda x, t: lib.jvp(f, (x,), (t,)))(XS, YS),
        "vjp(jit(f))": lambda: vjp_of(J(f), XS, YS),
        "jit(vjp(f))": lambda: J(lambda x, ct: vjp_of(f, x, ct))(XS, YS),
        "linearize(jit(f))": lambda: linearize_of(J(f), XS, YS),
        "jacfwd(jit(f))": lambda: lib.jacfwd(J(f))(XS),
        "jacrev(jit(f))": lambda: lib.jacrev(J(f))(XS),
        "jit(jacfwd(f))": lambda: J(lib.jacfwd(f))(XS),
        "jit(jacrev(f))": lambda: J(lib.jacrev(f))(XS),
        "hessian(jit(f2))": lambda: lib.hessian(J(f2))(XS, YS),
        "jit(hessian(f2))": lambda: J(lib.hessian(f2))(XS, YS),
        "grad(jit(f2), argnums=(0, 1))": lambda: lib.grad(J(f2), argnums=(0, 1))(XS, YS),
        "grad(jit(custom_jvp))": lambda: lib.grad(J(cube))(X),
        "jit(grad(custom_jvp))": lambda: J(lib.grad(cube))(X),
        "jit(custom_jvp)": lambda: J(lambda x: cube(x) * one)(lib.numpy.asarray(XS)),
        "vmap(jit(grad(custom_jvp)))": lambda: lib.vmap(J(lib.grad(cube)))(XS),
        "grad(jit(custom_vjp))": lambda: lib.grad(J(vcube))(X),
        "jit(grad(custom_vjp))": lambda: J(lib.grad(vcube))(X),
        "vmap(jit(grad(custom_vjp)))": lambda: lib.vmap(J(lib.grad(vcube)))(XS),
        "hessian(jit(custom_vjp))": lambda: lib.grad(lib.grad(J(lambda x: vcube(x) * x)))(X),
    }


ROWS = list(table(jaxlite, no_jit))
JAX_ROWS = ["jit(f) of a vector", "grad(jit(f))", "jit(grad(f))", "vmap(jit(grad(f)))",
            "vmap(jit(f2), in_axes=(0, None))", "jvp(jit(f))", "vjp(jit(f))", "jacrev(jit(f))",
            "grad(jit(custom_jvp))", "jit(grad(custom_vjp))"]
"""The rows compared with JAX: a sample, since XLA compiles each (a second or so per row)."""


@pytest.mark.parametrize("row", ROWS)
def test_a_transform_of_jit_is_bit_for_bit_the_transform(row):
    assert_bitwise(table(jaxlite, jit)[row](), table(jaxlite, no_jit)[row]())


@pytest.mark.parametrize("row", JAX_ROWS)
def test_the_composition_table_agrees_with_jax(row):
    jax = pytest.importorskip("jax")
    ours, theirs = table(jaxlite, jit)[row](), table(jax, jax.jit)[row]()
    ours_leaves, theirs_leaves = leaves(ours), jax.tree_util.tree_leaves(theirs)
    assert len(ours_leaves) == len(theirs_leaves)
    for a, b in zip(ours_leaves, theirs_leaves):
        assert (a.dtype, a.shape, a.weak_type) == (b.dtype, b.shape, b.weak_type)
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)


def test_custom_rules_run_inside_jit():
    _, _, cube, vcube = functions(jaxlite)
    assert float(grad(jit(cube))(2.0)) == 20.0  # the rule's 5 x**2, not 3 x**2
    assert float(jit(grad(vcube))(2.0)) == 20.0


# ------------------------------------------------------------------ derivatives in float64


def f64(x, y):
    return jnp.sum(jnp.tanh(x * y) * jnp.sin(x) + x**3 / (1.0 + y * y))


CHECKED = {
    "jit(f)": jit(f64),
    "jit(f) inside": lambda x, y: jit(f64)(x, y) * 2.0,
    "jit(grad(f))": jit(grad(f64)),
    "grad(jit(f))": grad(jit(f64)),
    "jit(jit(f))": jit(lambda x, y: jit(f64)(x, y) ** 2),
    "vmap(jit(f))": lambda x, y: vmap(jit(lambda a, b: jnp.sin(a) * b))(x, y),
}


@pytest.mark.parametrize("name", list(CHECKED))
def test_derivatives_through_jit_agree_with_finite_differences_in_float64(name):
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores it
    x, y = np.linspace(-1.0, 1.0, 5), np.linspace(0.5, 2.0, 5)
    check_grads(CHECKED[name], (x, y), order=2)
    assert grad(jit(f64))(x, y).dtype == np.float64


def test_grad_of_jit_analytically():
    # d/dx (sin x * x) = cos x * x + sin x
    x = np.float32(0.3)
    expected = np.cos(x) * x + np.sin(x)
    np.testing.assert_allclose(float(grad(jit(lambda x: jnp.sin(x) * x))(x)), expected,
                               rtol=1e-6)
    np.testing.assert_allclose(float(grad(grad(jit(lambda x: x**3)))(x)), 6 * x, rtol=1e-6)


# ------------------------------------------------------------------ closures


def test_jit_closing_over_a_tracer_of_an_enclosing_grad():
    assert float(grad(lambda x: jit(lambda y: x * y)(2.0))(3.0)) == 2.0

    def outer(x):
        return jit(lambda y: x * x * y)(2.0)  # d/dx = 4 x

    assert [float(grad(outer)(x)) for x in (3.0, 5.0, 3.0)] == [12.0, 20.0, 12.0]
    assert float(grad(grad(outer))(3.0)) == 4.0
    np.testing.assert_array_equal(np.asarray(vmap(outer)(jnp.arange(3.0))), [0.0, 2.0, 8.0])


def test_jit_of_a_function_closing_over_an_outer_tracer_is_not_cached_across_calls():
    def outer(x):
        def inner(y):
            return x * x * y

        inner_jit = jit(inner)
        return inner_jit(2.0) + inner_jit(3.0)  # two calls, the same closed-over tracer

    assert float(grad(outer)(1.0)) == 10.0
    assert float(grad(outer)(2.0)) == 20.0
    jitted_outer = jit(outer)
    assert [float(jitted_outer(x)) for x in (1.0, 2.0)] == [5.0, 20.0]


def test_a_jitted_function_kept_across_calls_never_reuses_an_old_tracer():
    # the jitted function outlives each grad and reads that grad's tracer through a cell:
    # the second grad must not silently use the first one's trace (JAX raises
    # UnexpectedTracerError here; a correct value is as good)
    cell = {}
    inner = jit(lambda y: cell["x"] * cell["x"] * y)

    def outer(x):
        cell["x"] = x
        return inner(2.0)

    for x in (3.0, 5.0):
        try:
            assert float(grad(outer)(x)) == 4 * x
        except errors.UnexpectedTracerError:
            pass


def test_jit_closing_over_numpy_constants():
    c64 = np.array([1.0, 2.0, 3.0])
    c32 = np.array([1.0, 2.0, 3.0], np.float32)
    assert_bitwise(jit(lambda x: x * c64)(2.0), jnp.asarray([2.0, 4.0, 6.0]))
    assert_bitwise(jit(lambda x: x * c32)(jnp.ones(3)), jnp.asarray(c32))
    assert float(grad(jit(lambda x: jnp.sum(x * c32)))(2.0)) == 6.0
    assert_bitwise(vmap(jit(lambda x: x * c32))(jnp.ones((2, 3))),
                   jnp.asarray(np.stack([c32, c32])))
    jaxpr = make_jaxpr(jit(lambda x: x * c32))(jnp.ones(3))
    jaxlite.typecheck(jaxpr)


# ------------------------------------------------------------------ batching against a loop


def one(x):
    return jnp.sin(x) * 2.0, jnp.sum(x)


def two(v, w):
    return jnp.sum(v[:, None] * w, axis=0), jnp.max(v)


def tree(d):
    return two(d["a"], d["b"])


# (vmap of the jitted function, the same by a Python loop, the axis the loop stacks along)
LOOPS = {
    "in_axes=0": lambda: (vmap(jit(one))(M), [jit(one)(m) for m in M], (0, 0)),
    "in_axes=1": lambda: (vmap(jit(one), in_axes=1)(M), [jit(one)(m) for m in M.T], (0, 0)),
    "out_axes=(1, 0)": lambda: (vmap(jit(one), out_axes=(1, 0))(M),
                                [jit(one)(m) for m in M], (1, 0)),
    "in_axes=(0, None)": lambda: (vmap(jit(two), in_axes=(0, None))(M, M.T),
                                  [jit(two)(m, M.T) for m in M], (0, 0)),
    "in_axes=(None, 1)": lambda: (vmap(jit(two), in_axes=(None, 1))(XS[:3], M[:, :, None]),
                                  [jit(two)(XS[:3], M[:, i, None]) for i in range(4)], (0, 0)),
    "in_axes={a: 0, b: None}": lambda: (vmap(jit(tree), in_axes=({"a": 0, "b": None},))(
        {"a": M, "b": M.T}), [jit(tree)({"a": m, "b": M.T}) for m in M], (0, 0)),
}


@pytest.mark.parametrize("name", list(LOOPS))
def test_vmap_of_jit_is_a_python_loop(name):
    batched, looped, axes = LOOPS[name]()
    for k, (out, axis) in enumerate(zip(batched, axes, strict=True)):
        expected = np.stack([np.asarray(r[k]) for r in looped], axis=axis)
        np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-6)


# ------------------------------------------------------------------ the call primitive's rules


def three(x, y):
    return jnp.sin(x) * y, jnp.cos(x), y * 2.0


def jaxpr_with_a_jit():
    closed = make_jaxpr(lambda x, y: jit(three)(x, y))(1.0, 2.0)
    jaxlite.typecheck(closed)
    assert [e.primitive.name for e in closed.jaxpr.eqns] == ["jit"]
    return closed


def run(closed, *args):
    return [np.asarray(v) for v in eval_jaxpr(closed.jaxpr, closed.consts, *args)]


@pytest.mark.parametrize("unknowns", [(False, True), (True, False), (True, True),
                                      (False, False)])
@pytest.mark.parametrize("instantiate", [False, True])
def test_partial_eval_of_a_jit_equation_splits_it_into_known_and_staged_calls(
        unknowns, instantiate):
    closed = jaxpr_with_a_jit()
    known, staged, out_unknowns, num_res = partial_eval_jaxpr(closed, unknowns, instantiate)
    jaxlite.typecheck(known)
    jaxlite.typecheck(staged)
    args = [np.float32(0.5), np.float32(3.0)]
    known_outs = run(known, *[a for a, u in zip(args, unknowns) if not u])
    n_known = len(known_outs) - num_res
    staged_outs = run(staged, *known_outs[n_known:], *[a for a, u in zip(args, unknowns) if u])
    known_it, staged_it = iter(known_outs[:n_known]), iter(staged_outs)
    outs = [next(staged_it) if u else next(known_it) for u in out_unknowns]
    expected = run(closed, *args)
    assert [o.tobytes() for o in outs] == [e.tobytes() for e in expected]
    if instantiate:
        assert out_unknowns == (True, True, True)
    else:
        assert out_unknowns == (unknowns[0] or unknowns[1], unknowns[0], unknowns[1])
    for part in (known, staged):  # jitted code stays jitted
        assert {e.primitive.name for e in part.jaxpr.eqns} <= {"jit"}


def test_partial_eval_forwards_a_known_input_as_a_residual_without_a_known_call():
    closed = make_jaxpr(lambda x, y: jit(lambda a, b: a * b)(x, y))(1.0, 2.0)
    known, staged, out_unknowns, num_res = partial_eval_jaxpr(closed, (False, True))
    assert (out_unknowns, num_res) == ((True,), 1)
    assert not known.jaxpr.eqns
    assert known.jaxpr.outvars[0] is known.jaxpr.invars[0]
    assert [e.primitive.name for e in staged.jaxpr.eqns] == ["jit"]


@pytest.mark.parametrize("used", [(True, False, False), (False, True, False),
                                  (False, False, True), (True, True, True),
                                  (False, False, False)])
def test_dce_of_a_jit_equation_prunes_its_jaxpr(used):
    closed = jaxpr_with_a_jit()
    pruned, used_inputs = dce_jaxpr(closed, used)
    jaxlite.typecheck(pruned)
    # sin(x) * y needs both; cos(x) needs x; y * 2.0 needs y
    needs = [(True, True), (True, False), (False, True)]
    assert tuple(used_inputs) == tuple(
        any(n[i] for n, u in zip(needs, used) if u) for i in range(2))
    args = [a for a, u in zip([np.float32(0.5), np.float32(3.0)], used_inputs) if u]
    expected = [e for e, u in zip(run(closed, 0.5, 3.0), used) if u]
    assert [o.tobytes() for o in run(pruned, *args)] == [e.tobytes() for e in expected]
    if not any(used):
        assert list(pruned.jaxpr.eqns) == []
    else:
        [eqn] = pruned.jaxpr.eqns
        assert len(eqn.params["jaxpr"].jaxpr.outvars) == sum(used)


def test_transpose_of_jit_passes_the_dot_product_test():
    jaxlite.config.update("jax_enable_x64", True)
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(3), np.float64(0.0)
    linear = jit(lambda x, y: (2.0 * x - y, jnp.sum(x) * 3.0 + y))
    transposed = linear_transpose(linear, x, y)
    t = (rng.standard_normal(3), rng.standard_normal())
    ct = (rng.standard_normal(3), rng.standard_normal())
    forward = linear(*t)
    backward = transposed(ct)
    lhs = sum(np.vdot(np.asarray(a), np.asarray(b)) for a, b in zip(ct, forward))
    rhs = sum(np.vdot(np.asarray(a), np.asarray(b)) for a, b in zip(backward, t))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)
    jaxpr = make_jaxpr(transposed)(ct)
    jaxlite.typecheck(jaxpr)
    assert [e.primitive.name for e in jaxpr.jaxpr.eqns] == ["jit"]  # stays jitted


def test_batching_a_jit_equation_is_a_python_loop():
    closed = jaxpr_with_a_jit()
    batched, out_batched = batch_jaxpr(closed, (True, False), 4)
    jaxlite.typecheck(batched)
    assert out_batched == (True, True, False)
    assert [e.primitive.name for e in batched.jaxpr.eqns] == ["jit"]
    xs, y = XS, np.float32(3.0)
    outs = run(batched, xs, y)
    for k, b in enumerate(out_batched):
        looped = [run(closed, x, y)[k] for x in xs]
        np.testing.assert_array_equal(outs[k], np.stack(looped) if b else looped[0])
