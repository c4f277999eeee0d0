"""Pytrees: nested containers of arrays, flattened to a list of leaves and a structure.

Tuples, lists, dicts (in sorted key order), OrderedDicts and defaultdicts, None (a node
with no children) and namedtuples are containers; ``register_pytree_node`` adds more.
Everything else is a leaf. ``PyTreeDef`` is hashable, so structures can key caches.
The public names are gathered in ``tree_util``; this module is the flattening engine.
"""

from __future__ import annotations

import collections
import sys
from typing import Any, Callable, Iterable

import attrs
import numpy as np

from .cache import bounded_cache, cache_put
from .errors import PytreeError
from .tree_keys import DictKey, FlattenedIndexKey, GetAttrKey, SequenceKey

_registry: dict[type, tuple[Callable, Callable]] = {}
# Custom nodes registered with keys: ``flatten_with_keys(x) -> ([(key, child), ...], aux)``.
_keyed_registry: dict[type, Callable] = {}
# Types known to be leaves, recognised before any container check (arrays and scalars are
# most of what is flattened); ``Array`` and ``Tracer`` add themselves with ``leaf_type``.
_leaf_types: set[type] = {int, float, complex, bool, np.ndarray}


def leaf_type(cls: type) -> type:
    """Declare instances of ``cls`` leaves (class decorator); it only makes flattening faster."""
    if cls not in _registry:
        _leaf_types.add(cls)
    return cls


_BUILTIN_NODES = (tuple, list, dict, type(None), collections.OrderedDict,
                  collections.defaultdict)


def register_pytree_node(
    node_type: type,
    flatten: Callable[[Any], tuple[Iterable[Any], Any]],
    unflatten: Callable[[Any, Iterable[Any]], Any],
    flatten_with_keys: Callable[[Any], tuple[Iterable[tuple[Any, Any]], Any]] | None = None,
) -> None:
    """Make ``node_type`` a container: ``flatten(x) -> (children, aux)``, ``unflatten(aux, children) -> x``.

    ``flatten_with_keys(x) -> ([(key, child), ...], aux)`` names the children in key paths
    (else they are ``FlattenedIndexKey(i)``). A type can be registered once (ValueError, as JAX).
    """
    if node_type in _registry or node_type in _BUILTIN_NODES:
        raise PytreeError(f"Duplicate custom PyTreeDef type registration for {node_type}.")
    _registry[node_type] = (flatten, unflatten)
    if flatten_with_keys is not None:
        _keyed_registry[node_type] = flatten_with_keys
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


def _is_namedtuple_type(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields")


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
        name = getattr(self.kind, "__name__", self.kind)
        if _is_namedtuple_type(self.kind):
            return f"CustomNode(namedtuple[{name}], [{inner}])"
        return f"CustomNode({name}[{self.aux}], [{inner}])"

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
        keys = _sorted_keys(x)
        return dict, tuple(keys), [x[k] for k in keys]
    if x is None:
        return type(None), None, []
    if kind in _registry:
        children, aux = _checked_flatten(kind, _registry[kind][0](x))
        return kind, aux, children
    if _is_namedtuple(x):
        return kind, None, list(x)
    if kind is collections.OrderedDict:  # insertion order, as JAX
        return kind, tuple(x), list(x.values())
    if kind is collections.defaultdict:
        keys = _sorted_keys(x)
        return kind, (x.default_factory, tuple(keys)), [x[k] for k in keys]
    return None


def _sorted_keys(x: dict) -> list:
    try:
        return sorted(x)
    except TypeError as e:
        raise PytreeError(
            f"Comparator raised exception while sorting pytree dictionary keys: the keys "
            f"{list(x)!r} of a {type(x).__name__} cannot be sorted ({e}). A dict is flattened "
            f"in sorted key order, so its keys must be mutually comparable (all str, say)"
        ) from e


def _checked_flatten(kind: type, result: Any) -> tuple[list, Any]:
    """``(children, aux)`` from a registered flatten function, or a PytreeError naming it."""
    if not (isinstance(result, tuple) and len(result) == 2):
        raise PytreeError(
            f"The flatten function registered for the pytree node type {kind.__name__} should "
            f"return a (children, aux_data) tuple, got {result!r}")
    try:
        children = list(result[0])
    except TypeError as e:
        raise PytreeError(
            f"The flatten function registered for the pytree node type {kind.__name__} returned "
            f"children {result[0]!r}, which is not an iterable") from e
    return children, result[1]


def children_with_keys(x: Any, is_leaf: Callable | None) -> tuple[Any, Any, list] | None:
    """(kind, aux, [(key, child), ...]) of a container, or None for a leaf."""
    node = _children(x, is_leaf)
    if node is None:
        return None
    kind, aux, children = node
    if kind is tuple or kind is list:
        keys: list = [SequenceKey(i) for i in range(len(children))]
    elif kind is dict or kind is collections.OrderedDict:
        keys = [DictKey(k) for k in aux]
    elif kind is collections.defaultdict:
        keys = [DictKey(k) for k in aux[1]]
    elif kind in _keyed_registry:
        keyed, _ = _checked_flatten(kind, _keyed_registry[kind](x))
        keys = [k for k, _ in keyed]
    elif _is_namedtuple_type(kind) and kind not in _registry:
        keys = [GetAttrKey(name) for name in kind._fields]
    else:
        keys = [FlattenedIndexKey(i) for i in range(len(children))]
    return kind, aux, list(zip(keys, children, strict=True))


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
    try:
        return leaves, _flatten(tree, leaves, is_leaf)
    except RecursionError as e:
        raise too_deep(tree) from e


def too_deep(tree: Any) -> PytreeError:
    """The error for a pytree nested deeper than Python's recursion limit (or cyclic)."""
    return PytreeError(
        f"tree_flatten: the pytree (a {type(tree).__name__} at its root) is nested deeper than "
        f"Python's recursion limit of {sys.getrecursionlimit()} levels, or contains itself. "
        f"Flatten a shallower structure (a list of arrays instead of nested pairs, say), "
        f"or raise the limit with sys.setrecursionlimit")


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
    if kind is collections.OrderedDict:
        return kind(zip(treedef.aux, children))
    if kind is collections.defaultdict:
        return kind(treedef.aux[0], zip(treedef.aux[1], children))
    return kind(*children)  # namedtuple


def tree_unflatten(treedef: PyTreeDef, leaves: Iterable[Any]) -> Any:
    """Rebuild a pytree of structure ``treedef`` from its leaves."""
    leaves = list(leaves)
    if len(leaves) != treedef.num_leaves:
        raise PytreeError(
            f"tree_unflatten: the structure {treedef} has {treedef.num_leaves} leaves, "
            f"but {len(leaves)} were given"
        )
    try:
        return _build(treedef, iter(leaves))
    except RecursionError as e:
        raise too_deep(treedef) from e


def tree_leaves(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> list:
    """The leaves of ``tree``, in flattening order."""
    return tree_flatten(tree, is_leaf)[0]


def tree_structure(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> PyTreeDef:
    """The structure (``PyTreeDef``) of ``tree``."""
    return tree_flatten(tree, is_leaf)[1]


def flatten_up_to(treedef: PyTreeDef, tree: Any, what: str = "tree") -> list:
    """The subtrees of ``tree`` at the leaf positions of ``treedef`` (a prefix of its structure)."""
    out: list = []
    try:
        _walk_up_to(treedef, tree, out, what)
    except _Mismatch as e:
        where = "".join(str(k) for k in reversed(e.keys)) or "(the root)"
        raise PytreeError(f"{what} structure mismatch at key path {where}: expected "
                          f"{e.expected}, got {e.found}") from None
    except RecursionError as e:
        raise too_deep(tree) from e
    return out


class _Mismatch(Exception):
    """Raised at the node where two structures differ; each level adds its key on the way up."""

    def __init__(self, expected: PyTreeDef, found: PyTreeDef) -> None:
        self.expected, self.found, self.keys = expected, found, []


def _walk_up_to(d: PyTreeDef, x: Any, out: list, what: str) -> None:
    # A module-level function, not a nested one calling itself: that would be a reference
    # cycle (function -> closure cell -> function) left for the cyclic collector per call.
    if d.kind is None:
        out.append(x)
        return
    node = _children(x, None)
    if node is None or node[0] is not d.kind or node[1] != d.aux or len(node[2]) != len(d.children):
        raise _Mismatch(d, tree_structure(x))
    for i, (c, child) in enumerate(zip(d.children, node[2])):
        try:
            _walk_up_to(c, child, out, what)
        except _Mismatch as e:
            e.keys.append(children_with_keys(x, None)[2][i][0])
            raise


def tree_map(f: Callable[..., Any], tree: Any, *rest: Any, is_leaf: Callable | None = None) -> Any:
    """Apply ``f`` leafwise to ``tree`` and to ``rest``, which must have ``tree``'s structure."""
    leaves, treedef = tree_flatten(tree, is_leaf)
    others = [flatten_up_to(treedef, r, "tree_map argument") for r in rest]
    return treedef.unflatten(f(*xs) for xs in zip(leaves, *others))


def treedef_children(treedef: PyTreeDef) -> list[PyTreeDef]:
    """The structures of the children of the root node of ``treedef``."""
    return list(treedef.children)
