"""Each user error is a named class in jaxlite.errors that is also the built-in type JAX raises."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import errors
from jaxlite.core.primitive import Primitive
from jaxlite.core.trace import current_trace


def _missing_jvp_prim() -> Primitive:
    return Primitive("only_impl", impl=lambda x: [np.asarray(x)], abstract_eval=lambda x: [x])


CASES = [
    ("grad of a vector output", lambda: jaxlite.grad(lambda x: x * 2)(jnp.ones(3)),
     errors.GradError, TypeError, "Output had shape: (3,)"),
    ("grad of an integer input", lambda: jaxlite.grad(lambda x: x * 2)(1),
     errors.GradError, TypeError, "real- or complex-valued inputs"),
    ("argnums past the arguments", lambda: jaxlite.grad(lambda x: x, argnums=3)(1.0),
     errors.ArgnumsError, TypeError, "argnums=3"),
    ("negative argnums out of range", lambda: jaxlite.grad(lambda x: x, argnums=-3)(1.0),
     errors.ArgnumsError, ValueError, "-3"),
    ("static_argnums past the arguments",
     lambda: jaxlite.make_jaxpr(lambda x: x, static_argnums=2)(1.0),
     errors.ArgnumsError, ValueError, "static_argnums=2"),
    ("vmap sizes disagree", lambda: jaxlite.vmap(lambda a, b: a + b)(jnp.ones(3), jnp.ones(4)),
     errors.VmapAxisError, ValueError, "inconsistent sizes"),
    ("a string argument", lambda: jaxlite.grad(lambda x: x)("a"),
     errors.InvalidArgumentError, TypeError, "not a valid jaxlite type"),
    ("a primitive without a jvp rule",
     lambda: jaxlite.grad(lambda x: _missing_jvp_prim().bind1(x))(1.0),
     errors.MissingRuleError, NotImplementedError, "jvp rule for primitive 'only_impl'"),
]


@pytest.mark.parametrize("name,call,named,builtin,fragment", CASES, ids=[c[0] for c in CASES])
def test_named_error(name, call, named, builtin, fragment):
    with pytest.raises(named) as info:
        call()
    assert isinstance(info.value, builtin)
    assert fragment in str(info.value)
    assert current_trace() is None
    assert float(jaxlite.grad(lambda x: x * x)(3.0)) == 6.0  # the library still works


def test_every_named_error_is_exported():
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), Exception)
