"""Transforms leave the cyclic garbage collector alone: other threads keep collecting while
user code runs under a transform, and a user's own ``gc.disable()`` is respected."""

import gc

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp

TRANSFORMS = {
    "grad": lambda f: jaxlite.grad(f),
    "jvp": lambda f: lambda x: jaxlite.jvp(f, (x,), (x,)),
    "vjp": lambda f: lambda x: jaxlite.vjp(f, x)[1](1.0),
    "vmap": lambda f: lambda x: jaxlite.vmap(f)(jnp.stack([x, x])),
    "make_jaxpr": lambda f: jaxlite.make_jaxpr(f),
    "jacrev": lambda f: jaxlite.jacrev(f),
}


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_the_collector_stays_enabled_under_transforms(name):
    seen = []

    def f(x):
        seen.append(gc.isenabled())
        return jnp.sin(x) * 2.0

    assert gc.isenabled()
    TRANSFORMS[name](f)(np.float32(0.5))
    assert seen and all(seen)
    assert gc.isenabled()


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_a_users_gc_disable_is_respected(name):
    seen = []

    def f(x):
        seen.append(gc.isenabled())
        return jnp.sin(x) * 2.0

    gc.disable()
    try:
        TRANSFORMS[name](f)(np.float32(0.5))
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert seen and not any(seen)
