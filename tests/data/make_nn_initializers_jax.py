"""Record JAX's ``jax.nn.initializers`` outputs into nn_initializers_jax.json, for
tests/numpy_api/test_nn.py.

Run with JAX installed (the values were recorded with JAX 0.10.2 on CPU):

    python tests/data/make_nn_initializers_jax.py

Each case names an initializer factory, its keyword arguments, the seed of the key, the
shape, the dtype and whether x64 is on, with JAX's output (dtype, shape and the bytes in
hex: exact).
"""

from __future__ import annotations

import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).with_name("nn_initializers_jax.json")

FACTORIES = [
    ("glorot_uniform", {}), ("glorot_normal", {}), ("lecun_uniform", {}),
    ("lecun_normal", {}), ("he_uniform", {}), ("he_normal", {}), ("xavier_uniform", {}),
    ("kaiming_normal", {}), ("orthogonal", {}), ("orthogonal", {"scale": 2.0, "column_axis": 0}),
    ("uniform", {"scale": 3.0}), ("normal", {"stddev": 0.5}), ("truncated_normal", {}),
    ("truncated_normal", {"stddev": 2.0, "lower": -1.0, "upper": 3.0}), ("constant", {"value": 1.5}),
    ("variance_scaling", {"scale": 0.5, "mode": "fan_out", "distribution": "normal"}),
    ("variance_scaling", {"scale": 2.0, "mode": "fan_geo_avg", "distribution": "uniform",
                          "in_axis": 0, "out_axis": (1, 2)}),
    ("variance_scaling", {"scale": 1.0, "mode": "fan_avg", "distribution": "truncated_normal",
                          "batch_axis": 0}),
]
MODULE_LEVEL = ["zeros", "ones"]
SHAPES = [[2, 3], [3, 4, 5]]


def cases() -> list[dict]:
    out = []
    for name, kwargs in FACTORIES:
        for seed in (0, 42):
            for shape in SHAPES[1:] if "out_axis" in kwargs or "batch_axis" in kwargs else SHAPES:
                for x64 in (False, True):
                    out.append(dict(fn=name, kwargs=kwargs, seed=seed, shape=shape, x64=x64))
    out += [dict(fn="delta_orthogonal", kwargs={}, seed=3, shape=[3, 3, 4], x64=False),
            dict(fn="delta_orthogonal", kwargs={"scale": 0.5}, seed=3, shape=[3, 3, 2, 2],
                 x64=False)]
    out += [dict(fn=name, kwargs=None, seed=0, shape=[2, 2], x64=False) for name in MODULE_LEVEL]
    return out


def run(case: dict) -> dict:
    import jax

    jax.config.update("jax_enable_x64", case["x64"])
    init = getattr(jax.nn.initializers, case["fn"])
    if case["kwargs"] is not None:
        init = init(**case["kwargs"])
    value = np.asarray(init(jax.random.PRNGKey(case["seed"]), tuple(case["shape"])))
    return dict(case, dtype=value.dtype.name, out_shape=list(value.shape),
                hex=value.tobytes().hex())


if __name__ == "__main__":
    OUT.write_text(json.dumps([run(c) for c in cases()], indent=0) + "\n")
    print(f"wrote {OUT}")
