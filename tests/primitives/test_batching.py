"""Batching rules, driven by the spec table: ``vmap`` agrees with a Python loop.

Hypothesis draws which operands are batched, along which axis (any position, given to
``vmap`` as a negative axis half the time) and the batch size. The same batch also goes
through ``batch_jaxpr``, whose output must typecheck and compute the same values.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jaxlite
from jaxlite.core.primitive import NOT_MAPPED
from jaxlite.interpreters import batch_jaxpr, eval_jaxpr

from . import spec

ROWS = [row for row in spec.ROWS if row.example()[0]]
NO_OPERANDS = [row for row in spec.ROWS if not row.example()[0]]


def assert_same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype
    if np.issubdtype(want.dtype, np.inexact):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    else:
        np.testing.assert_array_equal(got, want)


def loop(row, params, examples, axes, size):
    """Apply the primitive to each batch member and stack the results along axis 0."""
    per_member = [[ex[i] if ax is not None else examples[0][i] for i, ax in enumerate(axes)]
                  for ex in examples[:size]]
    return np.stack([np.asarray(row.apply(*ops, **params)) for ops in per_member])


def stack(examples, axes, size):
    """The batched operands: each batched one stacked along its axis, the others as they are."""
    return [examples[0][i] if ax is None else np.stack([ex[i] for ex in examples[:size]], ax)
            for i, ax in enumerate(axes)]


@st.composite
def batchings(draw, ndims):
    """(batch axis or None per operand, batch size, seed)."""
    axes = [draw(st.none() | st.integers(-(n + 1), n)) for n in ndims]
    return axes, draw(st.integers(1, 3)), draw(st.integers(0, 2**16))


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
@settings(max_examples=10)
@given(data=st.data())
def test_vmap_and_batch_jaxpr_match_a_loop(row, data):
    ops, params = row.example()
    axes, size, seed = data.draw(batchings([x.ndim for x in ops]))
    examples = [row.example(seed + b)[0] for b in range(size)]
    batched = stack(examples, axes, size)
    expected = loop(row, params, examples, axes, size)

    def f(*xs):
        return row.apply(*xs, **params)

    assert_same(jaxlite.vmap(f, in_axes=tuple(axes), axis_size=size)(*batched), expected)

    closed = jaxlite.make_jaxpr(f)(*ops)
    at_zero = [b if ax is None else np.moveaxis(b, ax, 0) for b, ax in zip(batched, axes)]
    new, (out_batched,) = batch_jaxpr(closed, tuple(ax is not None for ax in axes), size)
    jaxlite.typecheck(new)
    (out,) = eval_jaxpr(new.jaxpr, new.consts, *at_zero)
    out = np.asarray(out)
    assert_same(out if out_batched else np.broadcast_to(out, (size, *out.shape)), expected)


@pytest.mark.parametrize("row", NO_OPERANDS, ids=[row.id for row in NO_OPERANDS])
def test_operand_free_primitives_batch_unmapped(row):
    _, params = row.example()
    want = row.prim.impl(**params)
    outs, dims = row.prim.batch([], [], **params)
    assert dims == [NOT_MAPPED] * len(want)
    for got, w in zip(outs, want, strict=True):
        assert_same(got, w)
    stacked = jaxlite.vmap(lambda _: row.apply(**params))(np.zeros(3, np.float32))
    assert_same(stacked, np.stack([want[0]] * 3))
