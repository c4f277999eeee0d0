"""``python -m jaxlite demo``: the tour prints JAX's values and every stage of the pipeline.

Expected numbers are what JAX 0.10 prints for the same code.
"""

import re
import subprocess
import sys

import numpy as np
import pytest
from rich.console import Console

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import demo

TUTORIAL_LINES = [
    "grad(f)(2.0)       = 7.0",
    "grad(grad(f))(2.0) = 2.0",
    "grad(g)([1. 2. 3.]) = [2. 4. 6.]",
    "grad(loss)(w, X, y) = [-19.2 -28.6]",
]
LOSSES = [22.1300, 5.4822, 2.7726, 2.3232, 2.2403, 2.2169]  # JAX, 4 decimals
PER_EXAMPLE = [[-9.0, -18.0], [-29.4, -39.2], [-53.0, -63.6]]


@pytest.fixture(scope="module")
def demo_text():
    jaxlite.config.update("jaxlite_check_jaxprs", True)  # module scope: set before the conftest
    console = Console(record=True, width=110, no_color=True)
    demo.run_demo(console)
    return console.export_text()


def printed_losses(text):
    return [float(v) for v in re.findall(r"step \d: loss = +([0-9.]+)", text)]


@pytest.mark.parametrize("line", TUTORIAL_LINES)
def test_demo_prints_tutorial_values(demo_text, line):
    assert line in demo_text


def test_demo_gradient_descent_decreases_the_loss(demo_text):
    losses = printed_losses(demo_text)
    assert losses == LOSSES
    assert all(a > b for a, b in zip(losses, losses[1:]))


def test_demo_prints_per_example_gradients(demo_text):
    assert "vmap(grad(loss), in_axes=(None, 0, 0))(w, X, y) =" in demo_text
    rows = ["[[ -9.       -18.      ]", " [-29.400002 -39.2     ]", " [-53.       -63.600002]]"]
    assert "\n".join(rows) in demo_text  # JAX prints these float32 values the same way
    assert "the batched gradient program" in demo_text


@pytest.mark.parametrize("stage", sorted(demo.STAGE_TITLES))
def test_demo_shows_every_stage_panel(demo_text, stage):
    # three examples (polynomial, sum of squares, regression) show the five stages
    assert demo_text.count(f"─ {demo.STAGE_TITLES[stage]} ─") == 3


def test_demo_stage_panels_show_the_ir(demo_text):
    assert "b:f32[] = integer_pow[y=2] a" in demo_text
    assert "add_any" in demo_text  # the transposed polynomial adds two cotangents
    assert "{ lambda" in demo_text and "in (" in demo_text


def test_cli_runs_the_demo(tmp_path):
    result = subprocess.run([sys.executable, "-m", "jaxlite", "demo", "--no-color"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    for line in TUTORIAL_LINES:
        assert line in result.stdout
    assert printed_losses(result.stdout) == LOSSES


# ------------------------------------------------------------------ the same values, directly

def polynomial(x):
    return x ** 2 + 3 * x + 5


def loss(w, X, y):  # noqa: N803
    return jnp.mean((jnp.dot(X, w) - y) ** 2)


def regression_data():
    X = jnp.array([[1.0, 2.0], [3.0, 4.0]])  # noqa: N806
    return jnp.array([0.1, 0.2]), X, jnp.array([5.0, 6.0])


def assert_array(x, expected, weak):
    assert isinstance(x, jaxlite.Array) and x.dtype == np.float32 and x.weak_type == weak
    np.testing.assert_allclose(np.asarray(x), expected, rtol=1e-6)


def test_tutorial_values_directly():
    assert_array(jaxlite.grad(polynomial)(2.0), 7.0, weak=True)
    assert_array(jaxlite.grad(jaxlite.grad(polynomial))(2.0), 2.0, weak=True)
    g = jaxlite.grad(lambda x: jnp.sum(x ** 2))(jnp.array([1.0, 2.0, 3.0]))
    assert_array(g, [2.0, 4.0, 6.0], weak=False)
    assert str(g) == "[2. 4. 6.]"
    g = jaxlite.grad(loss)(*regression_data())
    assert_array(g, [-19.2, -28.6], weak=False)
    assert str(g) == "[-19.2 -28.6]"


def test_gradient_descent_directly():
    w, X, y = regression_data()  # noqa: N806
    losses, weights = [], []
    for _ in range(6):
        value, g = jaxlite.value_and_grad(loss)(w, X, y)
        losses.append(float(value))
        weights.append(w)
        w = w - 0.02 * g
    np.testing.assert_allclose(losses, LOSSES, atol=5e-5)
    assert all(a > b for a, b in zip(losses, losses[1:]))
    assert_array(weights[-1], [0.69373506, 1.1772995], weak=False)  # as the demo prints at step 5


def test_per_example_gradients_directly():
    X, y = jnp.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), jnp.array([5.0, 6.0, 7.0])  # noqa: N806
    per_example = jaxlite.vmap(jaxlite.grad(loss), in_axes=(None, 0, 0))
    assert_array(per_example(jnp.array([0.1, 0.2]), X, y), PER_EXAMPLE, weak=False)
