"""The typed IR: variables, literals, equations and jaxprs.

A ``Jaxpr`` is a straight-line program in A-normal form::

    Jaxpr(constvars, invars, eqns, outvars)     Eqn(primitive, inputs, outputs, params, source_info)

Every ``Var`` is defined once (as a constvar, an invar or an equation output) before
it is used; ``Var`` compares by identity and gets its printed name (``a``, ``b``, ...)
only when printed. ``Literal`` holds a scalar constant inlined into an equation.
An equation's params are a ``Params``: immutable, and hashable when its values are (ints,
tuples, dtypes, jaxprs; ``typecheck`` checks), so equations can be compared and cached.
The data is never mutated: transformations build new jaxprs.
"""

from __future__ import annotations

import os
import sys
import types
from typing import TYPE_CHECKING, Any, Union

import attrs
import numpy as np

from .avals import ShapedArray
from .cache import bounded_cache, cache_put
from .params import NO_PARAMS, Params

if TYPE_CHECKING:
    from .primitive import Primitive


# Var, Literal and Eqn are built once per traced operation, so they are plain (not frozen)
# attrs classes, whose __init__ is several times cheaper; nothing ever assigns to them.


@attrs.define(slots=True, eq=False, repr=False)
class Var:
    """A variable of the IR; equal only to itself."""

    aval: ShapedArray

    def __repr__(self) -> str:
        return f"Var<{id(self) & 0xFFFF:04x}>:{self.aval.str_short()}"


@attrs.define(slots=True, eq=False, repr=False)
class Literal:
    """A scalar constant written inline in an equation, e.g. ``3.0:f32[]``."""

    value: np.generic
    aval: ShapedArray

    def __str__(self) -> str:
        return f"{self.value}:{self.aval.str_short()}"

    __repr__ = __str__


Atom = Union[Var, Literal]


class SourceInfo:
    """Where an equation came from in the user's program: file, line and function.

    Captured on every traced operation, so capture is cheap: the line number is worked
    out from the code object and bytecode offset only when someone asks for it.
    """

    __slots__ = ("file", "function", "_line", "_code", "_offset")

    def __init__(self, file: str, line: int, function: str) -> None:
        self.file, self._line, self.function = file, line, function
        self._code, self._offset = None, -1

    @classmethod
    def at(cls, code: types.CodeType, offset: int) -> SourceInfo:
        info = cls(code.co_filename, -1, code.co_name)
        info._code, info._offset = code, offset
        return info

    @property
    def line(self) -> int:
        if self._line < 0:
            self._line = next((line for start, end, line in self._code.co_lines()
                               if start <= self._offset < end and line is not None),
                              self._code.co_firstlineno)
        return self._line

    def __str__(self) -> str:
        return f"{os.path.basename(self.file)}:{self.line} ({self.function})"

    def __repr__(self) -> str:
        return f"SourceInfo({self})"


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
NO_SOURCE = SourceInfo("<unknown>", 0, "<unknown>")
"""The source of an equation whose origin was not recorded; interpreters keep the current one."""


def is_internal_file(filename: str) -> bool:
    """True for jaxlite's own source files (its tests, benchmarks and demo count as user code)."""
    internal = _internal_files.get(filename)
    if internal is None:
        rest = filename[len(_PACKAGE_DIR):] if filename.startswith(_PACKAGE_DIR) else None
        internal = rest is not None and not rest.startswith(
            ("tests" + os.sep, "benchmarks" + os.sep, "demo.py"))
        cache_put(_internal_files, filename, internal)
    return internal


_internal_files: dict[str, bool] = bounded_cache(f"{__name__}._internal_files", 4096)


def user_source_info(skip: int = 1) -> SourceInfo:
    """The innermost stack frame outside jaxlite: the user's file, line and function."""
    frame = sys._getframe(skip)
    while frame is not None:
        filename = frame.f_code.co_filename
        internal = _internal_files.get(filename)
        if internal is None:
            internal = is_internal_file(filename)
        if not internal:
            break
        frame = frame.f_back
    if frame is None:
        return NO_SOURCE
    code = frame.f_code  # (known by id: hashing a code object hashes all of it; the cached
    key = (id(code), frame.f_lasti)  # SourceInfo keeps the code alive, so the id stays its own)
    info = _source_infos.get(key)
    if info is None:
        info = cache_put(_source_infos, key, SourceInfo.at(code, frame.f_lasti))
    return info


# (id(code), bytecode offset) -> SourceInfo: one entry per distinct call site of user code.
_source_infos: dict[tuple, SourceInfo] = bounded_cache(f"{__name__}._source_infos", 16384)


@attrs.define(slots=True, eq=False, init=False)
class Eqn:
    """One equation: ``outputs = primitive[params] inputs``.

    ``params`` may be given as any dict (tracing hands over the keywords of ``bind``); it is
    kept as ``Params``. (Converted inline rather than by an attrs converter, which costs
    a microsecond per equation.)
    """

    primitive: Primitive
    inputs: tuple[Atom, ...]
    outputs: tuple[Var, ...]
    params: Params
    source_info: SourceInfo

    def __init__(self, primitive: Primitive, inputs: tuple[Atom, ...], outputs: tuple[Var, ...],
                 params: dict[str, Any], source_info: SourceInfo = NO_SOURCE) -> None:
        self.primitive = primitive
        self.inputs = inputs
        self.outputs = outputs
        self.params = (NO_PARAMS if not params else params if type(params) is Params
                       else Params(params))
        self.source_info = source_info


@attrs.frozen(slots=True, eq=False)
class Jaxpr:
    """A typed, closed-over-nothing program: ``{ lambda constvars ; invars. let eqns in outvars }``."""

    constvars: tuple[Var, ...]
    invars: tuple[Var, ...]
    eqns: tuple[Eqn, ...]
    outvars: tuple[Atom, ...]

    @property
    def in_avals(self) -> list[ShapedArray]:
        return [v.aval for v in self.invars]

    @property
    def out_avals(self) -> list[ShapedArray]:
        return [v.aval for v in self.outvars]

    def __str__(self) -> str:
        return _printer["jaxpr"](self)

    __repr__ = __str__


@attrs.frozen(slots=True, eq=False)
class ClosedJaxpr:
    """A jaxpr together with the values of its constvars."""

    jaxpr: Jaxpr
    consts: tuple[Any, ...]

    @property
    def in_avals(self) -> list[ShapedArray]:
        return self.jaxpr.in_avals

    @property
    def out_avals(self) -> list[ShapedArray]:
        return self.jaxpr.out_avals

    @property
    def eqns(self) -> tuple[Eqn, ...]:
        return self.jaxpr.eqns

    def __str__(self) -> str:
        return _printer["jaxpr"](self.jaxpr)

    __repr__ = __str__

    def _repr_pretty_(self, p, cycle) -> None:  # IPython
        p.text(str(self))


# Filled in by core.pretty when it is imported (core/__init__ imports it); kept as a
# table so this module does not import the printer and the printer can import this one.
_printer: dict[str, Any] = {}
