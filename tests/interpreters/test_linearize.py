"""Fused linearization (``interpreters.linearize``) against the staged pipeline it fuses,
and under enclosing traces (make_jaxpr, vmap, grad), where the function is traced once.

The fused path runs jvp and partial evaluation as each primitive is bound; the staged path
traces first, then applies ``jvp_jaxpr`` and ``partial_eval_jaxpr``. Both must give the
same primal values and the same linear map.
"""

import math

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import grad
from jaxlite.core.array import Array
from jaxlite.core.trace import Tracer
from jaxlite.core.tree_util import tree_flatten
from jaxlite.errors import UnexpectedTracerError
from jaxlite.interpreters.api_util import flatten_fun, leaf_info
from jaxlite.interpreters.evaluate import eval_jaxpr
from jaxlite.interpreters import jvp_jaxpr, partial_eval_jaxpr
from jaxlite.interpreters.linearize import linearize_fused

RNG = np.random.default_rng(3)
W = RNG.standard_normal((3, 4)).astype(np.float32)
B = RNG.standard_normal(4).astype(np.float32)
X = RNG.standard_normal((2, 3)).astype(np.float32)


@jaxlite.custom_jvp
def softplus(x):
    return jnp.log1p(jnp.exp(x))


softplus.defjvp(lambda p, t: (softplus(p[0]), t[0] * jaxlite.nn.sigmoid(p[0])))


PROGRAMS = {  # name: (function, arguments)
    "scalar chain": (lambda x: jnp.sin(jnp.sin(x) * 0.9 + jnp.cos(x * x) * 0.1), (1.3,)),
    "literals and constants": (lambda x: 2.0 * x + jnp.ones(()) * 3.0 - x / 4.0, (0.5,)),
    "mlp layer": (lambda w, b, x: jnp.sum(jnp.tanh(x @ w + b)), (W, B, X)),
    "reductions": (lambda x: jnp.max(x, axis=1).sum() + jnp.mean(x ** 2), (X,)),
    "two outputs": (lambda x, y: (jnp.sin(x) * y, jnp.exp(y)), (0.3, 0.7)),
    "output without tangent": (lambda x: (x * 2.0, jnp.zeros(3)), (1.0,)),
    "custom_jvp": (lambda x: jnp.sum(softplus(x)), (X,)),
    "python control flow": (lambda x: jnp.sin(x) if x > 0 else jnp.cos(x), (0.4,)),
}


def staged(fun, args):
    """The unfused pipeline: trace, jvp_jaxpr, partial_eval_jaxpr; the known part evaluated."""
    closed = jaxlite.make_jaxpr(fun)(*args)
    n = len(closed.in_avals)
    jvp, out_nonzeros = jvp_jaxpr(closed, (True,) * n, instantiate=True)
    known, linear, _, num_res = partial_eval_jaxpr(jvp, (False,) * n + (True,) * n)
    leaves = tree_flatten((tuple(args), {}))[0]
    known_outs = eval_jaxpr(known.jaxpr, known.consts, *leaves)
    outs, residuals = known_outs[:len(known_outs) - num_res], known_outs[len(known_outs) - num_res:]
    return outs, linear, residuals


def fused(fun, args):
    leaves, in_tree = tree_flatten((tuple(args), {}))
    infos = [leaf_info(x, "test") for x in leaves]
    flat_fun, _ = flatten_fun(fun, in_tree)
    outs, linear, residuals, _ = linearize_fused(
        flat_fun, [i.aval for i in infos], [i.value for i in infos], "test", lambda: 0)
    return outs, linear, residuals


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_fused_linearize_matches_the_staged_pipeline(name):
    fun, args = PROGRAMS[name]
    outs, linear_jaxpr, residuals = fused(fun, args)
    # (make_jaxpr traces abstractly: the branch taken stands in for Python control flow)
    staged_fun = jnp.sin if name == "python control flow" else fun
    staged_outs, staged_linear, staged_residuals = staged(staged_fun, args)
    for out, expected in zip(outs, staged_outs):
        assert isinstance(out, Array)
        np.testing.assert_allclose(np.asarray(out), np.asarray(expected), rtol=1e-6)
    leaves = tree_flatten((tuple(args), {}))[0]
    tangents = [RNG.standard_normal(np.shape(x)).astype(np.float32) for x in leaves]
    expected = eval_jaxpr(staged_linear.jaxpr, (), *staged_residuals, *tangents)
    for t, e in zip(eval_jaxpr(linear_jaxpr, residuals, *tangents), expected):
        np.testing.assert_allclose(np.asarray(t), np.asarray(e), rtol=1e-5, atol=1e-6)
    jaxlite.typecheck(linear_jaxpr)
    jaxlite.typecheck(staged_linear)


def test_values_that_do_not_depend_on_the_input_are_plain_arrays():
    seen = {}

    def f(x):
        seen["constant"] = jnp.ones(3) * 2.0
        seen["dependent"] = x * 2.0
        return jnp.sum(seen["dependent"] * seen["constant"])

    np.testing.assert_allclose(np.asarray(grad(f)(jnp.arange(3.0))), [4.0, 4.0, 4.0])
    assert type(seen["constant"]) is Array  # as in JAX: nothing to differentiate
    assert type(seen["dependent"]) is Tracer
    assert "Traced<f32[3]>" in repr(seen["dependent"])


def test_tracer_values_are_concrete_under_eager_grad():
    def f(x):
        y = jnp.sin(x)
        assert math.isclose(y.item(), math.sin(0.5), rel_tol=1e-6)
        return y * 3.0 if y > 0 else -y

    assert math.isclose(float(grad(f)(0.5)), 3 * math.cos(0.5), rel_tol=1e-6)


def test_tracer_leaked_from_eager_grad_raises_and_grad_still_works():
    leaked = []
    grad(lambda x: (leaked.append(jnp.sin(x)), x * 2.0)[1])(1.0)
    with pytest.raises(UnexpectedTracerError, match="unexpected tracer"):
        leaked[0] * 2.0
    with pytest.raises(UnexpectedTracerError):
        grad(lambda y: y * leaked[0])(1.0)
    assert float(grad(lambda x: x * x)(3.0)) == 6.0


def test_custom_rules_see_weak_types_under_eager_grad():
    seen = []

    @jaxlite.custom_jvp
    def f(x):
        return x * 2.0

    def f_jvp(primals, tangents):
        seen.append(primals[0].weak_type)
        return f(primals[0]), tangents[0] * 2.0

    f.defjvp(f_jvp)
    assert float(grad(lambda x: f(x) * x)(1.5)) == 6.0
    assert seen == [True]  # a Python float argument is weakly typed, as in JAX


# ------------------------------------------------------------------ under an enclosing trace


def _counting(fun):
    """``fun`` with a count of how often its Python body runs."""
    calls = []

    def counted(*args):
        calls.append(None)
        return fun(*args)

    return counted, calls


def test_grad_under_make_jaxpr_traces_the_function_once():
    f, calls = _counting(lambda x: jnp.sum(jnp.tanh(x) * 2.0))
    closed = jaxlite.make_jaxpr(grad(f))(jnp.ones(3))
    jaxlite.typecheck(closed.jaxpr)
    assert len(calls) == 1
    names = [e.primitive.name for e in closed.jaxpr.eqns]
    assert names[:3] == ["tanh", "mul", "sub"]  # the primal work, then the tangent's factor
    x = np.array([0.1, -0.4, 2.0], np.float32)
    out = eval_jaxpr(closed.jaxpr, closed.consts, x)[0]
    np.testing.assert_allclose(np.asarray(out), 2.0 * (1.0 - np.tanh(x) ** 2), rtol=1e-6)


def test_vmap_of_grad_traces_the_function_once_and_matches_a_loop():
    f, calls = _counting(lambda w, x: jnp.sum(jnp.tanh(x @ w)))
    per_example = jaxlite.vmap(grad(f), in_axes=(None, 0))(W, X)
    assert len(calls) == 1
    for i in range(len(X)):
        np.testing.assert_allclose(np.asarray(per_example[i]), np.asarray(grad(f)(W, X[i])),
                                   rtol=1e-5)


def test_nested_grad_with_python_control_flow_on_both_levels():
    def f(x):
        return jnp.sin(x) * x if x > 0 else x ** 3

    def df(x):
        g = grad(f)(x)
        return g * g if g > 0 else -g

    for x in (0.7, -0.5):
        expected = (math.cos(x) * x + math.sin(x)) if x > 0 else 3 * x * x
        second = (-math.sin(x) * x + 2 * math.cos(x)) if x > 0 else 6 * x
        want = 2 * expected * second if expected > 0 else -second
        assert math.isclose(float(grad(df)(x)), want, rel_tol=1e-5)


def test_grad_under_an_abstract_trace_still_refuses_python_control_flow():
    def f(x):
        return jnp.sin(x) if x > 0 else jnp.cos(x)

    with pytest.raises(jaxlite.errors.ConcretizationTypeError):
        jaxlite.make_jaxpr(grad(f))(0.5)
    with pytest.raises(jaxlite.errors.ConcretizationTypeError):
        jaxlite.vmap(grad(f))(jnp.ones(2))
    assert float(grad(f)(0.5)) == pytest.approx(math.cos(0.5))
