"""The primitive spec table: one or more rows per primitive, driving the tests beside it.

A row says how to build example operands and params for a primitive (shapes, dtypes,
domain), which of its outputs the checks look at (``out``), which operands have nonzero
derivatives (``diff``; empty means the derivative is zero everywhere; None leaves
derivatives unchecked, for integer arithmetic, whose tangents JAX types as float0), the groups of operands it is jointly linear in
(``linear``; for a bilinear op each operand is its own group) and the highest
derivative order to check.
Rows take the float dtype as an argument so that the same example runs in float32 and,
for numerical derivative checks, in float64.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from typing import Any, Callable

import numpy as np

import jaxlite
import jaxlite.numpy as jnp
import jaxlite.primitives
from jaxlite.core.avals import ShapedArray
from jaxlite.core.ir import ClosedJaxpr, Jaxpr, Var
from jaxlite.core.primitive import Primitive
from jaxlite.primitives import comparison as cmp
from jaxlite.primitives import cond, custom_lin, custom_rules, jit_call, scan, while_loop
from jaxlite.primitives import elementwise as ew
from jaxlite.primitives import linalg_decompositions as dec
from jaxlite.primitives import (
    bitwise,
    complex_parts,
    conv,
    cumulative,
    dynamic_slice,
    fft,
    lu_pivots,
    matrix_functions,
    indexing,
    linalg,
    normal_bits,
    prng,
    reduce_window,
    reductions,
    remat,
    shape,
    sorting,
    special,
    structural,
)
from jaxlite.primitives import special_functions as sf

Gen = Callable[[np.random.Generator, np.dtype], np.ndarray]
Make = Callable[[np.random.Generator, np.dtype], tuple[list[np.ndarray], dict]]


@dataclasses.dataclass(frozen=True)
class Row:
    prim: Primitive
    make: Make
    diff: tuple[int, ...] | None = ()
    linear: tuple[tuple[int, ...], ...] = ()
    order: int = 2
    modes: tuple[str, ...] = ("fwd", "rev")
    variant: str = ""
    out: int = 0  # which output the checks look at (for primitives with several)

    @property
    def id(self) -> str:
        return self.prim.name + (f"-{self.variant}" if self.variant else "")

    def apply(self, *operands: Any, **params: Any) -> Any:
        """The primitive applied: its output number ``out``."""
        return self.prim.bind(*operands, **params)[self.out]

    def example(self, seed: int = 0, fdtype: Any = np.float32) -> tuple[list[np.ndarray], dict]:
        """Operands (NumPy arrays) and params; the params do not depend on ``seed``."""
        return self.make(np.random.default_rng(seed), np.dtype(fdtype))


def all_primitives() -> list[Primitive]:
    """Every ``Primitive`` defined at module level in ``jaxlite.primitives``."""
    found: dict[int, Primitive] = {}
    for info in pkgutil.iter_modules(jaxlite.primitives.__path__):
        module = importlib.import_module(f"jaxlite.primitives.{info.name}")
        found.update((id(v), v) for v in vars(module).values() if isinstance(v, Primitive))
    return sorted(found.values(), key=lambda p: p.name)


# ---------------------------------------------------------------- operand generators


def normal(*shape: int) -> Gen:
    return lambda rng, f: rng.standard_normal(shape).astype(f)


def uniform(lo: float, hi: float, *shape: int) -> Gen:
    return lambda rng, f: rng.uniform(lo, hi, shape).astype(f)


def away(*shape: int, gap: float = 0.2) -> Gen:
    """Normal values at least ``gap`` from zero (for abs, divisors, negative powers)."""
    return lambda rng, f: (np.where(rng.random(shape) < 0.5, -1, 1)
                           * (gap + np.abs(rng.standard_normal(shape)))).astype(f)


def distinct(*shape: int) -> Gen:
    """Values at least 0.25 apart, so that maxima and minima have no ties."""
    size = int(np.prod(shape))
    return lambda rng, f: ((rng.permutation(size) - size / 2) * 0.3
                           + rng.uniform(0, 0.05, size)).reshape(shape).astype(f)


def ints(lo: int, hi: int, *shape: int, as_float: bool = False) -> Gen:
    """Small integers (as floats with ``as_float``: comparisons then meet ties)."""
    return lambda rng, f: rng.integers(lo, hi, shape).astype(f if as_float else np.int32)


def nonzero_ints(*shape: int) -> Gen:
    """Integers in [-4, 4] without 0, with both signs (C-style division rounds toward 0)."""
    return lambda rng, f: (rng.integers(1, 5, shape)
                           * np.where(rng.random(shape) < 0.5, -1, 1)).astype(np.int32)


def uints(hi: int, *shape: int) -> Gen:
    """uint32 values below ``hi`` (random bits with ``hi=2**32``)."""
    return lambda rng, f: rng.integers(0, hi, shape, dtype=np.uint64).astype(np.uint32)


def float_bits(*shape: int) -> Gen:
    """uint32 bit patterns of normal float32 values (bitcast_convert_type's operands)."""
    return lambda rng, f: rng.standard_normal(shape).astype(np.float32).view(np.uint32)


def complex_normal(*shape: int) -> Gen:
    """Complex values (complex64 for float32 rows, complex128 for float64 ones)."""
    return lambda rng, f: (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(
        np.result_type(f, np.complex64))


def pivots(m: int, *shape: int) -> Gen:
    """LAPACK-style pivots: entry ``i`` of the last axis is in ``[i, m)``."""
    return lambda rng, f: (np.arange(shape[-1]) + rng.integers(
        0, m - np.arange(shape[-1]), shape)).astype(np.int32)


def bools(*shape: int) -> Gen:
    return lambda rng, f: rng.random(shape) < 0.5


def complex_of(f: np.dtype) -> np.dtype:
    """The complex dtype with parts of float dtype ``f``."""
    return np.dtype(np.complex128 if f == np.float64 else np.complex64)


def cnormal(*shape: int, re: tuple[float, float] | None = None, radius: float = 0.0) -> Gen:
    """Complex normal values; with ``re`` the real parts are uniform in that range (away
    from a branch cut on the negative real axis), with ``radius`` each is moved that far
    further from zero (for abs and divisors)."""

    def gen(rng, f):
        real = rng.standard_normal(shape) if re is None else rng.uniform(*re, shape)
        z = real + 1j * rng.standard_normal(shape)
        return (z + radius * z / np.maximum(np.abs(z), 1e-3)).astype(complex_of(f))

    return gen


def conj_of(source: Gen) -> Make:
    """conj of the generated operand, with its dtype as the ``input_dtype`` param."""

    def make(rng, f):
        x = source(rng, f)
        return [x], {"input_dtype": x.dtype}

    return make


def ops(*gens: Gen, **params: Any) -> Make:
    """A ``make`` drawing each operand from its generator, with fixed params."""
    return lambda rng, f: ([g(rng, f) for g in gens], dict(params))


def apart_pair(*shape: int) -> Make:
    """Two arrays that differ everywhere by at least 0.1 (max and min away from ties)."""

    def make(rng, f):
        x = rng.standard_normal(shape)
        y = x + np.where(rng.random(shape) < 0.5, -1, 1) * rng.uniform(0.1, 1.0, shape)
        return [x.astype(f), y.astype(f)], {}

    return make


def convert_to(target: Callable[[np.dtype], Any], source: Gen) -> Make:
    """convert_element_type from the generated operand's dtype to ``target(fdtype)``."""
    return lambda rng, f: ([source(rng, f)], {"new_dtype": np.dtype(target(f)),
                                              "weak_type": False})


def other_float(f: np.dtype) -> np.dtype:
    return np.dtype(np.float32 if f == np.float64 else np.float16)


def conv_params(window_strides=None, padding=None, lhs_dilation=None, rhs_dilation=None,
                numbers=None, feature_group_count=1, batch_group_count=1) -> dict:
    """The params of a 2-D (or, with 1-tuples, 1-D) convolution; NCHW/OIHW by default."""
    spatial = len(padding) if padding else len(window_strides or (1, 1))
    iota = tuple(range(spatial + 2))
    return dict(window_strides=window_strides or (1,) * spatial,
                padding=padding or ((0, 0),) * spatial,
                lhs_dilation=lhs_dilation or (1,) * spatial,
                rhs_dilation=rhs_dilation or (1,) * spatial,
                dimension_numbers=conv.ConvDimensionNumbers(*(numbers or (iota,) * 3)),
                feature_group_count=feature_group_count, batch_group_count=batch_group_count,
                precision=None, preferred_element_type=None)


def window_params(dimensions, strides, padding, base=None, dilation=None) -> dict:
    """The params of a window reduction (without the dilations when both are None, as
    select_and_scatter_add takes them)."""
    params = dict(window_dimensions=dimensions, window_strides=strides, padding=padding)
    if base is not None:
        params.update(base_dilation=base, window_dilation=dilation)
    return params


def _sin_times(x, y):
    return jnp.sin(x) * y


def _custom_jvp_fn():
    f = jaxlite.custom_jvp(_sin_times)
    f.defjvp(lambda p, t: (f(*p), jnp.cos(p[0]) * p[1] * t[0] + jnp.sin(p[0]) * t[1]))
    return f


def _custom_vjp_fn():
    f = jaxlite.custom_vjp(_sin_times)
    f.defvjp(lambda x, y: (f(x, y), (x, y)),
             lambda res, ct: (jnp.cos(res[0]) * res[1] * ct, jnp.sin(res[0]) * ct))
    return f


def _jit_fn():
    return jaxlite.jit(_sin_times)


def _checkpoint_fn():
    return jaxlite.checkpoint(_sin_times)


_CALL_PARAMS: dict = {}


def traced(prim: Primitive, build: Callable[[], Callable], *gens: Gen) -> Make:
    """Operands drawn from ``gens`` and the params of the first ``prim`` equation that the
    function ``build()`` traces to at them (traced once per dtype)."""

    def make(rng, f):
        operands = [g(rng, f) for g in gens]
        key = (build, f)
        if key not in _CALL_PARAMS:
            closed = jaxlite.make_jaxpr(build())(*operands)
            _CALL_PARAMS[key] = next(e.params for e in closed.jaxpr.eqns if e.primitive is prim)
        return operands, dict(_CALL_PARAMS[key])

    return make


def _scan_fn():
    # scan[...] w c xs: linear in (c, xs) jointly; the carry is output 0
    def f(w, c, xs):
        return jaxlite.lax.scan(lambda c, x: (c * jnp.sin(w) + x * jnp.cos(w), c * 2.0), c, xs)
    return f


def _while_body(w, c, i):
    # while[...] w c i: runs 3 - i times (i in [0, 3)); linear in c; the carry c is output 0
    return jaxlite.lax.while_loop(lambda ci: ci[1] < 3,
                                  lambda ci: (ci[0] * jnp.sin(w) + ci[0] * 0.5, ci[1] + 1),
                                  (c, i))


def _while_fn():
    return _while_body


def _while_transpose_fn():
    # while_transpose[...] w i ct: the transpose of _while_body in c
    def f(w, i, ct):
        return jaxlite.linear_transpose(lambda c: _while_body(w, c, i)[0], ct)(ct)
    return f


def custom_call(build: Callable[[], Callable], *shape: int) -> Make:
    """Operands of ``sin(x) * y`` and the params of the call primitive its decorator binds.

    The params (jaxpr and rules) are traced once per dtype, so they do not depend on the seed.
    """

    def make(rng, f):
        x, y = normal(*shape)(rng, f), normal(*shape)(rng, f)
        key = (build, f)
        if key not in _CALL_PARAMS:
            (eqn,) = jaxlite.make_jaxpr(build())(x, y).jaxpr.eqns
            _CALL_PARAMS[key] = eqn.params
        return [x, y], dict(_CALL_PARAMS[key])

    return make


_BRANCHES = [lambda x, y: jnp.sin(x) * y, lambda x, y: jnp.cos(x) * y,
             lambda x, y: jnp.tanh(x) * y]  # each linear in y


def cond_call(n: int, *shape: int) -> Make:
    """An index in [0, n) and the operands of the first ``n`` branches above, with the params
    of the ``cond`` that ``lax.switch`` binds for them (traced once per dtype)."""

    def make(rng, f):
        index = ints(0, n)(rng, f)
        x, y = normal(*shape)(rng, f), normal(*shape)(rng, f)
        key = ("cond", n, f)
        if key not in _CALL_PARAMS:
            switch = lambda i, x, y: jaxlite.lax.switch(i, _BRANCHES[:n], x, y)  # noqa: E731
            _CALL_PARAMS[key] = jaxlite.make_jaxpr(switch)(index, x, y).jaxpr.eqns[-1].params
        return [index, x, y], dict(_CALL_PARAMS[key])

    return make


def off_bounds(*shape: int) -> Gen:
    """Values away from -1 and 1 (the bounds the clamp rows use), inside and outside them."""
    return lambda rng, f: (rng.choice([-1.6, 0.0, 1.6], shape)
                           + rng.uniform(-0.4, 0.4, shape)).astype(f)


def diagonally_heavy(n: int) -> Gen:
    """Square matrices with 4 added to the diagonal: their triangles solve stably."""
    return lambda rng, f: (rng.standard_normal((n, n)) + 4 * np.eye(n)).astype(f)


def positive_definite(n: int) -> Gen:
    """Symmetric positive definite matrices ``M M^T + n I``."""
    def gen(rng, f):
        m = rng.standard_normal((n, n))
        return (m @ m.T + n * np.eye(n)).astype(f)

    return gen


def hermitian(n: int, positive: bool) -> Gen:
    """Complex Hermitian matrices: ``M M^H + n I`` if ``positive``, else ones with the
    eigenvalues 1, ..., n (times a random sign) and unitary eigenvectors."""
    def gen(rng, f):
        m = rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))
        if positive:
            return (m @ m.conj().T + n * np.eye(n)).astype(complex_of(f))
        w = np.arange(1, n + 1) * np.where(rng.random(n) < 0.5, -1, 1)
        q = np.linalg.qr(m)[0]
        return ((q * w) @ q.conj().T).astype(complex_of(f))

    return gen


def spectrum(n: int, symmetric: bool) -> Gen:
    """Matrices with the eigenvalues 1, 2, ..., n (times a random sign) and well-conditioned
    eigenvectors: orthogonal ones if ``symmetric``."""
    def gen(rng, f):
        w = np.arange(1, n + 1) * np.where(rng.random(n) < 0.5, -1, 1)
        if symmetric:
            q = np.linalg.qr(rng.standard_normal((n, n)))[0]
            return ((q * w) @ q.T).astype(f)
        v = np.eye(n) + 0.3 * rng.standard_normal((n, n))
        return ((v * w) @ np.linalg.inv(v)).astype(f)

    return gen
def with_zeros(*shape: int) -> Gen:
    """Normal values, about a third of them exactly zero (scatter-mul's special case)."""
    return lambda rng, f: np.where(rng.random(shape) < 0.35, 0.0,
                                   rng.standard_normal(shape)).astype(f)


_G = indexing.GatherDimensionNumbers
_S = indexing.ScatterDimensionNumbers
_MODE = indexing.GatherScatterMode
# gathers and scatters: rows of a (5, 3) operand at 4 indices in [-2, 7), so that indices
# repeat and fall out of bounds on both sides; windows; the batching axes vmap makes
_TAKE_ROWS = dict(dimension_numbers=_G((1,), (0,), (0,)), slice_sizes=(1, 3))
_WINDOWS = dict(dimension_numbers=_G((0, 3), (), (1, 0)), slice_sizes=(2, 3))
_PAIRED = dict(dimension_numbers=_G((), (1,), (1,), (0,), (0,)), slice_sizes=(1, 1))


def gather_row(params: dict, mode: Any, fill_value: Any = None) -> dict:
    return dict(params, mode=mode, fill_value=fill_value, indices_are_sorted=False,
                unique_indices=False)


def scatter_row(gather_params: dict, mode: Any) -> dict:
    dn = gather_params["dimension_numbers"]
    return dict(dimension_numbers=_S(dn.offset_dims, dn.collapsed_slice_dims, dn.start_index_map,
                                     dn.operand_batching_dims, dn.start_indices_batching_dims),
                mode=mode, indices_are_sorted=False, unique_indices=False)


_SCATTER_CASES = [  # variant, operand, indices, updates, params
    ("rows", normal(5, 3), ints(-2, 7, 4, 1), normal(4, 3), scatter_row(_TAKE_ROWS, _MODE.FILL_OR_DROP)),
    ("clip_windows", normal(5, 6), ints(-2, 7, 2, 3, 2), normal(2, 2, 3, 3),
     scatter_row(_WINDOWS, _MODE.CLIP)),
    ("paired", normal(4, 6), ints(-2, 8, 4, 1), normal(4), scatter_row(_PAIRED, _MODE.FILL_OR_DROP)),
]


# ---------------------------------------------------------------- the rows

_UNARY_DOMAINS = {  # differentiable unary elementwise ops and where to evaluate them
    ew.sin_p: normal(3, 4), ew.cos_p: normal(3, 4), ew.tan_p: uniform(-1.0, 1.0, 3, 4),
    ew.tanh_p: normal(3, 4), ew.exp_p: normal(3, 4), ew.expm1_p: normal(3, 4),
    ew.log_p: uniform(0.5, 2.0, 3, 4), ew.log1p_p: uniform(-0.5, 2.0, 3, 4),
    ew.sqrt_p: uniform(0.5, 2.0, 3, 4), ew.rsqrt_p: uniform(0.5, 2.0, 3, 4),
    ew.logistic_p: normal(3, 4), ew.abs_p: away(3, 4),
    ew.asin_p: uniform(-0.8, 0.8, 3, 4), ew.acos_p: uniform(-0.8, 0.8, 3, 4),
    ew.atan_p: normal(3, 4), ew.sinh_p: normal(3, 4), ew.cosh_p: normal(3, 4),
    ew.asinh_p: normal(3, 4), ew.acosh_p: uniform(1.2, 3.0, 3, 4),
    ew.atanh_p: uniform(-0.8, 0.8, 3, 4), ew.cbrt_p: away(3, 4),
}
_PIECEWISE_CONSTANT = [ew.sign_p, ew.floor_p, ew.ceil_p, ew.round_p, ew.stop_gradient_p]
_COMPARISONS = [cmp.eq_p, cmp.ne_p, cmp.lt_p, cmp.le_p, cmp.gt_p, cmp.ge_p]
_EXTREMA = [reductions.reduce_max_p, reductions.reduce_min_p]
_ARG_EXTREMA = [reductions.argmax_p, reductions.argmin_p]

ROWS: list[Row] = [
    *[Row(p, ops(g), diff=(0,), order=3 if p in (ew.sin_p, ew.exp_p) else 2)
      for p, g in _UNARY_DOMAINS.items()],
    *[Row(p, ops(uniform(-3.0, 3.0, 3, 4))) for p in _PIECEWISE_CONSTANT],
    Row(ew.neg_p, ops(normal(3, 4)), diff=(0,), linear=((0,),)),
    *[Row(p, ops(normal(3, 4), normal(3, 4)), diff=(0, 1), linear=((0, 1),))
      for p in (ew.add_p, ew.sub_p, structural.add_any_p)],
    Row(ew.add_p, ops(normal(3, 4), normal()), diff=(0, 1), linear=((0, 1),), variant="scalar"),
    Row(ew.sub_p, ops(normal(), normal(3)), diff=(0, 1), linear=((0, 1),), variant="scalar"),
    Row(ew.mul_p, ops(normal(3, 4), normal(3, 4)), diff=(0, 1), linear=((0,), (1,)), order=3),
    Row(ew.mul_p, ops(normal(), normal(3, 4)), diff=(0, 1), linear=((0,), (1,)),
        variant="scalar"),
    Row(ew.div_p, ops(normal(3, 4), away(3, 4)), diff=(0, 1), linear=((0,),), order=3),
    Row(ew.div_p, ops(normal(3), away()), diff=(0, 1), linear=((0,),), variant="scalar"),
    *[Row(p, apart_pair(3, 4), diff=(0, 1)) for p in (ew.max_p, ew.min_p)],
    Row(ew.integer_pow_p, ops(normal(3, 4), y=3), diff=(0,)),
    Row(ew.integer_pow_p, ops(away(3, 4), y=-2), diff=(0,), variant="negative"),
    Row(ew.integer_pow_p, ops(normal(3), y=1), diff=(0,), variant="one"),
    Row(ew.pow_p, ops(uniform(0.5, 2.0, 3, 4), normal(3, 4)), diff=(0, 1)),
    Row(ew.atan2_p, ops(away(3, 4), away(3, 4)), diff=(0, 1)),
    Row(ew.rem_p, ops(uniform(-3.0, 3.0, 3, 4), uniform(0.7, 0.9, 3, 4)), diff=(0, 1)),
    Row(ew.rem_p, ops(ints(-9, 9, 3, 4), nonzero_ints(3, 4)), diff=None, variant="int"),
    Row(ew.clamp_p, ops(uniform(-1.05, -0.95), off_bounds(3, 4), uniform(0.95, 1.05)),
        diff=(0, 1, 2)),
    Row(ew.clamp_p, ops(uniform(-1.05, -0.95, 3), off_bounds(3), uniform(0.95, 1.05, 3)),
        diff=(0, 1, 2), variant="array_bounds"),
    # comparison and logic
    *[Row(p, ops(ints(0, 3, 3, 4, as_float=True), ints(0, 3, 3, 4, as_float=True)))
      for p in _COMPARISONS],
    Row(cmp.not_p, ops(bools(3, 4))),
    Row(cmp.not_p, ops(ints(-5, 5, 3, 4)), variant="int"),
    *[Row(p, ops(bools(3, 4), bools(3, 4))) for p in (cmp.and_p, cmp.or_p, cmp.xor_p)],
    Row(cmp.and_p, ops(ints(-5, 5, 3, 4), ints(-5, 5, 3, 4)), variant="int"),
    Row(cmp.select_n_p, ops(bools(3, 4), normal(3, 4), normal(3, 4)), diff=(1, 2),
        linear=((1, 2),)),
    Row(cmp.select_n_p, ops(ints(0, 3, 3, 4), normal(3, 4), normal(3, 4), normal(3, 4)),
        diff=(1, 2, 3), linear=((1, 2, 3),), variant="three"),
    Row(cmp.select_n_p, ops(bools(), normal(3), normal(3)), diff=(1, 2), linear=((1, 2),),
        variant="scalar_which"),
    # reductions
    *[Row(p, ops(distinct(3, 4), axes=(1,)), diff=(0,)) for p in _EXTREMA],
    *[Row(p, ops(distinct(2, 3, 4), axes=(0, 2)), diff=(0,), variant="two_axes")
      for p in _EXTREMA],
    Row(reductions.reduce_prod_p, ops(normal(2, 3, 4), axes=(0, 2)), diff=(0,)),
    Row(reductions.reduce_prod_p, ops(normal(5, 3), axes=(0,)), diff=(0,), variant="odd"),
    *[Row(p, ops(distinct(3, 4), axes=(1,), index_dtype=np.dtype(np.int32)))
      for p in _ARG_EXTREMA],
    Row(structural.reduce_sum_p, ops(normal(2, 3, 4), axes=(0, 2)), diff=(0,), linear=((0,),)),
    Row(cumulative.cumsum_p, ops(normal(3, 4), axis=1, reverse=False), diff=(0,),
        linear=((0,),)),
    Row(cumulative.cumsum_p, ops(normal(5, 2), axis=0, reverse=True), diff=(0,),
        linear=((0,),), variant="reverse"),
    Row(cumulative.cumprod_p, ops(normal(2, 5), axis=1, reverse=False), diff=(0,)),
    Row(cumulative.cumprod_p, ops(normal(6, 2), axis=0, reverse=True), diff=(0,),
        variant="reverse"),
    Row(structural.reduce_sum_p, ops(normal(5), axes=(0,)), diff=(0,), linear=((0,),),
        variant="to_scalar"),
    # structural and shape
    Row(structural.broadcast_in_dim_p, ops(normal(1, 3), shape=(2, 4, 3),
                                           broadcast_dimensions=(0, 2)),
        diff=(0,), linear=((0,),)),
    Row(structural.broadcast_in_dim_p, ops(normal(), shape=(2, 3), broadcast_dimensions=()),
        diff=(0,), linear=((0,),), variant="scalar"),
    Row(structural.convert_element_type_p, convert_to(other_float, normal(3, 4)), diff=(0,),
        linear=((0,),)),
    Row(structural.convert_element_type_p, convert_to(lambda f: np.int32, normal(3, 4)),
        variant="to_int"),
    Row(structural.convert_element_type_p, convert_to(lambda f: f, ints(-5, 5, 3, 4)),
        variant="from_int"),
    Row(structural.transpose_p, ops(normal(2, 3, 4), permutation=(2, 0, 1)), diff=(0,),
        linear=((0,),)),
    Row(shape.reshape_p, ops(normal(2, 3, 4), new_sizes=(4, 6), dimensions=None), diff=(0,),
        linear=((0,),)),
    Row(shape.squeeze_p, ops(normal(2, 1, 3, 1), dimensions=(1, 3)), diff=(0,),
        linear=((0,),)),
    Row(shape.expand_dims_p, ops(normal(2, 3), dimensions=(0, 2)), diff=(0,), linear=((0,),)),
    Row(shape.slice_p, ops(normal(5, 7), start_indices=(1, 0), limit_indices=(5, 6),
                           strides=(2, 3)), diff=(0,), linear=((0,),)),
    Row(shape.slice_p, ops(normal(5, 7), start_indices=(1, 2), limit_indices=(4, 7),
                           strides=None), diff=(0,), linear=((0,),), variant="unit_strides"),
    Row(shape.pad_p, ops(normal(2, 3), normal(), padding_config=((1, 2, 1), (0, 1, 0))),
        diff=(0, 1), linear=((0, 1),)),
    Row(shape.concatenate_p, ops(normal(2, 3), normal(1, 3), normal(4, 3), dimension=0),
        diff=(0, 1, 2), linear=((0, 1, 2),)),
    Row(shape.concatenate_p, ops(normal(2, 3, 1), normal(2, 3, 2), dimension=2), diff=(0, 1),
        linear=((0, 1),), variant="last_axis"),
    Row(shape.rev_p, ops(normal(2, 3, 4), dimensions=(0, 2)), diff=(0,), linear=((0,),)),
    Row(shape.iota_p, ops(dtype=np.dtype(np.int32), shape=(2, 3), dimension=1)),
    # linalg
    *[Row(linalg.dot_general_p, ops(normal(*xs), normal(*ys), dimension_numbers=dims,
                                    preferred_element_type=None),
          diff=(0, 1), linear=((0,), (1,)), variant=name)
      for name, xs, ys, dims in [
          ("matmul", (3, 4), (4, 5), (((1,), (0,)), ((), ()))),
          ("vecmat", (4,), (4, 5), (((0,), (0,)), ((), ()))),
          ("batch", (3, 2, 4), (4, 2, 5), (((2,), (0,)), ((1,), (1,)))),
          ("two_contractions", (4, 3, 2), (2, 5, 4), (((0, 2), (2, 0)), ((), ()))),
          ("permuted_batch", (2, 3, 4), (3, 4, 2, 5), (((2,), (1,)), ((0, 1), (2, 0)))),
      ]],
    # convolutions (bilinear): strides, padding, dilations, layouts, groups
    *[Row(conv.conv_general_dilated_p, ops(normal(*xs), normal(*ws), **conv_params(**kw)),
          diff=(0, 1), linear=((0,), (1,)), variant=name)
      for name, xs, ws, kw in [
          ("", (2, 2, 5, 4), (3, 2, 3, 2), dict(window_strides=(2, 1), padding=((1, 1), (0, 1)))),
          ("dilated", (1, 2, 5, 4), (2, 2, 2, 2),
           dict(padding=((1, 0), (0, -1)), lhs_dilation=(2, 1), rhs_dilation=(1, 2))),
          ("nhwc_groups", (2, 4, 3, 4), (2, 2, 2, 4),
           dict(numbers=((0, 3, 1, 2), (3, 2, 0, 1), (0, 3, 1, 2)), feature_group_count=2)),
          ("batch_groups", (4, 2, 5), (4, 2, 2),
           dict(window_strides=(2,), padding=((1, 1),), batch_group_count=2)),
      ]],
    # dynamic slices, start indices out of bounds on both sides (clamped)
    Row(dynamic_slice.dynamic_slice_p, ops(normal(5, 6), ints(-2, 7), ints(-2, 7),
                                           slice_sizes=(2, 3)), diff=(0,), linear=((0,),)),
    Row(dynamic_slice.dynamic_update_slice_p, ops(normal(5, 6), normal(2, 3), ints(-2, 7),
                                                  ints(-2, 7)), diff=(0, 1), linear=((0, 1),)),
    # window reductions; max and min away from ties
    *[Row(p, ops(gen(4, 6), **window_params((2, 3), (1, 2), ((1, 0), (0, 1)), base, dilation)),
          diff=(0,), linear=linear, variant=name)
      for p, gen, linear, dilation in [
          (reduce_window.reduce_window_sum_p, normal, ((0,),), (1, 2)),
          (reduce_window.reduce_window_max_p, distinct, (), (1, 1)),  # (as JAX, no gradient
          (reduce_window.reduce_window_min_p, distinct, (), (1, 1))]  # with window dilation)
      for name, base in [("", (1, 1)), ("dilated", (2, 1))]],
    *[Row(reduce_window.select_and_gather_add_p,
          ops(normal(4, 6), distinct(4, 6), select_prim=select,
              **window_params((2, 2), (2, 1), ((0, 1), (1, 0)), base, (1, 1))),
          diff=(0,), linear=((0,),), variant=name)
      for name, select, base in [("", cmp.ge_p, (1, 1)), ("min_dilated", cmp.le_p, (1, 2))]],
    Row(reduce_window.select_and_scatter_add_p,
        ops(normal(2, 4), distinct(4, 6), select_prim=cmp.ge_p,
            **window_params((2, 2), (2, 2), ((0, 0), (1, 1)))), diff=(0,), linear=((0,),)),
    Row(reduce_window.select_and_scatter_add_p,
        ops(normal(3, 6), distinct(4, 6), select_prim=cmp.le_p,
            **window_params((2, 3), (1, 1), ((0, 0), (1, 1)))), diff=(0,), linear=((0,),),
        variant="overlapping_min"),
    # decompositions and triangular solves (several outputs: ``out`` picks the checked one)
    *[Row(dec.triangular_solve_p, ops(diagonally_heavy(4), normal(*b_shape), left_side=left,
                                      lower=lower, transpose_a=transpose_a,
                                      unit_diagonal=unit),
          diff=(0, 1), linear=((1,),), variant=name)
      for name, b_shape, left, lower, transpose_a, unit in [
          ("left_lower", (4, 3), True, True, False, False),
          ("left_upper_transposed", (4, 2), True, False, True, False),
          ("right_lower_unit", (3, 4), False, True, False, True),
          ("right_upper_transposed_unit", (2, 4), False, False, True, True),
      ]],
    Row(dec.cholesky_p, ops(positive_definite(4)), diff=(0,)),
    Row(dec.lu_p, ops(diagonally_heavy(4)), diff=(0,)),
    Row(dec.lu_p, ops(normal(4, 3)), diff=(0,), variant="tall"),
    Row(dec.lu_p, ops(normal(3, 4)), diff=(0,), variant="wide"),
    Row(dec.lu_p, ops(normal(4, 3)), diff=None, out=1, variant="pivots"),
    Row(dec.lu_p, ops(normal(3, 4)), diff=None, out=2, variant="permutation"),
    *[Row(dec.qr_p, ops(normal(*shape), full_matrices=full), diff=(0,), out=out, variant=name)
      for name, shape, full, out in [("", (4, 3), False, 0), ("r", (4, 3), False, 1),
                                     ("wide", (3, 4), False, 0), ("wide_r", (3, 4), False, 1),
                                     ("complete_square_r", (3, 3), True, 1)]],
    Row(dec.eigh_p, ops(spectrum(4, symmetric=True), lower=True), diff=(0,)),
    Row(dec.eigh_p, ops(spectrum(4, symmetric=True), lower=False), diff=(0,), out=1,
        variant="upper_w"),
    *[Row(dec.svd_p, ops(normal(*shape), full_matrices=False, compute_uv=True), diff=(0,),
          out=out, variant=name)
      for name, shape, out in [("", (4, 3), 0), ("u", (4, 3), 1), ("vt", (4, 3), 2),
                               ("wide_u", (3, 4), 1), ("wide_vt", (3, 4), 2)]],
    Row(dec.svd_p, ops(normal(3, 3), full_matrices=True, compute_uv=True), diff=(0,), out=1,
        variant="square_full_u"),
    Row(dec.svd_p, ops(normal(3, 4), full_matrices=False, compute_uv=False), diff=(0,),
        variant="values"),
    Row(dec.eig_p, ops(spectrum(3, symmetric=False), compute_right_eigenvectors=False),
        diff=(0,), order=1, modes=("fwd",)),  # (order 2 needs eigenvector derivatives)
    Row(dec.eig_p, ops(spectrum(3, symmetric=False), compute_right_eigenvectors=True),
        diff=None, out=1, variant="vectors"),
    # Fourier transforms (the derivatives and transposes of those of complex operands are
    # checked in tests/numpy_api/test_fft.py: check_grads takes real operands)
    *[Row(fft.fft_p, ops(gen, fft_type=kind, fft_lengths=lengths), variant=name,
          **(dict(diff=(0,), linear=((0,),)) if kind == fft.FftType.RFFT else dict(diff=None)))
      for name, gen, kind, lengths in [
          ("", complex_normal(3, 8), fft.FftType.FFT, (8,)),
          ("ifft_2d", complex_normal(2, 3, 4), fft.FftType.IFFT, (3, 4)),
          ("rfft_odd", normal(3, 7), fft.FftType.RFFT, (7,)),
          ("rfft_2d", normal(2, 4, 6), fft.FftType.RFFT, (4, 6)),
          ("irfft", complex_normal(3, 5), fft.FftType.IRFFT, (8,)),
          ("irfft_2d_odd", complex_normal(3, 4), fft.FftType.IRFFT, (3, 7)),
      ]],
    # matrix functions
    Row(matrix_functions.expm_p, ops(normal(3, 3), max_squarings=16), diff=(0,)),
    Row(matrix_functions.expm_p, ops(uniform(2.0, 4.0, 2, 3, 3), max_squarings=16), diff=(0,),
        variant="squared"),  # (a 1-norm above 5.4: scaled by 2**-s, then squared s times)
    Row(matrix_functions.expm_frechet_p, ops(normal(3, 3), normal(3, 3), max_squarings=16),
        diff=(0, 1), linear=((1,),)),
    Row(matrix_functions.schur_p, ops(normal(2, 4, 4)), diff=None, out=0),
    Row(matrix_functions.schur_p, ops(complex_normal(3, 3)), diff=None, out=1,
        variant="complex_z"),
    Row(matrix_functions.sqrtm_p, ops(positive_definite(3)), diff=None),
    Row(lu_pivots.lu_pivots_to_permutation_p, ops(pivots(5, 2, 4), permutation_size=5),
        diff=None),
    # empty arrays
    Row(shape.pad_p, ops(normal(0, 3), normal(), padding_config=((1, 1, 2), (0, 2, 1))),
        diff=(0, 1), linear=((0, 1),), variant="empty"),
    Row(shape.slice_p, ops(normal(4, 3), start_indices=(2, 0), limit_indices=(2, 3),
                           strides=None), diff=(0,), linear=((0,),), variant="empty"),
    Row(shape.concatenate_p, ops(normal(2, 3), normal(0, 3), dimension=0), diff=(0, 1),
        linear=((0, 1),), variant="empty"),
    Row(structural.reduce_sum_p, ops(normal(0, 3), axes=(0,)), diff=(0,), linear=((0,),),
        variant="empty"),
    Row(reductions.reduce_prod_p, ops(normal(3, 0), axes=(1,)), diff=(0,), variant="empty"),
    Row(linalg.dot_general_p, ops(normal(3, 0), normal(0, 2),
                                  dimension_numbers=(((1,), (0,)), ((), ())),
                                  preferred_element_type=None),
        diff=(0, 1), linear=((0,), (1,)), variant="empty"),
    # complex numbers: their parts, and the rules of other primitives at complex operands
    *[Row(p, ops(cnormal(3, 4)), diff=(0,), linear=((0,),))
      for p in (complex_parts.real_p, complex_parts.imag_p)],
    Row(complex_parts.conj_p, conj_of(cnormal(3, 4)), diff=(0,), linear=((0,),)),
    Row(complex_parts.conj_p, conj_of(normal(3, 4)), diff=(0,), linear=((0,),),
        variant="of_real"),
    Row(complex_parts.complex_p, ops(normal(3, 4), normal(3, 4)), diff=(0, 1),
        linear=((0, 1),)),
    Row(complex_parts.complex_p, ops(normal(), normal(3)), diff=(0, 1), linear=((0, 1),),
        variant="scalar"),
    *[Row(p, ops(cnormal(3, 4)), diff=(0,), variant="complex")
      for p in (ew.sin_p, ew.exp_p, ew.tanh_p, ew.logistic_p)],
    *[Row(p, ops(cnormal(3, 4, re=(0.5, 2.0))), diff=(0,), variant="complex")
      for p in (ew.log_p, ew.sqrt_p, ew.log1p_p, ew.rsqrt_p, ew.acosh_p)],
    *[Row(p, ops(cnormal(3, 4)), diff=(0,), variant="complex")
      for p in (ew.cos_p, ew.expm1_p, ew.sinh_p, ew.cosh_p, ew.asinh_p, ew.atan_p)],
    *[Row(p, ops(lambda rng, f: cnormal(3, 4)(rng, f) / 3), diff=(0,), variant="complex")
      for p in (ew.tan_p, ew.asin_p, ew.acos_p, ew.atanh_p)],
    Row(ew.abs_p, ops(cnormal(3, 4, radius=0.5)), diff=(0,), variant="complex"),
    Row(ew.mul_p, ops(cnormal(3, 4), cnormal(3, 4)), diff=(0, 1), linear=((0,), (1,)),
        variant="complex"),
    Row(ew.div_p, ops(cnormal(3, 4), cnormal(3, 4, radius=0.5)), diff=(0, 1),
        linear=((0,),), variant="complex"),
    Row(ew.integer_pow_p, ops(cnormal(3, 4), y=3), diff=(0,), variant="complex"),
    Row(ew.pow_p, ops(cnormal(3, 4, re=(0.5, 2.0)), cnormal(3, 4)), diff=(0, 1),
        variant="complex"),
    Row(linalg.dot_general_p, ops(cnormal(3, 4), cnormal(4, 2),
                                  dimension_numbers=(((1,), (0,)), ((), ())),
                                  preferred_element_type=None),
        diff=(0, 1), linear=((0,), (1,)), variant="complex"),
    Row(structural.reduce_sum_p, ops(cnormal(2, 3), axes=(1,)), diff=(0,), linear=((0,),),
        variant="complex"),
    Row(dec.cholesky_p, ops(hermitian(3, positive=True)), diff=(0,), variant="complex"),
    Row(dec.eigh_p, ops(hermitian(3, positive=False), lower=True), diff=(0,), out=1,
        variant="complex_w"),  # (complex eigenvectors are defined up to a phase)
    *[Row(dec.qr_p, ops(cnormal(*shape), full_matrices=False), diff=(0,), out=out,
          variant=f"complex_{name}")
      for shape, out, name in (((4, 3), 0, "q"), ((4, 3), 1, "r"), ((3, 4), 1, "wide_r"))],
    Row(dec.svd_p, ops(cnormal(4, 3), full_matrices=False, compute_uv=True), diff=(0,),
        variant="complex_values"),  # (singular vectors: up to a phase)
    Row(dec.svd_p, ops(cnormal(3, 4), full_matrices=False, compute_uv=False), diff=(0,),
        variant="complex_wide"),
    Row(structural.convert_element_type_p, convert_to(complex_of, normal(3, 4)), diff=(0,),
        linear=((0,),), variant="to_complex"),
    Row(structural.convert_element_type_p, convert_to(lambda f: f, cnormal(3, 4)), diff=(0,),
        linear=((0,),), variant="complex_to_real"),
    # integer and boolean operands: shape rules, impls and batching only
    *[Row(p, ops(ints(-9, 9, 3, 4), ints(-9, 9, 3, 4)), diff=None, variant="int")
      for p in (ew.add_p, ew.sub_p, ew.mul_p, ew.max_p, ew.min_p, structural.add_any_p)],
    Row(ew.div_p, ops(ints(-9, 9, 3, 4), nonzero_ints(3, 4)), diff=None, variant="int"),
    *[Row(p, ops(ints(-9, 9, 3, 4)), diff=None, variant="int")
      for p in (ew.neg_p, ew.abs_p, ew.sign_p)],
    Row(ew.integer_pow_p, ops(ints(-9, 9, 3, 4), y=3), diff=None, variant="int"),
    Row(ew.clamp_p, ops(ints(-5, 0), ints(-9, 9, 3, 4), ints(0, 5)), diff=None, variant="int"),
    *[Row(p, ops(ints(-9, 9, 2, 3, 4), axes=(0, 2)), diff=None, variant="int")
      for p in (*_EXTREMA, reductions.reduce_prod_p, structural.reduce_sum_p)],
    *[Row(p, ops(bools(3, 4), axes=(1,)), diff=None, variant="bool") for p in _EXTREMA],
    Row(cmp.select_n_p, ops(bools(3, 4), ints(-9, 9, 3, 4), ints(-9, 9, 3, 4)), diff=None,
        variant="int"),
    Row(linalg.dot_general_p, ops(ints(-9, 9, 3, 4), ints(-9, 9, 4, 2),
                                  dimension_numbers=(((1,), (0,)), ((), ())),
                                  preferred_element_type=None), diff=None, variant="int"),
    # random numbers and bits
    Row(prng.threefry2x32_p, ops(uints(2**32), uints(2**32), uints(2**32, 3, 4),
                                 uints(2**32, 3, 4)), diff=None),
    Row(prng.threefry2x32_p, ops(uints(2**32), uints(2**32), uints(1), uints(2**32, 5)),
        diff=None, variant="scalar_counter"),
    Row(bitwise.shift_left_p, ops(uints(2**32, 3, 4), uints(33, 3, 4)), diff=None),
    Row(bitwise.shift_right_logical_p, ops(uints(2**32, 3, 4), uints(33, 3, 4)), diff=None),
    Row(bitwise.shift_right_logical_p, ops(ints(-9, 9, 3, 4), ints(0, 5, 3, 4)), diff=None,
        variant="signed"),
    Row(bitwise.shift_right_arithmetic_p, ops(ints(-99, 99, 3, 4), ints(0, 40, 3, 4)),
        diff=None),
    Row(bitwise.gcd_p, ops(ints(-30, 30, 3, 4), ints(-30, 30, 3, 4)), diff=None),
    Row(bitwise.bitcast_convert_type_p, ops(float_bits(3, 4), new_dtype=np.dtype(np.float32)),
        diff=None),
    Row(special.erf_inv_p, ops(uniform(-0.9, 0.9, 3, 4)), diff=(0,)),
    Row(normal_bits.normal_bits_p, ops(uints(2**32, 3, 4)), diff=None),
    Row(special.fma_p, ops(normal(3, 4), normal(3, 4), normal(3, 4)), diff=(0, 1, 2)),
    Row(sorting.sort_p, ops(distinct(3, 4), normal(3, 4), dimension=1, is_stable=True,
                            num_keys=1), diff=(0,)),
    Row(sorting.sort_p, ops(distinct(3, 4), normal(3, 4), dimension=1, is_stable=True,
                            num_keys=1), diff=(1,), out=1, variant="values"),
    Row(sorting.sort_p, ops(ints(0, 2, 4, 3, as_float=True), distinct(4, 3), normal(4, 3),
                            dimension=0, is_stable=True, num_keys=2),
        diff=(2,), out=2, variant="two_keys"),
    Row(sorting.top_k_p, ops(distinct(3, 5), k=3, axis=1), diff=(0,)),
    Row(sorting.top_k_p, ops(distinct(4, 3, 2), k=2, axis=0), diff=(0,), variant="axis0"),
    Row(sorting.top_k_p, ops(ints(-3, 3, 3, 5), k=2, axis=1), diff=None, variant="int"),
    # special functions
    Row(sf.erf_p, ops(normal(3, 4)), diff=(0,)),
    Row(sf.erfc_p, ops(normal(3, 4)), diff=(0,)),
    Row(sf.lgamma_p, ops(uniform(0.5, 4.0, 3, 4)), diff=(0,)),
    Row(sf.digamma_p, ops(uniform(0.5, 4.0, 3, 4)), diff=(0,)),
    Row(sf.polygamma_p, ops(ints(0, 3, 3, 4, as_float=True), uniform(0.5, 4.0, 3, 4)),
        diff=(1,)),
    Row(sf.zeta_p, ops(uniform(1.5, 4.0, 3, 4), uniform(0.5, 3.0, 3, 4)), diff=(1,)),
    *[Row(p, ops(uniform(0.5, 3.0, 3, 4), uniform(0.2, 4.0, 3, 4)), diff=(0, 1), order=1)
      for p in (sf.igamma_p, sf.igammac_p)],  # (no second derivative in a, as in JAX)
    *[Row(p, ops(uniform(0.5, 3.0, 3, 4), uniform(0.2, 4.0, 3, 4)), diff=(1,), variant="x")
      for p in (sf.igamma_p, sf.igammac_p, sf.igamma_grad_a_p)],
    Row(sf.regularized_incomplete_beta_p, ops(uniform(0.5, 3.0, 3, 4), uniform(0.5, 3.0, 3, 4),
                                              uniform(0.1, 0.9, 3, 4)), diff=(2,)),
    Row(sf.bessel_i0e_p, ops(away(3, 4)), diff=(0,)),
    Row(sf.bessel_i1e_p, ops(normal(3, 4)), diff=(0,)),
    Row(cumulative.cumsum_p, ops(normal(37, 2), axis=0, reverse=False), diff=(0,),
        linear=((0,),), variant="blocks"),  # (longer than XLA's blocks of 16)
    Row(cumulative.cumsum_p, ops(ints(-9, 9, 3, 4), axis=0, reverse=False), diff=None,
        variant="int"),
    *[Row(p, ops(distinct(5, 4), axis=0, reverse=reverse), diff=(0,),
          variant="reverse" if reverse else "")
      for p in (cumulative.cummax_p, cumulative.cummin_p, cumulative.cumlogsumexp_p)
      for reverse in (False, True)],
    Row(cumulative.cummax_p, ops(ints(-9, 9, 3, 4), axis=1, reverse=False), diff=None,
        variant="int"),
    # gather and scatters, with repeated and out-of-bounds indices
    Row(indexing.gather_p, ops(normal(5, 3), ints(-2, 7, 4, 1),
                               **gather_row(_TAKE_ROWS, _MODE.PROMISE_IN_BOUNDS)),
        diff=(0,), linear=((0,),)),
    Row(indexing.gather_p, ops(normal(5, 6), ints(-2, 7, 2, 3, 2), **gather_row(_WINDOWS, _MODE.CLIP)),
        diff=(0,), linear=((0,),), variant="clip_windows"),
    Row(indexing.gather_p, ops(normal(5, 6), ints(-2, 7, 2, 3, 2),
                               **gather_row(_WINDOWS, _MODE.FILL_OR_DROP, 0.0)),
        diff=(0,), linear=((0,),), variant="fill_windows"),
    Row(indexing.gather_p, ops(normal(4, 6), ints(-2, 8, 4, 1),
                               **gather_row(_PAIRED, _MODE.FILL_OR_DROP, 0.0)),
        diff=(0,), linear=((0,),), variant="paired"),
    Row(indexing.gather_p, ops(ints(-9, 9, 5, 3), ints(-2, 7, 4, 1),
                               **gather_row(_TAKE_ROWS, _MODE.FILL_OR_DROP)),
        diff=None, variant="int"),
    *[Row(p, ops(x, i, u, **params), diff=(0, 2), linear=((0, 2),), variant=name)
      for p in (indexing.scatter_add_p, indexing.scatter_p)
      for name, x, i, u, params in _SCATTER_CASES],
    *[Row(indexing.scatter_mul_p, ops(x, i, u, **params), diff=(0, 2), linear=((0,),),
          variant=name) for name, x, i, u, params in _SCATTER_CASES],
    Row(indexing.scatter_mul_p, ops(normal(5, 3), ints(0, 3, 6, 1), with_zeros(6, 3),
                                    **scatter_row(_TAKE_ROWS, _MODE.FILL_OR_DROP)),
        diff=(0, 2), linear=((0,),), order=1, variant="zeros"),  # (see scatter-mul's jvp)
    *[Row(p, ops(distinct(5, 3), i, distinct(*u(np.random.default_rng(0), np.float32).shape),
                 **params), diff=(0, 2), variant=name)
      for p in (indexing.scatter_min_p, indexing.scatter_max_p)
      for name, _, i, u, params in _SCATTER_CASES[:1]],
    *[Row(p, ops(ints(-9, 9, 5, 3), ints(-2, 7, 4, 1), ints(-9, 9, 4, 3),
                 **scatter_row(_TAKE_ROWS, _MODE.CLIP)), diff=None, variant="int")
      for p in (indexing.scatter_p, indexing.scatter_add_p, indexing.scatter_mul_p,
                indexing.scatter_min_p, indexing.scatter_max_p)],
    # user-defined derivative rules (higher-order primitives)
    Row(custom_rules.custom_jvp_call_p, custom_call(_custom_jvp_fn, 3), diff=(0, 1),
        linear=((1,),)),  # sin(x) * y is linear in y: transposed as its body
    Row(custom_rules.custom_vjp_call_p, custom_call(_custom_vjp_fn, 3), diff=(0, 1),
        modes=("rev",)),
    Row(jit_call.jit_p, custom_call(_jit_fn, 3), diff=(0, 1), linear=((1,),)),
    Row(remat.remat_p, custom_call(_checkpoint_fn, 3), diff=(0, 1), linear=((1,),)),
    Row(remat.name_p, ops(normal(3, 4), name="a"), diff=(0,), linear=((0,),)),
    # control flow
    Row(cond.cond_p, cond_call(2, 3), diff=(1, 2), linear=((2,),)),
    Row(cond.cond_p, cond_call(3, 2, 3), diff=(1, 2), linear=((2,),), variant="three"),
    # loops (higher-order primitives); counters in [0, 3) give batches different trip counts
    Row(scan.scan_p, traced(scan.scan_p, _scan_fn, normal(3), normal(3), normal(4, 3)),
        diff=(0, 1, 2), linear=((1, 2),)),
    Row(while_loop.while_p, traced(while_loop.while_p, _while_fn, normal(3), normal(3),
                                   ints(0, 3)), diff=(0, 1), linear=((1,),)),
    Row(while_loop.while_transpose_p,
        traced(while_loop.while_transpose_p, _while_transpose_fn, normal(3), ints(0, 3),
               normal(3)), diff=(0, 2), linear=((2,),)),
]

NOT_IN_TABLE = {  # primitive -> why no row drives it
    custom_lin.custom_lin_p: "only emitted inside the VJP of custom_vjp_call and only ever "
                               "transposed (its impl and jvp raise by design); the custom_vjp_call "
                               "row's reverse-mode check exercises its transpose",
}


# ---------------------------------------------------------------- bad operands

def _a(text: str) -> ShapedArray:
    """``'f32[3,4]'`` -> ShapedArray((3, 4), float32)."""
    dtype_name, dims = text[:-1].split("[")
    dtype = {"f32": np.float32, "i32": np.int32, "bool": np.bool_, "f16": np.float16,
             "c64": np.complex64}[dtype_name]
    return ShapedArray(tuple(int(d) for d in dims.split(",") if d), np.dtype(dtype))


def _identity(aval: ShapedArray) -> ClosedJaxpr:
    """The jaxpr ``{ lambda ; a. let in (a,) }`` at ``aval``: a branch for bad cond operands."""
    var = Var(aval)
    return ClosedJaxpr(Jaxpr((), (var,), (), (var,)), ())


BAD_INPUTS: list[tuple[Primitive, list[ShapedArray], dict]] = [
    (ew.add_p, [_a("f32[3]"), _a("f32[4]")], {}),
    (ew.mul_p, [_a("f32[3]"), _a("i32[3]")], {}),
    (ew.sin_p, [_a("i32[3]")], {}),
    (ew.rem_p, [_a("c64[3]"), _a("c64[3]")], {}),
    (complex_parts.real_p, [_a("f32[3]")], {}),
    (complex_parts.imag_p, [_a("i32[3]")], {}),
    (complex_parts.conj_p, [_a("i32[3]")], {"input_dtype": np.dtype(np.int32)}),
    (complex_parts.complex_p, [_a("f32[3]"), _a("f32[4]")], {}),
    (complex_parts.complex_p, [_a("f16[3]"), _a("f16[3]")], {}),
    (complex_parts.complex_p, [_a("f32[3]"), _a("c64[3]")], {}),
    (ew.floor_p, [_a("i32[2]")], {}),
    (cmp.lt_p, [_a("f32[2,3]"), _a("f32[3,2]")], {}),
    (cmp.and_p, [_a("f32[2]"), _a("f32[2]")], {}),
    (cmp.select_n_p, [_a("f32[3]"), _a("f32[3]"), _a("f32[3]")], {}),
    (cmp.select_n_p, [_a("bool[2]"), _a("f32[3]"), _a("f32[3]")], {}),
    (cmp.select_n_p, [_a("bool[3]"), _a("f32[3]"), _a("i32[3]")], {}),
    (reductions.reduce_max_p, [_a("f32[3,4]")], {"axes": (2,)}),
    (reductions.argmax_p, [_a("f32[3,4]")], {"axes": (0, 1), "index_dtype": np.dtype(np.int32)}),
    (reductions.argmin_p, [_a("f32[3]")], {"axes": (3,), "index_dtype": np.dtype(np.int32)}),
    (linalg.dot_general_p, [_a("f32[3,4]"), _a("f32[5,6]")],
     {"dimension_numbers": (((1,), (0,)), ((), ())), "preferred_element_type": None}),
    (linalg.dot_general_p, [_a("f32[3,4]"), _a("i32[4]")],
     {"dimension_numbers": (((1,), (0,)), ((), ())), "preferred_element_type": None}),
    (shape.reshape_p, [_a("f32[2,3]")], {"new_sizes": (4, 2), "dimensions": None}),
    (shape.squeeze_p, [_a("f32[2,3]")], {"dimensions": (1,)}),
    (shape.slice_p, [_a("f32[4]")], {"start_indices": (1,), "limit_indices": (6,),
                                     "strides": None}),
    (shape.pad_p, [_a("f32[2,3]"), _a("f32[]")], {"padding_config": ((1, 1, 0),)}),
    (shape.pad_p, [_a("f32[2]"), _a("i32[]")], {"padding_config": ((1, 1, 0),)}),
    (shape.concatenate_p, [_a("f32[2,3]"), _a("f32[2,4]")], {"dimension": 0}),
    (shape.expand_dims_p, [_a("f32[2]")], {"dimensions": (3,)}),
    (shape.rev_p, [_a("f32[2]")], {"dimensions": (1,)}),
    (cumulative.cumsum_p, [_a("f32[2,3]")], {"axis": 2, "reverse": False}),
    (cumulative.cumsum_p, [_a("bool[3]")], {"axis": 0, "reverse": False}),
    (structural.broadcast_in_dim_p, [_a("f32[3]")], {"shape": (2, 4),
                                                     "broadcast_dimensions": (1,)}),
    (structural.reduce_sum_p, [_a("f32[3]")], {"axes": (1,)}),
    (structural.transpose_p, [_a("f32[2,3]")], {"permutation": (0, 0)}),
    (structural.add_any_p, [_a("f32[2]"), _a("f32[3]")], {}),
    (shape.iota_p, [], {"dtype": np.dtype(np.int32), "shape": (2,), "dimension": 1}),
    (ew.clamp_p, [_a("f32[2]"), _a("f32[3]"), _a("f32[]")], {}),
    (ew.clamp_p, [_a("i32[]"), _a("f32[3]"), _a("f32[]")], {}),
    (dec.cholesky_p, [_a("f32[3,4]")], {}),
    (dec.cholesky_p, [_a("i32[3,3]")], {}),
    (dec.lu_p, [_a("f32[3]")], {}),
    (dec.qr_p, [_a("f32[3]")], {"full_matrices": False}),
    (dec.eigh_p, [_a("f32[2,3]")], {"lower": True}),
    (dec.svd_p, [_a("i32[2,2]")], {"full_matrices": False, "compute_uv": True}),
    (dec.eig_p, [_a("f32[2,3]")], {"compute_right_eigenvectors": False}),
    (dec.triangular_solve_p, [_a("f32[3,3]"), _a("f32[4,2]")],
     {"left_side": True, "lower": True, "transpose_a": False, "unit_diagonal": False}),
    (dec.triangular_solve_p, [_a("f32[2,3,3]"), _a("f32[3,2]")],
     {"left_side": True, "lower": True, "transpose_a": False, "unit_diagonal": False}),
    (fft.fft_p, [_a("f32[4]")], {"fft_type": fft.FftType.FFT, "fft_lengths": (4,)}),
    (fft.fft_p, [_a("c64[4]")], {"fft_type": fft.FftType.RFFT, "fft_lengths": (4,)}),
    (fft.fft_p, [_a("c64[3,4]")], {"fft_type": fft.FftType.IFFT, "fft_lengths": (3, 5)}),
    (fft.fft_p, [_a("c64[4]")], {"fft_type": fft.FftType.IRFFT, "fft_lengths": (8,)}),
    (fft.fft_p, [_a("c64[4]")], {"fft_type": fft.FftType.FFT, "fft_lengths": (1, 4)}),
    (matrix_functions.expm_p, [_a("f32[2,3]")], {"max_squarings": 16}),
    (matrix_functions.expm_frechet_p, [_a("f32[3,3]"), _a("f32[2,2]")], {"max_squarings": 16}),
    (matrix_functions.schur_p, [_a("i32[2,2]")], {}),
    (matrix_functions.sqrtm_p, [_a("f32[3]")], {}),
    (lu_pivots.lu_pivots_to_permutation_p, [_a("f32[3]")], {"permutation_size": 3}),
    (indexing.gather_p, [_a("f32[5,3]"), _a("f32[4,1]")], gather_row(_TAKE_ROWS, _MODE.CLIP)),
    (indexing.gather_p, [_a("f32[5,3]"), _a("i32[4,2]")], gather_row(_TAKE_ROWS, _MODE.CLIP)),
    (indexing.gather_p, [_a("f32[5,3]"), _a("i32[4,1]")],
     dict(gather_row(_TAKE_ROWS, _MODE.CLIP), slice_sizes=(1, 4))),
    (indexing.scatter_add_p, [_a("f32[5,3]"), _a("i32[4,1]"), _a("f32[3,3]")],
     scatter_row(_TAKE_ROWS, _MODE.CLIP)),
    (indexing.scatter_p, [_a("f32[5,3]"), _a("i32[4,1]"), _a("i32[4,3]")],
     scatter_row(_TAKE_ROWS, _MODE.CLIP)),
    (conv.conv_general_dilated_p, [_a("f32[2,3,5,5]"), _a("f32[4,2,3,3]")], conv_params()),
    (conv.conv_general_dilated_p, [_a("f32[2,4,5,5]"), _a("f32[3,2,3,3]")],
     conv_params(feature_group_count=2)),
    (conv.conv_general_dilated_p, [_a("f32[2,3,5,5]"), _a("i32[4,3,3,3]")], conv_params()),
    (conv.conv_general_dilated_p, [_a("f32[2,3,5]"), _a("f32[4,3,3,3]")], conv_params()),
    (reduce_window.reduce_window_sum_p, [_a("f32[4,5]")],
     window_params((2,), (1,), ((0, 0),), (1,), (1,))),
    (reduce_window.reduce_window_max_p, [_a("f32[4,5]")],
     window_params((2, 0), (1, 1), ((0, 0), (0, 0)), (1, 1), (1, 1))),
    (reduce_window.reduce_window_sum_p, [_a("bool[4]")], window_params((2,), (1,), ((0, 0),),
                                                                      (1,), (1,))),
    (reduce_window.select_and_gather_add_p, [_a("f32[4]"), _a("f32[5]")],
     dict(window_params((2,), (1,), ((0, 0),), (1,), (1,)), select_prim=cmp.ge_p)),
    (reduce_window.select_and_scatter_add_p, [_a("f32[2]"), _a("f32[4]")],
     dict(window_params((2,), (1,), ((0, 0),)), select_prim=cmp.ge_p)),
    (dynamic_slice.dynamic_slice_p, [_a("f32[5,6]"), _a("f32[]"), _a("i32[]")],
     {"slice_sizes": (2, 3)}),
    (dynamic_slice.dynamic_slice_p, [_a("f32[5,6]"), _a("i32[]"), _a("i32[]")],
     {"slice_sizes": (2, 7)}),
    (dynamic_slice.dynamic_update_slice_p, [_a("f32[5,6]"), _a("i32[2,3]"), _a("i32[]"),
                                            _a("i32[]")], {}),
    (dynamic_slice.dynamic_update_slice_p, [_a("f32[5,6]"), _a("f32[2,3]"), _a("i32[]")], {}),
    (cond.cond_p, [_a("f32[]"), _a("f32[3]")], {"branches": (_identity(_a("f32[3]")),)}),
    (cond.cond_p, [_a("i32[]"), _a("f32[3]"), _a("f32[3]")],
     {"branches": (_identity(_a("f32[3]")),)}),
]
