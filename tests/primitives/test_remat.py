"""``checkpoint`` / ``remat`` and ``checkpoint_name``: values, derivatives, what each policy
keeps, nesting, vmap and jit, the printed form (against JAX's text), memory, and errors."""

import textwrap
import tracemalloc
import types

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import checkpoint, checkpoint_policies, grad, jit, make_jaxpr, vmap
from jaxlite.ad_checkpoint import checkpoint_name, print_saved_residuals, saved_residuals
from jaxlite.errors import ArgnumsError, ConcretizationError
from jaxlite.interpreters import dce_jaxpr
from jaxlite.interpreters.linearize import linearize_fused
from jaxlite.test_util import check_grads

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4)).astype(np.float32)
W1 = (RNG.standard_normal((4, 4)) / 2).astype(np.float32)
W2 = (RNG.standard_normal((4, 4)) / 2).astype(np.float32)


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


def layer(x, w):
    return x + jnp.tanh(jnp.sin(x) @ w)


def net(x, w1, w2, wrap=lambda f: f):
    return jnp.sum(wrap(layer)(wrap(layer)(x, w1), w2) ** 2)


POLICIES = {
    "default": None,
    "nothing": checkpoint_policies.nothing_saveable,
    "everything": checkpoint_policies.everything_saveable,
    "dots": checkpoint_policies.dots_saveable,
    "dots without batch dims": checkpoint_policies.dots_with_no_batch_dims_saveable,
    "names": checkpoint_policies.save_only_these_names("h"),
    "names but": checkpoint_policies.save_any_names_but_these("other"),
    "both": checkpoint_policies.save_from_both_policies(checkpoint_policies.dots_saveable,
                                                         checkpoint_policies.save_only_these_names("h")),
}


def named_layer(x, w):  # (the named value is what the backward pass of the outer sin reads)
    return x + jnp.sin(checkpoint_name(jnp.sin(x) @ w, "h"))


def names_of(residuals):
    return [origin.split(" from ")[0] for _, origin in residuals]


# ------------------------------------------------------------------ values and derivatives


def test_values_are_the_function_s():
    f = checkpoint(layer)
    np.testing.assert_array_equal(np.asarray(f(X, W1)), np.asarray(layer(X, W1)))
    np.testing.assert_array_equal(np.asarray(jit(f)(X, W1)), np.asarray(layer(X, W1)))
    tree = checkpoint(lambda d, *, k: {"y": d["a"] * k, "a": d["a"]})({"a": X}, k=2.0)
    np.testing.assert_array_equal(np.asarray(tree["y"]), X * 2)
    assert checkpoint(layer).__name__ == "layer" and jaxlite.remat is checkpoint


@pytest.mark.parametrize("policy", list(POLICIES))
def test_gradients_are_unchanged_by_every_policy(policy):
    wrap = lambda f: checkpoint(f, policy=POLICIES[policy])  # noqa: E731
    want = grad(net, argnums=(0, 1, 2))(X, W1, W2)
    got = grad(lambda *a: net(*a, wrap=wrap), argnums=(0, 1, 2))(X, W1, W2)
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("policy", ["default", "dots", "names"])
def test_check_grads_to_second_order(x64, policy):
    f = checkpoint(named_layer, policy=POLICIES[policy])
    check_grads(lambda x, w: jnp.sum(f(f(x, w), w) ** 2), (X.astype(np.float64),
                W1.astype(np.float64)), order=2)


def test_nested_checkpoints_and_hessians(x64):
    inner = checkpoint(layer)
    group = checkpoint(lambda x, ws: inner(inner(x, ws[0]), ws[1]))
    f = lambda x: jnp.sum(group(group(x, (W1, W2)), (W2, W1)) ** 2)  # noqa: E731
    x = X[0].astype(np.float64)
    plain = lambda x: jnp.sum(layer(layer(layer(layer(x, W1), W2), W2), W1) ** 2)  # noqa: E731
    np.testing.assert_allclose(np.asarray(jaxlite.hessian(f)(x)),
                               np.asarray(jaxlite.hessian(plain)(x)), rtol=1e-10)
    check_grads(f, (x,), order=2)


def test_forward_mode_and_linearize():
    f = checkpoint(layer)
    t = np.ones_like(X)
    want = jaxlite.jvp(lambda x: layer(x, W1), (X,), (t,))
    got = jaxlite.jvp(lambda x: f(x, W1), (X,), (t,))
    np.testing.assert_allclose(np.asarray(got[1]), np.asarray(want[1]), rtol=1e-6)
    _, f_jvp = jaxlite.linearize(lambda x: f(x, W1), X)
    np.testing.assert_allclose(np.asarray(f_jvp(t)), np.asarray(want[1]), rtol=1e-6)


def test_static_argnums_allow_python_control_flow_and_unhashable_values():
    @jaxlite.checkpoint
    def traced(x, flag):
        return jnp.sin(x) if flag else jnp.cos(x)

    with pytest.raises(ConcretizationError, match="static_argnums"):
        grad(lambda x: traced(x, x > 0))(1.0)

    def f(x, options):  # a list: not hashable, as JAX allows
        return jnp.sin(x) * options[0] if options[1] else x

    g = grad(lambda x: checkpoint(f, static_argnums=(1,))(x, [3.0, True]))(0.5)
    assert float(g) == pytest.approx(3.0 * np.cos(0.5))
    g = grad(lambda x: checkpoint(f, static_argnums=-1)(x, [3.0, False]))(0.5)
    assert float(g) == 1.0
    g = grad(lambda x: checkpoint(f, static_argnames="options")(x, options=[2.0, True]))(0.5)
    assert float(g) == pytest.approx(2.0 * np.cos(0.5))


def test_a_function_is_traced_once_per_signature_but_reads_arrays_anew():
    traces = []

    def f(x, w):
        traces.append(1)
        return jnp.sin(x) @ w

    g = checkpoint(f)
    for _ in range(3):
        grad(lambda x: jnp.sum(g(x, W1)))(X)
    g(X[:2], W1)
    assert len(traces) == 2  # one per signature
    scale = [np.ones(4, np.float32)]
    h = checkpoint(lambda x: x * scale[0])
    assert float(grad(lambda x: jnp.sum(h(x)))(X)[0, 0]) == 1.0
    scale[0] = np.full(4, 3.0, np.float32)  # a captured array is not kept in a trace
    assert float(grad(lambda x: jnp.sum(h(x)))(X)[0, 0]) == 3.0


# ------------------------------------------------------------------ what is kept


def test_without_checkpoint_the_layers_keep_their_intermediates():
    kept = names_of(saved_residuals(net, X, W1, W2))
    assert "output of cos" in kept and "output of sub" in kept


@pytest.mark.parametrize("policy,extra", [
    ("default", []), ("nothing", []), ("dots", ["output of dot_general"]),
    ("dots without batch dims", ["output of dot_general"]), ("names", ["named 'h'"]),
    ("names but", ["named 'h'"]), ("both", ["named 'h'"])])  # (as JAX keeps them)
def test_each_policy_keeps_the_inputs_and_what_it_saves(policy, extra):
    f = checkpoint(named_layer, policy=POLICIES[policy])
    kept = names_of(saved_residuals(f, X, W1))
    assert sorted(kept) == sorted(["from the argument x", "from the argument w"] + extra)


def test_everything_saveable_keeps_what_no_checkpoint_keeps():
    f = checkpoint(layer, policy=checkpoint_policies.everything_saveable)
    assert sorted(names_of(saved_residuals(f, X, W1))) == sorted(
        names_of(saved_residuals(layer, X, W1)))


def test_dots_with_batch_dimensions_are_not_kept_by_the_no_batch_dims_policy():
    def batched(x, w):  # a dot_general with a batch dimension
        return jnp.tanh(jaxlite.lax.dot_general(x, w, (((2,), (1,)), ((0,), (0,)))))

    x, w = np.ones((2, 3, 4), np.float32), np.ones((2, 4, 5), np.float32)
    kept = names_of(saved_residuals(checkpoint(batched, policy=POLICIES["dots"]), x, w))
    assert "output of dot_general" in kept
    kept = names_of(saved_residuals(
        checkpoint(batched, policy=POLICIES["dots without batch dims"]), x, w))
    assert kept == ["from the argument x", "from the argument w"]


def test_nested_groups_keep_only_their_inputs():
    inner = checkpoint(layer)
    group = checkpoint(lambda x: inner(inner(x, W1), W2))
    residuals = saved_residuals(lambda x: jnp.sum(group(group(group(x)))), X)
    # the inputs of the three groups (the last layer's add gives the next group's), and the
    # weights they close over
    assert [o.split(" from ")[0] for a, o in residuals if a.shape == X.shape] == [
        "from the argument x", "output of add", "output of add"]
    assert {o for a, o in residuals if a.shape != X.shape} == {"from a constant"}


def test_print_saved_residuals_names_the_source_lines(capsys):
    print_saved_residuals(checkpoint(named_layer, policy=POLICIES["names"]), X, W1)
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["f32[3,4] from the argument x", "f32[4,4] from the argument w"]
    assert lines[2].startswith("f32[3,4] named 'h' from test_remat.py:")
    assert lines[2].endswith("(named_layer)")


def test_the_linear_jaxpr_of_a_checkpointed_chain_keeps_one_residual_per_layer():
    f = checkpoint(layer)

    def chain(x):
        for _ in range(5):
            x = f(x, W1)
        return [jnp.sum(x)]

    _, linear, residuals, _ = linearize_fused(chain, [jaxlite.core.avals.aval_of_numpy(X)],
                                              [X], "test")
    jaxlite.typecheck(linear)
    assert [e.primitive.name for e in linear.eqns].count("remat2") == 5
    arrays = [r for r in residuals if np.shape(r) == X.shape]
    assert len(arrays) == 5  # the input of each layer, nothing else of its size
    assert all(np.shape(r) in (X.shape, W1.shape) for r in residuals)


# ------------------------------------------------------------------ memory


def _peak(fun, *args):
    fun(*args)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        fun(*args)
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def test_checkpointing_lowers_peak_memory_eagerly_and_under_jit():
    # (arrays large enough that what tracing allocates is small beside them)
    ws = [(RNG.standard_normal((192, 192)) / 14).astype(np.float32) for _ in range(16)]
    x = RNG.standard_normal((192, 192)).astype(np.float32)
    each = checkpoint(layer)
    group = checkpoint(lambda x, ws: each(each(each(each(x, ws[0]), ws[1]), ws[2]), ws[3]))

    def plain(x):
        for w in ws:
            x = layer(x, w)
        return jnp.sum(x)

    def per_layer(x):
        for w in ws:
            x = each(x, w)
        return jnp.sum(x)

    def nested(x):
        for i in range(0, len(ws), 4):
            x = group(x, ws[i:i + 4])
        return jnp.sum(x)

    array = x.nbytes
    for transform in (lambda f: grad(f), lambda f: jit(grad(f))):
        peaks = [_peak(transform(f), x) / array for f in (plain, per_layer, nested)]
        # plain keeps 2 arrays a layer, per_layer 1 (its input), nested 1 per group of 4 and
        # one group's recomputed inputs (in arrays of x's size)
        assert peaks[0] > 2 * 16 and peaks[1] < 1.4 * 16 and peaks[2] < 0.8 * 16, peaks


# ------------------------------------------------------------------ vmap and jit


def test_vmap_agrees_with_a_loop():
    f = checkpoint(layer)
    xs = RNG.standard_normal((5, 3, 4)).astype(np.float32)
    batched = vmap(f, in_axes=(0, None))(xs, W1)
    for i in range(5):
        np.testing.assert_allclose(np.asarray(batched[i]), np.asarray(f(xs[i], W1)), rtol=1e-6)
    per_example = vmap(grad(lambda x: jnp.sum(f(x, W1) ** 2)))(xs)
    for i in range(5):
        want = grad(lambda x: jnp.sum(layer(x, W1) ** 2))(xs[i])
        np.testing.assert_allclose(np.asarray(per_example[i]), np.asarray(want), rtol=1e-5)
    summed = grad(lambda xs: jnp.sum(vmap(f, in_axes=(0, None))(xs, W1) ** 2))(xs)
    np.testing.assert_allclose(np.asarray(summed), np.asarray(per_example), rtol=1e-5)
    jaxlite.typecheck(make_jaxpr(vmap(grad(lambda x: jnp.sum(f(x, W1)))))(xs))


def test_jit_of_grad_gives_eager_s_bits_and_recomputes():
    f = checkpoint(layer)
    g = grad(lambda x: jnp.sum(f(f(x, W1), W2) ** 2))
    assert np.asarray(jit(g)(X)).tobytes() == np.asarray(g(X)).tobytes()
    source = jit(g).lower(X).as_text()
    assert source.count("np.sin(") == 4  # each layer's sine: forward, and again backward


def test_grad_of_jit_of_checkpoint():
    f = jit(lambda x: jnp.sum(checkpoint(layer)(x, W1) ** 2))
    want = grad(lambda x: jnp.sum(layer(x, W1) ** 2))(X)
    np.testing.assert_allclose(np.asarray(grad(f)(X)), np.asarray(want), rtol=1e-5)
    jaxlite.typecheck(make_jaxpr(grad(f))(X))


def test_an_unused_output_is_dead_code():
    closed = make_jaxpr(checkpoint(lambda x: (jnp.sin(x), jnp.cos(x))))(X)
    pruned, used = dce_jaxpr(closed, (False, True))
    (eqn,) = pruned.eqns
    jaxlite.typecheck(pruned)
    assert len(eqn.outputs) == 1 and [e.primitive.name for e in eqn.params["jaxpr"].eqns] == ["cos"]
    assert dce_jaxpr(closed, (False, False))[0].eqns == ()


def test_checkpoint_name_is_the_identity_with_an_unnamed_tangent():
    y, t = jaxlite.jvp(lambda x: checkpoint_name(jnp.sin(x), "a"), (1.0,), (1.0,))
    assert float(y) == pytest.approx(np.sin(1.0)) and float(t) == pytest.approx(np.cos(1.0))
    tree = checkpoint_name({"p": X, "q": (X, X)}, "a")
    assert np.asarray(tree["q"][1]).tobytes() == X.tobytes()
    assert np.asarray(jit(lambda x: checkpoint_name(x, "a") * 2)(X)).tobytes() == (X * 2).tobytes()


# ------------------------------------------------------------------ printing, as JAX prints


def golden(text):
    return textwrap.dedent(text).strip("\n")


C = np.array([1.0, 2.0, 3.0], np.float32)


def builders(lib):
    """Each case's function and arguments, written against ``lib`` (jaxlite or jax)."""
    np_, policies = lib.numpy, lib.checkpoint_policies
    f = lambda x: np_.sin(np_.sin(x))  # noqa: E731
    return {
        "checkpoint(f)": (lib.checkpoint(f), (1.0,)),
        "vmap(checkpoint(f))": (lib.vmap(lib.checkpoint(f)), (np_.ones(3),)),
        "dots_saveable": (lib.checkpoint(f, policy=policies.dots_saveable), (1.0,)),
        "save_only_these_names": (lib.checkpoint(f, policy=policies.save_only_these_names("a")),
                                  (1.0,)),
        "a function policy": (lib.checkpoint(f, policy=policies.nothing_saveable), (1.0,)),
        "a closed-over array": (lib.checkpoint(lambda x: x * C), (np_.ones(3),)),
        "nested": (lib.checkpoint(lambda x: lib.checkpoint(f)(x) * 2.0), (1.0,)),
        "two outputs": (lib.checkpoint(lambda x, y: (x * y, x)), (1.0, 2.0)),
        "grad(checkpoint(f))": (lib.grad(lib.checkpoint(f)), (1.0,)),
        "grad(checkpoint(sin(x) * x))": (lib.grad(lib.checkpoint(lambda y: np_.sin(y) * y)),
                                         (1.0,)),
        "checkpoint_name": ((lambda x: lib.ad_checkpoint.checkpoint_name(x * 2.0, "a")), (1.0,)),
    }


SIN_SIN = "{ lambda ; c:f32[]. let d:f32[] = sin c; e:f32[] = sin d in (e,) }"


def _one_eqn(policy, jaxpr=SIN_SIN, differentiated="False"):
    return f"""
        {{ lambda ; a:f32[]. let
            b:f32[] = remat2[
              differentiated={differentiated}
              jaxpr={jaxpr}
              policy={policy}
              prevent_cse=True
            ] a
          in (b,) }}"""


CASES = {  # name -> (why jaxlite prints differently, or None; JAX 0.10.2's text)
    "checkpoint(f)": (None, _one_eqn("None")),
    "vmap(checkpoint(f))": (None, """
        { lambda ; a:f32[3]. let
            b:f32[3] = remat2[
              differentiated=False
              jaxpr={ lambda ; c:f32[3]. let
                  d:f32[3] = sin c
                  e:f32[3] = sin d
                in (e,) }
              policy=None
              prevent_cse=True
            ] a
          in (b,) }"""),
    "dots_saveable": (None, _one_eqn("DotsSaveable(only_if_no_batch_dims=False)")),
    "save_only_these_names": (None, _one_eqn(
        "SaveOnlyTheseNames(saveable_names=frozenset({'a'}))")),
    "a function policy": ("jaxlite prints a function in params by its name, not its repr",
                          _one_eqn("<function nothing_saveable at 0xXXXXXXXXXXXX>")),
    "a closed-over array": (None, """
        { lambda a:f32[3]; b:f32[3]. let
            c:f32[3] = remat2[
              differentiated=False
              jaxpr={ lambda ; d:f32[3] e:f32[3]. let f:f32[3] = mul e d in (f,) }
              policy=None
              prevent_cse=True
            ] a b
          in (c,) }"""),
    "nested": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = remat2[
              differentiated=False
              jaxpr={ lambda ; c:f32[]. let
                  d:f32[] = remat2[
                    differentiated=False
                    jaxpr={ lambda ; e:f32[]. let
                        f:f32[] = sin e
                        g:f32[] = sin f
                      in (g,) }
                    policy=None
                    prevent_cse=True
                  ] c
                  h:f32[] = mul d 2.0:f32[]
                in (h,) }
              policy=None
              prevent_cse=True
            ] a
          in (b,) }"""),
    "two outputs": (None, """
        { lambda ; a:f32[] b:f32[]. let
            c:f32[] d:f32[] = remat2[
              differentiated=False
              jaxpr={ lambda ; e:f32[] f:f32[]. let g:f32[] = mul e f in (g, e) }
              policy=None
              prevent_cse=True
            ] a b
          in (c, d) }"""),
    "grad(checkpoint(f))": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = sin a
            _:f32[] = sin b
            c:f32[] = remat2[
              differentiated=True
              jaxpr={ lambda ; d:f32[] e:f32[]. let
                  f:f32[] = sin d
                  g:f32[] = cos d
                  h:f32[] = cos f
                  i:f32[] = mul e h
                  j:f32[] = mul i g
                in (j,) }
              policy=None
              prevent_cse=True
            ] a 1.0:f32[]
          in (c,) }"""),
    "grad(checkpoint(sin(x) * x))": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = sin a
            _:f32[] = mul b a
            c:f32[] = remat2[
              differentiated=True
              jaxpr={ lambda ; d:f32[] e:f32[]. let
                  f:f32[] = sin d
                  g:f32[] = cos d
                  h:f32[] = mul f e
                  i:f32[] = mul e d
                  j:f32[] = mul i g
                  k:f32[] = add_any h j
                in (k,) }
              policy=None
              prevent_cse=True
            ] a 1.0:f32[]
          in (c,) }"""),
    "checkpoint_name": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = mul a 2.0:f32[]
            c:f32[] = name[name=a] b
          in (c,) }"""),
}


def _cases(with_xfail):
    return [pytest.param(name, id=name, marks=[pytest.mark.xfail(strict=True, reason=reason)]
                         if with_xfail and reason else []) for name, (reason, _) in CASES.items()]


@pytest.mark.parametrize("name", _cases(with_xfail=True))
def test_checkpoint_prints_as_jax_does(name):
    fun, args = builders(jaxlite)[name]
    closed = make_jaxpr(fun)(*args)
    jaxlite.typecheck(closed)
    assert str(closed) == golden(CASES[name][1])


@pytest.mark.parametrize("name", _cases(with_xfail=False))
def test_the_recorded_text_is_jaxs(name):
    jax = pytest.importorskip("jax")
    lib = types.SimpleNamespace(ad_checkpoint=pytest.importorskip("jax.ad_checkpoint"), **{
        k: getattr(jax, k) for k in ("checkpoint", "checkpoint_policies", "vmap", "grad",
                                     "numpy")})
    fun, args = builders(lib)[name]
    assert str(jax.make_jaxpr(fun)(*args)) == golden(CASES[name][1])


# ------------------------------------------------------------------ errors


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="expected a callable"):
        checkpoint(3)
    with pytest.raises(TypeError, match="policy must be None or a callable"):
        checkpoint(layer, policy="dots")
    with pytest.raises(TypeError, match="must be hashable"):
        checkpoint(layer, policy=_UnhashablePolicy())
    with pytest.raises(TypeError, match="static_argnums"):
        checkpoint(layer, static_argnums=[1])
    with pytest.raises(ArgnumsError, match="static_argnums"):
        checkpoint(layer, static_argnums=5)(X, W1)
    assert float(grad(lambda x: checkpoint(jnp.sin)(x))(0.0)) == 1.0  # still works


class _UnhashablePolicy:
    __hash__ = None

    def __call__(self, prim, *avals, **params):
        return False


def test_a_policy_must_answer_with_a_bool():
    f = checkpoint(layer, policy=lambda prim, *avals, **params: "yes")
    with pytest.raises(TypeError, match="must return True .* or False"):
        grad(lambda x: jnp.sum(f(x, W1)))(X)
    assert jaxlite.core.trace.current_trace() is None
    np.testing.assert_allclose(np.asarray(grad(lambda x: jnp.sum(checkpoint(layer)(x, W1)))(X)),
                               np.asarray(grad(lambda x: jnp.sum(layer(x, W1)))(X)), rtol=1e-6)
