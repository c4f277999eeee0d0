"""Concrete and abstract tracing: Python control flow, concretization errors, tracer reprs,
leaked tracers, a clean trace stack after errors, and what becomes a constvar."""

import linecache
import os
import re

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.core.trace import Tracer, current_trace
from jaxlite.errors import ConcretizationError, UnexpectedTracerError

THIS_FILE = os.path.basename(__file__)


def source_line_named_in(message: str) -> str:
    """The text of this file's line that an error message points at."""
    match = re.search(re.escape(THIS_FILE) + r":(\d+)", message)
    assert match, message
    return linecache.getline(__file__, int(match.group(1)))


def assert_library_works():
    """The trace stack is empty and transforms still run."""
    assert current_trace() is None
    assert float(jaxlite.grad(jnp.sin)(0.0)) == 1.0
    jaxpr = jaxlite.make_jaxpr(lambda x: x * 2.0)(1.0)
    assert len(jaxpr.eqns) == 1


# ------------------------------------------------------------------ concrete tracing


def relu_ish(x):
    if x > 0:
        return x * 2
    return -x


def doubling_loop(x):
    while x < 10:
        x = x * 2
    return x


def test_python_if_under_grad_takes_both_branches():
    assert float(jaxlite.grad(relu_ish)(1.0)) == 2.0
    assert float(jaxlite.grad(relu_ish)(-1.0)) == -1.0
    out, tangent = jaxlite.jvp(relu_ish, (-3.0,), (1.0,))
    assert (float(out), float(tangent)) == (3.0, -1.0)


def test_python_while_under_grad():
    # 1.5 -> 3 -> 6 -> 12: three doublings, derivative 8
    assert float(jaxlite.grad(doubling_loop)(1.5)) == 8.0
    assert float(jaxlite.grad(doubling_loop)(20.0)) == 1.0


def test_discrete_conversions_under_grad_return_values():
    seen = {}

    def f(x):
        seen["int"], seen["bool"] = int(x), bool(x > 2)
        return x * x

    assert float(jaxlite.grad(f)(3.0)) == 6.0
    assert seen["int"] == 3 and seen["bool"] is True


@pytest.mark.parametrize("convert", [float, complex, np.asarray, np.sin, lambda x: x.tolist()])
def test_conversions_that_would_drop_the_derivative_raise_under_grad(convert):
    # as in JAX: the derivative through a Python or NumPy value would silently be zero
    with pytest.raises(ConcretizationError, match="jnp"):
        jaxlite.grad(lambda x: x * convert(x))(3.0)
    assert float(jaxlite.grad(lambda x: x * x)(3.0)) == 6.0


def test_index_with_concrete_integer_tracer():
    table = jnp.array([10.0, 20.0, 30.0])
    g = jaxlite.grad(lambda x, i: x * table[i], argnums=0)(1.0, 2)
    assert float(g) == 30.0


# ------------------------------------------------------------------ abstract tracing


def check_concretization_error(transform, arg, operation, op_name, aval, code):
    """``transform(operation)(arg)`` raises a ConcretizationError naming the operation, the
    tracer's aval and the user's line, which holds ``code``."""
    with pytest.raises(ConcretizationError) as info:
        transform(operation)(arg)
    message = str(info.value)
    assert isinstance(info.value, TypeError)
    assert op_name in message and aval in message, message
    assert code in source_line_named_in(message)
    assert_library_works()


def call_bool(x):
    return bool(x)


def call_int(x):
    return int(x)


def call_float(x):
    return float(x)


def call_asarray(x):
    return np.asarray(x)


OPERATIONS = [
    (call_bool, "bool()", "bool(x)"), (call_int, "int()", "int(x)"),
    (call_float, "float()", "float(x)"), (call_asarray, "__array__", "np.asarray(x)"),
    (lambda x: x.item(), ".item()", "x.item()"), (lambda x: x.tolist(), ".tolist()", "x.tolist()"),
    (lambda x: 1 if x else 0, "bool()", "1 if x else 0"),
]


@pytest.mark.parametrize("operation,op_name,code", OPERATIONS, ids=[o[2] for o in OPERATIONS])
def test_concretization_error_under_make_jaxpr(operation, op_name, code):
    check_concretization_error(jaxlite.make_jaxpr, 1.0, operation, op_name, "f32[]", code)


@pytest.mark.parametrize("operation,op_name,code", OPERATIONS, ids=[o[2] for o in OPERATIONS])
def test_concretization_error_under_vmap(operation, op_name, code):
    # each example is a scalar: the conversion is well-defined, but its value is unknown
    check_concretization_error(jaxlite.vmap, jnp.ones(4), operation, op_name, "f32[]", code)


def test_index_concretization_error():
    table = [10, 20, 30]
    check_concretization_error(jaxlite.make_jaxpr, 1, lambda i: table[i], "__index__", "i32[]",
                               "table[i]")


def test_non_scalar_bool_is_ambiguous():
    with pytest.raises(ValueError, match="ambiguous"):
        jaxlite.vmap(call_bool)(jnp.ones((4, 3)))
    assert_library_works()


def test_python_if_under_make_jaxpr_is_a_bool_conversion_error():
    with pytest.raises(jaxlite.errors.TracerBoolConversionError, match="jnp.where"):
        jaxlite.make_jaxpr(relu_ish)(1.0)
    assert_library_works()


def test_shape_from_a_tracer_is_a_concretization_error():
    # JAX raises a TypeError too ("Shapes must be 1D sequences of concrete values")
    with pytest.raises(ConcretizationError, match="i32") as info:
        jaxlite.make_jaxpr(lambda n: jnp.ones(n))(3)
    assert "jnp.ones(n)" in source_line_named_in(str(info.value))
    assert_library_works()


def test_float_tracer_as_an_index_is_a_type_error():
    with pytest.raises(TypeError, match="integer"):
        jaxlite.make_jaxpr(lambda x: [1, 2][x])(1.0)
    assert_library_works()


def test_abstract_tracer_inside_grad_inside_make_jaxpr():
    # grad under make_jaxpr traces abstractly: control flow on values is not allowed
    with pytest.raises(ConcretizationError):
        jaxlite.make_jaxpr(jaxlite.grad(relu_ish))(1.0)
    assert_library_works()


# ------------------------------------------------------------------ tracer repr


def capture_repr(transform, arg, reduce=lambda y: y):
    seen = []

    def f(x):
        seen.append(repr(x))
        return reduce(x)

    transform(f)(arg)
    return seen[0]


def test_tracer_repr_shows_the_aval_when_abstract():
    assert capture_repr(jaxlite.make_jaxpr, jnp.ones((2, 3))) == "Traced<f32[2,3]>"
    assert capture_repr(jaxlite.make_jaxpr, 1.0) == "Traced<f32[]{weak}>"
    assert capture_repr(jaxlite.vmap, jnp.ones((2, 3))) == "Traced<f32[3]>"


def test_tracer_repr_shows_the_value_under_grad():
    text = capture_repr(jaxlite.grad, 2.0)
    assert text.startswith("Traced<f32[]{weak}>") and "2." in text
    text = capture_repr(jaxlite.grad, jnp.array([1.0, 5.0]), jnp.sum)
    assert text.startswith("Traced<f32[2]>") and "[1., 5.]" in text


def test_tracer_properties():
    def f(x):
        assert isinstance(x, Tracer)
        assert (x.shape, x.dtype, x.ndim, x.size, len(x)) == ((2, 3), np.float32, 2, 6, 2)
        with pytest.raises(TypeError, match="unhashable"):
            hash(x)
        with pytest.raises(TypeError, match=r"\.at\[idx\]\.set"):
            x[0] = 1.0
        return x

    jaxlite.make_jaxpr(f)(jnp.ones((2, 3)))


# ------------------------------------------------------------------ leaked tracers


def leak_tracer():
    leaked = []
    jaxlite.make_jaxpr(lambda x: leaked.append(x) or x)(1.0)
    return leaked[0]


@pytest.mark.parametrize("use", [
    lambda t: t + 1.0,
    lambda t: jnp.sin(t),
    lambda t: jaxlite.grad(lambda y: y * t)(1.0),
    lambda t: jaxlite.make_jaxpr(lambda y: y * t)(1.0),
    lambda t: jaxlite.vmap(lambda y: y * t)(jnp.ones(2)),
    lambda t: jaxlite.grad(lambda y: y)(t),
], ids=["eager op", "jnp fn", "grad closure", "make_jaxpr closure", "vmap closure", "grad arg"])
def test_leaked_tracer_raises_unexpected_tracer_error(use):
    tracer = leak_tracer()
    with pytest.raises(UnexpectedTracerError, match="make_jaxpr") as info:
        use(tracer)
    message = str(info.value)
    assert "f32[]" in message and THIS_FILE in message, message
    assert_library_works()


LEAKED = None


def test_tracer_leaked_through_a_global():
    def f(x):
        global LEAKED
        LEAKED = x
        return x * 2.0

    jaxlite.make_jaxpr(f)(1.0)
    with pytest.raises(UnexpectedTracerError, match=r"make_jaxpr.*test_tracing\.py"):
        jnp.cos(LEAKED)
    assert_library_works()


# ------------------------------------------------------------------ a clean state after errors


@pytest.mark.parametrize("failing", [
    lambda: jaxlite.make_jaxpr(lambda x: x + jnp.ones(3))(jnp.ones(2)),       # shape error
    lambda: jaxlite.grad(lambda x: x)(jnp.ones(2)),                          # non-scalar grad
    lambda: jaxlite.grad(lambda x: 1 / 0)(1.0),                              # user exception
    lambda: jaxlite.vmap(lambda x: bool(x))(jnp.ones(2)),                    # concretization
    lambda: jaxlite.jvp(lambda x: [][0], (1.0,), (1.0,)),                   # user IndexError
    lambda: jaxlite.grad(lambda x: jaxlite.make_jaxpr(bool)(x))(1.0),       # nested failure
    lambda: jaxlite.vjp(lambda x: jnp.reshape(x, (4,)), jnp.ones(3)),        # reshape error
])
def test_trace_stack_is_clean_after_any_exception(failing):
    with pytest.raises(Exception):
        failing()
    assert_library_works()


# ------------------------------------------------------------------ constvars


def test_closed_over_numpy_array_becomes_a_constvar():
    c = np.arange(3.0, dtype=np.float32)
    jaxpr = jaxlite.make_jaxpr(lambda x: x * c)(jnp.ones(3))
    jaxlite.typecheck(jaxpr)
    (constvar,) = jaxpr.jaxpr.constvars
    assert str(constvar.aval) == "f32[3]"
    np.testing.assert_array_equal(jaxpr.consts[0], c)
    assert jaxpr.eqns[0].inputs[1] is constvar


def test_closed_over_float64_array_is_canonicalized():
    c = np.arange(3.0)  # float64
    jaxpr = jaxlite.make_jaxpr(lambda x: x + c)(jnp.ones(3))
    assert str(jaxpr.jaxpr.constvars[0].aval) == "f32[3]"
    assert jaxpr.out_avals[0].dtype == np.float32


def test_closed_over_numpy_scalar_becomes_a_literal():
    jaxpr = jaxlite.make_jaxpr(lambda x: x * np.float32(2.0))(jnp.ones(3))
    assert not jaxpr.jaxpr.constvars
    assert str(jaxpr) == "{ lambda ; a:f32[3]. let b:f32[3] = mul a 2.0:f32[] in (b,) }"


def test_the_same_closed_over_array_is_one_constvar():
    # JAX: { lambda a:f32[3]; b:f32[3]. let c = mul b a; d = add c a in (d,) }
    c = np.ones(3, np.float32)
    jaxpr = jaxlite.make_jaxpr(lambda x: x * c + c)(jnp.ones(3))
    assert len(jaxpr.jaxpr.constvars) == 1 and len(jaxpr.consts) == 1


def test_outer_tracer_becomes_a_constvar_of_the_inner_jaxpr():
    inner = []

    def outer(x):
        inner.append(jaxlite.make_jaxpr(lambda y: y * x)(jnp.ones(3)))
        return x

    jaxlite.make_jaxpr(outer)(jnp.ones(3))
    (constvar,) = inner[0].jaxpr.constvars
    assert str(constvar.aval) == "f32[3]"
    assert isinstance(inner[0].consts[0], Tracer)
    jaxlite.typecheck(inner[0])


def test_inner_transform_closing_over_outer_tracer_inlines_into_outer_jaxpr():
    def outer(x):
        return jaxlite.grad(lambda y: jnp.sum(y * x))(jnp.ones(3))

    jaxpr = jaxlite.make_jaxpr(outer)(jnp.ones(3))
    jaxlite.typecheck(jaxpr)
    assert not jaxpr.jaxpr.constvars
    x = jaxpr.jaxpr.invars[0]
    assert any(x in eqn.inputs for eqn in jaxpr.eqns)
    np.testing.assert_allclose(outer(jnp.array([1.0, 2.0, 3.0])), [1.0, 2.0, 3.0])


def test_nested_grad_closing_over_outer_tracer():
    # d/dx [d/dy x y^2 at y=x] = d/dx 2 x^2 = 4x
    f = jaxlite.grad(lambda x: jaxlite.grad(lambda y: x * y * y)(x))
    assert float(f(2.0)) == 8.0
