"""Programs written for JAX (``tests/data/jax_programs``: a classifier from scratch and one
built with stax and optimizers, a VAE, ADVI, differentially private SGD, GP regression)
run unmodified through ``python -m jaxlite run`` and print what JAX printed for them
(recorded by ``tests/data/make_jax_programs.py``), to float32 training-loop accuracy."""

import json
import math
import pathlib
import subprocess
import sys

import pytest

DATA = pathlib.Path(__file__).parent / "data"
EXPECTED = json.loads((DATA / "jax_programs.json").read_text())


def _same(ours: str, jax_s: str) -> bool:
    try:
        a, b = float(ours), float(jax_s)
    except ValueError:
        return ours == jax_s
    return math.isclose(a, b, rel_tol=2e-3, abs_tol=2e-3)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_program_prints_what_jax_printed(name):
    script = DATA / "jax_programs" / f"{name}.py"
    run = subprocess.run([sys.executable, "-m", "jaxlite", "run", str(script)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    ours, theirs = run.stdout.split(), EXPECTED[name].split()
    assert len(ours) == len(theirs) and all(map(_same, ours, theirs)), (
        f"jaxlite printed:\n{run.stdout}\nJAX printed:\n{EXPECTED[name]}")
