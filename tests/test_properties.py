"""Laws of every transform, checked on random programs.

Hypothesis builds straight-line programs of 3-12 ``jnp`` steps over float64 arrays, drawn
from ops covering the primitive families (elementwise, comparison/select, reductions,
shape, indexing, dot). Each program comes with a batch of inputs, and a step is kept only
if its values stay bounded and at least ``MARGIN`` away from its kinks (``abs`` at 0,
ties of ``maximum`` and ``max``, the condition of ``where``) on every example, so that
finite differences are valid. The same program also runs in NumPy, as a reference.

Laws: staging (``eval_jaxpr(make_jaxpr(f)) == f``, typechecked), jvp against finite
differences, vjp as the adjoint of jvp, grad as a contracted Jacobian, vmap against a loop
(batched, unbatched and moved axes), grad staged and vmapped, jacfwd == jacrev, and a
symmetric Hessian agreeing with finite differences of grad (on programs of smooth ops).
"""

import dataclasses
import functools
import itertools
import math
from typing import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import grad, hessian, jacfwd, jacrev, jvp, make_jaxpr, vjp, vmap
from jaxlite.interpreters import eval_jaxpr
from jaxlite.test_util import check_grads

SHAPES = [(), (3,), (2, 3)]  # input shapes
BATCH = 3  # examples per program, for vmap
MAX_SIZE = 24  # no intermediate value has more elements
LIMIT = 10.0  # nor a larger magnitude
MARGIN = 0.05  # nor an element this close to a kink
TOL = 1e-10  # identities that hold up to rounding


@pytest.fixture(autouse=True)
def _x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


# ------------------------------------------------------------------ ops


@dataclasses.dataclass(frozen=True)
class Op:
    """``fn(xp, *operands, *params)`` for ``xp`` in (jnp, np); ``show`` formats the step
    from operand names and params; ``choose(draw, shapes)`` picks operand indices and
    params, or None when the environment has no fit; ``kink(*operands, *params)`` is the
    distance of the operands to the nearest non-differentiable point (None: smooth)."""

    fn: Callable
    show: str
    choose: Callable
    kink: Callable | None = None


def fits(shape):
    return shape is not None and len(shape) <= 3 and math.prod(shape) <= MAX_SIZE


def broadcast(*shapes):
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        return None


def pick(draw, shapes, ok=lambda s: True, recent=False):
    """An operand index satisfying ``ok``, most recent first (shrinking builds chains);
    ``recent``: the most recent one at least half the time."""
    candidates = [i for i in reversed(range(len(shapes))) if ok(shapes[i])]
    if not candidates:
        return None
    strategy = st.sampled_from(candidates)
    return draw(st.just(candidates[0]) | strategy if recent else strategy)


def unary(draw, shapes):
    return (pick(draw, shapes, recent=True),), ()


def binary(draw, shapes):
    a = pick(draw, shapes, recent=True)
    b = pick(draw, shapes, lambda s: fits(broadcast(shapes[a], s)))
    return (a, b), ()


def reduction(draw, shapes):
    a = pick(draw, shapes, lambda s: len(s) >= 1, recent=True)
    if a is None:
        return None
    axis = draw(st.sampled_from([None, *range(len(shapes[a]))]))
    return (a,), (axis, draw(st.booleans()))


@functools.cache
def shapes_of_size(size):
    divisors = [d for d in range(1, size + 1) if size % d == 0]
    return [s for n in range(4) for s in itertools.product(divisors, repeat=n)
            if math.prod(s) == size]


def reshape(draw, shapes):
    a = pick(draw, shapes, recent=True)
    targets = [s for s in shapes_of_size(math.prod(shapes[a])) if s != shapes[a]]
    return ((a,), (draw(st.sampled_from(targets)),)) if targets else None


def transpose(draw, shapes):
    a = pick(draw, shapes, lambda s: len(s) >= 2, recent=True)
    return None if a is None else ((a,), (tuple(draw(st.permutations(range(len(shapes[a]))))),))


def expand_dims(draw, shapes):
    a = pick(draw, shapes, lambda s: len(s) <= 2, recent=True)
    return None if a is None else ((a,), (draw(st.integers(-len(shapes[a]) - 1, len(shapes[a]))),))


def squeeze(draw, shapes):
    a = pick(draw, shapes, lambda s: 1 in s, recent=True)
    if a is None:
        return None
    return (a,), (draw(st.sampled_from([i for i, d in enumerate(shapes[a]) if d == 1])),)


INDICES = {  # text -> (index, does it apply to this shape)
    "[1:]": ((slice(1, None),), lambda s: len(s) >= 1 and s[0] >= 2),
    "[::-1]": ((slice(None, None, -1),), lambda s: len(s) >= 1),
    "[0]": ((0,), lambda s: len(s) >= 1),
    "[:, 1:]": ((slice(None), slice(1, None)), lambda s: len(s) >= 2 and s[1] >= 2),
}


def indexing(key):
    def choose(draw, shapes):
        a = pick(draw, shapes, INDICES[key][1], recent=True)
        return None if a is None else ((a,), (key,))

    return choose


def concatenate(draw, shapes):
    a = pick(draw, shapes, lambda s: len(s) >= 1, recent=True)
    if a is None:
        return None
    sa = shapes[a]
    axis = draw(st.integers(0, len(sa) - 1))

    def ok(s):
        same_others = all(d == e for i, (d, e) in enumerate(zip(s, sa)) if i != axis)
        return len(s) == len(sa) and same_others and math.prod(s) + math.prod(sa) <= MAX_SIZE

    b = pick(draw, shapes, ok)
    return None if b is None else ((a, b), (axis,))


def broadcast_to(draw, shapes):
    a = pick(draw, shapes, recent=True)
    s = shapes[a]
    targets = [t for t in [(2, *s)] + [s[:i] + (3,) + s[i + 1:] for i, d in enumerate(s) if d == 1]
               if fits(t)]
    return ((a,), (draw(st.sampled_from(targets)),)) if targets else None


def dot(draw, shapes):
    a = pick(draw, shapes, lambda s: len(s) in (1, 2), recent=True)
    if a is None:
        return None
    k = shapes[a][-1]
    b = pick(draw, shapes, lambda s: len(s) in (1, 2) and s[0] == k
             and fits(shapes[a][:-1] + s[1:]))
    return None if b is None else ((a, b), ())


def gram(draw, shapes):
    a = pick(draw, shapes, lambda s: len(s) == 1 or (len(s) == 2 and s[0] ** 2 <= MAX_SIZE),
             recent=True)
    return None if a is None else ((a,), ())


def where(draw, shapes):
    c = pick(draw, shapes, recent=True)
    a = pick(draw, shapes, lambda s: fits(broadcast(shapes[c], s)))
    b = pick(draw, shapes, lambda s: fits(broadcast(shapes[c], shapes[a], s)))
    return (c, a, b), ()


def getitem(xp, x, key):
    return x[INDICES[key][0]]


def sigmoid(xp, x):
    return jaxlite.nn.sigmoid(x) if xp is jnp else 1 / (1 + np.exp(-x))


def nearest_nonzero(d):
    """The smallest nonzero entry of ``|d|``: exact ties come from equal functions, and
    equal functions have equal derivatives, so only near ties are kinks."""
    d = np.abs(np.asarray(d))
    return d[d > 0].min(initial=np.inf)


def reduction_gap(x, axis, keepdims, sign):
    x = sign * np.asarray(x)
    return nearest_nonzero(x.max(axis=axis, keepdims=True) - x)


SMOOTH_OPS = {
    "sin": Op(lambda xp, x: xp.sin(x), "jnp.sin({0})", unary),
    "cos": Op(lambda xp, x: xp.cos(x), "jnp.cos({0})", unary),
    "tanh": Op(lambda xp, x: xp.tanh(x), "jnp.tanh({0})", unary),
    "exp": Op(lambda xp, x: xp.exp(x), "jnp.exp({0})", unary),
    "log": Op(lambda xp, x: xp.log(1 + x * x), "jnp.log(1 + {0} * {0})", unary),
    "log1p": Op(lambda xp, x: xp.log1p(xp.exp(x)), "jnp.log1p(jnp.exp({0}))", unary),
    "sqrt": Op(lambda xp, x: xp.sqrt(1 + x * x), "jnp.sqrt(1 + {0} * {0})", unary),
    "sigmoid": Op(sigmoid, "jaxlite.nn.sigmoid({0})", unary),
    "neg": Op(lambda xp, x: -x, "-{0}", unary),
    "square": Op(lambda xp, x: x ** 2, "{0} ** 2", unary),
    "cube": Op(lambda xp, x: x ** 3, "{0} ** 3", unary),
    "pow": Op(lambda xp, x: (1 + x * x) ** 0.75, "(1 + {0} * {0}) ** 0.75", unary),
    "add": Op(lambda xp, x, y: x + y, "{0} + {1}", binary),
    "sub": Op(lambda xp, x, y: x - y, "{0} - {1}", binary),
    "mul": Op(lambda xp, x, y: x * y, "{0} * {1}", binary),
    "div": Op(lambda xp, x, y: x / (1 + y * y), "{0} / (1 + {1} * {1})", binary),
    "sum": Op(lambda xp, x, axis, keep: xp.sum(x, axis=axis, keepdims=keep),
              "jnp.sum({0}, axis={1}, keepdims={2})", reduction),
    "mean": Op(lambda xp, x, axis, keep: xp.mean(x, axis=axis, keepdims=keep),
               "jnp.mean({0}, axis={1}, keepdims={2})", reduction),
    "prod": Op(lambda xp, x, axis, keep: xp.prod(x, axis=axis, keepdims=keep),
               "jnp.prod({0}, axis={1}, keepdims={2})", reduction),
    "reshape": Op(lambda xp, x, shape: xp.reshape(x, shape), "jnp.reshape({0}, {1})", reshape),
    "transpose": Op(lambda xp, x, perm: xp.transpose(x, perm), "jnp.transpose({0}, {1})",
                    transpose),
    "expand_dims": Op(lambda xp, x, axis: xp.expand_dims(x, axis), "jnp.expand_dims({0}, {1})",
                      expand_dims),
    "squeeze": Op(lambda xp, x, axis: xp.squeeze(x, axis), "jnp.squeeze({0}, {1})", squeeze),
    **{name: Op(getitem, "{0}{1}", indexing(key))
       for name, key in [("slice", "[1:]"), ("slice_inner", "[:, 1:]"), ("rev", "[::-1]"),
                         ("index", "[0]")]},
    "concatenate": Op(lambda xp, x, y, axis: xp.concatenate([x, y], axis),
                      "jnp.concatenate([{0}, {1}], {2})", concatenate),
    "broadcast_to": Op(lambda xp, x, shape: xp.broadcast_to(x, shape),
                       "jnp.broadcast_to({0}, {1})", broadcast_to),
    "dot": Op(lambda xp, x, y: xp.dot(x, y), "jnp.dot({0}, {1})", dot),
    "gram": Op(lambda xp, x: x @ x.T, "{0} @ {0}.T", gram),
}
KINKED_OPS = {
    "abs": Op(lambda xp, x: xp.abs(x), "jnp.abs({0})", unary, lambda x: np.abs(x).min()),
    "maximum": Op(lambda xp, x, y: xp.maximum(x, y), "jnp.maximum({0}, {1})", binary,
                  lambda x, y: nearest_nonzero(np.subtract(x, y))),
    "minimum": Op(lambda xp, x, y: xp.minimum(x, y), "jnp.minimum({0}, {1})", binary,
                  lambda x, y: nearest_nonzero(np.subtract(x, y))),
    "max": Op(lambda xp, x, axis, keep: xp.max(x, axis=axis, keepdims=keep),
              "jnp.max({0}, axis={1}, keepdims={2})", reduction,
              lambda x, axis, keep: reduction_gap(x, axis, keep, 1)),
    "min": Op(lambda xp, x, axis, keep: xp.min(x, axis=axis, keepdims=keep),
              "jnp.min({0}, axis={1}, keepdims={2})", reduction,
              lambda x, axis, keep: reduction_gap(x, axis, keep, -1)),
    "where": Op(lambda xp, c, x, y: xp.where(c > 0, x, y), "jnp.where({0} > 0, {1}, {2})", where,
                lambda c, x, y: np.abs(c).min()),
}
ALL_OPS = {**KINKED_OPS, **SMOOTH_OPS}


# ------------------------------------------------------------------ programs


@dataclasses.dataclass(frozen=True)
class Step:
    """``env.append(ALL_OPS[op].fn(xp, *env[operands], *params))``."""

    op: str
    operands: tuple[int, ...]
    params: tuple

    def run(self, xp, env):
        return ALL_OPS[self.op].fn(xp, *[env[i] for i in self.operands], *self.params)


@dataclasses.dataclass(frozen=True, repr=False)
class Program:
    """A straight-line program; ``batch[i]`` stacks ``BATCH`` examples of input ``i``."""

    in_shapes: tuple
    steps: tuple
    batch: tuple
    seed: int

    def __call__(self, *xs, xp=jnp):
        env = list(xs)
        for step in self.steps:
            env.append(step.run(xp, env))
        return env[-1]

    def example(self, b=0):
        return tuple(jnp.asarray(x[b]) for x in self.batch)

    def _repr_pretty_(self, printer, cycle):  # how hypothesis prints a failing example
        printer.text(repr(self))

    def __repr__(self):
        names = [f"v{i}" for i in range(len(self.in_shapes) + len(self.steps))]
        args = ", ".join(f"{n}: f64{list(s)}" for n, s in zip(names, self.in_shapes))
        lines = [f"def program({args}):  # inputs ~ uniform(-1.5, 1.5), seed={self.seed}"]
        for name, step in zip(names[len(self.in_shapes):], self.steps):
            text = ALL_OPS[step.op].show.format(*[names[i] for i in step.operands], *step.params)
            lines.append(f"    {name} = {text}")
        return "\n".join([*lines, f"    return {names[-1]}"])


def acceptable(op, step, envs):
    """Bounded, finite and away from kinks on every example."""
    outs = [np.asarray(step.run(np, env)) for env in envs]
    if not all(np.all(np.isfinite(o)) and np.abs(o).max(initial=0) <= LIMIT for o in outs):
        return False
    operands = [[env[i] for i in step.operands] for env in envs]
    return op.kink is None or all(op.kink(*xs, *step.params) >= MARGIN for xs in operands)


@st.composite
def programs(draw, ops=ALL_OPS):
    in_shapes = tuple(draw(st.lists(st.sampled_from(SHAPES), min_size=1, max_size=3)))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    batch = tuple(rng.uniform(-1.5, 1.5, (BATCH, *s)) for s in in_shapes)
    envs = [[x[b] for x in batch] for b in range(BATCH)]  # NumPy values, per example
    shapes, steps = list(in_shapes), []
    for _ in range(draw(st.integers(3, 12))):
        for _ in range(10):  # retry ops that do not fit or whose values are rejected
            name = draw(st.sampled_from(list(ops)))
            chosen = ops[name].choose(draw, shapes)
            step = chosen and Step(name, *chosen)
            if step and acceptable(ops[name], step, envs):
                break
        else:
            step = Step("sin", (len(shapes) - 1,), ())
        for env in envs:
            env.append(np.asarray(step.run(np, env)))
        shapes.append(envs[0][-1].shape)
        steps.append(step)
    return Program(in_shapes, fold_unused(steps, len(in_shapes)), batch, seed)


def fold_unused(steps, n_inputs):
    """Add ``sum(sin(v))`` of every step's value ``v`` that nothing uses to the output, so
    that every step matters (through a non-constant cotangent)."""
    used = {i for step in steps for i in step.operands}
    steps, out = list(steps), n_inputs + len(steps) - 1
    for i in range(n_inputs, out):
        if i not in used:
            steps += [Step("sin", (i,), ()), Step("sum", (out + 1,), (None, False)),
                      Step("add", (out, out + 2), ())]
            out += 3
    return tuple(steps)


# ------------------------------------------------------------------ helpers


def assert_close(got, want, tol=TOL):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == np.float64 and got.shape == want.shape
    scale = max(1.0, np.abs(want).max(initial=0))
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * scale)


def assert_trees_close(got, want, tol=TOL):
    got, want = jaxlite.tree_util.tree_leaves(got), jaxlite.tree_util.tree_leaves(want)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert_close(g, w, tol)


def argnums(prog):
    return tuple(range(len(prog.in_shapes)))


def weights(shape, seed=3):
    return np.random.default_rng(seed).standard_normal(shape)


def summed(prog, weighted=True):
    """The scalar ``sum(w * prog(*xs))``, with fixed random weights ``w`` or ones."""

    def f(*xs):
        out = prog(*xs)
        return jnp.sum(out * weights(out.shape)) if weighted else jnp.sum(out)

    return f


def random_like(xs, seed):
    rng = np.random.default_rng(seed)
    return tuple(np.asarray(rng.standard_normal(np.shape(x)), np.float64) for x in xs)


def inner(xs, ys):
    return sum(float(np.vdot(np.asarray(x), np.asarray(y))) for x, y in zip(xs, ys, strict=True))


def stack(trees):
    return jaxlite.tree_util.tree_map(lambda *leaves: np.stack([np.asarray(x) for x in leaves]),
                                      *trees)


# ------------------------------------------------------------------ regressions

# found by these properties: select_n's batching rule once left unbatched per-example
# scalar cases unbroadcast, so vmap over derivatives of abs, maximum, where, pow failed
SELECT_N_REPROS = {  # name -> (thunk, JAX 0.10's result)
    "vmap_grad_abs": (lambda: vmap(grad(jnp.abs))(jnp.array([0.5, -0.5])), [1.0, -1.0]),
    "jacrev_abs": (lambda: jacrev(jnp.abs)(jnp.asarray(0.5)), 1.0),
    "vmap_grad_maximum": (lambda: vmap(grad(lambda x: jnp.maximum(x, 0.5 * x)))(
        jnp.array([0.3, -0.2])), [1.0, 0.5]),
    "hessian_pow": (lambda: hessian(lambda x: (1 + x * x) ** 0.75)(jnp.asarray(0.3)),
                    1.4074222971550419),
    "vmap_where_unbatched": (lambda: vmap(lambda x, y: jnp.where(x > 0, x, y), in_axes=(0, None))(
        jnp.array([1.0, -1.0]), jnp.asarray(0.5)), [1.0, 0.5]),
}


@pytest.mark.parametrize("name", SELECT_N_REPROS)
def test_select_n_batching_with_scalar_cases(name):
    thunk, expected = SELECT_N_REPROS[name]
    assert_close(thunk(), np.asarray(expected, np.float64), 1e-12)


# ------------------------------------------------------------------ staging and values


@settings(max_examples=20, deadline=None)
@given(programs())
def test_eager_matches_numpy(prog):
    xs = prog.example()
    assert_close(prog(*xs), prog(*[np.asarray(x) for x in xs], xp=np), 1e-12)


@settings(max_examples=20, deadline=None)
@given(programs())
def test_staged_program_evaluates_to_eager(prog):
    xs = prog.example()
    closed = make_jaxpr(prog)(*xs)
    jaxlite.typecheck(closed)
    (staged,) = eval_jaxpr(closed.jaxpr, list(closed.consts), *xs)
    np.testing.assert_array_equal(np.asarray(staged), np.asarray(prog(*xs)))


# ------------------------------------------------------------------ first order


@settings(max_examples=20, deadline=None)
@given(programs())
def test_jvp_matches_finite_differences(prog):
    check_grads(prog, prog.example(), order=1, modes=("fwd",))


@settings(max_examples=20, deadline=None)
@given(programs())
def test_vjp_is_the_adjoint_of_jvp(prog):
    """The dot-product test ``<ct, J t> == <J^T ct, t>``, exact up to rounding."""
    xs = prog.example()
    ts = random_like(xs, 0)
    out, jt = jvp(prog, xs, ts)
    out_vjp, pullback = vjp(prog, *xs)
    (ct,) = random_like([out], 1)
    assert_close(out_vjp, out, 0)
    lhs, rhs = inner([ct], [jt]), inner(pullback(ct), ts)
    assert abs(lhs - rhs) <= TOL * max(1.0, abs(lhs))


@settings(max_examples=20, deadline=None)
@given(programs())
def test_grad_of_weighted_sum_is_contracted_jacobian_and_vjp(prog):
    """With ``w`` ones or random: grad of ``sum(w * out)`` is ``w`` contracted with the
    Jacobian's output axes (the row sum for ones), and the vjp of ``w``."""
    xs = prog.example()
    out, pullback = vjp(prog, *xs)
    jac = jacrev(prog, argnums(prog))(*xs)
    for weighted in (False, True):
        w = weights(np.shape(out)) if weighted else np.ones(np.shape(out))
        grads = grad(summed(prog, weighted), argnums(prog))(*xs)
        contracted = [np.tensordot(w, np.asarray(j), np.ndim(out)) for j in jac]
        assert_trees_close(grads, contracted)
        assert_trees_close(grads, pullback(jnp.asarray(w)))


# ------------------------------------------------------------------ batching


@settings(max_examples=20, deadline=None)
@given(programs())
def test_vmap_matches_a_loop(prog):
    looped = stack([prog(*prog.example(b)) for b in range(BATCH)])
    assert_close(vmap(prog)(*prog.batch), looped, 1e-12)


@settings(max_examples=20, deadline=None)
@given(programs(), st.data())
def test_vmap_with_unbatched_and_moved_axes_matches_a_loop(prog, data):
    """Each input is batched along axis 0, along its last axis, or not at all (example 0)."""
    axes = data.draw(st.tuples(*[st.sampled_from([None, 0, -1]) for _ in prog.in_shapes]))
    args = [x[0] if ax is None else np.moveaxis(x, 0, ax) for x, ax in zip(prog.batch, axes)]
    per_example = [[x[b if ax is not None else 0] for x, ax in zip(prog.batch, axes)]
                   for b in range(BATCH)]
    looped = stack([prog(*map(jnp.asarray, xs)) for xs in per_example])
    got = vmap(prog, in_axes=axes, axis_size=BATCH)(*map(jnp.asarray, args))
    assert_close(got, looped, 1e-12)


# ------------------------------------------------------------------ compositions


@settings(max_examples=20, deadline=None)
@given(programs())
def test_staged_grad_evaluates_to_grad(prog):
    xs, g = prog.example(), grad(summed(prog), argnums(prog))
    closed = make_jaxpr(g)(*xs)
    jaxlite.typecheck(closed)
    staged = eval_jaxpr(closed.jaxpr, list(closed.consts), *xs)
    assert_trees_close(staged, g(*xs), 1e-12)


@settings(max_examples=20, deadline=None)
@given(programs())
def test_vmap_of_grad_matches_a_loop(prog):
    g = grad(summed(prog), argnums(prog))
    looped = stack([g(*prog.example(b)) for b in range(BATCH)])
    assert_trees_close(vmap(g)(*prog.batch), looped, 1e-12)


@settings(max_examples=20, deadline=None)
@given(programs())
def test_jacfwd_equals_jacrev(prog):
    xs = prog.example()
    assert_trees_close(jacfwd(prog, argnums(prog))(*xs), jacrev(prog, argnums(prog))(*xs))


# ------------------------------------------------------------------ second order


def flat_hessian(prog, xs, second_order=hessian):
    """The Hessian of the weighted sum of the output, as one matrix over all inputs' elements."""
    h = second_order(summed(prog), argnums(prog))(*xs)
    sizes = [int(np.size(x)) for x in xs]
    return np.block([[np.asarray(h[i][j]).reshape(sizes[i], sizes[j]) for j in range(len(xs))]
                     for i in range(len(xs))])


def reverse_over_forward(f, argnums):
    return jacrev(jacfwd(f, argnums), argnums)


def flat_grad(prog, xs):
    return np.concatenate([np.ravel(g) for g in grad(summed(prog), argnums(prog))(*xs)])


@settings(max_examples=20, deadline=None)
@given(programs(SMOOTH_OPS))
def test_hessian_is_symmetric_and_matches_finite_differences_of_grad(prog):
    """``hessian`` (forward over reverse) is symmetric, equals reverse over forward, and
    its product with a direction is the finite difference of ``grad`` along it."""
    xs, eps = prog.example(), 1e-5
    h = flat_hessian(prog, xs)
    scale = max(1.0, np.abs(h).max())
    np.testing.assert_allclose(h, h.T, rtol=0, atol=1e-9 * scale)
    np.testing.assert_allclose(flat_hessian(prog, xs, reverse_over_forward), h, rtol=0,
                               atol=1e-9 * scale)
    ts = random_like(xs, 2)
    plus = flat_grad(prog, [x + eps * t for x, t in zip(xs, ts)])
    minus = flat_grad(prog, [x - eps * t for x, t in zip(xs, ts)])
    t = np.concatenate([np.ravel(t) for t in ts])
    np.testing.assert_allclose(h @ t, (plus - minus) / (2 * eps), rtol=0, atol=1e-5 * scale)
