"""``custom_jvp`` and ``custom_vjp``: the user's rule is what every transform uses.

The rules below deliberately differ from the true derivative (``cube``'s rule says
``d x**3 = 5 x**2 dx``), so a value tells which rule ran. Expected values are JAX 0.10's
for the same code.
"""

from functools import partial

import numpy as np
import pytest

import jaxlite
from jaxlite.custom_derivatives import SymbolicZero
import jaxlite.numpy as jnp
from jaxlite import (custom_jvp, custom_vjp, grad, hessian, jacfwd, jacrev, jvp, linearize,
                     make_jaxpr, value_and_grad, vjp, vmap)
from jaxlite.interpreters import eval_jaxpr
from jaxlite.test_util import check_grads

XS = np.array([1.0, 2.0, 3.0], np.float32)


def assert_array(x, expected, weak=None, dtype=np.float32, rtol=1e-6):
    assert isinstance(x, jaxlite.Array), type(x)
    assert x.dtype == dtype
    if weak is not None:
        assert x.weak_type == weak
    np.testing.assert_allclose(np.asarray(x), expected, rtol=rtol, atol=1e-7)


def assert_tree(tree, expected):
    leaves, treedef = jaxlite.tree_util.tree_flatten(tree)
    expected_leaves, expected_def = jaxlite.tree_util.tree_flatten(expected)
    assert treedef == expected_def
    for x, e in zip(leaves, expected_leaves, strict=True):
        assert_array(x, e)


# ------------------------------------------------------------------ the functions under test

@custom_jvp
def cube(x):
    return x ** 3


@cube.defjvp
def _cube_jvp(primals, tangents):  # d x**3 = 5 x**2 dx (sic)
    (x,), (t,) = primals, tangents
    return cube(x), 5.0 * x ** 2 * t


@custom_vjp
def vcube(x):
    return x ** 3


def _vcube_fwd(x):
    return x ** 3, x


def _vcube_bwd(x, ct):  # the same wrong rule, transposed
    return (5.0 * x ** 2 * ct,)


vcube.defvjp(_vcube_fwd, _vcube_bwd)


@custom_jvp
def log1pexp(x):
    return jnp.log(1.0 + jnp.exp(x))


@log1pexp.defjvp
def _log1pexp_jvp(primals, tangents):  # d log(1 + e^x) = (1 - 1 / (1 + e^x)) dx, finite
    (x,), (t,) = primals, tangents
    return log1pexp(x), t * (1.0 - 1.0 / (1.0 + jnp.exp(x)))


@partial(custom_vjp, nondiff_argnums=(0, 1))
def clip_gradient(lo, hi, x):
    return x


def _clip_fwd(lo, hi, x):
    return x, None


def _clip_bwd(lo, hi, _, ct):  # the non-differentiable arguments come first
    return (jnp.clip(ct, lo, hi),)


clip_gradient.defvjp(_clip_fwd, _clip_bwd)


def clipped_sin(x):
    return jnp.sin(clip_gradient(-0.75, 0.75, x))


# ------------------------------------------------------------------ custom_jvp: every transform

def _linearized(f, x):
    return linearize(f, x)[1](2.0)


JVP_TRANSFORMS = [  # (name, transform of cube at 3.0, value)
    ("grad", lambda f, x: grad(f)(x), 45.0),
    ("jvp", lambda f, x: jvp(f, (x,), (1.0,))[1], 45.0),
    ("linearize", _linearized, 90.0),
    ("vjp", lambda f, x: vjp(f, x)[1](2.0)[0], 90.0),
    ("grad_grad", lambda f, x: grad(grad(f))(x), 30.0),  # differentiates the rule: d 5x**2 = 10x
]


@pytest.mark.parametrize("name,transform,expected", JVP_TRANSFORMS,
                         ids=[t[0] for t in JVP_TRANSFORMS])
def test_custom_jvp_rule_is_used(name, transform, expected):
    assert_array(transform(cube, 3.0), expected)


def test_custom_jvp_linearize_weak_type():
    assert _linearized(cube, 3.0).weak_type


VECTOR_TRANSFORMS = [  # (name, transform); at XS each gives the rule's 5 x**2
    ("vmap_grad", lambda f: vmap(grad(f))),
    ("grad_vmap", lambda f: grad(lambda v: jnp.sum(vmap(f)(v)))),
    ("grad_sum", lambda f: grad(lambda v: jnp.sum(f(v)))),
]


@pytest.mark.parametrize("name,transform", VECTOR_TRANSFORMS,
                         ids=[t[0] for t in VECTOR_TRANSFORMS])
@pytest.mark.parametrize("f", [cube, vcube], ids=["custom_jvp", "custom_vjp"])
def test_rule_under_vector_transforms(f, name, transform):
    assert_array(transform(f)(XS), 5.0 * XS ** 2)


def test_jacobians_use_the_rule():
    expected = np.diag(5.0 * XS ** 2)
    assert_array(jacfwd(cube)(XS), expected)
    assert_array(jacrev(cube)(XS), expected)
    assert_array(jacrev(vcube)(XS), expected)  # jacfwd of a custom_vjp raises (below)


def test_custom_jvp_eager_call_runs_the_function_not_the_rule():
    calls = []

    @custom_jvp
    def f(x):
        return x ** 3

    f.defjvp(lambda p, t: calls.append("rule") or (f(*p), t[0]))
    assert f(3.0) == 27.0 and calls == []
    assert_array(f(jnp.array(XS)), XS ** 3)


@pytest.mark.parametrize("f,name", [(cube, "custom_jvp_call"), (vcube, "custom_vjp_call")])
def test_make_jaxpr_shows_the_custom_call(f, name):
    closed = make_jaxpr(f)(3.0)
    jaxlite.typecheck(closed)
    assert [eqn.primitive.name for eqn in closed.eqns] == [name]
    assert name in str(closed)
    assert_array(eval_jaxpr(closed.jaxpr, list(closed.consts), 3.0)[0], 27.0)


@pytest.mark.parametrize("f", [cube, vcube], ids=["custom_jvp", "custom_vjp"])
def test_make_jaxpr_of_grad_uses_the_rule(f):
    closed = make_jaxpr(grad(f))(3.0)
    jaxlite.typecheck(closed)
    assert_array(eval_jaxpr(closed.jaxpr, list(closed.consts), 3.0)[0], 45.0)


def test_log1pexp_rule_is_numerically_stable():
    naive = lambda x: jnp.log(1.0 + jnp.exp(x))  # noqa: E731
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isnan(np.asarray(grad(naive)(100.0)))  # inf / inf
        assert_array(grad(log1pexp)(100.0), 1.0, weak=True)
        assert_array(vmap(grad(log1pexp))(jnp.array([-100.0, 0.0, 100.0])), [0.0, 0.5, 1.0])
    assert_array(grad(log1pexp)(0.0), 0.5, weak=True)
    assert_array(grad(grad(log1pexp))(1.0), 0.19661194, rtol=1e-6)  # sigmoid'(1)
    assert_array(hessian(lambda v: jnp.sum(log1pexp(v)))(jnp.array([0.0, 1.0])),
                 [[0.25, 0.0], [0.0, 0.19661194]], rtol=1e-6)
    check_grads(log1pexp, (np.float32(0.3),), order=2)


# ------------------------------------------------------------------ custom_jvp: defjvps

@custom_jvp
def mul_x_rule_only(x, y):
    return x * y


mul_x_rule_only.defjvps(lambda x_dot, out, x, y: 10.0 * y * x_dot, None)


@custom_jvp
def mul_two_rules(x, y):
    return x * y


mul_two_rules.defjvps(lambda x_dot, out, x, y: y * x_dot, lambda y_dot, out, x, y: 7.0 * x * y_dot)


def test_defjvps_one_rule_per_argument():
    assert_array(grad(mul_x_rule_only, argnums=0)(2.0, 3.0), 30.0, weak=True)
    assert_array(grad(mul_x_rule_only, argnums=1)(2.0, 3.0), 0.0, weak=True)  # None: no tangent
    assert_array(jvp(mul_x_rule_only, (2.0, 3.0), (1.0, 1.0))[1], 30.0)
    gx, gy = grad(mul_two_rules, argnums=(0, 1))(2.0, 3.0)
    assert_array(gx, 3.0, weak=True)
    assert_array(gy, 14.0, weak=True)


def test_defjvps_pytree_output_and_no_rule():
    @custom_jvp
    def pair(x):
        return x * 2.0, x * 3.0

    pair.defjvps(lambda t, out, x: (4.0 * t, 5.0 * t))
    assert_tree(jvp(pair, (1.0,), (1.0,))[1], (4.0, 5.0))

    @custom_jvp
    def no_rule(x):  # JAX 0.10 raises a TypeError here; jaxlite gives the zero tangent
        return x * 2.0

    no_rule.defjvps(None)
    assert_array(grad(no_rule)(1.0), 0.0)


def test_defjvps_with_nondiff_argnums_raises():
    f = custom_jvp(lambda n, x: x * n, nondiff_argnums=(0,))
    with pytest.raises(TypeError, match="nondiff_argnums"):
        f.defjvps(None, lambda t, out, n, x: t)


# ------------------------------------------------------------------ custom_jvp: symbolic zeros

def _recording_mul(symbolic_zeros):
    """``x * y`` whose rule records the tangents it sees; a ``y`` tangent counts 100x."""
    seen = []

    @custom_jvp
    def f(x, y):
        return x * y

    def f_jvp(primals, tangents):
        (x, y), (tx, ty) = primals, tangents
        seen.append((tx, ty))
        out = x * y
        t_out = 0.0 * out
        if type(tx) is not SymbolicZero:
            t_out = t_out + tx * y
        if type(ty) is not SymbolicZero:
            t_out = t_out + 100.0 * ty
        return out, t_out

    f.defjvp(f_jvp, symbolic_zeros=symbolic_zeros)
    return f, seen


def is_zero(t):
    return type(t) is SymbolicZero


def test_symbolic_zeros_rule_sees_symbolic_zero_for_unperturbed_arguments():
    # as JAX: a jax.custom_derivatives.SymbolicZero with the tangent's aval
    f, seen = _recording_mul(symbolic_zeros=True)
    assert_array(grad(f, argnums=0)(2.0, 3.0), 3.0)
    assert not is_zero(seen[-1][0]) and is_zero(seen[-1][1])
    assert seen[-1][1].shape == () and seen[-1][1].dtype == np.float32
    assert_array(grad(f, argnums=1)(2.0, 3.0), 100.0)
    assert is_zero(seen[-1][0]) and not is_zero(seen[-1][1])
    assert_array(jvp(lambda a: f(a, 3.0), (2.0,), (1.0,))[1], 3.0)
    assert is_zero(seen[-1][1])
    assert_array(vmap(grad(f), in_axes=(0, None))(jnp.array([1.0, 2.0]), 3.0), [3.0, 3.0])
    assert is_zero(seen[-1][1])
    grad_of_vmap = grad(lambda v: jnp.sum(vmap(f, in_axes=(0, None))(v, 3.0)))
    assert_array(grad_of_vmap(jnp.array([1.0, 2.0])), [3.0, 3.0])
    assert is_zero(seen[-1][1])


def test_without_symbolic_zeros_rule_sees_zero_arrays():
    f, seen = _recording_mul(symbolic_zeros=False)
    assert_array(grad(f, argnums=0)(2.0, 3.0), 3.0)
    assert float(seen[-1][1]) == 0.0  # a materialised zero (100 * 0 adds nothing)
    assert_array(grad(f, argnums=1)(2.0, 3.0), 100.0)


# ------------------------------------------------------------------ custom_jvp: nondiff, pytrees

@partial(custom_jvp, nondiff_argnums=(0,))
def apply_fn(fn, x):
    return fn(x)


@apply_fn.defjvp
def _apply_fn_jvp(fn, primals, tangents):  # the non-differentiable argument comes first
    return apply_fn(fn, primals[0]), 2.0 * tangents[0]


@partial(custom_jvp, nondiff_argnums=(1,))
def power(x, n):
    return x ** n


@power.defjvp
def _power_jvp(n, primals, tangents):  # 1.5 times the true derivative
    (x,), (t,) = primals, tangents
    return power(x, n), 1.5 * n * x ** (n - 1) * t


def test_custom_jvp_nondiff_argnums():
    assert_array(apply_fn(jnp.sin, 1.0), np.sin(np.float32(1.0)))
    assert_array(grad(lambda x: apply_fn(jnp.sin, x))(1.0), 2.0, weak=True)
    assert_array(grad(power)(2.0, 3), 18.0, weak=True)
    assert_array(vmap(grad(power), in_axes=(0, None))(jnp.array([1.0, 2.0]), 3), [4.5, 18.0])
    assert_array(jacfwd(lambda v: power(v, 2))(jnp.array([1.0, 2.0])), [[3.0, 0.0], [0.0, 6.0]])


@custom_jvp
def dict_fn(d):
    return {"prod": d["a"] * d["b"], "sum": (d["a"] + d["b"],)}


@dict_fn.defjvp
def _dict_fn_jvp(primals, tangents):  # the "prod" tangent counts d b twice
    (d,), (t,) = primals, tangents
    return dict_fn(d), {"prod": t["a"] * d["b"] + 2.0 * d["a"] * t["b"], "sum": (t["a"] + t["b"],)}


def test_custom_jvp_pytree_inputs_and_outputs():
    d, ones = {"a": 2.0, "b": 3.0}, {"a": 1.0, "b": 1.0}
    out, t_out = jvp(dict_fn, (d,), (ones,))
    assert_tree(out, {"prod": 6.0, "sum": (5.0,)})
    assert_tree(t_out, {"prod": 7.0, "sum": (2.0,)})
    assert_tree(grad(lambda d: dict_fn(d)["prod"])(d), {"a": 3.0, "b": 4.0})
    expected = {"prod": {"a": 3.0, "b": 4.0}, "sum": ({"a": 1.0, "b": 1.0},)}
    assert_tree(jacfwd(dict_fn)(d), expected)
    assert_tree(jacrev(dict_fn)(d), expected)
    batch = {"a": jnp.array([1.0, 2.0]), "b": jnp.array([3.0, 4.0])}
    assert_tree(vmap(grad(lambda d: dict_fn(d)["prod"]))(batch), {"a": np.array([3.0, 4.0]),
                                                                  "b": np.array([2.0, 4.0])})


# ------------------------------------------------------------------ closing over traced values

def _closing_jvp(y):
    @custom_jvp
    def f(x):
        return x * y

    f.defjvp(lambda p, t: (f(*p), t[0] * y))
    return f(5.0)


def _closing_vjp(y):
    @custom_vjp
    def f(x):
        return x * y

    f.defvjp(lambda x: (x * y, None), lambda _, ct: (ct * y,))
    return f(5.0)


@pytest.mark.parametrize("outer", [_closing_jvp, _closing_vjp], ids=["custom_jvp", "custom_vjp"])
def test_closing_over_a_differentiated_value_raises(outer):
    # JAX raises UnexpectedTracerError, also a TypeError; jaxlite says what to do
    with pytest.raises(TypeError, match="closed over a value that is being differentiated"):
        grad(outer)(2.0)
    if outer is _closing_jvp:
        with pytest.raises(TypeError, match="(?i)pass that value as an explicit argument"):
            jvp(outer, (2.0,), (1.0,))
    assert_array(grad(cube)(3.0), 45.0)


@pytest.mark.parametrize("outer", [_closing_jvp, _closing_vjp], ids=["custom_jvp", "custom_vjp"])
def test_closing_over_a_batched_value_works(outer):
    assert_array(vmap(outer)(jnp.array([1.0, 2.0])), [5.0, 10.0])


def test_closing_over_a_constant_works():
    y = jnp.float32(4.0)
    f = custom_jvp(lambda x: x * y)
    f.defjvp(lambda p, t: (f(*p), 2.0 * y * t[0]))
    assert_array(grad(f)(1.0), 8.0)
    assert_array(vmap(grad(f))(jnp.array([1.0, 2.0])), [8.0, 8.0])


# ------------------------------------------------------------------ custom_vjp

def test_custom_vjp_rule_is_used():
    assert vcube(3.0) == 27.0  # eager: the function itself
    assert_array(grad(vcube)(3.0), 45.0, weak=True)
    value, g = value_and_grad(vcube)(3.0)
    assert_array(value, 27.0, weak=True)
    assert_array(g, 45.0, weak=True)
    out, pullback = vjp(vcube, 3.0)
    assert_array(out, 27.0)
    assert_array(pullback(2.0)[0], 90.0, weak=True)
    assert_array(grad(grad(vcube))(3.0), 30.0, weak=True)  # differentiates fwd and bwd


@pytest.mark.parametrize("forward", [
    lambda: jvp(vcube, (3.0,), (1.0,)),
    lambda: jacfwd(vcube)(XS),
    lambda: linearize(vcube, 3.0)[1](1.0),
], ids=["jvp", "jacfwd", "linearize"])
def test_custom_vjp_forward_mode_raises(forward):
    with pytest.raises(TypeError, match="can't apply forward-mode autodiff"):
        forward()
    assert_array(grad(vcube)(3.0), 45.0)


@custom_vjp
def sin_with_tree_residuals(x):
    return jnp.sin(x)


def _sin_fwd(x):
    return jnp.sin(x), {"cos": jnp.cos(x), "pair": (x, 2.0 * x)}


def _sin_bwd(res, ct):
    assert set(res) == {"cos", "pair"} and len(res["pair"]) == 2
    return (res["cos"] * ct,)


sin_with_tree_residuals.defvjp(_sin_fwd, _sin_bwd)


def test_custom_vjp_pytree_residuals():
    assert_array(grad(sin_with_tree_residuals)(0.5), 0.87758255, weak=True)
    assert_array(grad(grad(sin_with_tree_residuals))(0.5), -0.47942555, weak=True)
    assert_array(vmap(grad(sin_with_tree_residuals))(jnp.array([0.0, 0.5])), [1.0, 0.87758255])


@pytest.mark.parametrize("f,args", [
    (sin_with_tree_residuals, (np.float32(0.5),)),
    (lambda x: jnp.sum(sin_with_tree_residuals(x) ** 2), (XS,)),
    (log1pexp, (XS,)),
], ids=["scalar", "vector", "custom_jvp"])
def test_check_grads_reverse(f, args):
    check_grads(f, args, order=1, modes=("rev",))


def test_gradient_clipping():
    assert_array(clipped_sin(0.1), 0.09983342)
    assert_array(grad(clipped_sin)(0.1), 0.75, weak=True)  # cos(0.1) ~ 0.995, clipped
    assert_array(vmap(grad(clipped_sin))(jnp.array([0.0, 0.1, 2.0, 3.0])),
                 [0.75, 0.75, -0.41614684, -0.75])
    scaled = grad(lambda v: jnp.sum(vmap(lambda x: 5.0 * clip_gradient(-0.75, 0.75, x))(v)))
    assert_array(scaled(jnp.array([1.0, 2.0])), [0.75, 0.75])
    weights = jnp.array([1.0, -2.0, 0.5])
    assert_array(grad(lambda v: jnp.sum(weights * clip_gradient(-1.0, 1.0, v)))(jnp.zeros(3)),
                 [1.0, -1.0, 0.5])


def test_custom_vjp_nondiff_callable():
    @partial(custom_vjp, nondiff_argnums=(0,))
    def apply(fn, x):
        return fn(x)

    apply.defvjp(lambda fn, x: (fn(x), x), lambda fn, x, ct: (3.0 * ct,))
    assert_array(grad(lambda x: apply(jnp.sin, x))(1.0), 3.0, weak=True)


@custom_vjp
def mul_no_y_grad(x, y):
    return x * y


mul_no_y_grad.defvjp(lambda x, y: (x * y, (x, y)), lambda res, ct: (res[1] * ct, None))


def test_bwd_returning_none_gives_zero_cotangent():
    gx, gy = grad(mul_no_y_grad, argnums=(0, 1))(2.0, 3.0)
    assert_array(gx, 3.0, weak=True)
    assert_array(gy, 0.0, weak=True)
    gx, gy = grad(lambda a, b: jnp.sum(mul_no_y_grad(a, b)), argnums=(0, 1))(
        jnp.array([1.0, 2.0]), jnp.array([3.0, 4.0]))
    assert_array(gx, [3.0, 4.0])
    assert_array(gy, [0.0, 0.0])


def test_custom_vjp_pytree_inputs_and_outputs():
    @custom_vjp
    def f(d):
        return d["a"] * d["b"], d["a"]

    def f_bwd(d, ct):  # the "b" cotangent is 3x the true one
        return ({"a": ct[0] * d["b"] + ct[1], "b": 3.0 * ct[0] * d["a"]},)

    f.defvjp(lambda d: (f(d), d), f_bwd)
    g = grad(lambda d: f(d)[0] + 2.0 * f(d)[1])({"a": 2.0, "b": 3.0})
    assert_tree(g, {"a": 5.0, "b": 6.0})


# ------------------------------------------------------------------ errors


def _identity(x):
    return x


def _vjp_fn(fun=_identity, fwd=lambda *xs: (xs[0], None), bwd=lambda res, ct: (ct,)):
    f = custom_vjp(fun)
    f.defvjp(fwd, bwd)
    return f


def _jvp_fn(rule, fun=_identity):
    f = custom_jvp(fun)
    f.defjvp(rule)
    return f


def _jvp_at(f, x):
    return jvp(f, (x,), (x,))


ERRORS = [  # (name, failing call, exception, message)
    ("no_jvp_rule_eager", lambda: custom_jvp(_identity)(1.0), AttributeError, "No JVP defined"),
    ("no_jvp_rule_grad", lambda: grad(custom_jvp(_identity))(1.0), AttributeError,
     "No JVP defined"),
    ("no_vjp_rule", lambda: grad(custom_vjp(_identity))(1.0), AttributeError, "No VJP defined"),
    ("fwd_not_a_pair", lambda: grad(_vjp_fn(fwd=_identity))(1.0), TypeError, "must return a pair"),
    ("fwd_triple", lambda: grad(_vjp_fn(fwd=lambda x: (x, x, x)))(1.0), TypeError, "pair"),
    ("bwd_too_few", lambda: grad(_vjp_fn(fun=lambda x, y: x * y))(1.0, 2.0), TypeError,
     "returned 1 cotangent leaves; the arguments have 2"),
    ("bwd_not_a_tuple", lambda: grad(_vjp_fn(bwd=lambda res, ct: ct))(1.0), TypeError,
     "must return a tuple"),
    ("tangent_too_few", lambda: _jvp_at(_jvp_fn(lambda p, t: ((p[0], p[0]), t[0]),
                                                fun=lambda x: (x, x)), 1.0),
     TypeError, "structure of the primal output"),
    ("tangent_too_many", lambda: grad(_jvp_fn(lambda p, t: (p[0], (t[0], t[0]))))(1.0),
     TypeError, "structure of the primal output"),
    ("rule_not_a_pair", lambda: _jvp_at(_jvp_fn(lambda p, t: p[0]), 1.0), TypeError,
     "must return a pair"),
    ("tangent_shape", lambda: _jvp_at(_jvp_fn(lambda p, t: (jnp.sum(p[0]), t[0]), fun=jnp.sum),
                                      jnp.ones(3)),
     TypeError, r"tangent of type f32\[3\] for a primal output of type f32\[\]"),
    ("tangent_dtype", lambda: _jvp_at(_jvp_fn(lambda p, t: (p[0], t[0].astype(jnp.float16))),
                                      jnp.float32(1.0)),
     TypeError, "must have its primal's shape and dtype"),
]


@pytest.mark.parametrize("name,call,exc,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_are_clear_and_leave_no_state(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
    assert jaxlite.core.trace.current_trace() is None
    assert_array(grad(cube)(3.0), 45.0)
    assert_array(grad(vcube)(3.0), 45.0)
