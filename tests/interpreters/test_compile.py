"""jit's compiler: generated NumPy source that computes, bit for bit, what eager evaluation does.

Every check compiles a jaxpr (as it is, and simplified as jit simplifies it) and compares
the compiled function's outputs with ``eval_jaxpr``'s, with no trace active: the same dtype,
shape and bytes (so nan payloads and signed zeros too), and the inputs left as they were.
"""

import numpy as np
import pytest
from hypothesis import given, settings

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import custom_jvp, custom_vjp, grad, hessian, jacfwd, jacrev, make_jaxpr, vmap
from jaxlite.core import Primitive
from jaxlite.core.ir import ClosedJaxpr, Eqn, Jaxpr, Var
from jaxlite.interpreters import eval_jaxpr
from jaxlite.interpreters.compile import CALL_PRIMITIVES, compile_jaxpr, inline_calls
from jaxlite.interpreters.simplify import optimize_jaxpr
from jaxlite.tree_util import tree_flatten

from .. import test_programs, test_properties
from ..primitives import spec


def assert_bitwise(got, want):
    assert type(got) is list and len(got) == len(want)
    for g, w in zip(got, want):
        w = np.asarray(w)
        assert type(g) is np.ndarray, type(g)
        assert (g.dtype, g.shape) == (w.dtype, w.shape)
        assert np.array_equal(g, w, equal_nan=g.dtype.kind in "fc")
        assert g.tobytes() == w.tobytes()  # signed zeros and nan payloads too
        assert g.strides == w.strides or g.size <= 1  # laid out alike, as every value inside


def check(closed, args, optimize=True):
    """Compile ``closed`` (and its simplified form) and compare with eager evaluation, on
    the arguments in C order and in Fortran order."""
    jaxlite.typecheck(closed)
    inputs = [np.array(x, a.dtype) for x, a in zip(args, closed.in_avals, strict=True)]
    for order in "CF":
        inputs = [np.asarray(x, order=order) for x in inputs]
        before = [x.copy(order="K") for x in inputs]
        with np.errstate(all="ignore"):
            want = eval_jaxpr(closed.jaxpr, closed.consts, *inputs)
            for jaxpr in [closed, optimize_jaxpr(closed)] if optimize else [closed]:
                jaxlite.typecheck(jaxpr)
                jaxlite.typecheck(inline_calls(jaxpr))
                compiled = compile_jaxpr(jaxpr)
                assert_bitwise(compiled.fn(*inputs), want)
                assert_bitwise(compiled(*inputs), want)
                for x, y in zip(inputs, before):
                    assert x.tobytes() == y.tobytes(), "an input was written to"
    return compiled


# ------------------------------------------------------------------ every primitive


def _apply(row, params):
    return lambda *xs: row.prim.bind(*xs, **params)


@pytest.mark.parametrize("fdtype", [np.float32, np.float64])
@pytest.mark.parametrize("row", spec.ROWS, ids=[row.id for row in spec.ROWS])
def test_every_spec_row_compiles_bit_for_bit(row, fdtype):
    jaxlite.config.update("jax_enable_x64", fdtype == np.float64)
    ops, params = row.example(fdtype=fdtype)
    check(make_jaxpr(_apply(row, params))(*ops), ops)


@pytest.mark.parametrize("row", spec.ROWS, ids=[row.id for row in spec.ROWS])
def test_every_spec_row_on_scalars_compiles_bit_for_bit(row):
    ops, params = row.example()
    scalars = [np.asarray(np.ravel(x)[0]) if np.size(x) else x for x in ops]
    try:
        closed = make_jaxpr(_apply(row, params))(*scalars)
    except (TypeError, ValueError):
        pytest.skip("the primitive takes no scalar operands with these params")
    check(closed, scalars)


SPECIAL = np.array([0.0, -0.0, np.nan, np.inf, -np.inf, 1e-38, 3e38, -1.5, 2.0])
BINARY = {"add": lambda x, y: x + y, "sub": lambda x, y: x - y, "mul": lambda x, y: x * y,
          "div": lambda x, y: x / y, "max": jnp.maximum, "min": jnp.minimum,
          "lt": lambda x, y: x < y, "eq": lambda x, y: x == y, "ge": lambda x, y: x >= y,
          "pow": lambda x, y: x ** y}


@pytest.mark.parametrize("fdtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(BINARY))
def test_special_values_on_arrays_and_scalars(name, fdtype):
    jaxlite.config.update("jax_enable_x64", fdtype == np.float64)
    xs, ys = np.meshgrid(SPECIAL.astype(fdtype), SPECIAL.astype(fdtype))
    f = BINARY[name]
    check(make_jaxpr(lambda x, y: -f(x, y) if name not in ("lt", "eq", "ge") else f(x, y))(xs, ys),
          [xs, ys])
    for x, y in zip(xs.ravel()[::3], ys.ravel()[::3]):
        check(make_jaxpr(f)(x, y), [x, y])


@pytest.mark.parametrize("name", list(test_programs.PROGRAMS))
def test_the_test_programs_compile_bit_for_bit(name):
    _, closed, _ = test_programs.run(name)  # sets x64 as the program asks
    _, args, _, _ = test_programs.PROGRAMS[name]
    check(closed, tree_flatten(list(args))[0])


# ------------------------------------------------------------------ derivatives


def mlp_loss(params, x, y):  # softmax cross-entropy of a tanh MLP
    for w, b in params[:-1]:
        x = jnp.tanh(x @ w + b)
    w, b = params[-1]
    return -jnp.mean(jnp.sum(y * jaxlite.nn.log_softmax(x @ w + b), axis=-1))


def mlp_example(sizes=(6, 5, 4, 3), batch=7):
    rng = np.random.default_rng(0)
    params = [(rng.standard_normal((m, n), np.float32), rng.standard_normal(n, np.float32))
              for m, n in zip(sizes[:-1], sizes[1:])]
    x = rng.standard_normal((batch, sizes[0]), np.float32)
    y = np.eye(sizes[-1], dtype=np.float32)[rng.integers(0, sizes[-1], batch)]
    return params, x, y


def test_mlp_loss_and_its_gradient_compile_bit_for_bit():
    args = mlp_example()
    for fun in [mlp_loss, jaxlite.value_and_grad(mlp_loss), grad(mlp_loss, argnums=1)]:
        check(make_jaxpr(fun)(*args), tree_flatten(args)[0])


def scalar_fn(x):
    y = x
    for _ in range(4):
        y = jnp.sin(y) * 0.9 + jnp.cos(x * y) * 0.1
    return y


FUNCTIONS = {
    "scalar": (scalar_fn, np.float32(1.3)),
    "logsumexp": (lambda x: jnp.log(jnp.sum(jnp.exp(x - 1.0))) + 1.0,
                  np.linspace(-1, 1, 4, dtype=np.float32)),
    "rosenbrock": (lambda x: jnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2),
                   np.array([0.5, -0.3, 1.2, 0.8], np.float32)),
    "where_poly": (lambda x: jnp.sum(jnp.where(x > 0, x ** 3, -(x ** 2))),
                   np.array([0.5, -0.3, 1.2, 0.0], np.float32)),
    "max_plus_min": (lambda x: jnp.max(x * x[::-1]) + jnp.min(x),
                     np.array([0.5, -0.3, 1.2, 0.8], np.float32)),
}


@pytest.mark.parametrize("transform", ["grad", "jacfwd", "jacrev", "hessian", "vmap_grad"])
@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_derivatives_compile_bit_for_bit(name, transform):
    f, x = FUNCTIONS[name]
    if transform == "vmap_grad":
        fun, x = vmap(grad(f)), np.stack([x, x * 0.5, -x])
    else:
        fun = {"grad": grad, "jacfwd": jacfwd, "jacrev": jacrev, "hessian": hessian}[transform](f)
    check(make_jaxpr(fun)(x), [x])


# ------------------------------------------------------------------ call primitives


@custom_jvp
def softplus(x):
    return jnp.log1p(jnp.exp(x))


softplus.defjvp(lambda p, t: (softplus(p[0]), t[0] / (1.0 + jnp.exp(-p[0]))))


@custom_vjp
def clip_gradient(x):
    return x * 1.0


clip_gradient.defvjp(lambda x: (x * 1.0, None), lambda _, ct: (jnp.clip(ct, -0.5, 0.5),))


@pytest.mark.parametrize("fun", [
    lambda x: softplus(x) * softplus(2.0 * x),  # the same call jaxpr inlined twice
    lambda x: jnp.sum(clip_gradient(jnp.sin(x)) * 3.0),
    grad(lambda x: jnp.sum(softplus(x) ** 2)),
    grad(lambda x: jnp.sum(clip_gradient(jnp.sin(x)) * 3.0)),
], ids=["custom_jvp", "custom_vjp", "grad_custom_jvp", "grad_custom_vjp"])
def test_custom_rules_are_compiled_inline(fun):
    x = np.array([0.5, -2.0, 3.0], np.float32)
    closed = make_jaxpr(fun)(x)
    compiled = check(closed, [x])
    assert "custom_jvp_call" not in compiled.source and "custom_vjp_call" not in compiled.source


def _call_prim(name):
    prim = Primitive(name, impl=lambda *xs, jaxpr, **_: [
        np.asarray(v) for v in eval_jaxpr(jaxpr.jaxpr, jaxpr.consts, *xs)])
    prim.abstract_eval = lambda *avals, jaxpr, **_: list(jaxpr.out_avals)
    prim.typecheck = prim.abstract_eval
    return prim


def _calling(prim, inner, **params):
    invars = tuple(Var(a) for a in inner.in_avals)
    outs = tuple(Var(a) for a in inner.out_avals)
    eqn = Eqn(prim, invars, outs, dict(params, jaxpr=inner))
    return ClosedJaxpr(Jaxpr((), invars, (eqn,), outs), ())


def test_jit_calls_are_inlined_and_other_higher_order_primitives_call_impl():
    assert CALL_PRIMITIVES["jit"] == "jaxpr"
    x = np.array([0.5, -2.0, 3.0], np.float32)
    w = np.array([1.0, 2.0, 3.0], np.float32)  # a const of the inner jaxpr
    inner = make_jaxpr(lambda x: jnp.sin(x) * w + 1.0)(x)
    inlined = check(_calling(_call_prim("jit"), inner, name="f"), [x])
    assert "np.sin" in inlined.source and ".impl(" not in inlined.source
    called = check(_calling(_call_prim("my_call"), inner), [x])
    assert "my_call_p.impl(" in called.source and "np.sin" not in called.source


# ------------------------------------------------------------------ random programs


@settings(max_examples=15, deadline=None)
@given(test_properties.programs())
def test_random_programs_compile_bit_for_bit(prog):
    jaxlite.config.update("jax_enable_x64", True)
    xs = prog.example()
    check(make_jaxpr(prog)(*xs), xs)


@settings(max_examples=10, deadline=None)
@given(test_properties.programs())
def test_gradients_and_batches_of_random_programs_compile_bit_for_bit(prog):
    jaxlite.config.update("jax_enable_x64", True)
    xs = prog.example()
    g = grad(test_properties.summed(prog), test_properties.argnums(prog))
    check(make_jaxpr(g)(*xs), xs)
    check(make_jaxpr(vmap(prog))(*prog.batch), prog.batch)


# ------------------------------------------------------------------ the source


def test_the_source_reads_like_the_jaxpr_with_source_lines():
    x = np.ones(3, np.float32)
    closed = make_jaxpr(lambda x: x * 2.0 + 1.0)(x)
    compiled = check(closed, [x], optimize=False)
    lines = compiled.source.splitlines()
    assert "def compiled(a):" in lines
    assert lines[-1] == "    return [c]"
    body = [line for line in lines if line.startswith("    ") and "return" not in line]
    assert len(body) == 2 and all("# test_compile.py:" in line and "(<lambda>)" in line
                                  for line in body)
    assert compile_jaxpr(closed) is compiled  # memoised


def test_no_comment_without_a_source_line():
    x = Var(jaxlite.core.ShapedArray((3,), np.dtype(np.float32)))
    y = Var(x.aval)
    sin_p = make_jaxpr(jnp.sin)(np.ones(3, np.float32)).eqns[0].primitive
    closed = ClosedJaxpr(Jaxpr((), (x,), (Eqn(sin_p, (x,), (y,), {}),), (y,)), ())
    assert "#" not in check(closed, [np.ones(3)]).source


def test_scalars_use_operators_and_outputs_are_arrays():
    compiled = check(make_jaxpr(grad(scalar_fn))(np.float32(1.3)), [np.float32(1.3)])
    assert " * " in compiled.source and " + " in compiled.source
    (out,) = compiled.fn(np.float32(1.3))
    assert type(out) is np.ndarray and out.shape == () and out.dtype == np.float32


# ------------------------------------------------------------------ buffer reuse


def test_dead_fresh_buffers_are_reused():
    x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    compiled = check(make_jaxpr(lambda x: jnp.exp(jnp.sin(x) * 2.0 + 1.0))(x), [x])
    assert compiled.source.count("out=") == 3


def test_inputs_consts_and_outputs_are_never_written_to():
    x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    c = np.ones((3, 4), np.float32)
    compiled = check(make_jaxpr(lambda x: (jnp.sin(x) + c, jnp.cos(x * c) + 1.0))(x), [x])
    assert "out=a" not in compiled.source and "out=b" not in compiled.source  # c, x


def test_no_buffer_is_written_while_a_view_of_it_is_read():
    x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)

    def f(x):
        y = jnp.sin(x)
        view = y.T  # a view of y's buffer, read after y's last use
        z = jnp.exp(y)  # y is dead here, but not its memory
        return z.T * view, jnp.reshape(jnp.cos(x), (12,)) + 1.0

    compiled = check(make_jaxpr(f)(x), [x])
    source = compiled.source
    sin_name = next(line.split(" = ")[0].strip() for line in source.splitlines()
                    if "np.sin(" in line)
    assert f"out={sin_name})" not in source


def test_a_buffer_is_not_reused_when_numpy_would_lay_the_result_out_otherwise():
    # y is C-ordered, x.T is not: y + x.T is laid out by NumPy as neither decides alone
    x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    closed = make_jaxpr(lambda x: jnp.sum(jnp.exp(jnp.sin(x.T) + x.T * 2.0), axis=0))(x)
    check(closed, [x])
    x_f = np.asfortranarray(x)
    want = eval_jaxpr(closed.jaxpr, closed.consts, x_f)
    assert_bitwise(compile_jaxpr(closed).fn(x_f), want)
    assert_bitwise(compile_jaxpr(optimize_jaxpr(closed)).fn(x_f), want)


def test_reuse_never_changes_results_of_long_chains():
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((16, 8), np.float32), rng.standard_normal((8, 8), np.float32)

    def f(x, w):
        h = x
        for _ in range(3):
            h = jnp.tanh(h @ w + 0.5) * h - jnp.exp(-h)
        return jnp.sum(h * h)

    for fun in (f, grad(f, argnums=(0, 1))):
        compiled = check(make_jaxpr(fun)(x, w), [x, w])
        assert "out=" in compiled.source


# ------------------------------------------------------------------ names and lifetimes


def test_a_const_named_like_the_function_keeps_its_value():
    consts = [np.full(3, i, np.float32) for i in range(8)]  # named a, b, ..., f, ...

    def f(x):
        for c in consts:
            x = x * c + 1.0
        return x

    closed = make_jaxpr(f)(np.ones(3, np.float32))
    compiled = compile_jaxpr(closed, "f")
    assert "def f_2(" in compiled.source
    check(closed, [np.ones(3, np.float32)])


def test_each_array_is_deleted_after_its_last_use():
    x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    compiled = check(make_jaxpr(lambda x: jnp.sum(jnp.exp(x) @ jnp.sin(x).T))(x), [x],
                     optimize=False)
    lines = compiled.source.splitlines()
    matmul = next(line for line in lines if "matmul" in line)
    assert "; del " in matmul  # its operands go as soon as the product is made
