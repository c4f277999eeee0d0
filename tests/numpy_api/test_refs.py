"""Mutable array references (``new_ref``): reads and writes eagerly, inside jit, scan,
fori_loop, while_loop and cond; derivatives and batching of functions that use them
inside; JAX's errors for what grad, vmap and jit refuse. Values stated here are JAX's
(0.10.2) for the same programs."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax
from jaxlite.test_util import check_grads


def test_reads_and_writes_eagerly():
    r = jaxlite.new_ref(jnp.arange(3.0))
    assert repr(r) == "Ref([0., 1., 2.], dtype=float32)"
    assert (r.shape, r.dtype, r.ndim, len(r)) == ((3,), np.float32, 1, 3)
    r[...] += 1.0
    r[1] = 5.0
    np.testing.assert_array_equal(r[...], [1.0, 5.0, 3.0])
    np.testing.assert_array_equal(r[1:], [5.0, 3.0])
    np.testing.assert_array_equal(jaxlite.freeze(r), [1.0, 5.0, 3.0])
    m = jaxlite.new_ref(jnp.zeros((2, 3)))
    m[:, 1] += 5
    m[jnp.array([0, 0])] = jnp.ones((2, 3)) * 7
    np.testing.assert_array_equal(m[...], [[7, 7, 7], [0, 5, 0]])
    s = jaxlite.new_ref(1)
    assert s.dtype == np.int32 and s.weak_type


def test_the_jax_ref_module():
    r = jaxlite.new_ref(jnp.arange(3.0))
    assert float(jaxlite.ref.swap(r, 1, 7.0)) == 1.0
    jaxlite.ref.addupdate(r, 0, 2.0)
    jaxlite.ref.set(r, 2, 4.0)
    np.testing.assert_array_equal(jaxlite.ref.get(r), [2.0, 7.0, 4.0])
    assert float(jaxlite.ref.get(r, (0,))) == 2.0
    e = jaxlite.empty_ref(jnp.zeros((2,), jnp.int32))
    assert e.shape == (2,) and e.dtype == np.int32
    jaxlite.free_ref(e)


def test_jit_with_references_as_arguments_and_closed_over():
    @jaxlite.jit
    def add_to(ref, x):
        ref[...] += x

    a, b = jaxlite.new_ref(jnp.arange(3.0)), jaxlite.new_ref(jnp.zeros(3))
    add_to(a, 1.0)
    add_to(a, 1.0)
    add_to(b, 2.0)  # the same signature, another reference: the trace is reused
    np.testing.assert_array_equal(a[...], [2.0, 3.0, 4.0])
    np.testing.assert_array_equal(b[...], [2.0, 2.0, 2.0])
    assert add_to._cache_size() == 1

    total = jaxlite.new_ref(0.0)

    @jaxlite.jit
    def accumulate(x):
        total[...] += x
        return x * 2

    assert float(accumulate(3.0)) == 6.0
    assert float(accumulate(3.0)) == 6.0  # (a cache hit reads the reference anew)
    assert float(total[...]) == 6.0


def test_functions_that_make_references_inside_are_transformed_as_usual():
    def f(x):
        q = jaxlite.new_ref(x)
        q[...] = q[...] * 3.0
        return q[...] ** 2

    assert float(jaxlite.grad(f)(2.0)) == 36.0
    np.testing.assert_array_equal(jaxlite.vmap(f)(jnp.arange(3.0)), [0.0, 9.0, 36.0])
    assert float(jaxlite.jit(jaxlite.grad(f))(2.0)) == 36.0
    text = str(jaxlite.make_jaxpr(f)(2.0))  # discharged: a functional jaxpr
    assert "mul a 3.0" in text and "integer_pow[y=2]" in text


def weighted_sum(x):
    acc = jaxlite.new_ref(jnp.zeros(()))

    def body(carry, xi):
        acc[...] += xi * x
        return carry, None

    lax.scan(body, None, jnp.arange(4.0))
    return acc[...]


def doubled_thrice(x):
    acc = jaxlite.new_ref(x)

    def body(i, carry):
        acc[...] = acc[...] * 2
        return carry

    lax.fori_loop(0, jnp.int32(3), body, 0)  # traced bounds: a while loop
    return acc[...]


def doubled_if_positive(x):
    acc = jaxlite.new_ref(x)
    lax.cond(x > 0, lambda: acc.__setitem__(..., acc[...] * 2), lambda: None)
    return acc[...]


@pytest.mark.parametrize("fun, x, value, slope", [
    (weighted_sum, 1.0, 6.0, 6.0),
    (doubled_thrice, 1.0, 8.0, 8.0),
    (doubled_if_positive, 1.0, 2.0, 2.0),
    (doubled_if_positive, -1.0, -1.0, 1.0),
])
def test_loops_and_cond_write_references(fun, x, value, slope):
    for g in (fun, jaxlite.jit(fun)):
        assert float(g(x)) == value
        assert float(jaxlite.grad(g)(x)) == slope
    check_grads(fun, (np.float64(x),), order=2)
    xs = jnp.array([x, 2.0 * x, -x])
    np.testing.assert_allclose(jaxlite.vmap(fun)(xs), [float(fun(v)) for v in xs])


def test_nested_loops_and_a_static_fori_loop():
    def f(x):
        acc = jaxlite.new_ref(jnp.zeros(2))

        def outer(i, c):
            def inner(j, c):
                acc[j % 2] += x * (i + 1)
                return c
            return lax.fori_loop(0, 2, inner, c)

        lax.fori_loop(0, 3, outer, 0)
        return acc[...]

    np.testing.assert_array_equal(f(1.0), [6.0, 6.0])
    np.testing.assert_array_equal(jaxlite.jit(f)(2.0), [12.0, 12.0])
    np.testing.assert_array_equal(jaxlite.jacfwd(f)(1.0), [6.0, 6.0])


def test_while_loop_reads_the_reference_in_its_condition():
    def f(x):
        r = jaxlite.new_ref(x)

        def body(n):
            r[...] = r[...] * 2.0
            return n + 1

        n = lax.while_loop(lambda n: r[...] < 10.0, body, 0)
        return n, r[...]

    for g in (f, jaxlite.jit(f)):
        n, v = g(1.0)
        assert (int(n), float(v)) == (4, 16.0)


def test_errors_name_what_jax_refuses_and_the_library_still_works():
    outer = jaxlite.new_ref(0.0)

    def f(x):
        outer[...] += x
        return x * 2

    with pytest.raises(ValueError, match="differentiated value on a non-differentiated"):
        jaxlite.grad(f)(1.0)
    with pytest.raises(ValueError, match="vmapped value on an unbatched"):
        jaxlite.vmap(f)(jnp.arange(3.0))
    with pytest.raises(ValueError, match="mutable array references cannot be returned"):
        jaxlite.jit(lambda x: jaxlite.new_ref(x))(1.0)
    r = jaxlite.new_ref(jnp.zeros(3))
    with pytest.raises(ValueError, match="Invalid shape for `swap`"):
        r[...] = jnp.ones(4)
    with pytest.raises(ValueError, match="Invalid dtype for `swap`"):
        jaxlite.new_ref(jnp.zeros(3, jnp.int32))[...] = jnp.ones(3)
    with pytest.raises(TypeError, match="Error interpreting argument to new_ref"):
        jaxlite.new_ref([1.0, 2.0])
    with pytest.raises(TypeError):
        r + 1
    with pytest.raises(TypeError, match="freeze expects a reference"):
        jaxlite.freeze(jnp.zeros(2))
    assert float(outer[...]) == 0.0  # (the refused writes left no trace behind)
    assert float(f(1.0)) == 2.0 and float(outer[...]) == 1.0
    assert float(jaxlite.grad(weighted_sum)(1.0)) == 6.0
