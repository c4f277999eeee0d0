"""The stax models of tests/numpy_api/test_stax.py, written against a ``stax`` module
(JAX's or jaxlite's): ``make_stax_jax.py`` records what JAX gives for them."""


def models(stax):
    """name -> (layer, input shape, apply with an rng?)."""
    return {
        "convnet": (stax.serial(
            stax.Conv(8, (3, 3), padding="SAME"), stax.BatchNorm(), stax.Relu,
            stax.MaxPool((2, 2), (2, 2)), stax.Conv(4, (3, 3), (2, 2)), stax.Elu,
            stax.AvgPool((2, 2), padding="SAME"), stax.Flatten, stax.Dense(10), stax.LeakyRelu,
            stax.Dense(5), stax.Selu, stax.Dense(3), stax.LogSoftmax), (2, 8, 8, 3), False),
        "branches": (stax.serial(
            stax.Dense(6), stax.FanOut(2),
            stax.parallel(stax.serial(stax.Dense(6), stax.Tanh),
                          stax.serial(stax.Dense(6), stax.Gelu)),
            stax.FanInSum, stax.Softplus, stax.Dense(4), stax.Sigmoid, stax.FanOut(2),
            stax.parallel(stax.Identity, stax.Softmax), stax.FanInConcat(), stax.Dropout(0.7)),
            (3, 5), True),
        "transposed": (stax.serial(
            stax.ConvTranspose(3, (3, 3), (2, 2), padding="SAME"), stax.Exp,
            stax.SumPool((2, 2)), stax.BatchNorm(axis=(0, 1)),
            stax.shape_dependent(lambda shape: stax.Dense(shape[-1]))), (2, 4, 4, 2), False),
    }
