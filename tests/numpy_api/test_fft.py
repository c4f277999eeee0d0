"""``jnp.fft`` against ``numpy.fft``, and its derivatives, transposes, batching, jit and errors.

Values run on several shapes, axes, sizes and norms in float32 (complex64 results, as JAX
gives them) and float64 (x64). ``check_grads`` takes real functions, so the transforms of
complex arrays are differentiated inside real-valued compositions (an ``irfft`` at the end);
their transposes are checked directly by the dot-product test under JAX's pairing
``<ct, y> = Re(sum(ct * y))``.
"""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
import jaxlite.numpy.fft as jfft
from jaxlite import lax
from jaxlite.interpreters import transpose_jaxpr
from jaxlite.test_util import check_grads

ISSUE_NAMES = [
    "fft", "ifft", "rfft", "irfft", "fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn",
    "rfftn", "irfftn", "hfft", "ihfft", "fftfreq", "rfftfreq", "fftshift", "ifftshift",
]
REAL_INPUT = {"rfft", "rfft2", "rfftn", "ihfft"}


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


def test_every_function_of_the_issue_is_there():
    assert jnp.fft is jfft and set(ISSUE_NAMES) <= set(jfft.__all__)
    assert all(callable(getattr(jfft, name)) for name in ISSUE_NAMES)


def _input(name, shape, rng, real_dtype):
    x = rng.standard_normal(shape)
    if name not in REAL_INPUT:
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(real_dtype if name in REAL_INPUT else np.result_type(real_dtype, 1j))


ONE_AXIS = [({}, (6,)), ({"axis": 0}, (5, 3)), ({"n": 7}, (2, 4)), ({"n": 3, "axis": 1}, (2, 6, 3))]
MANY_AXES = [({}, (4, 6)), ({"axes": (0, 2)}, (3, 2, 5)), ({"s": (3, 8)}, (2, 4, 6)),
             ({"s": (5, 4), "axes": (1, 0)}, (4, 6))]
ND = [({}, (3, 4, 5)), ({"axes": (-1,)}, (3, 4)), ({"s": (2, 3, 6)}, (2, 5, 4))]


@pytest.mark.parametrize("norm", [None, "ortho", "forward"])
@pytest.mark.parametrize("name, kwargs, shape", [
    *[(n, k, s) for n in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft") for k, s in ONE_AXIS],
    *[(n, k, s) for n in ("fft2", "ifft2", "rfft2", "irfft2") for k, s in MANY_AXES],
    *[(n, k, s) for n in ("fftn", "ifftn", "rfftn", "irfftn") for k, s in ND]])
def test_values_and_dtypes_match_numpy(name, kwargs, shape, norm):
    x = _input(name, shape, np.random.default_rng(len(shape)), np.float32)
    got = getattr(jnp.fft, name)(x, norm=norm, **kwargs)
    if "s" in kwargs and "axes" not in kwargs:  # (NumPy wants the axes named with s)
        kwargs = dict(kwargs, axes=tuple(range(-len(kwargs["s"]), 0)))
    want = getattr(np.fft, name)(x, norm=norm, **kwargs)
    assert got.shape == want.shape and got.dtype == want.dtype  # (NumPy keeps single precision)
    np.testing.assert_allclose(np.asarray(got), want, rtol=2e-5, atol=2e-5 * np.abs(want).max())


@pytest.mark.parametrize("name", ["fft", "rfft", "irfftn", "ihfft"])
def test_float64_and_integer_inputs(name, x64):
    x = _input(name, (3, 6), np.random.default_rng(0), np.float64)
    got = getattr(jnp.fft, name)(x)
    want = getattr(np.fft, name)(x)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-12)
    jaxlite.config.update("jax_enable_x64", False)
    ints = np.arange(6, dtype=np.int32)
    assert getattr(jnp.fft, name)(ints).dtype == (np.float32 if name == "irfftn"
                                                  else np.complex64)


def test_frequencies_and_shifts_match_numpy():
    for n, d in [(5, 1.0), (8, 0.1), (1, 2.0)]:
        for name in ("fftfreq", "rfftfreq"):
            got = getattr(jnp.fft, name)(n, d)
            assert got.dtype == np.float32
            np.testing.assert_allclose(np.asarray(got), getattr(np.fft, name)(n, d), rtol=1e-6)
    assert jnp.fft.fftfreq(4, dtype=jnp.float16).dtype == np.float16
    x = np.arange(30).reshape(5, 6)
    for axes in [None, 0, (1,), (0, 1), -1]:
        np.testing.assert_array_equal(np.asarray(jnp.fft.fftshift(x, axes)),
                                      np.fft.fftshift(x, axes))
        np.testing.assert_array_equal(np.asarray(jnp.fft.ifftshift(x, axes)),
                                      np.fft.ifftshift(x, axes))


def test_zero_dimensional_and_empty_transforms():
    assert complex(jnp.fft.fftn(jnp.asarray(2.0))) == 2 + 0j
    assert jnp.fft.irfft(jnp.ones(1, jnp.complex64)).shape == (0,)
    assert jnp.fft.fft(jnp.ones((0, 4))).shape == (0, 4)


def test_lax_fft_and_its_jaxpr():
    x = np.random.default_rng(0).standard_normal((2, 8)).astype(np.float32)
    closed = jaxlite.make_jaxpr(lambda v: lax.fft(v, "rfft", (8,)))(x)
    jaxlite.typecheck(closed)
    assert "fft[fft_lengths=(8,) fft_type=2]" in str(closed)
    spectrum = lax.fft(x, lax.FftType.RFFT, [8])
    np.testing.assert_allclose(np.asarray(lax.fft(spectrum, "IRFFT", (8,))), x, atol=1e-6)


# ------------------------------------------------------------------ derivatives


W = np.array([1 + 2j, -0.5 + 1j, 2 - 1j, 0.25 + 0.5j])  # a complex weight per frequency


def _weighted(spectrum, axis=-1):
    m = spectrum.shape[axis]
    w = W[:m] if m <= len(W) else np.resize(W, m)
    shape = [1] * spectrum.ndim
    shape[axis] = m
    return spectrum * jnp.asarray(w.astype(spectrum.dtype)).reshape(shape)


# real -> real compositions through every transform type
REAL_FUNCTIONS = {
    "rfft_irfft": lambda x: jnp.fft.irfft(_weighted(jnp.fft.rfft(x)), n=x.shape[-1]),
    "fft_ortho": lambda x: jnp.fft.irfft(_weighted(jnp.fft.fft(x, norm="ortho")[..., :3]), n=5),
    "ifft_axis0": lambda x: jnp.fft.irfft(_weighted(jnp.fft.ifft(x, axis=0)[:3], 0), n=4, axis=0),
    "fft2_irfft2": lambda x: jnp.fft.irfft2(_weighted(jnp.fft.fft2(x)[..., :3])),
    "rfftn_forward": lambda x: jnp.fft.irfftn(_weighted(jnp.fft.rfftn(x, norm="forward")),
                                             s=(3, 4, 5)),
    "hfft_ihfft": lambda x: jnp.fft.hfft(_weighted(jnp.fft.ihfft(x, n=6)), n=5),
}


@pytest.mark.parametrize("name", list(REAL_FUNCTIONS))
def test_check_grads_of_real_compositions(name, x64):
    shape = (3, 4, 5) if name == "rfftn_forward" else (4, 5)
    x = np.random.default_rng(1).standard_normal(shape)
    check_grads(REAL_FUNCTIONS[name], [x], order=2)


def test_gradient_through_a_round_trip_is_exact():
    # irfft(3 rfft(x)) = 3 x, so the gradient of its sum is 3 everywhere
    x = np.random.default_rng(2).standard_normal(8).astype(np.float32)
    grad = jaxlite.grad(lambda v: jnp.sum(jnp.fft.irfft(jnp.fft.rfft(v) * 3.0)))(x)
    np.testing.assert_allclose(np.asarray(grad), np.full(8, 3.0), rtol=1e-6)


def _complex(rng, shape, dtype):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


@pytest.mark.parametrize("kind, lengths, shape", [
    ("fft", (6,), (2, 6)), ("ifft", (3, 4), (3, 4)), ("irfft", (8,), (2, 5)),
    ("irfft", (3, 7), (3, 4)), ("rfft", (5,), (3, 5)), ("rfft", (2, 4, 6), (2, 4, 6))])
def test_transpose_is_the_adjoint_under_the_complex_pairing(kind, lengths, shape, x64):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(shape) if kind == "rfft" else _complex(rng, shape, np.complex128)

    def f(v):
        return lax.fft(v, kind, lengths)

    y = np.asarray(f(x))
    ct = _complex(rng, y.shape, y.dtype) if y.dtype.kind == "c" else rng.standard_normal(y.shape)
    (x_bar,) = jaxlite.linear_transpose(f, x)(ct)
    assert x_bar.dtype == x.dtype
    pair = lambda a, b: np.sum(np.asarray(a) * np.asarray(b)).real  # noqa: E731
    np.testing.assert_allclose(pair(x_bar, x), pair(ct, y), rtol=1e-10)
    transposed, _ = transpose_jaxpr(jaxlite.make_jaxpr(f)(x), (True,))
    jaxlite.typecheck(transposed)


def test_forward_mode_of_a_complex_transform(x64):
    x = _complex(np.random.default_rng(4), (3, 4), np.complex128)
    t = _complex(np.random.default_rng(5), (3, 4), np.complex128)
    _, t_out = jaxlite.jvp(lambda v: jnp.fft.fft2(v, norm="ortho"), (x,), (t,))
    np.testing.assert_allclose(np.asarray(t_out), np.fft.fft2(t, norm="ortho"), rtol=1e-12)


# ------------------------------------------------------------------ vmap and jit


@pytest.mark.parametrize("in_axis", [0, 1, 2])
def test_vmap_matches_a_loop(in_axis):
    x = _complex(np.random.default_rng(6), (3, 4, 6), np.complex64)
    fns = [lambda v: jnp.fft.fft(v, axis=0), lambda v: jnp.fft.ifft2(v),
           lambda v: jnp.fft.irfft(v, n=9), lambda v: jnp.fft.fftshift(v)]
    for f in fns:
        got = jaxlite.vmap(f, in_axes=in_axis)(x)
        want = np.stack([np.asarray(f(np.take(x, i, in_axis))) for i in range(x.shape[in_axis])])
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-5)
    r = x.real.copy()
    got = jaxlite.vmap(lambda v: jnp.fft.rfftn(v), in_axes=in_axis)(r)
    want = np.stack([np.fft.rfftn(np.take(r, i, in_axis)) for i in range(r.shape[in_axis])])
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-5)


def test_jit_gives_eager_bits():
    x = np.random.default_rng(7).standard_normal((4, 8)).astype(np.float32)

    def f(v):
        return jnp.fft.irfft2(jnp.fft.rfft2(v) * 2), jnp.fft.ifft(jnp.fft.fft(v, n=5))

    for eager, jitted in zip(f(x), jaxlite.jit(f)(x), strict=True):
        assert np.asarray(eager).tobytes() == np.asarray(jitted).tobytes()


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("call, error, match", [
    (lambda: jnp.fft.fft(jnp.ones(8), norm="bad"), ValueError, "Invalid norm value bad"),
    (lambda: jnp.fft.fft(jnp.ones(8), n=0), ValueError, "Shape should be positive"),
    (lambda: jnp.fft.fft(jnp.ones(8), axis=(0,)), ValueError, "does not support multiple axes"),
    (lambda: jnp.fft.fft(jnp.ones(8), axis=2), ValueError, "out of bounds"),
    (lambda: jnp.fft.fft2(jnp.ones(8)), ValueError, "out of bounds"),
    (lambda: jnp.fft.fft2(jnp.ones((2, 2)), axes=(0,)), ValueError, "only supports 2 axes"),
    (lambda: jnp.fft.fftn(jnp.ones((8, 3)), axes=(0, 0)), ValueError, "repeated axes"),
    (lambda: jnp.fft.fftn(jnp.ones((8, 3)), s=(2,), axes=(0, 1)), ValueError,
     "Shape and axes have different lengths"),
    (lambda: jnp.fft.rfft(jnp.ones(8, jnp.complex64)), ValueError, "only real valued inputs"),
    (lambda: jnp.fft.rfft(jnp.ones(8, jnp.float16)), ValueError, "float32 or float64"),
    (lambda: jnp.fft.fft([1.0, 2.0]), TypeError, "ndarray or scalar"),
    (lambda: jnp.fft.fftfreq([4]), ValueError, "only takes an int"),
    (lambda: lax.fft(jnp.ones(4), "dct", (4,)), ValueError, "Unknown FFT type 'dct'"),
    (lambda: lax.fft(jnp.ones(4), 7, (4,)), TypeError, "Unknown FFT type value"),
    (lambda: lax.fft(jnp.ones(4), "fft", (5,)), TypeError, "must end in"),
])
def test_bad_inputs_raise_and_leave_the_library_working(call, error, match):
    with pytest.raises(error, match=match):
        call()
    np.testing.assert_allclose(np.asarray(jnp.fft.fft(jnp.ones(2))), [2, 0])
