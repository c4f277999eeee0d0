"""What ``jit`` tells its user: why a call traced again, and why a traced value cannot be
used as a Python value.

Error types are JAX 0.10.2's for the same code (checked live when JAX is installed); the
functions below use no library, so both trace them.
"""

import inspect
import logging
from pathlib import Path

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import errors, jit
from jaxlite.core.trace import current_trace

FILE = Path(__file__).name


def next_line():
    """The number of the line after the caller's."""
    return inspect.currentframe().f_back.f_lineno + 1


# ------------------------------------------------------------------ explained cache misses


@pytest.fixture
def explain(caplog):
    """Turn jax_explain_cache_misses on for the test; the log records of logger "jaxlite"."""
    before = jaxlite.config.jax_explain_cache_misses
    jaxlite.config.update("jax_explain_cache_misses", True)
    caplog.set_level(logging.WARNING, logger="jaxlite")
    yield caplog
    jaxlite.config.update("jax_explain_cache_misses", before)


def scale(x, y, n=1):
    return x * y * n


SCALE_LINE = scale.__code__.co_firstlineno


def misses(caplog):
    """The messages logged since the last call, then forget them."""
    messages = [r.getMessage() for r in caplog.records
                if r.name == "jaxlite" and r.levelno == logging.WARNING]
    caplog.clear()
    return messages


def second_miss(caplog, jitted, first, second, first_kwargs=None, second_kwargs=None):
    """The explanation of the call ``jitted(*second)`` after ``jitted(*first)`` on a clear
    cache, and the number of the line of that call."""
    jitted.clear_cache()
    jitted(*first, **(first_kwargs or {}))
    misses(caplog)
    line = next_line()
    jitted(*second, **(second_kwargs or {}))
    [message] = misses(caplog)
    return message, line


def test_the_first_trace_is_a_never_seen_function(explain):
    jit(scale).clear_cache()
    line = next_line()
    jit(scale)(1.0, jnp.ones(3))
    [message] = misses(explain)
    assert message.startswith("TRACING CACHE MISS at ")
    assert f"{FILE}:{line}" in message
    assert "never seen function" in message
    assert f"scale id={id(scale)} defined at " in message
    assert f"{FILE}:{SCALE_LINE}" in message


@pytest.mark.parametrize("first,second,expected", [
    ((1.0, jnp.ones(3)), (1.0, jnp.ones(4)),
     "at y, now f32[4] and before f32[3] (shape changed)"),
    ((1.0, jnp.ones(3)), (1.0, jnp.ones(3, jnp.int32)),
     "at y, now i32[3] and before f32[3] (dtype changed)"),
    ((1.0, 2.0), (jnp.float32(1.0), 2.0),
     "at x, now f32[] and before f32[] (weakly typed) (weak type changed)"),
    ((jnp.ones(3), jnp.ones(3)), (jnp.ones(3), jnp.ones(())),
     "at y, now f32[] and before f32[3] (shape changed)"),
    ((1.0, jnp.ones(3)), (jnp.float32(1.0), jnp.ones(3)),
     "at x, now f32[] and before f32[] (weakly typed) (weak type changed)"),
], ids=["shape", "dtype", "weak type", "shape of Arrays", "weak type, then only Arrays"])
def test_a_new_input_type_is_explained(explain, first, second, expected):
    message, line = second_miss(explain, jit(scale), first, second)
    assert f"{FILE}:{line}" in message
    assert f"for scale defined at {Path(__file__)}:{SCALE_LINE}" in message
    assert "different input types:" in message
    assert expected in message


def test_a_new_static_value_is_explained(explain):
    message, _ = second_miss(explain, jit(scale, static_argnames="n"), (1.0, 2.0), (1.0, 2.0),
                             {"n": 1}, {"n": 2})
    assert "different static arguments:" in message
    assert "at n, now 2 and before 1" in message


def test_a_new_pytree_structure_is_explained(explain):
    message, _ = second_miss(explain, jit(lambda t: t[0] * t[1]), ((1.0, 2.0),), ([1.0, 2.0],))
    assert "different input pytree:" in message


def test_a_cache_hit_logs_nothing(explain):
    jitted = jit(scale)
    jitted.clear_cache()
    jitted(1.0, jnp.ones(3))
    misses(explain)
    jitted(2.0, jnp.zeros(3))
    jaxlite.grad(jitted)(1.0, 2.0)
    misses(explain)
    jaxlite.grad(jitted)(3.0, 2.0)
    assert misses(explain) == []


def test_the_explanation_names_the_argument_as_jax_does(explain):
    message, _ = second_miss(explain, jit(scale), (1.0, jnp.ones(3)), (1.0, jnp.ones(4)))
    assert "* at y, now f32[4] and before f32[3]" in message


def test_no_explanation_when_the_flag_is_off(caplog):
    caplog.set_level(logging.WARNING, logger="jaxlite")
    jit(scale)(1.0, 2.0)
    assert [r for r in caplog.records if r.name == "jaxlite"] == []


# ------------------------------------------------------------------ concretization errors


def branch(x, y):
    if x > 0:
        return y
    return -y


def loop(x):
    while x < 10:
        x = x * 2
    return x


def to_int(x, n):
    return x * int(n)


def to_float(x):
    return float(x) * 2


def to_bool(x):
    return bool(x)


def to_range(n):
    return sum(range(n))


def numpy_function(x):
    return np.sin(x)


def line_of(fun, text):
    lines, first = inspect.getsourcelines(fun)
    return first + next(i for i, line in enumerate(lines) if text in line)


# (function, arguments, the argument at fault, its position, JAX's error, the operation
#  named, the offending code)
CONCRETIZATIONS = {
    "if": (branch, (1.0, 2.0), "x", 0, "TracerBoolConversionError", "bool()", "if x > 0"),
    "while": (loop, (1.0,), "x", 0, "TracerBoolConversionError", "bool()", "while x < 10"),
    "int()": (to_int, (1.0, 2), "n", 1, "ConcretizationTypeError", "int()", "int(n)"),
    "float()": (to_float, (1.0,), "x", 0, "ConcretizationTypeError", "float()", "float(x)"),
    "bool()": (to_bool, (1.0,), "x", 0, "TracerBoolConversionError", "bool()", "bool(x)"),
    "range()": (to_range, (3,), "n", 0, "TracerIntegerConversionError", "__index__",
                "range(n)"),
    "np.sin": (numpy_function, (1.0,), "x", 0, "TracerArrayConversionError", "__array__",
               "np.sin(x)"),
}
ADVISED = ["if", "while", "int()", "float()", "bool()"]


@pytest.mark.parametrize("name", list(CONCRETIZATIONS))
def test_a_concretization_raises_jaxs_error_naming_operation_line_and_argument(name):
    fun, args, arg_name, position, error, operation, code = CONCRETIZATIONS[name]
    jitted = jit(fun)
    with pytest.raises(getattr(errors, error)) as info:
        jitted(*args)
    message = str(info.value)
    assert operation in message
    assert f"{FILE}:{line_of(fun, code)}" in message
    assert f"depends on the value of the argument {arg_name}" in message
    assert current_trace() is None
    # the same call fails the same way again, and the argument made static works
    with pytest.raises(getattr(errors, error)):
        jitted(*args)
    fixed = jit(fun, static_argnums=position)(*args)
    np.testing.assert_allclose(np.asarray(fixed), np.asarray(fun(*args), np.float32), rtol=1e-6)
    assert float(jit(lambda x: x * 2)(3.0)) == 6.0


@pytest.mark.parametrize("name", ADVISED)
def test_a_concretization_points_to_where_cond_and_static_argnums(name):
    fun, args = CONCRETIZATIONS[name][:2]
    with pytest.raises(errors.ConcretizationTypeError) as info:
        jit(fun)(*args)
    for advice in ("jnp.where", "lax.cond", "static_argnums"):
        assert advice in str(info.value)


@pytest.mark.parametrize("name", list(CONCRETIZATIONS))
def test_the_recorded_error_types_are_jaxs(name):
    jax = pytest.importorskip("jax")
    fun, args, arg_name, _, error = CONCRETIZATIONS[name][:5]
    with pytest.raises(getattr(jax.errors, error)) as info:
        jax.jit(fun)(*args)
    assert f"depends on the value of the argument {arg_name}" in str(info.value)


def test_a_concretization_under_grad_of_jit_names_the_argument():
    with pytest.raises(errors.TracerBoolConversionError) as info:
        jaxlite.grad(jit(branch))(1.0, 2.0)
    assert "depends on the value of the argument x" in str(info.value)
    assert float(jaxlite.grad(jit(branch, static_argnums=0), argnums=1)(1.0, 2.0)) == 1.0
