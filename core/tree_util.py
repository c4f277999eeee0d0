"""``jaxlite.tree_util``, as ``jax.tree_util``: flatten pytrees to leaves and a structure,
map over them, name their leaves by key paths, and register new node types.

The flattening engine is ``pytree``; key paths are ``tree_keys`` and ``tree_paths``;
reductions, transposition, registration helpers and ``Partial`` are ``tree_ops``.
"""

from .pytree import (
    PyTreeDef,
    flatten_up_to,
    leaf_type,
    register_attrs_class,
    register_pytree_node,
    register_pytree_node_class,
    tree_flatten,
    tree_leaves,
    tree_map,
    tree_structure,
    tree_unflatten,
    treedef_children,
)
from .tree_keys import DictKey, FlattenedIndexKey, GetAttrKey, KeyEntry, KeyPath, SequenceKey, keystr
from .tree_ops import (
    Partial,
    all_leaves,
    flatten_one_level,
    is_tree_node,
    register_dataclass,
    register_pytree_with_keys,
    register_pytree_with_keys_class,
    register_static,
    tree_all,
    tree_broadcast,
    tree_reduce,
    tree_reduce_associative,
    tree_transpose,
    treedef_is_leaf,
    treedef_tuple,
)
from .tree_paths import tree_flatten_with_path, tree_leaves_with_path, tree_map_with_path

__all__ = [
    "DictKey", "FlattenedIndexKey", "GetAttrKey", "KeyEntry", "KeyPath", "Partial", "PyTreeDef",
    "SequenceKey", "all_leaves", "flatten_one_level", "flatten_up_to", "is_tree_node", "keystr",
    "leaf_type", "register_attrs_class", "register_dataclass", "register_pytree_node",
    "register_pytree_node_class", "register_pytree_with_keys", "register_pytree_with_keys_class",
    "register_static", "tree_all", "tree_broadcast", "tree_flatten", "tree_flatten_with_path",
    "tree_leaves", "tree_leaves_with_path", "tree_map", "tree_map_with_path", "tree_reduce",
    "tree_reduce_associative", "tree_structure", "tree_transpose", "tree_unflatten",
    "treedef_children", "treedef_is_leaf", "treedef_tuple",
]
