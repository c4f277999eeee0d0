"""``jaxlite.example_libraries``, as ``jax.example_libraries``: small reference libraries
(``optimizers``, ``stax``) written on jaxlite's public API, with JAX's names and numbers."""
