"""``jaxlite.random``: JAX's keys and samplers, with JAX's bits.

Keys come in JAX's two forms: a raw key, ``PRNGKey(seed)``, is a ``uint32[2]`` array; a
typed key, ``key(seed)``, is a ``PRNGKeyArray`` of shape ``()`` and dtype ``key<fry>``
whose data is that ``uint32[2]``. Every function takes either form and returns the form
it was given. Everything is built from the ``threefry2x32`` primitive and ordinary
integer ops, as JAX 0.10 builds it with ``jax_threefry_partitionable=True`` (its
default): ``split``, ``fold_in`` and the bits of every sampler are JAX's, on the same
key, shape and dtype, eagerly, under ``jit`` and under ``vmap``.

The modules: ``random_keys`` (keys, seeding, split, fold_in, random bits),
``random_basic`` (samplers built directly on uniform bits), ``random_gamma`` (gamma and
what JAX builds on it), ``random_counts`` (poisson, binomial); this one gathers them.

Exactness of the samplers against JAX 0.10 on CPU (tests/numpy_api/test_random.py
compares with recorded values):

* bit for bit: keys (``PRNGKey``, ``key``, ``split``, ``fold_in``), ``bits``,
  ``uniform`` (XLA fuses its scale-and-shift into one multiply-add: so does jaxlite),
  ``normal`` in float16 and float32 (``erf_inv`` follows XLA's float32 algorithm,
  including its ``log1p``; see ``primitives/special.py``), ``randint``, ``bernoulli``,
  ``rademacher``, ``permutation``, ``choice`` (with ``p`` too: ``cumsum`` adds in XLA's
  order), ``categorical``, and ``truncated_normal`` on the recorded cases;
* bit for bit, except in rare elements (a test landing within an ulp of its bound, which
  XLA's ``log`` and ``lgamma`` round differently): ``poisson`` and ``binomial`` (JAX's
  algorithms with its fixed sequence of draws; measured: 2 elements in 10**5 differ for
  Poisson rates above 10, none in 10**6 below, none in 3 * 10**5 binomials), and
  ``choice`` without replacement with ``p`` (Gumbel noise: two perturbed weights within
  an ulp may swap);
* within 2 ulp: ``normal`` in float64 (XLA's float64 ``log`` is not NumPy's: about 1
  value in 250 differs);
* within a few ulp: samplers that apply ``log``, ``log1p`` or ``tan`` to a uniform draw
  (``exponential``, ``gumbel``, ``logistic``, ``laplace``, ``cauchy``). XLA's CPU backend
  computes those with its own polynomials, which round differently from NumPy's (the C
  library's) in about 1 value in 4 (float32: by 1 ulp for results of magnitude >= 1).
  jaxlite's ``log`` and ``log1p`` primitives use NumPy's; ``primitives/special.py`` has
  XLA's float32 versions, which they could adopt at a cost in speed;
* within a few ulp, with JAX's draws: ``gamma``, ``loggamma``, ``beta``, ``dirichlet``,
  ``generalized_normal``, ``ball`` (XLA's approximate ``1 / sqrt``, ``pow``, ``log`` and
  ``exp``: float32 ``gamma`` is bit for bit in about 85% of elements, within 5 eps in all
  of 10**6 checked. In principle an acceptance test within an ulp of its bound could
  round the other way and the sample be another draw entirely, matching JAX in
  distribution only; none was seen in those 10**6).

* within ``1e-5`` relative, with JAX's normal draws: ``multivariate_normal`` and
  ``orthogonal`` (``random_matrices``: LAPACK and XLA round the decompositions
  differently).
"""

from __future__ import annotations

from .random_basic import (
    bernoulli,
    bits,
    categorical,
    cauchy,
    choice,
    exponential,
    gumbel,
    laplace,
    logistic,
    normal,
    permutation,
    rademacher,
    randint,
    truncated_normal,
    uniform,
)
from .random_counts import binomial, poisson
from .random_matrices import multivariate_normal, orthogonal
from .random_gamma import ball, beta, dirichlet, gamma, generalized_normal, loggamma
from .random_keys import (
    PRNGKey,
    PRNGKeyArray,
    clone,
    fold_in,
    key,
    key_data,
    key_impl,
    split,
    wrap_key_data,
)

__all__ = [
    "PRNGKey", "PRNGKeyArray", "ball", "bernoulli", "beta", "binomial", "bits", "cauchy",
    "categorical", "choice", "clone", "dirichlet", "exponential", "fold_in", "gamma",
    "generalized_normal", "gumbel", "key", "key_data", "key_impl", "laplace", "loggamma",
    "logistic", "multivariate_normal", "normal", "orthogonal", "permutation", "poisson", "rademacher", "randint", "split",
    "truncated_normal", "uniform", "wrap_key_data",
]
