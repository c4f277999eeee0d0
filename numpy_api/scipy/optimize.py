"""``jaxlite.scipy.optimize.minimize``: BFGS with a strong-Wolfe line search, as
``jax.scipy.optimize``.

Both loops are ``lax.while_loop``s over fixed-type states, so ``minimize`` runs the same
eagerly, under ``jit`` and under ``vmap``. The line search (Nocedal and Wright,
Algorithms 3.5 and 3.6) evaluates the function and its gradient once per iteration: it
first grows the step until the minimum along the direction is bracketed, then shrinks the
bracket (quadratic interpolation, safeguarded by bisection) until the step satisfies the
strong Wolfe conditions. As in JAX, ``tol`` is accepted and ignored: the gradient
tolerance is ``options["gtol"]``.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, NamedTuple

import numpy as np

from ...core import dtypes
from ...core.trace import aval_of
from ...interpreters.transforms import value_and_grad
from .. import creation, linalg, manipulation, products, ufuncs
from ..loops import while_loop

__all__ = ["OptimizeResults", "minimize"]

_C1, _C2 = 1e-4, 0.9  # the sufficient-decrease and curvature constants of the Wolfe conditions


class OptimizeResults(NamedTuple):
    """What ``minimize`` returns (JAX's fields): the solution, whether it converged, the
    status (0 converged, 1 iteration limit, 3 line search failed), the function value and
    gradient there, the inverse Hessian estimate, and the evaluation and iteration counts."""

    x: Any
    success: Any
    status: Any
    fun: Any
    jac: Any
    hess_inv: Any
    nfev: Any
    njev: Any
    nit: Any


def minimize(fun: Callable, x0: Any, args: tuple = (), *, method: str = "BFGS",
             tol: float | None = None, options: Mapping[str, Any] | None = None) -> OptimizeResults:
    """Minimise ``fun(x, *args)`` over the vector ``x`` from ``x0``. ``method`` must be
    "BFGS"; ``options``: ``maxiter`` (default ``200 * x0.size``), ``norm`` (of the gradient,
    default inf), ``gtol`` (default 1e-5), ``line_search_maxiter`` (default 10)."""
    options = {} if options is None else dict(options)
    if not isinstance(args, tuple):
        raise TypeError(f"args argument to jax.scipy.optimize.minimize must be a tuple, "
                        f"got {args}")
    if method.lower() != "bfgs":
        raise ValueError(f"Method {method} not recognized")
    return _bfgs(lambda x: fun(x, *args), x0, **options)


class _Search(NamedTuple):
    """The line search's state: the last step tried (bracketing), the bracket, the step
    found."""

    i: Any
    done: Any
    failed: Any
    zooming: Any
    a_prev: Any
    phi_prev: Any
    dphi_prev: Any
    a_next: Any
    a_lo: Any
    phi_lo: Any
    dphi_lo: Any
    a_hi: Any
    phi_hi: Any
    a_star: Any
    phi_star: Any
    g_star: Any


def _where(condition: Any, x: Any, y: Any) -> Any:
    return manipulation.where(condition, x, y)


def _interpolate(s: _Search) -> Any:
    """The minimiser of the quadratic through ``phi_lo``, ``dphi_lo`` and ``phi_hi`` if it
    lies well inside the bracket, else its midpoint."""
    d = ufuncs.subtract(s.a_hi, s.a_lo)
    d_safe = _where(d == 0, creation.ones_like(d), d)
    curvature = ufuncs.divide(s.phi_hi - s.phi_lo - s.dphi_lo * d_safe, d_safe * d_safe)
    safe_curvature = _where(curvature > 0, curvature, creation.ones_like(curvature))
    a_quad = s.a_lo - s.dphi_lo / (2 * safe_curvature)
    low = ufuncs.minimum(s.a_lo, s.a_hi) + 0.1 * ufuncs.abs(d)
    high = ufuncs.maximum(s.a_lo, s.a_hi) - 0.1 * ufuncs.abs(d)
    usable = (curvature > 0) & (a_quad > low) & (a_quad < high)
    return _where(usable, a_quad, 0.5 * (s.a_lo + s.a_hi))


def _line_search(value_and_grad_fn: Callable, x: Any, p: Any, f0: Any, g0: Any,
                 old_old_fval: Any, maxiter: int) -> tuple[Any, Any, Any, Any, Any]:
    """A step ``a > 0`` along ``p`` meeting the strong Wolfe conditions: ``(a, f(x + a p),
    grad f(x + a p), evaluations, failed)``."""
    dphi0 = products.dot(g0, p)
    guess = 1.01 * 2 * (f0 - old_old_fval) / dphi0
    start = _where(ufuncs.isfinite(guess) & (guess > 0), ufuncs.minimum(guess, 1.0), 1.0)
    start = start.astype(dphi0.dtype)
    zero = creation.zeros_like(dphi0)
    state = _Search(creation.asarray(0, np.int32), creation.asarray(False),
                    creation.asarray(False), creation.asarray(False), zero, f0, dphi0, start,
                    zero, f0, dphi0, zero, f0, zero, f0, g0)

    def cond(s: _Search) -> Any:
        return ufuncs.logical_not(s.done | s.failed) & (s.i < 3 * maxiter)

    def body(s: _Search) -> _Search:
        a = _where(s.zooming, _interpolate(s), s.a_next)
        phi, g = value_and_grad_fn(x + a * p)
        dphi = products.dot(g, p)
        armijo_fails = phi > f0 + _C1 * a * dphi0
        curved = ufuncs.abs(dphi) <= -_C2 * dphi0
        bracketing = ufuncs.logical_not(s.zooming)
        # bracketing: the minimum lies in (prev, a), in (a, prev), or beyond a
        above = bracketing & (armijo_fails | ((s.i > 0) & (phi >= s.phi_prev)))
        found = ufuncs.logical_not(above) & curved
        rising = bracketing & ufuncs.logical_not(above | found) & (dphi >= 0)
        grow = bracketing & ufuncs.logical_not(above | found | rising)
        # zooming: a replaces the high end, is the answer, or replaces the low end
        z_high = s.zooming & (armijo_fails | (phi >= s.phi_lo))
        z_found = s.zooming & ufuncs.logical_not(z_high) & curved
        z_low = s.zooming & ufuncs.logical_not(z_high | z_found)
        z_flip = z_low & (dphi * (s.a_hi - s.a_lo) >= 0)
        found = (bracketing & found) | z_found
        new_lo = rising | z_low
        a_lo = _where(above, s.a_prev, _where(new_lo, a, s.a_lo))
        phi_lo = _where(above, s.phi_prev, _where(new_lo, phi, s.phi_lo))
        dphi_lo = _where(above, s.dphi_prev, _where(new_lo, dphi, s.dphi_lo))
        a_hi = _where(above | z_high, a, _where(rising, s.a_prev, _where(z_flip, s.a_lo, s.a_hi)))
        phi_hi = _where(above | z_high, phi,
                        _where(rising, s.phi_prev, _where(z_flip, s.phi_lo, s.phi_hi)))
        zooming = s.zooming | above | rising
        collapsed = zooming & (ufuncs.abs(a_hi - a_lo) <= _collapse_width(dphi0))
        too_long = bracketing & grow & (s.i + 1 >= maxiter)
        return _Search(s.i + 1, found, ufuncs.logical_not(found) & (collapsed | too_long),
                       zooming, _where(grow, a, s.a_prev), _where(grow, phi, s.phi_prev),
                       _where(grow, dphi, s.dphi_prev), _where(grow, 2 * a, s.a_next),
                       a_lo, phi_lo, dphi_lo, a_hi, phi_hi, _where(found, a, s.a_star),
                       _where(found, phi, s.phi_star), _where(found, g, s.g_star))

    s = while_loop(cond, body, state)
    return s.a_star, s.phi_star, s.g_star, s.i, ufuncs.logical_not(s.done)


def _collapse_width(x: Any) -> float:
    """How narrow a bracket may get before the search gives up (JAX's thresholds)."""
    return 1e-5 if np.dtype(aval_of(x).dtype).itemsize < 8 else 1e-10


class _Bfgs(NamedTuple):
    converged: Any
    failed: Any
    k: Any
    nfev: Any
    ngev: Any
    x_k: Any
    f_k: Any
    g_k: Any
    H_k: Any  # noqa: N815 - the usual name of the inverse Hessian estimate
    old_old_fval: Any


def _bfgs(fun: Callable, x0: Any, maxiter: int | None = None, norm: Any = np.inf,
          gtol: float = 1e-5, line_search_maxiter: int = 10) -> OptimizeResults:
    x0 = creation.asarray(x0)
    if not dtypes.is_inexact(x0.dtype):
        x0 = x0.astype(dtypes.to_inexact(x0.dtype))
    if x0.ndim != 1:
        raise ValueError(f"minimize: x0 must be a vector (1-d), got shape {x0.shape}")
    maxiter = 200 * x0.size if maxiter is None else int(maxiter)
    value_and_grad_fn = value_and_grad(fun)
    f0, g0 = value_and_grad_fn(x0)
    one = creation.asarray(1, np.int32)
    state = _Bfgs(linalg.norm(g0, ord=norm) < gtol, creation.asarray(False),
                  creation.asarray(0, np.int32), one, one, x0, f0, g0,
                  creation.eye(x0.size, dtype=x0.dtype), f0 + linalg.norm(g0) / 2)

    def cond(s: _Bfgs) -> Any:
        return ufuncs.logical_not(s.converged | s.failed) & (s.k < maxiter)

    def body(s: _Bfgs) -> _Bfgs:
        p = -products.matmul(s.H_k, s.g_k)
        a, f1, g1, evaluations, failed = _line_search(value_and_grad_fn, s.x_k, p, s.f_k, s.g_k,
                                                      s.old_old_fval, line_search_maxiter)
        step = _where(failed, creation.zeros_like(p), a * p)
        f1, g1 = _where(failed, s.f_k, f1), _where(failed, s.g_k, g1)
        y = g1 - s.g_k
        ys = products.dot(y, step)
        rho = 1 / _where(ys == 0, creation.ones_like(ys), ys)
        w = creation.eye(x0.size, dtype=x0.dtype) - rho * products.outer(step, y)
        h = products.matmul(products.matmul(w, s.H_k), w.T) + rho * products.outer(step, step)
        h = _where((ys != 0) & ufuncs.isfinite(rho), h, s.H_k)
        return _Bfgs(linalg.norm(g1, ord=norm) < gtol, failed, s.k + 1, s.nfev + evaluations,
                     s.ngev + evaluations, s.x_k + step, f1, g1, h, s.f_k)

    s = while_loop(cond, body, state)
    status = _where(s.converged, 0, _where(s.k == maxiter, 1, _where(s.failed, 3, -1)))
    return OptimizeResults(x=s.x_k, success=s.converged & ufuncs.logical_not(s.failed),
                           status=status.astype(np.int32), fun=s.f_k, jac=s.g_k,
                           hess_inv=s.H_k, nfev=s.nfev, njev=s.ngev, nit=s.k)
