"""The composition matrix: over a corpus of functions R^4 -> R, every transform and
composition of transforms agrees with float64 references (the function in NumPy, its
gradient and Hessian-vector products by central differences).
"""

import functools

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import grad, jvp, make_jaxpr, vjp, vmap
from jaxlite.interpreters import eval_jaxpr

RNG = np.random.default_rng(7)
S = RNG.standard_normal((4, 4))
POINTS = RNG.standard_normal((3, 4))  # three points in R^4, away from every kink
T = RNG.standard_normal(4)  # a tangent, a direction for Hessian-vector products


def _logsumexp(xp, x):
    return xp.log(xp.sum(xp.exp(x - 1.0))) + 1.0


def _rosenbrock(xp, x):
    return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def _checkpointed_groups(xp, x):
    """Checkpointed groups of checkpointed layers (in NumPy, the same function unwrapped)."""
    wrap = jaxlite.checkpoint if xp is jnp else (lambda f, policy=None: f)
    layer = wrap(lambda y: y + xp.tanh(xp.asarray(S, y.dtype) @ y) * 0.5)
    group = wrap(lambda y: layer(xp.sin(layer(y))),
                 policy=jaxlite.checkpoint_policies.dots_saveable)
    return xp.sum(group(group(x)) ** 2)


def _scan_recurrence(xp, x):
    """A recurrence over x's entries: lax.scan (in NumPy, a Python loop)."""
    def step(c, xi):
        return xp.tanh(c * 1.5 + xi), c * xi

    if xp is jnp:
        c, ys = jaxlite.lax.scan(step, 0.5, x)
        return c + xp.sum(ys)
    c, total = 0.5, 0.0
    for xi in x:
        c, y = step(c, xi)
        total = total + y
    return c + total


def _while_iterations(xp, x):
    """Three steps of a map, counted in a lax.while_loop (in NumPy, a Python loop)."""
    def body(c):
        return c[0] + 1, xp.sin(c[1]) * 1.2 + x * 0.3

    if xp is jnp:
        _, y = jaxlite.lax.while_loop(lambda c: c[0] < 3, body, (0, x))
    else:
        y = x
        for _ in range(3):
            y = body((0, y))[1]
    return xp.sum(y ** 2)


# each entry is written once against an array module: jaxlite.numpy or NumPy (the reference)
CORPUS = {
    "sin_x": lambda xp, x: xp.sum(xp.sin(x) * x),
    "logsumexp": _logsumexp,
    "tanh_layer": lambda xp, x: xp.sum(xp.tanh(xp.asarray(S, x.dtype) @ x)),
    "quadratic_form": lambda xp, x: x @ xp.asarray(S, x.dtype) @ x,
    "soft_norm": lambda xp, x: xp.sqrt(xp.sum(x ** 2) + 1.0),
    "exp_ratio": lambda xp, x: xp.sum(xp.exp(x) / (1.0 + x ** 2)),
    "xent": lambda xp, x: _logsumexp(xp, x) - x[2],
    "prod": lambda xp, x: xp.prod(x),
    "max_plus_min": lambda xp, x: xp.max(x * x[::-1]) + xp.min(x),
    "where_poly": lambda xp, x: xp.sum(xp.where(x > 0, x ** 3, -(x ** 2))),
    "mean_var": lambda xp, x: xp.mean(x) * xp.var(x),
    "sigmoid_softplus": lambda xp, x: xp.sum(xp.log1p(xp.exp(x)) / (1.0 + xp.exp(-x))),
    "log1p_sq": lambda xp, x: xp.sum(xp.log1p(x ** 2)),
    "gram": lambda xp, x: xp.sum(x.reshape(2, 2) @ x.reshape(2, 2).T * x.reshape(2, 2)),
    "maximum_cos": lambda xp, x: xp.sum(xp.maximum(x, 0.1) ** 2 * xp.cos(x)),
    "abs_pow": lambda xp, x: xp.sum(xp.abs(x) ** 1.5),
    "einsum_traces": lambda xp, x: (xp.einsum("ij,jk,ki->", *[x.reshape(2, 2)] * 3)
                                    + xp.einsum("ii,i", x.reshape(2, 2), x[:2])),
    "rosenbrock": _rosenbrock,
    "checkpointed_groups": _checkpointed_groups,
    "scan_recurrence": _scan_recurrence,
    "while_iterations": _while_iterations,
}


def f_jnp(name):
    return functools.partial(CORPUS[name], jnp)


def f_np(name):
    return functools.partial(CORPUS[name], np)


@functools.lru_cache(maxsize=None)
def references(name):
    """f, its gradient and H @ T at each point, in float64 by central differences."""
    f, h = f_np(name), 1e-5
    eye = np.eye(4)

    def gradient(x):
        return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in eye])

    values = np.array([f(x) for x in POINTS])
    grads = np.array([gradient(x) for x in POINTS])
    hvps = np.array([(gradient(x + 1e-3 * T) - gradient(x - 1e-3 * T)) / 2e-3 for x in POINTS])
    return values, grads, hvps


def x32(i=0):
    return POINTS[i].astype(np.float32)


def xs32():
    return POINTS.astype(np.float32)


# ------------------------------------------------------------------ the transforms of the matrix
# each returns (what it computed, the reference it should equal)


def t_eval(name):
    return f_jnp(name)(x32()), references(name)[0][0]


def t_jvp(name):
    out, tangent = jvp(f_jnp(name), (x32(),), (T.astype(np.float32),))
    values, grads, _ = references(name)
    return (out, tangent), (values[0], grads[0] @ T)


def t_vjp(name):
    out, pullback = vjp(f_jnp(name), x32())
    values, grads, _ = references(name)
    return (out, pullback(np.float32(2.0))[0]), (values[0], 2.0 * grads[0])


def t_grad_grad(name):
    # grad of (grad f . T) is the Hessian-vector product H T
    f = f_jnp(name)
    hvp = grad(lambda x: jnp.vdot(grad(f)(x), T.astype(np.float32)))(x32())
    return hvp, references(name)[2][0]


def t_vmap_grad(name):
    return vmap(grad(f_jnp(name)))(xs32()), references(name)[1]


def t_grad_vmap_sum(name):
    total = lambda xs: jnp.sum(vmap(f_jnp(name))(xs))  # noqa: E731
    return grad(total)(xs32()), references(name)[1]


def t_vmap_grad_grad(name):
    f = f_jnp(name)
    hvp = lambda x: grad(lambda y: jnp.vdot(grad(f)(y), T.astype(np.float32)))(x)  # noqa: E731
    return vmap(hvp)(xs32()), references(name)[2]


def t_jaxpr_of_grad(name):
    closed = make_jaxpr(grad(f_jnp(name)))(x32())
    jaxlite.typecheck(closed)
    (staged,) = eval_jaxpr(closed.jaxpr, list(closed.consts), x32())
    eager = grad(f_jnp(name))(x32())
    np.testing.assert_allclose(np.asarray(staged), np.asarray(eager), rtol=1e-6, atol=1e-7)
    return staged, references(name)[1][0]


def t_jaxpr_of_vmap_grad(name):
    closed = make_jaxpr(vmap(grad(f_jnp(name))))(xs32())
    jaxlite.typecheck(closed)
    (staged,) = eval_jaxpr(closed.jaxpr, list(closed.consts), xs32())
    return staged, references(name)[1]


TRANSFORMS = {
    "f": t_eval, "jvp": t_jvp, "vjp": t_vjp, "grad_grad": t_grad_grad, "vmap_grad": t_vmap_grad,
    "grad_vmap_sum": t_grad_vmap_sum, "vmap_grad_grad": t_vmap_grad_grad,
    "jaxpr_of_grad": t_jaxpr_of_grad, "jaxpr_of_vmap_grad": t_jaxpr_of_vmap_grad,
}


@pytest.mark.parametrize("transform", list(TRANSFORMS))
@pytest.mark.parametrize("name", list(CORPUS))
def test_composition_matrix(name, transform):
    got, expected = TRANSFORMS[transform](name)
    got_leaves = jaxlite.tree_util.tree_leaves(got)
    expected_leaves = jaxlite.tree_util.tree_leaves(expected)
    assert len(got_leaves) == len(expected_leaves)
    for g, e in zip(got_leaves, expected_leaves):
        assert g.dtype == np.float32
        assert g.shape == np.shape(e)
        scale = max(1.0, float(np.max(np.abs(e))))
        np.testing.assert_allclose(np.asarray(g), e, rtol=2e-4, atol=2e-4 * scale)


def test_references_are_float64_accurate():
    # the finite differences themselves, checked on a function with a known gradient
    x = POINTS[0]
    _, grads, hvps = references("quadratic_form")
    np.testing.assert_allclose(grads[0], (S + S.T) @ x, rtol=1e-7)
    np.testing.assert_allclose(hvps[0], (S + S.T) @ T, rtol=1e-6)
