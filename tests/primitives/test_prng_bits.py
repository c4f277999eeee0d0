"""The optimized ``erf_inv`` (float32) and ``threefry2x32`` impls against plain references.

The references below are the straightforward algorithms the impls started as (whole-array
passes, boolean masks, one NumPy expression per step): ``random.normal``'s bits are JAX's
because these are XLA's steps, so the fast impls must give the same bits on every input.
About 10**6 inputs each, with the corners: +-0, +-1, beyond +-1, +-inf, NaN, subnormals,
and a few thousand ulps either side of each branch boundary (log1p's Cephes range at
``|x*x| = sqrt(2) - 1``, the polynomial switch at ``w = 5``, and just below 1).
"""

import numpy as np
import pytest
from jaxlite.primitives import prng, special

F32, F64, U32 = np.float32, np.float64, np.uint32


# ---------------------------------------------------------------- reference erf_inv


def ref_fma(a, b, c):
    """float32 ``a * b + c``: the product exact in float64, the sum rounded there, then to
    float32."""
    return np.add(np.multiply(a, b, dtype=F64), np.asarray(c, F64)).astype(F32)


def ref_horner(x, coefficients):
    p = np.full(np.shape(x), F32(coefficients[0]))
    for c in coefficients[1:]:
        p = ref_fma(p, x, F32(c))
    return p


def ref_log(x):
    """Cephes' logf on positive normal ``x`` (XLA's float32 log)."""
    m, e = np.frexp(x)
    m, e = m.astype(F32), e.astype(F32)
    low = m < F32(0.707106781186547524)
    m = m - F32(1) + np.where(low, m, F32(0))
    e = e - low
    m2 = m * m
    m3 = m2 * m
    r = [F32(c) for c in special._LOG_R]
    y = ref_fma(ref_fma(r[0], m, r[1]), m, r[2])
    y1 = ref_fma(ref_fma(r[3], m, r[4]), m, r[5])
    y2 = ref_fma(ref_fma(r[6], m, r[7]), m, r[8])
    y = ref_fma(ref_fma(y, m3, y1), m3, y2)
    y = ref_fma(y, m3, e * special._LN2_LO)
    return ref_fma(e, special._LN2_HI, (m - m2 * F32(0.5)) + y)


def ref_log1p(t):
    """XLA's float32 log1p for ``t`` in (-1, 0]: Cephes' rational form near 0."""
    out = np.empty_like(t)
    small = np.abs(t) < F32(0.41421356237309504880)
    ts = t[small]
    ratio = ref_horner(ts, special._LOG1P_P) / ref_horner(ts, special._LOG1P_Q)
    t2 = ts * ts
    out[small] = ts + (F32(-0.5) * t2 + (ts * t2) * ratio)
    out[~small] = ref_log(t[~small] + F32(1))
    return out


def ref_erf_inv(x):
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inner = np.abs(x) < F32(1)
        xs = x[inner]
        w = -ref_log1p(-xs * xs)
        below = w < F32(5)
        p = np.empty_like(w)
        p[below] = ref_horner(w[below] - F32(2.5), special._W_BELOW_5)
        p[~below] = ref_horner(np.sqrt(w[~below]) - F32(3), special._W_ABOVE_5)
        out = x * F32(np.inf)
        out[inner] = p * xs
    return out


# ---------------------------------------------------------------- reference threefry


def ref_threefry(k1, k2, x1, x2):
    """Threefry-2x32, 20 rounds, on uint32 arrays (NumPy's uint32 arithmetic wraps)."""
    ks = [k1, k2, k1 ^ k2 ^ U32(0x1BD11BDA)]
    x1, x2 = x1 + ks[0], x2 + ks[1]
    for i in range(5):
        for r in prng._ROTATIONS[i % 2]:
            x1 = x1 + x2
            x2 = ((x2 << U32(r)) | (x2 >> U32(32 - r))) ^ x1
        x1 = x1 + ks[(i + 1) % 3]
        x2 = x2 + ks[(i + 2) % 3] + U32(i + 1)  # array first: wraps silently
    return x1, x2


# ---------------------------------------------------------------- inputs


def around(value, ulps, rng):
    """Random float32 within ``ulps`` ulps of ``value``, both signs."""
    bits = np.asarray(value, F32).view(U32).astype(np.int64)
    near = (bits + rng.integers(-ulps, ulps + 1, 4000)).astype(U32).view(F32)
    return np.concatenate([near, -near])


def as_normal_makes(mantissas):
    """The uniform draws ``random.normal`` feeds erf_inv: ``2 f - 1 + 2**-24``, clamped."""
    f = (mantissas.astype(U32) | U32(0x3F800000)).view(F32) - F32(1)
    low = np.nextafter(F32(-1), F32(0))
    return np.maximum(f * F32(2) + low, low)


def erf_inv_inputs(n=10**6, seed=0):
    rng = np.random.default_rng(seed)
    one = F32(1)
    corners = np.array([0.0, -0.0, 1.0, -1.0, 1.5, -2.0, np.inf, -np.inf, np.nan, 1e-45, -1e-45,
                        1.1754942e-38, -1e-40, np.nextafter(one, F32(0)),
                        -np.nextafter(one, F32(0)), np.nextafter(one, F32(2))], F32)
    x = np.concatenate([
        corners,
        rng.uniform(-1, 1, n * 11 // 16).astype(F32),
        rng.integers(0, 2**32, n // 8, dtype=np.uint64).astype(U32).view(F32),  # any bits
        as_normal_makes(rng.integers(0, 2**23, n // 8)),
        rng.integers(1, 2**23, n // 16).astype(U32).view(F32),  # subnormals
        around(np.sqrt(np.sqrt(2) - 1), 3000, rng),  # log1p's branch boundary
        around(np.sqrt(-np.expm1(-5.0)), 3000, rng),  # the w = 5 boundary
        around(np.nextafter(one, F32(0)), 3000, rng),  # just below 1
    ])
    return rng.permutation(x)


# ---------------------------------------------------------------- the comparisons


def test_erf_inv_f32_gives_the_reference_bits():
    x = erf_inv_inputs()
    assert x.size >= 10**6
    (got,) = special.erf_inv_p.impl(x)
    want = ref_erf_inv(x)
    assert got.dtype == F32 and got.shape == x.shape
    differ = got.view(U32) != want.view(U32)
    assert not differ.any(), (x[differ][:8], got[differ][:8], want[differ][:8])


def test_the_inputs_reach_every_branch():
    x = erf_inv_inputs()
    inner = x[np.abs(x) < 1]
    t = inner * inner
    assert (t < F32(0.41421356)).sum() > 1000 and (t >= F32(0.41421356)).sum() > 1000
    w = -ref_log1p(-t)
    assert (w >= 5).sum() > 1000 and ((w > 4.99) & (w < 5)).sum() > 100
    assert np.isnan(x).any() and (np.abs(x) == 1).sum() >= 2 and (np.abs(x) > 1).any()
    assert ((x != 0) & (np.abs(x) < 1.1754944e-38)).sum() > 1000


def test_xla_log_and_log1p_give_the_reference_bits():
    rng = np.random.default_rng(5)
    positive = rng.integers(0x00800000, 0x7F800000, 10**5).astype(U32).view(F32)  # normal
    np.testing.assert_array_equal(special.xla_log_f32(positive).view(U32),
                                  ref_log(positive).view(U32))
    t = -rng.uniform(0, 1, 10**5).astype(F32)
    np.testing.assert_array_equal(special.xla_log1p_f32(t).view(U32), ref_log1p(t).view(U32))


@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 5), (2, 40_001)])
def test_erf_inv_f32_shapes_and_sizes(shape):
    x = np.random.default_rng(1).uniform(-1, 1, shape).astype(F32)
    (got,) = special.erf_inv_p.impl(x)
    assert got.shape == shape and got.dtype == F32
    want = ref_erf_inv(x.reshape(-1)).reshape(shape)
    np.testing.assert_array_equal(got.view(U32), want.view(U32))


def test_erf_inv_f32_leaves_its_operand_alone():
    x = erf_inv_inputs(10**4, seed=2)
    copy = x.copy()
    special.erf_inv_p.impl(x)
    np.testing.assert_array_equal(x.view(U32), copy.view(U32))


def test_threefry_gives_the_reference_bits():
    rng = np.random.default_rng(3)
    n = 10**6
    counts = rng.integers(0, 2**32, n, dtype=np.uint64).astype(U32)
    counts[:4] = [0, 1, 2**32 - 1, 2**31]
    for k1, k2, x1 in [(U32(0), U32(0), U32(0)), (U32(0xFFFFFFFF), U32(42), U32(0)),
                       (U32(123456789), U32(987654321), counts[::-1].copy())]:
        got = prng.threefry2x32_p.impl(k1, k2, x1, counts)
        want = ref_threefry(k1, k2, np.broadcast_to(x1, counts.shape), counts)
        for g, w in zip(got, want, strict=True):
            np.testing.assert_array_equal(g, w)


def test_threefry_with_a_key_per_element():
    rng = np.random.default_rng(4)
    k1, k2, x1, x2 = (rng.integers(0, 2**32, (3, 70_001), dtype=np.uint64).astype(U32)
                      for _ in range(4))
    got = prng.threefry2x32_p.impl(k1, k2, x1, x2)
    for g, w in zip(got, ref_threefry(k1, k2, x1, x2), strict=True):
        assert g.shape == (3, 70_001)
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_fma_by_blocks_gives_the_float64_expression(dtype):
    rng = np.random.default_rng(6)
    a, b, c = (rng.standard_normal((7, 10_001)).astype(dtype) for _ in range(3))
    for x, y, z in [(a, b, c), (a, dtype(2), dtype(-0.99)), (dtype(1.5), b[:1], c[:, :1]),
                    (dtype(1), dtype(2), dtype(3)), (a[:0], b[:0], c[:0])]:
        (got,) = special.fma_p.impl(x, y, z)
        want = (np.multiply(x, y, dtype=F64) + np.asarray(z, F64)).astype(dtype)
        assert got.dtype == dtype and got.shape == want.shape
        np.testing.assert_array_equal(np.atleast_1d(got).view(np.uint16),
                                      np.atleast_1d(want).view(np.uint16))
