"""The printed form of a jaxpr, laid out as JAX lays it out.

``{ lambda consts ; invars. let eqns in (outvars,) }`` on one line when it fits in 80
columns, otherwise one equation per line; params of an equation go on lines of their
own when the equation does not fit. Variables are named ``a``, ``b``, ... ``z``, ``ba``
in order of definition; an unused output prints as ``_``.

The printer builds lines of styled segments; ``jaxpr_to_text`` joins them, and the
rich renderer (``interpreters.pretty_print``) colours them and adds source lines.
"""

from __future__ import annotations

import enum
from typing import Any, Iterable

import numpy as np

from . import ir
from .ir import ClosedJaxpr, Eqn, Jaxpr, Literal, Var

WIDTH = 80
Segment = tuple[str, str]  # (text, style)


class Line:
    """One printed line: an indent, styled segments, and the equation it shows (if any)."""

    __slots__ = ("indent", "segments", "eqn")

    def __init__(self, indent: int, segments: list[Segment], eqn: Eqn | None = None):
        self.indent = indent
        self.segments = segments
        self.eqn = eqn

    @property
    def text(self) -> str:
        return " " * self.indent + "".join(text for text, _ in self.segments)


def _alphabetic(n: int) -> str:
    digits = []
    while True:
        n, digit = divmod(n, 26)
        digits.append(chr(ord("a") + digit))
        if n == 0:
            return "".join(reversed(digits))


SAME_NAMES = {"jit": "jaxpr"}
"""Call primitives whose sub-jaxpr (the param named here) prints with the names of the
equation's own inputs and outputs, as JAX prints them."""


class JaxprPrinter:
    """Names variables and lays out jaxprs; one instance prints one top-level jaxpr."""

    def __init__(self) -> None:
        self.names: dict[Var, str] = {}
        self.fresh = 0  # how many names have been made

    def name(self, var: Var) -> str:
        if var not in self.names:
            self.names[var] = _alphabetic(self.fresh)
            self.fresh += 1
        return self.names[var]

    def atom(self, atom: Any) -> list[Segment]:
        if isinstance(atom, Literal):
            text = format_literal(atom.value, atom.aval.weak_type)
            return [(text, "literal"), (":" + atom.aval.str_short(), "type")]
        return [(self.name(atom), "var")]

    def binder(self, var: Var, used: set | None = None) -> list[Segment]:
        name = "_" if used is not None and var not in used else self.name(var)
        return [(name, "var"), (":" + var.aval.str_short(), "type")]

    def param_value(self, key: str, value: Any, indent: int) -> list[Line] | str:
        if isinstance(value, ClosedJaxpr):
            value = value.jaxpr
        if isinstance(value, Jaxpr):  # (laid out counting the "key=" before it)
            return self.jaxpr_lines(value, indent, top=False, prefix=len(key) + 1)
        if _is_jaxpr_tuple(value):
            return self.jaxprs_lines(value, indent, prefix=len(key) + 1)
        return format_param(value)

    def jaxprs_lines(self, jaxprs: tuple, indent: int, prefix: int) -> list[Line]:
        """A tuple of jaxprs (the branches of a ``cond``) as JAX prints it: ``(j1 j2)`` on one
        line if that fits, else ``(``, each jaxpr on lines of its own, and ``)``."""
        body = [self.jaxpr_lines(j.jaxpr if isinstance(j, ClosedJaxpr) else j, indent + 2,
                                 top=False) for j in jaxprs]
        if all(len(lines) == 1 for lines in body):
            flat: list[Segment] = [("(", "")]
            for i, lines in enumerate(body):
                flat += ([(" ", "")] if i else []) + lines[0].segments
            line = Line(indent, flat + [(")", "")])
            if len(line.text) + prefix <= WIDTH:
                return [line]
        return [Line(indent, [("(", "")]), *[line for lines in body for line in lines],
                Line(indent, [(")", "")])]

    def suggest_same_names(self, inner: Iterable[Any], outer: Iterable[Any],
                           used: set | None) -> None:
        """Name the variables ``inner`` of a sub-jaxpr as the ``outer`` atoms they stand for
        (an unused outer output as ``_``), each outer variable once, unless already named."""
        taken = set()
        for var, like in zip(inner, outer):
            if isinstance(var, Var) and isinstance(like, Var) and like not in taken \
                    and var not in self.names:
                taken.add(like)
                self.names[var] = self.name(like) if used is None or like in used else "_"

    def eqn_lines(self, eqn: Eqn, indent: int, used: set | None) -> list[Line]:
        sub = SAME_NAMES.get(eqn.primitive.name)
        if sub is not None and sub in eqn.params:  # as JAX prints a jit's jaxpr
            inner = eqn.params[sub].jaxpr
            if len(inner.invars) == len(eqn.inputs) and len(inner.outvars) == len(eqn.outputs):
                self.suggest_same_names(inner.invars, eqn.inputs, used)
                self.suggest_same_names(inner.outvars, eqn.outputs, used)
        lhs: list[Segment] = []
        for i, var in enumerate(eqn.outputs):
            lhs += ([(" ", "")] if i else []) + self.binder(var, used)
        if eqn.outputs:  # (JAX prints an equation without outputs as its right-hand side)
            lhs.append((" = ", ""))
        args: list[Segment] = []
        for atom in eqn.inputs:
            args += [(" ", "")] + self.atom(atom)
        # as JAX prints them: a call's name first, then the params in alphabetical order
        ordered = sorted(eqn.params.items(), key=lambda item: (item[0] != "name", item[0]))
        view = PARAM_VIEWS.get(eqn.primitive.name)
        if view is not None:
            ordered = view(ordered)
        params = {k: self.param_value(k, v, indent + 2) for k, v in ordered}
        flat_params = all(isinstance(v, str) or _is_one_line(v) for v in params.values())
        if flat_params:
            texts = [f"{k}={v if isinstance(v, str) else v[0].text.strip()}" for k, v in params.items()]
            head = [(eqn.primitive.name, "prim")]
            if texts:
                head.append(("[" + " ".join(texts) + "]", "param"))
            line = Line(indent, lhs + head + args, eqn)
            # as in JAX, the params stay on one line if they fit up to their closing "]"
            if len(Line(indent, lhs + head).text) <= WIDTH or not params:
                return [line]
        lines = [Line(indent, lhs + [(eqn.primitive.name, "prim"), ("[", "param")], eqn)]
        for key, value in params.items():
            if isinstance(value, str):
                lines.append(Line(indent + 2, [(f"{key}={value}", "param")]))
            else:
                first = value[0]
                first.segments = [(f"{key}=", "param")] + first.segments
                first.indent = indent + 2
                lines += value
        lines.append(Line(indent, [("]", "param")] + args))
        return lines

    def jaxpr_lines(self, jaxpr: Jaxpr, indent: int = 0, top: bool = True,
                    prefix: int = 0) -> list[Line]:
        """The lines of ``jaxpr``; one line if it fits in the width after ``prefix``
        columns. As JAX prints them, unused outputs show as ``_`` only in the top-level
        jaxpr (and where a call's ``_`` output names its sub-jaxpr's)."""
        used = _used_vars(jaxpr) if top else None
        binders: list[Segment] = [("{ ", ""), ("lambda ", "keyword")]
        for var in jaxpr.constvars:
            binders += self.binder(var) + [(" ", "")]
        binders = binders[:-1] if jaxpr.constvars else binders
        binders.append(("; ", ""))
        for i, var in enumerate(jaxpr.invars):
            binders += ([(" ", "")] if i else []) + self.binder(var)
        binders += [(". ", ""), ("let", "keyword")]
        body = [self.eqn_lines(eqn, indent + 4, used) for eqn in jaxpr.eqns]
        outs: list[Segment] = [("in ", "keyword"), ("(", "")]
        for i, atom in enumerate(jaxpr.outvars):
            outs += ([(", ", "")] if i else []) + self.atom(atom)
        outs += [("," if len(jaxpr.outvars) == 1 else "", ""), (") }", "")]
        if all(len(b) == 1 for b in body):
            flat: list[Segment] = list(binders) + [(" ", "")]
            for i, lines in enumerate(body):
                flat += ([("; ", "")] if i else []) + lines[0].segments
            flat += [(" ", "")] + outs
            line = Line(indent, flat, jaxpr.eqns[0] if len(jaxpr.eqns) == 1 else None)
            if len(line.text) + prefix <= WIDTH:
                return [line]
        return (
            _wrap_binders(binders, indent)
            + [line for lines in body for line in lines]
            + [Line(indent + 2, outs)]
        )


def _dot_general_params(items: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """dot_general's params as JAX prints them: axis groups as lists, None values left out."""
    shown = []
    for key, value in items:
        if key == "dimension_numbers":
            (lc, rc), (lb, rb) = value
            value = f"(({list(lc)}, {list(rc)}), ({list(lb)}, {list(rb)}))"
        if value is not None:
            shown.append((key, value))
    return shown


PARAM_VIEWS = {"dot_general": _dot_general_params}
"""Primitives whose params print in a form of their own (as JAX prints them)."""


def _is_jaxpr_tuple(value: Any) -> bool:
    return (type(value) is tuple and len(value) > 0
            and all(isinstance(v, (Jaxpr, ClosedJaxpr)) for v in value))


def _is_one_line(lines: list[Line]) -> bool:
    return len(lines) == 1


def _wrap_binders(segments: list[Segment], indent: int) -> list[Line]:
    """Break the ``{ lambda ... . let`` header between binders once a line reaches the width.

    As JAX does: a binder that starts before the last column stays on its line.
    """
    lines = [Line(indent, [])]
    for text, style in segments:
        current = lines[-1]
        if text == " " and len(current.text) >= WIDTH:
            lines.append(Line(indent + 4, []))
            continue
        current.segments.append((text, style))
    return lines


def _used_vars(jaxpr: Jaxpr) -> set:
    used = {atom for eqn in jaxpr.eqns for atom in eqn.inputs if isinstance(atom, Var)}
    used.update(atom for atom in jaxpr.outvars if isinstance(atom, Var))
    return used


def format_literal(value: Any, weak_type: bool = False) -> str:
    """A literal's value as JAX prints it: a weakly typed float (a Python scalar in the
    user's code) by its shortest repr (``0.1``), a strongly typed one exactly
    (``0.10000000149011612``)."""
    value = np.asarray(value)
    if value.dtype.kind == "f":
        if weak_type:
            return repr(float(np.format_float_positional(value[()], unique=True, trim="0")))
        return repr(float(value))
    if value.dtype.kind == "c":
        return repr(complex(value))
    return repr(value.item())


def format_param(value: Any) -> str:
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, type) and issubclass(value, np.generic):
        return np.dtype(value).name
    if callable(value) and hasattr(value, "__name__"):
        return value.__name__
    if isinstance(value, enum.IntEnum):
        return str(int(value))  # (FftType.RFFT prints as 2, as in JAX)
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"  # (Precision.HIGH)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple, fields named
        return repr(value)
    if isinstance(value, tuple):
        inner = ", ".join(format_param(v) for v in value)
        return f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, list):
        return "[" + ", ".join(format_param(v) for v in value) + "]"
    return str(value)


def jaxpr_to_lines(jaxpr: Jaxpr | ClosedJaxpr) -> list[Line]:
    if isinstance(jaxpr, ClosedJaxpr):
        jaxpr = jaxpr.jaxpr
    return JaxprPrinter().jaxpr_lines(jaxpr)


def lines_to_text(lines: Iterable[Line]) -> str:
    return "\n".join(line.text for line in lines)


def jaxpr_to_text(jaxpr: Jaxpr | ClosedJaxpr) -> str:
    """The JAX-style text of a jaxpr."""
    return lines_to_text(jaxpr_to_lines(jaxpr))


ir._printer["jaxpr"] = jaxpr_to_text
