"""Shape and construction functions of issue 14 (shaping, padding, matrix construction,
differences, r_/c_) against NumPy on several shapes and dtypes, with jit against eager,
vmap against a loop, check_grads, recorded JAX values and the errors JAX raises."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.core.errors import ConcretizationTypeError
from jaxlite.test_util import check_grads
from jaxlite.tree_util import tree_leaves

RNG = np.random.default_rng(0)
X1 = RNG.normal(size=(5,)).astype(np.float32)
X2 = RNG.normal(size=(3, 4)).astype(np.float32)
X3 = RNG.normal(size=(2, 3, 4)).astype(np.float32)
I2 = RNG.integers(-5, 6, size=(4, 4)).astype(np.int32)
B2 = RNG.integers(0, 2, size=(3, 4)).astype(bool)
SQ = RNG.normal(size=(4, 4)).astype(np.float32)


def _canonical(dtype):
    """NumPy's 64-bit result dtypes as jaxlite's defaults (x64 off) give them."""
    return {np.dtype("int64"): np.dtype("int32"), np.dtype("float64"): np.dtype("float32")}.get(
        np.dtype(dtype), np.dtype(dtype))


def _assert_same(out, expected):
    outs, exps = tree_leaves(out), tree_leaves(expected)
    assert len(outs) == len(exps)
    for o, e in zip(outs, exps):
        e = np.asarray(e)
        assert o.shape == e.shape, (o.shape, e.shape)
        assert o.dtype == _canonical(e.dtype), (o.dtype, e.dtype)
        np.testing.assert_allclose(np.asarray(o, np.float64), e.astype(np.float64),
                                   rtol=1e-5, atol=1e-6)


# (id, function of (module, array), inputs): run with m=np and m=jnp on each input
CASES = [
    ("atleast_1d", lambda m, x: m.atleast_1d(x), [X1[0], X1, X2]),
    ("atleast_2d", lambda m, x: m.atleast_2d(x), [X1[0], X1, X3]),
    ("atleast_3d", lambda m, x: m.atleast_3d(x), [X1[0], X1, X2, X3]),
    ("atleast_many", lambda m, x: m.atleast_2d(x, x[0]), [X1, X3]),
    ("broadcast_arrays", lambda m, x: m.broadcast_arrays(x, x[:1], 2.0), [X2, I2]),
    ("dstack", lambda m, x: m.dstack([x, x]), [X1, X2, X3]),
    ("column_stack", lambda m, x: m.column_stack([x, x[:, :1], x[:, 0]]), [X2, I2]),
    ("append", lambda m, x: m.append(x, x[:1], axis=0), [X2, X3]),
    ("append_flat", lambda m, x: m.append(x, 3), [X2, I2]),
    ("split", lambda m, x: m.split(x, 2, axis=-1), [X2, X3]),
    ("split_indices", lambda m, x: m.split(x, [1, 3, 3], axis=1), [X2, I2]),
    ("array_split", lambda m, x: m.array_split(x, 3, axis=-1), [X1, X2, X3]),
    ("hsplit", lambda m, x: m.hsplit(x, [2]), [X1, X2]),
    ("vsplit", lambda m, x: m.vsplit(x, [1]), [X2, X3]),
    ("dsplit", lambda m, x: m.dsplit(x, 2), [X3]),
    ("tile", lambda m, x: m.tile(x, (2, 1, 3)), [X1, X2, I2]),
    ("tile_int", lambda m, x: m.tile(x, 2), [X1[0], X2]),
    ("repeat", lambda m, x: m.repeat(x, 2), [X1[0], X2]),
    ("repeat_axis", lambda m, x: m.repeat(x, 3, axis=-1), [X2, B2]),
    ("repeat_counts", lambda m, x: m.repeat(x, np.array([2, 0, 1]), axis=0), [X2, B2]),
    ("flip", lambda m, x: m.flip(x), [X1, X3]),
    ("flip_axes", lambda m, x: m.flip(x, (0, -1)), [X2, X3]),
    ("fliplr", lambda m, x: m.fliplr(x), [X2, X3]),
    ("flipud", lambda m, x: m.flipud(x), [X1, X2]),
    ("rot90", lambda m, x: [m.rot90(x, k) for k in (-1, 1, 2, 3, 4)], [X2, I2]),
    ("rot90_axes", lambda m, x: m.rot90(x, 1, (2, 0)), [X3]),
    ("roll", lambda m, x: m.roll(x, 7), [X1, X2]),
    ("roll_axes", lambda m, x: m.roll(x, (1, -2), (0, -1)), [X2, X3]),
    ("roll_one_axis", lambda m, x: m.roll(x, (1, 2), 1), [X2, X3]),
    ("diag", lambda m, x: [m.diag(x, k) for k in (-2, 0, 1)], [X1, X2, I2]),
    ("diagonal", lambda m, x: [m.diagonal(x, k) for k in (-1, 0, 2)], [X2, I2]),
    ("diagonal_axes", lambda m, x: m.diagonal(x, 1, 2, 0), [X3]),
    ("diagflat", lambda m, x: m.diagflat(x, -1), [X1, X2]),
    ("trace", lambda m, x: [m.trace(x), m.trace(x, 1)], [X2, I2]),
    ("trace_axes", lambda m, x: m.trace(x, 0, -1, 1), [X3]),
    ("tril", lambda m, x: [m.tril(x), m.tril(x, -1)], [X2, X3, I2]),
    ("triu", lambda m, x: [m.triu(x), m.triu(x, 2)], [X2, X3, B2]),
    ("diff", lambda m, x: [m.diff(x), m.diff(x, 2, axis=0), m.diff(x, 5)], [X2, I2, B2]),
    ("diff_ends", lambda m, x: m.diff(x, prepend=1, append=x[..., :2]), [X1, X2]),
    ("ediff1d", lambda m, x: m.ediff1d(x, to_end=np.array([1, 2]), to_begin=-1), [X1, X2]),
    ("gradient", lambda m, x: m.gradient(x), [X1, X2, I2]),
    ("gradient_spacing", lambda m, x: m.gradient(x, 0.5, np.array([0.0, 1, 3, 3.5])), [X2]),
    ("gradient_axis", lambda m, x: m.gradient(x, np.array([0.0, 1, 1.5]), axis=1), [X3]),
]
PADS = [
    ("constant", {}), ("constant", {"constant_values": 2}),
    ("constant", {"constant_values": ((1, 2), (3, 4))}), ("edge", {}), ("wrap", {}),
    ("reflect", {}), ("symmetric", {}), ("reflect", {"reflect_type": "odd"}),
    ("symmetric", {"reflect_type": "odd"}), ("linear_ramp", {"end_values": (1, -2)}),
    ("maximum", {}), ("minimum", {"stat_length": 2}), ("mean", {"stat_length": (1, 3)}),
]
for _mode, _kw in PADS:
    CASES.append((f"pad_{_mode}_{len(_kw)}",
                  lambda m, x, mode=_mode, kw=_kw: [m.pad(x, w, mode, **kw)
                                                    for w in (1, (0, 5), ((2, 1), (7, 0)))],
                  [X2, I2]))
CASE_IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("name,fn,inputs", CASES, ids=CASE_IDS)
def test_values_against_numpy_eager_and_jit(name, fn, inputs):
    for x in inputs:
        expected = fn(np, x)
        _assert_same(fn(jnp, x), expected)
        _assert_same(jaxlite.jit(lambda v: fn(jnp, v))(x), expected)


@pytest.mark.parametrize("name,fn,inputs", CASES, ids=CASE_IDS)
def test_vmap_against_a_loop(name, fn, inputs):
    x = inputs[-1]
    batch = np.stack([x, x * 2, x + 1]) if x.dtype != bool else np.stack([x, ~x, x])
    out = jaxlite.vmap(lambda v: fn(jnp, v))(batch)
    looped = [fn(jnp, v) for v in batch]
    for o, parts in zip(tree_leaves(out), zip(*[tree_leaves(r) for r in looped])):
        np.testing.assert_array_equal(np.asarray(o), np.stack([np.asarray(p) for p in parts]))


GRAD_CASES = [c for c in CASES if c[0] not in ("broadcast_arrays", "append_flat")]


@pytest.mark.parametrize("name,fn,inputs", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_check_grads(name, fn, inputs):
    jaxlite.config.update("jax_enable_x64", True)
    x = next(v for v in reversed(inputs) if v.dtype == np.float32).astype(np.float64)
    check_grads(lambda v: fn(jnp, v), [x], order=2)


def test_grads_of_broadcast_arrays_and_append():
    jaxlite.config.update("jax_enable_x64", True)
    x = X2.astype(np.float64)
    check_grads(lambda v: jnp.broadcast_arrays(v, v[:1], 2.0), [x], order=2)
    check_grads(lambda v, w: jnp.append(v, w), [x, x[0]], order=2)
    check_grads(lambda v, c: jnp.pad(v, 2, constant_values=c), [x, np.float64(3.0)], order=2)


# ---------------------------------------------------------------- traced arguments


def test_roll_by_a_traced_shift_matches_a_static_one():
    for shift in (-3, 0, 2, 9):
        expected = np.roll(X3, shift, axis=1)
        out = jaxlite.jit(lambda x, s: jnp.roll(x, s, axis=1))(X3, shift)
        np.testing.assert_array_equal(np.asarray(out), expected)
    shifts = np.array([1, 4])
    out = jaxlite.jit(lambda x, s: jnp.roll(x, s, (0, 2)))(X3, shifts)
    np.testing.assert_array_equal(np.asarray(out), np.roll(X3, (1, 4), (0, 2)))
    out = jaxlite.vmap(lambda s: jnp.roll(X1, s))(np.arange(4))
    np.testing.assert_array_equal(np.asarray(out), np.stack([np.roll(X1, s) for s in range(4)]))
    jaxlite.config.update("jax_enable_x64", True)
    check_grads(lambda x: jaxlite.jit(lambda v, s: jnp.roll(v, s, 0))(x, 2),
                [X2.astype(np.float64)], order=2)


def test_repeat_with_traced_counts_and_a_total_length():
    # recorded from JAX 0.10.2: the result is cut, or padded with the last entry
    counts = np.array([1, 2, 0], np.int32)
    fn = jaxlite.jit(lambda r: jnp.repeat(jnp.arange(3), r, total_repeat_length=5))
    np.testing.assert_array_equal(np.asarray(fn(counts)), [0, 1, 1, 2, 2])
    np.testing.assert_array_equal(
        np.asarray(jnp.repeat(jnp.arange(3), counts, total_repeat_length=2)), [0, 1])
    np.testing.assert_array_equal(
        np.asarray(jnp.repeat(jnp.arange(3), 2, total_repeat_length=8)), [0, 0, 1, 1, 2, 2, 2, 2])
    batched = jaxlite.vmap(lambda r: jnp.repeat(X1[:3], r, total_repeat_length=4))(
        np.array([[1, 2, 1], [0, 0, 4]]))
    np.testing.assert_array_equal(np.asarray(batched),
                                  [np.repeat(X1[:3], [1, 2, 1]), np.repeat(X1[:3], [0, 0, 4])])
    jaxlite.config.update("jax_enable_x64", True)
    check_grads(lambda x: jaxlite.jit(lambda v, r: jnp.repeat(v, r, axis=1,
                                                              total_repeat_length=6))(x, counts),
                [X2[:, :3].astype(np.float64)], order=2)


def test_pad_with_traced_constant_values():
    out = jaxlite.jit(lambda x, c: jnp.pad(x, ((1, 0), (0, 2)), constant_values=c))(
        X2, np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
    expected = np.pad(X2, ((1, 0), (0, 2)), constant_values=((1, 2), (3, 4)))
    np.testing.assert_array_equal(np.asarray(out), expected)
    out = jaxlite.vmap(lambda c: jnp.pad(X1, 1, constant_values=c))(np.arange(3.0))
    np.testing.assert_array_equal(np.asarray(out), [np.pad(X1, 1, constant_values=c)
                                                    for c in range(3)])


def test_methods():
    a = jnp.asarray(X3)
    np.testing.assert_array_equal(np.asarray(a.repeat(2, axis=1)), X3.repeat(2, axis=1))
    np.testing.assert_array_equal(np.asarray(a.diagonal(1, 1, 2)), X3.diagonal(1, 1, 2))
    np.testing.assert_allclose(np.asarray(a.trace(axis1=1, axis2=2)), X3.trace(axis1=1, axis2=2),
                               rtol=1e-6)
    out = jaxlite.jit(lambda v: v.transpose(2, 0, 1).swapaxes(0, 1).squeeze().flatten())(X3)
    np.testing.assert_array_equal(np.asarray(out), X3.transpose(2, 0, 1).swapaxes(0, 1).ravel())


# ---------------------------------------------------------------- construction


@pytest.mark.parametrize("dtype", [None, np.int32, np.float32])
def test_tri_eye_indices(dtype):
    for n, m, k in [(3, None, 0), (3, 5, 1), (4, 2, -1), (0, 2, 0)]:
        _assert_same(jnp.tri(n, m, k, dtype), np.tri(n, m, k, dtype or np.float32))
        _assert_same(jnp.eye(n, m, k, dtype), np.eye(n, m, k, dtype or np.float32))
    for dims in [(2, 3), (4,), (2, 1, 3)]:
        _assert_same(jnp.indices(dims, dtype or np.int32), np.indices(dims, dtype or np.int32))
        _assert_same(jnp.indices(dims, sparse=True), np.indices(dims, sparse=True))


@pytest.mark.parametrize("indexing", ["xy", "ij"])
@pytest.mark.parametrize("sparse", [False, True])
def test_meshgrid(indexing, sparse):
    args = [np.arange(2, dtype=np.int32), X1, X1[:3]]
    for count in (1, 2, 3):
        expected = np.meshgrid(*args[:count], sparse=sparse, indexing=indexing)
        _assert_same(jnp.meshgrid(*args[:count], sparse=sparse, indexing=indexing), expected)
    jaxlite.config.update("jax_enable_x64", True)
    check_grads(lambda a, b: jnp.meshgrid(a, b, indexing=indexing), [X1 * 1.0, X2[0] * 1.0],
                order=1)


def test_logspace_and_geomspace():
    for args in [(0, 3, 4), (1.0, -2.0, 5, False), (np.array([0.0, 1.0]), 2.0, 3)]:
        _assert_same(jnp.logspace(*args), np.logspace(*args).astype(np.float32))
        _assert_same(jnp.logspace(*args, base=2.0, axis=-1),
                     np.logspace(*args, base=2.0, axis=-1).astype(np.float32))
    for args in [(1, 1000, 4), (-1, -16, 5, False),
                 (np.array([1.0, 1000.0]), np.array([27, 1]), 4)]:
        _assert_same(jnp.geomspace(*args), np.geomspace(*args).astype(np.float32))
    _assert_same(jnp.geomspace(1, 1000, 4, axis=0, dtype=np.int32), np.int32([1, 10, 100, 1000]))
    _assert_same(jnp.logspace(0, 3, 4, dtype=np.int32), np.int32([1, 10, 100, 1000]))
    jaxlite.config.update("jax_enable_x64", True)
    check_grads(lambda a, b: jnp.geomspace(a, b, 4), [np.float64(2.0), np.float64(5.0)], order=2)
    check_grads(lambda a, b: jnp.logspace(a, b, 4, base=3.0), [np.float64(0.5), np.float64(2.0)],
                order=2)


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # NumPy's matrix directives
def test_r_and_c():
    x = np.arange(3, dtype=np.int32)
    cases = [
        (lambda m: m.r_[-1:5:1, 0, 0, x]), (lambda m: m.r_[0:1:5j, 0, x]),
        (lambda m: m.r_[:4, 2:5]), (lambda m: m.r_["0,2", x, x]), (lambda m: m.r_["0,2,0", x, x]),
        (lambda m: m.r_["1,2,-2", x, x]), (lambda m: m.r_["-1", X2, X2]),
        (lambda m: m.c_[x, x]), (lambda m: m.c_[X2, X2[:, :1]]), (lambda m: m.c_[x, 1:4]),
    ]
    for case in cases:
        _assert_same(case(jnp), case(np))
    _assert_same(jnp.r_["r", x, x], np.asarray(np.r_["r", x, x]))
    _assert_same(jnp.r_["c", x], np.asarray(np.r_["c", x]))
    out = jaxlite.jit(lambda v: jnp.r_[v, 0.0, v])(X1)
    np.testing.assert_array_equal(np.asarray(out), np.r_[X1, 0.0, X1])


# ---------------------------------------------------------------- errors


ERRORS = [
    (lambda: jnp.flip([1, 2]), TypeError, "requires ndarray"),
    (lambda: jnp.split(jnp.arange(5), 2), ValueError, "equal division"),
    (lambda: jnp.split(jnp.arange(5), [1, 7]), ValueError, "nonnegative"),
    (lambda: jnp.array_split(jnp.arange(7), [2, -2]), ValueError, "nonnegative"),
    (lambda: jnp.vsplit(jnp.arange(5), 5), ValueError, "2 or more dimensions"),
    (lambda: jnp.dsplit(jnp.ones((2, 2)), 2), ValueError, "3 or more dimensions"),
    (lambda: jnp.repeat(jnp.arange(3), jnp.array([1, 2])), ValueError, "broadcast"),
    (lambda: jaxlite.jit(lambda r: jnp.repeat(jnp.arange(3), r))(np.array([1, 2, 0])),
     ConcretizationTypeError, "total_repeat_length"),
    (lambda: jnp.tile(jnp.arange(3), -1), ValueError, "negative"),
    (lambda: jnp.tile(jnp.arange(3), 1.5), TypeError, "integers"),
    (lambda: jnp.repeat(jnp.arange(3), [1, 2, 0]), TypeError, "requires ndarray"),
    (lambda: jnp.repeat(jnp.arange(3), -1), TypeError, "non-negative"),
    (lambda: jnp.roll(jnp.arange(3), np.ones((1, 1), int)), ValueError, "scalars or 1D"),
    (lambda: jnp.meshgrid(jnp.arange(3), copy=False), ValueError, "copy=True"),
    (lambda: jnp.ediff1d(jnp.arange(3), to_end=[1]), TypeError, "requires ndarray"),
    (lambda: jnp.pad(jnp.ones(3), 1, "maximum", stat_length=-1), ValueError, "non-negative"),
    (lambda: jnp.rot90(jnp.arange(3)), ValueError, "ndim at least two"),
    (lambda: jnp.rot90(jnp.ones((2, 3)), axes=(0, 0)), ValueError, "Axes must be different"),
    (lambda: jnp.fliplr(jnp.ones(3)), ValueError, "at least 2"),
    (lambda: jnp.flip(jnp.ones(3), 1), ValueError, "out of bounds"),
    (lambda: jnp.roll(jnp.ones((2, 2)), (1, 2, 3), (0, 1)), ValueError, "same length"),
    (lambda: jnp.tril(jnp.ones(3)), ValueError, "at least 2D"),
    (lambda: jnp.tri(-1), TypeError, "nonnegative"),
    (lambda: jnp.indices((2, -1)), TypeError, "nonnegative"),
    (lambda: jnp.diag(jnp.ones((2, 2, 2))), ValueError, "1d or 2d"),
    (lambda: jnp.diagonal(jnp.ones(3)), ValueError, "at least two dimensions"),
    (lambda: jnp.diagonal(jnp.ones((2, 2)), 0, 1, -1), ValueError, "must not be equal"),
    (lambda: jnp.meshgrid(jnp.ones((2, 2))), ValueError, "must be 1D"),
    (lambda: jnp.meshgrid(jnp.ones(2), indexing="foo"), ValueError, "'xy' and 'ij'"),
    (lambda: jnp.pad(jnp.ones(3), 1, "foo"), NotImplementedError, "Unimplemented padding mode"),
    (lambda: jnp.pad(jnp.ones(3), 1, "edge", constant_values=2), ValueError, "unsupported"),
    (lambda: jnp.pad(jnp.ones(3), -1), ValueError, "negative"),
    (lambda: jnp.pad(jnp.ones(3), 1.5), TypeError, "integral"),
    (lambda: jnp.pad(jnp.ones((2, 2)), (1, 2, 3)), ValueError, "unsupported shape"),
    (lambda: jnp.pad(jnp.ones(0), 1, "wrap"), ValueError, "empty axis"),
    (lambda: jnp.pad(jnp.ones(3), 1, "reflect", reflect_type="x"), ValueError, "'even' or"),
    (lambda: jnp.pad(jnp.ones(3), 1, "mean", stat_length=0), ValueError, "stat_length of 0"),
    (lambda: jnp.pad(jnp.ones(3), 1, constant_values=jnp.ones(3)), ValueError, "unsupported"),
    (lambda: jaxlite.jit(lambda w: jnp.pad(jnp.ones(3), w))(1), ConcretizationTypeError,
     "pad_width"),
    (lambda: jnp.diff(jnp.float32(3)), ValueError, "at least one dimensional"),
    (lambda: jnp.diff(jnp.ones(3), n=-1), ValueError, "non-negative"),
    (lambda: jnp.gradient(jnp.ones((1, 4))), ValueError, "at least 2 elements"),
    (lambda: jnp.gradient(jnp.ones(4), edge_order=2), NotImplementedError, "edge_order"),
    (lambda: jnp.gradient(jnp.ones(4), jnp.ones(3)), ValueError, "same length"),
    (lambda: jnp.gradient(jnp.ones((3, 4)), 1.0, 2.0, 3.0), TypeError, "spacing arguments"),
    (lambda: jnp.r_["0", "1", jnp.ones(2)], ValueError, "at the beginning"),
    (lambda: jnp.r_["a,b", jnp.ones(2)], ValueError, "could not understand directive"),
]


@pytest.mark.parametrize("call,error,match", ERRORS, ids=range(len(ERRORS)))
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
    np.testing.assert_array_equal(np.asarray(jnp.flip(jnp.arange(3))), [2, 1, 0])


SHAPE_NAMES = """atleast_1d atleast_2d atleast_3d broadcast_arrays dstack column_stack append split
array_split hsplit vsplit dsplit tile repeat flip fliplr flipud rot90 roll pad diag diagonal
diagflat trace tril triu tri eye identity meshgrid logspace geomspace r_ c_ gradient diff ediff1d
indices""".split()


@pytest.mark.parametrize("name", SHAPE_NAMES)
def test_name_exists(name):
    assert hasattr(jnp, name)


def test_stacking_takes_dtype_and_an_array_of_rows():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    for name, expected in [("concatenate", np.concatenate(x)), ("hstack", np.hstack(x)),
                           ("vstack", np.vstack(x)), ("stack", np.stack(x)),
                           ("dstack", np.dstack(x)), ("column_stack", np.column_stack(x))]:
        _assert_same(getattr(jnp, name)(x), expected)
    _assert_same(jnp.concatenate([x[0], np.arange(2)], dtype=np.int32),
                 np.concatenate([x[0], np.arange(2)]).astype(np.int32))
    _assert_same(jnp.stack([1, 2.5], dtype=np.int32), np.int32([1, 2]))
    _assert_same(jnp.hstack([x, x], dtype=np.float16), np.hstack([x, x]).astype(np.float16))
    _assert_same(jnp.vstack([x, x[0]], dtype=np.int32), np.vstack([x, x[0]]).astype(np.int32))
    out = jaxlite.vmap(lambda v: jnp.concatenate(v, dtype=np.int32))(np.stack([x, x + 1]))
    _assert_same(out, np.stack([np.concatenate(x), np.concatenate(x + 1)]).astype(np.int32))
