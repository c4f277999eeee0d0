"""Record JAX's stax numbers for tests/numpy_api/test_stax.py (run with a Python that has
JAX: ``python tests/data/make_stax_jax.py``); writes tests/data/stax_jax.json."""

import json
import pathlib
import sys

import jax
import numpy as np
from jax import random
from jax.example_libraries import stax

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from stax_models import models  # noqa: E402


def record():
    out = {}
    for name, (layer, shape, with_rng) in models(stax).items():
        init_fun, apply_fun = layer
        out_shape, params = init_fun(random.PRNGKey(0), shape)
        x = np.asarray(random.normal(random.PRNGKey(1), shape))
        kwargs = {"rng": random.PRNGKey(2)} if with_rng else {}
        y = apply_fun(params, x, **kwargs)
        leaves = jax.tree_util.tree_leaves(params)
        out[name] = {"out_shape": [int(n) for n in out_shape], "input": x.tolist(),
                     "params": [np.asarray(p).tolist() for p in leaves],
                     "param_shapes": [list(np.shape(p)) for p in leaves],
                     "output": np.asarray(y).tolist()}
    return out


if __name__ == "__main__":
    path = pathlib.Path(__file__).parent / "stax_jax.json"
    path.write_text(json.dumps(record()))
