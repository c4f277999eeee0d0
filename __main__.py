"""Command line: ``python -m jaxlite demo`` runs the guided tour; ``python -m jaxlite run
SCRIPT.py [args]`` runs a program written for JAX with ``jax`` served by jaxlite."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console

from .demo import run_demo
from .run_hook import run_script


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jaxlite",
                                     description="jaxlite: JAX-style transformations on NumPy")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="a guided tour: results and the IR of every stage")
    demo.add_argument("--no-color", action="store_true", help="plain text output")
    run = commands.add_parser("run", help="run a JAX program unmodified, with jax served by "
                                          "jaxlite")
    run.add_argument("script", help="the Python file to run as __main__")
    run.add_argument("args", nargs=argparse.REMAINDER, help="the script's own arguments")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run_script(args.script, args.args)
    if args.command == "demo":
        console = Console(no_color=args.no_color, highlight=False)
        if not console.is_terminal:
            console = Console(no_color=args.no_color, highlight=False, width=110)
        run_demo(console)
    return 0


if __name__ == "__main__":
    sys.exit(main())
