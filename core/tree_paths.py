"""Pytree operations that see key paths: each leaf comes with the keys that lead to it.

``tree_flatten_with_path({'a': [1, 2]})`` is ``([((DictKey('a'), SequenceKey(0)), 1), ...],
treedef)``; ``keystr`` turns a path into ``['a'][0]``. Keys come from the node kinds
(``tree_keys``) or from ``flatten_with_keys`` of a node registered with keys.
"""

from __future__ import annotations

from typing import Any, Callable

from .pytree import (
    PyTreeDef,
    children_with_keys,
    flatten_up_to,
    too_deep,
    tree_flatten,
)


def _with_path(x: Any, path: tuple, out: list, is_leaf: Callable | None) -> None:
    node = children_with_keys(x, is_leaf)
    if node is None:
        out.append((path, x))
        return
    for key, child in node[2]:
        _with_path(child, (*path, key), out, is_leaf)


def tree_flatten_with_path(
    tree: Any, is_leaf: Callable[[Any], bool] | None = None
) -> tuple[list[tuple[tuple, Any]], PyTreeDef]:
    """``([(key_path, leaf), ...], treedef)``: the leaves with the keys that lead to each."""
    out: list = []
    try:
        _with_path(tree, (), out, is_leaf)
    except RecursionError as e:
        raise too_deep(tree) from e
    return out, tree_flatten(tree, is_leaf)[1]


def tree_leaves_with_path(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> list:
    """``[(key_path, leaf), ...]`` in flattening order."""
    return tree_flatten_with_path(tree, is_leaf)[0]


def tree_map_with_path(f: Callable[..., Any], tree: Any, *rest: Any,
                       is_leaf: Callable[[Any], bool] | None = None) -> Any:
    """Like ``tree_map``, but ``f`` also receives the key path: ``f(path, leaf, *others)``."""
    pairs, treedef = tree_flatten_with_path(tree, is_leaf)
    others = [flatten_up_to(treedef, r, "tree_map_with_path argument") for r in rest]
    return treedef.unflatten(f(path, x, *ys) for (path, x), *ys in zip(pairs, *others))
