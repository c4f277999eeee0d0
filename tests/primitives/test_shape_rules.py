"""Shape rules and staging, driven by the spec table.

* ``abstract_eval`` on the example avals gives the shape and dtype ``impl`` produces;
* bad operands raise ``ShapeError`` naming the primitive and the operand avals, and
  leave the library working;
* ``make_jaxpr`` of one application typechecks and evaluates to ``impl``'s result.
"""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.core.trace import aval_of
from jaxlite.errors import ShapeError
from jaxlite.interpreters import eval_jaxpr

from . import spec

ROW_IDS = [row.id for row in spec.ROWS]


def _apply(row, params):
    return lambda *xs: row.prim.bind(*xs, **params)


@pytest.mark.parametrize("fdtype", [np.float32, np.float64])
@pytest.mark.parametrize("row", spec.ROWS, ids=ROW_IDS)
def test_abstract_eval_matches_impl(row, fdtype):
    jaxlite.config.update("jax_enable_x64", fdtype == np.float64)
    ops, params = row.example(fdtype=fdtype)
    out_avals = row.prim.abstract_eval(*[aval_of(x) for x in ops], **params)
    outs = row.prim.impl(*ops, **params)
    assert len(outs) == len(out_avals)
    for out, aval in zip(outs, out_avals):
        assert (np.shape(out), np.asarray(out).dtype) == (aval.shape, aval.dtype)


@pytest.mark.parametrize("row", spec.ROWS, ids=ROW_IDS)
def test_staged_application_typechecks_and_evaluates_like_impl(row):
    ops, params = row.example()
    closed = jaxlite.make_jaxpr(_apply(row, params))(*ops)
    jaxlite.typecheck(closed)
    assert [eqn.primitive for eqn in closed.jaxpr.eqns] == [row.prim]
    staged = eval_jaxpr(closed.jaxpr, closed.consts, *ops)
    expected = row.prim.impl(*ops, **params)
    for got, want in zip(staged, expected, strict=True):
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
        assert np.asarray(got).dtype == np.asarray(want).dtype


BAD_IDS = [f"{prim.name}-{'-'.join(map(str, avals))}" for prim, avals, _ in spec.BAD_INPUTS]


def _assert_names_primitive_and_avals(err, prim, avals):
    message = str(err)
    assert message.startswith(f"{prim.name}:"), message
    for aval in avals:
        assert str(aval) in message, message


@pytest.mark.parametrize("prim, avals, params", spec.BAD_INPUTS, ids=BAD_IDS)
def test_bad_operands_raise_shape_error(prim, avals, params):
    with pytest.raises(ShapeError) as abstract:
        prim.abstract_eval(*avals, **params)
    _assert_names_primitive_and_avals(abstract.value, prim, avals)
    assert isinstance(abstract.value, TypeError)
    operands = [np.zeros(a.shape, a.dtype) for a in avals]
    with pytest.raises(ShapeError) as eager:
        prim.bind(*operands, **params)
    _assert_names_primitive_and_avals(eager.value, prim, avals)
    with pytest.raises(ShapeError) as staged:
        jaxlite.make_jaxpr(lambda *xs: prim.bind(*xs, **params))(*operands)
    _assert_names_primitive_and_avals(staged.value, prim, avals)
    assert "test_shape_rules.py" in str(staged.value), "the message points at the user's line"
    # the failed trace left nothing behind: the library still works
    assert jaxlite.core.trace.current_trace() is None
    assert float(jaxlite.grad(lambda x: jnp.sin(x) * x)(0.0)) == 0.0
    jaxlite.typecheck(jaxlite.make_jaxpr(lambda x: x + 1.0)(np.ones(2, np.float32)))
