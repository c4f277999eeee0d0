"""Values of a few primitives at their corners (ties, zeros, signs), as JAX 0.10 gives them."""

import numpy as np
import pytest

import jaxlite
from jaxlite.primitives import elementwise as ew
from jaxlite.primitives import reductions, shape


def prim_jvp(prim, primals, tangents, **params):
    f = lambda *xs: prim.bind1(*xs, **params)  # noqa: E731
    arrays = lambda xs: tuple(np.asarray(x, np.float32) for x in xs)  # noqa: E731
    return [np.asarray(v) for v in jaxlite.jvp(f, arrays(primals), arrays(tangents))]


def test_sign_keeps_negative_zero():
    out = np.asarray(ew.sign_p.bind1(np.array([-0.0, 0.0, -2.0, np.nan], np.float32)))
    np.testing.assert_array_equal(out, [-0.0, 0.0, -1.0, np.nan])
    assert list(np.signbit(out[:2])) == [True, False]


def test_integer_div_rounds_toward_zero():
    out = ew.div_p.bind1(np.array([-7, 7, 7, -7], np.int32), np.array([2, -2, 2, -2], np.int32))
    np.testing.assert_array_equal(np.asarray(out), [-3, -3, 3, 3])


def test_ties_share_the_tangent():
    _, t = prim_jvp(reductions.reduce_max_p, [[1.0, 3.0, 3.0]], [[1.0, 2.0, 6.0]], axes=(0,))
    assert t == 4.0
    _, t = prim_jvp(ew.min_p, [[1.0, 2.0], [1.0, 0.0]], [[2.0, 5.0], [4.0, 7.0]])
    np.testing.assert_array_equal(t, [3.0, 7.0])


def test_abs_derivative_at_zero_is_one():
    assert prim_jvp(ew.abs_p, [0.0], [1.0])[1] == 1.0


@pytest.mark.parametrize("x, expected", [([0.0, 2.0, 0.0], 0.0), ([0.0, 2.0, 3.0], 6.0)])
def test_reduce_prod_derivative_at_zeros(x, expected):
    assert prim_jvp(reductions.reduce_prod_p, [x], [[1.0, 1.0, 1.0]], axes=(0,))[1] == expected


def test_argmax_picks_the_first_nan():
    x = np.array([1.0, np.nan, 3.0, np.nan], np.float32)
    assert int(reductions.argmax_p.bind1(x, axes=(0,), index_dtype=np.dtype(np.int32))) == 1




def test_broadcast_in_dim_is_a_read_only_view_with_numpys_values():
    # the impl builds the strided view itself (C-contiguous operands) or asks NumPy
    from jaxlite.primitives.structural import broadcast_in_dim_p

    rng = np.random.default_rng(0)
    for _ in range(300):
        ndim = int(rng.integers(0, 4))
        out_ndim = ndim + int(rng.integers(0, 3))
        dims = tuple(sorted(int(d) for d in rng.choice(out_ndim, ndim, replace=False)))
        shape = tuple(int(s) for s in rng.integers(0, 4, out_ndim))
        x_shape = tuple(shape[d] if rng.random() < 0.7 else 1 for d in dims)
        x = rng.standard_normal(x_shape).astype(np.float32)
        if x.ndim == 2 and rng.random() < 0.3:
            x = np.asfortranarray(x)  # not C-contiguous: NumPy's path
        (out,) = broadcast_in_dim_p.impl(x, shape=shape, broadcast_dimensions=dims)
        expanded = x.reshape([x.shape[dims.index(i)] if i in dims else 1 for i in range(out_ndim)])
        np.testing.assert_array_equal(out, np.broadcast_to(expanded, shape))
        assert out.shape == shape and not out.flags.writeable


def test_batched_outer_products_match_einsum():
    from jaxlite.primitives.linalg import dot_general

    rng = np.random.default_rng(1)
    for m, n in [(3, 5), (5, 3), (4, 4)]:
        x = rng.standard_normal((6, m)).astype(np.float32)
        y = rng.standard_normal((6, n)).astype(np.float32)
        out = np.asarray(dot_general(x, y, (((), ()), ((0,), (0,)))))
        np.testing.assert_allclose(out, np.einsum("bi,bj->bij", x, y), rtol=1e-6)
