"""``jit``: when it traces, its cache, static arguments, outputs, and the ahead-of-time stages.

Traces are counted by a Python side effect in the traced function. Expected trace counts,
dtypes and weak types are JAX 0.10.2's for the same calls; the tests that take a ``lib``
run the same code through JAX as well when it is installed.
"""

import functools
import gc
import importlib
import textwrap
import weakref

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import jit, make_jaxpr
from jaxlite.core.trace import current_trace
from jaxlite.tree_util import register_pytree_node, tree_flatten

jit_module = importlib.import_module("jaxlite.interpreters.jit")


def counting(fun):
    """``fun`` and the list it appends to each time it runs (each time it is traced)."""
    traces = []

    @functools.wraps(fun)
    def counted(*args, **kwargs):
        traces.append(1)
        return fun(*args, **kwargs)

    return counted, traces


def call_and_see(jitted, traces, *args, **kwargs):
    """Whether calling ``jitted`` traced."""
    before = len(traces)
    jitted(*args, **kwargs)
    return len(traces) > before


def libraries():
    """jaxlite, and JAX when it is installed."""
    return [pytest.param("jaxlite", id="jaxlite"), pytest.param("jax", id="jax")]


def load(name):
    if name == "jax":
        return pytest.importorskip("jax")
    return jaxlite


def assert_bitwise(got, expected):
    got_leaves, got_tree = tree_flatten(got)
    expected_leaves, expected_tree = tree_flatten(expected)
    assert got_tree == expected_tree
    for a, b in zip(got_leaves, expected_leaves, strict=True):
        assert isinstance(a, jaxlite.Array), type(a)
        assert (a.dtype, a.shape, a.weak_type) == (b.dtype, b.shape, b.weak_type)
        assert np.asarray(a).tobytes() == np.asarray(b).tobytes(), (a, b)


# ------------------------------------------------------------------ when a call traces

# (what the call passes, its arguments, whether JAX traces) in order, on one jitted function
RETRACES = [
    ("a Python float", lambda lib: (1.0,), True),
    ("another Python float", lambda lib: (2.0,), False),
    ("a Python int: a new dtype", lambda lib: (1,), True),
    ("another Python int", lambda lib: (7,), False),
    ("a float32 scalar: not weak", lambda lib: (lib.numpy.float32(1.0),), True),
    ("another float32 scalar", lambda lib: (lib.numpy.float32(5.0),), False),
    ("f32[3]", lambda lib: (lib.numpy.ones(3),), True),
    ("another f32[3]", lambda lib: (lib.numpy.arange(3.0),), False),
    ("f32[4]: a new shape", lambda lib: (lib.numpy.ones(4),), True),
    ("i32[3]: a new dtype", lambda lib: (lib.numpy.ones(3, lib.numpy.int32),), True),
    ("a tuple: a new structure", lambda lib: ((1.0, 2.0),), True),
    ("another tuple", lambda lib: ((3.0, 4.0),), False),
    ("a list of the same", lambda lib: ([1.0, 2.0],), True),
    ("a dict", lambda lib: ({"a": 1.0},), True),
    ("a dict with another key", lambda lib: ({"b": 1.0},), True),
    ("the first signature again", lambda lib: (3.0,), False),
]


@pytest.mark.parametrize("name", libraries())
def test_retraces_exactly_on_a_new_signature(name):
    lib = load(name)
    f, traces = counting(lambda x: lib.tree_util.tree_map(lambda a: a * 2, x))
    jitted = lib.jit(f)
    seen = [(what, call_and_see(jitted, traces, *args(lib))) for what, args, _ in RETRACES]
    assert seen == [(what, traced) for what, _, traced in RETRACES]


@pytest.mark.parametrize("name", libraries())
def test_a_keyword_argument_is_a_new_signature(name):
    lib = load(name)
    f, traces = counting(lambda x, y: x - y)
    jitted = lib.jit(f)
    assert [call_and_see(jitted, traces, 1.0, 2.0), call_and_see(jitted, traces, 1.0, y=2.0),
            call_and_see(jitted, traces, 5.0, y=3.0)] == [True, True, False]


def test_a_numpy_array_of_the_same_aval_does_not_retrace():
    f, traces = counting(lambda x: x * 2)
    jitted = jit(f)
    assert call_and_see(jitted, traces, jnp.ones(3))
    assert not call_and_see(jitted, traces, np.ones(3, np.float32))  # JAX: no new trace


def test_cache_size_and_clear_cache():
    f, traces = counting(lambda x: x + 1)
    jitted = jit(f)
    for x in (1.0, 2.0, jnp.ones(2), jnp.ones(3), 4):
        jitted(x)
    assert jitted._cache_size() == 4 == len(traces)
    jitted.clear_cache()
    assert jitted._cache_size() == 0
    assert call_and_see(jitted, traces, 1.0)
    assert jitted._cache_size() == 1


@pytest.mark.parametrize("name", libraries())
def test_two_jits_of_one_function_share_traces(name):
    lib = load(name)
    f, traces = counting(lambda x: x * 3)
    first, second = lib.jit(f), lib.jit(f)
    assert call_and_see(first, traces, 1.0)
    assert not call_and_see(second, traces, 2.0)
    second.clear_cache()
    assert call_and_see(first, traces, 1.0)


def test_the_cache_is_least_recently_used_first_out(monkeypatch):
    monkeypatch.setattr(jit_module, "CACHE_SIZE", 2)
    shapes = []
    jitted = jit(lambda x: shapes.append(x.shape) or x + 1)
    for n in [1, 2, 1, 3, 2, 1]:
        jitted(jnp.ones(n))
    # 3 evicts 2 (1 was used since), then 2 evicts 1
    assert shapes == [(1,), (2,), (3,), (2,), (1,)]
    assert jitted._cache_size() == 2


def test_a_jitted_function_that_goes_away_frees_its_cache():
    fun = lambda x: x * 3.0
    jitted = jit(fun)
    jitted(1.0)
    jitted(jnp.ones(2))
    refs = [weakref.ref(fun), weakref.ref(jitted), weakref.ref(jitted._cache)]
    del fun, jitted
    gc.collect()
    assert [r() for r in refs] == [None, None, None]


def test_a_jitted_function_that_goes_away_frees_the_constants_it_closed_over():
    def run_once():
        big = np.arange(5.0, dtype=np.float32)
        jit(lambda x: x * big)(1.0)
        return weakref.ref(big)

    ref = run_once()
    gc.collect()
    assert ref() is None


# ------------------------------------------------------------------ static arguments


def power(x, n, *, mode="pow"):
    return x**n if mode == "pow" else x * n


# (call, its arguments, whether JAX traces): in order, on jit(power, static_argnums=1)
STATIC_CALLS = [
    ((1.0, 3), {}, True),
    ((2.0, 3), {}, False),
    ((2.0, 4), {}, True),
    ((2.0, 3.0), {}, True),  # 3.0 == 3, but another type
    ((2.0,), {"n": 3}, True),  # by keyword: another signature
    ((5.0,), {"n": 3}, False),
]


@pytest.mark.parametrize("name", libraries())
def test_static_argnums_traces_once_per_value(name):
    lib = load(name)
    f, traces = counting(power)
    jitted = lib.jit(f, static_argnums=1)
    seen = [call_and_see(jitted, traces, *args, **kwargs) for args, kwargs, _ in STATIC_CALLS]
    assert seen == [traced for _, _, traced in STATIC_CALLS]
    assert float(jitted(2.0, 3)) == 8.0


@pytest.mark.parametrize("name", libraries())
def test_static_argnames_by_keyword_or_position(name):
    lib = load(name)
    f, traces = counting(power)
    jitted = lib.jit(f, static_argnames="n")
    assert call_and_see(jitted, traces, 2.0, n=3)
    assert call_and_see(jitted, traces, 2.0, 3)  # by position: static too, another signature
    assert not call_and_see(jitted, traces, 5.0, 3)
    assert not call_and_see(jitted, traces, 5.0, n=3)
    assert call_and_see(jitted, traces, 2.0, n=4)
    assert float(jitted(2.0, 3)) == float(jitted(2.0, n=3)) == 8.0


def test_keyword_only_static_argnames():
    f, traces = counting(power)
    jitted = jit(f, static_argnames=("mode",))
    assert float(jitted(2.0, 3.0, mode="pow")) == 8.0
    assert float(jitted(2.0, 3.0, mode="mul")) == 6.0
    assert not call_and_see(jitted, traces, 4.0, 3.0, mode="mul")
    assert len(traces) == 2


def test_negative_static_argnums():
    f, traces = counting(power)
    jitted = jit(f, static_argnums=-1)
    assert float(jitted(2.0, 3)) == 8.0
    assert not call_and_see(jitted, traces, 4.0, 3)
    assert call_and_see(jitted, traces, 4.0, 2)


def test_static_argnums_and_static_argnames_together():
    f, traces = counting(power)
    jitted = jit(f, static_argnums=(1,), static_argnames=("mode",))
    assert float(jitted(1.0, 2, mode="mul")) == 2.0
    assert not call_and_see(jitted, traces, 3.0, 2, mode="mul")
    assert call_and_see(jitted, traces, 3.0, 2, mode="pow")
    assert float(jitted(3.0, 2, mode="pow")) == 9.0


@pytest.mark.parametrize("static", [{"static_argnames": "n"}, {"static_argnums": 2}])
def test_a_static_argument_may_be_left_to_its_default(static):
    def scaled(x, y, n=1):
        return x * y * n

    assert float(jit(scaled, **static)(1.0, 2.0)) == 2.0  # JAX: 2.0


def test_negative_and_positive_static_argnums_share_traces():
    f, traces = counting(power)
    jit(f, static_argnums=1)(1.0, 3)
    assert not call_and_see(jit(f, static_argnums=-1), traces, 1.0, 3)


def test_jit_with_partial_and_as_decorators():
    @jit
    def plus_one(x):
        return x + 1

    @functools.partial(jit, static_argnums=1)
    def pow_(x, n):
        return x**n

    by_partial = functools.partial(jit, static_argnames="n")(power)
    assert float(plus_one(1.0)) == 2.0
    assert float(pow_(2.0, 3)) == 8.0
    assert float(by_partial(2.0, n=3)) == 8.0
    assert plus_one.__name__ == "plus_one"


def test_donate_argnums_is_accepted():
    x = jnp.ones(3)
    out = jit(lambda a, b: a * b, donate_argnums=0)(x, 2.0)
    np.testing.assert_array_equal(np.asarray(out), [2.0, 2.0, 2.0])
    assert jit(lambda a: a, donate_argnames="a")(a=x) is not None


@pytest.mark.parametrize("static,call,named", [
    ({"static_argnums": 1}, lambda j: j(1.0, [3]), "argument 'n' (position 1)"),
    ({"static_argnums": 1}, lambda j: j(1.0, np.ones(2)), "argument 'n' (position 1)"),
    ({"static_argnames": "mode"}, lambda j: j(1.0, 2.0, mode=["pow"]), "'mode'"),
])
def test_an_unhashable_static_argument_raises_value_error_naming_it(static, call, named):
    with pytest.raises(ValueError, match="Non-hashable static arguments are not supported") as e:
        call(jit(power, **static))
    assert named in str(e.value)
    assert current_trace() is None
    assert float(jit(power, **static)(2.0, 3)) == 8.0


# ------------------------------------------------------------------ methods


class Scale:
    """A pytree: its factor is traced like any argument."""

    def __init__(self, k):
        self.k = k

    @jit
    def apply(self, x):
        return self.k * x


register_pytree_node(Scale, lambda s: ((s.k,), None), lambda _, children: Scale(*children))


class Fixed:
    """Hashable by value: its instances can be static."""

    def __init__(self, k):
        self.k = k

    def __hash__(self):
        return hash(self.k)

    def __eq__(self, other):
        return isinstance(other, Fixed) and other.k == self.k

    @functools.partial(jit, static_argnums=0)
    def apply(self, x):
        self.traces = getattr(self, "traces", 0) + 1
        return self.k * x


class Plain:
    @jit
    def apply(self, x):
        return x


def test_jit_on_a_method_called_through_an_instance():
    assert float(Scale(2.0).apply(3.0)) == 6.0
    assert float(Scale(4.0).apply(3.0)) == 12.0
    assert Scale.apply._cache_size() == 1  # the factor is traced, not baked in


def test_jit_on_a_method_with_a_static_self():
    first = Fixed(3)
    assert float(first.apply(2.0)) == 6.0
    assert float(Fixed(3).apply(5.0)) == 15.0  # an equal instance: no new trace
    assert first.traces == 1
    assert float(Fixed(4).apply(2.0)) == 8.0


def test_jit_on_a_method_of_a_non_pytree_raises_type_error_as_jax_does():
    with pytest.raises(TypeError, match="Plain"):
        Plain().apply(1.0)
    assert current_trace() is None


# ------------------------------------------------------------------ outputs

# (call, its arguments, dtype and weak type without x64, and with x64), as JAX gives them
OUTPUTS = {
    "x * 2 of a float": (lambda lib: (lambda x: x * 2, (1.0,)), "f32*", "f64*"),
    "x * 2 of an int": (lambda lib: (lambda x: x * 2, (1,)), "i32*", "i64*"),
    "x * 2.0 of an int": (lambda lib: (lambda x: x * 2.0, (1,)), "f32*", "f64*"),
    "x * 2 of a float32": (lambda lib: (lambda x: x * 2, (lib.numpy.float32(1.0),)),
                           "f32", "f32"),
    "a float plus an int": (lambda lib: (lambda x, y: x + y, (1.0, 2)), "f32*", "f64*"),
    "a float constant": (lambda lib: (lambda x: 3.0, (1.0,)), "f32*", "f64*"),
    "an int constant": (lambda lib: (lambda x: 3, (1.0,)), "i32*", "i64*"),
    "a bool, forwarded": (lambda lib: (lambda x: x, (True,)), "bool", "bool"),
    "a float64 NumPy array, forwarded": (lambda lib: (lambda x: x, (np.ones(2),)), "f32", "f64"),
    "a float32 NumPy scalar": (lambda lib: (lambda x: x, (np.float32(2.0),)), "f32", "f32"),
    "an int64 NumPy scalar": (lambda lib: (lambda x: x * 2, (np.int64(3),)), "i32", "i64"),
    "a sum of float32": (lambda lib: (lambda x: lib.numpy.sum(x), (np.ones(3, np.float32),)),
                         "f32", "f32"),
    "a sum of ints": (lambda lib: (lambda x: lib.numpy.sum(x), (np.ones(3, np.int8),)),
                      "i32", "i64"),
    "zeros_like of a float": (lambda lib: (lambda x: lib.numpy.zeros_like(x), (1.0,)),
                              "f32*", "f64*"),
    "arange plus an int": (lambda lib: (lambda x: lib.numpy.arange(3) + x, (1,)), "i32", "i64"),
    "a complex scalar": (lambda lib: (lambda x: x * 2, (1 + 2j,)), "c64*", "c128*"),
    "a float64 NumPy constant": (lambda lib: (lambda x: np.ones(2), (1.0,)), "f32", "f64"),
    "a comparison of a weak float": (lambda lib: (lambda x: x > 0, (1.0,)), "bool*", "bool*"),
}
WEAK_BOOL = ("not jit's: jaxlite's comparisons give a strongly typed bool, eagerly too; "
             "JAX keeps the operands' weak type")
OUTPUT_BUGS = {  # (case, x64): why jaxlite differs
    ("a comparison of a weak float", False): WEAK_BOOL,
    ("a comparison of a weak float", True): WEAK_BOOL,
}
DTYPES = {"f32": np.float32, "f64": np.float64, "i32": np.int32, "i64": np.int64,
          "c64": np.complex64, "c128": np.complex128, "bool": np.bool_}


def output_cases(x64):
    cases = []
    for name in OUTPUTS:
        reason = OUTPUT_BUGS.get((name, x64))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        cases.append(pytest.param(name, marks=marks, id=name))
    return cases


def check_output(lib, name, x64, call=True):
    """The output's dtype and weak type; of the call, or (``call=False``) of ``eval_shape``,
    which traces and does not compile (to spare XLA compilations)."""
    build, spec32, spec64 = OUTPUTS[name]
    spec = spec64 if x64 else spec32
    fun, args = build(lib)
    out = lib.jit(fun)(*args) if call else lib.eval_shape(lib.jit(fun), *args)
    assert (out.dtype, out.weak_type) == (np.dtype(DTYPES[spec.rstrip("*")]), spec.endswith("*"))


@pytest.mark.parametrize("name", output_cases(x64=False))
def test_output_dtypes_and_weak_types(name):
    check_output(jaxlite, name, x64=False)


@pytest.mark.parametrize("name", output_cases(x64=True))
def test_output_dtypes_and_weak_types_under_x64(name):
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores it
    check_output(jaxlite, name, x64=True)


@pytest.mark.parametrize("name", list(OUTPUTS))
def test_the_recorded_output_types_are_jaxs(name):
    jax = pytest.importorskip("jax")
    x64 = jax.config.jax_enable_x64
    try:
        jax.config.update("jax_enable_x64", False)
        check_output(jax, name, x64=False, call=False)
        jax.config.update("jax_enable_x64", True)
        check_output(jax, name, x64=True, call=False)
    finally:
        jax.config.update("jax_enable_x64", x64)


@pytest.mark.parametrize("name", libraries())
def test_pytree_outputs_keep_their_structure_and_none(name):
    lib = load(name)
    out = lib.jit(lambda x: {"b": x, "a": (x * 2, [x + 1, None])})(1.0)
    assert lib.tree_util.tree_map(float, out) == {"a": (2.0, [2.0, None]), "b": 1.0}
    assert lib.jit(lambda x: None)(1.0) is None
    assert lib.jit(lambda x: ())(1.0) == ()
    assert lib.jit(lambda x, n: (x, n))(1.0, None)[1] is None


# ------------------------------------------------------------------ bit for bit with eager

SPECIAL = np.array([-0.0, 0.0, 1.5, -2.25, np.inf, -np.inf, np.nan, 1e-45, 3e38, 0.1],
                   np.float32)

EXACT = {
    "x + 0.0": lambda x: x + 0.0,
    "x - 0.0": lambda x: x - 0.0,
    "x + -0.0": lambda x: x + (-0.0),
    "x * 1.0": lambda x: x * 1.0,
    "x * 0.0": lambda x: x * 0.0,
    "0.0 * x + x": lambda x: 0.0 * x + x,
    "x - x": lambda x: x - x,
    "x / x": lambda x: x / x,
    "x / 3.0": lambda x: x / 3.0,
    "(x + 1.0) - 1.0": lambda x: (x + 1.0) - 1.0,
    "x * 2.0 * 3.0": lambda x: x * 2.0 * 3.0,
    "-(-x)": lambda x: -(-x),  # noqa: B002
    "x * x / x": lambda x: x * x / x,
    "x ** 0.5": lambda x: x**0.5,
    "x ** 0": lambda x: x**0,
    "exp(log(x))": lambda x: jnp.exp(jnp.log(x)),
    "sin(x) * sin(x)": lambda x: jnp.sin(x) * jnp.sin(x),
    "sin^2 + cos^2": lambda x: jnp.sin(x) ** 2 + jnp.cos(x) ** 2,
    "maximum(x, x)": lambda x: jnp.maximum(x, x),
    "x == x": lambda x: x == x,  # noqa: PLR0124
    "where(x > 0, x, 0.0)": lambda x: jnp.where(x > 0, x, 0.0),
    "sign(x) * abs(x)": lambda x: jnp.sign(x) * jnp.abs(x),
    "sum(x * 2)": lambda x: jnp.sum(x * 2),
    "mean": jnp.mean,
    "dot(x, x)": lambda x: jnp.dot(x, x),
    "through float16": lambda x: x.astype(jnp.float16).astype(jnp.float32),
    "through int32": lambda x: x.astype(jnp.int32).astype(jnp.float32),
}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", list(EXACT))
def test_jit_is_bit_for_bit_eager(name):
    f, x = EXACT[name], jnp.asarray(SPECIAL)
    assert_bitwise(jit(f)(x), f(x))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["x + 0.0", "x * 0.0", "(x + 1.0) - 1.0", "x / 3.0",
                                  "sin^2 + cos^2", "mean", "through float16"])
def test_jit_is_bit_for_bit_eager_in_float64(name):
    jaxlite.config.update("jax_enable_x64", True)
    f, x = EXACT[name], jnp.asarray(SPECIAL, jnp.float64)
    assert_bitwise(jit(f)(x), f(x))


def test_jit_is_bit_for_bit_eager_on_integers():
    f = lambda i: (i * 3 - i // 2) % 7 + i**2
    i = jnp.array([-5, -1, 0, 3, 2**15], jnp.int32)
    assert_bitwise(jit(f)(i), f(i))


# ------------------------------------------------------------------ ahead of time


def sin_plus_sin(x, y):
    unused = jnp.cos(x)  # noqa: F841 - dead code for the simplifier
    return jnp.sin(x) + jnp.sin(x) * (y * 2.0)


def test_trace_gives_the_jaxpr_make_jaxpr_gives():
    traced = jit(sin_plus_sin).trace(1.0, 3.0)
    jaxlite.typecheck(traced.jaxpr)
    assert str(traced.jaxpr) == str(make_jaxpr(sin_plus_sin)(1.0, 3.0))
    assert traced.out_info == jaxlite.ShapedArray((), np.float32, weak_type=True)


def test_trace_traces_once():
    f, traces = counting(sin_plus_sin)
    jit(f).trace(1.0, 2.0)
    assert len(traces) == 1


def test_lower_shows_the_simplified_jaxpr():
    lowered = jit(sin_plus_sin).lower(1.0, 3.0)
    jaxlite.typecheck(lowered.jaxpr)
    text = lowered.as_text()
    # the cosine is dead, the second sine is the first, y * 2.0 stays
    assert textwrap.dedent("""\
        { lambda ; a:f32[] b:f32[]. let
            c:f32[] = sin a
            d:f32[] = mul b 2.0:f32[]
            e:f32[] = mul c d
            f:f32[] = add c e
          in (f,) }""") in text


def test_compile_gives_the_values_of_the_jitted_function():
    compiled = jit(sin_plus_sin).lower(1.0, 3.0).compile()
    assert_bitwise(compiled(0.5, 2.0), jit(sin_plus_sin)(0.5, 2.0))
    assert_bitwise(compiled(0.5, 2.0), sin_plus_sin(0.5, 2.0))
    compiled_tree = jit(lambda d: {"s": d["a"] * d["b"]}).lower({"a": 1.0, "b": 2.0}).compile()
    assert float(compiled_tree({"a": 3.0, "b": 2.0})["s"]) == 6.0


@pytest.mark.parametrize("args", [
    (jnp.ones(4),), (jnp.ones((3, 1)),), (jnp.ones(3, jnp.int32),), ((jnp.ones(3),),),
    (jnp.ones(3), jnp.ones(3)),
])
def test_compiled_with_other_shapes_or_structure_raises_type_error(args):
    compiled = jit(lambda x: x * 2).lower(jnp.ones(3)).compile()
    with pytest.raises(TypeError):
        compiled(*args)
    assert float(compiled(jnp.ones(3))[0]) == 2.0


def test_eval_shape():
    out = jit(lambda x, y: {"p": x @ y, "s": jnp.sum(x)}).eval_shape(jnp.ones((2, 3)),
                                                                        jnp.ones((3, 4)))
    assert out == {"p": jaxlite.ShapedArray((2, 4), np.float32),
                   "s": jaxlite.ShapedArray((), np.float32)}
