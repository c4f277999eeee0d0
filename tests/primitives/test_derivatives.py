"""Derivative rules, driven by the spec table.

* differentiable rows: ``check_grads`` (finite differences and the dot-product test, to
  the row's order) in float64;
* rows with zero derivative: the jvp rule returns symbolic zeros, and ``jvp``/``vjp``
  give zero tangents and cotangents;
* linear rows: for each group of linear operands (and each operand of a group alone,
  the others zero), the transpose from ``linear_transpose`` and from ``transpose_jaxpr``
  satisfies ``<ct, L t> == <L^T ct, t>``.
"""

import numpy as np
import pytest

import jaxlite
from jaxlite.core.primitive import Zero
from jaxlite.interpreters import eval_jaxpr, transpose_jaxpr
from jaxlite.test_util import check_grads

from . import spec


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


def random_like(x, rng):
    x = np.asarray(x)
    if x.dtype == np.bool_:
        return rng.random(x.shape) < 0.5
    if np.issubdtype(x.dtype, np.integer):
        return rng.integers(-3, 4, x.shape).astype(x.dtype)
    if x.dtype.kind == "c":
        return (rng.standard_normal(x.shape) + 1j * rng.standard_normal(x.shape)).astype(x.dtype)
    return rng.standard_normal(x.shape).astype(x.dtype)


def substitute(ops, indices, values):
    args = list(ops)
    for i, v in zip(indices, values, strict=True):
        args[i] = v
    return args


def _wide(x):
    x = np.asarray(x)
    return x.astype(np.result_type(x.dtype, np.float64))


def inner(xs, ys):
    """``sum Re(x * y)``: JAX's pairing of cotangents with tangents (no conjugation)."""
    return sum(float(np.real(np.sum(_wide(x) * _wide(y))))
               for x, y in zip(xs, ys, strict=True))


DIFF_ROWS = [row for row in spec.ROWS if row.diff]
ZERO_ROWS = [row for row in spec.ROWS if row.diff == ()]
KNOWN_BUGS: dict[str, str] = {}  # row id -> reason, for rows that are expected to fail


def with_known_bugs(rows):
    return [pytest.param(row, id=row.id, marks=[pytest.mark.xfail(
        reason=KNOWN_BUGS[row.id], strict=True)] if row.id in KNOWN_BUGS else [])
        for row in rows]


@pytest.mark.parametrize("row", with_known_bugs(DIFF_ROWS))
def test_check_grads(row, x64):
    ops, params = row.example(fdtype=np.float64)

    def f(*xs):
        return row.apply(*substitute(ops, row.diff, xs), **params)

    check_grads(f, [ops[i] for i in row.diff], order=row.order, modes=row.modes)


@pytest.mark.parametrize("row", ZERO_ROWS, ids=[row.id for row in ZERO_ROWS])
def test_zero_derivative(row):
    ops, params = row.example()
    rng = np.random.default_rng(0)
    tangents = [random_like(x, rng) for x in ops]
    outs = row.prim.bind(*ops, **params)
    assert all(type(t) is Zero for t in row.prim.jvp(ops, tangents, outs, **params))

    def f(*xs):
        return row.apply(*xs, **params)

    out, t_out = jaxlite.jvp(f, tuple(ops), tuple(tangents))
    np.testing.assert_array_equal(np.asarray(t_out), np.zeros_like(np.asarray(out)))
    if ops:
        _, pullback = jaxlite.vjp(f, *ops)
        for ct, x in zip(pullback(random_like(out, rng)), ops, strict=True):
            np.testing.assert_array_equal(np.asarray(ct), np.zeros_like(x))


def _linear_cases():
    for row in spec.ROWS:
        for group in row.linear:
            yield pytest.param(row, group, group, id=f"{row.id}-{group}")
            for i in group if len(group) > 1 else ():
                yield pytest.param(row, (i,), group, id=f"{row.id}-({i},)-of-{group}")


@pytest.mark.parametrize("row, operands, group", list(_linear_cases()))
def test_transpose_is_the_adjoint(row, operands, group, x64):
    ops, params = row.example(fdtype=np.float64)
    # operands of the group not being varied are zero, so that the map stays linear
    fixed = [np.zeros_like(x) if i in group and i not in operands else x
             for i, x in enumerate(ops)]

    def linear_map(*ts):
        return row.apply(*substitute(fixed, operands, ts), **params)

    primals = [ops[i] for i in operands]
    rng = np.random.default_rng(1)
    ts = [random_like(x, rng) for x in primals]
    ct = random_like(linear_map(*ts), rng)
    lhs = inner([ct], [linear_map(*ts)])

    cts = jaxlite.linear_transpose(linear_map, *primals)(ct)
    for c, x in zip(cts, primals, strict=True):
        assert (np.shape(c), np.asarray(c).dtype) == (x.shape, x.dtype)
    np.testing.assert_allclose(inner(cts, ts), lhs, rtol=1e-5, atol=1e-8)

    closed = jaxlite.make_jaxpr(linear_map)(*primals)
    transposed, _ = transpose_jaxpr(closed, (True,) * len(primals))
    jaxlite.typecheck(transposed)
    staged = eval_jaxpr(transposed.jaxpr, transposed.consts, ct)
    for a, b in zip(staged, cts, strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-12)
