"""The elementwise functions of issue 14, table-driven: values against NumPy on several
shapes and dtypes, jit bit for bit against eager, vmap against a loop, and check_grads
in float64 for the differentiable ones."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.test_util import check_grads

SHAPES = [(), (5,), (2, 3)]


def normal(rng, shape, dtype):
    return rng.standard_normal(shape).astype(dtype)


def between(lo, hi):
    return lambda rng, shape, dtype: rng.uniform(lo, hi, shape).astype(dtype)


def away_from_integers(rng, shape, dtype):  # for rounding functions, away from their jumps
    return (rng.integers(-5, 5, shape) + rng.uniform(0.1, 0.4, shape)
            * rng.choice([-1, 1], shape)).astype(dtype)


def small_ints(rng, shape, dtype):
    return rng.integers(-20, 20, shape).astype(dtype)


def positive_ints(rng, shape, dtype):
    return rng.integers(1, 9, shape).astype(dtype)


def shifts(rng, shape, dtype):
    return rng.integers(0, 6, shape).astype(dtype)


# name, NumPy's function, operand generators, float order of derivatives (0: none)
UNARY = [
    ("exp2", np.exp2, normal, 2), ("log2", np.log2, between(0.5, 3), 2),
    ("log10", np.log10, between(0.5, 3), 2), ("square", np.square, normal, 2),
    ("cbrt", np.cbrt, between(0.3, 3), 2), ("reciprocal", np.reciprocal, between(0.5, 3), 2),
    ("arcsin", np.arcsin, between(-0.8, 0.8), 2), ("arccos", np.arccos, between(-0.8, 0.8), 2),
    ("arctan", np.arctan, normal, 2), ("sinh", np.sinh, normal, 2), ("cosh", np.cosh, normal, 2),
    ("arcsinh", np.arcsinh, normal, 2), ("arccosh", np.arccosh, between(1.2, 3), 2),
    ("arctanh", np.arctanh, between(-0.8, 0.8), 2), ("deg2rad", np.deg2rad, normal, 2),
    ("rad2deg", np.rad2deg, normal, 2), ("radians", np.radians, normal, 2),
    ("degrees", np.degrees, normal, 2), ("trunc", np.trunc, away_from_integers, 1),
    ("rint", np.rint, away_from_integers, 1), ("fix", np.fix, away_from_integers, 1),
    ("sinc", np.sinc, normal, 2), ("isfinite", np.isfinite, normal, 0),
    ("isnan", np.isnan, normal, 0), ("isinf", np.isinf, normal, 0),
    ("signbit", np.signbit, normal, 0), ("nan_to_num", np.nan_to_num, normal, 1),
    ("logical_not", np.logical_not, small_ints, 0),
]
BINARY = [
    ("power", np.power, (between(0.5, 2), normal), 2),
    ("float_power", np.float_power, (between(0.5, 2), normal), 2),
    ("hypot", np.hypot, (normal, normal), 2), ("arctan2", np.arctan2, (normal, normal), 2),
    ("floor_divide", np.floor_divide, (normal, between(0.5, 2)), 0),
    ("remainder", np.remainder, (between(-3, 3), between(0.7, 0.9)), 1),
    ("mod", np.mod, (between(-3, 3), between(-0.9, -0.7)), 1),
    ("fmod", np.fmod, (between(-3, 3), between(0.7, 0.9)), 2),
    ("copysign", np.copysign, (normal, normal), 1),
    ("logaddexp", np.logaddexp, (normal, normal), 2),
    ("logaddexp2", np.logaddexp2, (normal, normal), 2),
    ("heaviside", np.heaviside, (normal, normal), 1),
    ("logical_and", np.logical_and, (small_ints, small_ints), 0),
    ("logical_or", np.logical_or, (small_ints, small_ints), 0),
    ("logical_xor", np.logical_xor, (small_ints, small_ints), 0),
]
INTEGER_BINARY = [
    ("floor_divide", np.floor_divide, (small_ints, positive_ints)),
    ("remainder", np.remainder, (small_ints, positive_ints)),
    ("fmod", np.fmod, (small_ints, positive_ints)), ("power", np.power, (small_ints, shifts)),
    ("gcd", np.gcd, (small_ints, small_ints)), ("lcm", np.lcm, (small_ints, small_ints)),
    ("bitwise_and", np.bitwise_and, (small_ints, small_ints)),
    ("bitwise_or", np.bitwise_or, (small_ints, small_ints)),
    ("bitwise_xor", np.bitwise_xor, (small_ints, small_ints)),
    ("left_shift", np.left_shift, (small_ints, shifts)),
    ("right_shift", np.right_shift, (small_ints, shifts)),
]
INTEGER_UNARY = [("invert", np.invert), ("bitwise_not", np.bitwise_not), ("square", np.square),
                 ("trunc", np.trunc), ("isfinite", np.isfinite), ("isinf", np.isinf),
                 ("signbit", np.signbit), ("abs", np.abs), ("sign", np.sign)]


def _operands(gens, shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    return [g(rng, shape, dtype) for g in gens]


def _assert_value(out, expected, rtol):
    expected = np.asarray(expected)
    assert out.shape == expected.shape
    if expected.dtype.kind in "biu":
        assert out.dtype == expected.dtype, (out.dtype, expected.dtype)
        np.testing.assert_array_equal(np.asarray(out), expected)
    else:
        np.testing.assert_allclose(np.asarray(out, np.float64), expected, rtol=rtol, atol=rtol)


def _check_transforms(fn, args):
    """jit equals eager bit for bit, and vmap over the leading axis equals a loop."""
    eager = fn(*args)
    np.testing.assert_array_equal(np.asarray(jaxlite.jit(fn)(*args)), np.asarray(eager))
    if np.ndim(args[0]) >= 1:
        batched = jaxlite.vmap(fn)(*args)
        looped = np.stack([np.asarray(fn(*(a[i] for a in args)))
                           for i in range(args[0].shape[0])])
        np.testing.assert_allclose(np.asarray(batched), looped, rtol=1e-6)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name,np_fn,gen,order", UNARY, ids=[r[0] for r in UNARY])
def test_unary_float(name, np_fn, gen, order, shape):
    (x,) = _operands([gen], shape, np.float32)
    fn = getattr(jnp, name)
    _assert_value(fn(x), np_fn(x), 2e-6)
    _check_transforms(fn, [x])


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name,np_fn,gens,order", BINARY, ids=[r[0] for r in BINARY])
def test_binary_float(name, np_fn, gens, order, shape):
    x, y = _operands(gens, shape, np.float32)
    fn = getattr(jnp, name)
    _assert_value(fn(x, y), np_fn(x, y), 2e-6)
    _check_transforms(fn, [x, y])
    y1 = y[..., :1] if shape else y
    _assert_value(fn(x, y1), np_fn(x, y1), 2e-6)  # broadcasting


@pytest.mark.parametrize("name,np_fn,gens", INTEGER_BINARY, ids=[r[0] for r in INTEGER_BINARY])
def test_binary_int(name, np_fn, gens):
    x, y = _operands(gens, (4, 3), np.int32)
    fn = getattr(jnp, name)
    _assert_value(fn(x, y), np_fn(x, y), 0)
    _check_transforms(fn, [x, y])


@pytest.mark.parametrize("name,np_fn", INTEGER_UNARY, ids=[r[0] for r in INTEGER_UNARY])
def test_unary_int(name, np_fn):
    (x,) = _operands([small_ints], (4, 3), np.int32)
    fn = getattr(jnp, name)
    expected = np_fn(x)
    if name == "trunc":
        expected = expected.astype(np.int32)  # JAX keeps integers as they are
    _assert_value(fn(x), expected, 0)


GRADS = [(n, (g,), o) for n, _, g, o in UNARY if o] + [(n, g, o) for n, _, g, o in BINARY if o]


@pytest.mark.parametrize("name,gens,order", GRADS, ids=[r[0] for r in GRADS])
def test_grads(name, gens, order):
    jaxlite.config.update("jax_enable_x64", True)
    args = _operands(gens, (3,), np.float64, seed=1)
    check_grads(getattr(jnp, name), [jnp.asarray(a) for a in args], order=order)


def test_special_values():
    inf, nan = np.inf, np.nan
    x = np.array([inf, -inf, nan, 0.0, -0.0, 1e30], np.float32)
    for name in ("isinf", "isnan", "isfinite", "signbit", "nan_to_num", "trunc", "rint", "sinc",
                 "cbrt", "arctan"):
        _assert_value(getattr(jnp, name)(x), getattr(np, name)(x), 1e-6)
    for name in ("hypot", "logaddexp", "logaddexp2", "copysign", "arctan2", "heaviside"):
        y = x[::-1].copy()
        with np.errstate(all="ignore"):
            _assert_value(getattr(jnp, name)(x, y), getattr(np, name)(x, y), 1e-6)
    _assert_value(jnp.nan_to_num(x, nan=1.0, posinf=2.0, neginf=-2.0),
                  np.nan_to_num(x, nan=1.0, posinf=2.0, neginf=-2.0), 0)
    # logaddexp keeps tiny differences that log(exp + exp) loses
    _assert_value(jnp.logaddexp(np.float32(0), np.float32(-30)),
                  np.logaddexp(np.float32(0), np.float32(-30)), 1e-6)


def test_grad_values_at_special_points():
    assert float(jaxlite.grad(jnp.sinc)(0.0)) == 0.0
    assert float(jaxlite.grad(jnp.logaddexp)(1.0, 1.0)) == 0.5
    np.testing.assert_allclose(float(jaxlite.grad(jnp.hypot)(3.0, 4.0)), 0.6, rtol=1e-6)


def test_divmod_and_clip():
    x, y = np.array([-7, 7, 5]), np.array([3, -2, 5])
    q, r = jnp.divmod(x, y)
    _assert_value(q, np.divmod(x, y)[0].astype(np.int32), 0)
    _assert_value(r, np.divmod(x, y)[1].astype(np.int32), 0)
    f = np.linspace(-2, 2, 7).astype(np.float32)
    _assert_value(jnp.clip(f, -1, 1), np.clip(f, -1, 1), 0)
    _assert_value(jnp.clip(f, min=0.5), np.clip(f, 0.5, None), 0)
    _assert_value(jnp.clip(f, max=0.5), np.clip(f, None, 0.5), 0)
    _assert_value(jnp.clip(a=f, a_min=0.0, a_max=1.0), np.clip(f, 0, 1), 0)


def test_dtypes_follow_jax():
    assert jnp.arctan2(1, 2).dtype == np.float32
    assert jnp.gcd(np.int16(4), np.int16(6)).dtype == np.int16
    assert jnp.rint(np.arange(3)).dtype == np.float32
    assert jnp.cbrt(np.float32(8)).dtype == np.float32
    assert jnp.right_shift(np.int32(-8), 1).dtype == np.int32


def test_integer_only_functions_reject_floats_and_the_library_still_works():
    with pytest.raises(jaxlite.errors.ShapeError, match="gcd.*integer"):
        jnp.gcd(1.5, 2.0)
    assert int(jnp.gcd(4, 6)) == 2
