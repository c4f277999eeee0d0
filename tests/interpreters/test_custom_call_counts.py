"""How often each transform calls the user's code of a ``custom_jvp`` / ``custom_vjp``.

Every function below appends to a list when it runs: the function itself ("f"), the jvp rule
("jvp"), ``fwd`` and ``bwd``. The expected lists are what JAX 0.10.2 records for the same
code, run on CPU. Each rule is deliberately not the true derivative (``d 2 sin x`` is said to
be ``3 cos x``), so the values also tell which code produced them.

What JAX does, in short:

* calling the function eagerly, ``vmap`` and ``make_jaxpr`` run the function once and no rule;
* every derivative of a ``custom_jvp`` (grad, value_and_grad, jvp, linearize, vjp, jacfwd,
  jacrev, vmap of grad, grad of vmap, grad of grad, make_jaxpr of grad) runs the rule once and
  the function never. ``defjvps`` is the exception: JAX builds its rule as "call the function
  for the primal output, then each per-argument rule", so the function runs once as well;
* every reverse derivative of a ``custom_vjp`` runs ``fwd`` once and ``bwd`` once, and the
  function never; ``vjp`` runs ``fwd`` when it is called and ``bwd`` on each call of the
  pullback; forward mode (jvp, linearize, jacfwd) raises a TypeError.

One JAX count is an artefact of caching and is not asserted: a second ``make_jaxpr`` of the
same custom function calls nothing in JAX (it memoises the traced body per function and
avals). Every other JAX count is the same on a second call, so those are asserted twice:
eager transforms run the user's rules again each time, as a user printing from a rule sees.
Also not asserted: JAX calls ``fwd`` once before it raises for forward mode of a
``custom_vjp``; only the error is pinned there.
"""

from functools import partial

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import (custom_jvp, custom_vjp, grad, jacfwd, jacrev, jvp, linearize, make_jaxpr,
                     value_and_grad, vjp, vmap)

X = 0.5
XS = np.array([0.1, 0.2, 0.3], np.float32)

# JAX's values: f(x) = 2 sin x, and every rule says d f = 3 cos x dx
F_X = 0.9588511
DF_X = 2.6327477
D2F_X = -1.4382766  # d (3 cos x) = -3 sin x
F_XS = [0.19966684, 0.39733866, 0.59104043]
DF_XS = [2.9850125, 2.9401998, 2.8660095]


# ------------------------------------------------------------------ the counted functions
# Each factory makes a fresh function (no cache of a previous test can hide a call) and returns
# (a function of one float argument, the list its code appends to).


def make_defjvp():
    calls = []

    @custom_jvp
    def f(x):
        calls.append("f")
        return jnp.sin(x) * 2.0

    @f.defjvp
    def f_jvp(primals, tangents):
        calls.append("jvp")
        (x,), (t,) = primals, tangents
        return jnp.sin(x) * 2.0, 3.0 * jnp.cos(x) * t

    return f, calls


def make_defjvps():
    calls = []

    @custom_jvp
    def f(x):
        calls.append("f")
        return jnp.sin(x) * 2.0

    def x_rule(t, out, x):
        calls.append("jvp")
        return 3.0 * jnp.cos(x) * t

    f.defjvps(x_rule)
    return f, calls


def make_defjvp_nondiff():
    calls = []

    @partial(custom_jvp, nondiff_argnums=(1,))
    def g(x, scale):
        calls.append("f")
        return jnp.sin(x) * scale

    @g.defjvp
    def g_jvp(scale, primals, tangents):  # the non-differentiable argument comes first
        calls.append("jvp")
        (x,), (t,) = primals, tangents
        return jnp.sin(x) * scale, 1.5 * scale * jnp.cos(x) * t

    return (lambda x: g(x, 2.0)), calls


def make_defjvp_symbolic_zeros():
    calls = []

    @custom_jvp
    def f(x):
        calls.append("f")
        return jnp.sin(x) * 2.0

    def f_jvp(primals, tangents):
        calls.append("jvp")
        (x,), (t,) = primals, tangents
        return jnp.sin(x) * 2.0, 3.0 * jnp.cos(x) * t

    f.defjvp(f_jvp, symbolic_zeros=True)
    return f, calls


def make_custom_vjp():
    calls = []

    @custom_vjp
    def f(x):
        calls.append("f")
        return jnp.sin(x) * 2.0

    def fwd(x):
        calls.append("fwd")
        return jnp.sin(x) * 2.0, jnp.cos(x)

    def bwd(cos_x, ct):
        calls.append("bwd")
        return (3.0 * cos_x * ct,)

    f.defvjp(fwd, bwd)
    return f, calls


def make_custom_vjp_nondiff():
    calls = []

    @partial(custom_vjp, nondiff_argnums=(1,))
    def g(x, scale):
        calls.append("f")
        return jnp.sin(x) * scale

    def fwd(x, scale):
        calls.append("fwd")
        return jnp.sin(x) * scale, jnp.cos(x)

    def bwd(scale, cos_x, ct):  # the non-differentiable argument comes first
        calls.append("bwd")
        return (1.5 * scale * cos_x * ct,)

    g.defvjp(fwd, bwd)
    return (lambda x: g(x, 2.0)), calls


def make_custom_vjp_symbolic_zeros():
    calls = []

    @custom_vjp
    def f(x):
        calls.append("f")
        return jnp.sin(x) * 2.0

    def fwd(x):  # with symbolic_zeros=True, fwd receives CustomVJPPrimal(value, perturbed)
        calls.append("fwd")
        return jnp.sin(x.value) * 2.0, jnp.cos(x.value)

    def bwd(cos_x, ct):
        calls.append("bwd")
        return (3.0 * cos_x * ct,)

    f.defvjp(fwd, bwd, symbolic_zeros=True)
    return f, calls


JVP_KINDS = {
    "defjvp": make_defjvp,
    "defjvp_nondiff_argnums": make_defjvp_nondiff,
    "defjvp_symbolic_zeros": make_defjvp_symbolic_zeros,
}
VJP_KINDS = {
    "custom_vjp": make_custom_vjp,
    "custom_vjp_nondiff_argnums": make_custom_vjp_nondiff,
    "custom_vjp_symbolic_zeros": make_custom_vjp_symbolic_zeros,
}


# ------------------------------------------------------------------ the transforms


def _linearize(f):
    out, f_jvp = linearize(f, X)
    return out, f_jvp(1.0)


TRANSFORMS = {  # name: (apply to f, JAX's value)
    "eager": (lambda f: f(X), F_X),
    "grad": (lambda f: grad(f)(X), DF_X),
    "value_and_grad": (lambda f: value_and_grad(f)(X), (F_X, DF_X)),
    "jvp": (lambda f: jvp(f, (X,), (1.0,)), (F_X, DF_X)),
    "linearize": (_linearize, (F_X, DF_X)),
    "vmap": (lambda f: vmap(f)(XS), F_XS),
    "vmap_grad": (lambda f: vmap(grad(f))(XS), DF_XS),
    "grad_vmap_sum": (lambda f: grad(lambda v: vmap(f)(v).sum())(XS), DF_XS),
    "jacfwd": (lambda f: jacfwd(f)(XS), np.diag(DF_XS)),
    "jacrev": (lambda f: jacrev(f)(XS), np.diag(DF_XS)),
    "grad_grad": (lambda f: grad(grad(f))(X), D2F_X),
    "make_jaxpr": (lambda f: make_jaxpr(f)(X), None),
    "make_jaxpr_grad": (lambda f: make_jaxpr(grad(f))(X), None),
}

RULE = ["jvp"]
FUNCTION = ["f"]
FWD_BWD = ["fwd", "bwd"]
FORWARD_MODE = "TypeError"  # JAX: can't apply forward-mode autodiff (jvp) to a custom_vjp function

# JAX 0.10.2's recorded calls, per transform
JVP_COUNTS = {
    "eager": FUNCTION, "grad": RULE, "value_and_grad": RULE, "jvp": RULE, "linearize": RULE,
    "vmap": FUNCTION, "vmap_grad": RULE, "grad_vmap_sum": RULE, "jacfwd": RULE, "jacrev": RULE,
    "grad_grad": RULE, "make_jaxpr": FUNCTION, "make_jaxpr_grad": RULE,
}
DEFJVPS_COUNTS = {  # defjvps' rule calls the function for the primal output
    "eager": FUNCTION, "grad": ["f", "jvp"], "value_and_grad": ["f", "jvp"], "jvp": ["f", "jvp"],
    "linearize": ["f", "jvp"], "vmap": FUNCTION, "vmap_grad": ["f", "jvp"],
    "grad_vmap_sum": ["f", "jvp"], "jacfwd": ["f", "jvp"], "jacrev": ["f", "jvp"],
    # the outer derivative differentiates the rule, whose call of the function goes through
    # the custom rule once more: the function once, the per-argument rule twice
    "grad_grad": ["f", "jvp", "jvp"],
    "make_jaxpr": FUNCTION, "make_jaxpr_grad": ["f", "jvp"],
}
VJP_COUNTS = {
    "eager": FUNCTION, "grad": FWD_BWD, "value_and_grad": FWD_BWD, "jvp": FORWARD_MODE,
    "linearize": FORWARD_MODE, "vmap": FUNCTION, "vmap_grad": FWD_BWD, "grad_vmap_sum": FWD_BWD,
    "jacfwd": FORWARD_MODE, "jacrev": FWD_BWD, "grad_grad": FWD_BWD, "make_jaxpr": FUNCTION,
    "make_jaxpr_grad": FWD_BWD,
}

CASES = (
    [(kind, t, JVP_COUNTS[t]) for kind in JVP_KINDS for t in TRANSFORMS]
    + [("defjvps", t, DEFJVPS_COUNTS[t]) for t in TRANSFORMS]
    + [(kind, t, VJP_COUNTS[t]) for kind in VJP_KINDS for t in TRANSFORMS]
)
FACTORIES = {**JVP_KINDS, "defjvps": make_defjvps, **VJP_KINDS}


def assert_value(out, expected, array=True):
    """``out`` is ``expected``; a float32 jaxlite.Array unless ``array`` is False (where JAX
    hands back a Python float computed from the user's Python floats)."""
    if expected is None:  # make_jaxpr: the counts are the point
        return
    if isinstance(expected, tuple):
        assert isinstance(out, tuple) and len(out) == len(expected), out
        for o, e in zip(out, expected):
            assert_value(o, e, array)
        return
    if array:
        assert isinstance(out, jaxlite.Array), type(out)
        assert out.dtype == np.float32, out.dtype
    np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-6, atol=1e-7)


def library_still_works():
    assert float(grad(lambda x: jnp.sin(x) * x)(0.0)) == 0.0
    np.testing.assert_allclose(np.asarray(vmap(grad(jnp.sin))(jnp.zeros(2))), [1.0, 1.0])


@pytest.mark.parametrize("kind,transform,expected_calls", CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_call_counts(kind, transform, expected_calls):
    f, calls = FACTORIES[kind]()
    apply, expected_value = TRANSFORMS[transform]
    if expected_calls == FORWARD_MODE:
        message = r"can't apply forward-mode autodiff \(jvp\) to a custom_vjp function"
        with pytest.raises(TypeError, match=message):
            apply(f)
        assert "bwd" not in calls and "f" not in calls, calls
        library_still_works()
        return
    assert_value(apply(f), expected_value)
    assert calls == expected_calls, f"{kind}, {transform}: JAX calls {expected_calls}, got {calls}"
    if transform == "make_jaxpr":
        return  # JAX's second make_jaxpr of the same custom function calls nothing (its cache)
    calls.clear()
    assert_value(apply(f), expected_value)
    assert calls == expected_calls, f"second {transform}: JAX calls {expected_calls}, got {calls}"


VJP_SPLIT = [  # kind, calls made by vjp(f, x), calls made by each call of the pullback
    ("defjvp", RULE, []),
    ("defjvps", ["f", "jvp"], []),
    ("defjvp_nondiff_argnums", RULE, []),
    ("defjvp_symbolic_zeros", RULE, []),
    ("custom_vjp", ["fwd"], ["bwd"]),
    ("custom_vjp_nondiff_argnums", ["fwd"], ["bwd"]),
    ("custom_vjp_symbolic_zeros", ["fwd"], ["bwd"]),
]


@pytest.mark.parametrize("kind,at_vjp,at_pullback", VJP_SPLIT, ids=[c[0] for c in VJP_SPLIT])
def test_vjp_calls_at_vjp_time_and_at_pullback_time(kind, at_vjp, at_pullback):
    f, calls = FACTORIES[kind]()
    out, pullback = vjp(f, X)
    assert calls == at_vjp
    assert_value(out, F_X)
    for _ in range(2):  # every call of the pullback runs bwd again; a custom_jvp's runs nothing
        calls.clear()
        (ct,) = pullback(1.0)
        assert calls == at_pullback
        assert_value(ct, DF_X)


def test_custom_vjp_grad_never_calls_the_function():
    # the case: grad calls fwd once, bwd once, and never the function itself
    f, calls = make_custom_vjp()
    assert_value(grad(f)(X), DF_X)
    assert calls == ["fwd", "bwd"]
    calls.clear()
    assert_value(grad(lambda x: f(x) * f(x))(X), 2.0 * F_X * DF_X)
    assert sorted(calls) == ["bwd", "bwd", "fwd", "fwd"]  # once per use, still no "f"


def test_custom_jvp_rule_runs_once_per_use():
    f, calls = make_defjvp()
    assert_value(grad(lambda x: f(x) + f(2.0 * x))(X), 2.6327477 + 2.0 * 3.0 * np.cos(1.0))
    assert calls == ["jvp", "jvp"]


# ------------------------------------------------------------------ forward mode of a custom_vjp


@pytest.mark.parametrize("kind", list(VJP_KINDS))
@pytest.mark.parametrize("forward", [
    lambda f: jvp(f, (X,), (1.0,)),
    lambda f: linearize(f, X)[1](1.0),  # JAX returns from linearize; applying it raises
    lambda f: jacfwd(f)(XS),
    lambda f: vmap(lambda x: jvp(f, (x,), (1.0,)))(XS),
], ids=["jvp", "linearize", "jacfwd", "vmap_jvp"])
def test_forward_mode_of_custom_vjp_raises_jax_type_error(kind, forward):
    f, _ = FACTORIES[kind]()
    with pytest.raises(TypeError) as info:
        forward(f)
    # JAX's message (JAX ends it there with a full stop)
    assert "can't apply forward-mode autodiff (jvp) to a custom_vjp function" in str(info.value)
    library_still_works()
    assert_value(grad(f)(X), DF_X)


# ------------------------------------------------------------------ Python control flow inside


@custom_jvp
def kinked(x):
    if x > 0:
        return x * 3.0
    return -x


@kinked.defjvp
def _kinked_jvp(primals, tangents):  # 10 on the right, -20 on the left (the truth: 3 and -1)
    (x,), (t,) = primals, tangents
    out = kinked(x)
    if x > 0:
        return out, 10.0 * t
    return out, -20.0 * t


@custom_vjp
def vkinked(x):
    if x > 0:
        return x * 3.0
    return -x


def _vkinked_fwd(x):
    out = vkinked(x)
    if x > 0:
        return out, (x, 1.0)
    return out, (x, -1.0)


def _vkinked_bwd(res, ct):
    x, sign = res
    if x > 0:
        return (10.0 * ct,)
    return (-20.0 * ct * sign * sign,)


vkinked.defvjp(_vkinked_fwd, _vkinked_bwd)


def _scalar(x):
    return float(np.asarray(x))


@pytest.mark.parametrize("x,value,slope", [(2.0, 6.0, 10.0), (-2.0, 2.0, -20.0)])
def test_python_if_in_custom_jvp_function_and_rule_under_eager_transforms(x, value, slope):
    assert _scalar(kinked(x)) == value
    assert _scalar(grad(kinked)(x)) == slope
    v, g = value_and_grad(kinked)(x)
    assert (_scalar(v), _scalar(g)) == (value, slope)
    out, t = jvp(kinked, (x,), (1.0,))
    assert (_scalar(out), _scalar(t)) == (value, slope)
    assert _scalar(linearize(kinked, x)[1](1.0)) == slope
    assert _scalar(vjp(kinked, x)[1](1.0)[0]) == slope
    assert _scalar(grad(grad(kinked))(x)) == 0.0  # JAX: 0.0, the rule's slope is constant


@pytest.mark.parametrize("x,value,slope", [(2.0, 6.0, 10.0), (-2.0, 2.0, -20.0)])
def test_python_if_in_custom_vjp_function_fwd_and_bwd_under_eager_transforms(x, value, slope):
    assert _scalar(vkinked(x)) == value
    assert _scalar(grad(vkinked)(x)) == slope
    v, g = value_and_grad(vkinked)(x)
    assert (_scalar(v), _scalar(g)) == (value, slope)
    assert _scalar(vjp(vkinked, x)[1](1.0)[0]) == slope
    assert _scalar(grad(grad(vkinked))(x)) == 0.0


@pytest.mark.parametrize("transform", [
    lambda: vmap(grad(vkinked))(jnp.array([1.0, -1.0])),
    lambda: vmap(grad(kinked))(jnp.array([1.0, -1.0])),
    lambda: make_jaxpr(grad(kinked))(1.0),
], ids=["vmap_grad_custom_vjp", "vmap_grad_custom_jvp", "make_jaxpr_grad"])
def test_python_if_in_rules_without_concrete_values_raises(transform):
    with pytest.raises(jaxlite.errors.TracerBoolConversionError):  # as in JAX
        transform()
    library_still_works()


# ------------------------------------------------------------------ symbolic zeros: custom_jvp
# JAX passes a jax.custom_derivatives.SymbolicZero for the tangent of an argument that is not
# being differentiated. Its attributes: .aval (the tangent's ShapedArray), .shape, .dtype. It
# is not an array: arithmetic on it raises a TypeError. (For an integer primal JAX's
# SymbolicZero has dtype float0, which jaxlite does not have; not tested.)


def _is_symbolic_zero(t):
    return type(t).__name__ == "SymbolicZero"


def _recording_product():
    """``x * y`` whose rule records its tangents; a ``y`` tangent counts 100 times."""
    seen = []

    @custom_jvp
    def f(x, y):
        return x * y

    def f_jvp(primals, tangents):
        (x, y), (tx, ty) = primals, tangents
        seen.append((tx, ty))
        out = x * y
        t_out = jnp.zeros_like(out)
        if not _is_symbolic_zero(tx):
            t_out = t_out + tx * y
        if not _is_symbolic_zero(ty):
            t_out = t_out + 100.0 * ty
        return out, t_out

    f.defjvp(f_jvp, symbolic_zeros=True)
    return f, seen


def assert_symbolic_zero(t, shape, dtype, weak_type):
    assert _is_symbolic_zero(t), type(t)
    assert t.shape == shape
    assert t.dtype == dtype
    assert t.aval.shape == shape and t.aval.dtype == dtype and t.aval.weak_type == weak_type


def test_symbolic_zero_tangent_under_grad():
    f, seen = _recording_product()
    assert_value(grad(f)(2.0, 3.0), 3.0)
    tx, ty = seen[-1]
    assert not _is_symbolic_zero(tx)
    assert_symbolic_zero(ty, (), np.float32, True)  # JAX: ShapedArray(float32[], weak_type=True)

    assert_value(grad(f, argnums=1)(2.0, 3.0), 100.0)
    tx, ty = seen[-1]
    assert_symbolic_zero(tx, (), np.float32, True)
    assert not _is_symbolic_zero(ty)


def test_symbolic_zero_tangent_of_an_array():
    f, seen = _recording_product()
    g = grad(lambda a, b: f(a, b).sum())(jnp.ones((2, 3)), jnp.ones((2, 3), jnp.float32))
    assert_value(g, np.ones((2, 3)))
    assert_symbolic_zero(seen[-1][1], (2, 3), np.float32, False)  # ShapedArray(float32[2,3])


def test_symbolic_zero_tangent_under_jvp_and_vmap():
    f, seen = _recording_product()
    out, t = jvp(lambda a: f(a, 3.0), (2.0,), (1.0,))
    assert_value((out, t), (6.0, 3.0), array=False)  # JAX's primal output is the float 6.0
    assert_symbolic_zero(seen[-1][1], (), np.float32, True)

    assert_value(vmap(grad(f), in_axes=(0, None))(jnp.array([1.0, 2.0]), 3.0), [3.0, 3.0])
    assert_symbolic_zero(seen[-1][1], (), np.float32, True)  # the per-example aval

    out, t = jvp(f, (2.0, 3.0), (1.0, 1.0))
    assert_value(t, 103.0)
    assert not any(_is_symbolic_zero(z) for z in seen[-1])


def test_rule_may_return_a_symbolic_zero_tangent():
    @custom_jvp
    def f(x, y):
        return x * y

    def f_jvp(primals, tangents):
        (x, y), (tx, _) = primals, tangents
        return x * y, tx  # a SymbolicZero when x is not differentiated

    f.defjvp(f_jvp, symbolic_zeros=True)
    assert_value(grad(f, argnums=1)(2.0, 3.0), 0.0)  # JAX: 0.0
    assert_value(grad(f)(2.0, 3.0), 1.0)


def test_arithmetic_on_a_symbolic_zero_is_a_type_error():
    @custom_jvp
    def f(x, y):
        return x * y

    f.defjvp(lambda p, t: (p[0] * p[1], t[0] * p[1] + t[1] * p[0]), symbolic_zeros=True)
    # JAX: TypeError: unsupported operand type(s) for *: 'SymbolicZero' and ...
    with pytest.raises(TypeError, match="SymbolicZero"):
        grad(f)(2.0, 3.0)
    library_still_works()


# ------------------------------------------------------------------ symbolic zeros: custom_vjp
# With defvjp(fwd, bwd, symbolic_zeros=True) JAX passes fwd one CustomVJPPrimal per argument,
# with .value and .perturbed (whether that argument is differentiated); bwd receives a
# SymbolicZero for the cotangent of an output nothing depends on, and may return None (or the
# SymbolicZero it received) as an input's cotangent.


def _recording_pair():
    seen = {}

    @custom_vjp
    def f(x, y):
        return x * y, x + y

    def fwd(x, y):
        seen["fwd"] = (x, y)
        return (x.value * y.value, x.value + y.value), (x.value, y.value)

    def bwd(res, ct):
        seen["ct"] = ct
        x, y = res
        c_prod, c_sum = ct
        gx = 0.0
        if not _is_symbolic_zero(c_prod):
            gx = gx + c_prod * y
        if not _is_symbolic_zero(c_sum):
            gx = gx + c_sum
        return (gx, None)  # None: no cotangent for y

    f.defvjp(fwd, bwd, symbolic_zeros=True)
    return f, seen


def assert_primal(p, value, perturbed):
    assert type(p).__name__ == "CustomVJPPrimal", type(p)
    assert p.perturbed is perturbed
    assert float(np.asarray(p.value)) == value


def test_fwd_receives_custom_vjp_primals_and_bwd_symbolic_zero_cotangents():
    f, seen = _recording_pair()
    assert_value(grad(lambda x, y: f(x, y)[0])(2.0, 3.0), 3.0)
    assert_primal(seen["fwd"][0], 2.0, True)
    assert_primal(seen["fwd"][1], 3.0, False)
    c_prod, c_sum = seen["ct"]
    assert not _is_symbolic_zero(c_prod)
    assert_symbolic_zero(c_sum, (), np.float32, True)

    assert_value(grad(lambda x, y: f(x, y)[1], argnums=1)(2.0, 3.0), 0.0)  # bwd gave None
    assert_primal(seen["fwd"][0], 2.0, False)
    assert_primal(seen["fwd"][1], 3.0, True)
    c_prod, c_sum = seen["ct"]
    assert_symbolic_zero(c_prod, (), np.float32, True)
    assert not _is_symbolic_zero(c_sum)


def test_symbolic_zeros_custom_vjp_under_vjp_vmap_and_eager():
    f, seen = _recording_pair()
    _, pullback = vjp(f, 2.0, 3.0)
    assert seen["fwd"][0].perturbed is True and seen["fwd"][1].perturbed is True
    gx, gy = pullback((1.0, 1.0))
    assert_value(gx, 4.0, array=False)  # JAX: the float 4.0 (bwd got the floats given)
    assert float(np.asarray(gy)) == 0.0  # JAX: Array(0., dtype=float32, weak_type=True)

    g = vmap(grad(lambda x, y: f(x, y)[0]), in_axes=(0, None))(jnp.array([1.0, 2.0]), 3.0)
    assert_value(g, [3.0, 3.0])
    assert seen["fwd"][0].perturbed is True and seen["fwd"][1].perturbed is False

    seen.clear()
    out = f(2.0, 3.0)  # eager: the function itself, not fwd
    assert [float(np.asarray(o)) for o in out] == [6.0, 5.0]
    assert "fwd" not in seen


def make_swap():
    @custom_vjp
    def swap(x, y):
        return y, x

    def swap_fwd(x, y):
        return (y.value, x.value), None

    def swap_bwd(_, ct):
        c0, c1 = ct
        return (c1, c0)  # passes the cotangents through, symbolic zeros included

    swap.defvjp(swap_fwd, swap_bwd, symbolic_zeros=True)
    return swap


def test_bwd_may_return_the_symbolic_zeros_it_received():
    swap = make_swap()
    gx, gy = grad(lambda x, y: swap(x, y)[0] * 5.0, argnums=(0, 1))(2.0, 3.0)
    assert_value((gx, gy), (0.0, 5.0))
    gx, gy = grad(lambda x, y: swap(x, y)[1] * 5.0, argnums=(0, 1))(2.0, 3.0)
    assert_value((gx, gy), (5.0, 0.0))
    gx, gy = grad(lambda x, y: swap(x, y)[0].sum(), argnums=(0, 1))(jnp.ones(3), jnp.ones(3) * 2)
    assert_value((gx, gy), ([0.0, 0.0, 0.0], [1.0, 1.0, 1.0]))
    v, g = value_and_grad(lambda x, y: swap(x, y)[0] * 5.0)(2.0, 3.0)
    assert_value((v, g), (15.0, 0.0))
