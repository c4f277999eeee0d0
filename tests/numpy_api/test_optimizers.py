"""jaxlite.example_libraries.optimizers: JAX's API, and JAX's numbers (recorded from JAX 0.10.2
by tests/data/make_optimizers_jax.py, whose program this test runs on jaxlite)."""

import importlib.util
import json
import pathlib
import pickle

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.example_libraries import optimizers as O

DATA = pathlib.Path(__file__).parents[1] / "data"
_spec = importlib.util.spec_from_file_location("make_optimizers_jax",
                                               DATA / "make_optimizers_jax.py")
PROGRAM = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(PROGRAM)
EXPECTED = json.loads((DATA / "optimizers_jax.json").read_text())


@pytest.fixture(scope="module")
def results():
    return PROGRAM.run(jaxlite, jnp, O)


@pytest.mark.parametrize("name", [k for k in EXPECTED if k not in ("schedules", "l2_norm",
                                                                    "clip_grads")])
def test_optimizer_matches_jax(results, name):
    for got, want in zip(results[name], EXPECTED[name], strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_schedules_and_utilities_match_jax(results):
    for name, values in EXPECTED["schedules"].items():
        np.testing.assert_allclose(results["schedules"][name], values, rtol=1e-6, err_msg=name)
    np.testing.assert_allclose(results["l2_norm"], EXPECTED["l2_norm"], rtol=1e-6)
    np.testing.assert_allclose(results["clip_grads"][0], EXPECTED["clip_grads"][0], rtol=1e-6)


def test_state_is_a_pytree_and_keeps_dtypes():
    init, update, get_params = O.adam(0.1)
    state = init({"w": jnp.ones(2), "b": jnp.float32(1.0)})
    assert isinstance(state, O.OptimizerState)
    leaves = jaxlite.tree.leaves(state)
    assert len(leaves) == 6 and all(x.dtype == np.float32 for x in leaves)
    state = jaxlite.jit(update)(0, {"w": jnp.ones(2), "b": jnp.float32(2.0)}, state)
    assert get_params(state)["w"].dtype == np.float32
    np.testing.assert_allclose(get_params(state)["w"], [0.9, 0.9], rtol=1e-6)


def test_pack_and_unpack_state_roundtrip_through_pickle():
    init, update, get_params = O.momentum(0.1, 0.9)
    state = update(0, [jnp.ones(2), (jnp.ones(()),)], init([jnp.zeros(2), (jnp.zeros(()),)]))
    marked = O.unpack_optimizer_state(state)
    assert isinstance(marked[0], O.JoinPoint) and isinstance(marked[1][0], O.JoinPoint)
    restored = O.pack_optimizer_state(pickle.loads(pickle.dumps(marked)))
    assert jaxlite.tree.structure(restored) == jaxlite.tree.structure(state)
    np.testing.assert_allclose(get_params(restored)[0], [-0.1, -0.1])


def test_optimizer_decorator_lifts_a_single_array_optimizer():
    @O.optimizer
    def halving():
        return (lambda x0: x0), (lambda i, g, x: x / 2 - g), (lambda x: x)

    init, update, get_params = halving()
    params = get_params(update(0, {"a": 1.0}, init({"a": 4.0})))
    assert params == {"a": 1.0}
    assert isinstance(halving(), O.Optimizer) and halving.__name__ == "halving"


def test_errors_as_jax():
    init, update, _ = O.sgd(0.1)
    state = init({"a": jnp.ones(2)})
    with pytest.raises(TypeError, match="gradient tree that did not match the parameter tree"):
        update(0, {"b": jnp.ones(2)}, state)

    @O.optimizer
    def reshaping():
        return (lambda x0: (x0, x0)), (lambda i, g, s: s[0]), (lambda s: s)

    init_r, update_r, _ = reshaping()
    with pytest.raises(TypeError, match="output structure that did not match its input"):
        update_r(0, [1.0], init_r([1.0]))
    with pytest.raises(TypeError):
        O.make_schedule(jnp.ones(2))
    with pytest.raises(ValueError, match="boundaries length must be one shorter"):
        O.piecewise_constant([1, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match="boundaries and values must be sequences"):
        O.piecewise_constant(1, [0.1, 0.2])
    assert O.make_schedule(0.5)(3) == 0.5
