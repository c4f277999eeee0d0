"""Automatic differentiation variational inference: a diagonal Gaussian fitted to an
unnormalised 2-D posterior by stochastic gradients of the ELBO, vmap over samples,
scipy.stats.norm and multivariate_normal."""

import jax
import jax.numpy as jnp
from jax import jit, random, vmap
from jax.example_libraries import optimizers
from jax.scipy.stats import multivariate_normal, norm


def log_density(z):
    mean = jnp.array([1.0, -0.5])
    cov = jnp.array([[1.0, 0.6], [0.6, 0.8]])
    return multivariate_normal.logpdf(z, mean, cov) + norm.logpdf(z[0], 0.0, 3.0)


def diag_gaussian_sample(rng, mean, log_std):
    return mean + jnp.exp(log_std) * random.normal(rng, mean.shape)


def diag_gaussian_logpdf(x, mean, log_std):
    return jnp.sum(vmap(norm.logpdf)(x, mean, jnp.exp(log_std)))


def elbo(logprob, rng, mean, log_std):
    sample = diag_gaussian_sample(rng, mean, log_std)
    return logprob(sample) - diag_gaussian_logpdf(sample, mean, log_std)


def batch_elbo(logprob, rng, params, num_samples):
    rngs = random.split(rng, num_samples)
    return jnp.mean(vmap(elbo, in_axes=(None, 0, None, None))(logprob, rngs, *params))


def main():
    opt_init, opt_update, get_params = optimizers.adam(step_size=0.1)
    opt_state = opt_init((jnp.zeros(2), jnp.zeros(2)))

    @jit
    def update(i, key, opt_state):
        params = get_params(opt_state)
        g = jax.grad(lambda p: -batch_elbo(log_density, key, p, 64))(params)
        return opt_update(i, g, opt_state)

    key = random.key(3)
    for t in range(60):
        opt_state = update(t, random.fold_in(key, t), opt_state)
        if t % 20 == 19:
            mean, log_std = get_params(opt_state)
            value = batch_elbo(log_density, random.key(7), (mean, log_std), 256)
            print(f"iteration {t + 1} elbo {float(value):.5f} mean {float(mean[0]):.5f} "
                  f"{float(mean[1]):.5f} std {float(jnp.exp(log_std[0])):.5f}")


if __name__ == "__main__":
    main()
