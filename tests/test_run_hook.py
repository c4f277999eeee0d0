"""``python -m jaxlite run SCRIPT.py [args]``: programs written for JAX, run unmodified."""

import json
import pathlib
import subprocess
import sys
import textwrap

PROGRAM = """
import sys
import jax
import jax.numpy as jnp
import jax.numpy.linalg
from jax import grad, jit, lax, random, vmap
from jax.tree_util import tree_map
import jax.tree_util as tu

print(__name__, sys.argv[1:])
x = jnp.arange(4.0)
print(jnp.sum(x), grad(lambda v: jnp.sum(v ** 2))(x))
print(jit(vmap(lambda v: v * 2))(x))
print(jax.tree.leaves(tree_map(lambda v: v + 1, {"b": 1, "a": (2, None)})))
print(tu.keystr(tu.tree_leaves_with_path({"a": [0]})[0][0]))
print(float(random.uniform(random.PRNGKey(0))) < 1.0, jax.numpy.linalg.norm(jnp.ones(4)))
print(jax.numpy is jnp, isinstance(x, jax.Array), jax.devices()[0].platform)
jax.config.update("jax_enable_x64", False)
print(lax.fori_loop(0, 3, lambda i, c: c + i, 0))
"""


def run(tmp_path, source, *args):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(source))
    return subprocess.run([sys.executable, "-m", "jaxlite", "run", str(script), *args],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_a_jax_program_runs_unmodified(tmp_path):
    out = run(tmp_path, PROGRAM, "first", "--flag")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "__main__ ['first', '--flag']",
        "6.0 [0. 2. 4. 6.]",
        "[0. 2. 4. 6.]",
        "[3, 2]",  # leaves of {"a": (3, None), "b": 2}
        "['a'][0]",
        "True 2.0",
        "True True cpu",
        "3",
    ]


def test_missing_names_say_jaxlite_does_not_provide_them(tmp_path):
    source = """
    import jax
    try:
        jax.numpy.not_a_function
    except AttributeError as e:
        print("AttributeError:", e)
    try:
        import jax.experimental.does_not_exist
    except ImportError as e:
        print("ImportError:", e)
    from jax.numpy import frobnicate
    """
    out = run(tmp_path, source)
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[0].startswith("AttributeError: module 'jax.numpy' has no attribute "
                               "'not_a_function': jaxlite does not provide the JAX API "
                               "jax.numpy.not_a_function")
    assert lines[1].startswith("ImportError: No module named 'jax.experimental': jaxlite does "
                               "not provide the JAX module jax.experimental")
    assert "cannot import name 'frobnicate' from 'jax.numpy'" in out.stderr
    assert "jaxlite serves jax.numpy but does not provide this name" in out.stderr
    assert 'File "' + str(tmp_path / "prog.py") in out.stderr
    assert "runpy" not in out.stderr  # the traceback starts at the script


def test_exit_status_and_exceptions_pass_through(tmp_path):
    out = run(tmp_path, "import sys\nimport jax\nsys.exit(3)\n")
    assert out.returncode == 3
    out = run(tmp_path, "import jax.numpy as jnp\nraise ValueError('boom')\n")
    assert out.returncode == 1 and "ValueError: boom" in out.stderr


def test_a_jax_example_program_prints_what_jax_prints():
    """dp_sgd.py (optimizers, grad, vmap, jit, random, tree_util) unmodified: the same metrics
    as JAX printed (tests/data/jax_programs.json)."""
    data = pathlib.Path(__file__).parent / "data"
    expected = json.loads((data / "jax_programs.json").read_text())["dp_sgd"]
    out = subprocess.run([sys.executable, "-m", "jaxlite", "run",
                          str(data / "jax_programs" / "dp_sgd.py")],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout == expected
