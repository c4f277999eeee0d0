"""Every name issue 15 asks for outside ``scipy.special`` (whose names
``test_scipy_special.py`` enumerates): jnp.linalg, jnp.fft, jaxlite.scipy.stats,
scipy.linalg, signal, integrate, optimize, jaxlite.nn and its initializers. Behaviour is
tested beside each module; this file is the list."""

import sys

import pytest

import jaxlite
import jaxlite.nn.initializers
import jaxlite.numpy as jnp
import jaxlite.scipy.integrate
import jaxlite.scipy.linalg
import jaxlite.scipy.optimize
import jaxlite.scipy.signal
import jaxlite.scipy.stats

REQUIRED = {
    "jaxlite.numpy.linalg": """norm inv solve det slogdet cholesky qr eigh eigvalsh svd svdvals
        pinv matrix_power matrix_rank lstsq cond tensorinv tensorsolve multi_dot outer cross eig
        eigvals""",
    "jaxlite.numpy.fft": """fft ifft rfft irfft fft2 ifft2 rfft2 irfft2 fftn ifftn rfftn irfftn
        hfft ihfft fftfreq rfftfreq fftshift ifftshift""",
    "jaxlite.scipy.stats": """norm t cauchy laplace logistic expon uniform gamma beta chi2
        dirichlet multivariate_normal poisson bernoulli binom geom betabinom mode rankdata""",
    "jaxlite.scipy.linalg": """solve_triangular cho_factor cho_solve lu lu_factor lu_solve expm
        sqrtm block_diag eigh inv det solve schur""",
    "jaxlite.scipy.signal": "convolve correlate convolve2d correlate2d",
    "jaxlite.scipy.integrate": "trapezoid",
    "jaxlite.scipy.optimize": "minimize",
    "jaxlite.nn": """relu relu6 sigmoid log_sigmoid softplus silu swish gelu elu selu celu
        leaky_relu glu hard_tanh hard_sigmoid softmax log_softmax logsumexp one_hot standardize
        initializers""",
    "jaxlite.nn.initializers": """glorot_normal glorot_uniform he_normal he_uniform
        lecun_normal lecun_uniform zeros ones normal orthogonal""",
}
CASES = [(m, n) for m, names in REQUIRED.items() for n in names.split()]

# what each distribution has, as JAX's modules have it
DISTRIBUTION_FUNCTIONS = {
    "norm": "logpdf pdf cdf logcdf sf logsf ppf isf", "t": "logpdf pdf",
    "cauchy": "logpdf pdf cdf logcdf sf logsf ppf isf",
    "laplace": "logpdf pdf cdf", "logistic": "logpdf pdf cdf sf ppf isf",
    "expon": "logpdf pdf", "uniform": "logpdf pdf cdf ppf", "gamma": "logpdf pdf cdf sf",
    "beta": "logpdf pdf cdf sf", "chi2": "logpdf pdf cdf sf", "dirichlet": "logpdf pdf",
    "multivariate_normal": "logpdf pdf", "poisson": "logpmf pmf cdf",
    "bernoulli": "logpmf pmf cdf ppf", "binom": "logpmf pmf", "geom": "logpmf pmf",
    "betabinom": "logpmf pmf",
}


@pytest.mark.parametrize("module_name,name", CASES, ids=[f"{m}.{n}" for m, n in CASES])
def test_issue15_name_exists(module_name, name):
    module = sys.modules[module_name]
    assert hasattr(module, name), f"{module_name}.{name} is missing"


@pytest.mark.parametrize("dist", sorted(DISTRIBUTION_FUNCTIONS))
def test_each_distribution_has_jaxs_functions(dist):
    module = getattr(jaxlite.scipy.stats, dist)
    missing = [f for f in DISTRIBUTION_FUNCTIONS[dist].split() if not hasattr(module, f)]
    assert not missing, f"scipy.stats.{dist} lacks {missing}"


def test_the_facades_are_the_same_objects():
    assert jnp.linalg is sys.modules["jaxlite.numpy.linalg"]
    assert jnp.fft is sys.modules["jaxlite.numpy.fft"]
