"""Gaussian-process regression: an RBF kernel's hyperparameters fitted by gradient
descent on the negative log marginal likelihood (Cholesky, triangular solves), then the
posterior mean at test points."""

import jax.numpy as jnp
import jax.scipy.linalg
from jax import jit, random, value_and_grad
from jax.example_libraries import optimizers


def kernel(params, a, b):
    log_amp, log_length = params["amplitude"], params["length"]
    sq = jnp.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1)
    return jnp.exp(2 * log_amp) * jnp.exp(-0.5 * sq / jnp.exp(2 * log_length))


def neg_log_marginal(params, x, y, noise=0.1):
    k = kernel(params, x, x) + noise**2 * jnp.eye(x.shape[0])
    chol = jnp.linalg.cholesky(k)
    alpha = jax.scipy.linalg.cho_solve((chol, True), y)
    return (0.5 * jnp.dot(y, alpha) + jnp.sum(jnp.log(jnp.diag(chol)))
            + 0.5 * x.shape[0] * jnp.log(2 * jnp.pi))


def posterior_mean(params, x, y, x_test, noise=0.1):
    k = kernel(params, x, x) + noise**2 * jnp.eye(x.shape[0])
    chol = jnp.linalg.cholesky(k)
    v = jax.scipy.linalg.solve_triangular(chol, y, lower=True)
    alpha = jax.scipy.linalg.solve_triangular(chol.T, v, lower=False)
    return kernel(params, x_test, x) @ alpha


def main():
    key = random.PRNGKey(5)
    k_x, k_noise = random.split(key)
    x = random.uniform(k_x, (24, 1), minval=-3.0, maxval=3.0)
    y = jnp.sin(2.0 * x[:, 0]) + 0.1 * random.normal(k_noise, (24,))
    params = {"amplitude": jnp.array(0.0), "length": jnp.array(0.0)}
    opt_init, opt_update, get_params = optimizers.adam(0.05)
    opt_state = opt_init(params)

    @jit
    def step(i, opt_state):
        value, g = value_and_grad(neg_log_marginal)(get_params(opt_state), x, y)
        return value, opt_update(i, g, opt_state)

    for i in range(50):
        value, opt_state = step(i, opt_state)
        if i % 25 == 24:
            print(f"step {i + 1} nll {float(value):.5f}")
    params = get_params(opt_state)
    mean = posterior_mean(params, x, y, jnp.linspace(-2.0, 2.0, 5)[:, None])
    print("posterior mean", " ".join(f"{float(m):.5f}" for m in mean))
    print(f"length {float(jnp.exp(params['length'])):.5f}")


if __name__ == "__main__":
    main()
