"""Golden tests of the printed form of jaxprs.

``JAX`` cases are exactly what JAX 0.10 prints for the same function. ``OWN`` cases pin
jaxlite's output where it differs from JAX for a reason: JAX prints sharding params that
jaxlite does not have, lays broadcasting out differently (jaxlite broadcasts explicitly to
the full shape), or calls a nested ``jit`` for ``jnp.where``.
"""

import textwrap

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import grad, jvp, make_jaxpr, vjp, vmap

C = np.array([1.0, 2.0, 3.0], np.float32)


def many_sines(x):
    for _ in range(30):
        x = jnp.sin(x)
    return x


def golden(text):
    return textwrap.dedent(text).strip("\n")


JAX = {
    "issue": (lambda x: x**2 + 3 * x + 5, (2.0,), """
        { lambda ; a:f32[]. let
            b:f32[] = integer_pow[y=2] a
            c:f32[] = mul 3.0:f32[] a
            d:f32[] = add b c
            e:f32[] = add d 5.0:f32[]
          in (e,) }"""),
    "closed-over array": (lambda x: x * C + jnp.sin(x), (jnp.ones(3),), """
        { lambda a:f32[3]; b:f32[3]. let
            c:f32[3] = mul b a
            d:f32[3] = sin b
            e:f32[3] = add c d
          in (e,) }"""),
    "one line": (lambda x: jnp.sin(x) * 2.0, (jnp.ones(2),), """
        { lambda ; a:f32[2]. let b:f32[2] = sin a; c:f32[2] = mul b 2.0:f32[] in (c,) }"""),
    "no equations": (lambda x: x, (1.0,), "{ lambda ; a:f32[]. let  in (a,) }"),
    "no equations, swapped outputs": (lambda x, y: (y, x), (1.0, jnp.ones(2, jnp.int32)), """
        { lambda ; a:f32[] b:i32[2]. let  in (b, a) }"""),
    "no outputs": (lambda x: (), (1.0,), "{ lambda ; a:f32[]. let  in () }"),
    "no inputs": (lambda: C * 2.0, (), "{ lambda a:f32[3]; . let  in (a,) }"),
    "repeated and literal outputs": (lambda x: (x, x, 1.0), (1.0,), """
        { lambda ; a:f32[]. let  in (a, a, 1.0:f32[]) }"""),
    "several outputs": (lambda x: (jnp.sin(x), jnp.cos(x), x), (jnp.ones(3),), """
        { lambda ; a:f32[3]. let b:f32[3] = sin a; c:f32[3] = cos a in (b, c, a) }"""),
    "pytree inputs": (lambda d, t: d["a"] * t[0] + d["b"] - t[1],
                      ({"b": 1.0, "a": 2.0}, (3.0, jnp.ones(()))), """
        { lambda ; a:f32[] b:f32[] c:f32[] d:f32[]. let
            e:f32[] = mul a c
            f:f32[] = add e b
            g:f32[] = convert_element_type[new_dtype=float32 weak_type=False] f
            h:f32[] = sub g d
          in (h,) }"""),
    "pytree outputs": (lambda x: {"b": jnp.sin(x), "a": (x, [jnp.cos(x)])}, (1.0,), """
        { lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = cos a in (a, c, b) }"""),
    "weak inputs": (lambda x, y: x * y, (2.0, 3), """
        { lambda ; a:f32[] b:i32[]. let
            c:f32[] = convert_element_type[new_dtype=float32 weak_type=True] b
            d:f32[] = mul a c
          in (d,) }"""),
    "literals": (lambda x, i, b: (x * 0.1 - jnp.inf, i * 3 + (-2), b & True,
                                  x * np.float32(0.1)),
                 (1.0, jnp.ones(2, jnp.int8), jnp.ones(2, bool)), """
        { lambda ; a:f32[] b:i8[2] c:bool[2]. let
            d:f32[] = mul a 0.1:f32[]
            e:f32[] = sub d inf:f32[]
            f:i8[2] = mul b 3:i8[]
            g:i8[2] = add f -2:i8[]
            h:bool[2] = and c True:bool[]
            i:f32[] = convert_element_type[new_dtype=float32 weak_type=False] a
            j:f32[] = mul i 0.10000000149011612:f32[]
          in (e, g, h, j) }"""),
    "float16 literal": (lambda x: x * 0.1, (jnp.ones(2, jnp.float16),), """
        { lambda ; a:f16[2]. let b:f16[2] = mul a 0.0999755859375:f16[] in (b,) }"""),
    "int operands": (lambda x: x.astype(jnp.int32) + 1, (jnp.ones(3),), """
        { lambda ; a:f32[3]. let
            b:i32[3] = convert_element_type[new_dtype=int32 weak_type=False] a
            c:i32[3] = add b 1:i32[]
          in (c,) }"""),
    "negative literals": (lambda x: x - 1.5 * x + (-2.0), (1.0,), """
        { lambda ; a:f32[]. let
            b:f32[] = mul 1.5:f32[] a
            c:f32[] = sub a b
            d:f32[] = add c -2.0:f32[]
          in (d,) }"""),
    "unused outputs as _": (grad(lambda x: jnp.sin(x) * x), (1.0,), """
        { lambda ; a:f32[]. let
            b:f32[] = sin a
            c:f32[] = cos a
            _:f32[] = mul b a
            d:f32[] = mul b 1.0:f32[]
            e:f32[] = mul 1.0:f32[] a
            f:f32[] = mul e c
            g:f32[] = add_any d f
          in (g,) }"""),
    "vjp": (lambda x: vjp(jnp.sin, x)[1](1.0), (0.5,), """
        { lambda ; a:f32[]. let
            _:f32[] = sin a
            b:f32[] = cos a
            c:f32[] = mul 1.0:f32[] b
          in (c,) }"""),
    "jvp": (lambda x, t: jvp(jnp.sin, (x,), (t,)), (1.0, 1.0), """
        { lambda ; a:f32[] b:f32[]. let
            c:f32[] = sin a
            d:f32[] = cos a
            e:f32[] = mul b d
          in (c, e) }"""),
    "transpose": (lambda x: x.reshape(3, 2).T, (jnp.ones((2, 3)),), None),  # JAX: + sharding
    "params breaking over lines": (
        lambda x: jnp.broadcast_to(x, (10**6, 2 * 10**6, 3 * 10**6, 4 * 10**6)),
        (jnp.ones(4 * 10**6),), None),  # JAX omits broadcast_in_dim's shape
    # params stay on the line when they fit in 80 columns up to their "]" (this line is 82)
    "params fit up to the bracket": (lambda x: x[1:], (jnp.ones((30, 4)),), """
        { lambda ; a:f32[30,4]. let
            b:f32[29,4] = slice[limit_indices=(30, 4) start_indices=(1, 0) strides=None] a
          in (b,) }"""),
    "params one column too long": (lambda x: x[1:], (jnp.ones((300, 4)),), """
        { lambda ; a:f32[300,4]. let
            b:f32[299,4] = slice[
              limit_indices=(300, 4)
              start_indices=(1, 0)
              strides=None
            ] a
          in (b,) }"""),
    "integer index": (lambda x: x[0], (jnp.ones((3, 4)),), """
        { lambda ; a:f32[3,4]. let
            b:f32[1,4] = slice[limit_indices=(1, 4) start_indices=(0, 0) strides=None] a
            c:f32[4] = squeeze[dimensions=(0,)] b
          in (c,) }"""),
    "names past z": (many_sines, (1.0,), None),
}

OWN = {
    "params": (lambda x: jnp.sum(x, axis=0), (jnp.ones((2, 3)),), """
        { lambda ; a:f32[2,3]. let b:f32[3] = reduce_sum[axes=(0,)] a in (b,) }"""),
    "transpose": (lambda x: x.reshape(3, 2).T, (jnp.ones((2, 3)),), """
        { lambda ; a:f32[2,3]. let
            b:f32[3,2] = reshape[dimensions=None new_sizes=(3, 2)] a
            c:f32[2,3] = transpose[permutation=(1, 0)] b
          in (c,) }"""),
    "dot_general": (jnp.dot, (jnp.ones((2, 3)), jnp.ones((3, 4))), """
        { lambda ; a:f32[2,3] b:f32[3,4]. let
            c:f32[2,4] = dot_general[
              dimension_numbers=(([1], [0]), ([], []))
              preferred_element_type=float32
            ] a b
          in (c,) }"""),
    "batched matmul": (jnp.matmul, (jnp.ones((5, 2, 3)), jnp.ones((3, 4))), """
        { lambda ; a:f32[5,2,3] b:f32[3,4]. let
            c:f32[5,3,4] = broadcast_in_dim[broadcast_dimensions=(1, 2) shape=(5, 3, 4)] b
            d:f32[5,2,4] = dot_general[
              dimension_numbers=(([2], [1]), ([0], [0]))
              preferred_element_type=float32
            ] a c
          in (d,) }"""),
    "params breaking over lines": (
        lambda x: jnp.broadcast_to(x, (10**6, 2 * 10**6, 3 * 10**6, 4 * 10**6)),
        (jnp.ones(4 * 10**6),), """
        { lambda ; a:f32[4000000]. let
            b:f32[1000000,2000000,3000000,4000000] = broadcast_in_dim[
              broadcast_dimensions=(3,)
              shape=(1000000, 2000000, 3000000, 4000000)
            ] a
          in (b,) }"""),
    "broadcasting": (lambda x, y: x + y, (jnp.ones((2, 3)), jnp.ones(3)), """
        { lambda ; a:f32[2,3] b:f32[3]. let
            c:f32[2,3] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(2, 3)] b
            d:f32[2,3] = add a c
          in (d,) }"""),
    "where": (lambda x: jnp.where(x > 0, x, 0.0), (jnp.ones(3),), """
        { lambda ; a:f32[3]. let
            b:bool[3] = gt a 0.0:f32[]
            c:f32[3] = broadcast_in_dim[broadcast_dimensions=() shape=(3,)] 0.0:f32[]
            d:f32[3] = select_n b c a
          in (d,) }"""),
    "keepdims": (lambda x: jnp.max(x, axis=1, keepdims=True), (jnp.ones((2, 3)),), """
        { lambda ; a:f32[2,3]. let
            b:f32[2] = reduce_max[axes=(1,)] a
            c:f32[2,1] = expand_dims[dimensions=(1,)] b
          in (c,) }"""),
    "vmap": (vmap(lambda x: jnp.sum(x * x)), (jnp.ones((4, 3)),), """
        { lambda ; a:f32[4,3]. let
            b:f32[4,3] = mul a a
            c:f32[4] = reduce_sum[axes=(1,)] b
          in (c,) }"""),
    "sum of int8": (jnp.sum, (jnp.ones(3, jnp.int8),), """
        { lambda ; a:i8[3]. let
            b:i32[3] = convert_element_type[new_dtype=int32 weak_type=False] a
            c:i32[] = reduce_sum[axes=(0,)] b
          in (c,) }"""),
}


def printed(fun, args):
    jaxpr = make_jaxpr(fun)(*args)
    jaxlite.typecheck(jaxpr)
    return str(jaxpr)


@pytest.mark.parametrize("name", [k for k, v in JAX.items() if v[2] is not None])
def test_prints_as_jax_does(name):
    fun, args, text = JAX[name]
    assert printed(fun, args) == golden(text)


@pytest.mark.parametrize("name", list(OWN))
def test_prints_jaxlites_own_form(name):
    fun, args, text = OWN[name]
    assert printed(fun, args) == golden(text)


def test_names_continue_past_z_as_in_jax():
    lines = printed(many_sines, (1.0,)).splitlines()
    assert lines[0] == "{ lambda ; a:f32[]. let"
    assert lines[25] == "    z:f32[] = sin y"
    assert lines[26] == "    ba:f32[] = sin z"
    assert lines[27] == "    bb:f32[] = sin ba"
    assert lines[-2:] == ["    be:f32[] = sin bd", "  in (be,) }"]


def test_names_continue_past_zz():
    def chain(x):
        for _ in range(27 * 26):
            x = -x
        return x

    lines = printed(chain, (1.0,)).splitlines()
    assert lines[-2] == "    bba:f32[] = neg baz"  # as JAX prints it


@pytest.mark.parametrize("count,expected", [
    # as JAX: the header breaks between binders once a line reaches 80 columns
    (8, "{ lambda ; a:f32[] b:f32[] c:f32[] d:f32[] e:f32[] f:f32[] g:f32[] h:f32[]. let"),
    (9, "{ lambda ; a:f32[] b:f32[] c:f32[] d:f32[] e:f32[] f:f32[] g:f32[] h:f32[] i:f32[]. let"),
    (11, "{ lambda ; a:f32[] b:f32[] c:f32[] d:f32[] e:f32[] f:f32[] g:f32[] h:f32[] i:f32[]\n"
         "    j:f32[] k:f32[]. let"),
])
def test_long_headers_wrap_like_jax(count, expected):
    text = printed(lambda *xs: jnp.sin(xs[0]), (1.0,) * count)
    assert text.startswith(expected + "\n")


def test_jaxpr_of_81_columns_is_not_one_line():
    # JAX: { lambda ; a:f32[] b:f32[] c:f32[] d:f32[] e:f32[]. let f... in (f,) } is 81 wide
    text = printed(lambda *xs: jnp.sin(xs[0]), (1.0,) * 5)
    assert text.splitlines() == [
        "{ lambda ; a:f32[] b:f32[] c:f32[] d:f32[] e:f32[]. let",
        "    f:f32[] = sin a",
        "  in (f,) }",
    ]
    assert len(printed(lambda *xs: jnp.sin(xs[0]), (1.0,) * 4)) <= 80  # one line


def test_x64_literals_and_avals():
    jaxlite.config.update("jax_enable_x64", True)
    assert printed(lambda x: x * 0.1 + 2, (1.0,)) == golden("""
        { lambda ; a:f64[]. let
            b:f64[] = mul a 0.1:f64[]
            c:f64[] = add b 2.0:f64[]
          in (c,) }""")
    assert printed(lambda x: x * 0.1, (jnp.ones(2, jnp.float32),)) == (
        "{ lambda ; a:f32[2]. let b:f32[2] = mul a 0.10000000149011612:f32[] in (b,) }")


def test_closed_jaxpr_repr_equals_str():
    jaxpr = make_jaxpr(jnp.sin)(1.0)
    assert repr(jaxpr) == str(jaxpr) == str(jaxpr.jaxpr)
