"""Command line: ``python -m jaxlite demo`` runs the guided tour."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console

from .demo import run_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jaxlite",
                                     description="jaxlite: JAX-style transformations on NumPy")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="a guided tour: results and the IR of every stage")
    demo.add_argument("--no-color", action="store_true", help="plain text output")
    args = parser.parse_args(argv)
    if args.command == "demo":
        console = Console(no_color=args.no_color, highlight=False)
        if not console.is_terminal:
            console = Console(no_color=args.no_color, highlight=False, width=110)
        run_demo(console)
    return 0


if __name__ == "__main__":
    sys.exit(main())
