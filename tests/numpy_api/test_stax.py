"""``jaxlite.example_libraries.stax`` against JAX's stax: the same parameters for the same
key and the same outputs (recorded in tests/data/stax_jax.json by make_stax_jax.py)."""

import importlib.util
import json
import pathlib

import numpy as np
import pytest

from jaxlite import nn, random, tree_util
from jaxlite.example_libraries import stax

DATA = pathlib.Path(__file__).parents[1] / "data"
_spec = importlib.util.spec_from_file_location("stax_models", DATA / "stax_models.py")
stax_models = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(stax_models)
RECORDED = json.loads((DATA / "stax_jax.json").read_text())

needs_initializers = pytest.mark.skipif(
    not hasattr(nn, "initializers") or not hasattr(nn, "elu"),
    reason="jaxlite.nn.initializers and the activation family land with the nn work")


@needs_initializers
@pytest.mark.parametrize("name", sorted(RECORDED))
def test_same_params_and_outputs_as_jax(name):
    (init_fun, apply_fun), shape, with_rng = stax_models.models(stax)[name]
    want = RECORDED[name]
    out_shape, params = init_fun(random.PRNGKey(0), shape)
    assert list(out_shape) == want["out_shape"]
    leaves = tree_util.tree_leaves(params)
    assert [list(np.shape(p)) for p in leaves] == want["param_shapes"]
    for got, expected in zip(leaves, want["params"], strict=True):
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-5, atol=1e-6)
    kwargs = {"rng": random.PRNGKey(2)} if with_rng else {}
    out = apply_fun(params, np.asarray(want["input"], np.float32), **kwargs)
    np.testing.assert_allclose(np.asarray(out), want["output"], rtol=1e-4, atol=1e-5)


def test_layers_without_initializers():
    x = np.arange(2 * 4 * 4 * 2, dtype=np.float32).reshape(2, 4, 4, 2) / 10
    init_fun, apply_fun = stax.serial(stax.MaxPool((2, 2), (2, 2)), stax.SumPool((1, 2)),
                                      stax.Flatten, stax.FanOut(2),
                                      stax.parallel(stax.Tanh, stax.Identity), stax.FanInSum)
    out_shape, params = init_fun(random.PRNGKey(0), x.shape)
    assert out_shape == (2, 4)
    pooled = x.reshape(2, 2, 2, 2, 2, 2).max(axis=(2, 4))
    summed = (pooled[:, :, 0] + pooled[:, :, 1]).reshape(2, 4)
    np.testing.assert_allclose(np.asarray(apply_fun(params, x)), np.tanh(summed) + summed,
                               rtol=1e-6)
    avg = stax.AvgPool((2, 2), padding="SAME")[1]((), x)
    assert avg.shape == x.shape
    np.testing.assert_allclose(np.asarray(avg)[0, -1, -1], x[0, -1, -1], rtol=1e-6)
    with pytest.raises(ValueError, match="requires apply_fun to be called with a PRNG key"):
        stax.Dropout(0.5)[1]((), x)
    assert stax.Dropout(0.5, mode="test")[1]((), x, rng=random.PRNGKey(0)) is x
