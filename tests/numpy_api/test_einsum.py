"""jnp.einsum and jnp.einsum_path against np.einsum and recorded JAX values: subscripts and
sublist forms, ellipses, diagonals, broadcasting, dtypes, paths, gradients, vmap and jit."""

import jaxlite
import jaxlite.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jaxlite.test_util import check_grads

RNG = np.random.default_rng(0)

# (subscripts, operand shapes): matrix products, batches, traces, diagonals, outer products,
# sums over labels used once, implicit outputs, ellipses and size-1 broadcasting
CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("ij,kj->ik", [(2, 3), (4, 3)]),
    ("ji,jk->ki", [(3, 2), (3, 4)]),
    ("bij,bjk,bkl->bil", [(4, 2, 3), (4, 3, 5), (4, 5, 2)]),
    ("ab,bc,cd,de->ae", [(2, 6), (6, 4), (4, 5), (5, 3)]),
    ("ea,fb,abcd,gc,hd->efgh", [(5, 4), (6, 3), (4, 3, 2, 5), (7, 2), (8, 5)]),
    ("i,i->", [(5,), (5,)]),
    ("i,i", [(5,), (5,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("i,j,k->ijk", [(2,), (3,), (4,)]),
    ("ij->", [(3, 4)]),
    ("ij->ji", [(3, 4)]),
    ("ij", [(3, 4)]),
    ("ji", [(3, 4)]),
    ("ii->", [(4, 4)]),
    ("ii->i", [(4, 4)]),
    ("ii", [(4, 4)]),
    ("iij->ji", [(3, 3, 2)]),
    ("iii->i", [(3, 3, 3)]),
    ("iji->j", [(3, 2, 3)]),
    ("ii,i->i", [(3, 3), (3,)]),
    ("ij,ij->i", [(3, 4), (3, 4)]),
    ("ijk,jl->", [(2, 3, 4), (3, 5)]),
    ("ijk,ikl->jl", [(2, 3, 4), (2, 4, 5)]),
    ("abc,c->ab", [(2, 3, 4), (4,)]),
    ("...ij,...jk->...ik", [(5, 2, 3), (5, 3, 4)]),
    ("...ij,...jk", [(5, 2, 3), (3, 4)]),
    ("...,...", [(3, 1), (1, 4)]),
    ("i...->...", [(2, 3, 4)]),
    ("...i->i", [(2, 3)]),  # (JAX sums the ellipsis axes; NumPy refuses)
    ("ij->...", [(2, 3)]),
    ("i,i", [(3,), (1,)]),
    ("ij,ij->ij", [(3, 1), (1, 4)]),
    ("ijk,ijk", [(1, 2, 1), (3, 1, 4)]),
    (",ij->ij", [(), (2, 3)]),
    ("", [()]),
    ("ij,jk->ik", [(0, 3), (3, 2)]),
    ("ij,jk->ik", [(2, 0), (0, 3)]),
    ("Ba,aB", [(2, 3), (3, 2)]),
]


NUMPY_SPELLING = {"...i->i": "ji->i"}


def _operands(shapes, dtype=np.float32):
    if np.issubdtype(dtype, np.integer):
        return [RNG.integers(-3, 4, size=s).astype(dtype) for s in shapes]
    return [RNG.normal(size=s).astype(dtype) for s in shapes]


@pytest.mark.parametrize("subscripts,shapes", CASES, ids=[c[0] or "empty" for c in CASES])
def test_values_against_numpy(subscripts, shapes):
    ops = _operands(shapes)
    out = jnp.einsum(subscripts, *ops)
    spelling = NUMPY_SPELLING.get(subscripts, subscripts)
    expected = np.einsum(spelling, *[x.astype(np.float64) for x in ops])
    assert out.shape == expected.shape and out.dtype == np.float32
    np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-5, atol=1e-5)
    jitted = jaxlite.jit(lambda *xs: jnp.einsum(subscripts, *xs))(*ops)
    np.testing.assert_array_equal(np.asarray(jitted), np.asarray(out))


@pytest.mark.parametrize("subscripts,shapes", CASES[:8] + CASES[15:22])
def test_integer_operands_are_exact(subscripts, shapes):
    ops = _operands(shapes, np.int32)
    out = jnp.einsum(subscripts, *ops)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(np.asarray(out), np.einsum(subscripts, *ops))


@pytest.mark.parametrize("optimize", ["greedy", "optimal", "auto", True, False,
                                      [(1, 2), (0, 1)], ["einsum_path", (0, 2), (0, 1)]],
                         ids=str)
def test_optimize_options_give_one_result(optimize):
    ops = _operands([(2, 3), (3, 4), (4, 5)])
    out = jnp.einsum("ij,jk,kl->il", *ops, optimize=optimize, precision="highest")
    np.testing.assert_allclose(np.asarray(out), np.einsum("ij,jk,kl->il", *ops), rtol=1e-5,
                               atol=1e-6)


def test_sublist_form():
    a, b = _operands([(2, 3), (3, 4)])
    expected = a @ b
    np.testing.assert_allclose(np.asarray(jnp.einsum(a, [0, 1], b, [1, 2], [0, 2])), expected,
                               rtol=1e-6)
    np.testing.assert_allclose(np.asarray(jnp.einsum(a, [0, 1], b, [1, 2])), expected, rtol=1e-6)
    c = _operands([(5, 2, 3)])[0]
    np.testing.assert_allclose(np.asarray(jnp.einsum(c, [Ellipsis, 0, 1], [1, Ellipsis])),
                               np.einsum(c, [Ellipsis, 0, 1], [1, Ellipsis]), rtol=1e-6)
    # integers map to opt_einsum's letters, so 26 ('A') sorts before 0 ('a'), as in JAX
    assert jnp.einsum(a, [0, 26]).shape == (3, 2)


# recorded from JAX 0.10.2: (operands, dtype, weak_type)
DTYPES = [
    ((np.float32, np.int32), np.float32, False),
    ((np.int32, np.int32), np.int32, False),
    ((np.int8, np.int8), np.int8, False),
    ((np.bool_, np.bool_), np.bool_, False),
    ((np.float16, np.float32), np.float32, False),
    ((np.int8, np.float16), np.float16, False),
    ((np.bool_, np.int32), np.int32, False),
]


@pytest.mark.parametrize("dtypes,dtype,weak", DTYPES, ids=str)
def test_result_dtypes_as_jax(dtypes, dtype, weak):
    out = jnp.einsum("i,i", *[np.ones(3, d) for d in dtypes])
    assert out.dtype == dtype and out.aval.weak_type == weak
    assert np.asarray(out) == (True if dtype == np.bool_ else 3)


def test_python_scalars_and_weak_types_as_jax():
    out = jnp.einsum(",", 2, 3)
    assert out.dtype == np.int32 and out.aval.weak_type and int(out) == 6
    out = jnp.einsum(",", 2.0, 3)
    assert out.dtype == np.float32 and out.aval.weak_type and float(out) == 6.0
    out = jnp.einsum("i,", jnp.ones(3, jnp.int32), 2)
    assert out.dtype == np.int32 and not out.aval.weak_type
    np.testing.assert_array_equal(np.asarray(out), [2, 2, 2])


def test_preferred_element_type_accumulates_wide():
    x = np.full(3, 100, np.int8)
    out = jnp.einsum("i,i", x, x, preferred_element_type=jnp.int32)
    assert out.dtype == np.int32 and int(out) == 30000  # (JAX's value; int8 would wrap)
    for pet in (jnp.float32, jnp.float16, jnp.int32):
        out = jnp.einsum("i->", np.ones(3, np.float16), preferred_element_type=pet)
        assert out.dtype == np.dtype(pet.dtype) and not out.aval.weak_type and out == 3


def test_booleans_sum_as_or():
    eye = np.eye(3, dtype=bool)
    assert bool(jnp.einsum("ii->", eye)) and bool(jnp.einsum("ij->", eye))
    assert not bool(jnp.einsum("ij,ij->", np.ones((2, 2), bool), np.zeros((2, 2), bool)))


# greedy paths recorded from jnp.einsum_path(..., optimize="greedy"), JAX 0.10.2
PATHS = [
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)], [(1, 2), (0, 1)]),
    ("ij,jk,kl->il", [(10, 3), (3, 40), (40, 5)], [(1, 2), (0, 1)]),
    ("ab,bc,cd,de->ae", [(2, 30), (30, 4), (4, 50), (50, 3)], [(2, 3), (0, 1), (0, 1)]),
    ("i,j,k->ijk", [(2,), (3,), (4,)], [(0, 1), (0, 1)]),
    ("ea,fb,abcd,gc,hd->efgh", [(5, 4), (6, 3), (4, 3, 2, 5), (7, 2), (8, 5)],
     [(0, 2), (2, 3), (0, 2), (0, 1)]),
    ("ij->i", [(2, 3)], [(0,)]),
]


@pytest.mark.parametrize("subscripts,shapes,path", PATHS)
def test_einsum_path_is_jaxs_greedy_path(subscripts, shapes, path):
    ops = [np.ones(s, np.float32) for s in shapes]
    found, info = jnp.einsum_path(subscripts, *ops, optimize="greedy")
    assert found == path and "Complete contraction" in info
    assert jnp.einsum_path(subscripts, *ops, optimize=False)[0] == (
        [(0, 1)] * (len(ops) - 1) or [(0,)])


def test_chosen_order_is_the_cheap_one():
    a, b, c = (np.ones(s, np.float32) for s in [(10, 3), (3, 40), (40, 5)])
    jaxpr = jaxlite.make_jaxpr(lambda a, b, c: jnp.einsum("ij,jk,kl->il", a, b, c))(a, b, c)
    first = jaxpr.jaxpr.eqns[0]
    assert first.primitive.name == "dot_general"
    assert [v.aval.shape for v in first.inputs] == [(3, 40), (40, 5)]


SHAPES = dict(CASES)
GRAD_CASES = ["ij,jk->ik", "bij,bjk,bkl->bil", "ii->i", "iij->ji", "...ij,...jk", "i,i",
              "ij->", "ijk,ikl->jl", "i,j->ij", "ij,ij->ij"]


@pytest.mark.parametrize("subscripts", GRAD_CASES)
def test_check_grads_order_2(subscripts):
    shapes = SHAPES[subscripts]
    jaxlite.config.update("jax_enable_x64", True)
    ops = [jnp.asarray(x) for x in _operands(shapes, np.float64)]
    check_grads(lambda *xs: jnp.einsum(subscripts, *xs), ops, order=2)


@pytest.mark.parametrize("subscripts,in_axes", [("ij,jk->ik", (0, None)), ("ij,jk->ik", (1, 1)),
                                                ("bij,bjk,bkl->bil", (2, 0, None)),
                                                ("ii->i", (1,)), ("...ij,...jk", (0, 0))])
def test_vmap_against_a_loop(subscripts, in_axes):
    shapes = SHAPES[subscripts]
    ops = []
    for shape, axis in zip(shapes, in_axes, strict=False):
        ops.append(_operands([shape])[0] if axis is None else
                   np.stack(_operands([shape] * 3), axis=axis))
    fn = lambda *xs: jnp.einsum(subscripts, *xs)
    out = jaxlite.vmap(fn, in_axes=in_axes)(*ops)
    loop = [fn(*[x if a is None else np.take(x, k, axis=a) for x, a in zip(ops, in_axes, strict=False)])
            for k in range(3)]
    np.testing.assert_allclose(np.asarray(out), np.stack([np.asarray(o) for o in loop]),
                               rtol=1e-5, atol=1e-6)


ERRORS = [
    (("ij,jk", np.ones((2, 3))), ValueError, "Number of einsum subscripts, 2, must be equal"),
    (("ij", np.ones(3)), ValueError, "does not contain the correct number of indices"),
    (("ij,jk->ik", np.ones((2, 3)), np.ones((2, 3))), ValueError, "Size of label 'j'"),
    (("ij->ijk", np.ones((2, 3))), ValueError, "Output character 'k' did not appear"),
    (("i->ii", np.ones(3)), ValueError, "appeared more than once in the output"),
    (("i.j", np.ones((2, 3))), ValueError, "Invalid Ellipses"),
    (("i,j->i->j", np.ones(2), np.ones(2)), ValueError, "only contain one '->'"),
    (("ij,jk", [[1, 2]], [[1], [2]]), TypeError, "einsum requires ndarray or scalar arguments"),
    (("ij,jk,kl", np.ones((2, 3)), np.ones((3, 2)), np.ones((2, 3))), NotImplementedError,
     "simultaneous contraction of 3 or more"),
]


@pytest.mark.parametrize("args,error,match", ERRORS, ids=[e[2][:20] for e in ERRORS])
def test_bad_inputs_raise_and_leave_einsum_working(args, error, match):
    kwargs = {"optimize": [(0, 1, 2)]} if error is NotImplementedError else {}
    with pytest.raises(error, match=match):
        jnp.einsum(*args, **kwargs)
    assert float(jnp.einsum("i,i", np.ones(2), np.ones(2))) == 2.0


def test_bad_options_raise():
    x = np.ones((2, 2), np.float32)
    with pytest.raises(NotImplementedError, match="'out' argument"):
        jnp.einsum("ij->", x, out=x)
    with pytest.raises(KeyError, match="Path optimizer 'fastest' not found"):
        jnp.einsum("ij,jk", x, x, optimize="fastest")
    with pytest.raises(TypeError, match="Ellipsis or hashable"):
        jnp.einsum(x, [0, "a"])
    with pytest.raises(ValueError, match="leaves 2 operands"):
        jnp.einsum("ij,jk,kl", x, x, x, optimize=[(0, 1)])
    assert jnp.einsum("ij,jk", x, x).shape == (2, 2)


@st.composite
def _einsum_problems(draw):
    """Random subscripts over labels a-e (repeats, broadcast size-1 axes, ellipses, implicit
    and explicit outputs) with operand shapes that fit."""
    sizes = {label: draw(st.integers(1, 3)) for label in "abcde"}
    n_operands = draw(st.integers(1, 4))
    ellipsis = draw(st.sampled_from([None, (), (2,), (3, 1)]))
    terms, shapes = [], []
    for _ in range(n_operands):
        labels = draw(st.lists(st.sampled_from("abcde"), max_size=3))
        shape = [1 if draw(st.booleans()) and draw(st.booleans()) else sizes[c] for c in labels]
        if ellipsis is not None and draw(st.booleans()):
            cut = draw(st.integers(0, len(ellipsis)))
            shape = list(ellipsis[cut:]) + shape
            labels = ["..."] + labels
        terms.append("".join(labels))
        shapes.append(tuple(shape))
    used = sorted({c for t in terms for c in t if c.isalpha()})
    if draw(st.booleans()):
        return ",".join(terms), shapes
    output = draw(st.permutations(used))[:draw(st.integers(0, len(used)))]
    dots = "..." if any("..." in t for t in terms) else ""
    return ",".join(terms) + "->" + dots + "".join(output), shapes


@settings(max_examples=40, deadline=None)
@given(_einsum_problems(), st.sampled_from(["greedy", False]))
def test_random_subscripts_against_numpy(problem, optimize):
    subscripts, shapes = problem
    ops = [RNG.normal(size=s) for s in shapes]
    try:
        expected = np.einsum(subscripts, *ops)
    except ValueError:  # NumPy refuses some broadcasts that opt_einsum (and JAX) take
        return
    out = jnp.einsum(subscripts, *[x.astype(np.float32) for x in ops], optimize=optimize)
    assert out.shape == expected.shape
    np.testing.assert_allclose(np.asarray(out), expected, rtol=2e-4, atol=2e-4)
