"""Small programs covering every primitive through the public API.

For each program: ``eval_jaxpr(make_jaxpr(f))`` gives what ``f`` gives eagerly, the jaxpr
typechecks, and the outputs have the values and dtypes JAX 0.10 gives (``EXPECTED``,
computed once with JAX; ``*`` marks a weakly typed output). A meta-test checks that the
programs' jaxprs use every primitive jaxlite defines.
"""

import importlib
import pkgutil

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
import jaxlite.primitives
import jaxlite.scipy.linalg as sla
from jaxlite import custom_jvp, custom_vjp, grad, hessian, jit, jvp, lax, nn, random, vmap
from jaxlite.core import Primitive
from jaxlite.interpreters import eval_jaxpr
from jaxlite.scipy import special
from jaxlite.tree_util import tree_flatten

# ------------------------------------------------------------------ inputs

F3 = np.array([0.5, -1.25, 2.0], np.float32)
F23 = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -3.0]], np.float32)
F234 = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7 - 1.5
I5 = np.array([-7, -2, 0, 3, 8], np.int32)
POS = np.array([0.25, 1.0, 4.0], np.float32)

PROGRAMS = {}


def program(*args, x64=False, exact=True):
    """Register ``fun`` to be run on ``args`` (NumPy arrays are passed as ``jnp`` arrays,
    Python scalars as they are), with x64 enabled if asked. ``exact``: the traced program
    gives the eager results bit for bit."""

    def register(fun):
        PROGRAMS[fun.__name__] = (fun, args, x64, exact)
        return fun

    return register


# ------------------------------------------------------------------ elementwise


@program(2.0)
def polynomial_of_weak_scalar(x):
    x = jnp.asarray(x)  # a weakly typed f32[], as in JAX
    return x**2 + 3 * x + 5


@program(F3)
def trigonometry(x):
    return jnp.sin(x) * jnp.cos(x) + jnp.tan(x / 4)


@program(F3)
def inverse_and_hyperbolic_trigonometry(x):
    y = x / 4
    return (jnp.arcsin(y) + jnp.arccos(y) * jnp.arctan(x), jnp.sinh(x) - jnp.cosh(x),
            jnp.arcsinh(x) + jnp.arccosh(1 + x * x) + jnp.arctanh(y), jnp.cbrt(x),
            jnp.arctan2(x, 1.5))


@program(F3, I5)
def remainders_shifts_and_gcd(x, i):
    return jnp.fmod(x, 0.75), jnp.fmod(i, 3), jnp.right_shift(i, 1), jnp.gcd(i, 6), jnp.lcm(i, 4)


@program(F23)
def cumulative_sums_and_products(x):
    return (jnp.cumsum(x, axis=1), jnp.cumprod(x), lax.cumsum(x, axis=0, reverse=True),
            lax.cumprod(x, axis=1, reverse=True))


@program(F3)
def exponentials(x):
    return jnp.tanh(x), jnp.exp(x) - jnp.expm1(x)


@program(POS)
def logarithms_and_roots(x):
    return jnp.log(x) + jnp.log1p(x), jnp.sqrt(x) * lax.rsqrt(x)


@program(F3)
def sigmoid_and_softplus(x):
    return nn.sigmoid(x), lax.logistic(x), nn.softplus(x)


@program(np.array([-1.5, -0.5, 0.0, 0.5, 2.5], np.float32))
def rounding(x):
    return jnp.sign(x), jnp.floor(x), jnp.ceil(x), jnp.round(x)


@program(np.array([-3, 0, 5], np.int8), F3)
def absolute_and_negative(i, x):
    return jnp.abs(i), -i, jnp.abs(x), jnp.negative(x)


@program(I5)
def int_float_promotion(i):
    return i * 2.5 + 1, i + 1, i / 2


@program(I5, np.array([2, -3, 4, -2, 3], np.int32))
def integer_division_signs(a, b):
    return a // b, a % b, jnp.true_divide(a, b)


@program(F3, np.array([3.0, 2.0, -1.0], np.float32))
def powers(x, y):
    return x**3, x**-2, jnp.abs(x) ** y, jnp.square(x)


@program(np.array([2, 3, -2], np.int32), np.array([3, 2, 5], np.int32))
def integer_power_with_array_exponent(a, b):
    return a**b


@program(F3, F3[::-1].copy())
def maximum_minimum_clip(x, y):
    return jnp.maximum(x, y), jnp.minimum(x, 0.0), jnp.clip(x, -1.0, 1.0)


@program(F3, np.array([0.5, 1.0, -2.0], np.float32))
def comparisons(x, y):
    return x == y, x != y, x < y, x <= y, x > y, x >= y


@program(np.array([True, False, True]), np.array([1, 0, 0], np.int32))
def logical_operations(b, i):
    return jnp.logical_and(b, i), jnp.logical_or(b, i), jnp.logical_xor(b, i), jnp.logical_not(i)


@program(np.array([12, -3, 7], np.int8))
def bitwise_operations(i):
    return i & 6, i | 1, i ^ 5, ~i


@program(np.array([True, False, True]), np.array([False, False, True]))
def boolean_arithmetic(a, b):
    return a + b, a * b, jnp.maximum(a, b)


@program(F3)
def where_with_weak_scalar(x):
    return jnp.where(x > 0, x, 0.0), jnp.where(x > 0, 1, 2)


@program(np.array([1.5, -2.5], np.float16))
def float16_stays_float16(h):
    return jnp.sin(h) * 2.0 + 1


# ------------------------------------------------------------------ reductions


@program(F234)
def sums(x):
    return jnp.sum(x), jnp.sum(x, axis=1), jnp.sum(x, axis=(0, 2), keepdims=True)


@program(np.array([[1, 2, 3], [4, 5, 6]], np.int32))
def mean_of_integers(i):
    return jnp.mean(i), jnp.mean(i, axis=0)


@program(F234)
def max_and_min(x):
    return jnp.max(x, axis=0), jnp.min(x, axis=-1, keepdims=True), jnp.amax(x)


@program(F23)
def products(x):
    return jnp.prod(x), jnp.prod(x, axis=1)


@program(F23)
def arg_reductions(x):
    return jnp.argmax(x), jnp.argmin(x, axis=1), jnp.argmax(x, axis=0, keepdims=True)


@program(np.array([[0, 1, 2], [0, 0, 3]], np.int32))
def any_and_all(i):
    return jnp.any(i), jnp.all(i, axis=1), jnp.any(i > 2, axis=0)


@program(F234)
def variance_and_std(x):
    return jnp.var(x, axis=2), jnp.std(x, ddof=1)


@program(F3, POS)
def complex_numbers(x, y):
    z = lax.complex(x, y)
    w = jnp.exp(z) * jnp.conj(z) + jnp.sqrt(z) / (z + 1j)
    g = grad(lambda z: jnp.sum(jnp.abs(jnp.sin(z / 4)) ** 2))(z)  # conj of df/dz-bar form
    h = grad(lambda z: jnp.sum(z**3).real)(z)
    return (jnp.real(w), jnp.imag(w), jnp.abs(z), jnp.angle(z), jnp.real(g), jnp.imag(g),
            jnp.imag(h), jnp.var(z), jnp.real(jnp.vdot(z, w)), jnp.imag(jnp.vdot(z, w)))


@program(np.array([200, 100, 7], np.uint8), np.array([True, True, False]))
def sums_of_narrow_types(u, b):
    return jnp.sum(u), jnp.sum(b), jnp.prod(u.astype(np.int8))


@program(np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], np.float32))
def softmax_and_logsumexp(x):
    return nn.softmax(x), nn.logsumexp(x, axis=1)


# ------------------------------------------------------------------ shapes


@program(F234)
def reshapes(x):
    return x.reshape(6, -1), jnp.ravel(x), jnp.reshape(x, (4, 3, 2))


@program(F234)
def transposes(x):
    return x.T, jnp.transpose(x, (1, 0, 2)), jnp.swapaxes(x, 0, 2), jnp.moveaxis(x, 0, -1)


@program(F23)
def squeeze_and_expand_dims(x):
    return jnp.squeeze(x[None, :, None]), jnp.expand_dims(x, (0, 3))


@program(F23, F3)
def concatenate_and_stack(x, v):
    return jnp.concatenate([x, v[None]]), jnp.stack([v, v * 2], axis=1), jnp.hstack([v, v])


@program(F3)
def broadcasting(v):
    return jnp.broadcast_to(v, (2, 3)), v[:, None] * v[None, :], v + jnp.ones((2, 3))


@program(F234)
def slicing_with_negative_steps(x):
    return x[1, ::-1], x[:, 2:0:-2, ::3], x[..., -1], x[None, 0]


@program(F3, 2.5)
def at_updates(v, s):
    return v.at[1].set(s), v.at[::2].add(1.0), v.at[-1].multiply(v[0]), v.at[:2].max(0.0)


@program(F23, np.array([1, -1, 0, 5], np.int32))
def advanced_indexing(x, i):
    return (x[:, i], x[i[:2], ::-1], x.at[1, i].min(0.0), x.at[i % 2, 0].add(1.0),
            jnp.take(x, i, axis=1), jnp.nonzero(x > 0, size=4)[1],
            lax.pad(x, np.float32(0), ((1, 0, 0), (0, 1, 1))))  # (at[] updates used pad)


@program(F3)
def creation_inside_a_trace(v):
    return v * jnp.arange(3), jnp.linspace(v[0], v[1], 4), jnp.zeros_like(v) + jnp.eye(3)


@program(F3)
def conversions(v):
    return (v.astype(jnp.int8), v.astype(bool), (v > 0).astype(jnp.float32),
            jnp.array(v, jnp.float16))


# ------------------------------------------------------------------ products


@program(F3, F23)
def dots(v, m):
    return jnp.dot(v, v), m @ v, jnp.dot(m.T, m[:, :2])


@program(F234, np.ones((4, 2), np.float32))
def batched_matmul(a, b):
    return a @ b, jnp.matmul(a[:, None], b[None, None]), jnp.outer(a[0, 0], b[:, 0])


# ------------------------------------------------------------------ transforms inside programs


@program(F3)
def gradient_of_sin_times_x(x):
    return grad(lambda y: jnp.sum(jnp.sin(y) * y))(x)


@program(1.5)
def second_derivative(x):
    return grad(grad(lambda y: y**3 * jnp.exp(y)))(x)


@program(F23)
def vmapped_dot(m):
    return vmap(lambda r: jnp.dot(r, r))(m)


@program(F3, np.ones(3, np.float32))
def jvp_of_tanh(x, t):
    return jvp(jnp.tanh, (x,), (t,))


@program(F3)
def hessian_diagonal(x):
    return hessian(lambda y: jnp.sum(y**3))(x)


@program(F3)
def stop_gradient_blocks(x):
    return grad(lambda y: jnp.sum(lax.stop_gradient(y) * y))(x)


@custom_jvp
def clipped_log(x):
    return jnp.log(jnp.maximum(x, 1e-6))


@clipped_log.defjvp
def _clipped_log_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return clipped_log(x), t / jnp.maximum(x, 1e-6)


@custom_vjp
def scaled_identity(x):
    return x


def _scaled_identity_fwd(x):
    return x, None


def _scaled_identity_bwd(residual, ct):
    return (ct * 3.0,)


scaled_identity.defvjp(_scaled_identity_fwd, _scaled_identity_bwd)


@program(POS)
def custom_rules(x):
    value = clipped_log(x) + scaled_identity(x)
    return value, grad(lambda y: jnp.sum(clipped_log(y) + scaled_identity(y)))(x)


@jit
def _jitted_layer(w, x):
    return jnp.tanh(w @ x) * 2.0


@program(F23, F3)
def jitted_calls(w, x):
    value = _jitted_layer(w, x)
    gradient = grad(lambda v: jnp.sum(_jitted_layer(w, v)))(x)
    batched = vmap(_jitted_layer, in_axes=(None, 0))(w, jnp.stack([x, 2 * x]))
    return value, gradient, batched, jit(jit(jnp.sin))(x)


@jaxlite.checkpoint
def _checkpointed_layer(w, x):
    return x + jaxlite.ad_checkpoint.checkpoint_name(jnp.tanh(w.T @ (w @ x)), "h")


@program(F23, F3)
def checkpointed_calls(w, x):
    named = jaxlite.checkpoint(_checkpointed_layer,
                               policy=jaxlite.checkpoint_policies.save_only_these_names("h"))
    value = _checkpointed_layer(w, _checkpointed_layer(w, x))
    gradient = grad(lambda v: jnp.sum(named(w, _checkpointed_layer(w, v)) ** 2))(x)
    batched = vmap(_checkpointed_layer, in_axes=(None, 0))(w, jnp.stack([x, 2 * x]))
    return value, gradient, batched


@program(F3)
def closed_over_constants(v):
    return v * F3 + jnp.asarray(F23)[0], jnp.sum(v * np.float32(2.0))


@program(F3, 2.0)
def loops(v, s):
    carry, ys = lax.scan(lambda c, x: (c * 0.5 + x, jnp.sin(c)), s, v)
    n = lax.fori_loop(0, 3, lambda i, c: c + i, 0)
    w = lax.while_loop(lambda c: c < 10.0, lambda c: c * 1.7, s)
    # reverse mode through while_loop (JAX's value is that of the same fori_loop)
    g = grad(lambda y: lax.while_loop(lambda c: c[0] < 3,
                                      lambda c: (c[0] + 1, jnp.sin(c[1]) * 1.5), (0, y))[1])(s)
    gs = grad(lambda y: lax.scan(lambda c, x: (c * x, None), y, v)[0])(v[1])
    t = lax.fori_loop(0, jnp.int32(2), lambda i, c: c * v, v)
    return carry, ys, n, w, g, lax.map(jnp.cos, v), gs, t


# ------------------------------------------------------------------ x64


@program(np.array([1, 2, 3], np.int32), np.array([1, 2], np.int64), x64=True)
def x64_integer_reductions(i, j):
    return jnp.sum(i), jnp.mean(i), jnp.sin(j), jnp.mean(j)


@program(F3, 1.5, x64=True)
def x64_weak_scalars_do_not_widen(v, s):
    return v * s, v * np.float64(2.0), jnp.multiply(s, 2), jnp.arange(3) + s


@program(np.array([1.0, 2.0]), x64=True)
def x64_float64_gradient(x):
    return grad(lambda y: jnp.sum(jnp.sin(y) ** 2))(x), jnp.dot(x, x)


@program(np.array([0, 7], np.uint32))
def random_samplers(key):
    # threefry2x32, normal_bits, shift_right_logical, bitcast_convert_type, fma, erf_inv
    # (float16 normals), sort
    return (random.normal(key, (3,)), random.uniform(key, (2,), minval=-1.0, maxval=2.0),
            random.permutation(key, 4), random.bits(key, (2,)),
            random.normal(key, (2,), jnp.float16))


@program(F23)
def sorting_and_top_k(x):
    # sort (several operands, and its jvp's gather), top_k, cummax, cummin, cumlogsumexp
    return (jnp.sort(x, axis=0), jnp.argsort(x, descending=True), *lax.top_k(x, 2),
            grad(lambda v: jnp.sum(jnp.sort(v) * jnp.arange(3.0)))(x[0]),
            jnp.searchsorted(jnp.sort(x[1]), x[0]),
            lax.cummax(x, axis=1), lax.cummin(x, reverse=True), lax.cumlogsumexp(x, 1),
            jnp.i0(x), grad(lambda v: jnp.sum(jnp.i0(v)))(x))  # bessel_i0e and _i1e


@program(np.array([0, 7], np.uint32), np.array(2**40 + 3, np.int64), x64=True)
def x64_random_bits_and_seeds(key, seed):
    return random.bits(key, (2,), np.uint64), random.PRNGKey(seed)  # shift_left


# ------------------------------------------------------------------ linear algebra

SPD3 = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, -0.5], [0.5, -0.5, 2.0]], np.float32)


@program(SPD3, F3)
def linear_algebra(a, b):
    # cholesky, lu, triangular_solve (solve, and slogdet's gradient), qr, eigh, svd, eig
    logdet_slope = grad(lambda m: jnp.linalg.slogdet(m)[1])(a)
    return (jnp.linalg.cholesky(a), jnp.linalg.solve(a, b), logdet_slope,
            jnp.abs(jnp.linalg.qr(a)[1]), jnp.linalg.eigvalsh(a),
            jnp.linalg.svd(a, compute_uv=False), jnp.sum(jnp.abs(jnp.linalg.eigvals(a))))


@program(SPD3, F3)
def scipy_linear_algebra(a, b):
    # expm, expm_frechet (expm's gradient), schur, sqrtm, lu_pivots_to_permutation (lu_solve)
    slope = grad(lambda m: jnp.sum(sla.expm(m / 4) * a))(a)
    t, _ = sla.schur(a * b)
    return (sla.expm(a / 4), slope, jnp.abs(t), jnp.abs(sla.sqrtm(a)),
            sla.lu_solve(sla.lu_factor(a), b))


@program(F234)
def fourier_transforms(x):
    # fft: FFT, IFFT, RFFT and IRFFT, and the transposes of RFFT and IRFFT
    slope = grad(lambda v: jnp.sum(jnp.fft.irfft(jnp.fft.rfft(v) * (1 + 2j), n=4) ** 2))(x[0])
    return (jnp.abs(jnp.fft.fft(x, axis=1)), jnp.abs(jnp.fft.ifft2(x, norm="ortho")),
            jnp.fft.irfftn(jnp.fft.rfftn(x) * 2.0), slope, jnp.fft.fftfreq(4))


# ------------------------------------------------------------------ convolutions and windows

IMG = (np.arange(2 * 4 * 4 * 2, dtype=np.float32).reshape(2, 4, 4, 2) % 7) / 3 - 1
KER = (np.arange(3 * 3 * 2 * 2, dtype=np.float32).reshape(3, 3, 2, 2) % 5) / 4 - 0.5


@program(IMG, KER)
def convolutions(x, w):
    nhwc = ("NHWC", "HWIO", "NHWC")
    y = lax.conv_general_dilated(x, w, (2, 1), "SAME", dimension_numbers=nhwc)
    g = lax.conv_general_dilated(x, w[:, :, :1, :], (1, 1), ((1, 0), (0, 1)),
                                 rhs_dilation=(1, 2), dimension_numbers=nhwc,
                                 feature_group_count=2)
    t = lax.conv_transpose(x, w, (2, 2), "SAME")
    nchw = lax.conv(jnp.transpose(x, (0, 3, 1, 2)), jnp.transpose(w, (3, 2, 0, 1)), (1, 1),
                    "VALID")
    dw = grad(lambda v: jnp.sum(jnp.tanh(lax.conv_general_dilated(
        x, v, (1, 1), "VALID", dimension_numbers=nhwc))))(w)
    return y, g, t[:, ::3, ::3], nchw, dw


@program(IMG)
def pooling(x):
    def max_pool(v):
        return lax.reduce_window(v, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")

    def avg_pool(v):
        return lax.reduce_window(v, 0.0, lax.add, (1, 3, 3, 1), (1, 1, 1, 1), "SAME") / 9

    smallest = lax.reduce_window(x, jnp.inf, lax.min, (1, 2, 3, 1), (1, 1, 2, 1),
                                 ((0, 0), (1, 0), (0, 1), (0, 0)), window_dilation=(1, 1, 1, 2))
    product = lax.reduce_window(x[0, :, :, 0], 1.0, lax.mul, (2, 2), (1, 1), "VALID")
    slopes = grad(lambda v: jnp.sum(jnp.sin(max_pool(v))) + jnp.sum(avg_pool(v) ** 2))(x)
    tangent = jvp(max_pool, (x,), (jnp.cos(x),))[1]
    return (max_pool(x), avg_pool(x)[0, :, :, 1], smallest[1, :, :, 0], product, slopes[0],
            tangent)


@program(F23, 1)
def dynamic_slicing(x, i):
    window = lax.dynamic_slice(x, (i, i - 1), (1, 2))
    written = lax.dynamic_update_slice(x, jnp.ones((1, 2), x.dtype), (i - 2, 5))
    slope = grad(lambda v: jnp.sum(lax.dynamic_slice_in_dim(v, i, 2, axis=1) ** 2))(x)
    rows = vmap(lambda j: lax.dynamic_index_in_dim(x, j, 1, keepdims=False))(jnp.arange(-1, 3))
    put = vmap(lambda j, r: lax.dynamic_update_index_in_dim(x, r, j, 0))(jnp.arange(2), x[::-1])
    return (window, written, slope, rows, put, lax.index_in_dim(x, -1, 1),
            lax.slice_in_dim(x, 1, None, 1, 1))


# ------------------------------------------------------------------ special functions


@program(POS, F3)
def special_functions(p, x):
    # erf, erfc, lgamma, digamma, polygamma, zeta, igamma, igammac, igamma_grad_a,
    # regularized_incomplete_beta, bessel_i0e, bessel_i1e
    return (special.erf(x), special.erfc(x), special.gammaln(p), special.digamma(p),
            special.polygamma(1, p), special.zeta(2.0, p), special.gammainc(p, p + 0.5),
            special.gammaincc(p, 1.0), grad(lambda a: jnp.sum(special.gammainc(a, p)))(p),
            special.betainc(p, 2.0, 0.3), special.i0e(x), special.i1e(x))


# ------------------------------------------------------------------ control flow


@program(F3, 1.5)
def branches(x, s):
    wide = lax.cond(s > 1.0, lambda v: jnp.sin(v) * s, lambda v: v - s, x)
    picked = lax.switch(jnp.argmax(x) + 5, [jnp.sin, jnp.cos, lambda v: v * 2.0], x)
    per_lane = vmap(lambda p, v: lax.cond(p, jnp.cos, jnp.sin, v))(x > 0, x)
    slope = grad(lambda v: lax.switch(1, [jnp.sum, lambda u: jnp.sum(jnp.sin(u) * u)], v))(x)
    return wide, picked, per_lane, lax.clamp(-1.0, x, 1.0), slope


# ------------------------------------------------------------------ the checks


def run(name):
    fun, args, x64, _ = PROGRAMS[name]
    jaxlite.config.update("jax_enable_x64", x64)  # the conftest restores it
    args = [jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
    eager = tree_flatten(fun(*args))[0]
    closed = jaxlite.make_jaxpr(fun)(*args)
    jaxlite.typecheck(closed)
    traced = eval_jaxpr(closed.jaxpr, closed.consts, *tree_flatten(args)[0])
    return eager, closed, traced


def describe(x):
    return f"{np.dtype(x.dtype).name}{'*' if x.weak_type else ''}"


KNOWN_BUGS: dict[str, str] = {}  # program name -> reason, for programs expected to fail


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=True))
    if name in KNOWN_BUGS else name for name in PROGRAMS])
def test_program(name):
    eager, closed, traced = run(name)
    dtypes, values = EXPECTED[name]
    assert [describe(x) for x in eager] == dtypes
    assert [describe(x) for x in traced] == dtypes
    assert [describe(a) for a in closed.out_avals] == dtypes
    for x, y, expected in zip(eager, traced, values, strict=True):
        assert isinstance(x, jaxlite.Array) and isinstance(y, jaxlite.Array)
        if PROGRAMS[name][3]:
            np.testing.assert_array_equal(np.asarray(x), np.asarray(y))  # bit for bit
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), rtol=1e-6)
        tolerance = 2e-3 if x.dtype == np.float16 else 2e-6
        np.testing.assert_allclose(np.asarray(x, np.float64), expected, rtol=tolerance,
                                   atol=tolerance)


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_jit_gives_eager_results_bit_for_bit(name):
    fun, args, x64, _ = PROGRAMS[name]
    jaxlite.config.update("jax_enable_x64", x64)  # the conftest restores it
    args = [jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
    eager = tree_flatten(fun(*args))[0]
    jitted = tree_flatten(jit(fun)(*args))[0]
    assert [describe(x) for x in jitted] == [describe(x) for x in eager]
    for x, y in zip(eager, jitted, strict=True):
        assert np.asarray(x).tobytes() == np.asarray(y).tobytes()  # bit for bit, signed zeros


def all_primitive_names():
    names = set()
    for info in pkgutil.iter_modules(jaxlite.primitives.__path__):
        module = importlib.import_module(f"jaxlite.primitives.{info.name}")
        names |= {v.name for v in vars(module).values() if isinstance(v, Primitive)}
    return names


def primitive_names_in(jaxpr):
    names = set()
    for eqn in jaxpr.eqns:
        names.add(eqn.primitive.name)
        for value in eqn.params.values():
            for inner in value if type(value) is tuple else (value,):  # (cond's branches)
                inner = getattr(inner, "jaxpr", inner)
                if hasattr(inner, "eqns"):
                    names |= primitive_names_in(inner)
    return names


def test_programs_cover_every_primitive():
    used = set()
    for name in PROGRAMS:
        used |= primitive_names_in(run(name)[1].jaxpr)
    # custom_lin lives only in the linear jaxpr that grad transposes (custom_rules uses it)
    assert sorted(all_primitive_names() - used - {"custom_lin"}) == []


# ------------------------------------------------------------------ JAX's results

# ------------------------------------------------------------------ JAX's results

EXPECTED = {
    "special_functions": (
        ["float32"] * 12,
        [[0.5204998850822449, -0.9229000806808472, 0.9953222274780273],
         [0.4795001745223999, 1.9229000806808472, 0.004677734803408384],
         [1.288022518157959, 4.76837158203125e-07, 1.7917603254318237],
         [-4.227453708648682, -0.5772153735160828, 1.256117820739746],
         [17.197330474853516, 1.644934058189392, 0.2838229835033417],
         [17.197330474853516, 1.644934058189392, 0.2838229835033417],
         [0.8999367356300354, 0.7768699526786804, 0.6577042937278748],
         [0.06792113929986954, 0.3678792715072632, 0.9810118675231934],
         [-0.9775431156158447, -0.43172967433929443, -0.20367968082427979],
         [0.869597315788269, 0.509999692440033, 0.030779995024204254],
         [0.6450353264808655, 0.40983617305755615, 0.3085083067417145],
         [0.15642079710960388, -0.21639174222946167, 0.2152692824602127]]),
    "loops": (
        ["float32", "float32*", "int32*", "float32*", "float32*", "float32", "float32", "float32"],
        [1.75, [0.9092974066734314, 0.9974949955940247, -0.4794255495071411], 3,
         16.704200744628906, -0.029592817649245262,
         [0.8775825500488281, 0.3153223693370819, -0.416146844625473], -1.25,
         [0.125, -1.953125, 8.0]]),
    "complex_numbers": (
        ["float32"] * 10,
        [[1.2199149131774902, 0.3827412724494934, -31.712093353271484],
         [-0.6498725414276123, -0.8750259876251221, 7.901642799377441],
         [0.55901700258255, 1.6007810831069946, 4.4721360206604],
         [0.46364760398864746, 2.4668517112731934, 1.1071487665176392],
         [0.06185098737478256, -0.14627431333065033, 0.21036766469478607],
         [-0.031331442296504974, -0.13027380406856537, -0.9067150354385376],
         [0.75, -7.5, 48.0], 4.388888835906982, -32.72357940673828, 142.7327880859375]),
    "sorting_and_top_k": (
        ["float32", "int32", "float32", "int32", "float32", "int32", "float32", "float32",
         "float32", "float32", "float32"],
        [[[0.5, -1.0, -3.0], [1.5, 0.25, 2.0]], [[2, 0, 1], [0, 1, 2]], [[2.0, 0.5], [1.5, 0.25]],
         [[2, 0], [0, 1]], [1.0, 0.0, 2.0], [2, 1, 3],
         [[0.5, 0.5, 2.0], [1.5, 1.5, 1.5]], [[0.5, -1.0, -3.0], [1.5, 0.25, -3.0]],
         [[0.5, 0.7014132738113403, 2.2413113117218018],
          [1.5, 1.7519290447235107, 1.7605270147323608]],
         [[1.063483476638794, 1.2660659551620483, 2.279585123062134],
          [1.6467232704162598, 1.0156861543655396, 4.880792617797852]],
         [[0.25789427757263184, -0.5651590824127197, 1.5906368494033813],
          [0.9816665053367615, 0.12597914040088654, -3.9533705711364746]]]),
    "polynomial_of_weak_scalar": (
        ["float32*"],
        [15.0]),
    "trigonometry": (
        ["float32"],
        [[0.546391, -0.622322, 0.167901]]),
    "inverse_and_hyperbolic_trigonometry": (
        ["float32"] * 5,
        [[0.795515775680542, -2.0101318359375, 1.6830024719238281],
         [-0.6065306067466736, -3.490342855453491, -0.13533544540405273],
         [1.3000162839889526, 0.222772479057312, 4.285373210906982],
         [0.7937005162239075, -1.0772173404693604, 1.2599210739135742],
         [0.32175055146217346, -0.6947382688522339, 0.9272952079772949]]),
    "remainders_shifts_and_gcd": (
        ["float32", "int32", "int32", "int32", "int32"],
        [[0.5, -0.5, 0.5], [-1, -2, 0, 0, 2], [-4, -1, 0, 1, 4], [1, 2, 6, 3, 2],
         [28, 4, 0, 12, 8]]),
    "cumulative_sums_and_products": (
        ["float32"] * 4,
        [[[0.5, -0.5, 1.5], [1.5, 1.75, -1.25]], [0.5, -0.5, -1.0, -1.5, -0.375, 1.125],
         [[2.0, -0.75, -1.0], [1.5, 0.25, -3.0]], [[-1.0, -2.0, 2.0], [-1.125, -0.75, -3.0]]]),
    "exponentials": (
        ["float32", "float32"],
        [[0.462117, -0.848284, 0.964028], [1.0, 1.0, 1.0]]),
    "logarithms_and_roots": (
        ["float32", "float32"],
        [[-1.163151, 0.693147, 2.995732], [1.0, 1.0, 1.0]]),
    "sigmoid_and_softplus": (
        ["float32", "float32", "float32"],
        [[0.622459, 0.2227, 0.880797], [0.622459, 0.2227, 0.880797],
         [0.974077, 0.251929, 2.126928]]),
    "rounding": (
        ["float32", "float32", "float32", "float32"],
        [[-1.0, -1.0, 0.0, 1.0, 1.0], [-2.0, -1.0, 0.0, 0.0, 2.0], [-1.0, -0.0, 0.0, 1.0, 3.0],
         [-2.0, -0.0, 0.0, 0.0, 2.0]]),
    "absolute_and_negative": (
        ["int8", "int8", "float32", "float32"],
        [[3, 0, 5], [3, 0, -5], [0.5, 1.25, 2.0], [-0.5, 1.25, -2.0]]),
    "int_float_promotion": (
        ["float32*", "int32", "float32"],
        [[-16.5, -4.0, 1.0, 8.5, 21.0], [-6, -1, 1, 4, 9], [-3.5, -1.0, 0.0, 1.5, 4.0]]),
    "integer_division_signs": (
        ["int32", "int32", "float32"],
        [[-4, 0, 0, -2, 2], [1, -2, 0, -1, 2], [-3.5, 0.666667, 0.0, -1.5, 2.666667]]),
    "powers": (
        ["float32", "float32", "float32", "float32"],
        [[0.125, -1.953125, 8.0], [4.0, 0.64, 0.25], [0.125, 1.5625, 0.5], [0.25, 1.5625, 4.0]]),
    "integer_power_with_array_exponent": (
        ["int32"],
        [[8, 9, -32]]),
    "maximum_minimum_clip": (
        ["float32", "float32", "float32"],
        [[2.0, -1.25, 2.0], [0.0, -1.25, 0.0], [0.5, -1.0, 1.0]]),
    "comparisons": (
        ["bool", "bool", "bool", "bool", "bool", "bool"],
        [[True, False, False], [False, True, True], [False, True, False], [True, True, False],
         [False, False, True], [True, False, True]]),
    "logical_operations": (
        ["bool", "bool", "bool", "bool"],
        [[True, False, False], [True, False, True], [False, False, True], [False, True, True]]),
    "bitwise_operations": (
        ["int8", "int8", "int8", "int8"],
        [[4, 4, 6], [13, -3, 7], [9, -8, 2], [-13, 2, -8]]),
    "boolean_arithmetic": (
        ["bool", "bool", "bool"],
        [[True, False, True], [False, False, True], [True, False, True]]),
    "where_with_weak_scalar": (
        ["float32", "int32*"],
        [[0.5, 0.0, 2.0], [1, 2, 1]]),
    "float16_stays_float16": (
        ["float16"],
        [[2.996094, -0.197266]]),
    "sums": (
        ["float32", "float32", "float32"],
        [3.428572,
         [[-2.785714, -2.357143, -1.928571, -1.5], [2.357143, 2.785714, 3.214286, 3.642857]],
         [[[-3.428572], [1.142857], [5.714286]]]]),
    "mean_of_integers": (
        ["float32", "float32"],
        [3.5, [2.5, 3.5, 4.5]]),
    "max_and_min": (
        ["float32", "float32", "float32"],
        [[[0.214286, 0.357143, 0.5, 0.642857], [0.785714, 0.928571, 1.071429, 1.214286],
          [1.357143, 1.5, 1.642857, 1.785714]],
         [[[-1.5], [-0.928571], [-0.357143]], [[0.214286], [0.785714], [1.357143]]], 1.785714]),
    "products": (
        ["float32", "float32"],
        [1.125, [-1.0, -1.125]]),
    "arg_reductions": (
        ["int32", "int32", "int32"],
        [2, [1, 2], [[1, 1, 0]]]),
    "any_and_all": (
        ["bool", "bool", "bool"],
        [True, [False, False], [False, False, True]]),
    "variance_and_std": (
        ["float32", "float32"],
        [[[0.02551, 0.02551, 0.02551], [0.02551, 0.02551, 0.02551]], 1.010153]),
    "sums_of_narrow_types": (
        ["uint32", "int32", "int32"],
        [307, 2, -39200]),
    "softmax_and_logsumexp": (
        ["float32", "float32"],
        [[[0.090031, 0.244728, 0.665241], [0.333333, 0.333333, 0.333333]], [3.407606, 2.098612]]),
    "reshapes": (
        ["float32", "float32", "float32"],
        [[[-1.5, -1.357143, -1.214286, -1.071429], [-0.928571, -0.785714, -0.642857, -0.5],
          [-0.357143, -0.214286, -0.071429, 0.071429], [0.214286, 0.357143, 0.5, 0.642857],
          [0.785714, 0.928571, 1.071429, 1.214286], [1.357143, 1.5, 1.642857, 1.785714]],
         [-1.5, -1.357143, -1.214286, -1.071429, -0.928571, -0.785714, -0.642857, -0.5, -0.357143,
          -0.214286, -0.071429, 0.071429, 0.214286, 0.357143, 0.5, 0.642857, 0.785714, 0.928571,
          1.071429, 1.214286, 1.357143, 1.5, 1.642857, 1.785714],
         [[[-1.5, -1.357143], [-1.214286, -1.071429], [-0.928571, -0.785714]],
          [[-0.642857, -0.5], [-0.357143, -0.214286], [-0.071429, 0.071429]],
          [[0.214286, 0.357143], [0.5, 0.642857], [0.785714, 0.928571]],
          [[1.071429, 1.214286], [1.357143, 1.5], [1.642857, 1.785714]]]]),
    "transposes": (
        ["float32", "float32", "float32", "float32"],
        [[[[-1.5, 0.214286], [-0.928571, 0.785714], [-0.357143, 1.357143]],
          [[-1.357143, 0.357143], [-0.785714, 0.928571], [-0.214286, 1.5]],
          [[-1.214286, 0.5], [-0.642857, 1.071429], [-0.071429, 1.642857]],
          [[-1.071429, 0.642857], [-0.5, 1.214286], [0.071429, 1.785714]]],
         [[[-1.5, -1.357143, -1.214286, -1.071429], [0.214286, 0.357143, 0.5, 0.642857]],
          [[-0.928571, -0.785714, -0.642857, -0.5], [0.785714, 0.928571, 1.071429, 1.214286]],
          [[-0.357143, -0.214286, -0.071429, 0.071429], [1.357143, 1.5, 1.642857, 1.785714]]],
         [[[-1.5, 0.214286], [-0.928571, 0.785714], [-0.357143, 1.357143]],
          [[-1.357143, 0.357143], [-0.785714, 0.928571], [-0.214286, 1.5]],
          [[-1.214286, 0.5], [-0.642857, 1.071429], [-0.071429, 1.642857]],
          [[-1.071429, 0.642857], [-0.5, 1.214286], [0.071429, 1.785714]]],
         [[[-1.5, 0.214286], [-1.357143, 0.357143], [-1.214286, 0.5], [-1.071429, 0.642857]],
          [[-0.928571, 0.785714], [-0.785714, 0.928571], [-0.642857, 1.071429], [-0.5, 1.214286]],
          [[-0.357143, 1.357143], [-0.214286, 1.5], [-0.071429, 1.642857], [0.071429, 1.785714]]]]),
    "squeeze_and_expand_dims": (
        ["float32", "float32"],
        [[[0.5, -1.0, 2.0], [1.5, 0.25, -3.0]],
         [[[[0.5], [-1.0], [2.0]], [[1.5], [0.25], [-3.0]]]]]),
    "concatenate_and_stack": (
        ["float32", "float32", "float32"],
        [[[0.5, -1.0, 2.0], [1.5, 0.25, -3.0], [0.5, -1.25, 2.0]],
         [[0.5, 1.0], [-1.25, -2.5], [2.0, 4.0]], [0.5, -1.25, 2.0, 0.5, -1.25, 2.0]]),
    "broadcasting": (
        ["float32", "float32", "float32"],
        [[[0.5, -1.25, 2.0], [0.5, -1.25, 2.0]],
         [[0.25, -0.625, 1.0], [-0.625, 1.5625, -2.5], [1.0, -2.5, 4.0]],
         [[1.5, -0.25, 3.0], [1.5, -0.25, 3.0]]]),
    "slicing_with_negative_steps": (
        ["float32", "float32", "float32", "float32"],
        [[[1.357143, 1.5, 1.642857, 1.785714], [0.785714, 0.928571, 1.071429, 1.214286],
          [0.214286, 0.357143, 0.5, 0.642857]],
         [[[-0.357143, 0.071429]], [[1.357143, 1.785714]]],
         [[-1.071429, -0.5, 0.071429], [0.642857, 1.214286, 1.785714]],
         [[[-1.5, -1.357143, -1.214286, -1.071429], [-0.928571, -0.785714, -0.642857, -0.5],
           [-0.357143, -0.214286, -0.071429, 0.071429]]]]),
    "at_updates": (
        ["float32", "float32", "float32", "float32"],
        [[0.5, 2.5, 2.0], [1.5, -1.25, 3.0], [0.5, -1.25, 1.0], [0.5, 0.0, 2.0]]),
    "advanced_indexing": (
        ["float32", "float32", "float32", "float32", "float32", "int32", "float32"],
        [[[-1.0, 2.0, 0.5, 2.0], [0.25, -3.0, 1.5, -3.0]], [[-3.0, 0.25, 1.5], [-3.0, 0.25, 1.5]],
         [[0.5, -1.0, 2.0], [0.0, 0.0, -3.0]], [[1.5, -1.0, 2.0], [4.5, 0.25, -3.0]],
         [[-1.0, 2.0, 0.5, np.nan], [0.25, -3.0, 1.5, np.nan]], [0, 2, 0, 1],
         [[0.0] * 6, [0.5, 0.0, -1.0, 0.0, 2.0, 0.0], [1.5, 0.0, 0.25, 0.0, -3.0, 0.0]]]),
    "creation_inside_a_trace": (
        ["float32", "float32", "float32"],
        [[0.0, -1.25, 4.0], [0.5, -0.083333, -0.666667, -1.25],
         [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]]),
    "conversions": (
        ["int8", "bool", "float32", "float16"],
        [[0, -1, 2], [True, True, True], [1.0, 0.0, 1.0], [0.5, -1.25, 2.0]]),
    "dots": (
        ["float32", "float32", "float32"],
        [5.8125, [5.5, -5.5625], [[2.5, -0.125], [-0.125, 1.0625], [-3.5, -2.75]]]),
    "batched_matmul": (
        ["float32", "float32", "float32"],
        [[[[-5.142857, -5.142857], [-2.857143, -2.857143], [-0.571429, -0.571429]],
          [[1.714286, 1.714286], [4.0, 4.0], [6.285714, 6.285714]]],
         [[[[-5.142857, -5.142857], [-2.857143, -2.857143], [-0.571429, -0.571429]]],
          [[[1.714286, 1.714286], [4.0, 4.0], [6.285714, 6.285714]]]],
         [[-1.5, -1.5, -1.5, -1.5], [-1.357143, -1.357143, -1.357143, -1.357143],
          [-1.214286, -1.214286, -1.214286, -1.214286],
          [-1.071429, -1.071429, -1.071429, -1.071429]]]),
    "gradient_of_sin_times_x": (
        ["float32"],
        [[0.918217, -1.343138, 0.077004]]),
    "second_derivative": (
        ["float32*"],
        [115.963699]),
    "vmapped_dot": (
        ["float32"],
        [[5.25, 11.3125]]),
    "jvp_of_tanh": (
        ["float32", "float32"],
        [[0.462117, -0.848284, 0.964028], [0.786448, 0.280415, 0.070651]]),
    "hessian_diagonal": (
        ["float32"],
        [[[3.0, 0.0, 0.0], [-0.0, -7.5, -0.0], [0.0, 0.0, 12.0]]]),
    "stop_gradient_blocks": (
        ["float32"],
        [[0.5, -1.25, 2.0]]),
    "custom_rules": (
        ["float32", "float32"],
        [[-1.136294, 1.0, 5.386294], [7.0, 4.0, 3.25]]),
    "branches": (
        ["float32"] * 5,
        [[0.719138, -1.423477, 1.363946], [1.0, -2.5, 4.0], [0.877583, -0.948985, -0.416147],
         [0.5, -1.0, 1.0], [0.918217, -1.343138, 0.077004]]),
    "jitted_calls": (
        ["float32", "float32", "float32", "float32"],
        [[1.999933, -1.999941], [0.000243, -0.000104, -8.6e-05],
         [[1.999933, -1.999941], [2.0, -2.0]], [0.479426, -0.948985, 0.909297]]),
    "checkpointed_calls": (
        ["float32", "float32", "float32"],
        [[-1.499972, -3.249998, 4.0], [-3.000358, -6.500003, 8.000654],
         [[-0.499972, -2.249998, 3.0], [0.0, -3.5, 5.0]]]),
    "closed_over_constants": (
        ["float32", "float32"],
        [[0.75, 0.5625, 6.0], 2.5]),
    "x64_integer_reductions": (
        ["int64", "float32", "float64", "float64"],
        [6, 2.0, [0.841471, 0.909297], 1.5]),
    "x64_weak_scalars_do_not_widen": (
        ["float32", "float64", "float64*", "float64*"],
        [[0.75, -1.875, 3.0], [1.0, -2.5, 4.0], 3.0, [1.5, 2.5, 3.5]]),
    "x64_float64_gradient": (
        ["float64", "float64"],
        [[0.909297, -0.756802], 5.0]),
    "linear_algebra": (
        ["float32"] * 7,
        [[[2.0, 0.0, 0.0], [0.5, 1.658312, 0.0], [0.25, -0.376889, 1.339946]],
         [0.085443, -0.294304, 0.905063],
         [[0.291139, -0.113924, -0.101266], [-0.113924, 0.392405, 0.126582],
          [-0.101266, 0.126582, 0.556962]],
         [[4.153312, 1.625209, 0.601929], [0.0, 2.758386, 1.079711], [0.0, 0.0, 1.723921]],
         [1.471456, 2.899595, 4.628949], [4.628949, 2.899595, 1.471456], 9.0]),
    "fourier_transforms": (
        ["float32"] * 5,
        [[[[2.7857141, 2.3571429, 1.9285715, 1.5], [0.9897434, 0.9897432, 0.9897434, 0.9897432],
           [0.9897434, 0.9897432, 0.9897434, 0.9897432]],
          [[2.3571429, 2.7857141, 3.2142856, 3.6428571], [0.9897434, 0.9897434, 0.9897432, 0.9897435],
           [0.9897434, 0.9897434, 0.9897432, 0.9897435]]],
         [[[2.4743583, 0.3499271, 0.2474359, 0.3499271], [1.1428572, 0.0, 1e-07, 0.0],
           [1.1428572, 0.0, 1e-07, 0.0]],
          [[3.4641016, 0.349927, 0.2474358, 0.349927], [1.1428573, 1e-07, 1e-07, 0.0],
           [1.1428573, 0.0, 1e-07, 1e-07]]],
         [[[-2.9999998, -2.7142854, -2.4285712, -2.1428568],
           [-1.8571427, -1.5714283, -1.285714, -0.9999999],
           [-0.7142853, -0.4285712, -0.1428568, 0.1428574]],
          [[0.4285713, 0.7142856, 0.9999999, 1.285714], [1.5714288, 1.8571429, 2.1428571, 2.4285712],
           [2.7142856, 2.9999998, 3.2857139, 3.5714288]]],
         [[-4.1428571, -3.8571429, -1.2857146, -0.9999996], [-2.9999998, -2.7142856, -0.1428573, 0.1428568],
          [-1.8571427, -1.5714285, 1.0, 1.2857141]],
         [0.0, 0.25, -0.5, -0.25]]),
    "scipy_linear_algebra": (
        ["float32"] * 5,
        [[[2.812427, 0.5934976, 0.2381006], [0.5934976, 2.202172, -0.2045873],
          [0.2381006, -0.2045874, 1.6757013]],
         [[2.9905643, 1.1184672, 0.3964165], [1.1184673, 1.8255768, -0.303378],
          [0.3964165, -0.303378, 0.8931867]],
         [[3.5379872, 1.9910318, 1.1803762], [0.0, 1.7118912, 0.9529577],
          [0.0, 0.0, 4.0760975]],
         [[1.9735634, 0.2800382, 0.1631597], [0.2800381, 1.7001364, 0.1763827],
          [0.1631595, 0.1763828, 1.3936532]],
         [0.085443, -0.2943038, 0.9050633]]),
    "random_samplers": (
        ["float32", "float32", "int32", "uint32", "float16"],
        [[0.45123515, 1.9534509, -0.51623946], [1.0222697, 1.9238507], [2, 3, 0, 1],
         [2895194379, 4185947648], [-0.99267578125, -0.0189666748046875]]),
    "x64_random_bits_and_seeds": (
        ["uint64", "uint32"],
        [[15571024786774969728, 837714335556982463], [256, 3]]),
    "convolutions": (
        ["float32"] * 5,
        [[[[[-0.0833334, -0.1666666], [-1.2499999, 1.4166667], [2.2500002, 1.6666667], [1.9166666, -1.8333331]], [[-0.6666666, 0.4166667], [1.6666667, 1.0833334], [1.3333333, -1.2499999], [-0.9999999, -0.0833334]]], [[[1.9166669, 1.9166666], [2.25, -2.1666665], [-1.2499998, -0.1666667], [-0.0833334, 0.4166666]], [[1.0, -0.9999999], [-1.3333333, -0.0833334], [-0.5000001, -0.0833334], [-0.0833334, -0.9999999]]]],
         [[[[-0.25, 0.5]], [[0.5833334, -0.75]], [[0.1666666, -0.9166667]]], [[[0.4166666, -0.3333333]], [[0.0833333, 0.9166667]], [[-0.9166666, 0.1666666]]]],
         [[[[-0.3333333, 0.0833333], [-0.0833333, -0.1666667], [-0.5, 0.5833333]], [[0.3333333, 0.0833333], [0.0833333, 0.1666667], [1.0, -0.25]], [[0.0833334, -0.3333333], [-0.3333333, -0.0833334], [-0.8333334, -0.3333333]]], [[[0.3333333, -0.25], [0.75, 0.75], [-0.0833333, 0.1666666]], [[-0.3333333, 0.0833333], [0.0833333, -0.3333333], [-0.1666667, -0.0]], [[0.4166667, 0.8333333], [-0.3333333, 0.1666667], [-0.8333333, 0.75]]]],
         [[[[-1.2499999, 2.2500002], [-1.25, 0.4999999]], [[1.4166667, 1.6666667], [0.0833333, -2.0]]], [[[2.25, -1.2499998], [-1.2500002, -1.2499999]], [[-2.1666665, -0.1666667], [1.166667, 1.4166667]]]],
         [[[[-0.280415, 0.0785585], [-0.1762322, -1.2035768]], [[-0.0720493, -0.9681396], [0.5850166, -0.0999102]], [[-0.4915445, 0.7228026], [0.1655209, 1.3999528]]], [[[-0.1762322, -1.2035768], [-0.0720493, -0.9681396]], [[0.5850166, -0.0999102], [-0.4915445, 0.7228026]], [[0.1655209, 1.3999528], [0.2697036, 0.070313]]], [[[-0.0720493, -0.9681396], [0.5850166, -0.0999102]], [[-0.4915445, 0.7228026], [0.1655209, 1.3999528]], [[0.2697036, 0.070313], [-0.280415, 0.0785585]]]]]),
    "pooling": (
        ["float32"] * 6,
        [[[[[0.0, 0.3333334], [1.0, 1.0]], [[0.6666666, 1.0], [1.0, 0.0]]], [[[1.0, 1.0], [0.3333334, 0.6666666]], [[1.0, 0.0], [1.0, 1.0]]]],
         [[-0.0740741, 0.1111111, 0.037037, 0.0], [0.0, 0.0740741, -0.037037, -0.1481481], [0.2222222, 0.1481481, 0.037037, -0.1851852], [0.2222222, 0.037037, -0.037037, -0.2222222]],
         [[-0.6666666, -0.6666666], [-1.0, -0.6666666], [-1.0, -0.3333333], [-1.0, 0.0]],
         [[-0.0, -0.0, -0.2222222], [0.0, 0.0, 0.4444444], [-0.0, -0.2222222, -0.2222222]],
         [[[-0.1234568, 0.0246914], [-0.0740741, 0.0246914], [0.0823045, 0.0082305], [0.6472982, -0.0329218]], [[-0.1069959, 0.1069959], [0.9341564, 1.0601833], [0.0576132, 0.5485327], [0.0658436, -0.0658436]], [[0.0, 0.1563786], [0.0246914, 0.1481481], [0.5732241, -0.0740741], [0.0, -0.1316872]], [[0.0493827, 0.1399177], [0.8270395, 0.68022], [-0.0329218, -0.0493827], [-0.0658436, 0.909465]]],
         [[[[1.0, 0.944957], [0.5403023, 0.5403023]], [[0.7858873, 0.5403023], [0.5403023, 1.0]]], [[[0.5403023, 0.5403023], [0.944957, 0.7858873]], [[0.5403023, 1.0], [0.5403023, 0.5403023]]]]]),
    "dynamic_slicing": (
        ["float32"] * 7,
        [[[1.5, 0.25]],
         [[0.5, -1.0, 2.0], [1.5, 1.0, 1.0]],
         [[0.0, -2.0, 4.0], [0.0, 0.5, -6.0]],
         [[2.0, -3.0], [0.5, 1.5], [-1.0, 0.25], [2.0, -3.0]],
         [[[1.5, 0.25, -3.0], [1.5, 0.25, -3.0]], [[0.5, -1.0, 2.0], [0.5, -1.0, 2.0]]],
         [[2.0], [-3.0]],
         [[-1.0, 2.0], [0.25, -3.0]]]),
}
