"""``typecheck(jaxpr)``: reject malformed IR with a message naming the equation.

Checks that every variable is defined exactly once before it is used, that each
equation's params are an immutable ``Params`` whose values all hash (so that equations
can key caches and be compared by CSE), that each equation's output avals are those
its primitive's shape rule gives for its input avals (a higher-order primitive's
``typecheck`` rule recurses into its sub-jaxprs), and that literals are scalars whose
value matches their aval.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .avals import ShapedArray
from .errors import ShapeError, TypecheckError
from .ir import ClosedJaxpr, Eqn, Jaxpr, Literal, Var
from .params import Params
from .pretty import JaxprPrinter, lines_to_text


def _describe(eqn: Eqn, printer: JaxprPrinter) -> str:
    return lines_to_text(printer.eqn_lines(eqn, 2, set(eqn.outputs))) + f"\n  from {eqn.source_info}"


def _fail(message: str, jaxpr: Jaxpr, eqn: Eqn | None = None) -> TypecheckError:
    printer = JaxprPrinter()  # one printer, jaxpr first, so the equation uses the same names
    text = lines_to_text(printer.jaxpr_lines(jaxpr))
    context = "" if eqn is None else f" in equation\n{_describe(eqn, printer)}"
    return TypecheckError(f"typecheck failed: {message}{context}\nof the jaxpr\n{text}")


def _check_atom(atom: object, defined: set, jaxpr: Jaxpr, eqn: Eqn | None) -> None:
    if isinstance(atom, Literal):
        if np.shape(atom.value) != () or atom.aval.shape != ():
            raise _fail(f"literal {atom} is not a scalar", jaxpr, eqn)
        if np.asarray(atom.value).dtype != atom.aval.dtype:
            raise _fail(f"literal {atom} holds a {np.asarray(atom.value).dtype} value", jaxpr, eqn)
    elif not isinstance(atom, Var):
        raise _fail(f"{atom!r} is neither a Var nor a Literal", jaxpr, eqn)
    elif atom not in defined:
        raise _fail(f"variable {atom!r} is used before it is defined", jaxpr, eqn)


def _define(var: Var, defined: set, jaxpr: Jaxpr, eqn: Eqn | None) -> None:
    if not isinstance(var, Var):
        raise _fail(f"binder {var!r} is not a Var", jaxpr, eqn)
    if var in defined:
        raise _fail(f"variable {var!r} is defined twice", jaxpr, eqn)
    defined.add(var)


def _check_params(eqn: Eqn, jaxpr: Jaxpr) -> None:
    if type(eqn.params) is not Params:
        raise _fail(f"the params are a {type(eqn.params).__name__}, not an immutable Params",
                    jaxpr, eqn)
    for key, value in eqn.params.items():
        try:
            hash(value)
        except TypeError as err:
            raise _fail(f"param {key}={value!r} of {eqn.primitive} is not hashable ({err}); "
                        "params must be hashable: tuples, not lists; Python scalars or dtypes, "
                        "not arrays", jaxpr, eqn) from None


def _same_type(a, b) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype


def check_avals(what: str, got: Sequence[ShapedArray], want: Sequence[ShapedArray]) -> None:
    """A ShapeError unless ``got`` and ``want`` agree in shape and dtype, one by one: for the
    typecheck rules of higher-order primitives (operands against their jaxprs' inputs)."""
    if len(got) != len(want):
        raise ShapeError(f"{what}: {len(got)} values where {len(want)} are expected")
    for i, (a, b) in enumerate(zip(got, want)):
        if not _same_type(a, b):
            raise ShapeError(f"{what}: value {i} has type {a.str_short()}, expected "
                             f"{b.str_short()}")


def typecheck(jaxpr: Jaxpr | ClosedJaxpr) -> None:
    """Raise ``TypecheckError`` if ``jaxpr`` is not a well-formed, well-typed program."""
    if isinstance(jaxpr, ClosedJaxpr):
        if len(jaxpr.consts) != len(jaxpr.jaxpr.constvars):
            raise _fail("the number of consts differs from the number of constvars", jaxpr.jaxpr)
        jaxpr = jaxpr.jaxpr
    defined: set = set()
    for var in (*jaxpr.constvars, *jaxpr.invars):
        _define(var, defined, jaxpr, None)
    for eqn in jaxpr.eqns:
        _check_params(eqn, jaxpr)
        for atom in eqn.inputs:
            _check_atom(atom, defined, jaxpr, eqn)
        in_avals = [atom.aval for atom in eqn.inputs]
        rule = eqn.primitive.typecheck
        try:
            out_avals = rule(*in_avals, **eqn.params)
        except ShapeError as err:
            raise _fail(f"the shape rule rejects the inputs: {err}", jaxpr, eqn) from None
        if len(out_avals) != len(eqn.outputs):
            raise _fail(f"{len(eqn.outputs)} outputs but the shape rule gives {len(out_avals)}",
                        jaxpr, eqn)
        for var, aval in zip(eqn.outputs, out_avals):
            if not _same_type(var.aval, aval):
                raise _fail(f"output {var!r} has aval {var.aval} but the shape rule gives {aval}",
                            jaxpr, eqn)
            _define(var, defined, jaxpr, eqn)
    for atom in jaxpr.outvars:
        _check_atom(atom, defined, jaxpr, None)
