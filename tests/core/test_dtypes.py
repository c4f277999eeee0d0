"""dtype promotion, weak types and x64 canonicalisation, checked against JAX's table.

The tables below are ``jnp.add(x, y)`` computed with JAX 0.10 for every pair of a
strongly typed array of each dtype and a weakly typed Python scalar ("int", "float");
``*`` marks a weakly typed result.
"""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.core import dtypes

KINDS = ["bool", "i8", "i16", "i32", "u8", "u32", "f16", "f32", "int", "float"]

# rows: x, columns: y, result of x + y (JAX, x64 disabled)
JAX_TABLE_X32 = """
bool  bool   i8   i16  i32  u8   u32  f16  f32  i32* f32*
i8    i8     i8   i16  i32  i16  i32  f16  f32  i8   f32*
i16   i16    i16  i16  i32  i16  i32  f16  f32  i16  f32*
i32   i32    i32  i32  i32  i32  i32  f16  f32  i32  f32*
u8    u8     i16  i16  i32  u8   u32  f16  f32  u8   f32*
u32   u32    i32  i32  i32  u32  u32  f16  f32  u32  f32*
f16   f16    f16  f16  f16  f16  f16  f16  f32  f16  f16
f32   f32    f32  f32  f32  f32  f32  f32  f32  f32  f32
int   i32*   i8   i16  i32  u8   u32  f16  f32  i32* f32*
float f32*   f32* f32* f32* f32* f32* f16  f32  f32* f32*
"""

# the same with x64 enabled
JAX_TABLE_X64 = """
bool  bool   i8   i16  i32  u8   u32  f16  f32  i64* f64*
i8    i8     i8   i16  i32  i16  i64  f16  f32  i8   f64*
i16   i16    i16  i16  i32  i16  i64  f16  f32  i16  f64*
i32   i32    i32  i32  i32  i32  i64  f16  f32  i32  f64*
u8    u8     i16  i16  i32  u8   u32  f16  f32  u8   f64*
u32   u32    i64  i64  i64  u32  u32  f16  f32  u32  f64*
f16   f16    f16  f16  f16  f16  f16  f16  f32  f16  f16
f32   f32    f32  f32  f32  f32  f32  f32  f32  f32  f32
int   i64*   i8   i16  i32  u8   u32  f16  f32  i64* f64*
float f64*   f64* f64* f64* f64* f64* f16  f32  f64* f64*
"""

SHORT = {"bool": np.bool_, "i8": np.int8, "i16": np.int16, "i32": np.int32, "i64": np.int64,
         "u8": np.uint8, "u32": np.uint32, "f16": np.float16, "f32": np.float32,
         "f64": np.float64}


def parse_table(text):
    """{(x kind, y kind): (dtype, weak)}"""
    table = {}
    for row in text.strip().splitlines():
        x, *results = row.split()
        for y, result in zip(KINDS, results, strict=True):
            table[x, y] = (np.dtype(SHORT[result.rstrip("*")]), result.endswith("*"))
    return table


TABLES = {False: parse_table(JAX_TABLE_X32), True: parse_table(JAX_TABLE_X64)}
PAIRS = [(x, y) for x in KINDS for y in KINDS]


def make(kind):
    """A strongly typed array of the kind, or a weakly typed Python scalar."""
    if kind == "int":
        return 3
    if kind == "float":
        return 2.0
    return jnp.ones((2,), SHORT[kind])


@pytest.fixture(params=[False, True], ids=["x32", "x64"])
def x64(request):
    jaxlite.config.update("jax_enable_x64", request.param)
    return request.param


@pytest.mark.parametrize("x,y", PAIRS)
def test_add_promotion_matches_jax(x64, x, y):
    expected = TABLES[x64][x, y]
    a, b = make(x), make(y)
    out = jnp.add(a, b)
    assert (out.dtype, out.weak_type) == expected
    if isinstance(a, jaxlite.Array) or isinstance(b, jaxlite.Array):
        out = a + b
        assert (out.dtype, out.weak_type) == expected


@pytest.mark.parametrize("x,y", PAIRS[::3])
def test_traced_add_promotion_matches_jax(x64, x, y):
    # Python scalars passed to make_jaxpr become weakly typed inputs, as in JAX
    jaxpr = jaxlite.make_jaxpr(jnp.add)(make(x), make(y))
    jaxlite.typecheck(jaxpr)
    (aval,) = jaxpr.out_avals
    assert (aval.dtype, aval.weak_type) == TABLES[x64][x, y]


@pytest.mark.parametrize("x,y", PAIRS)
def test_result_type_is_symmetric(x64, x, y):
    assert TABLES[x64][x, y] == TABLES[x64][y, x]
    node = {"int": (dtypes.default_int(), True), "float": (dtypes.default_float(), True)}
    pair = [node.get(k, (np.dtype(SHORT.get(k, np.bool_)), False)) for k in (x, y)]
    assert dtypes.result_type(*pair) == TABLES[x64][x, y]


def test_float64_request_is_float32_without_x64():
    out = jnp.array(1.0, dtype=jnp.float64)
    assert out.dtype == np.float32 and not out.weak_type
    assert jnp.zeros(2, jnp.int64).dtype == np.int32
    assert jnp.asarray(np.ones(2)).dtype == np.float32
    assert jnp.asarray(np.ones(2, np.uint64)).dtype == np.uint32
    assert (jnp.ones(2) + np.float64(1.0)).dtype == np.float32


def test_float64_request_is_float64_with_x64():
    jaxlite.config.update("jax_enable_x64", True)
    assert jnp.array(1.0, dtype=jnp.float64).dtype == np.float64
    assert jnp.asarray(np.ones(2)).dtype == np.float64
    assert jnp.zeros(2).dtype == np.float64
    assert jnp.arange(3).dtype == np.int64
    assert (jnp.ones(2, jnp.float32) * 2.5).dtype == np.float32  # weak scalars don't widen


@pytest.mark.parametrize("value,x32,x64_", [
    (1.0, "f32*", "f64*"), (1, "i32*", "i64*"), (True, "bool", "bool"),
    (np.float64(1.0), "f32", "f64"), (np.int8(1), "i8", "i8"), ([1.0, 2.0], "f32", "f64"),
    ([1, 2], "i32", "i64"),
])
def test_jnp_array_dtype_and_weak_type(x64, value, x32, x64_):
    # JAX: a Python scalar gives a weakly typed array, a list a strongly typed one
    expected = x64_ if x64 else x32
    out = jnp.array(value)
    assert out.dtype == SHORT[expected.rstrip("*")]
    assert out.weak_type == expected.endswith("*")


def test_python_scalar_inputs_of_make_jaxpr_are_weak(x64):
    jaxpr = jaxlite.make_jaxpr(lambda x, y, z: (x, y, z))(1.0, 2, True)
    width = "64" if x64 else "32"
    assert [str(a) for a in jaxpr.in_avals] == [f"f{width}[]{{weak}}", f"i{width}[]{{weak}}",
                                                "bool[]"]


@pytest.mark.parametrize("dtype,x32,x64_", [
    (np.bool_, np.float32, np.float32), (np.int8, np.float32, np.float32),
    (np.uint32, np.float32, np.float32), (np.int32, np.float32, np.float32),
    (np.float16, np.float16, np.float16),
])
def test_inexact_functions_of_integers(x64, dtype, x32, x64_):
    # JAX computes jnp.sin and true division of integers in float32, even with x64
    x = jnp.ones(2, dtype)
    assert jnp.sin(x).dtype == (x64_ if x64 else x32)
    if dtype != np.bool_:
        assert (x / x).dtype == (x64_ if x64 else x32)
        assert jnp.mean(x).dtype == (x64_ if x64 else x32)


def test_inexact_functions_of_int64_with_x64():
    jaxlite.config.update("jax_enable_x64", True)
    x = jnp.ones(2, jnp.int64)
    assert jnp.sin(x).dtype == np.float64
    assert jnp.sin(2).dtype == np.float64 and jnp.sin(2).weak_type


@pytest.mark.parametrize("dtype,x32,x64_", [
    (np.bool_, np.int32, np.int64), (np.int8, np.int32, np.int64), (np.uint8, np.uint32, np.uint64),
    (np.uint32, np.uint32, np.uint64), (np.int32, np.int32, np.int64),
    (np.float16, np.float16, np.float16),
])
def test_sum_dtype_of_narrow_types(x64, dtype, x32, x64_):
    # JAX sums bools and narrow integers in the default (unsigned) integer type
    assert jnp.sum(jnp.ones(3, dtype)).dtype == (x64_ if x64 else x32)
    assert jnp.prod(jnp.ones(3, dtype)).dtype == (x64_ if x64 else x32)


def test_canonicalize_and_short_names():
    assert dtypes.canonicalize(np.float64) == np.float32
    assert dtypes.canonicalize(np.uint64) == np.uint32
    assert dtypes.canonicalize(np.int16) == np.int16
    assert [dtypes.short_name(np.dtype(t)) for t in (np.bool_, np.uint8, np.float16)] == \
        ["bool", "u8", "f16"]
    jaxlite.config.update("jax_enable_x64", True)
    assert dtypes.canonicalize(np.float64) == np.float64


def test_unknown_config_option_is_a_value_error():
    with pytest.raises(ValueError, match="jax_enable_x64"):
        jaxlite.config.update("jax_enable_x46", True)
