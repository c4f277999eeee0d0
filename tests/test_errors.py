"""User errors of the transforms: the error type JAX raises, a message naming what went
wrong and how to fix it, and a library that still works afterwards.

Messages marked "JAX's wording" are the text JAX 0.10 gives for the same call.
"""

import contextlib

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import grad, hessian, jacfwd, jacrev, jvp, linear_transpose, linearize, make_jaxpr
from jaxlite import value_and_grad, vjp, vmap
from jaxlite.core.primitive import Primitive
from jaxlite.errors import TracerBoolConversionError, UnexpectedTracerError


@pytest.fixture(autouse=True)
def library_still_works():
    """After each failing call, transforms still work and no trace is left active."""
    yield
    assert jaxlite.core.trace.current_trace() is None
    assert float(grad(lambda x: jnp.sin(x) * x)(0.0)) == 0.0
    np.testing.assert_array_equal(np.asarray(vmap(grad(lambda x: x ** 2))(jnp.arange(3.0))),
                                  [0.0, 2.0, 4.0])


@contextlib.contextmanager
def raises(error, *fragments):
    """``pytest.raises`` that also checks the message contains every fragment."""
    with pytest.raises(error) as info:
        yield info
    for fragment in fragments:
        assert fragment in str(info.value), f"{fragment!r} not in {str(info.value)!r}"


# ------------------------------------------------------------------ grad: outputs and inputs


@pytest.mark.parametrize("transform", [grad, value_and_grad])
def test_grad_of_non_scalar_output(transform):
    # JAX's wording, then a pointer to the right tool
    with raises(TypeError, "Gradient only defined for scalar-output functions. "
                           "Output had shape: (3,).", "jacrev", "vjp"):
        transform(lambda x: x * 2.0)(jnp.ones(3))


@pytest.mark.parametrize("f", [lambda x: (x,), lambda x: [x * 2.0], lambda x: None],
                         ids=["tuple", "list", "none"])
def test_grad_of_container_output(f):
    # JAX rejects even a container of one scalar: "Output was (...)."
    with raises(TypeError, "Gradient only defined for scalar-output functions. Output was"):
        grad(f)(1.0)


def test_grad_of_integer_output():
    with raises(TypeError, "grad requires real-valued outputs", "int32", "vjp"):
        grad(lambda x: jnp.int32(1))(1.0)


@pytest.mark.parametrize("x,dtype", [(1, "int32"), (True, "bool"), (jnp.arange(3), "int32")])
@pytest.mark.parametrize("transform", [grad, jacrev])
def test_integer_and_boolean_inputs(transform, x, dtype):
    with raises(TypeError, "requires real- or complex-valued inputs", f"but got {dtype}",
                "use vjp or set allow_int"):
        transform(lambda x: jnp.sum(x * 2))(x)


@pytest.mark.parametrize("x,dtype", [(1, "int32"), (True, "bool"), (jnp.arange(3), "int32")])
@pytest.mark.parametrize("transform", [jacfwd, hessian])  # (hessian is jacfwd of jacrev)
def test_integer_and_boolean_inputs_forward(transform, x, dtype):
    with raises(TypeError, "jacfwd requires real-valued inputs", f"but got {dtype}",
                "pass holomorphic=True", "use jaxlite.jvp directly"):
        transform(lambda x: jnp.sum(x * 2))(x)


def test_integer_leaf_inside_pytree_argument():
    with raises(TypeError, "but got int32"):
        grad(lambda d: d["a"] * d["n"])({"a": 1.0, "n": 3})


# ------------------------------------------------------------------ argnums and has_aux


def mul(x, y):
    return x * y


@pytest.mark.parametrize("argnums,error,fragments", [
    (2, TypeError, ("differentiating with respect to argnums=2 requires at least 3 positional "
                    "arguments to be passed by the caller, but got only 2 positional arguments.",)),
    ((0, 5), TypeError, ("argnums=(0, 5) requires at least 6 positional arguments",)),
    (-3, ValueError, ("-3", "len(args) == 2")),
    (1.5, TypeError, ()),
    ("a", TypeError, ()),
])
@pytest.mark.parametrize("transform", [grad, jacfwd, jacrev])
def test_argnums_out_of_range_or_invalid(transform, argnums, error, fragments):
    with raises(error, *fragments):
        transform(mul, argnums=argnums)(1.0, 2.0)


@pytest.mark.parametrize("f,kind", [(lambda x: x * 2.0, "Traced"),
                                    (lambda x: (x, 1.0, 2.0), "tuple")], ids=["scalar", "triple"])
@pytest.mark.parametrize("transform", [grad, value_and_grad, jacrev, jacfwd])
def test_has_aux_with_non_pair_output(transform, f, kind):
    with raises(TypeError, "has_aux", "two-element tuple", kind):
        transform(f, has_aux=True)(1.0)


def test_vjp_has_aux_with_non_pair_output():
    with raises(TypeError, "two-element tuple"):
        vjp(lambda x: x * 2.0, 1.0, has_aux=True)


# ------------------------------------------------------------------ vmap


def test_vmap_inconsistent_sizes_lists_them():
    with raises(ValueError, "vmap got inconsistent sizes", "(3,)", "(4,)", "size 3", "size 4"):
        vmap(lambda x, y: x + y)(jnp.ones(3), jnp.ones(4))


def test_vmap_axis_size_disagreeing_with_arguments():
    with raises(ValueError, "inconsistent sizes", "axis_size=3", "size 4"):
        vmap(lambda x: x, axis_size=3)(jnp.ones(4))


def test_vmap_in_axes_length_not_matching_args():
    # JAX's wording
    with raises(ValueError, "vmap in_axes must be an int, None, or a tuple of entries "
                            "corresponding to the positional arguments passed to the function, "
                            "but got len(in_axes)=2, len(args)=1"):
        vmap(lambda x: x, in_axes=(0, 0))(jnp.ones(3))


def test_vmap_in_axes_not_a_prefix_of_args():
    with raises(ValueError, "in_axes", "tree prefix", "'b'", "'a'"):
        vmap(lambda d: d["a"], in_axes=({"b": 0},))({"a": jnp.ones(3)})


@pytest.mark.parametrize("spec", ["a", 0.5, (0, "x")])
def test_vmap_in_axes_of_wrong_type(spec):
    with raises(TypeError, "in_axes must be an int, None"):
        vmap(lambda x, y=None: x, in_axes=spec)(jnp.ones(3), jnp.ones(3))


@pytest.mark.parametrize("axis,shape", [(2, (3,)), (-3, (3, 2)), (0, ())])
def test_vmap_in_axis_out_of_range(axis, shape):
    # JAX's wording: "... its rank should be at least 3, but is only 1 (its shape is (3,))"
    with raises(ValueError, f"vmap was requested to map its argument along axis {axis}",
                f"(its shape is {shape})"):
        vmap(lambda x: x, in_axes=axis)(jnp.ones(shape))


@pytest.mark.parametrize("axis", [2, -3])
def test_vmap_out_axis_out_of_range(axis):
    with raises(ValueError, "out_axes", str(axis), "rank"):
        vmap(lambda x: x, out_axes=axis)(jnp.ones(3))


def test_vmap_out_axes_none_for_batched_output():
    with raises(ValueError, "out_axes", "None", "mapped"):
        vmap(lambda x: x, out_axes=None)(jnp.ones(3))


def test_vmap_out_axes_not_a_prefix_of_outputs():
    with raises(ValueError, "out_axes", "tree prefix"):
        vmap(lambda x: (x, x), out_axes=(0, 0, 0))(jnp.ones(3))


def test_vmap_without_mapped_axis_or_axis_size():
    with raises(ValueError, "vmap must have at least one non-None value in in_axes", "axis_size"):
        vmap(lambda x: x, in_axes=None)(jnp.ones(3))


def test_python_if_on_batched_value():
    with raises(TracerBoolConversionError, "bool()", "jnp.where", "lax.cond") as info:
        vmap(lambda x: x if x > 0 else -x)(jnp.ones(3))
    assert isinstance(info.value, TypeError)  # as in JAX
    assert "test_errors.py" in str(info.value)  # names the user's line


# ------------------------------------------------------------------ jvp, vjp, linearize


@pytest.mark.parametrize("primals,tangents,error,fragments", [
    ((1.0,), (jnp.ones(2),), ValueError, ("shape", "f32[2]")),
    ((1.0,), (1,), TypeError, ("dtype", "float32", "int32")),
    ((1.0,), (1.0, 2.0), TypeError, ("tree structure",)),
    (({"a": 1.0},), ({"b": 1.0},), TypeError, ("tree structure",)),
    (1.0, 1.0, TypeError, ("tuples or lists",)),
], ids=["shape", "dtype", "arity", "dict_keys", "not_tuples"])
def test_jvp_primal_tangent_mismatch(primals, tangents, error, fragments):
    with raises(error, "jvp", *fragments):
        jvp(lambda *a: jaxlite.tree_util.tree_leaves(a)[0] * 2.0, primals, tangents)


def test_vjp_cotangent_of_wrong_shape():
    _, pullback = vjp(lambda x: x * 2.0, jnp.ones(3))
    with raises(ValueError, "cotangent", "(2,)", "(3,)"):
        pullback(jnp.ones(2))


def test_vjp_cotangent_of_wrong_dtype():
    _, pullback = vjp(lambda x: x * 2.0, jnp.ones(3))
    with raises(ValueError, "cotangent", "int32", "float32"):
        pullback(jnp.ones(3, jnp.int32))


def test_vjp_cotangent_of_wrong_structure():
    _, pullback = vjp(lambda x: (x, 2.0 * x), 1.0)
    with raises(ValueError, "cotangent", "structure"):
        pullback((1.0,))


def test_linearize_tangent_of_wrong_structure():
    _, f_jvp = linearize(jnp.sin, 1.0)
    with raises(TypeError, "structure"):
        f_jvp(1.0, 2.0)


# ------------------------------------------------------------------ invalid argument types


@pytest.mark.parametrize("call", [
    lambda: grad(lambda x: x)("a"),
    lambda: vmap(lambda x: x)("a"),
    lambda: jvp(lambda x: x, ("a",), ("b",)),
    lambda: vjp(lambda x: x, "a"),
    lambda: jacfwd(lambda x: x)("a"),
    lambda: jacrev(lambda x: x)({"k": object()}),
    lambda: make_jaxpr(lambda x: x)("a"),
    lambda: linearize(lambda x: x, "a"),
], ids=["grad", "vmap", "jvp", "vjp", "jacfwd", "jacrev_object", "make_jaxpr", "linearize"])
def test_invalid_argument_types(call):
    with raises(TypeError, "is not a valid jaxlite type", "of type"):
        call()


def test_operation_with_string_under_trace():
    # JAX: TypeError "unsupported operand type(s) for +: 'DynamicJaxprTracer' and 'str'"
    with raises(TypeError, "unsupported operand type(s) for +"):
        make_jaxpr(lambda x: x + "a")(1.0)


def test_leaked_tracer():
    leaked = []
    grad(lambda x: (leaked.append(x), x * 2.0)[1])(1.0)
    with raises(UnexpectedTracerError, "unexpected tracer"):
        jnp.sin(leaked[0]) + jnp.ones(())
    with raises(UnexpectedTracerError):
        grad(lambda y: y * leaked[0])(1.0)


# ------------------------------------------------------------------ missing rules


def throwaway_primitive(**rules):
    return Primitive("throwaway", impl=lambda x: [np.asarray(x) * 2], abstract_eval=lambda a: [a],
                     **rules)


@pytest.mark.parametrize("call,transform", [
    (lambda p: grad(lambda x: p.bind1(x))(1.0), "jvp"),
    (lambda p: jvp(p.bind1, (1.0,), (1.0,)), "jvp"),
    (lambda p: jacfwd(p.bind1)(jnp.ones(2)), "jvp"),
    (lambda p: vmap(p.bind1)(jnp.ones(2)), "batching"),
], ids=["grad", "jvp", "jacfwd", "vmap"])
def test_missing_rule_names_primitive_and_transform(call, transform):
    p = throwaway_primitive()
    np.testing.assert_array_equal(np.asarray(p.bind1(jnp.ones(2))), [2.0, 2.0])  # impl works
    assert str(make_jaxpr(p.bind1)(1.0)).count("throwaway") == 1  # so does staging
    with raises(NotImplementedError, f"{transform} rule for primitive 'throwaway' is not "
                                     "implemented"):
        call(p)


def test_missing_transpose_rule_under_grad():
    # a jvp rule that emits the primitive itself on the tangent needs its transpose
    p = throwaway_primitive(jvp=lambda primals, tangents, outs: [p.bind1(tangents[0])])
    np.testing.assert_array_equal(np.asarray(jvp(p.bind1, (1.0,), (1.0,))[1]), 2.0)
    with raises(NotImplementedError, "transpose rule for primitive 'throwaway'"):
        grad(p.bind1)(1.0)


def test_linear_transpose_of_nonlinear_function():
    # as in JAX, building the transpose succeeds; calling it raises NotImplementedError
    f_t = linear_transpose(jnp.sin, 1.0)
    with raises(NotImplementedError, "transpose rule for primitive 'sin'", "not linear"):
        f_t(3.0)


def test_shape_error_names_op_and_shapes():
    with raises(TypeError, "matmul", "contracting dimensions"):
        grad(lambda x: jnp.sum(x @ jnp.ones((4, 2))))(jnp.ones(3))


def test_matmul_shape_error_names_the_users_shapes():
    # JAX: "dot_general requires contracting dimensions to have the same shape, got (3,) and (4,)."
    with raises(TypeError, "(3,)", "(4,)"):
        grad(lambda x: x @ jnp.ones(4))(jnp.ones(3))

