"""jnp functions against JAX: values, dtypes and weak types of ~250 calls.

Each row is ``(expression, value, dtype)``; the values and dtypes are what JAX 0.10 gives
(``*`` marks a weakly typed result, ``None`` a Python value such as a shape). The
expressions are evaluated with ``jnp`` bound to ``jaxlite.numpy``.
"""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp

nan = float("nan")
NAMESPACE = {"jnp": jnp, "np": np}
DTYPES = {"bool": np.bool_, "i8": np.int8, "i16": np.int16, "i32": np.int32, "i64": np.int64,
          "u8": np.uint8, "u32": np.uint32, "u64": np.uint64, "f16": np.float16,
          "f32": np.float32, "f64": np.float64}


def check(expression, expected, spec):
    out = eval(expression, NAMESPACE)  # noqa: S307 - the expressions are the table's own
    if spec is None:
        assert out == expected
        return
    assert isinstance(out, jaxlite.Array), type(out)
    assert out.dtype == DTYPES[spec.rstrip("*")], out.dtype
    assert out.weak_type == spec.endswith("*")
    value = np.asarray(out)
    assert value.shape == np.shape(expected)
    if value.dtype.kind in "biu":
        np.testing.assert_array_equal(value, expected)
    else:
        np.testing.assert_allclose(value.astype(np.float64), expected, rtol=2e-6, atol=1e-6)


def rows(table):
    return pytest.mark.parametrize("expression,expected,spec", table, ids=[r[0] for r in table])


# elementwise functions and operators: promotion, integer division, powers, bool arithmetic
UFUNCS = [
    ("jnp.add(jnp.ones(3, jnp.int32), 2.5)", [3.5, 3.5, 3.5], "f32*"),
    ("jnp.add(jnp.ones(3, jnp.int8), 300)", [45, 45, 45], "i8"),
    ("jnp.multiply(jnp.ones(3, jnp.uint8), jnp.ones(3, jnp.int8))", [1, 1, 1], "i16"),
    ("jnp.subtract(jnp.ones(3, jnp.float16), 1)", [0.0, 0.0, 0.0], "f16"),
    ("jnp.true_divide(jnp.array([7, -7, 3]), jnp.array([2, 2, -4]))", [3.5, -3.5, -0.75], "f32"),
    ("jnp.divide(7, 2)", 3.5, "f32*"),
    ("jnp.array([7, -7, 3]) / 2", [3.5, -3.5, 1.5], "f32"),
    ("jnp.floor_divide(jnp.array([7, -7, 7, -7, 0]), jnp.array([2, 2, -2, -2, 3]))",
     [3, -4, -4, 3, 0], "i32"),
    ("jnp.remainder(jnp.array([7, -7, 7, -7, 0]), jnp.array([2, 2, -2, -2, 3]))",
     [1, 1, -1, -1, 0], "i32"),
    ("jnp.floor_divide(jnp.array([7.5, -7.5, 7.5, -7.5]), jnp.array([2.0, 2.0, -2.0, -2.0]))",
     [3.0, -4.0, -4.0, 3.0], "f32"),
    ("jnp.remainder(jnp.array([7.5, -7.5, 7.5, -7.5]), jnp.array([2.0, 2.0, -2.0, -2.0]))",
     [1.5, 0.5, -0.5, -1.5], "f32"),
    ("jnp.array([7, -7]) // 2", [3, -4], "i32"),
    ("jnp.array([7, -7]) % 3", [1, 2], "i32"),
    ("jnp.array([7.0, -7.0]) % 3", [1.0, 2.0], "f32"),
    ("jnp.power(jnp.array([1.5, 2.0, 3.0]), 3)", [3.375, 8.0, 27.0], "f32"),
    ("jnp.power(jnp.array([2, 3, 4]), 3)", [8, 27, 64], "i32"),
    ("jnp.array([2, 3, 4]) ** 2", [4, 9, 16], "i32"),
    ("jnp.array([2.0, 3.0]) ** -2", [0.25, 0.1111111], "f32"),
    ("jnp.power(jnp.array([2.0, 3.0]), 0.5)", [1.4142135, 1.7320508], "f32"),
    ("jnp.power(jnp.array([2, 3]), jnp.array([3, 2]))", [8, 9], "i32"),
    ("jnp.power(2, jnp.array([1.0, 3.0]))", [2.0, 8.0], "f32"),
    ("jnp.power(jnp.array([2.0, 3.0]), jnp.array([2, 3], jnp.int32))", [4.0, 27.0], "f32"),
    ("jnp.square(jnp.array([2, -3]))", [4, 9], "i32"),
    ("jnp.square(jnp.array([2.0, -3.0]))", [4.0, 9.0], "f32"),
    ("jnp.sqrt(jnp.array([4, 9]))", [2.0, 3.0], "f32"),
    ("jnp.sin(jnp.array([0.5, 1.0]))", [0.4794255, 0.841471], "f32"),
    ("jnp.cos(2)", -0.4161468, "f32*"),
    ("jnp.tan(jnp.array([0.5], jnp.float16))", [0.5463867], "f16"),
    ("jnp.tanh(jnp.array([0.5, -1.0]))", [0.4621172, -0.7615942], "f32"),
    ("jnp.exp(jnp.array([1, 2], jnp.int8))", [2.7182817, 7.3890562], "f32"),
    ("jnp.log(jnp.array([1.0, 2.0]))", [0.0, 0.6931472], "f32"),
    ("jnp.log1p(jnp.array([0.5]))", [0.4054651], "f32"),
    ("jnp.expm1(jnp.array([0.5]))", [0.6487213], "f32"),
    ("jnp.log2(jnp.array([8.0, 2.0]))", [3.0, 1.0], "f32"),
    ("jnp.log10(jnp.array([100.0]))", [2.0], "f32"),
    ("jnp.exp2(jnp.array([3.0]))", [8.0], "f32"),
    ("jnp.sinh(jnp.array([0.5]))", [0.5210953], "f32"),
    ("jnp.cosh(jnp.array([0.5]))", [1.1276259], "f32"),
    ("jnp.reciprocal(jnp.array([4.0, 0.5]))", [0.25, 2.0], "f32"),
    ("jnp.negative(jnp.array([1, -2]))", [-1, 2], "i32"),
    ("jnp.abs(jnp.array([-1.5, 2.0]))", [1.5, 2.0], "f32"),
    ("jnp.abs(jnp.array([-3, 2], jnp.int8))", [3, 2], "i8"),
    ("jnp.sign(jnp.array([-3.0, 0.0, 2.0]))", [-1.0, 0.0, 1.0], "f32"),
    ("jnp.sign(jnp.array([-3, 0, 2]))", [-1, 0, 1], "i32"),
    ("jnp.floor(jnp.array([-1.5, 1.5]))", [-2.0, 1.0], "f32"),
    ("jnp.ceil(jnp.array([-1.5, 1.5]))", [-1.0, 2.0], "f32"),
    ("jnp.round(jnp.array([0.5, 1.5, 2.5, -0.5]))", [0.0, 2.0, 2.0, -0.0], "f32"),
    ("jnp.round(jnp.array([1.234, 5.678]), 2)", [1.23, 5.6799998], "f32"),
    ("jnp.maximum(jnp.array([1, 5]), jnp.array([3.0, 2.0]))", [3.0, 5.0], "f32"),
    ("jnp.minimum(jnp.array([1, 5]), 3)", [1, 3], "i32"),
    ("jnp.clip(jnp.array([-2.0, 0.5, 3.0]), 0.0, 1.0)", [0.0, 0.5, 1.0], "f32"),
    ("jnp.clip(jnp.array([-2, 0, 3]), 0, 1)", [0, 0, 1], "i32"),
    ("jnp.equal(jnp.array([1, 2]), jnp.array([1.0, 3.0]))", [True, False], "bool"),
    ("jnp.array([1.0, 2.0]) < 2", [True, False], "bool"),
    ("jnp.greater_equal(jnp.array([1, 2], jnp.uint8), 2)", [False, True], "bool"),
    ("jnp.not_equal(jnp.array([1.0, jnp.nan]), jnp.array([1.0, jnp.nan]))", [False, True], "bool"),
    ("jnp.logical_and(jnp.array([1, 0, 2]), jnp.array([True, True, False]))",
     [True, False, False], "bool"),
    ("jnp.logical_or(jnp.array([0.0, 0.5]), 0)", [False, True], "bool"),
    ("jnp.logical_xor(jnp.array([True, False]), True)", [False, True], "bool"),
    ("jnp.logical_not(jnp.array([0, 3]))", [True, False], "bool"),
    ("jnp.bitwise_and(jnp.array([12, 10]), 6)", [4, 2], "i32"),
    ("jnp.bitwise_or(jnp.array([12, 10], jnp.uint8), 1)", [13, 11], "u8"),
    ("jnp.bitwise_xor(jnp.array([12, 10]), jnp.array([5, 5]))", [9, 15], "i32"),
    ("jnp.invert(jnp.array([0, 5], jnp.int8))", [-1, -6], "i8"),
    ("jnp.array([True, False]) & jnp.array([True, True])", [True, False], "bool"),
    ("jnp.array([12, 10]) | 3", [15, 11], "i32"),
    ("~jnp.array([True, False])", [False, True], "bool"),
    ("jnp.isnan(jnp.array([1.0, jnp.nan]))", [False, True], "bool"),
    ("jnp.isfinite(jnp.array([1.0, jnp.inf, jnp.nan]))", [True, False, False], "bool"),
    ("jnp.add(jnp.array([True, False]), jnp.array([True, True]))", [True, True], "bool"),
    ("jnp.multiply(jnp.array([True, False]), jnp.array([True, True]))", [True, False], "bool"),
    ("jnp.add(jnp.array([True, False]), 1)", [2, 1], "i32*"),
    ("jnp.float_power(jnp.array([2, 3]), 2)", [4.0, 9.0], "f32"),
    ("-jnp.array([1.0, 2.0])", [-1.0, -2.0], "f32"),
    ("+jnp.array([1, 2])", [1, 2], "i32"),
    ("abs(jnp.array([-1, 2]))", [1, 2], "i32"),
    ("2 - jnp.array([1.0, 2.0])", [1.0, 0.0], "f32"),
    ("2 ** jnp.array([1.0, 2.0])", [2.0, 4.0], "f32"),
    ("jnp.array([3.0]) @ jnp.array([2.0])", 6.0, "f32"),
]

# reductions: axis, keepdims, the dtype of integer sums, weak inputs give strong results
REDUCTIONS = [
    ("jnp.sum(jnp.arange(24.0).reshape(2, 3, 4))", 276.0, "f32"),
    ("jnp.sum(jnp.arange(24.0).reshape(2, 3, 4), axis=1)",
     [[12.0, 15.0, 18.0, 21.0], [48.0, 51.0, 54.0, 57.0]], "f32"),
    ("jnp.sum(jnp.arange(24.0).reshape(2, 3, 4), axis=(0, 2), keepdims=True)",
     [[[60.0], [92.0], [124.0]]], "f32"),
    ("jnp.sum(jnp.arange(24.0).reshape(2, 3, 4), axis=-1)",
     [[6.0, 22.0, 38.0], [54.0, 70.0, 86.0]], "f32"),
    ("jnp.sum(jnp.arange(6, dtype=jnp.int8).reshape(2, 3), axis=0)", [3, 5, 7], "i32"),
    ("jnp.sum(jnp.array([True, True, False]))", 2, "i32"),
    ("jnp.sum(jnp.array([200, 100], jnp.uint8))", 300, "u32"),
    ("jnp.sum(jnp.arange(6).reshape(2, 3), dtype=jnp.float32)", 15.0, "f32"),
    ("jnp.sum(jnp.ones((2, 0)), axis=1)", [0.0, 0.0], "f32"),
    ("jnp.sum(jnp.ones((2, 3)), axis=())", [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], "f32"),
    ("jnp.arange(6.0).reshape(2, 3).sum(axis=0)", [3.0, 5.0, 7.0], "f32"),
    ("jnp.mean(jnp.arange(24.0).reshape(2, 3, 4), axis=(0, 1))", [10.0, 11.0, 12.0, 13.0], "f32"),
    ("jnp.mean(jnp.arange(6).reshape(2, 3), axis=1, keepdims=True)", [[1.0], [4.0]], "f32"),
    ("jnp.mean(jnp.array([True, False, True, True]))", 0.75, "f32"),
    ("jnp.max(jnp.array([[1.0, 5.0], [3.0, -2.0]]), axis=0)", [3.0, 5.0], "f32"),
    ("jnp.max(jnp.array([[1, 5], [3, -2]], jnp.int8))", 5, "i8"),
    ("jnp.min(jnp.array([[1.0, 5.0], [3.0, -2.0]]), axis=1, keepdims=True)",
     [[1.0], [-2.0]], "f32"),
    ("jnp.amax(jnp.array([1.0, jnp.nan, 3.0]))", nan, "f32"),
    ("jnp.max(jnp.array([True, False]))", True, "bool"),
    ("jnp.prod(jnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=1)", [2.0, 12.0], "f32"),
    ("jnp.prod(jnp.array([2, 3, 4], jnp.int16))", 24, "i32"),
    ("jnp.argmax(jnp.array([[1.0, 5.0, 5.0], [7.0, -2.0, 7.0]]), axis=1)", [1, 0], "i32"),
    ("jnp.argmax(jnp.array([[1.0, 5.0, 5.0], [7.0, -2.0, 7.0]]))", 3, "i32"),
    ("jnp.argmin(jnp.array([[1.0, 5.0, 5.0], [7.0, -2.0, 7.0]]), axis=0)", [0, 1, 0], "i32"),
    ("jnp.argmax(jnp.array([[1.0, 5.0], [7.0, -2.0]]), axis=1, keepdims=True)", [[1], [0]], "i32"),
    ("jnp.argmax(jnp.array([1, 3, 3], jnp.uint8))", 1, "i32"),
    ("jnp.argmin(jnp.array([1.0, jnp.nan, -1.0]))", 1, "i32"),
    ("jnp.any(jnp.array([[0, 1], [0, 0]]), axis=1)", [True, False], "bool"),
    ("jnp.all(jnp.array([[0.5, 1.0], [0.0, 2.0]]), axis=1)", [True, False], "bool"),
    ("jnp.any(jnp.array([False, False]))", False, "bool"),
    ("jnp.all(jnp.ones((2, 3)), keepdims=True)", [[True]], "bool"),
    ("jnp.var(jnp.array([[1.0, 2.0, 4.0], [3.0, 3.0, 9.0]]), axis=1)", [1.5555555, 8.0], "f32"),
    ("jnp.var(jnp.array([1.0, 2.0, 4.0, 7.0]), ddof=1)", 7.0, "f32"),
    ("jnp.std(jnp.array([[1.0, 2.0, 4.0], [3.0, 3.0, 9.0]]), axis=0, keepdims=True)",
     [[1.0, 0.5, 2.5]], "f32"),
    ("jnp.var(jnp.array([1, 2, 4]))", 1.5555555, "f32"),
    ("jnp.std(jnp.array([1, 2, 4], jnp.int8))", 1.2472191, "f32"),
    ("jnp.sum(2.0)", 2.0, "f32"),
    ("jnp.max(jnp.full(3, 2.0))", 2.0, "f32"),
    ("jnp.mean(jnp.array([1.0, 2.0], jnp.float16))", 1.5, "f16"),
    ("jnp.sum(jnp.array([1.0, 2.0], jnp.float16))", 3.0, "f16"),
]

# creation: array, asarray, zeros, ones, full, *_like, arange, linspace, eye, scalar types
CREATION = [
    ("jnp.array([[1, 2], [3, 4]])", [[1, 2], [3, 4]], "i32"),
    ("jnp.array([1, 2.5])", [1.0, 2.5], "f32"),
    ("jnp.array([True, 2])", [1, 2], "i32"),
    ("jnp.array(np.array([1.0, 2.0]))", [1.0, 2.0], "f32"),
    ("jnp.array([1, 2], dtype=jnp.float16)", [1.0, 2.0], "f16"),
    ("jnp.array((1.0, (2.0)))", [1.0, 2.0], "f32"),
    ("jnp.asarray([1, 2], dtype=jnp.uint8)", [1, 2], "u8"),
    ("jnp.asarray(np.int16(3))", 3, "i16"),
    ("jnp.asarray(jnp.ones(2), dtype=jnp.int32)", [1, 1], "i32"),
    ("jnp.array([jnp.array(1.0), jnp.array(2.0)])", [1.0, 2.0], "f32"),
    ("jnp.zeros((2, 3))", [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], "f32"),
    ("jnp.zeros(3, dtype=jnp.int8)", [0, 0, 0], "i8"),
    ("jnp.zeros((), jnp.bool_)", False, "bool"),
    ("jnp.ones([2])", [1.0, 1.0], "f32"),
    ("jnp.ones((2, 2), int)", [[1, 1], [1, 1]], "i32"),
    ("jnp.ones(2, float)", [1.0, 1.0], "f32"),
    ("jnp.full((2, 2), 7)", [[7, 7], [7, 7]], "i32*"),
    ("jnp.full((2,), 7.5, dtype=jnp.int32)", [7, 7], "i32"),
    ("jnp.full(3, jnp.array(1.5))", [1.5, 1.5, 1.5], "f32*"),
    ("jnp.full((2, 3), jnp.array([1.0, 2.0, 3.0]))", [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]], "f32"),
    ("jnp.full((2,), True)", [True, True], "bool"),
    ("jnp.zeros_like(jnp.ones((2, 3), jnp.int8))", [[0, 0, 0], [0, 0, 0]], "i8"),
    ("jnp.ones_like(jnp.array([1.0, 2.0]), dtype=jnp.int32)", [1, 1], "i32"),
    ("jnp.full_like(jnp.array([1, 2]), 3.7)", [3, 3], "i32"),
    ("jnp.full_like(jnp.array([1.0, 2.0]), 3)", [3.0, 3.0], "f32"),
    ("jnp.ones_like(np.zeros((2,), np.float64))", [1.0, 1.0], "f32"),
    ("jnp.zeros_like(3)", 0, "i32*"),
    ("jnp.zeros_like(3.0)", 0.0, "f32*"),
    ("jnp.arange(5)", [0, 1, 2, 3, 4], "i32"),
    ("jnp.arange(2, 8)", [2, 3, 4, 5, 6, 7], "i32"),
    ("jnp.arange(1, 10, 3)", [1, 4, 7], "i32"),
    ("jnp.arange(5.0)", [0.0, 1.0, 2.0, 3.0, 4.0], "f32"),
    ("jnp.arange(0, 1, 0.25)", [0.0, 0.25, 0.5, 0.75], "f32"),
    ("jnp.arange(5, 0, -2)", [5, 3, 1], "i32"),
    ("jnp.arange(3, dtype=jnp.float32)", [0.0, 1.0, 2.0], "f32"),
    ("jnp.arange(0)", [], "i32"),
    ("jnp.arange(-3)", [], "i32"),
    ("jnp.linspace(0, 1, 5)", [0.0, 0.25, 0.5, 0.75, 1.0], "f32"),
    ("jnp.linspace(0, 1, 4, endpoint=False)", [0.0, 0.25, 0.5, 0.75], "f32"),
    ("jnp.linspace(2.0, 3.0, 3, dtype=jnp.int32)", [2, 2, 3], "i32"),
    ("jnp.linspace(0, 10, 1)", [0.0], "f32"),
    ("jnp.linspace(-1, 1, 0)", [], "f32"),
    ("jnp.linspace(0, 1, 3, retstep=True)[1]", 0.5, "f32"),
    ("jnp.eye(3)", [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], "f32"),
    ("jnp.eye(2, 3, k=1)", [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], "f32"),
    ("jnp.eye(3, k=-1, dtype=jnp.int32)", [[0, 0, 0], [1, 0, 0], [0, 1, 0]], "i32"),
    ("jnp.identity(2, jnp.bool_)", [[True, False], [False, True]], "bool"),
    ("jnp.float32(3)", 3.0, "f32"),
    ("jnp.int8(3.7)", 3, "i8"),
    ("jnp.uint8(3)", 3, "u8"),
    ("jnp.bool_(2)", True, "bool"),
]

# shape manipulation, where and broadcasting
SHAPES = [
    ("jnp.reshape(jnp.arange(6), (3, -1))", [[0, 1], [2, 3], [4, 5]], "i32"),
    ("jnp.reshape(jnp.arange(6), -1)", [0, 1, 2, 3, 4, 5], "i32"),
    ("jnp.arange(6).reshape(2, 3)", [[0, 1, 2], [3, 4, 5]], "i32"),
    ("jnp.arange(6).reshape((1, -1, 2))", [[[0, 1], [2, 3], [4, 5]]], "i32"),
    ("jnp.ravel(jnp.arange(6).reshape(2, 3))", [0, 1, 2, 3, 4, 5], "i32"),
    ("jnp.transpose(jnp.arange(24).reshape(2, 3, 4)).shape", (4, 3, 2), None),
    ("jnp.transpose(jnp.arange(24).reshape(2, 3, 4), (1, 0, 2))",
     [[[0, 1, 2, 3], [12, 13, 14, 15]], [[4, 5, 6, 7], [16, 17, 18, 19]],
      [[8, 9, 10, 11], [20, 21, 22, 23]]], "i32"),
    ("jnp.arange(24).reshape(2, 3, 4).transpose(2, 0, 1).shape", (4, 2, 3), None),
    ("jnp.arange(6).reshape(2, 3).T", [[0, 3], [1, 4], [2, 5]], "i32"),
    ("jnp.swapaxes(jnp.arange(24).reshape(2, 3, 4), 0, -1).shape", (4, 3, 2), None),
    ("jnp.moveaxis(jnp.arange(24).reshape(2, 3, 4), 0, -1).shape", (3, 4, 2), None),
    ("jnp.moveaxis(jnp.arange(24).reshape(2, 3, 4), (0, 1), (2, 0)).shape", (3, 4, 2), None),
    ("jnp.moveaxis(jnp.arange(24).reshape(2, 3, 4), -1, 0)",
     [[[0, 4, 8], [12, 16, 20]], [[1, 5, 9], [13, 17, 21]], [[2, 6, 10], [14, 18, 22]],
      [[3, 7, 11], [15, 19, 23]]], "i32"),
    ("jnp.squeeze(jnp.ones((1, 3, 1))).shape", (3,), None),
    ("jnp.squeeze(jnp.ones((1, 3, 1)), axis=-1).shape", (1, 3), None),
    ("jnp.squeeze(jnp.ones((1, 3, 1)), axis=(0, 2)).shape", (3,), None),
    ("jnp.expand_dims(jnp.ones((2, 3)), 1).shape", (2, 1, 3), None),
    ("jnp.expand_dims(jnp.ones((2, 3)), -1).shape", (2, 3, 1), None),
    ("jnp.expand_dims(jnp.ones((2, 3)), (0, 3)).shape", (1, 2, 3, 1), None),
    ("jnp.concatenate([jnp.ones((2, 2)), jnp.zeros((1, 2))])",
     [[1.0, 1.0], [1.0, 1.0], [0.0, 0.0]], "f32"),
    ("jnp.concatenate([jnp.ones((2, 2), jnp.int32), jnp.zeros((2, 1))], axis=1)",
     [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0]], "f32"),
    ("jnp.concatenate([jnp.ones((2, 2)), jnp.zeros((1, 2))], axis=None)",
     [1.0, 1.0, 1.0, 1.0, 0.0, 0.0], "f32"),
    ("jnp.concatenate((jnp.array([1, 2]), jnp.array([3], jnp.uint8)))", [1, 2, 3], "i32"),
    ("jnp.stack([jnp.array([1, 2]), jnp.array([3, 4])])", [[1, 2], [3, 4]], "i32"),
    ("jnp.stack([jnp.array([1, 2]), jnp.array([3, 4])], axis=1)", [[1, 3], [2, 4]], "i32"),
    ("jnp.stack([jnp.array([1, 2]), jnp.array([3.0, 4.0])], axis=-1)",
     [[1.0, 3.0], [2.0, 4.0]], "f32"),
    ("jnp.hstack([jnp.array([1, 2]), jnp.array([3])])", [1, 2, 3], "i32"),
    ("jnp.vstack([jnp.array([1, 2]), jnp.array([3, 4])])", [[1, 2], [3, 4]], "i32"),
    ("jnp.broadcast_to(jnp.array([1, 2, 3]), (2, 3))", [[1, 2, 3], [1, 2, 3]], "i32"),
    ("jnp.broadcast_to(jnp.array([[1], [2]]), (2, 3))", [[1, 1, 1], [2, 2, 2]], "i32"),
    ("jnp.broadcast_to(5.0, (2,))", [5.0, 5.0], "f32*"),
    ("jnp.where(jnp.array([True, False, True]), jnp.array([1, 2, 3]), jnp.array([10, 20, 30]))",
     [1, 20, 3], "i32"),
    ("jnp.where(jnp.array([1, 0, 2]), 1.0, jnp.array([5, 6, 7]))", [1.0, 6.0, 1.0], "f32*"),
    ("jnp.where(jnp.array([[True], [False]]), jnp.array([1.0, 2.0]), 0)",
     [[1.0, 2.0], [0.0, 0.0]], "f32"),
    ("jnp.where(True, jnp.array([1, 2], jnp.int8), 2.5)", [1.0, 2.0], "f32*"),
    ("jnp.where(jnp.array([0.5, 0.0]), 1, 2)", [1, 2], "i32*"),
    ("jnp.shape(jnp.ones((2, 3)))", (2, 3), None),
    ("jnp.ndim(jnp.ones((2, 3)))", 2, None),
    ("jnp.size(jnp.ones((2, 3)))", 6, None),
    ("jnp.ones((2, 3)) + jnp.ones((3,))", [[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]], "f32"),
    ("jnp.ones((2, 1)) * jnp.arange(3.0)", [[0.0, 1.0, 2.0], [0.0, 1.0, 2.0]], "f32"),
    ("jnp.ones((2, 1, 3)) - jnp.arange(2.0).reshape(2, 1)",
     [[[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]], [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]], "f32"),
]

# dot, matmul (1-D, 2-D, batched broadcasting), vdot, inner, outer, tensordot
PRODUCTS = [
    ("jnp.dot(jnp.array([1.0, 2.0, 3.0]), jnp.array([4.0, 5.0, 6.0]))", 32.0, "f32"),
    ("jnp.dot(jnp.arange(6.0).reshape(2, 3), jnp.arange(3.0))", [5.0, 14.0], "f32"),
    ("jnp.dot(jnp.arange(3.0), jnp.arange(6.0).reshape(3, 2))", [10.0, 13.0], "f32"),
    ("jnp.dot(jnp.arange(6.0).reshape(2, 3), jnp.arange(12.0).reshape(3, 4))",
     [[20.0, 23.0, 26.0, 29.0], [56.0, 68.0, 80.0, 92.0]], "f32"),
    ("jnp.dot(jnp.arange(24.0).reshape(2, 3, 4), jnp.arange(20.0).reshape(5, 4, 1)).shape",
     (2, 3, 5, 1), None),
    ("jnp.dot(2.0, jnp.arange(3.0))", [0.0, 2.0, 4.0], "f32"),
    ("jnp.dot(jnp.arange(3), jnp.arange(3))", 5, "i32"),
    ("jnp.dot(jnp.arange(3), jnp.arange(3.0))", 5.0, "f32"),
    ("jnp.dot(jnp.arange(3, dtype=jnp.int8), jnp.arange(3, dtype=jnp.int8))", 5, "i8"),
    ("jnp.matmul(jnp.arange(6.0).reshape(2, 3), jnp.arange(12.0).reshape(3, 4))",
     [[20.0, 23.0, 26.0, 29.0], [56.0, 68.0, 80.0, 92.0]], "f32"),
    ("jnp.matmul(jnp.arange(3.0), jnp.arange(6.0).reshape(3, 2))", [10.0, 13.0], "f32"),
    ("jnp.matmul(jnp.arange(6.0).reshape(2, 3), jnp.arange(3.0))", [5.0, 14.0], "f32"),
    ("jnp.matmul(jnp.arange(3.0), jnp.arange(3.0))", 5.0, "f32"),
    ("jnp.matmul(jnp.arange(24.0).reshape(2, 3, 4), jnp.arange(8.0).reshape(4, 2))",
     [[[28.0, 34.0], [76.0, 98.0], [124.0, 162.0]],
      [[172.0, 226.0], [220.0, 290.0], [268.0, 354.0]]], "f32"),
    ("jnp.matmul(jnp.arange(24.0).reshape(2, 1, 3, 4), jnp.arange(40.0).reshape(5, 4, 2)).shape",
     (2, 5, 3, 2), None),
    ("(jnp.arange(24.0).reshape(2, 3, 4) @ jnp.arange(4.0))",
     [[14.0, 38.0, 62.0], [86.0, 110.0, 134.0]], "f32"),
    ("(jnp.arange(3.0) @ jnp.arange(24.0).reshape(2, 3, 4))",
     [[20.0, 23.0, 26.0, 29.0], [56.0, 59.0, 62.0, 65.0]], "f32"),
    ("jnp.vdot(jnp.arange(4.0).reshape(2, 2), jnp.arange(4.0).reshape(2, 2))", 14.0, "f32"),
    ("jnp.inner(jnp.arange(6.0).reshape(2, 3), jnp.arange(6.0).reshape(2, 3))",
     [[5.0, 14.0], [14.0, 50.0]], "f32"),
    ("jnp.outer(jnp.arange(3.0), jnp.arange(2.0))", [[0.0, 0.0], [0.0, 1.0], [0.0, 2.0]], "f32"),
    ("jnp.tensordot(jnp.arange(24.0).reshape(2, 3, 4), jnp.arange(12.0).reshape(3, 4), axes=2)",
     [506.0, 1298.0], "f32"),
    ("jnp.tensordot(jnp.arange(6.0).reshape(2, 3), jnp.arange(6.0).reshape(3, 2), axes=([1], [0]))",
     [[10.0, 13.0], [28.0, 40.0]], "f32"),
    ("jnp.matmul(jnp.ones((2, 3), jnp.int32), jnp.ones((3,), jnp.float16))", [3.0, 3.0], "f16"),
]

# basic indexing: integers, slices (negative steps, out of range), None, Ellipsis
INDEXING = [
    ("jnp.arange(24).reshape(2, 3, 4)[1]",
     [[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]], "i32"),
    ("jnp.arange(24).reshape(2, 3, 4)[-1, 0]", [12, 13, 14, 15], "i32"),
    ("jnp.arange(24).reshape(2, 3, 4)[:, 1:3]",
     [[[4, 5, 6, 7], [8, 9, 10, 11]], [[16, 17, 18, 19], [20, 21, 22, 23]]], "i32"),
    ("jnp.arange(24).reshape(2, 3, 4)[..., ::-1]",
     [[[3, 2, 1, 0], [7, 6, 5, 4], [11, 10, 9, 8]],
      [[15, 14, 13, 12], [19, 18, 17, 16], [23, 22, 21, 20]]], "i32"),
    ("jnp.arange(24).reshape(2, 3, 4)[:, ::-2, 1]", [[9, 1], [21, 13]], "i32"),
    ("jnp.arange(24).reshape(2, 3, 4)[None, 0, ..., None].shape", (1, 3, 4, 1), None),
    ("jnp.arange(24).reshape(2, 3, 4)[0, 1, 2]", 6, "i32"),
    ("jnp.arange(10)[2:8:3]", [2, 5], "i32"),
    ("jnp.arange(10)[8:2:-3]", [8, 5], "i32"),
    ("jnp.arange(10)[-3:]", [7, 8, 9], "i32"),
    ("jnp.arange(10)[5:2]", [], "i32"),
    ("jnp.arange(10)[100:]", [], "i32"),
    ("jnp.arange(10)[-100:3]", [0, 1, 2], "i32"),
    ("jnp.arange(10)[jnp.array(3)]", 3, "i32"),
    ("jnp.arange(10)[np.int64(4)]", 4, "i32"),
    ("jnp.arange(10.0)[...]", [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0], "f32"),
    ("jnp.array(5.0)[()]", 5.0, "f32*"),
    ("jnp.array(5.0)[None]", [5.0], "f32*"),
]

# the same with x64 enabled
X64 = [
    ("jnp.array([1.5, 2.5])", [1.5, 2.5], "f64"),
    ("jnp.array(1.5)", 1.5, "f64*"),
    ("jnp.arange(3)", [0, 1, 2], "i64"),
    ("jnp.arange(0.0, 1.0, 0.5)", [0.0, 0.5], "f64"),
    ("jnp.linspace(0, 1, 3)", [0.0, 0.5, 1.0], "f64"),
    ("jnp.zeros(2)", [0.0, 0.0], "f64"),
    ("jnp.eye(2)", [[1.0, 0.0], [0.0, 1.0]], "f64"),
    ("jnp.full(2, 3)", [3, 3], "i64*"),
    ("jnp.sum(jnp.array([1, 2], jnp.int32))", 3, "i64"),
    ("jnp.sum(jnp.array([1, 2], jnp.uint8))", 3, "u64"),
    ("jnp.sum(jnp.array([True, True]))", 2, "i64"),
    ("jnp.mean(jnp.array([1, 2], jnp.int32))", 1.5, "f32"),
    ("jnp.mean(jnp.array([1, 2]))", 1.5, "f64"),
    ("jnp.argmax(jnp.array([1.0, 3.0]))", 1, "i64"),
    ("jnp.array([1, 2]) / 2", [0.5, 1.0], "f64"),
    ("jnp.array([1, 2], jnp.int32) / 2", [0.5, 1.0], "f32"),
    ("jnp.sin(jnp.array([1, 2], jnp.int32))", [0.841471, 0.9092974], "f32"),
    ("jnp.sin(jnp.array([1, 2]))", [0.841471, 0.9092974], "f64"),
    ("jnp.sin(1)", 0.841471, "f64*"),
    ("jnp.ones(2, jnp.float32) * 2.5", [2.5, 2.5], "f32"),
    ("jnp.ones(2, jnp.float32) * np.float64(2.5)", [2.5, 2.5], "f64"),
    ("jnp.ones(2, jnp.int32) + 2**40", [1, 1], "i32"),
    ("jnp.ones(2, jnp.int32) * jnp.ones(2, jnp.uint32)", [1, 1], "i64"),
    ("jnp.dot(jnp.ones(2), jnp.ones(2, jnp.float32))", 2.0, "f64"),
    ("jnp.var(jnp.array([1, 2, 4]))", 1.5555556, "f64"),
    ("jnp.array([7, -7]) // 2", [3, -4], "i64"),
    ("jnp.power(jnp.array([2, 3]), jnp.array([3, 2]))", [8, 9], "i64"),
]


@rows(UFUNCS)
def test_ufuncs(expression, expected, spec):
    check(expression, expected, spec)


@rows(REDUCTIONS)
def test_reductions(expression, expected, spec):
    check(expression, expected, spec)


@rows(CREATION)
def test_creation(expression, expected, spec):
    check(expression, expected, spec)


@rows(SHAPES)
def test_shapes(expression, expected, spec):
    check(expression, expected, spec)


@rows(PRODUCTS)
def test_products(expression, expected, spec):
    check(expression, expected, spec)


@rows(INDEXING)
def test_indexing(expression, expected, spec):
    check(expression, expected, spec)


@rows(X64)
def test_with_x64(expression, expected, spec):
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores it
    check(expression, expected, spec)
