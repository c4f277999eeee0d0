"""``jaxlite.test_util.check_grads``: numerical checks of derivatives, as in HIPS autograd.

Forward mode is compared with central finite differences in float64 along a random
direction; reverse mode by the dot-product test ``<ct, J t> == <J^T ct, t>`` with
``J t`` from the same finite differences. With ``order > 1`` the derivative functions themselves
are checked, recursively.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .core.config import config
from .core.tree_util import tree_flatten, tree_unflatten
from .interpreters.transforms import jvp, vjp
from .numpy_api import creation as numpy

EPS = 1e-4


def _tolerance(dtype: np.dtype) -> tuple[float, float]:
    dtype = np.dtype(dtype)
    bytes_per_part = dtype.itemsize // 2 if dtype.kind == "c" else dtype.itemsize
    return (2e-3, 2e-3) if bytes_per_part <= 4 else (1e-5, 1e-5)


def _random_like(x: Any, rng: np.random.Generator) -> np.ndarray:
    """A random direction like ``x``: for a complex ``x``, random in both the real and the
    imaginary parts, so that derivatives are checked along both."""
    x = np.asarray(x)
    direction = rng.standard_normal(x.shape)
    if x.dtype.kind == "c":
        direction = direction + 1j * rng.standard_normal(x.shape)
    return direction.astype(x.dtype)


def _inner(xs: Sequence[Any], ys: Sequence[Any]) -> float:
    """``sum Re(x * y)``: the pairing of cotangents with tangents under which JAX's
    transposes are adjoints (no conjugation: the transpose of ``c * t`` is ``c * ct``)."""
    return float(sum(np.real(np.sum(_wide(x) * _wide(y))) for x, y in zip(xs, ys)))


def _wide(x: Any) -> np.ndarray:
    """``x`` in float64, or complex128 if it is complex."""
    x = np.asarray(x)
    return x.astype(np.complex128 if np.iscomplexobj(x) else np.float64)


def _assert_close(what: str, a: Any, b: Any, rtol: float, atol: float) -> None:
    a_leaves, b_leaves = tree_flatten(a)[0], tree_flatten(b)[0]
    for x, y in zip(a_leaves, b_leaves):
        x, y = _wide(x), _wide(y)
        if not np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=True):
            raise AssertionError(f"check_grads: {what} mismatch\n  got      {x}\n  expected {y}")


def _as_float64(args: Sequence[Any]) -> list[np.ndarray]:
    return [_wide(a) for a in args]


def numerical_jvp(f: Callable, args: Sequence[Any], tangents: Sequence[Any],
                  eps: float = EPS) -> list[np.ndarray]:
    """``J t`` by central differences, evaluated in float64."""
    with _x64():
        args64 = _as_float64(args)
        plus = f(*[a + eps * t for a, t in zip(args64, tangents)])
        minus = f(*[a - eps * t for a, t in zip(args64, tangents)])
        return [(_wide(p) - _wide(m)) / (2 * eps)
                for p, m in zip(tree_flatten(plus)[0], tree_flatten(minus)[0])]


def check_jvp(f: Callable, args: Sequence[Any], eps: float = EPS, rng=None,
              atol: float | None = None, rtol: float | None = None) -> None:
    """Compare ``jvp(f)`` with a central difference along a random direction (tolerances
    by default ten times ``_tolerance`` of the output's dtype)."""
    rng = rng or np.random.default_rng(0)
    tangents = [_random_like(a, rng) for a in args]
    out, tangent_out = jvp(f, tuple(args), tuple(tangents))
    numeric = numerical_jvp(f, args, tangents, eps)
    default_rtol, default_atol = _tolerance(np.asarray(tree_flatten(out)[0][0]).dtype)
    _assert_close("jvp vs finite differences", tree_flatten(tangent_out)[0], numeric,
                  10 * default_rtol if rtol is None else rtol,
                  10 * default_atol if atol is None else atol)


def check_vjp(f: Callable, args: Sequence[Any], eps: float = EPS, rng=None,
              atol: float | None = None, rtol: float | None = None) -> None:
    """Check ``vjp(f)`` by the dot-product test ``<ct, J t> == <J^T ct, t>``, with ``J t``
    from finite differences (so that functions without forward mode can be checked)."""
    rng = rng or np.random.default_rng(1)
    out, pullback = vjp(f, *args)
    out_leaves, out_tree = tree_flatten(out)
    cts = [_random_like(o, rng) for o in out_leaves]
    cts_in = pullback(tree_unflatten(out_tree, cts))
    tangents = [_random_like(a, rng) for a in args]
    lhs = _inner(cts, numerical_jvp(f, args, tangents, eps))
    rhs = _inner(tree_flatten(cts_in)[0], tangents)
    default_rtol, default_atol = _tolerance(np.asarray(out_leaves[0]).dtype)
    _assert_close("vjp vs finite differences (dot-product test)", lhs, rhs,
                  10 * default_rtol if rtol is None else rtol,
                  10 * default_atol * max(1.0, abs(lhs)) if atol is None else atol)


class _x64:
    """Run the finite differences in float64 whatever the x64 flag says."""

    def __enter__(self) -> None:
        self.previous = config.x64_enabled
        config.update("jax_enable_x64", True)

    def __exit__(self, *exc: Any) -> None:
        config.update("jax_enable_x64", self.previous)


def check_grads(f: Callable, args: Sequence[Any], order: int = 2,
                modes: Sequence[str] = ("fwd", "rev"), atol: float | None = None,
                rtol: float | None = None, eps: float | None = None) -> None:
    """Check the derivatives of ``f`` at ``args`` up to ``order``, in forward and/or reverse mode,
    with JAX's signature (``atol``, ``rtol``: tolerances in place of the dtype's defaults).

    Raises AssertionError naming the check that failed.
    """
    args = tuple(args)
    eps = EPS if eps is None else eps
    tolerances = {"atol": atol, "rtol": rtol}
    if "fwd" in modes:
        check_jvp(f, args, eps, **tolerances)
    if "rev" in modes:
        check_vjp(f, args, eps, **tolerances)
    if order > 1:
        rng = np.random.default_rng(order)
        if "fwd" in modes:
            tangents = tuple(_random_like(a, rng) for a in args)

            def pushforward(*xs: Any) -> Any:  # tangents take the arguments' dtypes
                return jvp(f, xs, tuple(numpy.asarray(t, dtype=x.dtype)
                                        for t, x in zip(tangents, xs)))[1]

            check_grads(pushforward, args, order - 1, modes, eps=eps, **tolerances)
        if "rev" in modes:
            out_leaves, out_tree = tree_flatten(f(*args))
            cts = [_random_like(o, rng) for o in out_leaves]

            def pullback(*xs: Any) -> Any:
                out, f_vjp = vjp(f, *xs)  # cotangents take the output's dtype (x64 may be on)
                leaves = tree_flatten(out)[0]
                return f_vjp(tree_unflatten(out_tree, [numpy.asarray(c, dtype=o.dtype)
                                                       for c, o in zip(cts, leaves)]))

            check_grads(pullback, args, order - 1, modes, eps=eps, **tolerances)
