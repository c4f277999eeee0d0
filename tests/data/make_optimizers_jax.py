"""The optimizer program whose results ``tests/numpy_api/test_optimizers.py`` compares with
JAX's. Run with a Python that has JAX installed, ``python tests/data/make_optimizers_jax.py``,
to rewrite ``optimizers_jax.json``; the test runs ``run`` on jaxlite's modules."""

import json
import pathlib

import numpy as np


def run(jax, jnp, O):  # noqa: N803 - the optimizers module, as JAX's examples name it
    """Six steps of every optimizer (odd steps jitted), the schedules, l2_norm, clip_grads."""
    def loss(p):
        scale = jnp.array([[1.0, 2.0], [0.5, 3.0]])
        return jnp.sum(p["w"] ** 2 * scale) + jnp.sum(jnp.sin(p["b"])) + p["s"] ** 4

    params = {"w": jnp.array([[0.5, -1.0], [2.0, 0.3]]), "b": jnp.array([0.1, -0.2, 0.0]),
              "s": jnp.float32(0.7)}
    makers = {
        "sgd": lambda: O.sgd(0.1), "momentum": lambda: O.momentum(0.05, 0.9),
        "nesterov": lambda: O.nesterov(0.05, 0.8), "adagrad": lambda: O.adagrad(0.2),
        "rmsprop": lambda: O.rmsprop(0.01), "rmsprop_momentum": lambda: O.rmsprop_momentum(0.01),
        "adam": lambda: O.adam(0.05), "adamax": lambda: O.adamax(0.05), "sm3": lambda: O.sm3(0.2),
        "adam_schedule": lambda: O.adam(O.exponential_decay(0.1, 2, 0.5)),
        "sgd_piecewise": lambda: O.sgd(O.piecewise_constant([2, 4], [0.1, 0.05, 0.01])),
        "sgd_polynomial": lambda: O.sgd(O.polynomial_decay(0.1, 3, 0.01, 2.0)),
        "sgd_inverse": lambda: O.sgd(O.inverse_time_decay(0.1, 2, 0.5, staircase=True)),
    }
    out = {}
    for name, make in makers.items():
        init, update, get = make()
        state = init(params)
        step = jax.jit(lambda i, s: update(i, jax.grad(loss)(get(s)), s))
        for i in range(6):  # (sm3 keeps its shape in its state: JAX cannot jit it either)
            jitted = i % 2 and name != "sm3"
            state = step(i, state) if jitted else update(i, jax.grad(loss)(get(state)), state)
        p = get(state)
        out[name] = [np.asarray(p["b"]).tolist(), np.asarray(p["s"]).tolist(),
                     np.asarray(p["w"]).tolist()]
    schedules = {
        "exponential_decay": O.exponential_decay(0.1, 3, 0.5),
        "inverse_time_decay": O.inverse_time_decay(0.1, 3, 0.5),
        "inverse_staircase": O.inverse_time_decay(0.1, 3, 0.5, True),
        "polynomial_decay": O.polynomial_decay(0.1, 4, 0.01, 2.0),
        "piecewise_constant": O.piecewise_constant([2, 5], [1.0, 0.5, 0.1]),
        "constant": O.constant(0.3)}
    out["schedules"] = {k: [float(f(i)) for i in range(8)] for k, f in schedules.items()}
    g = jax.grad(loss)(params)
    out["l2_norm"] = float(O.l2_norm(g))
    clipped = O.clip_grads(g, 1.0)
    out["clip_grads"] = [np.asarray(clipped["b"]).tolist(), float(clipped["s"])]
    return out


if __name__ == "__main__":
    import jax
    import jax.numpy as jnp
    from jax.example_libraries import optimizers

    path = pathlib.Path(__file__).with_name("optimizers_jax.json")
    path.write_text(json.dumps(run(jax, jnp, optimizers)) + "\n")
