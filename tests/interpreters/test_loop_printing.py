"""Golden printed forms of scan, map, fori_loop and while_loop, as JAX 0.10.2 prints them.

Each case builds its function from a library (``jaxlite``, or ``jax`` when installed), so
the same code is traced by both: ``test_loops_print_as_jax_does`` holds jaxlite to the
recorded text, ``test_the_recorded_text_is_jaxs`` checks the recording against JAX live.
Where jaxlite prints differently the case stays, with JAX's text, as a strict xfail whose
reason says what differs.
"""

import importlib

import pytest

import jaxlite

from .golden import assert_prints, params


def builders(lib):
    """Each case's function, written against ``lib``, and its arguments."""
    np_, lax = importlib.import_module(lib.__name__ + ".numpy"), lib.lax

    def scan_f(c, xs):
        return lax.scan(lambda c, x: (c * x + 1.0, np_.sin(c)), c, xs)

    def scan_closure(w, xs):
        return lax.scan(lambda c, x: (c + w * x, None), 0.0, xs)[0]

    def scan_tree(c, xs):
        return lax.scan(lambda c, x: ((c[1], c[0] + x["a"]), x["b"] * c[0]), c, xs,
                        reverse=True)

    def while_closure(x, lim):
        return lax.while_loop(lambda c: c < lim, lambda c: c * x, 1.0)

    def vmap_while(x):
        return lib.vmap(lambda y: lax.while_loop(lambda c: c < 10.0, lambda c: c * 2.0, y))(x)

    def vmap_while_const(x):
        return lib.vmap(lambda y: lax.while_loop(lambda c: c[0] < 3,
                                                 lambda c: (c[0] + 1, c[1] * y), (0, 1.0)))(x)

    def jvp_scan(c, xs):
        return lib.jvp(lambda c: lax.scan(lambda c, x: (np_.sin(c) * x, None), c, xs)[0],
                       (c,), (1.0,))

    def jvp_while(x):
        return lib.jvp(lambda x: lax.while_loop(lambda c: c < 10.0, lambda c: c * 2.0, x),
                       (x,), (1.0,))

    def fori_forwarded(w, x):
        return lax.fori_loop(0, 3, lambda i, c: (c[0], c[1] * c[0]), (w, x))[1]

    def while_forwarded(w, x):
        return lax.while_loop(lambda c: c[1] < 10.0, lambda c: (c[0], c[1] * c[0]), (w, x))

    return {
        "scan": (scan_f, (1.0, np_.ones(3))),
        "scan closure": (scan_closure, (2.0, np_.ones(3))),
        "scan tree reverse": (scan_tree, ((1.0, 2.0), {"a": np_.ones(3), "b": np_.ones(3)})),
        "map": (lambda xs: lax.map(np_.sin, xs), (np_.ones(3),)),
        "fori static": (lambda x: lax.fori_loop(0, 5, lambda i, c: c * 2.0, x), (1.0,)),
        "fori traced": (lambda x, n: lax.fori_loop(0, n, lambda i, c: c * 2.0, x), (1.0, 3)),
        "while": (lambda x: lax.while_loop(lambda c: c < 10.0, lambda c: c * 2.0, x), (1.0,)),
        "while closure": (while_closure, (1.5, 10.0)),
        "vmap while batched pred": (vmap_while, (np_.ones(3),)),
        "vmap while const": (vmap_while_const, (np_.ones(3),)),
        "jvp scan": (jvp_scan, (1.0, np_.ones(3))),
        "jvp while": (jvp_while, (1.0,)),
        "fori forwarded carry": (fori_forwarded, (2.0, 1.0)),
        "scan forwarded xs": (lambda xs: lax.scan(lambda c, x: (c + x, x), 0.0, xs),
                              (np_.ones(3),)),
        "while forwarded carry": (while_forwarded, (2.0, 1.0)),
    }


BROADCAST_PARAMS = ("jaxlite prints every param of broadcast_in_dim; JAX leaves out those it "
                    "can infer")
JVP_IS_LINEARIZE = ("jaxlite's jvp is linearize, then the linear part evaluated: a known loop and "
                    "a linear one (scan), or the JVP loop staged (while), where JAX runs one loop "
                    "of primals and tangents")

# the text JAX prints, and why jaxlite's differs (None: it does not)
CASES = {
    "scan": (None, """
        { lambda ; a:f32[] b:f32[3]. let
            c:f32[] d:f32[3] = scan[
              jaxpr={ lambda ; e:f32[] f:f32[]. let
                  g:f32[] = convert_element_type[new_dtype=float32 weak_type=False] e
                  h:f32[] = mul g f
                  i:f32[] = add h 1.0:f32[]
                  j:f32[] = sin e
                in (i, j) }
              length=3
              num_carry=1
              num_consts=0
              reverse=False
              unroll=1
            ] a b
          in (c, d) }"""),
    "scan closure": (None, """
        { lambda ; a:f32[] b:f32[3]. let
            c:f32[] = scan[
              jaxpr={ lambda ; d:f32[] e:f32[] f:f32[]. let
                  g:f32[] = convert_element_type[new_dtype=float32 weak_type=False] d
                  h:f32[] = mul g f
                  i:f32[] = convert_element_type[new_dtype=float32 weak_type=False] e
                  j:f32[] = add i h
                in (j,) }
              length=3
              num_carry=1
              num_consts=1
              reverse=False
              unroll=1
            ] a 0.0:f32[] b
          in (c,) }"""),
    "scan tree reverse": (None, """
        { lambda ; a:f32[] b:f32[] c:f32[3] d:f32[3]. let
            e:f32[] f:f32[] g:f32[3] = scan[
              jaxpr={ lambda ; h:f32[] i:f32[] j:f32[] k:f32[]. let
                  l:f32[] = convert_element_type[new_dtype=float32 weak_type=False] h
                  m:f32[] = add l j
                  n:f32[] = convert_element_type[new_dtype=float32 weak_type=False] h
                  o:f32[] = mul k n
                in (i, m, o) }
              length=3
              num_carry=2
              num_consts=0
              reverse=True
              unroll=1
            ] a b c d
          in (e, f, g) }"""),
    "map": (None, """
        { lambda ; a:f32[3]. let
            b:f32[3] = scan[
              jaxpr={ lambda ; c:f32[]. let d:f32[] = sin c in (d,) }
              length=3
              num_carry=0
              num_consts=0
              reverse=False
              unroll=1
            ] a
          in (b,) }"""),
    "fori static": (None, """
        { lambda ; a:f32[]. let
            _:i32[] b:f32[] = scan[
              jaxpr={ lambda ; c:i32[] d:f32[]. let
                  e:i32[] = add c 1:i32[]
                  f:f32[] = mul d 2.0:f32[]
                in (e, f) }
              length=5
              num_carry=2
              num_consts=0
              reverse=False
              unroll=1
            ] 0:i32[] a
          in (b,) }"""),
    "fori traced": (None, """
        { lambda ; a:f32[] b:i32[]. let
            _:i32[] _:i32[] c:f32[] = while[
              body_jaxpr={ lambda ; d:i32[] e:i32[] f:f32[]. let
                  g:i32[] = add d 1:i32[]
                  h:f32[] = mul f 2.0:f32[]
                in (g, e, h) }
              body_nconsts=0
              cond_jaxpr={ lambda ; i:i32[] j:i32[] k:f32[]. let
                  l:bool[] = lt i j
                in (l,) }
              cond_nconsts=0
            ] 0:i32[] b a
          in (c,) }"""),
    "while": (None, """
        { lambda ; a:f32[]. let
            b:f32[] = while[
              body_jaxpr={ lambda ; c:f32[]. let d:f32[] = mul c 2.0:f32[] in (d,) }
              body_nconsts=0
              cond_jaxpr={ lambda ; e:f32[]. let f:bool[] = lt e 10.0:f32[] in (f,) }
              cond_nconsts=0
            ] a
          in (b,) }"""),
    "while closure": (None, """
        { lambda ; a:f32[] b:f32[]. let
            c:f32[] = while[
              body_jaxpr={ lambda ; d:f32[] e:f32[]. let f:f32[] = mul e d in (f,) }
              body_nconsts=1
              cond_jaxpr={ lambda ; g:f32[] h:f32[]. let i:bool[] = lt h g in (i,) }
              cond_nconsts=1
            ] b a 1.0:f32[]
          in (c,) }"""),
    "vmap while batched pred": (None, """
        { lambda ; a:f32[3]. let
            b:f32[3] = while[
              body_jaxpr={ lambda ; c:f32[3]. let d:f32[3] = mul c 2.0:f32[] in (d,) }
              body_nconsts=0
              cond_jaxpr={ lambda ; e:f32[3]. let f:bool[3] = lt e 10.0:f32[] in (f,) }
              cond_nconsts=0
            ] a
          in (b,) }"""),
    "vmap while const": (BROADCAST_PARAMS, """
        { lambda ; a:f32[3]. let
            b:f32[3] = broadcast_in_dim 1.0:f32[]
            c:i32[] d:f32[3] = while[
              body_jaxpr={ lambda ; e:f32[3] f:i32[] g:f32[3]. let
                  h:i32[] = add f 1:i32[]
                  i:f32[3] = convert_element_type[new_dtype=float32 weak_type=False] g
                  j:f32[3] = mul i e
                in (h, j) }
              body_nconsts=1
              cond_jaxpr={ lambda ; k:i32[] l:f32[3]. let
                  m:bool[] = lt k 3:i32[]
                in (m,) }
              cond_nconsts=0
            ] a 0:i32[] b
            n:i32[3] = broadcast_in_dim c
          in (n, d) }"""),
    "jvp scan": (JVP_IS_LINEARIZE, """
        { lambda ; a:f32[] b:f32[3]. let
            c:f32[] d:f32[] = scan[
              jaxpr={ lambda ; e:f32[] f:f32[] g:f32[]. let
                  h:f32[] = sin e
                  i:f32[] = cos e
                  j:f32[] = mul f i
                  k:f32[] = convert_element_type[new_dtype=float32 weak_type=False] h
                  l:f32[] = convert_element_type[new_dtype=float32 weak_type=False] j
                  m:f32[] = mul k g
                  n:f32[] = mul l g
                in (m, n) }
              length=3
              num_carry=2
              num_consts=0
              reverse=False
              unroll=1
            ] a 1.0:f32[] b
          in (c, d) }"""),
    "jvp while": (JVP_IS_LINEARIZE, """
        { lambda ; a:f32[]. let
            b:f32[] c:f32[] = while[
              body_jaxpr={ lambda ; d:f32[] e:f32[]. let
                  f:f32[] = mul d 2.0:f32[]
                  g:f32[] = mul e 2.0:f32[]
                in (f, g) }
              body_nconsts=0
              cond_jaxpr={ lambda ; h:f32[] i:f32[]. let
                  j:bool[] = lt h 10.0:f32[]
                in (j,) }
              cond_nconsts=0
            ] a 1.0:f32[]
          in (b, c) }"""),
    "fori forwarded carry": (None, """
        { lambda ; a:f32[] b:f32[]. let
            _:i32[] c:f32[] = scan[
              jaxpr={ lambda ; d:f32[] e:i32[] f:f32[]. let
                  g:i32[] = add e 1:i32[]
                  h:f32[] = mul f d
                in (g, h) }
              length=3
              num_carry=2
              num_consts=1
              reverse=False
              unroll=1
            ] a 0:i32[] b
          in (c,) }"""),
    "scan forwarded xs": (None, """
        { lambda ; a:f32[3]. let
            b:f32[] = scan[
              jaxpr={ lambda ; c:f32[] d:f32[]. let
                  e:f32[] = convert_element_type[new_dtype=float32 weak_type=False] c
                  f:f32[] = add e d
                in (f,) }
              length=3
              num_carry=1
              num_consts=0
              reverse=False
              unroll=1
            ] 0.0:f32[] a
          in (b, a) }"""),
    "while forwarded carry": (None, """
        { lambda ; a:f32[] b:f32[]. let
            c:f32[] = while[
              body_jaxpr={ lambda ; d:f32[] e:f32[]. let f:f32[] = mul e d in (f,) }
              body_nconsts=1
              cond_jaxpr={ lambda ; g:f32[]. let h:bool[] = lt g 10.0:f32[] in (h,) }
              cond_nconsts=0
            ] a b
          in (a, c) }"""),
}


def printed(lib, name):
    fun, args = builders(lib)[name]
    return lib.make_jaxpr(fun)(*args)


def test_every_case_has_a_builder():
    assert set(CASES) == set(builders(jaxlite))


@pytest.mark.parametrize("name", params(CASES, with_xfail=True))
def test_loops_print_as_jax_does(name):
    assert_prints(printed(jaxlite, name), CASES, name)


@pytest.mark.parametrize("name", params(CASES, with_xfail=False))
def test_the_recorded_text_is_jaxs(name):
    jax = pytest.importorskip("jax")
    assert_prints(printed(jax, name), CASES, name)
