"""A tanh MLP classifier trained from scratch: params as a list of (W, b), jit, grad,
tree.map updates, logsumexp, on synthetic data drawn from jax.random."""

import jax
import jax.numpy as jnp
from jax import grad, jit, random
from jax.scipy.special import logsumexp


def init_params(sizes, key, scale=0.1):
    keys = random.split(key, len(sizes) - 1)
    return [(scale * random.normal(k1, (m, n)), scale * random.normal(k2, (n,)))
            for (m, n), k in zip(zip(sizes[:-1], sizes[1:]), keys)
            for k1, k2 in [random.split(k)]]


def predict(params, x):
    for w, b in params[:-1]:
        x = jnp.tanh(x @ w + b)
    w, b = params[-1]
    logits = x @ w + b
    return logits - logsumexp(logits, axis=1, keepdims=True)


def loss(params, batch):
    x, y = batch
    return -jnp.mean(jnp.sum(predict(params, x) * y, axis=1))


def accuracy(params, batch):
    x, y = batch
    return jnp.mean(jnp.argmax(predict(params, x), axis=1) == jnp.argmax(y, axis=1))


@jit
def update(params, batch, lr=0.5):
    grads = grad(loss)(params, batch)
    return jax.tree.map(lambda p, g: p - lr * g, params, grads)


def main():
    key = random.PRNGKey(0)
    k_data, k_labels, k_params = random.split(key, 3)
    x = random.normal(k_data, (256, 20))
    true_w = random.normal(k_labels, (20, 4))
    y = jax.nn.one_hot(jnp.argmax(x @ true_w, axis=1), 4)
    params = init_params([20, 32, 4], k_params)
    for step in range(30):
        params = update(params, (x, y))
        if step % 10 == 9:
            print(f"step {step + 1} loss {float(loss(params, (x, y))):.6f} "
                  f"accuracy {float(accuracy(params, (x, y))):.4f}")


if __name__ == "__main__":
    main()
