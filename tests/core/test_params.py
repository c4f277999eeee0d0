"""Equation params: immutable, hashable by value (jaxprs by identity), checked by typecheck."""

import copy
import pickle
import textwrap

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.core import NO_PARAMS, Eqn, Jaxpr, Params, ShapedArray, SourceInfo, Var, typecheck
from jaxlite.errors import TypecheckError
from jaxlite.primitives import elementwise as ew
from jaxlite.primitives import structural

F32_3 = ShapedArray((3,), np.dtype(np.float32))
F32 = ShapedArray((), np.dtype(np.float32))
HERE = SourceInfo("/home/user/model.py", 12, "loss")

MUTATIONS = {
    "setitem": lambda p: p.__setitem__("axes", (1,)),
    "delitem": lambda p: p.__delitem__("axes"),
    "update": lambda p: p.update(axes=(1,)),
    "ior": lambda p: p.__ior__({"axes": (1,)}),
    "pop": lambda p: p.pop("axes"),
    "popitem": lambda p: p.popitem(),
    "clear": lambda p: p.clear(),
    "setdefault": lambda p: p.setdefault("other", 1),
}


def traced_eqns(f, *args):
    return jaxlite.make_jaxpr(f)(*args).eqns


def loss(w, x):
    return jnp.sum(jnp.tanh(x @ w + 1.0).T.reshape(-1)[::2], axis=0)


W, X = np.ones((3, 4), np.float32), np.ones((2, 3), np.float32)


@pytest.mark.parametrize("mutate", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_params_are_immutable(mutate):
    params = Params(axes=(0,))
    with pytest.raises(TypeError, match="params of an equation are immutable"):
        mutate(params)
    assert params == {"axes": (0,)}


def test_traced_equations_hold_immutable_params():
    for eqn in traced_eqns(loss, W, X):
        assert type(eqn.params) is Params
        with pytest.raises(TypeError):
            eqn.params["extra"] = 1


def test_equations_without_params_share_one_empty_params():
    (eqn,) = traced_eqns(jnp.sin, 1.0)
    assert eqn.params is NO_PARAMS


def test_equal_params_hash_equal_whatever_their_order():
    a = Params(shape=(3,), broadcast_dimensions=())
    b = Params(broadcast_dimensions=(), shape=(3,))
    assert a == b and hash(a) == hash(b)
    assert a != Params(shape=(3,), broadcast_dimensions=(0,))


def test_the_same_program_traced_twice_has_equal_hashable_equations():
    first, second = traced_eqns(loss, W, X), traced_eqns(loss, W, X)
    assert [e.params for e in first] == [e.params for e in second]
    assert [hash(e.params) for e in first] == [hash(e.params) for e in second]
    assert len({e.params for e in first + second}) == len({e.params for e in first})


def test_jaxprs_in_params_hash_by_identity():
    jaxpr = Jaxpr((), (), (), ())
    twin = Jaxpr((), (), (), ())
    assert Params(call_jaxpr=jaxpr) == Params(call_jaxpr=jaxpr)
    assert hash(Params(call_jaxpr=jaxpr)) == hash(Params(call_jaxpr=jaxpr))
    assert Params(call_jaxpr=jaxpr) != Params(call_jaxpr=twin)


def test_custom_rule_params_hash():
    f = jaxlite.custom_jvp(jnp.sin)
    f.defjvp(lambda primals, tangents: (jnp.sin(primals[0]), jnp.cos(primals[0]) * tangents[0]))
    (eqn,) = traced_eqns(f, 1.0)
    hash(eqn.params)


def test_copies_are_plain_dicts_to_build_new_params_from():
    params = Params(axes=(0,))
    changed = dict(params, axes=(1,))
    changed["keepdims"] = True
    assert type(params.copy()) is dict and params == {"axes": (0,)}
    assert Params(changed) == {"axes": (1,), "keepdims": True}


def test_copy_and_pickle_rebuild_params():
    params = Params(axes=(0,), new_dtype=np.dtype(np.float32))
    for clone in (copy.copy(params), copy.deepcopy(params), pickle.loads(pickle.dumps(params))):
        assert type(clone) is Params and clone == params and hash(clone) == hash(params)


def test_an_equation_built_from_a_plain_dict_converts_it():
    a, b = Var(F32_3), Var(F32)
    eqn = Eqn(structural.reduce_sum_p, (a,), (b,), {"axes": (0,)}, HERE)
    assert type(eqn.params) is Params and hash(eqn.params) == hash(Params(axes=(0,)))
    assert Eqn(ew.sin_p, (a,), (Var(F32_3),), {}, HERE).params is NO_PARAMS


def test_typecheck_rejects_a_list_param_naming_the_equation_and_the_param():
    a, b = Var(F32_3), Var(F32)
    eqn = Eqn(structural.reduce_sum_p, (a,), (b,), {"axes": [0]}, HERE)
    with pytest.raises(TypecheckError) as info:
        typecheck(Jaxpr((), (a,), (eqn,), (b,)))
    message = str(info.value)
    for fragment in ("param axes=[0] of reduce_sum is not hashable", "tuples, not lists",
                     "reduce_sum[axes=[0]] a", "model.py:12 (loss)"):
        assert fragment in message, message


def test_typecheck_rejects_an_array_param():
    a, b = Var(F32_3), Var(F32_3)
    eqn = Eqn(ew.sin_p, (a,), (b,), {"table": np.arange(3)}, HERE)
    with pytest.raises(TypecheckError, match="param table=array.* of sin is not hashable"):
        typecheck(Jaxpr((), (a,), (eqn,), (b,)))


def test_typecheck_rejects_params_that_are_not_params():
    a, b = Var(F32_3), Var(F32_3)
    eqn = Eqn(ew.sin_p, (a,), (b,), {}, HERE)
    eqn.params = {}
    with pytest.raises(TypecheckError, match="the params are a dict, not an immutable Params"):
        typecheck(Jaxpr((), (a,), (eqn,), (b,)))


def test_printing_is_unchanged():
    expected = textwrap.dedent("""
        { lambda ; a:f32[3,4] b:f32[2,3]. let
            c:f32[2,4] = dot_general[
              dimension_numbers=(([1], [0]), ([], []))
              preferred_element_type=float32
            ] b a
            d:f32[2,4] = add c 1.0:f32[]
            e:f32[2,4] = tanh d
            f:f32[4,2] = transpose[permutation=(1, 0)] e
            g:f32[8] = reshape[dimensions=None new_sizes=(8,)] f
            h:f32[4] = slice[limit_indices=(7,) start_indices=(0,) strides=(2,)] g
            i:f32[] = reduce_sum[axes=(0,)] h
          in (i,) }""").strip("\n")
    assert str(jaxlite.make_jaxpr(loss)(W, X)) == expected


def test_dot_general_params_are_canonical():
    """``preferred_element_type`` is a canonical dtype however it is spelled; axes are ints."""
    def product(dtype, axes):
        return lambda x: jaxlite.lax.dot_general(x, x, ((axes, axes), ([], [])),
                                                   preferred_element_type=dtype)

    spellings = [(jnp.float32, [1]), (np.float64, (np.int64(1),)), ("float32", np.array([1]))]
    eqns = [traced_eqns(product(*spelling), X)[0] for spelling in spellings]
    assert all(e.params == eqns[0].params and hash(e.params) == hash(eqns[0].params)
               for e in eqns)
    assert eqns[0].params == {"dimension_numbers": (((1,), (1,)), ((), ())),
                              "preferred_element_type": np.dtype(np.float32)}
    assert all(e.outputs[0].aval.dtype == np.float32 for e in eqns)


def test_reduction_axes_are_ints():
    (eqn,) = traced_eqns(lambda x: jaxlite.lax.reduce_max(x, np.array([0])), X)
    assert eqn.params == {"axes": (0,)} and type(eqn.params["axes"][0]) is int
