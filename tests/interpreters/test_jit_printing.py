"""Golden printed forms of jaxprs holding ``jit`` equations, as JAX 0.10.2 prints them.

Each case builds its function from a library (``jaxlite``, or ``jax`` when installed), so
the same code is traced by both: ``test_jit_prints_as_jax_does`` holds jaxlite to the
recorded text, ``test_the_recorded_text_is_jaxs`` checks the recording against JAX live.
Where jaxlite prints differently the case stays, with JAX's text, as a strict xfail whose
reason says what differs.
"""

import types

import pytest

import jaxlite

from .golden import assert_prints, params


# ------------------------------------------------------------------ the cases


def functions(lib):
    """The functions the cases jit, written against ``lib``; their names are printed."""
    np_ = lib.numpy

    def f(x):
        return np_.sin(x) * x

    def sq(x):
        return x * x

    def mul(x, y):
        return x * y

    def g(x, y):  # a computed output, a forwarded input and a literal
        return x + y, x, 3.0

    def h(x):
        return x * 2.0 + 1.0

    def tree(d):
        return {"s": d["a"] + d["b"], "a": d["a"]}

    def first(x):
        return (np_.sin(x), x)[1]

    return types.SimpleNamespace(f=f, sq=sq, mul=mul, g=g, h=h, tree=tree, first=first)


# each builder takes the library and its functions, and gives the function traced and its
# arguments
BUILDERS = {
    "jit(f)": lambda lib, fn: (lib.jit(fn.f), (1.0,)),
    "jit(f) on a vector": lambda lib, fn: (lib.jit(fn.f), (lib.numpy.ones(3),)),
    "grad(jit(f))": lambda lib, fn: (lib.grad(lib.jit(fn.f)), (1.0,)),
    "vmap(jit(f))": lambda lib, fn: (lib.vmap(lib.jit(fn.f)), (lib.numpy.ones(3),)),
    "vmap(jit(sq))": lambda lib, fn: (lib.vmap(lib.jit(fn.sq)), (lib.numpy.ones(3),)),
    "vmap(jit(mul), in_axes=(0, None))": lambda lib, fn: (
        lib.vmap(lib.jit(fn.mul), in_axes=(0, None)), (lib.numpy.ones(3), lib.numpy.ones(()))),
    "jit(grad(f))": lambda lib, fn: (lib.jit(lib.grad(fn.f)), (1.0,)),
    "jit(value_and_grad(sq))": lambda lib, fn: (lib.jit(lib.value_and_grad(fn.sq)), (1.0,)),
    "jit(vmap(sq))": lambda lib, fn: (lib.jit(lib.vmap(fn.sq)), (lib.numpy.ones(3),)),
    "jit(jit(f))": lambda lib, fn: (lib.jit(lib.jit(fn.f)), (1.0,)),
    "jit(jit(sq))": lambda lib, fn: (lib.jit(lib.jit(fn.sq)), (1.0,)),
    "several outputs, forwarded input, literal": lambda lib, fn: (lib.jit(fn.g), (1.0, 2.0)),
    "literal argument": lambda lib, fn: ((lambda x: lib.jit(fn.h)(2.0) + x), (1.0,)),
    "literal and traced arguments": lambda lib, fn: ((lambda x: lib.jit(fn.mul)(x, 2.0)),
                                                     (1.0,)),
    "closure over a tracer": lambda lib, fn: ((lambda x: lib.jit(lambda y: x * y)(2.0)),
                                              (3.0,)),
    "grad of a closure over a tracer": lambda lib, fn: (
        lib.grad(lambda x: lib.jit(lambda y: x * y)(2.0)), (3.0,)),
    "value_and_grad(jit(sq))": lambda lib, fn: (lib.value_and_grad(lib.jit(fn.sq)), (1.0,)),
    "grad(jit(jit(sq)))": lambda lib, fn: (lib.grad(lib.jit(lib.jit(fn.sq))), (1.0,)),
    "pytrees in and out": lambda lib, fn: (lib.jit(fn.tree), ({"a": 1.0, "b": 2.0},)),
    "an unused call": lambda lib, fn: ((lambda x: (lib.jit(fn.sq)(x), x)[1]), (1.0,)),
    "an unused variable inside": lambda lib, fn: (lib.jit(fn.first), (1.0,)),
}

F_ON_A_VECTOR = """
    { lambda ; a:f32[3]. let
        b:f32[3] = jit[
          name=f
          jaxpr={ lambda ; a:f32[3]. let
              c:f32[3] = sin a
              b:f32[3] = mul c a
            in (b,) }
        ] a
      in (b,) }"""

# the text JAX prints, and why jaxlite's differs (None: it does not)
CASES = {
    "jit(f)": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=f
              jaxpr={ lambda ; a:f32[]. let c:f32[] = sin a; b:f32[] = mul c a in (b,) }
            ] a
          in (b,) }"""),
    "jit(f) on a vector": (None, F_ON_A_VECTOR),
    "vmap(jit(f))": (None, F_ON_A_VECTOR),  # the same text: f is elementwise
    "grad(jit(f))": (None, """
        { lambda ; a:f32[]. let
            _:f32[] b:f32[] c:f32[] = jit[
              name=f
              jaxpr={ lambda ; a:f32[]. let
                  c:f32[] = sin a
                  b:f32[] = cos a
                  _:f32[] = mul c a
                in (_, b, c) }
            ] a
            d:f32[] = jit[
              name=f
              jaxpr={ lambda ; b:f32[] a:f32[] c:f32[] e:f32[]. let
                  f:f32[] = mul c e
                  g:f32[] = mul e a
                  h:f32[] = mul g b
                  d:f32[] = add_any f h
                in (d,) }
            ] b a c 1.0:f32[]
          in (d,) }"""),
    "vmap(jit(sq))": (None, """
        { lambda ; a:f32[3]. let
            b:f32[3] = jit[
              name=sq
              jaxpr={ lambda ; a:f32[3]. let b:f32[3] = mul a a in (b,) }
            ] a
          in (b,) }"""),
    "vmap(jit(mul), in_axes=(0, None))": (None, """
        { lambda ; a:f32[3] b:f32[]. let
            c:f32[3] = jit[
              name=mul
              jaxpr={ lambda ; a:f32[3] b:f32[]. let c:f32[3] = mul a b in (c,) }
            ] a b
          in (c,) }"""),
    "jit(grad(f))": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=f
              jaxpr={ lambda ; a:f32[]. let
                  c:f32[] = sin a
                  d:f32[] = cos a
                  e:f32[] = mul c a
                  f:f32[] = mul c 1.0:f32[]
                  g:f32[] = mul 1.0:f32[] a
                  h:f32[] = mul g d
                  b:f32[] = add_any f h
                in (b,) }
            ] a
          in (b,) }"""),
    "jit(value_and_grad(sq))": (None, """
        { lambda ; a:f32[]. let
            b:f32[] c:f32[] = jit[
              name=sq
              jaxpr={ lambda ; a:f32[]. let
                  b:f32[] = mul a a
                  d:f32[] = mul a 1.0:f32[]
                  e:f32[] = mul 1.0:f32[] a
                  c:f32[] = add_any d e
                in (b, c) }
            ] a
          in (b, c) }"""),
    "jit(vmap(sq))": (None, """
        { lambda ; a:f32[3]. let
            b:f32[3] = jit[
              name=sq
              jaxpr={ lambda ; a:f32[3]. let b:f32[3] = mul a a in (b,) }
            ] a
          in (b,) }"""),
    "jit(jit(f))": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=f
              jaxpr={ lambda ; a:f32[]. let
                  b:f32[] = jit[
                    name=f
                    jaxpr={ lambda ; a:f32[]. let
                        c:f32[] = sin a
                        b:f32[] = mul c a
                      in (b,) }
                  ] a
                in (b,) }
            ] a
          in (b,) }"""),
    "jit(jit(sq))": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=sq
              jaxpr={ lambda ; a:f32[]. let
                  b:f32[] = jit[
                    name=sq
                    jaxpr={ lambda ; a:f32[]. let b:f32[] = mul a a in (b,) }
                  ] a
                in (b,) }
            ] a
          in (b,) }"""),
    "several outputs, forwarded input, literal": (None, """
        { lambda ; a:f32[] b:f32[]. let
            c:f32[] d:f32[] e:f32[] = jit[
              name=g
              jaxpr={ lambda ; a:f32[] b:f32[]. let
                  c:f32[] = add a b
                in (c, a, 3.0:f32[]) }
            ] a b
          in (c, d, e) }"""),
    "literal argument": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=h
              jaxpr={ lambda ; c:f32[]. let
                  d:f32[] = mul c 2.0:f32[]
                  b:f32[] = add d 1.0:f32[]
                in (b,) }
            ] 2.0:f32[]
            e:f32[] = add b a
          in (e,) }"""),
    "literal and traced arguments": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=mul
              jaxpr={ lambda ; a:f32[] c:f32[]. let b:f32[] = mul a c in (b,) }
            ] a 2.0:f32[]
          in (b,) }"""),
    "closure over a tracer": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=<lambda>
              jaxpr={ lambda ; a:f32[] c:f32[]. let b:f32[] = mul a c in (b,) }
            ] a 2.0:f32[]
          in (b,) }"""),
    "grad of a closure over a tracer": (None, """
        { lambda ; a:f32[]. let
            _:f32[] = jit[
              name=<lambda>
              jaxpr={ lambda ; a:f32[] b:f32[]. let _:f32[] = mul a b in (_,) }
            ] a 2.0:f32[]
            c:f32[] = jit[
              name=<lambda>
              jaxpr={ lambda ; d:f32[] e:f32[]. let c:f32[] = mul e d in (c,) }
            ] 2.0:f32[] 1.0:f32[]
          in (c,) }"""),
    "value_and_grad(jit(sq))": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=sq
              jaxpr={ lambda ; a:f32[]. let b:f32[] = mul a a in (b,) }
            ] a
            c:f32[] = jit[
              name=sq
              jaxpr={ lambda ; a:f32[] d:f32[]. let
                  e:f32[] = mul a d
                  f:f32[] = mul d a
                  c:f32[] = add_any e f
                in (c,) }
            ] a 1.0:f32[]
          in (b, c) }"""),
    "grad(jit(jit(sq)))": (None, """
        { lambda ; a:f32[]. let
            _:f32[] = jit[
              name=sq
              jaxpr={ lambda ; a:f32[]. let
                  _:f32[] = jit[
                    name=sq
                    jaxpr={ lambda ; a:f32[]. let _:f32[] = mul a a in (_,) }
                  ] a
                in (_,) }
            ] a
            b:f32[] = jit[
              name=sq
              jaxpr={ lambda ; a:f32[] c:f32[]. let
                  b:f32[] = jit[
                    name=sq
                    jaxpr={ lambda ; a:f32[] c:f32[]. let
                        d:f32[] = mul a c
                        e:f32[] = mul c a
                        b:f32[] = add_any d e
                      in (b,) }
                  ] a c
                in (b,) }
            ] a 1.0:f32[]
          in (b,) }"""),
    "pytrees in and out": (None, """
        { lambda ; a:f32[] b:f32[]. let
            d:f32[] c:f32[] = jit[
              name=tree
              jaxpr={ lambda ; a:f32[] b:f32[]. let c:f32[] = add a b in (a, c) }
            ] a b
          in (d, c) }"""),
    "an unused call": (None, """
        { lambda ; a:f32[]. let
            _:f32[] = jit[
              name=sq
              jaxpr={ lambda ; a:f32[]. let _:f32[] = mul a a in (_,) }
            ] a
          in (a,) }"""),
    "an unused variable inside": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=first
              jaxpr={ lambda ; a:f32[]. let c:f32[] = sin a in (a,) }
            ] a
          in (b,) }"""),
}


def printed(lib, name):
    fun, args = BUILDERS[name](lib, functions(lib))
    return lib.make_jaxpr(fun)(*args)


@pytest.mark.parametrize("name", params(CASES, with_xfail=True))
def test_jit_prints_as_jax_does(name):
    assert_prints(printed(jaxlite, name), CASES, name)


@pytest.mark.parametrize("name", params(CASES, with_xfail=False))
def test_the_recorded_text_is_jaxs(name):
    assert_prints(printed(pytest.importorskip("jax"), name), CASES, name)
