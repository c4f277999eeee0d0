"""Complex numbers end to end: jnp's complex functions against NumPy, JAX's promotion of
complex dtypes, derivatives by JAX's convention (recorded JAX 0.10 values), holomorphic
Jacobians and their TypeErrors, check_grads in complex directions, vmap against a loop,
and typechecked jaxprs."""

import jaxlite
import jaxlite.numpy as jnp
import numpy as np
import pytest
from jaxlite import grad, hessian, jacfwd, jacrev, jit, jvp, lax, vjp, vmap
from jaxlite.errors import ShapeError
from jaxlite.test_util import check_grads

SHAPES = [(), (4,), (2, 3)]
Z = np.array([1 + 2j, -0.5 + 0.25j, 2 - 1j], np.complex64)
A = np.array([[1 + 1j, 2 - 0.5j], [0.5j, -1 + 0j], [3 + 0j, 1 - 1j]], np.complex64)


def cnormal(shape, dtype=np.complex64, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


def assert_like(got, want, rtol=1e-6):
    """Same dtype and values (NaNs and infinities in the same places)."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)


@pytest.fixture
def x64():
    jaxlite.config.update("jax_enable_x64", True)  # the conftest restores the flag


# ------------------------------------------------------------------ values against NumPy

PARTS = [("real", np.real), ("imag", np.imag), ("conj", np.conj), ("conjugate", np.conjugate),
         ("abs", np.abs), ("angle", np.angle), ("iscomplex", np.iscomplex),
         ("isreal", np.isreal), ("exp", np.exp), ("sin", np.sin), ("sqrt", np.sqrt),
         ("log", np.log), ("tanh", np.tanh), ("sign", np.sign)]


@pytest.mark.parametrize("name, np_fn", PARTS, ids=[p[0] for p in PARTS])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_functions_of_complex64_match_numpy(name, np_fn, shape):
    z = cnormal(shape)
    out = getattr(jnp, name)(jnp.asarray(z))
    assert_like(out, np.asarray(np_fn(z)), rtol=2e-6)
    assert_like(jit(getattr(jnp, name))(z), out, rtol=0)


@pytest.mark.parametrize("name", ["real", "imag", "conj", "abs", "angle", "exp"])
def test_complex128_under_x64(name, x64):
    z = cnormal((2, 3), np.complex128)
    assert_like(getattr(jnp, name)(z), getattr(np, name)(z), rtol=1e-14)


def test_angle_in_degrees_and_of_reals():
    assert_like(jnp.angle(1 + 1j, deg=True), np.float32(45.0))
    assert_like(jnp.angle(jnp.array([1, -2])), np.array([0, np.pi], np.float32))


def test_real_operands_are_complex_numbers_with_zero_imaginary_part():
    x = jnp.array([1.5, -2.0])
    assert jnp.real(x) is x and jnp.conj(x) is x and x.conjugate() is x
    assert_like(jnp.imag(x), np.zeros(2, np.float32))
    # weak types are kept, as in JAX: jnp.real(3.0) is f32[]{weak}, jnp.imag(2) i32[]{weak}
    assert jnp.real(3.0).weak_type and jnp.real(3.0).dtype == np.float32
    assert jnp.imag(2).weak_type and jnp.imag(2).dtype == np.int32
    assert jnp.imag(True).dtype == np.bool_ and not bool(jnp.imag(True))
    assert_like(jnp.isreal(jnp.array([1, 2])), np.array([True, True]))


def test_predicates_on_objects():
    assert jnp.iscomplexobj(jnp.array([1j])) and jnp.iscomplexobj(1j)
    assert not jnp.iscomplexobj(jnp.array([1.0])) and not jnp.iscomplexobj(None)
    assert jnp.isrealobj(2.0) and not jnp.isrealobj(np.complex64(1))
    assert not jnp.iscomplex(1.0)


def test_complex_constructors(x64):
    assert_like(jnp.complex64(1 + 2j), np.complex64(1 + 2j))
    assert_like(jnp.complex64([1, 2]), np.array([1, 2], np.complex64))
    assert_like(jnp.complex128(3), np.complex128(3))
    jaxlite.config.update("jax_enable_x64", False)
    assert jnp.complex128(1).dtype == np.complex64  # canonicalised, as in JAX


def test_array_and_tracer_methods():
    z = jnp.asarray(Z)
    assert_like(z.real, Z.real)
    assert_like(z.imag, Z.imag)
    assert_like(z.conj(), Z.conj())
    assert_like(z.conjugate(), Z.conj())

    def parts(z):
        return z.real * 2, z.imag, z.conj(), z.conjugate().imag

    for got, want in zip(jit(parts)(z), parts(z), strict=True):
        assert_like(got, want, rtol=0)
    assert_like(grad(lambda z: (z.conj() * z).real.sum())(z), 2 * Z.conj())  # JAX's convention


def test_round_and_reciprocal_of_complex():
    # JAX rounds each part; 1/0 is inf + nanj there (recorded)
    assert_like(jnp.round(jnp.array([1.4 + 2.6j, -0.5 + 1.5j])),
                np.array([1 + 3j, -0.0 + 2j], np.complex64))
    out = np.asarray(jnp.reciprocal(jnp.array([0j, 1j])))
    assert np.isinf(out[0].real) and np.isnan(out[0].imag) and out[1] == -1j


def test_var_std_norm_and_vdot_of_complex():
    # JAX: var([1+1j, 2-1j, 0]) = 1.3333 (float32), not -0.67j
    assert_like(jnp.var(jnp.array([1 + 1j, 2 - 1j, 0])), np.float32(4 / 3))
    assert_like(jnp.std(jnp.array([1 + 1j, 2 - 1j, 0])), np.float32(np.sqrt(4 / 3)))
    assert_like(jnp.var(A, axis=0, ddof=1), np.var(A, axis=0, ddof=1), rtol=1e-6)
    assert_like(jnp.std(A, axis=1), np.std(A, axis=1), rtol=1e-6)
    assert_like(jnp.linalg.norm(Z), np.float32(np.linalg.norm(Z)))
    assert_like(jnp.vdot(A, jnp.ones_like(A) * (1 + 2j)), np.complex64(6 + 12j))
    assert_like(jnp.vdot(Z, Z), np.vdot(Z, Z), rtol=1e-6)


# ------------------------------------------------------------------ promotion

PROMOTIONS = {  # recorded from JAX: (dtype, weak_type)
    "jnp.float16(1) + 1j": ("complex64", False),
    "jnp.float32(1) + 1j": ("complex64", False),
    "jnp.int8(1) * 1j": ("complex64", True),
    "jnp.asarray(True) + 1j": ("complex64", True),
    "jnp.asarray(1j) + 1.0": ("complex64", True),
    "jnp.asarray(1j) + jnp.float16(2)": ("complex64", False),
    "jnp.uint32(3) + jnp.complex64(1)": ("complex64", False),
    "jnp.asarray(2.0) * 1j": ("complex64", True),
    "jnp.complex64(1) + 2": ("complex64", False),
}
PROMOTIONS_X64 = {
    "jnp.float64(1) + jnp.complex64(1j)": ("complex128", False),
    "jnp.float64(1) + 1j": ("complex128", False),
    "jnp.int64(1) + jnp.complex64(1)": ("complex64", False),
    "jnp.complex64(1) + 1.0": ("complex64", False),
    "jnp.asarray(1j)": ("complex128", True),
    "jnp.complex128(1)": ("complex128", False),
}


@pytest.mark.parametrize("expression", list(PROMOTIONS))
def test_promotion_as_jax(expression):
    out = eval(expression)
    assert (out.dtype.name, out.weak_type) == PROMOTIONS[expression]


@pytest.mark.parametrize("expression", list(PROMOTIONS_X64))
def test_promotion_as_jax_with_x64(expression, x64):
    out = eval(expression)
    assert (out.dtype.name, out.weak_type) == PROMOTIONS_X64[expression]


# ------------------------------------------------------------------ derivatives, as JAX gives them

RECORDED_GRADS = {  # f, JAX's grad(f)(Z)
    "abs": (lambda z: jnp.sum(jnp.abs(z)),
            [0.4472135901 - 0.8944271803j, -0.8944271803 - 0.4472135901j,
             0.8944271803 + 0.4472135901j]),
    "abs_squared": (lambda z: jnp.sum(jnp.abs(z) ** 2), [2 - 4j, -1 - 0.5j, 4 + 2j]),
    "real_of_square": (lambda z: jnp.sum(z * z).real, [2 + 4j, -1 + 0.5j, 4 - 2j]),
    "imag_of_exp": (lambda z: jnp.sum(jnp.exp(z)).imag,
                    [2.4717266560 + 1.1312043667j, 0.1500580907 - 0.5876750946j,
                     -6.2176761627 - 3.9923238754j]),
    "angle": (lambda z: jnp.sum(jnp.angle(z)), [-0.4 - 0.2j, -0.8 + 1.6j, 0.2 - 0.4j]),
    "var": (jnp.var, [0.1111111119 - 1.0555555820j, -0.8888889551 + 0.1111111045j,
                      0.7777777910 + 0.9444445372j]),
    "norm": (jnp.linalg.norm, [0.3113995790 - 0.6227991581j, -0.1556997895 - 0.0778498948j,
                               0.6227991581 + 0.3113995790j]),
    "to_float": (lambda z: jnp.sum(lax.convert_element_type(z, jnp.float32) ** 2), [2, -1, 4]),
}


@pytest.mark.parametrize("name", list(RECORDED_GRADS))
def test_grad_of_real_function_of_complex_input_is_jaxs(name):
    f, expected = RECORDED_GRADS[name]
    assert_like(grad(f)(Z), np.array(expected, np.complex64), rtol=1e-6)


def test_grad_of_real_input_through_complex_values():
    assert_like(grad(lambda x: jnp.abs(x * (1 + 1j)))(jnp.float32(2.0)), np.float32(np.sqrt(2)))
    assert_like(grad(lambda x: jnp.sum(x.astype(jnp.complex64) * (1 + 2j)).real)(
        jnp.array([1.0, 2.0])), np.ones(2, np.float32))


def test_holomorphic_derivatives_are_jaxs():
    assert_like(grad(lambda z: jnp.sum(jnp.sin(z) * z), holomorphic=True)(Z),
                np.array([11.3022975922 + 2.9731490612j, -0.9773380756 + 0.3874212503j,
                          1.1874302626 + 3.2684190273j], np.complex64), rtol=1e-6)
    jac = np.array([[-7.2058620453 + 2.6810445786j, 0, 0],
                    [0.5876750946 + 0.1500580907j, 0.2875589132 + 1.3254082203j, 0],
                    [3.9923238754 - 6.2176761627j, 0, 16.4276771545 + 1.7669715881j]],
                   np.complex64)
    f = lambda z: jnp.exp(z) * z[0]  # noqa: E731
    assert_like(jacfwd(f, holomorphic=True)(Z), jac, rtol=1e-6)
    assert_like(jacrev(f, holomorphic=True)(Z), jac, rtol=1e-6)
    assert_like(hessian(lambda z: jnp.sum(z**3) * z[1], holomorphic=True)(Z),
                np.array([[-6 - 4.5j, -9 + 12j, 0], [-9 + 12j, 2.25 - 3j, 9 - 12j],
                          [0, 9 - 12j, -4.5 + 6j]], np.complex64), rtol=1e-6)
    assert_like(jacrev(lambda z: jnp.abs(z) ** 2)(Z), np.diag([2 - 4j, -1 - 0.5j, 4 + 2j])
                .astype(np.complex64))


def test_jvp_and_vjp_of_complex_matmul_are_jaxs():
    out, t = jvp(lambda a, z: a @ z[:2], (A, Z), (np.conj(A), np.ones_like(Z)))
    assert_like(out, np.array([-1.875 + 3.75j, -0.5 + 0.25j, 2.75 + 6.75j], np.complex64))
    assert_like(t, np.array([4.875 + 1.75j, 0.5 - 0.25j, 6.25 + 4.75j], np.complex64))
    _, pullback = vjp(lambda a, z: jnp.tanh(a @ z[:2]), A, Z)
    ct_a, ct_z = pullback(np.array([1 + 1j, 2j, -1], np.complex64))
    assert_like(ct_z, np.array([-1.0033987761 - 0.0816052034j, 0.3495088816 - 1.3173061609j, 0],
                               np.complex64), rtol=1e-5)
    assert_like(ct_a[0], np.array([-0.2917029858 + 0.0222082138j, -0.0055520535 - 0.0729257464j],
                                  np.complex64), rtol=1e-5)


def test_transposes_of_the_parts_are_jaxs():
    ct = np.array([1.0, 2.0, 3.0], np.float32)
    assert_like(vjp(jnp.real, Z)[1](ct)[0], ct.astype(np.complex64))
    assert_like(vjp(jnp.imag, Z)[1](ct)[0], -1j * ct.astype(np.complex64))
    assert_like(vjp(jnp.conj, Z)[1](Z)[0], np.conj(Z))
    ct_x, ct_y = vjp(lax.complex, np.float32(1), np.float32(2))[1](np.complex64(3 + 4j))
    assert_like(ct_x, np.float32(3)) and assert_like(ct_y, np.float32(-4))


CHECKED = {
    "exp_times_conj": lambda z: jnp.exp(z) * jnp.conj(z),
    "parts": lambda z: jnp.real(z) * jnp.imag(z) + jnp.abs(z),
    "angle": jnp.angle,
    "quotient_and_power": lambda z: z**3 / (z + 2j) + jnp.sqrt(z + 3) ** 2.5,
    "trigonometry": lambda z: jnp.sin(z) * jnp.cos(z) + jnp.tanh(z / 2) + jnp.log(z + 3),
    "matmul": lambda z: jnp.outer(z, jnp.conj(z)) @ z,
    "sums": lambda z: jnp.sum(z * z) + jnp.mean(jnp.cumsum(z)),
    "var_std": lambda z: jnp.var(z) + jnp.std(z),
    "vdot": lambda z: jnp.vdot(z, z + 1j),
    "complex_of_parts": lambda z: lax.complex(jnp.real(z) ** 2, jnp.imag(z)),
    "sigmoid": jaxlite.nn.sigmoid,
}


@pytest.mark.parametrize("name", list(CHECKED))
def test_check_grads_in_complex_directions(name, x64):
    check_grads(CHECKED[name], [Z.astype(np.complex128)], order=2)


def test_check_grads_of_complex_from_reals(x64):
    check_grads(lambda x, y: lax.complex(x, y) ** 2, [np.array([0.5, -1.0]), np.array([2.0, 1.0])],
                order=2)


def test_check_grads_takes_jaxs_tolerances(x64):
    # a derivative off by 1e-3: caught at the default tolerance, accepted with atol=rtol=1e-2
    off = jaxlite.custom_jvp(lambda z: z * z)
    off.defjvp(lambda p, t: (off(*p), (2 + 1e-3) * p[0] * t[0]))
    z = Z.astype(np.complex128)
    with pytest.raises(AssertionError):
        check_grads(off, [z], 1, ("fwd",))
    check_grads(off, [z], 1, ("fwd",), 1e-2, 1e-2)  # JAX's positional order: atol, rtol


def test_check_grads_catches_a_wrong_conjugation(x64):
    # d|z|^2 along z's imaginary direction is missed by a checker that only looks along real ones
    wrong = jaxlite.custom_jvp(lambda z: jnp.abs(z) ** 2)
    wrong.defjvp(lambda p, t: (wrong(*p), 2 * jnp.real(p[0] * t[0])))  # should be conj(z) t
    with pytest.raises(AssertionError):
        check_grads(wrong, [Z.astype(np.complex128)], order=1)


# ------------------------------------------------------------------ vmap, typecheck

BATCHED = {
    "parts": lambda z: (jnp.real(z), jnp.imag(z), jnp.conj(z), jnp.angle(z), jnp.abs(z)),
    "complex": lambda z: lax.complex(jnp.imag(z), jnp.real(z)) * z.conj(),
    "grad": grad(lambda z: jnp.sum(jnp.abs(jnp.sin(z)) ** 2)),
    "holomorphic_grad": grad(lambda z: jnp.sum(z**2).conj(), holomorphic=True),
    "var": lambda z: jnp.var(z) + jnp.vdot(z, z),
}


@pytest.mark.parametrize("name", list(BATCHED))
def test_vmap_matches_a_loop(name):
    f = BATCHED[name]
    zs = cnormal((4, 3), seed=1)
    batched = jaxlite.tree_util.tree_leaves(vmap(f)(zs))
    looped = [jaxlite.tree_util.tree_leaves(f(z)) for z in zs]
    for i, got in enumerate(batched):
        assert_like(got, np.stack([np.asarray(leaves[i]) for leaves in looped]), rtol=1e-5)


def test_jaxprs_typecheck_and_print_like_jaxs():
    closed = jaxlite.make_jaxpr(lambda z: (jnp.real(z), jnp.imag(z), jnp.conj(z),
                                           lax.complex(jnp.real(z), 1.0)))(np.complex64(1 + 2j))
    jaxlite.typecheck(closed)
    text = str(closed)
    for line in ("b:f32[] = real a", "c:f32[] = imag a",
                 "d:c64[] = conj[input_dtype=complex64] a", "f:c64[] = complex e 1.0:f32[]"):
        assert line in text, text
    for f in (grad(lambda z: jnp.sum(jnp.abs(z))), jvp_of_exp, grad(jnp.var)):
        jaxlite.typecheck(jaxlite.make_jaxpr(f)(Z))


def jvp_of_exp(z):
    return jvp(jnp.exp, (z,), (jnp.ones_like(z),))


# ------------------------------------------------------------------ errors


def test_grad_of_complex_output_needs_holomorphic():
    with pytest.raises(TypeError, match="grad requires real-valued outputs .* but got complex64. "
                                        "For holomorphic differentiation, pass holomorphic=True"):
        grad(lambda z: z * 2)(1.0 + 2j)
    assert_like(grad(lambda z: z * 2, holomorphic=True)(1.0 + 2j), np.complex64(2))


@pytest.mark.parametrize("transform", [grad, jacfwd, jacrev, hessian])
def test_holomorphic_with_real_inputs_raises(transform):
    name = "jacfwd" if transform in (jacfwd, hessian) else transform.__name__
    with pytest.raises(TypeError, match=f"{name} with holomorphic=True requires inputs with "
                                        "complex dtype, but got float32."):
        transform(lambda x: x * 2, holomorphic=True)(jnp.ones(2))
    assert_like(np.ravel(transform(lambda x: jnp.sum(x**2))(jnp.ones(2)))[0], np.float32(2))


def test_holomorphic_with_real_outputs_raises():
    for transform, name in ((grad, "grad"), (jacrev, "jacrev"), (jacfwd, "jacfwd")):
        with pytest.raises(TypeError, match=f"{name} with holomorphic=True requires outputs "
                                            "with complex dtype, but got float32."):
            transform(lambda z: jnp.abs(z), holomorphic=True)(1.0 + 1j)


def test_jacfwd_of_complex_input_and_jacrev_of_complex_output_need_holomorphic():
    with pytest.raises(TypeError, match="jacfwd requires real-valued inputs .* but got "
                                        "complex64. For holomorphic differentiation"):
        jacfwd(lambda z: jnp.abs(z))(jnp.ones(2) + 1j)
    with pytest.raises(TypeError, match="jacrev requires real-valued outputs .* but got "
                                        "complex64"):
        jacrev(lambda x: x * 1j)(jnp.ones(2))
    assert jacfwd(lambda x: x * 1j)(jnp.ones(2)).dtype == np.complex64  # allowed, as in JAX


@pytest.mark.parametrize("call", [
    lambda: lax.real(jnp.float32(1)),
    lambda: lax.imag(jnp.ones(2)),
    lambda: lax.complex(jnp.float16(1), jnp.float16(2)),
    lambda: lax.complex(jnp.float32(1), jnp.ones(2, jnp.int32)),
    lambda: lax.complex(jnp.ones(2), jnp.ones(3)),
    lambda: lax.conj(jnp.ones(2, jnp.int32)),
    lambda: jnp.fmod(jnp.array([1j]), 2),  # JAX: rem does not accept complex
    lambda: jnp.remainder(jnp.array([1j]), 2),
    lambda: jnp.floor_divide(jnp.array([1j]), 2),
    lambda: jnp.cbrt(jnp.array([1j])),
    lambda: jnp.argmax(jnp.array([1j, 2])),  # JAX: complex numbers have no order
    lambda: jnp.argmin(jnp.array([1j, 2])),
], ids=["real_of_real", "imag_of_real", "float16", "mixed_dtypes", "shapes", "conj_of_int",
        "fmod", "remainder", "floor_divide", "cbrt", "argmax", "argmin"])
def test_bad_operands_of_the_primitives_raise_type_errors(call):
    with pytest.raises(TypeError):
        call()
    assert_like(lax.real(jnp.complex64(1 + 2j)), np.float32(1))  # still working


def test_clip_of_complex_raises_jaxs_value_error():
    for args in ((jnp.array([1j]), 0, 1), (jnp.array([1.0]), 0j, 1)):
        with pytest.raises(ValueError, match="Clip received a complex value"):
            jnp.clip(*args)
    assert_like(jnp.max(jnp.array([1 + 2j, 1 - 3j, 2 - 1j])), np.complex64(2 - 1j))  # as JAX


def test_lists_are_rejected_as_jax_rejects_them():
    for fn in (jnp.real, jnp.imag, jnp.conj, jnp.angle):
        with pytest.raises(TypeError, match="requires ndarray or scalar arguments"):
            fn([1 + 1j, 2])
    assert ShapeError is not None


# ------------------------------------------------------------------ linear algebra


@pytest.mark.parametrize("n", [2, 3, 4])
def test_complex_determinants_and_solves_match_numpy(n, x64):
    m = cnormal((n, n), np.complex128, seed=n)
    assert_like(jnp.linalg.det(m), np.linalg.det(m), rtol=1e-12)
    sign, logdet = jnp.linalg.slogdet(m)
    assert_like(sign, np.linalg.slogdet(m)[0], rtol=1e-12)
    assert_like(logdet, np.linalg.slogdet(m)[1], rtol=1e-12)
    assert_like(jnp.linalg.inv(m), np.linalg.inv(m), rtol=1e-12)
    check_grads(jnp.linalg.det, [m], order=2)
    check_grads(lambda m: jnp.linalg.slogdet(m)[1], [m], order=2)
    check_grads(lambda m: jnp.linalg.solve(m, m[:, 0] + 1), [m], order=1)
    # the sign turns with Im(trace(a^-1 da)); its rule is piecewise constant beyond that
    check_grads(lambda m: jnp.linalg.slogdet(m)[0], [m], order=1)


def test_gradient_of_slogdet_is_jaxs():
    m = jnp.array([[1 + 1j, 2, 0.5j], [0.5j, 3 - 1j, 1], [1, 2j, -1]], jnp.complex64)
    assert_like(grad(lambda m: jnp.linalg.slogdet(m)[1])(m)[0],
                np.array([0.2574256957 - 0.5742574334j, -0.1188118905 + 0.1881188154j,
                          -0.1188118607 - 0.8118813038j], np.complex64), rtol=1e-6)
    assert_like(grad(lambda m: jnp.linalg.slogdet(m)[0].imag)(m)[0],
                np.array([0.0571407788 + 0.0256148279j, -0.0187185332 - 0.0118222302j,
                          0.0807852447 - 0.0118222283j], np.complex64), rtol=1e-6)


# ------------------------------------------------------------------ names and random numbers


def test_complex_dtype_names():
    assert jnp.csingle == jnp.complex64 and jnp.cdouble == jnp.complex128
    assert jnp.complex_ == jnp.complex128
    assert jnp.issubdtype(jnp.complex64, jnp.complexfloating)
    assert not jnp.issubdtype(jnp.float32, jnp.complexfloating)
    assert jnp.finfo(jnp.complex64).dtype == np.float32  # the precision of the parts
    assert jnp.finfo(jnp.float32).eps == np.finfo(np.float32).eps
    assert jnp.iinfo(jnp.int32).max == 2**31 - 1


def test_complex_normal_samples_are_jaxs_bit_for_bit(x64):
    key = jaxlite.random.PRNGKey(3)
    # recorded from JAX: normal(PRNGKey(3), (5,), complex64) viewed as uint32 words
    words = [3218555715, 3215974750, 3214568625, 1033357881, 3199330190, 3171538312,
             3207485483, 1046319117, 1040824942, 3193757548]
    sample = np.asarray(jaxlite.random.normal(key, (5,), jnp.complex64))
    assert sample.dtype == np.complex64 and sample.view(np.uint32).tolist() == words
    wide = np.asarray(jaxlite.random.normal(key, (5,), jnp.complex128)).view(np.uint64)
    assert wide[6] == 13824924084643616849 and wide[9] == 4581286264329591025
    jitted = jit(lambda k: jaxlite.random.normal(k, (5,), jnp.complex64))(key)
    np.testing.assert_array_equal(np.asarray(jitted), sample)
    big = np.asarray(jaxlite.random.normal(key, (20000,), jnp.complex64))
    assert abs(np.mean(np.abs(big) ** 2) - 1) < 0.03  # E|z|^2 = 1


def test_astype_from_complex_to_real_warns_as_jax_does():
    with pytest.warns(DeprecationWarning, match="Casting from complex to real dtypes will soon "
                                                "raise a ValueError"):
        out = jnp.array([1 + 2j]).astype(jnp.float32)
    assert_like(out, np.array([1.0], np.float32))
    with pytest.raises(TypeError):
        float(jnp.array(1 + 2j))  # as Python's float(1+2j)


HERMITIAN = np.array([[4, 1 + 1j, 0.5j], [1 - 1j, 3, 0.25 + 0.5j], [-0.5j, 0.25 - 0.5j, 2]],
                     np.complex64)
WEIGHTS = np.array([[1, 2j, 0], [0.5, 1 - 1j, 3], [2, 1j, -1]], np.complex64)


def test_cholesky_and_eigh_of_hermitian_matrices_are_jaxs():
    chol = jnp.linalg.cholesky(HERMITIAN)
    assert_like(chol, np.linalg.cholesky(HERMITIAN), rtol=1e-6)
    assert_like(jnp.linalg.cholesky(HERMITIAN, upper=True), np.conj(np.asarray(chol)).T)
    w, v = jnp.linalg.eigh(HERMITIAN)
    assert w.dtype == np.float32 and v.dtype == np.complex64
    assert_like(w, np.linalg.eigvalsh(HERMITIAN), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(v) * np.asarray(w) @ np.conj(np.asarray(v)).T,
                               HERMITIAN, atol=1e-5)
    # recorded from JAX
    assert_like(grad(lambda a: jnp.sum(jnp.linalg.cholesky(a) * WEIGHTS).real)(HERMITIAN)[1],
                np.array([0.013709 - 0.067198j, 0.259665, 0.018257 - 0.371j], np.complex64),
                rtol=2e-5)
    assert_like(grad(lambda a: jnp.sum(jnp.linalg.eigvalsh(a) * jnp.array([1.0, 2.0, 3.0])))(
        HERMITIAN)[0], np.array([2.573151, 0.357281 - 0.429237j, 0.143913 - 0.106684j],
                                np.complex64), rtol=2e-5)
    assert_like(grad(lambda a: jnp.sum(jnp.abs(jnp.linalg.eigh(a)[1][0]) ** 2
                                       * jnp.array([1.0, 2.0, 3.0])))(HERMITIAN)[2],
                np.array([-0.12976 + 0.02212j, 0.09009 - 0.07935j, -0.23822], np.complex64),
                rtol=2e-4)


def test_cholesky_and_eigh_derivatives_in_complex_directions(x64):
    a = HERMITIAN.astype(np.complex128)
    check_grads(jnp.linalg.cholesky, [a], order=2)
    check_grads(jnp.linalg.eigvalsh, [a], order=2)
    # eigenvectors are defined up to a phase: check what does not depend on it
    check_grads(lambda a: jnp.abs(jnp.linalg.eigh(a)[1]), [a], order=1)


TALL = np.array([[1 + 1j, 2, 0.5j], [0.5 - 1j, 3, 0.25 + 0.5j], [-0.5j, 1 - 0.5j, 2],
                 [1, 1j, -1]], np.complex64)
TALL_WEIGHTS = np.array([[1, 2j, 0], [0.5, 1 - 1j, 3], [2, 1j, -1], [0, 1, 1j]], np.complex64)
RECORDED_DECOMPOSITION_GRADS = {  # f, the first row of JAX's grad(f)(TALL)
    "svdvals": (lambda a: jnp.sum(jnp.linalg.svd(a, compute_uv=False)
                                  * jnp.array([1.0, 2.0, 3.0])),
                [0.62087 - 1.86714j, 0.6057 + 0.62244j, 0.00278 - 0.36663j]),
    "svd_vectors": (lambda a: jnp.sum((lambda usv: usv[0] @ usv[2])(
        jnp.linalg.svd(a, full_matrices=False)) * TALL_WEIGHTS).real,
        [0.4187 + 0.25322j, -0.19047 + 0.65516j, -0.4887 + 0.27577j]),
    "qr_r": (lambda a: jnp.sum(jnp.linalg.qr(a)[1] * TALL_WEIGHTS[:3]).real,
             [-1.20348 + 3.66542j, -1.7214 - 0.83077j, -1.6008 - 1.3682j]),
    "qr_q": (lambda a: jnp.sum(jnp.linalg.qr(a)[0] * TALL_WEIGHTS).imag,
             [0.45369 + 0.44614j, -0.39735 + 0.19104j, 0.07451 - 0.31152j]),
    "norm_2": (lambda a: jnp.linalg.norm(a, 2), [0.13783 + 0.05465j, 0.38809 - 0.10676j,
                                                 0.04209 - 0.17285j]),
    "pinv": (lambda a: jnp.sum(jnp.abs(jnp.linalg.pinv(a))),
             [-0.0987 + 0.5912j, 0.0247 - 0.2319j, -0.0575 + 0.2429j]),
}


@pytest.mark.parametrize("name", list(RECORDED_DECOMPOSITION_GRADS))
def test_gradients_through_complex_qr_and_svd_are_jaxs(name):
    f, expected = RECORDED_DECOMPOSITION_GRADS[name]
    np.testing.assert_allclose(np.asarray(grad(f)(TALL))[0], expected, rtol=2e-4, atol=2e-4)


def test_complex_qr_and_svd_reconstruct(x64):
    for shape in [(4, 3), (3, 4), (2, 3, 3)]:
        a = cnormal(shape, np.complex128, seed=len(shape))
        q, r = jnp.linalg.qr(a)
        np.testing.assert_allclose(np.asarray(q @ r), a, atol=1e-12)
        u, s, vh = jnp.linalg.svd(a, full_matrices=False)
        assert s.dtype == np.float64
        assert_like(s, np.linalg.svd(a, compute_uv=False), rtol=1e-12)
        np.testing.assert_allclose(np.asarray((u * s[..., None, :]) @ vh), a, atol=1e-12)
    check_grads(lambda a: (lambda usv: usv[0] @ usv[2])(jnp.linalg.svd(a, full_matrices=False)),
                [cnormal((4, 3), np.complex128)], order=1)


def test_lstsq_of_complex_matrices_is_jaxs():
    a = np.array([[1 + 1j, 2], [0.5j, 1 - 1j], [1, 1j]], np.complex64)
    b = np.array([1, 1j, 2 - 1j], np.complex64)
    x, resid, rank, s = jnp.linalg.lstsq(a, b)
    assert_like(x, np.array([1.4246576 - 0.6849315j, -0.45205468 - 0.30136976j], np.complex64),
                rtol=1e-6)
    assert_like(resid, np.array([0.34246567], np.float32), rtol=1e-6)
    assert int(rank) == 2 and s.dtype == np.float32


def test_conjugating_vector_products_are_jaxs():
    b = np.array([[1 + 1j, 2 - 1j], [3j, 1]], np.complex64)
    m = np.array([[[1, 2j], [0.5, -1]]] * 3, np.complex64)
    v = np.array([[1j, 2], [1, 1], [0, 1 - 1j]], np.complex64)
    assert_like(jnp.vecdot(b, b), np.array([7, 10], np.complex64))
    assert_like(jnp.vecdot(b, b, axis=0), np.array([11, 6], np.complex64))
    assert_like(jnp.linalg.vecdot(b, b[0]), np.array([7, 5 - 4j], np.complex64))
    assert_like(jnp.matvec(m, v), np.einsum("bij,bj->bi", m, v))
    assert_like(jnp.vecmat(v, m), np.einsum("bi,bij->bj", v.conj(), m))
    assert_like(jit(jnp.vecmat)(v, m), np.einsum("bi,bij->bj", v.conj(), m))
    assert_like(vmap(jnp.vecdot)(b, b), np.array([7, 10], np.complex64))
    assert_like(grad(lambda v: jnp.sum(jnp.abs(jnp.vecmat(v, m))))(v)[0],
                np.array([0.70711 - 0.70711j, 0.35355 - 0.35355j], np.complex64), rtol=2e-5)
    with pytest.raises(ValueError, match="vecdot"):
        jnp.vecdot(np.ones(3), np.ones(4))


# ------------------------------------------------------------------ transforms, recorded from JAX

Z2 = np.array([1 + 2j, -0.5 + 0.25j], np.complex64)
X2 = np.array([1.5, -2.0], np.float32)
TRANSFORMED = {  # name: (thunk, JAX's result rounded to 4 decimals)
    "linear_transpose": (lambda: jaxlite.linear_transpose(lambda z: z * (1 + 2j), Z2)(Z2)[0],
                         [-3 + 4j, -1 - 0.75j]),
    "linear_transpose_of_real": (
        lambda: jaxlite.linear_transpose(lambda z: jnp.real(z) * 2, Z2)(X2)[0], [3, -4]),
    "linearize": (lambda: jaxlite.linearize(lambda z: jnp.sin(z) * jnp.conj(z), Z2)[1](Z2),
                  [17.2486 - 19.6314j, 0.5855 + 0.0506j]),
    "sum_to_complex": (lambda: jnp.sum(X2, dtype=jnp.complex64), -0.5),
    "value_and_grad": (lambda: jaxlite.value_and_grad(lambda z: jnp.sum(z**2),
                                                      holomorphic=True)(Z2)[1],
                       [2 + 4j, -1 + 0.5j]),
    "has_aux": (lambda: grad(lambda z: (jnp.sum(z**2), 3), holomorphic=True, has_aux=True)(Z2)[0],
                [2 + 4j, -1 + 0.5j]),
    "vmap_of_jacrev": (lambda: vmap(jacrev(lambda z: jnp.exp(z) * z, holomorphic=True))(
        Z2[:, None] * np.ones((2, 2), np.complex64))[:, 0, 0],
        [-7.2059 + 2.681j, 0.2563 + 0.2219j]),
    "hessian_through_complex": (
        lambda: hessian(lambda x: jnp.abs(jnp.sum(x * (1 + 1j))) ** 2)(X2), [[4, 4], [4, 4]]),
    "jvp_real_to_complex": (
        lambda: jvp(lambda x: jnp.exp(1j * x), (X2,), (np.ones(2, np.float32),))[1],
        [-0.9975 + 0.0707j, 0.9093 - 0.4161j]),
    "where": (lambda: grad(lambda z: jnp.sum(jnp.abs(jnp.where(jnp.real(z) > 0, z * 2, z))))(Z2),
              [0.8944 - 1.7889j, -0.8944 - 0.4472j]),
    "at_set": (lambda: grad(lambda z: jnp.sum(jnp.abs(z.at[0].set(3j) * z)))(Z2),
               [1.3416 - 2.6833j, -1 - 0.5j]),
    "indexing": (lambda: grad(lambda z: jnp.abs(z[1] * z[0]))(Z2), [0.25 - 0.5j, -2 - 1j]),
    "concatenate": (lambda: grad(lambda z: jnp.sum(jnp.abs(jnp.concatenate([z, z * 1j])) ** 2))(Z2),
                    [4 - 8j, -2 - 1j]),
    "cumprod": (lambda: grad(lambda z: jnp.sum(jnp.cumprod(z)).real)(Z2), [0.5 + 0.25j, 1 + 2j]),
    "prod": (lambda: grad(lambda z: jnp.prod(z).imag)(Z2), [0.25 + 0.5j, 2 - 1j]),
    "power": (lambda: grad(lambda z: jnp.sum(jnp.power(z, 3)).real)(Z2),
              [-9 + 12j, 0.5625 - 0.75j]),
    "exp2": (lambda: grad(lambda z: jnp.sum(jnp.exp2(z)).real)(Z2),
             [0.2543 + 1.3628j, 0.4828 + 0.0845j]),
    "log10": (lambda: grad(lambda z: jnp.sum(jnp.log10(z)).real)(Z2),
              [0.0869 - 0.1737j, -0.6949 - 0.3474j]),
    "tanh_of_large": (lambda: jnp.tanh(jnp.array([50 + 1j], jnp.complex64)), [1]),
}


@pytest.mark.parametrize("name", list(TRANSFORMED))
def test_transforms_of_complex_functions_give_jaxs_values(name):
    thunk, expected = TRANSFORMED[name]
    np.testing.assert_allclose(np.asarray(thunk()), expected, atol=2e-4, rtol=1e-4)
