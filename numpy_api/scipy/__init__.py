"""``jaxlite.scipy``: the parts of SciPy that ``jax.scipy`` provides, on jaxlite arrays.

Each submodule is a facade over jaxlite's primitives, so everything here differentiates,
batches and jits like ``jaxlite.numpy``. ``jaxlite/__init__.py`` registers every submodule
under its public name (``jaxlite.scipy.special``, ``jaxlite.scipy.stats.norm``, ...).
"""

from . import linalg  # noqa: F401 - jaxlite.scipy.linalg
from . import signal  # noqa: F401 - jaxlite.scipy.signal
from . import integrate  # noqa: F401 - jaxlite.scipy.integrate
from . import optimize  # noqa: F401 - jaxlite.scipy.optimize
from . import special, stats  # noqa: F401
