"""``jit``: trace once per signature, simplify exactly, run as compiled NumPy code.

A call of a jitted function looks up its *signature*: the pytree structure of the
arguments, each leaf's aval (shape, dtype, weak type) and the static arguments' values.
On a new signature the function is traced to a ClosedJaxpr (a new Python scalar of the
same type is not a new signature). Then:

* with no trace active, the jaxpr runs simplified (``simplify.optimize_jaxpr``) and
  compiled to NumPy source (``compile.compile_jaxpr``), bit for bit what eager
  evaluation of the function gives;
* under a transformation, the call binds one ``jit`` equation holding the jaxpr, whose
  rules (``primitives/jit_call.py``) transform it as a whole.

The traces of a function are cached in an LRU of ``CACHE_SIZE`` signatures, shared by
every ``jit`` of that function and held weakly, so a function that goes away takes its
traces with it. ``config.update("jax_explain_cache_misses", True)`` logs why each new
trace happened. ``trace``/``lower``/``compile`` give the ahead-of-time views JAX has.
"""

from __future__ import annotations

import collections
import functools
import inspect
import logging
import weakref
from typing import Any, Callable, Sequence

import attrs
import numpy as np

from ..core.array import Array
from ..core.avals import ShapedArray
from ..core.cache import memoize
from ..core.config import config
from ..core.ir import ClosedJaxpr, user_source_info
from ..core.jaxpr_trace import DebugInfo, closure_convert, new_trace
from ..core.pretty import jaxpr_to_text
from ..core.refs import RefCell, RefScope, load, ref_type_name, values_of, write_back
from ..core.trace import Tracer, aval_of, concrete_value, thread_state, trace_of
from ..core.tree_util import PyTreeDef, tree_flatten, tree_unflatten
from ..primitives.jit_call import compiled, executable, jit_p
from .api_util import leaf_info
from .compile import inline_calls
from .simplify import optimize_jaxpr

_state = thread_state()
_LEAF = tree_flatten(0)[1]
logger = logging.getLogger("jaxlite")

CACHE_SIZE = 256
"""How many signatures of one function ``jit`` keeps traced (least recently used go)."""

MAX_FUNCTIONS = 4096
"""How many functions' trace caches are kept at once (beyond that, the oldest go)."""


@attrs.define(eq=False)
class _Entry:
    """One signature's trace: the jaxpr, output structure, and (once run) its executable."""

    closed: ClosedJaxpr
    out_tree: PyTreeDef
    out_avals: tuple[ShapedArray, ...]
    run: Callable | None = None
    refs: tuple = ()
    """The references the function reads or writes, discharged (``core/refs.py``): an int
    is the position of a reference among the call's Ref arguments, others are references
    it closes over. Their values are passed after the arguments and come back after the
    outputs, to be written back."""
    wrap: Callable[[list], Any] = attrs.field(init=False)
    """The executable's NumPy results as the function's output: Arrays in its pytree."""

    def __attrs_post_init__(self) -> None:
        out_tree, out_avals = self.out_tree, self.out_avals
        if out_tree == _LEAF and len(out_avals) == 1:  # (a single array: made faster)
            aval = out_avals[0]
            weak_type = aval.weak_type
            self.wrap = lambda values: Array(values[0], weak_type, aval)
        else:
            self.wrap = lambda values: tree_unflatten(
                out_tree, [Array(v, a.weak_type, a) for v, a in zip(values, out_avals)])


@attrs.define(eq=False)
class _HoistedEntry(_Entry):
    """A trace that closed over tracers of an enclosing trace, passed as leading operands;
    never cached, since those tracers are of this call only."""

    hoisted: list = attrs.Factory(list)


class _FunctionCache:
    """The traces of one function, by signature, least recently used first."""

    __slots__ = ("entries", "__weakref__")

    def __init__(self) -> None:
        self.entries: collections.OrderedDict = collections.OrderedDict()

    def get(self, key: tuple) -> _Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: tuple, entry: _Entry) -> None:
        self.entries[key] = entry
        if len(self.entries) > CACHE_SIZE:
            self.entries.popitem(last=False)


_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@memoize(maxsize=64)
def _flat_tree(n: int) -> PyTreeDef:
    """The structure of ``(args, kwargs)`` for ``n`` positional arrays and no keywords."""
    return tree_flatten(((0,) * n, {}))[1]


def _cache_of(fun: Callable) -> _FunctionCache:
    """The trace cache of ``fun``, shared by all its jits; private if ``fun`` has no weakref."""
    try:
        cache = _caches.get(fun)
    except TypeError:
        return _FunctionCache()
    if cache is None:
        if len(_caches) >= MAX_FUNCTIONS:
            _caches.pop(next(iter(_caches.keys())), None)
        cache = _caches[fun] = _FunctionCache()
    return cache


# ------------------------------------------------------------------ static arguments


def _normalize_static(fun: Callable, static_argnums: Any, static_argnames: Any
                      ) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The static positions and names, each completed from the other through the signature."""
    nums = () if static_argnums is None else (
        (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums))
    names = () if static_argnames is None else (
        (static_argnames,) if isinstance(static_argnames, str) else tuple(static_argnames))
    for i in nums:
        if not isinstance(i, (int, np.integer)):
            raise TypeError(f"jit: static_argnums must be ints, got {static_argnums!r}")
    try:
        params = list(inspect.signature(fun).parameters.values())
    except (TypeError, ValueError):
        return tuple(int(i) for i in nums), names
    positional = [p.name for p in params
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    varargs = any(p.kind == p.VAR_POSITIONAL for p in params)
    # negative positions count from the end of the signature (unless it takes *args)
    nums = tuple(int(i) + len(positional) if i < 0 and not varargs and -i <= len(positional)
                 else int(i) for i in nums)
    extra_names = tuple(positional[i] for i in nums if -len(positional) <= i < len(positional)
                        and params[i % len(positional)].kind != params[0].POSITIONAL_ONLY)
    extra_nums = tuple(positional.index(n) for n in names if n in positional)
    return (tuple(dict.fromkeys(nums + extra_nums)), tuple(dict.fromkeys(names + extra_names)))


def _static_key(value: Any, what: str) -> Any:
    try:
        hash(value)
    except TypeError as err:
        raise ValueError(
            f"Non-hashable static arguments are not supported. {what} is an object of type "
            f"{type(value)}, {value!r}, which cannot be hashed ({err}). Pass a hashable value "
            "(a tuple rather than a list, for example), or make the argument dynamic by "
            "removing it from static_argnums/static_argnames.") from None
    return type(value), value


# ------------------------------------------------------------------ the jitted function


class Jitted:
    """A jitted function; see the module docstring. Called like the function it wraps."""

    def __init__(self, fun: Callable, static_argnums: Any = None, static_argnames: Any = None,
                 donate_argnums: Any = None, donate_argnames: Any = None,
                 keep_unused: bool = False, inline: bool = False, **ignored: Any) -> None:
        if not callable(fun):
            raise TypeError(f"jit: expected a callable function, got {fun!r}")
        self.fun = fun
        self.static_argnums, self.static_argnames = _normalize_static(
            fun, static_argnums, static_argnames)
        self._static = bool(self.static_argnums or self.static_argnames)
        self._cache = _cache_of(fun)
        self._config = (self.static_argnums, self.static_argnames)
        self._name = getattr(fun, "__name__", None) or type(fun).__name__
        functools.update_wrapper(self, fun, updated=())

    def __repr__(self) -> str:
        return f"<jitted function {self._name}>"

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        """As a method, bound to the instance (as a function would be)."""
        return self if instance is None else functools.partial(self, instance)

    # --------------------------------------------------------------- calls

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs and not self._static and _state.trace is None:
            # the common case: positional arrays, no trace active (a key with an aval
            # missing, for an argument that is no Array, is never in the cache)
            key = (self._config, len(args), *[x.aval for x in args if type(x) is Array])
            entries = self._cache.entries
            entry = entries.get(key)
            if entry is not None and entry.run is not None:
                entries.move_to_end(key)
                return entry.wrap(entry.run(*[x._value for x in args]))
        return self._call(args, kwargs)

    def _call(self, args: tuple, kwargs: dict) -> Any:
        dynamic, dyn_kwargs, statics = self._split_static(args, kwargs)
        leaves, in_tree = tree_flatten((dynamic, dyn_kwargs))
        avals, values, primals = [], [], []  # (Arrays, the common leaves, without leaf_info)
        traced = False
        arg_refs: list[RefCell] = []
        for x in leaves:
            if isinstance(x, RefCell):  # (a reference: passed by the discharge, after these)
                avals.append(("Ref", aval_of(x._value)))
                arg_refs.append(x)
            elif type(x) is Array:
                avals.append(x.aval)
                values.append(x._value)
                primals.append(x)
            else:
                info = leaf_info(x, f"jit({self._name})")
                avals.append(info.aval)
                values.append(info.value)
                primals.append(info.primal)
                traced = traced or type(x) is Tracer
        simple = not kwargs and not self._static and in_tree == _flat_tree(len(args))
        key = ((self._config, len(args), *avals) if simple  # (the key of the fast path)
               else (self._config, in_tree, tuple(avals), statics))
        entry = self._cache.get(key)
        if entry is None:
            entry = self._trace(key, args, kwargs, in_tree, avals, cacheable=True)
        if entry.refs or arg_refs:
            return self._call_with_refs(entry, values, primals, traced, arg_refs)
        if _state.trace is None and not traced:
            if entry.run is None:
                entry.run = compiled(entry.closed, self._name).fn
            return entry.wrap(entry.run(*values))
        hoisted = entry.hoisted if type(entry) is _HoistedEntry else []
        outs = jit_p.bind(*hoisted, *primals, jaxpr=entry.closed, name=self._name)
        return tree_unflatten(entry.out_tree, outs)

    def _call_with_refs(self, entry: _Entry, values: list, primals: list, traced: bool,
                        arg_refs: list) -> Any:
        """A call of a function that touches references: their values go in after the
        arguments, and what comes out after the outputs is written back into them."""
        refs = [arg_refs[r] if type(r) is int else r for r in entry.refs]
        n = len(entry.out_avals)
        if _state.trace is None and not traced and not any(map(trace_of, values_of(refs))):
            if entry.run is None:
                entry.run = compiled(entry.closed, self._name).fn
            outs = entry.run(*values, *[concrete_value(v) for v in values_of(refs)])
            avals = entry.closed.out_avals[n:]
            write_back(refs, [Array(v, a.weak_type, a) for v, a in zip(outs[n:], avals)])
            return entry.wrap(outs[:n])
        hoisted = entry.hoisted if type(entry) is _HoistedEntry else []
        outs = jit_p.bind(*hoisted, *primals, *values_of(refs), jaxpr=entry.closed,
                          name=self._name)
        write_back(refs, outs[n:])
        return tree_unflatten(entry.out_tree, outs[:n])

    def _split_static(self, args: tuple, kwargs: dict) -> tuple[tuple, dict, tuple]:
        if not self._static:
            return args, kwargs, ()
        n = len(args)  # (a static argument not passed keeps its default, as in JAX)
        positions = {i % n for i in self.static_argnums if -n <= i < n}
        params = _parameter_names(self.fun)
        statics = tuple((i, _static_key(args[i], f"Static argument "
                                            f"{repr(params[i]) + ' ' if i < len(params) else ''}"
                                            f"(position {i}) of {self._name}"))
                        for i in sorted(positions))
        statics += tuple((k, _static_key(kwargs[k], f"Static argument {k!r} of {self._name}"))
                         for k in sorted(kwargs) if k in self.static_argnames)
        dynamic = tuple(a for i, a in enumerate(args) if i not in positions)
        dyn_kwargs = {k: v for k, v in kwargs.items() if k not in self.static_argnames}
        return dynamic, dyn_kwargs, statics

    # --------------------------------------------------------------- tracing

    def _trace(self, key: tuple, args: tuple, kwargs: dict, in_tree: PyTreeDef,
               avals: Sequence[ShapedArray], cacheable: bool) -> _Entry:
        if config.jax_explain_cache_misses:
            _explain_miss(self, key, lambda: _arg_names(self, args, kwargs, in_tree))
        fun, out_tree = self._flat_fun(args, kwargs, in_tree)
        debug = DebugInfo(self._name, _definition_site(self.fun), "jit",
                          lambda: _arg_names(self, args, kwargs, in_tree))
        arrays = [a for a in avals if type(a) is not tuple]  # (without the references)
        with RefScope() as scope:
            closed, hoisted = _trace_flat(fun, arrays, f"jit({self._name})", debug)
        refs: tuple = ()
        if scope.touched:
            closed, hoisted, refs = self._trace_discharging(scope.touched, fun, arrays, debug,
                                                            args, kwargs)
        n = len(closed.out_avals) - len(refs)
        entry = _Entry(closed, out_tree[0], tuple(closed.out_avals[:n]), refs=refs)
        if hoisted:  # closes over tracers of an enclosing trace: this trace is for now only
            return _HoistedEntry(closed, out_tree[0], tuple(closed.out_avals[:n]), None, refs,
                                 hoisted)
        if cacheable:
            self._cache.put(key, entry)
        return entry

    def _trace_discharging(self, refs: list, fun: Callable, avals: list, debug: DebugInfo,
                           args: tuple, kwargs: dict) -> tuple[ClosedJaxpr, list, tuple]:
        """``fun`` traced again with the values of the references it touched as extra
        inputs and outputs; the references as ``_Entry.refs`` names them."""
        n = len(avals)
        before = values_of(refs)

        def discharged(*leaves: Any) -> list:
            load(refs, leaves[n:])
            outs = fun(*leaves[:n])
            return [*outs, *values_of(refs)]

        ref_avals = [aval_of(v) for v in before]
        try:
            with RefScope(refs):
                closed, hoisted = _trace_flat(discharged, [*avals, *ref_avals],
                                              f"jit({self._name})", debug)
        finally:
            load(refs, before)
        arg_refs = [x for x in self._dynamic_leaves(args, kwargs) if isinstance(x, RefCell)]
        sources = tuple(next((i for i, a in enumerate(arg_refs) if a is r), r) for r in refs)
        return closed, hoisted, sources

    def _dynamic_leaves(self, args: tuple, kwargs: dict) -> list:
        dynamic, dyn_kwargs, _ = self._split_static(args, kwargs)
        return tree_flatten((dynamic, dyn_kwargs))[0]

    def _flat_fun(self, args: tuple, kwargs: dict, in_tree: PyTreeDef):
        """The function on the flat dynamic leaves, static arguments put back in place."""
        out_tree: list[PyTreeDef] = []
        static_pos = {i % len(args) for i in self.static_argnums if -len(args) <= i < len(args)}
        static_kw = {k: v for k, v in kwargs.items() if k in self.static_argnames}

        template = self._dynamic_leaves(args, kwargs)
        has_refs = any(isinstance(x, RefCell) for x in template)

        def flat(*leaves: Any) -> list:
            if has_refs:  # (the references passed as arguments go back in their places)
                it = iter(leaves)
                leaves = [x if isinstance(x, RefCell) else next(it) for x in template]
            dynamic, dyn_kwargs = tree_unflatten(in_tree, leaves)
            it = iter(dynamic)
            full = [args[i] if i in static_pos else next(it) for i in range(len(args))]
            out_leaves, treedef = tree_flatten(self.fun(*full, **dyn_kwargs, **static_kw))
            for out in out_leaves:
                if isinstance(out, RefCell):
                    raise ValueError(
                        f"function {self._name} traced for jit returned a mutable array "
                        f"reference of type {ref_type_name(out)}, but mutable array "
                        "references cannot be returned.")
            out_tree[:] = [treedef]
            return out_leaves

        return flat, out_tree

    # --------------------------------------------------------------- ahead of time

    def trace(self, *args: Any, **kwargs: Any) -> Traced:
        """The traced stage: ``.jaxpr`` is the ClosedJaxpr the arguments trace to."""
        dynamic, dyn_kwargs, statics = self._split_static(args, kwargs)
        leaves, in_tree = tree_flatten((dynamic, dyn_kwargs))
        avals = tuple(leaf_info(x, f"jit({self._name})").aval for x in leaves)
        entry = self._trace((self._config, in_tree, avals, statics), args, kwargs, in_tree,
                            avals, cacheable=False)
        return Traced(self._name, entry, in_tree)

    def lower(self, *args: Any, **kwargs: Any) -> Lowered:
        """The lowered stage: the simplified jaxpr and its generated source (``as_text``)."""
        return self.trace(*args, **kwargs).lower()

    def eval_shape(self, *args: Any, **kwargs: Any) -> Any:
        """The shapes and dtypes of the outputs, as ShapeDtypeStruct-like avals."""
        traced = self.trace(*args, **kwargs)
        return tree_unflatten(traced.out_tree, list(traced.jaxpr.out_avals))

    def clear_cache(self) -> None:
        """Forget every trace of this function."""
        self._cache.entries.clear()

    def _cache_size(self) -> int:
        return len(self._cache.entries)


def _trace_flat(fun: Callable, avals: Sequence[ShapedArray], label: str,
                debug: DebugInfo) -> tuple[ClosedJaxpr, list]:
    """``fun`` traced at ``avals``; captured tracers hoisted into leading inputs."""

    def traced(*args: Any) -> list:
        _state.trace.debug = debug
        return fun(*args)

    return closure_convert(traced, avals, label)


def _definition_site(fun: Callable) -> str:
    code = getattr(inspect.unwrap(fun), "__code__", None)
    if code is None:
        return "<unknown>"
    return f"{code.co_filename}:{code.co_firstlineno}"


def _arg_names(jitted: Jitted, args: tuple, kwargs: dict, in_tree: PyTreeDef) -> list[str]:
    """A name for each dynamic leaf: its argument's name, with an index if it has several."""
    params = _parameter_names(jitted.fun)
    static_pos = {i % len(args) for i in jitted.static_argnums if -len(args) <= i < len(args)}
    names = []
    for i, arg in enumerate(args):
        if i in static_pos:
            continue
        name = params[i] if i < len(params) else f"args[{i}]"
        n = len(tree_flatten(arg)[0])
        names += [name] if n == 1 else [f"{name}[{k}]" for k in range(n)]
    for k in sorted(kwargs):
        if k in jitted.static_argnames:
            continue
        n = len(tree_flatten(kwargs[k])[0])
        names += [k] if n == 1 else [f"{k}[{j}]" for j in range(n)]
    return names


# ------------------------------------------------------------------ cache misses


def _explain_miss(jitted: Jitted, key: tuple, names: Callable[[], list[str]]) -> None:
    """Log why ``key`` is a new signature: what differs from the closest one seen."""
    where = user_source_info(skip=3)
    lines = [f"TRACING CACHE MISS at {where}:"]
    seen = [_as_full_key(k) for k in jitted._cache.entries if k[0] == jitted._config]
    if not seen:
        lines += ["  never seen function:",
                  f"    {jitted._name} id={id(jitted.fun)} defined at "
                  f"{_definition_site(jitted.fun)}"]
    else:
        new = _as_full_key(key)
        closest = min(seen, key=lambda old: _distance(new, old))
        lines += [f"  for {jitted._name} defined at {_definition_site(jitted.fun)}",
                  "  all previously seen cache keys differ. For the closest previous key:"]
        lines += _key_difference(new, closest, names(), _parameter_names(jitted.fun))
    logger.warning("\n".join(lines))


def _as_full_key(key: tuple) -> tuple:
    """(structure, avals, statics) of either form of key."""
    if len(key) == 4 and isinstance(key[1], PyTreeDef):
        return key[1], key[2], key[3]
    return ("positional", key[1]), tuple(key[2:]), ()


def _aval_distance(a: ShapedArray, b: ShapedArray) -> int:
    return (a.shape != b.shape) + (a.dtype != b.dtype) + (a.weak_type != b.weak_type)


def _distance(new: tuple, old: tuple) -> int:
    if new[0] != old[0]:
        return 1000
    return (sum(map(_aval_distance, new[1], old[1]))
            + sum(x != y for x, y in zip(new[2], old[2])))


def _key_difference(new: tuple, old: tuple, names: list[str], params: list[str]) -> list[str]:
    if new[0] != old[0]:
        return ["  different input pytree:", f"  * now {new[0]} and before {old[0]}"]
    lines = []
    for (where, (_, now)), (_, (_, before)) in zip(new[2], old[2]):
        if now != before:
            name = params[where] if isinstance(where, int) and where < len(params) else where
            lines.append(f"  * at {name}, now {now!r} and before {before!r}")
    for name, now, before in zip(names, new[1], old[1]):
        if now != before:
            what = ", ".join(w for w, changed in (
                ("shape", now.shape != before.shape), ("dtype", now.dtype != before.dtype),
                ("weak type", now.weak_type != before.weak_type)) if changed)
            lines.append(f"  * at {name}, now {_typed(now)} and before {_typed(before)} "
                         f"({what} changed)")
    statics_differ, types_differ = new[2] != old[2], new[1] != old[1]
    header = ("  different arguments:" if statics_differ and types_differ else
              "  different static arguments:" if statics_differ else "  different input types:")
    return [header] + lines


def _typed(aval: ShapedArray) -> str:
    return aval.str_short() + (" (weakly typed)" if aval.weak_type else "")


def _parameter_names(fun: Callable) -> list[str]:
    try:
        return list(inspect.signature(fun).parameters)
    except (TypeError, ValueError):
        return []


# ------------------------------------------------------------------ stages


class Traced:
    """A function traced at some arguments: ``.jaxpr`` (ClosedJaxpr), ``.out_info``."""

    def __init__(self, name: str, entry: _Entry, in_tree: PyTreeDef) -> None:
        self.name = name
        self.jaxpr = entry.closed
        self.out_tree = entry.out_tree
        self.in_tree = in_tree

    @property
    def out_info(self) -> Any:
        return tree_unflatten(self.out_tree, list(self.jaxpr.out_avals))

    def lower(self) -> Lowered:
        return Lowered(self)


class Lowered:
    """A traced function simplified and turned into NumPy source; ``compile()`` it."""

    def __init__(self, traced: Traced) -> None:
        self.traced = traced
        self.jaxpr = optimize_jaxpr(inline_calls(traced.jaxpr))

    def as_text(self) -> str:
        """The simplified jaxpr and the generated source."""
        source = executable(self.traced.jaxpr, self.traced.name).source
        return (f"# jit({self.traced.name}): the simplified jaxpr\n"
                f"{jaxpr_to_text(self.jaxpr)}\n\n# the generated source\n{source}")

    def compile(self) -> Compiled:
        return Compiled(self)


class Compiled:
    """The compiled function, called on arguments of the signature it was traced at."""

    def __init__(self, lowered: Lowered) -> None:
        self.lowered = lowered
        self._run = executable(lowered.traced.jaxpr, lowered.traced.name).fn
        self._out_avals = tuple(lowered.traced.jaxpr.out_avals)

    def as_text(self) -> str:
        return self.lowered.as_text()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        traced = self.lowered.traced
        leaves, in_tree = tree_flatten((args, kwargs))
        if in_tree != traced.in_tree:
            raise TypeError(f"compiled function {traced.name} was traced for arguments of "
                            f"structure {traced.in_tree}, called with {in_tree}")
        infos = [leaf_info(x, f"compiled {traced.name}") for x in leaves]
        for i, (info, aval) in enumerate(zip(infos, traced.jaxpr.in_avals)):
            if info.aval.shape != aval.shape or info.aval.dtype != aval.dtype:
                raise TypeError(f"compiled function {traced.name}: argument {i} has type "
                                f"{info.aval.str_short()}, but it was compiled for "
                                f"{aval.str_short()}")
        values = self._run(*[i.value for i in infos])
        outs = [Array(np.asarray(v), a.weak_type, a) for v, a in zip(values, self._out_avals)]
        return tree_unflatten(traced.out_tree, outs)


# ------------------------------------------------------------------ the public function


def jit(fun: Callable | None = None, *, static_argnums: int | Sequence[int] | None = None,
        static_argnames: str | Sequence[str] | None = None,
        donate_argnums: int | Sequence[int] | None = None,
        donate_argnames: str | Sequence[str] | None = None, **options: Any) -> Any:
    """``fun`` compiled: traced once per signature, simplified exactly, run as NumPy code.

    >>> f = jit(lambda x: x * 2 + 1)
    >>> f(jnp.arange(3.0))     # traced and compiled on the first call, then reused

    ``static_argnums``/``static_argnames`` name arguments that are Python values fixed at
    trace time (hashable; a new value traces anew). ``donate_argnums`` is accepted and
    ignored, as are JAX's sharding and device options. Usable as a decorator, and with
    ``functools.partial(jit, static_argnums=...)``.
    """
    if fun is None:
        return functools.partial(jit, static_argnums=static_argnums,
                                 static_argnames=static_argnames, donate_argnums=donate_argnums,
                                 donate_argnames=donate_argnames, **options)
    return Jitted(fun, static_argnums, static_argnames, donate_argnums, donate_argnames,
                  **options)

