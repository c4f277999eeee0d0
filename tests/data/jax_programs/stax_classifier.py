"""A convolutional classifier built with stax and trained with optimizers.momentum, as
JAX's MNIST example does, on synthetic 8x8 images."""

import itertools

import jax.numpy as jnp
from jax import grad, jit, random
from jax.example_libraries import optimizers, stax
from jax.example_libraries.stax import (Conv, Dense, Flatten, LogSoftmax, MaxPool, Relu)


def loss(params, batch, predict):
    inputs, targets = batch
    return -jnp.mean(jnp.sum(predict(params, inputs) * targets, axis=1))


def main():
    rng = random.PRNGKey(0)
    k_images, k_labels, k_init = random.split(rng, 3)
    images = random.normal(k_images, (64, 8, 8, 1))
    labels = (jnp.mean(images[:, :4], axis=(1, 2, 3)) > jnp.mean(images[:, 4:], axis=(1, 2, 3)))
    targets = jnp.stack([labels, ~labels], axis=1).astype(jnp.float32)

    init_random_params, predict = stax.serial(
        Conv(8, (3, 3), padding="SAME"), Relu, MaxPool((2, 2), strides=(2, 2)),
        Flatten, Dense(16), Relu, Dense(2), LogSoftmax)
    out_shape, init_params = init_random_params(k_init, (-1, 8, 8, 1))
    print("output shape", out_shape)

    opt_init, opt_update, get_params = optimizers.momentum(0.05, mass=0.9)

    @jit
    def update(i, opt_state, batch):
        params = get_params(opt_state)
        return opt_update(i, grad(loss)(params, batch, predict), opt_state)

    opt_state = opt_init(init_params)
    itercount = itertools.count()
    for epoch in range(3):
        for start in range(0, 64, 16):
            batch = (images[start:start + 16], targets[start:start + 16])
            opt_state = update(next(itercount), opt_state, batch)
        params = get_params(opt_state)
        accuracy = jnp.mean(jnp.argmax(predict(params, images), axis=1)
                            == jnp.argmax(targets, axis=1))
        print(f"epoch {epoch} loss {float(loss(params, (images, targets), predict)):.6f} "
              f"accuracy {float(accuracy):.4f}")


if __name__ == "__main__":
    main()
