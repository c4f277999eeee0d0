"""JAX's answers at the edges (issue 16), each recorded from JAX 0.10.2 and stated here."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.core.trace import current_trace


def still_works():
    assert current_trace() is None
    assert float(jaxlite.grad(lambda x: x * x)(3.0)) == 6.0


def test_repeated_argnums_is_a_type_error():
    # JAX: TypeError (it fails inside; jaxlite says why)
    with pytest.raises(TypeError, match=r"argnums=\(0, 0\) names an argument more than once"):
        jaxlite.grad(lambda x, y: x * y, argnums=(0, 0))(1.0, 2.0)
    with pytest.raises(TypeError, match="more than once"):
        jaxlite.grad(lambda x, y: x * y, argnums=(1, -1))(1.0, 2.0)
    still_works()


@pytest.mark.parametrize("ct,got", [
    (np.ones(2, np.float32), "f32[2]"),   # JAX: TypeError, "cotangent type does not match ..."
    (np.ones(3, np.int32), "i32[3]"),
    (np.ones(3, np.float16), "f16[3]"),
])
def test_linear_transpose_checks_the_cotangent(ct, got):
    f_t = jaxlite.linear_transpose(lambda x: 2 * x, jnp.ones(3))
    with pytest.raises(TypeError, match=rf"cotangent type does not match function output, "
                                        rf"expected \(f32\[3\],\) but got \({re_escape(got)},\)"):
        f_t(ct)
    np.testing.assert_array_equal(f_t(np.ones(3, np.float32))[0], [2.0, 2.0, 2.0])
    assert float(jaxlite.linear_transpose(lambda x: 2 * x, 1.0)(3.0)[0]) == 6.0  # weak is fine
    still_works()


def re_escape(text):
    return text.replace("[", r"\[").replace("]", r"\]")


def test_float16_reductions_accumulate_in_float32():
    ones = jnp.ones(100_000, jnp.float16)
    mean = jnp.mean(ones)  # JAX: Array(1., dtype=float16)
    assert mean.dtype == np.float16 and float(mean) == 1.0
    assert float(jnp.var(ones)) == 0.0 and jnp.var(ones).dtype == np.float16
    assert np.isinf(float(jnp.sum(ones)))  # JAX: inf (1e5 > float16's max), cast at the end
    assert float(jnp.sum(jnp.ones(1000, jnp.float16) * 0.1)) == 100.0  # JAX: 100.
    jaxpr = str(jaxlite.make_jaxpr(jnp.mean)(jnp.ones(3, jnp.float16)))
    assert "convert_element_type[new_dtype=float32" in jaxpr and "f16[] = convert" in jaxpr
    np.testing.assert_allclose(float(jnp.prod(jnp.full(10, 2.0, jnp.float16))), 1024.0)


@pytest.mark.parametrize("call", [
    lambda: jnp.ones(3, jnp.int32) + 2 ** 31,   # JAX: OverflowError
    lambda: jnp.ones(3) + 2 ** 31,              # JAX: OverflowError (the int is parsed first)
    lambda: jnp.ones(3, jnp.int32) * 2 ** 40,
    lambda: jnp.array(2 ** 31),
    lambda: jnp.asarray(-2 ** 31 - 1),
    lambda: jaxlite.jit(lambda x, y: x + y)(1, 2 ** 31),
])
def test_python_ints_that_overflow_int32_raise(call):
    with pytest.raises(OverflowError, match="too large to convert to int32|out of bounds"):
        call()
    still_works()


def test_python_ints_in_range_still_wrap_into_narrow_types():
    np.testing.assert_array_equal(jnp.ones(3, jnp.uint8) + 300, [45, 45, 45])  # JAX: 45
    np.testing.assert_array_equal(jnp.ones(2, jnp.int32) + (2 ** 31 - 1), [-2 ** 31] * 2)


def test_grad_allow_int_gives_float0_gradients():
    g_int, g_float = jaxlite.grad(lambda x, y: x * y, argnums=(0, 1), allow_int=True)(2, 3.0)
    assert g_int.dtype == np.dtype([("float0", np.void, 0)]) and g_int.shape == ()
    assert float(g_float) == 2.0
    g = jaxlite.grad(lambda x: (x * 1.0).sum(), allow_int=True)(jnp.arange(3))
    assert g.shape == (3,) and g.dtype.names == ("float0",)
    value, g_bool = jaxlite.value_and_grad(lambda x: 2.0, allow_int=True)(True)
    assert float(value) == 2.0 and g_bool.dtype.names == ("float0",)
    with pytest.raises(TypeError, match="set allow_int to True"):  # without it, as before
        jaxlite.grad(lambda x: x * 1.0)(2)
    still_works()


@pytest.mark.parametrize("call", [
    lambda: jnp.sum(jnp.ones(3), axis=0.0),       # JAX: TypeError
    lambda: jnp.mean(jnp.ones((3, 2)), axis=1.5),
    lambda: jnp.max(jnp.ones(3), axis=(0.0,)),    # JAX: TypeError, "'float' object cannot be
])                                                # interpreted as an integer"
def test_reductions_reject_a_float_axis(call):
    with pytest.raises(TypeError, match="'float' object cannot be interpreted as an integer"):
        call()
    assert float(jnp.sum(jnp.ones(3), axis=np.int64(0))) == 3.0
    still_works()


@pytest.mark.parametrize("size", [-1, 2.5, 2.0])
def test_vmap_rejects_a_negative_or_fractional_axis_size(size):
    with pytest.raises(TypeError, match="axis_size must be a non-negative integer"):
        jaxlite.vmap(lambda: 1.0, axis_size=size)()  # JAX: TypeError
    np.testing.assert_array_equal(jaxlite.vmap(lambda: 1.0, axis_size=2)(), [1.0, 1.0])


def test_vmap_negative_axis_size_with_mapped_arguments_is_a_value_error():
    with pytest.raises(ValueError, match="inconsistent sizes"):  # JAX: ValueError
        jaxlite.vmap(lambda x: x, axis_size=-1)(jnp.ones(3))


def test_has_aux_accepts_any_pytree_as_aux():
    aux_in = {"s": "str", "n": None, "o": type, "i": 3}
    g, aux = jaxlite.grad(lambda x: (x ** 2, aux_in), has_aux=True)(2.0)
    assert float(g) == 4.0 and aux == aux_in  # JAX: the same objects back
    (value, text), g = jaxlite.value_and_grad(lambda x: (x ** 2, "hello"), has_aux=True)(2.0)
    assert (float(value), text, float(g)) == (4.0, "hello", 4.0)
    assert jaxlite.vjp(lambda x: (x ** 2, "hello"), 2.0, has_aux=True)[2] == "hello"
    jac, text = jaxlite.jacrev(lambda x: (x ** 2, "hello"), has_aux=True)(2.0)
    assert (float(jac), text) == (4.0, "hello")
    g, (traced, label) = jaxlite.grad(lambda x: (x ** 2, (x * 3, "a")), has_aux=True)(2.0)
    assert float(traced) == 6.0 and label == "a"
    g, (traced, one) = jaxlite.jit(jaxlite.grad(lambda x: (x ** 2, (x * 3, 1)),
                                                has_aux=True))(2.0)
    assert float(traced) == 6.0 and int(one) == 1
