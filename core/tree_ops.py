"""More of ``jax.tree_util``: reductions over leaves, transposing nested structures,
registration helpers (with keys, dataclasses, static nodes) and ``Partial``, a
``functools.partial`` that is a pytree whose leaves are its bound arguments.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, Callable, Iterable, Sequence

from .errors import PytreeError
from .pytree import (
    PyTreeDef,
    flatten_up_to,
    register_pytree_node,
    tree_flatten,
    tree_leaves,
    tree_structure,
    _children,
)
from .tree_keys import GetAttrKey

_NO_INITIALIZER = object()


def tree_reduce(function: Callable[[Any, Any], Any], tree: Any, initializer: Any = _NO_INITIALIZER,
                is_leaf: Callable[[Any], bool] | None = None) -> Any:
    """``functools.reduce(function, leaves[, initializer])`` over the leaves of ``tree``."""
    leaves = tree_leaves(tree, is_leaf)
    if initializer is _NO_INITIALIZER:
        if not leaves:
            raise TypeError("tree_reduce() of a pytree without leaves needs an initializer")
        return functools.reduce(function, leaves)
    return functools.reduce(function, leaves, initializer)


def tree_reduce_associative(operation: Callable[[Any, Any], Any], tree: Any, *,
                            identity: Any = _NO_INITIALIZER,
                            is_leaf: Callable[[Any], bool] | None = None) -> Any:
    """Reduce the leaves pairwise (a balanced tree of ``operation`` calls)."""
    leaves = tree_leaves(tree, is_leaf)
    if not leaves:
        if identity is _NO_INITIALIZER:
            raise TypeError("tree_reduce_associative() of a pytree without leaves needs an "
                            "identity")
        return identity
    while len(leaves) > 1:
        pairs = [operation(a, b) for a, b in zip(leaves[::2], leaves[1::2])]
        leaves = pairs + leaves[len(pairs) * 2:]
    return leaves[0]


def tree_all(tree: Any, *, is_leaf: Callable[[Any], bool] | None = None) -> bool:
    """Whether every leaf of ``tree`` is truthy (True for a tree without leaves)."""
    return all(tree_leaves(tree, is_leaf))


def all_leaves(iterable: Iterable[Any], is_leaf: Callable[[Any], bool] | None = None) -> bool:
    """Whether every element of ``iterable`` is a pytree leaf."""
    return all(tree_structure(x, is_leaf).kind is None for x in iterable)


def treedef_is_leaf(treedef: PyTreeDef) -> bool:
    """Whether ``treedef`` is one node without children (a leaf, or None)."""
    return treedef.num_nodes == 1


def treedef_tuple(treedefs: Iterable[PyTreeDef]) -> PyTreeDef:
    """The structure of a tuple whose children have the structures ``treedefs``."""
    children = tuple(treedefs)
    return PyTreeDef(tuple, None, children, sum(c.num_leaves for c in children))


def is_tree_node(x: Any) -> bool:
    """Whether ``x`` is a container (a pytree node) rather than a leaf."""
    return _children(x, None) is not None


def flatten_one_level(tree: Any) -> tuple[list, Any]:
    """The children of the root node and its aux data; ValueError for a leaf."""
    node = _children(tree, None)
    if node is None:
        raise PytreeError(f"flatten_one_level: {tree!r} is a leaf, not a pytree node")
    return node[2], node[1]


def tree_transpose(outer_treedef: PyTreeDef, inner_treedef: PyTreeDef | None,
                   pytree_to_transpose: Any) -> Any:
    """Turn an outer structure of inner structures into an inner structure of outer ones:
    ``tree_transpose(structure([0, 0]), structure((0, 0)), [(1, 2), (3, 4)])`` is
    ``([1, 3], [2, 4])``."""
    inner_trees = flatten_up_to(outer_treedef, pytree_to_transpose, "tree_transpose input")
    if inner_treedef is None:
        inner_treedef = tree_structure(inner_trees[0]) if inner_trees else tree_structure(())
    rows = [flatten_up_to(inner_treedef, t, "tree_transpose input") for t in inner_trees]
    expected = outer_treedef.num_leaves * inner_treedef.num_leaves
    if tree_structure(pytree_to_transpose).num_leaves != expected:
        raise TypeError(f"Tree structure mismatch: tree_transpose expected {outer_treedef} of "
                        f"{inner_treedef}, got {tree_structure(pytree_to_transpose)}")
    columns = [outer_treedef.unflatten(row[j] for row in rows)
               for j in range(inner_treedef.num_leaves)]
    return inner_treedef.unflatten(columns)


def tree_broadcast(prefix_tree: Any, full_tree: Any,
                   is_leaf: Callable[[Any], bool] | None = None) -> Any:
    """``prefix_tree`` with each leaf repeated over the matching subtree of ``full_tree``."""
    prefix_leaves, prefix_def = tree_flatten(prefix_tree, is_leaf)
    subtrees = flatten_up_to(prefix_def, full_tree, "tree_broadcast full tree")
    leaves = [x for x, sub in zip(prefix_leaves, subtrees)
              for _ in range(tree_structure(sub, is_leaf).num_leaves)]
    return tree_structure(full_tree, is_leaf).unflatten(leaves)


# ------------------------------------------------------------------ registration helpers


def register_pytree_with_keys(
    nodetype: type,
    flatten_with_keys: Callable[[Any], tuple[Iterable[tuple[Any, Any]], Any]],
    unflatten_func: Callable[[Any, Iterable[Any]], Any],
    flatten_func: Callable[[Any], tuple[Iterable[Any], Any]] | None = None,
) -> None:
    """Register a node whose flatten names its children: ``([(key, child), ...], aux)``."""
    if flatten_func is None:
        flatten_func = functools.partial(_drop_keys, flatten_with_keys)
    register_pytree_node(nodetype, flatten_func, unflatten_func, flatten_with_keys)


def _drop_keys(flatten_with_keys: Callable, x: Any) -> tuple[list, Any]:
    keyed, aux = flatten_with_keys(x)
    return [child for _, child in keyed], aux


def register_pytree_with_keys_class(cls: type) -> type:
    """Class decorator using ``tree_flatten_with_keys`` and ``tree_unflatten`` (and
    ``tree_flatten`` when the class defines it)."""
    flatten = getattr(cls, "tree_flatten", None)
    register_pytree_with_keys(cls, lambda x: x.tree_flatten_with_keys(), cls.tree_unflatten,
                              None if flatten is None else (lambda x: x.tree_flatten()))
    return cls


def register_dataclass(nodetype: type, data_fields: Sequence[str] | None = None,
                       meta_fields: Sequence[str] | None = None,
                       drop_fields: Sequence[str] = ()) -> type:
    """Register a dataclass: ``data_fields`` are children, ``meta_fields`` aux data. Without
    the lists, fields with ``metadata=dict(static=True)`` are meta and the rest data."""
    if data_fields is None or meta_fields is None:
        if not dataclasses.is_dataclass(nodetype):
            raise TypeError(f"register_dataclass: {nodetype.__name__} is not a dataclass, so "
                            "data_fields and meta_fields must be given")
        fields = [f for f in dataclasses.fields(nodetype) if f.name not in drop_fields]
        meta_fields = [f.name for f in fields if f.metadata.get("static", False)]
        data_fields = [f.name for f in fields if not f.metadata.get("static", False)]
    data, meta = tuple(data_fields), tuple(meta_fields)
    register_pytree_with_keys(
        nodetype,
        lambda x: ([(GetAttrKey(n), getattr(x, n)) for n in data],
                   tuple(getattr(x, n) for n in meta)),
        lambda aux, children: nodetype(**dict(zip(meta, aux)), **dict(zip(data, children))),
        lambda x: ([getattr(x, n) for n in data], tuple(getattr(x, n) for n in meta)),
    )
    return nodetype


def register_static(cls: type) -> type:
    """Register ``cls`` as a node without children: its instances are structure, not leaves."""
    register_pytree_node(cls, lambda x: ((), x), lambda aux, _: aux)
    return cls


class Partial(functools.partial):
    """``functools.partial`` as a pytree: the bound arguments are its leaves and the function
    its structure, so a Partial passes into and out of ``jit`` (the function ``vjp`` returns
    is one). A ``functools.partial`` given as the function stays whole: its own bound
    arguments are structure, not leaves."""

    def __new__(cls, func: Callable, *args: Any, **kwargs: Any) -> Partial:
        if isinstance(func, functools.partial) and not isinstance(func, Partial):
            func = _WholePartial(func)  # (functools.partial would merge the two)
        return super().__new__(cls, func, *args, **kwargs)


class _WholePartial:
    """A ``functools.partial`` behind a plain call, so that ``Partial`` does not merge it."""

    __slots__ = ("partial",)

    def __init__(self, partial: functools.partial) -> None:
        self.partial = partial

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.partial(*args, **kwargs)

    def __repr__(self) -> str:
        return repr(self.partial)


register_pytree_node(
    Partial,
    lambda p: ((p.args, p.keywords), p.func),
    lambda func, children: Partial(func, *children[0], **children[1]),
)
