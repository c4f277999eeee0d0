"""vmap, alone and composed with the derivative transforms, against Python loops.

Every case is checked three ways: the vmapped result equals a loop over examples, the
jaxpr of the vmapped function typechecks, and evaluating that jaxpr gives the result.
"""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import grad, jvp, vjp, vmap
from jaxlite.interpreters import eval_jaxpr
from jaxlite.tree_util import tree_leaves, tree_map, tree_structure

RNG = np.random.default_rng(0)


def rand(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


# ------------------------------------------------------------------ the Python-loop reference


def take_example(spec, tree, i):
    """Example ``i`` of ``tree`` under an in_axes prefix ``spec``."""
    if spec is None:
        return tree
    if isinstance(spec, int):
        return tree_map(lambda leaf: np.take(np.asarray(leaf), i, axis=spec), tree)
    if isinstance(spec, dict):
        return {k: take_example(spec[k], tree[k], i) for k in tree}
    return type(tree)(take_example(s, t, i) for s, t in zip(spec, tree))


def stack_examples(spec, outs):
    """Stack per-example outputs as out_axes ``spec`` says (None: all equal, kept once)."""
    if spec is None:
        for out in outs[1:]:
            for a, b in zip(tree_leaves(out), tree_leaves(outs[0])):
                np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
        return outs[0]
    if isinstance(spec, int):
        return tree_map(lambda *leaves: np.stack([np.asarray(x) for x in leaves], axis=spec), *outs)
    if isinstance(spec, dict):
        return {k: stack_examples(spec[k], [o[k] for o in outs]) for k in outs[0]}
    return type(outs[0])(stack_examples(s, [o[n] for o in outs]) for n, s in enumerate(spec))


def mapped_sizes(spec, tree):
    """The sizes of the mapped axes of ``tree`` under an in_axes prefix ``spec``."""
    if spec is None:
        return []
    if isinstance(spec, int):
        return [np.shape(leaf)[spec] for leaf in tree_leaves(tree)]
    if isinstance(spec, dict):
        return [n for k in tree for n in mapped_sizes(spec[k], tree[k])]
    return [n for s, t in zip(spec, tree) for n in mapped_sizes(s, t)]


def loop(f, args, in_axes=0, out_axes=0, size=None):
    specs = in_axes if isinstance(in_axes, (tuple, list)) else (in_axes,) * len(args)
    if size is None:
        (size,) = set(mapped_sizes(tuple(specs), tuple(args)))
    outs = [f(*[take_example(s, a, i) for s, a in zip(specs, args)]) for i in range(size)]
    return stack_examples(out_axes, outs)


def assert_trees_close(got, want, rtol=1e-5, atol=1e-5):
    assert tree_structure(got) == tree_structure(want)
    for g, w in zip(tree_leaves(got), tree_leaves(want)):
        assert isinstance(g, jaxlite.Array)
        assert g.shape == np.shape(w)
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=rtol, atol=atol)


def check_vmap(f, args, in_axes=0, out_axes=0, axis_size=None):
    """vmap equals the loop; make_jaxpr of it typechecks and evaluates to the same."""
    batched = vmap(f, in_axes=in_axes, out_axes=out_axes, axis_size=axis_size)
    got = batched(*args)
    assert_trees_close(got, loop(f, args, in_axes, out_axes, axis_size))
    closed = jaxlite.make_jaxpr(batched)(*args)
    jaxlite.typecheck(closed)
    staged = eval_jaxpr(closed.jaxpr, list(closed.consts), *tree_leaves(args))
    for a, b in zip(staged, tree_leaves(got)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6, atol=1e-6)
    return got


# ------------------------------------------------------------------ in_axes / out_axes / axis_size

CASES = [  # (id, f, args, in_axes, out_axes, axis_size)
    ("int0", lambda x, y: jnp.sin(x) * y, (rand(4, 3), rand(4, 3)), 0, 0, None),
    ("none_and_0", lambda w, x: x @ w, (rand(3, 2), rand(5, 3)), (None, 0), 0, None),
    ("neg_in_axis", lambda x: jnp.sum(x ** 2), (rand(3, 5),), -1, 0, None),
    ("in_axes_1_0", lambda x, y: x * y, (rand(3, 4), rand(4)), (1, 0), 0, None),
    ("in_axes_list", lambda x, y: x - y, (rand(4, 2), rand(2)), [0, None], 0, None),
    ("dict_prefix", lambda d: d["a"] * d["b"], ({"a": rand(4, 3), "b": np.float32(2.0)},),
     ({"a": 0, "b": None},), 0, None),
    ("dict_prefix_axis1", lambda d, s: jnp.sum(d["w"] @ d["v"]) * s,
     ({"w": rand(2, 6, 3), "v": rand(3)}, rand(6)), ({"w": 1, "v": None}, 0), 0, None),
    ("nested_tree_all_0", lambda t: t[0]["w"].sum() + t[1][0],
     (({"w": rand(4, 2)}, [rand(4)]),), 0, 0, None),
    ("out_axes_1", lambda x: jnp.outer(x, x + 1.0), (rand(4, 3),), 0, 1, None),
    ("out_axes_neg", lambda x: jnp.outer(x, x), (rand(4, 3),), 0, -1, None),
    ("out_axes_neg2", lambda x: jnp.outer(x, x), (rand(4, 3),), 0, -2, None),
    ("out_axes_none_unbatched", lambda x, y: (x * y, y * 2.0), (rand(4, 3), rand(3)),
     (0, None), (0, None), None),
    ("out_axes_dict", lambda x: {"a": x * 2.0, "b": jnp.sum(x)}, (rand(5, 3),), 0,
     {"a": 1, "b": 0}, None),
    ("unbatched_output_broadcast", lambda x, y: y + 1.0, (rand(4), rand(3)), (0, None), 0, None),
    ("axis_size_in_axes_none", lambda x: x * 2.0, (rand(3),), None, 0, 4),
    ("axis_size_matching", lambda x: x * 2.0, (rand(4, 3),), 0, 1, 4),
    ("integer_input", lambda i: i * 2 + 1, (np.arange(5, dtype=np.int32),), 0, 0, None),
    ("index_reshape", lambda x: x.reshape(2, 3)[1, 1:] * x[0], (rand(4, 6),), 0, 0, None),
    ("reductions", lambda x: (jnp.max(x, axis=0), jnp.mean(x, axis=1), x.argmax()),
     (rand(4, 2, 3),), 0, 0, None),
    ("softmax_where", lambda x: jnp.where(x > 0, jaxlite.nn.softmax(x), -1.0), (rand(4, 5),), 0,
     0, None),
    ("kwargs_free_matmul_chain", lambda a, b: jnp.tanh(a @ b) @ b.T, (rand(3, 2, 4), rand(3, 4, 2)),
     0, 0, None),
]


@pytest.mark.parametrize("name,f,args,in_axes,out_axes,axis_size", CASES, ids=[c[0] for c in CASES])
def test_vmap_matches_loop(name, f, args, in_axes, out_axes, axis_size):
    check_vmap(f, args, in_axes, out_axes, axis_size)


def test_vmap_result_dtypes_and_shapes():
    out = vmap(lambda x, s: x * s, in_axes=(0, None))(rand(4, 3), 2.0)
    assert out.dtype == np.float32 and not out.weak_type and out.shape == (4, 3)
    ints = vmap(lambda i: i + 1)(jnp.arange(3))
    assert ints.dtype == np.int32 and ints.shape == (3,)


def test_vmap_axis_size_constant_output():
    # JAX: vmap(lambda x: 1.0, axis_size=3)(jnp.ones(3)) -> Array([1., 1., 1.], weak_type=True)
    out = vmap(lambda x: 1.0, axis_size=3)(jnp.ones(3))
    np.testing.assert_array_equal(np.asarray(out), [1.0, 1.0, 1.0])
    assert out.dtype == np.float32 and out.weak_type
    out = vmap(lambda: jnp.ones(2), axis_size=3)()
    assert out.shape == (3, 2)


def test_vmap_keyword_arguments_map_over_axis_0():
    x, y = rand(4, 3), rand(4, 3)
    out = vmap(lambda x, y=None: x * y, in_axes=(0,))(x, y=y)
    np.testing.assert_allclose(np.asarray(out), x * y, rtol=1e-6)


# ------------------------------------------------------------------ nested vmap


def test_nested_vmap_outer_product_like():
    f = lambda a, b: jnp.sin(a) * b  # noqa: E731
    xs, ys = rand(3, 2), rand(4, 2)
    got = vmap(vmap(f, in_axes=(0, None)), in_axes=(None, 0))(xs, ys)
    assert got.shape == (4, 3, 2)
    expected = np.stack([np.stack([np.sin(xs[i]) * ys[j] for i in range(3)]) for j in range(4)])
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-6)


def test_nested_vmap_over_different_axes():
    x = rand(3, 4, 5)
    f = lambda v: jnp.sum(v ** 2) - v[0]  # noqa: E731
    got = check_vmap(vmap(f, in_axes=1), (x,), in_axes=2, out_axes=0)
    expected = np.array([[np.sum(x[:, j, k] ** 2) - x[0, j, k] for j in range(4)]
                         for k in range(5)])
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-5)


def test_triple_nested_vmap():
    x = rand(2, 3, 4)
    got = vmap(vmap(vmap(lambda s: s * jnp.exp(s))))(x)
    np.testing.assert_allclose(np.asarray(got), x * np.exp(x), rtol=1e-6)


# ------------------------------------------------------------------ vmap with derivatives


def init_mlp():
    return {"w1": rand(3, 4), "b1": rand(4), "w2": rand(4), "b2": np.float32(0.1)}


def mlp_loss(params, x, y):
    h = jnp.tanh(x @ params["w1"] + params["b1"])
    return (h @ params["w2"] + params["b2"] - y) ** 2


def test_per_example_gradients_of_mlp():
    params, xs, ys = init_mlp(), rand(6, 3), rand(6)
    per_example = vmap(grad(mlp_loss), in_axes=(None, 0, 0))(params, xs, ys)
    assert set(per_example) == set(params)
    for k, p in params.items():
        assert per_example[k].shape == (6,) + np.shape(p)
    expected = loop(grad(mlp_loss), (params, xs, ys), (None, 0, 0))
    assert_trees_close(per_example, expected)
    closed = jaxlite.make_jaxpr(vmap(grad(mlp_loss), in_axes=(None, 0, 0)))(params, xs, ys)
    jaxlite.typecheck(closed)


def test_grad_of_vmap_then_sum_equals_sum_of_grads():
    params, xs, ys = init_mlp(), rand(5, 3), rand(5)
    total = lambda p: jnp.sum(vmap(mlp_loss, in_axes=(None, 0, 0))(p, xs, ys))  # noqa: E731
    got = grad(total)(params)
    per_example = [grad(mlp_loss)(params, xs[i], ys[i]) for i in range(5)]
    expected = tree_map(lambda *g: np.sum([np.asarray(x) for x in g], axis=0), *per_example)
    assert_trees_close(got, expected, rtol=1e-4)


def test_vmap_of_grad_with_batched_params():
    # also map over the params (an ensemble of models)
    params = tree_map(lambda p: np.stack([p, 2 * p]), init_mlp())
    x, y = rand(3), np.float32(0.5)
    got = vmap(grad(mlp_loss), in_axes=(0, None, None))(params, x, y)
    expected = loop(grad(mlp_loss), (params, x, y), (0, None, None))
    assert_trees_close(got, expected)


def test_vmap_of_jvp_gives_jacobian():
    f = lambda x: jnp.sin(x) * jnp.sum(x ** 2)  # noqa: E731
    x = rand(3)
    cols = vmap(lambda t: jvp(f, (x,), (t,))[1], out_axes=1)(np.eye(3, dtype=np.float32))
    expected = np.stack([np.asarray(jvp(f, (x,), (e,))[1]) for e in np.eye(3, dtype=np.float32)],
                        axis=1)
    np.testing.assert_allclose(np.asarray(cols), expected, rtol=1e-5)
    check_vmap(lambda x, t: jvp(f, (x,), (t,)), (rand(4, 3), rand(4, 3)))


def test_vmap_of_vjp():
    f = lambda x, y: (jnp.tanh(x) * y, jnp.sum(x * y))  # noqa: E731

    def pullback(x, y, ct):
        return vjp(f, x, y)[1](ct)

    args = (rand(4, 3), rand(3), (rand(4, 3), rand(4)))
    check_vmap(pullback, args, in_axes=(0, None, 0))


def test_grad_of_vmap_of_grad():
    # d/dw sum_i d/dx_i [w * x_i^3] = sum_i 3 x_i^2
    xs = rand(5)
    g = grad(lambda w: jnp.sum(vmap(grad(lambda x: w * x ** 3))(xs)))(1.5)
    np.testing.assert_allclose(float(g), np.sum(3 * xs ** 2), rtol=1e-5)
