"""The exact IR passes of interpreters/simplify.py.

Each pass on hand-made programs: what it removes, and what it must keep (``x + 0``,
``x * 0``, a ``mul`` by 1.0 that changes the weak type, ``stop_gradient``, the sub-jaxprs of
higher-order primitives). Then the property every pass must have: evaluating the rewritten
jaxpr gives bit for bit what evaluating the original gives (the same dtypes, weak types,
values, nans and signs of zero), on random programs fed infinities, nans and signed zeros,
on the programs of tests/test_programs.py and the corpus of tests/test_composition.py, and on
their gradients.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import grad, lax, make_jaxpr, vmap
from jaxlite.core import (
    ClosedJaxpr,
    Eqn,
    Jaxpr,
    Literal,
    Params,
    ShapedArray,
    SourceInfo,
    Var,
    aval_of,
)
from jaxlite.interpreters import eval_jaxpr, simplify
from jaxlite.interpreters.simplify import (
    cse_jaxpr,
    fold_constants,
    forward_inputs,
    forwarded_outputs,
    optimize_jaxpr,
    simplify_jaxpr,
)
from jaxlite.primitives.elementwise import (
    add_p,
    div_p,
    integer_pow_p,
    mul_p,
    neg_p,
    sin_p,
    stop_gradient_p,
)
from jaxlite.primitives.shape import reshape_p
from jaxlite.primitives.structural import (
    broadcast_in_dim_p,
    convert_element_type_p,
    reduce_sum_p,
    transpose_p,
)
from jaxlite.tree_util import tree_flatten

from .. import test_composition, test_programs

F32 = np.dtype(np.float32)
PASSES = {"cse": cse_jaxpr, "fold": fold_constants, "forward": forward_inputs,
          "simplify": simplify_jaxpr, "optimize": optimize_jaxpr}


# ------------------------------------------------------------------ hand-made programs


def aval(shape=(), dtype=F32, weak=False):
    return ShapedArray(tuple(shape), np.dtype(dtype), weak)


def lit(value, dtype=F32, weak=False):
    return Literal(np.asarray(value, dtype)[()], aval((), dtype, weak))


class Program:
    """Builds a jaxpr by hand: ``p = Program(aval, ...)``, ``y = p(prim, x, param=...)``,
    ``p.closed(y, ...)``; ``p.source`` is the source_info of the next equation."""

    def __init__(self, *in_avals, consts=()):
        self.constvars = [Var(aval(np.shape(c), np.asarray(c).dtype)) for c in consts]
        self.consts = tuple(consts)
        self.invars = [Var(a) for a in in_avals]
        self.eqns = []
        self.source = SourceInfo("user.py", 1, "f")

    def __call__(self, prim, *inputs, **params):
        out_avals = prim.abstract_eval(*[x.aval for x in inputs], **params)
        outs = tuple(Var(a) for a in out_avals)
        self.eqns.append(Eqn(prim, tuple(inputs), outs, params, self.source))
        return outs[0] if len(outs) == 1 else outs

    def closed(self, *outs):
        jaxpr = Jaxpr(tuple(self.constvars), tuple(self.invars), tuple(self.eqns), outs)
        closed = ClosedJaxpr(jaxpr, self.consts)
        jaxlite.typecheck(closed)
        return closed


def names(closed):
    return [eqn.primitive.name for eqn in closed.eqns]


def check_signature(before, after):
    """Same invars, output avals identical (weak types too), and well typed."""
    jaxlite.typecheck(after)
    assert after.jaxpr.invars == before.jaxpr.invars
    assert all(a is b for a, b in zip(after.out_avals, before.out_avals, strict=True))


def test_cse_merges_repeated_equations_and_reads_the_first():
    p = Program(aval((3,)))
    (x,) = p.invars
    a, b = p(sin_p, x), p(sin_p, x)
    c, d = p(mul_p, a, lit(2.0)), p(mul_p, b, lit(2.0))  # the same once b reads a
    closed = p.closed(p(add_p, c, d))
    after = cse_jaxpr(closed)
    check_signature(closed, after)
    assert names(after) == ["sin", "mul", "add"]
    assert after.eqns[2].inputs == (after.eqns[1].outputs[0],) * 2


@pytest.mark.parametrize("first, second", [
    (lit(2.0), lit(2.0, weak=True)),  # same value, different avals
    (lit(0.0), lit(-0.0)),  # equal as floats, not as bits
    (lit(np.nan), lit(-np.nan)),
])
def test_cse_keeps_literals_that_differ_in_aval_or_bits(first, second):
    p = Program(aval((3,)))
    (x,) = p.invars
    closed = p.closed(p(mul_p, x, first), p(mul_p, x, second))
    assert cse_jaxpr(closed) is closed


def test_cse_merges_equal_literals_and_nans():
    p = Program(aval((3,)))
    (x,) = p.invars
    closed = p.closed(p(add_p, x, lit(np.nan)), p(add_p, x, lit(np.nan)),
                      p(mul_p, x, lit(3.0)), p(mul_p, x, lit(3.0)))
    assert names(cse_jaxpr(closed)) == ["add", "mul"]


def test_cse_compares_params_through_their_hash(monkeypatch):
    p = Program(aval((3,)))
    (x,) = p.invars
    closed = p.closed(p(integer_pow_p, x, y=2), p(integer_pow_p, x, y=3),
                      p(integer_pow_p, x, y=2))
    hashed = []
    original = Params.__hash__
    monkeypatch.setattr(Params, "__hash__", lambda self: hashed.append(self) or original(self))
    after = cse_jaxpr(closed)
    assert [eqn.params["y"] for eqn in after.eqns] == [2, 3]
    assert len(hashed) >= 3 and all(type(h) is Params for h in hashed)


def custom_sin():
    @jaxlite.custom_jvp
    def f(x):
        return jnp.sin(x)

    @f.defjvp
    def f_jvp(primals, tangents):
        return f(primals[0]), jnp.cos(primals[0]) * tangents[0]

    return f


def test_cse_merges_opaque_calls_only_with_the_same_params():
    f = custom_sin()
    closed = make_jaxpr(lambda x: f(x) + f(x))(1.0)  # two calls, two sub-jaxprs: kept
    assert cse_jaxpr(closed) is closed
    call = closed.eqns[0]
    again = Eqn(call.primitive, call.inputs, (Var(call.outputs[0].aval),), call.params)
    jaxpr = Jaxpr((), closed.jaxpr.invars, (call, again), (call.outputs[0], again.outputs[0]))
    after = cse_jaxpr(ClosedJaxpr(jaxpr, ()))
    assert len(after.eqns) == 1 and after.eqns[0] is call
    assert after.jaxpr.outvars == (call.outputs[0],) * 2


def test_fold_constants_evaluates_scalar_equations_of_literals_and_consts():
    c = jnp.asarray(np.array([1.5, -2.0, 4.0], np.float32))
    p = Program(aval(), consts=(c,))
    (x,), (k,) = p.invars, p.constvars
    three = p(mul_p, lit(3.0), lit(1.0))
    total = p(reduce_sum_p, k, axes=(0,))
    weak = p(add_p, lit(0.5, weak=True), lit(0.25, weak=True))
    closed = p.closed(p(mul_p, x, three), p(add_p, x, total), weak)
    after = fold_constants(closed)
    check_signature(closed, after)
    assert names(after) == ["mul", "add"]
    assert [str(a) for a in after.eqns[0].inputs[1:] + after.eqns[1].inputs[1:]] == [
        "3.0:f32[]", "3.5:f32[]"]
    out = after.jaxpr.outvars[2]
    assert type(out) is Literal and out.aval is aval((), F32, True) and out.value == 0.75


def test_fold_constants_gives_eager_values_bit_for_bit():
    p = Program()
    closed = p.closed(p(sin_p, lit(0.7)), p(div_p, lit(1.0), lit(3.0)),
                      p(div_p, lit(-7, np.int32), lit(2, np.int32)))
    after = fold_constants(closed)
    assert after.eqns == ()
    eager = [jnp.sin(np.float32(0.7)), lax.div(np.float32(1.0), np.float32(3.0)),
             lax.div(np.int32(-7), np.int32(2))]
    for literal, value in zip(after.jaxpr.outvars, eager, strict=True):
        assert np.asarray(literal.value).tobytes() == np.asarray(value).tobytes()


def test_fold_constants_keeps_large_arrays_variables_and_opaque_calls():
    f = custom_sin()
    big = (simplify.FOLD_LIMIT + 1,)
    closed = make_jaxpr(lambda x: (jnp.broadcast_to(2.0, big), x * 2.0, f(2.0)))(1.0)
    assert names(closed) == ["broadcast_in_dim", "mul", "custom_jvp_call"]
    assert fold_constants(closed) is closed


def test_fold_constants_makes_small_arrays_consts_laid_out_as_eagerly():
    c = np.arange(6, dtype=np.float32).reshape(2, 3)
    closed = make_jaxpr(lambda x: (jnp.transpose(jnp.asarray(c)) * 2.0 + x, jnp.ones(3)))(1.0)
    folded = fold_constants(closed)
    jaxlite.typecheck(folded)
    assert "transpose" not in names(folded) and "mul" not in names(folded)
    eager = [np.asarray(v) for v in eval_jaxpr(closed.jaxpr, closed.consts, 1.0)]
    got = [np.asarray(v) for v in eval_jaxpr(folded.jaxpr, folded.consts, 1.0)]
    for g, e in zip(got, eager):
        assert g.tobytes() == e.tobytes() and g.strides == e.strides


def test_forward_inputs_drops_identities_and_says_which_input_each_output_is():
    p = Program(aval((2, 3)), aval((2, 3)))
    x, y = p.invars
    a = p(convert_element_type_p, x, new_dtype=F32, weak_type=False)
    b = p(integer_pow_p, p(mul_p, lit(1.0), a), y=1)
    c = p(transpose_p, p(reshape_p, b, new_sizes=(2, 3), dimensions=None), permutation=(0, 1))
    d = p(broadcast_in_dim_p, p(div_p, c, lit(1.0)), shape=(2, 3), broadcast_dimensions=(0, 1))
    closed = p.closed(p(sin_p, d), d, y, p(add_p, y, lit(0.0)))
    after = forward_inputs(closed)
    check_signature(closed, after)
    assert names(after) == ["sin", "add"]
    assert after.eqns[0].inputs == (x,)
    assert forwarded_outputs(after) == (None, 0, 1, None)
    assert forwarded_outputs(closed) == (None, None, 1, None)


@pytest.mark.parametrize("build", [
    lambda p, x: p(add_p, x, lit(0.0)),  # -0.0 + 0.0 is 0.0
    lambda p, x: p(mul_p, x, lit(0.0)),  # nan * 0.0 is nan, -1.0 * 0.0 is -0.0
    lambda p, x: p(mul_p, x, lit(1.0)),  # x is weak, the product is not
    lambda p, x: p(mul_p, lit(1.0), x),
    lambda p, x: p(convert_element_type_p, x, new_dtype=F32, weak_type=False),
    lambda p, x: p(stop_gradient_p, x),  # the identity, but not to differentiation
    lambda p, x: p(transpose_p, p(broadcast_in_dim_p, x, shape=(2, 2), broadcast_dimensions=()),
                   permutation=(1, 0)),
])
def test_inexact_or_type_changing_rewrites_are_not_made(build):
    p = Program(aval((), F32, weak=True))
    closed = p.closed(build(p, *p.invars))
    for simplify in (forward_inputs, simplify_jaxpr):
        assert simplify(closed) is closed


def test_multiplying_a_complex_number_by_one_is_kept():
    p = Program(aval((3,), np.complex64))
    (z,) = p.invars
    closed = p.closed(p(mul_p, z, lit(1.0, np.complex64)), p(div_p, z, lit(1.0, np.complex64)))
    assert simplify_jaxpr(closed) is closed
    with np.errstate(invalid="ignore"):
        product, _ = eval_jaxpr(closed.jaxpr, (), np.array([1.0 + np.inf * 1j], np.complex64))
    assert np.isnan(np.asarray(product).real)  # why it is kept: 1 * (1 + inf j) is nan + inf j


def test_simplify_removes_double_negation_and_multiplication_by_broadcast_ones():
    p = Program(aval((3,), np.int32), aval((3,)))
    i, x = p.invars
    ones = p(broadcast_in_dim_p, lit(1.0), shape=(3,), broadcast_dimensions=())
    closed = p.closed(p(neg_p, p(neg_p, i)), p(mul_p, ones, x), p(neg_p, p(neg_p, p(neg_p, x))))
    after = optimize_jaxpr(closed)
    check_signature(closed, after)
    assert names(after) == ["neg"]
    assert after.jaxpr.outvars[:2] == (i, x) and after.eqns[0].inputs == (x,)


def test_simplify_composes_chains_into_one_equation_with_the_outer_source():
    p = Program(aval((2, 3, 4)))
    (x,) = p.invars
    p.source = inner = SourceInfo("user.py", 1, "inner")
    t = p(transpose_p, x, permutation=(1, 2, 0))
    r = p(reshape_p, x, new_sizes=(6, 4), dimensions=None)
    b = p(broadcast_in_dim_p, lit(2.0), shape=(4,), broadcast_dimensions=())
    p.source = outer = SourceInfo("user.py", 2, "outer")
    t2 = p(transpose_p, t, permutation=(2, 0, 1))  # undoes the first: x
    t3 = p(transpose_p, t, permutation=(0, 2, 1))
    r2 = p(reshape_p, r, new_sizes=(24,), dimensions=None)
    r3 = p(reshape_p, r, new_sizes=(2, 3, 4), dimensions=None)  # back to x
    b2 = p(broadcast_in_dim_p, b, shape=(3, 4), broadcast_dimensions=(1,))
    b3 = p(broadcast_in_dim_p, b2, shape=(2, 3, 4), broadcast_dimensions=(1, 2))
    closed = p.closed(t2, t3, r2, r3, b3)
    after = optimize_jaxpr(closed)
    check_signature(closed, after)
    assert after.jaxpr.outvars[0] is x and after.jaxpr.outvars[3] is x
    assert [(e.primitive.name, e.source_info) for e in after.eqns] == [
        ("transpose", outer), ("reshape", outer), ("broadcast_in_dim", outer)]
    assert after.eqns[0].inputs == after.eqns[1].inputs == (x,)
    assert after.eqns[0].params["permutation"] == (1, 0, 2)
    assert after.eqns[2].params == {"shape": (2, 3, 4), "broadcast_dimensions": ()}
    assert str(after.eqns[2].inputs[0]) == "2.0:f32[]"
    assert all(e.source_info is inner for e in closed.eqns[:3])  # the originals unchanged
    assert_same_results(closed, after, [np.arange(24, dtype=np.float32).reshape(2, 3, 4)])


def test_optimize_keeps_unused_inputs_and_drops_unused_consts():
    c = jnp.asarray(np.array([1.0, 2.0], np.float32))
    p = Program(aval(), aval(), consts=(c,))
    x, _ = p.invars
    total = p(reduce_sum_p, p.constvars[0], axes=(0,))
    closed = p.closed(p(mul_p, x, total))
    after = optimize_jaxpr(closed)
    check_signature(closed, after)
    assert after.consts == () and str(after.eqns[0].inputs[1]) == "3.0:f32[]"
    assert optimize_jaxpr(after) is after


def test_the_gradient_of_a_polynomial_optimizes_to_two_equations():
    closed = make_jaxpr(grad(lambda x: x**2 + 3 * x + 5))(2.0)
    assert len(closed.eqns) == 8  # (d x^2 = 2 x dx: no integer_pow[y=1])
    after = optimize_jaxpr(closed)
    check_signature(closed, after)
    assert str(after) == ("{ lambda ; a:f32[]. let\n    b:f32[] = mul 2.0:f32[] a\n"
                          "    c:f32[] = add_any 3.0:f32[] b\n  in (c,) }")
    assert_same_results(closed, after, [2.0])
    assert_same_results(closed, after, [np.float32(-0.0)])


# ------------------------------------------------------------------ results bit for bit


def assert_same_results(before, after, args):
    with np.errstate(all="ignore"):
        want = eval_jaxpr(before.jaxpr, before.consts, *args)
        got = eval_jaxpr(after.jaxpr, after.consts, *args)
    for g, w in zip(got, want, strict=True):  # (an output that is an input is that argument)
        assert aval_of(g) is aval_of(w)
        g, w = np.asarray(g, aval_of(g).dtype), np.asarray(w, aval_of(w).dtype)
        assert np.array_equal(g, w, equal_nan=g.dtype.kind in "fc")
        if g.dtype.kind == "f":  # and the signs of zeros
            assert np.array_equal(np.signbit(g), np.signbit(w))


def check_every_pass(closed, args):
    for run in PASSES.values():
        after = run(closed)
        check_signature(closed, after)
        assert_same_results(closed, after, args)
    return optimize_jaxpr(closed)


SPECIAL = {  # element values that tell exact rewrites from inexact ones; an array holds all
    "f": [-0.0, 0.0, 1.0, -1.5, 2.5, np.nan, np.inf, -np.inf, 3e38],
    "i": [0, 1, -1, -3, 7, 2, 2**31 - 1, -(2**31), -(2**31) + 1],
}

UNARY = {  # name -> f(x): some exact to simplify, some not, some repeated for CSE
    "neg": lambda x: -x,
    "times_one": lambda x: x * 1.0,
    "times_minus_one": lambda x: x * -1.0,
    "one_times_strong": lambda x: np.float32(1.0) * x,
    "div_one": lambda x: x / 1,
    "int_times_one": lambda x: x * 1,
    "pow1": lambda x: x**1,
    "pow2": lambda x: x**2,
    "plus_zero": lambda x: x + 0.0,
    "minus_zero": lambda x: x - 0.0,
    "times_zero": lambda x: x * 0.0,
    "sin_twice": lambda x: jnp.sin(x) * jnp.sin(x),
    "exp": jnp.exp,
    "abs": jnp.abs,
    "convert_same": lambda x: lax.convert_element_type(x, x.dtype),
    "as_f32": lambda x: x.astype(np.float32),
    "transpose_twice": lambda x: x.T.T,
    "transposed": lambda x: x.T.reshape(x.shape),  # (values move: not the identity)
    "flatten_back": lambda x: x.reshape(-1).reshape(x.shape),
    "broadcast_sum": lambda x: jnp.broadcast_to(jnp.broadcast_to(x, (2, *x.shape)),
                                                (2, 2, *x.shape)).sum((0, 1)),
    "stop_gradient": lax.stop_gradient,
}
BINARY = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "max": jnp.maximum,
    "where": lambda x, y: jnp.where(x > y, x, y),
}


@st.composite
def random_programs(draw):
    """(f, args): a straight-line program of 2-8 steps over 1-2 inputs of one shape, each
    a float32 array, an int32 array (each holding every special value), or a weakly or
    strongly typed scalar (one special value); each step applies an op to the most recent
    value (and to an earlier one); every step's value is an output."""
    shape = draw(st.sampled_from([(), (3, 3)]))
    kinds = ["f32", "i32", "weak"] if shape == () else ["f32", "i32"]
    kinds = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=2))
    args = []
    for kind in kinds:
        specials = SPECIAL["i" if kind == "i32" else "f"]
        values = draw(st.permutations(specials) if shape else st.sampled_from(specials))
        array = np.array(values, np.int32 if kind == "i32" else np.float32).reshape(shape)
        args.append(float(array) if kind == "weak" else jnp.asarray(array))
    steps = draw(st.lists(st.tuples(st.sampled_from(sorted(UNARY) + sorted(BINARY)),
                                    st.integers(0, 8)), min_size=2, max_size=8))

    def f(*xs):
        env = list(xs)
        for op, other in steps:
            if op in UNARY:
                env.append(UNARY[op](env[-1]))
            else:
                env.append(BINARY[op](env[-1], env[other % len(env)]))
        return tuple(env[len(xs):])

    f.__name__ = " -> ".join(op for op, _ in steps)
    return f, args


def is_float(x):
    return np.asarray(x).dtype.kind == "f" or isinstance(x, float)


@settings(max_examples=40, deadline=None)
@given(random_programs())
def test_every_pass_preserves_random_programs_bit_for_bit(program):
    f, args = program
    with np.errstate(all="ignore"):
        closed = make_jaxpr(f)(*args)
        check_every_pass(closed, args)
        if all(map(is_float, args)):
            g = make_jaxpr(grad(lambda *xs: jnp.sum(f(*xs)[-1].astype(np.float32))))(*args)
            check_every_pass(g, args)


def test_the_random_programs_offer_every_rewrite():
    # the ops of the generator, applied to a float32 array, do meet each rewrite
    x = jnp.asarray(np.ones((2, 3), np.float32))
    shrunk = {name: len(optimize_jaxpr(make_jaxpr(op)(x)).eqns) < len(make_jaxpr(op)(x).eqns)
              for name, op in UNARY.items()}
    assert {name for name, smaller in shrunk.items() if smaller} >= {
        "times_one", "one_times_strong", "div_one", "pow1", "sin_twice", "convert_same",
        "transpose_twice", "flatten_back", "broadcast_sum"}
    assert not any(shrunk[name] for name in ("plus_zero", "minus_zero", "times_zero",
                                             "stop_gradient", "transposed"))


@pytest.mark.parametrize("name", list(test_programs.PROGRAMS))
def test_every_pass_preserves_the_test_programs_bit_for_bit(name):
    _, closed, _ = test_programs.run(name)  # sets x64 as the program asks
    _, args, _, _ = test_programs.PROGRAMS[name]
    args = [jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
    check_every_pass(closed, tree_flatten(args)[0])


@pytest.mark.parametrize("name", list(test_composition.CORPUS))
def test_every_pass_preserves_the_corpus_and_its_derivatives_bit_for_bit(name):
    f, x, xs = test_composition.f_jnp(name), test_composition.x32(), test_composition.xs32()
    hvp = lambda y: jnp.vdot(grad(f)(y), x)  # noqa: E731
    for fun, arg in [(f, x), (grad(f), x), (grad(hvp), x), (vmap(grad(f)), xs)]:
        check_every_pass(make_jaxpr(fun)(arg), [arg])
