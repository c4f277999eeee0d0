"""typecheck: hand-built malformed jaxprs are rejected with a message naming the equation."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.core import ClosedJaxpr, Eqn, Jaxpr, Literal, ShapedArray, SourceInfo, Var, typecheck
from jaxlite.errors import TypecheckError
from jaxlite.primitives import elementwise as ew
from jaxlite.primitives import structural

F32 = ShapedArray((), np.dtype(np.float32))
F32_3 = ShapedArray((3,), np.dtype(np.float32))
I32 = ShapedArray((), np.dtype(np.int32))
HERE = SourceInfo("/home/user/model.py", 12, "loss")


def eqn(prim, inputs, outputs, **params):
    return Eqn(prim, tuple(inputs), tuple(outputs), params, HERE)


def literal(value, aval=F32):
    return Literal(np.asarray(value, aval.dtype)[()], aval)


def rejected(jaxpr, *fragments):
    """typecheck rejects the jaxpr with a message holding every fragment."""
    with pytest.raises(TypecheckError) as info:
        typecheck(jaxpr)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    assert isinstance(info.value, TypeError)
    return message


def test_accepts_a_well_formed_jaxpr():
    a, b, c = Var(F32_3), Var(F32_3), Var(F32)
    jaxpr = Jaxpr((), (a,), (eqn(ew.sin_p, [a], [b]),
                             eqn(structural.reduce_sum_p, [b], [c], axes=(0,))), (c, a))
    typecheck(jaxpr)
    typecheck(ClosedJaxpr(jaxpr, ()))


def test_accepts_constvars_literals_and_literal_outputs():
    k, x, y = Var(F32_3), Var(F32_3), Var(F32_3)
    jaxpr = Jaxpr((k,), (x,), (eqn(ew.mul_p, [x, literal(2.0)], [y]),), (y, k, literal(1.0)))
    typecheck(ClosedJaxpr(jaxpr, (np.ones(3, np.float32),)))


def test_rejects_use_before_definition():
    a, b, c = Var(F32), Var(F32), Var(F32)
    jaxpr = Jaxpr((), (a,), (eqn(ew.mul_p, [a, c], [b]), eqn(ew.sin_p, [a], [c])), (b,))
    rejected(jaxpr, "used before it is defined", "mul", "model.py:12 (loss)")


def test_rejects_an_undefined_output():
    a, b = Var(F32), Var(F32)
    rejected(Jaxpr((), (a,), (), (b,)), "used before it is defined")


def test_rejects_double_definition_by_equations():
    a, b = Var(F32), Var(F32)
    jaxpr = Jaxpr((), (a,), (eqn(ew.sin_p, [a], [b]), eqn(ew.cos_p, [a], [b])), (b,))
    rejected(jaxpr, "defined twice", "cos", "model.py:12")


def test_rejects_an_equation_redefining_an_input():
    a = Var(F32)
    rejected(Jaxpr((), (a,), (eqn(ew.sin_p, [a], [a]),), (a,)), "defined twice", "sin")


def test_rejects_a_variable_that_is_both_constvar_and_invar():
    a = Var(F32)
    rejected(Jaxpr((a,), (a,), (), (a,)), "defined twice")


@pytest.mark.parametrize("out_aval,expected", [
    (ShapedArray((2,), np.dtype(np.float32)), "f32[2]"),   # wrong shape
    (ShapedArray((3,), np.dtype(np.int32)), "i32[3]"),      # wrong dtype
])
def test_rejects_output_aval_disagreeing_with_the_shape_rule(out_aval, expected):
    a, b = Var(F32_3), Var(out_aval)
    message = rejected(Jaxpr((), (a,), (eqn(ew.sin_p, [a], [b]),), (b,)),
                       f"has aval {expected} but the shape rule gives f32[3]", "sin")
    assert "model.py:12" in message


def test_rejects_reduction_with_wrong_output_shape():
    a, b = Var(ShapedArray((2, 3), np.dtype(np.float32))), Var(F32_3)
    rejected(Jaxpr((), (a,), (eqn(structural.reduce_sum_p, [a], [b], axes=(1,)),), (b,)),
             "shape rule gives f32[2]", "reduce_sum[axes=(1,)]")


def test_rejects_inputs_the_shape_rule_refuses():
    a, b, c = Var(F32), Var(I32), Var(F32)
    rejected(Jaxpr((), (a, b), (eqn(ew.add_p, [a, b], [c]),), (c,)),
             "the shape rule rejects the inputs", "add")


def test_rejects_a_wrong_number_of_outputs():
    a, b, c = Var(F32), Var(F32), Var(F32)
    rejected(Jaxpr((), (a,), (eqn(ew.sin_p, [a], [b, c]),), (b,)), "2 outputs", "sin")


def test_rejects_a_literal_whose_value_disagrees_with_its_aval():
    a, b = Var(F32), Var(F32)
    bad = Literal(np.float64(2.0), F32)
    rejected(Jaxpr((), (a,), (eqn(ew.mul_p, [a, bad], [b]),), (b,)), "literal")


def test_rejects_consts_that_do_not_match_constvars():
    k, a = Var(F32), Var(F32)
    rejected(ClosedJaxpr(Jaxpr((k,), (a,), (), (a,)), ()), "number of consts")


def test_message_prints_the_whole_jaxpr():
    a, b, c = Var(F32), Var(F32), Var(F32)
    jaxpr = Jaxpr((), (a,), (eqn(ew.sin_p, [a], [b]), eqn(ew.mul_p, [c, b], [c])), (c,))
    rejected(jaxpr, "{ lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = mul c b in (c,) }")


def test_failing_equation_uses_the_jaxprs_variable_names():
    a, b, c = Var(F32), Var(F32), Var(F32)
    jaxpr = Jaxpr((), (a,), (eqn(ew.sin_p, [a], [b]), eqn(ew.mul_p, [c, b], [c])), (c,))
    message = rejected(jaxpr)
    assert message.count("c:f32[] = mul c b") == 2  # the equation, and within the jaxpr


@pytest.mark.parametrize("fun,args", [
    (lambda x: jnp.sum(jnp.sin(x) * 2.0), (jnp.ones(3),)),
    (lambda x, y: (x @ y, y.T), (jnp.ones((2, 3)), jnp.ones((3, 4)))),
    (jaxlite.grad(lambda x: jnp.sum(x ** 3)), (jnp.ones(3),)),
    (jaxlite.vmap(lambda x: jnp.max(x) - x), (jnp.ones((4, 3)),)),
])
def test_accepts_the_jaxprs_transforms_build(fun, args):
    typecheck(jaxlite.make_jaxpr(fun)(*args))
