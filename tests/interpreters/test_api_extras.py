"""Top-level names JAX programs use: eval_shape, ShapeDtypeStruct, typeof, named_call,
named_scope, jacobian, config.update, and vjp's function as a pytree (JAX 0.10.2's answers)."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import ShapeDtypeStruct
from jaxlite.core.trace import current_trace
from jaxlite.errors import ConfigError


def test_eval_shape_returns_shape_dtype_structs_without_computing():
    calls = []

    def f(x, y):
        calls.append(type(x).__name__)
        return {"a": x @ y, "b": (x.sum(),)}

    out = jaxlite.eval_shape(f, ShapeDtypeStruct((2, 3), jnp.float32), jnp.ones((3, 4), jnp.int32))
    assert out == {"a": ShapeDtypeStruct((2, 4), np.float32), "b": (ShapeDtypeStruct((), "float32"),)}
    assert calls == ["Tracer"]
    assert repr(jaxlite.eval_shape(lambda x: x * 2.0, 1.0)) == \
        "ShapeDtypeStruct(shape=(), dtype=float32, weak_type=True)"
    assert repr(out["a"]) == "ShapeDtypeStruct(shape=(2, 4), dtype=float32)"
    # 64-bit requests are canonicalised as JAX does without x64
    assert jaxlite.eval_shape(lambda x: x, ShapeDtypeStruct((2,), np.float64)).dtype == np.float32


def test_shape_dtype_struct_surface():
    s = ShapeDtypeStruct((2, 3), jnp.float32)
    assert (s.shape, s.dtype, s.ndim, s.size, s.weak_type) == ((2, 3), np.float32, 2, 6, False)
    assert s == ShapeDtypeStruct([2, 3], "float32") and hash(s) == hash(ShapeDtypeStruct((2, 3), "float32"))
    assert s != ShapeDtypeStruct((2, 3), "int32")


def test_eval_shape_rejects_a_string_as_jax():
    with pytest.raises(TypeError, match="not a valid jaxlite type"):
        jaxlite.eval_shape(lambda x: x, "a")
    assert current_trace() is None


def test_typeof():
    assert str(jaxlite.typeof(jnp.ones(3))) == "f32[3]"
    aval = jaxlite.typeof(1.0)
    assert aval.weak_type and aval.shape == () and aval.dtype == np.float32
    assert jaxlite.typeof(np.zeros((2,), np.int8)).dtype == np.int8
    seen = []
    jaxlite.jit(lambda x: seen.append(jaxlite.typeof(x)) or x)(jnp.ones(2))
    assert str(seen[0]) == "f32[2]"


def test_named_call_and_named_scope():
    assert float(jaxlite.named_call(lambda x: x + 1, name="foo")(1.0)) == 2.0
    with jaxlite.named_scope("layer"):
        jaxpr = jaxlite.make_jaxpr(lambda x: x + 1)(1.0)
    assert "add" in str(jaxpr)
    with pytest.raises(TypeError, match="named_scope name argument must be a string."):
        with jaxlite.named_scope(3):
            pass


def test_jacobian_is_reverse_mode():
    x = jnp.array([0.5, 1.5])
    np.testing.assert_allclose(jaxlite.jacobian(jnp.sin)(x), np.diag(np.cos([0.5, 1.5])),
                               rtol=1e-6)
    assert jaxlite.jacobian is jaxlite.jacrev


def test_device_queries():
    assert jaxlite.device_count() == jaxlite.local_device_count() == 1
    assert jaxlite.process_index() == 0 and jaxlite.process_count() == 1


def test_config_update_known_and_unknown_flags():
    jaxlite.config.update("jax_platform_name", "cpu")
    jaxlite.config.update("jax_platforms", "cpu")
    jaxlite.config.update("jax_default_matmul_precision", "highest")
    jaxlite.config.update("jax_default_matmul_precision", None)
    with pytest.raises(AttributeError, match="Unrecognized config option: jax_foo") as info:
        jaxlite.config.update("jax_foo", 1)  # JAX: AttributeError, same words
    assert isinstance(info.value, ConfigError) and "jax_enable_x64" in str(info.value)
    with pytest.raises(ValueError, match="does not provide jax_debug_nans=True"):
        jaxlite.config.update("jax_debug_nans", True)
    with pytest.raises(ValueError, match="jax_platforms='gpu'"):
        jaxlite.config.update("jax_platforms", "gpu")
    assert jaxlite.config.jax_debug_nans is False and jaxlite.config.jax_platforms == "cpu"
    jaxlite.config.update("jax_platforms", None)


def test_vjp_function_is_a_partial_pytree_crossing_jit():
    x = jnp.arange(3.0)
    y, f_vjp = jaxlite.vjp(lambda x: jnp.sin(x) * x, x)
    assert isinstance(f_vjp, jaxlite.tree_util.Partial)
    expected = np.sin(np.arange(3.0)) + np.arange(3.0) * np.cos(np.arange(3.0))
    np.testing.assert_allclose(f_vjp(jnp.ones(3))[0], expected, rtol=1e-6)
    # into a jitted function ...
    np.testing.assert_allclose(jaxlite.jit(lambda g, c: g(c))(f_vjp, jnp.ones(3))[0], expected,
                               rtol=1e-6)
    # ... and out of one
    y2, g = jaxlite.jit(lambda x: jaxlite.vjp(lambda x: jnp.sin(x) * x, x))(x)
    assert isinstance(g, jaxlite.tree_util.Partial)
    np.testing.assert_allclose(g(jnp.ones(3))[0], expected, rtol=1e-6)
    np.testing.assert_allclose(y2, y)
    # and under vmap, over a batch of cotangents
    rows = jaxlite.vmap(lambda c: f_vjp(c)[0])(jnp.eye(3))
    np.testing.assert_allclose(rows, np.diag(expected), rtol=1e-6)
