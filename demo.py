"""``python -m jaxlite demo``: a guided tour of what jaxlite does, with every IR printed.

Each example prints its result and the jaxprs of the pipeline that produced it:
the traced program, its JVP, the primal (known) part, the linear part, and the
transposed linear part that computes the gradient.
"""

from __future__ import annotations

from typing import Any, Callable

from rich.console import Console
from rich.panel import Panel
from rich.rule import Rule

from . import grad, make_jaxpr, value_and_grad, vmap
from . import numpy_api as jnp
from .interpreters.pretty_print import render_jaxpr
from .interpreters.stages import autodiff_stages

STAGE_TITLES = {
    "traced": "traced: f as a jaxpr",
    "jvp": "jvp: primals and tangents together",
    "known": "known: the primal part (runs forward, saves residuals)",
    "linear": "linear: the tangent part, linear in the tangents",
    "transposed": "transposed: the linear part run backwards (this computes the gradient)",
}


def show_stages(console: Console, fun: Callable, *args: Any) -> None:
    for name, jaxpr in autodiff_stages(fun)(*args).items():
        console.print(Panel(render_jaxpr(jaxpr), title=STAGE_TITLES[name], title_align="left",
                            expand=False))


def polynomial(x):
    return x**2 + 3 * x + 5


def sum_of_squares(x):
    return jnp.sum(x**2)


def predict(w, X):  # noqa: N803 - the usual name for a design matrix
    return jnp.dot(X, w)


def loss(w, X, y):  # noqa: N803
    return jnp.mean((predict(w, X) - y) ** 2)


def example_polynomial(console: Console) -> None:
    console.print(Rule("1. f(x) = x**2 + 3*x + 5"))
    console.print(f"grad(f)(2.0)       = {grad(polynomial)(2.0)}")
    console.print(f"grad(grad(f))(2.0) = {grad(grad(polynomial))(2.0)}")
    show_stages(console, polynomial, 2.0)


def example_sum_of_squares(console: Console) -> None:
    console.print(Rule("2. g(x) = jnp.sum(x**2)"))
    x = jnp.array([1.0, 2.0, 3.0])
    console.print(f"grad(g)({x}) = {grad(sum_of_squares)(x)}")
    show_stages(console, sum_of_squares, x)


def example_linear_regression(console: Console) -> None:
    console.print(Rule("3. linear regression: loss(w) = mean((X @ w - y)**2)"))
    X = jnp.array([[1.0, 2.0], [3.0, 4.0]])  # noqa: N806
    y = jnp.array([5.0, 6.0])
    w = jnp.array([0.1, 0.2])
    console.print(f"grad(loss)(w, X, y) = {grad(loss)(w, X, y)}")
    show_stages(console, lambda w: loss(w, X, y), w)
    console.print("gradient descent, learning rate 0.02:")
    for step in range(6):
        value, g = value_and_grad(loss)(w, X, y)
        console.print(f"  step {step}: loss = {float(value):9.4f}   w = {w}")
        w = w - 0.02 * g


def example_per_example_gradients(console: Console) -> None:
    console.print(Rule("4. vmap: per-example gradients of the regression loss"))
    X = jnp.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])  # noqa: N806
    y = jnp.array([5.0, 6.0, 7.0])
    w = jnp.array([0.1, 0.2])
    per_example = vmap(grad(loss), in_axes=(None, 0, 0))
    console.print(f"vmap(grad(loss), in_axes=(None, 0, 0))(w, X, y) =\n{per_example(w, X, y)}")
    console.print(Panel(render_jaxpr(make_jaxpr(per_example)(w, X, y)),
                        title="the batched gradient program", title_align="left", expand=False))


def run_demo(console: Console | None = None) -> None:
    """Run every example of the tour."""
    console = console or Console()
    console.print("[bold]jaxlite[/bold]: JAX-style transformations in pure Python on NumPy\n")
    for example in (example_polynomial, example_sum_of_squares, example_linear_regression,
                    example_per_example_gradients):
        example(console)
        console.print()
