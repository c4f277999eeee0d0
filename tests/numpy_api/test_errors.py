"""Bad inputs to jnp functions raise the error type JAX raises, with a message that helps."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.core.trace import current_trace

# (call, exception type JAX raises, a regex the message must match)
CASES = [
    # broadcasting
    (lambda: jnp.ones((2, 3)) + jnp.ones((2,)), ValueError,
     r"incompatible shapes.*\(2, 3\), \(2,\)"),
    (lambda: jnp.where(jnp.ones(2, bool), jnp.ones(3), 0.0), ValueError, r"\(2,\), \(3,\)"),
    (lambda: jnp.broadcast_to(jnp.ones(3), (2, 4)), ValueError, r"\(3,\).*\(2, 4\)"),
    (lambda: jnp.broadcast_to(jnp.ones((2, 3)), (3,)), ValueError, r"\(2, 3\).*\(3,\)"),
    (lambda: jnp.matmul(jnp.ones((2, 2, 3)), jnp.ones((3, 3, 4))), ValueError, "matmul"),
    # reshape
    (lambda: jnp.reshape(jnp.arange(6), (4, 2)), TypeError, r"shape \(6,\).*\(4, 2\)"),
    (lambda: jnp.reshape(jnp.arange(6), (4, -1)), TypeError, r"shape \(6,\).*\(4, -1\)"),
    (lambda: jnp.reshape(jnp.arange(6), (-1, -1)), TypeError, "one unknown"),
    (lambda: jnp.ones(3).reshape(2, 2), TypeError, r"size 3.*\(2, 2\)"),
    # lists are not arrays (JAX: "sum requires ndarray or scalar arguments")
    (lambda: jnp.sum([1, 2, 3]), TypeError, "sum requires ndarray or scalar arguments.*list"),
    (lambda: jnp.sin([1.0, 2.0]), TypeError, "sin requires ndarray or scalar arguments"),
    (lambda: jnp.add([1], 2), TypeError, "add requires ndarray or scalar arguments"),
    (lambda: jnp.mean((1.0, 2.0)), TypeError, "mean requires ndarray or scalar arguments.*tuple"),
    # products
    (lambda: jnp.dot(jnp.ones(3), jnp.ones(4)), TypeError, r"\(3,\) and \(4,\)"),
    (lambda: jnp.matmul(jnp.ones((2, 3)), jnp.ones((2, 3))), TypeError, "size 3.*size 2"),
    (lambda: jnp.matmul(jnp.ones(3), 2.0), ValueError, "scalar"),
    # joining
    (lambda: jnp.concatenate([jnp.ones((2, 2)), jnp.ones((2, 3))]), TypeError,
     r"f32\[2,2\], f32\[2,3\]"),
    (lambda: jnp.concatenate([jnp.ones(()), jnp.ones(())]), ValueError, "zero-dimensional"),
    (lambda: jnp.concatenate([]), ValueError, "non-empty"),
    (lambda: jnp.stack([jnp.ones(2), jnp.ones(3)]), ValueError, "same shape"),
    (lambda: jnp.stack([]), ValueError, "at least one array"),
    # axes
    (lambda: jnp.squeeze(jnp.ones((2, 1)), axis=0), ValueError, "size not equal to one"),
    (lambda: jnp.sum(jnp.ones((2, 3)), axis=2), ValueError, "axis 2 is out of bounds"),
    (lambda: jnp.sum(jnp.ones((2, 3)), axis=(0, 0)), ValueError, "repeated axis"),
    (lambda: jnp.expand_dims(jnp.ones(2), 3), ValueError, "axis 3 is out of bounds"),
    (lambda: jnp.transpose(jnp.ones((2, 3)), (0, 0)), TypeError, r"permutation \(0, 0\)"),
    (lambda: jnp.transpose(jnp.ones((2, 3)), (0,)), TypeError, "permutation"),
    (lambda: jnp.moveaxis(jnp.ones((2, 3)), (0, 1), (0,)), ValueError, "same number"),
    (lambda: jnp.max(jnp.ones((0,))), ValueError, "zero-size array to reduction operation max"),
    (lambda: jnp.argmax(jnp.ones((0,))), ValueError, "argmax of an empty sequence"),
    # indexing
    (lambda: jnp.arange(10)[1, 2], IndexError, "too many indices"),
    (lambda: jnp.arange(10)[1.5], TypeError, "integer or boolean type"),
    (lambda: jnp.arange(10)[jnp.array(1.0)], TypeError, "integer or boolean type"),
    # creation
    (lambda: jnp.array(["a", "b"]), TypeError, "'a'"),
    (lambda: jnp.array({"a": 1}), TypeError, "'a'"),
    (lambda: jnp.zeros((2.5,)), TypeError, "float"),
    (lambda: jnp.linspace(0, 1, -1), ValueError, "must be non-negative"),
    # dtypes
    (lambda: jnp.bitwise_and(jnp.ones(2), 1), TypeError, "float32"),
    (lambda: jnp.subtract(jnp.array([True]), jnp.array([True])), TypeError, "bool"),
    (lambda: jnp.power(jnp.arange(3), -1), TypeError, "negative powers"),
    # operators with things that are not arrays
    (lambda: jnp.ones(3) + "a", TypeError, "unsupported operand"),
    (lambda: jnp.ones(3) + None, TypeError, "unsupported operand"),
    (lambda: jnp.ones(3) + [1, 2, 3], TypeError, "unsupported operand"),
]


@pytest.mark.parametrize("call,error,pattern", CASES)
def test_bad_input_raises_jax_error_type(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
    assert current_trace() is None


@pytest.mark.parametrize("call,error,pattern", CASES[:16])
def test_same_errors_while_tracing(call, error, pattern):
    with pytest.raises(error, match=pattern):
        jaxlite.make_jaxpr(lambda x: call())(1.0)
    assert current_trace() is None


def test_shape_error_names_the_user_line():
    with pytest.raises(TypeError) as info:
        jnp.concatenate([jnp.ones((2, 2)), jnp.ones((2, 3))])
    assert "test_errors.py" in str(info.value)


def test_where_with_one_argument_needs_a_size_under_jit():
    # jnp.where(c) is jnp.nonzero(c): its length depends on the values
    with pytest.raises(jaxlite.errors.ConcretizationTypeError, match="size argument"):
        jaxlite.jit(lambda c: jnp.where(c))(jnp.ones(2, bool))
    assert float(jaxlite.grad(lambda x: x * 2.0)(1.0)) == 2.0


def test_out_of_bounds_integer_index_clamps():
    # as JAX: jnp.arange(10)[10] is the last element (NumPy would raise)
    assert int(jnp.arange(10)[10]) == 9
    assert int(jnp.arange(10)[-11]) == 0


def test_numpy_object_arrays_are_refused():
    with pytest.raises(TypeError):
        jnp.sin(np.array([object()]))
