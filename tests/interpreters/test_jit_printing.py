"""Golden printed forms of jaxprs holding ``jit`` equations, as JAX 0.10.2 prints them.

Each case builds its function from a library (``jaxlite``, or ``jax`` when installed), so
the same code is traced by both: ``test_jit_prints_as_jax_does`` holds jaxlite to the
recorded text, ``test_the_recorded_text_is_jaxs`` checks the recording against JAX live.
Where jaxlite prints differently the case stays, with JAX's text, as a strict xfail whose
reason says what differs.
"""

import textwrap

import pytest

import jaxlite


def golden(text):
    return textwrap.dedent(text).strip("\n")


WIDTH = (
    "jaxlite keeps a jit's sub-jaxpr on one line when it fits in 80 columns without the "
    "'jaxpr=' in front of it; JAX counts those 6 columns, so it breaks over lines a sub-jaxpr "
    "that fits only without them (core/pretty.py: param_value lays the sub-jaxpr out before "
    "eqn_lines prepends 'jaxpr=')")
UNUSED = (
    "jaxlite prints an unused variable of a sub-jaxpr as '_'; JAX names '_' only the unused "
    "variables of the jaxpr being printed (core._dropvars) and those a call's '_' outputs "
    "suggest, so inside a jit's jaxpr an unused variable keeps its letter")
NAME = (
    "the jit of a transformed function is named after the transform in jaxlite "
    "('grad(f)', 'value_and_grad(sq)', 'batched'), 'f' or 'sq' in JAX, whose transforms keep "
    "the wrapped function's __name__ (functools.wraps)")


# ------------------------------------------------------------------ the cases


def jit_of_f(lib):
    def f(x):
        return lib.numpy.sin(x) * x

    return lib.jit(f), (1.0,)


def jit_of_f_on_a_vector(lib):
    def f(x):
        return lib.numpy.sin(x) * x

    return lib.jit(f), (lib.numpy.ones(3),)


def grad_of_jit(lib):
    def f(x):
        return lib.numpy.sin(x) * x

    return lib.grad(lib.jit(f)), (1.0,)


def vmap_of_jit(lib):
    def f(x):
        return lib.numpy.sin(x) * x

    return lib.vmap(lib.jit(f)), (lib.numpy.ones(3),)


def vmap_of_jit_short(lib):
    def sq(x):
        return x * x

    return lib.vmap(lib.jit(sq)), (lib.numpy.ones(3),)


def vmap_of_jit_in_axes_none(lib):
    def mul(x, y):
        return x * y

    return lib.vmap(lib.jit(mul), in_axes=(0, None)), (lib.numpy.ones(3), lib.numpy.ones(()))


def jit_of_grad(lib):
    def f(x):
        return lib.numpy.sin(x) * x

    return lib.jit(lib.grad(f)), (1.0,)


def jit_of_value_and_grad(lib):
    def sq(x):
        return x * x

    return lib.jit(lib.value_and_grad(sq)), (1.0,)


def jit_of_vmap(lib):
    def sq(x):
        return x * x

    return lib.jit(lib.vmap(sq)), (lib.numpy.ones(3),)


def jit_of_jit(lib):
    def f(x):
        return lib.numpy.sin(x) * x

    return lib.jit(lib.jit(f)), (1.0,)


def jit_of_jit_short(lib):
    def sq(x):
        return x * x

    return lib.jit(lib.jit(sq)), (1.0,)


def several_outputs(lib):
    def g(x, y):  # a computed output, a forwarded input and a literal
        return x + y, x, 3.0

    return lib.jit(g), (1.0, 2.0)


def literal_argument(lib):
    def h(x):
        return x * 2.0 + 1.0

    return (lambda x: lib.jit(h)(2.0) + x), (1.0,)


def literal_and_traced_arguments(lib):
    def mul(a, b):
        return a * b

    return (lambda x: lib.jit(mul)(x, 2.0)), (1.0,)


def closure_over_a_tracer(lib):
    return (lambda x: lib.jit(lambda y: x * y)(2.0)), (3.0,)


def grad_of_closure(lib):
    return lib.grad(lambda x: lib.jit(lambda y: x * y)(2.0)), (3.0,)


def value_and_grad_of_jit(lib):
    def sq(x):
        return x * x

    return lib.value_and_grad(lib.jit(sq)), (1.0,)


def grad_of_jit_of_jit(lib):
    def sq(x):
        return x * x

    return lib.grad(lib.jit(lib.jit(sq))), (1.0,)


def pytree_in_and_out(lib):
    def tree(d):
        return {"s": d["a"] + d["b"], "a": d["a"]}

    return lib.jit(tree), ({"a": 1.0, "b": 2.0},)


def unused_call(lib):
    def sq(x):
        return x * x

    return (lambda x: (lib.jit(sq)(x), x)[1]), (1.0,)


def unused_variable_inside(lib):
    def first(x):
        return (lib.numpy.sin(x), x)[1]

    return lib.jit(first), (1.0,)


CASES = {
    "jit(f)": (jit_of_f, None, """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=f
              jaxpr={ lambda ; a:f32[]. let c:f32[] = sin a; b:f32[] = mul c a in (b,) }
            ] a
          in (b,) }"""),
    "jit(f) on a vector": (jit_of_f_on_a_vector, WIDTH, """
        { lambda ; a:f32[3]. let
            b:f32[3] = jit[
              name=f
              jaxpr={ lambda ; a:f32[3]. let
                  c:f32[3] = sin a
                  b:f32[3] = mul c a
                in (b,) }
            ] a
          in (b,) }"""),
    "grad(jit(f))": (grad_of_jit, None, """
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
    "vmap(jit(f))": (vmap_of_jit, WIDTH, """
        { lambda ; a:f32[3]. let
            b:f32[3] = jit[
              name=f
              jaxpr={ lambda ; a:f32[3]. let
                  c:f32[3] = sin a
                  b:f32[3] = mul c a
                in (b,) }
            ] a
          in (b,) }"""),
    "vmap(jit(sq))": (vmap_of_jit_short, None, """
        { lambda ; a:f32[3]. let
            b:f32[3] = jit[
              name=sq
              jaxpr={ lambda ; a:f32[3]. let b:f32[3] = mul a a in (b,) }
            ] a
          in (b,) }"""),
    "vmap(jit(mul), in_axes=(0, None))": (vmap_of_jit_in_axes_none, None, """
        { lambda ; a:f32[3] b:f32[]. let
            c:f32[3] = jit[
              name=mul
              jaxpr={ lambda ; a:f32[3] b:f32[]. let c:f32[3] = mul a b in (c,) }
            ] a b
          in (c,) }"""),
    "jit(grad(f))": (jit_of_grad, NAME + "; and " + UNUSED, """
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
    "jit(value_and_grad(sq))": (jit_of_value_and_grad, NAME, """
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
    "jit(vmap(sq))": (jit_of_vmap, NAME, """
        { lambda ; a:f32[3]. let
            b:f32[3] = jit[
              name=sq
              jaxpr={ lambda ; a:f32[3]. let b:f32[3] = mul a a in (b,) }
            ] a
          in (b,) }"""),
    "jit(jit(f))": (jit_of_jit, WIDTH, """
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
    "jit(jit(sq))": (jit_of_jit_short, None, """
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
    "several outputs, forwarded input, literal": (several_outputs, WIDTH, """
        { lambda ; a:f32[] b:f32[]. let
            c:f32[] d:f32[] e:f32[] = jit[
              name=g
              jaxpr={ lambda ; a:f32[] b:f32[]. let
                  c:f32[] = add a b
                in (c, a, 3.0:f32[]) }
            ] a b
          in (c, d, e) }"""),
    "literal argument": (literal_argument, None, """
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
    "literal and traced arguments": (literal_and_traced_arguments, None, """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=mul
              jaxpr={ lambda ; a:f32[] c:f32[]. let b:f32[] = mul a c in (b,) }
            ] a 2.0:f32[]
          in (b,) }"""),
    "closure over a tracer": (closure_over_a_tracer, None, """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=<lambda>
              jaxpr={ lambda ; a:f32[] c:f32[]. let b:f32[] = mul a c in (b,) }
            ] a 2.0:f32[]
          in (b,) }"""),
    "grad of a closure over a tracer": (grad_of_closure, None, """
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
    "value_and_grad(jit(sq))": (value_and_grad_of_jit, None, """
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
    "grad(jit(jit(sq)))": (grad_of_jit_of_jit, None, """
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
    "pytrees in and out": (pytree_in_and_out, None, """
        { lambda ; a:f32[] b:f32[]. let
            d:f32[] c:f32[] = jit[
              name=tree
              jaxpr={ lambda ; a:f32[] b:f32[]. let c:f32[] = add a b in (a, c) }
            ] a b
          in (d, c) }"""),
    "an unused call": (unused_call, None, """
        { lambda ; a:f32[]. let
            _:f32[] = jit[
              name=sq
              jaxpr={ lambda ; a:f32[]. let _:f32[] = mul a a in (_,) }
            ] a
          in (a,) }"""),
    "an unused variable inside": (unused_variable_inside, UNUSED, """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=first
              jaxpr={ lambda ; a:f32[]. let c:f32[] = sin a in (a,) }
            ] a
          in (b,) }"""),
}


def params(with_xfail):
    out = []
    for name, (_, reason, _) in CASES.items():
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if with_xfail and reason else []
        out.append(pytest.param(name, marks=marks, id=name))
    return out


def printed(lib, name):
    fun, args = CASES[name][0](lib)
    return lib.make_jaxpr(fun)(*args)


@pytest.mark.parametrize("name", params(with_xfail=True))
def test_jit_prints_as_jax_does(name):
    jaxpr = printed(jaxlite, name)
    jaxlite.typecheck(jaxpr)
    assert str(jaxpr) == golden(CASES[name][2])


@pytest.mark.parametrize("name", params(with_xfail=False))
def test_the_recorded_text_is_jaxs(name):
    jax = pytest.importorskip("jax")
    assert str(printed(jax, name)) == golden(CASES[name][2])
