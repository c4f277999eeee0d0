"""A variational autoencoder on synthetic binary images: stax encoder and decoder,
the reparameterisation trick, a Bernoulli likelihood, optimizers.adam."""

import jax.numpy as jnp
from jax import jit, random, value_and_grad
from jax.example_libraries import optimizers, stax
from jax.example_libraries.stax import Dense, FanOut, Relu, Softplus


def gaussian_kl(mu, sigmasq):
    return -0.5 * jnp.sum(1.0 + jnp.log(sigmasq) - mu**2.0 - sigmasq)


def gaussian_sample(rng, mu, sigmasq):
    return mu + jnp.sqrt(sigmasq) * random.normal(rng, mu.shape)


def bernoulli_logpdf(logits, x):
    return -jnp.sum(jnp.logaddexp(0.0, jnp.where(x, -1.0, 1.0) * logits))


encoder_init, encode = stax.serial(
    Dense(32), Relu, FanOut(2), stax.parallel(Dense(4), stax.serial(Dense(4), Softplus)))
decoder_init, decode = stax.serial(Dense(32), Relu, Dense(16))


def elbo(rng, params, images):
    enc_params, dec_params = params
    mu_z, sigmasq_z = encode(enc_params, images)
    logits_x = decode(dec_params, gaussian_sample(rng, mu_z, sigmasq_z))
    return bernoulli_logpdf(logits_x, images) - gaussian_kl(mu_z, sigmasq_z)


def main():
    key = random.PRNGKey(1)
    k_data, k_enc, k_dec, k_train = random.split(key, 4)
    images = random.bernoulli(k_data, 0.3, (32, 16)).astype(jnp.float32)
    _, enc_params = encoder_init(k_enc, (32, 16))
    _, dec_params = decoder_init(k_dec, (32, 4))
    opt_init, opt_update, get_params = optimizers.adam(1e-2)

    @jit
    def step(i, rng, opt_state):
        value, g = value_and_grad(lambda p: -elbo(rng, p, images) / images.shape[0])(
            get_params(opt_state))
        return value, opt_update(i, g, opt_state)

    opt_state = opt_init((enc_params, dec_params))
    for i in range(40):
        value, opt_state = step(i, random.fold_in(k_train, i), opt_state)
        if i % 10 == 9:
            print(f"step {i + 1} negative elbo {float(value):.5f}")


if __name__ == "__main__":
    main()
