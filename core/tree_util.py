"""Pytrees: nested containers of arrays, flattened to a list of leaves and a structure.

Tuples, lists, dicts (in sorted key order), None (a node with no children) and
namedtuples are containers; ``register_pytree_node`` adds more. Everything else is a
leaf. ``PyTreeDef`` is hashable, so structures can key caches.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

import attrs
import numpy as np

from .cache import bounded_cache, cache_put
from .errors import PytreeError

_registry: dict[type, tuple[Callable, Callable]] = {}
# Types known to be leaves, recognised before any container check (arrays and scalars are
# most of what is flattened); ``Array`` and ``Tracer`` add themselves with ``leaf_type``.
_leaf_types: set[type] = {int, float, complex, bool, np.ndarray}


def leaf_type(cls: type) -> type:
    """Declare instances of ``cls`` leaves (class decorator); it only makes flattening faster."""
    if cls not in _registry:
        _leaf_types.add(cls)
    return cls


def register_pytree_node(
    node_type: type,
    flatten: Callable[[Any], tuple[Iterable[Any], Any]],
    unflatten: Callable[[Any, Iterable[Any]], Any],
) -> None:
    """Make ``node_type`` a container: ``flatten(x) -> (children, aux)``, ``unflatten(aux, children) -> x``."""
    _registry[node_type] = (flatten, unflatten)
    _leaf_types.discard(node_type)


def register_pytree_node_class(cls: type) -> type:
    """Class decorator using ``cls.tree_flatten`` and ``cls.tree_unflatten`` (a classmethod)."""
    register_pytree_node(cls, lambda x: x.tree_flatten(), cls.tree_unflatten)
    return cls


def register_attrs_class(cls: type) -> type:
    """Register an attrs class whose fields are all children (class decorator)."""
    names = tuple(field.name for field in attrs.fields(cls))
    register_pytree_node(
        cls,
        lambda x: ([getattr(x, n) for n in names], None),
        lambda _, children: cls(**dict(zip(names, children))),
    )
    return cls


def _is_namedtuple(x: Any) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


@attrs.frozen(slots=True, eq=False)
class PyTreeDef:
    """The structure of a pytree: a node kind, its aux data and the structures of its children.

    Equal structures compare and hash equal; the hash is computed once per node (structures
    key jit's cache, which hashes them on every call).
    """

    kind: Any  # None for a leaf, else the container type
    aux: Any
    children: tuple[PyTreeDef, ...]
    num_leaves: int
    hash_value: Any = attrs.field(default=None, repr=False)  # (filled when first hashed)

    def __hash__(self) -> int:
        value = self.hash_value
        if value is None:
            value = hash((self.kind, self.aux, self.children))
            object.__setattr__(self, "hash_value", value)
        return value

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not PyTreeDef:
            return NotImplemented
        return (self.num_leaves == other.num_leaves and self.kind == other.kind
                and self.aux == other.aux and self.children == other.children)

    @property
    def num_nodes(self) -> int:
        return 1 + sum(c.num_nodes for c in self.children)

    def unflatten(self, leaves: Iterable[Any]) -> Any:
        return tree_unflatten(self, leaves)

    def __str__(self) -> str:
        if self.kind is None:
            return "*"
        inner = ", ".join(str(c) for c in self.children)
        if self.kind is tuple:
            return f"({inner}{',' if len(self.children) == 1 else ''})"
        if self.kind is list:
            return f"[{inner}]"
        if self.kind is dict:
            return "{" + ", ".join(f"{k!r}: {c}" for k, c in zip(self.aux, self.children)) + "}"
        if self.kind is type(None):
            return "None"
        return f"{getattr(self.kind, '__name__', self.kind)}({inner})"

    def __repr__(self) -> str:
        return f"PyTreeDef({self})"


_LEAF = PyTreeDef(None, None, (), 1)


def _children(x: Any, is_leaf: Callable | None) -> tuple[Any, Any, list] | None:
    """(kind, aux, children) of a container, or None for a leaf."""
    if is_leaf is not None and is_leaf(x):
        return None
    kind = type(x)
    if kind is tuple or kind is list:
        return kind, None, list(x)
    if kind is dict:
        keys = sorted(x)
        return dict, tuple(keys), [x[k] for k in keys]
    if x is None:
        return type(None), None, []
    if kind in _registry:
        children, aux = _registry[kind][0](x)
        return kind, aux, list(children)
    if _is_namedtuple(x):
        return kind, None, list(x)
    return None


def _flatten(x: Any, leaves: list, is_leaf: Callable | None) -> PyTreeDef:
    if is_leaf is None and type(x) in _leaf_types:
        leaves.append(x)
        return _LEAF
    node = _children(x, is_leaf)
    if node is None:
        leaves.append(x)
        return _LEAF
    kind, aux, children = node
    defs, num_leaves = [], 0
    for c in children:
        d = _flatten(c, leaves, is_leaf)
        defs.append(d)
        num_leaves += d.num_leaves
    defs = tuple(defs)
    try:  # one shared instance per structure: later comparisons are by identity
        key = (kind, aux, defs)
        known = _interned.get(key)
    except TypeError:  # (aux data that cannot be hashed)
        return PyTreeDef(kind, aux, defs, num_leaves)
    if known is None:
        known = cache_put(_interned, key, PyTreeDef(kind, aux, defs, num_leaves))
    return known


_interned: dict = bounded_cache(f"{__name__}._interned", 4096)


def tree_flatten(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> tuple[list, PyTreeDef]:
    """The leaves of ``tree`` in order, and its structure."""
    leaves: list = []
    return leaves, _flatten(tree, leaves, is_leaf)


def _build(treedef: PyTreeDef, leaves: Iterable[Any]) -> Any:
    if treedef.kind is None:
        return next(leaves)  # type: ignore[call-overload]
    children = [_build(c, leaves) for c in treedef.children]
    kind = treedef.kind
    if kind is tuple or kind is list:
        return kind(children)
    if kind is dict:
        return dict(zip(treedef.aux, children))
    if kind is type(None):
        return None
    if kind in _registry:
        return _registry[kind][1](treedef.aux, children)
    return kind(*children)  # namedtuple


def tree_unflatten(treedef: PyTreeDef, leaves: Iterable[Any]) -> Any:
    """Rebuild a pytree of structure ``treedef`` from its leaves."""
    leaves = list(leaves)
    if len(leaves) != treedef.num_leaves:
        raise PytreeError(
            f"tree_unflatten: the structure {treedef} has {treedef.num_leaves} leaves, "
            f"but {len(leaves)} were given"
        )
    return _build(treedef, iter(leaves))


def tree_leaves(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> list:
    return tree_flatten(tree, is_leaf)[0]


def tree_structure(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> PyTreeDef:
    return tree_flatten(tree, is_leaf)[1]


def flatten_up_to(treedef: PyTreeDef, tree: Any, what: str = "tree") -> list:
    """The subtrees of ``tree`` at the leaf positions of ``treedef`` (a prefix of its structure)."""
    out: list = []
    _walk_up_to(treedef, tree, out, what)
    return out


def _walk_up_to(d: PyTreeDef, x: Any, out: list, what: str) -> None:
    # A module-level function, not a nested one calling itself: that would be a reference
    # cycle (function -> closure cell -> function) left for the cyclic collector per call.
    if d.kind is None:
        out.append(x)
        return
    node = _children(x, None)
    if node is None or node[0] is not d.kind or node[1] != d.aux or len(node[2]) != len(d.children):
        found = tree_structure(x)
        raise PytreeError(f"{what} structure mismatch: expected {d}, got {found}")
    for c, child in zip(d.children, node[2]):
        _walk_up_to(c, child, out, what)


def tree_map(f: Callable[..., Any], tree: Any, *rest: Any, is_leaf: Callable | None = None) -> Any:
    """Apply ``f`` leafwise to ``tree`` and to ``rest``, which must have ``tree``'s structure."""
    leaves, treedef = tree_flatten(tree, is_leaf)
    others = [flatten_up_to(treedef, r, "tree_map argument") for r in rest]
    return treedef.unflatten(f(*xs) for xs in zip(leaves, *others))


def treedef_children(treedef: PyTreeDef) -> list[PyTreeDef]:
    return list(treedef.children)
