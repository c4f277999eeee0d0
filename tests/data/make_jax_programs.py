"""Record what JAX prints for each program in ``jax_programs/`` (run with a Python that has
JAX installed): ``python tests/data/make_jax_programs.py`` rewrites ``jax_programs.json``,
which ``tests/test_jax_programs.py`` compares jaxlite's output with."""

import json
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).parent


def main() -> None:
    expected = {}
    for script in sorted((HERE / "jax_programs").glob("*.py")):
        out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                             check=True, env={"XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false",
                                              "PATH": ""})
        expected[script.stem] = out.stdout
    (HERE / "jax_programs.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
