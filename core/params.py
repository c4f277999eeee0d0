"""``Params``: the immutable, hashable mapping that holds an equation's parameters.

Equations key caches (jit's) and are compared by common-subexpression elimination, so
their params must not change and must hash. ``Params`` is a ``dict`` subclass that
forbids mutation and hashes by its items, whatever their order. It stays a ``dict`` so
that the hot paths stay in C: ``prim.bind(*ins, **eqn.params)`` unpacks it with one dict
copy, and an equation built while tracing copies the keyword dict of ``bind`` once (one
without params shares ``NO_PARAMS``). A tuple-backed mapping would hash faster but go
through Python-level ``keys``/``__getitem__`` at every ``**`` unpacking.

Hashing needs hashable values: ints, tuples, strings, NumPy dtypes and scalar types,
and jaxprs (which hash by identity). ``typecheck`` names any param that is not.
"""

from __future__ import annotations

from typing import Any, NoReturn


class Params(dict):
    """An equation's parameters: a read-only ``dict`` that hashes by its items.

    ``copy()`` and ``dict(params)`` give a plain, mutable ``dict`` to build new params from.
    """

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("the params of an equation are immutable: build a new dict instead, "
                        "e.g. dict(eqn.params, name=value)")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __reduce__(self) -> tuple:  # copy and pickle rebuild it, rather than set its items
        return Params, (dict(self),)

    def __repr__(self) -> str:
        return f"Params({dict.__repr__(self)})"


NO_PARAMS = Params()
"""The params of every equation that has none (most elementwise ones): shared, not copied."""
