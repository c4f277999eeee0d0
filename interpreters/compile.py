"""compile_jaxpr : ClosedJaxpr -> CompiledJaxpr, the jaxpr as a generated Python function over NumPy.

jit's last step, after ``simplify``. Each equation becomes a line of Python calling NumPy,
with the params resolved once, at compile time; the source is ``exec``'d once::

    { lambda ; a:f32[3]. let b:f32[3] = mul a 2.0:f32[]; c:f32[3] = add b 1.0:f32[] in (c,) }

    def f(a):
        b = np.multiply(a, f32_2_0)  # example.py:3 (f)
        c = np.add(b, f32_1_0, out=b)  # example.py:3 (f)
        return [c]

The generated function takes the jaxpr's inputs as NumPy arrays and returns a list of one
NumPy array per output, each of exactly its aval's dtype (0-d outputs as 0-d arrays), and
these are, bit for bit, what ``eval_jaxpr`` gives. To that end:

* An equation is computed as its primitive's ``lower`` rule says (a ufunc, or an expression
  that computes what ``impl`` computes; see ``core/primitive.py``), or else by calling
  ``impl`` and casting its result to the output's dtype, as eager evaluation does.
* Literals and consts are values of the generated module, bound once.
* Inside, 0-d values are NumPy scalars (Python's operators on them cost a tenth of a ufunc
  call on 0-d arrays; NumPy computes the same bits either way): 0-d inputs become scalars
  on entry and 0-d outputs become arrays on return.
* Buffer reuse: a ufunc writes its result into an operand (``out=``) when that operand is
  an array of the output's shape and dtype, made by an earlier equation as a new array
  (``fresh``), read by no later equation, not an output, and aliased by no view that is
  still read; and when its memory layout is the one NumPy would give the result (so that
  every later equation sees the strides it sees in eager evaluation). Inputs and consts
  are never written to.
* Call primitives are compiled inline, not called: the equations of their jaxprs take
  their place. The tables ``CALL_PRIMITIVES`` and ``BARRIER_CALLS`` (inlined only here,
  after simplification) name them (the only primitives known here).
* Control flow stays control flow: a primitive with a ``lower_block`` rule (``cond``, loops)
  writes a block of code (``if``/``elif``, ``while``, ``for``) calling functions compiled
  from its sub-jaxprs, each once, through a ``Block`` (see ``core/primitive.py``). The
  sub-functions are generated as this function is, after ``prepare`` (jit passes its
  simplification), and each runs in a module of its own; ``CompiledJaxpr.source`` lists
  their code before the function's. Another primitive whose params hold a jaxpr is called
  through its ``impl``.
* An array is deleted (``del``) after the last equation that reads it, so that its memory
  goes then, not at the return: a derivative's backward pass does not keep the forward
  pass's temporaries, and ``checkpoint``'s recomputed values go as they are used.
"""

from __future__ import annotations

import keyword
import re
from typing import Any, Callable

import attrs
import numpy as np

from ..core.array import Array
from ..core.cache import memoize
from ..core.ir import NO_SOURCE, Atom, ClosedJaxpr, Eqn, Jaxpr, Literal, SourceInfo, Var
from ..core.pretty import JaxprPrinter
from ..core.primitive import Lowering

CALL_PRIMITIVES: dict[str, str] = {
    "custom_jvp_call": "call_jaxpr",  # the function, run as eager evaluation runs it
    "custom_vjp_call": "call_jaxpr",
    "jit": "jaxpr",
}
"""Primitive name -> the param holding the ClosedJaxpr that an equation of it evaluates, its
invars being the equation's inputs one for one."""

BARRIER_CALLS: dict[str, str] = {
    "remat2": "jaxpr",  # checkpoint: its body recomputes values on purpose
}
"""Call primitives, as in ``CALL_PRIMITIVES``, inlined only by the code generator, after
simplification: common-subexpression elimination must not merge the values their bodies
recompute with the originals, which would keep those alive (``inline_calls(barriers=True)``)."""

_UFUNC_LAYOUT = "of a ufunc's result"

MAX_COMPILED = 1024
"""``compile_jaxpr`` keeps the functions of at most this many jaxprs."""


@attrs.frozen(slots=True, eq=False)
class CompiledJaxpr:
    """A jaxpr compiled: ``fn(*args) -> list`` of NumPy arrays, and its ``source``.

    Calling ``fn`` directly saves the call through ``__call__``.
    """

    fn: Callable[..., list]
    source: str

    def __call__(self, *args: Any) -> list:
        return self.fn(*args)


@memoize(MAX_COMPILED)
def compile_jaxpr(closed: ClosedJaxpr, name: str = "compiled",
                  prepare: Callable[[ClosedJaxpr], ClosedJaxpr] | None = None) -> CompiledJaxpr:
    """The function computing ``closed`` as eager evaluation does, generated as NumPy source.

    ``prepare`` rewrites each sub-jaxpr that a ``lower_block`` rule compiles (by default
    ``inline_calls``; it must inline the call primitives, and may simplify exactly).

    >>> compiled = compile_jaxpr(make_jaxpr(lambda x: x * 2 + 1)(np.ones(3, np.float32)))
    >>> compiled.fn(np.arange(3, dtype=np.float32))   # [array([1., 3., 5.], dtype=float32)]
    >>> print(compiled.source)
    """
    generator = _Generator(inline_calls(closed, barriers=True), prepare or inline_calls)
    fn, source = generator.compile(_identifier(name))
    return CompiledJaxpr(fn, "\n".join([*generator.sub_sources, source]))


# ---------------------------------------------------------------- inlining calls


def inline_calls(closed: ClosedJaxpr, barriers: bool = False) -> ClosedJaxpr:
    """``closed`` with each equation of a call primitive replaced by the equations of its
    jaxpr (recursively, renamed apart), whose consts join the consts; itself if it has none.
    With ``barriers``, the calls of ``BARRIER_CALLS`` too."""
    calls = {**CALL_PRIMITIVES, **BARRIER_CALLS} if barriers else CALL_PRIMITIVES
    if not any(eqn.primitive.name in calls for eqn in closed.eqns):
        return closed
    jaxpr = closed.jaxpr
    constvars, consts, eqns = list(jaxpr.constvars), list(closed.consts), []
    env: dict[Var, Atom] = {}
    _inline(jaxpr, env, eqns, constvars, consts, NO_SOURCE, rename=False, calls=calls)
    outvars = tuple([_read(env, v) for v in jaxpr.outvars])
    return ClosedJaxpr(Jaxpr(tuple(constvars), jaxpr.invars, tuple(eqns), outvars),
                       tuple(consts))


def _read(env: dict, atom: Atom) -> Atom:
    return env.get(atom, atom) if type(atom) is Var else atom


def _inline(jaxpr: Jaxpr, env: dict, eqns: list, constvars: list, consts: list,
            source: SourceInfo, rename: bool, calls: dict[str, str]) -> None:
    """Append ``jaxpr``'s equations to ``eqns``, reading its variables through ``env`` (and
    adding to it); ``rename`` gives every variable it defines a new Var."""
    for eqn in jaxpr.eqns:
        inputs = tuple([_read(env, a) for a in eqn.inputs])
        info = eqn.source_info if eqn.source_info is not NO_SOURCE else source
        key = calls.get(eqn.primitive.name)
        sub = eqn.params.get(key) if key else None
        if type(sub) is ClosedJaxpr:
            sub_env: dict[Var, Atom] = dict(zip(sub.jaxpr.invars, inputs, strict=True))
            for var, const in zip(sub.jaxpr.constvars, sub.consts, strict=True):
                sub_env[var] = new = Var(var.aval)
                constvars.append(new)
                consts.append(const)
            _inline(sub.jaxpr, sub_env, eqns, constvars, consts, info, rename=True, calls=calls)
            env.update(zip(eqn.outputs, [_read(sub_env, v) for v in sub.jaxpr.outvars]))
            continue
        outputs = tuple([Var(v.aval) for v in eqn.outputs]) if rename else eqn.outputs
        env.update(zip(eqn.outputs, outputs))
        eqns.append(Eqn(eqn.primitive, inputs, outputs, eqn.params, info))


# ---------------------------------------------------------------- code generation


def _identifier(text: str) -> str:
    name = re.sub(r"\W", "_", text)
    if not name.isidentifier() or keyword.iskeyword(name):
        name = "f_" + name
    return name


class Block:
    """What a ``lower_block`` rule may ask of the code generator (``core/primitive.py``)."""

    __slots__ = ("_generator",)

    def __init__(self, generator: _Generator) -> None:
        self._generator = generator

    def sub(self, closed: ClosedJaxpr, hint: str) -> str:
        """The name of the function compiled from ``closed`` (once per jaxpr)."""
        return self._generator.sub_function(closed, hint)

    def const(self, value: Any, hint: str = "const") -> str:
        """Source for ``value``: its literal text, or the name it is bound to in the module."""
        return self._generator._const(value, hint)

    def local(self, hint: str) -> str:
        """A new local variable's name."""
        return self._generator._fresh(_identifier(hint))


class _Generator:
    """Writes the source of one flat jaxpr (no call primitives) and the module it runs in."""

    def __init__(self, closed: ClosedJaxpr,
                 prepare: Callable[[ClosedJaxpr], ClosedJaxpr] = inline_calls,
                 functions: set[str] | None = None) -> None:
        self.jaxpr = jaxpr = closed.jaxpr
        self.prepare = prepare
        self.sub_sources: list[str] = []  # the code of the functions compiled from sub-jaxprs
        self.functions = set() if functions is None else functions  # their names, all distinct
        self.namespace: dict[str, Any] = {"np": np}
        self.header: list[str] = []
        self.lines: list[str] = []
        self.bound: dict[Any, str] = {}  # key of a bound value -> its name in the module
        self.names: dict[Var, str] = {}
        printer = JaxprPrinter()  # the names print(jaxpr) shows
        for var in (*jaxpr.constvars, *jaxpr.invars, *[v for e in jaxpr.eqns for v in e.outputs]):
            name = printer.name(var)
            self.names[var] = name + "_" if keyword.iskeyword(name) or name == "np" else name
        self.taken = set(self.names.values()) | {"np"}
        end = len(jaxpr.eqns)
        self.last_use: dict[Var, int] = {v: end for v in jaxpr.outvars if type(v) is Var}
        for i, eqn in enumerate(jaxpr.eqns):
            for a in eqn.inputs:
                if type(a) is Var and self.last_use.get(a, -1) < i:
                    self.last_use[a] = i
        # what buffer reuse needs to know of each array: the buffers it may share memory
        # with, whether it is a new dense array owned by the generated code, its layout
        self.storage: dict[Var, frozenset] = {}
        self.holders: dict[int, list[Var]] = {}
        self.owned: set[Var] = set()
        self.layout: dict[Var, str | None] = {}
        for var, const in zip(jaxpr.constvars, closed.consts, strict=True):
            value = const._value if type(const) is Array else const
            if np.asarray(value).dtype != var.aval.dtype:  # (a NumPy float64 without x64)
                value = np.asarray(value, var.aval.dtype)
            self.namespace[self.names[var]] = value[()] if np.ndim(value) == 0 else value
            contiguous = isinstance(value, np.ndarray) and value.flags.c_contiguous
            self._define(var, frozenset([id(var)]), "C" if contiguous else None)
        for var in jaxpr.invars:
            self._define(var, frozenset([id(var)]), None)
        if jaxpr.constvars:
            self.header.append("# consts: " + " ".join(
                f"{self.names[v]}:{v.aval.str_short()}" for v in jaxpr.constvars))

    def _implicit_broadcasts(self) -> dict[Var, Atom]:
        """The results of broadcasts that NumPy can make implicitly (``Lowering.implicit``)
        and that only ufuncs read, each with an operand of the full shape: their operands,
        which those ufuncs read instead."""
        jaxpr = self.jaxpr
        readers: dict[Var, list[int]] = {}
        for i, eqn in enumerate(jaxpr.eqns):
            for a in eqn.inputs:
                if type(a) is Var:
                    readers.setdefault(a, []).append(i)
        elided: dict[Var, Atom] = {}
        for eqn, lowering in zip(jaxpr.eqns, self.lowerings):
            if lowering is None or not lowering.implicit or eqn.inputs[0].aval.ndim == 0:
                continue
            (out,) = eqn.outputs
            if out in jaxpr.outvars or out not in readers:
                continue
            if all(self._broadcasts_itself(jaxpr.eqns[i], self.lowerings[i], out, elided)
                   for i in readers[out]):
                elided[out] = eqn.inputs[0]
        return elided

    @staticmethod
    def _broadcasts_itself(eqn: Eqn, lowering: Lowering | None, var: Var, elided: dict) -> bool:
        """Whether ``eqn`` is a ufunc with an operand other than ``var`` of its full shape."""
        if lowering is None or lowering.ufunc is None:
            return False
        shape = eqn.outputs[0].aval.shape
        return any(a is not var and a not in elided and a.aval.shape == shape
                   for a in eqn.inputs)

    def compile(self, name: str) -> tuple[Callable[..., list], str]:
        """The generated function, named ``name`` (or ``name_2``, ... if a value of the module
        has that name), and its source."""
        name = self._fresh(name)  # (a variable of the jaxpr may be named like the function)
        source, namespace = self.generate(name)
        exec(compile(source, f"<jaxlite.jit {name}>", "exec"), namespace)  # noqa: S102
        return namespace[name], source

    def sub_function(self, closed: ClosedJaxpr, hint: str) -> str:
        """The name, in this module, of the function compiled from ``closed`` (in a module of
        its own, so that the names of the two never meet)."""
        key = ("sub", id(closed))  # (closed is kept alive by the equation's params)
        if key not in self.bound:
            self.taken |= self.functions  # (so that the listing names each function once)
            name = self._fresh(_identifier(hint))
            self.functions.add(name)
            generator = _Generator(inline_calls(self.prepare(closed), barriers=True),
                                   self.prepare, self.functions)
            fn, source = generator.compile(name)
            self.sub_sources += [*generator.sub_sources, source]
            self.namespace[name] = fn
            self.bound[key] = name
        return self.bound[key]

    def generate(self, name: str) -> tuple[str, dict]:
        jaxpr = self.jaxpr
        self.taken.add(name)  # (no value of the module may take the function's own name)
        self.functions.add(name)
        self.lowerings = [
            eqn.primitive.lower([a.aval for a in eqn.inputs], [v.aval for v in eqn.outputs],
                                **eqn.params)
            if eqn.primitive.lower is not None and len(eqn.outputs) == 1 else None
            for eqn in jaxpr.eqns]
        self.elided = self._implicit_broadcasts()
        params = ", ".join(self.names[v] for v in jaxpr.invars)
        self.lines.append(f"def {name}({params}):")
        for var in jaxpr.invars:
            if var.aval.ndim == 0:  # computed on as a NumPy scalar
                self.lines.append(f"    {self.names[var]} = {self.names[var]}[()]")
        self.dead = self._dead_arrays()
        for i, eqn in enumerate(jaxpr.eqns):
            self._equation(i, eqn)
        outs = [self._atom(v) if v.aval.ndim else f"np.asarray({self._atom(v)})"
                for v in jaxpr.outvars]
        self.lines.append(f"    return [{', '.join(outs)}]")
        return "\n".join(self.header + self.lines) + "\n", self.namespace

    # ------------------------------------------------------------ one equation

    def _equation(self, i: int, eqn: Eqn) -> None:
        lowering = self.lowerings[i]
        args = [self._atom(a) for a in eqn.inputs]
        if eqn.outputs and eqn.outputs[0] in self.elided:  # read as its operand, by ufuncs
            self._define_result(eqn, False, lowering.layout)
            return
        if eqn.primitive.lower_block is not None:
            lines = self._block(eqn, args)
        elif lowering is None:
            lines = self._call_impl(eqn, args)
        elif lowering.ufunc is not None:
            lines = [self._call_ufunc(i, eqn, lowering, args)]
        else:
            consts = {k: self._const(v, k) for k, v in lowering.consts.items()}
            (out,) = eqn.outputs
            lines = [f"{self.names[out]} = {lowering.expr.format(*args, **consts)}"]
            self._define_result(eqn, lowering.fresh, lowering.layout)
        dead = [self.names[v] for v in self.dead[i]]
        if dead:  # (freed now, not at the return: what checkpoint's recomputation relies on)
            if len(lines) == 1:
                lines[-1] += f"; del {', '.join(dead)}"
            else:  # (after a block, not inside its last branch)
                lines.append(f"del {', '.join(dead)}")
        if eqn.source_info is not NO_SOURCE:
            lines[0] += f"  # {eqn.source_info}"
        self.lines += ["    " + line for line in lines]

    def _dead_arrays(self) -> list[list[Var]]:
        """For each equation, the arrays defined by equations that nothing reads after it:
        the generated code deletes them there, so that their memory goes at once."""
        jaxpr, end = self.jaxpr, len(self.jaxpr.eqns)
        last_read: dict[Var, int] = {}  # (a broadcast read implicitly reads its operand)
        for i, atoms in [*enumerate(eqn.inputs for eqn in jaxpr.eqns), (end, jaxpr.outvars)]:
            for a in atoms:
                while a in self.elided:
                    a = self.elided[a]
                last_read[a] = i
        dead: list[list[Var]] = [[] for _ in jaxpr.eqns]
        for i, eqn in enumerate(jaxpr.eqns):
            for v in eqn.outputs:
                if v.aval.ndim and v not in self.elided and last_read.get(v, i) < end:
                    dead[last_read.get(v, i)].append(v)
        return dead

    def _block(self, eqn: Eqn, args: list[str]) -> list[str]:
        """The lines of a ``lower_block`` rule; its 0-d outputs become scalars, and its
        outputs may share memory with its operands (a branch may return its input)."""
        outs = [self.names[v] for v in eqn.outputs]
        lines = eqn.primitive.lower_block(Block(self), args, outs, **eqn.params)
        lines += [f"{o} = {o}[()]" for o, v in zip(outs, eqn.outputs) if v.aval.ndim == 0]
        self._define_result(eqn, False, None)
        return lines

    def _call_impl(self, eqn: Eqn, args: list[str]) -> list[str]:
        """``impl``'s results, cast to the outputs' dtypes as eager evaluation casts them."""
        prim = self._bind(eqn.primitive, _identifier(eqn.primitive.name) + "_p",
                          ("primitive", id(eqn.primitive)))
        kwargs = [f"{k}={self._const(v, k)}" for k, v in eqn.params.items()]
        call = f"{prim}.impl({', '.join(args + kwargs)})"
        self._define_result(eqn, False, None)
        outs = [self.names[v] for v in eqn.outputs]
        casts = [f"np.asarray({{}}, {self._const(v.aval.dtype)})" for v in eqn.outputs]
        if len(outs) == 1:
            return [f"{outs[0]} = {casts[0].format(call + '[0]')}"]
        return [f"[{', '.join(outs)}] = {call}"] + [f"{out} = {cast.format(out)}"
                                                   for out, cast in zip(outs, casts)]

    def _call_ufunc(self, i: int, eqn: Eqn, lowering: Lowering, args: list[str]) -> str:
        ufunc = lowering.ufunc
        name = (f"np.{ufunc.__name__}" if getattr(np, ufunc.__name__, None) is ufunc
                else self._bind(ufunc, _identifier(ufunc.__name__), ("ufunc", id(ufunc))))
        args = args + [self._const(a) for a in lowering.args]
        (out,) = eqn.outputs
        buffer = self._reusable(i, eqn)
        if buffer is None:
            self._define_result(eqn, True, _UFUNC_LAYOUT)
        else:
            args.append(f"out={self.names[buffer]}")
            self._define(out, self.storage[buffer], self.layout[buffer], owned=True)
        return f"{self.names[out]} = {name}({', '.join(args)})"

    # ------------------------------------------------------------ buffer reuse

    def _reusable(self, i: int, eqn: Eqn) -> Var | None:
        """An operand of equation ``i`` (a ufunc's) whose buffer may take its result."""
        (out,) = eqn.outputs
        if out.aval.ndim == 0:
            return None
        operands = [a for a in eqn.inputs if type(a) is Var and a.aval.ndim]
        for buffer in operands:
            if (buffer in self.owned and self.last_use[buffer] == i
                    and buffer.aval.shape == out.aval.shape and buffer.aval.dtype == out.aval.dtype
                    and self._sole_reader(buffer, i) and self._same_layout(buffer, operands)):
                return buffer
        return None

    def _sole_reader(self, buffer: Var, i: int) -> bool:
        """No other value read at or after equation ``i`` shares memory with ``buffer``."""
        return all(v is buffer or self.last_use.get(v, -1) < i
                   for s in self.storage[buffer] for v in self.holders[s])

    def _same_layout(self, buffer: Var, operands: list[Var]) -> bool:
        """Whether NumPy would lay the result out as ``buffer`` is laid out: the operands
        decide, through the order of their axes of nonzero stride; a "free" operand (at
        most one such axis) says nothing, and C-ordered operands agree with a C buffer."""
        mine = self.layout[buffer]
        return all(v is buffer or self.layout[v] == "free" or (self.layout[v] == "C" and mine == "C")
                   for v in operands)

    def _define_result(self, eqn: Eqn, fresh: bool, layout: str | None) -> None:
        """Record what is known of the outputs of ``eqn``: a fresh result owns new memory;
        any other may be a view of any operand."""
        operands = [a for a in eqn.inputs if type(a) is Var]
        if layout is _UFUNC_LAYOUT:  # NumPy orders the result's axes as its operands' (a
            # free operand has no say): C when they are all C or free
            known = all(self.layout[v] in ("C", "free") for v in operands if v.aval.ndim)
            layout = "C" if known else None
        for out in eqn.outputs:
            storage = (frozenset([id(out)]) if fresh
                       else frozenset().union(*[self.storage[v] for v in operands]))
            self._define(out, storage, layout, owned=fresh)

    def _define(self, var: Var, storage: frozenset, layout: str | None,
                owned: bool = False) -> None:
        self.storage[var] = storage
        for s in storage:
            self.holders.setdefault(s, []).append(var)
        self.layout[var] = "free" if sum(n > 1 for n in var.aval.shape) <= 1 else layout
        if owned and var.aval.ndim:
            self.owned.add(var)

    # ------------------------------------------------------------ names and values

    def _atom(self, atom: Atom) -> str:
        if type(atom) is Var:
            elided = self.elided.get(atom)
            return self.names[atom] if elided is None else self._atom(elided)
        value = atom.value
        key = ("literal", value.dtype, value.tobytes())
        if key not in self.bound:
            short = atom.aval.str_short().split("[")[0]
            name = f"{short}_" + str(value).replace("-", "m").replace(".", "_").replace("+", "")
            name = self._bind(value, name if name.isidentifier() else f"{short}_literal", key)
            self.header.append(f"# {name} = {value!s}:{short}[]")
        return self.bound[key]

    def _const(self, value: Any, hint: str = "const") -> str:
        """Source for a param or constant: its literal text if it has one, else the name
        of the module value it is bound to."""
        if _is_plain(value):
            return repr(value)
        if isinstance(value, np.dtype):
            return self._bind(value, value.name if value.name != "bool" else "bool_",
                              ("dtype", value))
        return self._bind(value, _identifier(getattr(value, "__name__", hint)),
                          ("value", id(value)))

    def _bind(self, value: Any, name: str, key: Any) -> str:
        """The name of ``value`` in the generated module (bound once per ``key``)."""
        if key not in self.bound:
            unique = self._fresh(name)
            self.namespace[unique] = value
            self.bound[key] = unique
        return self.bound[key]

    def _fresh(self, name: str) -> str:
        """``name``, or ``name_2``, ``name_3``, ...: the first not taken, now taken."""
        unique, n = name, 1
        while unique in self.taken:
            n += 1
            unique = f"{name}_{n}"
        self.taken.add(unique)
        return unique


def _is_plain(value: Any) -> bool:
    """Whether ``repr(value)`` is Python source evaluating to an equal value of the same type."""
    if value is None or type(value) in (bool, int, str):
        return True
    if type(value) is float:
        return value == value and abs(value) != float("inf")  # (repr round-trips floats)
    return type(value) is tuple and all(_is_plain(v) for v in value)
