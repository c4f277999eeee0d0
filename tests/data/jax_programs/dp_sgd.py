"""Differentially private SGD on a logistic-regression model: per-example gradients by
vmap(grad), clipped by their global norm, averaged and perturbed with Gaussian noise."""

import jax
import jax.numpy as jnp
from jax import grad, jit, random, vmap
from jax.example_libraries import optimizers
from jax.tree_util import tree_flatten, tree_unflatten


def predict(params, x):
    w, b = params["w"], params["b"]
    return jax.nn.sigmoid(x @ w + b)


def loss(params, x, y):
    p = predict(params, x)
    return -(y * jnp.log(p + 1e-7) + (1 - y) * jnp.log(1 - p + 1e-7))


def clipped_grad(params, l2_norm_clip, x, y):
    grads = grad(loss)(params, x, y)
    leaves, tree = tree_flatten(grads)
    total = jnp.sqrt(sum(jnp.vdot(g, g) for g in leaves))
    divisor = jnp.maximum(total / l2_norm_clip, 1.0)
    return tree_unflatten(tree, [g / divisor for g in leaves])


def private_grad(params, batch, rng, l2_norm_clip, noise_multiplier):
    x, y = batch
    clipped = vmap(clipped_grad, (None, None, 0, 0))(params, l2_norm_clip, x, y)
    leaves, tree = tree_flatten(clipped)
    rngs = random.split(rng, len(leaves))
    noised = [(jnp.sum(g, 0) + l2_norm_clip * noise_multiplier * random.normal(r, g.shape[1:]))
              / x.shape[0] for r, g in zip(rngs, leaves)]
    return tree_unflatten(tree, noised)


def main():
    key = random.PRNGKey(42)
    k_x, k_w, k_noise = random.split(key, 3)
    x = random.normal(k_x, (128, 5))
    y = (x @ random.normal(k_w, (5,)) > 0).astype(jnp.float32)
    params = {"w": jnp.zeros(5), "b": jnp.zeros(())}
    opt_init, opt_update, get_params = optimizers.sgd(0.5)
    opt_state = opt_init(params)

    @jit
    def update(i, opt_state, batch, rng):
        g = private_grad(get_params(opt_state), batch, rng, 1.0, 0.5)
        return opt_update(i, g, opt_state)

    for i in range(24):
        start = (i % 4) * 32
        batch = (x[start:start + 32], y[start:start + 32])
        opt_state = update(i, opt_state, batch, random.fold_in(k_noise, i))
        if i % 8 == 7:
            p = get_params(opt_state)
            accuracy = jnp.mean((predict(p, x) > 0.5) == (y > 0.5))
            print(f"step {i + 1} loss {float(jnp.mean(loss(p, x, y))):.5f} "
                  f"accuracy {float(accuracy):.4f} norm {float(optimizers.l2_norm(p)):.5f}")


if __name__ == "__main__":
    main()
