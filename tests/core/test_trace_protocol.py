"""The trace protocol, stated by a transformation defined here and nowhere in the package.

``CountingTrace`` counts the primitives applied to its values and hands every operation to
the enclosing trace. Defining it takes one Trace subclass; it then composes with grad,
vmap and make_jaxpr, inside and outside them, with no change to jaxlite.
"""

from collections import Counter

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.core import Trace, Tracer, aval_of, bind_in, current_trace, run_in, trace_of
from jaxlite.core.tree_util import tree_flatten, tree_unflatten


class CountingTrace(Trace):
    """Counts primitives by name; the values are those of the enclosing trace."""

    def __init__(self, parent):
        super().__init__("count_primitives", parent)
        self.counts = Counter()

    def process(self, prim, args, params):
        self.counts[prim.name] += 1
        vals = [x.val if trace_of(x) is self else x for x in args]
        outs = bind_in(self.parent, prim, vals, params)
        return [Tracer(self, aval_of(out), out) for out in outs]


def count_primitives(fun):
    """``fun`` returning ``(its result, Counter of the primitives it applied)``."""

    def counted(*args):
        trace = CountingTrace(current_trace())
        leaves, tree = tree_flatten(args)
        tracers = [Tracer(trace, aval_of(x), x) for x in leaves]
        try:
            out = run_in(trace, fun, *tree_unflatten(tree, tracers))
        finally:
            trace.alive = False
        out_leaves, out_tree = tree_flatten(out)
        vals = [x.val if trace_of(x) is trace else x for x in out_leaves]
        return tree_unflatten(out_tree, vals), trace.counts

    return counted


def f(x):
    return jnp.sum(jnp.sin(x) * x)


X = np.array([0.5, 1.0, 2.0], np.float32)
DF = np.sin(X) + X * np.cos(X)


def test_eager():
    out, counts = count_primitives(f)(X)
    np.testing.assert_allclose(np.asarray(out), np.sum(np.sin(X) * X), rtol=1e-6)
    assert counts == {"sin": 1, "mul": 1, "reduce_sum": 1}


def test_python_control_flow_sees_concrete_values():
    out, counts = count_primitives(lambda x: jnp.sin(x) if x > 0 else jnp.cos(x))(1.0)
    assert float(out) == pytest.approx(np.sin(1.0))
    assert counts["gt"] == 1 and counts["sin"] == 1


def test_grad_of_counted():
    # the counted function runs inside grad: the counting trace sees the primal program
    seen = []

    def loss(x):
        out, counts = count_primitives(f)(x)
        seen.append(counts)
        return out

    np.testing.assert_allclose(np.asarray(jaxlite.grad(loss)(X)), DF, rtol=1e-6)
    assert seen[0] == {"sin": 1, "mul": 1, "reduce_sum": 1}


def test_counted_grad():
    # grad runs inside the counting trace: it sees the forward and the backward pass
    g, counts = count_primitives(jaxlite.grad(f))(X)
    np.testing.assert_allclose(np.asarray(g), DF, rtol=1e-6)
    assert counts["sin"] == 1 and counts["cos"] == 1 and counts["mul"] >= 2


def test_vmap_of_counted_and_counted_vmap():
    xs = np.stack([X, 2 * X])
    batched = jaxlite.vmap(lambda x: count_primitives(f)(x)[0])
    np.testing.assert_allclose(np.asarray(batched(xs)), np.sum(np.sin(xs) * xs, axis=1),
                               rtol=1e-6)
    out, counts = count_primitives(jaxlite.vmap(f))(xs)
    np.testing.assert_allclose(np.asarray(out), np.sum(np.sin(xs) * xs, axis=1), rtol=1e-6)
    assert counts == {"sin": 1, "mul": 1, "reduce_sum": 1}


def test_make_jaxpr_of_counted():
    closed = jaxlite.make_jaxpr(lambda x: count_primitives(f)(x)[0])(X)
    jaxlite.typecheck(closed)
    assert [e.primitive.name for e in closed.jaxpr.eqns] == ["sin", "mul", "reduce_sum"]


def test_counted_vmap_of_grad_with_a_custom_rule():
    @jaxlite.custom_jvp
    def softplus(x):
        return jnp.log1p(jnp.exp(x))

    softplus.defjvp(lambda p, t: (softplus(p[0]), t[0] * jaxlite.nn.sigmoid(p[0])))
    per_example = jaxlite.vmap(jaxlite.grad(lambda x: jnp.sum(softplus(x))))
    out, counts = count_primitives(per_example)(np.stack([X, -X]))
    expected = 1 / (1 + np.exp(-np.stack([X, -X])))
    np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-5)
    assert counts["logistic"] >= 1
