"""Renderings of a jaxpr for people: coloured text with source lines (rich), and DOT.

The text layout is the IR's own (``core.pretty``); this module only styles it and adds,
per equation, the user's file:line that produced it.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from ..core.ir import ClosedJaxpr, Jaxpr, Literal
from ..core.pretty import JaxprPrinter, Line, format_literal, format_param, jaxpr_to_lines

STYLES = {
    "var": "cyan",
    "type": "dim",
    "prim": "bold magenta",
    "param": "yellow",
    "literal": "green",
    "keyword": "bold blue",
    "": "",
}


def _width(lines: list[Line]) -> int:
    return max((len(line.text) for line in lines), default=0)


def render_jaxpr(jaxpr: Jaxpr | ClosedJaxpr, show_source: bool = True) -> Text:
    """The jaxpr as rich ``Text``: JAX's layout, coloured, with each equation's source line."""
    lines = jaxpr_to_lines(jaxpr)
    column = min(_width(lines), 78) + 2
    text = Text()
    for i, line in enumerate(lines):
        text.append(" " * line.indent)
        for segment, style in line.segments:
            text.append(segment, style=STYLES.get(style, ""))
        if show_source and line.eqn is not None and line.eqn.source_info.line:
            pad = max(column - len(line.text), 2)
            text.append(" " * pad + f"# {line.eqn.source_info}", style="dim italic")
        if i < len(lines) - 1:
            text.append("\n")
    return text


def print_jaxpr(jaxpr: Jaxpr | ClosedJaxpr, show_source: bool = True,
                console: Console | None = None) -> None:
    """Print the coloured rendering to the terminal."""
    (console or Console()).print(render_jaxpr(jaxpr, show_source), soft_wrap=True)


def jaxpr_to_dot(jaxpr: Jaxpr | ClosedJaxpr, name: str = "jaxpr") -> str:
    """The dataflow graph of a jaxpr in Graphviz DOT: a node per variable and per equation."""
    if isinstance(jaxpr, ClosedJaxpr):
        jaxpr = jaxpr.jaxpr
    printer = JaxprPrinter()
    out = [f"digraph {name} {{", "  rankdir=TB;", '  node [fontname="monospace"];']

    def var_node(v: Any, shape: str = "ellipse") -> str:
        label = f"{printer.name(v)}:{v.aval.str_short()}"
        return f'  "{printer.name(v)}" [label="{label}" shape={shape}];'

    for v in jaxpr.constvars:
        out.append(var_node(v, "box"))
    for v in jaxpr.invars:
        out.append(var_node(v, "invhouse"))
    for k, eqn in enumerate(jaxpr.eqns):
        params = " ".join(f"{key}={format_param(val)}" for key, val in sorted(eqn.params.items())
                          if not isinstance(val, (Jaxpr, ClosedJaxpr)))
        label = eqn.primitive.name + (f"\\n{params}" if params else "")
        out.append(f'  "eqn{k}" [label="{label}" shape=box style=rounded];')
        for atom in eqn.inputs:
            if isinstance(atom, Literal):
                out.append(f'  "lit{k}_{id(atom)}" [label="{format_literal(atom.value)}" '
                           'shape=plaintext];')
                out.append(f'  "lit{k}_{id(atom)}" -> "eqn{k}";')
            else:
                out.append(f'  "{printer.name(atom)}" -> "eqn{k}";')
        for v in eqn.outputs:
            out.append(var_node(v))
            out.append(f'  "eqn{k}" -> "{printer.name(v)}";')
    for i, atom in enumerate(jaxpr.outvars):
        out.append(f'  "out{i}" [label="out {i}" shape=house];')
        source = f"lit_out{i}" if isinstance(atom, Literal) else printer.name(atom)
        if isinstance(atom, Literal):
            out.append(f'  "{source}" [label="{format_literal(atom.value)}" shape=plaintext];')
        out.append(f'  "{source}" -> "out{i}";')
    out.append("}")
    return "\n".join(out)
