"""``lax.conv_general_dilated`` and its wrappers against a direct NumPy convolution and
against values recorded from JAX 0.10; errors as JAX raises them."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax


def reference_conv(x, w, strides, padding, lhs_dilation, rhs_dilation, groups=1):
    """NCHW/OIHW convolution by explicit dilation, padding and a loop over kernel offsets."""
    n, c, *space = x.shape
    o, i, *kernel = w.shape
    dilated = np.zeros((n, c, *[(s - 1) * d + 1 for s, d in zip(space, lhs_dilation)]))
    dilated[(slice(None), slice(None), *[slice(None, None, d) for d in lhs_dilation])] = x
    grow = [(max(lo, 0), max(hi, 0)) for lo, hi in padding]
    padded = np.pad(dilated, [(0, 0), (0, 0), *grow])
    padded = padded[(slice(None), slice(None), *[slice(-min(lo, 0) or None,
                                                      (min(hi, 0) or None))
                                                for lo, hi in padding])]
    reach = [(k - 1) * d + 1 for k, d in zip(kernel, rhs_dilation)]
    out_space = [(p - r) // s + 1 for p, r, s in zip(padded.shape[2:], reach, strides)]
    out = np.zeros((n, o, *out_space))
    per_group, out_per_group = c // groups, o // groups
    for offset in np.ndindex(*kernel):
        window = padded[(slice(None), slice(None), *[
            slice(k * d, k * d + (m - 1) * s + 1, s)
            for k, d, m, s in zip(offset, rhs_dilation, out_space, strides)])]
        for g in range(groups):
            xs = window[:, g * per_group:(g + 1) * per_group]
            ws = w[g * out_per_group:(g + 1) * out_per_group, :, *offset]
            out[:, g * out_per_group:(g + 1) * out_per_group] += np.einsum(
                "nc...,oc->no...", xs, ws)
    return out


CASES = [
    ((2, 3, 7, 6), (4, 3, 3, 2), (1, 1), ((0, 0), (0, 0)), (1, 1), (1, 1), 1),
    ((2, 3, 7, 6), (4, 3, 3, 2), (2, 3), ((1, 2), (0, -1)), (2, 1), (1, 2), 1),
    ((1, 4, 6, 5), (6, 2, 2, 3), (1, 2), ((2, 0), (1, 1)), (1, 1), (2, 1), 2),
    ((3, 2, 9), (2, 2, 4), (3,), ((3, 1),), (2,), (1,), 1),
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matches_a_direct_convolution(case, dtype):
    x_shape, w_shape, strides, padding, lhs_dilation, rhs_dilation, groups = case
    rng = np.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    got = lax.conv_general_dilated(x, w, strides, padding, lhs_dilation, rhs_dilation,
                                   feature_group_count=groups)
    want = reference_conv(x, w, strides, padding, lhs_dilation, rhs_dilation, groups)
    assert got.dtype == np.dtype(dtype if jaxlite.config.jax_enable_x64 else np.float32)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-5)


def test_layout_strings_and_padding_names():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 7, 6, 3)).astype(np.float32)  # NHWC
    w = rng.standard_normal((3, 2, 3, 4)).astype(np.float32)  # HWIO
    for padding, pads in [("SAME", ((1, 1), (0, 1))), ("SAME_LOWER", ((1, 1), (1, 0))),
                          ("VALID", ((0, 0), (0, 0)))]:
        got = lax.conv_general_dilated(x, w, (2, 1), padding,
                                       dimension_numbers=("NHWC", "HWIO", "NHWC"))
        want = reference_conv(x.transpose(0, 3, 1, 2), w.transpose(3, 2, 0, 1), (2, 1), pads,
                              (1, 1), (1, 1)).transpose(0, 2, 3, 1)
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-5)
    numbers = lax.conv_dimension_numbers(x.shape, w.shape, ("NHWC", "HWIO", "NHWC"))
    assert numbers == lax.ConvDimensionNumbers((0, 3, 1, 2), (3, 2, 0, 1), (0, 3, 1, 2))
    assert lax.padtype_to_pads((7, 6), (3, 2), (2, 1), "SAME") == [(1, 1), (0, 1)]


def test_conv_transpose_and_wrappers_match_jax():
    x = (np.arange(2 * 3 * 3 * 1, dtype=np.float32).reshape(2, 3, 3, 1) % 5) - 2
    w = (np.arange(2 * 2 * 1 * 2, dtype=np.float32).reshape(2, 2, 1, 2) % 3) - 1
    # values recorded from jax.lax 0.10
    got = lax.conv_transpose(x, w, (2, 2), "VALID")
    assert got.shape == (2, 6, 6, 2)
    np.testing.assert_array_equal(np.asarray(got)[0, :2, :3, 0], [[2., 0., 1.], [-2., 2., -1.]])
    got = lax.conv_transpose(x, w.transpose(0, 1, 3, 2), (1, 2), "SAME",
                             transpose_kernel=True)
    assert got.shape == (2, 3, 6, 2)
    np.testing.assert_array_equal(np.asarray(got)[1, 1, :, 1], [2., 0., -2., -1., -1., -2.])
    nchw = np.transpose(x, (0, 3, 1, 2))
    oihw = np.transpose(w, (3, 2, 0, 1))
    np.testing.assert_array_equal(
        np.asarray(lax.conv(nchw, oihw, (1, 1), "SAME"))[0, 0],
        [[-1., 3., 0.], [1., -5., 2.], [1., 1., -1.]])
    np.testing.assert_array_equal(
        np.asarray(lax.conv_with_general_padding(nchw, oihw, (1, 1), ((1, 0), (0, 1)),
                                                 (1, 2), (2, 1)))[1, 1, 0],
        [0., 0., 1., 0., 2.])


def test_precision_and_preferred_element_type():
    x = np.ones((1, 1, 3, 3), np.float16)
    out = lax.conv(x, x, (1, 1), "VALID", precision=lax.Precision.HIGHEST,
                   preferred_element_type=jnp.float32)
    assert out.dtype == np.float32 and float(out[0, 0, 0, 0]) == 9.0
    closed = jaxlite.make_jaxpr(lambda a: lax.conv(a, a, (1, 1), "VALID", precision="high"))(x)
    assert "precision=(Precision.HIGH, Precision.HIGH)" in str(closed)


def test_grad_of_batch_grouped_convolution_under_jit():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 2, 5, 5)).astype(np.float32)
    w = rng.standard_normal((4, 2, 3, 3)).astype(np.float32)

    def loss(x, w):
        return jnp.sum(lax.conv_general_dilated(x, w, (1, 1), "SAME", batch_group_count=2) ** 2)

    eager = jaxlite.grad(loss, argnums=(0, 1))(x, w)
    jitted = jaxlite.jit(jaxlite.grad(loss, argnums=(0, 1)))(x, w)
    for a, b in zip(eager, jitted):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


@pytest.mark.parametrize("call, error, match", [
    (lambda x, w: lax.conv_general_dilated(x, w, (1, 1), "FULL"), RuntimeError,
     "Unrecognized padding type"),
    (lambda x, w: lax.conv_general_dilated(x, w, (1, 1), [(1, 1, 1)]), ValueError,
     "padding argument"),
    (lambda x, w: lax.conv_general_dilated(x, w, (1, 1), "SAME",
                                           dimension_numbers=("NHWC", "HWIO")), TypeError,
     "must be length 3"),
    (lambda x, w: lax.conv_general_dilated(x, w, (1, 1), "SAME",
                                           dimension_numbers=("NHWC", "HWOO", "NHWC")),
     TypeError, "exactly once"),
    (lambda x, w: lax.conv_general_dilated(x, w, (1, 1), "SAME", feature_group_count=2),
     ValueError, "feature_group_count"),
    (lambda x, w: lax.conv_general_dilated(x, w[0], (1, 1), "SAME"), TypeError, "ndim"),
    (lambda x, w: lax.conv_general_dilated(x, w, (1, 1), "SAME", lhs_dilation=(2, 1)),
     ValueError, "String padding"),
])
def test_bad_arguments_raise_as_jax(call, error, match):
    x = np.ones((1, 3, 5, 5), np.float32)
    w = np.ones((4, 3, 3, 3), np.float32)
    with pytest.raises(error, match=match):
        call(x, w)
    assert lax.conv(x, w, (1, 1), "VALID").shape == (1, 4, 3, 3)  # still works
