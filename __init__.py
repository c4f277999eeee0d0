"""jaxlite: JAX-style function transformations in pure Python on NumPy.

    import jaxlite
    import jaxlite.numpy as jnp

    jaxlite.grad(lambda x: jnp.sum(x ** 2))(jnp.array([1.0, 2.0, 3.0]))   # [2. 4. 6.]

Functions are traced into a typed IR (``make_jaxpr`` shows it), and interpreters
rewrite that IR into derivatives (``grad``, ``jvp``, ``vjp``, ``linearize``) and
batched programs (``vmap``), then evaluate it with NumPy.
"""

import sys as _sys

from . import numpy_api as numpy  # noqa: A004 - exposed as jaxlite.numpy, like jax.numpy
from .core import Array, ShapedArray, tree, tree_util, typecheck
from .core.config import config
from .interpreters.api_extras import (
    ShapeDtypeStruct,
    eval_shape,
    jacobian,
    named_call,
    named_scope,
    typeof,
)
from .interpreters.transforms import (
    grad,
    hessian,
    jacfwd,
    jacrev,
    jvp,
    linear_transpose,
    linearize,
    make_jaxpr,
    value_and_grad,
    vjp,
    vmap,
)
from .numpy_api import lax, nn
from .numpy_api import example_libraries, flatten_util, random, scipy
from .numpy_api.example_libraries import optimizers as _optimizers  # noqa: F401 - loads it
from .numpy_api.example_libraries import stax as _stax  # noqa: F401 - loads the submodule
from .numpy_api import refs as ref
from .numpy_api.refs import Ref, empty_ref, free_ref, freeze, new_ref
from .numpy_api.devices import (
    block_until_ready,
    default_backend,
    device_count,
    device_put,
    devices,
    local_device_count,
    local_devices,
    process_count,
    process_index,
)
from .primitives.custom_rules import custom_jvp, custom_vjp
from .primitives.remat import checkpoint, checkpoint_policies, remat
from .interpreters.jit import jit
from . import ad_checkpoint, errors, test_util

# `import jaxlite.numpy as jnp`, `import jaxlite.numpy.linalg`, `import jaxlite.lax` and
# `import jaxlite.nn` find the facade
_sys.modules[__name__ + ".numpy"] = numpy
_sys.modules[__name__ + ".numpy.fft"] = numpy.fft
_sys.modules[__name__ + ".numpy.linalg"] = numpy.linalg
_sys.modules[__name__ + ".lax"] = lax
_sys.modules[__name__ + ".lax.linalg"] = lax.linalg
_sys.modules[__name__ + ".nn"] = nn
_sys.modules[__name__ + ".nn.initializers"] = nn.initializers
_sys.modules[__name__ + ".random"] = random
_sys.modules[__name__ + ".ref"] = ref
_sys.modules[__name__ + ".tree_util"] = tree_util
_sys.modules[__name__ + ".tree"] = tree
_sys.modules[__name__ + ".flatten_util"] = flatten_util
_sys.modules[__name__ + ".example_libraries"] = example_libraries
_sys.modules[__name__ + ".example_libraries.optimizers"] = _optimizers

# ... and `import jaxlite.scipy.special`, `import jaxlite.scipy.stats.norm`, every level
_facades = [(scipy, __name__ + ".scipy"),
            (example_libraries, __name__ + ".example_libraries")]
while _facades:
    _package, _public_name = _facades.pop()
    _sys.modules[_public_name] = _package
    _facades += [(_value, f"{_public_name}.{_name}") for _name, _value in vars(_package).items()
                 if isinstance(_value, type(_sys))
                 and _value.__name__.startswith(_package.__name__ + ".")]

__version__ = "0.1.0"

__all__ = [
    "Array", "Ref", "ShapeDtypeStruct", "ShapedArray", "ad_checkpoint", "block_until_ready", "checkpoint",
    "checkpoint_policies", "config", "custom_jvp", "custom_vjp",
    "default_backend", "device_count", "device_put", "devices", "empty_ref", "errors",
    "eval_shape", "example_libraries", "flatten_util", "free_ref", "freeze", "grad", "hessian",
    "jacfwd", "jacobian", "jacrev", "jit", "jvp", "lax", "linear_transpose", "linearize", "local_device_count",
    "local_devices", "make_jaxpr", "named_call", "named_scope", "new_ref", "nn", "numpy", "process_count", "process_index",
    "random", "ref", "remat", "scipy", "test_util", "tree", "tree_util", "typecheck", "typeof",
    "value_and_grad", "vjp", "vmap",
]
